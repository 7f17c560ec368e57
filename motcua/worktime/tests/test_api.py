"""GET /api/v1/worktime/due: good answers match the schema; every bad parameter is a JSON 4xx."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from motcua.units.models import Agency
from motcua.worktime.actions import do_declare_calendar_day, do_set_office_hours
from motcua.worktime.schemas import DueOut

pytestmark = pytest.mark.django_db

URL = "/api/v1/worktime/due"


def get_due(client: Client, **params: Any) -> tuple[int, dict[str, Any]]:
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def test_working_days_across_tet_2026(client: Client) -> None:
    status, body = get_due(client, start="2026-02-13T09:00:00+07:00", working_days=1)
    assert status == 200
    DueOut.model_validate(body)  # the documented response model
    assert body["start"] == "2026-02-13T09:00:00+07:00"
    assert body["counted_from"] == "2026-02-13T09:00:00+07:00"
    assert body["due"] == "2026-02-23T09:00:00+07:00"
    assert body["due_date"] == "2026-02-23"
    assert (body["unit"], body["amount"], body["agency"]) == ("working_days", 1, None)
    assert body["office_hours"] == [
        {"start": "07:30:00", "end": "11:30:00"},
        {"start": "13:30:00", "end": "17:00:00"},
    ]
    assert body["working_day_hours"] == 7.5
    assert len(body["skipped"]) == 9
    assert body["skipped"][3] == {
        "date": "2026-02-17",
        "reason": "holiday",
        "name": "Tết Nguyên Đán",
    }


def test_naive_and_utc_starts_are_read_as_the_same_instant(client: Client) -> None:
    _, naive = get_due(client, start="2026-03-02T17:30", working_hours=2)
    _, utc = get_due(client, start="2026-03-02T10:30:00Z", working_hours=2)
    # "+" left unencoded in a URL arrives as a space; it is still read as an offset.
    _, plus = get_due(client, start="2026-03-02T17:30:00 07:00", working_hours=2)
    assert naive == utc == plus
    assert naive["counted_from"] == "2026-03-03T07:30:00+07:00"
    assert naive["due"] == "2026-03-03T09:30:00+07:00"
    assert naive["skipped"] == []


def test_calendar_days_and_declared_days(client: Client) -> None:
    do_declare_calendar_day(
        day=dt.date(2026, 1, 2),
        kind="day_off",
        reason="Nghỉ bù Tết Dương lịch",
        legal_source="Công văn 12729/VPCP-KGVX",
    )
    status, body = get_due(client, start="2025-12-26", days=7)
    assert status == 200
    assert body["due_date"] == "2026-01-05"
    assert body["due"] == "2026-01-06T00:00:00+07:00"
    assert body["skipped"][0] == {
        "date": "2026-01-02",
        "reason": "declared_day_off",
        "name": "Nghỉ bù Tết Dương lịch",
    }


def test_agency_office_hours(client: Client, agency: Agency) -> None:
    do_set_office_hours(
        agency_id=agency.pk,
        morning=(dt.time(7), dt.time(11, 30)),
        afternoon=(dt.time(13), dt.time(16, 30)),
    )
    status, body = get_due(client, start="2026-03-02T13:10", working_days=1, agency=agency.code)
    assert status == 200
    assert (body["agency"], body["due"]) == (agency.code, "2026-03-03T13:10:00+07:00")
    assert body["working_day_hours"] == 8.0
    _, default = get_due(client, start="2026-03-02T13:10", working_days=1)
    assert default["due"] == "2026-03-03T11:30:00+07:00"


BAD_PARAMETERS = [
    pytest.param({"start": "2026-03-02T09:00"}, id="no-amount"),
    pytest.param({"start": "2026-03-02T09:00", "working_days": 1, "days": 1}, id="two-amounts"),
    pytest.param(
        {"start": "2026-03-02T09:00", "working_days": 1, "working_hours": 1, "days": 1},
        id="three-amounts",
    ),
    pytest.param({"start": "2026-03-02T09:00", "working_days": -1}, id="negative"),
    pytest.param({"start": "2026-03-02T09:00", "working_hours": 0}, id="zero"),
    pytest.param({"start": "2026-03-02T09:00", "days": 3651}, id="days-too-large"),
    pytest.param({"start": "2026-03-02T09:00", "working_days": 3651}, id="working-days-too-large"),
    pytest.param({"start": "2026-03-02T09:00", "working_hours": 29201}, id="hours-too-large"),
    pytest.param({"start": "2026-03-02T09:00", "working_days": 10**30}, id="huge"),
    pytest.param({"start": "2026-03-02T09:00", "working_days": "one"}, id="not-a-number"),
    pytest.param({"start": "2026-03-02T09:00", "working_days": "1.5"}, id="fraction"),
    pytest.param({"working_days": 1}, id="no-start"),
    pytest.param({"start": "", "working_days": 1}, id="empty-start"),
    pytest.param({"start": "yesterday", "working_days": 1}, id="not-a-date"),
    pytest.param({"start": "2026-02-30T09:00", "working_days": 1}, id="no-such-day"),
    pytest.param({"start": "2026-03-02T25:00", "working_days": 1}, id="no-such-hour"),
    pytest.param({"start": "1700000000", "working_days": 1}, id="unix-timestamp"),
    pytest.param({"start": "1999-12-31T09:00", "working_days": 1}, id="before-calendar"),
    pytest.param({"start": "0001-01-01T00:00+14:00", "working_days": 1}, id="year-one"),
    pytest.param({"start": "9999-12-31T23:59-12:00", "days": 1}, id="year-9999"),
    pytest.param({"start": "2100-12-01T09:00", "working_days": 3650}, id="due-after-calendar"),
    pytest.param({"start": "2100-12-30T09:00", "days": 5}, id="days-after-calendar"),
    pytest.param({"start": "2026-03-02T09:00", "days": 1, "agency": "x" * 41}, id="long-agency"),
]


@pytest.mark.parametrize("params", BAD_PARAMETERS)
def test_bad_parameters_are_400_bad_request(client: Client, params: dict[str, Any]) -> None:
    status, body = get_due(client, **params)
    assert status == 400
    assert body["result"] == "error"
    assert body["code"] == "BAD_REQUEST"
    assert body["msg"]


def test_unknown_agency_is_404(client: Client) -> None:
    status, body = get_due(client, start="2026-03-02T09:00", working_days=1, agency="H99.NOPE")
    assert status == 404
    assert (body["result"], body["code"]) == ("error", "NOT_FOUND")
    assert "H99.NOPE" in body["msg"]


def test_openapi_documents_the_endpoint(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "start",
        "working_days",
        "working_hours",
        "days",
        "agency",
    }
    assert set(operation["responses"]) == {"200", "400", "404"}
    due_schema = schema["components"]["schemas"]["DueOut"]
    assert set(due_schema["required"]) >= {"start", "counted_from", "due", "skipped", "unit"}
