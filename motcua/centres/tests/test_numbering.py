"""Numbers run 001, 002 … per centre and start again at midnight, Vietnamese legal time."""

from __future__ import annotations

import time_machine

from motcua.catalog.models import ProcedureField
from motcua.centres.actions import do_issue_ticket
from motcua.centres.queries import get_centre
from motcua.centres.tests.conftest import at
from motcua.units.models import Agency


def test_numbers_restart_at_midnight_in_legal_time(
    centre: Agency, fields: list[ProcedureField]
) -> None:
    field = fields[0]
    with time_machine.travel(at(2026, 3, 2, 23, 58), tick=False):
        late = [do_issue_ticket(centre, field=field).label for _ in range(3)]
    # 00:00:30 in Hà Nội is still 2 March in UTC (17:00:30): the day is the legal one.
    with time_machine.travel(at(2026, 3, 3, 0, 0, 30), tick=False):
        first = do_issue_ticket(centre, field=None)
    assert late == ["001", "002", "003"]
    assert first.label == "001"
    assert str(first.day) == "2026-03-03"


def test_each_centre_has_its_own_numbers(centre: Agency, fields: list[ProcedureField]) -> None:
    commune_centre = get_centre("H08.02287.01")
    with time_machine.travel(at(2026, 3, 2, 8), tick=False):
        here = [do_issue_ticket(centre, field=fields[0]).number for _ in range(2)]
        there = do_issue_ticket(commune_centre, field=None).number
    assert here == [1, 2]
    assert there == 1


def test_the_centre_offers_the_fields_its_counters_receive(
    fields: list[ProcedureField],
) -> None:
    names = {f.name for f in fields}
    # The provincial centre receives civil status (boundary-free) and lawyers' registration.
    assert {"Hộ tịch", "Luật sư"} <= names
