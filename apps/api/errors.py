"""Every API error is JSON with a stable ``code`` and a human ``detail`` (and ``fields`` for
per-field problems), whatever raised it: a domain service, DRF validation or a missing object."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from apps.core.errors import DomainError


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message}
        if exc.field:
            body["fields"] = {exc.field: [exc.message]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        first = next(iter(fields.values()), [""])
        response.data = {
            "code": "invalid",
            "detail": str(first[0] if isinstance(first, list) and first else first),
            "fields": fields,
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = {"code": getattr(detail, "code", "error"), "detail": str(detail)}
    return response
