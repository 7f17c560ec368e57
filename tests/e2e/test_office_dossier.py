"""The officials' dossier page in a real browser: every step of a dossier as a button.

Three journeys: the "5 on-site" flow across four logins (the citizen's supplement comes through
the engine's own functions), a refusal at the counter with its slip, and a transfer to another
agency while a leader, on a page opened before it, tries to act and is told what changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.labels import OUTCOME_LABELS
from motcua.dossiers.models import Dossier, Outcome
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PROCEDURE,
    People,
    act,
    pdf,
    required_documents,
)
from tests.e2e.quality import check_page
from tests.e2e.steps import open_from_inbox, press, sign_in

pytestmark = pytest.mark.browser
PDF_RESULT = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def submitted_online(people: People) -> Dossier:
    """A dossier the citizen submitted online with every required document."""
    dossier, _created = do_submit_dossier(
        Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
        acting_user=people.citizen,
    )
    for requirement in required_documents():
        do_attach_document(dossier, pdf(), acting_user=people.citizen, requirement_id=requirement)
    return Dossier.objects.get(id=dossier.id)


def test_five_on_site_from_the_counter_to_the_result(page: Page, people: People) -> None:
    dossier = submitted_online(people)

    # The receiver accepts it at the counter; the receipt is now among the slips.
    sign_in(page, "tiep.nhan")
    check_page(page)
    open_from_inbox(page, dossier)
    press(page, "accept", "Tiếp nhận")
    expect(page.get_by_role("link", name=re.compile("Mẫu số 01"))).to_be_visible()

    # The specialist asks for a supplement, in writing; the step is paused.
    sign_in(page, "chuyen.vien")
    open_from_inbox(page, dossier)
    form = page.locator('form[data-action="request_supplement"]')
    form.get_by_label("Giấy tờ còn thiếu, mỗi dòng một loại").fill(
        "Bản sao Chứng chỉ hành nghề luật sư\nGiấy chứng nhận sức khoẻ"
    )
    press(page, "request_supplement", "Yêu cầu bổ sung")
    expect(page.get_by_role("table")).to_contain_text("Tạm dừng")

    # The citizen hands in the supplement (the portal's own action).
    act(dossier, "supplement", people.citizen, note="Đã bổ sung")

    # The specialist takes it and forwards the appraised dossier to the leader.
    page.reload()
    press(page, "accept_supplement", "Nhận hồ sơ bổ sung")
    page.locator('form[data-action="appraise"]').get_by_label("Ý kiến (không bắt buộc)").fill(
        "Đủ điều kiện hành nghề"
    )
    press(page, "appraise", "Thẩm định")
    expect(page.get_by_text("“Đủ điều kiện hành nghề”")).to_be_visible()

    # The leader approves.
    sign_in(page, "lanh.dao")
    open_from_inbox(page, dossier)
    press(page, "approve", "Phê duyệt")

    # The clerk seals, then issues the result with its file.
    sign_in(page, "van.thu")
    open_from_inbox(page, dossier)
    press(page, "sign", "Ký")
    issue = page.locator('form[data-action="issue_result"]')
    issue.get_by_label("Số văn bản").fill("15/QĐ-STP")
    issue.get_by_label("Tệp kết quả (PDF, JPEG hoặc PNG)").set_input_files(
        files=[{"name": "quyet-dinh.pdf", "mimeType": "application/pdf", "buffer": PDF_RESULT}]
    )
    press(page, "issue_result", "Ban hành kết quả")

    # The receiver hands the result over; the dossier ends as the clock says.
    sign_in(page, "tiep.nhan")
    open_from_inbox(page, dossier)
    press(page, "return_result", "Trả kết quả")
    finished = Dossier.objects.get(id=dossier.id)
    assert finished.stage == "returned"
    assert finished.outcome in (Outcome.EARLY, Outcome.ON_TIME)
    with translation.override("vi"):
        label = str(OUTCOME_LABELS[Outcome(finished.outcome)])
    expect(page.get_by_text(f"Kết thúc: {label}")).to_be_visible()
    expect(page.locator("form[data-action]")).to_have_count(0)


def test_a_refusal_at_the_counter_and_its_slip(page: Page, people: People) -> None:
    dossier = submitted_online(people)
    sign_in(page, "tiep.nhan")
    open_from_inbox(page, dossier)
    refuse = page.locator('form[data-action="refuse"]')
    refuse.get_by_label("Lý do từ chối").fill("Không thuộc thẩm quyền giải quyết của Sở Tư pháp")
    press(page, "refuse", "Từ chối")
    assert Dossier.objects.get(id=dossier.id).stage == "refused"
    expect(page.get_by_text("Không thuộc thẩm quyền giải quyết của Sở Tư pháp")).to_be_visible()

    slip = page.get_by_role("link", name=re.compile("Mẫu số 03"))
    with page.expect_download() as download:
        slip.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert "refusal" in download.value.suggested_filename
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")


def test_a_transfer_while_a_leader_acts_on_the_page_opened_before(
    page: Page, second_page: Page, people: People
) -> None:
    dossier = act(submitted_online(people), "accept", people.receiver)

    # The leader opens the dossier and starts writing why it should stop.
    sign_in(second_page, "lanh.dao")
    open_from_inbox(second_page, dossier)
    second_page.locator('form[data-action="stop"]').get_by_label("Lý do dừng giải quyết").fill(
        "Chủ hồ sơ đề nghị dừng"
    )

    # Meanwhile the specialist transfers it to the Department of Construction.
    sign_in(page, "chuyen.vien")
    open_from_inbox(page, dossier)
    transfer = page.locator('form[data-action="transfer"]')
    transfer.get_by_label("Cơ quan chuyển đến").select_option("H08.11")
    press(page, "transfer", "Chuyển cơ quan khác")

    # The leader's stop is refused: the page says the dossier changed and shows how.
    second_page.locator('form[data-action="stop"]').get_by_role("button", name="Dừng xử lý").click()
    alert = second_page.get_by_role("alert")
    expect(alert).to_contain_text("Hồ sơ đã thay đổi trong khi bạn đang xem")
    expect(alert).to_contain_text("Chuyển cơ quan khác")
    expect(alert).to_contain_text("Đỗ Quang Huy")
    check_page(second_page)
    assert Dossier.objects.get(id=dossier.id).stage == "inter_agency"

    # The other agency's specialist sees it and sends it back.
    sign_in(page, "chuyen.vien.xd")
    open_from_inbox(page, dossier)
    press(page, "return_from_transfer", "Nhận lại từ cơ quan khác")
    assert Dossier.objects.get(id=dossier.id).stage == "appraising"
