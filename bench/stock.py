"""Stock reservations per second, with 1 and 8 concurrent workers.

Each worker is a thread with its own database connection, reserving one unit per transaction
through the real service (row locks in key order, ledger row per reservation). Two cases:
"hot": every worker reserves the same variant (they queue on its row, the worst case);
"spread": each worker reserves its own variant. Runs in a bench database that is dropped.

    .venv/bin/python bench/stock.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import threading
import time

from _benchdb import drop_bench_database, use_bench_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    use_bench_database()
    from django.db import connection
    from django_tenants.utils import tenant_context

    from apps.catalog.services import VariantInput, product_create
    from apps.inventory.models import StockLocation
    from apps.inventory.services import ReserveLine, stock_receive, stock_reserve
    from apps.tenancy.services import merchant_provision
    from apps.tenancy.stores.models import Store

    merchant = merchant_provision(slug="bench-stock", name="Bench", owner_email="o@bench.lu")
    with tenant_context(merchant):
        store = Store.objects.get()
        main_location = StockLocation.objects.get(code="main")
        variant_ids = []
        for n in range(9):
            product = product_create(
                store=store,
                names={"fr": f"Article {n}"},
                variants=[VariantInput(sku=f"BENCH-{n}", price="10.00")],
            )
            variant = product.variants.get()
            stock_receive(variant=variant, location=main_location, quantity=10_000_000)
            variant_ids.append(variant.pk)

    def run(workers: int, spread: bool) -> float:
        counts = [0] * workers
        stop = time.monotonic() + args.seconds
        barrier = threading.Barrier(workers)

        def worker(index: int) -> None:
            variant_id = variant_ids[index % len(variant_ids)] if spread else variant_ids[0]
            try:
                with tenant_context(merchant):
                    barrier.wait()
                    while time.monotonic() < stop:
                        stock_reserve(
                            lines=[ReserveLine(variant_id, 1)],
                            reference=f"B{index}-{counts[index]}",
                        )
                        counts[index] += 1
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(counts) / (time.monotonic() - started)

    try:
        rows = [
            (case, workers, run(workers, spread))
            for case, spread in (("hot", False), ("spread", True))
            for workers in (1, 8)
        ]
    finally:
        drop_bench_database()
    print()
    print(f"Stock reservations per second ({args.seconds:.0f} s per run, 2 cores)")
    print(f"{'case':>8} | {'workers':>7} | {'reservations/s':>14}")
    print(f"{'-' * 8}-+-{'-' * 7}-+-{'-' * 14}")
    for case, workers, rate in rows:
        print(f"{case:>8} | {workers:>7} | {rate:>14.0f}")
    base = {case: rate for case, workers, rate in rows if workers == 1}
    for case, workers, rate in rows:
        if workers == 8:
            print(f"ratio 8 workers / 1 worker ({case}) = {rate / base[case]:.2f}")


if __name__ == "__main__":
    main()
