"""`setup_demo`, which every `make run` runs: running it again changes nothing and duplicates
nothing, and the login and address it prints stay true."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from pytest_django.fixtures import Settings

from motcua.accounts.models import User
from motcua.catalog.models import ImportRun

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_running_it_again_changes_nothing(
    settings: Settings, catalogue: None, tmp_path: Path
) -> None:
    settings.MOTCUA_DEMO_PASSWORD = ""  # as on a fresh machine: generated into var/
    settings.VAR_DIR = tmp_path
    settings.MOTCUA_PUBLIC_URL = "http://127.0.0.1:8101"
    # The session's database already holds the units and the catalogue, as after a first
    # `make run`; the first run's accounts are added here (the slow loaders run once only).
    call_command(
        "create_demo_accounts",
        centre_agency="H08.01",
        department_agency="H08.10",
        province_agency="H08",
        stdout=StringIO(),
    )
    password = (tmp_path / "demo_password").read_text(encoding="utf-8").strip()
    counts = row_counts()
    accounts = dict(User.objects.values_list("username", "password"))
    assert len(accounts) == 8

    out = StringIO()
    call_command("setup_demo", verbosity=1, stdout=out, stderr=StringIO())

    assert f"Demo password (all accounts): {password}" in out.getvalue()
    assert "Open http://127.0.0.1:8101/ and sign in with a demo account." in out.getvalue()
    after = row_counts()
    # The catalogue importer logs every run it makes; this one found nothing new or changed.
    assert after.pop("catalog.ImportRun") == counts.pop("catalog.ImportRun") + 1
    latest = ImportRun.objects.order_by("-id").first()
    assert latest is not None and (latest.new, latest.changed) == (0, 0)
    assert after == counts
    # Same hashes: no password was set again, so no one signed in was signed out.
    assert dict(User.objects.values_list("username", "password")) == accounts
    assert User.objects.get(username="demo.leader").check_password(password)
