"""Read queries on a merchant's VAT records: threshold totals and the OSS return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from apps.core.spreadsheets import csv_text
from apps.tenancy.stores.models import Store
from apps.vat.codes import DISTANCE_SALES_THRESHOLD, Regime
from apps.vat.records.models import StoreVatSettings, VatLedgerEntry, VatNumberCheck

THRESHOLD = Decimal(DISTANCE_SALES_THRESHOLD)
WARNING_FROM = Decimal("0.80")
ZERO = Decimal("0.00")


def vat_settings_get(*, store: Store) -> StoreVatSettings:
    settings_row, _created = StoreVatSettings.objects.get_or_create(store=store)
    return settings_row


def vat_number_check_latest(*, vat_number: str, on: date) -> VatNumberCheck | None:
    """Today's conclusive VIES answer for a number, if there is one (no need to ask twice)."""
    return (
        VatNumberCheck.objects.filter(
            vat_number=vat_number, checked_at__date=on, status__in=["valid", "invalid"]
        )
        .order_by("-checked_at", "-id")
        .first()
    )


def distance_sales_total(*, year: int) -> Decimal:
    """Net EU cross-border B2C sales of the merchant (all stores) in a calendar year."""
    total = VatLedgerEntry.objects.filter(
        supply_date__year=year, counts_toward_threshold=True
    ).aggregate(total=Sum("taxable"))["total"]
    return total or ZERO


@dataclass(frozen=True)
class ThresholdStatus:
    year: int
    this_year: Decimal
    last_year: Decimal
    threshold: Decimal
    percent: Decimal
    state: str  # "below", "warning" (from 80%), "exceeded"

    @property
    def destination_vat(self) -> bool:
        return self.state == "exceeded"


def oss_threshold_status(*, year: int) -> ThresholdStatus:
    this_year = distance_sales_total(year=year)
    last_year = distance_sales_total(year=year - 1)
    percent = (this_year / THRESHOLD * 100).quantize(Decimal("0.1"))
    if this_year > THRESHOLD or last_year > THRESHOLD:
        state = "exceeded"
    elif this_year >= THRESHOLD * WARNING_FROM:
        state = "warning"
    else:
        state = "below"
    return ThresholdStatus(year, this_year, last_year, THRESHOLD, percent, state)


@dataclass(frozen=True)
class OssReturnRow:
    country: str
    rate: Decimal
    taxable: Decimal
    vat: Decimal


def quarter_bounds(*, year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
    return start, end


def oss_return(*, year: int, quarter: int) -> list[OssReturnRow]:
    """Per member state of consumption and per rate: taxable amount and VAT due (OSS sales)."""
    start, end = quarter_bounds(year=year, quarter=quarter)
    rows = (
        VatLedgerEntry.objects.filter(
            regime=Regime.OSS, supply_date__gte=start, supply_date__lt=end
        )
        .values("vat_country", "rate")
        .annotate(taxable=Sum("taxable"), vat=Sum("vat"))
        .order_by("vat_country", "-rate")
    )
    return [OssReturnRow(r["vat_country"], r["rate"], r["taxable"], r["vat"]) for r in rows]


def oss_return_csv(*, year: int, quarter: int, rows: list[OssReturnRow], vat_number: str) -> str:
    """The OSS return as CSV; amounts stay numbers, text cells go through cell_safe."""
    cent = Decimal("0.01")
    return csv_text(
        headers=["vat_number", "period", "member_state_of_consumption", "rate",
                 "taxable_amount_eur", "vat_amount_eur"],
        rows=(
            [vat_number, f"{year}-Q{quarter}", row.country, row.rate.quantize(cent),
             row.taxable.quantize(cent), row.vat.quantize(cent)]
            for row in rows
        ),
    )  # fmt: skip


def vat_number_checks_recent(*, limit: int = 10) -> list[VatNumberCheck]:
    return list(VatNumberCheck.objects.all()[:limit])
