"""A dossier walks to lateness: the apology is drafted before the due date, approved by the
leader, sent; the new date is recorded once and a second one refused and flagged."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command

from motcua.common.errors import DomainError
from motcua.dossiers.apologies import (
    apology_rate,
    do_approve_apology,
    do_draft_apologies,
    list_late_without_apology,
)
from motcua.dossiers.models import Apology, Dossier, DossierEvent
from motcua.dossiers.tests.conftest import People, act, api_client, at

pytestmark = pytest.mark.django_db


def test_the_whole_apology(running: Dossier, people: People) -> None:
    # Thursday 5 March: three working days left — nothing to draft yet.
    with time_machine.travel(at(2026, 3, 5, 9), tick=False):
        assert do_draft_apologies().drafted == 0
    # Friday 6 March 10:00: less than one working day left (Fri 10:00 → Mon 09:00).
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        call_command("draft_apologies", verbosity=0)
        assert do_draft_apologies().drafted == 0  # a second run drafts nothing more
    apology = Apology.objects.get(dossier=running)
    assert apology.status == "draft"
    assert apology.agency.code == "H08.10"
    assert apology.drafted_at < running.due_at  # drafted before the due date
    assert apology.proposed_due_at > running.due_at

    leader = api_client(people.leader)
    inbox = leader.get("/api/v1/apologies?status=draft").json()
    assert [a["dossier"] for a in inbox] == [running.code]
    # Only a leader of the agency approves.
    denied = api_client(people.specialist).post(
        f"/api/v1/apologies/{apology.id}/approve", {}, content_type="application/json"
    )
    assert denied.status_code == 403
    with time_machine.travel(at(2026, 3, 6, 14), tick=False):
        response = leader.post(
            f"/api/v1/apologies/{apology.id}/approve",
            {
                "reason": "Cần xác minh thông tin với Đoàn Luật sư tỉnh",
                "new_due": "2026-03-12T09:00:00+07:00",
            },
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "sent"
    dossier = Dossier.objects.get(id=running.id)
    assert dossier.due_at == at(2026, 3, 12, 9)
    assert dossier.previous_due_at == at(2026, 3, 9, 9)
    assert dossier.reschedule_count == 1
    event = DossierEvent.objects.filter(dossier=dossier, action="reschedule").get()
    assert event.payload["reason"] == "Cần xác minh thông tin với Đoàn Luật sư tỉnh"

    # A second new date is refused and flagged; the date stays.
    with pytest.raises(DomainError) as second:
        act(
            dossier,
            "reschedule",
            people.leader,
            reason="Lần hai",
            new_due="2026-03-20T09:00:00+07:00",
        )
    assert second.value.code == "RESCHEDULE_REFUSED"
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 12, 9)
    assert "second_reschedule_refused" in dossier.flagged


def test_managers_see_late_dossiers_without_an_apology(running: Dossier, people: People) -> None:
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):  # a day past the due date
        late = list(list_late_without_apology())
        assert [d.code for d in late] == [running.code]
        assert apology_rate() == {"late": 1, "apologised": 0, "percent": 0.0}
        do_draft_apologies()
        apology = Apology.objects.get(dossier=running)
        do_approve_apology(apology.id, acting_user=people.leader)
        assert list(list_late_without_apology()) == []
        assert apology_rate() == {"late": 1, "apologised": 1, "percent": 100.0}


def test_an_apology_is_handled_once(running: Dossier, people: People) -> None:
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        do_draft_apologies()
        apology = Apology.objects.get(dossier=running)
        do_approve_apology(apology.id, acting_user=people.leader)
        with pytest.raises(DomainError) as again:
            do_approve_apology(apology.id, acting_user=people.leader)
    assert again.value.code == "BAD_REQUEST"
    assert Dossier.objects.get(id=running.id).reschedule_count == 1


def test_the_late_report_over_the_api(running: Dossier, people: People) -> None:
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        report = api_client(people.leader).get("/api/v1/reports/late-dossiers")
        assert report.status_code == 200
        body = report.json()
        assert (body["late"], body["apologised"]) == (1, 0)
        assert [d["code"] for d in body["without_apology"]] == [running.code]
        assert api_client(people.citizen).get("/api/v1/reports/late-dossiers").status_code == 403
        assert api_client(people.specialist).get("/api/v1/reports/late-dossiers").status_code == 403
