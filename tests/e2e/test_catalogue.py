"""A citizen looks up a procedure in a real browser: search, read it, print its handbook."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from motcua.catalog.models import ProcedureOffering
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(transactional_db: None, unit_register: None) -> None:
    """The real catalogue, offered in the demo province (live-server tests empty the tables)."""
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)


def expect_image_loaded(image: Locator) -> None:
    expect(image).to_be_visible()
    image.page.wait_for_function("img => img.complete", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 0


def test_citizen_finds_marriage_registration_and_prints_its_handbook(
    page: Page, catalogue: None
) -> None:
    page.goto("/")
    page.get_by_label("Tra cứu thủ tục hành chính").fill("dang ky ket hon")
    page.get_by_role("search").get_by_role("button", name="Tìm kiếm").click()

    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+ket\+hon$"))
    expect(page.get_by_role("heading", level=2, name=re.compile("Tìm thấy"))).to_be_visible()
    check_page(page)
    results = page.locator(".result__title a")
    expect(results.first).to_have_text("Thủ tục đăng ký kết hôn")
    # The search box keeps what was typed, so the citizen can refine it.
    expect(page.get_by_label("Tên thủ tục hoặc từ khóa")).to_have_value("dang ky ket hon")

    results.first.click()

    expect(page).to_have_url("/thu-tuc/1.000894/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký kết hôn")
    expect(page.get_by_role("heading", level=2, name="Thành phần hồ sơ")).to_be_visible()
    check_page(page)
    documents = page.locator("#documents table tbody tr")
    assert documents.count() > 0
    expect(page.locator("#documents")).to_contain_text("Tờ khai đăng ký kết hôn")
    expect(page.locator("#channels")).to_contain_text("Tại quầy")
    expect(page.locator("#where")).to_contain_text("124 Trung tâm Phục vụ hành chính công cấp xã")
    expect_image_loaded(page.get_by_role("img", name="Mã QR chứa địa chỉ của trang này"))

    # The table of contents jumps within the page, without JavaScript.
    page.get_by_role("navigation", name="Nội dung trang").get_by_role(
        "link", name="Căn cứ pháp lý"
    ).click()
    expect(page).to_have_url("/thu-tuc/1.000894/#legal-basis")

    page.get_by_role("link", name="Sổ tay thủ tục (bản in)").click()

    expect(page).to_have_url("/thu-tuc/1.000894/in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký kết hôn")
    expect(page.locator("body")).to_contain_text("Sổ tay thủ tục")
    expect(page.get_by_role("navigation", name="Trình đơn chính")).to_have_count(0)
    expect_image_loaded(
        page.get_by_role("img", name="Mã QR chứa địa chỉ trực tuyến của thủ tục này")
    )

    # On paper: the tools line disappears, the content and the QR code stay.
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Quay lại trang thủ tục")).to_be_hidden()
    expect(page.get_by_role("heading", level=2, name="Thành phần hồ sơ")).to_be_visible()
    expect(page.locator(".qr img")).to_be_visible()
