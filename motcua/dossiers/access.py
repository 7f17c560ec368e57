"""Who may see a dossier, and in which capacity a user acts on it.

A citizen or business sees only their own dossiers and those they submitted (as a delegate).
An official sees the dossiers of the agencies where they hold a role — received there, decided
there, or there now — and those assigned to them. The same error answers "missing" and "not
yours", so codes cannot be probed (STYLE.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db.models import Q, QuerySet, signals

from motcua.accounts.models import Official, Role, RoleMembership, User
from motcua.dossiers.errors import DossierNotFoundError
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.workflow import Actor

ROLE_ACTOR = {
    Role.RECEIVER: Actor.RECEIVER,
    Role.SPECIALIST: Actor.SPECIALIST,
    Role.LEADER: Actor.LEADER,
    Role.CLERK: Actor.CLERK,
}
# Roles that act at the counter (receiving agency) and those that act where the dossier is.
COUNTER_ACTORS = frozenset({Actor.RECEIVER})
# A delegate submits online or at a kiosk. At the counter or by post the submitter is the
# receiving officer who keyed the dossier in, who is not the applicant's side.
SELF_SERVICE_CHANNELS = frozenset({Channel.ONLINE, Channel.KIOSK})


def official_of(user: User) -> Official | None:
    if not user.is_authenticated or not getattr(user, "is_official", False):
        return None
    return Official.objects.filter(user=user).first()


def memberships(official: Official) -> list[RoleMembership]:
    return list(RoleMembership.objects.filter(official=official).select_related("agency"))


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """Every dossier `user` may see."""
    dossiers = Dossier.objects.select_related(
        "procedure",
        "procedure_version",
        "receiving_agency",
        "current_agency",
        "competent_agency",
        "applicant_citizen",
        "applicant_business",
    )
    if not user.is_authenticated:
        return dossiers.none()
    roles = roles_of(user)
    if roles is None:
        return dossiers.filter(
            Q(submitted_by=user)
            | Q(applicant_citizen__user=user)
            | Q(applicant_business__user=user)
        )
    agency_ids = [m.agency_id for m in roles.memberships]
    return dossiers.filter(
        Q(receiving_agency_id__in=agency_ids)
        | Q(current_agency_id__in=agency_ids)
        | Q(competent_agency_id__in=agency_ids)
        | Q(assignee=roles.official)
    )


def access_dossier(user: User, code: str) -> Dossier:
    """The dossier with `code` if `user` may see it; DossierNotFoundError otherwise."""
    dossier = visible_dossiers(user).filter(code=code).first()
    if dossier is None:
        raise DossierNotFoundError(code)
    return dossier


@dataclass(frozen=True)
class OfficialRoles:
    """An official and their role memberships, loaded once for a page of many dossiers."""

    official: Official
    memberships: list[RoleMembership]


# Bumped whenever a role or an official changes, so roles remembered on a user object (one per
# request in production: the session or token loads a fresh user) are never used stale.
_generation = [0]


def _roles_changed(**kwargs: object) -> None:
    _generation[0] += 1


for _model in (RoleMembership, Official):
    signals.post_save.connect(_roles_changed, sender=_model, dispatch_uid=f"roles-{_model}")
    signals.post_delete.connect(_roles_changed, sender=_model, dispatch_uid=f"roles-d-{_model}")


def roles_of(user: User) -> OfficialRoles | None:
    """The official behind `user` and their roles, read once per user object: a request asks
    for them when it finds the dossier, when it checks the action and when it lists the next
    ones."""
    remembered = getattr(user, "_motcua_roles", None)
    if remembered is not None and remembered[0] == _generation[0]:
        return remembered[1]  # type: ignore[no-any-return]
    official = official_of(user)
    roles = None if official is None else OfficialRoles(official, memberships(official))
    user._motcua_roles = (_generation[0], roles)  # type: ignore[attr-defined]
    return roles


def actors_for(
    user: User, dossier: Dossier, *, roles: OfficialRoles | Literal["load"] | None = "load"
) -> frozenset[Actor]:
    """The capacities in which `user` may act on `dossier` now.

    The applicant's side (applicant or the delegate who submitted). Receivers act at the agency
    that received the dossier; specialists, leaders and clerks where the dossier is now, or on a
    dossier assigned to them. A page of many dossiers passes `roles` (from `roles_of`) so the
    official's roles are read once, not per row.
    """
    if not user.is_authenticated:
        return frozenset()
    actors: set[Actor] = set()
    if (
        (dossier.submitted_by_id == user.id and dossier.channel in SELF_SERVICE_CHANNELS)
        or (dossier.applicant_citizen_id and dossier.applicant_citizen.user_id == user.id)
        or (dossier.applicant_business_id and dossier.applicant_business.user_id == user.id)
    ):
        actors.add(Actor.APPLICANT)
    loaded = roles_of(user) if roles == "load" else roles
    if loaded is not None:
        official = loaded.official
        for membership in loaded.memberships:
            actor = ROLE_ACTOR.get(Role(membership.role))
            if actor is None:
                continue
            where = (
                dossier.receiving_agency_id
                if actor in COUNTER_ACTORS
                else dossier.current_agency_id
            )
            if membership.agency_id == where:
                actors.add(actor)
        if dossier.assignee_id == official.id:
            actors.add(Actor.SPECIALIST)
    return frozenset(actors)
