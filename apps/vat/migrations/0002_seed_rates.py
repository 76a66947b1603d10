from django.db import migrations


def seed(apps, schema_editor):
    from apps.vat.seed import rates_sync

    rates_sync(apps.get_model("vat", "VatRate"))


class Migration(migrations.Migration):
    dependencies = [("vat", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
