"""A record of each import run, shown to administrators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    source = models.CharField(_("file"), max_length=500)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total = models.PositiveIntegerField(_("records"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    flagged = models.PositiveIntegerField(_("flagged for review"), default=0)
    skipped = models.PositiveIntegerField(
        _("skipped"),
        default=0,
        help_text=_("Records outside the levels asked for."),
    )
    flagged_codes = models.JSONField(_("flagged procedures"), default=list, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.started_at:%Y-%m-%d %H:%M})"
