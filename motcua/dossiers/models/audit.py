"""The audit trail: an append-only, hash-chained list of events per dossier.

Each event's hash covers its own content and the previous event's hash, so changing or removing
any past event breaks every later link; `manage.py verify_audit` recomputes the chains.
"""

from __future__ import annotations

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


class DossierRead(models.Model):
    """An official looked at a dossier (OpenCRVS logs reads as well as writes)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    via = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"{self.dossier_id} read by {self.user_id}"
