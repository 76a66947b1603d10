from django.db import migrations


def create_main_location(apps, schema_editor):
    # Runs in every merchant schema and in the template, so new merchants start with it too.
    StockLocation = apps.get_model("inventory", "StockLocation")
    StockLocation.objects.get_or_create(code="main", defaults={"name": "Main warehouse"})


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunPython(create_main_location, migrations.RunPython.noop)]
