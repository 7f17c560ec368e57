"""Public tracking by dossier code: status and steps for whoever knows the ID's last 4 digits,
the same 404 for a wrong code and wrong digits, no personal data, a limit per address."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from pytest_django.fixtures import Settings

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import People, act

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))
PERSONAL_ID = "008199001234"  # the citizen of the fixtures
NAME = "Nguyễn Thị Hoà"


def track(code: str, last4: str, *, address: str = "198.51.100.7", lang: str = "en") -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    return client.get(f"/api/v1/track/{code}", {"id_last4": last4}, REMOTE_ADDR=address)


def decoded(response: Any) -> str:
    """The body as a reader sees it: JSON escapes (\\u1ec7 …) undone."""
    return json.dumps(response.json(), ensure_ascii=False)


def test_the_right_digits_show_status_steps_and_due_date_and_nothing_personal(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False):
        dossier = submitted()
        fresh = track(dossier.code, "1234")
        dossier = act(dossier, "accept", people.receiver)
        dossier = act(dossier, "assign", people.leader, assignee="chuyen.vien")
        accepted = track(dossier.code, "1234")

    assert fresh.status_code == 200, fresh.content
    assert fresh.json()["status"] == 1
    assert fresh.json()["status_label"] == "Newly registered"
    assert (fresh.json()["steps"], fresh.json()["due_date"]) == ([], None)

    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["code"] == dossier.code
    assert body["procedure"] == "Đăng ký hành nghề luật sư với tư cách cá nhân"
    assert (body["status"], body["status_label"]) == (4, "Being processed")
    # Accepted Monday 2 March 2026 at 09:00, 5 working days: due Monday 9 March.
    assert body["due_date"] == "2026-03-09"
    assert [(s["kind"], s["kind_label"], s["agency"]) for s in body["steps"]] == [
        ("receive", "Receiving the dossier", "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang"),
        ("appraise", "Appraising and processing the dossier", "Sở Tư pháp tỉnh Tuyên Quang"),
    ]
    assert set(body) == {
        "code",
        "procedure",
        "status",
        "status_label",
        "submitted_at",
        "due_date",
        "finished_at",
        "steps",
    }
    for response in (fresh, accepted):
        for text in (decoded(response), response.content.decode()):
            assert NAME not in text
            assert PERSONAL_ID not in text
            # Nor the officials who handle it.
            assert "Đỗ Quang Huy" not in text
            assert "chuyen.vien" not in text


def test_labels_follow_the_language_asked_for_and_codes_stay(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    # Regression: steps used to show only the raw code ("appraise") to a citizen.
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False):
        dossier = act(submitted(), "accept", people.receiver)
    client = Client()  # no Accept-Language: Vietnamese, the public service's language
    default = client.get(f"/api/v1/track/{dossier.code}", {"id_last4": "1234"}).json()
    answers = {lang: track(dossier.code, "1234", lang=lang).json() for lang in ("vi", "en")}

    assert default == answers["vi"]
    assert (default["status"], default["status_label"]) == (4, "Đang xử lý")
    assert [(s["kind"], s["kind_label"]) for s in default["steps"]] == [
        ("receive", "Tiếp nhận hồ sơ"),
        ("appraise", "Thẩm định, xử lý hồ sơ"),
    ]
    english = answers["en"]
    assert (english["status"], english["status_label"]) == (4, "Being processed")
    assert [(s["kind"], s["kind_label"]) for s in english["steps"]] == [
        ("receive", "Receiving the dossier"),
        ("appraise", "Appraising and processing the dossier"),
    ]


def test_wrong_digits_and_an_unknown_code_get_the_same_answer(
    submitted: Callable[..., Dossier],
) -> None:
    dossier = submitted(with_documents=False)
    unknown = dossier.code[:-4] + "9999"
    wrong = track(dossier.code, "5678")  # the other citizen's last digits
    missing = track(unknown, "1234")

    assert (wrong.status_code, missing.status_code) == (404, 404)
    assert wrong.json() == {
        "result": "error",
        "code": "NOT_FOUND",
        "msg": f"No dossier {dossier.code} that you may see.",
        "dossier": dossier.code,
    }
    assert missing.json() == {
        "result": "error",
        "code": "NOT_FOUND",
        "msg": f"No dossier {unknown} that you may see.",
        "dossier": unknown,
    }
    assert track(dossier.code, "1234").status_code == 200


@pytest.mark.parametrize("last4", ["123", "12345", "abcd", "12a4", "", "１２３４"])
def test_malformed_digits_are_a_bad_request(last4: str, submitted: Callable[..., Dossier]) -> None:
    dossier = submitted(with_documents=False)
    response = track(dossier.code, last4)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "BAD_REQUEST"
    assert response.json()["errors"][0]["field"] == "id_last4"
    assert PERSONAL_ID not in response.content.decode()


def test_the_digits_are_required(submitted: Callable[..., Dossier]) -> None:
    dossier = submitted(with_documents=False)
    response = Client().get(f"/api/v1/track/{dossier.code}")
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"


def test_an_address_that_asks_too_often_is_refused_for_a_while(
    settings: Settings, submitted: Callable[..., Dossier]
) -> None:
    settings.MOTCUA_TRACK_LIMIT = 5
    settings.MOTCUA_TRACK_WINDOW_SECONDS = 600
    dossier = submitted(with_documents=False)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    with time_machine.travel(start, tick=False) as traveller:
        guesses = ["0000", "1111", "2222", "3333", "1234"]
        answers = [track(dossier.code, last4).status_code for last4 in guesses]
        assert answers == [404, 404, 404, 404, 200]

        sixth = track(dossier.code, "1234")
        assert sixth.status_code == 429
        assert sixth.json()["code"] == "TOO_MANY_REQUESTS"
        assert "status" not in sixth.json()
        # An unknown code too: the limit is about the address, not the dossier.
        assert track(dossier.code[:-4] + "9999", "1234").status_code == 429
        vi = track(dossier.code, "1234", lang="vi")
        assert vi.status_code == 429
        assert vi.json()["msg"] != sixth.json()["msg"]

        assert track(dossier.code, "1234", address="203.0.113.9").status_code == 200
        traveller.shift(dt.timedelta(seconds=599))
        assert track(dossier.code, "1234").status_code == 429
        traveller.shift(dt.timedelta(seconds=2))
        assert track(dossier.code, "1234").status_code == 200
