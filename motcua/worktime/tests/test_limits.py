"""One reading of a published limit: the due date a citizen is given and the budget the internal
process must fit agree on every unit, an unknown one included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.deadlines import HOUR, working_time_between
from motcua.worktime.limits import (
    NO_LIMIT_NOTE,
    TimeUnit,
    due_for_limit,
    fewest_working_days,
    limit_in_working_hours,
)
from motcua.worktime.tests.conftest import NEW_YEAR_2026, at
from motcua.worktime.workcalendar import (
    LEGAL_TZ,
    OfficeSchedule,
    PublicHolidays,
    WorkCalendar,
    vietnam_public_holidays,
)

D = Decimal
EIGHT_HOURS = OfficeSchedule(((dt.time(7), dt.time(11)), (dt.time(13), dt.time(17))))
CALENDAR = WorkCalendar(public_holidays=vietnam_public_holidays(), declared=NEW_YEAR_2026)
CALENDARS = [
    CALENDAR,  # 7 h 30 a day
    WorkCalendar(
        public_holidays=vietnam_public_holidays(), declared=NEW_YEAR_2026, schedule=EIGHT_HOURS
    ),
]
# Weekends only: what a calendar-day limit is bounded by when no holiday break falls inside it.
NO_HOLIDAYS = PublicHolidays(names={}, weekend_workdays=frozenset())
PLAIN_WEEKS = [
    WorkCalendar(public_holidays=NO_HOLIDAYS),
    WorkCalendar(public_holidays=NO_HOLIDAYS, schedule=EIGHT_HOURS),
]
OFFICE_TIME_UNITS = (TimeUnit.WORKING_DAYS, TimeUnit.HOURS, TimeUnit.UNKNOWN)
CALENDAR_UNITS = (TimeUnit.DAYS, TimeUnit.MONTHS, TimeUnit.YEARS)
starts = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(LEGAL_TZ),
)
halves = st.integers(1, 120).map(lambda n: D(n) / 2)


# Received Monday 2 March 2026 at 09:00 at an office open 07:30-11:30 and 13:30-17:00.
@pytest.mark.parametrize(
    ("value", "unit", "due", "hours"),
    [
        (D(3), TimeUnit.WORKING_DAYS, at(2026, 3, 5, 9), D(24)),
        # Half an office day is 3 h 45 of a 7 h 30 day: 09:00 + 2 h 30 + 1 h 15 after lunch.
        (D("0.5"), TimeUnit.WORKING_DAYS, at(2026, 3, 2, 14, 45), D(4)),
        (D(4), TimeUnit.HOURS, at(2026, 3, 2, 15), D(4)),
        (D("1.5"), TimeUnit.HOURS, at(2026, 3, 2, 10, 30), D("1.5")),
        (None, TimeUnit.SAME_DAY, at(2026, 3, 2, 17), D(8)),
        # Civil Code art. 147-148: the day of receipt not counted, ends at 24:00 of the last day.
        (D(15), TimeUnit.DAYS, at(2026, 3, 18), D(88)),
        (D(1), TimeUnit.MONTHS, at(2026, 4, 2), D(168)),
        (D(1), TimeUnit.YEARS, at(2027, 3, 3), D(2088)),
        # A number without its unit: the working days a citizen would expect, not "no limit".
        (D(3), TimeUnit.UNKNOWN, at(2026, 3, 5, 9), D(24)),
        (D(3), "fortnights", at(2026, 3, 5, 9), D(24)),
        (None, TimeUnit.WORKING_DAYS, None, None),
        (D(0), TimeUnit.DAYS, None, None),
    ],
)
def test_each_unit_gives_a_due_date_and_a_budget(
    value: Decimal | None, unit: str, due: dt.datetime | None, hours: Decimal | None
) -> None:
    computed, notes = due_for_limit(at(2026, 3, 2, 9), value, unit, CALENDAR, text="3")
    assert (computed.due if computed else None) == due
    assert limit_in_working_hours(value, unit) == hours
    if due is None:
        assert notes == [NO_LIMIT_NOTE]
    elif unit in (TimeUnit.UNKNOWN, "fortnights"):
        assert notes == ["the published limit '3' has no unit; read as working days"]
    else:
        assert notes == []


def test_a_same_day_procedure_received_after_its_cutoff_is_due_the_next_working_day() -> None:
    due, _notes = due_for_limit(
        at(2026, 3, 6, 15, 30), None, TimeUnit.SAME_DAY, CALENDAR, cutoff=dt.time(15)
    )
    assert due is not None
    assert due.due == at(2026, 3, 9, 17)  # Friday after 15:00 → Monday's close


@given(
    calendar=st.sampled_from(CALENDARS),
    start=starts,
    value=halves,
    unit=st.sampled_from(OFFICE_TIME_UNITS),
)
def test_office_time_limits_give_exactly_their_budget(
    calendar: WorkCalendar, start: dt.datetime, value: Decimal, unit: TimeUnit
) -> None:
    due, _notes = due_for_limit(start, value, unit, calendar)
    hours = limit_in_working_hours(value, unit)
    assert due is not None
    assert hours is not None
    office = working_time_between(due.counted_from, due.due, calendar).duration
    if unit == TimeUnit.HOURS:
        # Hours are hours of office time: the budget is the published number.
        assert office == float(hours) * HOUR
    else:
        # Working days are office days: a budget hour is 1/8 of the office day.
        assert office == calendar.schedule.day_length * float(hours / 8)
    if calendar.schedule == EIGHT_HOURS:
        assert office == float(hours) * HOUR


@given(calendar=st.sampled_from(CALENDARS), start=starts)
def test_a_same_day_budget_is_one_office_day_and_the_due_is_within_it(
    calendar: WorkCalendar, start: dt.datetime
) -> None:
    due, _notes = due_for_limit(start, None, TimeUnit.SAME_DAY, calendar)
    assert due is not None
    assert limit_in_working_hours(None, TimeUnit.SAME_DAY) == 8
    assert due.due.date() == due.counted_from.date()
    office = working_time_between(due.counted_from, due.due, calendar).duration
    assert dt.timedelta(0) <= office <= calendar.schedule.day_length


@pytest.mark.parametrize(
    ("days", "working_days"),
    # Started on the worst weekday: 2 days from a Saturday run to Monday; 7 days hold one
    # weekend; 15 days hold two, and the 15th is a weekday or runs on to one.
    [(1, 1), (2, 1), (3, 1), (7, 5), (15, 11), (30, 21), (171, 121), (365, 261)],
)
def test_the_fewest_working_days_in_a_calendar_limit(days: int, working_days: int) -> None:
    assert fewest_working_days(days) == working_days


@settings(deadline=None)
@given(
    calendar=st.sampled_from(PLAIN_WEEKS),
    start=starts,
    value=st.integers(1, 400),
    unit=st.sampled_from(CALENDAR_UNITS),
)
def test_a_calendar_limit_holds_at_least_its_budget_whatever_the_weekday(
    calendar: WorkCalendar, start: dt.datetime, value: int, unit: TimeUnit
) -> None:
    # Outside holiday breaks, a process that fits the budget ends by the citizen's due date.
    value = value if unit == TimeUnit.DAYS else value % 25 + 1
    due, _notes = due_for_limit(start, D(value), unit, calendar)
    hours = limit_in_working_hours(D(value), unit)
    assert due is not None
    assert hours is not None
    office = working_time_between(due.counted_from, due.due, calendar).duration
    assert office >= calendar.schedule.day_length * float(hours / 8)


@settings(deadline=None)
@given(
    value=st.one_of(st.none(), st.decimals(-5, 60, places=1)),
    unit=st.sampled_from([*TimeUnit, "fortnights"]),
    start=starts,
)
def test_a_limit_has_a_due_date_exactly_when_it_has_a_budget(
    value: Decimal | None, unit: str, start: dt.datetime
) -> None:
    due, _notes = due_for_limit(start, value, unit, CALENDAR)
    assert (due is None) == (limit_in_working_hours(value, unit) is None)
