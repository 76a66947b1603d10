"""What search reads besides the product text: each product's search keys and each store's
vocabulary. Kept by the catalog services after every change that affects them (a product's
names or brand, a variant's SKU, GTIN or status), in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from apps.catalog.models import SEARCH_SIMPLE_CONFIG

# Names in every catalogue language, brand, then the SKU and GTIN of each variant (inactive ones
# too: the merchant looks them up by SKU).
_KEYS = """
    SELECT p.id, concat_ws(' ', p.name_fr, p.name_de, p.name_en, b.name,
           (SELECT string_agg(concat_ws(' ', v.sku, nullif(v.gtin, '')), ' '
                              ORDER BY v.position, v.id)
              FROM catalog_variant v WHERE v.product_id = p.id)) AS keys
      FROM catalog_product p LEFT JOIN catalog_brand b ON b.id = p.brand_id
"""
# Words of three letters or more, not numbers: what a typo may be corrected to.
_WORDS = f"""
    SELECT DISTINCT p.store_id, t.lexeme
      FROM catalog_product p, unnest(to_tsvector('{SEARCH_SIMPLE_CONFIG}', p.search_keys)) t
     WHERE length(t.lexeme) BETWEEN 3 AND 100 AND t.lexeme !~ '^[0-9]+$'
"""


def products_search_index_refresh(*, product_ids: Sequence[int]) -> None:
    """Recompute the search keys of these products (rows whose keys change are written, the
    others are not touched) and add their words to their store's vocabulary."""
    ids = list(product_ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE catalog_product p SET search_keys = k.keys FROM ({_KEYS} "
            "WHERE p.id = ANY(%s)) k WHERE p.id = k.id AND p.search_keys IS DISTINCT FROM k.keys",
            [ids],
        )
        cursor.execute(
            f"INSERT INTO catalog_searchword (store_id, word) {_WORDS} AND p.id = ANY(%s) "
            "ON CONFLICT DO NOTHING",
            [ids],
        )


def store_search_index_rebuild(*, store_id: int) -> None:
    """Recompute every product's keys and the whole vocabulary of a store (words of renamed or
    deleted products go): after bulk changes made outside the services, or from
    ``manage.py search_reindex``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE catalog_product p SET search_keys = k.keys FROM ({_KEYS} "
            "WHERE p.store_id = %s) k WHERE p.id = k.id AND p.search_keys IS DISTINCT FROM k.keys",
            [store_id],
        )
        cursor.execute("DELETE FROM catalog_searchword WHERE store_id = %s", [store_id])
        cursor.execute(
            f"INSERT INTO catalog_searchword (store_id, word) {_WORDS} AND p.store_id = %s",
            [store_id],
        )
