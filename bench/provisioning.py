"""How long does provisioning one merchant take, and does it grow with the number of merchants?

Runs in a database of its own (``orion_bench`` on the embedded server, or on the server of
``DATABASE_URL``), which is dropped at the end. For each checkpoint it fills the platform up to
that many merchants, then times the provisioning of a few more through the real service
(template-schema clone, domains, first store, owner with an Argon2-hashed password).

    .venv/bin/python bench/provisioning.py [--checkpoints 1,100,500] [--samples 5] [--keep]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from _benchdb import drop_bench_database, use_bench_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoints", default="1,100,500")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    checkpoints = sorted(int(n) for n in args.checkpoints.split(","))

    use_bench_database()
    from apps.tenancy.models import Merchant
    from apps.tenancy.services import merchant_provision

    counter = iter(range(1, 10**6))

    def provision(*, with_password: bool) -> float:
        n = next(counter)
        started = time.perf_counter()
        merchant_provision(
            slug=f"bench-{n:05d}",
            name=f"Bench {n}",
            owner_email=f"owner{n}@bench.lu",
            owner_password="Bench-password-2026" if with_password else None,
        )
        return time.perf_counter() - started

    rows = []
    fill_started = time.perf_counter()
    try:
        for checkpoint in checkpoints:
            while Merchant.objects.count() < checkpoint:
                provision(with_password=False)
            present = Merchant.objects.count()
            timings = [provision(with_password=True) for _ in range(args.samples)]
            rows.append((present, timings))
            print(
                f"  measured at {present} merchants "
                f"({time.perf_counter() - fill_started:.0f} s elapsed)",
                file=sys.stderr,
            )
    finally:
        if not args.keep:
            drop_bench_database()

    print()
    print("Provisioning one merchant (seconds; template clone + domains + store + owner)")
    print(f"{'merchants present':>18} | {'median':>7} | {'min':>7} | {'max':>7} | samples")
    print(f"{'-' * 18}-+-{'-' * 7}-+-{'-' * 7}-+-{'-' * 7}-+--------")
    base = statistics.median(rows[0][1])
    for present, timings in rows:
        print(
            f"{present:>18} | {statistics.median(timings):>7.3f} | {min(timings):>7.3f} | "
            f"{max(timings):>7.3f} | {len(timings)}"
        )
    last = statistics.median(rows[-1][1])
    print(f"\nratio median({rows[-1][0]}) / median({rows[0][0]}) = {last / base:.2f}")


if __name__ == "__main__":
    main()
