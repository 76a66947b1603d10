"""Stock changes: receive, adjust, count, reserve, release, fulfil (ship), return.

Every change locks the stock-level rows it touches, always in primary-key order (so two
transactions never wait for each other in a circle), checks, updates and writes one ledger row
per level. The database's CHECK constraints (on hand >= 0, 0 <= reserved <= on hand) are the
last line of defence: a bug here cannot oversell either.

A reservation is made once per reference (a unique row per reference): a retried or redelivered
call returns the reservation already made. Inventory also keeps the catalogue's "in stock" flag
(``products_stock_refresh``): the catalogue does not read stock, inventory tells it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalog.models import Variant
from apps.catalog.services import products_in_stock_lock, products_in_stock_set
from apps.core.db import violated_constraint
from apps.core.validation import field_errors
from apps.inventory.errors import InventoryError, InventoryErrorCode
from apps.inventory.models import (
    MovementKind,
    StockLevel,
    StockLocation,
    StockMovement,
    StockReservation,
)
from apps.inventory.selectors import products_available


@dataclass(frozen=True)
class ReserveLine:
    variant_id: int
    quantity: int


def _positive(quantity, *, field: str = "quantity") -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise InventoryError(
            InventoryErrorCode.QUANTITY_INVALID,
            _("The quantity must be a whole number above zero, not %(q)s.") % {"q": quantity},
            field=field,
        )
    return quantity


def _levels_for_update(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], StockLevel]:
    """Lock the levels of these (variant, location) pairs in primary-key order, creating the
    missing ones first (race-free: INSERT ... ON CONFLICT DO NOTHING)."""

    def lock() -> dict[tuple[int, int], StockLevel]:
        condition = Q()
        for variant_id, location_id in pairs:
            condition |= Q(variant_id=variant_id, location_id=location_id)
        locked = StockLevel.objects.select_for_update().filter(condition).order_by("pk")
        return {(level.variant_id, level.location_id): level for level in locked}

    levels = lock()
    missing = pairs - levels.keys()
    if missing:
        StockLevel.objects.bulk_create(
            [StockLevel(variant_id=v, location_id=loc) for v, loc in missing],
            ignore_conflicts=True,
        )
        levels = lock()
    return levels


@transaction.atomic
def products_stock_refresh(
    *, product_ids: Sequence[int] = (), variant_ids: Sequence[int] = ()
) -> None:
    """Set the catalogue's ``Product.in_stock`` of these products (or of these variants'
    products) to "has available stock" (selectors.products_available > 0).

    The products are locked first, then their stock is read: two movements that each empty one
    of a product's levels at once would otherwise each still see the other's level full, and
    leave the flag on. Call it after a change that can move the flag outside the stock
    services too (a variant activated or deactivated)."""
    flags = products_in_stock_lock(product_ids=product_ids, variant_ids=variant_ids)
    if not flags:
        return
    available = products_available(product_ids=flags)
    products_in_stock_set(
        in_stock={
            product_id: available[product_id] > 0
            for product_id, flag in flags.items()
            if flag != (available[product_id] > 0)
        }
    )


def _refresh_products(movements: Sequence[StockMovement]) -> None:
    """Update the products' "in stock" flag where a level went from available to not, or back
    (most movements do not: then no query at all)."""
    variant_ids = sorted({m.level.variant_id for m in movements if m.availability_changed})
    if variant_ids:
        products_stock_refresh(variant_ids=variant_ids)


def _level_for_update(variant: Variant, location: StockLocation) -> StockLevel:
    return _levels_for_update({(variant.pk, location.pk)})[(variant.pk, location.pk)]


def _record(level: StockLevel, **change) -> StockMovement:
    """Apply one change to one locked level, then keep the product's stock flag current."""
    movement = _apply(level, **change)
    _refresh_products([movement])
    return movement


def _check_fits(level: StockLevel, *, on_hand: int, reserved: int) -> None:
    for name, value in (
        ("on_hand", level.on_hand + on_hand),
        ("reserved", level.reserved + reserved),
    ):
        if field_errors(StockLevel, name, value) or field_errors(
            StockMovement, f"{name}_change", on_hand if name == "on_hand" else reserved
        ):
            raise InventoryError(
                InventoryErrorCode.QUANTITY_TOO_LARGE,
                _("%(sku)s: %(value)s units is more than a stock level can hold.")
                % {"sku": level.variant.sku, "value": value},
                field="quantity",
            )


