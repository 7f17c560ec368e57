"""`make run` serves with scripts/serve.sh: gunicorn and the task worker start together, and a
TERM (what `make` forwards, and what Ctrl+C becomes) stops every process they started."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).parent / "gunicorn"

pytestmark = pytest.mark.skipif(
    not GUNICORN.exists() or not Path("/proc/self/stat").exists() or not shutil.which("nproc"),
    reason="needs gunicorn and Linux's /proc",
)


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_term_stops_the_server_and_the_worker_and_leaves_nothing_running(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"MOTCUA_TESTING", "DATABASE_URL"}},
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_SECRET_KEY": "serve-script-test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "2",
    }
    python = str(Path(sys.executable).parent / "python")
    subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [python, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True
    )
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / "scripts" / "serve.sh"), "run"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the test's own group, so a failure can clean up after itself
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                assert server.poll() is None, "serve.sh stopped early"
                time.sleep(0.5)
        started = descendants(server.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in started]
        # The gunicorn master and its 2 workers, and the task worker.
        assert sum(b"gunicorn" in c for c in commands) == 3
        assert sum(b"db_worker" in c for c in commands) == 1

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 143
        time.sleep(0.5)
        assert [pid for pid in started if alive(pid)] == []
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
