"""Public tracking pages (/tra-cuu/): what a stranger holding a slip sees. The status, step, due
date and timeliness for the right last 4 digits; the same message for wrong digits and an
unknown code; a 429 page once an address asks too often; never a name or an ID number."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from motcua.dossiers.models import Dossier
from motcua.dossiers.slips.data import tracking_url
from motcua.dossiers.tests.conftest import People, act
from motcua.web.models import RateCounter

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))
MONDAY_9AM = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
PERSONAL_ID = "008199001234"  # the citizen of the fixtures
NAME = "Nguyễn Thị Hoà"
NOT_FOUND_VI = "Không tìm thấy hồ sơ với mã và 4 số cuối này."
ADDRESS = "198.51.100.7"


def qr_path(code: str) -> str:
    """The path of the address the slips print as a QR code, as the phone opens it."""
    url = tracking_url(code)
    assert url.startswith(django_settings.MOTCUA_PUBLIC_URL)
    return url[len(django_settings.MOTCUA_PUBLIC_URL) :]


def ask(path: str, lang: str = "vi", **data: str) -> HttpResponse:
    """POST the form as a visitor who chose `lang` with the language switch (pages are
    Vietnamese first, whatever the browser asks)."""
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    return client.post(path, data, REMOTE_ADDR=ADDRESS)


def alert(html: str) -> str:
    found = re.search(r'<div class="alert alert--error".*?</div>', html, re.DOTALL)
    assert found is not None
    return found.group(0)


def text(response: HttpResponse) -> str:
    return response.content.decode()


def assert_nothing_personal(html: str) -> None:
    for secret in (NAME, PERSONAL_ID, PERSONAL_ID[:8], "Nguyễn Thị", "nguyen.thi.hoa"):
        assert secret not in html


@pytest.fixture
def appraising(people: People, submitted: Callable[..., Dossier]) -> Dossier:
    """Accepted Monday 2 March 2026 at 09:00 (5 working days: due Monday 9 March), assigned."""
    with time_machine.travel(MONDAY_9AM, tick=False):
        dossier = act(submitted(), "accept", people.receiver)
        return act(dossier, "assign", people.leader, assignee="chuyen.vien")


def test_the_slips_qr_address_asks_only_for_the_four_digits(appraising: Dossier) -> None:
    path = qr_path(appraising.code)
    assert not path.endswith("/")  # as printed
    for address in (path, path + "/"):
        response = Client().get(address)
        assert response.status_code == 200
        html = text(response)
        assert f"Tra cứu hồ sơ {appraising.code}" in html
        assert 'name="last4"' in html
        assert 'name="code"' not in html
        assert 'method="post"' in html
        assert_nothing_personal(html)


def test_the_right_digits_show_status_step_due_date_and_timeliness_and_nothing_personal(
    appraising: Dossier,
) -> None:
    with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=2), tick=False):
        response = ask(qr_path(appraising.code), last4="1234")

    assert response.status_code == 200
    html = text(response)
    assert f"<h1>Hồ sơ {appraising.code}</h1>" in html
    assert "Đăng ký hành nghề luật sư với tư cách cá nhân" in html
    assert "<strong>Đang xử lý</strong>" in html  # status 4
    assert "Thẩm định, xử lý hồ sơ" in html  # the current step…
    assert "Sở Tư pháp tỉnh Tuyên Quang" in html  # …and who holds it
    assert "<dd>09/03/2026</dd>" in html  # due date
    assert 'class="timeliness timeliness--in_time">Trong hạn</span>' in html
    assert_nothing_personal(html)
    assert "Đỗ Quang Huy" not in html  # nor the official handling it
    assert "1234" not in html  # the digits are not echoed once they matched


def test_an_overdue_dossier_says_so(appraising: Dossier) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        html = text(ask(qr_path(appraising.code), last4="1234"))
    assert 'class="timeliness timeliness--overdue">Quá hạn</span>' in html


def test_before_acceptance_the_due_date_is_not_set_yet(
    submitted: Callable[..., Dossier],
) -> None:
    dossier = submitted(with_documents=False)
    html = text(ask(reverse("tracking:lookup"), code=dossier.code, last4="1234"))
    assert "<strong>Mới đăng ký</strong>" in html
    assert "Được xác định khi trung tâm tiếp nhận hồ sơ" in html
    assert "Tính từ khi hồ sơ được tiếp nhận" in html
    assert_nothing_personal(html)


def test_the_form_takes_a_code_and_the_digits(appraising: Dossier) -> None:
    form = text(Client().get("/tra-cuu/"))
    assert 'name="code"' in form and 'name="last4"' in form

    found = ask("/tra-cuu/", code=f"  {appraising.code} ", last4="1234")
    assert found.status_code == 200
    assert f"<h1>Hồ sơ {appraising.code}</h1>" in text(found)


def test_wrong_digits_and_an_unknown_code_get_the_same_message(appraising: Dossier) -> None:
    unknown = appraising.code[:-4] + "9999"
    wrong_digits = ask("/tra-cuu/", code=appraising.code, last4="5678")
    unknown_code = ask("/tra-cuu/", code=unknown, last4="1234")
    wrong_on_qr = ask(qr_path(appraising.code), last4="5678")
    unknown_on_qr = ask(qr_path(unknown), last4="1234")

    for response in (wrong_digits, unknown_code, wrong_on_qr, unknown_on_qr):
        assert response.status_code == 200
        html = text(response)
        assert NOT_FOUND_VI in html
        assert "Đang xử lý" not in html and "Sở Tư pháp" not in html
        assert_nothing_personal(html)
    # The form keeps what was typed, so a typo is fixed without typing everything again.
    assert f'value="{appraising.code}"' in text(wrong_digits)
    # Nothing in the message tells a wrong code from wrong digits.
    assert len({alert(text(response)) for response in (wrong_digits, unknown_code)}) == 1
    assert alert(text(wrong_on_qr)) == alert(text(unknown_on_qr)) == alert(text(wrong_digits))


@pytest.mark.parametrize("last4", ["", "123", "12345", "abcd", "１２３４"])
def test_malformed_digits_get_an_error_next_to_the_field_and_cost_no_look_up(
    last4: str, appraising: Dossier
) -> None:
    response = ask(qr_path(appraising.code), last4=last4)
    html = text(response)
    assert response.status_code == 200
    assert 'class="form__field form__field--error"' in html
    assert "Vui lòng nhập" in html
    assert "Đang xử lý" not in html
    assert not RateCounter.objects.filter(key=f"track:{ADDRESS}").exists()


def test_an_address_that_asks_too_often_gets_a_429_page_in_its_language(
    settings: Settings, appraising: Dossier
) -> None:
    settings.MOTCUA_TRACK_LIMIT = 3
    settings.MOTCUA_TRACK_WINDOW_SECONDS = 600
    path = qr_path(appraising.code)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 4, tzinfo=TZ), tick=False):
        guesses = [ask(path, last4=digits).status_code for digits in ("0000", "1111", "1234")]
        refused = ask(path, last4="1234")  # the right digits, too late
        english = ask(path, lang="en", last4="1234")
        from_elsewhere = Client().post(path, {"last4": "1234"}, REMOTE_ADDR="203.0.113.9")

    assert guesses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "360"  # the window began at 10:00
    html = text(refused)
    assert "Địa chỉ của bạn đã tra cứu quá nhiều lần." in html
    assert "Bạn có thể thử lại sau 6 phút." in html
    assert "Đang xử lý" not in html
    assert english.status_code == 429
    assert "Too many look-ups from your address." in text(english)
    assert "You can try again in 6 minutes." in text(english)
    assert from_elsewhere.status_code == 200


def test_the_page_in_english(appraising: Dossier) -> None:
    with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=2), tick=False):
        html = text(ask(qr_path(appraising.code), lang="en", last4="1234"))
        wrong = text(ask(qr_path(appraising.code), lang="en", last4="5678"))
    assert '<html lang="en">' in html
    assert "<strong>Being processed</strong>" in html
    assert "Appraising and processing the dossier" in html
    assert "<dt>Due date</dt>" in html
    assert ">In time</span>" in html
    assert "No dossier matches this code and these digits." in wrong


def test_the_home_page_and_the_menu_lead_to_tracking(client: Client) -> None:
    home = text(client.get("/"))
    assert '<a href="/tra-cuu/">Theo dõi hồ sơ</a>' in home  # the card
    assert '<a href="/tra-cuu/">Tra cứu hồ sơ</a>' in home  # the menu
    page = text(client.get("/tra-cuu/"))
    assert '<a href="/tra-cuu/" aria-current="page">Tra cứu hồ sơ</a>' in page
