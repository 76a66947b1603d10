"""Shopper pages of a store, served on the store's own host (request.store)."""

from decimal import Decimal

from django.http import Http404, StreamingHttpResponse
from django.utils.translation import get_language
from django.views.generic import TemplateView

from apps.catalog.errors import CatalogError
from apps.catalog.feeds import product_feed_csv, product_feed_store
from apps.catalog.models import CATALOG_LANGUAGES, Variant
from apps.catalog.rules import price_parse
from apps.catalog.search import SORTS, SearchFilters, product_search
from apps.catalog.selectors import product_get_for_storefront
from apps.core.parsing import page_number as page_number_of
from apps.inventory.selectors import variants_available

PAGE_SIZE = 24
MAX_PAGE = 10_000


def _price(value: str | None) -> Decimal | None:
    """A price filter typed in the URL, read like any price (catalog.rules); else no filter."""
    try:
        return price_parse(value, model=Variant, field_name="price", required=False)
    except CatalogError:
        return None


class CatalogView(TemplateView):
    """The store's home: its catalogue, searchable, filterable, paginated."""

    template_name = "storefront/catalog/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        page_number = page_number_of(params.get("page"), maximum=MAX_PAGE)
        sort = params.get("sort") if params.get("sort") in SORTS else "relevance"
        filters = SearchFilters(
            price_min=_price(params.get("price_min")),
            price_max=_price(params.get("price_max")),
            in_stock=params.get("in_stock") == "1",
        )
        page = product_search(
            store=self.request.store,
            query=params.get("q", ""),
            language=(get_language() or "fr")[:2],
            filters=filters,
            sort=sort,
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        context.update(
            page=page,
            page_number=page_number,
            has_next=page.total > page_number * PAGE_SIZE,
            sort=sort,
            params=params,
        )
        return context


class ProductView(TemplateView):
    template_name = "storefront/catalog/product.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = product_get_for_storefront(store=self.request.store, slug=kwargs["slug"])
        if product is None:
            raise Http404
        stock = variants_available(variant_ids=[v.pk for v in product.active_variants])
        for variant in product.active_variants:
            variant.available = stock[variant.pk]
        context["product"] = product
        return context


def letzshop_feed(request, token: str, language: str):
    """The store's product feed at its secret address (Letzshop fetches it)."""
    store = product_feed_store(token=token)
    if store is None or store.pk != request.store.pk or language not in CATALOG_LANGUAGES:
        raise Http404
    rows = product_feed_csv(
        store=store,
        language=language,
        base_url=f"{request.scheme}://{request.get_host()}",
        variants_available=variants_available,
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{store.slug}-{language}.csv"'
    return response
