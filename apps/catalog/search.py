"""Catalogue search: one function, ``product_search``, for the storefront, the dashboard and the
store API.

What a query finds (one GIN-indexed generated ``tsvector`` per catalogue language, see
``catalog.models._search_vector``):
- the product's name and description in the shopper's language, stemmed ("chaussette" finds
  "Chaussettes") and accent-insensitive ("creme" finds "Crème", "strasse" finds "Straße");
- its search keys, unstemmed but accent-insensitive: its names in every other catalogue language,
  its brand, the SKUs and GTINs of its variants;
- a SKU typed whole or in part, or a GTIN: a query that looks like an identifier and is one
  lists those products ("BOU-00" finds BOU-0012; an index on the upper-cased SKU).
Exact SKU or GTIN matches come first, then exact names, then full-text rank.

Typos: a query that finds nothing is retried with each word replaced by the closest word of the
store's vocabulary (``SearchWord``) by trigram similarity — pg_trgm's ``%`` and ``<->`` on a GiST
index, in the database — and the page says which spelling it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Upper

from apps.catalog.models import (
    SEARCH_COLUMNS,
    SEARCH_CONFIGS,
    SEARCH_SIMPLE_CONFIG,
    Product,
    Variant,
)
from apps.tenancy.stores.models import Store

SORTS = {
    "relevance": None,
    "price": ("price_from", "-id"),
    "-price": ("-price_from", "-id"),
    "newest": ("-created_at", "-id"),
    "name": ("name", "id"),
}
COUNT_LIMIT = 1000  # "at least 1000": counting every match of a common word costs more
PREFIX_LIMIT = 100  # SKUs listed for a prefix ("SKU-1" starts thousands of them), in SKU order
QUERY_MAX_LENGTH = 200
WORD = re.compile(r"\w+", re.UNICODE)
# One token with a digit, dash, dot or slash in it: what a SKU or a GTIN looks like.
IDENTIFIER = re.compile(r"^(?=\S*[\d\-./_])[\w\-./]{2,64}$")


@dataclass(frozen=True)
class SearchFilters:
    category_id: int | None = None
    brand_id: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False


@dataclass
class SearchPage:
    products: list[Product]
    total: int  # exact, or a lower bound when total_is_lower_bound
    query: str
    corrected_query: str = ""  # the spelling the results are for, when the query had typos
    facets: dict = field(default_factory=dict)

    total_is_lower_bound: bool = False


def search_query_clean(raw: str | None) -> str:
    """The query as searched: NUL and other control characters dropped (PostgreSQL refuses NUL
    in text), white space folded, at most QUERY_MAX_LENGTH characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    return " ".join(text.split())[:QUERY_MAX_LENGTH]


# --- Typo correction


