"""Test-wide fixtures. Each suite runs on SQLite and, in a second pass, on PostgreSQL."""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to be
# called from it. The tests are synchronous code and safe to run that way.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """Load the real unit register once per test database: every test can rely on it."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("load_units", verbosity=0)


@pytest.fixture
def unit_register(db: None) -> None:
    """For transactional tests, which empty the tables after each test: reload if needed."""
    from motcua.units.models import Unit  # noqa: PLC0415  (apps are not ready at import)

    if not Unit.objects.exists():
        call_command("load_units", verbosity=0)


def load_catalogue() -> None:
    """The demo province's agencies, the carried catalogue, and its offerings there.

    Idempotent: `load_catalogue` imports (unchanged records stay as they are) and offers every
    province- and commune-level procedure in the demo province (08).
    """
    call_command("load_demo_province", verbosity=0)
    call_command("load_catalogue", verbosity=0)


@pytest.fixture(scope="session")
def catalogue(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """The national catalogue and the demo province's offerings, for the whole session."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        load_catalogue()


@pytest.fixture
def catalogue_loaded(db: None, unit_register: None) -> None:
    """For transactional tests, which empty the tables after each test: reload if needed."""
    from motcua.catalog.models import ProcedureOffering  # noqa: PLC0415  (apps not ready)

    if not ProcedureOffering.objects.exists():
        load_catalogue()
