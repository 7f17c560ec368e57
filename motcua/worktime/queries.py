"""Building `WorkCalendar`s from the database, cached per process.

The cache holds one calendar per agency (and one for the default office hours), stamped with the
`CalendarRevision` token it was built at. Each use reads the token (one indexed query) and
rebuilds everything when it changed, so a day an administrator declares is used by every process
at its next computation, including inside the transaction that declared it.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from motcua.common.errors import NotFoundError
from motcua.common.prepared import PreparedRead
from motcua.units.models import Agency
from motcua.worktime.models import CalendarDay, CalendarRevision, OfficeHours
from motcua.worktime.workcalendar import (
    DEFAULT_OFFICE_SCHEDULE,
    DeclaredDay,
    DeclaredKind,
    OfficeSchedule,
    WorkCalendar,
    vietnam_public_holidays,
)


@dataclass
class _Cache:
    token: uuid.UUID | None = None
    declared: dict[dt.date, DeclaredDay] | None = None
    calendars: dict[int | None, WorkCalendar] = field(default_factory=dict)


_cache = _Cache()
_lock = threading.Lock()


# Read by every action that computes a date: compiled once per connection (common.prepared).
_read_revision = PreparedRead(lambda: CalendarRevision.objects.only("token").order_by("pk")[:1])


def current_revision() -> uuid.UUID | None:
    """The token of the calendar data as this connection sees it; None before any change."""
    found = _read_revision()
    return found[0].token if found else None


def bump_calendar_revision() -> None:
    """Mark the calendar data as changed. Called by the signals in `signals.py`, inside the
    transaction of the change, so a rollback also rolls back the new token."""
    token = uuid.uuid4()
    if not CalendarRevision.objects.filter(pk=1).update(token=token):
        with transaction.atomic():
            CalendarRevision.objects.update_or_create(pk=1, defaults={"token": token})


def _load_declared() -> dict[dt.date, DeclaredDay]:
    return {
        row.date: DeclaredDay(
            date=row.date,
            kind=DeclaredKind(row.kind),
            reason=row.reason,
            legal_source=row.legal_source,
        )
        for row in CalendarDay.objects.order_by("date")
    }


def _load_schedule(agency_id: int | None) -> OfficeSchedule:
    wanted = Q(agency__isnull=True) if agency_id is None else Q(agency_id=agency_id)
    rows = {
        row.agency_id: row for row in OfficeHours.objects.filter(wanted | Q(agency__isnull=True))
    }
    row = rows.get(agency_id) or rows.get(None)
    return row.schedule() if row is not None else DEFAULT_OFFICE_SCHEDULE


def get_calendar(agency_id: int | None = None) -> WorkCalendar:
    """The working calendar for an agency's office hours (or the default ones), from the DB.

    Public holidays from the package, the declared `CalendarDay` rows, and the agency's
    `OfficeHours` row, else the default row, else 07:30-11:30 and 13:30-17:00.
    """
    return _calendar_at(current_revision(), agency_id)


def _calendar_at(token: uuid.UUID | None, agency_id: int | None) -> WorkCalendar:
    with _lock:
        if _cache.token != token or _cache.declared is None:
            _cache.token = token
            _cache.declared = _load_declared()
            _cache.calendars = {}
        calendar = _cache.calendars.get(agency_id)
        if calendar is None:
            calendar = WorkCalendar(
                public_holidays=vietnam_public_holidays(),
                declared=_cache.declared,
                schedule=_load_schedule(agency_id),
            )
            _cache.calendars[agency_id] = calendar
        return calendar


class CalendarBook:
    """The calendars one piece of work (an action, a page) needs, with the revision token read
    once: an action reads the calendar of the receiving agency and of the agency at work several
    times, and each `get_calendar` call would ask the token again."""

    def __init__(self) -> None:
        self._token: uuid.UUID | None = None
        self._read = False
        self._by_agency: dict[int | None, WorkCalendar] = {}

    def of(self, agency_id: int | None) -> WorkCalendar:
        calendar = self._by_agency.get(agency_id)
        if calendar is None:
            if not self._read:
                self._token, self._read = current_revision(), True
            calendar = _calendar_at(self._token, agency_id)
            self._by_agency[agency_id] = calendar
        return calendar


def get_calendar_for_agency_code(code: str | None) -> WorkCalendar:
    """The calendar for the agency with this public code; the default one for None.

    Raises NotFoundError for an unknown code.
    """
    if code is None:
        return get_calendar()
    agency_id = Agency.objects.filter(code=code).values_list("id", flat=True).first()
    if agency_id is None:
        raise NotFoundError("agency", code)
    return get_calendar(agency_id)
