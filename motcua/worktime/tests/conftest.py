"""Shared helpers: moments in the legal time zone and a pure calendar with the 2026 declarations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from motcua.units.models import Agency, AgencyKind, Unit
from motcua.worktime.workcalendar import (
    LEGAL_TZ,
    DeclaredDay,
    DeclaredKind,
    WorkCalendar,
    package_calendar,
    vietnam_public_holidays,
)

# Công văn 12729/VPCP-KGVX (25/12/2025): Friday 2 Jan 2026 off, worked on Saturday 10 Jan 2026.
# The holidays package (0.109) does not know this swap; administrators enter it.
NEW_YEAR_2026_SOURCE = "Công văn 12729/VPCP-KGVX"
NEW_YEAR_2026 = {
    dt.date(2026, 1, 2): DeclaredDay(
        dt.date(2026, 1, 2), DeclaredKind.DAY_OFF, "Nghỉ bù Tết Dương lịch", NEW_YEAR_2026_SOURCE
    ),
    dt.date(2026, 1, 10): DeclaredDay(
        dt.date(2026, 1, 10),
        DeclaredKind.WORKING_DAY,
        "Làm bù Tết Dương lịch",
        NEW_YEAR_2026_SOURCE,
    ),
}


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment on the wall clock of Asia/Ho_Chi_Minh."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LEGAL_TZ)


@pytest.fixture
def calendar() -> WorkCalendar:
    """The package's calendar with the default office hours (07:30-11:30, 13:30-17:00)."""
    return package_calendar()


@pytest.fixture
def declared_calendar() -> WorkCalendar:
    """The package's calendar plus the New Year 2026 swap, as an administrator declares it."""
    return WorkCalendar(public_holidays=vietnam_public_holidays(), declared=NEW_YEAR_2026)


@pytest.fixture
def agency(db: None) -> Agency:
    """A test agency in Hà Nội (the root conftest loads the real unit register)."""
    hanoi = Unit.objects.current().get(code="01")
    return Agency.objects.create(
        code="H01.99.WT",
        name="Trung tâm Phục vụ hành chính công thành phố Hà Nội",
        kind=AgencyKind.PROVINCIAL_CENTRE,
        unit=hanoi,
    )


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """These tests read English messages; Vietnamese ones are checked in test_vietnamese.py."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(admin_client: Client) -> Client:
    # Pages speak Vietnamese until the visitor picks another language (the language cookie).
    admin_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client
