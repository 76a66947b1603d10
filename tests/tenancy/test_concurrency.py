"""Provisioning races, on real parallel connections (each thread has its own connection, which
commits for real, outside the test's transaction)."""

import threading

import pytest
from django.db import connection

from apps.tenancy.errors import TenancyError, TenancyErrorCode
from apps.tenancy.models import Merchant
from apps.tenancy.services import merchant_archive, merchant_delete, merchant_provision

pytestmark = pytest.mark.django_db


def _in_thread(fn):
    """Run fn in a new thread with its own database connection; return (result, error)."""
    box = {}

    def run():
        try:
            box["result"] = fn()
        except Exception as exc:  # reported to the test
            box["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def test_two_provisionings_of_one_slug_at_once_make_exactly_one_merchant():
    barrier = threading.Barrier(2)

    def provision(n):
        def go():
            barrier.wait()
            return merchant_provision(slug="race", name=f"Racer {n}", owner_email=f"o{n}@race.lu")

        return go

    runs = [_in_thread(provision(n)) for n in (1, 2)]
    for thread, _box in runs:
        thread.join(timeout=60)
    boxes = [box for _thread, box in runs]
    try:
        winners = [box["result"] for box in boxes if "result" in box]
        errors = [box["error"] for box in boxes if "error" in box]
        assert len(winners) == 1 and len(errors) == 1, boxes
        assert isinstance(errors[0], TenancyError)
        assert errors[0].code == TenancyErrorCode.SLUG_TAKEN
        assert Merchant.objects.filter(slug="race").count() == 1
    finally:

        def cleanup():
            merchant = Merchant.objects.filter(slug="race").first()
            if merchant:
                merchant_archive(merchant=merchant)
                merchant_delete(merchant=merchant, confirmation="race")

        thread, box = _in_thread(cleanup)
        thread.join(timeout=60)
        assert "error" not in box, box