def _apply(
    level: StockLevel,
    *,
    kind: str,
    on_hand: int = 0,
    reserved: int = 0,
    reason: str = "",
    reference: str = "",
    actor=None,
) -> StockMovement:
    was_available = level.available > 0
    _check_fits(level, on_hand=on_hand, reserved=reserved)
    level.on_hand += on_hand
    level.reserved += reserved
    level.save(update_fields=["on_hand", "reserved", "updated_at"])
    movement = StockMovement.objects.create(
        level=level,
        kind=kind,
        on_hand_change=on_hand,
        reserved_change=reserved,
        on_hand_after=level.on_hand,
        reserved_after=level.reserved,
        reason=reason,
        reference=reference,
        actor=actor,
    )
    movement.availability_changed = was_available != (level.available > 0)
    return movement


def _apply_all(
    changes: Sequence[tuple[StockLevel, int, int]],
    *,
    kind: str,
    reference: str = "",
    actor=None,
) -> list[StockMovement]:
    """Apply (level, on-hand change, reserved change) to locked levels in two queries whatever
    their number: one UPDATE of every level and one INSERT of every movement (an order of
    twenty lines must not cost forty round trips)."""
    if len({level.pk for level, _on, _res in changes}) != len(changes):
        raise ValueError("Each level may appear once in one batch of changes.")
    now = timezone.now()
    movements = []
    for level, on_hand, reserved in changes:
        was_available = level.available > 0
        _check_fits(level, on_hand=on_hand, reserved=reserved)
        level.on_hand += on_hand
        level.reserved += reserved
        level.updated_at = now
        movement = StockMovement(
            level=level,
            kind=kind,
            on_hand_change=on_hand,
            reserved_change=reserved,
            on_hand_after=level.on_hand,
            reserved_after=level.reserved,
            reference=reference,
            actor=actor,
        )
        movement.availability_changed = was_available != (level.available > 0)
        movements.append(movement)
    if changes:
        StockLevel.objects.bulk_update(
            [level for level, _on, _res in changes], ["on_hand", "reserved", "updated_at"]
        )
        StockMovement.objects.bulk_create(movements)
    return movements


def _active_location(location: StockLocation) -> StockLocation:
    if not location.is_active:
        raise InventoryError(
            InventoryErrorCode.LOCATION_INACTIVE,
            _("The stock location %(name)s is closed.") % {"name": location},
            field="location",
        )
    return location


@transaction.atomic
def stock_receive(
    *, variant: Variant, location: StockLocation, quantity: int, reference: str = "", actor=None
) -> StockMovement:
    _positive(quantity)
    _active_location(location)
    level = _level_for_update(variant, location)
    return _record(
        level, kind=MovementKind.RECEIPT, on_hand=quantity, reference=reference, actor=actor
    )


@transaction.atomic
def stock_return(
    *, variant: Variant, location: StockLocation, quantity: int, reference: str = "", actor=None
) -> StockMovement:
    _positive(quantity)
    level = _level_for_update(variant, location)
    return _record(
        level, kind=MovementKind.RETURN, on_hand=quantity, reference=reference, actor=actor
    )


@transaction.atomic
def stock_adjust(
    *, variant: Variant, location: StockLocation, change: int, reason: str, actor=None
) -> StockMovement:
    """Correct the quantity on hand (breakage, theft, found items). A reason is required."""
    if not isinstance(change, int) or isinstance(change, bool) or change == 0:
        raise InventoryError(
            InventoryErrorCode.QUANTITY_INVALID,
            _("An adjustment changes the stock by a whole number other than zero."),
            field="change",
        )
    if not (reason or "").strip():
        raise InventoryError(
            InventoryErrorCode.REASON_REQUIRED,
            _("Say why the stock is adjusted."),
            field="reason",
        )
    level = _level_for_update(variant, location)
    if level.on_hand + change < level.reserved:
        raise InventoryError(
            InventoryErrorCode.BELOW_RESERVED,
            _(
                "%(sku)s at %(location)s: %(on_hand)d on hand, %(reserved)d reserved; it cannot "
                "go down by %(change)d."
            )
            % {
                "sku": variant.sku,
                "location": location,
                "on_hand": level.on_hand,
                "reserved": level.reserved,
                "change": -change,
            },
            field="change",
        )
    return _record(
        level, kind=MovementKind.ADJUSTMENT, on_hand=change, reason=reason.strip(), actor=actor
    )


