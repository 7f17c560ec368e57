"""A few journeys through the web shell in a real browser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Quầy-một-cửa-2026"


@pytest.fixture
def official(transactional_db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user(
        username="canbo.lan", password=PASSWORD, first_name="Lan", last_name="Nguyễn Thị"
    )


def test_visitor_reads_the_home_page_in_vietnamese_then_switches_to_english(page: Page) -> None:
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_title("Trang chủ · MotCua")
    expect(page.get_by_role("banner")).to_contain_text("MotCua — Cổng dịch vụ công một cửa")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Giải quyết thủ tục hành chính một cửa của tỉnh"
    )
    # The stylesheet was served and applied (the header's navy background).
    header_colour = page.locator(".site-header").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert header_colour == "rgb(11, 58, 110)"

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url("/")
    expect(page.get_by_role("banner")).to_contain_text("MotCua — One-stop public services")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "One-stop administrative procedures of the province"
    )
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    # The choice outlives the page: a new visit stays in English despite the Vietnamese browser.
    page.goto("/")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Sign in")

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_keyboard_user_can_skip_to_the_content(page: Page) -> None:
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Chuyển đến nội dung chính")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None
    assert box["y"] >= 0  # moved into view, not left above the top edge
    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()


def test_the_layout_fits_a_phone_screen(page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_official_signs_in_sees_their_name_and_signs_out(
    page: Page, official: AbstractBaseUser
) -> None:
    page.goto("/")
    menu = page.get_by_role("navigation", name="Trình đơn chính")
    menu.get_by_role("link", name="Đăng nhập").click()
    expect(page).to_have_url("/dang-nhap/")

    page.get_by_label("Tên đăng nhập").fill("canbo.lan")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(menu).not_to_contain_text("Đang đăng nhập")

    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url("/")
    expect(menu).to_contain_text(f"Đang đăng nhập: {official.get_full_name()}")

    menu.get_by_role("button", name="Đăng xuất").click()

    expect(page).to_have_url("/")
    expect(page.get_by_role("status")).to_contain_text("Bạn đã đăng xuất.")
    expect(menu.get_by_role("link", name="Đăng nhập")).to_be_visible()
    expect(menu).not_to_contain_text(official.get_full_name())
