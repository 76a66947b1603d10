"""Small database helpers shared by the services: which constraint refused a row, and
transaction-scoped advisory locks.

A service that inserts a row which must be unique does not check first and insert after (two
parallel requests would both pass the check): it inserts inside a savepoint and turns the
database's refusal into its own clear error. ``violated_constraint`` says which constraint it
was, so that one refusal (a taken slug) is not mistaken for another.
"""

from __future__ import annotations

from django.db import IntegrityError, connection


def violated_constraint(error: IntegrityError) -> str:
    """The name of the unique, exclusion or check constraint behind ``error`` ("" if unknown)."""
    diag = getattr(error.__cause__, "diag", None)
    return (getattr(diag, "constraint_name", None) or "") if diag is not None else ""


def advisory_xact_lock(key: str) -> None:
    """Wait for, then hold until the transaction ends, the merchant's lock named ``key``.

    For work that is "read, then decide, then write" over several rows (a tree of categories,
    a threshold): every caller that takes the same lock runs one after the other. The schema
    is part of the name, so merchants never wait for each other.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:{key}"]
        )