@transaction.atomic
def stock_count(
    *, variant: Variant, location: StockLocation, counted: int, actor=None
) -> StockMovement | None:
    """Record a physical count: on hand becomes ``counted``. Nothing is written if it agrees."""
    if not isinstance(counted, int) or isinstance(counted, bool) or counted < 0:
        raise InventoryError(
            InventoryErrorCode.QUANTITY_INVALID,
            _("A count is a whole number, zero or more."),
            field="counted",
        )
    level = _level_for_update(variant, location)
    if counted < level.reserved:
        raise InventoryError(
            InventoryErrorCode.BELOW_RESERVED,
            _("%(reserved)d units are reserved for orders; the count cannot be lower.")
            % {"reserved": level.reserved},
            field="counted",
        )
    if counted == level.on_hand:
        return None
    return _record(level, kind=MovementKind.COUNT, on_hand=counted - level.on_hand, actor=actor)


def _reference(reference: str) -> str:
    reference = (reference or "").strip()
    problems = field_errors(StockReservation, "reference", reference)
    if not reference or problems:
        raise InventoryError(
            InventoryErrorCode.REFERENCE_INVALID,
            problems[0] if problems else _("A reservation needs a reference (an order, a cart)."),
            field="reference",
        )
    return reference


def _reservation_claim(reference: str) -> bool:
    """Take the reference for this reservation; False when it reserved already. Of two calls at
    once, the second waits on the unique index until the first ends, then is refused (or, if
    the first was rolled back, takes the reference)."""
    try:
        with transaction.atomic():
            StockReservation.objects.create(reference=reference)
    except IntegrityError as exc:
        if violated_constraint(exc) != "inventory_stockreservation_reference_key":
            raise
        return False
    return True


def _reservation_made(reference: str, wanted: dict[int, int]) -> list[StockMovement]:
    """The movements of the reservation already made for ``reference``, if it is the same."""
    movements = list(
        StockMovement.objects.filter(reference=reference, kind=MovementKind.RESERVATION)
        .select_related("level")
        .order_by("id")
    )
    made: dict[int, int] = {}
    for movement in movements:
        variant_id = movement.level.variant_id
        made[variant_id] = made.get(variant_id, 0) + movement.reserved_change
    if made != wanted:
        raise InventoryError(
            InventoryErrorCode.REFERENCE_REUSED,
            _("%(reference)s has already reserved other quantities.") % {"reference": reference},
            field="reference",
        )
    return movements


@transaction.atomic
def stock_reserve(
    *, lines: Sequence[ReserveLine], reference: str, actor=None
) -> list[StockMovement]:
    """Reserve every line or nothing, taking stock from the active locations in their order.

    Once per reference: called again with a reference that reserved already (a retry), it
    reserves nothing and returns that reservation's movements — or refuses when the lines
    differ."""
    reference = _reference(reference)
    wanted: dict[int, int] = {}
    for line in lines:
        wanted[line.variant_id] = wanted.get(line.variant_id, 0) + _positive(line.quantity)
    if not wanted:
        raise InventoryError(InventoryErrorCode.QUANTITY_INVALID, _("Nothing to reserve."))
    if not _reservation_claim(reference):
        return _reservation_made(reference, wanted)
    locations = list(StockLocation.objects.filter(is_active=True).order_by("position", "id"))
    levels = _levels_for_update({(v, loc.pk) for v in wanted for loc in locations})

    plan: list[tuple[StockLevel, int]] = []
    short: list[str] = []
    for variant_id, quantity in sorted(wanted.items()):
        remaining = quantity
        for location in locations:
            level = levels[(variant_id, location.pk)]
            take = min(remaining, level.available)
            if take > 0:
                plan.append((level, take))
                remaining -= take
            if remaining == 0:
                break
        if remaining:
            available = quantity - remaining
            sku = Variant.objects.filter(pk=variant_id).values_list("sku", flat=True).first()
            short.append(
                _("%(sku)s: %(wanted)d wanted, %(available)d available")
                % {"sku": sku or variant_id, "wanted": quantity, "available": available}
            )
    if short:
        raise InventoryError(
            InventoryErrorCode.INSUFFICIENT_STOCK,
            _("Insufficient stock: %(details)s.") % {"details": "; ".join(short)},
        )
    movements = _apply_all(
        [(level, 0, take) for level, take in plan],
        kind=MovementKind.RESERVATION,
        reference=reference,
        actor=actor,
    )
    _refresh_products(movements)
    return movements


