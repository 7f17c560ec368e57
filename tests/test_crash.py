"""The crash test, small: kill -9 of gunicorn during concurrent submissions loses nothing.

bench/crash_test.py runs against the test database (committed rows: a transactional test),
served by gunicorn in worker processes; the full-size figures are in BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from motcua.accounts.actions import do_register_citizen

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mật-khẩu-thử-sập-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="gunicorn needs a shared database")
@pytest.mark.django_db(transaction=True)
def test_kill_9_mid_run_loses_and_doubles_nothing(catalogue_loaded: None, tmp_path: Path) -> None:
    do_register_citizen(
        username="crash.citizen",
        password=PASSWORD,
        full_name="Hoàng Văn Thử",
        personal_id="008190054321",
    )
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    summary = tmp_path / "crash.json"
    env = {
        **os.environ,
        "MOTCUA_AUDIT_SIGNING_KEY": str(tmp_path / "keys" / "signing"),
        "MOTCUA_AUDIT_PUBLIC_KEYS": str(tmp_path / "keys" / "public"),
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
    }
    done = subprocess.run(  # noqa: S603  (our own script)
        [
            sys.executable,
            str(ROOT / "bench" / "crash_test.py"),
            *("--database-url", url, "--submissions", "120", "--clients", "6"),
            *("--workers", "2", "--kills", "2", "--port", str(free_port())),
            *("--login", "crash.citizen", "--password", PASSWORD, "--json", str(summary)),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(summary.read_text())
    # Every submission acknowledged in the end, each exactly once, none lost, audit intact.
    assert result["kills"] == 2
    assert result["acknowledged"] == result["dossiers_of_this_run"] == 120
    assert result["lost_acknowledged"] == result["duplicated_keys"] == []
    assert result["duplicate_codes_in_table"] == 0
    assert result["verify_audit_exit"] == 0
