"""The Celery application. Tasks are tenant-aware: a task enqueued while a merchant's schema is
active carries that schema in its headers and runs in it (tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

# Production by default, like orion/wsgi.py: a worker started by hand without the variable
# refuses to start for want of its secrets rather than run with the development settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orion.settings.prod")

app = CeleryApp("orion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
