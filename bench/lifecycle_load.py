"""Complete dossier lifecycles through the HTTP API, concurrent clients, against gunicorn.

    MOTCUA_DEMO_PASSWORD=... .venv/bin/python bench/lifecycle_load.py \
        --database-url postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers \
        --clients 16 --workers 4 --duration 60

The app is served as in production: gunicorn (`--workers`, `--threads`: sync workers for 1
thread, gthread otherwise) on 127.0.0.1:`--port`, DEBUG off, a random MOTCUA_SECRET_KEY, the
tracking rate limit raised (MOTCUA_TRACK_LIMIT), uploads under var/bench-media. The database
must hold the demo province, the catalogue and the demo accounts (`manage.py setup_demo`, run
with MOTCUA_DEMO_PASSWORD set to the password given here); bench/generate_dossiers.py fills it.

Each client logs in once per demo account (POST /api/v1/auth/token: Argon2 is slow on purpose)
and then runs lifecycles until the time is up, each one:

    demo.citizen     POST /api/v1/dossiers (online, 1.002153 at H08.01, Idempotency-Key)
    demo.citizen     POST /api/v1/dossiers/{code}/documents, once per required document (PDF)
    demo.receiver    accept                     (POST /api/v1/dossiers/{code}/actions)
    demo.specialist  appraise
    demo.leader      approve
    demo.citizen     GET /api/v1/dossiers/{code} (status lookup)
    anyone           GET /api/v1/track/{code}?id_last4= (public tracking)
    demo.clerk       sign, issue_result
    demo.receiver    return_result

Reported: complete lifecycles per second, latency p50/p95/p99 per call type (after a warm-up),
errors, and the CPU time used by the gunicorn workers, PostgreSQL and this client during the
measured window (sampled from /proc). Then, with gunicorn stopped, pgbench inserts single rows
into a small table with the same number of clients: PostgreSQL's own ceiling on this machine for
one-row write transactions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers"
DEMO_CITIZEN_LAST4 = "2345"  # demo.citizen is 001190012345 (create_demo_accounts)
ROLES = ("citizen", "receiver", "specialist", "leader", "clerk")
TICK = os.sysconf("SC_CLK_TCK")


def pdf_bytes() -> bytes:
    """A small, valid, unique PDF (content-addressed storage keeps each once)."""
    marker = secrets.token_hex(16)
    body = (
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        f"% {marker}\n" + "% padding\n" * 150 + "trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return body.encode()


# ---------------------------------------------------------------------------------------------
# CPU accounting from /proc
# ---------------------------------------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[str, int, int] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return comm, int(fields[1]), int(fields[11]) + int(fields[12])  # ppid, utime + stime


class CpuSampler:
    """CPU seconds used by process groups, sampled each second (exited processes keep what was
    seen of them)."""

    def __init__(self, server_pid: int | None, database: str) -> None:
        self.server_pid = server_pid
        self.database = database
        self.first: dict[int, int] = {}
        self.last: dict[int, tuple[str, int]] = {}
        self.started = 0.0
        self.stopped = 0.0
        self.machine = 0

    def _postgres_group(self, pid: int) -> str | None:
        """Backends of our database; the server's own processes (WAL writer, checkpointer,
        autovacuum) apart; backends of other databases (someone's test run) are not ours."""
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return None
        words = title.replace("\x00", " ").split()
        if self.database in words:
            return "postgresql"
        if any(w in words for w in ("checkpointer", "writer", "walwriter", "autovacuum")):
            return "postgresql server"
        return None

    def _group(self, pid: int, comm: str, ppid: int) -> str | None:
        if comm.startswith("postgres"):
            return self._postgres_group(pid)
        if pid == os.getpid():
            return "client"
        if self.server_pid and self.server_pid in (pid, ppid):
            return "gunicorn"
        return None

    def sample(self) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            stat = _proc_stat(pid)
            if stat is None:
                continue
            group = self._group(pid, stat[0], stat[1])
            if group is None:
                continue
            self.first.setdefault(pid, stat[2])
            self.last[pid] = (group, stat[2])

    @staticmethod
    def busy_ticks() -> int:
        """All CPUs' busy time (user, nice, system, irq, softirq, steal), machine-wide."""
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        values = [int(v) for v in fields]
        return sum(values[:3]) + sum(values[5:8])

    def start(self) -> None:
        self.first.clear()
        self.last.clear()
        self.sample()
        self.machine = self.busy_ticks()
        self.started = time.monotonic()

    def stop(self) -> dict[str, float]:
        self.sample()
        self.stopped = time.monotonic()
        used: dict[str, float] = defaultdict(float)
        for pid, (group, ticks) in self.last.items():
            used[group] += (ticks - self.first.get(pid, ticks)) / TICK
        machine = (self.busy_ticks() - self.machine) / TICK
        used["other processes"] = max(machine - sum(used.values()), 0.0)  # not ours
        wall = self.stopped - self.started
        return {g: round(s / wall, 2) for g, s in sorted(used.items())}  # cores busy


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


def start_server(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    media = ROOT / "var" / "bench-media"
    media.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "motcua.config.settings",
        "MOTCUA_DEBUG": "0",
        "MOTCUA_SECRET_KEY": secrets.token_urlsafe(50),
        "MOTCUA_TRACK_LIMIT": "1000000000",
        "MOTCUA_LOG_LEVEL": "WARNING",
        "MOTCUA_MEDIA_ROOT": str(media),
        "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("MOTCUA_TESTING", None)
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "motcua.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "sync" if args.threads == 1 else "gthread",
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        "--timeout",
        "60",
        # Longer than the client's idle keep-alive, so the server never closes a connection
        # the client is about to reuse (a spurious ServerDisconnectedError).
        "--keep-alive",
        "30",
    ]
    if args.gunicorn_config:
        command += ["--config", args.gunicorn_config]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    import urllib.request

    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{args.port}/api/v1/procedures?q=x", timeout=2
            ):
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit("gunicorn exited")
            time.sleep(0.3)
    server.kill()
    sys.exit("gunicorn did not answer in 30 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


# ---------------------------------------------------------------------------------------------
# The clients
# ---------------------------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.measuring = False
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: list[str] = []
        self.lifecycles = 0


async def call(
    session: Any,
    stats: Stats,
    name: str,
    method: str,
    url: str,
    *,
    token: str | None = None,
    expect: tuple[int, ...] = (200,),
    **kwargs: Any,
) -> Any:
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    start = time.perf_counter()
    async with session.request(method, url, headers=headers, **kwargs) as response:
        body = await response.read()
        elapsed = (time.perf_counter() - start) * 1000
    if response.status not in expect:
        stats.errors[f"{name} {response.status}"] += 1
        if len(stats.error_samples) < 5:
            stats.error_samples.append(f"{name} {response.status}: {body[:300]!r}")
        raise RuntimeError(name)
    if stats.measuring:
        stats.timings[name].append(elapsed)
    return json.loads(body) if body else None


async def login(session: Any, base: str, username: str, password: str) -> str:
    async with session.post(
        f"{base}/api/v1/auth/token", json={"login": username, "password": password}
    ) as response:
        if response.status != 200:
            sys.exit(f"login {username}: {response.status} {await response.text()}")
        return (await response.json())["token"]


async def lifecycle(  # noqa: PLR0917
    session: Any,
    stats: Stats,
    base: str,
    tokens: dict[str, str],
    args: argparse.Namespace,
    requirements: list[int],
) -> None:
    import aiohttp

    api = f"{base}/api/v1/dossiers"
    detail = await call(
        session,
        stats,
        "submit",
        "POST",
        api,
        token=tokens["citizen"],
        expect=(201,),
        json={"procedure": args.procedure, "receiving_agency": args.centre, "channel": "online"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    code = detail["code"]
    for requirement in requirements:
        form = aiohttp.FormData()
        form.add_field("requirement", str(requirement))
        form.add_field("file", pdf_bytes(), filename="giay-to.pdf", content_type="application/pdf")
        await call(
            session,
            stats,
            "upload",
            "POST",
            f"{api}/{code}/documents",
            token=tokens["citizen"],
            expect=(201,),
            data=form,
        )
    version = None
    steps = [
        ("accept", "receiver"),
        ("appraise", "specialist"),
        ("approve", "leader"),
        ("status", "citizen"),
        ("track", ""),
        ("sign", "clerk"),
        ("issue_result", "clerk"),
        ("return_result", "receiver"),
    ]
    for action, role in steps:
        if action == "status":
            await call(session, stats, "GET status", "GET", f"{api}/{code}", token=tokens[role])
            continue
        if action == "track":
            await call(
                session,
                stats,
                "GET track",
                "GET",
                f"{base}/api/v1/track/{code}?id_last4={DEMO_CITIZEN_LAST4}",
            )
            continue
        detail = await call(
            session,
            stats,
            action,
            "POST",
            f"{api}/{code}/actions",
            token=tokens[role],
            json={"action": action, "version": version} if version else {"action": action},
        )
        version = detail["version"]
    assert detail["status"] == 10, detail
    if stats.measuring:
        stats.lifecycles += 1


async def client(  # noqa: PLR0917
    index: int,
    session: Any,
    stats: Stats,
    base: str,
    tokens: dict[str, str],
    args: argparse.Namespace,
    requirements: list[int],
    deadline: float,
) -> None:
    while time.monotonic() < deadline:
        try:
            await lifecycle(session, stats, base, tokens, args, requirements)
        except RuntimeError:  # an unexpected status, counted by call()
            await asyncio.sleep(0.05)
        except Exception as exc:  # a dropped connection, a wrong answer: count it
            stats.errors[type(exc).__name__] += 1
            if len(stats.error_samples) < 5:
                stats.error_samples.append(repr(exc)[:300])
            await asyncio.sleep(0.05)


async def drive(args: argparse.Namespace, server_pid: int, requirements: list[int]) -> dict:
    import aiohttp

    base = f"http://127.0.0.1:{args.port}"
    stats = Stats()
    password = args.password
    connector = aiohttp.TCPConnector(limit=args.clients * 2, force_close=False)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        # One login per client and account, before the clock (Argon2 is slow on purpose).
        logins = await asyncio.gather(
            *(
                login(session, base, f"demo.{role}", password)
                for _ in range(args.clients)
                for role in ROLES
            )
        )
        tokens = [
            dict(zip(ROLES, logins[i * len(ROLES) : (i + 1) * len(ROLES)], strict=True))
            for i in range(args.clients)
        ]
        print(
            f"{len(tokens) * len(ROLES)} token logins in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        sampler = CpuSampler(server_pid, pg_url(args.database_url).rsplit("/", 1)[1])
        warm_end = time.monotonic() + args.warmup
        deadline = warm_end + args.duration
        tasks = [
            asyncio.create_task(
                client(i, session, stats, base, tokens[i], args, requirements, deadline)
            )
            for i in range(args.clients)
        ]
        await asyncio.sleep(args.warmup)
        stats.measuring = True
        sampler.start()
        measured_start = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(1)
            sampler.sample()
        stats.measuring = False
        measured = time.monotonic() - measured_start
        cpu = sampler.stop()
        await asyncio.gather(*tasks)
    calls = {}
    for name, values in stats.timings.items():
        values.sort()
        calls[name] = {
            "count": len(values),
            "p50": round(statistics.median(values), 1),
            "p95": round(values[max(int(len(values) * 0.95) - 1, 0)], 1),
            "p99": round(values[max(int(len(values) * 0.99) - 1, 0)], 1),
            "max": round(values[-1], 1),
        }
    requests = sum(c["count"] for c in calls.values())
    # CPU per lifecycle does not depend on what else the machine runs: 2 idle cores divided
    # by it is the throughput this stack could reach here.
    lifecycle_cpu = {
        g: round(cores * measured / max(stats.lifecycles, 1) * 1000, 1)
        for g, cores in cpu.items()
        if g in ("client", "gunicorn", "postgresql")
    }
    return {
        "cpu_ms_per_lifecycle": lifecycle_cpu,
        "projected_lifecycles_per_s_on_2_idle_cores": round(
            2000 / max(sum(lifecycle_cpu.values()), 0.1), 1
        ),
        "lifecycles": stats.lifecycles,
        "seconds": round(measured, 1),
        "lifecycles_per_s": round(stats.lifecycles / measured, 1),
        "requests_per_s": round(requests / measured, 1),
        "calls": calls,
        "errors": dict(stats.errors),
        "error_samples": stats.error_samples,
        "cpu_cores_busy": cpu,
    }


# ---------------------------------------------------------------------------------------------
# Reference data and the PostgreSQL ceiling
# ---------------------------------------------------------------------------------------------


def pg_url(url: str) -> str:
    """For psycopg and pgbench: without Django's OPTIONS (e.g. ?server_side_binding=true)."""
    return url.split("?", 1)[0].replace("postgres://", "postgresql://", 1)


def required_documents(args: argparse.Namespace) -> tuple[list[int], int]:
    """The requirement ids to upload (the rules of dossiers.actions.missing_documents) and the
    number of dossiers in the database."""
    import psycopg

    with psycopg.connect(pg_url(args.database_url)) as conn:
        rows = conn.execute(
            """SELECT d.id FROM catalog_requireddocument d
               JOIN catalog_procedure p ON p.current_id = d.version_id
               WHERE p.national_code = %s AND d.mandatory
               AND coalesce(d.originals, 0) + coalesce(d.copies, 0) > 0
               AND (d."group" = '' OR lower(d."group") LIKE 'giấy tờ phải nộp%%')
               ORDER BY d."order", d.id""",
            (args.procedure,),
        ).fetchall()
        dossiers = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0]
    return [r[0] for r in rows], dossiers


def pgbench_ceiling(args: argparse.Namespace) -> dict[str, Any]:
    """pgbench: one-row INSERT transactions into a small table, same number of clients."""
    import psycopg

    with psycopg.connect(pg_url(args.database_url), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert_ceiling "
            "(id bigserial PRIMARY KEY, at timestamptz NOT NULL, note text NOT NULL)"
        )
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("INSERT INTO bench_insert_ceiling (at, note) VALUES (now(), 'row');\n")
    dbname = pg_url(args.database_url).rsplit("/", 1)[1]
    try:
        out = subprocess.run(
            [  # noqa: S607  (pgbench from PostgreSQL, on the PATH)
                "pgbench",
                "-n",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-c",
                str(args.clients),
                "-j",
                "2",
                "-T",
                str(args.pgbench_seconds),
                "-f",
                script.name,
                dbname,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
        with psycopg.connect(pg_url(args.database_url), autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS bench_insert_ceiling")
    tps = re.search(r"tps = ([0-9.]+)", out)
    latency = re.search(r"latency average = ([0-9.]+) ms", out)
    return {
        "tps": round(float(tps.group(1)), 0) if tps else None,
        "latency_ms": float(latency.group(1)) if latency else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--label", default="", help="name of the run in the output")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="1: sync workers, >1: gthread")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--password", default=os.environ.get("MOTCUA_DEMO_PASSWORD", ""))
    parser.add_argument("--procedure", default="1.002153", help="province-level, H08.10")
    parser.add_argument("--centre", default="H08.01")
    parser.add_argument("--pgbench-seconds", type=int, default=20, help="0: no pgbench")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--gunicorn-config", help="extra gunicorn config file (experiments)")
    args = parser.parse_args()
    if not args.password:
        sys.exit("give the demo accounts' password: --password or MOTCUA_DEMO_PASSWORD")
    requirements, dossiers = required_documents(args)
    server = start_server(args)
    try:
        result = asyncio.run(drive(args, server.pid, requirements))
    finally:
        stop_server(server)
    result.update(
        {
            "label": args.label,
            "database": pg_url(args.database_url).rsplit("/", 1)[1],
            "database_options": args.database_url.partition("?")[2],
            "dossiers_before": dossiers,
            "clients": args.clients,
            "server": f"gunicorn {args.workers} × "
            + ("sync" if args.threads == 1 else f"gthread {args.threads} threads"),
        }
    )
    if args.pgbench_seconds:
        result["pgbench_single_row_insert"] = pgbench_ceiling(args)
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))


def report(r: dict[str, Any]) -> None:
    print(
        f"\n{r['label'] or r['database']}: {r['dossiers_before']:,} dossiers before, "
        f"{r['server']}, {r['clients']} clients, {r['seconds']} s measured"
    )
    print(
        f"lifecycles: {r['lifecycles']} = {r['lifecycles_per_s']}/s; "
        f"requests: {r['requests_per_s']}/s; errors: {r['errors'] or 'none'}"
    )
    for sample in r["error_samples"]:
        print(f"  {sample}")
    print(f"CPU (cores busy, of 2): {r['cpu_cores_busy']}")
    print(
        f"CPU ms per lifecycle: {r['cpu_ms_per_lifecycle']} -> at most "
        f"{r['projected_lifecycles_per_s_on_2_idle_cores']} lifecycles/s on 2 idle cores"
    )
    if "pgbench_single_row_insert" in r:
        p = r["pgbench_single_row_insert"]
        print(f"pgbench single-row INSERT, {r['clients']} clients: {p['tps']} tps")
    print("\n| call | count | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    order = [
        "submit",
        "upload",
        "accept",
        "appraise",
        "approve",
        "GET status",
        "GET track",
        "sign",
        "issue_result",
        "return_result",
    ]
    for name in order:
        c = r["calls"].get(name)
        if c:
            print(f"| {name} | {c['count']} | {c['p50']} | {c['p95']} | {c['p99']} | {c['max']} |")


if __name__ == "__main__":
    main()
