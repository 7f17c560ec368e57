"""Delegation of authority ("thừa ủy quyền"): a leader lends approving and/or signing, for named
procedures and a period, to another official of the same agency (accounts.models.Delegation).

The only code that creates or revokes delegations, and the reads of the back-office page. The
engine (dossiers.actions.engine) asks the viewer (`Viewer.delegation_for`) whether a delegate
may act, and `explain_refusal` here why not. Creating or revoking one takes effect at once in
every process: the write draws a new `roles_stamp` for the delegate (accounts.viewer).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.errors import (
    DelegationAlreadyRevokedError,
    DelegationEndedError,
    DelegationNotInForceError,
    DelegationNotPermittedError,
    DelegationNotStartedError,
    DelegationRevokedError,
)
from motcua.accounts.models import (
    DelegatedAction,
    Delegation,
    Official,
    Role,
    RoleMembership,
    User,
)
from motcua.accounts.viewer import Viewer
from motcua.catalog.models import Procedure
from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.units.models import Agency

logger = logging.getLogger(__name__)

# The law asks for a limited time (Decree 30/2020 art. 13); a year covers a leave or a term's
# arrangement, and a longer one should be a new written decision.
LONGEST = dt.timedelta(days=366)
REASON_MAX = 500
# What a slip prints when the leader's position was not recorded.
HEAD_OF_AGENCY = "Thủ trưởng cơ quan"


@dataclass(frozen=True)
class DelegationRequest:
    """What a leader (or an administrator, for a leader) asks to lend."""

    delegator_id: int
    delegate_id: int
    agency_id: int
    procedure_codes: Sequence[str]
    actions: Sequence[str]
    valid_from: dt.datetime
    valid_until: dt.datetime
    reason: str


def may_manage(viewer: Viewer, *, delegator_id: int, agency_id: int) -> bool:
    """The leader whose authority it is (a leader at the agency), or an administrator there."""
    if viewer.official is None:
        return False
    if viewer.holds(Role.ADMINISTRATOR, agency_id):
        return True
    return viewer.official.id == delegator_id and viewer.holds(Role.LEADER, agency_id)


def parse_codes(text: str) -> list[str]:
    """National codes typed by a person: separated by commas, semicolons or white space, each
    once, in the order given."""
    words = text.replace(",", " ").replace(";", " ").split()
    return list(dict.fromkeys(words))


def check_request(request: DelegationRequest, *, now: dt.datetime) -> list[InvalidInputError]:
    """Every problem with `request`, each naming its field, so a form shows them all at once."""
    return [
        *_check_people(request),
        *_check_actions(request.actions),
        *_check_procedures(request.procedure_codes),
        *_check_period(request.valid_from, request.valid_until, now=now),
        *_check_reason(request.reason),
    ]


def _check_people(request: DelegationRequest) -> list[InvalidInputError]:
    roles = {
        (m.official_id, m.role)
        for m in RoleMembership.objects.filter(
            agency_id=request.agency_id,
            official_id__in=[request.delegator_id, request.delegate_id],
        )
    }
    problems = []
    if (request.delegator_id, Role.LEADER) not in roles:
        problems.append(
            InvalidInputError("delegator", gettext("This official is not a leader of the agency."))
        )
    if request.delegate_id == request.delegator_id:
        problems.append(
            InvalidInputError("delegate", gettext("A leader cannot delegate to themselves."))
        )
    elif not any(official == request.delegate_id for official, _role in roles):
        problems.append(
            InvalidInputError(
                "delegate", gettext("The delegate must hold a role at the same agency.")
            )
        )
    return problems


def _check_actions(actions: Sequence[str]) -> list[InvalidInputError]:
    if not actions:
        return [InvalidInputError("actions", gettext("Choose approving, signing or both."))]
    if any(action not in DelegatedAction.values for action in actions):
        return [
            InvalidInputError("actions", gettext("Only approving and signing can be delegated."))
        ]
    return []


def _check_procedures(procedure_codes: Sequence[str]) -> list[InvalidInputError]:
    codes = list(dict.fromkeys(procedure_codes))
    if not codes:
        return [
            InvalidInputError("procedures", gettext("Name at least one procedure by its code."))
        ]
    known = set(
        Procedure.objects.filter(national_code__in=codes).values_list("national_code", flat=True)
    )
    unknown = [code for code in codes if code not in known]
    if unknown:
        return [
            InvalidInputError(
                "procedures",
                gettext("No procedure has the code {codes}.").format(codes=", ".join(unknown[:10])),
            )
        ]
    return []


def _check_period(
    valid_from: dt.datetime, valid_until: dt.datetime, *, now: dt.datetime
) -> list[InvalidInputError]:
    if valid_until <= valid_from:
        reason = gettext("The end must come after the start.")
    elif valid_until <= now:
        reason = gettext("This moment has passed.")
    elif valid_until - valid_from > LONGEST:
        reason = gettext("A delegation lasts at most one year.")
    else:
        return []
    return [InvalidInputError("valid_until", reason)]


def _check_reason(reason: str) -> list[InvalidInputError]:
    reason = reason.strip()
    if not reason:
        return [
            InvalidInputError(
                "reason", gettext("Say why, or give the number of the written decision.")
            )
        ]
    if len(reason) > REASON_MAX:
        return [
            InvalidInputError(
                "reason", gettext("At most {count} characters.").format(count=REASON_MAX)
            )
        ]
    return []


@transaction.atomic(durable=True)
def do_delegate_authority(request: DelegationRequest, *, acting_user: User) -> Delegation:
    """Lend the delegator's approving and/or signing for the named procedures and period.

    Writes one Delegation (and a new roles stamp for the delegate: effective at once in every
    process). No locks: two identical delegations are harmless, either one covers. Raises
    DelegationNotPermittedError (not the leader nor an administrator of the agency) and
    InvalidInputError (the first problem of `check_request`).
    """
    viewer = Viewer.of(acting_user)
    if not may_manage(viewer, delegator_id=request.delegator_id, agency_id=request.agency_id):
        raise DelegationNotPermittedError()
    problems = check_request(request, now=timezone.now())
    if problems:
        raise problems[0]
    delegator = Official.objects.get(id=request.delegator_id)
    delegation = Delegation.objects.create(
        delegator=delegator,
        delegate_id=request.delegate_id,
        agency_id=request.agency_id,
        delegator_title=delegator.position_title,
        procedure_codes=list(dict.fromkeys(request.procedure_codes)),
        actions=[a for a in DelegatedAction.values if a in request.actions],
        valid_from=request.valid_from,
        valid_until=request.valid_until,
        reason=request.reason.strip(),
        created_by=acting_user,
    )
    logger.info(
        "Delegation %s: official %s lends %s at agency %s to official %s",
        delegation.id,
        delegation.delegator_id,
        "+".join(delegation.actions),
        delegation.agency_id,
        delegation.delegate_id,
        extra={"acting_user_id": acting_user.id},
    )
    return delegation


@transaction.atomic(durable=True)
def do_revoke_delegation(delegation_id: int, *, acting_user: User) -> Delegation:
    """Take a delegation back now. Stamps `revoked_at`/`revoked_by` (the row stays, as the
    record of what was lent) and draws a new roles stamp for the delegate.

    Locks the delegation's row, which a delegate's action also locks while it uses it: an
    action either committed before the revocation or sees it. Raises NotFoundError,
    DelegationNotPermittedError, DelegationAlreadyRevokedError.
    """
    delegation = Delegation.objects.select_for_update().filter(id=delegation_id).first()
    if delegation is None:
        raise NotFoundError("delegation", str(delegation_id))
    viewer = Viewer.of(acting_user)
    if not may_manage(viewer, delegator_id=delegation.delegator_id, agency_id=delegation.agency_id):
        raise DelegationNotPermittedError()
    if delegation.revoked_at is not None:
        raise DelegationAlreadyRevokedError()
    delegation.revoked_at, delegation.revoked_by = timezone.now(), acting_user
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    logger.info("Delegation %s revoked", delegation.id, extra={"acting_user_id": acting_user.id})
    return delegation


def lock_delegation_in_use(delegation: Delegation) -> Delegation:
    """The delegation a delegate's action relies on, read again and locked in the action's
    transaction (a revocation committed since the viewer was read counts). Raises
    DelegationRevokedError if it was revoked meanwhile."""
    current = (
        Delegation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("delegator")
        .get(id=delegation.id)
    )
    if current.revoked_at is not None:
        raise _not_in_force(DelegationRevokedError, current, current.revoked_at)
    return current


def explain_refusal(
    official: Official, *, action: str, agency_id: int, procedure_code: str, at: dt.datetime
) -> DelegationNotInForceError | None:
    """Why the official's delegation for `action` on this procedure at this agency does not
    let them act at `at` (not started, ended, revoked), or None if they never had one.
    Read only when an action is refused."""
    candidates = [
        d
        for d in Delegation.objects.filter(delegate=official, agency_id=agency_id)
        .select_related("delegator")
        .order_by("-valid_until", "-id")
        if action in d.actions and procedure_code in d.procedure_codes
    ]
    if not candidates:
        return None
    upcoming = [d for d in candidates if d.revoked_at is None and d.valid_from > at]
    if upcoming:
        soonest = min(upcoming, key=lambda d: d.valid_from)
        return _not_in_force(DelegationNotStartedError, soonest, soonest.valid_from)
    # The one that stopped last, by revocation or at its end.
    last = max(candidates, key=_stopped_at)
    if last.revoked_at is not None and last.revoked_at < last.valid_until:
        return _not_in_force(DelegationRevokedError, last, last.revoked_at)
    return _not_in_force(DelegationEndedError, last, last.valid_until)


def _stopped_at(delegation: Delegation) -> dt.datetime:
    if delegation.revoked_at is not None:
        return min(delegation.revoked_at, delegation.valid_until)
    return delegation.valid_until


def _not_in_force(
    kind: type[DelegationNotInForceError], delegation: Delegation, moment: dt.datetime
) -> DelegationNotInForceError:
    actions = [str(DelegatedAction(a).label).lower() for a in delegation.actions]
    return kind(
        action=" / ".join(actions),
        delegator=delegation.delegator.full_name,
        moment=timezone.localtime(moment).strftime("%d/%m/%Y %H:%M"),
    )


def on_behalf_title(delegation: Delegation) -> str:
    """What precedes the delegate's own title on a signed paper: "TUQ. GIÁM ĐỐC"."""
    return f"TUQ. {(delegation.delegator_title or HEAD_OF_AGENCY).upper()}"


