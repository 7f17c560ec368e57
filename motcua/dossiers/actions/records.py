"""What every change leaves behind: the hash-chained audit event, the outbox row, the version."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.audit import append_event
from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    OutboxMessage,
)
from motcua.dossiers.outbox import sync_payload
from motcua.dossiers.workflow import (
    Actor,
)

logger = logging.getLogger(__name__)


def record_change(
    dossier: Dossier,
    action: str,
    *,
    user: User,
    actor: Actor,
    from_stage: str,
    from_status: int | None,
    now: dt.datetime,
    comment: str = "",
    payload: dict[str, Any] | None = None,
) -> None:
    if dossier.pk and from_stage:
        dossier.row_version += 1
        dossier.save()
    last = dossier.events.order_by("-seq").first() if from_stage else None
    append_event(
        dossier,
        DossierEvent(
            actor=user,
            actor_name=user.get_full_name() or user.username,
            role=actor.value,
            agency_code=dossier.current_agency.code,
            action=action,
            from_stage=from_stage,
            to_stage=dossier.stage,
            from_status=from_status,
            to_status=dossier.status,
            at=now,
            comment=comment[:2000],
            payload=_jsonable(payload or {}),
        ),
        last=last,
    )
    if from_status != dossier.status:
        OutboxMessage.objects.create(
            topic=f"dossier.{action}",
            dossier=dossier,
            payload=sync_payload(dossier),
            created_at=now,
        )


def record_event_only(
    dossier: Dossier, action: str, *, user: User, payload: dict[str, Any]
) -> None:
    last = dossier.events.order_by("-seq").first()
    dossier.row_version += 1
    dossier.save(update_fields=["row_version", "updated_at"])
    append_event(
        dossier,
        DossierEvent(
            actor=user,
            actor_name=user.get_full_name() or user.username,
            role="",
            agency_code=dossier.current_agency.code,
            action=action,
            from_stage=dossier.stage,
            to_stage=dossier.stage,
            from_status=dossier.status,
            to_status=dossier.status,
            at=timezone.now(),
            payload=payload,
        ),
        last=last,
    )


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(payload, default=str))
