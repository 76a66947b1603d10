"""Store API: stock levels and adjustments."""

from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.api.store.access import IsMerchantStaff, api_store
from apps.catalog.models import Variant
from apps.inventory.models import StockLevel, StockLocation
from apps.inventory.services import stock_adjust
from apps.tenancy.stores.roles import Permission


def _level(level: StockLevel) -> dict:
    return {
        "sku": level.variant.sku,
        "location": level.location.code,
        "on_hand": level.on_hand,
        "reserved": level.reserved,
        "available": level.available,
    }


class StockLevelListView(GenericAPIView):
    """GET ?sku=...: stock levels of the store's variants, per location."""

    permission_classes = [IsMerchantStaff]
    read_permission = Permission.VIEW

    def get(self, request):
        store = api_store(request)
        levels = StockLevel.objects.filter(variant__store=store).select_related(
            "variant", "location"
        )
        if request.query_params.get("sku"):
            levels = levels.filter(variant__sku=request.query_params["sku"])
        levels = levels.order_by("variant__sku", "location__position")[:500]
        return Response({"results": [_level(level) for level in levels]})


class AdjustmentSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    location = serializers.SlugField(default="main")
    change = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000)
    reason = serializers.CharField(max_length=200)


class StockAdjustmentView(GenericAPIView):
    """POST {sku, location, change, reason}: correct the quantity on hand."""

    permission_classes = [IsMerchantStaff]
    write_permission = Permission.MANAGE_INVENTORY

    def post(self, request):
        store = api_store(request)
        data = AdjustmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        variant = Variant.objects.filter(store=store, sku=values["sku"]).first()
        location = StockLocation.objects.filter(code=values["location"]).first()
        if variant is None or location is None:
            missing = "sku" if variant is None else "location"
            return Response(
                {
                    "code": f"{missing}_unknown",
                    "detail": f"Unknown {missing} “{values[missing]}”.",
                    "fields": {missing: [f"Unknown {missing}."]},
                },
                status=400,
            )
        movement = stock_adjust(
            variant=variant,
            location=location,
            change=values["change"],
            reason=values["reason"],
            actor=request.user,
        )
        return Response(_level(movement.level), status=201)
