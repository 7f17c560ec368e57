"""Reads of the catalogue for pages and the API."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from motcua.catalog.models import (
    Channel,
    ChannelKind,
    Procedure,
    ProcedureField,
    ProcedureOffering,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.process import StepSpec, TimeLimit, default_process, strictest_limit
from motcua.common.errors import NotFoundError


def get_procedure_by_code(code: str) -> Procedure:
    """A published procedure with everything its page shows, by national or local code.

    A local code (`1.004194.000.00.00.H08`) resolves to its national procedure.
    """
    national = code.partition(".000.00.00.")[0]
    procedure = (
        Procedure.objects.filter(national_code=national, current__isnull=False)
        .select_related("field", "current", "current__field")
        .prefetch_related(
            "current__channels",
            "current__documents",
            "current__results",
            "current__legal_basis",
            Prefetch(
                "current__process_steps", queryset=ProcessStep.objects.select_related("agency")
            ),
            Prefetch(
                "offerings",
                queryset=ProcedureOffering.objects.select_related("competent_agency").filter(
                    is_active=True
                ),
            ),
        )
        .first()
    )
    if procedure is None:
        raise NotFoundError(gettext("procedure"), code)
    return procedure


def list_fields() -> QuerySet[ProcedureField]:
    return (
        ProcedureField.objects.filter(procedures__current__isnull=False).distinct().order_by("name")
    )


def legal_limit_hours(version: ProcedureVersion) -> Decimal | None:
    """The strictest channel limit of the version, in working hours (None if unstated)."""
    return strictest_limit(
        TimeLimit(channel.time_value, channel.time_unit) for channel in version.channels.all()
    )


def configured_steps(version: ProcedureVersion) -> list[StepSpec]:
    """The process steps configured for the version (empty: none configured)."""
    return [
        StepSpec(
            step.kind,
            step.role,
            step.selector,
            step.budget_hours,
            step.agency.code if step.agency else None,
        )
        for step in version.process_steps.all()
    ]


def effective_process(version: ProcedureVersion) -> tuple[list[StepSpec], bool]:
    """The configured steps, or the default derived from the legal limit (flag: is default)."""
    steps = configured_steps(version)
    if steps:
        return steps, False
    return default_process(legal_limit_hours(version)), True


def summary_channel(channels: Sequence[Channel]) -> Channel | None:
    """The counter channel when there is one (where most people go), else the first: the one
    whose time limit and fees a list or a summary shows."""
    return next((c for c in channels if c.kind == ChannelKind.COUNTER), None) or next(
        iter(channels), None
    )
