"""Checks on the project itself: migrations in step with models, production settings safe."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _prod_settings(env: dict) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='orion.settings.prod';"
        "from django.conf import settings;"
        "print(settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE, settings.DEBUG,"
        " settings.PASSWORD_HASHERS[0].rsplit('.', 1)[1])"
    )
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # not contacted
    result = _prod_settings(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_are_hardened():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    result = _prod_settings(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "False", "Argon2PasswordHasher"]
