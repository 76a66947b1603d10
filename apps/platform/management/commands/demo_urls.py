from django.core.management.base import BaseCommand

from apps.platform.demo import DEMO_PASSWORD, PLATFORM_ADMIN_EMAIL, STAFF_EMAILS, demo_urls


class Command(BaseCommand):
    help = "Print the demo's URLs and logins."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("Orion is starting. Open:"))
        for label, url in demo_urls(port=options["port"]):
            out.write(f"  {label:<26} {url}")
        out.write("")
        out.write(f"Logins (password for all: {DEMO_PASSWORD}):")
        out.write(f"  {'platform admin':<26} {PLATFORM_ADMIN_EMAIL}  (console)")
        for role, email in STAFF_EMAILS.items():
            out.write(f"  {'merchant ' + role:<26} {email}  (dashboard)")
        out.write("")
