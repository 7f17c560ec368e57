"""A citizen signs up in a real browser, confirms the phone with the SMS code, and is signed in;
a counter took in a dossier for them before, which they claim with the code on the receipt."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from motcua.accounts.actions import do_record_walk_in_applicant
from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.actions import Submission, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CENTRE, PROCEDURE, make_people
from motcua.notifications.sms import MemorySmsGateway
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser
PASSWORD = "mật-khẩu-thử-nghiệm-2026"


@pytest.fixture
def at_counter(outbox: list[object], unit_register: None) -> Dossier:
    """A dossier a receiver took in at the counter for Hoàng Văn Nam, who had no account then
    (live-server tests empty the tables, so the catalogue is loaded again if needed)."""
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    receiver = make_people().receiver
    do_record_walk_in_applicant(
        personal_id="008095004321",
        full_name="Hoàng Văn Nam",
        date_of_birth=None,
        phone="0977000188",
        address="",
        acting_user=receiver,
    )
    dossier, _created = do_submit_dossier(
        Submission(
            procedure_code=PROCEDURE,
            receiving_agency_code=CENTRE,
            channel="counter",
            applicant_personal_id="008095004321",
        ),
        acting_user=receiver,
    )
    MemorySmsGateway.reset()  # the counter's own messages to the walk-in's phone
    return dossier


def test_a_citizen_signs_up_confirms_the_phone_and_claims_a_counter_dossier(
    page: Page, outbox: list[object], at_counter: Dossier
) -> None:
    page.goto("/dang-nhap/")
    page.get_by_role("main").get_by_role("link", name="Đăng ký").click()

    expect(page).to_have_url("/tai-khoan/dang-ky/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mở tài khoản công dân")
    check_page(page)
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill("008095004321")
    page.get_by_label("Họ và tên").fill("Hoàng Văn Nam")
    page.get_by_label("Ngày sinh").fill("1995-08-19")
    page.get_by_label("Số điện thoại di động").fill("0912 000 11")  # one digit short
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()

    # The mistake is shown next to the phone, in Vietnamese, and the rest is kept.
    phone_field = page.locator(".form__field--error")
    expect(phone_field).to_contain_text("Số điện thoại")
    expect(page.get_by_label("Họ và tên")).to_have_value("Hoàng Văn Nam")
    check_page(page)
    page.get_by_label("Số điện thoại di động").fill("0912 000 111")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()

    expect(page).to_have_url("/tai-khoan/xac-nhan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận tài khoản")
    check_page(page)
    (sms,) = outbox
    assert sms.to == "0912000111"  # type: ignore[attr-defined]
    code = re.search(r"\b(\d{6})\b", sms.text).group(1)  # type: ignore[attr-defined,union-attr]
    page.get_by_label("Mã").fill(code)
    page.get_by_role("button", name="Xác nhận").click()

    # Signed in, and sent on to the dossiers recorded at the counter for the same number.
    expect(page).to_have_url("/tai-khoan/nhan-ho-so/")
    expect(page.get_by_role("status")).to_contain_text("Tài khoản của bạn đã được xác nhận")
    expect(page.locator(".account-name")).to_contain_text("Hoàng Văn Nam")
    expect(page.get_by_role("main")).to_contain_text("88")  # the counter phone's last digits
    expect(page.get_by_role("main")).not_to_contain_text("0977000188")
    check_page(page)
    page.get_by_label("Mã in trên giấy tiếp nhận").fill("ABCD-EFGH")
    page.get_by_role("button", name="Nhận hồ sơ").last.click()
    expect(page.locator(".form__field--error")).to_contain_text("Mã không đúng")
    check_page(page)
    # The code printed on the receipt: the dossier is now the account's.
    page.get_by_label("Mã in trên giấy tiếp nhận").fill(at_counter.claim_code.lower())
    page.get_by_role("button", name="Nhận hồ sơ").last.click()
    expect(page.get_by_role("status")).to_contain_text("1 hồ sơ nộp tại quầy nay đã thuộc")
    check_page(page)
    owner = Dossier.objects.get(pk=at_counter.pk).applicant_citizen
    assert owner is not None and owner.user is not None
