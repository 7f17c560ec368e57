"""A dossier walks the whole "5 on-site" lifecycle through the HTTP API, from every side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from motcua.dossiers.models import Dossier, DossierEvent, DossierRead, OutboxMessage
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PASSWORD,
    PROCEDURE,
    People,
    api_client,
    pdf,
    required_documents,
)

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))


def post(client: Client, url: str, body: dict[str, Any], status: int = 200, **headers: str) -> Any:
    response = client.post(url, body, content_type="application/json", **headers)
    assert response.status_code == status, response.content
    return response.json()


def do(client: Client, code: str, action: str, status: int = 200, **params: Any) -> Any:
    return post(client, f"/api/v1/dossiers/{code}/actions", {"action": action, **params}, status)


def test_a_dossier_from_online_submission_to_returned_result(people: People) -> None:
    citizen = api_client(people.citizen)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False):
        body = post(
            citizen, "/api/v1/dossiers", {"procedure": PROCEDURE, "receiving_agency": CENTRE}, 201
        )
        code = body["code"]
        assert code == "H08.01-260302-0001"
        assert (body["status"], body["stage"]) == (1, "submitted")
        assert body["next_actions"] == ["request_withdrawal"]
        assert len(body["missing_documents"]) == len(required_documents())
        for requirement in required_documents():
            response = citizen.post(
                f"/api/v1/dossiers/{code}/documents", {"file": pdf(), "requirement": requirement}
            )
            assert response.status_code == 201, response.content

        receiver = api_client(people.receiver)
        seen = receiver.get(f"/api/v1/dossiers/{code}").json()
        assert seen["missing_documents"] == []
        assert "accept" in seen["next_actions"]
        accepted = do(receiver, code, "accept")
    # Accepted on Monday 2 March 2026 at 09:00, 5 working days: due Monday 9 March at 09:00.
    assert (accepted["status"], accepted["stage"]) == (4, "appraising")
    assert accepted["due_at"] == "2026-03-09T09:00:00+07:00"
    assert accepted["due_explanation"]["limit"]["unit"] == "working_days"
    assert [s["date"] for s in accepted["due_explanation"]["skipped"]] == [
        "2026-03-07",
        "2026-03-08",
    ]
    assert accepted["current_agency"] == "H08.10"

    specialist, leader, clerk = (
        api_client(u) for u in (people.specialist, people.leader, people.clerk)
    )
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 0, tzinfo=TZ), tick=False):
        assert "appraise" in specialist.get(f"/api/v1/dossiers/{code}").json()["next_actions"]
        assert do(specialist, code, "appraise")["stage"] == "awaiting_approval"
        assert do(leader, code, "approve")["stage"] == "awaiting_signature"
        assert do(clerk, code, "sign")["stage"] == "signed"
        issued = do(clerk, code, "issue_result", document_number="15/2026/GCN")
    assert (issued["status"], issued["stage"]) == (9, "result_ready")
    assert issued["results"] == [f"{code}-KQ1"]
    assert issued["outcome"] == "early"
    assert issued["current_agency"] == CENTRE
    with time_machine.travel(dt.datetime(2026, 3, 5, 8, 0, tzinfo=TZ), tick=False):
        returned = do(receiver, code, "return_result")
    assert (returned["status"], returned["stage"]) == (10, "returned")
    assert returned["next_actions"] == []
    assert [s["kind"] for s in returned["steps"]] == [
        "receive",
        "appraise",
        "approve",
        "sign",
        "return",
    ]
    assert all(s["outcome"] for s in returned["steps"][:-1])

    dossier = Dossier.objects.get(code=code)
    actions = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert actions == [
        "submit",
        "attach_document",
        "attach_document",
        "accept",
        "appraise",
        "approve",
        "sign",
        "issue_result",
        "return_result",
    ]
    # One outbox row per change of the national status: 1, 4, 9, 10.
    statuses = [m.payload["TrangThaiHoSo"] for m in OutboxMessage.objects.filter(dossier=dossier)]
    assert statuses == [1, 4, 9, 10]
    assert OutboxMessage.objects.filter(dossier=dossier).last().payload["NgayHenTra"] == (
        "20260309090000"
    )
    # The officials' reads were logged; the citizen's were not.
    readers = set(
        DossierRead.objects.filter(dossier=dossier).values_list("user__username", flat=True)
    )
    assert readers == {"tiep.nhan", "chuyen.vien"}
    call_command("verify_audit", verbosity=0)


def test_token_login_by_id_number_and_a_bearer_request(people: People) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    bad = client.post(
        "/api/v1/auth/token",
        {"login": "008199001234", "password": "wrong"},
        content_type="application/json",
    )
    assert bad.status_code == 401
    assert bad.json()["code"] == "LOGIN_FAILED"
    token = post(client, "/api/v1/auth/token", {"login": "008199001234", "password": PASSWORD})
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token['token']}"}
    created = post(
        client,
        "/api/v1/dossiers",
        {"procedure": PROCEDURE, "receiving_agency": CENTRE},
        201,
        **headers,
    )
    listed = client.get("/api/v1/dossiers", **headers).json()
    assert [d["code"] for d in listed["results"]] == [created["code"]]
    assert client.get("/api/v1/dossiers").status_code == 401


def test_a_retried_submission_returns_the_same_dossier(people: People) -> None:
    citizen = api_client(people.citizen)
    body = {"procedure": PROCEDURE, "receiving_agency": CENTRE}
    first = post(citizen, "/api/v1/dossiers", body, 201, HTTP_IDEMPOTENCY_KEY="abc-123")
    again = post(citizen, "/api/v1/dossiers", body, 200, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert again["code"] == first["code"]
    assert Dossier.objects.count() == 1
    changed = post(
        citizen,
        "/api/v1/dossiers",
        {**body, "summary": "khác"},
        400,
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert [e["field"] for e in changed["errors"]] == ["Idempotency-Key"]
    assert Dossier.objects.count() == 1


def test_codes_number_dossiers_per_centre_per_day(submitted: Callable[..., Dossier]) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False):
        codes = [submitted(with_documents=False).code for _ in range(3)]
    assert codes == ["H08.01-260302-0001", "H08.01-260302-0002", "H08.01-260302-0003"]
