"""The internal process of a procedure: its default shape and the legal-limit check.

Pure functions over plain values; models and admin call them. The law fixes only the total
(the procedure's time limit); the province's decision on the internal process splits it into
steps (DOMAIN.md §2.1.7), and the split may never exceed the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext

from motcua.accounts.models import Role
from motcua.catalog.errors import ProcessInvalidError, ProcessOverBudgetError
from motcua.catalog.models.process import AgencySelector, StepKind
from motcua.worktime.limits import NOMINAL_DAY_HOURS
from motcua.worktime.limits import limit_in_working_hours as worktime_limit_in_working_hours

HOURS_PER_WORKING_DAY = NOMINAL_DAY_HOURS
HALF_HOUR = Decimal("0.5")


@dataclass(frozen=True)
class StepSpec:
    kind: str  # StepKind
    role: str  # accounts Role
    selector: str  # AgencySelector
    budget_hours: Decimal
    agency_code: str | None = None


@dataclass(frozen=True)
class TimeLimit:
    value: Decimal | None
    unit: str  # worktime.limits.TimeUnit value


def limit_in_working_hours(limit: TimeLimit) -> Decimal | None:
    """The legal limit as working hours, or None when none is published.

    The reading of each unit is `worktime.limits.limit_in_working_hours`'s, the same the dossier
    clock uses for the due date, so a process that fits here fits the citizen's appointment.
    """
    return worktime_limit_in_working_hours(limit.value, limit.unit)


def strictest_limit(limits: Iterable[TimeLimit]) -> Decimal | None:
    """The shortest limit among the channels: the process must fit every channel."""
    hours = [h for h in (limit_in_working_hours(limit) for limit in limits) if h is not None]
    return min(hours, default=None)


# Share of the limit per step of the "5 on-site" model; appraisal takes the remainder.
_SHARES: tuple[tuple[StepKind, Role, AgencySelector, Decimal], ...] = (
    (StepKind.RECEIVE, Role.RECEIVER, AgencySelector.RECEIVING_CENTRE, Decimal("0.05")),
    (StepKind.APPRAISE, Role.SPECIALIST, AgencySelector.COMPETENT_AGENCY, Decimal("0.60")),
    (StepKind.APPROVE, Role.LEADER, AgencySelector.COMPETENT_AGENCY, Decimal("0.15")),
    (StepKind.SIGN, Role.CLERK, AgencySelector.COMPETENT_AGENCY, Decimal("0.10")),
    (StepKind.RETURN, Role.RECEIVER, AgencySelector.RECEIVING_CENTRE, Decimal("0.10")),
)


def _round_half_hours(hours: Decimal) -> Decimal:
    return max((hours / HALF_HOUR).to_integral_value(rounding=ROUND_DOWN) * HALF_HOUR, HALF_HOUR)


def default_process(limit_hours: Decimal | None) -> list[StepSpec]:
    """The five steps with budgets split from the legal limit (in half-hours).

    For a same-day procedure (8 h) this gives 0.5 / 5.5 / 1 / 0.5 / 0.5 h. With no stated limit the
    steps carry a nominal one working day each, and the version is flagged for review elsewhere.
    """
    if limit_hours is None:
        return [StepSpec(k, r, s, HOURS_PER_WORKING_DAY) for k, r, s, _share in _SHARES]
    budgets = [_round_half_hours(limit_hours * share) for *_rest, share in _SHARES]
    total_others = sum(budgets) - budgets[1]
    budgets[1] = max(limit_hours - total_others, HALF_HOUR)
    if sum(budgets) > limit_hours:
        # Limits under 2.5 h cannot give every step half an hour; split evenly instead.
        even = limit_hours / len(_SHARES)
        budgets = [even] * len(_SHARES)
    return [
        StepSpec(kind, role, selector, budget)
        for (kind, role, selector, _share), budget in zip(_SHARES, budgets, strict=True)
    ]


def validate_process(steps: Sequence[StepSpec], limit_hours: Decimal | None) -> None:
    """Refuse a process that is empty, has a non-positive step, or exceeds the legal limit."""
    if not steps:
        raise ProcessInvalidError(gettext("it has no steps"))
    for position, step in enumerate(steps, start=1):
        if step.budget_hours <= 0:
            raise ProcessInvalidError(gettext("step {n} has no time budget").format(n=position))
        if step.selector == AgencySelector.NAMED_AGENCY and not step.agency_code:
            raise ProcessInvalidError(gettext("step {n} names no agency").format(n=position))
    total = sum((step.budget_hours for step in steps), Decimal(0))
    if limit_hours is not None and total > limit_hours:
        raise ProcessOverBudgetError(_fmt(total), _fmt(limit_hours))


def _fmt(hours: Decimal) -> str:
    return f"{hours.normalize():f}"
