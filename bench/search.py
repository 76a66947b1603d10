"""Storefront search latency over 100,000 products in one store.

Builds a store with N products (names and descriptions in fr/de/en composed from a small
vocabulary, one variant each, stock for a third of them) in a bench database, then times
``apps.catalog.search.product_search`` — the function the storefront calls — for a mix of
queries: single words, two words, typos (corrected), with filters and sorts. Prints p50/p95/max
in milliseconds (target p95 < 30 ms). The bench database is dropped at the end.

    .venv/bin/python bench/search.py [--products 100000] [--queries 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _benchdb import drop_bench_database, use_bench_database

NOUNS = [
    ("chaussettes", "Socken", "socks"), ("chaussures", "Schuhe", "shoes"),
    ("pull", "Pullover", "sweater"), ("veste", "Jacke", "jacket"), ("bonnet", "Mütze", "beanie"),
    ("écharpe", "Schal", "scarf"), ("casserole", "Topf", "pot"), ("poêle", "Pfanne", "pan"),
    ("tasse", "Tasse", "cup"), ("assiette", "Teller", "plate"), ("lampe", "Lampe", "lamp"),
    ("coussin", "Kissen", "cushion"), ("savon", "Seife", "soap"), ("bougie", "Kerze", "candle"),
    ("carnet", "Notizbuch", "notebook"), ("stylo", "Stift", "pen"), ("sac", "Tasche", "bag"),
    ("montre", "Uhr", "watch"), ("ceinture", "Gürtel", "belt"), ("gants", "Handschuhe", "gloves"),
]  # fmt: skip
ADJECTIVES = [
    ("en laine", "aus Wolle", "wool"), ("en coton", "aus Baumwolle", "cotton"),
    ("en cuir", "aus Leder", "leather"), ("en fonte", "aus Gusseisen", "cast iron"),
    ("rouge", "rot", "red"), ("bleu", "blau", "blue"), ("noir", "schwarz", "black"),
    ("vert", "grün", "green"), ("artisanal", "handgemacht", "handmade"),
    ("bio", "Bio", "organic"), ("luxembourgeois", "luxemburgisch", "Luxembourgish"),
    ("de voyage", "für die Reise", "travel"), ("pour enfants", "für Kinder", "kids"),
]  # fmt: skip
QUERIES = [
    ("fr", "chaussettes", {}), ("fr", "chaussette laine", {}), ("fr", "pull rouge", {}),
    ("fr", "chausettes", {}), ("fr", "casserolle fonte", {}), ("fr", "bougie", {"in_stock": True}),
    ("fr", "sac cuir", {"sort": "price"}), ("de", "Socken", {}), ("de", "Wolle Schal", {}),
    ("de", "Handschue", {}), ("en", "wool socks", {}), ("en", "leather belt", {"sort": "-price"}),
    ("en", "candel", {}), ("en", "organic soap", {"price_max": "20"}),
    ("fr", "", {"sort": "newest"}), ("fr", "montre", {"category": True}),
]  # fmt: skip


def build(store, count: int, rng: random.Random) -> None:
    from decimal import Decimal

    from django.db import connection

    from apps.catalog.models import Category, Product, Variant
    from apps.catalog.services import category_create, products_stock_refresh
    from apps.inventory.models import StockLevel, StockLocation

    category = category_create(store=store, names={"fr": "Accessoires"})
    location = StockLocation.objects.get(code="main")
    batch = 5000
    for start in range(0, count, batch):
        products = []
        for n in range(start, min(start + batch, count)):
            noun, adjective = rng.choice(NOUNS), rng.choice(ADJECTIVES)
            product = Product(store=store, slug=f"p-{n}", tax_class="standard")
            product.name_fr = f"{noun[0].capitalize()} {adjective[0]} n°{n}"
            product.name_de = f"{noun[1]} {adjective[1]} Nr. {n}"
            product.name_en = f"{adjective[2].capitalize()} {noun[2]} no. {n}"
            product.description_fr = f"{noun[0]} {adjective[0]}, fabriqué avec soin."
            product.description_en = f"A {adjective[2]} {noun[2]}, made with care."
            products.append(product)
        Product.objects.bulk_create(products)
        prices = [Decimal(rng.randint(300, 25000)) / 100 for _ in products]
        variants = Variant.objects.bulk_create(
            Variant(product=p, store=store, sku=f"SKU-{p.slug}", price=price)
            for p, price in zip(products, prices, strict=True)
        )
        for product, price in zip(products, prices, strict=True):
            product.price_from = price
        Product.objects.bulk_update(products, ["price_from"], batch_size=1000)
        StockLevel.objects.bulk_create(
            StockLevel(variant=v, location=location, on_hand=rng.randint(1, 50))
            for v in variants
            if rng.random() < 0.33
        )
        products_stock_refresh(product_ids=[p.pk for p in products])
        Category.products.through.objects.bulk_create(
            Category.products.through(product_id=p.pk, category_id=category.pk)
            for p in products
            if rng.random() < 0.2
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    store.bench_category_id = category.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    use_bench_database()
    from decimal import Decimal

    from django_tenants.utils import tenant_context

    from apps.catalog.search import SearchFilters, product_search
    from apps.tenancy.services import merchant_provision
    from apps.tenancy.stores.models import Store

    rng = random.Random(2026)
    merchant = merchant_provision(slug="bench-search", name="Bench", owner_email="o@bench.lu")
    timings: dict[str, list[float]] = {}
    try:
        with tenant_context(merchant):
            store = Store.objects.get()
            started = time.perf_counter()
            build(store, args.products, rng)
            built = time.perf_counter() - started
            for language, query, _options in QUERIES:  # warm caches and plans once
                product_search(store=store, query=query, language=language)
            for i in range(args.queries):
                language, query, options = QUERIES[i % len(QUERIES)]
                filters = SearchFilters(
                    in_stock=options.get("in_stock", False),
                    price_max=Decimal(options["price_max"]) if "price_max" in options else None,
                    category_id=store.bench_category_id if options.get("category") else None,
                )
                t0 = time.perf_counter()
                page = product_search(
                    store=store, query=query, language=language, filters=filters,
                    sort=options.get("sort", "relevance"),
                )  # fmt: skip
                elapsed = (time.perf_counter() - t0) * 1000
                timings.setdefault(f"{language}:{query or '(browse)'}", []).append(elapsed)
                assert page.products, (language, query)
    finally:
        if not args.keep:
            drop_bench_database()

    every = sorted(t for values in timings.values() for t in values)
    p50 = statistics.median(every)
    p95 = every[int(len(every) * 0.95) - 1]
    print()
    print(f"Storefront search over {args.products:,} products (built in {built:.0f} s)")
    print(f"{'query':>28} | {'p50 ms':>7} | {'max ms':>7}")
    print(f"{'-' * 28}-+-{'-' * 7}-+-{'-' * 7}")
    for name, values in timings.items():
        print(f"{name:>28} | {statistics.median(values):>7.1f} | {max(values):>7.1f}")
    print(
        f"\nall {len(every)} searches: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {every[-1]:.1f} ms"
    )
    print(f"target p95 < 30 ms: {'met' if p95 < 30 else 'NOT met'}")


if __name__ == "__main__":
    main()
