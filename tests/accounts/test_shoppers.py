"""Shopper profiles and address books: the accounts services and selectors."""

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from apps.accounts.errors import AccountError, AccountErrorCode
from apps.accounts.models import Address, AddressKind, MarketingConsentRecord, ShopperProfile
from apps.accounts.selectors import (
    address_default,
    address_get,
    address_list,
    marketing_consent_history,
    shopper_profile_get,
)
from apps.accounts.services import (
    ADDRESS_BOOK_LIMIT,
    AddressInput,
    address_create,
    address_delete,
    address_set_default,
    address_update,
    shopper_profile_update,
    shopper_signup_complete,
    user_claim_by_email_proof,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _address(**changes) -> AddressInput:
    values = {
        "first_name": "Anne",
        "last_name": "Schmit",
        "line1": "12, rue de l'Alzette",
        "postal_code": "L-4011",
        "city": "Esch-sur-Alzette",
        "country": "LU",
    }
    values.update(changes)
    return AddressInput(**values)


@pytest.fixture
def shopper(alpha):
    with tenant_context(alpha.merchant):
        yield UserFactory(email="anne@example.lu", full_name="")


def _refused(code, field=None):
    class Refusal:
        def __enter__(self):
            self.raised = pytest.raises(AccountError)
            self.info = self.raised.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.raised.__exit__(*exc)
            assert self.info.value.code == code, self.info.value.code
            assert self.info.value.field == field, self.info.value.field
            return handled

    return Refusal()


# --- Profile -----------------------------------------------------------------------------------


def test_sign_up_writes_the_profile_names_language_and_store(shopper, alpha):
    store = alpha.store()
    profile = shopper_signup_complete(
        user=shopper,
        first_name=" Anne ",
        last_name="Schmit",
        language="de",
        marketing_consent=True,
        store_id=store.pk,
    )
    shopper.refresh_from_db()
    assert (profile.first_name, profile.last_name) == ("Anne", "Schmit")
    assert shopper.full_name == "Anne Schmit" and shopper.language == "de"
    assert profile.signup_store_id == store.pk
    assert profile.marketing_consent and profile.marketing_consent_changed_at is not None
    (record,) = marketing_consent_history(user=shopper)
    assert record.given and record.source == "signup" and record.store_id == store.pk


def test_sign_up_without_consent_records_nothing_to_prove(shopper, alpha):
    profile = shopper_signup_complete(
        user=shopper,
        first_name="Anne",
        last_name="Schmit",
        language="fr",
        marketing_consent=False,
        store_id=alpha.store().pk,
    )
    assert not profile.marketing_consent and profile.marketing_consent_changed_at is None
    assert not MarketingConsentRecord.objects.exists()


def test_consent_given_then_withdrawn_is_dated_and_recorded_once_each(shopper, alpha):
    store_id = alpha.store().pk
    common = {"user": shopper, "first_name": "Anne", "last_name": "Schmit", "language": "fr"}
    common["phone"] = "+352 621 123 456"
    given = shopper_profile_update(**common, marketing_consent=True, store_id=store_id)
    given_at = given.marketing_consent_changed_at
    again = shopper_profile_update(**common, marketing_consent=True)
    assert again.marketing_consent_changed_at == given_at  # unchanged consent: same date
    withdrawn = shopper_profile_update(**common, marketing_consent=False, store_id=store_id)
    assert not withdrawn.marketing_consent and withdrawn.marketing_consent_changed_at > given_at
    assert [r.given for r in marketing_consent_history(user=shopper)] == [False, True]
    assert ShopperProfile.objects.get(user=shopper).phone == "+352 621 123 456"
    assert withdrawn.signup_store_id is None  # only a sign-up says where the account was made


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"first_name": "  "}, AccountErrorCode.FIELD_REQUIRED, "first_name"),
        ({"last_name": ""}, AccountErrorCode.FIELD_REQUIRED, "last_name"),
        ({"first_name": "x" * 101}, AccountErrorCode.FIELD_INVALID, "first_name"),
        ({"phone": "call me"}, AccountErrorCode.FIELD_INVALID, "phone"),
        ({"phone": "+352 ６２１ 123"}, AccountErrorCode.FIELD_INVALID, "phone"),
        ({"language": "xx"}, AccountErrorCode.LANGUAGE_INVALID, "language"),
    ],
)
def test_profile_refuses_bad_values_and_writes_nothing(shopper, changes, code, field):
    values = {"first_name": "Anne", "last_name": "Schmit", "language": "fr", "phone": ""}
    values.update(changes)
    with _refused(code, field):
        shopper_profile_update(user=shopper, marketing_consent=True, **values)
    assert not ShopperProfile.objects.filter(user=shopper).exists()


