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


@pytest.mark.parametrize(
    ("tax_class", "rate", "category"),
    [
        ("books", "5.50", "S"),
        ("ebooks", "5.50", "S"),
        ("newspapers", "2.10", "S"),
        ("foodstuffs", "5.50", "S"),
        ("non_alcoholic_beverages", "5.50", "S"),
        ("children_clothing", "20.00", "S"),
        ("pharmaceuticals", "10.00", "S"),
        ("medical_devices", "5.50", "S"),
        ("flowers_plants", "10.00", "S"),
        ("standard", "20.00", "S"),
        ("zero_rated", "0.00", "Z"),
        ("reduced", "10.00", "S"),
        ("reduced_2", "5.50", "S"),
        ("super_reduced", "2.10", "S"),
        ("parking", "20.00", "S"),
        ("zero", "0.00", "Z"),
    ],
)
def test_cli_accepts_every_goods_category_and_rate_kind(tax_class, rate, category):
    result = json.loads(
        run(
            "--seller-country=LU",
            "--buyer-country=FR",
            "--oss-registered",
            "--date=2026-03-01",
            f"--tax-class={tax_class}",
            "--json",
        )
    )
    assert (result["vat_country"], result["rate"], result["category"]) == ("FR", rate, category)


def test_cli_a_zero_rated_category_in_a_state_gives_z_and_a_rate_area_shows():
    irish_book = json.loads(
        run("--seller-country=LU", "--buyer-country=IE", "--oss-registered", "--tax-class",
            "books", "--date=2026-03-01", "--json")
    )  # fmt: skip
    assert (irish_book["rate"], irish_book["category"]) == ("0.00", "Z")
    madeira = json.loads(
        run("--seller-country=LU", "--buyer-country=PT", "--postal-code=9000-001",
            "--oss-registered", "--date=2026-03-01", "--json")
    )  # fmt: skip
    assert (madeira["vat_country"], madeira["rate_area"], madeira["rate"]) == (
        "PT",
        "PT-30",
        "22.00",
    )
    belfast = json.loads(
        run("--seller-country=IE", "--buyer-country=GB", "--postal-code=BT1 5GS",
            "--oss-registered", "--tax-class=children_clothing", "--json")
    )  # fmt: skip
    assert (belfast["vat_country"], belfast["rate"], belfast["category"]) == ("XI", "0.00", "Z")


def test_cli_rate_override():
    result = json.loads(
        run("--seller-country=LU", "--buyer-country=FR", "--oss-registered", "--tax-class=books",
            "--rate-override", "fr=20", "--rate-override", "DE=7", "--json")
    )  # fmt: skip
    assert result["rate"] == "20.00" and "override" in result["reasons"][-1]
    with pytest.raises(CommandError, match=r"must look like FR=5\.5") as excinfo:
        run("--seller-country=LU", "--buyer-country=FR", "--rate-override", "FR")
    assert excinfo.value.returncode == 2
    with pytest.raises(CommandError, match="override for FR"):
        run("--seller-country=LU", "--buyer-country=FR", "--oss-registered",
            "--rate-override", "FR=100")  # fmt: skip
