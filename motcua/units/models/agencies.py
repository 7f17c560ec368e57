"""Agencies that receive and decide dossiers, and the counters of their service centres.

Agency codes follow the left-to-right style of Decision 20/2020 (e.g. `H15.50.05.13`), built from
the province's level-1 code `H<GSO province code>`; docs/subsystems/units-and-agencies.md lists
the scheme. The code is the prefix of every dossier code the agency issues (Circular 01/2018
art. 19), so it never changes once issued.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.common.text import fold, normalise_name
from motcua.units.models.units import Unit


class AgencyKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial People's Committee")
    PROVINCIAL_CENTRE = "provincial_centre", _("Provincial Public Administration Service Centre")
    CENTRE_BRANCH = "centre_branch", _("Service centre branch")
    DEPARTMENT = "department", _("Provincial department")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
    COMMUNE_CENTRE = "commune_centre", _("Commune Public Administration Service Centre")


SERVICE_CENTRE_KINDS = frozenset(
    {AgencyKind.PROVINCIAL_CENTRE, AgencyKind.CENTRE_BRANCH, AgencyKind.COMMUNE_CENTRE}
)


class Agency(models.Model):
    code = models.CharField(_("agency code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("administrative unit served"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    province_code = models.CharField(max_length=2, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = normalise_name(self.name)
        self.name_folded = fold(self.name)
        self.province_code = self.unit.province_code
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_service_centre(self) -> bool:
        return self.kind in SERVICE_CENTRE_KINDS


class Counter(models.Model):
    """A one-stop counter (quầy) of a service centre, serving some fields of procedures."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("counter number"))
    name = models.CharField(_("name"), max_length=200)
    fields = models.JSONField(
        _("fields served"),
        default=list,
        blank=True,
        help_text=_("Names of the procedure fields this counter receives."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["agency", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="counter_number_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.name}"
