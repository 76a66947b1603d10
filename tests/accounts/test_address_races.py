"""Address books under parallel requests, on real parallel connections (tests/parallel.py):
switching the default from two tabs at once never breaks the one-default rule nor answers a
server error."""

import pytest

from apps.accounts.models import Address, User
from apps.accounts.services import AddressInput, address_create, address_set_default
from tests.parallel import committed, in_parallel, unexpected

pytestmark = pytest.mark.django_db

ADDRESS = AddressInput(
    first_name="Anne",
    last_name="Schmit",
    line1="1, rue Neuve",
    postal_code="L-1111",
    city="Luxembourg",
    country="LU",
)


def _book(merchant) -> tuple[User, list[int]]:
    def make():
        user = User.objects.create_user("racer@example.lu", "x")
        ids = [address_create(user=user, data=ADDRESS).pk for _ in range(3)]
        return user, ids

    return committed(make, merchant=merchant)


def _defaults(merchant, user, kind: str) -> list[int]:
    return committed(
        lambda: list(
            Address.objects.filter(user=user, **{f"is_default_{kind}": True}).values_list(
                "pk", flat=True
            )
        ),
        merchant=merchant,
    )


def test_two_tabs_switching_the_default_at_once_leave_exactly_one(race_merchant):
    user, (first, second, third) = _book(race_merchant)
    outcomes = in_parallel(
        lambda: address_set_default(user=user, address_id=second, kind="shipping"),
        lambda: address_set_default(user=user, address_id=third, kind="shipping"),
        merchant=race_merchant,
        # Both calls wait on the address book's lock, then go on at the same instant.
        behind=lambda: list(User.objects.select_for_update().filter(pk=user.pk)),
    )
    assert not unexpected(outcomes), outcomes
    assert all(o.ok for o in outcomes), outcomes
    assert _defaults(race_merchant, user, "shipping") in ([second], [third])
    assert _defaults(race_merchant, user, "billing") == [first]


def test_first_addresses_added_at_once_make_one_default(race_merchant):
    user = committed(
        lambda: User.objects.create_user("twins@example.lu", "x"), merchant=race_merchant
    )
    outcomes = in_parallel(
        *[lambda: address_create(user=user, data=ADDRESS) for _ in range(4)],
        merchant=race_merchant,
    )
    assert not unexpected(outcomes), outcomes
    assert all(o.ok for o in outcomes), outcomes
    assert len(_defaults(race_merchant, user, "shipping")) == 1
    assert len(_defaults(race_merchant, user, "billing")) == 1
