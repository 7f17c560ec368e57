"""The step clock: each step of the process ("5 on-site") as the dossier goes through it.

A step starts when the dossier enters its stage, with a due time from its budget in the plan
kept at acceptance, and ends when the work moves on — then it counts early, on time or late
(Circular 01/2018 art. 13, by day). A step cut short by a pause for the applicant (supplement,
payment), a withdrawal or a stop has not been finished early: it is marked interrupted, with no
outcome, and when the clock resumes a new row of the same kind continues with the time it had
left, so only the real end counts on the process-control slip.
"""

from __future__ import annotations

from decimal import Decimal

from motcua.catalog.models import StepKind
from motcua.dossiers import clock
from motcua.dossiers.actions.context import ActionContext
from motcua.dossiers.models import DossierStep
from motcua.dossiers.queries import keep_related
from motcua.dossiers.workflow import INTERRUPTING_STAGES, ROLE_OF_STEP, STEP_OF_STAGE, Stage

DEFAULT_BUDGET_HOURS = Decimal(8)


def move(ctx: ActionContext, old: Stage, new: Stage) -> None:
    """End the step of `old` and start the step of `new` when the stage changes step."""
    old_step, new_step = STEP_OF_STAGE.get(old), STEP_OF_STAGE.get(new)
    if old_step == new_step and not ctx.restart_step:
        return
    if old_step:
        finish_open_step(ctx, interrupted=new in INTERRUPTING_STAGES)
    if new_step:
        start_step(ctx, new_step)


def _steps(ctx: ActionContext) -> list[DossierStep]:
    return [*ctx.dossier.steps.all(), *ctx.new_steps]


def finish_open_step(ctx: ActionContext, *, interrupted: bool) -> None:
    step = next((s for s in reversed(_steps(ctx)) if s.finished_at is None), None)
    if step is None:
        return
    step.finished_at = ctx.now
    step.interrupted = interrupted
    step.outcome = (
        "" if interrupted else clock.outcome(ctx.now, step.due_at, ctx.calendar(step.agency_id))
    )
    if step.pk is not None:
        step.save(update_fields=["finished_at", "outcome", "interrupted"])


def start_step(ctx: ActionContext, kind: str) -> None:
    dossier = ctx.dossier
    plan = dossier.process_plan
    budget = Decimal(
        next((s["budget_hours"] for s in plan if s["kind"] == kind), DEFAULT_BUDGET_HOURS)
    )
    order = next((i for i, s in enumerate(plan, start=1) if s["kind"] == kind), 0)
    calendar = ctx.calendar(dossier.current_agency_id)
    last = next((s for s in reversed(_steps(ctx)) if s.kind == kind), None)
    if last is not None and last.interrupted and last.due_at and last.finished_at:
        # The same step, resumed: the time it had left at the pause, from now.
        due = clock.resume_due(last.due_at, last.finished_at, ctx.now, calendar)
    else:
        due = clock.step_due(ctx.now, budget, calendar)
    ctx.new_steps.append(
        DossierStep(
            dossier=dossier,
            order=order,
            kind=kind,
            agency_id=dossier.current_agency_id,
            role=ROLE_OF_STEP.get(kind, ""),
            assignee_id=dossier.assignee_id if kind == StepKind.APPRAISE else None,
            budget_hours=budget,
            started_at=ctx.now,
            due_at=due,
        )
    )


def save_new_steps(ctx: ActionContext) -> None:
    """Insert the steps the action started (one statement) and keep them with the dossier's."""
    if not ctx.new_steps:
        return
    existing = list(ctx.dossier.steps.all())
    DossierStep.objects.bulk_create(ctx.new_steps)
    keep_related(ctx.dossier, "steps", [*existing, *ctx.new_steps])
    ctx.new_steps = []
