"""Races on real parallel connections.

Each call runs in its own thread, hence its own database connection, outside the test's
transaction: what it writes is committed for real. The calls wait at a barrier and are released
together, so they meet inside the services as two parallel requests would.

``race_merchant_create`` provisions a merchant of its own (committed), so that what the threads
commit never reaches the session's merchants; ``race_merchant_drop`` deletes it (the
``race_merchant`` fixture in tests/conftest.py does both).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django_tenants.utils import tenant_context

from apps.tenancy.models import Merchant
from apps.tenancy.services import merchant_archive, merchant_delete, merchant_provision
from tests.factories import PASSWORD

TIMEOUT = 60


@dataclass
class Outcome:
    result: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def code(self) -> str | None:
        return getattr(self.error, "code", None)


def in_parallel(
    *calls: Callable[[], Any],
    merchant: Merchant | None = None,
    behind: Callable[[], Any] | None = None,
) -> list[Outcome]:
    """Run the calls at once, each in its own thread and connection (inside ``merchant``'s
    schema if given); return their outcomes in the order of the calls.

    ``behind``: run first in another connection that keeps its transaction open until every
    call waits for a lock it holds, then rolls back. It may lock rows, or insert the row the
    calls are about to insert (they see nothing yet, then wait on the unique index). The calls
    then all go on at the same instant: an interleaving a lucky schedule would otherwise avoid.
    """
    parties = len(calls) + (1 if behind else 0)
    barrier = threading.Barrier(parties)
    outcomes = [Outcome() for _call in calls]
    holder = Outcome()

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            with tenant_context(merchant) if merchant else nullcontext():
                barrier.wait(timeout=TIMEOUT)
                outcomes[index].result = call()
        except BaseException as exc:  # handed to the test
            outcomes[index].error = exc
        finally:
            connection.close()

    def hold() -> None:
        try:
            with tenant_context(merchant) if merchant else nullcontext(), transaction.atomic():
                behind()
                barrier.wait(timeout=TIMEOUT)
                _wait_until_waiting(len(calls))
                transaction.set_rollback(True)  # leaves nothing behind
        except BaseException as exc:
            holder.error = exc
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    if behind:
        threads.append(threading.Thread(target=hold))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a call hung (deadlock?)"
    assert holder.error is None, (holder.error, outcomes)
    return outcomes


def _wait_until_waiting(count: int) -> None:
    """Return once ``count`` other connections of this database wait for a lock."""
    deadline = time.monotonic() + TIMEOUT / 2
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction pg_stat_activity is a snapshot: take a new one each time.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.01)
        cursor.execute(
            "SELECT pid, state, wait_event_type, wait_event, left(query, 120) "
            "FROM pg_stat_activity "
            "WHERE datname = current_database()"
        )
        seen = cursor.fetchall()
    raise AssertionError(f"the calls did not all wait for a lock ({count} expected): {seen}")


def committed(call: Callable[[], Any], *, merchant: Merchant | None = None) -> Any:
    """Run one call in its own connection, committed; return its result or raise its error."""
    (outcome,) = in_parallel(call, merchant=merchant)
    if outcome.error is not None:
        raise outcome.error
    return outcome.result


def unexpected(outcomes: list[Outcome]) -> list[BaseException]:
    """Errors that are not a domain error with a code: a 500 in production."""
    return [o.error for o in outcomes if o.error is not None and o.code is None]


def race_merchant_create() -> Merchant:
    slug = f"race-{uuid.uuid4().hex[:8]}"
    return committed(
        lambda: merchant_provision(
            slug=slug, name="Race SARL", owner_email=f"owner@{slug}.lu", owner_password=PASSWORD
        )
    )


def race_merchant_drop(merchant: Merchant) -> None:
    def drop():
        row = Merchant.objects.get(pk=merchant.pk)
        merchant_archive(merchant=row)
        merchant_delete(merchant=row, confirmation=row.slug)

    committed(drop)
