"""A leader lends approving to a specialist on the delegation page, then takes it back, in a
real browser at phone width."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from motcua.accounts.models import Delegation
from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.tests.conftest import PASSWORD, PROCEDURE, People, make_people
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db: None, unit_register: None) -> People:
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    return make_people()


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
