"""One input rule for every entry point: text PostgreSQL can store, offsets it can hold.

A NUL character (or an unpaired surrogate) anywhere a request carries text, and a time-zone
offset beyond ±15:59 in a date-time, reached PostgreSQL and answered 500. Each is now a 400 with
the API's error shape (a page on HTML), in English and in Vietnamese, and changes nothing: the
`refused` helper counts dossiers, events, outbox rows, documents and files before and after.
Run on SQLite and on PostgreSQL (the suite's second pass), where the 500s were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from motcua.accounts.tokens import ApiToken
from motcua.dossiers.apologies import do_draft_apologies
from motcua.dossiers.models import Apology, Dossier
from motcua.dossiers.tests.conftest import CENTRE, PASSWORD, PROCEDURE, People, act, pdf
from motcua.dossiers.tests.test_bad_input import refused
from motcua.web.models import RateCounter

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))
NUL_REASON = "contains a character that is not allowed (NUL or an unpaired surrogate)."
OFFSET_REASON = "the time-zone offset must be between -15:59 and +15:59."


def errors_of(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["field"], e["reason"]) for e in body["errors"]]


def json_post(url: str, raw: str) -> Callable[[Client], Any]:
    """`raw` is sent as written: JSON spells a NUL as the escape \\u0000."""
    return lambda c: c.post(url, raw, content_type="application/json")


def test_a_nul_anywhere_in_an_api_request_is_a_400_that_changes_nothing(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    dossier = submitted(with_documents=False)
    code, citizen = dossier.code, people.citizen

    # Query parameters, public and behind a login.
    body = refused(
        lambda c: c.get("/api/v1/procedures", {"q": "hộ\x00tịch"}), None, 400, "BAD_REQUEST"
    )
    assert errors_of(body) == [("q", NUL_REASON)]
    body = refused(
        lambda c: c.get("/api/v1/dossiers", {"stage": "\x00"}), citizen, 400, "BAD_REQUEST"
    )
    assert errors_of(body) == [("stage", NUL_REASON)]

    # Path parts.
    for url in (f"/api/v1/dossiers/{code}%00", "/api/v1/procedures/1.00%002153"):
        body = refused(lambda c, url=url: c.get(url), citizen, 400, "BAD_REQUEST")
        assert errors_of(body) == [("path", NUL_REASON)]

    # JSON fields, nested ones named with dots, and the escape that spells a lone surrogate.
    submission = f'{{"procedure": "{PROCEDURE}", "receiving_agency": "{CENTRE}", "summary": '
    body = refused(
        json_post("/api/v1/dossiers", submission + '"Đơn\\u0000"}'), citizen, 400, "BAD_REQUEST"
    )
    assert errors_of(body) == [("summary", NUL_REASON)]
    body = refused(
        json_post("/api/v1/dossiers", submission + '"\\ud800"}'), citizen, 400, "BAD_REQUEST"
    )
    assert errors_of(body) == [("summary", NUL_REASON)]
    body = refused(
        json_post(
            f"/api/v1/dossiers/{code}/actions",
            '{"action": "request_supplement", "items": ["Tờ khai", "\\u0000"]}',
        ),
        people.receiver,
        400,
        "BAD_REQUEST",
        dossier=dossier,
    )
    assert errors_of(body) == [("items.1", NUL_REASON)]
    # A raw NUL byte in a body is refused too, whatever the body claims to be.
    body = refused(
        lambda c: c.post("/api/v1/dossiers", b'{"procedure": "\x00"}', content_type="text/plain"),
        citizen,
        400,
        "BAD_REQUEST",
    )
    assert errors_of(body) == [("body", NUL_REASON)]
    # An escaped backslash followed by "u0000" is six ordinary characters, not a NUL.
    fine = Client().post(
        "/api/v1/auth/token",
        '{"login": "\\\\u0000", "password": "x"}',
        content_type="application/json",
    )
    assert fine.json()["code"] == "LOGIN_FAILED"

    # Multipart form fields (Django's parser drops a NUL from a file's name itself).
    body = refused(
        lambda c: c.post(
            f"/api/v1/dossiers/{code}/documents", {"file": pdf(), "digitised": "\x00"}
        ),
        citizen,
        400,
        "BAD_REQUEST",
        dossier=dossier,
    )
    assert errors_of(body) == [("digitised", NUL_REASON)]
    # A header the API stores (the idempotency key).
    body = refused(
        lambda c: c.post(
            "/api/v1/dossiers",
            {"procedure": PROCEDURE, "receiving_agency": CENTRE},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k\x00",
        ),
        citizen,
        400,
        "BAD_REQUEST",
    )
    assert errors_of(body) == [("Idempotency-Key", NUL_REASON)]


def test_the_token_login_refuses_a_nul_and_issues_no_token(people: People) -> None:
    for login in ("nguyen.thi.hoa\x00", "008199001234\x00"):
        body = refused(
            json_post(
                "/api/v1/auth/token",
                '{"login": "' + login.replace("\x00", "\\u0000") + f'", "password": "{PASSWORD}"}}',
            ),
            None,
            400,
            "BAD_REQUEST",
        )
        assert errors_of(body) == [("login", NUL_REASON)]
    assert not ApiToken.objects.exists()


def test_the_sign_in_form_and_html_pages_refuse_a_nul_with_a_page(people: People) -> None:
    client = Client()  # Vietnamese
    signed_in = client.post(
        reverse("web:login"), {"username": "nguyen.thi.hoa\x00", "password": PASSWORD}
    )
    assert signed_in.status_code == 400
    assert "Yêu cầu đã bị từ chối" in signed_in.content.decode()
    assert "_auth_user_id" not in client.session
    english = Client()
    english.cookies["django_language"] = "en"
    search = english.get(reverse("catalog:search"), {"q": "\x00"})
    assert search.status_code == 400
    assert b"<html" in search.content  # a page, not JSON
    assert "What you sent contains a character that is not allowed" in search.content.decode()


def test_a_refused_look_up_uses_no_tracking_slot(
    settings: Settings, submitted: Callable[..., Dossier]
) -> None:
    settings.MOTCUA_TRACK_LIMIT = 1
    code = submitted(with_documents=False).code
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(3):
        assert client.get(f"/api/v1/track/{code}%00", {"id_last4": "1234"}).status_code == 400
        assert client.get(f"/api/v1/track/{code}", {"id_last4": "12\x0034"}).status_code == 400
    assert not RateCounter.objects.exists()
    # The one look-up the limit allows is still there.
    assert client.get(f"/api/v1/track/{code}", {"id_last4": "1234"}).status_code == 200


def test_offsets_beyond_1559_are_a_400_everywhere_a_date_time_is_read(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=TZ), tick=False):
        dossier = act(submitted(), "accept", people.receiver)  # due Monday 9 March 09:00

    body = refused(
        lambda c: c.get("/api/v1/dossiers", {"due_before": "2026-03-02T09:00:00+16:00"}),
        people.receiver,
        400,
        "BAD_REQUEST",
    )
    assert [e["field"] for e in body["errors"]] == ["due_before"]
    assert OFFSET_REASON in body["errors"][0]["reason"]
    body = refused(
        lambda c: c.get("/api/v1/worktime/due", {"start": "2026-03-02T09:00-20:00", "days": 3}),
        None,
        400,
        "BAD_REQUEST",
    )
    assert errors_of(body) == [("start", OFFSET_REASON)]
    body = refused(
        json_post(
            f"/api/v1/dossiers/{dossier.code}/actions",
            '{"action": "reschedule", "reason": "Trễ.", "new_due": "2026-04-01T09:00:00+23:59"}',
        ),
        people.leader,
        400,
        "BAD_REQUEST",
        dossier=dossier,
    )
    assert errors_of(body) == [("new_due", OFFSET_REASON)]

    with time_machine.travel(dt.datetime(2026, 3, 6, 10, tzinfo=TZ), tick=False):
        do_draft_apologies()
    apology = Apology.objects.get(dossier=dossier)
    body = refused(
        json_post(
            f"/api/v1/apologies/{apology.id}/approve",
            '{"reason": "Xin lỗi.", "new_due": "2026-03-20T09:00:00+16:00"}',
        ),
        people.leader,
        400,
        "BAD_REQUEST",
        dossier=dossier,
    )
    assert [e["field"] for e in body["errors"]] == ["new_due"]
    # The leader's form: Django parses ISO 8601 offsets too, and says why it refuses one.
    leader = Client()
    leader.force_login(people.leader)
    page = leader.post(
        reverse("dossiers:approve_apology", args=[apology.id]),
        {"reason": "Xin lỗi.", "new_due": "2026-03-20T09:00+16:00"},
    )
    assert page.status_code == 400
    assert "độ lệch múi giờ phải nằm trong khoảng" in page.content.decode()
    assert Apology.objects.get(id=apology.id).status == "draft"
    # The limit itself is allowed: ±15:59 is a valid (if unused) offset.
    fine = Client().get("/api/v1/worktime/due", {"start": "2026-03-02T09:00+15:59", "days": 3})
    assert fine.status_code == 200
