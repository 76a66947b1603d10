"""``/healthz``: is this process able to serve? Answers on any host, before tenant routing,
so that load balancers can probe by IP address."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse


def check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not healthy"; the reason is reported
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    from kombu import Connection

    started = time.perf_counter()
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=settings.ORION_BROKER_CHECK_TIMEOUT,
            transport_options={"socket_timeout": settings.ORION_BROKER_CHECK_TIMEOUT},
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.ORION_BROKER_CHECK_TIMEOUT)
    except Exception as exc:  # unreachable, refused, timed out, bad credentials ...
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}
    return {
        "ok": True,
        "mode": "broker",
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


class HealthCheckMiddleware:
    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path in (self.path, self.path + "/"):
            return health(request)
        return self.get_response(request)
