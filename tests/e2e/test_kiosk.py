"""A visitor at a centre's kiosk signs in, walks away, and the kiosk forgets them: the next
visitor finds the kiosk home, not signed in."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.tests.conftest import PASSWORD, make_people
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser
CENTRE = "H08.01"


@pytest.fixture
def centre_with_people(transactional_db: None, unit_register: None) -> None:
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    make_people()


def test_the_kiosk_forgets_the_visitor_after_idle(
    page: Page, centre_with_people: None, settings: Settings
) -> None:
    settings.MOTCUA_KIOSK_IDLE_SECONDS = 60
    page.goto(f"/kiosk/{CENTRE}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn cần làm gì?")
    check_page(page)

    page.get_by_role("link", name="Nộp hồ sơ").click()
    page.get_by_label("Tên đăng nhập").fill("nguyen.thi.hoa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    expect(page.get_by_role("button", name="Kết thúc")).to_be_visible()
    check_page(page)

    # Nobody touches the screen for the idle time: it goes back to the kiosk home, signed out.
    settings.MOTCUA_KIOSK_IDLE_SECONDS = 2
    page.reload()
    expect(page.get_by_text("sau 2 giây không chạm")).to_be_visible()
    page.wait_for_url(f"**/kiosk/{CENTRE}/", timeout=8_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn cần làm gì?")
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    expect(page.get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()
    check_page(page)
