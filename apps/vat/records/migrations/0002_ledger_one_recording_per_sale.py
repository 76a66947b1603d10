# A sale is recorded in the VAT ledger once: entries carry the recording they were written by,
# and an exclusion constraint keeps one recording per (store, reference). Entries written before
# share one recording per (store, reference), derived from it.

import django.contrib.postgres.constraints
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vat_records', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='vatledgerentry',
            name='recording',
            field=models.UUIDField(editable=False, null=True, verbose_name='recording'),
        ),
        migrations.RunSQL(
            "UPDATE vat_records_vatledgerentry "
            "SET recording = md5(store_id::text || ':' || reference)::uuid",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='vatledgerentry',
            name='recording',
            field=models.UUIDField(editable=False, verbose_name='recording'),
        ),
        migrations.AddConstraint(
            model_name='vatledgerentry',
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(expressions=[('store', '='), ('reference', '='), ('recording', '<>')], name='vat_ledger_one_recording_per_sale', violation_error_message='This sale is already in the VAT ledger.'),
        ),
    ]
