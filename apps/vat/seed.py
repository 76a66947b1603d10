"""Loading fixtures/vat_rates.csv into the rate table. Idempotent (keyed by country and start
date): the data migration and ``manage.py vat_rates_sync`` may both run it any number of times."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

RATES_FILE = Path(__file__).resolve().parent.parent.parent / "fixtures" / "vat_rates.csv"
RATE_COLUMNS = ("standard", "reduced", "reduced_2", "super_reduced", "parking")


def rate_rows(path: Path = RATES_FILE) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = []
    for raw in csv.DictReader(lines):
        row = {
            "country": raw["country"].strip().upper(),
            "valid_from": date.fromisoformat(raw["valid_from"]),
            "valid_to": date.fromisoformat(raw["valid_to"]) if raw["valid_to"] else None,
            "sources": raw["sources"],
            "notes": raw["notes"],
        }
        for column in RATE_COLUMNS:
            row[column] = Decimal(raw[column]) if raw[column] else None
        rows.append(row)
    return rows


def rates_sync(vat_rate_model, path: Path = RATES_FILE) -> tuple[int, int]:
    """Create or update the rows of the file. Returns (created, updated)."""
    created = updated = 0
    for row in rate_rows(path):
        key = {"country": row.pop("country"), "valid_from": row.pop("valid_from")}
        _obj, was_created = vat_rate_model.objects.update_or_create(**key, defaults=row)
        created += was_created
        updated += not was_created
    return created, updated
