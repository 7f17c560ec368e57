"""Applying an action to a dossier: lock, check, transition, clock, record (one transaction)."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.models import User
from motcua.common.errors import InvalidInputError
from motcua.dossiers import clock
from motcua.dossiers.access import actors_for
from motcua.dossiers.actions.handlers import HANDLERS, Context, calendar_of
from motcua.dossiers.actions.records import record_change
from motcua.dossiers.errors import (
    ActionNotAllowedError,
    ConflictError,
    NotPermittedError,
    RescheduleRefusedError,
)
from motcua.dossiers.models import (
    Dossier,
    DossierStep,
)
from motcua.dossiers.workflow import (
    ROLE_OF_STEP,
    STATUS_OF,
    STEP_OF_STAGE,
    Action,
    Stage,
    find_transition,
    transitions_for,
)

logger = logging.getLogger(__name__)


def do_act_on_dossier(
    dossier_id: int,
    action: str,
    *,
    acting_user: User,
    expected_version: int | None = None,
    comment: str = "",
    params: dict[str, Any] | None = None,
) -> Dossier:
    """Apply `action` to the dossier. See the module docstring for the checks and records.

    Locks the dossier row (SELECT … FOR NO KEY UPDATE on PostgreSQL; SQLite serialises writers).
    Raises ConflictError, NotPermittedError, ActionNotAllowedError, InvalidInputError,
    DocumentsMissingError, RescheduleRefusedError (after recording the refused attempt).
    """
    try:
        chosen = Action(action)
    except ValueError:
        raise InvalidInputError(
            "action", gettext("unknown action {action}.").format(action=action)
        ) from None
    with transaction.atomic(durable=True):
        dossier, refused = apply_action(
            dossier_id,
            chosen,
            acting_user=acting_user,
            expected_version=expected_version,
            comment=comment,
            params=params,
        )
    if refused is not None:
        raise refused
    return dossier


def apply_action(
    dossier_id: int,
    chosen: Action,
    *,
    acting_user: User,
    expected_version: int | None = None,
    comment: str = "",
    params: dict[str, Any] | None = None,
) -> tuple[Dossier, RescheduleRefusedError | None]:
    """The body of `do_act_on_dossier`, for actions of other modules that act on a dossier
    inside their own transaction (a plain atomic block). A refused reschedule is recorded and
    returned, not raised, so that the record commits with the caller's transaction."""
    refused: RescheduleRefusedError | None = None
    with transaction.atomic():
        dossier = (
            # Lock the dossier row only; the joined rows are read, not locked.
            Dossier.objects.select_for_update(no_key=True, of=("self",))
            .select_related(
                "procedure",
                "procedure_version",
                "receiving_agency",
                "competent_agency",
                "current_agency",
                "applicant_citizen",
                "applicant_business",
            )
            .get(id=dossier_id)
        )
        if expected_version is not None and dossier.row_version != expected_version:
            raise ConflictError(expected_version, dossier.row_version)
        stage = Stage(dossier.stage)
        mine = actors_for(acting_user, dossier)
        transition = find_transition(chosen, stage, accepted=dossier.accepted_at is not None)
        if transition is None:
            # Not open at this stage: say so to those who could ever take it, else 403.
            if not any(t.actors & mine for t in transitions_for(chosen)):
                raise NotPermittedError(chosen.value)
            raise ActionNotAllowedError(chosen.value, stage.value)
        actors = mine & transition.actors
        if not actors:
            raise NotPermittedError(chosen.value)
        ctx = Context(dossier, acting_user, sorted(actors)[0], timezone.now(), params or {})
        try:
            target = HANDLERS[chosen](ctx)
        except RescheduleRefusedError as exc:
            # The law allows one new date; the attempt is refused but kept on record.
            dossier.flagged = [*dossier.flagged, "second_reschedule_refused"]
            record_change(
                dossier,
                "reschedule_refused",
                user=acting_user,
                actor=ctx.actor,
                from_stage=stage,
                from_status=dossier.status,
                now=ctx.now,
                comment=comment,
                payload=ctx.params,
            )
            refused = exc
        else:
            new_stage = target if target is not None else stage
            _move(ctx, stage, new_stage)
            record_change(
                dossier,
                chosen.value,
                user=acting_user,
                actor=ctx.actor,
                from_stage=stage,
                from_status=STATUS_OF[stage],
                now=ctx.now,
                comment=comment,
                payload=ctx.payload,
            )
    return dossier, refused


def _move(ctx: Context, old: Stage, new: Stage) -> None:
    dossier = ctx.dossier
    dossier.stage = new
    dossier.status = STATUS_OF[new]
    old_step, new_step = STEP_OF_STAGE.get(old), STEP_OF_STAGE.get(new)
    if old_step != new_step or ctx.payload.get("restart_step"):
        if old_step:
            _finish_step(ctx)
        if new_step:
            _start_step(ctx, new_step)


def _start_step(ctx: Context, kind: str) -> None:
    dossier = ctx.dossier
    plan = {step["kind"]: step for step in dossier.process_plan}
    budget = Decimal(plan.get(kind, {}).get("budget_hours", "8"))
    calendar = calendar_of(dossier.current_agency)
    DossierStep.objects.create(
        dossier=dossier,
        order=len(dossier.process_plan)
        and next((i for i, s in enumerate(dossier.process_plan, start=1) if s["kind"] == kind), 0),
        kind=kind,
        agency=dossier.current_agency,
        role=ROLE_OF_STEP.get(kind, ""),
        assignee=dossier.assignee if kind == "appraise" else None,
        budget_hours=budget,
        started_at=ctx.now,
        due_at=clock.step_due(ctx.now, budget, calendar),
    )


def _finish_step(ctx: Context) -> None:
    step = ctx.dossier.steps.filter(finished_at__isnull=True).order_by("-id").first()
    if step is None:
        return
    step.finished_at = ctx.now
    step.outcome = clock.outcome(ctx.now, step.due_at, calendar_of(step.agency))
    step.save(update_fields=["finished_at", "outcome"])
