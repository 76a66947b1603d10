"""Store API: products, variants and categories of one store."""

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from apps.api.store.access import IsMerchantStaff, api_store
from apps.catalog.models import CATALOG_LANGUAGES, Category, Product, Variant
from apps.catalog.search import SearchFilters, product_search
from apps.catalog.selectors import products_for_list
from apps.catalog.services import VariantInput, product_create
from apps.core.parsing import page_number
from apps.inventory.selectors import product_available_stock
from apps.tenancy.stores.roles import Permission
from apps.vat.codes import TaxClass


class VariantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Variant
        fields = ["id", "sku", "gtin", "options", "price", "compare_at_price", "is_active"]


class ProductSerializer(serializers.ModelSerializer):
    names = serializers.SerializerMethodField()
    descriptions = serializers.SerializerMethodField()
    brand = serializers.CharField(source="brand.name", default="")
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    variants = VariantSerializer(many=True, read_only=True)
    available = serializers.IntegerField(read_only=True, default=None)
    vat_rates = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id", "slug", "names", "descriptions", "brand", "categories", "tax_class",
            "weight_grams", "is_active", "price_from", "available", "variants", "vat_rates",
            "created_at",
        ]  # fmt: skip

    def get_names(self, product) -> dict:
        return {lang: getattr(product, f"name_{lang}") or "" for lang in CATALOG_LANGUAGES}

    def get_vat_rates(self, product) -> dict:
        return {r.country: f"{r.rate:.2f}" for r in product.vat_rates.all()}

    def get_descriptions(self, product) -> dict:
        return {lang: getattr(product, f"description_{lang}") or "" for lang in CATALOG_LANGUAGES}


class VariantInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    gtin = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    options = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    compare_at_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )


class ProductInputSerializer(serializers.Serializer):
    names = serializers.DictField(child=serializers.CharField(allow_blank=True))
    descriptions = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    brand = serializers.CharField(required=False, allow_blank=True, default="")
    categories = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    tax_class = serializers.ChoiceField(choices=TaxClass.choices, default=TaxClass.STANDARD)
    weight_grams = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    is_active = serializers.BooleanField(default=True)
    variants = VariantInputSerializer(many=True)
    vat_rates = serializers.DictField(
        child=serializers.CharField(max_length=10), required=False, default=dict
    )

    def validate_names(self, value):
        unknown = set(value) - set(CATALOG_LANGUAGES)
        if unknown:
            raise serializers.ValidationError(
                f"Languages are fr, de and en, not {sorted(unknown)}."
            )
        return value


def _with_stock(products: QuerySet[Product]) -> dict[int, Product]:
    """The products by id, each with its available stock (inventory's figure)."""
    return products.annotate(available=product_available_stock()).in_bulk()


class Pages(PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class ProductListView(GenericAPIView):
    """GET: the store's products (``q`` search, ``category``, ``in_stock``, ``active``).
    POST: create a product with its variants."""

    permission_classes = [IsMerchantStaff]
    read_permission = Permission.VIEW
    write_permission = Permission.MANAGE_CATALOG
    pagination_class = Pages

    def get(self, request):
        store = api_store(request)
        params = request.query_params
        category = Category.objects.filter(store=store, slug=params.get("category")).first()
        if params.get("category") and category is None:
            return Response({"code": "category_unknown", "detail": "Unknown category."}, 400)
        page_size = self.paginator.get_page_size(request)
        number = page_number(params.get("page"))
        found = product_search(
            store=store,
            query=params.get("q", ""),
            language=params.get("language") or store.default_language,
            filters=SearchFilters(
                category_id=category.pk if category else None,
                in_stock=params.get("in_stock") in ("1", "true"),
            ),
            sort=params.get("sort"),
            limit=page_size,
            offset=(number - 1) * page_size,
            active_only=params.get("active") in ("1", "true"),
        )
        by_id = _with_stock(
            products_for_list(ids=[p.pk for p in found.products]).prefetch_related(
                "variants", "categories", "vat_rates"
            )
        )
        return Response(
            {
                "count": found.total,
                "page": number,
                "query": found.query,
                "corrected_query": found.corrected_query,
                "results": ProductSerializer([by_id[p.pk] for p in found.products], many=True).data,
            }
        )

    def post(self, request):
        store = api_store(request)
        data = ProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        product = product_create(
            store=store,
            names=values["names"],
            descriptions=values["descriptions"],
            brand=values["brand"],
            category_slugs=values["categories"],
            tax_class=values["tax_class"],
            weight_grams=values.get("weight_grams"),
            is_active=values["is_active"],
            variants=[VariantInput(**variant) for variant in values["variants"]],
            vat_rates=values["vat_rates"],
        )
        (product,) = _with_stock(
            products_for_list(ids=[product.pk]).prefetch_related("variants", "vat_rates")
        ).values()
        return Response(ProductSerializer(product).data, status=201)


class ProductDetailView(GenericAPIView):
    permission_classes = [IsMerchantStaff]
    read_permission = Permission.VIEW

    def get(self, request, product_id: int):
        store = api_store(request)
        product = _with_stock(
            products_for_list(ids=[product_id])
            .filter(store=store)
            .prefetch_related("variants", "categories", "vat_rates")
        ).get(product_id)
        if product is None:
            return Response({"code": "not_found", "detail": "No such product."}, 404)
        return Response(ProductSerializer(product).data)


class CategoryListView(GenericAPIView):
    permission_classes = [IsMerchantStaff]
    read_permission = Permission.VIEW

    def get(self, request):
        store = api_store(request)
        rows = Category.objects.filter(store=store).order_by("path")
        return Response(
            {
                "results": [
                    {
                        "slug": c.slug,
                        "names": {
                            lang: getattr(c, f"name_{lang}") or "" for lang in CATALOG_LANGUAGES
                        },
                        "depth": c.depth,
                    }
                    for c in rows
                ]
            }
        )
