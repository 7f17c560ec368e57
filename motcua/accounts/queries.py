"""Reads about people and roles. Access checks (`access_*`) in other apps build on these."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.accounts.models import Official, Role, RoleMembership
from motcua.units.models import Agency


def list_roles_of_official(official: Official, agency: Agency) -> frozenset[Role]:
    """The roles `official` holds at `agency` (not at its parent or children: roles do not
    inherit, a department leader is not a leader of the service centre)."""
    roles = RoleMembership.objects.filter(official=official, agency=agency).values_list(
        "role", flat=True
    )
    return frozenset(Role(role) for role in roles)


def official_has_role(official: Official, agency: Agency, role: Role) -> bool:
    return RoleMembership.objects.filter(official=official, agency=agency, role=role).exists()


def list_agencies_of_official(official: Official, *, role: Role | None = None) -> QuerySet[Agency]:
    """Agencies where `official` holds any role, or `role` if given; each agency once."""
    memberships = RoleMembership.objects.filter(official=official)
    if role is not None:
        memberships = memberships.filter(role=role)
    return Agency.objects.select_related("unit").filter(id__in=memberships.values("agency_id"))


def list_memberships_of_official(official: Official) -> QuerySet[RoleMembership]:
    return RoleMembership.objects.select_related("agency").filter(official=official)


def get_official_username(official_id: int) -> str | None:
    """The login name of an official (how the API names an assignee)."""
    return Official.objects.filter(id=official_id).values_list("user__username", flat=True).first()
