"""Every dashboard and storefront page of the demo, in a real Chromium, on a phone (390 px) and
a laptop (1366 px): no horizontal scrolling, no console error, no server error.

Set ORION_SCREENSHOTS=<folder> to keep a full-page PNG of every page visited."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, resolve
from django.utils.text import slugify
from django_tenants.utils import tenant_context
from PIL import Image

from apps.accounts.services import AddressInput, address_create, shopper_profile_update
from apps.catalog.import_services import product_import_create
from apps.catalog.imports import import_file_read
from apps.catalog.media import media_upload, product_image_add
from apps.catalog.models import Category, Product
from apps.catalog.services import category_create
from apps.dashboard.sections.views import SECTIONS
from apps.inventory.models import StockLocation
from apps.inventory.services import stock_adjust
from apps.platform.demo import STAFF_EMAILS, demo_load
from apps.tenancy.selectors import merchant_get
from apps.tenancy.stores.models import StaffMember, Store
from apps.tenancy.stores.roles import Role
from apps.tenancy.stores.services import staff_invite
from apps.vat.records.services import parse_vat_number, vat_number_check
from tests.browser.live import CHROMIUM_ARGS
from tests.factories import UserFactory
from tests.fakes.vies import FakeVies

pytestmark = pytest.mark.django_db

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# German too on the phone: its long compound words are what breaks a narrow layout first.
PASSES = [("phone", PHONE, "en-GB"), ("phone", PHONE, "de-DE"), ("laptop", LAPTOP, "en-GB")]
DASHBOARD = "demo.orion.test"
BOUTIQUE = "boutique.demo.orion.test"
OUTLET = "outlet.demo.orion.test"
PLATFORM = "orion.test"

# Named routes that are not pages a person looks at (POST-only actions and file downloads).
NOT_PAGES = {
    "dashboard:store-switch": "POST only",
    "dashboard:staff-member": "POST only",
    "dashboard:oss-csv": "CSV download",
    "dashboard:export": "CSV/XLSX download",
    "dashboard:feed-csv": "CSV download",
    "storefront:letzshop-feed": "CSV download",
    "storefront:account-address-default": "POST only",
}

# Runs in the page: null when the document fits `limit`, else its width and what makes it wider.
# A culprit is found by hiding elements: from <body> down, keep the child whose hiding narrows the
# page most, until no child does; then hide that culprit too and look for the next one.
OVERFLOW_JS = """
(limit) => {
  const doc = document.documentElement;
  const width = doc.scrollWidth;
  if (width <= limit) return null;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map((c) => '.' + c).join('');
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== doc && parts.length < 4; e = e.parentElement) {
      parts.unshift(name(e));
    }
    return parts.join(' > ');
  };
  const narrowerWithout = (el) => {
    const old = el.style.display;
    el.style.display = 'none';
    const w = doc.scrollWidth;
    el.style.display = old;
    return w;
  };
  const culprits = [], hidden = [];
  while (doc.scrollWidth > limit && culprits.length < 3) {
    let node = document.body;
    for (;;) {
      let best = null, bestWidth = doc.scrollWidth;
      for (const child of node.children) {
        const w = narrowerWithout(child);
        if (w < bestWidth) { best = child; bestWidth = w; }
      }
      if (!best) break;
      node = best;
      if (['TABLE', 'PRE', 'IMG', 'SELECT', 'TEXTAREA', 'INPUT'].includes(node.tagName)) break;
    }
    const r = node.getBoundingClientRect();
    culprits.push(`${path(node)} (${Math.round(Math.max(r.width, node.scrollWidth))} px wide)`);
    if (node === document.body) break;
    hidden.push([node, node.style.display]);
    node.style.display = 'none';
  }
  for (const [el, old] of hidden) el.style.display = old;
  return {width, culprits};
}
"""


@dataclass(frozen=True)
class Visit:
    who: str  # whose browser: "owner", "shopper" or "anonymous"
    host: str
    path: str


@dataclass(frozen=True)
class DemoPages:
    """The ids and links of the demo's detail pages."""

    product_id: int
    product_slug: str
    variant_id: int
    import_id: int
    invitation_path: str
    outlet_slug: str
    address_id: int = 0


