"""Staff roles are enforced by the dashboard views."""

import pytest
from django_tenants.utils import tenant_context

from apps.tenancy.stores.models import StaffMember, Store
from apps.tenancy.stores.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "Alpha Shop",
    "legal_name": "Alpha SARL",
    "street": "1, rue du Marché",
    "postal_code": "L-1111",
    "city": "Luxembourg",
    "country": "LU",
    "email": "hello@alpha.lu",
    "phone": "",
    "website": "",
    "registration_number": "RCS B1",
    "default_language": "fr",
}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_dashboard_and_settings(role, alpha, staff_client):
    client, _member = staff_client(alpha, role)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/settings/").status_code == 200
    assert client.get("/dashboard/orders/").status_code == 200


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.OWNER, True),
        (Role.ADMIN, True),
        (Role.MANAGER, False),
        (Role.STAFF, False),
        (Role.VIEWER, False),
    ],
)
def test_only_owner_and_admin_change_store_details(role, allowed, alpha, staff_client):
    client, _member = staff_client(alpha, role)
    response = client.post("/dashboard/settings/", DETAILS)
    with tenant_context(alpha.merchant):
        store = Store.objects.get(slug="shop")
    if allowed:
        assert response.status_code == 302
        assert (store.name, store.city) == ("Alpha Shop", "Luxembourg")
    else:
        assert response.status_code == 403
        assert store.name == "Alpha SARL"


def test_invalid_store_details_show_field_errors_and_save_nothing(alpha, staff_client):
    client, _member = staff_client(alpha, Role.OWNER)
    response = client.post("/dashboard/settings/", {**DETAILS, "email": "not-an-email"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    with tenant_context(alpha.merchant):
        assert Store.objects.get(slug="shop").name == "Alpha SARL"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.OWNER, 200), (Role.ADMIN, 200), (Role.MANAGER, 403), (Role.VIEWER, 403)],
)
def test_staff_page_needs_manage_staff(role, status, alpha, staff_client):
    client, _member = staff_client(alpha, role)
    assert client.get("/dashboard/settings/staff/").status_code == status


def test_an_admin_cannot_make_anyone_owner(alpha, staff_client):
    client, _admin = staff_client(alpha, Role.ADMIN)
    with tenant_context(alpha.merchant):
        target = StaffMember.objects.create(
            user=UserFactory(),
            role=Role.STAFF,
        )
    response = client.post(f"/dashboard/settings/staff/{target.pk}/", {"role": Role.OWNER})
    assert response.status_code == 302
    with tenant_context(alpha.merchant):
        target.refresh_from_db()
    assert target.role == Role.STAFF


def test_the_last_owner_cannot_be_demoted_or_deactivated(alpha, host_client):
    client = host_client(alpha.dashboard_host)
    client.post("/accounts/login/", {"login": alpha.owner_email, "password": "Correct-Horse-42"})
    with tenant_context(alpha.merchant):
        owner = StaffMember.objects.get(user__email=alpha.owner_email)
    response = client.post(
        f"/dashboard/settings/staff/{owner.pk}/", {"role": Role.ADMIN}, follow=True
    )
    assert "at least one active owner" in response.content.decode()
    client.post(f"/dashboard/settings/staff/{owner.pk}/", {"action": "deactivate"})
    with tenant_context(alpha.merchant):
        owner.refresh_from_db()
    assert (owner.role, owner.is_active) == (Role.OWNER, True)


def test_a_deactivated_member_is_shut_out(alpha, staff_client):
    client, member = staff_client(alpha, Role.MANAGER)
    with tenant_context(alpha.merchant):
        StaffMember.objects.filter(pk=member.pk).update(is_active=False)
    assert client.get("/dashboard/").status_code == 403


def test_staff_member_ids_of_another_merchant_are_not_found(alpha, beta, staff_client):
    client, _owner = staff_client(alpha, Role.OWNER)
    with tenant_context(beta.merchant):
        beta_owner = StaffMember.objects.get()
    # beta's member id does not exist in alpha's schema (or is another person): never beta's.
    client.post(f"/dashboard/settings/staff/{beta_owner.pk + 1000}/", {"role": Role.VIEWER})
    with tenant_context(beta.merchant):
        beta_owner.refresh_from_db()
    assert beta_owner.role == Role.OWNER


def test_store_switcher_remembers_the_store_and_rejects_garbage(alpha, staff_client):
    client, _owner = staff_client(alpha, Role.OWNER)
    assert (
        client.post(
            "/dashboard/settings/stores/",
            {"name": "Outlet", "slug": "outlet", "default_language": "de"},
        ).status_code
        == 302
    )
    with tenant_context(alpha.merchant):
        outlet = Store.objects.get(slug="outlet")
    response = client.post("/dashboard/store/switch/", {"store": outlet.pk, "next": "/dashboard/"})
    assert response.status_code == 302
    page = client.get("/dashboard/settings/").content.decode()
    assert "Business details of Outlet" in page
    assert client.post("/dashboard/store/switch/", {"store": "abc"}).status_code == 404
    assert client.post("/dashboard/store/switch/", {"store": "99999"}).status_code == 404
    htmx = client.post(
        "/dashboard/store/switch/",
        {"store": outlet.pk, "next": "https://evil.example/"},
        HTTP_HX_REQUEST="true",
    )
    assert htmx["HX-Redirect"] == "/dashboard/"


def test_opening_a_store_gives_it_a_storefront_host(alpha, staff_client, host_client):
    client, _owner = staff_client(alpha, Role.OWNER)
    client.post(
        "/dashboard/settings/stores/",
        {"name": "Outlet", "slug": "outlet", "default_language": "de"},
    )
    assert host_client("outlet.alpha.orion.test").get("/").status_code == 200
    again = client.post(
        "/dashboard/settings/stores/",
        {"name": "Outlet 2", "slug": "outlet", "default_language": "de"},
    )
    assert again.status_code == 400
    assert "already exists" in again.content.decode()
