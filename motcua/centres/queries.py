"""Reads of the queue: the centre and its fields, a counter's current ticket, the board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from motcua.catalog.models import ProcedureField, ProcedureLevel
from motcua.catalog.offering import COMMUNE_CENTRE_KINDS, PROVINCE_CENTRE_KINDS
from motcua.centres.errors import CentreNotFoundError, CounterNotFoundError
from motcua.centres.models import Ticket, TicketStatus
from motcua.units.models import Agency, Counter
from motcua.units.models.agencies import SERVICE_CENTRE_KINDS

# Numbers shown under "next" on the board: a TV has room for about two rows of them.
BOARD_NEXT = 10


def legal_day(now: dt.datetime) -> dt.date:
    """The day a moment falls on in Vietnamese legal time (settings.TIME_ZONE): numbers start
    again at 001 at midnight there, whatever the server's clock zone."""
    return timezone.localtime(now).date()


def get_centre(code: str) -> Agency:
    """An active service centre by its agency code; CentreNotFoundError for any other agency."""
    centre = Agency.objects.filter(
        code=code, kind__in=sorted(SERVICE_CENTRE_KINDS), is_active=True
    ).first()
    if centre is None:
        raise CentreNotFoundError(code)
    return centre


def list_centre_fields(centre: Agency) -> list[ProcedureField]:
    """The fields of the procedures the centre receives, the most used first.

    What the catalogue offers in the centre's province at the centre's level, and every
    boundary-free procedure offered there (Decree 118/2025: any centre of the province receives
    it); `catalog.offering` states the same rule for dossiers.
    """
    levels = []
    if centre.kind in PROVINCE_CENTRE_KINDS:
        levels.append(ProcedureLevel.PROVINCE)
    if centre.kind in COMMUNE_CENTRE_KINDS:
        levels.append(ProcedureLevel.COMMUNE)
    offered = Q(
        procedures__offerings__province_code=centre.province_code,
        procedures__offerings__is_active=True,
        procedures__current__isnull=False,
    )
    here = Q(procedures__offerings__level__in=levels) | Q(procedures__current__boundary_free=True)
    return list(
        ProcedureField.objects.filter(offered & here)
        .annotate(usage=Sum("procedures__usage_weight"))
        .order_by("-usage", "name")
    )


def get_field_of_centre(centre: Agency, field_id: int) -> ProcedureField | None:
    """The field if the centre receives procedures of it, else None."""
    return next((f for f in list_centre_fields(centre) if f.id == field_id), None)


def list_counters(centre: Agency) -> list[Counter]:
    return list(Counter.objects.filter(agency=centre, is_active=True).order_by("number"))


def get_counter(centre: Agency, number: int) -> Counter:
    counter = Counter.objects.filter(agency=centre, number=number, is_active=True).first()
    if counter is None:
        raise CounterNotFoundError(str(number))
    return counter


def get_current_ticket(counter: Counter) -> Ticket | None:
    """The ticket the counter is serving, if any (at most one: a constraint says so)."""
    return (
        Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED)
        .select_related("field")
        .first()
    )


def get_ticket_of_centre(centre: Agency, ticket_id: int) -> Ticket | None:
    return Ticket.objects.filter(id=ticket_id, agency=centre).select_related("field").first()


def count_ahead(ticket: Ticket) -> int:
    """People still waiting with a smaller number the same day, of any field."""
    return Ticket.objects.filter(
        agency_id=ticket.agency_id,
        day=ticket.day,
        status=TicketStatus.WAITING,
        number__lt=ticket.number,
    ).count()


@dataclass(frozen=True)
class WaitingField:
    field_id: int | None
    name: str
    waiting: int


def count_waiting_by_field(centre: Agency, *, now: dt.datetime) -> list[WaitingField]:
    """Today's waiting tickets per field (None: no particular field), most waiting first."""
    rows = (
        Ticket.objects.filter(agency=centre, day=legal_day(now), status=TicketStatus.WAITING)
        .values("field_id", "field__name")
        .annotate(waiting=Count("id"))
        .order_by("-waiting", "field__name")
    )
    return [WaitingField(r["field_id"], r["field__name"] or "", r["waiting"]) for r in rows]


@dataclass(frozen=True)
class Serving:
    ticket: str
    counter: int
    counter_name: str
    called_at: dt.datetime


@dataclass(frozen=True)
class Board:
    serving: list[Serving]
    next: list[str]
    waiting: int

    def as_json(self) -> dict[str, object]:
        return {
            "serving": [
                {
                    "ticket": s.ticket,
                    "counter": s.counter,
                    "counter_name": s.counter_name,
                    "called_at": s.called_at.isoformat(),
                }
                for s in self.serving
            ],
            "next": self.next,
            "waiting": self.waiting,
        }


def get_board(centre: Agency, *, now: dt.datetime) -> Board:
    """What the centre's display shows: each counter's number, the latest call first (a recall
    moves it to the top again), then the next numbers in the order they will be called."""
    today = legal_day(now)
    called = (
        Ticket.objects.filter(agency=centre, day=today, status=TicketStatus.CALLED)
        .select_related("counter")
        .order_by("-called_at", "-number")
    )
    waiting = Ticket.objects.filter(agency=centre, day=today, status=TicketStatus.WAITING)
    serving = [
        Serving(t.label, t.counter.number, t.counter.name, t.called_at)
        for t in called
        if t.counter is not None and t.called_at is not None
    ]
    upcoming = [
        f"{number:03d}"
        for number in waiting.order_by("number").values_list("number", flat=True)[:BOARD_NEXT]
    ]
    count = len(upcoming) if len(upcoming) < BOARD_NEXT else waiting.count()
    return Board(serving=serving, next=upcoming, waiting=count)
