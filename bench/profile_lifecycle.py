"""Where a dossier's lifecycle spends its CPU, in one process, without HTTP: Django's test
client drives the same 11 API requests as bench/lifecycle_load.py, first unprofiled (the CPU
per lifecycle), then under cProfile counting CPU time, not the waits for PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_empty MOTCUA_DEMO_PASSWORD=… \\
        .venv/bin/python bench/profile_lifecycle.py -n 200 --top 40 [--sort tottime]
        [--filter motcua] [--show-sql] [--dump profile.pstats]

Prints the CPU per lifecycle of this one process, the SQL statements of one lifecycle (BEGIN and
COMMIT included, and the notification tasks queued after commit) and the functions with the
most time. The database must hold the demo province and accounts (`setup_demo`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="lifecycles measured")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--procedure", default="1.002153")
    parser.add_argument("--centre", default="H08.01")
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    parser.add_argument("--filter", help="only functions whose path matches, e.g. motcua")
    parser.add_argument("--show-sql", action="store_true", help="print one lifecycle's SQL")
    parser.add_argument("--dump", help="also write the profile to this file (pstats)")
    return parser.parse_args()


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    os.environ.setdefault("MOTCUA_SECRET_KEY", uuid.uuid4().hex * 2)
    os.environ.setdefault("MOTCUA_TRACK_LIMIT", "1000000000")
    os.environ.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    os.environ.setdefault("MOTCUA_MEDIA_ROOT", tempfile.mkdtemp(prefix="motcua-profile-"))
    os.environ.setdefault("MOTCUA_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    logging.disable(logging.WARNING)  # the tracking look-up's 404 (a wrong ID) is expected


def make_lifecycle(args: argparse.Namespace, password: str) -> Callable[[], None]:
    """One lifecycle as the load benchmark runs it, through the API with bearer tokens."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from motcua.accounts.tokens import do_issue_token
    from motcua.catalog.models import Procedure

    version = Procedure.objects.get(national_code=args.procedure).current
    assert version is not None
    requirements = [d.id for d in version.documents.all() if d.to_hand_in]

    def client(username: str) -> Client:
        key, _expires = do_issue_token(login=username, password=password)
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="vi")

    people = {r: client(f"demo.{r}") for r in ("citizen", "receiver", "specialist", "leader")}
    people["clerk"] = client("demo.clerk")

    def ok(response: Any, *allowed: int) -> Any:
        assert response.status_code < 300 or response.status_code in allowed, response.content
        return response.json()

    def lifecycle() -> None:
        citizen = people["citizen"]
        code = ok(
            citizen.post(
                "/api/v1/dossiers",
                {"procedure": args.procedure, "receiving_agency": args.centre},
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
        )["code"]
        for requirement in requirements:
            upload = SimpleUploadedFile("a.pdf", PDF)
            ok(
                citizen.post(
                    f"/api/v1/dossiers/{code}/documents",
                    {"file": upload, "requirement": requirement},
                )
            )
        for who, action in (
            ("receiver", "accept"),
            ("specialist", "appraise"),
            ("leader", "approve"),
            ("", "status"),
            ("clerk", "sign"),
            ("clerk", "issue_result"),
            ("receiver", "return_result"),
        ):
            if action == "status":
                ok(citizen.get(f"/api/v1/dossiers/{code}"))
                # Any last four digits: a wrong pair answers 404, after the same work.
                ok(Client().get(f"/api/v1/track/{code}?id_last4=1234"), 404)
                continue
            ok(
                people[who].post(
                    f"/api/v1/dossiers/{code}/actions",
                    {"action": action},
                    content_type="application/json",
                )
            )

    return lifecycle


def main() -> None:
    args = arguments()
    password = os.environ.get("MOTCUA_DEMO_PASSWORD", "")
    if not password:
        sys.exit("Set MOTCUA_DEMO_PASSWORD to the demo accounts' password.")
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lifecycle = make_lifecycle(args, password)
    # Notifications are queued in the database (django_tasks_db) as in production; no worker
    # sends them here.
    for _ in range(args.warmup):
        lifecycle()
    with CaptureQueriesContext(connection) as captured:
        lifecycle()
    # Read now: each request's start empties Django's query log.
    statements = [query["sql"] for query in captured.captured_queries]
    if args.show_sql:
        for sql in statements:
            print(" ", sql[:150])
    before = os.times()
    for _ in range(args.n):
        lifecycle()
    after = os.times()
    user, system = after.user - before.user, after.system - before.system
    cpu = user + system
    print(
        f"{args.n} lifecycles: {1000 * cpu / args.n:.1f} ms CPU each in this process "
        f"({1000 * user / args.n:.1f} user + {1000 * system / args.n:.1f} system), "
        f"without the profiler ({args.n / cpu:.1f}/s); "
        f"{len(statements)} SQL statements per lifecycle"
    )
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(args.n):
        lifecycle()
    profiler.disable()
    if args.dump:
        profiler.dump_stats(args.dump)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(args.sort).print_stats(args.filter or "", args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
