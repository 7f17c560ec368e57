"""Errors of ratings; each becomes a JSON error or a page message with its code."""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.common.errors import DomainError


class RatingNotOpenError(DomainError):
    """The dossier's result has not been returned yet, or the rater is not the applicant's
    side: nothing to rate (yet)."""

    code = "RATING_NOT_OPEN"
    http_status = 409
    data_fields = ("dossier",)

    def __init__(self, dossier: str) -> None:
        super().__init__(dossier)
        self.dossier = dossier

    @staticmethod
    def msg_format() -> str:
        return gettext(
            "Dossier {dossier} can be rated once its result has been returned to the applicant."
        )


class RatingClosedError(DomainError):
    code = "RATING_CLOSED"
    http_status = 409
    data_fields = ("dossier",)

    def __init__(self, dossier: str) -> None:
        super().__init__(dossier)
        self.dossier = dossier

    @staticmethod
    def msg_format() -> str:
        return gettext(
            "The rating of dossier {dossier} can no longer be changed: a rating may be changed "
            "for one week after it was given."
        )
