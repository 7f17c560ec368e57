"""Shared fixtures: a province with three agencies, and fast password hashing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings

from motcua.units.models import Agency, AgencyKind, Unit

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # Argon2 costs ~100 ms and 100 MB a hash; the tests that check Argon2 put it first again.
    settings.PASSWORD_HASHERS = [MD5, ARGON2]


@pytest.fixture
def province(db: None) -> Unit:
    # The session may already hold the real unit register (root conftest); reuse its row.
    unit, _created = Unit.objects.get_or_create(
        code="08",
        valid_from=dt.date(2025, 7, 1),
        defaults={"name": "Tỉnh Tuyên Quang", "type": "province"},
    )
    return unit


@pytest.fixture
def make_agency(province: Unit) -> Callable[..., Agency]:
    def make(
        code: str, kind: str = AgencyKind.DEPARTMENT, name: str = "", **extra: object
    ) -> Agency:
        # The demo province may already be seeded by another suite's session fixture.
        agency, _created = Agency.objects.get_or_create(
            code=code,
            defaults={"name": name or f"Cơ quan {code}", "kind": kind, "unit": province, **extra},
        )
        return agency

    return make


@pytest.fixture
def demo_agencies(make_agency: Callable[..., Agency]) -> dict[str, Agency]:
    return {
        "centre": make_agency(
            "H08.01",
            AgencyKind.PROVINCIAL_CENTRE,
            "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang",
        ),
        "department": make_agency("H08.10", AgencyKind.DEPARTMENT, "Sở Tư pháp tỉnh Tuyên Quang"),
        "province": make_agency(
            "H08", AgencyKind.PROVINCIAL_COMMITTEE, "Ủy ban nhân dân tỉnh Tuyên Quang"
        ),
    }


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
