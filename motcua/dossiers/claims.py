"""The dossier side of a claim (accounts.claims): dossiers change applicant, on the audit chain."""

from __future__ import annotations

import datetime as dt

from motcua.accounts.models import Citizen, User
from motcua.dossiers.actions.records import record_event, record_sync
from motcua.dossiers.models import Dossier
from motcua.dossiers.outbox import sync_payload
from motcua.dossiers.workflow import Actor

CLAIM_ACTION = "claim"


def move_dossiers(
    source: Citizen, target: Citizen, *, user: User, proof: str, now: dt.datetime
) -> int:
    """Give every dossier of `source` to `target`, each with a "claim" event; return how many.

    Call inside the claim's transaction. Each dossier row is locked (as every engine action
    locks it) before its chain moves, so a concurrent action on the same dossier waits and then
    sees the new head. The event records the two profiles' ids and the kind of proof, no
    personal data; the stage and status do not change. The receipt's claim code is cleared: it
    has done its work.
    """
    dossiers = (
        Dossier.objects.select_for_update(no_key=True, of=("self",))
        .select_related("current_agency")
        .filter(applicant_citizen=source)
        .order_by("id")
    )
    moved = 0
    for dossier in dossiers:
        before = sync_payload(dossier)
        dossier.applicant_citizen = target
        dossier.claim_code = ""
        dossier.row_version += 1
        record_event(
            dossier,
            CLAIM_ACTION,
            user=user,
            role=Actor.APPLICANT.value,
            from_stage=dossier.stage,
            from_status=dossier.status,
            now=now,
            payload={
                "from": f"citizen:{source.id}",
                "to": f"citizen:{target.id}",
                "proof": proof,
            },
        )
        dossier.save(
            update_fields=[
                "applicant_citizen",
                "claim_code",
                "row_version",
                "audit_seq",
                "audit_head",
                "updated_at",
            ]
        )
        record_sync(dossier, CLAIM_ACTION, before=before, now=now)
        moved += 1
    return moved
