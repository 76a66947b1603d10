"""The Celery application. Tasks are tenant-aware: a task enqueued while a merchant's schema is
active carries that schema in its headers and runs in it (tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orion.settings.dev")

app = CeleryApp("orion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
