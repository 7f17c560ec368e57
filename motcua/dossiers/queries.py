"""Reads of dossiers: lists, reloads, the clock state, read logging."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers import clock
from motcua.dossiers.access import actors_for
from motcua.dossiers.models import Dossier, DossierRead
from motcua.dossiers.workflow import PAUSED_STAGES, TERMINAL_STAGES, Stage, actions_from
from motcua.worktime.queries import get_calendar

PAGE_SIZE = 50


def reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_related(
        "procedure",
        "procedure_version",
        "receiving_agency",
        "competent_agency",
        "current_agency",
        "assignee__user",
    ).get(id=dossier.id)


def filter_dossiers(
    dossiers: QuerySet[Dossier],
    *,
    status: int | None = None,
    stage: str | None = None,
    due_before: dt.datetime | None = None,
) -> QuerySet[Dossier]:
    if status is not None:
        dossiers = dossiers.filter(status=status)
    if stage:
        dossiers = dossiers.filter(stage=stage)
    if due_before is not None:
        dossiers = dossiers.filter(due_at__lt=due_before)
    return dossiers.select_related("procedure", "assignee__user").order_by("-submitted_at", "-id")


def clock_of(dossier: Dossier, now: dt.datetime) -> str | None:
    """in_time / at_risk / overdue / paused for an open dossier; None once it is finished."""
    stage = Stage(dossier.stage)
    if stage in TERMINAL_STAGES or dossier.finished_at is not None or dossier.accepted_at is None:
        return None
    state = clock.clock_state(
        now,
        dossier.due_at,
        get_calendar(dossier.receiving_agency_id),
        paused=stage in PAUSED_STAGES,
    )
    return state.value if state else None


def log_read(dossier: Dossier, user: User, *, via: str) -> None:
    """Officials' reads are kept: who looked at whose dossier, and when."""
    DossierRead.objects.create(dossier=dossier, user=user, at=timezone.now(), via=via)


def missing_documents(dossier: Dossier) -> list[str]:
    """Required documents with no upload, among those to hand in (RequiredDocument.to_hand_in).
    Case-specific groups and documents to present are checked by the officer, not here."""
    uploaded = set(
        dossier.documents.exclude(requirement=None).values_list("requirement_id", flat=True)
    )
    return [
        requirement.name[:120]
        for requirement in dossier.procedure_version.documents.all()
        if requirement.to_hand_in and requirement.id not in uploaded
    ]


def next_actions(dossier: Dossier, user: User) -> list[str]:
    """What `user` may do on `dossier` now (the server decides; clients only display)."""
    return [
        a.value
        for a in actions_from(
            Stage(dossier.stage),
            actors_for(user, dossier),
            accepted=dossier.accepted_at is not None,
        )
    ]
