"""The working-day calendar of Vietnamese state agencies, as plain data (no ORM in here).

A `WorkCalendar` answers two questions: is this date a working day, and when is the office open.
Everything else (due dates, elapsed working time) is built on `office_periods()` in
`deadlines.py`. The rules and their legal sources are in docs/subsystems/legal-deadlines.md:

- Working week Monday to Friday, 8 hours a day: Decision 188/1999/QĐ-TTg and Labour Code 2019
  art. 105 (DOMAIN.md §2.1.3).
- Public holidays: Labour Code 2019 art. 112, with the lunar dates converted per year and the
  compensatory day when a holiday falls on a weekend (art. 112(3)). Taken from the `holidays`
  package ("VN"), which also knows some of the Prime Minister's yearly swaps.
- Days the government declares each year (an extra day off, a make-up working Saturday) are
  entered by an administrator as `CalendarDay` rows and win over the package: the package is
  updated later than the announcements and sometimes misses them (1-2 Jan 2026).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from motcua.worktime.errors import OutsideCalendarRangeError

LEGAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# The holidays package has Vietnamese lunar dates up to 2100. Before 2000 the two-day weekend of
# state agencies (Decision 188/1999/QĐ-TTg, from October 1999) was not yet the rule.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)

ONE_DAY = dt.timedelta(days=1)
_SATURDAY = 5
_WEEKDAY_NAMES = {5: "Thứ Bảy", 6: "Chủ Nhật"}


class SkipReason(enum.StrEnum):
    """Why a date is not a working day. Clients translate the code; `name` says which one."""

    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    DECLARED_DAY_OFF = "declared_day_off"


class DeclaredKind(enum.StrEnum):
    DAY_OFF = "day_off"  # nghỉ bù / ngày nghỉ do Thủ tướng quyết định
    WORKING_DAY = "working_day"  # ngày làm bù (usually a Saturday)


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A non-working date a computation stepped over, shown to the citizen with the reason."""

    date: dt.date
    reason: SkipReason
    name: str


@dataclass(frozen=True, slots=True)
class DeclaredDay:
    """A date the government declared for one year, as an administrator entered it."""

    date: dt.date
    kind: DeclaredKind
    reason: str
    legal_source: str = ""


@dataclass(frozen=True, slots=True)
class OfficeSchedule:
    """The daily office periods of an agency, e.g. 07:30-11:30 and 13:30-17:00.

    The same periods apply to every working day, make-up Saturdays included: a make-up day is a
    full working day in exchange for the day off.
    """

    periods: tuple[tuple[dt.time, dt.time], ...]

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("An office schedule needs at least one period.")
        previous_end = dt.time.min
        for index, (start, end) in enumerate(self.periods):
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("Office hours are wall-clock times in the legal time zone.")
            if not start < end:
                raise ValueError("An office period must end after it starts.")
            if index and start < previous_end:
                raise ValueError("Office periods must be in order and must not overlap.")
            previous_end = end

    @property
    def day_length(self) -> dt.timedelta:
        """Office time in one working day: what "one working day" of a time limit is worth."""
        anchor = dt.date(2000, 1, 1)
        return sum(
            (
                dt.datetime.combine(anchor, end) - dt.datetime.combine(anchor, start)
                for start, end in self.periods
            ),
            dt.timedelta(),
        )


DEFAULT_OFFICE_SCHEDULE = OfficeSchedule(
    ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))
)


@dataclass(frozen=True, slots=True)
class PublicHolidays:
    """What the `holidays` package says: holiday names by date, and the swapped Saturdays."""

    names: Mapping[dt.date, str]
    weekend_workdays: frozenset[dt.date]


