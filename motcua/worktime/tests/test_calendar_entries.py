"""Declared days and office hours, entered through the actions: validated, and used at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.units.models import Agency
from motcua.worktime.actions import (
    do_declare_calendar_day,
    do_remove_calendar_day,
    do_set_office_hours,
)
from motcua.worktime.deadlines import due_in_working_days
from motcua.worktime.models import CalendarDay, CalendarDayKind, OfficeHours
from motcua.worktime.queries import current_revision, get_calendar, get_calendar_for_agency_code
from motcua.worktime.tests.conftest import NEW_YEAR_2026_SOURCE, at

pytestmark = pytest.mark.django_db


def declare_new_year_2026() -> None:
    do_declare_calendar_day(
        day=dt.date(2026, 1, 2),
        kind=CalendarDayKind.DAY_OFF,
        reason="Nghỉ bù Tết Dương lịch",
        legal_source=NEW_YEAR_2026_SOURCE,
    )
    do_declare_calendar_day(
        day=dt.date(2026, 1, 10),
        kind=CalendarDayKind.WORKING_DAY,
        reason="Làm bù Tết Dương lịch",
        legal_source=NEW_YEAR_2026_SOURCE,
    )


def test_a_declared_day_is_used_at_once() -> None:
    received = at(2025, 12, 31, 10, 0)
    assert due_in_working_days(received, 2, get_calendar()).due == at(2026, 1, 5, 10, 0)
    declare_new_year_2026()
    calendar = get_calendar()
    assert due_in_working_days(received, 2, calendar).due == at(2026, 1, 6, 10, 0)
    assert due_in_working_days(at(2026, 1, 9, 10, 0), 1, calendar).due == at(2026, 1, 10, 10, 0)
    do_remove_calendar_day(day=dt.date(2026, 1, 2))
    assert due_in_working_days(received, 2, get_calendar()).due == at(2026, 1, 5, 10, 0)


def test_cached_calendar_costs_one_query(django_assert_num_queries: object) -> None:
    first = get_calendar()
    # 1 query: the revision token, unchanged, so the cached calendar is returned.
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert get_calendar() is first
    declare_new_year_2026()
    assert get_calendar() is not first


@pytest.mark.parametrize(
    ("day", "kind", "reason", "legal_source", "field"),
    [
        # Wednesday 4 March 2026 is an ordinary working day: a make-up day there is a mistake.
        (dt.date(2026, 3, 4), CalendarDayKind.WORKING_DAY, "Làm bù", "CV 1", "kind"),
        (dt.date(2026, 3, 7), "holiday", "Nghỉ", "CV 1", "kind"),  # not a kind
        (dt.date(2026, 3, 7), CalendarDayKind.DAY_OFF, "   ", "CV 1", "reason"),
        (dt.date(2026, 3, 7), CalendarDayKind.DAY_OFF, "Nghỉ", "", "legal_source"),
        (dt.date(1999, 3, 6), CalendarDayKind.WORKING_DAY, "Làm bù", "CV 1", "date"),
        (dt.date(2026, 3, 7), CalendarDayKind.DAY_OFF, "x" * 201, "CV 1", "reason"),
    ],
)
def test_malformed_entries_are_refused_and_change_nothing(
    day: dt.date, kind: str, reason: str, legal_source: str, field: str
) -> None:
    calendar, token = get_calendar(), current_revision()
    with pytest.raises(InvalidInputError) as caught:
        do_declare_calendar_day(day=day, kind=kind, reason=reason, legal_source=legal_source)
    assert caught.value.field == field
    assert caught.value.code == "BAD_REQUEST"
    assert not CalendarDay.objects.exists()
    assert current_revision() == token
    assert get_calendar() is calendar


def test_make_up_day_error_message_names_the_date() -> None:
    with pytest.raises(InvalidInputError) as caught:
        do_declare_calendar_day(
            day=dt.date(2026, 3, 4), kind="working_day", reason="Làm bù", legal_source="CV 1"
        )
    assert "already a working day" in caught.value.reason


def test_duplicate_date_is_refused_and_keeps_the_first_entry() -> None:
    declare_new_year_2026()
    with pytest.raises(InvalidInputError) as caught:
        do_declare_calendar_day(
            day=dt.date(2026, 1, 2), kind="day_off", reason="Khác", legal_source="CV 2"
        )
    assert caught.value.field == "date"
    assert "already in the calendar" in caught.value.reason
    assert CalendarDay.objects.get(date=dt.date(2026, 1, 2)).legal_source == NEW_YEAR_2026_SOURCE


def test_allowed_entries_on_days_already_off_or_on_holidays() -> None:
    # A day off on a Sunday is redundant but harmless (documented decision).
    do_declare_calendar_day(
        day=dt.date(2026, 2, 15), kind="day_off", reason="Nghỉ Tết", legal_source="TB 1"
    )
    # A working day on a package holiday overrides the package (e.g. if 24 Nov were not in
    # force); the entry is refused only on dates that are already working days.
    do_declare_calendar_day(
        day=dt.date(2026, 11, 24), kind="working_day", reason="Đi làm", legal_source="TB 2"
    )
    calendar = get_calendar()
    assert not calendar.is_working_day(dt.date(2026, 2, 15))
    assert calendar.is_working_day(dt.date(2026, 11, 24))


def test_removing_an_undeclared_day_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        do_remove_calendar_day(day=dt.date(2026, 1, 2))


def test_office_hours_override_for_one_agency(agency: Agency) -> None:
    received = at(2026, 3, 2, 13, 10)  # Monday, lunch under the default hours
    default = due_in_working_days(received, 1, get_calendar_for_agency_code(agency.code))
    assert (default.counted_from, default.due) == (at(2026, 3, 2, 13, 30), at(2026, 3, 3, 11, 30))

    do_set_office_hours(
        agency_id=agency.pk,
        morning=(dt.time(7), dt.time(11, 30)),
        afternoon=(dt.time(13), dt.time(16, 30)),
    )
    own = due_in_working_days(received, 1, get_calendar_for_agency_code(agency.code))
    assert (own.counted_from, own.due) == (at(2026, 3, 2, 13, 10), at(2026, 3, 3, 13, 10))
    # Other agencies keep the default hours.
    assert get_calendar().schedule.periods[0] == (dt.time(7, 30), dt.time(11, 30))


def test_default_office_hours_row_applies_to_every_agency(agency: Agency) -> None:
    do_set_office_hours(
        agency_id=None, morning=(dt.time(8), dt.time(12)), afternoon=(dt.time(13), dt.time(17))
    )
    do_set_office_hours(
        agency_id=None, morning=(dt.time(7), dt.time(11)), afternoon=(dt.time(13), dt.time(17))
    )
    assert OfficeHours.objects.count() == 1
    periods = get_calendar_for_agency_code(agency.code).schedule.periods
    assert periods == ((dt.time(7), dt.time(11)), (dt.time(13), dt.time(17)))


def test_office_hours_out_of_order_are_refused(agency: Agency) -> None:
    token = current_revision()
    with pytest.raises(InvalidInputError) as caught:
        do_set_office_hours(
            agency_id=agency.pk,
            morning=(dt.time(7, 30), dt.time(11, 30)),
            afternoon=(dt.time(11), dt.time(17)),
        )
    assert caught.value.field == "entry"
    assert not OfficeHours.objects.exists()
    assert current_revision() == token


def test_only_one_row_per_agency_and_one_default(agency: Agency) -> None:
    OfficeHours.objects.create(agency=None)
    OfficeHours.objects.create(agency=agency)
    for duplicate in (OfficeHours(agency=None), OfficeHours(agency=agency)):
        with pytest.raises(ValidationError, match="already set"):
            duplicate.full_clean()


def test_unknown_agency_code_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        get_calendar_for_agency_code("H99.99")
