import re

import pytest
from django.core import mail
from django_tenants.utils import tenant_context

from apps.tenancy.stores.models import StaffInvitation, StaffMember
from apps.tenancy.stores.roles import Role

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
