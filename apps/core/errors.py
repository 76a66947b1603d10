"""The base of every domain error. Each app defines one error-code enum and raises its own
subclass, so that interfaces (pages, API, commands) can show a clear message and a stable code."""

from __future__ import annotations

from django.db.models import TextChoices


class DomainError(Exception):
    """A rule of the domain refused an operation. Nothing was written."""

    def __init__(self, code: TextChoices | str, message: str, *, field: str | None = None):
        super().__init__(str(message))
        self.code = str(code)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
