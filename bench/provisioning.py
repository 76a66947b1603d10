"""How long does provisioning one merchant take, and does it grow with the number of merchants?

Runs in a database of its own (``orion_bench`` on the embedded server, or on the server of
``DATABASE_URL``), which is dropped at the end. For each checkpoint it fills the platform up to
that many merchants, then times the provisioning of a few more through the real service
(template-schema clone, domains, first store, owner with an Argon2-hashed password).

    .venv/bin/python bench/provisioning.py [--checkpoints 1,100,500] [--samples 5] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "orion_bench"


def _use_bench_database() -> None:
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlparse(url)
        os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{BENCH_DB}"))
        import psycopg

        admin_url = urlunparse(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    else:
        os.environ["ORION_DB_NAME"] = BENCH_DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orion.settings.dev")


def _drop_bench_database() -> None:
    from django.db import connection, connections

    settings_dict = dict(connection.settings_dict)
    connections.close_all()
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoints", default="1,100,500")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    checkpoints = sorted(int(n) for n in args.checkpoints.split(","))

    _use_bench_database()
    import django

    django.setup()
    from django.core.management import call_command

    from apps.tenancy.models import Merchant
    from apps.tenancy.services import merchant_provision
    from apps.tenancy.template import template_schema_ensure

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    template_schema_ensure()

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
            _drop_bench_database()

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
