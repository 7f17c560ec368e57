"""Who is asking: the signed-in user and, for an official, the roles they hold and where.

Every access check and every action needs this answer, often several times in one request (find
the dossier, check the action, list the next ones, scope a report). It is built once per request
(`viewer_of(request)`) or per action call (`Viewer.of(user)`) and passed along.

An official's memberships are kept per process, stamped with the official's `roles_stamp`,
which every grant, change or revocation draws anew in the database (the signal below, whatever
wrote the membership). The official's row is read with the login itself (the bearer token's
query, or the session's user), so each request compares the kept stamp with the current one: a
revoked role stops working at the next request in every process, with no query for the roles
in the common case.

The delegations an official received (accounts.models.Delegation: approving or signing on a
leader's behalf) are kept the same way, under the same stamp, which every write of a delegation
draws anew for its delegate: read only when a check needs them (a dossier waits for an action
the official's roles do not open), then once per process until the stamp changes. Whether one
is in force is decided against the moment of the check, so expiry needs no job.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import signals
from django.http import HttpRequest
from django.utils import timezone

from motcua.accounts.models import (
    Delegation,
    Official,
    Role,
    RoleMembership,
    User,
    UserKind,
)
from motcua.units.models import Agency, AgencyKind

# Set on a user by the login that read the official's row in the same query (so its
# `roles_stamp` is current): an older user object may hold an older official row.
LOGIN_READ_OFFICIAL = "_motcua_official_read_with_login"

# Roles that answer for their agencies' late dossiers and reports.
REPORT_ROLES = frozenset({Role.MANAGER, Role.LEADER, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Viewer:
    """A user, with their official profile and role memberships when they are an official."""

    user: User
    official: Official | None
    memberships: tuple[RoleMembership, ...]
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, user: Any) -> Viewer:
        """The viewer of `user`: no query for anyone but officials; for an official, the
        official's row unless the login read it, and the memberships unless kept current."""
        if not getattr(user, "is_authenticated", False) or user.kind != UserKind.OFFICIAL:
            return cls(user, None, ())
        if getattr(user, LOGIN_READ_OFFICIAL, False):
            official: Official | None = getattr(user, "official", None)
        else:
            official = Official.objects.filter(user_id=user.id).first()
        if official is None:
            return cls(user, None, ())
        return cls(user, official, _memberships(official))

    @property
    def is_official(self) -> bool:
        return self.official is not None

    def agency_ids(self, roles: Iterable[str] | None = None) -> list[int]:
        """Agencies where the viewer holds any role, or one of `roles`; each once, in order."""
        wanted = None if roles is None else frozenset(roles)
        seen: dict[int, None] = {}
        for membership in self.memberships:
            if wanted is None or membership.role in wanted:
                seen.setdefault(membership.agency_id, None)
        return list(seen)

    def holds(self, role: str, agency_id: int) -> bool:
        """Roles do not inherit: a department's leader is not a leader of the service centre."""
        return any(m.role == role and m.agency_id == agency_id for m in self.memberships)

    def delegations(self) -> tuple[Delegation, ...]:
        """The delegations this official received that are not revoked and not over (some may
        not have started), with their delegators; none for anyone else."""
        if self.official is None:
            return ()
        if "delegations" not in self._memo:
            self._memo["delegations"] = _delegations(self.official)
        return self._memo["delegations"]  # type: ignore[no-any-return]

    def delegation_for(
        self, action: str, agency_id: int, procedure_code: str, at: dt.datetime
    ) -> Delegation | None:
        """The delegation in force at `at` that lets this official take `action` on a dossier
        of `procedure_code` at `agency_id` on a leader's behalf, if any."""
        return next(
            (d for d in self.delegations() if d.covers(action, agency_id, procedure_code, at)),
            None,
        )

    def may_be_delegated(self, action: str) -> bool:
        """Whether any delegation this official holds names `action` (whatever its period):
        the engine then explains a refusal by the delegation rather than by the role."""
        return any(action in d.actions for d in self.delegations())

    def report_scope(self) -> list[int] | None:
        """The agencies whose late dossiers and reports the viewer answers for: their own as
        manager, leader or administrator, and the whole province for one of the provincial
        People's Committee. None when they hold none of those roles."""
        if "report_scope" not in self._memo:
            self._memo["report_scope"] = self._load_report_scope()
        return self._memo["report_scope"]  # type: ignore[no-any-return]

    def _load_report_scope(self) -> list[int] | None:
        agency_ids = self.agency_ids(REPORT_ROLES)
        if not agency_ids:
            return None
        provinces = Agency.objects.filter(
            id__in=agency_ids, kind=AgencyKind.PROVINCIAL_COMMITTEE
        ).values_list("province_code", flat=True)
        whole = Agency.objects.filter(province_code__in=list(provinces)).values_list(
            "id", flat=True
        )
        return list(dict.fromkeys([*whole, *agency_ids]))


