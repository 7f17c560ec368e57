"""Due dates by example: the rules of docs/subsystems/legal-deadlines.md on real 2026 dates."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.worktime.deadlines import (
    LimitUnit,
    add_working_days,
    add_working_time,
    count_working_days,
    due_in_calendar_days,
    due_in_working_days,
    due_in_working_hours,
    due_same_day,
    working_time_between,
)
from motcua.worktime.errors import OutsideCalendarRangeError
from motcua.worktime.tests.conftest import at
from motcua.worktime.workcalendar import (
    OfficeSchedule,
    SkipReason,
    WorkCalendar,
    vietnam_public_holidays,
)


def test_one_working_day_is_due_at_the_same_hour_next_working_day(
    calendar: WorkCalendar,
) -> None:
    due = due_in_working_days(at(2026, 3, 2, 9, 0), 1, calendar)  # Monday 09:00
    assert due.counted_from == at(2026, 3, 2, 9, 0)
    assert due.due == at(2026, 3, 3, 9, 0)
    assert due.due_date == dt.date(2026, 3, 3)
    assert (due.unit, due.amount, due.skipped) == (LimitUnit.WORKING_DAYS, 1, ())


def test_ten_working_days_cross_a_weekend(calendar: WorkCalendar) -> None:
    due = due_in_working_days(at(2026, 3, 4, 15, 20), 10, calendar)  # Wednesday
    assert due.due == at(2026, 3, 18, 15, 20)
    assert [day.date for day in due.skipped] == [
        dt.date(2026, 3, 7),
        dt.date(2026, 3, 8),
        dt.date(2026, 3, 14),
        dt.date(2026, 3, 15),
    ]
    assert {day.reason for day in due.skipped} == {SkipReason.WEEKEND}


def test_tet_2026_break_is_skipped(calendar: WorkCalendar) -> None:
    # Received Friday 13 Feb 2026, the last working day before the 14-22 Feb break.
    due = due_in_working_days(at(2026, 2, 13, 9, 0), 1, calendar)
    assert due.due == at(2026, 2, 23, 9, 0)
    assert [day.date.day for day in due.skipped] == list(range(14, 23))
    assert [day.name for day in due.skipped if day.reason == SkipReason.HOLIDAY] == [
        "Giao thừa Tết Nguyên Đán",
        "Tết Nguyên Đán",
        "Mùng hai Tết Nguyên Đán",
        "Mùng ba Tết Nguyên Đán",
        "Mùng bốn Tết Nguyên Đán",
    ]
    five = due_in_working_days(at(2026, 2, 13, 16, 0), 5, calendar)
    assert five.due == at(2026, 2, 27, 16, 0)


def test_a_declared_day_off_moves_the_due_date(
    calendar: WorkCalendar, declared_calendar: WorkCalendar
) -> None:
    received = at(2025, 12, 31, 10, 0)  # Wednesday; 1 Jan is a holiday
    assert due_in_working_days(received, 2, calendar).due == at(2026, 1, 5, 10, 0)
    due = due_in_working_days(received, 2, declared_calendar)
    assert due.due == at(2026, 1, 6, 10, 0)
    assert [(day.date, day.reason) for day in due.skipped] == [
        (dt.date(2026, 1, 1), SkipReason.HOLIDAY),
        (dt.date(2026, 1, 2), SkipReason.DECLARED_DAY_OFF),
        (dt.date(2026, 1, 3), SkipReason.WEEKEND),
        (dt.date(2026, 1, 4), SkipReason.WEEKEND),
    ]


def test_a_make_up_saturday_counts(calendar: WorkCalendar, declared_calendar: WorkCalendar) -> None:
    received = at(2026, 1, 9, 10, 0)  # Friday before the make-up Saturday 10 Jan
    assert due_in_working_days(received, 1, calendar).due == at(2026, 1, 12, 10, 0)
    due = due_in_working_days(received, 1, declared_calendar)
    assert due.due == at(2026, 1, 10, 10, 0)
    assert due.skipped == ()
    # A Saturday receipt on the make-up day is inside office hours.
    assert declared_calendar.start_of_count(at(2026, 1, 10, 8, 0)) == at(2026, 1, 10, 8, 0)


@pytest.mark.parametrize(
    ("received", "counted_from", "due"),
    [
        # After 17:00: from 07:30 next working day, due at that day's close.
        (at(2026, 3, 2, 17, 30), at(2026, 3, 3, 7, 30), at(2026, 3, 3, 17, 0)),
        # Lunch: from 13:30; 7.5 office hours later is Tuesday 11:30 (the time is used up then).
        (at(2026, 3, 2, 12, 5), at(2026, 3, 2, 13, 30), at(2026, 3, 3, 11, 30)),
        # Sunday: from Monday 07:30, due Monday 17:00.
        (at(2026, 3, 1, 20, 0), at(2026, 3, 2, 7, 30), at(2026, 3, 2, 17, 0)),
    ],
)
def test_receipt_outside_office_hours(
    calendar: WorkCalendar, received: dt.datetime, counted_from: dt.datetime, due: dt.datetime
) -> None:
    result = due_in_working_days(received, 1, calendar)
    assert (result.counted_from, result.due) == (counted_from, due)
    assert result.start == received


def test_sunday_receipt_lists_the_sunday_as_skipped(calendar: WorkCalendar) -> None:
    due = due_in_working_days(at(2026, 3, 1, 20, 0), 1, calendar)
    assert [(day.date, day.reason, day.name) for day in due.skipped] == [
        (dt.date(2026, 3, 1), SkipReason.WEEKEND, "Chủ Nhật")
    ]


def test_working_hours_count_office_time_only(calendar: WorkCalendar) -> None:
    due = due_in_working_hours(at(2026, 3, 2, 10, 0), 4, calendar)
    assert due.due == at(2026, 3, 2, 16, 0)  # 1.5 h before lunch, 2.5 h after
    assert due.unit == LimitUnit.WORKING_HOURS
    friday = due_in_working_hours(at(2026, 3, 6, 16, 0), 2, calendar)
    assert friday.due == at(2026, 3, 9, 8, 30)
    assert [day.date.day for day in friday.skipped] == [7, 8]


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day(
    calendar: WorkCalendar,
) -> None:
    # Art. 147(2): 23 March not counted; day 34 is Sunday 26 April (Hùng Kings' day), and
    # Monday 27 is its compensatory day off; art. 148(5) ends the limit at the end of Tuesday
    # 28 April, 24:00 (art. 148(6)).
    due = due_in_calendar_days(at(2026, 3, 23, 10, 0), 34, calendar)
    assert due.due_date == dt.date(2026, 4, 28)
    assert due.due == at(2026, 4, 29, 0, 0)
    assert due.counted_from == at(2026, 3, 24, 0, 0)
    assert [(day.date, day.reason) for day in due.skipped] == [
        (dt.date(2026, 4, 26), SkipReason.HOLIDAY),
        (dt.date(2026, 4, 27), SkipReason.HOLIDAY),
    ]


def test_calendar_days_count_weekends_inside_the_period(calendar: WorkCalendar) -> None:
    # Received on a Saturday: that day is not counted; 10 days later is Tuesday 17 March.
    due = due_in_calendar_days(at(2026, 3, 7, 9, 0), 10, calendar)
    assert (due.due_date, due.skipped) == (dt.date(2026, 3, 17), ())
    # Ending on a Saturday moves to Monday.
    assert due_in_calendar_days(at(2026, 3, 7, 9, 0), 7, calendar).due_date == dt.date(2026, 3, 16)


def test_calendar_days_respect_declared_days(declared_calendar: WorkCalendar) -> None:
    # Last day Friday 2 Jan 2026 is a declared day off: the limit runs to Monday 5 Jan.
    due = due_in_calendar_days(at(2025, 12, 26, 9, 0), 7, declared_calendar)
    assert due.due_date == dt.date(2026, 1, 5)
    assert [day.reason for day in due.skipped] == [
        SkipReason.DECLARED_DAY_OFF,
        SkipReason.WEEKEND,
        SkipReason.WEEKEND,
    ]


def test_same_day_with_cutoff(calendar: WorkCalendar) -> None:
    cutoff = dt.time(15, 0)
    assert due_same_day(at(2026, 3, 2, 14, 0), calendar, cutoff=cutoff).due == at(2026, 3, 2, 17)
    late = due_same_day(at(2026, 3, 6, 15, 30), calendar, cutoff=cutoff)  # Friday after 15:00
    assert (late.counted_from, late.due) == (at(2026, 3, 9, 7, 30), at(2026, 3, 9, 17, 0))


def test_agency_office_hours_change_the_due_moment() -> None:
    eight_hours = WorkCalendar(
        public_holidays=vietnam_public_holidays(),
        schedule=OfficeSchedule(((dt.time(7), dt.time(11, 30)), (dt.time(13), dt.time(16, 30)))),
    )
    due = due_in_working_days(at(2026, 3, 2, 7, 10), 1, eight_hours)
    assert (due.counted_from, due.due) == (at(2026, 3, 2, 7, 10), at(2026, 3, 3, 7, 10))
    assert working_time_between(due.counted_from, due.due, eight_hours).hours == 8


def test_working_time_between_and_resuming_a_paused_clock(calendar: WorkCalendar) -> None:
    received = at(2026, 3, 2, 9, 0)
    limit = 3 * calendar.schedule.day_length
    original = due_in_working_days(received, 3, calendar).due
    assert original == at(2026, 3, 5, 9, 0)
    # Supplement requested Tuesday 10:00, supplied the next Monday 14:00: the applicant's time
    # is excluded, the agency's time already used stays counted (DOMAIN.md §2.3).
    paused, resumed = at(2026, 3, 3, 10, 0), at(2026, 3, 9, 14, 0)
    used = working_time_between(received, paused, calendar)
    assert used.hours == 8.5
    assert used.days == pytest.approx(8.5 / 7.5)
    new_due = add_working_time(resumed, limit - used.duration, calendar)
    # 14 h left: Monday 14:00-17:00 (3), Tuesday (7.5), Wednesday 07:30-11:00 (3.5).
    assert new_due == at(2026, 3, 11, 11, 0)
    assert working_time_between(paused, received, calendar).duration == -used.duration


def test_date_level_working_days(declared_calendar: WorkCalendar) -> None:
    assert add_working_days(dt.date(2025, 12, 31), 1, declared_calendar) == dt.date(2026, 1, 5)
    assert add_working_days(dt.date(2026, 1, 9), 1, declared_calendar) == dt.date(2026, 1, 10)
    assert count_working_days(dt.date(2025, 12, 31), dt.date(2026, 1, 10), declared_calendar) == 6


def test_negative_limits_and_out_of_range_results_are_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        due_in_working_days(at(2026, 3, 2, 9), -1, calendar)
    with pytest.raises(ValueError, match="negative"):
        add_working_time(at(2026, 3, 2, 9), dt.timedelta(hours=-1), calendar)
    with pytest.raises(OutsideCalendarRangeError):
        due_in_working_days(at(2100, 12, 1, 9), 30, calendar)
    with pytest.raises(OutsideCalendarRangeError):
        due_in_calendar_days(at(2100, 12, 1, 9), 31, calendar)
