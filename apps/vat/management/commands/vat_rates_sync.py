from django.core.management.base import BaseCommand

from apps.vat.models import VatRate
from apps.vat.seed import RATES_FILE, rates_sync


class Command(BaseCommand):
    help = f"Create or update VAT rate periods from {RATES_FILE.name} (idempotent)."

    def handle(self, *args, **options):
        created, updated = rates_sync(VatRate)
        self.stdout.write(f"VAT rate periods: {created} created, {updated} updated.")
