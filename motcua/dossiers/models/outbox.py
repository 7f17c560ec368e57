"""Messages for the national portal, written in the same transaction as the change."""

from __future__ import annotations

from django.db import models


class OutboxMessage(models.Model):
    topic = models.CharField(max_length=50)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="outbox")
    payload = models.JSONField()
    created_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["processed_at", "id"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
