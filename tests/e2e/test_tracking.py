"""A stranger holding a slip opens its QR code's address: refused with wrong digits, then shown
where the dossier stands with the right ones, and never the applicant's name."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.slips.data import tracking_url
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PROCEDURE,
    act,
    make_people,
    pdf,
    required_documents,
)
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def accepted_now(
    transactional_db: None, unit_register: None, settings: Settings, tmp_path: Path
) -> Dossier:
    """A dossier of the fixtures' citizen (ID number ending 1234), accepted now."""
    settings.MOTCUA_MEDIA_ROOT = tmp_path / "media"
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    people = make_people()
    dossier, _created = do_submit_dossier(
        Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
        acting_user=people.citizen,
    )
    for requirement in required_documents():
        do_attach_document(dossier, pdf(), acting_user=people.citizen, requirement_id=requirement)
    return act(dossier, "accept", people.receiver)


def test_a_stranger_with_the_slip_needs_the_right_digits(page: Page, accepted_now: Dossier) -> None:
    printed = tracking_url(accepted_now.code)
    page.goto(printed.removeprefix(django_settings.MOTCUA_PUBLIC_URL))  # as a phone opens it
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tra cứu hồ sơ {accepted_now.code}")
    check_page(page)

    digits = page.get_by_label("4 số cuối số định danh cá nhân hoặc mã số thuế của người nộp hồ sơ")
    digits.fill("9876")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Không tìm thấy hồ sơ với mã và 4 số cuối này."
    )
    expect(page.get_by_text("Đang xử lý", exact=True)).to_have_count(0)
    check_page(page)

    digits.fill("1234")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {accepted_now.code}")
    expect(page.get_by_text("Đang xử lý", exact=True)).to_be_visible()
    expect(page.get_by_text("Thẩm định, xử lý hồ sơ").first).to_be_visible()
    expect(page.locator(".timeliness")).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Hoà")).to_have_count(0)
    assert "1234" not in page.url  # the digits went in the form's body
    check_page(page)
