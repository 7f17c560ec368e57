"""Two officials acting at once: one wins, the other gets a clear conflict; codes stay unique."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from motcua.common.errors import DomainError
from motcua.dossiers.actions import Submission, do_act_on_dossier, do_submit_dossier
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.conftest import CENTRE, PROCEDURE, People


def run_together(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs in threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def runner(i: int, job: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[i] = job()
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_of_two_officials_acting_at_once_one_wins(
    catalogue_loaded: None, people_tx: People, accepted_tx: Dossier
) -> None:
    version = accepted_tx.row_version

    def appraise() -> object:
        return do_act_on_dossier(
            accepted_tx.id, "appraise", acting_user=people_tx.specialist, expected_version=version
        )

    results = run_together(appraise, appraise)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], DomainError)
    assert errors[0].code == "CONFLICT"
    assert DossierEvent.objects.filter(dossier=accepted_tx, action="appraise").count() == 1
    assert Dossier.objects.get(id=accepted_tx.id).stage == "awaiting_approval"


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_codes(
    catalogue_loaded: None, people_tx: People
) -> None:
    def submit() -> object:
        dossier, _created = do_submit_dossier(
            Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
            acting_user=people_tx.citizen,
        )
        return dossier.code

    codes = run_together(*[submit] * 4)
    assert all(isinstance(c, str) for c in codes), codes
    assert len(set(codes)) == 4
