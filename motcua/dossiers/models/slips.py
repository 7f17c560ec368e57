"""Official slips (forms 01–06) issued for a dossier, kept as PDF files, versioned.

A slip is rendered from the dossier's data; the hash of that data (with the layout it was
rendered with) identifies it. The same data gives back the same row and the same stored bytes;
changed data gives a new version, and earlier versions are kept: a paper handed to a citizen can
always be produced again exactly as it was.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SlipKind(models.TextChoices):
    # Numbered as in Circular 03/2025/TT-VPCP Appendix I (DOMAIN §3.1); the register (form 07)
    # is an XLSX export, not a stored slip.
    RECEIPT = "receipt", _("Receipt and appointment (form 01)")
    SUPPLEMENT_REQUEST = "supplement_request", _("Supplement request (form 02)")
    REFUSAL = "refusal", _("Refusal (form 03)")
    APOLOGY = "apology", _("Apology and new date (form 04)")
    STOP_NOTICE = "stop_notice", _("Notice of stopped processing (form 05)")
    PROCESS_CONTROL = "process_control", _("Process control slip (form 06)")


class DossierSlip(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="slips")
    kind = models.CharField(_("slip"), max_length=20, choices=SlipKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    data_hash = models.CharField(
        max_length=64, help_text=_("SHA-256 of the data printed and of the layout used.")
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    # Relative to MOTCUA_MEDIA_ROOT; content-addressed like uploaded documents.
    file_path = models.CharField(max_length=255)
    dated = models.DateTimeField(_("dated"), help_text=_("The moment the slip is dated."))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("slip")
        verbose_name_plural = _("slips")
        ordering = ["dossier", "kind", "version"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "version"], name="slip_version"),
            models.UniqueConstraint(fields=["dossier", "kind", "data_hash"], name="slip_data"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} v{self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Issued slips are never changed; issue a new version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
