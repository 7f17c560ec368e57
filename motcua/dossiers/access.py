"""Who may see a dossier, and in which capacity a user acts on it.

A citizen or business sees only their own dossiers and those they submitted (as a delegate or
a business's representative). Who may file for whom is decided before the dossier exists
(accounts.applicants: a business's own account, its registered representative, or a delegate
who named it and gave a reason, recorded as `Dossier.filed_as`); afterwards the filer acts for
the applicant on that dossier only — reads it, uploads to it, withdraws it — and the applicant's
own account sees it and may do the same.
An official sees the dossiers of the agencies where they hold a role — received there, decided
there, or there now — and those assigned to them. The same error answers "missing" and "not
yours", so codes cannot be probed (STYLE.md §4). Every function takes the request's `Viewer`
(accounts.viewer), read once per request.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from motcua.accounts.models import DelegatedAction, Delegation, Role
from motcua.accounts.viewer import Viewer
from motcua.common.prepared import PreparedRead
from motcua.dossiers.errors import DossierNotFoundError
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.workflow import Action, Actor, Stage, actions_from, find_transition

ROLE_ACTOR = {
    Role.RECEIVER: Actor.RECEIVER,
    Role.SPECIALIST: Actor.SPECIALIST,
    Role.LEADER: Actor.LEADER,
    Role.CLERK: Actor.CLERK,
}
# Roles that act at the counter (receiving agency) and those that act where the dossier is.
COUNTER_ACTORS = frozenset({Actor.RECEIVER})
# What a leader may lend (accounts.models.Delegation): the delegate takes it as the leader would.
DELEGABLE_ACTIONS = tuple(Action(action) for action in DelegatedAction.values)
# Roles that read beyond the agencies where they act (Viewer.report_scope).
SUPERVISING_ROLES = frozenset({Role.MANAGER, Role.ADMINISTRATOR})
# A delegate submits online or at a kiosk. At the counter or by post the submitter is the
# receiving officer who keyed the dossier in, who is not the applicant's side.
SELF_SERVICE_CHANNELS = frozenset({Channel.ONLINE, Channel.KIOSK})


def visible_to(dossiers: QuerySet[Dossier], viewer: Viewer) -> QuerySet[Dossier]:
    """The dossiers of `dossiers` that `viewer` may see."""
    return _visible(dossiers, *_who(viewer))


def _who(viewer: Viewer) -> tuple[int | None, int | None, tuple[int, ...]]:
    """What visibility depends on: the user, the official and the agencies of their roles."""
    if not viewer.user.is_authenticated:
        return None, None, ()
    if viewer.official is None:
        return viewer.user.id, None, ()
    agency_ids = viewer.agency_ids()
    if viewer.agency_ids(SUPERVISING_ROLES):
        # A manager reads what their inbox lists (their unit, or the whole province from the
        # provincial committee): the same dossiers open on the dossier page, read-only, since
        # the actions follow the roles held where the dossier is. Leaders supervise only their
        # own agencies, already above, so their checks cost no more reads.
        agency_ids = list(dict.fromkeys([*agency_ids, *(viewer.report_scope() or [])]))
    return viewer.user.id, viewer.official.id, tuple(agency_ids)


def _visible(
    dossiers: QuerySet[Dossier],
    user_id: int | None,
    official_id: int | None,
    agency_ids: tuple[int, ...],
) -> QuerySet[Dossier]:
    if user_id is None:
        return dossiers.none()
    if official_id is None:
        return dossiers.filter(
            Q(submitted_by_id=user_id)
            | Q(applicant_citizen__user_id=user_id)
            | Q(applicant_business__user_id=user_id)
        )
    return dossiers.filter(
        Q(receiving_agency_id__in=agency_ids)
        | Q(current_agency_id__in=agency_ids)
        | Q(competent_agency_id__in=agency_ids)
        | Q(assignee_id=official_id)
    )


def visible_dossiers(viewer: Viewer) -> QuerySet[Dossier]:
    """Every dossier `viewer` may see, with the applicant's profile (whose user decides the
    applicant's side) joined."""
    return visible_to(
        Dossier.objects.select_related("applicant_citizen", "applicant_business"), viewer
    )


def _one_visible(lookup: str, *, locked: bool) -> PreparedRead[Dossier]:
    def build(
        ref: int | str, user_id: int | None, official_id: int | None, agency_ids: tuple[int, ...]
    ) -> QuerySet[Dossier]:
        dossiers = Dossier.objects.select_related("applicant_citizen", "applicant_business")
        if locked:
            # Lock the dossier row only; the applicant's profile is read, not locked.
            dossiers = dossiers.select_for_update(no_key=True, of=("self",))
        # No ordering, as .get() would have it.
        visible = _visible(dossiers, user_id, official_id, agency_ids)
        return visible.filter(**{lookup: ref}).order_by()

    return PreparedRead(build)


