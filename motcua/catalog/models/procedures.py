"""Procedures as the National Database publishes them, versioned.

`Procedure` is the stable identity (the national code) and carries copies of its current
version's search columns, so that search reads one table with one index. `ProcedureVersion` and
its parts are immutable once published: dossiers point at the version they were filed under.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.common.text import fold, normalise_name
from motcua.worktime.limits import TimeUnit as LimitUnit


class ProcedureLevel(models.TextChoices):
    MINISTRY = "ministry", _("Ministry level")
    PROVINCE = "province", _("Province level")
    COMMUNE = "commune", _("Commune level")
    OTHER = "other", _("Other agency")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022 art. 11: full-process (toàn trình) or partial (một phần) online service."""

    FULL = "full", _("Full-process online")
    PARTIAL = "partial", _("Partial online")
    NONE = "none", _("Not online")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizens")
    BUSINESS = "business", _("Businesses")
    ORGANISATION = "organisation", _("Organisations")
    FOREIGNER = "foreigner", _("Foreigners and overseas Vietnamese")
    OFFICIAL = "official", _("Public servants")


class ChannelKind(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")


class TimeUnit(models.TextChoices):
    """The units of `worktime.limits.TimeUnit`, which reads them, with their labels."""

    WORKING_DAYS = LimitUnit.WORKING_DAYS.value, _("working days")
    DAYS = LimitUnit.DAYS.value, _("days")
    HOURS = LimitUnit.HOURS.value, _("working hours")
    MONTHS = LimitUnit.MONTHS.value, _("months")
    YEARS = LimitUnit.YEARS.value, _("years")
    SAME_DAY = LimitUnit.SAME_DAY.value, _("same day")
    UNKNOWN = LimitUnit.UNKNOWN.value, _("not stated")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class ProcedureField(models.Model):
    """A field of procedures (lĩnh vực), e.g. "Hộ tịch"."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    name_folded = models.CharField(max_length=255, editable=False)
    slug = models.SlugField(max_length=255, unique=True)

    class Meta:
        verbose_name = _("field of procedures")
        verbose_name_plural = _("fields of procedures")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = normalise_name(self.name)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Procedure(models.Model):
    national_code = models.CharField(_("national code"), max_length=20, unique=True)
    current = models.OneToOneField(
        "ProcedureVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("current version"),
    )
    # Search columns, copied from the current version when it changes.
    name = models.TextField(_("name"))
    name_folded = models.TextField(editable=False, db_index=True)
    field = models.ForeignKey(
        ProcedureField,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("field"),
    )
    at_province = models.BooleanField(_("province level"), default=False)
    at_commune = models.BooleanField(_("commune level"), default=False)
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    applicant_kinds = models.CharField(
        _("applicants"),
        max_length=100,
        blank=True,
        help_text=_("Space-separated applicant kinds, for filtering."),
    )
    usage_weight = models.BigIntegerField(
        _("usage"),
        default=0,
        help_text=_("Dossiers per year on the national portal."),
    )
    needs_review = models.BooleanField(_("needs review"), default=False)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["-usage_weight", "national_code"]
        indexes = [
            models.Index(fields=["-usage_weight", "national_code"], name="procedure_usage_order")
        ]

    def __str__(self) -> str:
        return f"{self.national_code} — {self.name}"


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    content_hash = models.CharField(
        max_length=64, blank=True, editable=False, help_text=_("SHA-256 of the imported record.")
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    change_note = models.CharField(_("change note"), max_length=500, blank=True)

    name = models.TextField(_("name"))
    decision_number = models.CharField(_("publishing decision"), max_length=255, blank=True)
    levels = models.JSONField(_("levels"), default=list)
    field = models.ForeignKey(
        ProcedureField,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("field"),
    )
    procedure_type = models.CharField(_("procedure type"), max_length=255, blank=True)
    applicants = models.JSONField(_("who may apply"), default=list)
    competent_agency = models.TextField(_("competent agency"), blank=True)
    implementing_agency = models.TextField(_("implementing agency"), blank=True)
    receiving_address = models.TextField(_("where to submit"), blank=True)
    delegated_agency = models.TextField(_("delegated agency"), blank=True)
    coordinating_agency = models.TextField(_("coordinating agencies"), blank=True)
    steps_text = models.TextField(_("steps"), blank=True)
    requirements_text = models.TextField(_("requirements and conditions"), blank=True)
    related_text = models.TextField(_("related procedures"), blank=True)
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    boundary_free = models.BooleanField(
        _("boundary-free"),
        default=True,
        help_text=_("Any service centre of the province may receive it (Decree 118/2025)."),
    )
    inter_agency = models.BooleanField(_("inter-agency"), default=False)
    cutoff_time = models.TimeField(
        _("same-day cut-off"),
        null=True,
        blank=True,
        help_text=_("Received after this hour, the clock starts the next working day."),
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    detail_url = models.URLField(_("national portal page"), max_length=500, blank=True)
    review_reasons = models.JSONField(
        _("review reasons"),
        default=list,
        blank=True,
        help_text=_("What the importer could not read; empty when the record parsed fully."),
    )

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.national_code} v{self.number}"

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)


class Channel(models.Model):
    """One way to submit (counter, online, post), with its legal time limit and fees."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("channel"), max_length=10, choices=ChannelKind.choices)
    time_value = models.DecimalField(
        _("time limit"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(
        _("unit"), max_length=15, choices=TimeUnit.choices, default=TimeUnit.UNKNOWN
    )
    time_text = models.TextField(_("time limit as published"), blank=True)
    fees = models.JSONField(
        _("fees"),
        default=list,
        blank=True,
        help_text=_('[{"amount_vnd": 8000, "text": "Lệ phí: 8.000 đồng"}]'),
    )
    is_free = models.BooleanField(_("free of charge"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.time_value} {self.get_time_unit_display()}"


class RequiredDocument(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    group = models.TextField(
        _("case"),
        blank=True,
        help_text=_("The case or list the document belongs to."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.TextField(_("document"))
    originals = models.PositiveSmallIntegerField(_("originals"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), null=True, blank=True)
    form_template = models.CharField(_("form"), max_length=500, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name[:80]

    @property
    def to_hand_in(self) -> bool:
        """Whether every applicant must hand this document in with the dossier: the one rule
        the completeness check (`dossiers.queries.missing_requirements`), the counter's
        checklist and the online upload page follow.

        Only the list "Giấy tờ phải nộp" (documents to submit), or a document in no list, binds
        every applicant; a case-specific list ("Trường hợp …") binds only some, and documents to
        present ("xuất trình") have no originals or copies to hand in. Inside a binding list, a
        document whose own name makes it case-specific or an alternative is not mandatory
        (`catalog.parsing.documents.is_conditional`, read when the version is imported). The
        officer checks those.
        """
        group = self.group.lower()
        in_every_case = not group or group.startswith("giấy tờ phải nộp")
        return in_every_case and self.mandatory and self.may_be_handed_in

    @property
    def may_be_handed_in(self) -> bool:
        """Whether there are originals or copies to hand in: the documents upload pages offer,
        required (`to_hand_in`) or "if applicable" (a case, an alternative)."""
        return bool((self.originals or 0) + (self.copies or 0))


class ResultDocument(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="results")
    name = models.TextField(_("result"))
    code = models.CharField(_("result code"), max_length=50, blank=True)
    paper_required = models.BooleanField(_("paper document required"), default=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="legal_basis"
    )
    title = models.TextField(_("title"))
    number = models.CharField(_("number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal basis")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.number or self.title[:80]
