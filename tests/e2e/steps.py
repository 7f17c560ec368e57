"""Steps the browser journeys share: a citizen submitting birth registration online, handing in
a supplement, rating the service, and a stranger tracking a dossier from its slip."""

from __future__ import annotations

import re

from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from motcua.dossiers.models import Dossier
from motcua.dossiers.slips.data import tracking_url
from motcua.dossiers.tests.conftest import PASSWORD
from tests.e2e.quality import check_page

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CITIZEN_PASSWORD = "Khai-sinh-cho-be-2026"


def submit_birth_registration(
    page: Page,
    username: str | None,
    *,
    checked: bool = True,
    name: str = "Lê Thị Mai",
    masked_id: str = "0021******21",
) -> str:
    """The journey, up to the receipt; returns the dossier's code. `username`: signs in on the
    way (None: the visitor is signed in already). `checked`: axe and the page weight on every
    page (they need JavaScript in the page, so the run without it skips them: the server sends
    it the same pages)."""
    page.goto("/")
    page.get_by_label("Tra cứu thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_role("search").get_by_role("button", name="Tìm kiếm").click()
    page.locator(".result__title a", has_text=re.compile("^Thủ tục đăng ký khai sinh$")).click()
    expect(page).to_have_url("/thu-tuc/1.001193/")

    if checked:
        check_page(page)
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    if username is not None:
        # Signing in comes first, then straight back to the submission.
        expect(page).to_have_url("/dang-nhap/?next=/ho-so/nop/1.001193/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(CITIZEN_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url("/ho-so/nop/1.001193/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của ai, nộp ở đâu?")
    expect(page.locator(".submit-me")).to_contain_text(name)
    expect(page.locator(".submit-me")).to_contain_text(masked_id)
    if checked:
        check_page(page)
    page.get_by_label("Xã, phường liên quan").select_option(label="Phường Hà Giang 2")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page).to_have_url("/ho-so/nop/1.001193/giay-to/")
    if checked:
        check_page(page)
    # Only the birth certificate binds everyone; the declaration is one of the cases offered.
    expect(page.locator(".tag--required")).to_have_count(1)
    page.get_by_label(re.compile("^Tờ khai đăng ký khai sinh")).set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng sửa các mục được đánh dấu")
    # Nothing uploaded is lost: only the document still missing is asked for.
    expect(page.locator(".upload__kept")).to_have_count(1)
    missing = page.locator(".form__field--error input[type=file]")
    expect(missing).to_have_count(1)
    missing.set_input_files({"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG})
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page).to_have_url("/ho-so/nop/1.001193/xem-lai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra và nộp hồ sơ")
    expect(page.locator(".facts")).to_contain_text("Phường Hà Giang 2")
    expect(page.locator(".submit-review").nth(1)).to_contain_text("giay-chung-sinh.png")
    if checked:
        check_page(page)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page).to_have_url(re.compile(r"/ho-so/nop/bien-nhan/H08\.00691\.01-\d{6}-\d{4}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của bạn đã được nộp")
    code = Dossier.objects.latest("id").code
    expect(page.locator(".submit-code")).to_have_text(code)
    expect(page.locator(".facts")).to_contain_text(
        re.compile("Được xác định khi [Tt]rung tâm tiếp nhận hồ sơ")
    )
    if checked:
        check_page(page)
    return code


def supplement_on_portal(
    page: Page, code: str, *, missing: int, others: tuple[str, ...] = ()
) -> None:
    """On the dossier's page, one upload per required document still missing, then one per
    document of `others` (names the centre asked for, picked in "upload another document"),
    then "hand in the supplement" with a note; each upload comes back with a message."""
    page.goto(f"/ho-so/{code}/")
    expect(page.locator("#supplement")).to_contain_text("Trung tâm đề nghị bạn bổ sung hồ sơ")
    check_page(page)
    expect(page.locator(".missing")).to_have_count(missing)
    names = [f"giay-to-{index}.pdf" for index in range(missing + len(others))]
    for name in names[:missing]:
        form = page.locator(".missing").first
        form.locator("input[type=file]").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF}
        )
        form.get_by_role("button", name="Tải lên").click()
        expect(page.get_by_role("status")).to_contain_text(f"Đã thêm {name}")
    expect(page.locator(".missing")).to_have_count(0)
    for name, document in zip(names[missing:], others, strict=True):
        other = page.locator(".other-upload")
        other.locator("summary").click()
        other.get_by_label("Tệp này là").select_option(label=document)
        other.locator("input[type=file]").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF}
        )
        other.get_by_role("button", name="Tải lên").click()
        expect(page.get_by_role("status")).to_contain_text(f"Đã thêm {name}")
    expect(page.locator("#documents")).to_contain_text(names[-1])
    check_page(page)

    page.get_by_label("Ghi chú gửi trung tâm").fill("Đã bổ sung đủ giấy tờ")
    page.get_by_role("button", name="Nộp bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp hồ sơ bổ sung")
    expect(page.locator("#timeline")).to_contain_text("Đã bổ sung đủ giấy tờ")
    check_page(page)


def rate_the_service(page: Page) -> None:
    """Circular 01/2018's four questions on the dossier's page, answered at their best."""
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


def track_from_the_slip(page: Page, code: str, digits: str) -> None:
    """Open the address the slip's QR code holds, as a phone would, and give 4 digits."""
    page.goto(tracking_url(code).removeprefix(django_settings.MOTCUA_PUBLIC_URL))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tra cứu hồ sơ {code}")
    check_page(page)
    page.get_by_label("4 số cuối số định danh cá nhân hoặc mã số thuế của người nộp hồ sơ").fill(
        digits
    )
    page.get_by_role("button", name="Tra cứu").click()


def refused_with_wrong_digits(page: Page) -> None:
    """The tracking page's answer to digits that are not the applicant's: nothing shown."""
    expect(page.get_by_role("alert")).to_contain_text(
        "Không tìm thấy hồ sơ với mã và 4 số cuối này."
    )
    expect(page.get_by_text("Đang xử lý", exact=True)).to_have_count(0)
    check_page(page)


def sign_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/dang-nhap/?next=/can-bo/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp hồ sơ")


def open_from_inbox(page: Page, dossier: Dossier) -> None:
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")
    check_page(page)


def press(page: Page, action: str, label: str) -> None:
    """Press an action's button and see it done (the page comes back with a message)."""
    page.locator(f'form[data-action="{action}"]').get_by_role("button", name=label).click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã thực hiện: {label}.")
    check_page(page)
