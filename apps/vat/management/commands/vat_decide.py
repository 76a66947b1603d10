"""Decide the VAT of one supply from the command line (for people checking a case, and tests).

    manage.py vat_decide --seller-country LU --buyer-country DE --business \
        --buyer-vat-number DE136695976 --date 2026-03-01 --json
    manage.py vat_decide --seller-country LU --buyer-country FR --oss-registered \
        --tax-class books --json
"""

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.vat.codes import EU_MEMBER_STATES, TaxClass
from apps.vat.numbers import InvalidVatNumber, vat_number_parse
from apps.vat.rates import RateNotFound
from apps.vat.rules import VatCase, VatRuleError, vat_decide
from apps.vat.selectors import rate_table_load
from apps.vat.territories import normalise_country


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _country(value: str, flag: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise _bad(f"{flag} must be a two-letter country code (e.g. LU, DE), not {value!r}.")
    return code


def _amount(value: str | None, flag: str) -> Decimal:
    if value is None:
        return Decimal("0")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise _bad(f"{flag} must be an amount like 12000.00, not {value!r}.") from exc
    if not amount.is_finite() or amount < 0:
        raise _bad(f"{flag} must be zero or more, not {value!r}.")
    return amount


class Command(BaseCommand):
    help = "Decide the VAT regime, rate, EN 16931 category and invoice mention of one sale."

    def add_arguments(self, parser):
        parser.add_argument("--seller-country", required=True)
        parser.add_argument("--buyer-country", required=True)
        parser.add_argument("--postal-code", default="")
        parser.add_argument(
            "--buyer-vat-number", help="checked for format and check digits only (no VIES)"
        )
        parser.add_argument("--business", action="store_true", help="the buyer is a business")
        parser.add_argument("--oss-registered", action="store_true")
        parser.add_argument("--eu-sales-this-year", help="EU B2C distance sales so far, EUR net")
        parser.add_argument("--eu-sales-last-year", help="EU B2C distance sales last year")
        parser.add_argument("--amount", help="this sale's net amount (counts toward the threshold)")
        parser.add_argument("--date", help="supply date, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--tax-class",
            default=TaxClass.STANDARD,
            choices=list(TaxClass.values),
            help="a goods category (books, foodstuffs...) or a rate kind (reduced...)",
        )
        parser.add_argument(
            "--rate-override",
            action="append",
            default=[],
            metavar="COUNTRY=RATE",
            help="this product's own rate in a country, e.g. FR=5.5 (repeatable)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        seller = normalise_country(_country(options["seller_country"], "--seller-country"))
        if seller not in EU_MEMBER_STATES:
            raise _bad(f"--seller-country must be an EU member state, not {seller}.")
        buyer = _country(options["buyer_country"], "--buyer-country")
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise _bad(f"--date must look like 2026-03-01, not {options['date']!r}.") from exc

        number, number_valid = None, False
        if options["buyer_vat_number"]:
            try:
                number, number_valid = vat_number_parse(options["buyer_vat_number"]), True
            except InvalidVatNumber as exc:
                raise _bad(
                    f"--buyer-vat-number {options['buyer_vat_number']!r} is not a valid VAT "
                    f"number: {exc}"
                ) from exc

        overrides = {}
        for item in options["rate_override"]:
            code, _sep, rate = item.partition("=")
            if not code.strip() or not rate:
                raise _bad(f"--rate-override must look like FR=5.5, not {item!r}.")
            overrides[code.strip().upper()] = _amount(rate, "--rate-override")

        case = VatCase(
            seller_country=seller,
            buyer_country=buyer,
            postal_code=options["postal_code"],
            supply_date=day,
            tax_class=options["tax_class"],
            buyer_vat_number=number,
            buyer_vat_number_valid=number_valid,
            is_business=options["business"],
            oss_registered=options["oss_registered"],
            eu_sales_this_year=_amount(options["eu_sales_this_year"], "--eu-sales-this-year"),
            eu_sales_last_year=_amount(options["eu_sales_last_year"], "--eu-sales-last-year"),
            amount=_amount(options["amount"], "--amount"),
            rate_overrides=overrides,
        )
        try:
            decision = vat_decide(case, rate_table_load())
        except (VatRuleError, RateNotFound) as exc:
            raise _bad(str(exc)) from exc

        result = decision.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        keys = ("regime", "vat_country", "rate_area", "rate", "category", "exemption_reason_code")
        for key in keys:
            self.stdout.write(f"{key:>22}: {result[key]}")
        for language, text in (result["mention"] or {}).items():
            self.stdout.write(f"{'mention ' + language:>22}: {text}")
        for reason in result["reasons"]:
            self.stdout.write(f"{'why':>22}: {reason}")
