from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.platform.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo platform (idempotent: a second run adds nothing). Never in production."

    def handle(self, *args, **options):
        # The demo's accounts have a published password; they must never exist in production.
        if settings.ORION_ENVIRONMENT == "production":
            raise CommandError(
                "load_demo refuses to run with the production settings: the demo accounts "
                "have a published password."
            )
        report = demo_load()
        if report.created:
            self.stdout.write("Demo data created: " + ", ".join(report.created))
        else:
            self.stdout.write("Demo data already present; nothing added.")
