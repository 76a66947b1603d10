"""Loading fixtures/vat_rates.csv and fixtures/vat_category_rates.csv into the rate tables.

Idempotent (keyed by rate area, category and start date): the data migrations and
``manage.py vat_rates_sync`` may run it any number of times. Rows the console added that the
files do not name are kept; one that overlaps a file row stops the sync with a clear message."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
RATES_FILE = FIXTURES / "vat_rates.csv"
CATEGORY_RATES_FILE = FIXTURES / "vat_category_rates.csv"
RATE_COLUMNS = ("standard", "reduced", "reduced_2", "super_reduced", "parking")
# In the category file, this word in the rate column: the area's standard rate on the day.
STANDARD_RATE_WORD = "standard"


class RateFileError(ValueError):
    pass


def _lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [line for line in handle if not line.startswith("#")]


def _period(raw: dict) -> dict:
    return {
        "country": raw["country"].strip().upper(),
        "valid_from": date.fromisoformat(raw["valid_from"]),
        "valid_to": date.fromisoformat(raw["valid_to"]) if raw["valid_to"] else None,
        "sources": raw["sources"],
        "notes": raw["notes"],
    }


def rate_rows(path: Path = RATES_FILE) -> list[dict]:
    rows = []
    for raw in csv.DictReader(_lines(path)):
        row = _period(raw)
        for column in RATE_COLUMNS:
            row[column] = Decimal(raw[column]) if raw[column] else None
        rows.append(row)
    check_no_overlaps(rows, key=("country",), path=path)
    return rows


def category_rate_rows(path: Path = CATEGORY_RATES_FILE) -> list[dict]:
    rows = []
    for raw in csv.DictReader(_lines(path)):
        row = _period(raw)
        row["category"] = raw["category"].strip()
        value = raw["rate"].strip()
        row["rate"] = None if value == STANDARD_RATE_WORD else Decimal(value)
        row["verification"] = raw["verification"].strip()
        rows.append(row)
    check_no_overlaps(rows, key=("country", "category"), path=path)
    return rows


def check_no_overlaps(rows: Iterable[dict], *, key: tuple[str, ...], path: Path) -> None:
    """A file whose own periods overlap or leave a gap is refused before anything is written."""
    chains: dict[tuple, list[dict]] = {}
    for row in rows:
        chains.setdefault(tuple(row[k] for k in key), []).append(row)
    for name, chain in chains.items():
        chain.sort(key=lambda r: r["valid_from"])
        for before, after in itertools.pairwise(chain):
            if (
                before["valid_to"] is None
                or before["valid_to"] + timedelta(1) != after["valid_from"]
            ):
                raise RateFileError(
                    f"{path.name}: {' '.join(name)} periods starting {before['valid_from']} and "
                    f"{after['valid_from']} overlap or leave a gap."
                )


def _sync(model, rows: list[dict], key_fields: tuple[str, ...]) -> tuple[int, int]:
    created = updated = 0
    # Earlier periods first: a period that shrinks frees its end before the next one is written.
    rows = sorted(rows, key=lambda r: tuple(r[k] for k in key_fields))
    with transaction.atomic():
        for row in rows:
            key = {name: row[name] for name in key_fields}
            defaults = {name: value for name, value in row.items() if name not in key_fields}
            try:
                with transaction.atomic():
                    _obj, was_created = model.objects.update_or_create(**key, defaults=defaults)
            except IntegrityError as exc:
                described = ", ".join(str(value) for value in key.values())
                raise RateFileError(
                    f"The period {described} overlaps a period that is in the database but not "
                    f"in the file (added in the console?). Close or delete it, then sync again."
                ) from exc
            created += was_created
            updated += not was_created
    return created, updated


def rates_sync(vat_rate_model, rows: list[dict] | None = None) -> tuple[int, int]:
    """Create or update the rate periods of the file. Returns (created, updated)."""
    rows = rate_rows() if rows is None else rows
    return _sync(vat_rate_model, rows, ("country", "valid_from"))


def category_rates_sync(category_rate_model, rows: list[dict] | None = None) -> tuple[int, int]:
    """Create or update the category rate periods of the file. Returns (created, updated)."""
    rows = category_rate_rows() if rows is None else rows
    return _sync(category_rate_model, rows, ("country", "category", "valid_from"))