def _png(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (1600, 900), (31, 78, 121)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue())


def _session_cookie(client: Client, host: str) -> dict:
    morsel = client.cookies[django_settings.SESSION_COOKIE_NAME]
    return {"name": morsel.key, "value": morsel.value, "domain": host, "path": "/"}


def _demo_extras(*, merchant, capture_on_commit) -> tuple[DemoPages, StaffMember]:
    """What the demo does not make yet, with long names where a page shows one: an image on a
    product, a sub-category, a stock adjustment, an import preview with problems, a pending staff
    invitation and a VIES check."""
    with tenant_context(merchant):
        boutique = Store.objects.get(slug="boutique")
        owner = StaffMember.objects.get(user__email=STAFF_EMAILS[Role.OWNER])
        # The product with sizes and the longest name makes the widest rows.
        product = max(
            Product.objects.filter(store=boutique, variants__options__has_key="size"),
            key=lambda p: len(p.name),
        )
        variant = product.variants.order_by("pk").first()
        stock_adjust(
            variant=variant,
            location=StockLocation.objects.get(code="strassen"),
            change=2,
            reason="Carton retrouvé à l'entrepôt après l'inventaire annuel",
            actor=owner.user,
        )
        category_create(
            store=boutique,
            names={"fr": "Accessoires d'hiver", "de": "Winterzubehör", "en": "Winter accessories"},
            parent=Category.objects.get(store=boutique, slug="vetements"),
        )
        with capture_on_commit(execute=True):  # the thumbnails and the invitation mail
            image = media_upload(store=boutique, upload=_png("pull-laine-bleu-nuit.png"))
            media_upload(store=boutique, upload=_png("IMG_20260114_101502_HDR.png"))
            product_image_add(product=product, image=image)
            staff_invite(
                email="nouvelle.collaboratrice.comptabilite@demo.lu",
                role=Role.MANAGER,
                invited_by=owner,
                accept_url_base=f"http://{DASHBOARD}",
            )
        csv = (
            "product;sku;name_fr;name_de;price;gtin;options;category;tax_class\n"
            "pull;PULL-XL;Pull en laine mérinos extra-fine;Merinopullover;89,00;;size=XL;;\n"
            ";BAD-GTIN;Mauvais;;5.00;123;;;\n"
            ";NEG;Négatif;;-3;;;;\n"
        )
        job = product_import_create(
            store=boutique,
            preview=import_file_read(store=boutique, content=csv.encode(), file_name="x.csv"),
            file_name="catalogue-printemps-ete-2026-fournisseur-atelier-alzette.csv",
            user=owner.user,
        )
        vat_number_check(store=boutique, number=parse_vat_number(VIES_NUMBER))
        outlet_product = Product.objects.filter(store__slug="outlet").order_by("pk").first()
    invitation = re.search(r"https?://[^/\s]+(/invitations/\S+/)", mail.outbox[-1].body)
    pages = DemoPages(
        product_id=product.pk,
        product_slug=product.slug,
        variant_id=variant.pk,
        import_id=job.pk,
        invitation_path=invitation[1],
        outlet_slug=outlet_product.slug,
    )
    return pages, owner


VIES_NUMBER = "LU26375245"


@pytest.fixture
def demo(django_capture_on_commit_callbacks, settings) -> tuple[DemoPages, dict[str, list]]:
    """The demo merchant and its extras; the browser cookies of the owner and of a shopper."""
    demo_load()
    merchant = merchant_get(slug="demo")
    fake_vies = FakeVies().start()
    settings.VIES_BASE_URL = fake_vies.base_url
    fake_vies.register(VIES_NUMBER, "Maison Demo SARL", "12, rue de l'Alzette, Esch-sur-Alzette")
    try:
        pages, owner = _demo_extras(
            merchant=merchant, capture_on_commit=django_capture_on_commit_callbacks
        )
    finally:
        fake_vies.stop()
    backend = "django.contrib.auth.backends.ModelBackend"
    with tenant_context(merchant):
        shopper = UserFactory(email="jean-philippe.schmit-hoffmann@example.lu")
        address_id = _shopper_addresses(shopper)
        owner_client = Client(HTTP_HOST=DASHBOARD)
        owner_client.force_login(owner.user, backend=backend)
        shopper_client = Client(HTTP_HOST=BOUTIQUE)
        shopper_client.force_login(shopper, backend=backend)
    cookies = {
        "owner": [_session_cookie(owner_client, DASHBOARD)],
        "shopper": [_session_cookie(shopper_client, BOUTIQUE)],
        "anonymous": [],
    }
    return replace(pages, address_id=address_id), cookies


