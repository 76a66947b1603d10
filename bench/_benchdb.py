"""A database of its own for a benchmark: ``orion_bench`` on the embedded server, or on the
server of ``DATABASE_URL``. Created fresh, dropped at the end."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "orion_bench"


def use_bench_database() -> None:
    """Point Django at a fresh bench database, then set Django up and migrate it."""
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlparse(url)
        os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{BENCH_DB}"))
        import psycopg

        admin_url = urlunparse(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    else:
        os.environ["ORION_DB_NAME"] = BENCH_DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orion.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    # Measure like production: DEBUG keeps (and formats) every query, a cost no server pays.
    settings.DEBUG = False
    if not url:  # a database left by an interrupted or --keep run: start afresh
        drop_bench_database()
        from orion.database import database_settings

        database_settings(base_dir=ROOT)  # creates it again
    from django.core.management import call_command

    from apps.tenancy.template import template_schema_ensure

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    template_schema_ensure()


def drop_bench_database() -> None:
    from django.db import connection, connections

    settings_dict = dict(connection.settings_dict)
    connections.close_all()
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