def _outstanding(reference: str) -> dict[int, int]:
    """Per stock level, what a reference still holds reserved."""
    rows = (
        StockMovement.objects.filter(reference=reference)
        .filter(kind__in=[MovementKind.RESERVATION, MovementKind.RELEASE, MovementKind.SHIPMENT])
        .values("level_id")
        .annotate(held=Sum("reserved_change"))
    )
    return {row["level_id"]: row["held"] for row in rows if row["held"] > 0}


def _settle(*, reference: str, kind: str, actor=None) -> list[StockMovement]:
    reference = (reference or "").strip()  # as stock_reserve stored it
    nothing = InventoryError(
        InventoryErrorCode.NOTHING_RESERVED,
        _("Nothing is reserved for %(reference)s.") % {"reference": reference},
    )
    held = _outstanding(reference)
    if not held:
        raise nothing
    # list(): the rows are locked when the query runs, and it must run before the re-count.
    levels = list(StockLevel.objects.select_for_update().filter(pk__in=held).order_by("pk"))
    held = _outstanding(reference)  # again, now that the rows are locked
    if not held:  # a parallel release or shipment of the reference settled it first
        raise nothing
    movements = []
    for level in levels:
        quantity = held.get(level.pk, 0)
        if quantity <= 0:
            continue
        ships = kind == MovementKind.SHIPMENT
        movements.append(
            _apply(
                level,
                kind=kind,
                reserved=-quantity,
                on_hand=-quantity if ships else 0,
                reference=reference,
                actor=actor,
            )
        )
    _refresh_products(movements)
    return movements


@transaction.atomic
def stock_release(*, reference: str, actor=None) -> list[StockMovement]:
    """Give back what a reference (a cancelled order, an expired cart) holds reserved."""
    return _settle(reference=reference, kind=MovementKind.RELEASE, actor=actor)


@transaction.atomic
def stock_fulfil(*, reference: str, actor=None) -> list[StockMovement]:
    """Ship what a reference holds reserved: it leaves the warehouse."""
    return _settle(reference=reference, kind=MovementKind.SHIPMENT, actor=actor)


@transaction.atomic
def stock_fulfil_lines(
    *, reference: str, lines: Sequence[ReserveLine], actor=None
) -> list[StockMovement]:
    """Ship part of what a reference holds reserved: exactly these quantities per variant (a
    partial shipment of an order), taken from the levels holding them in location order.
    All lines or none; what stays reserved can be shipped or released later."""
    wanted: dict[int, int] = {}
    for line in lines:
        wanted[line.variant_id] = wanted.get(line.variant_id, 0) + _positive(line.quantity)
    if not wanted:
        raise InventoryError(InventoryErrorCode.QUANTITY_INVALID, _("Nothing to ship."))
    reference = (reference or "").strip()  # as stock_reserve stored it
    held = _outstanding(reference)
    levels = list(
        StockLevel.objects.select_for_update(of=("self",))
        .filter(pk__in=held, variant_id__in=wanted)
        .select_related("location", "variant")
        .order_by("pk")
    )
    held = _outstanding(reference)  # again, now that the rows are locked
    levels.sort(key=lambda lvl: (lvl.location.position, lvl.location_id))
    plan: list[tuple[StockLevel, int, int]] = []
    short: list[str] = []
    for variant_id, quantity in sorted(wanted.items()):
        remaining = quantity
        for level in (lvl for lvl in levels if lvl.variant_id == variant_id):
            take = min(remaining, held.get(level.pk, 0))
            if take > 0:
                plan.append((level, -take, -take))
                remaining -= take
        if remaining:
            sku = next((lvl.variant.sku for lvl in levels if lvl.variant_id == variant_id), None)
            short.append(
                _("%(sku)s: %(wanted)d to ship, %(held)d reserved")
                % {"sku": sku or variant_id, "wanted": quantity, "held": quantity - remaining}
            )
    if short:
        raise InventoryError(
            InventoryErrorCode.NOTHING_RESERVED,
            _("Not reserved for %(reference)s: %(details)s.")
            % {"reference": reference, "details": "; ".join(short)},
        )
    movements = _apply_all(plan, kind=MovementKind.SHIPMENT, reference=reference, actor=actor)
    _refresh_products(movements)
    return movements
