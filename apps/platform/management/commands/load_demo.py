from django.core.management.base import BaseCommand

from apps.platform.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo platform (idempotent: a second run adds nothing)."

    def handle(self, *args, **options):
        report = demo_load()
        if report.created:
            self.stdout.write("Demo data created: " + ", ".join(report.created))
        else:
            self.stdout.write("Demo data already present; nothing added.")