@lru_cache(maxsize=1)
def vietnam_public_holidays() -> PublicHolidays:
    """Vietnamese public holidays 2000-2100 from the `holidays` package, computed once a process.

    Names are in Vietnamese (the package's own source language). Lunar New Year is five days
    around the first day of the lunar year (art. 112(1)(b)); the package moves a day that falls on
    a weekend to the nearest weekday as the government does, so the dates match the yearly
    announcements in the years it has data for (2024-2026 were checked against them).
    """
    years = range(FIRST_DAY.year, LAST_DAY.year + 1)
    package = holidays.country_holidays("VN", years=years, language="vi")
    return PublicHolidays(
        names={day: str(name) for day, name in package.items()},
        weekend_workdays=frozenset(package.weekend_workdays),
    )


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working days and office hours of one agency (or of the default schedule).

    Immutable and free of I/O, so the arithmetic can be tested with hand-made calendars; the
    loader in `queries.py` builds it from the database.
    """

    public_holidays: PublicHolidays
    declared: Mapping[dt.date, DeclaredDay] = field(default_factory=dict)
    schedule: OfficeSchedule = DEFAULT_OFFICE_SCHEDULE
    tz: ZoneInfo = LEGAL_TZ
    first_day: dt.date = FIRST_DAY
    last_day: dt.date = LAST_DAY

    # --- dates --------------------------------------------------------------------------

    def check_range(self, day: dt.date) -> None:
        """Refuse dates the holiday data does not cover, instead of guessing."""
        if not self.first_day <= day <= self.last_day:
            raise OutsideCalendarRangeError(day, self.first_day, self.last_day)

    def base_non_working_reason(self, day: dt.date) -> SkippedDay | None:
        """The reason `day` is off before any declared day is applied (weekend or holiday)."""
        self.check_range(day)
        name = self.public_holidays.names.get(day)
        if name is not None:
            return SkippedDay(day, SkipReason.HOLIDAY, name)
        if day.weekday() >= _SATURDAY and day not in self.public_holidays.weekend_workdays:
            return SkippedDay(day, SkipReason.WEEKEND, _WEEKDAY_NAMES[day.weekday()])
        return None

    def non_working_reason(self, day: dt.date) -> SkippedDay | None:
        """Why `day` is not a working day, or None if it is one. Declared days win."""
        self.check_range(day)
        declared = self.declared.get(day)
        if declared is None:
            return self.base_non_working_reason(day)
        if declared.kind == DeclaredKind.WORKING_DAY:
            return None
        return SkippedDay(day, SkipReason.DECLARED_DAY_OFF, declared.reason)

    def is_working_day(self, day: dt.date) -> bool:
        """True on Monday-Friday that are not holidays, and on declared make-up working days."""
        return self.non_working_reason(day) is None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def non_working_days(self, first: dt.date, last: dt.date) -> list[SkippedDay]:
        """Every non-working date from `first` to `last`, both included, with its reason."""
        skipped = []
        day = first
        while day <= last:
            reason = self.non_working_reason(day)
            if reason is not None:
                skipped.append(reason)
            day += ONE_DAY
        return skipped

    # --- moments ------------------------------------------------------------------------

    def local(self, moment: dt.datetime) -> dt.datetime:
        """`moment` in the legal time zone. Naive datetimes are a programming error."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Working-time arithmetic needs timezone-aware datetimes.")
        return moment.astimezone(self.tz)

    def office_periods(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The office periods of `day` as aware datetimes; none on a non-working day."""
        if not self.is_working_day(day):
            return ()
        return tuple(
            (
                dt.datetime.combine(day, start, tzinfo=self.tz),
                dt.datetime.combine(day, end, tzinfo=self.tz),
            )
            for start, end in self.schedule.periods
        )

    def close_of_day(self, day: dt.date) -> dt.datetime:
        """When the office closes on working day `day` (end of its last period)."""
        periods = self.office_periods(day)
        if not periods:
            raise ValueError(f"{day} is not a working day.")
        return periods[-1][1]

    def is_within_office_hours(self, moment: dt.datetime) -> bool:
        """True if the office is open at `moment`: a period includes its start, not its end."""
        moment = self.local(moment)
        return any(start <= moment < end for start, end in self.office_periods(moment.date()))

    def start_of_count(self, moment: dt.datetime, *, cutoff: dt.time | None = None) -> dt.datetime:
        """When the clock starts for a dossier received at `moment`.

        Inside office hours: at once. Outside them (lunch, evening, weekend, holiday): at the
        start of the next office period, the default DOMAIN.md §2.1.6 recommends (customs
        QĐ 2988/QĐ-TCHQ, State Treasury TT 87/2021/TT-BTC art. 10). With a `cutoff` (a
        procedure's same-day cut-off, e.g. 15:00 for certification), a receipt at or after the
        cut-off starts at the next working day's opening (DOMAIN.md §2.1.5).
        """
        local = self.local(moment)
        day = local.date()
        if cutoff is None or local.time() < cutoff:
            for start, end in self.office_periods(day):
                if local < end:
                    return max(local, start)
        return self.office_periods(self.next_working_day(day))[0][0]

    def add_working_time(self, moment: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The earliest moment by which `amount` of office time has passed since `moment`.

        Counting starts at `start_of_count(moment)`. The result can be the exact end of an
        office period (11:30, 17:00): the time is used up then, not at the next opening.
        """
        if amount < dt.timedelta():
            raise ValueError("Working time to add must not be negative.")
        cursor = self.start_of_count(moment)
        remaining = amount
        day = cursor.date()
        while True:
            for start, end in self.office_periods(day):
                if end <= cursor:
                    continue
                segment_start = max(start, cursor)
                available = end - segment_start
                if remaining <= available:
                    return segment_start + remaining
                remaining -= available
            day += ONE_DAY

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time between two moments; negative if `end` is before `start`."""
        start, end = self.local(start), self.local(end)
        if end < start:
            return -self.working_time_between(end, start)
        total = dt.timedelta()
        day = start.date()
        while day <= end.date():
            for period_start, period_end in self.office_periods(day):
                low, high = max(period_start, start), min(period_end, end)
                if high > low:
                    total += high - low
            day += ONE_DAY
        return total


def package_calendar() -> WorkCalendar:
    """The calendar of the `holidays` package alone, with the default office hours."""
    return WorkCalendar(public_holidays=vietnam_public_holidays())
