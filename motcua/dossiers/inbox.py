"""The officials' inbox: the tabs each role works from, their counts, filters and search.

Which dossier is in which tab comes from the engine's own state, never from a copy of its
rules:

- "waiting for acceptance", "supplements returned", "results to hand over", "to sign and seal"
  and "to issue" are the dossiers at a stage from which the role may take that action
  (`workflow.TRANSITIONS`: the action's source stages for the role's actor), where the role acts
  on it (the receiving agency for the counter, the current agency for the others,
  `access.COUNTER_ACTORS`);
- "assigned to me" is the dossiers in a step the role carries out (`workflow.STAGES_OF_STEP`,
  `ROLE_OF_STEP`) where the official acts: assigned to them, or, for a specialist, not yet
  assigned to anyone at their agency;
- "due today", "at risk" and "overdue" use the clock of `backoffice` (the at-risk rule and the
  running stages), which test_views.py proves equal to `queries.clock_of` row by row;
- the manager's tabs cover `Viewer.report_scope()` (their unit, or the whole province for the
  provincial People's Committee), read-only.

Every tab's count is one aggregate over the open dossiers of the official's scope (one for the
manager's wider scope), so the page costs the same number of statements whatever the rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.accounts.models import Role
from motcua.accounts.viewer import Viewer
from motcua.common.text import fold
from motcua.dossiers.access import COUNTER_ACTORS, ROLE_ACTOR, visible_dossiers
from motcua.dossiers.backoffice import CLOCK_RUNNING, Calendars, at_risk_ids
from motcua.dossiers.models import CLOSED_STAGES, Dossier
from motcua.dossiers.queries import with_rules_all
from motcua.dossiers.workflow import (
    ROLE_OF_STEP,
    STAGES_OF_STEP,
    Action,
    transitions_for,
)

ALL = "all"
# Tabs in the order a role works through them; the roles in the order their tabs are shown.
ROLE_ORDER = (Role.RECEIVER, Role.SPECIALIST, Role.LEADER, Role.CLERK, Role.MANAGER)
ROLE_HEADINGS: dict[str, Promise] = {
    Role.RECEIVER: pgettext_lazy("inbox role", "Counter"),
    Role.SPECIALIST: _("Specialist"),
    Role.LEADER: _("Leader"),
    Role.CLERK: _("Clerk's office"),
    Role.MANAGER: _("Supervision"),
}
# The counter's and the clerk's tabs: the dossiers from which the role may take the action.
ACTION_TABS: dict[str, tuple[tuple[str, Action, Promise], ...]] = {
    Role.RECEIVER: (
        ("receiver_accept", Action.ACCEPT, _("Waiting for acceptance")),
        ("receiver_supplements", Action.ACCEPT_SUPPLEMENT, _("Supplements returned")),
        ("receiver_hand_over", Action.RETURN_RESULT, _("Results to hand over")),
    ),
    Role.CLERK: (
        ("clerk_sign", Action.SIGN, _("To sign and seal")),
        ("clerk_issue", Action.ISSUE_RESULT, _("To issue")),
    ),
}
CLOCK_TABS: tuple[tuple[str, Promise], ...] = (
    ("due_today", _("Due today")),
    ("at_risk", _("At risk")),
    ("overdue", _("Overdue")),
)
# Not closed (refused, stopped, returned): a result waiting at the counter is still open.
OPEN = ~Q(stage__in=CLOSED_STAGES)
NOTHING = Q(pk__in=[])


@dataclass
class Tab:
    """One tab: what it lists (a condition inside `scope`, the dossiers it is counted in)."""

    key: str
    role: str | None
    label: Promise
    scope: str  # "visible" (access.visible_dossiers) or "report" (the manager's)
    condition: Q
    count: int | None = None
    read_only: bool = False


@dataclass(frozen=True)
class RoleTabs:
    role: str
    heading: Promise
    tabs: list[Tab]


def _any(conditions: list[Q]) -> Q:
    return functools.reduce(operator.or_, conditions) if conditions else NOTHING


def action_open_to(action: Action, role: str) -> Q:
    """The dossiers at a stage from which someone in `role` may take `action` (the engine's
    transitions; where they may take it is the caller's)."""
    actor = ROLE_ACTOR[Role(role)]
    conditions = []
    for transition in transitions_for(action):
        if actor not in transition.actors:
            continue
        condition = Q(stage__in=sorted(s.value for s in transition.source))
        if transition.accepted is not None:
            condition &= Q(accepted_at__isnull=not transition.accepted)
        conditions.append(condition)
    return _any(conditions)


def in_step_of(role: str) -> Q:
    """The dossiers in a step of the process that `role` carries out."""
    stages = sorted(
        stage.value
        for kind, stages in STAGES_OF_STEP.items()
        if ROLE_OF_STEP.get(kind) == role
        for stage in stages
    )
    return Q(stage__in=stages) if stages else NOTHING


def where_role_acts(viewer: Viewer, role: str) -> Q:
    """Dossiers where `viewer` acts in `role`: at the counter of the receiving agency, or where
    the dossier is now (access.actors_for)."""
    agency_ids = viewer.agency_ids({role})
    if ROLE_ACTOR[Role(role)] in COUNTER_ACTORS:
        return Q(receiving_agency_id__in=agency_ids)
    return Q(current_agency_id__in=agency_ids)


def _work_of(viewer: Viewer, role: str) -> Q:
    """What the official has to do in `role`: dossiers in the role's step where they act. A
    specialist's are those assigned to them, and their agency's not yet assigned to anyone."""
    assert viewer.official is not None
    if role == Role.SPECIALIST:
        where = Q(assignee_id=viewer.official.id) | (
            Q(assignee__isnull=True) & where_role_acts(viewer, role)
        )
    else:
        where = where_role_acts(viewer, role) | Q(assignee_id=viewer.official.id)
    return OPEN & in_step_of(role) & where


def _clock_tabs(
    prefix: str,
    role: str,
    base: QuerySet[Dossier],
    supervised: Q,
    *,
    scope: str,
    now: dt.datetime,
    calendars: Calendars,
    read_only: bool = False,
) -> list[Tab]:
    """Due today, at risk, overdue among the `supervised` dossiers of `base` (running clocks
    only: a paused clock is not due)."""
    end_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end_of_day += dt.timedelta(days=1)
    running = supervised & CLOCK_RUNNING
    at_risk = at_risk_ids(base.filter(supervised), now, calendars)
    conditions = {
        "due_today": running & Q(due_at__gt=now, due_at__lt=end_of_day),
        "at_risk": Q(id__in=at_risk),
        "overdue": running & Q(due_at__lte=now),
    }
    tabs = [
        Tab(f"{prefix}_{key}", role, label, scope, conditions[key], read_only=read_only)
        for key, label in CLOCK_TABS
    ]
    # Counted already: the ids are the tab (an IN list in the aggregate would cost a
    # comparison per id and per open dossier).
    tabs[1].count = len(at_risk)
    return tabs


def report_dossiers(viewer: Viewer) -> QuerySet[Dossier]:
    """The dossiers of the agencies the viewer supervises (`Viewer.report_scope`)."""
    agency_ids = viewer.report_scope() or []
    return Dossier.objects.filter(
        Q(receiving_agency_id__in=agency_ids)
        | Q(current_agency_id__in=agency_ids)
        | Q(competent_agency_id__in=agency_ids)
    )


def inbox_tabs(viewer: Viewer, *, now: dt.datetime, calendars: Calendars) -> list[RoleTabs]:
    """The viewer's tabs, grouped by role, with their counts (one aggregate per scope)."""
    assert viewer.official is not None
    visible = visible_dossiers(viewer).order_by()
    held = {m.role for m in viewer.memberships}
    groups: list[RoleTabs] = []
    for role in ROLE_ORDER:
        if role not in held:
            continue
        tabs: list[Tab] = []
        if role in ACTION_TABS:
            where = where_role_acts(viewer, role)
            tabs = [
                Tab(key, role, label, "visible", OPEN & where & action_open_to(action, role))
                for key, action, label in ACTION_TABS[role]
            ]
        elif role in (Role.SPECIALIST, Role.LEADER):
            work = _work_of(viewer, role)
            supervised = work if role == Role.SPECIALIST else OPEN & where_role_acts(viewer, role)
            tabs = [
                Tab(f"{role}_mine", role, _("Assigned to me"), "visible", work),
                *_clock_tabs(
                    role,
                    role,
                    visible,
                    supervised,
                    scope="visible",
                    now=now,
                    calendars=calendars,
                ),
            ]
        elif role == Role.MANAGER:
            report = report_dossiers(viewer).order_by()
            tabs = [
                Tab("manager_open", role, _("All open dossiers"), "report", OPEN, read_only=True),
                *_clock_tabs(
                    "manager",
                    role,
                    report,
                    OPEN,
                    scope="report",
                    now=now,
                    calendars=calendars,
                    read_only=True,
                ),
            ]
        if tabs:
            groups.append(RoleTabs(role, ROLE_HEADINGS[role], tabs))
    _count(groups, visible, "visible")
    if any(t.scope == "report" for g in groups for t in g.tabs):
        _count(groups, report_dossiers(viewer).order_by(), "report")
    return groups


def _count(groups: list[RoleTabs], dossiers: QuerySet[Dossier], scope: str) -> None:
    tabs = [t for g in groups for t in g.tabs if t.scope == scope and t.count is None]
    if not tabs:
        return
    counts = dossiers.filter(OPEN).aggregate(
        **{tab.key: Count("id", filter=tab.condition) for tab in tabs}
    )
    for tab in tabs:
        tab.count = counts[tab.key]


def find_tab(groups: list[RoleTabs], key: str | None) -> Tab | None:
    for group in groups:
        for tab in group.tabs:
            if tab.key == key:
                return tab
    return None


def tab_dossiers(
    viewer: Viewer, tab: Tab | None, *, finished_too: bool = False
) -> QuerySet[Dossier]:
    """The dossiers a tab lists. None: the open dossiers the viewer may see, and the finished
    ones too when asked (a search or a status looks for them; listing an agency's whole
    history by default would sort years of returned dossiers to show 50)."""
    if tab is None:
        visible = visible_dossiers(viewer)
        return visible if finished_too else visible.filter(OPEN)
    if tab.scope == "report":
        return (
            report_dossiers(viewer)
            .select_related("applicant_citizen", "applicant_business")
            .filter(tab.condition)
        )
    return visible_dossiers(viewer).filter(tab.condition)


# Filters and search


@dataclass(frozen=True)
class InboxFilters:
    status: int | None = None
    procedure: str = ""  # national code, e.g. 1.002153
    field_id: int | None = None
    channel: str = ""
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    q: str = ""

    @property
    def any(self) -> bool:
        return any(
            (
                self.status is not None,
                self.procedure,
                self.field_id,
                self.channel,
                self.submitted_from,
                self.submitted_to,
                self.q,
            )
        )


# A personal ID number: 12 digits (citizen identity card) or 9 (the old identity card). Only the
# whole number finds anything: a partial number would let anyone list people by digits.
_ID_LENGTHS = (9, 12)


def search_condition(q: str) -> Q:
    """A dossier code (whole or its beginning), the applicant's whole personal ID number, or
    words of the applicant's name, accents optional."""
    q = q.strip()
    if not q:
        return Q()
    if q.isdigit() and len(q) in _ID_LENGTHS:
        return Q(applicant_citizen__personal_id=q)
    if q.isdigit():
        return NOTHING  # never a partial ID number
    words = fold(q).split()
    by_name = functools.reduce(
        operator.and_, (Q(applicant_name_folded__contains=word) for word in words)
    )
    if len(words) == 1 and any(c.isdigit() for c in q):
        return Q(code__istartswith=q) | by_name
    return by_name


def apply_filters(dossiers: QuerySet[Dossier], filters: InboxFilters) -> QuerySet[Dossier]:
    """Filters and search; local dates of submission, both ends included."""
    conditions: dict[str, object] = {}
    if filters.status is not None:
        conditions["status"] = filters.status
    if filters.procedure:
        conditions["procedure__national_code"] = filters.procedure
    if filters.field_id:
        conditions["procedure__field_id"] = filters.field_id
    if filters.channel:
        conditions["channel"] = filters.channel
    if filters.submitted_from:
        conditions["submitted_at__gte"] = _local_midnight(filters.submitted_from)
    if filters.submitted_to:
        conditions["submitted_at__lt"] = _local_midnight(
            filters.submitted_to + dt.timedelta(days=1)
        )
    return dossiers.filter(search_condition(filters.q), **conditions)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def ids_by_due_time(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier, int]:
    """The ids of `dossiers`, soonest due first; those without a due time (not yet accepted, or
    no legal limit) after them, oldest submitted first.

    Only ids: the database sorts the tab's rows on the open-dossier indexes alone and joins
    nothing until the page is known (`load_page`); joining first made it join every row of a
    10,000-dossier tab to keep 50.
    """
    return dossiers.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "id").values_list(
        "id", flat=True
    )


def load_page(ids: list[int]) -> list[Dossier]:
    """The page's dossiers in the order of `ids`, with what a row shows (applicant, assignee;
    the procedure and agencies from the kept copies, queries.with_rules_all)."""
    found = Dossier.objects.select_related(
        "applicant_citizen", "applicant_business", "assignee"
    ).in_bulk(ids)
    return list(with_rules_all([found[i] for i in ids if i in found]))
