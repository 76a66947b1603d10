import json

import pytest
from django.core.management import CommandError, call_command

from apps.vat.numbers import InvalidVatNumber, vat_number_parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "prefix", "country"),
    [
        ("DE136695976", "DE", "DE"),
        ("de 136 695 976", "DE", "DE"),
        ("LU15027442", "LU", "LU"),
        ("EL094259216", "EL", "GR"),
        ("GR094259216", "EL", "GR"),
        ("XI980780684", "XI", "XI"),
        ("FR40303265045", "FR", "FR"),
        ("BE0403019261", "BE", "BE"),
        ("NL004495445B01", "NL", "NL"),
        ("ATU13585627", "AT", "AT"),
    ],
)
def test_valid_numbers_are_normalised(raw, prefix, country):
    number = vat_number_parse(raw)
    assert (number.prefix, number.country) == (prefix, country)
    assert str(number) == prefix + number.number


@pytest.mark.parametrize(
    "raw",
    [
        "DE136695977",
        "LU15027443",
        "FR40303265046",
        "EL094259217",
        "XX123456789",
        "",
        "DE12",
        "GB980780684",
    ],
)
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(InvalidVatNumber):
        vat_number_parse(raw)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("vat_decide", *args, stdout=out)
    return out.getvalue()


def test_cli_prints_the_contract_json():
    out = run(
        "--seller-country=LU",
        "--buyer-country=DE",
        "--business",
        "--buyer-vat-number=DE136695976",
        "--date=2026-03-01",
        "--json",
    )
    result = json.loads(out)
    assert result["regime"] == "intra_community"
    assert result["vat_country"] == "DE" and result["rate"] == "0.00"
    assert result["category"] == "K" and result["exemption_reason_code"] == "VATEX-EU-IC"
    assert set(result["mention"]) == {"fr", "de", "en"}


def test_cli_consumer_over_threshold_gets_destination_rate():
    result = json.loads(
        run(
            "--seller-country=LU",
            "--buyer-country=DE",
            "--eu-sales-this-year=12000.00",
            "--eu-sales-last-year=0",
            "--date=2026-03-01",
            "--tax-class=standard",
            "--json",
        )
    )
    assert (result["regime"], result["vat_country"], result["rate"], result["category"]) == (
        "oss",
        "DE",
        "19.00",
        "S",
    )
    assert result["mention"] is None and result["exemption_reason_code"] is None


def test_cli_canary_islands_postcode_is_an_export():
    result = json.loads(
        run("--seller-country=LU", "--buyer-country=ES", "--postal-code=35001", "--json")
    )
    assert (result["regime"], result["category"]) == ("export", "G")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seller-country=CH", "--buyer-country=DE"], "must be an EU member state"),
        (["--seller-country=LUX", "--buyer-country=DE"], "two-letter country code"),
        (
            ["--seller-country=LU", "--buyer-country=DE", "--date=2026-13-01"],
            "--date must look like",
        ),
        (["--seller-country=LU", "--buyer-country=DE", "--eu-sales-this-year=lots"], "amount like"),
        (["--seller-country=LU", "--buyer-country=DE", "--eu-sales-this-year=-5"], "zero or more"),
        (
            ["--seller-country=LU", "--buyer-country=DE", "--buyer-vat-number=DE136695977"],
            "checksum",
        ),
        (["--seller-country=LU", "--buyer-country=DE", "--date=1970-01-01"], "No VAT rates"),
    ],
)
def test_cli_bad_arguments_exit_2_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message) as excinfo:
        run(*args)
    assert excinfo.value.returncode == 2


def test_cli_exit_code_from_a_real_process():
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "vat_decide",
            "--seller-country",
            "LU",
            "--buyer-country",
            "DE",
            "--tax-class",
            "luxury",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "invalid choice" in done.stderr
