"""Appending to and verifying the hash chain of a dossier's events.

The chain's head — the last event's number and hash — is kept on the dossier row and written in
the same transaction as the event, under the dossier's row lock. Appending therefore reads no
earlier event, and a verifier can tell a chain whose last events were deleted (the head points
past them) from an intact one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from motcua.dossiers.models import Dossier, DossierEvent

GENESIS = "0" * 64


def event_hash(event: DossierEvent, dossier_code: str) -> str:
    """SHA-256 over the event's content and the previous hash, in a canonical JSON form."""
    content: dict[str, Any] = {
        "dossier": dossier_code,
        "seq": event.seq,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.role,
        "agency": event.agency_code,
        "action": event.action,
        "from": [event.from_stage, event.from_status],
        "to": [event.to_stage, event.to_status],
        "at": event.at.isoformat(),
        "comment": event.comment,
        "payload": event.payload,
        "prev": event.prev_hash,
    }
    canonical = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_event(dossier: Dossier, event: DossierEvent) -> DossierEvent:
    """Number and hash `event` after the dossier's head, and move the head to it.

    Neither row is written here: the caller saves the event and the dossier's `audit_seq` and
    `audit_head` in its transaction, holding the dossier's row lock (or creating the dossier).
    """
    event.seq = dossier.audit_seq + 1
    event.prev_hash = dossier.audit_head or GENESIS
    event.hash = event_hash(event, dossier.code)
    dossier.audit_seq, dossier.audit_head = event.seq, event.hash
    return event


@dataclass(frozen=True)
class ChainProblem:
    dossier_code: str
    seq: int
    reason: str


def verify_chain(dossier: Dossier) -> ChainProblem | None:
    """The first broken link of the dossier's chain, or None when it is intact."""
    previous = GENESIS
    expected_seq = 1
    for event in dossier.events.order_by("seq"):
        if event.seq != expected_seq:
            return ChainProblem(dossier.code, expected_seq, "an event is missing")
        if event.prev_hash != previous:
            return ChainProblem(dossier.code, event.seq, "the link to the previous event is broken")
        if event_hash(event, dossier.code) != event.hash:
            return ChainProblem(dossier.code, event.seq, "the event was altered")
        previous = event.hash
        expected_seq += 1
    if (expected_seq - 1, previous) != (dossier.audit_seq, dossier.audit_head or GENESIS):
        return ChainProblem(
            dossier.code, expected_seq, "the chain ends before its head: events are missing"
        )
    return None


def verify_all(batch: int = 500) -> Iterator[ChainProblem | None]:
    """One result per dossier (None when intact), streaming through the table."""
    for dossier in Dossier.objects.only("id", "code", "audit_seq", "audit_head").iterator(
        chunk_size=batch
    ):
        yield verify_chain(dossier)
