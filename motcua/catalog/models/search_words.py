"""The words of the catalogue's procedure names, for typo correction in search."""

from __future__ import annotations

from django.db import models


class SearchWord(models.Model):
    """One accent-folded word used in some current procedure name, with how often.

    Rebuilt whenever the catalogue changes (import, publication). On PostgreSQL a trigram index
    on `word` finds the catalogue words near a mistyped one (pg_trgm, as its documentation
    suggests for spelling suggestions); the edit-distance index in `search` works everywhere.
    """

    word = models.CharField(max_length=100, unique=True)
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
