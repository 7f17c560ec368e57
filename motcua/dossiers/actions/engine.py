"""Applying an action to a dossier: lock, check, transition, clock, record — one transaction.

The statements of an action, in order (the count is checked by test_statement_counts.py): the
dossier row, locked and filtered by what the actor may see (1); its steps and documents, read once
for the handlers, the step clock and the answer (2; results too once a result may exist); the
calendar revision when a date is computed (1); what the handler writes; the step rows (1–2); the
audit event (1); the dossier row, changed columns only (1); the outbox row when the national
sync record changed (0–1). A delegate's approve or sign also reads and locks the delegation it
relies on (1; accounts.delegations), whose leader it names in the event ("on_behalf_of").
The procedure version and the agencies come from what the process keeps (`catalog.rules`,
`units.queries.get_agencies`), the chain's head from the dossier row.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.delegations import explain_refusal, lock_delegation_in_use, on_behalf_title
from motcua.accounts.models import Delegation, User
from motcua.accounts.viewer import Viewer
from motcua.common.errors import InvalidInputError
from motcua.dossiers.access import (
    DELEGABLE_ACTIONS,
    actors_for,
    delegation_for,
    lock_visible_dossier,
)
from motcua.dossiers.actions import steps
from motcua.dossiers.actions.context import ActionContext
from motcua.dossiers.actions.handlers import HANDLERS
from motcua.dossiers.actions.params import check_params
from motcua.dossiers.actions.records import record_event, record_sync
from motcua.dossiers.errors import (
    ActionNotAllowedError,
    ConflictError,
    DossierNotFoundError,
    NotPermittedError,
    RescheduleRefusedError,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.outbox import sync_payload
from motcua.dossiers.queries import load_related, with_rules
from motcua.dossiers.workflow import (
    STATUS_OF,
    Action,
    Actor,
    Stage,
    find_transition,
    transitions_for,
)
from motcua.worktime.queries import CalendarBook

DossierRef = int | str  # the database id (internal callers) or the public code (requests)


def parse_action(action: str) -> Action:
    try:
        return Action(action)
    except ValueError:
        raise InvalidInputError(
            "action", gettext("unknown action {action}.").format(action=action)
        ) from None


def do_act_on_dossier(
    dossier: DossierRef,
    action: str,
    *,
    acting_user: User,
    viewer: Viewer | None = None,
    book: CalendarBook | None = None,
    expected_version: int | None = None,
    comment: str = "",
    params: dict[str, Any] | None = None,
) -> Dossier:
    """Apply `action` to the dossier (by id or code), as `acting_user` (whose `viewer`, if the
    request already read it, saves a query; the request's calendar `book` likewise).

    Locks the dossier row (SELECT … FOR NO KEY UPDATE on PostgreSQL; SQLite serialises writers).
    Appends the audit event, writes the outbox row when the sync record changed. Raises
    DossierNotFoundError (not visible to the actor), ConflictError, NotPermittedError,
    ActionNotAllowedError, InvalidInputError, DocumentsMissingError, RescheduleRefusedError
    (after the refused attempt is committed to the record).
    """
    chosen = parse_action(action)
    viewer = viewer if viewer is not None else Viewer.of(acting_user)
    with transaction.atomic(durable=True):
        changed, refused = apply_action(
            dossier,
            chosen,
            viewer=viewer,
            book=book,
            expected_version=expected_version,
            comment=comment,
            params=params,
        )
    if refused is not None:
        raise refused
    return changed


def apply_action(
    ref: DossierRef,
    chosen: Action,
    *,
    viewer: Viewer,
    book: CalendarBook | None = None,
    expected_version: int | None = None,
    comment: str = "",
    params: dict[str, Any] | None = None,
) -> tuple[Dossier, RescheduleRefusedError | None]:
    """The body of `do_act_on_dossier`, for actions of other modules that act on a dossier in
    their own transaction (it must be inside one). A refused reschedule is recorded and
    returned, not raised, so that the record commits with the caller's transaction."""
    assert transaction.get_connection().in_atomic_block, "apply_action needs a transaction"
    dossier = _lock(ref, viewer)
    if expected_version is not None and dossier.row_version != expected_version:
        raise ConflictError(expected_version, dossier.row_version)
    stage = Stage(dossier.stage)
    now = timezone.now()
    mine = actors_for(viewer, dossier)
    transition = find_transition(chosen, stage, accepted=dossier.accepted_at is not None)
    if transition is None:
        # Not open at this stage: say so to those who could ever take it, else 403.
        if not any(t.actors & mine for t in transitions_for(chosen)) and not (
            chosen in DELEGABLE_ACTIONS and viewer.may_be_delegated(chosen.value)
        ):
            raise NotPermittedError(chosen.value)
        raise ActionNotAllowedError(chosen.value, stage.value)
    actors = mine & transition.actors
    delegation = None
    if not actors:
        # A delegate acts as the leader who lent the action, for as long as it is lent.
        delegation = _delegation_in_use(viewer, dossier, chosen, now)
        actors = frozenset({Actor.LEADER})

    # What the action takes, as it declares it (actions.params), before anything is read.
    checked = check_params(chosen, params or {})
    load_related(dossier)
    before = _columns(dossier)
    synced = sync_payload(dossier)
    ctx = ActionContext(dossier, viewer, sorted(actors)[0], now, checked, book or CalendarBook())
    if delegation is not None:
        ctx.on_behalf_of = on_behalf_payload(delegation)
    handler = HANDLERS.get(chosen)
    try:
        decided = handler(ctx) if handler is not None else None
    except RescheduleRefusedError as exc:
        # The law allows one new date; the attempt is refused but kept on record.
        dossier.flagged = [*dossier.flagged, "second_reschedule_refused"]
        _record(ctx, "reschedule_refused", stage, before, synced, comment=comment, payload=params)
        return dossier, exc
    new_stage = transition.target or decided or stage
    steps.move(ctx, stage, new_stage)
    dossier.stage, dossier.status = new_stage, STATUS_OF[new_stage]
    steps.save_new_steps(ctx)
    _record(ctx, chosen.value, stage, before, synced, comment=comment, payload=ctx.payload)
    return dossier, None


def _delegation_in_use(
    viewer: Viewer, dossier: Dossier, chosen: Action, now: dt.datetime
) -> Delegation:
    """The delegation that lets a delegate take `chosen` now, locked for the action's
    transaction (a revocation waits for the action, or the action sees it). Raises
    DelegationNotInForceError (not yet, no longer, revoked) or NotPermittedError (none for this
    action, procedure or agency)."""
    delegation = delegation_for(viewer, dossier, chosen, now)
    if delegation is None:
        official = viewer.official
        refusal = (
            explain_refusal(
                official,
                action=chosen.value,
                agency_id=dossier.current_agency_id,
                procedure_code=dossier.procedure.national_code,
                at=now,
            )
            if official is not None and chosen in DELEGABLE_ACTIONS
            else None
        )
        raise refusal or NotPermittedError(chosen.value)
    return lock_delegation_in_use(delegation)


def on_behalf_payload(delegation: Delegation) -> dict[str, Any]:
    """What the audit event records of a delegated action: the delegation and the leader on
    whose behalf it was taken ("TUQ."), as they were at that moment."""
    return {
        "delegation": delegation.id,
        "delegator": delegation.delegator_id,
        "delegator_name": delegation.delegator.full_name,
        "delegator_title": delegation.delegator_title,
        "title": on_behalf_title(delegation),
    }


def _lock(ref: DossierRef, viewer: Viewer) -> Dossier:
    # The visibility filter makes the lock and the access check one statement.
    dossier = lock_visible_dossier(viewer, ref)
    if dossier is None:
        raise DossierNotFoundError(str(ref))
    return with_rules(dossier)


# Columns the engine never changes through the dossier instance.
_FIXED = frozenset({"id", "code", "updated_at"})


def _columns(dossier: Dossier) -> dict[str, Any]:
    # Handlers replace a JSON value (flags, the due-date explanation, the plan) rather than
    # change it in place, so a shallow copy is enough to see what they changed.
    return {
        f.attname: copy.copy(getattr(dossier, f.attname))
        for f in Dossier._meta.concrete_fields
        if f.attname not in _FIXED
    }


def _record(
    ctx: ActionContext,
    action: str,
    from_stage: Stage,
    before: dict[str, Any],
    synced: dict[str, Any],
    *,
    comment: str,
    payload: dict[str, Any] | None,
) -> None:
    """The audit event, the dossier's changed columns (with the new version and chain head) in
    one UPDATE, and the outbox row if the national sync record changed."""
    dossier = ctx.dossier
    dossier.row_version += 1
    record_event(
        dossier,
        action,
        user=ctx.user,
        role=ctx.actor.value,
        from_stage=from_stage.value,
        from_status=STATUS_OF[from_stage],
        now=ctx.now,
        comment=comment,
        payload={**(payload or {}), "on_behalf_of": ctx.on_behalf_of}
        if ctx.on_behalf_of
        else payload,
    )
    changed = [name for name, value in before.items() if getattr(dossier, name) != value]
    dossier.save(update_fields=[*(n.removesuffix("_id") for n in changed), "updated_at"])
    record_sync(dossier, action, before=synced, now=ctx.now)