# Official id → (roles_stamp, memberships). Bounded: a province has a few thousand officials.
_KEPT_OFFICIALS = 20_000
_kept: OrderedDict[int, tuple[uuid.UUID, tuple[RoleMembership, ...]]] = OrderedDict()
_kept_lock = threading.Lock()


def _memberships(official: Official) -> tuple[RoleMembership, ...]:
    with _kept_lock:
        kept = _kept.get(official.id)
        if kept is not None and kept[0] == official.roles_stamp:
            _kept.move_to_end(official.id)
            return kept[1]
    memberships = tuple(RoleMembership.objects.filter(official_id=official.id))
    with _kept_lock:
        _kept[official.id] = (official.roles_stamp, memberships)
        while len(_kept) > _KEPT_OFFICIALS:
            _kept.popitem(last=False)
    return memberships


_kept_delegations: OrderedDict[int, tuple[uuid.UUID, tuple[Delegation, ...]]] = OrderedDict()


def _delegations(official: Official) -> tuple[Delegation, ...]:
    with _kept_lock:
        kept = _kept_delegations.get(official.id)
        if kept is not None and kept[0] == official.roles_stamp:
            _kept_delegations.move_to_end(official.id)
            return kept[1]
    # Those already over can never come back (the period is fixed): leave them out.
    delegations = tuple(
        Delegation.objects.filter(
            delegate_id=official.id, revoked_at__isnull=True, valid_until__gt=timezone.now()
        ).select_related("delegator")
    )
    with _kept_lock:
        _kept_delegations[official.id] = (official.roles_stamp, delegations)
        while len(_kept_delegations) > _KEPT_OFFICIALS:
            _kept_delegations.popitem(last=False)
    return delegations


def _roles_changed(sender: type, instance: RoleMembership, **kwargs: Any) -> None:
    Official.objects.filter(id=instance.official_id).update(roles_stamp=uuid.uuid4())


def _delegations_changed(sender: type, instance: Delegation, **kwargs: Any) -> None:
    Official.objects.filter(id=instance.delegate_id).update(roles_stamp=uuid.uuid4())


for _signal in (signals.post_save, signals.post_delete):
    _signal.connect(_roles_changed, sender=RoleMembership, dispatch_uid=f"viewer-{_signal}")
    _signal.connect(
        _delegations_changed, sender=Delegation, dispatch_uid=f"viewer-delegation-{_signal}"
    )


def viewer_of(request: HttpRequest) -> Viewer:
    """The request's viewer, read on first use and kept on the request for its other checks.

    Rebuilt if the request's user changed meanwhile (a token authenticates after middleware).
    """
    user = request.user
    kept: Viewer | None = getattr(request, "_motcua_viewer", None)
    if kept is not None and kept.user is user:
        return kept
    viewer = Viewer.of(user)
    request._motcua_viewer = viewer  # type: ignore[attr-defined]
    return viewer
