"""The real national catalogue, imported once per test database.

Importing the 1,476 records takes seconds, so ordinary tests share one import made at the start
of the session (outside their rolled-back transactions, like the unit register in the root
conftest): they may read it but must not change it. A test that changes catalogue rows builds
its own procedures instead. Transactional and live-server tests empty every table afterwards;
they ask for `catalogue_loaded`, which imports again when the tables are empty.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command


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
    from motcua.catalog.models import ProcedureOffering  # noqa: PLC0415

    if not ProcedureOffering.objects.exists():
        load_catalogue()
