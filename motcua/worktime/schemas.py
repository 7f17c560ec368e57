"""Response shapes of the worktime API, documented in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema

from motcua.common.schemas import LocalTime
from motcua.worktime.deadlines import Due
from motcua.worktime.workcalendar import SkipReason, WorkCalendar


class SkippedDayOut(Schema):
    date: dt.date
    reason: SkipReason
    name: str  # Vietnamese: the holiday's name, the weekday, or the declared reason


class OfficePeriodOut(Schema):
    start: LocalTime
    end: LocalTime


class DueOut(Schema):
    start: dt.datetime  # the receipt moment, in Asia/Ho_Chi_Minh
    counted_from: dt.datetime  # when the clock started (next office period if received after hours)
    due: dt.datetime  # the moment the limit runs out
    due_date: dt.date  # the legal due date (for "days": the limit ends at 24:00 of this date)
    unit: Literal["working_days", "working_hours", "days"]
    amount: int
    agency: str | None  # the agency code whose office hours were used; null for the default
    office_hours: list[OfficePeriodOut]
    working_day_hours: float  # office time in one working day, the worth of one working day
    skipped: list[SkippedDayOut]

    @classmethod
    def build(cls, due: Due, calendar: WorkCalendar, agency: str | None) -> DueOut:
        return cls(
            start=due.start,
            counted_from=due.counted_from,
            due=due.due,
            due_date=due.due_date,
            unit=due.unit.value,  # type: ignore[arg-type]
            amount=due.amount,
            agency=agency,
            office_hours=[OfficePeriodOut(start=s, end=e) for s, e in calendar.schedule.periods],
            working_day_hours=calendar.schedule.day_length / dt.timedelta(hours=1),
            skipped=[
                SkippedDayOut(date=day.date, reason=day.reason, name=day.name)
                for day in due.skipped
            ],
        )
