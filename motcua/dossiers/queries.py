"""Reads of dossiers: lists, the clock state, next actions, missing documents, read logging.

A dossier row is loaded alone (with its applicant's profile); what it points to is attached from
what each process keeps — the published procedure version (`catalog.rules`) and the agencies
(`units.queries.get_agencies`) — so `dossier.procedure_version.documents.all()` or
`dossier.current_agency.code` cost no query and the database plans a one-table read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from motcua.accounts.viewer import Viewer
from motcua.catalog.models import RequiredDocument
from motcua.catalog.rules import version_rules
from motcua.common.prepared import PreparedRead
from motcua.dossiers import clock
from motcua.dossiers.access import open_actions
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierRead,
    DossierResult,
    DossierStep,
)
from motcua.dossiers.workflow import (
    PAUSED_STAGES,
    RESULT_STAGES,
    TERMINAL_STAGES,
    Stage,
)
from motcua.units.queries import get_agencies
from motcua.worktime.queries import CalendarBook

PAGE_SIZE = 50
_AGENCY_FIELDS = ("receiving_agency", "competent_agency", "current_agency")


def with_rules(dossier: Dossier) -> Dossier:
    """Attach the dossier's procedure version, procedure and agencies from the process's kept
    copies (see the module docstring)."""
    return with_rules_all([dossier])[0]


def with_rules_all(dossiers: Sequence[Dossier]) -> Sequence[Dossier]:
    agencies = get_agencies(
        {
            getattr(d, f"{name}_id")
            for d in dossiers
            for name in _AGENCY_FIELDS
            if not getattr(Dossier, name).field.is_cached(d)
        }
    )
    for dossier in dossiers:
        version = version_rules(dossier.procedure_version_id)
        Dossier.procedure_version.field.set_cached_value(dossier, version)
        Dossier.procedure.field.set_cached_value(dossier, version.procedure)
        for name in _AGENCY_FIELDS:
            field = getattr(Dossier, name).field
            if not field.is_cached(dossier):
                field.set_cached_value(dossier, agencies[getattr(dossier, f"{name}_id")])
    return dossiers


def keep_related(instance: Model, name: str, objects: Iterable[Model]) -> None:
    """Make `instance.<name>.all()` answer `objects` without a query, as prefetch_related
    would: the engine already holds the rows it just read or wrote."""
    manager = getattr(instance, name)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    key = _cache_key(manager)
    cache.pop(key, None)
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    cache[key] = queryset


def _cache_key(manager: Any) -> str:
    # Reverse foreign keys (steps, documents, results) keep their rows under the relation's
    # cache name, as prefetch_related does.
    return str(manager.field.remote_field.cache_name)


def _children(model: type[Model], *order: str) -> PreparedRead[Any]:
    return PreparedRead(
        lambda dossier_id: model.objects.filter(dossier_id=dossier_id).order_by(*order)  # type: ignore[attr-defined]
    )


# A dossier's lists, read by nearly every request on it: compiled once per connection.
_STEPS = _children(DossierStep, "order", "id")
_DOCUMENTS = _children(DossierDocument, "id")
_RESULTS = _children(DossierResult, "id")


def _read_children(dossier: Dossier, read: PreparedRead[Any]) -> list[Any]:
    """The rows, each knowing its dossier as `dossier.steps.all()` would have made them."""
    rows = read(dossier.id)
    for row in rows:
        type(row).dossier.field.set_cached_value(row, dossier)
    return rows


def read_steps(dossier: Dossier) -> list[DossierStep]:
    """The dossier's steps in order, as `dossier.steps.order_by("order", "id")` reads them."""
    return _read_children(dossier, _STEPS)


def load_related(dossier: Dossier) -> Dossier:
    """Read the steps, documents and results a dossier page shows (steps once accepted, results
    once a result may exist), so the page and the engine read each list once."""
    if not _prefetched(dossier, "steps"):
        # Steps start at acceptance (the receipt step is written then).
        accepted = dossier.accepted_at is not None
        keep_related(dossier, "steps", _read_children(dossier, _STEPS) if accepted else [])
    if not _prefetched(dossier, "documents"):
        keep_related(dossier, "documents", _read_children(dossier, _DOCUMENTS))
    if not _prefetched(dossier, "results"):
        has_results = Stage(dossier.stage) in RESULT_STAGES
        keep_related(dossier, "results", _read_children(dossier, _RESULTS) if has_results else [])
    return dossier


def _prefetched(instance: Model, name: str) -> bool:
    cache: dict[str, Any] = getattr(instance, "_prefetched_objects_cache", {})
    return _cache_key(getattr(instance, name)) in cache


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
    return dossiers.select_related("assignee__user").order_by("-submitted_at", "-id")


def clock_of(dossier: Dossier, now: dt.datetime, book: CalendarBook | None = None) -> str | None:
    """in_time / at_risk / overdue / paused for an open dossier; None once it is finished."""
    stage = Stage(dossier.stage)
    if stage in TERMINAL_STAGES or dossier.finished_at is not None or dossier.accepted_at is None:
        return None
    state = clock.clock_state(
        now,
        dossier.due_at,
        (book or CalendarBook()).of(dossier.receiving_agency_id),
        paused=stage in PAUSED_STAGES,
    )
    return state.value if state else None


def next_actions(dossier: Dossier, viewer: Viewer, at: dt.datetime | None = None) -> list[str]:
    """What `viewer` may do on `dossier` now, or at `at` (the server decides; clients only
    display): what their roles open and what a delegation in force lends them."""
    return [a.value for a in open_actions(viewer, dossier, at or timezone.now())]


def missing_requirements(dossier: Dossier) -> list[RequiredDocument]:
    """The documents to hand in (RequiredDocument.to_hand_in) that no upload answers yet, in
    the procedure's order. Case-specific groups and documents to present are checked by the
    officer, not here."""
    uploaded = {d.requirement_id for d in dossier.documents.all() if d.requirement_id}
    return [
        requirement
        for requirement in dossier.procedure_version.documents.all()
        if requirement.to_hand_in and requirement.id not in uploaded
    ]


def missing_documents(dossier: Dossier) -> list[str]:
    """The names of the missing documents, as the completeness error lists them."""
    return [requirement.name[:120] for requirement in missing_requirements(dossier)]


def log_read(dossier: Dossier, viewer: Viewer, *, via: str) -> None:
    """Officials' reads are kept: who looked at whose dossier, and when."""
    if viewer.official is not None:
        DossierRead.objects.create(dossier=dossier, user=viewer.user, at=timezone.now(), via=via)
