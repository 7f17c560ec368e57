"""A leader lends approving to a specialist on the delegation page, then takes it back, in a
real browser at phone width; a delegate approves "on behalf of" (thừa ủy quyền) on the dossier
page, and the timeline and the control slip say so."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from motcua.accounts.delegations import DelegationRequest, do_delegate_authority
from motcua.accounts.models import Delegation, Official
from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import (
    CENTRE,
    JUSTICE,
    PASSWORD,
    PROCEDURE,
    People,
    act,
    pdf,
    required_documents,
)
from motcua.units.models import Agency
from tests.e2e.quality import check_page
from tests.e2e.steps import open_from_inbox, press, sign_in

pytestmark = pytest.mark.browser


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_leader_delegates_approving_and_revokes_it(page: Page, people: People) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/can-bo/uy-quyen/")
    page.get_by_label("Tên đăng nhập").fill("lanh.dao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ủy quyền")
    check_page(page)
    assert fits_the_screen(page)

    # The procedure picker: find by name, add by a button (no JavaScript needed).
    page.get_by_label("Tìm thủ tục theo tên hoặc mã").fill("hành nghề luật sư")
    page.get_by_label("Lý do hoặc văn bản ủy quyền").fill("Giám đốc đi công tác")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_role("button", name=f"Thêm {PROCEDURE}").click()
    expect(page.get_by_label("Thủ tục (mã quốc gia)")).to_have_value(PROCEDURE)
    # What was typed before the search is still there.
    expect(page.get_by_label("Lý do hoặc văn bản ủy quyền")).to_have_value("Giám đốc đi công tác")

    page.get_by_label("Người được ủy quyền").select_option(str(people.specialist.official.id))
    page.get_by_label("Ký", exact=True).check()
    page.get_by_role("button", name="Lưu ủy quyền").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Đỗ Quang Huy từ nay được thừa ủy quyền Bùi Văn Toàn."
    )
    given = page.get_by_role("region", name="Ủy quyền anh/chị đã giao")
    expect(given).to_contain_text("Đang có hiệu lực")
    expect(given).to_contain_text(PROCEDURE)
    check_page(page)
    assert fits_the_screen(page)
    delegation = Delegation.objects.get()
    assert delegation.actions == ["approve", "sign"]

    given.get_by_role("button", name="Thu hồi ủy quyền cho Đỗ Quang Huy").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thu hồi ủy quyền cho Đỗ Quang Huy.")
    expect(given).to_contain_text("Đã thu hồi")
    check_page(page)
    assert Delegation.objects.get().revoked_at is not None


def test_a_delegate_approves_on_behalf_of_the_leader(page: Page, people: People) -> None:
    # The Director lends approving to the specialist for this procedure, from now on.
    leader = people.leader.official
    Official.objects.filter(id=leader.id).update(position_title="Giám đốc Sở Tư pháp")
    now = timezone.now()
    do_delegate_authority(
        DelegationRequest(
            delegator_id=leader.id,
            delegate_id=people.specialist.official.id,
            agency_id=Agency.objects.get(code=JUSTICE).id,
            procedure_codes=(PROCEDURE,),
            actions=("approve",),
            valid_from=now - dt.timedelta(hours=1),
            valid_until=now + dt.timedelta(days=7),
            reason="Giám đốc đi công tác",
        ),
        acting_user=people.leader,
    )
    dossier, _created = do_submit_dossier(
        Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
        acting_user=people.citizen,
    )
    for requirement in required_documents():
        do_attach_document(dossier, pdf(), acting_user=people.citizen, requirement_id=requirement)
    act(act(dossier, "accept", people.receiver), "appraise", people.specialist)

    # The specialist, on the dossier page, has the leader's button and presses it.
    sign_in(page, "chuyen.vien")
    open_from_inbox(page, dossier)
    press(page, "approve", "Phê duyệt")
    assert Dossier.objects.get(id=dossier.id).stage == "awaiting_signature"

    # The timeline names the delegate and the leader's line, as the papers print it.
    expect(page.locator(".timeline")).to_contain_text("Đỗ Quang Huy (TUQ. GIÁM ĐỐC SỞ TƯ PHÁP)")
    # So does the process control slip (form 06).
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Mẫu số 06")).click()
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "TUQ. GIÁM ĐỐC SỞ TƯ PHÁP" in " ".join(text.split())
