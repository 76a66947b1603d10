from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import DomainError
from apps.tenancy.selectors import merchant_get
from apps.tenancy.services import merchant_archive, merchant_delete


class Command(BaseCommand):
    help = (
        "Archive a merchant (hosts go offline) or, with --delete, drop its schema for good. "
        "--delete needs --confirm <slug> and an archived merchant."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--delete", action="store_true", help="Drop the schema and all data.")
        parser.add_argument("--confirm", default="", help="Repeat the slug to confirm --delete.")

    def handle(self, *args, **options):
        merchant = merchant_get(slug=options["slug"])
        if merchant is None:
            raise CommandError(f"No merchant with the slug {options['slug']!r}.")
        try:
            if options["delete"]:
                merchant_delete(merchant=merchant, confirmation=options["confirm"])
                self.stdout.write(self.style.SUCCESS(f"Merchant {merchant.slug} deleted."))
            else:
                merchant_archive(merchant=merchant)
                self.stdout.write(self.style.SUCCESS(f"Merchant {merchant.slug} archived."))
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error
