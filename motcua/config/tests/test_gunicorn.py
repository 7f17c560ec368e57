"""gunicorn as serve.sh runs it: its access log masks ID numbers, and a database connection it
keeps is checked before reuse, so a connection the database killed fails no request."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from django.db import connection

from motcua.config.tests.live import GUNICORN, ROOT, gunicorn

pytestmark = [
    # Committed, not inside the test's transaction, which on SQLite holds the write lock.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not GUNICORN.exists() or sys.platform != "linux", reason="needs gunicorn"),
]
ID = "035199000123"
TWELVE_DIGITS = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def test_serve_sh_starts_gunicorn_with_this_configuration() -> None:
    assert "--config python:motcua.config.gunicorn" in (ROOT / "scripts/serve.sh").read_text()


def test_the_access_log_masks_id_numbers_in_urls(tmp_path: Path) -> None:
    with gunicorn(tmp_path) as server:
        # The admin's search by number (and the login page it redirects to), an API query, a
        # path: all in the access log.
        assert server.get(f"/admin/accounts/citizen/?q={ID}")[0] in (200, 302)
        assert server.get(f"/api/v1/dossiers?applicant={ID}")[0] == 401
        assert server.get(f"/api/v1/procedures/{ID}")[0] == 404
    log = tmp_path.joinpath("gunicorn.log").read_text()
    assert log.count("0351******23") >= 4, log
    assert ID not in log
    assert not TWELVE_DIGITS.search(log), log


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server-side connection to kill")
def test_a_connection_the_database_killed_fails_no_request(tmp_path: Path) -> None:
    with gunicorn(tmp_path) as server:  # one worker: the same connection, kept 60 s
        assert server.get("/healthz") == (200, b'{"status": "ok", "database": "ok"}')
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] == 1  # the worker's
        # Without CONN_HEALTH_CHECKS this request used the dead connection: 503.
        assert server.get("/healthz") == (200, b'{"status": "ok", "database": "ok"}')
