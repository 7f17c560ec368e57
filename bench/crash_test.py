"""Kill -9 the server during concurrent submissions: no acknowledged dossier lost, none doubled.

    MOTCUA_DEMO_PASSWORD=... .venv/bin/python bench/crash_test.py \
        --database-url postgres://postgres@127.0.0.1:5432/motcua_bench_crash \
        --submissions 10000 --clients 16 --workers 4 --kills 3

The database must hold the demo province, the catalogue and the account given by --login
(demo.citizen by default; `manage.py setup_demo`, or `--setup` to create, migrate and set it up).
The app is served as in production: gunicorn (sync workers) on 127.0.0.1, DEBUG off, in a
process group of its own so that SIGKILL reaches the master and every worker at once.

`--clients` concurrent clients submit `--submissions` dossiers (online, 1.002153 at H08.01),
each with its own Idempotency-Key and the key in its summary. When the attempted submissions
pass 1/(kills+1), 2/(kills+1), … the whole server is killed with SIGKILL, whatever it is doing,
and started again; a request that got no answer (or an error) is only noted, and its client
waits for the server to come back. After the run every unacknowledged or failed key is sent
again with the same key until it is acknowledged, and a sample of acknowledged ones too (they
must answer with the same dossier). Then, read from the database:

- lost: acknowledged dossiers that are not there (or not under that key): must be 0;
- duplicated: keys with more than one dossier, dossiers per key other than one: must be 0;
- duplicate codes in the whole table: must be 0;
- `manage.py verify_audit`: must pass.

Exits 1 when any of these fails. Prints a JSON summary (also to --json).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_crash"


def pg_url(url: str) -> str:
    return url.split("?", 1)[0].replace("postgres://", "postgresql://", 1)


def manage(args: argparse.Namespace, *command: str, check: bool = True) -> int:
    """Run manage.py against the test database (output passed through)."""
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "MOTCUA_DEMO_PASSWORD": args.password,
        "MOTCUA_SECRET_KEY": args.secret_key,
    }
    env.pop("MOTCUA_TESTING", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command], env=env, cwd=ROOT, check=check
    ).returncode


def setup_database(args: argparse.Namespace) -> None:
    import psycopg

    name = pg_url(args.database_url).rsplit("/", 1)[1]
    admin = pg_url(args.database_url).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(args, "migrate", "--noinput", "-v0")
    manage(args, "setup_demo", "-v0")


# ---------------------------------------------------------------------------------------------
# The server, in a process group of its own
# ---------------------------------------------------------------------------------------------


class Server:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None
        media = ROOT / "var" / "crash-media"
        media.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DATABASE_URL": args.database_url,
            "MOTCUA_DEBUG": "0",
            # The same secret across restarts, as a real deployment keeps it.
            "MOTCUA_SECRET_KEY": args.secret_key,
            "MOTCUA_LOG_LEVEL": "WARNING",
            "MOTCUA_MEDIA_ROOT": str(media),
            "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        self.env.pop("MOTCUA_TESTING", None)

    def start(self) -> None:
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "motcua.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.args.port}",
            "--workers",
            str(self.args.workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--log-level",
            "error",
            "--timeout",
            "120",
            "--no-control-socket",
        ]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, start_new_session=True, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        url = f"http://127.0.0.1:{self.args.port}/api/v1/procedures?q=x"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    sys.exit("gunicorn exited at start")
                time.sleep(0.2)
        self.kill()
        sys.exit("gunicorn did not answer in 120 s")

    def kill(self) -> None:
        """SIGKILL to the whole group: the master and every worker, mid-request."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


# ---------------------------------------------------------------------------------------------
# The clients
# ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    tag: str
    keys: list[str]
    acked: dict[str, str] = field(default_factory=dict)  # key -> dossier code
    unacked: set[str] = field(default_factory=set)
    answers: dict[str, int] = field(default_factory=dict)  # status or error name -> count
    conflicts: list[str] = field(default_factory=list)  # a key answered with two codes
    attempted: int = 0
    kills: int = 0
    retries: int = 0
    replays: int = 0


def count(run: Run, answer: str) -> None:
    run.answers[answer] = run.answers.get(answer, 0) + 1


async def submit(session: Any, base: str, token: str, run: Run, key: str) -> bool:
    """One submission; True when acknowledged (a 201 or a replay's 200 with the code)."""
    try:
        async with session.post(
            f"{base}/api/v1/dossiers",
            json={
                "procedure": "1.002153",
                "receiving_agency": "H08.01",
                "channel": "online",
                "summary": f"{run.tag} {key}",
            },
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        ) as response:
            body = await response.read()
            count(run, str(response.status))
            if response.status not in (200, 201):
                run.unacked.add(key)
                return False
            code = json.loads(body)["code"]
    except Exception as exc:  # a killed server: reset, refused, disconnected, timed out
        count(run, type(exc).__name__)
        run.unacked.add(key)
        return False
    if run.acked.setdefault(key, code) != code:
        run.conflicts.append(f"{key}: {run.acked[key]} then {code}")
    run.unacked.discard(key)
    return True


