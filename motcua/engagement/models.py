"""What applicants tell the administration: for now, the satisfaction rating of a dossier.

The questions are those of Circular 01/2018/TT-VPCP art. 13 that are collected from the applicant
(criteria 1, 3 and 7: the time taken against the promise, the contacts with the counter, the
staff's conduct) and the overall satisfaction the national portal asks (DOMAIN.md §8). Each
answer keeps its code; `points` gives the Circular's 0–2 score where it defines one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeTaken(models.TextChoices):
    EARLY = "early", _("Earlier than promised")
    ON_TIME = "on_time", _("On the promised date")
    LATE = "late", _("Later than promised")


class Trips(models.TextChoices):
    # Circular 01/2018 art. 13: no contact = 2 points, one = 1, more than one = 0.
    NONE = "0", _("None: everything was done online or by post")
    ONE = "1", _("Once")
    MORE = "2+", _("More than once")


class Conduct(models.TextChoices):
    GOOD = "good", _("Polite and helpful")
    ACCEPTABLE = "acceptable", _("Acceptable")
    POOR = "poor", _("Impolite, or asked for something the law does not require")


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


# The Circular's score of each answer (2 best); the overall answer is scored the same way.
POINTS: dict[str, int] = {
    TimeTaken.EARLY: 2,
    TimeTaken.ON_TIME: 2,
    TimeTaken.LATE: 0,
    Trips.NONE: 2,
    Trips.ONE: 1,
    Trips.MORE: 0,
    Conduct.GOOD: 2,
    Conduct.ACCEPTABLE: 1,
    Conduct.POOR: 0,
    Satisfaction.VERY_SATISFIED: 2,
    Satisfaction.SATISFIED: 1,
    Satisfaction.DISSATISFIED: 0,
}


class DossierRating(models.Model):
    """One rating per dossier, given by the applicant's side once the result was returned.

    Only `engagement.actions` writes it (STYLE.md §3).
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="rating"
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    time_taken = models.CharField(
        _("time taken, against the promised date"), max_length=10, choices=TimeTaken.choices
    )
    trips = models.CharField(_("trips to the centre"), max_length=2, choices=Trips.choices)
    conduct = models.CharField(_("staff conduct"), max_length=10, choices=Conduct.choices)
    overall = models.CharField(
        _("overall satisfaction"), max_length=16, choices=Satisfaction.choices
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("rated"))
    updated_at = models.DateTimeField(_("last changed"))

    class Meta:
        verbose_name = _("dossier rating")
        verbose_name_plural = _("dossier ratings")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall}"

    @property
    def points(self) -> dict[str, int]:
        return {
            name: POINTS[getattr(self, name)]
            for name in ("time_taken", "trips", "conduct", "overall")
        }
