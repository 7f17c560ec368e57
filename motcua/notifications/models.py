"""Messages to applicants: one row per (dossier event, channel, recipient).

Only `notifications.actions` writes these rows. The subject and body are rendered once, when the
row is created, so every attempt sends the same text and the row shows what the person received.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class Language(models.TextChoices):
    VIETNAMESE = "vi", _("Vietnamese")
    ENGLISH = "en", _("English")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


FINAL_STATUSES = frozenset({DeliveryStatus.SENT, DeliveryStatus.FAILED})


class Notification(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("dossier"),
    )
    event = models.ForeignKey(
        "dossiers.DossierEvent",
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("event"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # An email address or a phone number as stored on the profile (0912345678).
    recipient = models.CharField(_("recipient"), max_length=254)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.VIETNAMESE
    )
    template_key = models.CharField(_("template"), max_length=40)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    # The current attempt started here; another one may take over only after the claim timeout.
    claimed_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same event never produces two messages for one recipient on one channel.
            models.UniqueConstraint(
                fields=["event", "channel", "recipient"], name="notification_once_per_recipient"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="notification_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_pending"),
            models.Index(fields=["dossier", "created_at"], name="notification_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.template_key} {self.channel} #{self.id} ({self.status})"
