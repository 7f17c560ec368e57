"""The one place outside the admin that changes the calendar: declared days and office hours.

Each action validates with the model's own `full_clean()` (the same rules the admin form applies)
before writing, and turns a refusal into an InvalidInputError, so bad input changes nothing. The
post-save signals bump the calendar revision in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.worktime.models import CalendarDay, CalendarDayKind, OfficeHours

logger = logging.getLogger(__name__)


def _invalid(exc: ValidationError) -> InvalidInputError:
    """The first field of a model ValidationError, with all of its messages, as a domain error."""
    field, messages = next(iter(exc.message_dict.items()))
    name = "entry" if field == NON_FIELD_ERRORS else field
    return InvalidInputError(name, " ".join(messages))


def do_declare_calendar_day(
    *, day: dt.date, kind: CalendarDayKind | str, reason: str, legal_source: str
) -> CalendarDay:
    """Declare `day` a day off or a make-up working day, as the government announced it.

    Creates one CalendarDay row; the post-save signal bumps the calendar revision, so every
    process uses the new day at its next computation. No lock: the unique date decides a race.
    Raises InvalidInputError (field and reason) for an invalid or duplicate entry; nothing is
    written then.
    """
    entry = CalendarDay(
        date=day, kind=str(kind), reason=reason.strip(), legal_source=legal_source.strip()
    )
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from None
    try:
        with transaction.atomic(durable=True):
            entry.save()
    except IntegrityError:
        # Another declaration of the same date committed between full_clean() and save().
        unique_message = CalendarDay._meta.get_field("date").error_messages["unique"]
        raise InvalidInputError("date", str(unique_message)) from None
    logger.info(
        "Declared calendar day %s (%s)", entry.date, entry.kind, extra={"calendar_day_id": entry.pk}
    )
    return entry


@transaction.atomic(durable=True)
def do_remove_calendar_day(*, day: dt.date) -> None:
    """Remove the declaration of `day` (entered by mistake, or withdrawn by the government).

    Deletes one row; the post-delete signal bumps the calendar revision. Due dates already
    stored on dossiers are not recomputed. Raises NotFoundError if `day` is not declared.
    """
    deleted, _ = CalendarDay.objects.filter(date=day).delete()
    if not deleted:
        raise NotFoundError(gettext("declared calendar day"), day.isoformat())
    logger.info("Removed calendar day %s", day)


def do_set_office_hours(
    *,
    agency_id: int | None,
    morning: tuple[dt.time, dt.time],
    afternoon: tuple[dt.time, dt.time],
) -> OfficeHours:
    """Set the office hours of an agency (or the default ones, with `agency_id=None`).

    Creates or updates the agency's single OfficeHours row, locking it first; the post-save
    signal bumps the calendar revision. Raises InvalidInputError for times out of order, and
    nothing is written then.
    """
    try:
        row = _save_office_hours(agency_id, morning, afternoon)
    except IntegrityError:
        # A concurrent first entry for the same agency committed before ours.
        taken = OfficeHours._meta.constraints[0].violation_error_message
        raise InvalidInputError("agency", str(taken)) from None
    logger.info("Set office hours %s", row.schedule_text, extra={"agency_id": agency_id})
    return row


@transaction.atomic(durable=True)
def _save_office_hours(
    agency_id: int | None, morning: tuple[dt.time, dt.time], afternoon: tuple[dt.time, dt.time]
) -> OfficeHours:
    # filter(agency_id=None) is an IS NULL lookup: the default row.
    row = OfficeHours.objects.select_for_update(no_key=True).filter(
        agency_id=agency_id
    ).first() or OfficeHours(agency_id=agency_id)
    row.morning_start, row.morning_end = morning
    row.afternoon_start, row.afternoon_end = afternoon
    try:
        row.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from None
    row.save()
    return row
