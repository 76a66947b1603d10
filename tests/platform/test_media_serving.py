"""A merchant's uploaded files are served on that merchant's hosts only."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tenants.utils import tenant_context
from PIL import Image

from apps.catalog.media import media_upload
from apps.tenancy.services import merchant_archive
from apps.tenancy.stores.models import Store

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def alpha_image(alpha, django_capture_on_commit_callbacks):
    with tenant_context(alpha.merchant):
        with django_capture_on_commit_callbacks(execute=True):
            media = media_upload(store=alpha.store(), upload=SimpleUploadedFile("red.png", _png()))
        media.refresh_from_db()
        return media


def test_a_merchant_file_is_served_on_its_own_hosts(alpha, alpha_image, host_client):
    url = alpha_image.file.url
    assert url.startswith("/media/alpha/")
    for host in (alpha.dashboard_host, alpha.storefront_host):
        response = host_client(host).get(url)
        assert response.status_code == 200, host
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == alpha_image.file.open("rb").read()
        assert "Last-Modified" in response
    thumbnail = host_client(alpha.storefront_host).get(alpha_image.thumbnail.url)
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"


def test_another_merchant_or_the_platform_never_serves_it(alpha, beta, alpha_image, host_client):
    url = alpha_image.file.url
    for host in (beta.dashboard_host, beta.storefront_host, "orion.test", "nobody.orion.test"):
        assert host_client(host).get(url).status_code == 404, host
    # Not through the other merchant's own folder either.
    relative = url.removeprefix("/media/")
    tricks = [
        f"/media/beta/../{relative}",
        f"/media/beta/%2e%2e/{relative}",
        f"/media/beta/..%2f{relative}",
        "/media/beta//" + relative,
    ]
    for path in tricks:
        assert host_client(beta.storefront_host).get(path).status_code == 404, path


def test_an_archived_merchant_serves_nothing(alpha, alpha_image, host_client):
    url = alpha_image.file.url
    merchant_archive(merchant=alpha.merchant)
    for host in (alpha.dashboard_host, alpha.storefront_host):
        assert host_client(host).get(url).status_code == 404


def test_an_inactive_store_host_serves_nothing(alpha, alpha_image, host_client):
    with tenant_context(alpha.merchant):
        Store.objects.filter(slug="shop").update(is_active=False)
    assert host_client(alpha.storefront_host).get(alpha_image.file.url).status_code == 404
    assert host_client(alpha.dashboard_host).get(alpha_image.file.url).status_code == 200


def test_only_images_inside_the_merchant_folder_are_served(alpha, host_client):
    folder = settings.MEDIA_ROOT / "alpha" / "media" / "1"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("not for the public")
    (folder / ".hidden.png").write_bytes(_png())
    (settings.MEDIA_ROOT / "alpha" / "top.png").write_bytes(_png())
    client = host_client(alpha.dashboard_host)
    assert client.get("/media/alpha/media/1/notes.txt").status_code == 404
    assert client.get("/media/alpha/media/1/.hidden.png").status_code == 404
    assert client.get("/media/alpha/media/1/").status_code == 404
    assert client.get("/media/alpha/media/1/missing.png").status_code == 404
    assert client.get("/media/alpha/top.png").status_code == 200
    assert client.post("/media/alpha/top.png").status_code in (403, 405)


def test_an_unchanged_file_is_not_sent_again(alpha, alpha_image, host_client):
    client = host_client(alpha.storefront_host)
    first = client.get(alpha_image.file.url)
    again = client.get(alpha_image.file.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_the_route_is_media_url():
    assert settings.MEDIA_URL == "/media/"
    assert reverse("media", urlconf="orion.urls_tenant", args=["alpha/x.png"]) == (
        "/media/alpha/x.png"
    )
    assert reverse("media", urlconf="orion.urls_storefront", args=["alpha/x.png"]) == (
        "/media/alpha/x.png"
    )
