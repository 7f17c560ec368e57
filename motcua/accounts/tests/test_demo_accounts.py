"""`create_demo_accounts`: one login per role, safe to run on every `make run`."""

from __future__ import annotations

import re
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.accounts.models import Business, Citizen, Official, Role, RoleMembership, User
from motcua.accounts.queries import list_roles_of_official
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db

AGENCY_OPTIONS = (
    "--centre-agency",
    "H08.01",
    "--department-agency",
    "H08.10",
    "--province-agency",
    "H08",
)
USERNAMES = (
    "demo.receiver",
    "demo.specialist",
    "demo.leader",
    "demo.clerk",
    "demo.manager",
    "demo.admin",
    "demo.citizen",
    "demo.business",
)


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_demo_accounts", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Official.objects.count(),
        Citizen.objects.count(),
        Business.objects.count(),
        RoleMembership.objects.count(),
    )


def test_creates_every_demo_account_once_and_prints_the_login(
    settings: Settings,
    demo_agencies: dict[str, Agency],
    client: Client,
) -> None:
    settings.MOTCUA_DEMO_PASSWORD = "thử-nghiệm-một-cửa"
    output = run(*AGENCY_OPTIONS)
    assert counts() == (8, 6, 1, 1, 6)
    for username in USERNAMES:
        assert username in output
        assert User.objects.get(username=username).check_password("thử-nghiệm-một-cửa")
    assert "thử-nghiệm-một-cửa" in output

    centre, justice, province = (demo_agencies[k] for k in ("centre", "department", "province"))
    role_of = {u: Official.objects.get(user__username=u) for u in USERNAMES[:6]}
    assert list_roles_of_official(role_of["demo.receiver"], centre) == {Role.RECEIVER}
    # The clerk seals and issues where the dossier is decided: the department.
    assert list_roles_of_official(role_of["demo.clerk"], justice) == {Role.CLERK}
    assert list_roles_of_official(role_of["demo.specialist"], justice) == {Role.SPECIALIST}
    assert list_roles_of_official(role_of["demo.leader"], justice) == {Role.LEADER}
    assert list_roles_of_official(role_of["demo.manager"], province) == {Role.MANAGER}
    assert list_roles_of_official(role_of["demo.admin"], province) == {Role.ADMINISTRATOR}
    admin = User.objects.get(username="demo.admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_staff=True).exclude(username="demo.admin").exists()

    citizen = Citizen.objects.get(user__username="demo.citizen")
    assert citizen.full_name == "Nguyễn Thị Hoà"
    assert Business.objects.get(user__username="demo.business").tax_code == "0101234565"
    assert client.login(username="demo.receiver", password="thử-nghiệm-một-cửa")


def test_running_twice_changes_nothing_but_the_password(
    settings: Settings,
    demo_agencies: dict[str, Agency],
) -> None:
    settings.MOTCUA_DEMO_PASSWORD = "mật-khẩu-lần-một"
    run(*AGENCY_OPTIONS)
    before = counts()
    settings.MOTCUA_DEMO_PASSWORD = "mật-khẩu-lần-hai"
    output = run(*AGENCY_OPTIONS)
    assert counts() == before
    assert "mật-khẩu-lần-hai" in output
    for username in USERNAMES:
        assert User.objects.get(username=username).check_password("mật-khẩu-lần-hai")


def test_without_a_configured_password_one_is_generated_once_and_kept(
    settings: Settings,
    demo_agencies: dict[str, Agency],
    tmp_path: Path,
) -> None:
    settings.MOTCUA_DEMO_PASSWORD = ""
    settings.VAR_DIR = tmp_path
    match = re.search(r"password \(all accounts\): (\S+)", run(*AGENCY_OPTIONS))
    assert match is not None
    password = match.group(1)
    assert len(password) >= 12
    assert User.objects.get(username="demo.citizen").check_password(password)
    # Kept where only its owner can read it, like the secret key.
    stored = tmp_path / "demo_password"
    assert stored.read_text(encoding="utf-8").strip() == password
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    hashes = dict(User.objects.values_list("username", "password"))

    # A second run prints the same login and leaves every password as it was: not even
    # rehashed, so no one who is signed in is signed out.
    second = re.search(r"password \(all accounts\): (\S+)", run(*AGENCY_OPTIONS))
    assert second is not None and second.group(1) == password
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert User.objects.get(username="demo.citizen").check_password(password)


def test_a_missing_agency_fails_clearly_before_writing(
    settings: Settings,
    demo_agencies: dict[str, Agency],
) -> None:
    settings.MOTCUA_DEMO_PASSWORD = "thử-nghiệm-một-cửa"
    with pytest.raises(CommandError, match=r"--department-agency.*'H08\.77'"):
        run("--centre-agency", "H08.01", "--department-agency", "H08.77")
    assert counts() == (0, 0, 0, 0, 0)


def test_a_weak_configured_password_fails_clearly_before_writing(settings: Settings) -> None:
    settings.MOTCUA_DEMO_PASSWORD = "12345678"
    with pytest.raises(CommandError, match="MOTCUA_DEMO_PASSWORD"):
        run()
    assert counts() == (0, 0, 0, 0, 0)


def test_without_agency_options_officials_get_no_roles_until_a_later_run(
    settings: Settings,
    demo_agencies: dict[str, Agency],
) -> None:
    settings.MOTCUA_DEMO_PASSWORD = "thử-nghiệm-một-cửa"
    output = run()
    assert "role not granted" in output
    assert counts() == (8, 6, 1, 1, 0)
    run(*AGENCY_OPTIONS)
    assert counts() == (8, 6, 1, 1, 6)


def test_refuses_to_take_over_a_username_of_another_kind(settings: Settings) -> None:
    settings.MOTCUA_DEMO_PASSWORD = "thử-nghiệm-một-cửa"
    User.objects.create_user("demo.leader", password="whatever-it-was")  # a citizen login
    with pytest.raises(CommandError, match=r"demo\.leader"):
        run()
    assert User.objects.count() == 1