async def drive(args: argparse.Namespace, server: Server, run: Run, token: str) -> None:
    import aiohttp

    base = f"http://127.0.0.1:{args.port}"
    up = asyncio.Event()
    up.set()
    queue: asyncio.Queue[str] = asyncio.Queue()
    for key in run.keys:
        queue.put_nowait(key)
    thresholds = [len(run.keys) * (i + 1) // (args.kills + 1) for i in range(args.kills)]

    async def client(session: Any) -> None:
        while not queue.empty():
            key = queue.get_nowait()
            await up.wait()
            run.attempted += 1
            if not await submit(session, base, token, run, key):
                await asyncio.sleep(0.05)

    async def killer() -> None:
        for threshold in thresholds:
            while run.attempted < threshold:
                await asyncio.sleep(0.01)
            # A random moment within the next requests, not at a request boundary.
            await asyncio.sleep(random.uniform(0, 0.2))
            up.clear()
            await asyncio.to_thread(server.kill)
            run.kills += 1
            await asyncio.to_thread(server.start)
            up.set()

    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=args.clients * 2)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(killer(), *(client(session) for _ in range(args.clients)))
        # Every key without an acknowledgement, again with the same key, until acknowledged.
        for _round in range(20):
            pending = sorted(run.unacked)
            if not pending:
                break
            run.retries += len(pending)
            for start in range(0, len(pending), args.clients):
                batch = pending[start : start + args.clients]
                await asyncio.gather(*(submit(session, base, token, run, k) for k in batch))
            await asyncio.sleep(0.5)
        # Acknowledged ones again: a replay must name the same dossier (conflicts otherwise).
        sample = random.sample(sorted(run.acked), min(len(run.acked), max(20, len(run.keys) // 10)))
        run.replays = len(sample)
        for start in range(0, len(sample), args.clients):
            batch = sample[start : start + args.clients]
            await asyncio.gather(*(submit(session, base, token, run, k) for k in batch))


async def login(args: argparse.Namespace) -> str:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"http://127.0.0.1:{args.port}/api/v1/auth/token",
            json={"login": args.login, "password": args.password},
        ) as response,
    ):
        if response.status != 200:
            sys.exit(f"login {args.login}: {response.status} {await response.text()}")
        return (await response.json())["token"]


# ---------------------------------------------------------------------------------------------
# What the database says
# ---------------------------------------------------------------------------------------------


def check(args: argparse.Namespace, run: Run) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(pg_url(args.database_url)) as conn:
        rows = conn.execute(
            "SELECT summary, code FROM dossiers_dossier WHERE summary LIKE %s",
            (f"{run.tag} %",),
        ).fetchall()
        duplicate_codes = conn.execute(
            "SELECT count(*) FROM (SELECT code FROM dossiers_dossier GROUP BY code "
            "HAVING count(*) > 1) d"
        ).fetchone()[0]
        records = dict(
            conn.execute(
                "SELECT r.key, d.code FROM dossiers_idempotencyrecord r "
                "JOIN dossiers_dossier d ON d.id = r.dossier_id WHERE r.key LIKE %s",
                (f"{run.tag}-%",),
            ).fetchall()
        )
    by_key: dict[str, list[str]] = {}
    for summary, code in rows:
        by_key.setdefault(summary.split(" ", 1)[1], []).append(code)
    lost = [k for k, code in run.acked.items() if code not in by_key.get(k, [])]
    duplicated = [k for k, codes in by_key.items() if len(codes) > 1]
    without = [k for k in run.keys if k not in by_key]
    wrong_record = [k for k, codes in by_key.items() if records.get(k) not in codes]
    audit = manage(args, "verify_audit", "-v0", "--workers", str(args.verify_workers), check=False)
    return {
        "submissions": len(run.keys),
        "acknowledged": len(run.acked),
        "never_acknowledged": sorted(run.unacked),
        "dossiers_of_this_run": len(rows),
        "lost_acknowledged": lost,
        "duplicated_keys": duplicated,
        "keys_without_dossier": without,
        "keys_whose_record_names_another_dossier": wrong_record,
        "conflicting_answers": run.conflicts,
        "duplicate_codes_in_table": duplicate_codes,
        "verify_audit_exit": audit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--setup", action="store_true", help="create, migrate and setup_demo")
    parser.add_argument("--submissions", "-n", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--kills", type=int, default=3, help="kill -9 of the server, spread out")
    parser.add_argument("--verify-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--login", default="demo.citizen")
    parser.add_argument("--password", default=os.environ.get("MOTCUA_DEMO_PASSWORD", ""))
    parser.add_argument("--json", help="also write the summary to this file")
    args = parser.parse_args()
    if not args.password:
        sys.exit("give the account's password: --password or MOTCUA_DEMO_PASSWORD")
    args.secret_key = os.environ.get("MOTCUA_SECRET_KEY") or secrets.token_urlsafe(50)
    if args.setup:
        setup_database(args)
    tag = f"crash-{uuid.uuid4().hex[:8]}"
    run = Run(tag=tag, keys=[f"{tag}-{i:06d}" for i in range(args.submissions)])
    server = Server(args)
    started = time.monotonic()
    server.start()
    try:
        token = asyncio.run(login(args))
        asyncio.run(drive(args, server, run, token))
    finally:
        server.stop()
    seconds = time.monotonic() - started
    result = check(args, run)
    result.update(
        {
            "tag": tag,
            "clients": args.clients,
            "gunicorn_workers": args.workers,
            "kills": run.kills,
            "answers": run.answers,
            "resent_unacknowledged": run.retries,
            "replayed_acknowledged": run.replays,
            "seconds": round(seconds, 1),
        }
    )
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    failed = (
        result["never_acknowledged"]
        or result["lost_acknowledged"]
        or result["duplicated_keys"]
        or result["keys_without_dossier"]
        or result["keys_whose_record_names_another_dossier"]
        or result["conflicting_answers"]
        or result["duplicate_codes_in_table"]
        or result["verify_audit_exit"] != 0
        or run.kills != args.kills
    )
    print("crash test: FAILED" if failed else "crash test: passed", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
