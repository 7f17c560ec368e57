"""A leader approves a written apology for a late dossier in a real browser."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.models import Apology, Dossier
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PASSWORD,
    PROCEDURE,
    act,
    make_people,
    pdf,
    required_documents,
)

pytestmark = pytest.mark.browser
TZ = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def drafted(
    transactional_db: None, unit_register: None, settings: Settings, tmp_path: Path
) -> Apology:
    """A dossier accepted on Monday 2 March 2026 and, on Friday, its drafted apology (the
    same calls as the dossier tests; live-server tests empty the tables, so reload if needed)."""
    settings.MOTCUA_MEDIA_ROOT = tmp_path / "media"
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    people = make_people()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=TZ), tick=False):
        dossier, _created = do_submit_dossier(
            Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
            acting_user=people.citizen,
        )
        for requirement in required_documents():
            do_attach_document(
                dossier, pdf(), acting_user=people.citizen, requirement_id=requirement
            )
        act(dossier, "accept", people.receiver)  # due Monday 9 March 09:00
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, tzinfo=TZ), tick=False):
        call_command("draft_apologies", verbosity=0)
    return Apology.objects.select_related("dossier").get(dossier=dossier)


def test_a_leader_approves_a_written_apology(page: Page, drafted: Apology) -> None:
    page.goto("/can-bo/xin-loi/")
    expect(page).to_have_url("/dang-nhap/?next=/can-bo/xin-loi/")
    page.get_by_label("Tên đăng nhập").fill("lanh.dao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url("/can-bo/xin-loi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Văn bản xin lỗi")
    # The inbox is one click away in the main menu, for officials.
    menu = page.get_by_role("navigation", name="Trình đơn chính")
    expect(menu.get_by_role("link", name="Hộp hồ sơ")).to_be_visible()

    apology = page.get_by_role("article", name=f"Hồ sơ {drafted.dossier.code}")
    expect(apology).to_contain_text("09/03/2026 09:00")
    reason = apology.get_by_label("Lý do gửi chủ hồ sơ")
    expect(reason).to_have_value(drafted.reason)
    reason.fill("Cần xác minh thông tin với Đoàn Luật sư tỉnh")
    apology.get_by_label("Ngày hẹn lại").fill("2026-03-12T09:00")
    apology.get_by_role("button", name="Duyệt và gửi").click()

    expect(page).to_have_url("/can-bo/xin-loi/")
    expect(page.get_by_role("status")).to_contain_text(
        "Đã gửi văn bản xin lỗi, hẹn lại 12/03/2026 09:00."
    )
    expect(page.get_by_role("article")).to_have_count(0)
    dossier = Dossier.objects.get(id=drafted.dossier_id)
    assert dossier.due_at == dt.datetime(2026, 3, 12, 9, tzinfo=TZ)

    # The inbox lists the dossier with its new due time.
    menu.get_by_role("link", name="Hộp hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp hồ sơ")
    row = page.get_by_role("row", name=re.compile(re.escape(drafted.dossier.code)))
    expect(row).to_contain_text("12/03/2026 09:00")
