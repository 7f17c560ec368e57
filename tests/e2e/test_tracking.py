"""A stranger holding a slip opens its QR code's address: refused with wrong digits, then shown
where the dossier stands with the right ones, and never the applicant's name."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from motcua.dossiers.actions import Submission, do_attach_document, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import (
    CENTRE,
    PROCEDURE,
    act,
    make_people,
    pdf,
    required_documents,
)
from tests.e2e.quality import check_page
from tests.e2e.steps import refused_with_wrong_digits, track_from_the_slip

pytestmark = pytest.mark.browser


@pytest.fixture
def accepted_now(province: None) -> Dossier:
    """A dossier of the fixtures' citizen (ID number ending 1234), accepted now."""
    people = make_people()
    dossier, _created = do_submit_dossier(
        Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
        acting_user=people.citizen,
    )
    for requirement in required_documents():
        do_attach_document(dossier, pdf(), acting_user=people.citizen, requirement_id=requirement)
    return act(dossier, "accept", people.receiver)


def test_a_stranger_with_the_slip_needs_the_right_digits(page: Page, accepted_now: Dossier) -> None:
    track_from_the_slip(page, accepted_now.code, "9876")
    refused_with_wrong_digits(page)

    digits = page.get_by_label("4 số cuối số định danh cá nhân hoặc mã số thuế của người nộp hồ sơ")
    digits.fill("1234")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {accepted_now.code}")
    expect(page.get_by_text("Đang xử lý", exact=True)).to_be_visible()
    expect(page.get_by_text("Thẩm định, xử lý hồ sơ").first).to_be_visible()
    expect(page.locator(".timeliness")).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Hoà")).to_have_count(0)
    assert "1234" not in page.url  # the digits went in the form's body
    check_page(page)
