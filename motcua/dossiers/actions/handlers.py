"""What each action does beyond its transition, by phase of the dossier's life.

The engine moves the dossier to the transition's target itself (workflow.TRANSITIONS); a handler
exists only for the extra work — the due date at acceptance, the pause and resumption of the
clock, the result, the one new date — and returns a stage only where the table leaves the target
to it (None in the table: accept_supplement, return_to_previous). Actions with no extra work
(appraise, approve, sign) have no handler.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext

from motcua.accounts.models import Role
from motcua.catalog.models import StepKind
from motcua.catalog.queries import effective_process
from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.dossiers import clock
from motcua.dossiers.actions.context import ActionContext
from motcua.dossiers.actions.params import (
    MAX_AMOUNT_VND,
    MAX_SUPPLEMENT_ITEM_LENGTH,
    MAX_SUPPLEMENT_ITEMS,
    assignable_specialists,
    transfer_targets,
)
from motcua.dossiers.errors import DocumentsMissingError, RescheduleRefusedError
from motcua.dossiers.models import DossierResult, DossierStep
from motcua.dossiers.queries import keep_related, missing_documents
from motcua.dossiers.workflow import STEP_OF_STAGE, Action, Stage

Handler = Callable[[ActionContext], Stage | None]

# The limits live with the declaration of each action's params (actions.params), which the
# engine checks before a handler runs; these names stay for the API's schema.
__all__ = ["HANDLERS", "MAX_AMOUNT_VND", "MAX_SUPPLEMENT_ITEMS", "MAX_SUPPLEMENT_ITEM_LENGTH"]


# Intake at the counter


def _accept(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    missing = missing_documents(dossier)
    if missing:
        raise DocumentsMissingError(missing)
    version = dossier.procedure_version
    limit = clock.pick_limit(list(version.channels.all()), dossier.channel)
    due, notes = clock.compute_due(
        ctx.now, limit, ctx.receiving_calendar, cutoff=version.cutoff_time
    )
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
    ctx.new_steps.append(
        DossierStep(
            dossier=dossier,
            order=1,
            kind=StepKind.RECEIVE,
            agency_id=dossier.receiving_agency_id,
            role=Role.RECEIVER,
            budget_hours=Decimal(0),
            started_at=dossier.submitted_at,
            finished_at=ctx.now,
            outcome="on_time",
        )
    )
    dossier.current_agency = dossier.competent_agency
    ctx.payload = {"due_at": dossier.due_at.isoformat() if dossier.due_at else None}


def _refuse(ctx: ActionContext) -> None:
    ctx.payload = {"reason": ctx.params["reason"]}
    ctx.dossier.finished_at = ctx.now


# Pauses for the applicant: supplements and payments (the clock stops, DOMAIN §2.3)


def _request_supplement(ctx: ActionContext) -> None:
    items = ctx.params["items"]
    dossier = ctx.dossier
    dossier.supplement_count += 1
    if dossier.supplement_count > 1:
        # Decision 766 counts a second supplement request as overdue (DOMAIN §2.5).
        dossier.flagged = [*dossier.flagged, "more_than_one_supplement_request"]
    dossier.resume_stage = dossier.stage
    if dossier.accepted_at is not None:
        dossier.paused_at = ctx.now
    ctx.payload = {"items": items, "reason": ctx.params.get("reason", "")}


def _supplement(ctx: ActionContext) -> None:
    ctx.payload = {"note": ctx.params.get("note", "")}


def _resume(ctx: ActionContext, reason: str) -> None:
    dossier = ctx.dossier
    if dossier.paused_at is None or dossier.due_at is None:
        return
    calendar = ctx.receiving_calendar
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


def _accept_supplement(ctx: ActionContext) -> Stage:
    dossier = ctx.dossier
    back = Stage(dossier.resume_stage or Stage.SUBMITTED)
    if back == Stage.SUBMITTED:
        missing = missing_documents(dossier)
        if missing:
            raise DocumentsMissingError(missing)
    _resume(ctx, "supplement")
    dossier.resume_stage = ""
    ctx.restart_step = back in STEP_OF_STAGE
    return back


def _request_payment(ctx: ActionContext) -> None:
    amount = ctx.params["amount_vnd"]
    ctx.dossier.resume_stage = ctx.dossier.stage
    ctx.dossier.paused_at = ctx.now
    ctx.payload = {"amount_vnd": amount}


def _confirm_payment(ctx: ActionContext) -> None:
    _resume(ctx, "financial_obligation")
    ctx.dossier.resume_stage = ""


# Processing at the competent agency


def _assign(ctx: ActionContext) -> None:
    username = ctx.params["assignee"]
    official = assignable_specialists(ctx.dossier).filter(user__username=username).first()
    if official is None:
        raise InvalidInputError(
            "assignee",
            gettext("the assignee must be a specialist of the agency holding the dossier."),
        )
    ctx.dossier.assignee = official
    ctx.payload = {"assignee": username}


def _transfer(ctx: ActionContext) -> None:
    code = ctx.params["agency"]
    target = transfer_targets(ctx.dossier).filter(code=code).first()
    if target is None:
        if code == ctx.dossier.current_agency.code:
            raise InvalidInputError("agency", gettext("the dossier is already at this agency."))
        raise NotFoundError(gettext("agency"), code)
    ctx.dossier.current_agency = target
    ctx.dossier.assignee = None
    ctx.payload = {"to": code}


def _return_from_transfer(ctx: ActionContext) -> None:
    ctx.payload = {"from": ctx.dossier.current_agency.code}
    ctx.dossier.current_agency = ctx.dossier.competent_agency
    # The other agency's assignee must not keep the dossier (and sight of it) once it is back.
    ctx.dossier.assignee = None


def _return_to_previous(ctx: ActionContext) -> Stage:
    ctx.payload = {"reason": ctx.params["reason"]}
    ctx.restart_step = True
    if ctx.dossier.stage == Stage.AWAITING_APPROVAL:
        return Stage.APPRAISING
    return Stage.AWAITING_APPROVAL


# The result


def _issue_result(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    number = len(dossier.results.all()) + 1
    name = ctx.params.get("name") or next(
        (r.name for r in dossier.procedure_version.results.all()), gettext("Result")
    )
    result = DossierResult.objects.create(
        dossier=dossier,
        code=f"{dossier.code}-KQ{number}",
        name=str(name)[:500],
        document_number=str(ctx.params.get("document_number", ""))[:100],
        file_sha256=ctx.params.get("file", ""),
        issued_at=ctx.now,
    )
    dossier.finished_at = ctx.now
    dossier.outcome = clock.outcome(ctx.now, dossier.due_at, ctx.receiving_calendar)
    dossier.current_agency = dossier.receiving_agency
    keep_related(dossier, "results", [*dossier.results.all(), result])
    ctx.payload = {"result": result.code, "outcome": dossier.outcome}


def _return_result(ctx: ActionContext) -> None:
    ctx.dossier.returned_at = ctx.now
    ctx.payload = {"delivery": ctx.dossier.delivery_method}


# Closing early, and the one new date


def _request_withdrawal(ctx: ActionContext) -> None:
    ctx.payload = {"reason": ctx.params.get("reason", ""), "was": ctx.dossier.stage}


def _stop(ctx: ActionContext) -> None:
    ctx.payload = {"reason": ctx.params["reason"]}
    ctx.dossier.finished_at = ctx.now
    ctx.dossier.paused_at = None


def _reschedule(ctx: ActionContext) -> None:
    """One new date after an apology (Decree 61/2018, DOMAIN §1.4); a second is refused."""
    dossier = ctx.dossier
    reason = ctx.params["reason"]
    new_due = ctx.params["new_due"]
    calendar = ctx.receiving_calendar
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
    Action.REQUEST_PAYMENT: _request_payment,
    Action.CONFIRM_PAYMENT: _confirm_payment,
    Action.ASSIGN: _assign,
    Action.TRANSFER: _transfer,
    Action.RETURN_FROM_TRANSFER: _return_from_transfer,
    Action.RETURN_TO_PREVIOUS: _return_to_previous,
    Action.ISSUE_RESULT: _issue_result,
    Action.RETURN_RESULT: _return_result,
    Action.REQUEST_WITHDRAWAL: _request_withdrawal,
    Action.STOP: _stop,
    Action.RESCHEDULE: _reschedule,
}
