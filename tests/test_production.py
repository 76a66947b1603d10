"""Production settings are safe by default: every Procfile process runs with them, they refuse
to start half-configured, and `manage.py check --deploy` finds nothing to say about them.

Each check runs a fresh interpreter: settings are read once per process."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.tenancy.models import Merchant

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Kq8v-Zt3wN5xR7yB1mC9pL2dF4gH6jS0aE3uW8iO5tY7rU1eQ4zX6cV9bN2mA0sD"
PROD_ENV = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "orion.example,.orion.example",
    "ORION_BASE_DOMAIN": "orion.example",
    "ORION_PROXY_COUNT": "1",
    "DATABASE_URL": "postgres://orion@127.0.0.1:1/orion",  # never contacted by these checks
    "EMAIL_HOST": "smtp.orion.example",
    "EMAIL_HOST_PASSWORD": "mail-password-never-printed",
}
# Variables a developer's shell may hold that would change what is being tested.
_CLEARED = {
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_BACKEND",
    "DJANGO_HSTS_PRELOAD",
    "DJANGO_SECURE_SSL_REDIRECT",
    *PROD_ENV,
}


def _environment(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(PROD_ENV)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


SETTINGS_PRINT = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'orion.settings.prod'\n"
    "from django.conf import settings as s\n"
    "print(repr({name: getattr(s, name, None) for name in NAMES}))\n"
)


def _prod_settings(names: list[str], **changes: str | None) -> dict:
    result = _python(f"NAMES = {names!r}\n" + SETTINGS_PRINT, _environment(**changes))
    assert result.returncode == 0, result.stderr
    return eval(result.stdout)  # noqa: S307 (the repr our own code printed)


# --- The Procfile --------------------------------------------------------------------------


def _procfile() -> dict[str, str]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            processes[name.strip()] = command.strip()
    return processes


def test_the_procfile_has_the_four_processes():
    assert set(_procfile()) == {"release", "web", "worker", "beat"}


def _programs(command: str) -> list[str]:
    """The programs a command line starts (after any `export` and VAR=value words)."""
    programs = []
    for part in command.split("&&"):
        words = [w for w in shlex.split(part) if "=" not in w and w != "export"]
        if words:
            programs.append(words[0])
    return programs


@pytest.mark.parametrize("inherited", [None, "orion.settings.dev"])
@pytest.mark.parametrize("process", ["release", "web", "worker", "beat"])
def test_every_procfile_process_runs_with_the_production_settings(process, inherited, tmp_path):
    """Run the process's command line in a shell, as the platform does, with stand-ins for the
    programs it starts: each stand-in records the settings module it was given. Whether the
    variable is unset or left at the development settings, every program gets production."""
    log = tmp_path / "started.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("python", "gunicorn", "celery"):
        stand_in = bin_dir / program
        stand_in.write_text(
            '#!/bin/sh\necho "$(basename "$0") $1 ${DJANGO_SETTINGS_MODULE:-unset}" >> "$LOG"\n'
        )
        stand_in.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "LOG": str(log)}
    if inherited:
        env["DJANGO_SETTINGS_MODULE"] = inherited
    command = _procfile()[process]
    result = subprocess.run(  # noqa: S603 (the project's own Procfile)
        ["/bin/sh", "-c", command], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    started = log.read_text().splitlines()
    assert len(started) == len(_programs(command)) >= 1
    assert all(line.endswith(" orion.settings.prod") for line in started), started


@pytest.mark.parametrize(
    ("module", "code"),
    [
        ("orion.wsgi", "import orion.wsgi"),
        ("orion.asgi", "import orion.asgi"),
        ("orion.celery", "import django, orion.celery; django.setup()"),
    ],
)
def test_the_application_modules_default_to_production(module, code):
    """Started without the variable (by hand, or by another process manager), the web and
    Celery entry points choose the production settings; only manage.py defaults to dev."""
    result = _python(
        code + "; from django.conf import settings; print(settings.SETTINGS_MODULE)",
        _environment(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "orion.settings.prod"


# --- Refusing to start ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is not set."),
        ({"DJANGO_SECRET_KEY": "short-and-guessable"}, "DJANGO_SECRET_KEY must be at least 50"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS is not set."),
        ({"DJANGO_ALLOWED_HOSTS": "*"}, "DJANGO_ALLOWED_HOSTS must name the hosts, not '*'"),
        (
            {"DJANGO_ALLOWED_HOSTS": "orion.example"},
            "must include the platform domain and the merchant wildcard: "
            "orion.example,.orion.example",
        ),
        ({"EMAIL_HOST": None}, "EMAIL_HOST is not set"),
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            "does not send mail",
        ),
        ({"ORION_BASE_DOMAIN": None}, "ORION_BASE_DOMAIN is not set."),
        ({"ORION_PROXY_COUNT": None}, "ORION_PROXY_COUNT is not set."),
        ({"DATABASE_URL": None}, "DATABASE_URL is not set."),
    ],
)
def test_production_settings_refuse_to_start_half_configured(changes, message):
    result = _python(SETTINGS_PRINT.replace("NAMES", "['DEBUG']"), _environment(**changes))
    assert result.returncode != 0
    assert "ImproperlyConfigured: orion.settings.prod cannot start" in result.stderr
    assert message in result.stderr
    assert "See docs/operations.md" in result.stderr
    # The message names variables, never their values.
    for secret in (SECRET, PROD_ENV["EMAIL_HOST_PASSWORD"]):
        assert secret not in result.stderr


def test_every_missing_variable_is_named_at_once():
    result = _python(
        SETTINGS_PRINT.replace("NAMES", "['DEBUG']"),
        _environment(DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None, EMAIL_HOST=None),
    )
    assert result.returncode != 0
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "EMAIL_HOST"):
        assert f"{name} is not set" in result.stderr


def test_another_sending_backend_needs_no_smtp_host():
    values = _prod_settings(
        ["EMAIL_BACKEND"], EMAIL_HOST=None, EMAIL_BACKEND="anymail.backends.postmark.EmailBackend"
    )
    assert values["EMAIL_BACKEND"] == "anymail.backends.postmark.EmailBackend"


# --- What production looks like ---------------------------------------------------------------


def test_production_settings_are_hardened():
    names = [
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ORION_ENVIRONMENT", "ORION_PUBLIC_HOSTS",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH",
        "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_DOMAIN", "CSRF_COOKIE_PATH",
        "SILENCED_SYSTEM_CHECKS", "DEFAULT_FROM_EMAIL", "MIDDLEWARE",
    ]  # fmt: skip
    values = _prod_settings(names)
    assert values["DEBUG"] is False and values["SECRET_KEY"] == SECRET
    assert values["ALLOWED_HOSTS"] == ["orion.example", ".orion.example"]
    assert values["ORION_ENVIRONMENT"] == "production"
    assert values["ORION_PUBLIC_HOSTS"] == ["orion.example"]
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    # "__Host-" cookies: browsers accept them only Secure, on Path=/ and without a Domain.
    for cookie in ("SESSION", "CSRF"):
        assert values[f"{cookie}_COOKIE_NAME"].startswith("__Host-")
        assert values[f"{cookie}_COOKIE_SECURE"] is True
        assert values[f"{cookie}_COOKIE_DOMAIN"] is None
        assert values[f"{cookie}_COOKIE_PATH"] == "/"
    assert values["SILENCED_SYSTEM_CHECKS"] == []
    assert values["DEFAULT_FROM_EMAIL"] == "Orion <no-reply@orion.example>"
    assert "orion.csp.OrionCSPMiddleware" in values["MIDDLEWARE"]


def test_without_a_proxy_the_forwarded_scheme_is_not_believed():
    values = _prod_settings(["SECURE_PROXY_SSL_HEADER", "ORION_PROXY_COUNT"], ORION_PROXY_COUNT="0")
    assert values == {"SECURE_PROXY_SSL_HEADER": None, "ORION_PROXY_COUNT": 0}


def test_check_deploy_is_clean_under_the_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_environment(DJANGO_SETTINGS_MODULE="orion.settings.prod"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# --- The demo -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_refuses_production(settings):
    settings.ORION_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="refuses to run with the production settings"):
        call_command("load_demo")
    assert not Merchant.objects.filter(slug="demo").exists()
