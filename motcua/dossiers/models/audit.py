"""The audit trail: an append-only, hash-chained list of events per dossier.

Each event's hash covers its own content and the previous event's hash, so changing or removing
any past event breaks every later link; `manage.py verify_audit` recomputes the chains.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from motcua.dossiers.models.dossiers import Dossier


class DossierEvent(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=255, blank=True)
    role = models.CharField(max_length=20, blank=True)
    agency_code = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=30)
    from_stage = models.CharField(max_length=30, blank=True)
    to_stage = models.CharField(max_length=30)
    from_status = models.PositiveSmallIntegerField(null=True, blank=True)
    to_status = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    comment = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def on_behalf_of(self) -> dict[str, Any] | None:
        """For an action a delegate took on a leader's behalf (ký thừa ủy quyền): the
        delegation's id, the leader's official id, name and title, and the "TUQ. <TITLE>" line
        the papers print (dossiers.actions.engine.on_behalf_payload). None otherwise."""
        behalf = self.payload.get("on_behalf_of") if isinstance(self.payload, dict) else None
        return behalf if isinstance(behalf, dict) else None


class DossierRead(models.Model):
    """An official looked at a dossier (OpenCRVS logs reads as well as writes)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    via = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"{self.dossier_id} read by {self.user_id}"


class AuditCheckpoint(models.Model):
    """A signed statement of the heads of all chains at one moment (dossiers.checkpoints).

    The statement's fields are the columns below but `signature`; the signature covers their
    canonical JSON (checkpoints.statement_bytes), made with a key kept outside the database, so
    changing any column here — or rewriting a chain and its head — shows against it.
    """

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField()
    dossiers = models.PositiveIntegerField()
    events = models.PositiveBigIntegerField()
    root = models.CharField(max_length=64)
    # SHA-256 of the previous checkpoint's statement: checkpoints form a chain of their own.
    previous = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=88)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"checkpoint {self.number} ({self.dossiers} dossiers)"


class CheckpointedHead(models.Model):
    """A dossier's chain head as the last checkpoint that saw it change recorded it.

    The rows of all dossiers hash to the latest checkpoint's signed root. `dossier_id` is not a
    foreign key on purpose: a dossier deleted behind the engine's back leaves its row here, and
    the verifier reports it as removed.
    """

    dossier_id = models.BigIntegerField(primary_key=True)
    code = models.CharField(max_length=60)
    seq = models.PositiveIntegerField()
    head = models.CharField(max_length=64)
    checkpoint = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.code}#{self.seq} at checkpoint {self.checkpoint}"
