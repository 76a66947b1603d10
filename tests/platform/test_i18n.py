import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "greeting"),
    [
        ("fr", "Bienvenue chez Alpha SARL"),
        ("de", "Willkommen bei Alpha SARL"),
        ("en", "Welcome to Alpha SARL"),
    ],
)
def test_storefront_speaks_the_shoppers_language(language, greeting, alpha, host_client):
    page = host_client(alpha.storefront_host).get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert greeting in page.content.decode()


def test_dashboard_navigation_is_translated(alpha, staff_client):
    client, _member = staff_client(alpha, "owner")
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Bestellungen" in page and "Einstellungen" in page
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Commandes" in page and "Paramètres" in page


def test_vat_page_is_translated(alpha, staff_client):
    client, _member = staff_client(alpha, "owner")
    page = client.get("/dashboard/vat/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Déclaration OSS" in page and "Ventes à distance dans l'UE" in page
