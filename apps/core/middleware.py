"""Refuse text the database cannot store before any view reads it.

PostgreSQL text cannot hold the NUL character: a ``%00`` in a query string, a form field or the
path would reach a query and fail there as a server error. No page or API of Orion takes NUL as
input, so every request carrying one gets a clear 400 here, once, instead of a check in every
view. (Lone UTF-16 surrogates cannot arrive this way: Django decodes invalid UTF-8 in URLs and
forms to U+FFFD. JSON bodies are checked by the API's parser.)
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info:
        return True
    queries = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for query in queries:
        for key, values in query.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    return False


class RefuseUnstorableTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            detail = _("The request contains a NUL character, which no text field accepts.")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"code": "invalid_characters", "detail": detail}, status=400)
            html = render_to_string("400.html", {"detail": detail}, request=request)
            return HttpResponse(html, status=400)
        return self.get_response(request)
