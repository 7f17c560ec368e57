"""The calendar itself: which days are off, when the office is open, when counting starts."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.worktime.errors import OutsideCalendarRangeError
from motcua.worktime.tests.conftest import at
from motcua.worktime.workcalendar import (
    DEFAULT_OFFICE_SCHEDULE,
    OfficeSchedule,
    SkipReason,
    WorkCalendar,
)


def test_package_tet_2026_matches_the_official_break(calendar: WorkCalendar) -> None:
    # The government's 2026 Lunar New Year break for civil servants ran from Saturday 14 Feb
    # to Sunday 22 Feb (9 days); Tết Nguyên Đán (1st day of the lunar year) was 17 Feb. The
    # package has the five weekdays 16-20 Feb as holidays, so no declared day is needed.
    break_days = [dt.date(2026, 2, 14) + dt.timedelta(days=i) for i in range(9)]
    assert [calendar.is_working_day(day) for day in break_days] == [False] * 9
    assert calendar.is_working_day(dt.date(2026, 2, 13))
    assert calendar.is_working_day(dt.date(2026, 2, 23))
    reasons = [calendar.non_working_reason(day) for day in break_days]
    assert [r.reason for r in reasons if r] == (
        [SkipReason.WEEKEND] * 2 + [SkipReason.HOLIDAY] * 5 + [SkipReason.WEEKEND] * 2
    )
    tet = calendar.non_working_reason(dt.date(2026, 2, 17))
    assert tet is not None
    assert tet.name == "Tết Nguyên Đán"


def test_package_knows_its_own_swapped_saturday(calendar: WorkCalendar) -> None:
    # National Day 2026: Monday 31 Aug off in exchange for Saturday 22 Aug (the package has it).
    assert not calendar.is_working_day(dt.date(2026, 8, 31))
    assert calendar.is_working_day(dt.date(2026, 8, 22))
    assert not calendar.is_working_day(dt.date(2026, 8, 29))


def test_compensatory_day_for_a_holiday_on_sunday(calendar: WorkCalendar) -> None:
    # Hùng Kings' day 2026 (10/3 lunar) is Sunday 26 April; Monday 27 is off instead
    # (Labour Code 2019 art. 112(3)).
    monday = calendar.non_working_reason(dt.date(2026, 4, 27))
    assert monday is not None
    assert monday.reason == SkipReason.HOLIDAY
    assert "Hùng Vương" in monday.name


def test_declared_days_win_over_the_package(
    calendar: WorkCalendar, declared_calendar: WorkCalendar
) -> None:
    assert calendar.is_working_day(dt.date(2026, 1, 2))
    assert not calendar.is_working_day(dt.date(2026, 1, 10))
    assert not declared_calendar.is_working_day(dt.date(2026, 1, 2))
    assert declared_calendar.is_working_day(dt.date(2026, 1, 10))
    off = declared_calendar.non_working_reason(dt.date(2026, 1, 2))
    assert off is not None
    assert (off.reason, off.name) == (SkipReason.DECLARED_DAY_OFF, "Nghỉ bù Tết Dương lịch")


def test_office_hours_include_the_opening_not_the_closing(calendar: WorkCalendar) -> None:
    assert calendar.is_within_office_hours(at(2026, 3, 2, 7, 30))
    assert calendar.is_within_office_hours(at(2026, 3, 2, 11, 29))
    assert not calendar.is_within_office_hours(at(2026, 3, 2, 11, 30))
    assert not calendar.is_within_office_hours(at(2026, 3, 2, 12, 0))
    assert calendar.is_within_office_hours(at(2026, 3, 2, 16, 59))
    assert not calendar.is_within_office_hours(at(2026, 3, 2, 17, 0))
    assert not calendar.is_within_office_hours(at(2026, 3, 1, 9, 0))  # Sunday
    # The same instant given in UTC: 02:00 UTC is 09:00 in Hà Nội.
    assert calendar.is_within_office_hours(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("received", "counted_from"),
    [
        (at(2026, 3, 2, 9, 0), at(2026, 3, 2, 9, 0)),  # inside the morning period
        (at(2026, 3, 2, 6, 15), at(2026, 3, 2, 7, 30)),  # before opening
        (at(2026, 3, 2, 12, 0), at(2026, 3, 2, 13, 30)),  # lunch break
        (at(2026, 3, 2, 17, 0), at(2026, 3, 3, 7, 30)),  # at closing
        (at(2026, 3, 2, 22, 45), at(2026, 3, 3, 7, 30)),  # evening, online
        (at(2026, 3, 1, 10, 0), at(2026, 3, 2, 7, 30)),  # Sunday
        (at(2026, 2, 13, 17, 30), at(2026, 2, 23, 7, 30)),  # Friday evening before Tết
    ],
)
def test_counting_starts_at_the_next_office_period(
    calendar: WorkCalendar, received: dt.datetime, counted_from: dt.datetime
) -> None:
    assert calendar.start_of_count(received) == counted_from


def test_cutoff_moves_the_start_to_the_next_working_day(calendar: WorkCalendar) -> None:
    cutoff = dt.time(15, 0)
    assert calendar.start_of_count(at(2026, 3, 2, 14, 59), cutoff=cutoff) == at(2026, 3, 2, 14, 59)
    assert calendar.start_of_count(at(2026, 3, 2, 15, 0), cutoff=cutoff) == at(2026, 3, 3, 7, 30)
    assert calendar.start_of_count(at(2026, 3, 6, 16, 0), cutoff=cutoff) == at(2026, 3, 9, 7, 30)


def test_naive_datetimes_are_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.start_of_count(dt.datetime(2026, 3, 2, 9, 0))  # noqa: DTZ001  (the point)


def test_dates_outside_the_holiday_data_are_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(OutsideCalendarRangeError):
        calendar.is_working_day(dt.date(1999, 12, 31))
    with pytest.raises(OutsideCalendarRangeError):
        calendar.is_working_day(dt.date(2101, 1, 3))
    assert calendar.is_working_day(dt.date(2100, 12, 31))  # a Friday, still covered


def test_office_schedule_validation() -> None:
    assert DEFAULT_OFFICE_SCHEDULE.day_length == dt.timedelta(hours=7, minutes=30)
    with pytest.raises(ValueError, match="at least one"):
        OfficeSchedule(())
    with pytest.raises(ValueError, match="end after"):
        OfficeSchedule(((dt.time(11), dt.time(8)),))
    with pytest.raises(ValueError, match="overlap"):
        OfficeSchedule(((dt.time(8), dt.time(12)), (dt.time(11), dt.time(17))))
