"""/healthz answers for the load balancer, with and without a working database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler
from django.test import Client

from motcua.web import views


@pytest.mark.django_db
def test_healthz_ok(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


@pytest.fixture
def unreachable_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the view's default database at a file in a directory that does not exist.

    The connection attempt is real and fails in the SQLite driver, as it would for a lost
    volume; only the alias the view looks up is swapped.
    """
    broken = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "missing-directory" / "motcua.sqlite3"),
            }
        }
    )
    monkeypatch.setattr(views, "connections", broken)
    yield
    broken.close_all()


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_database")
def test_healthz_reports_an_unreachable_database(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


@pytest.mark.django_db
def test_healthz_only_answers_reads(client: Client) -> None:
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
