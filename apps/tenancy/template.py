"""The template schema new merchants are copied from.

A copy carries the template's migration records, so the template must hold every tenant
migration before it is copied; otherwise the new merchant would miss tables while its records
say they exist. ``template_schema_ensure`` checks that and migrates the template first when it
lags (after a deploy that brought new migrations, say).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context, schema_exists

TEMPLATE_LOCK = "orion:template-schema"


def template_schema_name() -> str:
    return settings.ORION_TEMPLATE_SCHEMA


def template_pending_migrations() -> list[str]:
    """Names of the tenant migrations the template schema still lacks."""
    name = template_schema_name()
    if not schema_exists(name):
        return ["(schema missing)"]
    with schema_context(name):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _advisory(function: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(hashtext(%s))", [TEMPLATE_LOCK])


@contextmanager
def _template_lock() -> Iterator[None]:
    """One process at a time creates or migrates the template (a deploy's release command and
    a sign-up, two web processes...). Inside a transaction the lock is held until it ends, so
    the next process finds the migrated template committed; outside, until we are done."""
    if connection.in_atomic_block:
        _advisory("pg_advisory_xact_lock")
        yield
        return
    _advisory("pg_advisory_lock")
    try:
        yield
    finally:
        _advisory("pg_advisory_unlock")


def template_schema_ensure(*, verbosity: int = 0) -> bool:
    """Create and migrate the template schema when needed. Returns True if it changed."""
    if not template_pending_migrations():
        return False
    with _template_lock():
        # Again, now that no one else migrates it: the process we waited for may have done it.
        if not template_pending_migrations():
            return False
        name = template_schema_name()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{name}"')
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=name,
            interactive=False,
            verbosity=verbosity,
        )
    return True
