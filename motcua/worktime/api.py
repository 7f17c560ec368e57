"""The worktime JSON API, mounted at /api/v1/worktime: due-date computation for any client."""

from __future__ import annotations

import datetime as dt
import re

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from motcua.common.errors import InvalidInputError
from motcua.common.inputs import offset_in_range, offset_reason
from motcua.common.schemas import error_responses
from motcua.worktime.deadlines import (
    due_in_calendar_days,
    due_in_working_days,
    due_in_working_hours,
)
from motcua.worktime.queries import get_calendar_for_agency_code
from motcua.worktime.schemas import DueOut
from motcua.worktime.workcalendar import FIRST_DAY, LAST_DAY, LEGAL_TZ

router = Router(tags=["worktime"])

# Ten years: far beyond any published procedure limit, small enough to compute in milliseconds.
MAX_DAYS = 3650
MAX_WORKING_DAYS = 3650
MAX_WORKING_HOURS = 3650 * 8

# In a query string an unencoded "+" arrives as a space: "09:00+07:00" -> "09:00 07:00".
_SPACE_OFFSET = re.compile(r"^(.*T.*\d) (\d{2}:?\d{2})$")


def parse_start(value: str) -> dt.datetime:
    """An ISO 8601 date or date-time; a naive one is read in Asia/Ho_Chi_Minh.

    Raises InvalidInputError("start") for anything else or a year the calendar cannot serve.
    """
    text = _SPACE_OFFSET.sub(r"\1+\2", value.strip())
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            "start", gettext("expected an ISO 8601 date-time such as 2026-03-02T09:00:00+07:00.")
        ) from None
    if not FIRST_DAY.year <= moment.year <= LAST_DAY.year:
        # Checked before any time-zone conversion, which would overflow near year 1 or 9999.
        raise InvalidInputError(
            "start",
            gettext("the year must be between {first} and {last}.").format(
                first=FIRST_DAY.year, last=LAST_DAY.year
            ),
        )
    if not offset_in_range(moment):
        raise InvalidInputError("start", offset_reason())
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=LEGAL_TZ)
    return moment.astimezone(LEGAL_TZ)


class DueQuery(Schema):
    start: str = Field(
        description="Receipt moment, ISO 8601; without an offset it is read in Asia/Ho_Chi_Minh.",
        examples=["2026-02-13T09:00:00+07:00"],
    )
    working_days: int | None = Field(
        None, ge=1, le=MAX_WORKING_DAYS, description="Limit in working days (ngày làm việc)."
    )
    working_hours: int | None = Field(
        None, ge=1, le=MAX_WORKING_HOURS, description="Limit in working hours."
    )
    days: int | None = Field(
        None, ge=1, le=MAX_DAYS, description="Limit in calendar days (Civil Code art. 147-148)."
    )
    agency: str | None = Field(
        None,
        max_length=40,
        description="Code of the agency whose office hours apply; the default hours if absent.",
    )


@router.get(
    "/due",
    response={200: DueOut, **error_responses(404)},
    summary="Due moment of a legal time limit",
)
def due(request: HttpRequest, query: Query[DueQuery]) -> DueOut:
    """When a dossier received at `start` is due under a limit of exactly one of `working_days`,
    `working_hours` or `days`, and which non-working days the count skipped.

    The counting rules are in docs/subsystems/legal-deadlines.md.
    """
    amounts = {
        "working_days": query.working_days,
        "working_hours": query.working_hours,
        "days": query.days,
    }
    if sum(value is not None for value in amounts.values()) != 1:
        raise InvalidInputError(
            "working_days, working_hours, days",
            gettext("give exactly one of working_days, working_hours and days."),
        )
    moment = parse_start(query.start)
    agency = query.agency or None
    calendar = get_calendar_for_agency_code(agency)
    if query.working_days is not None:
        result = due_in_working_days(moment, query.working_days, calendar)
    elif query.working_hours is not None:
        result = due_in_working_hours(moment, query.working_hours, calendar)
    else:
        result = due_in_calendar_days(moment, query.days or 0, calendar)
    return DueOut.build(result, calendar, agency)
