"""Logging in tells nothing about which accounts exist, and failed logins are throttled.

- The password hasher runs once per attempt whether or not the login names an account (by ID
  number or username): the same work, so the same time, either way. Counted, not timed.
- Failures are counted per account and per address; once either is spent the login is refused
  with 429 and the wait (even with the right password, and without running the hasher); a
  successful login uses up nothing; the next window starts afresh.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from motcua.accounts.actions import do_register_citizen
from motcua.accounts.models import Citizen

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-đủ-dài-2026"
ID_NUMBER = "008199001234"
# 2026-03-02 09:00 in Hanoi: the start of a 900-second window.
START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast), counting each hash it computes, whether to store or to verify one."""

    algorithm = "counting_md5"
    runs: ClassVar[int] = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.runs += 1
        return super().encode(password, salt)


@pytest.fixture
def hoa(settings: Settings) -> Citizen:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    settings.MOTCUA_LOGIN_FAILURES_PER_ACCOUNT = 3
    settings.MOTCUA_LOGIN_FAILURES_PER_ADDRESS = 5
    settings.MOTCUA_LOGIN_WINDOW_SECONDS = 900
    return do_register_citizen(
        username="hoa", password=PASSWORD, full_name="Nguyễn Thị Hoà", personal_id=ID_NUMBER
    )


def login(login: str, password: str, *, address: str = "198.51.100.7", lang: str = "en") -> Any:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=lang).post(
        "/api/v1/auth/token",
        {"login": login, "password": password},
        content_type="application/json",
    )


def hashes_for(login_: str, password: str, *, address: str = "198.51.100.7") -> tuple[int, int]:
    """The status of one login and how many times the hasher ran for it."""
    before = CountingHasher.runs
    status = login(login_, password, address=address).status_code
    return status, CountingHasher.runs - before


def test_the_hasher_runs_once_whether_or_not_the_login_names_an_account(hoa: Citizen) -> None:
    # A registered ID number with a wrong password and an unregistered one: the same work.
    assert hashes_for(ID_NUMBER, "sai-mật-khẩu") == (401, 1)
    assert hashes_for("001099000000", "sai-mật-khẩu", address="192.0.2.1") == (401, 1)
    # The same for usernames, and for a successful login.
    assert hashes_for("hoa", "sai-mật-khẩu", address="192.0.2.2") == (401, 1)
    assert hashes_for("khong.co.ai", "sai-mật-khẩu", address="192.0.2.2") == (401, 1)
    assert hashes_for(ID_NUMBER, PASSWORD) == (200, 1)


@time_machine.travel(START, tick=False)
def test_an_account_is_refused_after_its_failures_with_the_wait(hoa: Citizen) -> None:
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        assert login(ID_NUMBER, "sai", address=address).status_code == 401
    # The account's budget is spent: refused from any address, even with the right password,
    # by its username as well, and without checking the password (no hasher run).
    for login_ in (ID_NUMBER, "hoa"):
        before = CountingHasher.runs
        refused = login(login_, PASSWORD, address="203.0.113.9")
        assert CountingHasher.runs == before
        assert refused.status_code == 429
        assert refused["Retry-After"] == "900"
        assert refused.json() == {
            "result": "error",
            "code": "TOO_MANY_LOGIN_FAILURES",
            "msg": "Too many failed sign-in attempts. Try again in 15 min.",
            "retry_after": 900,
        }
    vietnamese = login(ID_NUMBER, PASSWORD, lang="vi")
    assert vietnamese.json()["msg"] == (
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
    )
    # A minute before the window ends, the wait says so; the next window starts afresh.
    with time_machine.travel(START + dt.timedelta(seconds=841), tick=False):
        late = login(ID_NUMBER, PASSWORD)
        assert (late.status_code, late["Retry-After"], late.json()["msg"][-7:]) == (
            429,
            "59",
            " 1 min.",
        )
    with time_machine.travel(START + dt.timedelta(seconds=900), tick=False):
        assert login(ID_NUMBER, PASSWORD).status_code == 200


@time_machine.travel(START, tick=False)
def test_an_unknown_login_is_throttled_exactly_like_a_known_one(hoa: Citizen) -> None:
    # Otherwise the 429 itself would tell which ID numbers are registered.
    for login_ in (ID_NUMBER, "001099000000"):
        answers = [login(login_, "sai", address=f"192.0.2.{i}").status_code for i in range(4)]
        assert answers == [401, 401, 401, 429]


@time_machine.travel(START, tick=False)
def test_an_address_is_refused_after_its_failures_whatever_login_it_tries(hoa: Citizen) -> None:
    answers = [login(f"nguoi.{i}", "sai").status_code for i in range(6)]
    assert answers == [401] * 5 + [429]
    assert login("hoa", PASSWORD).status_code == 429
    # Another address is not affected.
    assert login("hoa", PASSWORD, address="203.0.113.9").status_code == 200


@time_machine.travel(START, tick=False)
def test_successful_logins_use_up_no_failure_budget(hoa: Citizen) -> None:
    for _ in range(8):
        assert login(ID_NUMBER, PASSWORD).status_code == 200
    assert [login(ID_NUMBER, "sai").status_code for _ in range(4)] == [401, 401, 401, 429]


@time_machine.travel(START, tick=False)
def test_the_sign_in_page_is_throttled_too(hoa: Citizen) -> None:
    browser = Client(REMOTE_ADDR="198.51.100.7")
    page = reverse("web:login")
    # The page accepts the ID number as well as the username.
    assert browser.post(page, {"username": ID_NUMBER, "password": PASSWORD}).status_code == 302
    browser.logout()
    for _ in range(3):
        assert browser.post(page, {"username": "hoa", "password": "sai"}).status_code == 200
    refused = browser.post(page, {"username": "hoa", "password": PASSWORD})
    assert (refused.status_code, refused["Retry-After"]) == (429, "900")
    # In Vietnamese, the page's language.
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút." in refused.content.decode()
    assert "_auth_user_id" not in browser.session
