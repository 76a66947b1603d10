from django.core.management.base import BaseCommand

from apps.tenancy.template import template_schema_ensure


class Command(BaseCommand):
    help = "Create the template schema new merchants are cloned from, and migrate it."

    def handle(self, *args, **options):
        changed = template_schema_ensure(verbosity=max(options["verbosity"] - 1, 0))
        self.stdout.write("Template schema migrated." if changed else "Template schema current.")
