"""Production: everything secret or deployment-specific comes from the environment.

Every process of the Procfile runs with these settings. They refuse to load, with one message
naming every missing or unsafe variable (never a value), rather than start half-configured:
docs/operations.md lists the variables.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from orion.settings.env import env_bool, env_int, env_list, env_missing, env_str

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# Backends that keep mails on the server: invitations and password resets would never arrive.
LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}
REQUIRED = [
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "ORION_BASE_DOMAIN",
    "ORION_PROXY_COUNT",
    "DATABASE_URL",
]


def _problems() -> list[str]:
    problems = [f"{name} is not set." for name in env_missing(REQUIRED)]
    if len(env_str("DJANGO_SECRET_KEY").strip()) in range(1, 50):
        problems.append("DJANGO_SECRET_KEY must be at least 50 random characters.")
    base = env_str("ORION_BASE_DOMAIN").strip().lower()
    hosts = env_list("DJANGO_ALLOWED_HOSTS")
    if "*" in hosts:
        problems.append("DJANGO_ALLOWED_HOSTS must name the hosts, not '*'.")
    elif (
        base
        and hosts
        and not (validate_host(base, hosts) and validate_host(f"merchant.{base}", hosts))
    ):
        problems.append(
            f"DJANGO_ALLOWED_HOSTS must include the platform domain and the merchant wildcard: "
            f"{base},.{base}"
        )
    backend = env_str("EMAIL_BACKEND", SMTP_BACKEND)
    if backend in LOCAL_EMAIL_BACKENDS:
        problems.append(f"EMAIL_BACKEND {backend} does not send mail; use SMTP or a mail service.")
    elif backend == SMTP_BACKEND and env_missing(["EMAIL_HOST"]):
        problems.append("EMAIL_HOST is not set (the SMTP server that sends Orion's mail).")
    return problems


if _problems_found := _problems():
    raise ImproperlyConfigured(
        "orion.settings.prod cannot start:\n  - "
        + "\n  - ".join(_problems_found)
        + "\nSee docs/operations.md (for development, use DJANGO_SETTINGS_MODULE="
        "orion.settings.dev)."
    )

# Imported only now: base.py opens the database settings, and without DATABASE_URL it would
# start the embedded development server.
from orion.settings.base import *  # noqa: E402, F403

ORION_ENVIRONMENT = "production"
DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"].strip()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
ORION_BASE_DOMAIN = env_str("ORION_BASE_DOMAIN").strip().lower()
ORION_PUBLIC_HOSTS = [ORION_BASE_DOMAIN, *env_list("ORION_EXTRA_PUBLIC_HOSTS")]
ORION_URL_SCHEME = env_str("ORION_URL_SCHEME", "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", SMTP_BACKEND)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"Orion <no-reply@{ORION_BASE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Behind ORION_PROXY_COUNT reverse proxies (base.py) the first one terminates TLS and sets
# X-Forwarded-Proto; with none, a client could send that header itself, so it is not believed.
if ORION_PROXY_COUNT:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Every host Orion answers on is HTTPS-only (the platform, merchants, stores), so the domain
# may be preloaded; DJANGO_HSTS_PRELOAD=0 opts out (and `check --deploy` then says so).
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: "__Host-" names make browsers refuse them unless Secure, Path=/ and without Domain,
# so no other host (another merchant's subdomain) can set or shadow them.
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
