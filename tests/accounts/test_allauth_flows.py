"""allauth flows on merchant hosts: sign-up with email verification, password reset."""

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context, tenant_context

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def test_shopper_signs_up_verifies_email_then_logs_in(alpha, host_client):
    client = host_client(alpha.storefront_host)
    response = client.post(
        "/accounts/signup/",
        {
            "first_name": "Anne",
            "last_name": "Schmit",
            "email": "Shopper@Example.com",
            "password1": "Basket-full-88",
            "password2": "Basket-full-88",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["shopper@example.com"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert "shop.alpha.orion.test" in mail.outbox[0].body
    client.post(link.group(1))
    login = client.post(
        "/accounts/login/", {"login": "shopper@example.com", "password": "Basket-full-88"}
    )
    assert login.status_code == 302 and login["Location"] == "/account/"
    assert "shopper@example.com" in client.get("/account/").content.decode()
    with tenant_context(alpha.merchant):
        assert User.objects.filter(email="shopper@example.com").exists()
    with schema_context("public"):
        assert not User.objects.filter(email="shopper@example.com").exists()


def test_password_reset_mail_links_to_the_same_merchant_host(alpha, host_client):
    client = host_client(alpha.dashboard_host)
    client.post("/accounts/password/reset/", {"email": alpha.owner_email})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    path = re.search(r"https?://alpha\.orion\.test(/accounts/password/reset/key/\S+/)", body)
    assert path, body
    form_page = client.get(path.group(1), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path.group(1),
        {"password1": "Brand-new-pass-5", "password2": "Brand-new-pass-5"},
    )
    assert response.status_code == 302
    login = client.post(
        "/accounts/login/", {"login": alpha.owner_email, "password": "Brand-new-pass-5"}
    )
    assert login.status_code == 302 and login["Location"] == "/dashboard/"


def test_reset_for_an_address_of_another_merchant_sends_no_working_link(alpha, beta, host_client):
    host_client(beta.dashboard_host).post("/accounts/password/reset/", {"email": alpha.owner_email})
    for message in mail.outbox:
        assert "/accounts/password/reset/key/" not in message.body
