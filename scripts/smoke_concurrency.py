"""Concurrent writes against a running server: no request may fail ("database is locked").

    .venv/bin/python scripts/smoke_concurrency.py [--base http://127.0.0.1:8000] [--seconds 20]

Meant for `make run` on SQLite with several gunicorn workers: threads log in through the API
(POST /api/v1/auth/token, a token row each), submit dossiers (POST /api/v1/dossiers, several rows
each), and look dossiers up through public tracking (a rate-limit counter upsert each; a 429
once the limit is reached is an answer, not a failure), all at once. Exits 1 if any request got
a 5xx or no answer. The demo password is MOTCUA_DEMO_PASSWORD or var/demo_password.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROCEDURE, CENTRE = "1.002153", "H08.01"  # the demo province's lawyer registration
CITIZEN_LAST4 = "2345"  # demo.citizen's ID number ends so (create_demo_accounts)


def request(
    base: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(  # noqa: S310  (the base URL is the operator's)
        base + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")[:200]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--base", default=os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--submitters", type=int, default=4)
    parser.add_argument("--trackers", type=int, default=4)
    parser.add_argument("--password", default=os.environ.get("MOTCUA_DEMO_PASSWORD", ""))
    args = parser.parse_args()
    base = args.base.rstrip("/")
    password = args.password or (ROOT / "var" / "demo_password").read_text().strip()

    statuses: Counter[str] = Counter()
    failures: list[str] = []
    codes: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def record(kind: str, status: int, body: Any) -> None:
        with lock:
            statuses[f"{kind} {status}"] += 1
            if status >= 500 or "locked" in str(body):
                failures.append(f"{kind} {status}: {str(body)[:200]}")

    def submitter() -> None:
        while time.monotonic() < deadline:
            status, body = request(
                base, "POST", "/api/v1/auth/token", {"login": "demo.citizen", "password": password}
            )
            record("login", status, body)
            if status != 200:
                continue
            auth = {"Authorization": f"Bearer {body['token']}"}
            for _ in range(3):
                status, body = request(
                    base,
                    "POST",
                    "/api/v1/dossiers",
                    {"procedure": PROCEDURE, "receiving_agency": CENTRE, "channel": "online"},
                    {**auth, "Idempotency-Key": uuid.uuid4().hex},
                )
                record("submit", status, body)
                if status == 201:
                    with lock:
                        codes.append(body["code"])

    def tracker() -> None:
        while time.monotonic() < deadline:
            with lock:
                code = codes[-1] if codes else "H08.01-000000-0000"
            status, body = request(base, "GET", f"/api/v1/track/{code}?id_last4={CITIZEN_LAST4}")
            record("track", status, body)

    threads = [threading.Thread(target=submitter) for _ in range(args.submitters)]
    threads += [threading.Thread(target=tracker) for _ in range(args.trackers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for key, count in sorted(statuses.items()):
        print(f"{key}: {count}")
    print(f"dossiers submitted: {len(codes)}")
    for failure in failures[:20]:
        print("FAILED", failure, file=sys.stderr)
    return 1 if failures or not codes else 0


if __name__ == "__main__":
    sys.exit(main())
