"""What administrators enter into the working-day calendar: declared days and office hours.

The public holidays themselves come from the `holidays` package (workcalendar.py); these tables
hold only what the government announces each year on top of them, and each agency's office
hours. Every change replaces `CalendarRevision.token`, so each process's cached calendar is
rebuilt on its next use (queries.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from motcua.worktime.errors import OutsideCalendarRangeError
from motcua.worktime.workcalendar import (
    DeclaredKind,
    OfficeSchedule,
    package_calendar,
)


class CalendarDayKind(models.TextChoices):
    DAY_OFF = DeclaredKind.DAY_OFF.value, _("Declared day off")
    WORKING_DAY = DeclaredKind.WORKING_DAY.value, _("Make-up working day")


class CalendarDay(models.Model):
    """One date the government declared for a year: an extra day off or a make-up working day.

    Entered from the announcement (e.g. Công văn 12729/VPCP-KGVX: 2 Jan 2026 off, Saturday
    10 Jan 2026 worked instead). A day off is accepted on any date, even one that is already off:
    it is harmless, keeps the legal source on record, and stays right if the package's data
    changes. A make-up working day is refused on a date that is already a working day, since
    that can only be a typing mistake.
    """

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={
            "unique": _("This date is already in the calendar; change the existing entry instead.")
        },
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    reason = models.CharField(
        _("reason"),
        max_length=200,
        help_text=_("Shown to citizens, e.g. “Nghỉ bù Tết Dương lịch”."),
    )
    legal_source = models.CharField(
        _("legal source"),
        max_length=200,
        help_text=_("The document that declared it, e.g. “Công văn 12729/VPCP-KGVX”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("declared calendar day")
        verbose_name_plural = _("declared calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}: {self.reason}"

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS[self.date.weekday()])

    def clean(self) -> None:
        if not isinstance(self.date, dt.date) or self.kind not in CalendarDayKind.values:
            return  # the field validators report these
        try:
            base_reason = package_calendar().base_non_working_reason(self.date)
        except OutsideCalendarRangeError as exc:
            raise ValidationError({"date": exc.reason}) from None
        if self.kind == CalendarDayKind.WORKING_DAY and base_reason is None:
            raise ValidationError(
                {
                    "kind": ValidationError(
                        _(
                            "%(date)s is a %(weekday)s that is not a public holiday, so it is "
                            "already a working day. A make-up working day can only be declared "
                            "on a weekend day or a holiday."
                        ),
                        code="already_working_day",
                        params={
                            "date": date_format(self.date, "SHORT_DATE_FORMAT"),
                            "weekday": WEEKDAYS[self.date.weekday()],
                        },
                    )
                }
            )


class OfficeHours(models.Model):
    """An agency's daily office hours; the row without an agency is the default for all others.

    Without any row, 07:30-11:30 and 13:30-17:00 apply (`workcalendar.DEFAULT_OFFICE_SCHEDULE`).
    """

    agency = models.ForeignKey(
        "units.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_("Leave empty for the default office hours of every agency."),
    )
    morning_start = models.TimeField(_("morning opens"), default=dt.time(7, 30))
    morning_end = models.TimeField(_("morning closes"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("afternoon opens"), default=dt.time(13, 30))
    afternoon_end = models.TimeField(_("afternoon closes"), default=dt.time(17, 0))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            # One row per agency and a single default row: NULL is folded to 0 (never an id),
            # since a plain unique column would accept any number of NULLs.
            models.UniqueConstraint(
                Coalesce("agency", models.Value(0)),
                name="office_hours_one_per_agency",
                violation_error_message=_(
                    "Office hours are already set for this agency (or the default row exists); "
                    "change that entry instead."
                ),
            ),
        ]

    def __str__(self) -> str:
        who = str(self.agency) if self.agency_id else str(_("Default"))
        return f"{who}: {self.schedule_text}"

    @property
    def schedule_text(self) -> str:
        return (
            f"{self.morning_start:%H:%M}-{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}-{self.afternoon_end:%H:%M}"
        )

    def schedule(self) -> OfficeSchedule:
        return OfficeSchedule(
            (
                (self.morning_start, self.morning_end),
                (self.afternoon_start, self.afternoon_end),
            )
        )

    def clean(self) -> None:
        times = (self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end)
        if any(not isinstance(value, dt.time) for value in times):
            return  # the field validators report these
        ordered = times[0] < times[1] <= times[2] < times[3]
        if not ordered:
            raise ValidationError(
                _(
                    "Office hours must be in order: the morning opens before it closes, the "
                    "afternoon opens no earlier than the morning closes, and closes after it opens."
                ),
                code="office_hours_order",
            )


class CalendarRevision(models.Model):
    """A single row whose token changes on every calendar change.

    Each process caches the built calendars with the token they were built at and compares it
    with this row on use: one indexed read instead of reloading every entry, and correct across
    processes (signals alone would only reach the process that made the change). A random token,
    not a counter, so a rolled-back change can never be mistaken for a later one.
    """

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar revision")
        verbose_name_plural = _("calendar revisions")

    def __str__(self) -> str:
        return str(self.token)
