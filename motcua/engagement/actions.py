"""The only code that writes ratings (STYLE.md §3)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts.models import User
from motcua.accounts.viewer import Viewer
from motcua.common.errors import InvalidInputError
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.errors import DossierNotFoundError
from motcua.dossiers.models import Dossier
from motcua.engagement.errors import RatingClosedError, RatingNotOpenError
from motcua.engagement.models import Conduct, DossierRating, Satisfaction, TimeTaken, Trips
from motcua.engagement.queries import RatingState, rating_state

logger = logging.getLogger(__name__)

MAX_COMMENT_LENGTH = 1000


@dataclass(frozen=True)
class RatingAnswers:
    time_taken: str
    trips: str
    conduct: str
    overall: str
    comment: str = ""

    def check(self) -> None:
        """Each answer one of its question's codes; the first wrong one is reported."""
        for field, choices in (
            ("time_taken", TimeTaken),
            ("trips", Trips),
            ("conduct", Conduct),
            ("overall", Satisfaction),
        ):
            if getattr(self, field) not in choices.values:
                raise InvalidInputError(field, gettext("choose one of the answers offered."))
        if len(self.comment) > MAX_COMMENT_LENGTH:
            raise InvalidInputError(
                "comment",
                gettext("at most {length} characters.").format(length=MAX_COMMENT_LENGTH),
            )


def do_rate_dossier(
    code: str, answers: RatingAnswers, *, acting_user: User, viewer: Viewer | None = None
) -> DossierRating:
    """Give or change the rating of dossier `code` as its applicant's side.

    Locks the dossier row (two submissions of the first rating make one row, the second an
    edit). Writes nothing to the dossier's audit chain: a rating is the applicant's opinion, not
    a step of the procedure. Raises DossierNotFoundError (not visible to the user),
    InvalidInputError (an answer outside its choices), RatingNotOpenError (the result was not
    returned, or the user is not the applicant's side), RatingClosedError (given more than
    EDIT_WINDOW ago).
    """
    answers.check()
    viewer = viewer if viewer is not None else Viewer.of(acting_user)
    now = timezone.now()
    with transaction.atomic(durable=True):
        try:
            dossier = (
                visible_dossiers(viewer).select_for_update(no_key=True, of=("self",)).get(code=code)
            )
        except Dossier.DoesNotExist:
            raise DossierNotFoundError(code) from None
        rating = DossierRating.objects.filter(dossier=dossier).first()
        state = rating_state(dossier, viewer, rating, now=now)
        if state == RatingState.NOT_YET:
            raise RatingNotOpenError(dossier.code)
        if state == RatingState.CLOSED:
            raise RatingClosedError(dossier.code)
        if rating is None:
            rating = DossierRating(dossier=dossier, created_at=now)
        rating.rated_by = acting_user
        rating.time_taken = answers.time_taken
        rating.trips = answers.trips
        rating.conduct = answers.conduct
        rating.overall = answers.overall
        rating.comment = answers.comment
        rating.updated_at = now
        rating.save()
    logger.info(
        "Dossier %s rated %s",
        dossier.code,
        answers.overall,
        extra={"dossier_id": dossier.id, "user_id": acting_user.id},
    )
    return rating
