"""Tablets and counters at the same moment: no number is given twice, no ticket called twice.

Run on SQLite (a file database, its writer lock) and on PostgreSQL (row locks, SKIP LOCKED):
threads released together by a barrier, each with its own connection.
"""

from __future__ import annotations

import pytest
import time_machine

from motcua.centres.actions import do_call_next_ticket, do_issue_ticket
from motcua.centres.models import Ticket, TicketStatus
from motcua.centres.queries import get_centre, get_counter
from motcua.centres.tests.conftest import CENTRE, at
from motcua.dossiers.tests.conftest import People
from motcua.dossiers.tests.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)
MORNING = at(2026, 3, 2, 8, 30)


def test_tablets_taking_numbers_at_once_get_distinct_numbers(people_tx: People) -> None:
    centre = get_centre(CENTRE)

    def take() -> object:
        return do_issue_ticket(centre, field=None, now=MORNING).number

    numbers = run_together(*[take] * 6)
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6], numbers  # type: ignore[type-var]


def test_counters_calling_at_once_never_get_the_same_ticket(people_tx: People) -> None:
    centre = get_centre(CENTRE)
    for _ in range(3):
        do_issue_ticket(centre, field=None, now=MORNING)
    counters = [get_counter(centre, number) for number in (1, 2, 3, 4)]

    def call(index: int) -> object:
        def job() -> object:
            with time_machine.travel(MORNING, tick=False):
                ticket = do_call_next_ticket(counters[index], acting_user=people_tx.receiver)
            return None if ticket is None else ticket.number

        return job

    results = run_together(*(call(i) for i in range(4)))
    assert not [r for r in results if isinstance(r, Exception)], results
    # Three tickets for four counters: each ticket at one counter, one counter finds nobody.
    assert sorted(r for r in results if r is not None) == [1, 2, 3], results  # type: ignore[type-var]
    assert results.count(None) == 1
    called = Ticket.objects.filter(status=TicketStatus.CALLED)
    assert len({t.counter_id for t in called}) == 3
