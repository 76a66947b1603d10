"""The French and German catalogues: complete, checked, compiled, and without the shape of the
bugs they once had (one translation reused for another string: "Activate" -> "Désactiver",
"In stock" -> "Gérer le stock", "Available" -> "VIES indisponible", "New product" -> "Gérer les
produits"). No database needed."""

from __future__ import annotations

import gettext
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["fr", "de"]  # English is the source language: its entries stay empty

# Two different source strings may share a translation only when listed here, with the reason.
# Strings that differ only in case ("Name" / "name": a model field and its form label) are the
# same string to a reader and need no entry.
SAME_TRANSLATION_ALLOWED: dict[str, dict[frozenset[str], str]] = {
    "fr": {
        frozenset({"Store", "Shop"}): "synonyms: dashboard and storefront say 'boutique'",
        frozenset({"Log out", "Sign out"}): "synonyms: dashboard and storefront wording",
        frozenset({"Compare-at", "compare-at price"}): "the column header of that very field",
        frozenset({"product feed", "product feeds"}): "'flux' has the same plural in French",
        frozenset({"level", "stock level"}): "the movement's field names the stock level",
        frozenset({"Change", "Edit"}): "French UIs say 'Modifier' for both buttons",
    },
    "de": {
        frozenset({"Store", "Shop"}): "synonyms: German says 'Shop' for both",
        frozenset({"Log out", "Sign out"}): "synonyms: dashboard and storefront wording",
        frozenset({"Compare-at", "compare-at price"}): "the column header of that very field",
        frozenset({"user", "users"}): "'Benutzer' has the same plural in German",
        frozenset({"error", "errors"}): "'Fehler' has the same plural in German",
        frozenset({"merchant", "merchants"}): "'Händler' has the same plural in German",
        frozenset({"Location", "stock location"}): "a stock location is a 'Lagerort'",
        frozenset({"Locations", "stock locations"}): "a stock location is a 'Lagerort'",
        frozenset({"level", "stock level"}): "the movement's field names the stock level",
    },
}

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w*\}")


def catalog(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po)


def messages(language: str) -> list[Message]:
    return [message for message in catalog(language) if message.id]


def forms(value: str | tuple) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def label(message: Message) -> str:
    source = forms(message.id)[0]
    return f"{message.context}|{source}" if message.context else source


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated(language):
    empty = [label(m) for m in messages(language) if not all(s.strip() for s in forms(m.string))]
    assert empty == [], f"{language}: untranslated entries"


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_no_entry_and_no_header_is_fuzzy(language):
    # gettext leaves fuzzy entries out of the .mo: the interface would silently show English.
    po = catalog(language)
    assert not po.fuzzy, f"{language}: the header is marked fuzzy"
    fuzzy = [label(m) for m in messages(language) if m.fuzzy]
    assert fuzzy == [], f"{language}: fuzzy entries, check them and remove the flag"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_kept(language):
    wrong = []
    for message in messages(language):
        wanted = sorted(PLACEHOLDER.findall(forms(message.id)[-1]))
        for translated in forms(message.string):
            if sorted(PLACEHOLDER.findall(translated)) != wanted:
                wrong.append((label(message), translated))
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_one_translation_is_not_reused_for_different_strings(language):
    sources_by_translation: dict[str, set[str]] = defaultdict(set)
    for message in messages(language):
        translated = forms(message.string)[0].strip().casefold()
        if translated:
            sources_by_translation[translated].add(forms(message.id)[0].casefold())
    allowed = {
        frozenset(source.casefold() for source in pair)
        for pair in SAME_TRANSLATION_ALLOWED[language]
    }
    clashes = [
        (translated, pair)
        for translated, sources in sorted(sources_by_translation.items())
        for pair in combinations(sorted(sources), 2)
        if frozenset(pair) not in allowed
    ]
    assert clashes == [], f"{language}: one translation for different strings: {clashes}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_allow_list_has_no_stale_pairs(language):
    # An allowed pair whose strings have gone or now differ hides nothing: remove it.
    translations: dict[str, str] = {}
    for message in messages(language):
        translations[forms(message.id)[0].casefold()] = forms(message.string)[0].casefold()
    for pair, reason in SAME_TRANSLATION_ALLOWED[language].items():
        first, second = (translations.get(source.casefold()) for source in sorted(pair))
        assert first is not None and first == second, (sorted(pair), reason)


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_the_compiled_catalogue_matches_the_po_file(language):
    """The .mo Django reads says what the .po says: run compilemessages after editing a .po."""
    expected: dict[object, str] = {}
    for message in messages(language):
        if message.fuzzy or not all(forms(message.string)):
            continue
        source = forms(message.id)[0]
        key = f"{message.context}\x04{source}" if message.context else source
        if isinstance(message.id, tuple):
            expected.update({(key, n): text for n, text in enumerate(message.string)})
        else:
            expected[key] = message.string
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)
    compiled.pop("", None)  # the header
    assert compiled == expected
