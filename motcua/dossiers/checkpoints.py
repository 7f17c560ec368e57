"""Signed checkpoints of every audit chain's head, with a key kept outside the database.

A hash chain only proves that a dossier's events agree with each other and with the head on its
row; whoever can write to the database can rewrite a chain with recomputed hashes and head, or
delete a dossier with its events. A checkpoint closes that gap: it records the head (dossier
code, last seq, last hash) of every chain and signs a digest of them all with an Ed25519 key
that the database never holds. After a checkpoint, a chain can only grow: `verify_audit` reports
any chain that no longer passes through its checkpointed head (rewritten), that got shorter,
and any dossier that disappeared. Checkpoints link to each other (each signs the digest of the
previous statement) and are exported as JSON lines that anyone can check with the public key
alone (scripts/verify_checkpoint_export.py), so a third party holding them can tell whether the
checkpoints themselves were replaced.

The signed statement, as canonical JSON (keys sorted, no spaces, ASCII), format
"motcua-audit-checkpoint/1": number, created_at (ISO 8601, UTC), dossiers (count), events (sum of
every chain's length), root, previous (SHA-256 of the previous statement, 64 zeros for the
first), key_id (first 16 hex digits of SHA-256 of the raw 32-byte public key). The root: each
dossier gives the line "<id>\\t<code>\\t<seq>\\t<head>\\n" (head: 64 zeros for an empty chain);
dossiers are grouped by id // 4096 into buckets, each bucket's digest is the SHA-256 of its
lines in id order, and the root is the SHA-256 of "<bucket>\\t<digest>\\n" for every non-empty
bucket in order (two levels of a Merkle tree, so id ranges are hashed in parallel).

Keys: settings.MOTCUA_AUDIT_SIGNING_KEY (created with mode 600 on first use) signs;
settings.MOTCUA_AUDIT_PUBLIC_KEYS holds every public key ever used, which alone the verifier
trusts. Rotating writes a new signing key; older checkpoints keep verifying by their key_id.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from motcua.dossiers.audit import GENESIS
from motcua.dossiers.models import AuditCheckpoint, CheckpointedHead, Dossier

FORMAT = "motcua-audit-checkpoint/1"
BUCKET_SIZE = 4096
_BATCH = 5000


# ---------------------------------------------------------------------------------------------
# The root over every chain's head
# ---------------------------------------------------------------------------------------------


@dataclass
class HeadDigest:
    """Bucket digests, count and total length of heads given in ascending dossier id."""

    buckets: dict[int, Any] = field(default_factory=dict)
    dossiers: int = 0
    events: int = 0

    def add(self, dossier_id: int, code: str, seq: int, head: str) -> None:
        bucket = dossier_id // BUCKET_SIZE
        digest = self.buckets.get(bucket)
        if digest is None:
            digest = self.buckets[bucket] = hashlib.sha256()
        digest.update(f"{dossier_id}\t{code}\t{seq}\t{head or GENESIS}\n".encode())
        self.dossiers += 1
        self.events += seq

    def digests(self) -> dict[int, str]:
        return {bucket: h.hexdigest() for bucket, h in self.buckets.items()}


def root_of(bucket_digests: dict[int, str]) -> str:
    """The root over the bucket digests (ids // BUCKET_SIZE), in bucket order."""
    root = hashlib.sha256()
    for bucket in sorted(bucket_digests):
        root.update(f"{bucket}\t{bucket_digests[bucket]}\n".encode())
    return root.hexdigest()


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    """Write with mode 600 from the start (never readable by others, not even briefly)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(_private_pem(key))
        out.flush()
        os.fsync(out.fileno())


def trust_public_key(public_key: Ed25519PublicKey) -> str:
    """Keep the public key among the trusted ones (<key id>.pem); returns its key id."""
    key_id = key_id_of(public_key)
    folder = Path(settings.MOTCUA_AUDIT_PUBLIC_KEYS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key_id}.pem"
    if not path.exists():
        path.write_bytes(public_key_pem(public_key))
    return key_id


def signing_key() -> Ed25519PrivateKey:
    """The key that signs checkpoints, created on first use; its public key is trusted."""
    path = Path(settings.MOTCUA_AUDIT_SIGNING_KEY)
    if not path.exists():
        # Another process may create it first: then its key is the one.
        with contextlib.suppress(FileExistsError):
            _write_private(path, Ed25519PrivateKey.generate())
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 private key.")
    trust_public_key(key.public_key())
    return key


def rotate_signing_key() -> str:
    """Replace the signing key by a new one; returns the new key id.

    The old private key is overwritten (a retired key must not be able to sign again); its
    public key stays trusted, so the checkpoints it signed keep verifying.
    """
    path = Path(settings.MOTCUA_AUDIT_SIGNING_KEY)
    if path.exists():
        signing_key()  # make sure the old public key is kept before its private key goes
    new_key = Ed25519PrivateKey.generate()
    staging = path.with_name(path.name + ".new")
    staging.unlink(missing_ok=True)
    _write_private(staging, new_key)
    os.replace(staging, path)
    return trust_public_key(new_key.public_key())


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """The public keys in settings.MOTCUA_AUDIT_PUBLIC_KEYS, by the key id computed from each."""
    keys: dict[str, Ed25519PublicKey] = {}
    folder = Path(settings.MOTCUA_AUDIT_PUBLIC_KEYS)
    for path in sorted(folder.glob("*.pem")) if folder.is_dir() else ():
        key = serialization.load_pem_public_key(path.read_bytes())
        if isinstance(key, Ed25519PublicKey):
            keys[key_id_of(key)] = key
    return keys


# ---------------------------------------------------------------------------------------------
# Statements
# ---------------------------------------------------------------------------------------------


def statement(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """What a checkpoint's signature covers (the format in the module docstring)."""
    return {
        "format": FORMAT,
        "number": checkpoint.number,
        "created_at": checkpoint.created_at.astimezone(dt.UTC).isoformat(),
        "dossiers": checkpoint.dossiers,
        "events": checkpoint.events,
        "root": checkpoint.root,
        "previous": checkpoint.previous,
        "key_id": checkpoint.key_id,
    }


def statement_bytes(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def statement_digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(statement_bytes(content)).hexdigest()


def export_line(checkpoint: AuditCheckpoint) -> str:
    """One JSON line: {"statement": {...}, "signature": base64 of the 64-byte signature}."""
    return json.dumps(
        {"statement": statement(checkpoint), "signature": checkpoint.signature},
        sort_keys=True,
        ensure_ascii=True,
    )


@dataclass(frozen=True)
class CheckpointProblem:
    number: int
    reason: str  # one of the CHECKPOINT_* values below


CHECKPOINT_UNKNOWN_KEY = "unknown_key"
CHECKPOINT_BAD_SIGNATURE = "bad_signature"
CHECKPOINT_BROKEN_LINK = "broken_link"


def verify_checkpoints(
    checkpoints: Iterable[AuditCheckpoint], keys: dict[str, Ed25519PublicKey]
) -> Iterator[CheckpointProblem]:
    """Every checkpoint's signature by a trusted key, and the chain of checkpoints.

    Guarantees: each statement was signed by the key it names, that key is trusted, checkpoint
    numbers run 1, 2, … and each names the digest of the one before, so a checkpoint altered,
    removed from the middle or inserted is reported (removing the newest ones shows only
    against an exported copy).
    """
    previous, expected = GENESIS, 1
    for checkpoint in checkpoints:
        content = statement(checkpoint)
        if checkpoint.number != expected or checkpoint.previous != previous:
            yield CheckpointProblem(checkpoint.number, CHECKPOINT_BROKEN_LINK)
        key = keys.get(checkpoint.key_id)
        if key is None:
            yield CheckpointProblem(checkpoint.number, CHECKPOINT_UNKNOWN_KEY)
        else:
            try:
                key.verify(base64.b64decode(checkpoint.signature), statement_bytes(content))
            except (InvalidSignature, ValueError):
                yield CheckpointProblem(checkpoint.number, CHECKPOINT_BAD_SIGNATURE)
        previous, expected = statement_digest(content), checkpoint.number + 1


# ---------------------------------------------------------------------------------------------
# Taking a checkpoint
# ---------------------------------------------------------------------------------------------


def _merged(
    dossiers: Iterator[tuple[int, str, int, str]], heads: Iterator[tuple[int, str, int, str]]
) -> Iterator[tuple[tuple[int, str, int, str] | None, tuple[int, str, int, str] | None]]:
    """Pairs (dossier, checkpointed head) of the same id, from two streams in id order."""
    d, h = next(dossiers, None), next(heads, None)
    while d is not None or h is not None:
        if h is None or (d is not None and d[0] < h[0]):
            yield d, None
            d = next(dossiers, None)
        elif d is None or h[0] < d[0]:
            yield None, h
            h = next(heads, None)
        else:
            yield d, h
            d, h = next(dossiers, None), next(heads, None)


@transaction.atomic(durable=True)
def do_take_checkpoint(*, key: Ed25519PrivateKey | None = None) -> AuditCheckpoint:
    """Record every dossier's chain head and sign them all as the next checkpoint.

    Writes the CheckpointedHead rows that changed (new, moved, or of dossiers gone) and one
    AuditCheckpoint row, in one transaction. Locks the latest checkpoint row, so two runs at
    once take turns (the very first two: one fails on the unique number). It signs what it
    reads: run `verify_audit` first (`manage.py checkpoint_audit` does), or a rewrite made
    before this checkpoint would be signed as the truth.
    """
    key = key or signing_key()
    latest = AuditCheckpoint.objects.select_for_update(no_key=True).order_by("-number").first()
    number = (latest.number + 1) if latest else 1
    previous = statement_digest(statement(latest)) if latest else GENESIS
    digest = HeadDigest()
    fresh: list[CheckpointedHead] = []
    stale: list[int] = []
    dossiers = (
        Dossier.objects.order_by("id")
        .values_list("id", "code", "audit_seq", "audit_head")
        .iterator(chunk_size=_BATCH)
    )
    heads = (
        CheckpointedHead.objects.order_by("dossier_id")
        .values_list("dossier_id", "code", "seq", "head")
        .iterator(chunk_size=_BATCH)
    )
    for now, then in _merged(dossiers, heads):
        if now is None:
            assert then is not None
            stale.append(then[0])
        else:
            dossier_id, code, seq, head = now[0], now[1], now[2], now[3] or GENESIS
            digest.add(dossier_id, code, seq, head)
            if then != (dossier_id, code, seq, head):
                if then is not None:
                    stale.append(dossier_id)
                fresh.append(CheckpointedHead(dossier_id, code, seq, head, number))
        # PostgreSQL's cursors read the snapshot they opened with, so writing as we go is safe
        # there; SQLite's might see the writes, so they wait for the end.
        if connection.vendor == "postgresql" and max(len(fresh), len(stale)) >= _BATCH:
            _write_heads(fresh, stale)
    _write_heads(fresh, stale)
    checkpoint = AuditCheckpoint(
        number=number,
        created_at=timezone.now(),
        dossiers=digest.dossiers,
        events=digest.events,
        root=root_of(digest.digests()),
        previous=previous,
        key_id=key_id_of(key.public_key()),
    )
    checkpoint.signature = base64.b64encode(
        key.sign(statement_bytes(statement(checkpoint)))
    ).decode()
    checkpoint.save()
    return checkpoint


def _write_heads(fresh: list[CheckpointedHead], stale: list[int]) -> None:
    if stale:
        CheckpointedHead.objects.filter(dossier_id__in=stale).delete()
        stale.clear()
    if fresh:
        CheckpointedHead.objects.bulk_create(fresh, batch_size=1000)
        fresh.clear()