def _shopper_addresses(shopper) -> int:
    """A shopper's profile and address book with the longest words a page must wrap; the id
    of the business address."""
    shopper_profile_update(
        user=shopper,
        first_name="Jean-Philippe",
        last_name="Schmit-Hoffmann-Wagner",
        phone="+352 621 123 456",
        language="de",
        marketing_consent=True,
    )
    home = AddressInput(
        first_name="Jean-Philippe",
        last_name="Schmit-Hoffmann-Wagner",
        line1="142, route de Thionville (Résidence Les Jardins d'Alzette)",
        line2="Appartement 3B, 2e étage, c/o Famille Hoffmann",
        postal_code="L-2611",
        city="Luxembourg-Bonnevoie",
        country="LU",
        label="Maison",
    )
    address_create(user=shopper, data=home)
    business = replace(
        home,
        label="Bureau",
        company="Rechtsanwaltsgesellschaft Schmit-Hoffmann & Partner mbB",
        line1="Kurfürstendamm 195",
        line2="",
        postal_code="10707",
        city="Berlin-Charlottenburg-Wilmersdorf",
        country="DE",
        vat_number="DE136695976",
    )
    return address_create(user=shopper, data=business, default_billing=True).pk


def _visits(pages: DemoPages) -> list[Visit]:
    dashboard = [
        "/dashboard/",
        *(f"/dashboard/{section}/" for section in SECTIONS),
        "/dashboard/products/",
        "/dashboard/products/?q=pull&in_stock=1",
        "/dashboard/products/new/",
        f"/dashboard/products/{pages.product_id}/",
        "/dashboard/products/feed/",
        "/dashboard/products/categories/",
        "/dashboard/products/media/",
        "/dashboard/products/import/",
        f"/dashboard/products/import/{pages.import_id}/",
        "/dashboard/inventory/",
        f"/dashboard/inventory/variants/{pages.variant_id}/",
        "/dashboard/vat/",
        "/dashboard/settings/",
        "/dashboard/settings/stores/",
        "/dashboard/settings/staff/",
        "/dashboard/settings/vat/",
        "/accounts/password/change/",
    ]
    return [
        *(Visit("owner", DASHBOARD, path) for path in dashboard),
        Visit("anonymous", DASHBOARD, "/accounts/login/"),
        Visit("anonymous", DASHBOARD, "/accounts/password/reset/"),
        Visit("anonymous", DASHBOARD, pages.invitation_path),
        Visit("shopper", BOUTIQUE, "/"),
        Visit("shopper", BOUTIQUE, "/?q=chausettes&sort=-price&in_stock=1"),
        Visit("shopper", BOUTIQUE, f"/p/{pages.product_slug}/"),
        Visit("shopper", BOUTIQUE, "/account/"),
        Visit("shopper", BOUTIQUE, "/account/profile/"),
        Visit("shopper", BOUTIQUE, "/account/addresses/"),
        Visit("shopper", BOUTIQUE, "/account/addresses/new/"),
        Visit("shopper", BOUTIQUE, f"/account/addresses/{pages.address_id}/"),
        Visit("shopper", BOUTIQUE, f"/account/addresses/{pages.address_id}/delete/"),
        Visit("shopper", BOUTIQUE, "/accounts/password/change/"),
        Visit("anonymous", OUTLET, "/"),
        Visit("anonymous", OUTLET, f"/p/{pages.outlet_slug}/"),
        Visit("anonymous", OUTLET, "/accounts/login/"),
        Visit("anonymous", OUTLET, "/accounts/signup/"),
        Visit("anonymous", OUTLET, "/accounts/password/reset/"),
        Visit("anonymous", PLATFORM, "/"),
    ]


