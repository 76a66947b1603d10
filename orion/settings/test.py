"""Tests: real PostgreSQL (embedded or DATABASE_URL), mails in Django's outbox, eager Celery."""

from orion.settings.base import *  # noqa: F403

ORION_ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ORION_BASE_DOMAIN = "orion.test"
ORION_PUBLIC_HOSTS = ["orion.test"]
ALLOWED_HOSTS = [".orion.test", "orion.test", "testserver"]
ORION_PROXY_COUNT = 0  # tests that need proxies set their own count
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Argon2 is the production hasher (tested in tests/accounts); tests hash thousands of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CACHES["default"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests point the VIES client at a local fake server (tests/fakes/vies.py); nothing leaves the
# machine, and retries do not wait.
VIES_BASE_URL = "http://127.0.0.1:9/vies-not-started"
VIES_TIMEOUT = 1.0
VIES_RETRY_BACKOFF = 0.0
