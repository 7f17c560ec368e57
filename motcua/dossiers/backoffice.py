"""Reads for the officials' back-office pages: the inbox and the apologies page.

The inbox shows, per row, the clock state and what the signed-in official may do next. Asking
`queries.clock_of` and `actions.next_actions` row by row costs queries per row (the calendar
revision token; the official and their roles), so a page computes both from what it loads once:
one calendar per receiving agency and the official's role memberships. The clock rule is
`queries.clock_of`'s with the page's calendars; the actions come from `access.actors_for` given
the roles read once. test_views.py checks that the page agrees with both on every row.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from motcua.accounts.models import Official, Role, RoleMembership, User
from motcua.dossiers.access import OfficialRoles, actors_for
from motcua.dossiers.clock import ClockState, clock_state
from motcua.dossiers.labels import (
    ACTION_LABELS,
    CLOCK_LABELS,
    NUMBERED_STATUS_LABELS,
    STAGE_LABELS,
)
from motcua.dossiers.models import Apology, ApologyStatus, Dossier
from motcua.dossiers.workflow import (
    PAUSED_STAGES,
    TERMINAL_STAGES,
    Action,
    Actor,
    Stage,
    actions_from,
)
from motcua.units.models import Agency, AgencyKind
from motcua.worktime.deadlines import add_working_time
from motcua.worktime.queries import get_calendar
from motcua.worktime.workcalendar import WorkCalendar

# The labels live in dossiers.labels; these names stay for the pages that read them here.
STATUS_LABELS = NUMBERED_STATUS_LABELS  # the filter's "4 – Being processed"

REPORT_ROLES = frozenset({Role.MANAGER, Role.LEADER, Role.ADMINISTRATOR})


@dataclass
class Calendars:
    """The working calendar of each receiving agency, read once per page."""

    by_agency: dict[int, WorkCalendar] = field(default_factory=dict)

    def of(self, agency_id: int) -> WorkCalendar:
        if agency_id not in self.by_agency:
            self.by_agency[agency_id] = get_calendar(agency_id)
        return self.by_agency[agency_id]


@dataclass(frozen=True)
class Viewer:
    """The signed-in official and the roles they hold, loaded once per request."""

    user: User
    official: Official
    memberships: list[RoleMembership]

    def agency_ids(self, roles: frozenset[str] | None = None) -> list[int]:
        return [m.agency_id for m in self.memberships if roles is None or m.role in roles]


def viewer_of(user: User) -> Viewer | None:
    """The official behind `user` with their roles; None for anyone else."""
    if not user.is_authenticated or not user.is_official:
        return None
    official = Official.objects.filter(user=user).first()
    if official is None:
        return None
    return Viewer(
        user=user,
        official=official,
        memberships=list(RoleMembership.objects.filter(official=official)),
    )


# The clock


def _open(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.filter(accepted_at__isnull=False, finished_at__isnull=True).exclude(
        stage__in=[s.value for s in TERMINAL_STAGES]
    )


def _running(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return (
        _open(dossiers)
        .exclude(stage__in=[s.value for s in PAUSED_STAGES])
        .filter(due_at__isnull=False)
    )


def page_clock(dossier: Dossier, now: dt.datetime, calendars: Calendars) -> str | None:
    """`queries.clock_of`, with the page's calendars."""
    stage = Stage(dossier.stage)
    if stage in TERMINAL_STAGES or dossier.finished_at is not None or dossier.accepted_at is None:
        return None
    state = clock_state(
        now,
        dossier.due_at,
        calendars.of(dossier.receiving_agency_id),
        paused=stage in PAUSED_STAGES,
    )
    return state.value if state else None


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


def page_actors(dossier: Dossier, viewer: Viewer) -> frozenset[Actor]:
    """`access.actors_for`, with the viewer's roles loaded once."""
    return actors_for(
        viewer.user, dossier, roles=OfficialRoles(viewer.official, viewer.memberships)
    )


def page_next_actions(dossier: Dossier, viewer: Viewer) -> list[str]:
    """`actions.next_actions`, with the viewer's roles loaded once."""
    return [
        a.value
        for a in actions_from(
            Stage(dossier.stage),
            page_actors(dossier, viewer),
            accepted=dossier.accepted_at is not None,
        )
    ]


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
        clock = page_clock(dossier, now, calendars)
        actions = page_next_actions(dossier, viewer)
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
    """The agencies whose late dossiers the viewer answers for (as the late-dossiers report):
    their own as manager, leader or administrator, and the whole province for a manager of the
    provincial committee. None when they hold none of those roles."""
    agency_ids = viewer.agency_ids(REPORT_ROLES)
    if not agency_ids:
        return None
    provinces = Agency.objects.filter(
        id__in=agency_ids, kind=AgencyKind.PROVINCIAL_COMMITTEE
    ).values_list("province_code", flat=True)
    return [
        *Agency.objects.filter(province_code__in=list(provinces)).values_list("id", flat=True),
        *agency_ids,
    ]
