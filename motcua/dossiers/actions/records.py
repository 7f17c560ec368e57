"""What every change leaves behind: the hash-chained audit event, the outbox row, the version.

Called inside the action's transaction, with the dossier row locked (or just created). The
dossier row itself is written once, by the caller, after the event has moved the chain's head.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from motcua.accounts.models import User
from motcua.dossiers.audit import chain_event
from motcua.dossiers.models import Dossier, DossierEvent, OutboxMessage
from motcua.dossiers.outbox import sync_payload


def record_event(
    dossier: Dossier,
    action: str,
    *,
    user: User,
    role: str,
    from_stage: str,
    from_status: int | None,
    now: dt.datetime,
    comment: str = "",
    payload: dict[str, Any] | None = None,
) -> DossierEvent:
    """Append the audit event of `action` and move the chain's head on the dossier (unsaved).

    The event is saved now; a dossier being created must be saved first by the caller.
    """
    event = DossierEvent(
        dossier=dossier,
        actor=user,
        actor_name=user.get_full_name() or user.username,
        role=role,
        agency_code=dossier.current_agency.code,
        action=action,
        from_stage=from_stage,
        to_stage=dossier.stage,
        from_status=from_status,
        to_status=dossier.status,
        at=now,
        comment=comment[:2000],
        payload=_jsonable(payload or {}),
    )
    chain_event(dossier, event)
    if dossier.pk is not None:
        event.save()
    return event


def record_sync(
    dossier: Dossier, topic: str, *, before: dict[str, Any] | None, now: dt.datetime
) -> None:
    """An outbox row for the national portal whenever the sync record changed — a new status,
    but also a new due date (reschedule, resumed clock) or a new handling agency (transfer)."""
    after = sync_payload(dossier)
    if after != before:
        OutboxMessage.objects.create(
            topic=f"dossier.{topic}", dossier=dossier, payload=after, created_at=now
        )


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(payload, default=str))  # type: ignore[no-any-return]
