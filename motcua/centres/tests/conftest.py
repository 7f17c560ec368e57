"""Queue tests: the demo province's provincial centre H08.01 (8 counters) and its people.

The receiver works at H08.01; the other receiver at the commune centre H08.02287.01 stands for
"a receiving officer of another centre".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from motcua.catalog.models import ProcedureField
from motcua.centres.queries import get_centre, list_centre_fields
from motcua.dossiers.tests.conftest import People, make_people
from motcua.notifications.sms import MemorySmsGateway
from motcua.units.models import Agency

CENTRE = "H08.01"
TZ = dt.timezone(dt.timedelta(hours=7))


def at(*args: int) -> dt.datetime:
    """A moment in Vietnamese legal time: at(2026, 3, 2, 9) is 09:00 on 2 March 2026."""
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture(autouse=True)
def sms_outbox() -> Iterator[type[MemorySmsGateway]]:
    MemorySmsGateway.reset()
    yield MemorySmsGateway
    MemorySmsGateway.reset()


@pytest.fixture
def people(catalogue: None, db: None) -> People:
    return make_people()


@pytest.fixture
def people_tx(catalogue_loaded: None, transactional_db: None) -> People:
    return make_people()


@pytest.fixture
def centre(catalogue: None, db: None) -> Agency:
    return get_centre(CENTRE)


@pytest.fixture
def fields(centre: Agency) -> list[ProcedureField]:
    return list_centre_fields(centre)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client
