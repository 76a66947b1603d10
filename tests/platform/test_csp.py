"""The Content-Security-Policy is sent on every page, and no page needs what it forbids:
inline scripts, inline event handlers, style attributes or a <style> without the nonce."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django_tenants.utils import tenant_context

from apps.catalog.services import VariantInput, product_create
from apps.tenancy.stores.roles import Role

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a strict policy would block in a page."""

    def __init__(self, nonce: str | None, inline_styles: bool = False):
        super().__init__()
        self.nonce = nonce
        self.inline_styles = inline_styles
        self.blocked: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name.startswith("on") or (name == "style" and not self.inline_styles):
                self.blocked.append(f"<{tag} {name}=...>")
        if any((value or "").lower().startswith("javascript:") for value in attributes.values()):
            self.blocked.append(f"<{tag} ...javascript:...>")
        if tag == "script":
            if not attributes.get("src"):
                self.blocked.append("inline <script>")
            else:
                self.scripts.append(attributes["src"])
        if tag == "style" and not self.inline_styles and attributes.get("nonce") != self.nonce:
            self.blocked.append("<style> without the response's nonce")


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def _check(response, *, console: bool = False) -> InlineCode:
    assert response.status_code in (200, 404), response.status_code
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    nonces = [v[len("'nonce-") : -1] for v in policy["style-src"] if v.startswith("'nonce-")]
    # Only the platform console (Django admin) may use inline styles.
    assert ("'unsafe-inline'" in policy["style-src"]) is console
    parser = InlineCode(nonces[0] if nonces else None, inline_styles=console)
    parser.feed(response.content.decode())
    assert parser.blocked == [], parser.blocked
    return parser


@pytest.fixture
def product(alpha):
    with tenant_context(alpha.merchant):
        return product_create(
            store=alpha.store(),
            names={"fr": "Pull en laine"},
            variants=[VariantInput(sku="PULL", price="49.00")],
        )


DASHBOARD_PAGES = [
    "/dashboard/",
    "/dashboard/settings/",
    "/dashboard/settings/stores/",
    "/dashboard/settings/staff/",
    "/dashboard/settings/vat/",
    "/dashboard/vat/",
    "/dashboard/products/",
    "/dashboard/products/new/",
    "/dashboard/products/feed/",
    "/dashboard/products/categories/",
    "/dashboard/products/media/",
    "/dashboard/products/import/",
    "/dashboard/inventory/",
    "/dashboard/orders/",
]


def test_every_dashboard_page_keeps_to_the_policy(alpha, staff_client, product):
    client, _owner = staff_client(alpha, Role.OWNER)
    scripts = set()
    for path in [*DASHBOARD_PAGES, f"/dashboard/products/{product.pk}/"]:
        scripts.update(_check(client.get(path)).scripts)
    # htmx and our own script are files of our own host.
    assert any(src.endswith("vendor/htmx.min.js") for src in scripts)
    assert any(src.endswith("js/orion.js") for src in scripts)
    assert all(src.startswith("/static/") for src in scripts)


def test_storefront_pages_keep_to_the_policy_and_the_theme_style_has_the_nonce(
    alpha, host_client, product
):
    client = host_client(alpha.storefront_host)
    home = client.get("/")
    _check(home)
    nonce = re.search(r"'nonce-([^']+)'", home["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">:root {{ --primary:' in home.content.decode()
    # A fresh nonce per response.
    assert nonce not in client.get("/")["Content-Security-Policy"]
    for path in ("/p/pull-en-laine/", "/accounts/login/", "/accounts/signup/"):
        _check(client.get(path))


def test_login_console_and_error_pages_keep_to_the_policy(alpha, host_client, console):
    _check(host_client(alpha.dashboard_host).get("/accounts/login/"))
    _check(host_client(alpha.dashboard_host).get("/accounts/password/reset/"))
    _check(host_client("orion.test").get("/"))
    for path in ("/admin/", "/admin/tenancy/merchant/", "/admin/tenancy/merchant/add/"):
        _check(console.get(path), console=True)
    unknown = host_client("nobody.orion.test").get("/")
    assert unknown.status_code == 404
    _check(unknown)


def test_the_console_exception_is_for_the_platform_host_only(alpha, host_client):
    # A merchant host has no /admin/, and its 404 page gets the strict policy.
    response = host_client(alpha.dashboard_host).get("/admin/")
    assert response.status_code == 404
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
