"""A citizen finds birth registration and submits it online, with and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, Request, Route, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.actions import do_register_citizen
from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.models import Dossier
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser

PASSWORD = "Khai-sinh-cho-be-2026"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def citizen(transactional_db: None, unit_register: None, settings: Settings, tmp_path: Path) -> str:
    """The catalogue offered in the demo province, and a registered citizen; uploads kept in a
    temporary directory."""
    settings.MOTCUA_MEDIA_ROOT = tmp_path / "media"
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    do_register_citizen(
        username="me.cua.be",
        password=PASSWORD,
        full_name="Lê Thị Mai",
        personal_id="002190004321",
    )
    return "me.cua.be"


@pytest.fixture
def page_without_js(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(
        locale="vi-VN", base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    outside: list[str] = []

    def keep_local(route: Route, request: Request) -> None:
        if request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    context.route("**/*", keep_local)
    yield context.new_page()
    context.close()
    assert not outside, f"the pages tried to reach other sites: {outside}"


def submit_birth_registration(page: Page, username: str, *, checked: bool = True) -> None:
    """The journey; `checked`: axe and the page weight on every page (they need JavaScript in the
    page, so the run without it skips them: the server sends it the same pages)."""
    page.goto("/")
    page.get_by_label("Tra cứu thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_role("search").get_by_role("button", name="Tìm kiếm").click()
    page.locator(".result__title a", has_text=re.compile("^Thủ tục đăng ký khai sinh$")).click()
    expect(page).to_have_url("/thu-tuc/1.001193/")

    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    # Signing in comes first, then straight back to the submission.
    expect(page).to_have_url("/dang-nhap/?next=/ho-so/nop/1.001193/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url("/ho-so/nop/1.001193/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của ai, nộp ở đâu?")
    expect(page.locator(".submit-me")).to_contain_text("Lê Thị Mai")
    expect(page.locator(".submit-me")).to_contain_text("0021******21")
    if checked:
        check_page(page)
    page.get_by_label("Xã, phường liên quan").select_option(label="Phường Hà Giang 2")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page).to_have_url("/ho-so/nop/1.001193/giay-to/")
    if checked:
        check_page(page)
    # The birth certificate and the declaration, then whatever else the record requires.
    page.get_by_label(re.compile("^Giấy chứng sinh")).set_input_files(
        {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_label(re.compile("^Tờ khai đăng ký khai sinh")).set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng sửa các mục được đánh dấu")
    # Nothing uploaded is lost: only the documents still missing are asked for.
    expect(page.locator(".upload__kept")).to_have_count(2)
    missing = page.locator(".form__field--error input[type=file]")
    for number in range(missing.count()):
        missing.nth(number).set_input_files(
            {"name": f"giay-to-{number}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page).to_have_url("/ho-so/nop/1.001193/xem-lai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra và nộp hồ sơ")
    expect(page.locator(".facts")).to_contain_text("Phường Hà Giang 2")
    expect(page.locator(".submit-review").nth(1)).to_contain_text("giay-chung-sinh.png")
    if checked:
        check_page(page)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page).to_have_url(re.compile(r"/ho-so/nop/bien-nhan/H08\.00691\.01-\d{6}-\d{4}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của bạn đã được nộp")
    code = Dossier.objects.get().code
    expect(page.locator(".submit-code")).to_have_text(code)
    expect(page.locator(".facts")).to_contain_text(
        re.compile("Được xác định khi [Tt]rung tâm tiếp nhận hồ sơ")
    )
    if checked:
        check_page(page)


def test_citizen_submits_birth_registration_online(page: Page, citizen: str) -> None:
    submit_birth_registration(page, citizen)


def test_the_same_submission_works_with_javascript_off(page_without_js: Page, citizen: str) -> None:
    submit_birth_registration(page_without_js, citizen, checked=False)
