"""Development: `make run`. Debug on, mails printed to the console, a fixed dev secret."""

from orion.settings.base import *  # noqa: F403
from orion.settings.env import env_list, env_str

ORION_ENVIRONMENT = "development"
DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "dev-only-not-secret-orion"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [".localhost", "localhost", "127.0.0.1"])
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Static files come straight from the app and project folders; collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
