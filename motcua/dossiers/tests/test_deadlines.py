"""Due dates of real dossiers: Tết, declared days off, the supplement pause, the same-day
cut-off, the one reschedule, and properties of the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.catalog.actions import do_create_draft, do_publish_version
from motcua.catalog.models import Procedure
from motcua.dossiers import clock
from motcua.dossiers.errors import RescheduleRefusedError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.conftest import People, act
from motcua.worktime.actions import do_declare_calendar_day
from motcua.worktime.workcalendar import package_calendar

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def accept_at(
    moment: dt.datetime, submitted: Callable[..., Dossier], people: People, code: str = "1.002153"
) -> Dossier:
    with time_machine.travel(moment, tick=False):
        dossier = submitted(code)
        return act(dossier, "accept", people.receiver)


def local(moment: dt.datetime | None) -> dt.datetime:
    assert moment is not None
    return moment.astimezone(TZ)


def test_tet_2026_is_skipped(submitted: Callable[..., Dossier], people: People) -> None:
    # Friday 13 Feb 2026 09:00, 5 working days: Tết (16–20 Feb) and two weekends are skipped.
    dossier = accept_at(at(2026, 2, 13, 9), submitted, people)
    assert local(dossier.due_at) == at(2026, 2, 27, 9)
    assert dossier.due_date == dt.date(2026, 2, 27)
    skipped = {s["date"]: s["reason"] for s in dossier.due_explanation["skipped"]}
    assert skipped["2026-02-17"] == "holiday"
    assert skipped["2026-02-21"] == "weekend"
    assert len(skipped) == 9


def test_a_declared_day_off_moves_the_due_date(
    submitted: Callable[..., Dossier], people: People
) -> None:
    before = accept_at(at(2026, 3, 2, 9), submitted, people)
    assert local(before.due_at) == at(2026, 3, 9, 9)
    do_declare_calendar_day(
        day=dt.date(2026, 3, 4),
        kind="day_off",
        reason="Nghỉ bù (thử nghiệm)",
        legal_source="Thông báo thử nghiệm",
    )
    after = accept_at(at(2026, 3, 2, 9), submitted, people)
    assert local(after.due_at) == at(2026, 3, 10, 9)
    assert {
        "date": "2026-03-04",
        "reason": "declared_day_off",
        "name": "Nghỉ bù (thử nghiệm)",
    } in after.due_explanation["skipped"]


def test_a_receipt_after_office_hours_counts_from_the_next_morning(
    submitted: Callable[..., Dossier], people: People
) -> None:
    # Accepted at 18:30 on Monday: counting starts Tuesday 07:30; 5 working days → close of
    # office on the following Monday.
    dossier = accept_at(at(2026, 3, 2, 18, 30), submitted, people)
    assert dossier.due_explanation["counted_from"] == "2026-03-03T07:30:00+07:00"
    assert local(dossier.due_at) == at(2026, 3, 9, 17)


def test_the_supplement_pause_moves_the_due_time_and_keeps_the_old_one(
    submitted: Callable[..., Dossier], people: People
) -> None:
    dossier = accept_at(at(2026, 3, 2, 9), submitted, people)  # due Mon 9 March 09:00
    with time_machine.travel(at(2026, 3, 4, 9), tick=False):
        dossier = act(
            dossier,
            "request_supplement",
            people.specialist,
            items=["Bản sao chứng chỉ hành nghề luật sư"],
        )
    assert (dossier.status, dossier.stage) == (5, "supplement_requested")
    assert dossier.paused_at is not None
    with time_machine.travel(at(2026, 3, 10, 14), tick=False):
        dossier = act(dossier, "supplement", people.citizen, note="Đã nộp bổ sung")
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        dossier = act(dossier, "accept_supplement", people.specialist)
    # Three working days were left at the pause (Wed 09:00 → Mon 09:00); the clock resumes on
    # Wednesday 11 March 09:00, so the new due time is Monday 16 March 09:00.
    assert (dossier.status, dossier.stage) == (4, "appraising")
    assert local(dossier.previous_due_at) == at(2026, 3, 9, 9)
    assert local(dossier.due_at) == at(2026, 3, 16, 9)
    pause = dossier.due_explanation["pauses"][0]
    assert (pause["from"], pause["to"]) == (
        "2026-03-04T09:00:00+07:00",
        "2026-03-11T09:00:00+07:00",
    )
    assert dossier.paused_at is None


def test_a_second_supplement_request_is_flagged(
    submitted: Callable[..., Dossier], people: People
) -> None:
    dossier = accept_at(at(2026, 3, 2, 9), submitted, people)
    for day in (3, 5):
        with time_machine.travel(at(2026, 3, day, 9), tick=False):
            dossier = act(dossier, "request_supplement", people.specialist, items=["Tờ khai"])
            dossier = act(dossier, "supplement", people.citizen)
            dossier = act(dossier, "accept_supplement", people.specialist)
    assert dossier.supplement_count == 2
    assert "more_than_one_supplement_request" in dossier.flagged


def test_same_day_procedure_with_a_cutoff(
    submitted: Callable[..., Dossier], people: People
) -> None:
    # An administrator states the procedure as same-day with a 15:00 cut-off (DOMAIN §2.1.5).
    procedure = Procedure.objects.get(national_code="1.002153")
    draft = do_create_draft(procedure, acting_user=None)
    draft.cutoff_time = dt.time(15, 0)
    draft.save()
    for channel in draft.channels.all():
        channel.time_value, channel.time_unit = None, "same_day"
        channel.save()
    do_publish_version(draft, acting_user=None)
    before = accept_at(at(2026, 3, 2, 14, 30), submitted, people)
    assert local(before.due_at) == at(2026, 3, 2, 17)
    after = accept_at(at(2026, 3, 2, 15, 30), submitted, people)
    assert local(after.due_at) == at(2026, 3, 3, 17)
    assert after.procedure_version == draft


def test_one_reschedule_and_a_second_refused_and_flagged(
    submitted: Callable[..., Dossier], people: People
) -> None:
    dossier = accept_at(at(2026, 3, 2, 9), submitted, people)
    with time_machine.travel(at(2026, 3, 6, 9), tick=False):
        dossier = act(
            dossier,
            "reschedule",
            people.leader,
            reason="Cần xác minh thêm",
            new_due="2026-03-13T09:00:00+07:00",
        )
    assert local(dossier.due_at) == at(2026, 3, 13, 9)
    assert local(dossier.previous_due_at) == at(2026, 3, 9, 9)
    version = dossier.row_version
    with pytest.raises(RescheduleRefusedError):
        act(
            dossier,
            "reschedule",
            people.leader,
            reason="Lần hai",
            new_due="2026-03-20T09:00:00+07:00",
        )
    dossier.refresh_from_db()
    assert local(dossier.due_at) == at(2026, 3, 13, 9)  # unchanged
    assert "second_reschedule_refused" in dossier.flagged
    assert dossier.row_version == version + 1
    assert DossierEvent.objects.filter(dossier=dossier, action="reschedule_refused").exists()


def test_outcome_early_on_time_late(submitted: Callable[..., Dossier], people: People) -> None:
    results = {}
    for finish, label in (
        (at(2026, 3, 6, 10), "early"),
        (at(2026, 3, 9, 16), "on_time"),
        (at(2026, 3, 10, 8), "late"),
    ):
        dossier = accept_at(at(2026, 3, 2, 9), submitted, people)  # due Mon 9 March 09:00
        with time_machine.travel(finish, tick=False):
            for action, user in (
                ("appraise", people.specialist),
                ("approve", people.leader),
                ("sign", people.clerk),
                ("issue_result", people.clerk),
            ):
                dossier = act(dossier, action, user)
        results[label] = dossier.outcome
    assert results == {"early": "early", "on_time": "on_time", "late": "late"}


@settings(max_examples=60, deadline=None)
@given(
    # Naive bounds are what hypothesis asks for; the test attaches Vietnamese time.
    due=st.datetimes(dt.datetime(2026, 1, 5), dt.datetime(2026, 12, 20)),  # noqa: DTZ001
    pause_start=st.integers(0, 20 * 24),
    pause_hours=st.integers(0, 30 * 24),
)
def test_resuming_never_loses_or_gains_working_time(
    due: dt.datetime, pause_start: int, pause_hours: int
) -> None:
    calendar = package_calendar()
    due = due.replace(tzinfo=TZ)
    paused = due - dt.timedelta(hours=pause_start)
    resumed = paused + dt.timedelta(hours=pause_hours)
    new_due = clock.resume_due(due, paused, resumed, calendar)
    left = calendar.working_time_between(paused, due)
    # The office time left at the pause is exactly the office time after the clock resumes.
    assert calendar.working_time_between(resumed, new_due) == left
    assert new_due >= resumed
    # A longer pause never gives an earlier due time.
    later = clock.resume_due(due, paused, resumed + dt.timedelta(hours=5), calendar)
    assert later >= new_due


def test_step_budgets_scale_to_the_office_day() -> None:
    calendar = package_calendar()
    start = at(2026, 3, 2, 8)
    # 8 budget hours are one working day of the office: 7.5 h of office time.
    assert clock.step_due(start, Decimal(8), calendar) == at(2026, 3, 3, 8)
    assert calendar.working_time_between(
        start, clock.step_due(start, Decimal(4), calendar)
    ) == dt.timedelta(hours=3, minutes=45)
