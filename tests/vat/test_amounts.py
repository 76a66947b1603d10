"""EN 16931 rounding: category VAT on the sum of line nets; totals add up exactly."""

import random
from decimal import Decimal

import pytest

from apps.vat.amounts import PricedLine, document_amounts, money

D = Decimal


def line(qty, price, rate="17", category="S", **kwargs):
    return PricedLine(
        quantity=D(qty), unit_price=D(price), category=category, rate=D(rate), **kwargs
    )


def check_invariants(doc):
    assert doc.total == doc.net_total + doc.vat_total
    assert doc.net_total == sum(line.net for line in doc.lines)
    assert doc.vat_total == sum(c.vat for c in doc.categories)
    for cat in doc.categories:
        lines = [ln for ln in doc.lines if (ln.category, ln.rate) == (cat.category, cat.rate)]
        assert cat.taxable == sum(ln.net for ln in lines)
        assert cat.vat == money(cat.taxable * cat.rate / 100)
    assert doc.payable == doc.total + doc.rounding
    for value in (doc.net_total, doc.vat_total, doc.total, doc.payable):
        assert value == value.quantize(D("0.01"))


def test_vat_is_computed_on_the_category_sum_not_per_line():
    # 3 lines of 0.05 at 17%: per line VAT would round to 0.01 each (0.03);
    # on the sum (0.15) it is 0.0255 -> 0.03. With 0.04 x 3: per line 0.01 x 3 = 0.03,
    # on the sum 0.12 x 17% = 0.0204 -> 0.02.
    doc = document_amounts([line(1, "0.04"), line(1, "0.04"), line(1, "0.04")])
    assert doc.net_total == D("0.12")
    assert doc.vat_total == D("0.02")
    check_invariants(doc)


def test_many_small_lines_keep_the_invariants():
    rng = random.Random(2026)
    lines = [
        line(
            rng.randint(1, 7), f"{rng.randint(1, 999) / 100:.2f}", rate=rng.choice(["17", "8", "3"])
        )
        for _ in range(500)
    ]
    doc = document_amounts(lines)
    check_invariants(doc)
    assert {c.rate for c in doc.categories} == {D("17"), D("8"), D("3")}


def test_mixed_categories_are_broken_down_separately():
    doc = document_amounts(
        [
            line(2, "10.00", "20"),
            line(1, "5.55", "5.5"),
            line(3, "1.99", "0", category="Z"),
            line(1, "100.00", "0", category="K"),
        ]
    )
    check_invariants(doc)
    by_key = {(c.category, c.rate): c for c in doc.categories}
    assert by_key[("S", D("20"))].vat == D("4.00")
    assert by_key[("S", D("5.5"))].vat == D("0.31")  # 5.55 x 5.5% = 0.30525
    assert by_key[("Z", D("0"))].vat == D("0.00")
    assert by_key[("K", D("0"))].taxable == D("100.00")
    assert doc.total == D("131.52") + D("4.31")


def test_vat_inclusive_domestic_prices_are_what_the_shopper_pays():
    # Catalogue gross 9.99 at 17%, 7 pieces: the document keeps 69.93 payable.
    doc = document_amounts([line(7, "9.99", price_includes_rate=D("17"))])
    check_invariants(doc)
    assert doc.payable == D("69.93")
    assert doc.net_total == D("59.77")  # 69.93 / 1.17 = 59.7692...
    assert doc.vat_total == D("10.16")  # 59.77 x 17% = 10.1609
    assert doc.rounding == D("0.00")


def test_vat_inclusive_rounding_difference_goes_to_the_rounding_amount():
    lines = [line(1, "0.10", price_includes_rate=D("17")) for _ in range(50)]
    doc = document_amounts(lines)
    check_invariants(doc)
    assert doc.payable == D("5.00")  # what the shopper saw: 50 x 0.10
    # Rounded line by line the nets would be 50 x 0.09 = 4.50 and the VAT 0.77, 0.27 more than
    # the shopper paid. Allocated, the nets add up to round(5.00 / 1.17) = 4.27.
    assert doc.net_total == D("4.27")
    assert doc.vat_total == D("0.73")
    assert doc.rounding == D("0.00")
    assert sorted({ln.net for ln in doc.lines}) == [D("0.08"), D("0.09")]


def test_inclusive_prices_rounding_amount_stays_within_a_cent_per_category():
    rng = random.Random(7)
    for _ in range(200):
        lines = [
            line(
                rng.randint(1, 5),
                f"{rng.randint(1, 5000) / 100:.2f}",
                rate=rate,
                price_includes_rate=D(rate),
            )
            for rate in rng.choices(["17", "8", "3", "14"], k=rng.randint(1, 30))
        ]
        doc = document_amounts(lines)
        check_invariants(doc)
        assert abs(doc.rounding) <= D("0.01") * len(doc.categories)
        assert doc.payable == sum(money(ln.quantity * ln.unit_price) for ln in lines)


@pytest.mark.parametrize(
    ("keep_gross", "net", "vat", "payable"),
    [
        # LU catalogue price 117.00 incl. 17%, sold to a French consumer (OSS, 20%).
        (True, "97.50", "19.50", "117.00"),  # keep gross: the shopper pays 117.00
        (False, "100.00", "20.00", "120.00"),  # keep net: the net 100.00 stays, FR VAT on top
    ],
)
def test_cross_border_policy_for_vat_inclusive_prices(keep_gross, net, vat, payable):
    doc = document_amounts(
        [line(1, "117.00", rate="20", price_includes_rate=D("17"), keep_gross=keep_gross)]
    )
    check_invariants(doc)
    assert (doc.net_total, doc.vat_total, doc.payable) == (D(net), D(vat), D(payable))


def test_exempt_supply_with_inclusive_prices_keep_net_removes_the_home_vat():
    doc = document_amounts(
        [line(2, "58.50", rate="0", category="K", price_includes_rate=D("17"), keep_gross=False)]
    )
    assert (doc.net_total, doc.vat_total, doc.total) == (D("100.00"), D("0.00"), D("100.00"))
