"""Rebuild the search keys and vocabulary of every store of one or every merchant.

The catalog services keep both current; this is for changes made outside them (SQL, a restore)
and drops the words of renamed or deleted products. Safe to run at any time, any number of times.

    manage.py search_reindex [--merchant SLUG]
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from apps.catalog.search_index import store_search_index_rebuild
from apps.tenancy.models import Merchant
from apps.tenancy.stores.models import Store


class Command(BaseCommand):
    help = "Rebuild the catalogue search keys and vocabulary (one merchant or all)."

    def add_arguments(self, parser):
        parser.add_argument("--merchant", help="the merchant's slug (default: every merchant)")

    def handle(self, *args, merchant=None, **options):
        merchants = Merchant.objects.exclude(schema_name="public")
        if merchant:
            merchants = merchants.filter(slug=merchant)
            if not merchants.exists():
                raise CommandError(f"No merchant with the slug {merchant!r}.")
        for each in merchants.order_by("slug"):
            with tenant_context(each), transaction.atomic():
                stores = list(Store.objects.values_list("pk", flat=True))
                for store_id in stores:
                    store_search_index_rebuild(store_id=store_id)
            self.stdout.write(f"{each.slug}: {len(stores)} store(s) reindexed")
