"""Catalogue search: PostgreSQL full-text search per language, with typo correction.

Each product carries one generated ``tsvector`` column per language (name weighted above
description, stemmed with that language's dictionary) under a GIN index. A query is first run as
typed (``websearch_to_tsquery``: words, "phrases", -exclusions); only when it finds nothing are its
unknown words replaced by the closest words of the store's own vocabulary, by trigram similarity,
and the search run again — "chausettes" finds "chaussettes".

Trigram similarity is computed here rather than with the pg_trgm extension, which the embedded
development server (pgserver) does not ship; the vocabulary (distinct words of the store's
product names, from ``ts_stat``) is cached per store and language and rebuilt after a change.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet

from apps.catalog.models import SEARCH_CONFIGS, Product, Variant
from apps.tenancy.stores.models import Store

SORTS = {
    "relevance": None,
    "price": ("price_from", "-id"),
    "-price": ("-price_from", "-id"),
    "newest": ("-created_at", "-id"),
    "name": ("name", "id"),
}
SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default for similarity()
COUNT_LIMIT = 1000  # "1000+ results": counting every match of a common word costs more
VOCABULARY_SECONDS = 3600
WORD = re.compile(r"\w+", re.UNICODE)


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
    total: int  # at most COUNT_LIMIT + 1; see total_is_lower_bound
    query: str
    corrected_query: str = ""
    facets: dict = field(default_factory=dict)

    @property
    def total_is_lower_bound(self) -> bool:
        return self.total > COUNT_LIMIT


# --- Trigram similarity (the pg_trgm definition: words padded with two spaces before, one after)


def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word.lower()} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared) if shared else 0.0


class Vocabulary:
    """Words of a store's product names, indexed by trigram for nearest-word look-ups."""

    def __init__(self, words: dict[str, int]):
        self.words = words  # word -> number of products it appears in
        self.sizes = {w: len(trigrams(w)) for w in words}
        self.index: dict[str, list[str]] = {}
        for word in words:
            for gram in trigrams(word):
                self.index.setdefault(gram, []).append(word)

    def closest(self, word: str) -> str | None:
        word = word.lower()
        if word in self.words:
            return word
        grams = trigrams(word)
        shared = Counter(w for gram in grams for w in self.index.get(gram, ()))
        best, best_key = None, None
        for candidate, count in shared.items():
            score = count / (len(grams) + self.sizes[candidate] - count)
            if score < SIMILARITY_THRESHOLD:
                continue
            key = (score, self.words[candidate], candidate)  # then the commoner word
            if best_key is None or key > best_key:
                best, best_key = candidate, key
        return best


def _version_key(store_id: int) -> str:
    return f"catalog:vocabulary-version:{store_id}"


def search_vocabulary_invalidate(*, store_id: int) -> None:
    """Called after products change: the next search rebuilds the vocabulary."""
    try:
        cache.incr(_version_key(store_id))
    except ValueError:
        cache.set(_version_key(store_id), 1, None)


# Built vocabularies of this process, by cache key (which carries the schema, store, language
# and version): the trigram index is built once, not per search.
_BUILT: dict[str, Vocabulary] = {}
_BUILT_MAX = 64


def search_vocabulary(*, store_id: int, language: str) -> Vocabulary:
    version = cache.get_or_set(_version_key(store_id), 1, None)
    key = f"catalog:vocabulary:{connection.schema_name}:{store_id}:{language}:{version}"
    if key in _BUILT:
        return _BUILT[key]
    words = cache.get(key)
    if words is None:
        column = f"name_{language}"
        inner = (
            f"SELECT to_tsvector('simple', coalesce({column}, '')) FROM catalog_product "
            f"WHERE store_id = {int(store_id)} AND is_active"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT word, ndoc FROM ts_stat(%s) WHERE length(word) > 2", [inner])
            words = dict(cursor.fetchall())
        cache.set(key, words, VOCABULARY_SECONDS)
    if len(_BUILT) >= _BUILT_MAX:
        _BUILT.clear()
    _BUILT[key] = Vocabulary(words)
    return _BUILT[key]


def _corrected(query: str, vocabulary: Vocabulary) -> str:
    def replace(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < 3 or word.isdigit():
            return word
        return vocabulary.closest(word) or word

    return WORD.sub(replace, query)


# --- The search itself


def _filtered(store: Store, filters: SearchFilters, active_only: bool) -> QuerySet[Product]:
    products = Product.objects.filter(store=store)
    if active_only:
        products = products.filter(is_active=True)
    if filters.category_id:
        products = products.filter(categories__id=filters.category_id)
    if filters.brand_id:
        products = products.filter(brand_id=filters.brand_id)
    priced = Variant.objects.filter(product=OuterRef("pk"), is_active=True)
    if filters.price_min is not None:
        priced = priced.filter(price__gte=filters.price_min)
    if filters.price_max is not None:
        priced = priced.filter(price__lte=filters.price_max)
    if filters.price_min is not None or filters.price_max is not None:
        products = products.filter(Exists(priced))
    if filters.in_stock:
        products = products.filter(in_stock=True)
    return products


def _matching(products: QuerySet[Product], query: str, language: str) -> QuerySet[Product]:
    search = SearchQuery(query, config=SEARCH_CONFIGS[language], search_type="websearch")
    column = f"fts_{SEARCH_CONFIGS[language]}"
    return products.filter(**{column: search}).annotate(rank=SearchRank(F(column), search))


def _count(products: QuerySet[Product]) -> int:
    return products.order_by()[: COUNT_LIMIT + 1].count()


def product_search(
    *,
    store: Store,
    query: str = "",
    language: str = "fr",
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    limit: int = 24,
    offset: int = 0,
    active_only: bool = True,
) -> SearchPage:
    """A page of the store's products matching ``query`` (all of them when it is empty).
    ``active_only=False`` is for the merchant's own lists, which show inactive products too."""
    if language not in SEARCH_CONFIGS:
        language = store.default_language
    filters = filters or SearchFilters()
    base = _filtered(store, filters, active_only)
    query = (query or "").strip()[:200]
    corrected = ""
    if query:
        results = _matching(base, query, language)
        total = _count(results)
        if total == 0:
            candidate = _corrected(query, search_vocabulary(store_id=store.pk, language=language))
            if candidate.lower() != query.lower():
                corrected = candidate
                results = _matching(base, candidate, language)
                total = _count(results)
    else:
        results, total = base, _count(base)
    order = SORTS.get(sort) or (("-rank", "-id") if query else ("-created_at", "-id"))
    # Two steps: the ids of one page (the sort reads only indexed or computed columns), then
    # those products with their relations.
    window = slice(offset, offset + max(1, min(limit, 100)))
    ids = list(results.order_by(*order).values_list("pk", flat=True)[window])
    by_id = Product.objects.select_related("brand").in_bulk(ids)
    page = [by_id[pk] for pk in ids]
    return SearchPage(products=page, total=total, query=query, corrected_query=corrected)
