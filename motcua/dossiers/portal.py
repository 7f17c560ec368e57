"""Reads for the signed-in applicant's pages (/ho-so/): their dossiers, one dossier's story.

Each answer comes from the engine (`queries.clock_of`, `queries.next_actions`,
`queries.missing_requirements`), the working-day calendar (`worktime`) and the audit events,
filtered here to what the applicant is told anyway: the slips they receive print the same
reasons (refusal, supplement request, stop, new date). An official's comment on an event, the
assignment to a specialist, a step sent back inside the agency: none of these reach the page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.clock import ClockState
from motcua.dossiers.labels import (
    CLOCK_LABELS,
    OUTCOME_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
)
from motcua.dossiers.models import DeliveryMethod, Dossier, DossierEvent, Outcome
from motcua.dossiers.queries import clock_of
from motcua.dossiers.slips.data import kinds_for_actions
from motcua.dossiers.workflow import Stage, Status
from motcua.worktime.deadlines import working_time_between
from motcua.worktime.queries import CalendarBook

# The events an applicant sees, in their words; the others (uploads, assignment, a step sent
# back, a refused second new date) are the agency's inner workings.
EVENT_LABELS: dict[str, Promise] = {
    "submit": _("Dossier submitted"),
    "accept": _("Accepted by the centre; the clock started"),
    "refuse": _("Refused by the centre"),
    "request_supplement": _("Supplement requested"),
    "supplement": _("Supplement handed in"),
    "accept_supplement": _("Supplement accepted; the clock resumed"),
    "transfer": _("Sent to another agency for its part"),
    "return_from_transfer": _("Back from the other agency"),
    "appraise": _("Appraisal finished"),
    "approve": _("Approved"),
    "sign": _("Signed"),
    "issue_result": _("Result issued"),
    "return_result": _("Result returned"),
    "request_payment": _("Payment of fees requested"),
    "confirm_payment": _("Payment confirmed; the clock resumed"),
    "request_withdrawal": _("Withdrawal requested"),
    "stop": _("Processing stopped"),
    "reschedule": _("Written apology and a new date"),
}
# What each event shows of its payload (the same the slips print); the comment never.
DETAIL_LABELS: dict[str, Promise] = {
    "due_at": _("Due"),
    "new_due": _("New due"),
    "reason": _("Reason"),
    "note": _("Your note"),
    "amount_vnd": _("Amount (đồng)"),
    "result": _("Result"),
    "outcome": _("Finished"),
    "delivery": _("Handed over"),
}
SHOWN_DETAILS: dict[str, tuple[str, ...]] = {
    "accept": ("due_at",),
    "refuse": ("reason",),
    "request_supplement": ("reason",),
    "supplement": ("note",),
    "accept_supplement": ("new_due",),
    "confirm_payment": ("new_due",),
    "request_payment": ("amount_vnd",),
    "issue_result": ("result", "outcome"),
    "return_result": ("delivery",),
    "request_withdrawal": ("reason",),
    "stop": ("reason",),
    "reschedule": ("reason", "new_due"),
}
# A dossier's events are few (a few dozen over its life); the page reads them all at once.
DATE_TIME = "%d/%m/%Y %H:%M"


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    action: str
    label: str
    details: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ApplicantRow:
    """One dossier as the list and the dossier page show it."""

    dossier: Dossier
    status_label: str
    stage_label: str
    clock: str | None
    clock_label: str
    days_left: float | None

    @property
    def overdue(self) -> bool:
        return self.clock == ClockState.OVERDUE


def working_days_left(
    dossier: Dossier, clock: str | None, now: dt.datetime, book: CalendarBook
) -> float | None:
    """Working days of office time until the due moment, rounded down to a tenth: from now
    while the clock runs, from the pause while the applicant has the dossier (DOMAIN §2.3: the
    agency's time left is kept). None when no clock runs; 0 once overdue."""
    if clock is None or dossier.due_at is None:
        return None
    if clock == ClockState.OVERDUE:
        return 0.0
    since = dossier.paused_at if clock == ClockState.PAUSED and dossier.paused_at else now
    left = working_time_between(since, dossier.due_at, book.of(dossier.receiving_agency_id))
    return max(0.0, math.floor(left.days * 10) / 10)


def applicant_row(dossier: Dossier, now: dt.datetime, book: CalendarBook) -> ApplicantRow:
    clock = clock_of(dossier, now, book)
    return ApplicantRow(
        dossier=dossier,
        status_label=str(STATUS_LABELS[Status(dossier.status)]),
        stage_label=str(STAGE_LABELS[Stage(dossier.stage)]),
        clock=clock,
        clock_label=str(CLOCK_LABELS[ClockState(clock)]) if clock else "",
        days_left=working_days_left(dossier, clock, now, book),
    )


def applicant_rows(
    dossiers: Iterable[Dossier], now: dt.datetime, book: CalendarBook
) -> list[ApplicantRow]:
    return [applicant_row(dossier, now, book) for dossier in dossiers]


def read_events(dossier: Dossier) -> list[DossierEvent]:
    """The dossier's events in order, without the hash chain the page has no use for."""
    return list(dossier.events.order_by("seq").only("dossier_id", "seq", "action", "at", "payload"))


def _moment(value: Any) -> str:
    if value in (None, ""):
        return ""
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return str(value)
    return timezone.localtime(moment).strftime(DATE_TIME)


def _detail(name: str, value: Any) -> str:
    if name in ("due_at", "new_due"):
        return _moment(value)
    if name == "amount_vnd":
        return f"{int(value):,}".replace(",", ".")
    if name == "outcome" and value in Outcome.values:
        return str(OUTCOME_LABELS[Outcome(value)])
    if name == "delivery" and value in DeliveryMethod.values:
        return str(DeliveryMethod(value).label)
    return str(value)


def timeline(events: Sequence[DossierEvent]) -> list[TimelineEntry]:
    """What happened to the dossier, oldest first, as the applicant is told it."""
    entries = []
    for event in events:
        label = EVENT_LABELS.get(event.action)
        if label is None:
            continue
        payload: Mapping[str, Any] = event.payload or {}
        details = [
            (str(DETAIL_LABELS[name]), _detail(name, payload[name]))
            for name in SHOWN_DETAILS.get(event.action, ())
            if payload.get(name) not in (None, "")
        ]
        items = (
            [str(i) for i in payload.get("items", [])]
            if event.action == "request_supplement"
            else []
        )
        entries.append(TimelineEntry(event.at, event.action, str(label), details, items))
    return entries


@dataclass(frozen=True)
class SupplementRequest:
    at: dt.datetime
    items: list[str]
    reason: str


def supplement_request(events: Sequence[DossierEvent]) -> SupplementRequest | None:
    """The latest request for a supplement: what the centre asked for, in its words."""
    for event in reversed(events):
        if event.action == "request_supplement":
            payload = event.payload or {}
            return SupplementRequest(
                event.at,
                [str(i) for i in payload.get("items", [])],
                str(payload.get("reason", "")),
            )
    return None


def slip_kinds(events: Sequence[DossierEvent]) -> list[str]:
    """The slips the dossier has a reason for, as `slips.available_kinds` answers, from the
    events already read."""
    return kinds_for_actions({event.action for event in events})


# Why this due date (the breakdown `clock.explain_due` keeps on the dossier)

SKIP_LABELS: dict[str, Promise] = {
    "weekend": _("weekend"),
    "holiday": _("public holiday"),
    "declared_day_off": _("day off declared by the government"),
}
PAUSE_LABELS: dict[str, Promise] = {
    "supplement": _("while you completed the dossier"),
    "financial_obligation": _("while the fees were being paid"),
}


@dataclass(frozen=True)
class DueExplanation:
    received_at: str
    counted_from: str
    limit: str
    due: str
    skipped: list[tuple[str, str]]
    pauses: list[dict[str, str]]
    notes: list[str]


def _limit_text(limit: Mapping[str, Any]) -> str:
    published = str(limit.get("as_published") or "")
    value, unit = limit.get("value"), limit.get("unit")
    if value is None or unit is None:
        return published
    labels = {str(k): v for k, v in UNIT_LABELS.items()}
    counted = f"{value.removesuffix('.00').removesuffix('.0')} {labels.get(unit, unit)}"
    return f"{counted} ({published})" if published and published != counted else counted


def _day(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


def explain_due(explanation: Mapping[str, Any]) -> DueExplanation | None:
    """The breakdown in the page's words and Vietnamese date formats; None before acceptance."""
    if not explanation or not explanation.get("due"):
        if explanation.get("notes"):
            return DueExplanation("", "", "", "", [], [], [str(n) for n in explanation["notes"]])
        return None
    return DueExplanation(
        received_at=_moment(explanation.get("received_at")),
        counted_from=_moment(explanation.get("counted_from")),
        limit=_limit_text(explanation.get("limit") or {}),
        due=_moment(explanation["due"]),
        skipped=[
            (
                _day(str(day.get("date", ""))),
                day.get("name") or str(SKIP_LABELS.get(day.get("reason", ""), "")),
            )
            for day in explanation.get("skipped", [])
        ],
        pauses=[
            {
                "why": str(PAUSE_LABELS.get(pause.get("reason", ""), pause.get("reason", ""))),
                "from": _moment(pause.get("from")),
                "to": _moment(pause.get("to")),
                "new_due": _moment(pause.get("new_due")),
            }
            for pause in explanation.get("pauses", [])
        ],
        notes=[str(n) for n in explanation.get("notes", [])],
    )
