"""How django-axes names the account a failed login was for.

allauth authenticates with ``email=...``, Django admin with ``username=...`` (our username field
is the email), and the login form posts ``login``; all three name the same account.
"""

from django.http import HttpRequest


def login_identifier(request: HttpRequest, credentials: dict | None) -> str | None:
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    data = getattr(request, "POST", {}) or {}
    for key in ("login", "username", "email"):
        value = data.get(key)
        if value:
            return str(value).strip().lower()
    return None
