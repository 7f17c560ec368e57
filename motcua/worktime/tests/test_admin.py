"""The admin screens validate an entry exactly like the action, and a good entry is used at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.worktime.deadlines import due_in_working_days
from motcua.worktime.models import CalendarDay, OfficeHours
from motcua.worktime.queries import get_calendar
from motcua.worktime.tests.conftest import at

pytestmark = pytest.mark.django_db

ADD_DAY = "/admin/worktime/calendarday/add/"


def post_day(client: Client, day: str, kind: str) -> str:
    response = client.post(
        ADD_DAY,
        {"date": day, "kind": kind, "reason": "Nghỉ bù", "legal_source": "Công văn 1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code in (200, 302)
    return response.content.decode() if response.status_code == 200 else ""


def test_admin_refuses_a_make_up_day_on_a_working_day(admin_client: Client) -> None:
    page = post_day(admin_client, "2026-03-04", "working_day")
    assert "already a working day" in page
    assert not CalendarDay.objects.exists()


def test_admin_refuses_a_duplicate_date(admin_client: Client) -> None:
    assert post_day(admin_client, "2026-01-02", "day_off") == ""
    page = post_day(admin_client, "2026-01-02", "day_off")
    assert "already in the calendar" in page
    assert CalendarDay.objects.count() == 1


def test_admin_entry_is_used_by_the_next_computation(admin_client: Client) -> None:
    before = due_in_working_days(at(2026, 1, 9, 10), 1, get_calendar()).due
    assert post_day(admin_client, "2026-01-10", "working_day") == ""
    assert before == at(2026, 1, 12, 10)
    assert due_in_working_days(at(2026, 1, 9, 10), 1, get_calendar()).due == at(2026, 1, 10, 10)


def test_admin_lists_and_office_hours_pages_render(admin_client: Client) -> None:
    CalendarDay.objects.create(
        date=dt.date(2026, 1, 2), kind="day_off", reason="Nghỉ bù", legal_source="CV 1"
    )
    OfficeHours.objects.create(agency=None)
    for url in (
        "/admin/worktime/calendarday/",
        "/admin/worktime/officehours/",
        "/admin/worktime/officehours/add/",
    ):
        assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        "/admin/worktime/officehours/add/",
        {
            "agency": "",
            "morning_start": "07:00",
            "morning_end": "11:30",
            "afternoon_start": "13:00",
            "afternoon_end": "16:30",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # A second default row is refused by the constraint, with its message.
    assert response.status_code == 200
    assert "already set" in response.content.decode()
