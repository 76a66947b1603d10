"""The shopper's account on a storefront, through HTTP: sign-up with names and marketing choice,
mails in the shopper's language under the store's name, profile, password, address book; and
what a shopper must never reach."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils.html import escape
from django_tenants.utils import tenant_context

from apps.accounts.models import Address, MarketingConsentRecord, ShopperProfile, User
from apps.accounts.services import AddressInput, address_create
from apps.catalog.services import VariantInput, product_create
from apps.tenancy.stores.services import store_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"
ADDRESS = {
    "label": "Home",
    "first_name": "Anne",
    "last_name": "Schmit",
    "line1": "12, rue de l'Alzette",
    "line2": "",
    "postal_code": "L-4011",
    "city": "Esch-sur-Alzette",
    "country": "LU",
    "phone": "",
    "company": "",
    "vat_number": "",
}


def _address_input(**changes) -> AddressInput:
    values = {k: v for k, v in ADDRESS.items() if k in AddressInput.__dataclass_fields__}
    return AddressInput(**{**values, **changes})


def _shopper_client(fixture, host: str | None = None, **user_fields) -> tuple[Client, User]:
    with tenant_context(fixture.merchant):
        user = UserFactory(**user_fields)
        client = Client(HTTP_HOST=host or fixture.storefront_host)
        client.force_login(user, backend=BACKEND)
    return client, user


def _signup(client, headers=None, **changes):
    data = {
        "first_name": "Anne",
        "last_name": "Schmit",
        "email": "anne@example.lu",
        "password1": "Basket-full-88",
        "password2": "Basket-full-88",
    }
    data.update(changes)
    return client.post("/accounts/signup/", data, headers=headers)


# --- Sign-up and mails ----------------------------------------------------------------------


def test_the_signup_page_asks_for_names_and_leaves_marketing_unticked(alpha, host_client):
    html = host_client(alpha.storefront_host).get("/accounts/signup/").content.decode()
    for name in ("first_name", "last_name", "email", "password1", "password2"):
        assert f'name="{name}"' in html
    consent = re.search(r"<input[^>]*name=\"marketing_consent\"[^>]*>", html).group(0)
    assert 'type="checkbox"' in consent and "checked" not in consent
    assert f"Send me news and offers from {alpha.store().name} by email" in html


def test_signup_writes_the_profile_and_mails_in_the_shoppers_language(alpha, host_client):
    store = alpha.store()
    client = host_client(alpha.storefront_host)
    response = _signup(client, {"accept-language": "de"}, marketing_consent="on")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == f"[{store.name}] Bitte bestätige deine E-Mail-Adresse"
    assert f"Hallo von {store.name}!" in message.body
    assert message.from_email.startswith(f'"{store.name}" <') or message.from_email.startswith(
        f"{store.name} <"
    )
    with tenant_context(alpha.merchant):
        user = User.objects.get(email="anne@example.lu")
        profile = ShopperProfile.objects.get(user=user)
        assert user.full_name == "Anne Schmit" and user.language == "de"
        assert profile.signup_store_id == store.pk and profile.marketing_consent
        assert MarketingConsentRecord.objects.get(user=user).source == "signup"


def test_signup_without_names_shows_field_errors_and_creates_nothing(alpha, host_client):
    response = _signup(host_client(alpha.storefront_host), first_name="", last_name=" ")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="errorlist') >= 2 and "This field is required." in html
    assert not mail.outbox
    with tenant_context(alpha.merchant):
        assert not User.objects.filter(email="anne@example.lu").exists()


def test_signup_with_an_address_that_has_an_account_reveals_nothing(alpha, host_client):
    with tenant_context(alpha.merchant):
        UserFactory(email="anne@example.lu")
    response = _signup(host_client(alpha.storefront_host))
    assert response.status_code == 302  # the same answer as a new account
    with tenant_context(alpha.merchant):
        assert User.objects.filter(email="anne@example.lu").count() == 1
        assert not ShopperProfile.objects.exists()


def test_password_reset_mail_is_in_the_language_the_shopper_chose(alpha, host_client):
    store = alpha.store()
    with tenant_context(alpha.merchant):
        UserFactory(email="anne@example.lu", language="fr")
    client = host_client(alpha.storefront_host)
    client.post(
        "/accounts/password/reset/", {"email": "anne@example.lu"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    (message,) = mail.outbox
    assert message.subject.startswith(f"[{store.name}] ")
    assert f"Bonjour, c'est {store.name} !" in message.body
    link = re.search(r"https?://([^/\s]+)/accounts/password/reset/key/", message.body)
    assert link and link.group(1) == alpha.storefront_host


def test_the_pages_of_allauth_wear_the_storefront_layout(alpha, host_client):
    client = host_client(alpha.storefront_host)
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        html = client.get(path).content.decode()
        assert 'class="storefront auth-page"' in html, path
        assert "--primary:" in html  # the store's theme colour
    dashboard = host_client(alpha.dashboard_host).get("/accounts/login/").content.decode()
    assert 'class="dashboard auth-page"' in dashboard and "--primary:" not in dashboard


# --- Account pages -----------------------------------------------------------------------------


def test_account_pages_need_a_login(alpha, host_client):
    client = host_client(alpha.storefront_host)
    for path in (
        "/account/",
        "/account/profile/",
        "/account/addresses/",
        "/account/addresses/new/",
        "/account/addresses/1/",
        "/account/addresses/1/delete/",
        "/accounts/password/change/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/?next="
        ), path
    assert client.post("/account/addresses/1/default/", {"kind": "billing"}).status_code == 302


def test_account_home_shows_the_profile_and_default_addresses(alpha):
    client, user = _shopper_client(alpha, full_name="Anne Schmit")
    with tenant_context(alpha.merchant):
        address_create(user=user, data=_address_input(company="Brasserie Schmit"))
    html = client.get("/account/").content.decode()
    assert "Anne Schmit" in html and user.email in html and "Brasserie Schmit" in html
    assert "You do not receive our news and offers by email." in html
    assert alpha.store().name in html


def test_profile_edit_saves_and_shows_field_errors(alpha):
    client, user = _shopper_client(alpha)
    page = client.get("/account/profile/")
    assert page.status_code == 200 and 'name="phone"' in page.content.decode()
    bad = client.post(
        "/account/profile/",
        {"first_name": "Anne", "last_name": "", "phone": "call me", "language": "de"},
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "This field is required." in html and "Enter a phone number" in html
    good = client.post(
        "/account/profile/",
        {
            "first_name": "Anne",
            "last_name": "Schmit",
            "phone": "+352 621 123 456",
            "language": "de",
            "marketing_consent": "on",
        },
    )
    assert good.status_code == 302 and good["Location"] == "/account/"
    with tenant_context(alpha.merchant):
        user.refresh_from_db()
        profile = ShopperProfile.objects.get(user=user)
        assert user.full_name == "Anne Schmit" and user.language == "de"
        assert profile.phone == "+352 621 123 456" and profile.marketing_consent
        assert MarketingConsentRecord.objects.get(user=user).store_id == alpha.store().pk
    html = client.get("/account/").content.decode()
    assert "You receive our news and offers by email (since" in html


def test_password_change_in_the_account_layout(alpha):
    client, user = _shopper_client(alpha)
    page = client.get("/accounts/password/change/").content.decode()
    assert 'class="tabs account-nav"' in page and 'aria-current="page"' in page
    assert alpha.store().name in page
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Brand-new-pass-5", "password2": "Brand-new-pass-5"},
    )
    assert response.status_code == 302
    with tenant_context(alpha.merchant):
        user.refresh_from_db()
        assert user.check_password("Brand-new-pass-5")
    wrong = client.post(
        "/accounts/password/change/",
        {"oldpassword": "nope", "password1": "Other-pass-77", "password2": "Other-pass-77"},
    )
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()


def test_address_book_create_edit_default_delete(alpha):
    client, user = _shopper_client(alpha)
    form = client.get("/account/addresses/new/").content.decode()
    assert re.search(r'<option value="LU" selected>', form)  # the store's country
    assert 'autocomplete="postal-code"' in form
    response = client.post("/account/addresses/new/", ADDRESS)
    assert response.status_code == 302 and response["Location"] == "/account/addresses/"
    office = {**ADDRESS, "label": "Office", "company": "Brasserie SA", "country": "BE"}
    client.post("/account/addresses/new/", {**office, "vat_number": "be0403170701"})
    with tenant_context(alpha.merchant):
        home, office_row = Address.objects.filter(user=user).order_by("pk")
    assert office_row.vat_number == "BE0403170701"
    listing = client.get("/account/addresses/").content.decode()
    assert "Brasserie SA" in listing and "Default shipping" in listing and "Belgium" in listing

    edited = client.post(f"/account/addresses/{home.pk}/", {**ADDRESS, "city": "Differdange"})
    assert edited.status_code == 302
    client.post(f"/account/addresses/{office_row.pk}/default/", {"kind": "shipping"})
    with tenant_context(alpha.merchant):
        home.refresh_from_db()
        office_row.refresh_from_db()
    assert home.city == "Differdange" and not home.is_default_shipping
    assert office_row.is_default_shipping and home.is_default_billing

    confirm = client.get(f"/account/addresses/{home.pk}/delete/")
    assert confirm.status_code == 200 and "Differdange" in confirm.content.decode()
    assert client.post(f"/account/addresses/{home.pk}/delete/").status_code == 302
    with tenant_context(alpha.merchant):
        assert list(Address.objects.filter(user=user)) == [office_row]
        office_row.refresh_from_db()
        assert office_row.is_default_billing  # it took over the deleted default


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"vat_number": "LU12345678"}, "vat_number", "is not a valid EU VAT number"),
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"postal_code": ""}, "postal_code", "This field is required."),
        ({"city": "x" * 101}, "city", "at most 100 characters"),
        ({"phone": "12"}, "phone", "Enter a phone number"),
    ],
)
def test_a_bad_address_shows_the_error_beside_its_field(alpha, changes, field, message):
    client, user = _shopper_client(alpha)
    response = client.post("/account/addresses/new/", {**ADDRESS, **changes})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    # Django renders a field's errors right above its input, tied by aria-describedby.
    assert f'id="id_{field}_error"' in html
    with tenant_context(alpha.merchant):
        assert not Address.objects.filter(user=user).exists()


# --- What a shopper must never reach ------------------------------------------------------


def test_another_shoppers_address_is_a_404_and_stays_unchanged(alpha):
    client, _me = _shopper_client(alpha)
    with tenant_context(alpha.merchant):
        other = UserFactory()
        theirs = address_create(user=other, data=_address_input(label="Theirs"))
    base = f"/account/addresses/{theirs.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.post(f"{base}/", {**ADDRESS, "label": "Mine now"}).status_code == 404
    assert client.get(f"{base}/delete/").status_code == 404
    assert client.post(f"{base}/delete/").status_code == 404
    assert client.post(f"{base}/default/", {"kind": "shipping"}).status_code == 404
    assert "Theirs" not in client.get("/account/addresses/").content.decode()
    with tenant_context(alpha.merchant):
        theirs.refresh_from_db()
        assert theirs.label == "Theirs" and theirs.user == other


@pytest.mark.parametrize("raw", ["0", "99999999999999999999", "9223372036854775808"])
def test_odd_address_ids_are_404s(alpha, raw):
    client, _user = _shopper_client(alpha)
    assert client.get(f"/account/addresses/{raw}/").status_code == 404
    assert client.post(f"/account/addresses/{raw}/delete/").status_code == 404
    assert client.post(f"/account/addresses/{raw}/default/", {"kind": "x"}).status_code == 404


def test_a_bad_default_kind_is_a_message_not_an_error(alpha):
    client, user = _shopper_client(alpha)
    with tenant_context(alpha.merchant):
        address = address_create(user=user, data=_address_input())
    response = client.post(
        f"/account/addresses/{address.pk}/default/", {"kind": "gift"}, follow=True
    )
    assert (
        response.status_code == 200 and "Choose shipping or billing." in response.content.decode()
    )
    assert client.get(f"/account/addresses/{address.pk}/default/").status_code == 405


def test_another_merchants_host_and_session_get_nothing(alpha, beta):
    client, user = _shopper_client(alpha)
    with tenant_context(alpha.merchant):
        mine = address_create(user=user, data=_address_input(label="Alpha home"))
    # The test client sends the session cookie to every host: on beta it names no session.
    response = client.get("/account/addresses/", HTTP_HOST=beta.storefront_host)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # A shopper of beta, asking beta's host for alpha's address id, finds nothing.
    beta_client, _beta_user = _shopper_client(beta)
    assert beta_client.get(f"/account/addresses/{mine.pk}/").status_code == 404
    assert "Alpha home" not in beta_client.get("/account/addresses/").content.decode()


def test_a_shopper_has_no_dashboard_and_no_store_api(alpha):
    client, _user = _shopper_client(alpha)
    assert client.get("/account/").status_code == 200
    # Same merchant schema, so the session is known on the dashboard host: it is not staff.
    dashboard = client.get("/dashboard/", HTTP_HOST=alpha.dashboard_host)
    assert dashboard.status_code == 403
    for path in ("/dashboard/products/", "/dashboard/settings/"):
        assert client.get(path, HTTP_HOST=alpha.dashboard_host).status_code == 403
    api = client.get("/api/v1/store/products/", HTTP_HOST=alpha.dashboard_host)
    assert api.status_code in (401, 403)


def test_every_account_form_needs_its_csrf_token(alpha):
    client, user = _shopper_client(alpha)
    with tenant_context(alpha.merchant):
        address = address_create(user=user, data=_address_input())
    strict = Client(HTTP_HOST=alpha.storefront_host, enforce_csrf_checks=True)
    strict.cookies = client.cookies
    posts = {
        "/account/profile/": {"first_name": "X", "last_name": "Y", "language": "fr"},
        "/account/addresses/new/": ADDRESS,
        f"/account/addresses/{address.pk}/": ADDRESS,
        f"/account/addresses/{address.pk}/default/": {"kind": "billing"},
        f"/account/addresses/{address.pk}/delete/": {},
        "/accounts/password/change/": {"oldpassword": PASSWORD},
        "/accounts/signup/": {"email": "csrf@example.lu"},
    }
    for path, data in posts.items():
        assert strict.post(path, data).status_code == 403, path
    # The pages do carry the token for their forms.
    assert "csrfmiddlewaretoken" in strict.get("/account/addresses/").content.decode()
    with tenant_context(alpha.merchant):
        assert Address.objects.filter(user=user).count() == 1


def test_one_account_for_the_merchants_stores_each_host_showing_only_its_store(alpha):
    with tenant_context(alpha.merchant):
        outlet = store_create(merchant=alpha.merchant, name="Alpha Outlet", slug="outlet")
        product_create(
            store=outlet, names={"fr": "Fin de série"}, variants=[VariantInput(sku="O", price="5")]
        )
    outlet_host = f"outlet.{alpha.dashboard_host}"
    client = Client(HTTP_HOST=outlet_host)
    assert _signup(client).status_code == 302
    with tenant_context(alpha.merchant):
        user = User.objects.get(email="anne@example.lu")
        assert ShopperProfile.objects.get(user=user).signup_store_id == outlet.pk
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=user).update(verified=True)
    # The account is the merchant's: it signs in on the other store too ...
    shop = Client(HTTP_HOST=alpha.storefront_host)
    login = shop.post(
        "/accounts/login/", {"login": "anne@example.lu", "password": "Basket-full-88"}
    )
    assert login.status_code == 302 and login["Location"] == "/account/"
    # ... where every page is that store's own.
    html = shop.get("/account/").content.decode()
    assert alpha.store().name in html and "Alpha Outlet" not in html
    assert shop.get("/p/fin-de-serie/").status_code == 404
    assert client.get("/p/fin-de-serie/").status_code == 200


def test_sign_out_from_the_account_page(alpha):
    client, _user = _shopper_client(alpha)
    page = client.get("/account/").content.decode()
    assert 'action="/accounts/logout/"' in page
    assert client.get("/accounts/logout/").status_code == 200  # a GET only asks to confirm
    assert client.get("/account/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302


def test_a_staff_member_without_a_profile_sees_the_account_pages(alpha, staff_client):
    _dashboard, member = staff_client(alpha, "staff")
    with tenant_context(alpha.merchant):
        client = Client(HTTP_HOST=alpha.storefront_host)
        client.force_login(member.user, backend=BACKEND)
    for path in ("/account/", "/account/profile/", "/account/addresses/"):
        assert client.get(path).status_code == 200, path
    first_name = member.user.full_name.partition(" ")[0]
    assert f'value="{escape(first_name)}"' in client.get("/account/profile/").content.decode()
