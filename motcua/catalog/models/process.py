"""The internal process of a procedure version (quy trình nội bộ, DOMAIN.md §2.1.7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role
from motcua.catalog.models.procedures import ProcedureVersion


class StepKind(models.TextChoices):
    RECEIVE = "receive", _("Receive")
    APPRAISE = "appraise", _("Appraise")
    APPROVE = "approve", _("Approve")
    SIGN = "sign", _("Sign and seal")
    RETURN = "return", _("Return the result")
    INTER_AGENCY = "inter_agency", _("Inter-agency step")


class AgencySelector(models.TextChoices):
    RECEIVING_CENTRE = "receiving_centre", _("The receiving service centre")
    COMPETENT_AGENCY = "competent_agency", _("The competent agency of the offering")
    COMPETENT_COMMUNE = "competent_commune", _("The competent commune's People's Committee")
    NAMED_AGENCY = "named_agency", _("A named agency")


class ProcessStep(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="process_steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("step"), max_length=15, choices=StepKind.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    selector = models.CharField(_("agency"), max_length=20, choices=AgencySelector.choices)
    agency = models.ForeignKey(
        "units.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("named agency"),
    )
    budget_hours = models.DecimalField(
        _("time budget (working hours)"), max_digits=7, decimal_places=2
    )

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="process_step_order"),
            models.CheckConstraint(
                condition=models.Q(budget_hours__gt=0), name="process_step_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_kind_display()} ({self.budget_hours} h)"
