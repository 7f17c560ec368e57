"""Timing pages through the whole Django stack in one process, for the page benchmarks.

Shared by inbox_load.py and dossier_page_load.py: Django set up against a benchmark database with
DEBUG off, the test client signed in per official, and per case the wall time, this process's CPU
time (which hardly moves when other programs share the cores) and the SQL statements per request.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 3


@dataclass
class Case:
    """Pages fetched as one official, in turn; `check` reads what the answer showed (rows…).

    Several URLs (different dossiers of one kind, say) keep the database's caches honest: a
    benchmark that fetches one row again and again measures a warmer database than users see.
    """

    official: str
    label: str
    urls: Sequence[str]
    check: Callable[[Any], str] = lambda response: ""
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    statements: int = 0
    shown: str = ""


def arguments(doc: str | None, default_url: str) -> argparse.ArgumentParser:
    """The options every page benchmark takes: the database and the shuffle's seed."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", default_url))
    parser.add_argument("--seed", type=int, default=2026)
    return parser


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("MOTCUA_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.pop("MOTCUA_DEBUG", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's context capture; DEBUG stays off


def signed_in(usernames: Sequence[str]) -> dict[str, Any]:
    from django.test import Client

    from motcua.accounts.models import User

    clients = {}
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    return clients


def measure(
    clients: dict[str, Any], cases: list[Case], rounds: int, rng: random.Random, warm: bool = True
) -> None:
    """Fetch every case `rounds` times in a shuffled order, after WARM_UP requests if `warm`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    order = [i for i in range(len(cases)) for _ in range(rounds)]
    rng.shuffle(order)
    if warm:
        for case in cases:
            for n in range(WARM_UP):
                clients[case.official].get(case.urls[n % len(case.urls)])
    for i in order:
        case = cases[i]
        url = case.urls[len(case.wall_ms) % len(case.urls)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            cpu = time.process_time()
            response = clients[case.official].get(url)
            elapsed = time.perf_counter() - started
            case.cpu_ms.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (case.official, url, response.status_code)
        case.wall_ms.append(elapsed * 1000)
        case.statements = len(captured.captured_queries)
        case.shown = case.check(response)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def report(cases: Sequence[Case], what: str, shown: str) -> None:
    """Print a Markdown table: requests, statements, p50 / p95 / max, CPU p50, what was shown."""
    print(
        f"| official | {what} | requests | statements | p50 ms | p95 ms | max ms "
        f"| Python CPU p50 ms | {shown} |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for case in cases:
        p95 = percentile(case.wall_ms, 0.95)
        worst = max(worst, p95)
        print(
            f"| {case.official} | {case.label} | {len(case.wall_ms)} | {case.statements} | "
            f"{statistics.median(case.wall_ms):.1f} | {p95:.1f} | {max(case.wall_ms):.1f} | "
            f"{statistics.median(case.cpu_ms):.1f} | {case.shown} |"
        )
    print(f"\nworst p95: {worst:.1f} ms")
