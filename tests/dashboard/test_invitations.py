import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django_tenants.utils import tenant_context

from apps.accounts.models import User
from apps.tenancy.stores.models import StaffInvitation, StaffMember
from apps.tenancy.stores.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=False)


def _invite(client, email="new@alpha.lu", role=Role.MANAGER):
    return client.post("/dashboard/settings/staff/", {"email": email, "role": role})


def _link_path(message) -> str:
    url = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def captured_on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_invitation_email_then_accept_then_dashboard(alpha, staff_client, captured_on_commit):
    client, _owner = staff_client(alpha, Role.OWNER)
    with captured_on_commit(execute=True):
        assert _invite(client).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@alpha.lu"] and "Alpha SARL" in message.subject
    path = _link_path(message)
    assert "alpha.orion.test" in message.body

    newcomer = client.__class__(HTTP_HOST=alpha.dashboard_host)
    assert newcomer.get(path).status_code == 200
    response = newcomer.post(
        path,
        {"full_name": "Nina New", "password": "Fresh-Pass-77", "password_again": "Fresh-Pass-77"},
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert newcomer.get("/dashboard/").status_code == 200
    with tenant_context(alpha.merchant):
        member = StaffMember.objects.get(user__email="new@alpha.lu")
        assert member.role == Role.MANAGER
    # The link works once.
    assert newcomer.get(path).status_code == 404


def test_invitation_link_is_useless_on_another_merchant_host(
    alpha, beta, staff_client, captured_on_commit
):
    client, _owner = staff_client(alpha, Role.OWNER)
    with captured_on_commit(execute=True):
        _invite(client)
    path = _link_path(mail.outbox[0])
    other = client.__class__(HTTP_HOST=beta.dashboard_host)
    assert other.get(path).status_code == 404
    assert (
        other.post(
            path, {"password": "Fresh-Pass-77", "password_again": "Fresh-Pass-77"}
        ).status_code
        == 404
    )
    with tenant_context(beta.merchant):
        assert not StaffMember.objects.filter(user__email="new@alpha.lu").exists()


def test_managers_cannot_invite_and_admins_cannot_invite_owners(alpha, staff_client):
    manager, _ = staff_client(alpha, Role.MANAGER)
    assert _invite(manager).status_code == 403
    admin, _ = staff_client(alpha, Role.ADMIN)
    response = _invite(admin, role=Role.OWNER)
    assert response.status_code == 400
    assert "above your own" in response.content.decode()
    with tenant_context(alpha.merchant):
        assert not StaffInvitation.objects.exists()


def test_bad_invitation_input_gets_form_errors(alpha, staff_client):
    client, _owner = staff_client(alpha, Role.OWNER)
    response = _invite(client, email="not an email")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    response = _invite(client, email=alpha.owner_email)
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    response = _invite(client, email="a" * 290 + "@example.lu")  # longer than the column
    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()


def test_mismatched_or_weak_passwords_create_nothing(alpha, staff_client, captured_on_commit):
    client, _owner = staff_client(alpha, Role.OWNER)
    with captured_on_commit(execute=True):
        _invite(client)
    path = _link_path(mail.outbox[0])
    newcomer = client.__class__(HTTP_HOST=alpha.dashboard_host)
    differ = newcomer.post(path, {"password": "Fresh-Pass-77", "password_again": "Other-Pass-78"})
    assert differ.status_code == 400 and "differ" in differ.content.decode()
    weak = newcomer.post(path, {"password": "123", "password_again": "123"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    with tenant_context(alpha.merchant):
        assert not StaffMember.objects.filter(user__email="new@alpha.lu").exists()
    assert newcomer.get(path).status_code == 200  # still usable


def test_garbage_tokens_are_404(alpha, host_client):
    assert host_client(alpha.dashboard_host).get("/invitations/nope/").status_code == 404


# --- The invited address already has an account in this merchant (a shopper's) ---------------


def _invite_and_open(alpha, staff_client, captured_on_commit, email="shopper@example.com"):
    client, _owner = staff_client(alpha, Role.OWNER)
    with captured_on_commit(execute=True):
        assert _invite(client, email=email, role=Role.STAFF).status_code == 302
    path = _link_path(mail.outbox[-1])
    return client.__class__(HTTP_HOST=alpha.dashboard_host), path


def test_a_shopper_joins_the_staff_with_their_current_password(
    alpha, staff_client, captured_on_commit
):
    with tenant_context(alpha.merchant):
        shopper = UserFactory(email="shopper@example.com", password="Shopper-Pass-1")
    newcomer, path = _invite_and_open(alpha, staff_client, captured_on_commit)
    page = newcomer.get(path).content.decode()
    assert "already has an account here" in page and "Current password" in page
    assert "/accounts/password/reset/" in page
    assert "password_again" not in page

    wrong = newcomer.post(path, {"password": "Not-The-Password-9"})
    assert wrong.status_code == 400 and "enter its current password" in wrong.content.decode()
    with tenant_context(alpha.merchant):
        assert not StaffMember.objects.filter(user=shopper).exists()

    joined = newcomer.post(path, {"password": "Shopper-Pass-1"})
    assert joined.status_code == 302 and joined["Location"] == "/dashboard/"
    assert newcomer.get("/dashboard/").status_code == 200
    with tenant_context(alpha.merchant):
        member = StaffMember.objects.get(user__email="shopper@example.com")
        assert member.user_id == shopper.pk and member.role == Role.STAFF
        assert User.objects.filter(email__iexact="shopper@example.com").count() == 1
        shopper.refresh_from_db()
        assert shopper.check_password("Shopper-Pass-1")  # unchanged


def test_an_unconfirmed_account_with_the_address_does_not_block_the_invitee(
    alpha, staff_client, captured_on_commit, host_client
):
    """Someone signed up on a storefront with the invitee's address and never confirmed it.
    The invitation, mailed to that address, proves who owns it: the invitee's password wins."""
    storefront = host_client(alpha.storefront_host)
    storefront.post(
        "/accounts/signup/",
        {
            "first_name": "Sam",
            "last_name": "Squatter",
            "email": "shopper@example.com",
            "password1": "Squatter-Pass-3",
            "password2": "Squatter-Pass-3",
        },
    )
    with tenant_context(alpha.merchant):
        squatted = User.objects.get(email="shopper@example.com")
        assert not EmailAddress.objects.get(user=squatted).verified
    mail.outbox.clear()

    newcomer, path = _invite_and_open(alpha, staff_client, captured_on_commit)
    page = newcomer.get(path).content.decode()
    assert "Choose a password" in page and "already has an account" not in page
    response = newcomer.post(
        path,
        {"full_name": "Nina New", "password": "Fresh-Pass-77", "password_again": "Fresh-Pass-77"},
    )
    assert response.status_code == 302 and newcomer.get("/dashboard/").status_code == 200
    with tenant_context(alpha.merchant):
        user = User.objects.get(email="shopper@example.com")
        assert user.pk == squatted.pk and user.full_name == "Nina New"  # not the squatter's
        assert user.check_password("Fresh-Pass-77") and not user.check_password("Squatter-Pass-3")
        assert EmailAddress.objects.get(user=user).verified
        assert StaffMember.objects.get(user=user).role == Role.STAFF
    # The old password no longer opens the account.
    other = host_client(alpha.dashboard_host)
    login = other.post(
        "/accounts/login/", {"login": "shopper@example.com", "password": "Squatter-Pass-3"}
    )
    assert login.status_code == 200  # the form again


def test_a_shopper_account_does_not_stop_the_invitation_being_sent(alpha, staff_client):
    with tenant_context(alpha.merchant):
        UserFactory(email="shopper@example.com")
    client, _owner = staff_client(alpha, Role.OWNER)
    assert _invite(client, email="Shopper@Example.com").status_code == 302
    with tenant_context(alpha.merchant):
        assert StaffInvitation.objects.filter(email="shopper@example.com").exists()
