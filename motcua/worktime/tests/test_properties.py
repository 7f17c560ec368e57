"""Properties of the deadline arithmetic that must hold for every start and every limit."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.deadlines import (
    HOUR,
    add_working_days,
    add_working_time,
    count_working_days,
    due_in_calendar_days,
    due_in_working_days,
    due_in_working_hours,
    working_time_between,
)
from motcua.worktime.tests.conftest import NEW_YEAR_2026
from motcua.worktime.workcalendar import (
    DEFAULT_OFFICE_SCHEDULE,
    LEGAL_TZ,
    OfficeSchedule,
    WorkCalendar,
    vietnam_public_holidays,
)

CALENDARS = [
    WorkCalendar(public_holidays=vietnam_public_holidays(), declared=NEW_YEAR_2026),
    WorkCalendar(
        public_holidays=vietnam_public_holidays(),
        declared=NEW_YEAR_2026,
        schedule=OfficeSchedule(((dt.time(7), dt.time(11, 30)), (dt.time(13), dt.time(16, 30)))),
    ),
]
assert CALENDARS[0].schedule == DEFAULT_OFFICE_SCHEDULE

calendars = st.sampled_from(CALENDARS)
# Naive bounds are what st.datetimes() takes; the strategy attaches the zone.
starts = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(LEGAL_TZ),
)
working_days = st.integers(1, 60)
working_hours = st.integers(1, 200)


def is_working_moment(calendar: WorkCalendar, moment: dt.datetime) -> bool:
    """Inside an office period of a working day, its closing instant included."""
    moment = moment.astimezone(calendar.tz)
    return any(start <= moment <= end for start, end in calendar.office_periods(moment.date()))


@given(calendar=calendars, start=starts, n=working_days)
def test_working_day_due_is_in_working_time(
    calendar: WorkCalendar, start: dt.datetime, n: int
) -> None:
    due = due_in_working_days(start, n, calendar)
    assert is_working_moment(calendar, due.due)
    assert calendar.is_within_office_hours(due.counted_from)
    assert due.counted_from >= start
    assert working_time_between(due.counted_from, due.due, calendar).days == n
    assert all(not calendar.is_working_day(day.date) for day in due.skipped)


@given(calendar=calendars, start=starts, n=working_hours)
def test_working_hour_due_is_in_working_time(
    calendar: WorkCalendar, start: dt.datetime, n: int
) -> None:
    due = due_in_working_hours(start, n, calendar)
    assert is_working_moment(calendar, due.due)
    assert working_time_between(start, due.due, calendar).duration == n * HOUR


@given(calendar=calendars, start=starts, a=working_days, b=working_days)
def test_working_days_add_up(calendar: WorkCalendar, start: dt.datetime, a: int, b: int) -> None:
    first = due_in_working_days(start, a, calendar).due
    assert (
        due_in_working_days(first, b, calendar).due
        == due_in_working_days(start, a + b, calendar).due
    )


@given(calendar=calendars, start=starts, a=working_hours, b=working_hours)
def test_working_hours_add_up(calendar: WorkCalendar, start: dt.datetime, a: int, b: int) -> None:
    first = due_in_working_hours(start, a, calendar).due
    assert (
        due_in_working_hours(first, b, calendar).due
        == due_in_working_hours(start, a + b, calendar).due
    )


@given(calendar=calendars, start=starts, n=working_days, more=st.integers(0, 30))
def test_monotonic_in_the_limit(
    calendar: WorkCalendar, start: dt.datetime, n: int, more: int
) -> None:
    assert (
        due_in_working_days(start, n, calendar).due
        <= due_in_working_days(start, n + more, calendar).due
    )
    assert (
        due_in_working_hours(start, n, calendar).due
        <= due_in_working_hours(start, n + more, calendar).due
    )
    assert (
        due_in_calendar_days(start, n, calendar).due
        <= due_in_calendar_days(start, n + more, calendar).due
    )


@given(
    calendar=calendars,
    start=starts,
    later=st.timedeltas(dt.timedelta(0), dt.timedelta(days=20)),
    n=working_days,
)
def test_monotonic_in_the_start(
    calendar: WorkCalendar, start: dt.datetime, later: dt.timedelta, n: int
) -> None:
    second = start + later
    assert (
        due_in_working_days(start, n, calendar).due <= due_in_working_days(second, n, calendar).due
    )
    assert (
        due_in_working_hours(start, n, calendar).due
        <= due_in_working_hours(second, n, calendar).due
    )
    assert (
        due_in_calendar_days(start, n, calendar).due
        <= due_in_calendar_days(second, n, calendar).due
    )


@given(calendar=calendars, start=starts, n=st.integers(0, 400))
def test_calendar_days_end_at_midnight_after_a_working_day(
    calendar: WorkCalendar, start: dt.datetime, n: int
) -> None:
    due = due_in_calendar_days(start, n, calendar)
    assert calendar.is_working_day(due.due_date)
    assert due.due == dt.datetime.combine(due.due_date + dt.timedelta(days=1), dt.time(), LEGAL_TZ)
    assert due.due_date >= start.date() + dt.timedelta(days=n)


@given(
    calendar=calendars,
    start=starts,
    n=working_days,
    pause_at=st.floats(0, 1),
    pause_for=st.timedeltas(dt.timedelta(0), dt.timedelta(days=30)),
)
def test_a_paused_clock_keeps_the_used_time(
    calendar: WorkCalendar,
    start: dt.datetime,
    n: int,
    pause_at: float,
    pause_for: dt.timedelta,
) -> None:
    # DOMAIN.md §2.3: used time stays counted, the applicant's time is excluded.
    due = due_in_working_days(start, n, calendar)
    limit = n * calendar.schedule.day_length
    paused = due.counted_from + (due.due - due.counted_from) * pause_at
    resumed = paused + pause_for
    used = working_time_between(due.counted_from, paused, calendar).duration
    new_due = add_working_time(resumed, limit - used, calendar)
    assert used + working_time_between(resumed, new_due, calendar).duration == limit
    assert new_due >= due.due


@settings(max_examples=50)
@given(
    calendar=calendars,
    day=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    n=st.integers(1, 400),
)
def test_add_working_days_round_trips(calendar: WorkCalendar, day: dt.date, n: int) -> None:
    due = add_working_days(day, n, calendar)
    assert calendar.is_working_day(due)
    assert count_working_days(day, due, calendar) == n
