from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.vat.models import VatCategoryRate, VatRate
from apps.vat.seed import (
    CATEGORY_RATES_FILE,
    RATES_FILE,
    RateFileError,
    category_rates_sync,
    rates_sync,
)


class Command(BaseCommand):
    help = (
        f"Create or update VAT rate periods from {RATES_FILE.name} and "
        f"{CATEGORY_RATES_FILE.name} (idempotent)."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():  # both tables or neither
                created, updated = rates_sync(VatRate)
                cat_created, cat_updated = category_rates_sync(VatCategoryRate)
        except RateFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"VAT rate periods: {created} created, {updated} updated.")
        self.stdout.write(
            f"VAT category rate periods: {cat_created} created, {cat_updated} updated."
        )
