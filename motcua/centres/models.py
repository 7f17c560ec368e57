"""Queue tickets of a service centre: numbered per centre and day, called at its counters.

Only `centres.actions` writes these rows. A ticket's number is unique per centre and day (the
constraint below); `TicketSequence` hands the numbers out, one upsert per ticket, the same way
`dossiers.DossierCounter` numbers dossier codes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Being served")
    DONE = "done", _("Served")
    NO_SHOW = "no_show", _("Did not come")


# A ticket a counter may still act on; the others are history.
OPEN_STATUSES = frozenset({TicketStatus.WAITING, TicketStatus.CALLED})
CLOSING_STATUSES = frozenset({TicketStatus.DONE, TicketStatus.NO_SHOW})


class TicketSequence(models.Model):
    """The last ticket number a centre gave out on a day (legal time)."""

    agency = models.ForeignKey("units.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="ticket_sequence_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class Ticket(models.Model):
    agency = models.ForeignKey(
        "units.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("centre")
    )
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    # None: no particular field (collecting a result, a question).
    field = models.ForeignKey(
        "catalog.ProcedureField",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("field"),
    )
    # Dialled inside Vietnam (0912345678); only to send the number by SMS, never shown.
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    language = models.CharField(_("language"), max_length=5, default="vi")
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField(_("issued"))
    counter = models.ForeignKey(
        "units.Counter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("counter"),
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("called by"),
    )
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(_("times called"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("SMS sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["-day", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "day", "number"], name="ticket_number_per_centre_day"
            ),
            # A counter serves one person at a time: the board shows one number per counter.
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(status="called"),
                name="ticket_one_called_per_counter",
            ),
            models.CheckConstraint(
                condition=Q(status__in=TicketStatus.values), name="ticket_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "day", "status", "number"], name="ticket_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.label}"

    @property
    def label(self) -> str:
        """The number as printed and shown on the board: at least three digits (007)."""
        return f"{self.number:03d}"
