"""A real gunicorn, started as scripts/serve.sh starts it, on the test database.

For the tests that need what the Django test client cannot show: gunicorn's own access log, a
database connection kept between requests, a network client (Schemathesis).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).parent / "gunicorn"


@dataclass
class LiveServer:
    url: str
    log: Path

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url() -> str:
    """The URL of the database the tests run on, for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def gunicorn(tmp_path: Path, *, workers: int = 1, **env: str) -> Iterator[LiveServer]:
    """gunicorn with serve.sh's configuration, its access and error logs in one file."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MOTCUA_SECRET_KEY": secrets.token_urlsafe(30),
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        "MOTCUA_MEDIA_ROOT": str(tmp_path / "media"),
        "MOTCUA_HOST": "127.0.0.1",
        "MOTCUA_PORT": str(port),
        **env,
    }
    environment.pop("MOTCUA_DEBUG", None)
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [
                str(GUNICORN),
                "motcua.config.wsgi:application",
                "--config",
                "python:motcua.config.gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text(errors="replace")) from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
