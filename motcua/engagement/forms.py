"""The rating form shown on the applicant's dossier page (/ho-so/<code>/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.engagement.actions import MAX_COMMENT_LENGTH, RatingAnswers
from motcua.engagement.models import Conduct, DossierRating, Satisfaction, TimeTaken, Trips

CHOOSE_ONE = _("Choose one answer.")


def _question(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ONE, "invalid_choice": CHOOSE_ONE},
    )


class RatingForm(forms.Form):
    time_taken = _question(_("Was the result ready by the promised date?"), TimeTaken)
    trips = _question(
        _("How many times did you have to go to the centre to complete this dossier?"), Trips
    )
    conduct = _question(_("How did the staff treat you?"), Conduct)
    overall = _question(_("Overall, how satisfied are you?"), Satisfaction)
    comment = forms.CharField(
        label=_("Anything else you want to tell the centre (optional)"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, rating: DossierRating | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "rating")
        if rating is not None:
            kwargs.setdefault(
                "initial",
                {
                    "time_taken": rating.time_taken,
                    "trips": rating.trips,
                    "conduct": rating.conduct,
                    "overall": rating.overall,
                    "comment": rating.comment,
                },
            )
        super().__init__(*args, **kwargs)

    @property
    def questions(self) -> list[forms.BoundField]:
        return [self[name] for name in ("time_taken", "trips", "conduct", "overall")]

    def answers(self) -> RatingAnswers:
        data = self.cleaned_data
        return RatingAnswers(
            time_taken=data["time_taken"],
            trips=data["trips"],
            conduct=data["conduct"],
            overall=data["overall"],
            comment=data["comment"],
        )
