"""Reads for the officials' back-office pages: the inbox and the apologies page.

The inbox shows, per row, the clock state and what the signed-in official may do next: the
engine's own answers (`queries.clock_of`, `queries.next_actions`), given what the page reads
once — the official's roles (`accounts.viewer.Viewer`) and one calendar per receiving agency
(`worktime.queries.CalendarBook`). test_views.py checks that the page agrees with both.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from motcua.accounts.models import User
from motcua.accounts.viewer import Viewer
from motcua.dossiers.clock import ClockState, clock_state
from motcua.dossiers.labels import (
    ACTION_LABELS,
    CLOCK_LABELS,
    NUMBERED_STATUS_LABELS,
    STAGE_LABELS,
)
from motcua.dossiers.models import CLOSED_STAGES, Apology, ApologyStatus, Dossier
from motcua.dossiers.queries import clock_of, next_actions
from motcua.dossiers.workflow import (
    PAUSED_STAGES,
    Action,
    Stage,
)
from motcua.worktime.deadlines import add_working_time
from motcua.worktime.queries import CalendarBook

# The labels live in dossiers.labels; these names stay for the pages that read them here.
STATUS_LABELS = NUMBERED_STATUS_LABELS  # the filter's "4 – Being processed"


# One page reads the calendar revision once and each agency's calendar once.
Calendars = CalendarBook


def viewer_of(user: User) -> Viewer | None:
    """The official behind `user` with their roles; None for anyone else (pages for officials
    only)."""
    viewer = Viewer.of(user)
    return viewer if viewer.official is not None else None


# The clock


# Accepted and not finished: the clock has started (queries.clock_of answers for these).
CLOCK_STARTED = Q(accepted_at__isnull=False, finished_at__isnull=True) & ~Q(stage__in=CLOSED_STAGES)
# ... and is running now, towards a due time.
CLOCK_RUNNING = (
    CLOCK_STARTED & ~Q(stage__in=[s.value for s in PAUSED_STAGES]) & Q(due_at__isnull=False)
)


def _open(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.filter(CLOCK_STARTED)


def _running(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.filter(CLOCK_RUNNING)


def at_risk_ids(dossiers: QuerySet[Dossier], now: dt.datetime, calendars: Calendars) -> list[int]:
    """The ids of `dossiers` whose clock is at risk (less than one working day left)."""
    return _at_risk_ids(dossiers, now, calendars)


def _at_risk_ids(dossiers: QuerySet[Dossier], now: dt.datetime, calendars: Calendars) -> list[int]:
    """Running dossiers with less than one working day left.

    The database narrows them to those due before one working day from now (per receiving
    agency, as office hours differ); the exact test runs on those few rows.
    """
    future = _running(dossiers).filter(due_at__gt=now).order_by()
    agency_ids = set(future.values_list("receiving_agency_id", flat=True).distinct())
    if not agency_ids:
        return []
    near = functools.reduce(
        operator.or_,
        (
            Q(
                receiving_agency_id=agency_id,
                due_at__lte=add_working_time(
                    now, calendars.of(agency_id).schedule.day_length, calendars.of(agency_id)
                ),
            )
            for agency_id in sorted(agency_ids)
        ),
    )
    return [
        dossier_id
        for dossier_id, due_at, agency_id in future.filter(near).values_list(
            "id", "due_at", "receiving_agency_id"
        )
        if clock_state(now, due_at, calendars.of(agency_id), paused=False) == ClockState.AT_RISK
    ]


def filter_by_clock(
    dossiers: QuerySet[Dossier], clock: str, *, now: dt.datetime, calendars: Calendars
) -> QuerySet[Dossier]:
    if clock == ClockState.PAUSED:
        return _open(dossiers).filter(stage__in=[s.value for s in PAUSED_STAGES])
    if clock == ClockState.OVERDUE:
        return _running(dossiers).filter(due_at__lte=now)
    at_risk = _at_risk_ids(dossiers, now, calendars)
    if clock == ClockState.AT_RISK:
        return dossiers.filter(id__in=at_risk)
    return _running(dossiers).filter(due_at__gt=now).exclude(id__in=at_risk)


def count_by_clock(
    dossiers: QuerySet[Dossier], *, now: dt.datetime, calendars: Calendars
) -> dict[str, int]:
    """How many of `dossiers` are in each clock state (finished or unaccepted ones: none)."""
    dossiers = dossiers.order_by()
    at_risk = len(_at_risk_ids(dossiers, now, calendars))
    return {
        ClockState.IN_TIME.value: _running(dossiers).filter(due_at__gt=now).count() - at_risk,
        ClockState.AT_RISK.value: at_risk,
        ClockState.OVERDUE.value: _running(dossiers).filter(due_at__lte=now).count(),
        ClockState.PAUSED.value: _open(dossiers)
        .filter(stage__in=[s.value for s in PAUSED_STAGES])
        .count(),
    }


# Next actions


@dataclass(frozen=True)
class InboxRow:
    dossier: Dossier
    stage: str
    clock: str | None
    clock_label: str
    actions: list[str]
    action_labels: list[str]

    @property
    def action_pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.actions, self.action_labels, strict=True))


def inbox_rows(
    dossiers: list[Dossier], viewer: Viewer, *, now: dt.datetime, calendars: Calendars
) -> list[InboxRow]:
    rows = []
    for dossier in dossiers:
        clock = clock_of(dossier, now, calendars)
        actions = next_actions(dossier, viewer)
        rows.append(
            InboxRow(
                dossier=dossier,
                stage=str(STAGE_LABELS.get(Stage(dossier.stage), dossier.stage)),
                clock=clock,
                clock_label=str(CLOCK_LABELS[ClockState(clock)]) if clock else "",
                actions=actions,
                action_labels=[str(ACTION_LABELS[Action(a)]) for a in actions],
            )
        )
    return rows


# Apologies


def list_draft_apologies(viewer: Viewer) -> QuerySet[Apology]:
    """Drafts of the viewer's agencies (as GET /api/v1/apologies?status=draft), oldest due
    first."""
    return (
        Apology.objects.filter(agency_id__in=viewer.agency_ids(), status=ApologyStatus.DRAFT)
        .select_related("dossier__procedure_version", "agency")
        .order_by("original_due_at", "id")
    )


def report_scope(viewer: Viewer) -> list[int] | None:
    """The agencies whose late dossiers the viewer answers for (`Viewer.report_scope`)."""
    return viewer.report_scope()