def test_an_account_without_a_profile_reads_an_empty_one_from_its_full_name(alpha):
    with tenant_context(alpha.merchant):
        staff = UserFactory(full_name="Claire Weber")
        profile = shopper_profile_get(user=staff)
    assert profile.pk is None and (profile.first_name, profile.last_name) == ("Claire", "Weber")
    assert not profile.marketing_consent


# --- Address book ------------------------------------------------------------------------------


def test_the_first_address_is_the_default_of_both_kinds(shopper):
    first = address_create(user=shopper, data=_address(label="Home"))
    second = address_create(user=shopper, data=_address(label="Office", city="Luxembourg"))
    assert first.is_default_shipping and first.is_default_billing
    assert not second.is_default_shipping and not second.is_default_billing
    assert address_default(user=shopper, kind=AddressKind.SHIPPING) == first
    assert list(address_list(user=shopper)) == [first, second]


def test_a_new_or_edited_address_can_take_over_one_default(shopper):
    home = address_create(user=shopper, data=_address(label="Home"))
    office = address_create(user=shopper, data=_address(label="Office"), default_billing=True)
    home.refresh_from_db()
    assert home.is_default_shipping and not home.is_default_billing
    assert office.is_default_billing and not office.is_default_shipping
    address_update(
        user=shopper, address_id=office.pk, data=_address(label="Office"), default_shipping=True
    )
    assert address_default(user=shopper, kind="shipping") == office
    assert address_default(user=shopper, kind="billing") == office
    # Leaving the box unticked on an edit never takes a default away.
    address_update(user=shopper, address_id=office.pk, data=_address(label="Bureau"))
    office.refresh_from_db()
    assert office.label == "Bureau" and office.is_default_shipping and office.is_default_billing


def test_set_default_switches_exactly_one_flag(shopper):
    home = address_create(user=shopper, data=_address())
    office = address_create(user=shopper, data=_address(city="Luxembourg"))
    address_set_default(user=shopper, address_id=office.pk, kind=AddressKind.SHIPPING)
    home.refresh_from_db()
    office.refresh_from_db()
    assert office.is_default_shipping and not home.is_default_shipping
    assert home.is_default_billing and not office.is_default_billing
    with _refused(AccountErrorCode.ADDRESS_KIND_INVALID, "kind"):
        address_set_default(user=shopper, address_id=home.pk, kind="gift")


def test_deleting_a_default_hands_it_to_the_most_recent_other_address(shopper):
    home = address_create(user=shopper, data=_address(label="Home"))
    address_create(user=shopper, data=_address(label="Office"))
    parents = address_create(user=shopper, data=_address(label="Parents"))
    address_delete(user=shopper, address_id=home.pk)
    assert address_default(user=shopper, kind="shipping") == parents
    assert address_default(user=shopper, kind="billing") == parents
    assert Address.objects.filter(user=shopper).count() == 2


