"""Route every request by its host: the platform, a merchant dashboard or a storefront.

Replaces django-tenants' TenantMainMiddleware: the platform's hosts come from settings (no
"public" merchant row), archived merchants and inactive stores are not found, and an unknown host
gets a plain 404 page.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponseNotFound
from django.template.loader import render_to_string
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.postgresql_backend.base import FakeTenant
from django_tenants.utils import get_public_schema_name

from apps.tenancy.hosts import HostKind
from apps.tenancy.selectors import domain_for_host
from apps.tenancy.stores.selectors import store_get


class TenantMiddleware(TenantMainMiddleware):
    def process_request(self, request: HttpRequest):
        connection.set_schema_to_public()
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return self.not_found(request)

        if hostname in settings.ORION_PUBLIC_HOSTS:
            request.tenant = FakeTenant(schema_name=get_public_schema_name())
            request.tenant.domain_url = hostname
            request.host_kind = HostKind.PLATFORM
            self.route(request, settings.PUBLIC_SCHEMA_URLCONF)
            return None

        domain = domain_for_host(host=hostname)
        if domain is None:
            return self.not_found(request)
        tenant = domain.tenant
        tenant.domain_url = hostname
        request.tenant = tenant
        request.domain = domain
        connection.set_tenant(tenant)

        if domain.store_id is None:
            request.host_kind = HostKind.DASHBOARD
            self.route(request, settings.ROOT_URLCONF)
            return None

        store = store_get(store_id=domain.store_id)
        if store is None or not store.is_active:
            connection.set_schema_to_public()
            return self.not_found(request)
        request.store = store
        request.host_kind = HostKind.STOREFRONT
        self.route(request, settings.STOREFRONT_URLCONF)
        return None

    @staticmethod
    def route(request: HttpRequest, urlconf: str) -> None:
        request.urlconf = urlconf
        set_urlconf(urlconf)

    @staticmethod
    def not_found(request: HttpRequest) -> HttpResponseNotFound:
        return HttpResponseNotFound(render_to_string("errors/unknown_host.html"))
