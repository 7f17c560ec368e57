"""Kiosk mode (/kiosk/<centre>/): a shared screen that offers the public pages in big buttons
and forgets each visitor, by the "Finish" button, by the idle script, or by the session's own
short expiry on the server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import SESSION_KEY as USER_KEY
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.centres.kiosk import SESSION_KEY
from motcua.centres.tests.conftest import CENTRE
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PASSWORD, People, submitted  # noqa: F401
from motcua.units.models import Agency

HOME = f"/kiosk/{CENTRE}/"
END = f"/kiosk/{CENTRE}/ket-thuc/"
PERSONAL_ID = "008199001234"  # the citizen of the fixtures


def test_the_home_offers_the_four_choices_and_marks_a_kiosk_session(centre: Agency) -> None:
    client = Client()
    response = client.get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert centre.name in html
    assert 'action="/thu-tuc/"' in html
    assert 'action="/tra-cuu/"' in html
    assert "/dang-nhap/?next=/thu-tuc/" in html
    assert f'href="/xep-hang/{CENTRE}/"' in html
    assert f'action="{END}"' in html  # the "Kết thúc" button
    assert "Kết thúc" in html
    assert ">Tra cứu</button>" in html and "Track" not in html  # Vietnamese first
    assert client.session[SESSION_KEY] == CENTRE


def test_an_unknown_centre_is_not_found(centre: Agency) -> None:
    assert Client().get("/kiosk/KHONG-CO/").status_code == 404
    assert Client().post("/kiosk/KHONG-CO/ket-thuc/").status_code == 404


def test_a_kiosk_session_expires_after_the_idle_time_on_every_page(
    centre: Agency, settings: Settings
) -> None:
    settings.MOTCUA_KIOSK_IDLE_SECONDS = 45
    client = Client()
    client.get(HOME)
    assert client.session.get_expiry_age() == 45
    # Any page of the kiosk session carries the bar, the no-script refresh home and the expiry.
    response = client.get("/thu-tuc/", {"q": "khai sinh"})
    html = response.content.decode()
    assert f'action="{END}"' in html
    assert f'content="75;url={HOME}"' in html
    assert client.session.get_expiry_age() == 45


def test_an_ordinary_session_has_no_kiosk_bar(centre: Agency) -> None:
    html = Client().get("/thu-tuc/").content.decode()
    assert "kiosk-bar" not in html
    assert 'http-equiv="refresh"' not in html


def test_finish_signs_out_and_forgets_the_session(people: People) -> None:
    client = Client()
    client.get(HOME)
    signed_in = client.post(
        "/dang-nhap/", {"username": "nguyen.thi.hoa", "password": PASSWORD, "next": "/thu-tuc/"}
    )
    assert signed_in.status_code == 302
    session = client.session
    session["remembered"] = "something typed"
    session.save()
    assert USER_KEY in client.session
    assert client.session.get_expiry_age() > 0 and client.session[SESSION_KEY] == CENTRE

    response = client.post(END)

    assert response.status_code == 302 and response["Location"] == HOME
    assert USER_KEY not in client.session
    assert "remembered" not in client.session
    home = client.get(HOME).content.decode()
    assert "Nguyễn Thị Hoà" not in home
    assert "/dang-nhap/" in home


def test_finish_is_a_post(centre: Agency) -> None:
    assert Client().get(END).status_code == 405


@pytest.fixture
def dossier(submitted: Callable[..., Dossier]) -> Dossier:  # noqa: F811
    return submitted()


def test_tracking_from_the_kiosk_shows_the_status_for_the_right_digits(dossier: Dossier) -> None:
    client = Client()
    client.get(HOME)
    right = client.post("/tra-cuu/", {"code": dossier.code, "last4": PERSONAL_ID[-4:]})
    html = right.content.decode()
    assert right.status_code == 200
    assert f"<h1>Hồ sơ {dossier.code}</h1>" in html
    assert "<strong>Mới đăng ký</strong>" in html
    assert f'action="{END}"' in html  # still in kiosk mode
    wrong = client.post("/tra-cuu/", {"code": dossier.code, "last4": "0000"})
    assert "Không tìm thấy hồ sơ với mã và 4 số cuối này." in wrong.content.decode()


def test_signing_out_at_a_kiosk_returns_to_the_kiosk_home(people: People) -> None:
    client = Client()
    client.get(HOME)
    client.post("/dang-nhap/", {"username": "nguyen.thi.hoa", "password": PASSWORD})

    response = client.post("/dang-xuat/")

    assert response.status_code == 302 and response["Location"] == HOME
    assert USER_KEY not in client.session
