"""The login throttle sees the client's address behind ORION_PROXY_COUNT reverse proxies: the
entry the last trusted proxy wrote into X-Forwarded-For, never one the client wrote itself."""

import pytest
from allauth.account.adapter import get_adapter
from axes.models import AccessAttempt
from django.test import RequestFactory
from django_tenants.utils import tenant_context

from apps.accounts.throttling import client_ip_address
from tests.factories import PASSWORD

LOAD_BALANCER = "10.0.0.5"
CLIENT = "203.0.113.7"


def _request(forwarded_for: str | None = None, remote: str = LOAD_BALANCER):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        # gunicorn faces the internet: a forwarded header is the client's own invention.
        (0, "198.51.100.1", LOAD_BALANCER),
        (0, None, LOAD_BALANCER),
        # One load balancer: it appended the address it was reached from.
        (1, CLIENT, CLIENT),
        (1, f"198.51.100.1, {CLIENT}", CLIENT),  # the client tried to name another address
        (1, f"not-an-address, {CLIENT}", CLIENT),
        # CDN then load balancer: the CDN appended the client, the balancer the CDN.
        (2, f"{CLIENT}, 192.0.2.10", CLIENT),
        (2, f"198.51.100.1, {CLIENT}, 192.0.2.10", CLIENT),
        # Shorter than the proxies say: it bypassed them, so only the connection counts.
        (2, CLIENT, LOAD_BALANCER),
        (1, None, LOAD_BALANCER),
        # IPv6 clients.
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_the_proxies(settings, proxies, forwarded_for, expected):
    settings.ORION_PROXY_COUNT = proxies
    assert client_ip_address(_request(forwarded_for)) == expected


def test_allauth_rate_limits_see_the_same_address(settings):
    settings.ORION_PROXY_COUNT = 1
    request = _request(f"198.51.100.1, {CLIENT}")
    assert get_adapter(request).get_client_ip(request) == CLIENT


@pytest.mark.django_db
def test_failed_logins_are_counted_for_the_client_behind_the_load_balancer(
    alpha, host_client, settings
):
    settings.ORION_PROXY_COUNT = 1
    client = host_client(alpha.dashboard_host)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Each try names a different made-up address on the left: it does not matter.
        client.post(
            "/accounts/login/",
            {"login": alpha.owner_email, "password": "wrong-password"},
            REMOTE_ADDR=LOAD_BALANCER,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, {CLIENT}",
        )
    with tenant_context(alpha.merchant):
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}
    locked = client.post(
        "/accounts/login/",
        {"login": alpha.owner_email, "password": PASSWORD},
        REMOTE_ADDR=LOAD_BALANCER,
        HTTP_X_FORWARDED_FOR=CLIENT,
    )
    assert locked.status_code == 429
    # The owner, from their own address through the same load balancer, still gets in.
    owner = host_client(alpha.dashboard_host).post(
        "/accounts/login/",
        {"login": alpha.owner_email, "password": PASSWORD},
        REMOTE_ADDR=LOAD_BALANCER,
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert owner.status_code == 302