# The dossier a request names, as `visible_dossiers` would find it, read on most requests: the
# visibility filter, the lookup and (for an action) the lock in one statement compiled once per
# connection (common.prepared).
_VISIBLE_BY_CODE = _one_visible("code", locked=False)
_LOCKED = {
    "code": _one_visible("code", locked=True),
    "id": _one_visible("id", locked=True),
}


def lock_visible_dossier(viewer: Viewer, ref: int | str) -> Dossier | None:
    """The dossier with this id or code, locked for the transaction (SELECT … FOR NO KEY
    UPDATE on PostgreSQL), if `viewer` may see it; else None."""
    found = _LOCKED["id" if isinstance(ref, int) else "code"](ref, *_who(viewer))
    return found[0] if found else None


def access_dossier(viewer: Viewer, code: str) -> Dossier:
    """The dossier with `code` if `viewer` may see it; DossierNotFoundError otherwise."""
    from motcua.dossiers.queries import with_rules  # noqa: PLC0415  (queries → access)

    found = _VISIBLE_BY_CODE(code, *_who(viewer))
    if not found:
        raise DossierNotFoundError(code)
    return with_rules(found[0])


def is_applicant_side(viewer: Viewer, dossier: Dossier) -> bool:
    """The applicant, or whoever filed it for them online or at a kiosk (a delegate or the
    business's representative, `Dossier.filed_as`): they act for the applicant on this dossier,
    not on the applicant's others."""
    user_id = viewer.user.id
    return bool(
        (dossier.submitted_by_id == user_id and dossier.channel in SELF_SERVICE_CHANNELS)
        or (dossier.applicant_citizen_id and dossier.applicant_citizen.user_id == user_id)
        or (dossier.applicant_business_id and dossier.applicant_business.user_id == user_id)
    )


def actors_for(viewer: Viewer, dossier: Dossier) -> frozenset[Actor]:
    """The capacities in which `viewer` may act on `dossier` now.

    The applicant's side (applicant or the delegate who submitted). Receivers act at the agency
    that received the dossier; specialists, leaders and clerks where the dossier is now, or on a
    dossier assigned to them.
    """
    if not viewer.user.is_authenticated:
        return frozenset()
    actors: set[Actor] = set()
    if viewer.official is None:
        if is_applicant_side(viewer, dossier):
            actors.add(Actor.APPLICANT)
        return frozenset(actors)
    for membership in viewer.memberships:
        actor = ROLE_ACTOR.get(Role(membership.role))
        if actor is None:
            continue
        where = (
            dossier.receiving_agency_id if actor in COUNTER_ACTORS else dossier.current_agency_id
        )
        if membership.agency_id == where:
            actors.add(actor)
    if dossier.assignee_id == viewer.official.id:
        actors.add(Actor.SPECIALIST)
    return frozenset(actors)


def delegation_for(
    viewer: Viewer, dossier: Dossier, action: Action, at: dt.datetime
) -> Delegation | None:
    """The delegation in force at `at` that lets `viewer` take `action` on `dossier` on a
    leader's behalf: lent by a leader of the agency where the dossier is now (where the leader
    would act), for its procedure. None for anyone without one (no query once the viewer's
    delegations are kept, accounts.viewer)."""
    if viewer.official is None or action not in DELEGABLE_ACTIONS or not viewer.delegations():
        return None
    return viewer.delegation_for(
        action.value, dossier.current_agency_id, dossier.procedure.national_code, at
    )


def open_actions(viewer: Viewer, dossier: Dossier, at: dt.datetime) -> list[Action]:
    """The actions `viewer` may take on `dossier` at `at`: those their roles open, and those a
    delegation in force lends them, in the workflow's order."""
    stage = Stage(dossier.stage)
    accepted = dossier.accepted_at is not None
    mine = actors_for(viewer, dossier)
    found = actions_from(stage, mine, accepted=accepted)
    if viewer.official is None or Actor.LEADER in mine:
        return found
    lent = {
        action
        for action in DELEGABLE_ACTIONS
        if action not in found
        and find_transition(action, stage, accepted=accepted) is not None
        and delegation_for(viewer, dossier, action, at) is not None
    }
    if not lent:
        return found
    return [
        action
        for action in actions_from(stage, mine | {Actor.LEADER}, accepted=accepted)
        if action in found or action in lent
    ]
