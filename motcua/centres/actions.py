"""The only code that writes queue tickets (STYLE.md §3).

Two promises, both kept by the database rather than by the server process, so they hold with
any number of workers:

- **A number is never given twice.** `do_issue_ticket` takes the next number of the centre's
  day with one upsert on `TicketSequence` (INSERT … ON CONFLICT DO UPDATE … RETURNING), as
  dossier codes are numbered (`dossiers.actions.submission._next_code`): the row lock
  (PostgreSQL) or the writer lock (SQLite) is held until the ticket is stored, and the unique
  (centre, day, number) constraint backs it up.
- **A ticket is called at one counter only.** `do_call_next_ticket` locks the counter, then
  takes the first waiting ticket with `SELECT … FOR NO KEY UPDATE SKIP LOCKED` on PostgreSQL,
  so two counters calling at once take two different tickets without waiting for each other.
  Where the database cannot skip locked rows (SQLite), the ticket is claimed by a conditional
  UPDATE (… WHERE status = 'waiting'), retried on the next ticket when another counter was
  first; SQLite's writer lock makes the retry rare.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from motcua.accounts.actions import clean_phone
from motcua.accounts.models import User
from motcua.accounts.viewer import Viewer
from motcua.catalog.models import ProcedureField
from motcua.centres.access import access_centre_for_receiver
from motcua.centres.errors import TicketNotCurrentError
from motcua.centres.models import CLOSING_STATUSES, Ticket, TicketSequence, TicketStatus
from motcua.centres.queries import legal_day
from motcua.units.models import Agency, Counter

# Waiting tickets tried in turn where rows cannot be skipped: more than counters calling at once.
CANDIDATES = 50


def _next_number(centre: Agency, day: dt.date) -> int:
    table = connection.ops.quote_name(TicketSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [centre.id, day],
        )
        (number,) = cursor.fetchone()
    return int(number)


def do_issue_ticket(
    centre: Agency,
    *,
    field: ProcedureField | None,
    phone: str = "",
    language: str = "vi",
    now: dt.datetime | None = None,
) -> Ticket:
    """Give the next number of the centre's day (legal time) for `field` (None: no particular
    field), to be sent to `phone` too when one is given.

    One upsert on the centre's TicketSequence row, held until the ticket is stored (see the
    module's docstring). Raises InvalidInputError on `phone` for a number that is not a
    Vietnamese phone number, before anything is written. The caller checks that the centre
    receives `field` (queries.get_field_of_centre) and queues the SMS (tasks.send_ticket_sms).
    """
    phone = clean_phone(phone)
    now = now or timezone.now()
    day = legal_day(now)
    with transaction.atomic(durable=True):
        number = _next_number(centre, day)
        return Ticket.objects.create(
            agency=centre,
            day=day,
            number=number,
            field=field,
            phone=phone,
            language=language,
            issued_at=now,
        )


@dataclass(frozen=True)
class OnlyField:
    """Call only tickets of this field; `field_id` None: tickets of no particular field."""

    field_id: int | None


def do_call_next_ticket(
    counter: Counter,
    *,
    acting_user: User,
    only: OnlyField | None = None,
    now: dt.datetime | None = None,
) -> Ticket | None:
    """Call the next waiting ticket of today at `counter`: the smallest number, of `only`'s
    field when given. The ticket the counter was serving, if any, is closed as served first.
    Returns None when nobody is waiting (the counter then serves nobody).

    Locks the counter row (two clicks at one counter are served one after the other), then one
    ticket row, skipping those another counter holds (see the module's docstring). Raises
    NotAReceiverHereError unless the acting user is a receiving officer of the counter's centre.
    """
    access_centre_for_receiver(Viewer.of(acting_user), counter.agency)
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        Counter.objects.select_for_update(no_key=True).filter(id=counter.id).first()
        Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED).update(
            status=TicketStatus.DONE, finished_at=now
        )
        waiting = Ticket.objects.filter(
            agency_id=counter.agency_id, day=legal_day(now), status=TicketStatus.WAITING
        )
        if only is not None:
            waiting = waiting.filter(field_id=only.field_id)
        waiting = waiting.order_by("number")
        calling = {
            "status": TicketStatus.CALLED,
            "counter": counter,
            "called_by": acting_user,
            "called_at": now,
            "calls": 1,
        }
        if connection.features.has_select_for_update_skip_locked:
            ticket = waiting.select_for_update(skip_locked=True, no_key=True).first()
            if ticket is None:
                return None
            Ticket.objects.filter(id=ticket.id).update(**calling)
            return Ticket.objects.select_related("field").get(id=ticket.id)
        # Read the candidates before writing: SQLite runs one statement per connection at a time.
        for ticket_id in list(waiting.values_list("id", flat=True)[:CANDIDATES]):
            if Ticket.objects.filter(id=ticket_id, status=TicketStatus.WAITING).update(**calling):
                return Ticket.objects.select_related("field").get(id=ticket_id)
        return None


def _current(counter: Counter, ticket_id: int) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(no_key=True)
        .filter(id=ticket_id, counter=counter, status=TicketStatus.CALLED)
        .first()
    )
    if ticket is None:
        label = Ticket.objects.filter(id=ticket_id).values_list("number", flat=True).first()
        raise TicketNotCurrentError(f"{label:03d}" if label is not None else str(ticket_id))
    return ticket


def do_recall_ticket(
    counter: Counter, ticket_id: int, *, acting_user: User, now: dt.datetime | None = None
) -> Ticket:
    """Call the counter's current ticket again: the board puts it back on top.

    Locks the ticket row. Raises NotAReceiverHereError, and TicketNotCurrentError when the
    ticket is not the one this counter is serving (closed meanwhile, or a stale page).
    """
    access_centre_for_receiver(Viewer.of(acting_user), counter.agency)
    with transaction.atomic(durable=True):
        ticket = _current(counter, ticket_id)
        ticket.called_at = now or timezone.now()
        ticket.calls += 1
        ticket.save(update_fields=["called_at", "calls"])
        return ticket


def do_close_ticket(
    counter: Counter,
    ticket_id: int,
    outcome: TicketStatus,
    *,
    acting_user: User,
    now: dt.datetime | None = None,
) -> Ticket:
    """Close the counter's current ticket as served (DONE) or as a no-show (NO_SHOW); the
    counter then serves nobody until it calls the next number.

    Locks the ticket row. Raises ValueError for any other outcome, NotAReceiverHereError, and
    TicketNotCurrentError when the ticket is not the one this counter is serving.
    """
    if outcome not in CLOSING_STATUSES:
        raise ValueError(f"a ticket is closed as done or no-show, not {outcome}")
    access_centre_for_receiver(Viewer.of(acting_user), counter.agency)
    with transaction.atomic(durable=True):
        ticket = _current(counter, ticket_id)
        ticket.status = outcome
        ticket.finished_at = now or timezone.now()
        ticket.save(update_fields=["status", "finished_at"])
        return ticket


def do_record_ticket_sms(ticket_id: int, *, now: dt.datetime | None = None) -> bool:
    """Mark the ticket's SMS as sent; False when it already was (a repeated task).

    One conditional UPDATE; no other lock.
    """
    sent = Ticket.objects.filter(id=ticket_id, sms_sent_at__isnull=True).update(
        sms_sent_at=now or timezone.now()
    )
    return bool(sent)
