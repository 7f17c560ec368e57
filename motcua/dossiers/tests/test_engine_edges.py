"""The engine at its edges: a refusal that must persist, the portal's sync record when only a
date or an agency changes, a step cut short by a pause, and an upload that answers no
requirement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine

from motcua.common.errors import DomainError
from motcua.dossiers.apologies import do_approve_apology, do_draft_apologies
from motcua.dossiers.audit import verify_chain
from motcua.dossiers.models import Apology, Dossier, DossierEvent, DossierStep, OutboxMessage
from motcua.dossiers.slips.data import slip_data
from motcua.dossiers.tests.conftest import People, act, api_client, at, pdf

pytestmark = pytest.mark.django_db


def test_a_refused_apology_stays_on_record(running: Dossier, people: People) -> None:
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        do_draft_apologies()
        apology = Apology.objects.get(dossier=running)
        # The leader sets the one new date directly; the drafted apology would be a second.
        act(running, "reschedule", people.leader, reason="Xác minh", new_due="2026-03-12T09:00")
        with pytest.raises(DomainError) as refused:
            do_approve_apology(apology.id, acting_user=people.leader)
    assert refused.value.code == "RESCHEDULE_REFUSED"
    # What the refusal leaves is committed, not rolled back with the error.
    apology.refresh_from_db()
    assert apology.status == "cancelled"
    dossier = Dossier.objects.get(id=running.id)
    assert "second_reschedule_refused" in dossier.flagged
    assert dossier.due_at == at(2026, 3, 12, 9)
    assert DossierEvent.objects.filter(dossier=dossier, action="reschedule_refused").exists()
    assert verify_chain(dossier) is None


def test_the_portal_hears_of_a_new_date_and_a_new_agency(running: Dossier, people: People) -> None:
    def synced() -> list[dict[str, object]]:
        return [m.payload for m in OutboxMessage.objects.filter(dossier=running).order_by("id")]

    before = len(synced())
    with time_machine.travel(at(2026, 3, 5, 9), tick=False):
        act(running, "assign", people.leader, assignee="chuyen.vien")
        assert len(synced()) == before  # nothing the portal shows changed
        act(running, "reschedule", people.leader, reason="Xác minh", new_due="2026-03-12T09:00")
        assert synced()[-1]["NgayHenTra"] == "20260312090000"
        assert synced()[-1]["TrangThaiHoSo"] == 4  # same status, new date: still sent
        act(running, "transfer", people.specialist, agency="H08.12")
        assert synced()[-1]["DonViXuLy"] == "H08.12"
    assert len(synced()) == before + 2


def test_a_step_cut_short_by_a_supplement_resumes_and_only_its_end_counts(
    running: Dossier, people: People
) -> None:
    # Accepted Monday 2 March 09:00; the specialist asks for a supplement an hour later.
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        act(running, "request_supplement", people.specialist, items=["Bản sao giấy tờ"])
    first = DossierStep.objects.get(dossier=running, kind="appraise")
    assert (first.interrupted, first.outcome) == (True, "")
    used = first.finished_at - first.started_at
    left = first.due_at - first.finished_at
    assert used == dt.timedelta(hours=1)
    with time_machine.travel(at(2026, 3, 4, 9), tick=False):
        act(running, "supplement", people.citizen)
        act(running, "accept_supplement", people.specialist)
    resumed = DossierStep.objects.filter(dossier=running, kind="appraise").latest("id")
    assert resumed.id != first.id
    assert resumed.started_at == at(2026, 3, 4, 9)
    assert resumed.budget_hours == first.budget_hours
    # The time it had left, counted from the resumption, in office hours.
    assert resumed.due_at > at(2026, 3, 4, 9)
    assert resumed.due_at - at(2026, 3, 4, 9) >= min(left, dt.timedelta(hours=4))
    with time_machine.travel(at(2026, 3, 4, 10), tick=False):
        act(running, "appraise", people.specialist)
    rows = slip_data(Dossier.objects.get(id=running.id), "process_control")
    appraisals = [r for r in rows["steps"] if r["task"] == "Thẩm định, xử lý hồ sơ"]
    assert [r["outcome"] for r in appraisals] == ["Tạm dừng", "Trước hạn"]
    justice = next(t for t in rows["per_agency"] if t["agency"] == running.competent_agency.name)
    assert (justice["early"], justice["on_time"], justice["late"]) == (1, 0, 0)
    assert justice["open"] == 1  # the approval step, now under way


def test_an_upload_for_no_requirement_is_an_other_document(
    submitted: Callable[..., Dossier], people: People
) -> None:
    dossier = submitted(with_documents=False)
    citizen = api_client(people.citizen)
    response = citizen.post(f"/api/v1/dossiers/{dossier.code}/documents", {"file": pdf("x.pdf")})
    assert response.status_code == 201
    assert (response.json()["requirement"], response.json()["other"]) == (None, True)
    detail = citizen.get(f"/api/v1/dossiers/{dossier.code}").json()
    # It answers none of the requirements: they are all still missing, with their ids.
    missing = detail["missing_requirements"]
    assert missing and all(isinstance(r["id"], int) for r in missing)
    assert [r["name"][:120] for r in missing] == detail["missing_documents"]
    wrong = citizen.post(
        f"/api/v1/dossiers/{dossier.code}/documents", {"file": pdf(), "requirement": 10**9}
    )
    assert wrong.status_code == 400
    # Uploading against the listed ids completes the dossier.
    for requirement in missing:
        citizen.post(
            f"/api/v1/dossiers/{dossier.code}/documents",
            {"file": pdf(), "requirement": requirement["id"]},
        )
    assert citizen.get(f"/api/v1/dossiers/{dossier.code}").json()["missing_requirements"] == []
    act(Dossier.objects.get(id=dossier.id), "accept", people.receiver)
    receipt = slip_data(Dossier.objects.get(id=dossier.id), "receipt")
    other = [d for d in receipt["documents"] if "x.pdf" in d["name"]]
    assert other and other[0]["name"].startswith("Giấy tờ khác")
