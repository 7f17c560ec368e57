"""Appending to and verifying the hash chain of a dossier's events.

The chain's head — the last event's number and hash — is kept on the dossier row and written in
the same transaction as the event, under the dossier's row lock. Appending therefore reads no
earlier event, and a verifier can tell a chain whose last events were deleted (the head points
past them) from an intact one. Whoever can write to the database can still rewrite a whole chain
with recomputed hashes and head, or delete a dossier with its events: the signed checkpoints
(dossiers.checkpoints) catch those, and dossiers.audit_scan checks everything at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from motcua.dossiers.models import Dossier, DossierEvent

GENESIS = "0" * 64

# What walk_chain reports (ChainProblem.reason); dossiers.audit_scan translates them.
EVENT_MISSING = "an event is missing"
LINK_BROKEN = "the link to the previous event is broken"
EVENT_ALTERED = "the event was altered"
ENDS_BEFORE_HEAD = "the chain ends before its head: events are missing"
NOT_AT_HEAD = "the chain does not end at its head"


def event_hash(event: DossierEvent | EventRow, dossier_code: str) -> str:
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


class EventRow(NamedTuple):
    """An event as read in bulk (`values_list(*EventRow._fields)`), hashed like the model."""

    dossier_id: int
    seq: int
    actor_id: int | None
    actor_name: str
    role: str
    agency_code: str
    action: str
    from_stage: str
    from_status: int | None
    to_stage: str
    to_status: int
    at: dt.datetime
    comment: str
    payload: Any
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainProblem:
    dossier_code: str
    seq: int
    reason: str


@dataclass(frozen=True)
class ChainWalk:
    """What walking one chain found: its first problem, its length, and the hash at `watch`."""

    problem: ChainProblem | None
    length: int
    watched_hash: str | None


def walk_chain(
    dossier_code: str,
    events: Iterable[DossierEvent | EventRow],
    *,
    head_seq: int,
    head_hash: str,
    watch: int = 0,
) -> ChainWalk:
    """Check events (in seq order) against each other and against the head kept on the dossier.

    Guarantees: every event is numbered 1, 2, … without a gap, links to the previous one's hash,
    hashes to its stored hash (`event_hash`), and the last one is the head (`head_seq`,
    `head_hash`), so a chain cut short, altered, reordered or extended behind the engine's back
    is reported. `watched_hash` is the hash of event number `watch` as found, for comparing
    with a checkpointed head.
    """
    previous = GENESIS
    expected_seq = 1
    watched = GENESIS if watch == 0 else None
    problem = None
    for event in events:
        if problem is not None:
            continue  # drain the rest: the caller may be streaming several chains
        if event.seq != expected_seq:
            problem = ChainProblem(dossier_code, expected_seq, EVENT_MISSING)
        elif event.prev_hash != previous:
            problem = ChainProblem(dossier_code, event.seq, LINK_BROKEN)
        elif event_hash(event, dossier_code) != event.hash:
            problem = ChainProblem(dossier_code, event.seq, EVENT_ALTERED)
        else:
            previous = event.hash
            if event.seq == watch:
                watched = event.hash
            expected_seq += 1
    length = expected_seq - 1
    if problem is None and (length, previous) != (head_seq, head_hash or GENESIS):
        reason = ENDS_BEFORE_HEAD if length < head_seq else NOT_AT_HEAD
        problem = ChainProblem(dossier_code, expected_seq, reason)
    return ChainWalk(problem, length, watched)


def verify_chain(dossier: Dossier) -> ChainProblem | None:
    """The first broken link of the dossier's chain, or None when it is intact (`walk_chain`)."""
    return walk_chain(
        dossier.code,
        dossier.events.order_by("seq"),
        head_seq=dossier.audit_seq,
        head_hash=dossier.audit_head,
    ).problem