def test_the_list_covers_every_page_of_the_dashboard_and_the_storefront(settings):
    """A new dashboard or storefront page joins the browser test (or NOT_PAGES, with why)."""
    pages = DemoPages(1, "x", 1, 1, "/invitations/x/", "x", address_id=1)
    urlconfs = {DASHBOARD: settings.ROOT_URLCONF, BOUTIQUE: settings.STOREFRONT_URLCONF}
    urlconfs[OUTLET] = settings.STOREFRONT_URLCONF
    visited = {
        resolve(visit.path.split("?")[0], urlconf=urlconfs[visit.host]).view_name
        for visit in _visits(pages)
        if visit.host in urlconfs
    }
    named = set()
    for urlconf, namespace in (
        (settings.ROOT_URLCONF, "dashboard"),
        (settings.STOREFRONT_URLCONF, "storefront"),
    ):
        names = get_resolver(urlconf).namespace_dict[namespace][1].reverse_dict.keys()
        named |= {f"{namespace}:{name}" for name in names if isinstance(name, str)}
    assert named - visited - set(NOT_PAGES) == set()


def _check(page, url: str, width: int, must_see: str | None) -> list[str]:
    """Load one page; what is wrong with it. `must_see`: a selector that must be on screen."""
    problems: list[str] = []
    listeners = {
        "console": lambda m: (
            m.type == "error" and problems.append(f"console: {m.text} ({m.location.get('url')})")
        ),
        "pageerror": lambda exc: problems.append(f"script error: {exc}"),
        "response": lambda r: r.status >= 500 and problems.append(f"HTTP {r.status} on {r.url}"),
    }
    for event, listener in listeners.items():
        page.on(event, listener)
    try:
        response = page.goto(url, wait_until="load")
        if response is None or response.status >= 400:
            problems.append(f"HTTP {response.status if response else 'no response'}")
        overflow = page.evaluate(OVERFLOW_JS, width)
        if overflow:
            problems.append(
                f"the page is {overflow['width']} px wide because of: "
                + "; ".join(overflow["culprits"])
            )
        target = page.locator(must_see) if must_see else None
        box = target.first.bounding_box() if target and target.count() else None
        if must_see and (box is None or box["x"] < 0 or box["x"] + box["width"] > width):
            problems.append(f"{must_see} is not on screen ({box})")
    finally:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
    return problems


def test_every_page_fits_a_phone_and_a_laptop(demo, live_site, chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: pip install -r requirements/dev.txt", pytrace=False)
    pages, cookies = demo
    visits = _visits(pages)
    screenshots = os.environ.get("ORION_SCREENSHOTS")
    if screenshots:
        Path(screenshots).mkdir(parents=True, exist_ok=True)
    # Production serves HTTPS. The plain-HTTP test origins are declared secure like HTTPS ones,
    # else Chromium logs an error for every Cross-Origin-Opener-Policy header it must ignore.
    origins = ",".join(sorted({live_site.url(v.host, "") for v in visits}))
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=[*CHROMIUM_ARGS, f"--unsafely-treat-insecure-origin-as-secure={origins}"],
        )
        try:
            for label, viewport, locale in PASSES:
                tabs = {}
                for who, jar in cookies.items():
                    context = browser.new_context(
                        viewport=viewport,
                        is_mobile=label == "phone",
                        has_touch=label == "phone",
                        locale=locale,
                    )
                    context.add_cookies(jar)
                    tabs[who] = context.new_page()
                for visit in visits:
                    tab = tabs[visit.who]
                    url = live_site.url(visit.host, visit.path)
                    where = f"{label} {viewport['width']} px {locale} {visit.host}{visit.path}"
                    # The owner can always log out without scrolling sideways (issue 8).
                    on_dashboard = visit.path.startswith("/dashboard/")
                    must_see = "form.logout button" if on_dashboard else None
                    found = _check(tab, url, viewport["width"], must_see)
                    problems += [f"{where}: {problem}" for problem in found]
                    if screenshots:
                        name = slugify(f"{label}-{locale}-{visit.host}-{visit.path}")[:120]
                        tab.screenshot(path=Path(screenshots) / f"{name}.png", full_page=True)
                for tab in tabs.values():
                    tab.context.close()
        finally:
            browser.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
