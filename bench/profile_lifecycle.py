"""Where a dossier's lifecycle spends its CPU, in one process, without HTTP: Django's test
client drives the same 11 API requests as bench/lifecycle_load.py, under cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_empty MOTCUA_DEMO_PASSWORD=… \\
        .venv/bin/python bench/profile_lifecycle.py -n 200 --top 40

Prints the lifecycles per second of this one process (CPU-bound, no network), the SQL
statements per lifecycle, and the functions with the most cumulative and own time. The
database must hold the demo province and accounts (`setup_demo`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="lifecycles profiled")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--procedure", default="1.002153")
    parser.add_argument("--centre", default="H08.01")
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    parser.add_argument("--filter", help="only functions whose path matches, e.g. motcua")
    parser.add_argument("--show-sql", action="store_true", help="print one lifecycle's SQL")
    args = parser.parse_args()
    password = os.environ.get("MOTCUA_DEMO_PASSWORD", "")
    if not password:
        sys.exit("Set MOTCUA_DEMO_PASSWORD to the demo accounts' password.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    os.environ.setdefault("MOTCUA_SECRET_KEY", uuid.uuid4().hex * 2)
    os.environ.setdefault("MOTCUA_TRACK_LIMIT", "1000000000")
    os.environ.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    os.environ.setdefault("MOTCUA_MEDIA_ROOT", "/tmp/motcua-profile-media")
    os.environ.setdefault("MOTCUA_ALLOWED_HOSTS", "testserver")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # the tracking look-up's 404 (a wrong ID) is expected
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.accounts.tokens import do_issue_token
    from motcua.catalog.models import Procedure

    version = Procedure.objects.get(national_code=args.procedure).current
    assert version is not None
    requirements = [d.id for d in version.documents.all() if d.to_hand_in]
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

    def client(username: str) -> Client:
        key, _ = do_issue_token(login=username, password=password)
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="vi")

    citizen, receiver, specialist, leader, clerk = (
        client(f"demo.{role}")
        for role in ("citizen", "receiver", "specialist", "leader", "clerk")
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    def lifecycle() -> None:
        def ok(response: Any) -> Any:
            assert response.status_code < 300, response.content
            return response.json()

        code = ok(
            citizen.post(
                "/api/v1/dossiers",
                {"procedure": args.procedure, "receiving_agency": args.centre},
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
        )["code"]
        for requirement in requirements:
            ok(
                citizen.post(
                    f"/api/v1/dossiers/{code}/documents",
                    {"file": SimpleUploadedFile("a.pdf", pdf), "requirement": requirement},
                )
            )

        def act(who: Client, action: str) -> None:
            ok(
                who.post(
                    f"/api/v1/dossiers/{code}/actions",
                    {"action": action},
                    content_type="application/json",
                )
            )

        act(receiver, "accept")
        act(specialist, "appraise")
        act(leader, "approve")
        ok(citizen.get(f"/api/v1/dossiers/{code}"))
        ok(Client().get(f"/api/v1/track/{code}?id_last4=1234"))  # 404 for a wrong ID is fine
        act(clerk, "sign")
        act(clerk, "issue_result")
        act(receiver, "return_result")

    # The tracking call answers 404 (the demo citizen's digits differ): count it as done.
    original = Client.get

    def get(self: Client, path: str, *a: Any, **kw: Any) -> Any:
        response = original(self, path, *a, **kw)
        if path.startswith("/api/v1/track/") and response.status_code == 404:
            response.status_code = 200
        return response

    Client.get = get  # type: ignore[method-assign]
    # Notifications are queued in the database (django_tasks_db) as in production; no worker
    # sends them here.
    for _ in range(args.warmup):
        lifecycle()
    with CaptureQueriesContext(connection) as captured:
        lifecycle()
    statements = len(captured.captured_queries)
    if args.show_sql:
        for query in captured.captured_queries:
            print(" ", query["sql"][:150])
    start = time.process_time()
    for _ in range(args.n):
        lifecycle()
    cpu = time.process_time() - start
    print(
        f"{args.n} lifecycles: {1000 * cpu / args.n:.1f} ms CPU each in this process, "
        f"without the profiler ({args.n / cpu:.1f}/s); {statements} SQL statements per lifecycle"
    )
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits for PostgreSQL
    profiler.enable()
    for _ in range(args.n):
        lifecycle()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(args.sort).print_stats(args.filter or "", args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
