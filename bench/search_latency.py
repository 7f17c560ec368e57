"""Procedure search latency over the whole catalogue (p50 / p95), SQLite and PostgreSQL.

    .venv/bin/python bench/search_latency.py                       # both databases
    .venv/bin/python bench/search_latency.py --only sqlite --rounds 20

Each database is prepared once (migrate, units, demo province, the 1,476 national records) in
var/bench-search.sqlite3 and in the PostgreSQL database `motcua_bench` (127.0.0.1:5432, created
if missing). A query mix of real procedure names — the most used first, typed without accents,
some with one wrong letter, some with filters — is run through the JSON API (what a browser or
app waits for: parse, search, count, first page of 20, serialise) in a fresh process per
database. Results are printed as a Markdown table row for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SQLITE_URL = f"sqlite:///{ROOT / 'var' / 'bench-search.sqlite3'}"
PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"


def ensure_pg_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname='motcua_bench'").fetchone():
            c.execute("CREATE DATABASE motcua_bench")


def make_queries(rounds: int) -> list[dict[str, str]]:
    from motcua.catalog.models import Procedure
    from motcua.common.text import fold

    rng = random.Random(766)
    popular = list(Procedure.objects.order_by("-usage_weight")[:200].values_list("name", flat=True))
    queries: list[dict[str, str]] = []
    for name in popular:
        words = fold(name).split()[:4]
        plain = " ".join(words)
        typo = list(plain)
        position = rng.randrange(len(typo))
        typo[position] = "x" if typo[position] != "x" else "y"
        queries += [
            {"q": " ".join(name.split()[:4])},  # with accents, as typed on a Vietnamese keyboard
            {"q": plain},  # without accents
            {"q": "".join(typo)},  # one wrong letter
            {"q": words[0], "level": "commune"},  # one word and a filter
        ]
    queries.append({})  # the empty query: the most used procedures
    rng.shuffle(queries)
    return queries * rounds


def measure(rounds: int) -> dict[str, float | int | str]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from motcua.catalog.models import Procedure

    call_command("migrate", verbosity=0)
    if not Procedure.objects.exists():
        call_command("load_units", verbosity=0)
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    client = Client()
    queries = make_queries(rounds)
    for params in queries[:50]:  # warm caches, as a running server would have them
        client.get("/api/v1/procedures?" + urlencode(params))
    timings: list[float] = []
    for params in queries:
        start = time.perf_counter()
        response = client.get("/api/v1/procedures?" + urlencode(params))
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
    timings.sort()
    return {
        "database": connection.vendor,
        "procedures": Procedure.objects.count(),
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.rounds)))
        return
    targets = {"sqlite": SQLITE_URL, "postgresql": PG_URL}
    if args.only:
        targets = {args.only: targets[args.only]}
    print("| database | procedures | requests | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for name, url in targets.items():
        if name == "postgresql":
            ensure_pg_database()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
            "MOTCUA_DEBUG": "0",
            "MOTCUA_TESTING": "1",
            "MOTCUA_LOG_LEVEL": "WARNING",
        }
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--rounds", str(args.rounds)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"| {r['database']} | {r['procedures']} | {r['requests']} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['max_ms']} |"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
