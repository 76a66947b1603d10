"""What a request's host serves: the platform, a merchant dashboard or a storefront."""

from django.db import models
from django.http import HttpRequest


class HostKind(models.TextChoices):
    PLATFORM = "platform"
    DASHBOARD = "dashboard"
    STOREFRONT = "storefront"


def host_kind(request: HttpRequest) -> str:
    return getattr(request, "host_kind", HostKind.PLATFORM)
