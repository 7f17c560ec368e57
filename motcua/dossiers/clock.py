"""The dossier's clock: due time at acceptance, pauses, steps, outcome. All through `worktime`.

Pure functions over plain values and a WorkCalendar; actions call them with the calendar of the
agency concerned.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from motcua.worktime.deadlines import Due, add_working_time, working_time_between
from motcua.worktime.limits import NO_LIMIT_NOTE, NOMINAL_DAY_HOURS, due_for_limit
from motcua.worktime.workcalendar import WorkCalendar

# Process budgets are stated in hours of a nominal 8-hour working day (worktime.limits); an
# office keeping 7.5 h gives each budget hour 7.5/8 of an hour of its office time.

# The submission channel's limit applies; a kiosk is a counter without an officer.
CHANNEL_OF_SUBMISSION = {
    "online": "online",
    "counter": "counter",
    "kiosk": "counter",
    "post": "post",
}


@dataclass(frozen=True)
class Limit:
    value: Decimal | None
    unit: str  # worktime.limits.TimeUnit value
    text: str
    channel: str


class ClockState(enum.StrEnum):
    IN_TIME = "in_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    PAUSED = "paused"


def pick_limit(channels: list[Any], submission_channel: str) -> Limit | None:
    """The limit of the channel the dossier came through, else the counter's, else any."""
    wanted = CHANNEL_OF_SUBMISSION.get(submission_channel, "counter")
    by_kind: dict[str, Any] = {}
    for channel in channels:
        by_kind.setdefault(channel.kind, channel)
    channel = by_kind.get(wanted) or by_kind.get("counter") or next(iter(by_kind.values()), None)
    if channel is None:
        return None
    return Limit(channel.time_value, channel.time_unit, channel.time_text, channel.kind)


def compute_due(
    start: dt.datetime, limit: Limit | None, calendar: WorkCalendar, *, cutoff: dt.time | None
) -> tuple[Due | None, list[str]]:
    """Due of `limit` from `start`, and notes for the explanation when the record was unclear.

    The reading of each unit (an unknown one included) is `worktime.limits.due_for_limit`'s, the
    same the catalogue uses to check a process against the limit.
    """
    if limit is None:
        return None, [NO_LIMIT_NOTE]
    return due_for_limit(start, limit.value, limit.unit, calendar, cutoff=cutoff, text=limit.text)


def explain_due(due: Due | None, limit: Limit | None, notes: list[str]) -> dict[str, Any]:
    """The "why is my due date X" breakdown kept on the dossier."""
    if due is None:
        return {"limit": None, "notes": notes}
    return {
        "received_at": due.start.isoformat(),
        "counted_from": due.counted_from.isoformat(),
        "limit": {
            "value": str(limit.value) if limit and limit.value is not None else None,
            "unit": limit.unit if limit else None,
            "as_published": limit.text if limit else "",
            "channel": limit.channel if limit else None,
        },
        "due": due.due.isoformat(),
        "due_date": due.due_date.isoformat(),
        "skipped": [
            {"date": d.date.isoformat(), "reason": str(d.reason), "name": d.name}
            for d in due.skipped
        ],
        "pauses": [],
        "notes": notes,
    }


def resume_due(
    old_due: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime, calendar: WorkCalendar
) -> dt.datetime:
    """DOMAIN §2.3: the applicant's time is excluded, the agency's time already used stays
    counted: the office time left at the pause is added from the moment the clock resumes."""
    remaining = working_time_between(paused_at, old_due, calendar).duration
    return add_working_time(resumed_at, remaining, calendar)


def step_due(started_at: dt.datetime, budget_hours: Decimal, calendar: WorkCalendar) -> dt.datetime:
    share = float(budget_hours / NOMINAL_DAY_HOURS)
    return add_working_time(started_at, calendar.schedule.day_length * share, calendar)


def outcome(finished_at: dt.datetime, due_at: dt.datetime | None, calendar: WorkCalendar) -> str:
    """Circular 01/2018 art. 13 by day (DOMAIN §2.4): finished before the due day → early, on
    it → on time, after it → late."""
    if due_at is None:
        return ""
    finished_day = calendar.local(finished_at).date()
    due_day = calendar.local(due_at).date()
    if finished_day < due_day:
        return "early"
    if finished_day == due_day:
        return "on_time"
    return "late"


def clock_state(
    now: dt.datetime, due_at: dt.datetime | None, calendar: WorkCalendar, *, paused: bool
) -> ClockState | None:
    """In time, at risk (less than one working day left) or overdue, at `now`."""
    if paused:
        return ClockState.PAUSED
    if due_at is None:
        return None
    if now >= due_at:
        return ClockState.OVERDUE
    left = working_time_between(now, due_at, calendar).duration
    return ClockState.AT_RISK if left < calendar.schedule.day_length else ClockState.IN_TIME