def test_address_values_are_normalised(shopper):
    address = address_create(
        user=shopper,
        data=_address(country="be", vat_number="be 0403.170.701", company=" Brasserie SA "),
    )
    address.refresh_from_db()
    assert address.country.code == "BE" and address.vat_number == "BE0403170701"
    assert address.company == "Brasserie SA"
    greek = address_create(user=shopper, data=_address(country="GR", vat_number="el094259216"))
    assert greek.vat_number == "EL094259216"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"city": ""}, AccountErrorCode.FIELD_REQUIRED, "city"),
        ({"line1": "   "}, AccountErrorCode.FIELD_REQUIRED, "line1"),
        ({"country": ""}, AccountErrorCode.FIELD_REQUIRED, "country"),
        ({"country": "XX"}, AccountErrorCode.COUNTRY_INVALID, "country"),
        ({"country": "Luxembourg"}, AccountErrorCode.FIELD_INVALID, "country"),
        ({"postal_code": "1" * 21}, AccountErrorCode.FIELD_INVALID, "postal_code"),
        ({"vat_number": "LU12345678"}, AccountErrorCode.VAT_NUMBER_INVALID, "vat_number"),
        ({"vat_number": "US123456789"}, AccountErrorCode.VAT_NUMBER_INVALID, "vat_number"),
        ({"phone": "12"}, AccountErrorCode.FIELD_INVALID, "phone"),
    ],
)
def test_bad_addresses_are_refused_with_the_field_named(shopper, changes, code, field):
    with _refused(code, field):
        address_create(user=shopper, data=_address(**changes))
    assert not Address.objects.filter(user=shopper).exists()


def test_the_address_book_has_a_limit(shopper):
    Address.objects.bulk_create(
        Address(user=shopper, **{**_address().__dict__}) for _ in range(ADDRESS_BOOK_LIMIT)
    )
    with _refused(AccountErrorCode.ADDRESS_LIMIT_REACHED):
        address_create(user=shopper, data=_address())


def test_another_shoppers_address_is_not_found_and_stays_unchanged(shopper, alpha):
    with tenant_context(alpha.merchant):
        other = UserFactory(email="other@example.lu")
        theirs = address_create(user=other, data=_address(label="Theirs"))
        address_create(user=shopper, data=_address(label="Mine"))
        for call in (
            lambda: address_update(user=shopper, address_id=theirs.pk, data=_address(label="X")),
            lambda: address_delete(user=shopper, address_id=theirs.pk),
            lambda: address_set_default(user=shopper, address_id=theirs.pk, kind="billing"),
        ):
            with _refused(AccountErrorCode.ADDRESS_NOT_FOUND):
                call()
        theirs.refresh_from_db()
        assert theirs.label == "Theirs" and theirs.is_default_billing
        assert address_get(user=shopper, address_id=theirs.pk) is None
        assert address_default(user=other, kind="billing") == theirs


@pytest.mark.parametrize("raw", [None, "", "abc", "0", "-1", "²", str(10**20), "1\x00"])
def test_address_get_reads_odd_ids_as_none(shopper, raw):
    assert address_get(user=shopper, address_id=raw) is None


def test_odd_ids_in_services_are_not_found(shopper):
    with _refused(AccountErrorCode.ADDRESS_NOT_FOUND):
        address_delete(user=shopper, address_id=10**20)


def test_the_database_allows_one_default_of_each_kind(shopper):
    address_create(user=shopper, data=_address())
    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.create(user=shopper, is_default_shipping=True, **_address().__dict__)
    with pytest.raises(IntegrityError), transaction.atomic():
        Address.objects.create(user=shopper, is_default_billing=True, **_address().__dict__)
    # Another shopper has defaults of their own.
    Address.objects.create(user=UserFactory(), is_default_shipping=True, **_address().__dict__)


def test_claiming_an_unproven_account_drops_what_its_holder_wrote(shopper, alpha):
    """Someone signed up with another's address, wrote a profile and addresses, and never
    confirmed it; the owner proves the address (an invitation link) and takes the account."""
    shopper_signup_complete(
        user=shopper,
        first_name="Sam",
        last_name="Squatter",
        language="de",
        marketing_consent=True,
        store_id=alpha.store().pk,
    )
    address_create(user=shopper, data=_address(first_name="Sam"))
    user_claim_by_email_proof(user=shopper, password="Fresh-Pass-77", full_name="Nina New")
    shopper.refresh_from_db()
    assert shopper.full_name == "Nina New" and shopper.language == ""
    assert not ShopperProfile.objects.filter(user=shopper).exists()
    assert not marketing_consent_history(user=shopper).exists()
    assert not address_list(user=shopper).exists()
