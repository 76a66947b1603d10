"""JSON request bodies that the database can store, or a clear 400.

The standard parser lets through what PostgreSQL or Python then fail on: NUL characters and lone
UTF-16 surrogates ("\\ud800") in strings, which text columns refuse, and documents nested
thousands of levels deep, which exhaust the interpreter's recursion. No Orion endpoint takes
more than a few levels.
"""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _bad_text(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def json_document_check(document: object) -> None:
    """Raise ParseError when the document is too deep or holds text that cannot be stored."""
    stack: list[tuple[object, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
        if isinstance(value, str):
            if _bad_text(value):
                raise ParseError("Text may not contain NUL characters or lone surrogates.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if _bad_text(key):
                    raise ParseError("Text may not contain NUL characters or lone surrogates.")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


class CheckedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
        json_document_check(document)
        return document
