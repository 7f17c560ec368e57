"""Errors of the working-day calendar. All are bad input from the caller, so HTTP 400."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from motcua.common.errors import InvalidInputError


class OutsideCalendarRangeError(InvalidInputError):
    """A computation reached a date the calendar has no holiday data for.

    The `holidays` package converts lunar holidays only up to 2100, and before 2000 the two-day
    weekend of state agencies (Decision 188/1999/QĐ-TTg) was barely in force; a due date computed
    outside that range would be silently wrong, so it is refused instead.
    """

    def __init__(self, day: dt.date, first: dt.date, last: dt.date) -> None:
        reason = gettext("{day} is outside the supported calendar ({first} to {last}).").format(
            day=day.isoformat(), first=first.isoformat(), last=last.isoformat()
        )
        super().__init__("date", reason)
