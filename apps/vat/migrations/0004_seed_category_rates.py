from django.db import migrations


def seed(apps, schema_editor):
    from apps.vat.seed import category_rates_sync, rates_sync

    # Rate periods again (the rate areas, and the EE and SK periods split in this version),
    # then the goods categories.
    rates_sync(apps.get_model("vat", "VatRate"))
    category_rates_sync(apps.get_model("vat", "VatCategoryRate"))


def unseed_rate_areas(apps, schema_editor):
    # Going back to 0003's reverse narrows the country column to two letters again.
    apps.get_model("vat", "VatRate").objects.filter(country__contains="-").delete()


class Migration(migrations.Migration):
    dependencies = [("vat", "0003_category_rates_and_no_overlap")]

    operations = [migrations.RunPython(seed, unseed_rate_areas)]
