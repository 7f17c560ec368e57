"""A number taken on the centre's tablet is called at a counter and shows on the TV board."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.tests.conftest import PASSWORD, make_people
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser
CENTRE = "H08.01"


@pytest.fixture
def centre_staffed(transactional_db: None, unit_register: None) -> None:
    """The demo province with its catalogue and a receiver at the provincial centre (live-server
    tests empty the tables, so reload if needed)."""
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    make_people()


def test_a_ticket_from_the_tablet_is_called_and_shown_on_the_board(
    page: Page, centre_staffed: None
) -> None:
    board = page.context.new_page()
    board.goto(f"/xep-hang/{CENTRE}/bang/")
    expect(board.get_by_role("heading", level=2, name="Đang phục vụ")).to_be_visible()
    expect(board.get_by_text("Chưa có ai được phục vụ.")).to_be_visible()
    check_page(board)

    page.goto(f"/xep-hang/{CENTRE}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lấy số thứ tự")
    check_page(page)
    page.get_by_role("button", name="Hộ tịch", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Số thứ tự của bạn")
    expect(page.locator(".queue-ticket__number")).to_have_text("001")
    expect(page.get_by_role("button", name="In")).to_be_visible()
    check_page(page)
    # The board's script has picked the number up without a reload.
    expect(board.locator("[data-next] li")).to_have_text(["001"])

    page.goto(f"/dang-nhap/?next=/xep-hang/{CENTRE}/quay/1/")
    page.get_by_label("Tên đăng nhập").fill("tiep.nhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quầy 1")
    check_page(page)
    page.get_by_role("button", name="Gọi số tiếp theo").click()

    expect(page.get_by_role("status")).to_contain_text("Đã gọi số 001.")
    expect(page.locator(".queue-current__number")).to_have_text("001")
    check_page(page)
    row = board.locator("[data-serving] tr").first
    expect(row.locator(".board__number")).to_have_text("001")
    expect(row.locator(".board__counter")).to_contain_text("1")
    expect(board.get_by_text("Không có ai đang chờ.")).to_be_visible()
    check_page(board)
