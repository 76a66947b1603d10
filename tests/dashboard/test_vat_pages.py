from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.tenancy.stores.roles import Role
from apps.vat.records.models import StoreVatSettings, VatNumberCheck
from apps.vat.records.services import Buyer, QuoteLine, vat_sale_record, vat_settings_update
from tests.factories import UserFactory
from tests.fakes.vies import FakeVies

pytestmark = pytest.mark.django_db
TODAY = date.today()


def record(fixture, ref, country, net, day=TODAY):
    with tenant_context(fixture.merchant):
        store = fixture.store()
        vat_settings_update(store=store, data={"prices_include_vat": False})
        vat_sale_record(
            store=store,
            reference=ref,
            buyer=Buyer(country=country),
            supply_date=day,
            lines=[QuoteLine(quantity=Decimal(1), unit_price=Decimal(net))],
        )


def test_overview_shows_the_threshold_warning_and_the_quarter(
    alpha, beta, staff_client, django_assert_max_num_queries
):
    record(alpha, "A1", "FR", "8500.00")
    record(beta, "B1", "FR", "1234.00")  # another merchant: never counted here
    client, _ = staff_client(alpha, Role.VIEWER)
    with django_assert_max_num_queries(12):
        page = client.get("/dashboard/vat/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "€8,500.00" in html and "85.0 %" in html
    assert "80% or more" in html
    assert "1,234.00" not in html
    assert "Download" in html  # the page's figures, as CSV: same permission as the page
    french = client.get("/dashboard/vat/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'value="85.0"' in french  # the progress bar's number is not localised ("85,0")
    assert "8\u202f500,00\u00a0€" in french  # amounts follow the language (apps.core.formatting)


def test_overview_shows_exceeded_and_the_oss_rows(alpha, staff_client):
    record(alpha, "A1", "FR", "10000.00")
    record(alpha, "A2", "DE", "100.00")  # crosses: German VAT through the OSS
    client, _ = staff_client(alpha, Role.MANAGER)
    html = client.get("/dashboard/vat/").content.decode()
    assert "threshold is exceeded" in html
    assert "<td>DE</td><td>19.00 %</td><td>€100.00</td><td>€19.00</td>" in html
    quarter = (TODAY.month - 1) // 3 + 1
    csv = client.get(f"/dashboard/vat/oss-return.csv?year={TODAY.year}&quarter={quarter}")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert f",{TODAY.year}-Q{quarter},DE,19.00,100.00,19.00" in csv.content.decode()


def test_csv_needs_a_valid_period_and_the_page_permission(alpha, staff_client, host_client):
    manager, _ = staff_client(alpha, Role.MANAGER)
    assert manager.get("/dashboard/vat/oss-return.csv?year=abc&quarter=9").status_code == 400
    # Whoever reads the overview may download its figures; a shopper account may do neither.
    viewer, _ = staff_client(alpha, Role.VIEWER)
    assert viewer.get("/dashboard/vat/oss-return.csv?year=2026&quarter=1").status_code == 200
    with tenant_context(alpha.merchant):
        shopper = UserFactory()
    client = host_client(alpha.dashboard_host)
    client.force_login(shopper, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/dashboard/vat/").status_code == 403
    assert client.get("/dashboard/vat/oss-return.csv?year=2026&quarter=1").status_code == 403


def test_bad_period_in_the_overview_falls_back_to_the_current_quarter(alpha, staff_client):
    client, _ = staff_client(alpha, Role.OWNER)
    assert client.get("/dashboard/vat/?year=nope&quarter=7").status_code == 200


def test_vat_settings_form_saves_and_refuses_bad_numbers(alpha, staff_client):
    client, _ = staff_client(alpha, Role.ADMIN)
    form = {
        "vat_number": "lu 12345613",
        "oss_registered": "on",
        "oss_registered_since": "2026-01-01",
        "prices_include_vat": "on",
        "cross_border_prices": "keep_net",
        "vies_unavailable_policy": "charge_and_review",
        "save": "1",
    }
    assert client.post("/dashboard/settings/vat/", form).status_code == 302
    with tenant_context(alpha.merchant):
        saved = StoreVatSettings.objects.get()
        assert (saved.vat_number, saved.oss_registered, saved.cross_border_prices) == (
            "LU12345613",
            True,
            "keep_net",
        )
    bad = client.post("/dashboard/settings/vat/", {**form, "vat_number": "LU12345614"})
    assert bad.status_code == 400 and "not a valid EU VAT number" in bad.content.decode()
    with tenant_context(alpha.merchant):
        assert StoreVatSettings.objects.get().vat_number == "LU12345613"


def test_staff_cannot_change_vat_settings(alpha, staff_client):
    client, _ = staff_client(alpha, Role.STAFF)
    assert client.get("/dashboard/settings/vat/").status_code == 200
    assert (
        client.post("/dashboard/settings/vat/", {"vat_number": "", "save": "1"}).status_code == 403
    )


def test_vies_check_from_the_dashboard_keeps_the_evidence(alpha, staff_client, settings):
    fake = FakeVies().start()
    try:
        settings.VIES_BASE_URL = fake.base_url
        fake.register("DE136695976", "Musterfirma GmbH", "Berlin")
        client, _ = staff_client(alpha, Role.OWNER)
        response = client.post(
            "/dashboard/settings/vat/", {"vat_number": "DE136695976", "check": "1"}, follow=True
        )
        assert "is valid" in response.content.decode()
        assert "Musterfirma GmbH" in response.content.decode()
        bad = client.post("/dashboard/settings/vat/", {"vat_number": "DE1", "check": "1"})
        assert bad.status_code == 400
    finally:
        fake.stop()
    with tenant_context(alpha.merchant):
        assert VatNumberCheck.objects.count() == 1


def test_vat_pages_are_closed_to_other_merchants_sessions(alpha, beta, staff_client):
    client, _ = staff_client(alpha, Role.OWNER)
    for path in (
        "/dashboard/vat/",
        "/dashboard/settings/vat/",
        "/dashboard/vat/oss-return.csv?year=2026&quarter=1",
    ):
        response = client.get(path, HTTP_HOST=beta.dashboard_host)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
