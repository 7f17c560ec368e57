"""The effective-dated register of administrative units.

A unit is one version of a place: "Xã Lộc Ninh" (2025-07-01 → 2026-04-30) and "Phường Lộc Ninh"
(2026-04-30 →) are two rows with the same GSO code. Codes are reused across the 2025 reform
(old "Phường Trúc Bạch" 00004 and new "Phường Ba Đình" 00004), so a code alone does not name a
unit; (code, valid_from) does. Old dossiers keep pointing at the unit version they were filed
under, and the succession links tell where its competence went (Resolution 190/2025/QH15 art. 5).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.common.text import fold, normalise_name

# Resolutions 202/2025/QH15 and the Standing Committee's 34 resolutions took effect on this day.
REFORM_DATE = dt.date(2025, 7, 1)


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province level")
    DISTRICT = 2, _("District level")
    COMMUNE = 3, _("Commune level")


class UnitType(models.TextChoices):
    CITY = "city", _("Centrally run city")  # thành phố trực thuộc trung ương
    PROVINCE = "province", _("Province")  # tỉnh
    URBAN_DISTRICT = "urban_district", _("Urban district")  # quận (until 2025)
    DISTRICT = "district", _("Rural district")  # huyện (until 2025)
    TOWN = "town", _("District-level town")  # thị xã (until 2025)
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")  # thành phố thuộc tỉnh (until 2025)
    COMMUNE = "commune", _("Commune")  # xã
    WARD = "ward", _("Ward")  # phường
    TOWNSHIP = "township", _("Township")  # thị trấn (until 2025)
    SPECIAL_ZONE = "special_zone", _("Special zone")  # đặc khu (since 2025)

    @property
    def level(self) -> Level:
        if self in (UnitType.CITY, UnitType.PROVINCE):
            return Level.PROVINCE
        if self in (
            UnitType.URBAN_DISTRICT,
            UnitType.DISTRICT,
            UnitType.TOWN,
            UnitType.PROVINCIAL_CITY,
        ):
            return Level.DISTRICT
        return Level.COMMUNE


class SuccessionKind(models.TextChoices):
    WHOLE = "whole", _("Merged whole")  # Nhập toàn bộ
    PARTIAL = "partial", _("Merged in part")  # Nhập một phần (diện tích / dân số)
    UNCHANGED = "unchanged", _("Unchanged")  # Giữ nguyên
    RENAMED = "renamed", _("Renamed")  # Đổi tên
    RECLASSIFIED = "reclassified", _("Type changed")  # Đổi loại hình (xã → phường…)
    REORGANISED = "reorganised", _("Reorganised")  # a district became a special zone


class UnitQuerySet(models.QuerySet["Unit"]):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        """Units in force on `day`: valid_from ≤ day < valid_to (open ends allowed)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
        )

    def current(self) -> UnitQuerySet:
        return self.filter(valid_to__isnull=True)


class Unit(models.Model):
    code = models.CharField(_("GSO code"), max_length=10, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    # The province this unit belongs to (itself for a province); every later table carries
    # the province so the data can be partitioned by it.
    province_code = models.CharField(max_length=2, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("First day the unit no longer exists; empty if current."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from"),
            # Pre-2025 units have no known start; a code is still unique among them.
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_from__isnull=True), name="unit_code_historical"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["type", "valid_to"], name="unit_type_current")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = normalise_name(self.name)
        self.name_folded = fold(self.name)
        self.level = UnitType(self.type).level
        if self.level == Level.PROVINCE:
            self.province_code = self.code
        elif self.parent is not None:
            self.province_code = self.parent.province_code
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class UnitSuccession(models.Model):
    """One line of the conversion table: `predecessor` went (wholly or in part) into `successor`."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    kind = models.CharField(_("kind"), max_length=20, choices=SuccessionKind.choices)
    effective = models.DateField(_("effective"))
    note = models.CharField(_("note as published"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_succession"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.kind})"
