"""The officials' inbox under a backlog: p50 / p95 per role and tab, and its SQL statements.

    .venv/bin/python bench/inbox_load.py \
        --database-url postgres://postgres@127.0.0.1:5432/motcua_bench_inbox --rounds 40

Each request goes through the whole Django stack in this process (middleware, session, the
view, the template), DEBUG off, with the Django test client signed in as each demo official:
demo.receiver (the counter of H08.01), demo.specialist, demo.leader and demo.clerk (H08.10) and
demo.manager (the province, read-only). Every tab of each official is fetched `--rounds` times
after 3 warm-up requests, in a shuffled order, plus a search by applicant name and one with
filters. Prepare the database with generate_dossiers.py and inbox_backlog.py (BENCHMARKS.md).
Prints a Markdown table: requests, statements per request, p50, p95, max, rows on the page.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_inbox"
OFFICIALS = ("demo.receiver", "demo.specialist", "demo.leader", "demo.clerk", "demo.manager")
WARM_UP = 3
# Per case, the CPU time of this process (Django, the template) per request: unlike the wall
# time it hardly moves when other programs share the cores.
CPU_TIMES: dict[int, list[float]] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("MOTCUA_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.pop("MOTCUA_DEBUG", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from motcua.accounts.models import User

    setup_test_environment()  # the test client's context capture; DEBUG stays off
    rng = random.Random(args.seed)
    cases: list[tuple[str, str, str]] = []  # (official, label, query string)
    clients: dict[str, Client] = {}
    for username in OFFICIALS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
        response = client.get("/can-bo/")
        assert response.status_code == 200, (username, response.status_code)
        cases.append((username, "all", ""))
        cases.extend(
            (username, f"{tab.key} ({tab.count:,})", f"?tab={tab.key}")
            for group in response.context["groups"]
            for tab in group.tabs
        )
    name = User.objects.filter(citizen__isnull=False).values_list("citizen__full_name", flat=True)[
        0
    ]
    surname = name.split()[-1]
    cases.append(("demo.receiver", f"search '{surname}' (no accents)", f"?q={_fold(surname)}"))
    cases.append(("demo.specialist", "filters: status 4, counter", "?status=4&channel=counter"))

    timings, statements, rows = _measure(clients, cases, args.rounds, rng)
    _report(cases, timings, statements, rows)


def _measure(
    clients: dict[str, Any], cases: list[tuple[str, str, str]], rounds: int, rng: random.Random
) -> tuple[dict[int, list[float]], dict[int, int], dict[int, int]]:
    """Fetch every case `rounds` times in a shuffled order, after WARM_UP requests each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    cpu_times = CPU_TIMES
    cpu_times.update({i: [] for i in range(len(cases))})
    statements: dict[int, int] = {}
    rows: dict[int, int] = {}
    order = [i for i in range(len(cases)) for _ in range(rounds)]
    rng.shuffle(order)
    for i in range(len(cases)):
        for _ in range(WARM_UP):
            clients[cases[i][0]].get("/can-bo/" + cases[i][2])
    for i in order:
        username, _label, query = cases[i]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            cpu = time.process_time()
            response = clients[username].get("/can-bo/" + query)
            elapsed = time.perf_counter() - started
            cpu_times[i].append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200
        timings[i].append(elapsed * 1000)
        statements[i] = len(captured.captured_queries)
        rows[i] = len(response.context["rows"])
    return timings, statements, rows


def _report(
    cases: list[tuple[str, str, str]],
    timings: dict[int, list[float]],
    statements: dict[int, int],
    rows: dict[int, int],
) -> None:
    print(
        "| official | tab (count) | requests | statements | p50 ms | p95 ms | max ms "
        "| Python CPU p50 ms | rows |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for i, (username, label, _query) in enumerate(cases):
        values = sorted(timings[i])
        p95 = values[max(0, round(0.95 * len(values)) - 1)]
        worst = max(worst, p95)
        print(
            f"| {username} | {label} | {len(values)} | {statements[i]} | "
            f"{statistics.median(values):.1f} | {p95:.1f} | {values[-1]:.1f} | "
            f"{statistics.median(CPU_TIMES[i]):.1f} | {rows[i]} |"
        )
    print(f"\nworst p95: {worst:.1f} ms")


def _fold(text: str) -> str:
    from motcua.common.text import fold

    return fold(text)


if __name__ == "__main__":
    main()
