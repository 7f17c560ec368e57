"""A receiver takes in a walk-in citizen who has no account, in a real browser, and prints the
receipt: no login is created, and the receipt carries the claim code that lets the person join
the dossier to an account later."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from motcua.accounts.models import Citizen, User
from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PASSWORD, People, make_people, required_documents
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def people(
    transactional_db: None, unit_register: None, settings: Settings, tmp_path: Path
) -> People:
    settings.MOTCUA_MEDIA_ROOT = tmp_path / "media"
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    return make_people()


def test_a_receiver_takes_in_a_walk_in_citizen_without_an_account(
    page: Page, people: People
) -> None:
    logins_before = User.objects.count()
    page.goto("/dang-nhap/?next=/can-bo/")
    page.get_by_label("Tên đăng nhập").fill("tiep.nhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("link", name="Tiếp nhận hồ sơ").first.click()
    check_page(page)
    page.locator("input[name=q]").fill("hanh nghe luat su")
    page.locator("main form button[type=submit]").first.click()
    page.get_by_role("link", name=re.compile("luật sư", re.IGNORECASE)).first.click()
    expect(page.locator("input[name=personal_id]")).to_be_visible()
    check_page(page)

    page.locator("input[name=personal_id]").fill("008095004321")
    page.locator("input[name=full_name]").fill("Hoàng Văn Nam")
    page.locator("input[name=date_of_birth]").fill("1995-08-19")
    page.locator("input[name=phone]").fill("0912000111")
    page.locator("input[name=address]").fill("Tổ 5, phường Minh Xuân, Tuyên Quang")
    for requirement in required_documents():
        page.locator(f"input[name=originals_{requirement}]").fill("1")
        page.locator(f"input[name=file_{requirement}]").set_input_files(
            {"name": "giay-to.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    page.locator("input[name=decision][value=accept]").check()
    page.locator("main form button[type=submit]").last.click()

    dossier = Dossier.objects.get()
    expect(page).to_have_url(re.compile(rf"/can-bo/ho-so/{re.escape(dossier.code)}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    check_page(page)
    # The person has no login: the dossier sits on a profile recorded at the counter.
    assert User.objects.count() == logins_before
    profile = Citizen.objects.get(personal_id="008095004321")
    assert profile.user is None and dossier.applicant_citizen == profile
    assert dossier.claim_code and dossier.channel == "counter"
    assert dossier.accepted_at is not None and dossier.due_at is not None
    assert dossier.documents.filter(digitised=True).count() == len(required_documents())

    receipt = page.locator("#slips-title + ul a[href*='receipt']").first
    response = page.request.get(receipt.get_attribute("href") or "")
    assert response.ok and response.headers["content-type"] == "application/pdf"
