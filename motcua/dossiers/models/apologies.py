"""Written apologies for late dossiers (Form 04), drafted by the system, approved by a leader.

Decree 61/2018 (DOMAIN §1.4): when a dossier cannot be finished in time the agency apologises in
writing, at least one day before the due date, with the reason and a new date, which may be set
only once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApologyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting the leader")
    SENT = "sent", _("Approved and sent")
    CANCELLED = "cancelled", _("Cancelled")


class Apology(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="apologies"
    )
    agency = models.ForeignKey(
        "units.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agency responsible for the delay."),
    )
    status = models.CharField(
        max_length=10, choices=ApologyStatus.choices, default=ApologyStatus.DRAFT
    )
    reason = models.TextField(_("reason"))
    original_due_at = models.DateTimeField(_("original due"))
    proposed_due_at = models.DateTimeField(_("proposed new due"))
    drafted_at = models.DateTimeField(_("drafted"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("apology")
        verbose_name_plural = _("apologies")
        ordering = ["-drafted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=~Q(status="cancelled"), name="one_apology_per_dossier"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} apology ({self.status})"
