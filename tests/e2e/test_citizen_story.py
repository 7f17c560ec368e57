"""A citizen's whole story in a real browser: she signs up, finds birth registration typed
without accents, submits it with two uploads and gets the receipt; the commune centre accepts it
and asks for a supplement, which she hands in on the portal; the centre finishes, she sees the
result issued and rates the service. A stranger holding the slip, with the wrong digits of her
ID number, learns nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from motcua.accounts.models import Role
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import _official, act
from motcua.engagement.models import DossierRating
from tests.e2e.quality import check_page
from tests.e2e.steps import (
    CITIZEN_PASSWORD,
    rate_the_service,
    refused_with_wrong_digits,
    submit_birth_registration,
    supplement_on_portal,
    track_from_the_slip,
)

pytestmark = pytest.mark.browser

COMMUNE = "H08.00691"  # phường Hà Giang 2, which decides birth registration there
PERSONAL_ID = "004190006543"
PROXY = (
    "Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền "
    "thực hiện việc đăng ký khai sinh. Trường hợp người được ủy quyền là ông, bà, cha, mẹ, con, "
    "vợ, chồng, anh, chị, em ruột của người ủy quyền thì văn bản ủy quyền không phải chứng thực."
)


def sign_up(page: Page, outbox: list[object]) -> None:
    """A new account, its phone confirmed with the SMS code: signed in at the end."""
    page.goto("/tai-khoan/dang-ky/")
    check_page(page)
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill(PERSONAL_ID)
    page.get_by_label("Họ và tên").fill("Đặng Thu Hà")
    page.get_by_label("Ngày sinh").fill("1990-04-02")
    page.get_by_label("Số điện thoại di động").fill("0912 345 678")
    page.get_by_label("Mật khẩu", exact=True).fill(CITIZEN_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(CITIZEN_PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận tài khoản")
    check_page(page)
    (sms,) = outbox
    code = re.search(r"\b(\d{6})\b", sms.text).group(1)  # type: ignore[attr-defined,union-attr]
    page.get_by_label("Mã").fill(code)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".account-name")).to_contain_text("Đặng Thu Hà")
    check_page(page)


def test_a_citizen_from_sign_up_to_the_rated_result(
    page: Page, second_page: Page, province: None, outbox: list[object]
) -> None:
    receiver = _official("tiep.nhan.hg2", "Lý Thị Hằng", [(f"{COMMUNE}.01", Role.RECEIVER)])
    civil_status = _official("tu.phap.hg2", "Hà Văn Sơn", [(COMMUNE, Role.SPECIALIST)])
    chair = _official("chu.tich.hg2", "Triệu Văn Khánh", [(COMMUNE, Role.LEADER)])
    clerk = _official("van.thu.hg2", "Nông Thị Yến", [(COMMUNE, Role.CLERK)])

    sign_up(page, outbox)
    code = submit_birth_registration(
        page, None, name="Đặng Thu Hà", masked_id=f"{PERSONAL_ID[:4]}******{PERSONAL_ID[-2:]}"
    )
    dossier = Dossier.objects.get(code=code)
    assert dossier.documents.count() == 2

    # The commune centre accepts it; the civil-status officer finds a document missing.
    act(dossier, "accept", receiver)
    act(dossier, "request_supplement", civil_status, items=["Văn bản ủy quyền có chứng thực"])

    page.goto("/ho-so/")
    card = page.locator(".my-dossier", has_text=code)
    expect(card).to_contain_text("Yêu cầu bổ sung giấy tờ")
    check_page(page)
    # Every required document is there: she names the one asked for among the "if applicable".
    supplement_on_portal(page, code, missing=0, others=(PROXY,))
    assert dossier.documents.filter(requirement__name=PROXY).exists()

    # The centre finishes: the supplement taken, appraised, approved, sealed, issued.
    for action, user in (
        ("accept_supplement", civil_status),
        ("appraise", civil_status),
        ("approve", chair),
        ("sign", clerk),
        ("issue_result", clerk),
    ):
        act(dossier, action, user)

    page.goto(f"/ho-so/{code}/")
    expect(page.locator("#result")).to_contain_text("Kết quả")
    check_page(page)
    act(dossier, "return_result", receiver)
    page.reload()
    rate_the_service(page)
    assert DossierRating.objects.get(dossier_id=dossier.id).overall == "very_satisfied"

    # Someone else holding the slip, with digits that are not hers, is told nothing.
    track_from_the_slip(second_page, code, "9876")  # hers end in 6543
    refused_with_wrong_digits(second_page)
    expect(second_page.get_by_text("Đặng Thu Hà")).to_have_count(0)
