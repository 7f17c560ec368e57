"""What each action does beyond its transition, by phase of the dossier's life."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from motcua.accounts.models import Official, Role, RoleMembership, User
from motcua.catalog.queries import effective_process
from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.dossiers import clock
from motcua.dossiers.errors import (
    DocumentsMissingError,
    RescheduleRefusedError,
)
from motcua.dossiers.models import (
    Dossier,
    DossierResult,
    DossierStep,
)
from motcua.dossiers.queries import missing_documents
from motcua.dossiers.workflow import (
    STEP_OF_STAGE,
    Action,
    Actor,
    Stage,
)
from motcua.units.models import Agency
from motcua.worktime.queries import get_calendar
from motcua.worktime.workcalendar import WorkCalendar

logger = logging.getLogger(__name__)


@dataclass
class Context:
    dossier: Dossier
    user: User
    actor: Actor
    now: dt.datetime
    params: dict[str, Any]
    payload: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Context], Stage | None]


def calendar_of(agency: Agency) -> WorkCalendar:
    return get_calendar(agency.id)


def require(ctx: Context, name: str) -> Any:
    value = ctx.params.get(name)
    if value in (None, "", []):
        raise InvalidInputError(name, gettext("this is required for this action."))
    return value


def _accept(ctx: Context) -> Stage:
    dossier = ctx.dossier
    missing = missing_documents(dossier)
    if missing:
        raise DocumentsMissingError(missing)
    version = dossier.procedure_version
    limit = clock.pick_limit(list(version.channels.all()), dossier.channel)
    calendar = calendar_of(dossier.receiving_agency)
    due, notes = clock.compute_due(ctx.now, limit, calendar, cutoff=version.cutoff_time)
    steps, is_default = effective_process(version)
    dossier.accepted_at = ctx.now
    dossier.counted_from = due.counted_from if due else ctx.now
    dossier.due_at = due.due if due else None
    dossier.due_date = due.due_date if due else None
    dossier.due_explanation = clock.explain_due(due, limit, notes)
    dossier.process_plan = [
        {"kind": s.kind, "role": s.role, "budget_hours": str(s.budget_hours), "default": is_default}
        for s in steps
    ]
    if due is None:
        dossier.flagged = [*dossier.flagged, "no_legal_time_limit"]
    DossierStep.objects.create(
        dossier=dossier,
        order=1,
        kind="receive",
        agency=dossier.receiving_agency,
        role="receiver",
        budget_hours=Decimal(0),
        started_at=dossier.submitted_at,
        finished_at=ctx.now,
        outcome="on_time",
    )
    dossier.current_agency = dossier.competent_agency
    ctx.payload = {"due_at": dossier.due_at.isoformat() if dossier.due_at else None}
    return Stage.APPRAISING


def _refuse(ctx: Context) -> Stage:
    ctx.payload = {"reason": require(ctx, "reason")}
    ctx.dossier.finished_at = ctx.now
    return Stage.REFUSED


def _request_supplement(ctx: Context) -> Stage:
    items = require(ctx, "items")
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise InvalidInputError("items", gettext("list every missing document, in writing."))
    dossier = ctx.dossier
    dossier.supplement_count += 1
    if dossier.supplement_count > 1:
        # Decision 766 counts a second supplement request as overdue (DOMAIN §2.5).
        dossier.flagged = [*dossier.flagged, "more_than_one_supplement_request"]
    dossier.resume_stage = dossier.stage
    if dossier.accepted_at is not None:
        dossier.paused_at = ctx.now
    ctx.payload = {"items": items, "reason": ctx.params.get("reason", "")}
    return Stage.SUPPLEMENT_REQUESTED


def _supplement(ctx: Context) -> Stage:
    ctx.payload = {"note": ctx.params.get("note", "")}
    return Stage.SUPPLEMENT_RECEIVED


def _resume(ctx: Context, reason: str) -> None:
    dossier = ctx.dossier
    if dossier.paused_at is None or dossier.due_at is None:
        return
    calendar = calendar_of(dossier.receiving_agency)
    new_due = clock.resume_due(dossier.due_at, dossier.paused_at, ctx.now, calendar)
    # Written in legal time like the rest of the explanation, which the API shows as stored.
    pause = {
        "reason": reason,
        "from": calendar.local(dossier.paused_at).isoformat(),
        "to": calendar.local(ctx.now).isoformat(),
        "previous_due": calendar.local(dossier.due_at).isoformat(),
        "new_due": calendar.local(new_due).isoformat(),
    }
    explanation = dict(dossier.due_explanation)
    explanation["pauses"] = [*explanation.get("pauses", []), pause]
    dossier.due_explanation = explanation
    dossier.previous_due_at = dossier.due_at
    dossier.due_at = new_due
    dossier.due_date = calendar.local(new_due).date()
    dossier.paused_at = None
    ctx.payload = pause


def _accept_supplement(ctx: Context) -> Stage:
    dossier = ctx.dossier
    back = Stage(dossier.resume_stage or Stage.SUBMITTED)
    if back == Stage.SUBMITTED:
        missing = missing_documents(dossier)
        if missing:
            raise DocumentsMissingError(missing)
    _resume(ctx, "supplement")
    dossier.resume_stage = ""
    ctx.payload["restart_step"] = back in STEP_OF_STAGE
    return back


def _assign(ctx: Context) -> None:
    username = require(ctx, "assignee")
    official = Official.objects.filter(user__username=username).first()
    if (
        official is None
        or not RoleMembership.objects.filter(
            official=official, agency=ctx.dossier.current_agency, role=Role.SPECIALIST
        ).exists()
    ):
        raise InvalidInputError(
            "assignee",
            gettext("the assignee must be a specialist of the agency holding the dossier."),
        )
    ctx.dossier.assignee = official
    ctx.payload = {"assignee": username}


def _transfer(ctx: Context) -> Stage:
    code = require(ctx, "agency")
    target = Agency.objects.filter(code=code, is_active=True).first()
    if target is None:
        raise NotFoundError(gettext("agency"), code)
    if target.id == ctx.dossier.current_agency_id:
        raise InvalidInputError("agency", gettext("the dossier is already at this agency."))
    ctx.dossier.current_agency = target
    ctx.dossier.assignee = None
    ctx.payload = {"to": code}
    return Stage.INTER_AGENCY


def _return_from_transfer(ctx: Context) -> Stage:
    ctx.payload = {"from": ctx.dossier.current_agency.code}
    ctx.dossier.current_agency = ctx.dossier.competent_agency
    # The other agency's assignee must not keep the dossier (and sight of it) once it is back.
    ctx.dossier.assignee = None
    return Stage.APPRAISING


def _forward(target: Stage) -> Handler:
    def handler(ctx: Context) -> Stage:
        return target

    return handler


def _return_to_previous(ctx: Context) -> Stage:
    require(ctx, "reason")
    ctx.payload = {"reason": ctx.params["reason"], "restart_step": True}
    if ctx.dossier.stage == Stage.AWAITING_APPROVAL:
        return Stage.APPRAISING
    return Stage.AWAITING_APPROVAL


def _issue_result(ctx: Context) -> Stage:
    dossier = ctx.dossier
    number = dossier.results.count() + 1
    name = ctx.params.get("name") or next(
        iter(dossier.procedure_version.results.values_list("name", flat=True)), gettext("Result")
    )
    result = DossierResult.objects.create(
        dossier=dossier,
        code=f"{dossier.code}-KQ{number}",
        name=str(name)[:500],
        document_number=str(ctx.params.get("document_number", ""))[:100],
        issued_at=ctx.now,
    )
    dossier.finished_at = ctx.now
    dossier.outcome = clock.outcome(ctx.now, dossier.due_at, calendar_of(dossier.receiving_agency))
    dossier.current_agency = dossier.receiving_agency
    ctx.payload = {"result": result.code, "outcome": dossier.outcome}
    return Stage.RESULT_READY


def _return_result(ctx: Context) -> Stage:
    ctx.dossier.returned_at = ctx.now
    ctx.payload = {"delivery": ctx.dossier.delivery_method}
    return Stage.RETURNED


def _request_payment(ctx: Context) -> Stage:
    amount = require(ctx, "amount_vnd")
    if not isinstance(amount, int) or amount <= 0:
        raise InvalidInputError("amount_vnd", gettext("a positive amount in đồng."))
    ctx.dossier.resume_stage = ctx.dossier.stage
    ctx.dossier.paused_at = ctx.now
    ctx.payload = {"amount_vnd": amount}
    return Stage.AWAITING_PAYMENT


def _confirm_payment(ctx: Context) -> Stage:
    _resume(ctx, "financial_obligation")
    ctx.dossier.resume_stage = ""
    return Stage.APPRAISING


def _request_withdrawal(ctx: Context) -> Stage:
    ctx.payload = {"reason": ctx.params.get("reason", ""), "was": ctx.dossier.stage}
    return Stage.WITHDRAWAL_REQUESTED


def _stop(ctx: Context) -> Stage:
    ctx.payload = {"reason": require(ctx, "reason")}
    ctx.dossier.finished_at = ctx.now
    ctx.dossier.paused_at = None
    return Stage.STOPPED


def _reschedule(ctx: Context) -> None:
    """One new date after an apology (Decree 61/2018, DOMAIN §1.4); a second is refused."""
    dossier = ctx.dossier
    reason = require(ctx, "reason")
    raw = require(ctx, "new_due")
    try:
        new_due = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInputError("new_due", gettext("an ISO 8601 date-time.")) from None
    calendar = calendar_of(dossier.receiving_agency)
    if new_due.tzinfo is None:
        new_due = new_due.replace(tzinfo=calendar.tz)
    if dossier.reschedule_count >= 1:
        raise RescheduleRefusedError(dossier.code)
    if dossier.due_at is None or new_due <= dossier.due_at:
        raise InvalidInputError("new_due", gettext("the new date must be after the due date."))
    dossier.reschedule_count += 1
    dossier.previous_due_at = dossier.due_at
    dossier.due_at = new_due
    dossier.due_date = calendar.local(new_due).date()
    ctx.payload = {
        "reason": reason,
        "previous_due": dossier.previous_due_at.isoformat(),
        "new_due": new_due.isoformat(),
    }


HANDLERS: dict[Action, Handler] = {
    Action.ACCEPT: _accept,
    Action.REFUSE: _refuse,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT: _supplement,
    Action.ACCEPT_SUPPLEMENT: _accept_supplement,
    Action.ASSIGN: _assign,
    Action.TRANSFER: _transfer,
    Action.RETURN_FROM_TRANSFER: _return_from_transfer,
    Action.APPRAISE: _forward(Stage.AWAITING_APPROVAL),
    Action.RETURN_TO_PREVIOUS: _return_to_previous,
    Action.APPROVE: _forward(Stage.AWAITING_SIGNATURE),
    Action.SIGN: _forward(Stage.SIGNED),
    Action.ISSUE_RESULT: _issue_result,
    Action.RETURN_RESULT: _return_result,
    Action.REQUEST_PAYMENT: _request_payment,
    Action.CONFIRM_PAYMENT: _confirm_payment,
    Action.REQUEST_WITHDRAWAL: _request_withdrawal,
    Action.STOP: _stop,
    Action.RESCHEDULE: _reschedule,
}
