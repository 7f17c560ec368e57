"""The officials' dossier page (/can-bo/ho-so/<code>/), through the Django test client.

Each action from the page: done when the input is right; refused with the reason next to its
form, and the dossier unchanged, when it is not (missing reason, wrong file type, an action no
longer open, a stale page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.models import User
from motcua.dossiers.actions import do_attach_document
from motcua.dossiers.models import Dossier, DossierEvent, DossierResult
from motcua.dossiers.storage import path_for
from motcua.dossiers.tests.conftest import PDF, People, act, pdf

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()  # no language cookie: Vietnamese
    client.force_login(user)
    return client


def page_url(dossier: Dossier) -> str:
    return reverse("dossiers:office_dossier", args=[dossier.code])


# Who may open the page


def test_the_inbox_links_each_dossier_to_its_page(accepted: Dossier, people: People) -> None:
    inbox = login(people.specialist).get(reverse("dossiers:inbox")).content.decode()
    assert f'href="{page_url(accepted)}"' in inbox


def test_officials_who_see_the_dossier_open_its_page(accepted: Dossier, people: People) -> None:
    for user in (people.receiver, people.specialist, people.leader, people.clerk):
        response = login(user).get(page_url(accepted))
        assert response.status_code == 200
        assert accepted.code in response.content.decode()


def test_officials_of_another_agency_get_404_as_for_a_missing_code(
    accepted: Dossier, people: People
) -> None:
    for user in (people.other_receiver, people.other_specialist):
        assert login(user).get(page_url(accepted)).status_code == 404
    missing = reverse("dossiers:office_dossier", args=["H08.01-000000-9999"])
    assert login(people.specialist).get(missing).status_code == 404


def test_citizens_are_refused_even_their_own_dossier(accepted: Dossier, people: People) -> None:
    response = login(people.citizen).get(page_url(accepted))
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(accepted: Dossier, client: Client) -> None:
    response = client.get(page_url(accepted))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


# What the page shows


def test_the_page_shows_the_applicant_masked_documents_steps_due_date_and_timeline(
    accepted: Dossier, people: People
) -> None:
    response = login(people.specialist).get(page_url(accepted))
    html = response.content.decode()
    assert "Nguyễn Thị Hoà" in html
    assert "0081******34" in html and "008199001234" not in html
    document = accepted.documents.first()
    assert document is not None
    assert reverse("dossiers:office_dossier_document", args=[accepted.code, document.id]) in html
    # The receipt step, the due date and the acceptance on the timeline.
    assert next(s.label for s in response.context["steps"]) == "Tiếp nhận hồ sơ"
    assert accepted.due_at is not None
    assert response.context["dossier"].due_at == accepted.due_at
    assert next(e.label for e in response.context["events"]) == "Tiếp nhận"
    # The receipt (form 01) and the process-control slip (form 06) to download.
    assert f"/api/v1/dossiers/{accepted.code}/slips/receipt.pdf" in html
    assert f"/api/v1/dossiers/{accepted.code}/slips/process_control.pdf" in html
    # The specialist's own next actions, as buttons, and no one else's.
    assert [f.chosen.value for f in response.context["action_forms"]] == [
        "request_supplement",
        "transfer",
        "appraise",
        "request_payment",
    ]


def test_an_interrupted_step_is_shown_paused(accepted: Dossier, people: People) -> None:
    act(accepted, "request_supplement", people.specialist, items=["Bản sao CCCD"])
    steps = login(people.specialist).get(page_url(accepted)).context["steps"]
    assert [s.state for s in steps][-1] == "Tạm dừng"


def test_documents_open_inline_for_officials_only(accepted: Dossier, people: People) -> None:
    document = accepted.documents.first()
    assert document is not None
    url = reverse("dossiers:office_dossier_document", args=[accepted.code, document.id])
    response = login(people.specialist).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert login(people.other_specialist).get(url).status_code == 404
    assert login(people.citizen).get(url).status_code == 403
    other = reverse("dossiers:office_dossier_document", args=[accepted.code, document.id + 999])
    assert login(people.specialist).get(other).status_code == 404


# Acting from the page


def post(client: Client, dossier: Dossier, action: str, **fields: Any) -> Any:
    data = {
        "action": action,
        "expected_version": dossier.row_version,
        "seen": dossier.audit_seq,
        **fields,
    }
    return client.post(reverse("dossiers:office_dossier_act", args=[dossier.code]), data)


def reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(id=dossier.id)


def bound_errors(response: Any) -> dict[str, list[str]]:
    bound = [f for f in response.context["action_forms"] if f.is_bound]
    return {name: list(errors) for form in bound for name, errors in form.errors.items()}


def at_stage(stage: str, submitted: Callable[..., Dossier], people: People) -> Dossier:
    """A dossier brought to `stage` through the engine, as the officials would."""
    dossier = submitted()
    if stage == "submitted":
        return dossier
    dossier = act(dossier, "accept", people.receiver)
    path = {
        "appraising": [],
        "awaiting_approval": [("appraise", people.specialist, {})],
        "awaiting_signature": [
            ("appraise", people.specialist, {}),
            ("approve", people.leader, {}),
        ],
        "signed": [
            ("appraise", people.specialist, {}),
            ("approve", people.leader, {}),
            ("sign", people.clerk, {}),
        ],
        "result_ready": [
            ("appraise", people.specialist, {}),
            ("approve", people.leader, {}),
            ("sign", people.clerk, {}),
            ("issue_result", people.clerk, {}),
        ],
        "supplement_received": [
            ("request_supplement", people.specialist, {"items": ["Bản sao CCCD"]}),
            ("supplement", people.citizen, {}),
        ],
        "awaiting_payment": [("request_payment", people.specialist, {"amount_vnd": 100_000})],
        "inter_agency": [("transfer", people.specialist, {"agency": "H08.11"})],
    }[stage]
    for action, user, params in path:
        dossier = act(dossier, action, user, **params)
    return dossier


def result_file(name: str = "ket-qua.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# (stage, who, action, good fields, expected stage after)
GOOD = [
    ("submitted", "receiver", "accept", {}, "appraising"),
    ("submitted", "receiver", "refuse", {"reason": "Sai thẩm quyền"}, "refused"),
    (
        "submitted",
        "receiver",
        "request_supplement",
        {"items": "Tờ khai\nẢnh"},
        "supplement_requested",
    ),
    ("appraising", "specialist", "appraise", {"comment": "Đủ điều kiện"}, "awaiting_approval"),
    ("appraising", "specialist", "transfer", {"agency": "H08.11"}, "inter_agency"),
    ("appraising", "specialist", "request_payment", {"amount_vnd": "200000"}, "awaiting_payment"),
    ("appraising", "leader", "assign", {"assignee": "chuyen.vien"}, "appraising"),
    ("appraising", "leader", "stop", {"reason": "Theo yêu cầu"}, "stopped"),
    (
        "appraising",
        "leader",
        "reschedule",
        {"reason": "Cần xác minh", "new_due": "2099-01-05T09:00"},
        "appraising",
    ),
    ("awaiting_approval", "leader", "approve", {}, "awaiting_signature"),
    ("awaiting_approval", "leader", "return_to_previous", {"reason": "Thiếu căn cứ"}, "appraising"),
    ("awaiting_signature", "clerk", "sign", {}, "signed"),
    (
        "signed",
        "clerk",
        "issue_result",
        {"document_number": "15/QĐ-STP", "file": "upload"},
        "result_ready",
    ),
    ("result_ready", "receiver", "return_result", {}, "returned"),
    ("supplement_received", "specialist", "accept_supplement", {}, "appraising"),
    ("awaiting_payment", "receiver", "confirm_payment", {}, "appraising"),
    ("inter_agency", "other_specialist", "return_from_transfer", {}, "appraising"),
]


@pytest.mark.parametrize("case", GOOD, ids=[g[2] for g in GOOD])
def test_each_action_is_done_from_its_button(
    submitted: Callable[..., Dossier], people: People, case: tuple[Any, ...]
) -> None:
    stage, who, action, fields, after = case
    dossier = at_stage(stage, submitted, people)
    if fields.get("file") == "upload":
        fields = {**fields, "file": result_file()}
    client = login(getattr(people, who))
    form = next(
        f for f in client.get(page_url(dossier)).context["action_forms"] if f.chosen == action
    )
    response = post(client, dossier, action, **fields)
    assert response.status_code == 302, bound_errors(response)
    assert response["Location"] == page_url(dossier)
    changed = reload(dossier)
    assert changed.stage == after
    assert changed.row_version == dossier.row_version + 1
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None and event.action == action
    assert event.comment == fields.get("comment", "")
    assert form.is_bound is False
    if action == "issue_result":
        result = DossierResult.objects.get(dossier=dossier)
        assert result.document_number == "15/QĐ-STP"
        assert path_for(result.file_sha256).read_bytes() == PDF
        opened = client.get(
            reverse("dossiers:office_dossier_result", args=[dossier.code, result.code])
        )
        assert opened["Content-Disposition"].startswith("inline")
        assert opened["X-Content-Type-Options"] == "nosniff"


# (stage, who, action, bad fields, field named in the error)
BAD = [
    ("submitted", "receiver", "refuse", {"reason": "   "}, "reason"),
    ("submitted", "receiver", "request_supplement", {"items": ""}, "items"),
    ("submitted", "receiver", "request_supplement", {"items": "x" * 501}, "items"),
    ("appraising", "specialist", "transfer", {"agency": "H99.99"}, "agency"),
    ("appraising", "specialist", "request_payment", {"amount_vnd": "-5"}, "amount_vnd"),
    ("appraising", "leader", "assign", {"assignee": "chuyen.vien.xd"}, "assignee"),
    ("appraising", "leader", "stop", {}, "reason"),
    (
        "appraising",
        "leader",
        "reschedule",
        {"reason": "Cần xác minh", "new_due": "2020-01-01T09:00"},
        "new_due",
    ),
    (
        "appraising",
        "leader",
        "reschedule",
        {"reason": "Cần xác minh", "new_due": "ngày mai"},
        "new_due",
    ),
    ("awaiting_approval", "leader", "return_to_previous", {}, "reason"),
    ("signed", "clerk", "issue_result", {"file": "wrong"}, "file"),
]


@pytest.mark.parametrize("case", BAD, ids=[f"{b[2]}-{b[4]}" for b in BAD])
def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(
    submitted: Callable[..., Dossier], people: People, case: tuple[Any, ...]
) -> None:
    stage, who, action, fields, field = case
    dossier = at_stage(stage, submitted, people)
    if fields.get("file") == "wrong":
        fields = {**fields, "file": result_file("ket-qua.pdf", b"MZ\x90\x00 not a pdf")}
    response = post(login(getattr(people, who)), dossier, action, **fields)
    assert response.status_code in (400, 404, 415, 422)
    errors = bound_errors(response)
    assert errors.get(field), errors
    assert reload(dossier).row_version == dossier.row_version
    html = response.content.decode()
    assert "Nothing was changed." not in html  # the page speaks Vietnamese
    assert "Không có gì thay đổi." in html
    # What was typed is kept.
    for name, value in fields.items():
        if isinstance(value, str) and value.strip() and name not in ("file",):
            assert value in html or value.replace("\n", "\r\n") in html


def test_an_action_no_longer_open_is_refused_clearly(accepted: Dossier, people: People) -> None:
    appraised = act(accepted, "appraise", people.specialist)
    # The page was current, but appraising is over: the engine refuses, the page says why.
    response = post(login(people.specialist), appraised, "appraise")
    assert response.status_code in (403, 409)
    assert response.context["refusals"]
    assert "Chưa thực hiện được" in response.content.decode()
    assert reload(appraised).row_version == appraised.row_version


def test_an_unknown_action_changes_nothing(accepted: Dossier, people: People) -> None:
    response = post(login(people.specialist), accepted, "delete_everything")
    assert response.status_code == 400
    assert reload(accepted).row_version == accepted.row_version


def test_a_stale_page_is_told_what_changed_and_changes_nothing(
    accepted: Dossier, people: People
) -> None:
    leader = login(people.leader)
    stale = leader.get(page_url(accepted)).context["dossier"]
    # Meanwhile the specialist appraises it.
    act(accepted, "appraise", people.specialist)
    response = post(leader, stale, "stop", reason="Theo yêu cầu")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Hồ sơ đã thay đổi trong khi bạn đang xem" in html
    assert [e.label for e in response.context["changed"]] == ["Thẩm định"]
    assert [e.actor for e in response.context["changed"]] == ["Đỗ Quang Huy"]
    assert reload(accepted).stage == "awaiting_approval"
    # The form is offered again on the current version, with the reason as typed.
    again = next(f for f in response.context["action_forms"] if f.chosen == "stop")
    assert again.data["expected_version"] == str(reload(accepted).row_version)
    assert "Theo yêu cầu" in html


# Statements


def test_the_page_reads_a_constant_number_of_statements(
    submitted: Callable[..., Dossier], people: People
) -> None:
    def statements(dossier: Dossier) -> int:
        client = login(people.specialist)
        client.get(page_url(dossier))  # warm the process's kept rules and agencies
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(dossier)).status_code == 200
        return len(captured)

    small = act(submitted(), "accept", people.receiver)
    large = submitted()
    for _ in range(5):
        do_attach_document(large, pdf(), acting_user=people.citizen, requirement_id=None)
    large = act(large, "accept", people.receiver)
    for _ in range(3):
        large = act(large, "request_supplement", people.specialist, items=["Tờ khai"])
        large = act(large, "supplement", people.citizen)
        large = act(large, "accept_supplement", people.specialist)
    assert large.documents.count() > small.documents.count() + 4
    assert large.steps.count() > small.steps.count() + 2
    assert statements(large) == statements(small)
