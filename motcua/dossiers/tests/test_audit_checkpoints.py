"""What the chain alone cannot catch, the head and the signed checkpoints do.

Each tampering is done with SQL, as an insider with write access to the database would (the
model refuses to change a saved event); the signing key is out of their reach.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from motcua.dossiers import checkpoints
from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.audit import GENESIS, event_hash, verify_chain
from motcua.dossiers.audit_scan import verify_audit
from motcua.dossiers.models import (
    Apology,
    AuditCheckpoint,
    CheckpointedHead,
    Dossier,
    DossierEvent,
    DossierSlip,
)
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PROCEDURE,
    People,
    act,
    pdf,
    required_documents,
)

ROOT = Path(__file__).resolve().parents[3]


def verify(workers: int = 1) -> tuple[str, CommandError | None]:
    out = StringIO()
    with translation.override("en"):
        try:
            call_command("verify_audit", workers=workers, stdout=out, stderr=StringIO())
        except CommandError as error:
            return out.getvalue(), error
    return out.getvalue(), None


def checkpoint() -> AuditCheckpoint:
    call_command("checkpoint_audit", workers=1, stdout=StringIO(), stderr=StringIO())
    latest = AuditCheckpoint.objects.order_by("-number").first()
    assert latest is not None
    return latest


def walk(dossier: Dossier, people: People) -> Dossier:
    for action, user in (("appraise", people.specialist), ("approve", people.leader)):
        dossier = act(dossier, action, user)
    return dossier


def rewrite(dossier: Dossier, *, seq: int, comment: str) -> None:
    """Change event `seq` and recompute every later hash and the head, as a forger would."""
    previous = GENESIS
    for event in DossierEvent.objects.filter(dossier=dossier).order_by("seq"):
        if event.seq == seq:
            event.comment = comment
        event.prev_hash = previous
        event.hash = event_hash(event, dossier.code)
        DossierEvent.objects.filter(id=event.id).update(
            comment=event.comment, prev_hash=event.prev_hash, hash=event.hash
        )
        previous = event.hash
    Dossier.objects.filter(id=dossier.id).update(audit_head=previous)


def third_party_check(export: Path, keys: list[str]) -> subprocess.CompletedProcess[str]:
    """The standalone checker a third party runs: no database, no MotCua code."""
    script = str(ROOT / "scripts" / "verify_checkpoint_export.py")
    return subprocess.run(  # noqa: S603  (our own script, our own files)
        [sys.executable, script, str(export), *keys], check=False, capture_output=True, text=True
    )


pytestmark = pytest.mark.django_db


def test_a_clean_database_passes_with_and_without_checkpoints(
    accepted: Dossier, people: People, submitted: Callable[..., Dossier]
) -> None:
    out, error = verify()
    assert error is None, out
    assert "No checkpoint yet" in out
    assert "histories are intact" in out
    first = checkpoint()
    assert (first.number, first.dossiers, first.previous) == (1, 1, GENESIS)
    assert first.events == Dossier.objects.get(id=accepted.id).audit_seq
    # Work goes on after the checkpoint: a chain grows, a dossier is added. Both are fine.
    walk(accepted, people)
    submitted()
    out, error = verify()
    assert error is None, out
    assert "1 dossiers added, 1 with new events, 0 removed, 0 rewritten" in out
    second = checkpoint()
    assert second.previous == checkpoints.statement_digest(checkpoints.statement(first))
    assert CheckpointedHead.objects.count() == 2
    assert verify()[1] is None


@pytest.mark.parametrize("with_checkpoint", [False, True])
def test_deleting_the_last_event_is_caught(
    accepted: Dossier, people: People, with_checkpoint: bool
) -> None:
    dossier = walk(accepted, people)
    if with_checkpoint:
        checkpoint()
    DossierEvent.objects.filter(dossier=dossier, seq=dossier.audit_seq).delete()
    out, error = verify()
    assert error is not None
    assert f"{dossier.code}: event {dossier.audit_seq}: the chain ends before its head" in out


def test_deleting_the_last_event_and_moving_the_head_back_is_caught_by_the_checkpoint(
    accepted: Dossier, people: People
) -> None:
    dossier = walk(accepted, people)
    checkpoint()
    last = DossierEvent.objects.get(dossier=dossier, seq=dossier.audit_seq)
    DossierEvent.objects.filter(id=last.id).delete()
    Dossier.objects.filter(id=dossier.id).update(audit_seq=last.seq - 1, audit_head=last.prev_hash)
    assert verify_chain(Dossier.objects.get(id=dossier.id)) is None  # the chain alone agrees
    out, error = verify()
    assert error is not None
    assert f"{dossier.code}: event {last.seq}: events were removed since the checkpoint" in out


def test_deleting_all_events_is_caught(accepted: Dossier, people: People) -> None:
    dossier = walk(accepted, people)
    DossierEvent.objects.filter(dossier=dossier).delete()
    out, error = verify()
    assert error is not None
    assert f"{dossier.code}: event 1: the chain ends before its head" in out


def test_deleting_a_dossier_with_its_events_is_caught_by_the_checkpoint(
    accepted: Dossier, people: People, submitted: Callable[..., Dossier]
) -> None:
    other = submitted()
    checkpoint()
    DossierEvent.objects.filter(dossier=accepted).delete()
    DossierSlip.objects.filter(dossier=accepted).delete()
    Apology.objects.filter(dossier=accepted).delete()
    Dossier.objects.filter(id=accepted.id).delete()
    out, error = verify()
    assert error is not None
    assert f"{accepted.code}: the dossier was removed since the checkpoint" in out
    assert other.code not in out
    assert "0 dossiers added, 0 with new events, 1 removed" in out


def test_a_chain_rewritten_with_recomputed_hashes_is_caught_by_the_checkpoint(
    accepted: Dossier, people: People
) -> None:
    dossier = walk(accepted, people)
    checkpoint()
    rewrite(dossier, seq=2, comment="đã sửa")
    # The chain and its head agree with each other: without a checkpoint this would pass.
    assert verify_chain(Dossier.objects.get(id=dossier.id)) is None
    out, error = verify()
    assert error is not None
    assert f"{dossier.code}: event {dossier.audit_seq}: the chain was rewritten" in out
    assert "1 of 1 dossiers have an altered history" in str(error)
    # Nor does a new checkpoint sign over it: checkpoint_audit verifies first.
    with translation.override("en"), pytest.raises(CommandError, match="No checkpoint was signed"):
        checkpoint()
    assert AuditCheckpoint.objects.count() == 1


def test_rewriting_a_chain_and_its_checkpointed_head_breaks_the_signed_root(
    accepted: Dossier, people: People
) -> None:
    dossier = walk(accepted, people)
    checkpoint()
    rewrite(dossier, seq=2, comment="đã sửa")
    forged = Dossier.objects.get(id=dossier.id)
    CheckpointedHead.objects.filter(dossier_id=dossier.id).update(head=forged.audit_head)
    out, error = verify()
    assert error is not None
    assert "checkpoint 1: the checkpointed heads do not match" in out


@pytest.mark.parametrize("column", ["root", "dossiers", "created_at", "previous"])
def test_a_tampered_checkpoint_fails_its_signature(accepted: Dossier, column: str) -> None:
    cp = checkpoint()
    changes = {
        "root": {"root": "f" * 64},
        "dossiers": {"dossiers": cp.dossiers + 1},
        "created_at": {"created_at": cp.created_at.replace(year=2020)},
        "previous": {"previous": "1" * 64},
    }[column]
    AuditCheckpoint.objects.filter(id=cp.id).update(**changes)
    out, error = verify()
    assert error is not None
    assert "checkpoint 1: the checkpoint's signature does not verify" in out
    assert "0 of 1 dossiers have an altered history" in str(error)


def test_a_checkpoint_signed_by_an_untrusted_key_or_dropped_is_caught(accepted: Dossier) -> None:
    checkpoint()
    checkpoint()
    # A forger who signs with a key of their own: it is not among the trusted public keys.
    forger = checkpoints.Ed25519PrivateKey.generate()
    cp = AuditCheckpoint.objects.get(number=2)
    cp.key_id = checkpoints.key_id_of(forger.public_key())
    signature = forger.sign(checkpoints.statement_bytes(checkpoints.statement(cp)))
    AuditCheckpoint.objects.filter(id=cp.id).update(
        key_id=cp.key_id, signature=checkpoints.base64.b64encode(signature).decode()
    )
    out, _error = verify()
    assert "checkpoint 2: the checkpoint is signed by a key that is not trusted" in out
    # Dropping a checkpoint from the middle breaks the chain of checkpoints.
    checkpoint_3 = AuditCheckpoint.objects.create(
        **{
            f.name: getattr(cp, f.name)
            for f in AuditCheckpoint._meta.fields
            if f.name not in ("id", "number")
        },
        number=3,
    )
    AuditCheckpoint.objects.filter(number=2).delete()
    out, _error = verify()
    assert f"checkpoint {checkpoint_3.number}: the checkpoint does not follow" in out


def test_key_rotation_keeps_old_checkpoints_verifiable(accepted: Dossier, people: People) -> None:
    first = checkpoint()
    walk(accepted, people)
    call_command("checkpoint_audit", rotate_key=True, workers=1, stdout=StringIO())
    second = AuditCheckpoint.objects.get(number=2)
    assert first.key_id != second.key_id
    assert set(checkpoints.trusted_keys()) == {first.key_id, second.key_id}
    assert Path(settings.MOTCUA_AUDIT_SIGNING_KEY).stat().st_mode & 0o777 == 0o600
    assert checkpoints.key_id_of(checkpoints.signing_key().public_key()) == second.key_id
    assert verify()[1] is None


def test_the_export_is_verifiable_with_the_public_keys_alone(
    accepted: Dossier, people: People, tmp_path: Path
) -> None:
    checkpoint()
    walk(accepted, people)
    call_command("checkpoint_audit", rotate_key=True, workers=1, stdout=StringIO())
    export = tmp_path / "checkpoints.jsonl"
    call_command("export_audit_checkpoints", output=str(export))
    lines = export.read_text().splitlines()
    assert [json.loads(line)["statement"]["number"] for line in lines] == [1, 2]
    keys = sorted(str(p) for p in Path(settings.MOTCUA_AUDIT_PUBLIC_KEYS).glob("*.pem"))
    passed = third_party_check(export, keys)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "2 checkpoints verify" in passed.stdout
    # One changed count in a kept copy, and the signature no longer holds.
    entry = json.loads(lines[0])
    entry["statement"]["dossiers"] += 1
    export.write_text(json.dumps(entry) + "\n" + lines[1] + "\n")
    failed = third_party_check(export, keys)
    assert failed.returncode == 1
    assert "checkpoint 1: the signature does not verify" in failed.stdout
    assert "checkpoint 2: does not follow checkpoint 1" in failed.stdout


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker processes need a shared database"
)
@pytest.mark.django_db(transaction=True)
def test_workers_over_id_ranges_find_the_same(
    people_tx: People, accepted_tx: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One dossier per range, so that the three dossiers go to different worker processes.
    monkeypatch.setattr(checkpoints, "BUCKET_SIZE", 1)
    dossiers = [accepted_tx, *(act(_fresh(people_tx), "accept", people_tx.receiver) for _ in "ab")]
    checkpoint()
    report = verify_audit(workers=2)
    assert report.findings == []
    assert (report.dossiers, report.workers) == (3, 2)
    rewrite(dossiers[1], seq=2, comment="đã sửa")
    DossierEvent.objects.filter(dossier=dossiers[2], seq=1).update(comment="x")
    kinds = {(f.subject, f.kind) for f in verify_audit(workers=2).findings}
    assert kinds == {(dossiers[1].code, "rewritten"), (dossiers[2].code, "the event was altered")}


def _fresh(people: People) -> Dossier:
    dossier, _created = do_submit_dossier(
        Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
        acting_user=people.citizen,
    )
    for requirement in required_documents():
        do_attach_document(dossier, pdf(), acting_user=people.citizen, requirement_id=requirement)
    return dossier


def test_findings_are_told_in_vietnamese(accepted: Dossier) -> None:
    DossierEvent.objects.filter(dossier=accepted).delete()
    out = StringIO()
    with translation.override("vi"), pytest.raises(CommandError, match="1 trên 1 hồ sơ"):
        call_command("verify_audit", workers=1, stdout=out, stderr=StringIO())
    assert f"{accepted.code}: sự kiện 1: chuỗi kết thúc trước điểm đầu đã ghi" in out.getvalue()
