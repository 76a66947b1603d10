"""Every dashboard download needs exactly its page's permission, and the Letzshop feed's secret
address is shown only to those who manage integrations."""

import pytest
from django.urls import URLPattern
from django_tenants.utils import tenant_context

from apps.catalog.models import ProductFeed
from apps.catalog.services import VariantInput, product_create, product_feed_get
from apps.dashboard.access import DashboardView, PageExportView
from apps.dashboard.urls import urlpatterns
from apps.tenancy.stores.roles import Role, role_has_permission

pytestmark = pytest.mark.django_db


def _view_class(pattern: URLPattern):
    return getattr(pattern.callback, "view_class", None)


DOWNLOADS = [
    p
    for p in urlpatterns
    if any(marker in str(p.pattern) for marker in (".csv", "export", ".<str:file_format>"))
]
# A download, a way to fill in its URL, and the page that offers it.
CASES = {
    "feed-csv": ("/dashboard/products/feed/fr.csv", "/dashboard/products/feed/"),
    "export": ("/dashboard/products/export.csv", "/dashboard/products/import/"),
    "oss-csv": ("/dashboard/vat/oss-return.csv?year=2026&quarter=1", "/dashboard/vat/"),
}


def test_every_download_is_a_page_export_of_a_dashboard_page():
    assert {p.name for p in DOWNLOADS} == set(CASES)
    for pattern in DOWNLOADS:
        view = _view_class(pattern)
        assert issubclass(view, PageExportView), pattern.name
        assert issubclass(view.page, DashboardView) and not issubclass(view.page, PageExportView)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("role", list(Role))
def test_a_download_answers_every_role_as_its_page_does(name, role, alpha, staff_client):
    with tenant_context(alpha.merchant):
        product_create(
            store=alpha.store(), names={"fr": "Pull"}, variants=[VariantInput(sku="P", price="9")]
        )
    download, page = CASES[name]
    client, _member = staff_client(alpha, role)
    page_status = client.get(page).status_code
    download_response = client.get(download)
    assert download_response.status_code == page_status
    view = _view_class(next(p for p in DOWNLOADS if p.name == name))
    assert (page_status == 200) is role_has_permission(role, view.page.permission)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.STAFF, Role.MANAGER])
def test_the_feed_secret_is_hidden_from_roles_without_integrations(role, alpha, staff_client):
    with tenant_context(alpha.merchant):
        token = product_feed_get(store=alpha.store()).token
    client, _member = staff_client(alpha, role)
    page = client.get("/dashboard/products/feed/")
    html = page.content.decode()
    assert page.status_code == 200
    assert token not in html and "/feeds/letzshop/" not in html
    assert "/dashboard/products/feed/fr.csv" in html  # the download is still offered
    assert "Make a new secret address" not in html
    assert client.post("/dashboard/products/feed/").status_code == 403
    with tenant_context(alpha.merchant):
        assert ProductFeed.objects.get().token == token


def test_a_viewer_opening_the_feed_page_creates_no_secret(alpha, staff_client):
    client, _member = staff_client(alpha, Role.VIEWER)
    assert client.get("/dashboard/products/feed/").status_code == 200
    with tenant_context(alpha.merchant):
        assert not ProductFeed.objects.exists()


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_owners_and_admins_see_the_feed_secret(role, alpha, staff_client):
    client, _member = staff_client(alpha, role)
    html = client.get("/dashboard/products/feed/").content.decode()
    with tenant_context(alpha.merchant):
        token = ProductFeed.objects.get().token
    assert f"/feeds/letzshop/{token}/fr.csv" in html
    assert "Make a new secret address" in html
