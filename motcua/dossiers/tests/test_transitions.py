"""Every transition of the workflow does what the law says, and leaves its records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.utils import translation

from motcua.common.errors import DomainError
from motcua.dossiers.actions import Submission, do_submit_dossier
from motcua.dossiers.models import Dossier, DossierEvent, OutboxMessage
from motcua.dossiers.tests.conftest import CENTRE, PROCEDURE, People, act
from motcua.dossiers.workflow import STATUS_OF, TRANSITIONS, Action, Stage

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))


def last_event(dossier: Dossier) -> DossierEvent:
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None
    return event


def statuses(dossier: Dossier) -> list[int]:
    return [m.payload["TrangThaiHoSo"] for m in OutboxMessage.objects.filter(dossier=dossier)]


def test_refusal_at_the_counter_needs_reasons(
    submitted: Callable[..., Dossier], people: People
) -> None:
    dossier = submitted()
    with pytest.raises(DomainError, match="reason"):
        act(dossier, "refuse", people.receiver)
    dossier = act(
        dossier, "refuse", people.receiver, reason="Không thuộc thẩm quyền giải quyết của cơ quan"
    )
    assert (dossier.status, dossier.stage) == (3, "refused")
    assert dossier.finished_at is not None
    assert last_event(dossier).payload["reason"].startswith("Không thuộc")
    assert statuses(dossier) == [1, 3]


def test_supplement_at_intake_returns_to_the_counter_without_a_clock(
    submitted: Callable[..., Dossier], people: People
) -> None:
    dossier = submitted(with_documents=False)
    dossier = act(
        dossier,
        "request_supplement",
        people.receiver,
        items=["Giấy đề nghị đăng ký hành nghề", "Giấy chứng nhận bảo hiểm"],
    )
    assert (dossier.status, dossier.stage, dossier.paused_at) == (5, "supplement_requested", None)
    dossier = act(dossier, "supplement", people.citizen)
    with pytest.raises(DomainError) as missing:
        act(dossier, "accept_supplement", people.receiver)
    assert missing.value.code == "DOCUMENTS_MISSING"
    assert Dossier.objects.get(id=dossier.id).stage == "supplement_received"


def test_inter_agency_transfer_and_back(accepted: Dossier, people: People) -> None:
    dossier = act(accepted, "transfer", people.specialist, agency="H08.12")
    assert (dossier.stage, dossier.current_agency.code) == ("inter_agency", "H08.12")
    assert dossier.steps.filter(kind="inter_agency", agency__code="H08.12").exists()
    with pytest.raises(DomainError) as not_there:
        act(dossier, "return_from_transfer", people.specialist)  # H08.10's specialist
    assert not_there.value.code == "FORBIDDEN"


def test_leaders_and_clerks_send_a_dossier_back_one_step(accepted: Dossier, people: People) -> None:
    dossier = act(accepted, "appraise", people.specialist)
    dossier = act(dossier, "return_to_previous", people.leader, reason="Thiếu ý kiến thẩm định")
    assert dossier.stage == "appraising"
    dossier = act(dossier, "appraise", people.specialist)
    dossier = act(dossier, "approve", people.leader)
    dossier = act(dossier, "return_to_previous", people.clerk, reason="Sai số hiệu văn bản")
    assert dossier.stage == "awaiting_approval"
    appraisals = dossier.steps.filter(kind="appraise").order_by("id")
    assert appraisals.count() == 2
    assert all(step.finished_at for step in appraisals)


def test_financial_obligation_pauses_the_clock(accepted: Dossier, people: People) -> None:
    due = accepted.due_at
    assert due is not None
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, tzinfo=TZ), tick=False):
        dossier = act(accepted, "request_payment", people.specialist, amount_vnd=800_000)
    assert (dossier.status, dossier.stage) == (6, "awaiting_payment")
    with pytest.raises(DomainError):
        act(dossier, "request_payment", people.specialist, amount_vnd=-5)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=TZ), tick=False):
        dossier = act(dossier, "confirm_payment", people.receiver)
    assert dossier.stage == "appraising"
    assert dossier.due_at is not None and dossier.due_at > due
    assert dossier.due_explanation["pauses"][0]["reason"] == "financial_obligation"


def test_withdrawal_then_stop(accepted: Dossier, people: People) -> None:
    dossier = act(accepted, "request_withdrawal", people.citizen, reason="Không còn nhu cầu")
    assert (dossier.status, dossier.stage) == (7, "withdrawal_requested")
    dossier = act(dossier, "stop", people.leader, reason="Công dân rút hồ sơ")
    assert (dossier.status, dossier.stage) == (8, "stopped")
    assert statuses(dossier) == [1, 4, 7, 8]


def test_no_withdrawal_once_the_result_is_ready(accepted: Dossier, people: People) -> None:
    dossier = accepted
    for action, user in (
        ("appraise", people.specialist),
        ("approve", people.leader),
        ("sign", people.clerk),
        ("issue_result", people.clerk),
    ):
        dossier = act(dossier, action, user)
    with pytest.raises(DomainError) as refused:
        act(dossier, "request_withdrawal", people.citizen)
    assert refused.value.code == "ACTION_NOT_ALLOWED"


def test_assignment_only_to_a_specialist_of_the_agency(accepted: Dossier, people: People) -> None:
    dossier = act(accepted, "assign", people.leader, assignee="chuyen.vien")
    assert dossier.assignee is not None and dossier.assignee.user == people.specialist
    with pytest.raises(DomainError) as wrong:
        act(dossier, "assign", people.leader, assignee="chuyen.vien.xd")
    assert wrong.value.code == "BAD_REQUEST"


def test_counter_and_kiosk_and_post_submissions(people: People) -> None:
    counter, _ = do_submit_dossier(
        Submission(
            procedure_code=PROCEDURE,
            receiving_agency_code=CENTRE,
            channel="counter",
            applicant_personal_id="008199001234",
        ),
        acting_user=people.receiver,
    )
    assert (counter.channel, counter.applicant_name, counter.submitted_by) == (
        "counter",
        "Nguyễn Thị Hoà",
        people.receiver,
    )
    kiosk, _ = do_submit_dossier(
        Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE, channel="kiosk"),
        acting_user=people.citizen,
    )
    assert kiosk.applicant_citizen is not None
    with translation.override("en"), pytest.raises(DomainError, match="postal address"):
        do_submit_dossier(
            Submission(
                procedure_code=PROCEDURE, receiving_agency_code=CENTRE, delivery_method="post"
            ),
            acting_user=people.citizen,
        )
    with pytest.raises(DomainError):
        do_submit_dossier(
            Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE, channel="counter"),
            acting_user=people.citizen,
        )


def test_every_action_has_a_handler_and_every_stage_a_status() -> None:
    assert {t.action for t in TRANSITIONS} == set(Action)
    assert set(STATUS_OF) == set(Stage)
