"""A citizen follows their dossier in a real browser: the centre asks for a supplement, the
citizen uploads what is missing and hands it back; later the result is returned and they rate."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from motcua.dossiers.actions import Submission, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CENTRE, PASSWORD, PROCEDURE, People, act
from motcua.engagement.models import DossierRating
from tests.e2e.quality import check_page
from tests.e2e.steps import rate_the_service, supplement_on_portal

pytestmark = pytest.mark.browser


def test_a_citizen_supplements_the_dossier_then_rates_the_service(
    page: Page, people: People
) -> None:
    dossier, _created = do_submit_dossier(
        Submission(procedure_code=PROCEDURE, receiving_agency_code=CENTRE),
        acting_user=people.citizen,
    )
    act(
        dossier,
        "request_supplement",
        people.receiver,
        items=["Bản sao bằng cử nhân luật", "Giấy chứng nhận tốt nghiệp khóa đào tạo nghề"],
    )

    page.goto("/ho-so/")
    page.get_by_label("Tên đăng nhập").fill("nguyen.thi.hoa")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url("/ho-so/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    card = page.locator(".my-dossier")
    expect(card).to_contain_text(dossier.code)
    expect(card).to_contain_text("Yêu cầu bổ sung giấy tờ")
    check_page(page)

    card.get_by_role("link").click()
    expect(page).to_have_url(f"/ho-so/{dossier.code}/")
    expect(page.locator("#supplement")).to_contain_text("Bản sao bằng cử nhân luật")
    supplement_on_portal(page, dossier.code, missing=2)
    assert Dossier.objects.get(id=dossier.id).stage == "supplement_received"

    # The centre takes it from there, to the result handed over.
    for action, user in (
        ("accept_supplement", people.receiver),
        ("accept", people.receiver),
        ("appraise", people.specialist),
        ("approve", people.leader),
        ("sign", people.clerk),
        ("issue_result", people.clerk),
        ("return_result", people.receiver),
    ):
        act(dossier, action, user)

    page.reload()
    expect(page.locator("#result")).to_contain_text("Kết quả")
    rate_the_service(page)
    assert DossierRating.objects.get(dossier_id=dossier.id).overall == "very_satisfied"
