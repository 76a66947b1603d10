"""Document amounts the EN 16931 way, in Decimal.

Rounding happens where EN 16931 puts it, half up to cents:
- each line's net amount (BT-131) = quantity x net unit price, rounded;
- per VAT category and rate: taxable amount (BT-116) = sum of its line net amounts, and VAT
  (BT-117) = taxable amount x rate, rounded — never a sum of rounded line VAT;
- totals: net (BT-109) = sum of line nets, VAT (BT-110) = sum of category VAT, invoice total
  (BT-112) = net + VAT, exactly.

With VAT-inclusive catalogue prices the shopper was shown gross amounts; when the document's
gross total differs from them by rounding, the difference is the rounding amount (BT-114) so the
amount due (BT-115) is what the shopper saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PricedLine:
    """One line, already decided: its VAT category and rate are known."""

    quantity: Decimal
    unit_price: Decimal  # as entered in the catalogue
    category: str
    rate: Decimal  # the rate charged on this line (0 for exempt lines)
    # For VAT-inclusive prices: the rate the catalogue price includes (the store's home rate
    # for the line's tax class), and whether the shopper keeps paying that gross price.
    price_includes_rate: Decimal | None = None
    keep_gross: bool = True
    reference: str = ""


@dataclass(frozen=True)
class LineAmounts:
    reference: str
    quantity: Decimal
    category: str
    rate: Decimal
    net: Decimal  # BT-131
    shown_gross: Decimal | None  # what a VAT-inclusive catalogue showed, before rounding


@dataclass(frozen=True)
class CategoryAmounts:
    category: str
    rate: Decimal
    taxable: Decimal  # BT-116
    vat: Decimal  # BT-117


@dataclass(frozen=True)
class DocumentAmounts:
    lines: tuple[LineAmounts, ...]
    categories: tuple[CategoryAmounts, ...]
    net_total: Decimal  # BT-109
    vat_total: Decimal  # BT-110
    total: Decimal  # BT-112 = net + VAT
    rounding: Decimal = field(default=Decimal("0.00"))  # BT-114
    payable: Decimal = field(default=Decimal("0.00"))  # BT-115 = total + rounding


def _exact_net(line: PricedLine) -> tuple[Decimal, Decimal | None]:
    """The line's net amount before rounding, and the gross the shopper saw if it stays."""
    if line.price_includes_rate is None:
        return line.quantity * line.unit_price, None
    gross = line.quantity * line.unit_price
    # The shown gross stays when the store keeps gross prices, or when the rate charged is the
    # one the catalogue price includes (a domestic sale, say).
    keeps_gross = line.keep_gross or line.rate == line.price_includes_rate
    divisor_rate = line.rate if keeps_gross else line.price_includes_rate
    net = gross / (1 + divisor_rate / HUNDRED)
    return net, (money(gross) if keeps_gross else None)


def _allocate(exact: list[Decimal]) -> list[Decimal]:
    """Round amounts to cents so that they add up to their rounded sum (largest remainder).

    Used for nets taken out of VAT-inclusive prices: rounding each line on its own would let
    the errors of many small lines add up to cents of VAT that the shopper never paid.
    """
    target = money(sum(exact, Decimal("0")))
    floors = [value.quantize(CENT, rounding=ROUND_FLOOR) for value in exact]
    missing = int((target - sum(floors, Decimal("0"))) / CENT)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:missing]:
        floors[i] += CENT
    return floors


def document_amounts(lines: Sequence[PricedLine]) -> DocumentAmounts:
    exact = [_exact_net(line) for line in lines]
    nets: list[Decimal] = [money(net) for net, _shown in exact]
    # Lines whose gross was shown: nets allocated per category so that their sum is exact.
    allocated: dict[tuple[str, Decimal], list[int]] = {}
    for index, (line, (_net, shown)) in enumerate(zip(lines, exact, strict=True)):
        if shown is not None:
            allocated.setdefault((line.category, line.rate), []).append(index)
    for indexes in allocated.values():
        for index, net in zip(indexes, _allocate([exact[i][0] for i in indexes]), strict=True):
            nets[index] = net

    computed: list[LineAmounts] = []
    groups: dict[tuple[str, Decimal], Decimal] = {}
    for line, net, (_exact, shown) in zip(lines, nets, exact, strict=True):
        computed.append(
            LineAmounts(line.reference, line.quantity, line.category, line.rate, net, shown)
        )
        key = (line.category, line.rate)
        groups[key] = groups.get(key, Decimal("0")) + net
    all_shown = bool(lines) and all(shown is not None for _net, shown in exact)
    shown_total = sum((shown for _net, shown in exact if shown is not None), Decimal("0"))
    categories = tuple(
        CategoryAmounts(category, rate, taxable, money(taxable * rate / HUNDRED))
        for (category, rate), taxable in sorted(groups.items(), key=lambda item: item[0])
    )
    net_total = sum((line.net for line in computed), Decimal("0.00"))
    vat_total = sum((c.vat for c in categories), Decimal("0.00"))
    total = net_total + vat_total
    rounding = shown_total - total if all_shown else Decimal("0.00")
    return DocumentAmounts(
        lines=tuple(computed),
        categories=categories,
        net_total=net_total,
        vat_total=vat_total,
        total=total,
        rounding=rounding,
        payable=total + rounding,
    )
