"""Uploaded files, served only on the hosts of the merchant they belong to.

Files live under ``MEDIA_ROOT/<schema name>/...`` (see the catalog's ``upload_to``). A merchant's
dashboard and storefront hosts serve that merchant's folder and nothing else: another merchant's
file, the platform host, an archived merchant or an inactive store (their hosts are not routed
at all, apps.tenancy.middleware) get a 404. Only images are served: they are what storefronts and
the dashboard show; a private document (an invoice) needs a view that checks who asks.

With file-system storage this view serves the files in every environment. With object storage
(S3-compatible, behind a CDN), MEDIA_URL points there and this view is not reached.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since
from django_tenants.utils import get_public_schema_name

CACHE_SECONDS = 3600


def media_path(*, schema_name: str | None, path: str) -> Path | None:
    """The file ``path`` names if it is an image inside the merchant's own folder, else None."""
    parts = PurePosixPath(path).parts
    if (
        not schema_name
        or schema_name == get_public_schema_name()
        or len(parts) < 2
        or parts[0] != schema_name
        or any(part in ("..", ".") or part.startswith(".") for part in parts)
    ):
        return None
    content_type, _encoding = mimetypes.guess_type(parts[-1])
    if not content_type or not content_type.startswith("image/"):
        return None
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, *parts))
    except SuspiciousFileOperation:
        return None
    return full if full.is_file() else None


@require_safe
def media_file(request: HttpRequest, path: str):
    tenant = getattr(request, "tenant", None)
    full = media_path(schema_name=getattr(tenant, "schema_name", None), path=path)
    if full is None:
        raise Http404
    mtime = full.stat().st_mtime
    if not was_modified_since(request.headers.get("If-Modified-Since"), mtime):
        return HttpResponseNotModified()
    content_type, _encoding = mimetypes.guess_type(full.name)
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["Last-Modified"] = http_date(mtime)
    response["Cache-Control"] = f"max-age={CACHE_SECONDS}"
    return response
