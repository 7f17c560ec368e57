"""A citizen follows their dossier in a real browser: the centre asks for a supplement, the
citizen uploads what is missing and hands it back; later the result is returned and they rate."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from motcua.catalog.models import ProcedureOffering
from motcua.dossiers.actions import Submission, do_submit_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import CENTRE, PASSWORD, PROCEDURE, People, act, make_people
from motcua.engagement.models import DossierRating
from tests.e2e.quality import check_page

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def people(
    transactional_db: None, unit_register: None, settings: Settings, tmp_path: Path
) -> People:
    """The dossier tests' people (live-server tests empty the tables, so reload if needed)."""
    settings.MOTCUA_MEDIA_ROOT = tmp_path / "media"
    if not ProcedureOffering.objects.exists():
        call_command("load_demo_province", verbosity=0)
        call_command("load_catalogue", verbosity=0)
    return make_people()


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
    request = page.locator("#supplement")
    expect(request).to_contain_text("Trung tâm đề nghị bạn bổ sung hồ sơ")
    expect(request).to_contain_text("Bản sao bằng cử nhân luật")
    check_page(page)

    # One upload per missing document; each upload comes back to the page with a message.
    missing = page.locator(".missing")
    count = missing.count()
    assert count == 2
    for index in range(count):
        form = page.locator(".missing").first
        form.locator("input[type=file]").set_input_files(
            {"name": f"giay-to-{index}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        form.get_by_role("button", name="Tải lên").click()
        expect(page.get_by_role("status")).to_contain_text(f"Đã thêm giay-to-{index}.pdf")
    expect(page.locator(".missing")).to_have_count(0)
    expect(page.locator("#documents")).to_contain_text("giay-to-1.pdf")
    check_page(page)

    page.get_by_label("Ghi chú gửi trung tâm").fill("Đã bổ sung đủ hai giấy tờ")
    page.get_by_role("button", name="Nộp bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp hồ sơ bổ sung")
    expect(page.locator("#timeline")).to_contain_text("Đã bổ sung đủ hai giấy tờ")
    check_page(page)
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
    rating = page.get_by_role("region", name="Đánh giá mức độ hài lòng")
    rating.get_by_label("Sớm hơn ngày hẹn").check()
    rating.get_by_label("Không lần nào").check()
    rating.get_by_label("Lịch sự, nhiệt tình").check()
    rating.get_by_label("Rất hài lòng").check()
    check_page(page)
    rating.get_by_role("button", name="Gửi đánh giá").click()

    expect(page.get_by_role("status")).to_contain_text("đánh giá đã được ghi nhận")
    expect(page.get_by_role("button", name="Sửa đánh giá")).to_be_visible()
    check_page(page)
    assert DossierRating.objects.get(dossier_id=dossier.id).overall == "very_satisfied"
