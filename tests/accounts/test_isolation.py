"""A merchant's accounts, sessions and data never reach another merchant's host."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings
from django_tenants.utils import tenant_context

from apps.accounts.models import User
from apps.tenancy.stores.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_owner_logs_in_on_their_own_dashboard_host(alpha, host_client):
    client = host_client(alpha.dashboard_host)
    response = _login(client, alpha.owner_email)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_same_email_and_password_do_not_work_on_another_merchant_host(alpha, beta, host_client):
    client = host_client(beta.dashboard_host)
    response = _login(client, alpha.owner_email)
    assert response.status_code == 200  # the form again, with an error
    assert "not correct" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_a_session_of_merchant_a_is_anonymous_on_merchant_b(alpha, beta, host_client):
    client = host_client(alpha.dashboard_host)
    _login(client, alpha.owner_email)
    assert client.get("/dashboard/").status_code == 200

    # The Django test client sends its cookies to every host: the session key reaches beta's
    # host and must find nothing there.
    response = client.get("/dashboard/", HTTP_HOST=beta.dashboard_host)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_staff_session_does_not_open_the_platform_console(alpha, host_client):
    client = host_client(alpha.dashboard_host)
    _login(client, alpha.owner_email)
    response = client.get("/admin/", HTTP_HOST="orion.test")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_users_of_one_merchant_are_invisible_in_another(alpha, beta):
    with tenant_context(alpha.merchant):
        UserFactory(email="only-in-alpha@example.com")
        assert User.objects.filter(email="only-in-alpha@example.com").exists()
    with tenant_context(beta.merchant):
        assert not User.objects.filter(email="only-in-alpha@example.com").exists()
        assert list(User.objects.values_list("email", flat=True)) == [beta.owner_email]
    assert not User.objects.filter(email="only-in-alpha@example.com").exists()  # public


def test_the_same_email_can_be_a_separate_account_at_two_merchants(alpha, beta, host_client):
    for fixture, password in ((alpha, "Alpha-pass-991"), (beta, "Beta-pass-992")):
        with tenant_context(fixture.merchant):
            UserFactory(email="shopper@example.com", password=password)
    client = host_client(alpha.storefront_host)
    assert _login(client, "shopper@example.com", "Beta-pass-992").status_code == 200
    assert _login(client, "shopper@example.com", "Alpha-pass-991").status_code == 302


def test_shoppers_sign_up_on_storefronts_but_not_on_dashboards(alpha, host_client):
    assert host_client(alpha.storefront_host).get("/accounts/signup/").status_code == 200
    closed = host_client(alpha.dashboard_host).get("/accounts/signup/")
    assert "closed" in closed.content.decode().lower()


def test_a_shopper_account_cannot_enter_the_dashboard(alpha, host_client):
    with tenant_context(alpha.merchant):
        UserFactory(email="buyer@example.com")
    client = host_client(alpha.dashboard_host)
    assert _login(client, "buyer@example.com").status_code == 302
    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "not a member of this merchant" in response.content.decode()


def test_failed_logins_are_throttled_per_merchant(alpha, beta, host_client):
    client = host_client(alpha.dashboard_host)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, alpha.owner_email, "wrong-password")
    locked = _login(client, alpha.owner_email)  # right password, but locked out now
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert client.get("/dashboard/").status_code == 302
    # Another merchant's users are not affected.
    beta_client = host_client(beta.dashboard_host)
    assert _login(beta_client, beta.owner_email).status_code == 302


def test_passwords_are_hashed_with_argon2_in_production():
    from orion.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("s3cret-value")
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("s3cret-value", encoded)


def test_owner_role_is_recorded(alpha):
    with tenant_context(alpha.merchant):
        owner = User.objects.get(email=alpha.owner_email)
        assert owner.staff_membership.role == Role.OWNER
