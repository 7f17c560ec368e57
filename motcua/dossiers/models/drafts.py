"""What an applicant has typed and uploaded for an online submission not yet sent.

One draft per account and procedure, kept on the server so that nothing is lost when a field is
refused, a page is reloaded or the phone's browser is closed: the typed answers as JSON, the
uploads as references to files already kept in the content-addressed store (`storage`). The
draft is read only through its owner's account (`drafts.get_draft`); submitting it turns it into
a dossier and removes it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_draft_token() -> str:
    return secrets.token_urlsafe(18)


class SubmissionDraft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+")
    # The submission's idempotency key: a second click on "Submit" finds the dossier the first
    # one made.
    token = models.CharField(max_length=32, unique=True, default=new_draft_token)
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("submission draft")
        verbose_name_plural = _("submission drafts")
        constraints = [
            models.UniqueConstraint(fields=["user", "procedure"], name="one_draft_per_procedure"),
        ]

    def __str__(self) -> str:
        return f"draft {self.id}"


class DraftDocument(models.Model):
    """An upload kept for a draft: the file is in the store under `sha256`. `requirement` is the
    required document it answers; none for the "other document"."""

    draft = models.ForeignKey(SubmissionDraft, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        "catalog.RequiredDocument",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["draft", "id"]

    def __str__(self) -> str:
        return self.file_name
