"""Which procedures a province offers, where, under which local code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models.procedures import Procedure, ProcedureLevel


class ProcedureOffering(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="offerings")
    province_code = models.CharField(_("province"), max_length=2, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=ProcedureLevel.choices)
    local_code = models.CharField(
        _("local code"),
        max_length=40,
        db_index=True,
        help_text=_("National code + the agency suffix, e.g. 1.004194.000.00.00.H08."),
    )
    competent_agency = models.ForeignKey(
        "units.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competent agency"),
        help_text=_("Empty at commune level: the People's Committee of the commune concerned."),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["province_code", "procedure"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "province_code", "level"], name="offering_per_province_level"
            ),
        ]

    def __str__(self) -> str:
        return self.local_code