# Reads for the page


def list_delegations(viewer: Viewer) -> dict[str, list[Delegation]]:
    """The delegations the viewer gave, received, and (as an administrator) those of the
    agencies they administer, newest first."""
    official = viewer.official
    if official is None:
        return {"given": [], "received": [], "agency": []}
    rows = _with_people(
        Delegation.objects.filter(
            Q(delegator=official)
            | Q(delegate=official)
            | Q(agency_id__in=viewer.agency_ids([Role.ADMINISTRATOR]))
        )
    )
    return {
        "given": [d for d in rows if d.delegator_id == official.id],
        "received": [d for d in rows if d.delegate_id == official.id],
        "agency": [d for d in rows if official.id not in (d.delegator_id, d.delegate_id)],
    }


def _with_people(delegations: QuerySet[Delegation]) -> list[Delegation]:
    return list(
        delegations.select_related("delegator", "delegate", "agency", "revoked_by").order_by(
            "-created_at", "-id"
        )
    )


def list_authorities(viewer: Viewer) -> list[RoleMembership]:
    """Whose authority at which agency the viewer may lend: their own as a leader, and every
    leader's of an agency they administer."""
    if viewer.official is None:
        return []
    administered = viewer.agency_ids([Role.ADMINISTRATOR])
    return list(
        RoleMembership.objects.filter(role=Role.LEADER)
        .filter(Q(official=viewer.official) | Q(agency_id__in=administered))
        .select_related("official", "agency")
        .order_by("agency__name", "official__full_name", "id")
    )


def list_possible_delegates(agency_ids: Iterable[int]) -> list[tuple[Official, Agency]]:
    """The officials who hold a role at one of `agency_ids`, each once per agency."""
    seen: dict[tuple[int, int], tuple[Official, Agency]] = {}
    for membership in (
        RoleMembership.objects.filter(agency_id__in=list(agency_ids))
        .select_related("official", "agency")
        .order_by("agency__name", "official__full_name", "id")
    ):
        seen.setdefault(
            (membership.official_id, membership.agency_id),
            (membership.official, membership.agency),
        )
    return list(seen.values())


def delegation_state(delegation: Delegation, now: dt.datetime) -> str:
    """revoked / upcoming / in_force / ended, for the page."""
    if delegation.revoked_at is not None:
        return "revoked"
    if now < delegation.valid_from:
        return "upcoming"
    if now < delegation.valid_until:
        return "in_force"
    return "ended"
