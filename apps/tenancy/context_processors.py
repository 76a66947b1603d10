from django.http import HttpRequest

from apps.tenancy.hosts import HostKind, host_kind


def tenancy(request: HttpRequest) -> dict:
    kind = host_kind(request)
    return {
        "host_kind": kind,
        "merchant": request.tenant if kind != HostKind.PLATFORM else None,
        "store": getattr(request, "store", None),
    }
