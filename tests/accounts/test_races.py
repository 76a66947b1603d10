"""Accounts under parallel requests, on real parallel connections (tests/parallel.py)."""

import pytest
from django.db import IntegrityError, transaction

from apps.accounts.errors import AccountErrorCode
from apps.accounts.models import User
from apps.accounts.services import user_create
from tests.factories import PASSWORD
from tests.parallel import committed, in_parallel, unexpected

pytestmark = pytest.mark.django_db


def test_two_sign_ups_with_one_address_at_once_make_one_account(race_merchant):
    outcomes = in_parallel(
        lambda: user_create(email="twin@race.lu", password=PASSWORD),
        lambda: user_create(email="Twin@Race.lu", password=PASSWORD),
        merchant=race_merchant,
        # Both pass the look-up, then wait on the unique index: the insert decides.
        behind=lambda: User.objects.create(email="twin@race.lu"),
    )
    assert not unexpected(outcomes), outcomes
    assert sorted(o.ok for o in outcomes) == [False, True]
    (refused,) = [o for o in outcomes if not o.ok]
    assert refused.code == AccountErrorCode.EMAIL_TAKEN and refused.error.field == "email"
    count = committed(
        lambda: User.objects.filter(email__iexact="twin@race.lu").count(), merchant=race_merchant
    )
    assert count == 1


def test_the_database_refuses_an_address_that_differs_only_in_case(alpha, in_tenant):
    with in_tenant(alpha.merchant):
        User.objects.create(email="case@example.com")
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(email="CASE@example.com")


def test_two_storefront_sign_ups_with_one_address_at_once(race_merchant, host_client):
    """allauth checks the address in its form, then saves: both pass the check, the unique
    index refuses the second row, and that shopper sees the "verification sent" page too."""
    host = f"shop.{race_merchant.slug}.orion.test"

    def sign_up():
        response = host_client(host).post(
            "/accounts/signup/",
            {
                "email": "twin@race.lu",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "first_name": "Twin",
                "last_name": "Race",
            },
        )
        return response.status_code, response.get("Location")

    outcomes = in_parallel(
        sign_up,
        sign_up,
        merchant=race_merchant,
        behind=lambda: User.objects.create(email="twin@race.lu"),
    )
    assert all(o.ok for o in outcomes), outcomes
    assert [o.result for o in outcomes] == [(302, "/accounts/confirm-email/")] * 2
    count = committed(
        lambda: User.objects.filter(email__iexact="twin@race.lu").count(), merchant=race_merchant
    )
    assert count == 1
