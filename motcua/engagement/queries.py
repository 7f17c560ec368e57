"""Reads of ratings: the rating of a dossier and whether it may be given or changed now."""

from __future__ import annotations

import datetime as dt
import enum

from motcua.accounts.viewer import Viewer
from motcua.dossiers.access import is_applicant_side
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Stage
from motcua.engagement.models import DossierRating

# A rating may be changed for a week after it was first given, then it is kept as it is: long
# enough to think again, short enough for the monthly service-quality figures to settle.
EDIT_WINDOW = dt.timedelta(days=7)


class RatingState(enum.StrEnum):
    NOT_YET = "not_yet"  # the result has not been returned, or the viewer may not rate
    OPEN = "open"  # no rating yet: it may be given
    EDITABLE = "editable"  # given, and may still be changed
    CLOSED = "closed"  # given more than a week ago: read-only


def get_rating(dossier: Dossier) -> DossierRating | None:
    return DossierRating.objects.filter(dossier_id=dossier.id).first()


def editable_until(rating: DossierRating) -> dt.datetime:
    return rating.created_at + EDIT_WINDOW


def rating_state(
    dossier: Dossier, viewer: Viewer, rating: DossierRating | None, *, now: dt.datetime
) -> RatingState:
    """Only the applicant's side (the applicant, or whoever filed it for them online) rates,
    and only a dossier whose result was returned; a rating stays editable for EDIT_WINDOW."""
    if Stage(dossier.stage) != Stage.RETURNED or not is_applicant_side(viewer, dossier):
        return RatingState.NOT_YET
    if rating is None:
        return RatingState.OPEN
    if now < editable_until(rating):
        return RatingState.EDITABLE
    return RatingState.CLOSED
