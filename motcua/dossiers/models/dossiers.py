"""The dossier (hồ sơ) and the records that hang off it.

Only `dossiers.actions` writes these rows (STYLE.md §3). Times are instants in UTC; legal due
dates are also kept as dates in the legal time zone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import FilerCapacity
from motcua.dossiers.workflow import Stage, Status


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    KIOSK = "kiosk", _("Kiosk")
    POST = "post", _("By post")


class DeliveryMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class Outcome(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    province_code = models.CharField(max_length=2, db_index=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers"
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="dossiers"
    )
    applicant_citizen = models.ForeignKey(
        "accounts.Citizen", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    applicant_business = models.ForeignKey(
        "accounts.Business",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_name = models.CharField(_("applicant"), max_length=255)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_dossiers"
    )
    # In which capacity `submitted_by` filed for the applicant (accounts.applicants), and the
    # reason a delegate gave: shown to the applicant, recorded in the submit event too.
    filed_as = models.CharField(
        _("filed as"),
        max_length=16,
        choices=FilerCapacity.choices,
        default=FilerCapacity.SELF,
    )
    delegation_reason = models.CharField(_("reason of the delegation"), max_length=500, blank=True)
    # Printed on the receipt (form 01) of a dossier recorded at the counter for an applicant
    # without an account: the holder of the receipt types it in to claim the dossiers from the
    # account they open later (accounts.claims). A random value, shown nowhere else.
    claim_code = models.CharField(_("claim code"), max_length=12, blank=True, editable=False)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    receiving_agency = models.ForeignKey(
        "units.Agency", on_delete=models.PROTECT, related_name="received_dossiers"
    )
    receiving_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    competent_agency = models.ForeignKey(
        "units.Agency", on_delete=models.PROTECT, related_name="competent_dossiers"
    )
    current_agency = models.ForeignKey(
        "units.Agency", on_delete=models.PROTECT, related_name="current_dossiers"
    )
    assignee = models.ForeignKey(
        "accounts.Official",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=[(s.value, s.name.replace("_", " ").capitalize()) for s in Status]
    )
    stage = models.CharField(_("stage"), max_length=30, choices=[(s.value, s.value) for s in Stage])
    # Where a supplement request or payment request was made, to resume there.
    resume_stage = models.CharField(max_length=30, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    counted_from = models.DateTimeField(_("clock started"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    previous_due_at = models.DateTimeField(_("previous due"), null=True, blank=True)
    paused_at = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    flagged = models.JSONField(
        _("flags"),
        default=list,
        blank=True,
        help_text=_("Rule breaches to look at, e.g. a refused reschedule."),
    )
    due_explanation = models.JSONField(_("why this due date"), default=dict, blank=True)
    process_plan = models.JSONField(
        default=list,
        blank=True,
        help_text=_("The process steps and budgets in force when the dossier was accepted."),
    )
    delivery_method = models.CharField(
        _("result delivery"),
        max_length=10,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.COUNTER,
    )
    delivery_address = models.CharField(_("delivery address"), max_length=500, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    # The head of the audit chain (dossiers.audit): the last event's number and hash.
    audit_seq = models.PositiveIntegerField(default=0)
    audit_head = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["current_agency", "status"], name="dossier_inbox"),
            models.Index(fields=["receiving_agency", "submitted_at"], name="dossier_received"),
            models.Index(fields=["applicant_citizen", "submitted_at"], name="dossier_citizen"),
            models.Index(fields=["submitted_by", "submitted_at"], name="dossier_submitter"),
            models.Index(fields=["status", "due_at"], name="dossier_open_due"),
        ]

    def __str__(self) -> str:
        return self.code


class DossierStep(models.Model):
    """One step of the procedure's process as this dossier went through it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    assignee = models.ForeignKey(
        "accounts.Official", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget_hours = models.DecimalField(max_digits=7, decimal_places=2)
    started_at = models.DateTimeField(null=True, blank=True)
    # Ended by a pause (supplement, payment), a withdrawal or a stop, not by its work being done:
    # it has no outcome, and the step resumes in a new row with the time it had left.
    interrupted = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["dossier", "order", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.order} {self.kind}"


class DossierResult(models.Model):
    """A result issued for a dossier: `<dossier code>-KQ<n>` (Decree 45/2020 art. 14(3))."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=500)
    document_number = models.CharField(max_length=100, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.code


class DossierCounter(models.Model):
    """The running number of dossier codes per receiving agency and day (4 digits)."""

    agency = models.ForeignKey("units.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="counter_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class IdempotencyRecord(models.Model):
    """A submission's Idempotency-Key: a retry returns the dossier made the first time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
