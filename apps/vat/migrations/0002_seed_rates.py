from django.db import migrations


def seed(apps, schema_editor):
    from apps.vat.seed import rate_rows, rates_sync

    # Regional rate areas (PT-30...) need the wider column of 0003; 0004 loads them.
    rows = [row for row in rate_rows() if len(row["country"]) == 2]
    rates_sync(apps.get_model("vat", "VatRate"), rows)


class Migration(migrations.Migration):
    dependencies = [("vat", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