def search_spelling_suggest(*, store_id: int, query: str) -> str:
    """``query`` with each word of three letters or more replaced by the closest word of the
    store's vocabulary (itself when it is a known word), or ``""`` when nothing changes."""
    spans = [m for m in WORD.finditer(query) if len(m.group(0)) >= 3 and not m.group(0).isdigit()]
    if not spans:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT s.word FROM catalog_searchword s
                     WHERE s.store_id = %s AND s.word %% q.norm
                     ORDER BY s.word <-> q.norm, s.word LIMIT 1)
              FROM (SELECT lower(unaccent(w)) AS norm, n
                      FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n)) q
             ORDER BY q.n
            """,
            [store_id, [m.group(0) for m in spans]],
        )
        closest = [row[0] for row in cursor.fetchall()]
    corrected, end = [], 0
    for match, word in zip(spans, closest, strict=True):
        corrected += [query[end : match.start()], word or match.group(0)]
        end = match.end()
    corrected.append(query[end:])
    suggestion = "".join(corrected)
    return suggestion if suggestion.lower() != query.lower() else ""


# --- The search itself


def _filtered(store: Store, filters: SearchFilters, active_only: bool) -> QuerySet[Product]:
    products = Product.objects.filter(store=store)
    if active_only:
        products = products.filter(is_active=True)
    if filters.category_id:
        products = products.filter(categories__id=filters.category_id)
    if filters.brand_id:
        products = products.filter(brand_id=filters.brand_id)
    if filters.price_min is None and filters.price_max is not None:
        # "Under 20 €": the cheapest active variant is, and price_from is that price.
        products = products.filter(price_from__lte=filters.price_max)
    elif filters.price_min is not None:
        priced = Variant.objects.filter(
            product=OuterRef("pk"), is_active=True, price__gte=filters.price_min
        )
        if filters.price_max is not None:
            priced = priced.filter(price__lte=filters.price_max)
        products = products.filter(Exists(priced))
    if filters.in_stock:
        products = products.filter(in_stock=True)
    return products


def _identifier_matches(store: Store, query: str) -> tuple[set[int], list[int], bool]:
    """For a query that looks like an identifier: the products whose SKU or GTIN is the query
    (exact), and those whose SKU starts with it (the first PREFIX_LIMIT SKUs, in SKU order),
    and whether there are more; one or two index look-ups."""
    if not IDENTIFIER.match(query):
        return set(), [], False
    upper = query.upper()
    variants = Variant.objects.filter(store=store).annotate(sku_upper=Upper("sku"))
    prefix = (
        variants.filter(sku_upper__startswith=upper)
        .order_by("sku_upper")
        .values_list("product_id", "sku_upper")
    )
    rows = list(prefix[: PREFIX_LIMIT + 1])
    exact = {product_id for product_id, sku in rows if sku == upper}
    if query.isascii() and query.isdigit():
        exact |= set(variants.filter(gtin=query).values_list("product_id", flat=True))
    listed = list(dict.fromkeys([product_id for product_id, _sku in rows[:PREFIX_LIMIT]]))
    return exact, listed + sorted(exact - set(listed)), len(rows) > PREFIX_LIMIT


@dataclass
class _Matches:
    products: QuerySet[Product]  # every match
    rank: SearchRank  # the full-text rank, annotated only where a page is ranked
    exact_products: QuerySet[Product]  # those whose SKU, GTIN or name is the query
    more_skus: bool = False  # a SKU prefix that starts more SKUs than were listed

    @cached_property
    def exact(self) -> list[int]:
        """Exact SKU/GTIN first, then exact names, newest first (read only for relevance)."""
        ordered = self.exact_products.order_by("-by_identifier", "-created_at", "-id")
        return list(ordered.values_list("pk", flat=True)[:COUNT_LIMIT])


def _matching(store: Store, products: QuerySet[Product], query: str, language: str) -> _Matches:
    column = SEARCH_COLUMNS[language]
    # Stemmed in the shopper's language, or word for word (other languages, brand, SKU).
    words = SearchQuery(query, config=SEARCH_CONFIGS[language], search_type="websearch") | (
        SearchQuery(query, config=SEARCH_SIMPLE_CONFIG, search_type="websearch")
    )
    by_identifier, by_prefix, more_skus = _identifier_matches(store, query)
    # A query that looks like an identifier and is one (a SKU or the start of one, a GTIN)
    # lists those products: a primary-key look-up, where "text or any of a thousand ids" would
    # read the whole catalogue.
    found = Q(pk__in=by_prefix) if by_prefix else Q(**{column: words})
    # An exact name: an index on the upper-cased name of each language.
    named = Q(**{f"name_{language}__iexact": query})
    exact = products.filter(named | Q(pk__in=by_identifier) if by_identifier else named)
    return _Matches(
        products=products.filter(found),
        rank=SearchRank(F(column), words),
        exact_products=exact.annotate(
            by_identifier=Case(
                When(pk__in=by_identifier or [0], then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ),
        more_skus=more_skus,
    )


def _count(products: QuerySet[Product]) -> int:
    # Only the ids: nothing else (a rank, say) is computed for the rows counted.
    return products.order_by().values("pk")[: COUNT_LIMIT + 1].count()


def _sorted_ids(products: QuerySet[Product], sort: str, total: int, window: slice) -> list[int]:
    """A page of matches in a chosen order. When the matches are few, sort them (the full-text
    index finds them all at once); reading the price or date index in order and testing each
    product against the query would read thousands of products to find a page of rare ones."""
    fields = SORTS[sort]
    if total <= COUNT_LIMIT:
        # "+ 0" / "|| ''" keep the planner off the ordered indexes: same order, computed.
        key = fields[0].lstrip("-")
        computed = {
            "price_from": ExpressionWrapper(F(key) + 0, output_field=Product.price_from.field),
            "created_at": ExpressionWrapper(F(key) + timedelta(0), output_field=DateTimeField()),
        }.get(key)
        if computed is not None:
            products = products.annotate(sort_key=computed)
            fields = ("-sort_key" if fields[0].startswith("-") else "sort_key", *fields[1:])
    return list(products.order_by(*fields).values_list("pk", flat=True)[window])


def _page_ids(matches: _Matches, total: int, window: slice) -> list[int]:
    """One page of matches by relevance: the exact ones, then by full-text rank — or, when
    there are more matches than COUNT_LIMIT (a common word), by newest: ranking them all would
    read every one of them, and their ranks hardly differ."""
    exact = matches.exact
    head = exact[window]
    size = window.stop - window.start
    if len(head) == size:
        return head
    rest = matches.products.exclude(pk__in=exact) if exact else matches.products
    order = ("-created_at", "-id")
    if total <= COUNT_LIMIT:
        rest, order = rest.annotate(rank=matches.rank), ("-rank", "-id")
    start = max(0, window.start - len(exact))
    rest_ids = rest.order_by(*order).values_list("pk", flat=True)[start : start + size - len(head)]
    return head + list(rest_ids)


def product_search(
    *,
    store: Store,
    query: str = "",
    language: str = "fr",
    filters: SearchFilters | None = None,
    sort: str | None = None,
    limit: int = 24,
    offset: int = 0,
    active_only: bool = True,
    correct_typos: bool = True,
) -> SearchPage:
    """A page of the store's products matching ``query`` (all of them when it is empty), sorted
    by ``sort`` (default: best match for a query, newest otherwise). ``active_only=False`` is
    for the merchant's own lists, which show inactive products too; ``correct_typos=False``
    searches the words exactly as typed."""
    if language not in SEARCH_CONFIGS:
        language = store.default_language if store.default_language in SEARCH_CONFIGS else "fr"
    filters = filters or SearchFilters()
    base = _filtered(store, filters, active_only)
    query = search_query_clean(query)
    corrected = ""
    # Two steps: the ids of one page (the sort reads only indexed or computed columns), then
    # those products with their relations.
    window = slice(offset, offset + max(1, min(limit, 100)))
    if query:
        matches = _matching(store, base, query, language)
        total = _count(matches.products)
        if total == 0 and correct_typos:
            candidate = search_spelling_suggest(store_id=store.pk, query=query)
            if candidate:
                retried = _matching(store, base, candidate, language)
                retried_total = _count(retried.products)
                if retried_total:
                    corrected, matches, total = candidate, retried, retried_total
        lower_bound = total > COUNT_LIMIT or matches.more_skus
        if SORTS.get(sort or ""):
            ids = _sorted_ids(matches.products, sort, total, window)
        else:
            ids = _page_ids(matches, total, window)
    else:
        total = _count(base)
        lower_bound = total > COUNT_LIMIT
        order = SORTS.get(sort or "") or ("-created_at", "-id")
        ids = list(base.order_by(*order).values_list("pk", flat=True)[window])
    by_id = Product.objects.select_related("brand").in_bulk(ids)
    page = [by_id[pk] for pk in ids]
    return SearchPage(
        products=page,
        total=min(total, COUNT_LIMIT),
        query=query,
        corrected_query=corrected,
        total_is_lower_bound=lower_bound,
    )
