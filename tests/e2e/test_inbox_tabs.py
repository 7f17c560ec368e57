"""A receiver and a specialist open their inbox tabs in a real browser, on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PASSWORD,
    PROCEDURE,
    People,
    act,
    make_people,
    pdf,
    required_documents,
)
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def work(
    transactional_db: None, unit_register: None, settings: Settings, tmp_path: Path
) -> tuple[People, Dossier, Dossier]:
    """One dossier waiting at the counter, one being appraised (now: the live server's clock is
    not frozen, so the dossier is in time)."""
    settings.MOTCUA_MEDIA_ROOT = tmp_path / "media"
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    people = make_people()
    made = []
    for _ in range(2):
        dossier, _created = do_submit_dossier(
            Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
            acting_user=people.citizen,
        )
        for requirement in required_documents():
            do_attach_document(
                dossier, pdf(), acting_user=people.citizen, requirement_id=requirement
            )
        made.append(dossier)
    appraising = act(made[1], "accept", people.receiver)
    return people, made[0], appraising


def sign_in(page: Page, username: str) -> None:
    page.goto("/dang-nhap/?next=/can-bo/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url("/can-bo/")


def test_receiver_and_specialist_tabs_and_the_phone_layout(
    page: Page, work: tuple[People, Dossier, Dossier]
) -> None:
    _people, waiting, appraising = work
    tabs = page.get_by_role("navigation", name="Các nhóm hồ sơ")

    sign_in(page, "tiep.nhan")
    accept = tabs.get_by_role("link", name="Chờ tiếp nhận 1")
    expect(accept).to_be_visible()
    expect(tabs.get_by_role("link", name="Kết quả chờ trả 0")).to_be_visible()
    accept.click()
    expect(accept).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=2, name="Chờ tiếp nhận: 1 hồ sơ")).to_be_visible()
    expect(page.get_by_role("link", name=waiting.code)).to_be_visible()
    check_page(page)

    # The same tab on a 360 px phone: a card per dossier, the code on one line.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    row = page.get_by_role("row").filter(has_text=waiting.code)
    assert row.evaluate("e => getComputedStyle(e).display") == "block"
    code = page.get_by_role("link", name=waiting.code)
    box = code.bounding_box()
    assert box is not None and box["width"] > 150, box  # never one letter per line
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_page(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "chuyen.vien")
    mine = tabs.get_by_role("link", name="Được giao cho tôi 1")
    expect(mine).to_be_visible()
    expect(tabs.get_by_role("link", name="Quá hạn 0")).to_be_visible()
    expect(tabs.get_by_role("link", name="Chờ tiếp nhận")).to_have_count(0)
    mine.click()
    expect(page.get_by_role("link", name=appraising.code)).to_be_visible()
    expect(page.get_by_role("link", name=waiting.code)).to_have_count(0)
    check_page(page)
