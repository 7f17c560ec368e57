"""Checking every audit chain against its head and the signed checkpoints, in parallel.

What `verify_audit` guarantees when it reports nothing: every dossier's events are numbered
without a gap, link to each other and hash to their stored hashes (`audit.walk_chain`); each
chain ends at the head kept on its dossier row; every checkpoint is signed by a trusted key and
links to the one before; the checkpointed heads hash to the newest checkpoint's signed root; and
every dossier the newest checkpoint saw still exists, under the same code, with a chain that
still passes through the checkpointed head. Anything else is a finding, named by dossier code.

The work is split into id ranges of `checkpoints.BUCKET_SIZE` dossiers, checked by `workers`
processes (fork); a range costs three ordered scans — its dossiers, their checkpointed heads,
and their events by (dossier, seq), the unique index's order — in one read-only snapshot
(REPEATABLE READ on PostgreSQL), so a busy database gives no false alarm. Hashes are
recomputed with `audit.event_hash`, the function that made them.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.util
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter

from django.db import connection, connections, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import audit, checkpoints
from motcua.dossiers.models import AuditCheckpoint, CheckpointedHead, Dossier, DossierEvent

FINDINGS = {
    audit.EVENT_MISSING: _("an event is missing"),
    audit.LINK_BROKEN: _("the link to the previous event is broken"),
    audit.EVENT_ALTERED: _("the event was altered"),
    audit.ENDS_BEFORE_HEAD: _("the chain ends before its head: events are missing"),
    audit.NOT_AT_HEAD: _("the chain does not end at the head kept on the dossier"),
    "rewritten": _("the chain was rewritten: it no longer passes through the checkpointed head"),
    "shortened": _("events were removed since the checkpoint"),
    "renamed": _("the dossier's code changed since the checkpoint"),
    "removed": _("the dossier was removed since the checkpoint"),
    "orphans": _("events of a dossier that does not exist"),
    checkpoints.CHECKPOINT_BAD_SIGNATURE: _("the checkpoint's signature does not verify"),
    checkpoints.CHECKPOINT_UNKNOWN_KEY: _("the checkpoint is signed by a key that is not trusted"),
    checkpoints.CHECKPOINT_BROKEN_LINK: _(
        "the checkpoint does not follow the one before (one is missing, altered or inserted)"
    ),
    "heads": _("the checkpointed heads do not match the newest checkpoint's signed root"),
    "moved": _("a checkpoint was taken during the check: run it again"),
}
CHECKPOINT_FINDINGS = frozenset(
    {
        checkpoints.CHECKPOINT_BAD_SIGNATURE,
        checkpoints.CHECKPOINT_UNKNOWN_KEY,
        checkpoints.CHECKPOINT_BROKEN_LINK,
        "heads",
        "moved",
    }
)


@dataclass(frozen=True)
class Finding:
    """One problem: `subject` is a dossier code (or `#id` of a vanished one) or `checkpoint N`."""

    subject: str
    seq: int | None
    kind: str

    @property
    def about_checkpoints(self) -> bool:
        return self.kind in CHECKPOINT_FINDINGS

    @property
    def message(self) -> str:
        return str(FINDINGS[self.kind])


@dataclass
class RangeResult:
    dossiers: int = 0
    events: int = 0
    added: int = 0
    grown: int = 0
    findings: list[Finding] = field(default_factory=list)
    # The checkpointed heads of the range, for the signed root.
    head_buckets: dict[int, str] = field(default_factory=dict)
    heads: int = 0
    head_events: int = 0


@contextmanager
def _snapshot() -> Iterator[None]:
    """One read-only snapshot for the range's three reads (inside a caller's transaction when
    there is one: tests run the check in theirs)."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def scan_range(bounds: tuple[int, int]) -> RangeResult:
    """Check the dossiers with lo <= id < hi (see the module docstring)."""
    lo, hi = bounds
    result = RangeResult()
    with _snapshot():
        dossiers = list(
            Dossier.objects.filter(id__gte=lo, id__lt=hi)
            .order_by("id")
            .values_list("id", "code", "audit_seq", "audit_head")
        )
        kept = list(
            CheckpointedHead.objects.filter(dossier_id__gte=lo, dossier_id__lt=hi)
            .order_by("dossier_id")
            .values_list("dossier_id", "code", "seq", "head")
        )
        rows = (
            DossierEvent.objects.filter(dossier_id__gte=lo, dossier_id__lt=hi)
            .order_by("dossier_id", "seq")
            .values_list(*audit.EventRow._fields)
            .iterator(chunk_size=10_000)
        )
        digest = checkpoints.HeadDigest()
        for row in kept:
            digest.add(*row)
        result.head_buckets, result.heads, result.head_events = (
            digest.digests(),
            digest.dossiers,
            digest.events,
        )
        checkpointed = {row[0]: row for row in kept}
        groups = itertools.groupby(map(audit.EventRow._make, rows), key=attrgetter("dossier_id"))
        group = next(groups, None)
        for dossier_id, code, head_seq, head_hash in dossiers:
            while group is not None and group[0] < dossier_id:
                result.findings.append(Finding(f"#{group[0]}", None, "orphans"))
                group = next(groups, None)
            events = group[1] if group is not None and group[0] == dossier_id else ()
            _check_dossier(
                result,
                code,
                events=events,
                head_seq=head_seq,
                head_hash=head_hash,
                kept=checkpointed.pop(dossier_id, None),
            )
            if events:
                group = next(groups, None)
        while group is not None:
            result.findings.append(Finding(f"#{group[0]}", None, "orphans"))
            group = next(groups, None)
    result.dossiers = len(dossiers)
    result.findings.extend(Finding(row[1], None, "removed") for row in checkpointed.values())
    return result


