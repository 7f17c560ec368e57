"""Legal time limits: from a receipt moment and a limit to a due moment, and back.

Pure functions over a `WorkCalendar`; every deadline in MotCua goes through here (STYLE.md §6).
The rules, with their sources, are written out in docs/subsystems/legal-deadlines.md. In short:

- The clock starts when a complete dossier is received; outside office hours, at the next office
  period's start (DOMAIN.md §2.1.1, §2.1.6).
- "N working days" is N days' worth of office time (N x the office-day length) counted through
  office periods only, so the due moment is the same clock time N working days later, or the
  close of office on the Nth working day when counting started at an opening.
- "N working hours" is N hours of office time counted the same way.
- "N days" (calendar days) follows Civil Code 2015 art. 147-148.
- A paused clock (supplement requested, tax to pay: DOMAIN.md §2.2-2.3) is resumed with
  `add_working_time(resume_moment, remaining, calendar)` where `remaining` is the limit minus
  `working_time_between(...)` already used.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass

from motcua.worktime.workcalendar import ONE_DAY, SkippedDay, WorkCalendar

HOUR = dt.timedelta(hours=1)


class LimitUnit(enum.StrEnum):
    """How a procedure states its time limit (DOMAIN.md §2.1.2)."""

    WORKING_DAYS = "working_days"  # "N ngày làm việc"
    WORKING_HOURS = "working_hours"  # "N giờ (làm việc)"
    DAYS = "days"  # "N ngày": calendar days
    SAME_DAY = "same_day"  # "trong ngày", with a cut-off hour


@dataclass(frozen=True, slots=True)
class Due:
    """The result of a due-date computation, with what it stepped over.

    `due` is the moment the limit runs out. `due_date` is the legal due date to store (a
    DateField, STYLE.md §6); it is `due`'s local date except for calendar-day limits, which end
    at 24:00 of `due_date` (Civil Code art. 148(6)), i.e. `due` is the next midnight.
    """

    start: dt.datetime
    counted_from: dt.datetime
    due: dt.datetime
    due_date: dt.date
    unit: LimitUnit
    amount: int
    skipped: tuple[SkippedDay, ...]


@dataclass(frozen=True, slots=True)
class WorkingTime:
    """Office time elapsed between two moments, in the units limits are stated in."""

    duration: dt.timedelta
    day_length: dt.timedelta

    @property
    def seconds(self) -> float:
        return self.duration.total_seconds()

    @property
    def hours(self) -> float:
        return self.duration / HOUR

    @property
    def days(self) -> float:
        """Working days: office time divided by one office day (8 h where offices keep 8 h)."""
        return self.duration / self.day_length


def _check_amount(amount: int) -> None:
    if amount < 0:
        raise ValueError("A time limit must not be negative.")


def _working_due(
    start: dt.datetime,
    calendar: WorkCalendar,
    *,
    amount: int,
    unit: LimitUnit,
    work: dt.timedelta,
    cutoff: dt.time | None,
) -> Due:
    local_start = calendar.local(start)
    counted_from = calendar.start_of_count(local_start, cutoff=cutoff)
    due = calendar.add_working_time(counted_from, work)
    return Due(
        start=local_start,
        counted_from=counted_from,
        due=due,
        due_date=due.date(),
        unit=unit,
        amount=amount,
        skipped=tuple(calendar.non_working_days(local_start.date(), due.date())),
    )


def due_in_working_days(
    start: dt.datetime, days: int, calendar: WorkCalendar, *, cutoff: dt.time | None = None
) -> Due:
    """Due moment of a limit of `days` working days ("N ngày làm việc") received at `start`.

    The clock starts at `calendar.start_of_count(start)` (DOMAIN.md §2.1.1, §2.1.6) and runs
    `days` x the office-day length through office periods only (weekends, Labour Code 2019
    art. 112 holidays and declared days off are skipped). So a dossier received at 09:00 on a
    Monday with 1 working day is due at 09:00 on Tuesday; one received on Sunday evening is due
    at the close of office on Monday. `cutoff` is a procedure's cut-off hour (§2.1.5).
    """
    _check_amount(days)
    work = days * calendar.schedule.day_length
    return _working_due(
        start, calendar, amount=days, unit=LimitUnit.WORKING_DAYS, work=work, cutoff=cutoff
    )


def due_in_working_hours(
    start: dt.datetime, hours: int, calendar: WorkCalendar, *, cutoff: dt.time | None = None
) -> Due:
    """Due moment of a limit of `hours` working hours, counted through office periods only.

    Same start rule as `due_in_working_days` (DOMAIN.md §2.1.6); used for same-day procedures
    and the per-step durations of internal workflows (§2.1.7).
    """
    _check_amount(hours)
    return _working_due(
        start,
        calendar,
        amount=hours,
        unit=LimitUnit.WORKING_HOURS,
        work=hours * HOUR,
        cutoff=cutoff,
    )


def due_in_working_time(
    start: dt.datetime,
    work: dt.timedelta,
    calendar: WorkCalendar,
    *,
    cutoff: dt.time | None = None,
) -> Due:
    """Due moment of a limit that is no whole number of days or hours ("0.5 ngày làm việc",
    "1.5 giờ"): `work` of office time, counted as `due_in_working_hours` counts. `amount` is the
    whole working hours it rounds up to; `due` is exact.
    """
    if work < dt.timedelta(0):
        raise ValueError("A time limit must not be negative.")
    return _working_due(
        start,
        calendar,
        amount=math.ceil(work / HOUR),
        unit=LimitUnit.WORKING_HOURS,
        work=work,
        cutoff=cutoff,
    )


def due_in_calendar_days(start: dt.datetime, days: int, calendar: WorkCalendar) -> Due:
    """Due moment of a limit of `days` calendar days ("N ngày"), Civil Code 2015 art. 147-148.

    Art. 147(2): the day of receipt is not counted. Art. 148(1), (6): the limit ends at 24:00 of
    the last day. Art. 148(5): if the last day is a weekend day or a holiday (a declared day off
    included) it ends at 24:00 of the next working day. Days in between count whatever they are.
    """
    _check_amount(days)
    local_start = calendar.local(start)
    last = local_start.date() + dt.timedelta(days=days)
    skipped = []
    while (reason := calendar.non_working_reason(last)) is not None:
        skipped.append(reason)
        last += ONE_DAY
    calendar.check_range(last + ONE_DAY)
    return Due(
        start=local_start,
        counted_from=dt.datetime.combine(local_start.date() + ONE_DAY, dt.time(), calendar.tz),
        due=dt.datetime.combine(last + ONE_DAY, dt.time(), calendar.tz),
        due_date=last,
        unit=LimitUnit.DAYS,
        amount=days,
        skipped=tuple(skipped),
    )


def due_same_day(start: dt.datetime, calendar: WorkCalendar, *, cutoff: dt.time) -> Due:
    """Due moment of a same-day ("trong ngày") procedure with a cut-off hour.

    A receipt before `cutoff` on a working day is due at that day's close of office; at or after
    it, or outside office hours, at the close of the next working day (DOMAIN.md §2.1.5, e.g.
    certification: 15:00). The cut-off is a per-procedure attribute of the catalogue.
    """
    local_start = calendar.local(start)
    counted_from = calendar.start_of_count(local_start, cutoff=cutoff)
    due = calendar.close_of_day(counted_from.date())
    return Due(
        start=local_start,
        counted_from=counted_from,
        due=due,
        due_date=due.date(),
        unit=LimitUnit.SAME_DAY,
        amount=0,
        skipped=tuple(calendar.non_working_days(local_start.date(), due.date())),
    )


def add_working_time(
    moment: dt.datetime, amount: dt.timedelta, calendar: WorkCalendar
) -> dt.datetime:
    """The moment `amount` of office time after `moment` (counting from the next opening if
    the office is closed then). Resumes a paused clock: DOMAIN.md §2.3 keeps the time already
    used and excludes the applicant's time, so the new due moment is
    `add_working_time(resumed_at, limit - used, calendar)`.
    """
    return calendar.add_working_time(moment, amount)


def working_time_between(
    start: dt.datetime, end: dt.datetime, calendar: WorkCalendar
) -> WorkingTime:
    """Office time between two moments: what a dossier used of its limit (Circular 01/2018
    art. 13 compares it with the limit; DOMAIN.md §2.4) or how long a pause lasted."""
    return WorkingTime(
        duration=calendar.working_time_between(start, end),
        day_length=calendar.schedule.day_length,
    )


def add_working_days(day: dt.date, days: int, calendar: WorkCalendar) -> dt.date:
    """The `days`-th working day after `day` (the day itself not counted, as in art. 147(2)).

    Date-level arithmetic for rules stated in whole days without a time of day, e.g. "published
    at least 5 working days before it takes effect" (Decision 766, indicator 1.1).
    """
    _check_amount(days)
    for _ in range(days):
        day = calendar.next_working_day(day)
    return day


def count_working_days(start: dt.date, end: dt.date, calendar: WorkCalendar) -> int:
    """Working days after `start` up to and including `end`; the inverse of `add_working_days`."""
    count = 0
    day = start + ONE_DAY
    while day <= end:
        count += calendar.is_working_day(day)
        day += ONE_DAY
    return count
