from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import DomainError
from apps.tenancy.domains import dashboard_host_for
from apps.tenancy.services import merchant_provision


class Command(BaseCommand):
    help = "Provision a merchant: schema, dashboard host, first store and its host, owner account."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="e.g. acme -> acme.<base domain>")
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument(
            "--password", help="The owner's password (omit: they use 'forgot password')."
        )
        parser.add_argument("--owner-name", default="")
        parser.add_argument("--country", default="LU")
        parser.add_argument("--legal-name", default="")
        parser.add_argument("--store-name", default="")
        parser.add_argument("--store-slug", default="shop")
        parser.add_argument("--language", default="fr", choices=["fr", "de", "en"])

    def handle(self, *args, **options):
        try:
            merchant = merchant_provision(
                slug=options["slug"],
                name=options["name"],
                owner_email=options["owner_email"],
                owner_password=options["password"],
                owner_name=options["owner_name"],
                country=options["country"],
                legal_name=options["legal_name"],
                store_name=options["store_name"],
                store_slug=options["store_slug"],
                store_language=options["language"],
            )
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Merchant {merchant.slug} created: dashboard on "
                f"{settings.ORION_URL_SCHEME}://{dashboard_host_for(slug=merchant.slug)}/dashboard/"
            )
        )