def _check_dossier(
    result: RangeResult,
    code: str,
    *,
    events: Iterator[audit.EventRow] | tuple[()],
    head_seq: int,
    head_hash: str,
    kept: tuple[int, str, int, str] | None,
) -> None:
    walk = audit.walk_chain(
        code, events, head_seq=head_seq, head_hash=head_hash, watch=kept[2] if kept else 0
    )
    result.events += walk.length
    if walk.problem is not None:
        result.findings.append(Finding(code, walk.problem.seq, walk.problem.reason))
    elif kept is None:
        result.added += 1
    elif kept[1] != code:
        result.findings.append(Finding(code, None, "renamed"))
    elif walk.length < kept[2]:
        result.findings.append(Finding(code, walk.length + 1, "shortened"))
    elif walk.watched_hash != kept[3]:
        result.findings.append(Finding(code, kept[2], "rewritten"))
    elif walk.length > kept[2]:
        result.grown += 1


@dataclass
class Report:
    """The whole check: totals, findings, and the newest checkpoint it was compared with."""

    dossiers: int = 0
    events: int = 0
    added: int = 0
    grown: int = 0
    findings: list[Finding] = field(default_factory=list)
    checkpoint: AuditCheckpoint | None = None
    workers: int = 1
    seconds: float = 0.0

    def count(self, *kinds: str) -> int:
        return sum(1 for f in self.findings if f.kind in kinds)


def id_ranges() -> list[tuple[int, int]]:
    """Bucket-aligned id ranges covering every dossier and every checkpointed head."""
    bounds = [
        Dossier.objects.aggregate(lo=Min("id"), hi=Max("id")),
        CheckpointedHead.objects.aggregate(lo=Min("dossier_id"), hi=Max("dossier_id")),
    ]
    lows = [b["lo"] for b in bounds if b["lo"] is not None]
    highs = [b["hi"] for b in bounds if b["hi"] is not None]
    if not lows:
        return []
    size = checkpoints.BUCKET_SIZE
    first, last = min(lows) // size, max(highs) // size
    return [(b * size, (b + 1) * size) for b in range(first, last + 1)]


def _can_fork() -> bool:
    # An in-memory SQLite database (the tests') is not visible from another process.
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def _close_at_exit() -> None:
    multiprocessing.util.Finalize(None, connections.close_all, exitpriority=10)


def _results(ranges: list[tuple[int, int]], workers: int) -> Iterator[RangeResult]:
    if workers <= 1 or not _can_fork() or connection.in_atomic_block:
        yield from map(scan_range, ranges)
        return
    # Forked children must not share the parent's database connections: close them first, and
    # each child opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_close_at_exit) as pool:
        yield from pool.imap_unordered(scan_range, ranges, chunksize=1)


def default_workers() -> int:
    return max(len(os.sched_getaffinity(0)), 1)


def verify_audit(*, workers: int, on_progress: Callable[[int], None] | None = None) -> Report:
    """Check every chain, its head and the checkpoints (the guarantee is the module's)."""
    started = time.monotonic()
    report = Report(workers=workers)
    history = list(AuditCheckpoint.objects.order_by("number"))
    report.checkpoint = history[-1] if history else None
    report.findings.extend(
        Finding(f"checkpoint {p.number}", None, p.reason)
        for p in checkpoints.verify_checkpoints(history, checkpoints.trusted_keys())
    )
    buckets: dict[int, str] = {}
    heads = head_events = 0
    for result in _results(id_ranges(), workers):
        report.dossiers += result.dossiers
        report.events += result.events
        report.added += result.added
        report.grown += result.grown
        report.findings.extend(result.findings)
        buckets.update(result.head_buckets)
        heads += result.heads
        head_events += result.head_events
        if on_progress is not None:
            on_progress(result.dossiers)
    latest = report.checkpoint
    signed = (
        (latest.root, latest.dossiers, latest.events) if latest else (checkpoints.root_of({}), 0, 0)
    )
    if (checkpoints.root_of(buckets), heads, head_events) != signed:
        subject = f"checkpoint {latest.number}" if latest else "checkpoint 0"
        report.findings.append(Finding(subject, None, "heads"))
    newest = AuditCheckpoint.objects.order_by("-number").values_list("number", flat=True).first()
    if newest != (latest.number if latest else None):
        report.findings.append(Finding(f"checkpoint {newest}", None, "moved"))
    report.findings.sort(key=lambda f: (f.subject, f.seq or 0))
    report.seconds = time.monotonic() - started
    return report
