"""Counters shared by every server process: the rate limits (see motcua.web.ratelimit).

They live in the database, not in a cache, so a limit holds across gunicorn workers and restarts
and costs one statement per request instead of a file write.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """How many times `key` was hit in the fixed window starting at `window_start`.

    Only `motcua.web.ratelimit` writes these rows. A row is useless once `expires_at` has
    passed and is purged from time to time.
    """

    key = models.CharField(_("key"), max_length=200)
    window_start = models.DateTimeField(_("window start"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            # The target of the upsert in ratelimit.hit(): one row per key and window.
            models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M:%S}: {self.count}"
