"""The applicant's pages (/ho-so/): my dossiers, one dossier, supplements, withdrawal, result.

Through the Django test client, in Vietnamese (no language cookie), as the citizen uses them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.models import User
from motcua.dossiers.actions import do_act_on_dossier
from motcua.dossiers.models import Dossier, DossierResult
from motcua.dossiers.storage import path_for
from motcua.dossiers.tests.conftest import People, act, at, pdf, required_documents

pytestmark = pytest.mark.django_db
LIST = reverse("applicant:list")


def login(user: User) -> Client:
    client = Client()  # no language cookie: Vietnamese
    client.force_login(user)
    return client


def detail(dossier: Dossier) -> str:
    return reverse("applicant:detail", args=[dossier.code])


def page(client: Client, dossier: Dossier) -> str:
    response = client.get(detail(dossier))
    assert response.status_code == 200
    return response.content.decode()


def post(client: Client, dossier: Dossier, name: str, data: dict[str, object]) -> object:
    return client.post(reverse(f"applicant:{name}", args=[dossier.code]), data)


@pytest.fixture
def wednesday() -> Iterator[None]:
    with time_machine.travel(at(2026, 3, 4, 9), tick=False):
        yield


@pytest.fixture
def returned(running: Dossier, people: People) -> Dossier:
    """The running dossier, finished on Wednesday 4 March and handed over on Thursday."""
    with time_machine.travel(at(2026, 3, 4, 10), tick=False):
        act(running, "appraise", people.specialist)
        act(running, "approve", people.leader)
        act(running, "sign", people.clerk)
        act(running, "issue_result", people.clerk, document_number="15/2026/GCN")
    with time_machine.travel(at(2026, 3, 5, 8), tick=False):
        return act(running, "return_result", people.receiver)


# Who may open the pages


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, running: Dossier) -> None:
    for url in (LIST, detail(running)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('web:login')}?next={url}"


def test_officials_follow_dossiers_in_their_inbox_not_here(
    people: People, running: Dossier
) -> None:
    receiver = login(people.receiver)
    for url in (LIST, detail(running)):
        response = receiver.get(url)
        assert response.status_code == 403
        assert "Dành cho người dân và doanh nghiệp" in response.content.decode()


def test_a_citizen_never_sees_another_s_dossier(
    people: People, submitted: Callable[..., Dossier], running: Dossier
) -> None:
    other = login(people.other_citizen)
    html = other.get(LIST).content.decode()
    assert running.code not in html
    assert "Bạn chưa có hồ sơ nào." in html

    # Another's code and a code that does not exist get the same 404, on every page.
    unknown = Dossier(code="H08.01-260302-9999")
    for dossier in (running, unknown):
        assert other.get(detail(dossier)).status_code == 404
        assert post(other, dossier, "my_action", {"action": "request_withdrawal"}).status_code == (
            404
        )
        assert post(other, dossier, "my_rating", {}).status_code == 404
        assert post(other, dossier, "my_upload", {"file": pdf()}).status_code == 404
    assert Dossier.objects.get(id=running.id).stage == "appraising"
    # The owner sees it.
    assert running.code in login(people.citizen).get(LIST).content.decode()


# The list


def test_my_dossiers_newest_first_with_status_due_and_working_days_left(
    people: People, submitted: Callable[..., Dossier], running: Dossier, wednesday: None
) -> None:
    newer = submitted()  # not accepted yet: no due date
    response = login(people.citizen).get(LIST)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.dossier.code for row in rows] == [newer.code, running.code]
    assert rows[1].days_left == 3.0  # Wednesday 09:00 → Monday 09:00: Wed, Thu, Fri
    html = response.content.decode()
    assert "Hồ sơ của tôi" in html
    assert "09/03/2026 09:00" in html
    assert "Còn 3 ngày làm việc" in html
    assert "Trong hạn" in html
    assert "Xác định khi trung tâm tiếp nhận hồ sơ" in html
    assert f'href="{detail(running)}"' in html
    assert "Đang xử lý" in html  # the national status


# One dossier


def test_the_dossier_page_shows_the_due_date_why_and_what_happened_but_no_internal_note(
    people: People, running: Dossier
) -> None:
    with time_machine.travel(at(2026, 3, 4, 9), tick=False):
        do_act_on_dossier(
            running.id, "appraise", acting_user=people.specialist, comment="Ghi chú nội bộ XYZ"
        )
        act(running, "return_to_previous", people.leader, reason="Thiếu chữ ký thẩm định ABC")
        html = page(login(people.citizen), running)

    assert "Vì sao là ngày hẹn này" in html
    assert "5 ngày làm việc" in html
    assert "07/03/2026" in html  # the weekend skipped
    assert "Ngày hẹn trả" in html or "09/03/2026 09:00" in html
    assert "Tiếp nhận hồ sơ; bắt đầu tính thời hạn" in html
    assert "Đã thẩm định xong" in html
    # Officials' notes and the agency's inner back-and-forth stay inside the agency.
    assert "Ghi chú nội bộ XYZ" not in html
    assert "Thiếu chữ ký thẩm định ABC" not in html
    assert "return_to_previous" not in html
    # The receipt and the withdrawal are offered; nothing to upload while it is being processed.
    assert reverse("api-v1:download_slip", kwargs={"code": running.code, "kind": "receipt"}) in html
    assert "Rút hồ sơ" in html
    assert 'action="' + reverse("applicant:my_upload", args=[running.code]) not in html


def test_supplement_one_upload_per_missing_document_then_back_to_the_centre(
    people: People, submitted: Callable[..., Dossier]
) -> None:
    dossier = act(
        submitted(with_documents=False),
        "request_supplement",
        people.receiver,
        items=["Bản sao giấy chứng nhận tốt nghiệp đại học luật"],
        reason="Hồ sơ chưa đủ giấy tờ",
    )
    citizen = login(people.citizen)
    response = citizen.get(detail(dossier))
    html = response.content.decode()
    assert "Trung tâm đề nghị bạn bổ sung hồ sơ" in html
    assert "Bản sao giấy chứng nhận tốt nghiệp đại học luật" in html
    assert "Hồ sơ chưa đủ giấy tờ" in html
    first, second = required_documents()
    assert [r.id for r, _form in response.context["uploads"]] == [first, second]

    # No file: the error is next to that document's field; nothing is attached.
    refused = post(citizen, dossier, "my_upload", {"key": str(first), "requirement": str(first)})
    assert refused.status_code == 400
    [(_requirement, form)] = [u for u in refused.context["uploads"] if u[0].id == first]
    assert form.errors["file"] == ["Chọn tệp cần tải lên."]
    assert "Chọn tệp cần tải lên." in refused.content.decode()
    # A file that is not a PDF or an image: the engine's reason, next to the field.
    fake = SimpleUploadedFile("don.pdf", b"MZ\x90\x00 not a pdf")
    refused = post(
        citizen, dossier, "my_upload", {"key": str(first), "requirement": str(first), "file": fake}
    )
    assert refused.status_code == 400
    [(_requirement, form)] = [u for u in refused.context["uploads"] if u[0].id == first]
    assert form.errors["file"]
    assert not dossier.documents.exists()

    for requirement_id in (first, second):
        done = post(
            citizen,
            dossier,
            "my_upload",
            {"key": str(requirement_id), "requirement": str(requirement_id), "file": pdf()},
        )
        assert done.status_code == 302
    assert sorted(dossier.documents.values_list("requirement_id", flat=True)) == [first, second]
    response = citizen.get(detail(dossier))
    assert response.context["uploads"] == []
    assert "don.pdf" in response.content.decode()

    version = Dossier.objects.get(id=dossier.id).row_version
    done = post(
        citizen,
        dossier,
        "my_action",
        {"action": "supplement", "version": version, "note": "Đã bổ sung bằng tốt nghiệp"},
    )
    assert done.status_code == 302
    assert Dossier.objects.get(id=dossier.id).stage == "supplement_received"
    html = citizen.get(done["Location"]).content.decode()
    assert "Đã nộp hồ sơ bổ sung; trung tâm sẽ kiểm tra." in html
    assert "Đã bổ sung bằng tốt nghiệp" in html  # the applicant's own note, in the timeline
    assert "Gửi hồ sơ đã bổ sung cho trung tâm" not in html  # done: no second button


def test_a_stale_page_is_told_the_dossier_changed_and_nothing_happens(
    people: People, running: Dossier
) -> None:
    citizen = login(people.citizen)
    seen = running.row_version
    act(running, "request_supplement", people.specialist, items=["Bản sao CCCD"])

    response = post(
        citizen,
        running,
        "my_action",
        {"action": "request_withdrawal", "version": seen, "reason": "Không còn nhu cầu"},
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Hồ sơ vừa được người khác thay đổi" in html
    assert "Không còn nhu cầu" in html  # what was typed is kept
    assert Dossier.objects.get(id=running.id).stage == "supplement_requested"


def test_withdrawal_needs_a_reason(people: People, running: Dossier) -> None:
    citizen = login(people.citizen)
    version = running.row_version

    refused = post(
        citizen, running, "my_action", {"action": "request_withdrawal", "version": version}
    )
    assert refused.status_code == 400
    assert refused.context["withdrawal_form"].errors["reason"] == ["Hãy cho biết lý do rút hồ sơ."]
    assert "Hãy cho biết lý do rút hồ sơ." in refused.content.decode()
    assert Dossier.objects.get(id=running.id).stage == "appraising"

    done = post(
        citizen,
        running,
        "my_action",
        {"action": "request_withdrawal", "version": version, "reason": "Không còn nhu cầu"},
    )
    assert done.status_code == 302
    assert Dossier.objects.get(id=running.id).stage == "withdrawal_requested"
    html = citizen.get(detail(running)).content.decode()
    assert "Yêu cầu rút hồ sơ của bạn đã được gửi đến trung tâm." in html
    assert "Không còn nhu cầu" in html  # the reason, in the timeline
    assert 'value="request_withdrawal"' not in html  # asked once: not offered again


def test_the_result_and_its_file(people: People, returned: Dossier) -> None:
    citizen = login(people.citizen)
    result = DossierResult.objects.get(dossier=returned)
    html = page(citizen, returned)
    assert result.name in html
    assert "15/2026/GCN" in html
    download = reverse("applicant:my_result", args=[returned.code, result.code])
    assert download not in html  # no file kept for this result
    assert citizen.get(download).status_code == 404

    content = b"%PDF-1.7\n% result\n%%EOF\n"
    sha256 = hashlib.sha256(content).hexdigest()
    target = path_for(sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    # The results app will keep signed files; a kept file is what this page serves.
    DossierResult.objects.filter(id=result.id).update(file_sha256=sha256)

    assert download in page(citizen, returned)
    response = citizen.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == content
    assert login(people.other_citizen).get(download).status_code == 404
    assert Path(settings.MOTCUA_MEDIA_ROOT) in target.parents


def test_the_page_in_english(people: People, running: Dossier) -> None:
    citizen = login(people.citizen)
    citizen.post(reverse("set_language"), {"language": "en", "next": LIST})
    html = page(citizen, running)
    assert "Why this due date" in html
    assert "Accepted by the centre; the clock started" in html
    assert "My dossiers" in citizen.get(LIST).content.decode()


# Statements: constant in the number of dossiers and of events


def statements(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_the_page_cost_the_same_statements_however_many_rows(
    people: People, submitted: Callable[..., Dossier], running: Dossier
) -> None:
    citizen = login(people.citizen)
    statements(citizen, LIST)  # warm the process's kept procedure, agencies and calendars
    one = statements(citizen, LIST)
    for _ in range(3):
        act(submitted(), "accept", people.receiver)
    assert statements(citizen, LIST) == one

    before = statements(citizen, detail(running))
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        for item in ("Bản sao CCCD", "Ảnh 4x6"):
            act(running, "request_supplement", people.specialist, items=[item])
            act(running, "supplement", people.citizen)
            act(running, "accept_supplement", people.specialist)
    assert statements(citizen, detail(running)) == before
    # Session, user, dossier, steps, documents, events, calendar revision.
    assert before <= 7
