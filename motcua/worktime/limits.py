"""Published time limits: the one reading of "N <unit>" as a due moment and as working hours.

A procedure publishes its limit as a value and a unit (DOMAIN.md §2.1.2). Two things follow from
it: the due moment of a dossier, set when the counter accepts it, and the working-hour budget the
internal process may not exceed (§2.1.7). Both read the limit here, so the dossier clock and the
catalogue's process check can never disagree on what a unit means:

- working days N: due after N office days of office time; 8 N working hours.
- hours N: due after N hours of office time; N working hours.
- same day: due at the close of the day counting starts (after the cut-off: the next working
  day's); 8 working hours, one office day.
- days, months, years N: Civil Code art. 147-148 over N, 30 N or 365 N calendar days; 8 x the
  fewest working days such a span holds outside a holiday break (15 days: 11).
- unknown N: as N working days, with a note.
- no value, or zero: no due moment and no budget, with a note.

An unknown unit is a number the portal published without its unit ("1"). It is read as working
days, the unit of nearly every procedure in the national catalogue: a citizen is owed an
appointment date on the receipt (DOMAIN.md §1.4: no intake without one), and reading the number
as no limit at all would leave the dossier without one and the process unbounded. The note says
so in the due-date explanation, and the catalogue flags the record for review.

Working hours are nominal hours of an 8-hour day (provincial systems store limits that way,
DOMAIN.md §2.1.2); an office keeping 7.5 h gives each nominal hour 7.5/8 of an hour of office
time, so "N working days" is N office days whatever the office hours (legal-deadlines.md §3).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

from motcua.worktime.deadlines import (
    Due,
    due_in_calendar_days,
    due_in_working_days,
    due_in_working_hours,
    due_in_working_time,
    due_same_day,
)
from motcua.worktime.workcalendar import WorkCalendar


class TimeUnit(enum.StrEnum):
    """The unit a procedure publishes its time limit in (DOMAIN.md §2.1.2, §4 `cach_thuc`).

    The catalogue stores these values (catalog.models.TimeUnit mirrors them with labels).
    """

    WORKING_DAYS = "working_days"  # "N ngày làm việc"
    DAYS = "days"  # "N ngày": calendar days
    HOURS = "hours"  # "N giờ (làm việc)"
    MONTHS = "months"  # "N tháng"
    YEARS = "years"  # "N năm"
    SAME_DAY = "same_day"  # "trong ngày"
    UNKNOWN = "unknown"  # a number published without its unit


NOMINAL_DAY_HOURS = Decimal(8)
# A same-day procedure without its own cut-off: received before the close of office, due today.
SAME_DAY_CUTOFF = dt.time(17, 0)
# Calendar days in a month and a year, as provincial systems count them.
CALENDAR_DAYS_PER_UNIT = {TimeUnit.DAYS: 1, TimeUnit.MONTHS: 30, TimeUnit.YEARS: 365}

NO_LIMIT_NOTE = "no time limit is published for this procedure"


@dataclass(frozen=True)
class LimitReading:
    """How a published limit is counted: `unit` is never UNKNOWN; None from `read_limit` means
    there is no limit to count. `notes` explain a reading the record did not state."""

    value: Decimal
    unit: TimeUnit
    notes: tuple[str, ...] = ()

    @property
    def calendar_days(self) -> int:
        """The span of a days/months/years limit in calendar days (a part-day counts as one)."""
        return max(int(self.value * CALENDAR_DAYS_PER_UNIT[self.unit]), 1)


def read_limit(value: Decimal | None, unit: str, *, text: str = "") -> LimitReading | None:
    """The one reading of a published limit, or None when none is published.

    A unit outside `TimeUnit` (a value stored before a unit was added) is read as UNKNOWN.
    """
    try:
        known = TimeUnit(unit)
    except ValueError:
        known = TimeUnit.UNKNOWN
    if known == TimeUnit.SAME_DAY:
        return LimitReading(Decimal(0), known)
    if value is None or value <= 0:
        return None
    if known == TimeUnit.UNKNOWN:
        note = f"the published limit '{text or value}' has no unit; read as working days"
        return LimitReading(value, TimeUnit.WORKING_DAYS, (note,))
    return LimitReading(value, known)


def due_for_limit(
    start: dt.datetime,
    value: Decimal | None,
    unit: str,
    calendar: WorkCalendar,
    *,
    cutoff: dt.time | None = None,
    text: str = "",
) -> tuple[Due | None, list[str]]:
    """The due moment of a dossier received at `start` under the published limit, and the notes
    for its explanation (see the module's table). `cutoff` is the procedure's cut-off hour
    (DOMAIN.md §2.1.5)."""
    reading = read_limit(value, unit, text=text)
    if reading is None:
        return None, [NO_LIMIT_NOTE]
    notes = list(reading.notes)
    if reading.unit == TimeUnit.SAME_DAY:
        return due_same_day(start, calendar, cutoff=cutoff or SAME_DAY_CUTOFF), notes
    if reading.unit in CALENDAR_DAYS_PER_UNIT:
        return due_in_calendar_days(start, reading.calendar_days, calendar), notes
    return _due_in_office_time(start, reading, calendar, cutoff=cutoff), notes


def _due_in_office_time(
    start: dt.datetime, reading: LimitReading, calendar: WorkCalendar, *, cutoff: dt.time | None
) -> Due:
    amount = reading.value
    whole = amount == amount.to_integral_value()
    if reading.unit == TimeUnit.WORKING_DAYS:
        if whole:
            return due_in_working_days(start, int(amount), calendar, cutoff=cutoff)
        work = calendar.schedule.day_length * float(amount)
    else:
        if whole:
            return due_in_working_hours(start, int(amount), calendar, cutoff=cutoff)
        work = dt.timedelta(hours=float(amount))
    return due_in_working_time(start, work, calendar, cutoff=cutoff)


def limit_in_working_hours(value: Decimal | None, unit: str) -> Decimal | None:
    """The published limit as nominal working hours, the budget an internal process must fit
    (DOMAIN.md §2.1.7), or None when no limit is published (see the module's table).

    Calendar days contain weekends and holidays, so they are bounded from below by the working
    days any such span holds outside a holiday break (`fewest_working_days`).
    """
    reading = read_limit(value, unit)
    if reading is None:
        return None
    if reading.unit == TimeUnit.SAME_DAY:
        return NOMINAL_DAY_HOURS
    if reading.unit == TimeUnit.WORKING_DAYS:
        return reading.value * NOMINAL_DAY_HOURS
    if reading.unit == TimeUnit.HOURS:
        return reading.value
    return fewest_working_days(reading.calendar_days) * NOMINAL_DAY_HOURS


def fewest_working_days(days: int) -> int:
    """The fewest working days a limit of `days` calendar days holds, whatever the weekday it
    starts on, in weeks without holidays: the days counted (Civil Code art. 147(2): from the day
    after receipt) that are Monday to Friday, plus the Monday a limit ending on a weekend runs on
    to (art. 148(5)). So at least one, as the last day is always a working day."""
    fewest = days
    for first in range(7):  # weekday of the first day counted, Monday = 0
        weekdays = 5 * (days // 7) + sum((first + d) % 7 < 5 for d in range(days % 7))
        ends_on_weekend = (first + days - 1) % 7 >= 5
        fewest = min(fewest, weekdays + ends_on_weekend)
    return fewest
