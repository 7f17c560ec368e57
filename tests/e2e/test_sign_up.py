"""A citizen signs up in a real browser, confirms the phone with the SMS code, and is signed in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from motcua.notifications.sms import MemorySmsGateway
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser
PASSWORD = "mật-khẩu-thử-nghiệm-2026"


@pytest.fixture
def outbox(transactional_db: None) -> Iterator[list[object]]:
    """The SMS the live server sent (the tests' gateway keeps them in this process)."""
    MemorySmsGateway.reset()
    yield MemorySmsGateway.outbox
    MemorySmsGateway.reset()


def test_a_citizen_signs_up_confirms_the_phone_and_is_signed_in(
    page: Page, outbox: list[object]
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

    expect(page).to_have_url("/")
    expect(page.get_by_role("status")).to_contain_text("Tài khoản của bạn đã được xác nhận")
    expect(page.locator(".account-name")).to_contain_text("Hoàng Văn Nam")
    check_page(page)
