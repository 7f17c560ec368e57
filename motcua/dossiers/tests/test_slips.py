"""Official slips read back from their PDF, versioned, downloadable; the register as XLSX.

Dossiers are walked through the real actions, so every slip is filled from real events. The
dossier is submitted and accepted on Monday 2 March 2026 at 09:00 (Tuyên Quang), 5 working
days: due Monday 9 March at 09:00.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from motcua.dossiers.actions import do_attach_document
from motcua.dossiers.models import Dossier, DossierRead, DossierSlip
from motcua.dossiers.slips import (
    available_kinds,
    issue_slip,
    issuing,
    read_slip,
    render,
    render_register,
)
from motcua.dossiers.slips.data import slip_data
from motcua.dossiers.slips.errors import SlipNotAvailableError
from motcua.dossiers.slips.issuing import slip_path
from motcua.dossiers.slips.register import register_rows
from motcua.dossiers.slips.render import render_pdf
from motcua.dossiers.tests.conftest import JUSTICE, People, act, api_client, pdf
from motcua.units.models import Agency

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))
MONDAY_9 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
CODE = "H08.01-260302-0001"
PROCEDURE_NAME = "Đăng ký hành nghề luật sư với tư cách cá nhân"
HEADER = (
    "Mẫu số 0",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập – Tự do – Hạnh phúc",
)


def text_of(content: bytes) -> str:
    """The PDF's text, NFC-normalised, with every run of white space made one space (a table
    cell or a long line may wrap anywhere between words)."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def slip_text(dossier: Dossier, kind: str) -> str:
    return text_of(read_slip(issue_slip(dossier, kind)))


@pytest.fixture
def accepted_monday(submitted: Callable[..., Dossier], people: People) -> Dossier:
    with time_machine.travel(MONDAY_9, tick=False):
        return act(submitted(), "accept", people.receiver)


def test_the_receipt_prints_the_dossier_as_accepted(accepted_monday: Dossier) -> None:
    slip = issue_slip(accepted_monday, "receipt")
    content = read_slip(slip)
    text = text_of(content)
    for expected in (
        *HEADER,
        "Mẫu số 01",
        "UBND TỈNH TUYÊN QUANG",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "Tuyên Quang, ngày 02 tháng 3 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        CODE,
        "Nguyễn Thị Hoà",  # every diacritic survives, in NFC
        "008199001234",  # printed in full: the receipt goes to the applicant
        PROCEDURE_NAME,
        "Đơn đề nghị đăng ký hành nghề luật sư",
        "Bản sao Hợp đồng lao động ký kết với cơ quan, tổ chức",
        "Thời gian giải quyết hồ sơ theo quy định: 5 Ngày làm việc",
        "Thời gian nhận hồ sơ: 09:00, ngày 02/03/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 09:00, ngày 09/03/2026",
        "Tại Bộ phận Một cửa – Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang",
        "Phí, lệ phí: Miễn phí",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Thu Trang",  # the officer who accepted, from the accept event
        f"{settings.MOTCUA_PUBLIC_URL}/tra-cuu/{CODE}",
    ):
        assert expected in text, expected
    assert "Nguyễn Thị Hoà" in text and "Nguyễn Thị Hòa" not in text
    reader = PdfReader(io.BytesIO(content))
    page = reader.pages[0]
    # A4 in points.
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    # Dated by the acceptance, not by the moment of printing.
    assert reader.metadata is not None
    assert reader.metadata.creation_date == MONDAY_9
    assert reader.metadata.modification_date == MONDAY_9
    # Only the bundled font is embedded: installed fonts never change the output.
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("+MotCua-Serif" in name for name in fonts), fonts
    assert slip.version == 1
    assert slip.dated == MONDAY_9
    assert slip.size == len(content)


def test_the_same_slip_is_the_same_file_and_changed_data_a_new_version(
    accepted_monday: Dossier, people: People
) -> None:
    first = issue_slip(accepted_monday, "receipt")
    first_bytes = read_slip(first)
    with time_machine.travel(dt.datetime(2026, 3, 4, 15, 0, tzinfo=TZ), tick=False):
        again = issue_slip(accepted_monday, "receipt")
    # Issued again (another day): the same row and the very same bytes.
    assert again.id == first.id
    assert read_slip(again) == first_bytes
    # Rendering the same data afresh also gives the same bytes: nothing depends on the clock.
    assert render_pdf("receipt", slip_data(accepted_monday, "receipt")) == first_bytes
    # A lost file is rendered again from the same data, to the same bytes.
    slip_path(first).unlink()
    assert read_slip(issue_slip(accepted_monday, "receipt")) == first_bytes
    # A paper digitised during processing was received with the dossier: the receipt stands.
    with time_machine.travel(dt.datetime(2026, 3, 4, 16, 0, tzinfo=TZ), tick=False):
        do_attach_document(
            accepted_monday, pdf("ban-scan.pdf"), acting_user=people.specialist, requirement_id=None
        )
    assert issue_slip(accepted_monday, "receipt").id == first.id

    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=TZ), tick=False):
        rescheduled = act(
            accepted_monday,
            "reschedule",
            people.leader,
            reason="Cần xác minh thêm thông tin về nơi hành nghề.",
            new_due="2026-03-12T09:00:00+07:00",
        )
    second = issue_slip(rescheduled, "receipt")
    assert (second.version, first.version) == (2, 1)
    assert second.sha256 != first.sha256
    assert "Thời gian trả kết quả giải quyết hồ sơ: 09:00, ngày 12/03/2026" in text_of(
        read_slip(second)
    )
    # The earlier version is kept, row and file, exactly as it was handed out.
    kept = DossierSlip.objects.get(id=first.id)
    assert slip_path(kept).read_bytes() == first_bytes
    assert "09:00, ngày 09/03/2026" in text_of(first_bytes)
    assert list(
        DossierSlip.objects.filter(dossier=accepted_monday, kind="receipt").values_list(
            "version", flat=True
        )
    ) == [1, 2]


def test_a_new_layout_gives_a_new_version_never_other_bytes_for_a_slip(
    accepted_monday: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = issue_slip(accepted_monday, "receipt")
    # Templates, CSS, fonts or WeasyPrint changed: the same data is issued as a new version.
    monkeypatch.setattr(issuing, "layout_fingerprint", lambda: "another layout")
    second = issue_slip(accepted_monday, "receipt")
    assert (first.version, second.version) == (1, 2)
    assert DossierSlip.objects.filter(dossier=accepted_monday, kind="receipt").count() == 2


def test_rendering_loads_nothing_but_the_bundled_fonts() -> None:
    fetcher = render.bundled_only_fetcher()
    for url in ("file:///etc/passwd", "http://example.org/logo.png", "file:///tmp/x.ttf"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    font = render.FONTS_DIR / render.FONT_FACES[0][0]
    assert fetcher.fetch(font.as_uri()).read(4) == b"\x00\x01\x00\x00"  # a TrueType file


def test_the_apology_gives_the_reason_and_both_dates_signed_by_the_agency(
    accepted_monday: Dossier, people: People
) -> None:
    with pytest.raises(SlipNotAvailableError):
        issue_slip(accepted_monday, "apology")
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=TZ), tick=False):
        dossier = act(
            accepted_monday,
            "reschedule",
            people.leader,
            reason="Cần xác minh thêm thông tin về nơi hành nghề.",
            new_due="2026-03-12T09:00:00+07:00",
        )
    text = slip_text(dossier, "apology")
    for expected in (
        *HEADER,
        "Mẫu số 04",
        "UBND TỈNH TUYÊN QUANG",
        "SỞ TƯ PHÁP",
        "Số: 01/PXL",
        "Tuyên Quang, ngày 06 tháng 3 năm 2026",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Nguyễn Thị Hoà",
        PROCEDURE_NAME,
        "Ngày tiếp nhận hồ sơ: 09:00, ngày 02/03/2026",
        "Thời hạn trả kết quả đã hẹn: 09:00, ngày 09/03/2026",
        "Lý do: Cần xác minh thêm thông tin về nơi hành nghề.",
        "Thời gian trả kết quả mới: 09:00, ngày 12/03/2026",
        "Bùi Văn Toàn",  # the leader who set the new date
    ):
        assert expected in text, expected


def test_supplement_refusal_and_stop_slips_come_from_their_events(
    submitted: Callable[..., Dossier], people: People
) -> None:
    with time_machine.travel(MONDAY_9, tick=False):
        incomplete = act(
            submitted(with_documents=False),
            "request_supplement",
            people.receiver,
            items=["Đơn đề nghị đăng ký hành nghề luật sư", "Giấy chứng nhận sức khỏe"],
            reason="Thiếu đơn đề nghị có chữ ký của người nộp.",
        )
        refused = act(
            submitted(with_documents=False),
            "refuse",
            people.receiver,
            reason="Thủ tục không thuộc thẩm quyền <b>tiếp nhận</b> & giải quyết.",
        )
        stopped = act(submitted(), "accept", people.receiver)
    with time_machine.travel(dt.datetime(2026, 3, 3, 14, 30, tzinfo=TZ), tick=False):
        stopped = act(stopped, "request_withdrawal", people.citizen, reason="Không còn nhu cầu")
        stopped = act(stopped, "stop", people.leader, reason="Công dân rút hồ sơ.")

    text = slip_text(incomplete, "supplement_request")
    for expected in (
        *HEADER,
        "Mẫu số 02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Số: 01/HDHS",
        "Nguyễn Thị Hoà",
        PROCEDURE_NAME,
        "Giấy chứng nhận sức khỏe",
        "Lý do: Thiếu đơn đề nghị có chữ ký của người nộp.",
        f"{settings.MOTCUA_PUBLIC_URL}/thu-tuc/1.002153/",
        "NGƯỜI HƯỚNG DẪN",
        "Lê Thu Trang",
    ):
        assert expected in text, expected

    text = slip_text(refused, "refusal")
    for expected in (
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        refused.code,
        "Nguyễn Thị Hoà",
        PROCEDURE_NAME,
        # Text typed by an official is printed as text, never read as HTML.
        "Thủ tục không thuộc thẩm quyền <b>tiếp nhận</b> & giải quyết.",
        "NGƯỜI NỘP HỒ SƠ",
        "Lê Thu Trang",
    ):
        assert expected in text, expected
    assert available_kinds(refused) == ["refusal"]
    with pytest.raises(SlipNotAvailableError):
        issue_slip(refused, "receipt")

    text = slip_text(stopped, "stop_notice")
    for expected in (
        "Mẫu số 05",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "SỞ TƯ PHÁP",
        "Tuyên Quang, ngày 03 tháng 3 năm 2026",
        "Theo đề nghị rút hồ sơ của Ông/Bà/Tổ chức lúc 14:30, ngày 03/03/2026",
        "Lý do: Công dân rút hồ sơ.",
        "Bùi Văn Toàn",
    ):
        assert expected in text, expected
    assert available_kinds(stopped) == ["receipt", "stop_notice", "process_control"]


def test_the_process_control_slip_has_one_row_per_handoff(
    accepted_monday: Dossier, people: People
) -> None:
    first = issue_slip(accepted_monday, "process_control")
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 0, tzinfo=TZ), tick=False):
        dossier = act(accepted_monday, "appraise", people.specialist)
        dossier = act(dossier, "approve", people.leader)
        dossier = act(dossier, "sign", people.clerk)
        dossier = act(dossier, "issue_result", people.clerk, document_number="15/2026/GCN")
    with time_machine.travel(dt.datetime(2026, 3, 5, 8, 0, tzinfo=TZ), tick=False):
        dossier = act(dossier, "return_result", people.receiver)
    latest = issue_slip(dossier, "process_control")
    assert (first.version, latest.version) == (1, 2)
    text = text_of(read_slip(latest))
    for expected in (
        *HEADER,
        "Mẫu số 06",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        CODE,
        "Kèm theo hồ sơ của: Nguyễn Thị Hoà",
        "Cơ quan, đơn vị chủ trì giải quyết: Sở Tư pháp tỉnh Tuyên Quang",
        "Thời gian nhận hồ sơ: 09:00, ngày 02/03/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 09:00, ngày 09/03/2026",
        "Tiếp nhận hồ sơ",
        "Thẩm định, xử lý hồ sơ",
        "Phê duyệt",
        "Trả kết quả",
        "Người giao: Đỗ Quang Huy",  # the specialist handed the appraisal over
        "Trước hạn",
        "Hoàn thành giải quyết: 10:00, ngày 04/03/2026 (Trước hạn)",
        "Đã trả kết quả: 08:00, ngày 05/03/2026",
        "Tuyên Quang, ngày 05 tháng 3 năm 2026",
    ):
        assert expected in text, expected
    assert text.count("Sở Tư pháp tỉnh Tuyên Quang") >= 4  # appraise, approve, sign, summary


def test_slips_and_the_register_are_vietnamese_whatever_the_reader_asks_for(
    accepted_monday: Dossier, people: People
) -> None:
    # The labels they print are translated for pages (dossiers.labels); the official papers
    # keep the forms' Vietnamese wording, so an English reader gets the same paper.
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, 0, tzinfo=TZ), tick=False):
        dossier = act(accepted_monday, "appraise", people.specialist)
    period = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    now = dt.datetime(2026, 4, 2, 9, 0, tzinfo=TZ)
    read = {}
    for language in ("en", "vi"):
        with translation.override(language):
            read[language] = (
                slip_data(dossier, "process_control"),
                slip_data(dossier, "receipt"),
                register_rows(dossier.receiving_agency, *period, now=now),
            )
    assert read["en"] == read["vi"]
    control, receipt, rows = read["en"]
    assert [(row["task"], row["outcome"]) for row in control["steps"]] == [
        ("Tiếp nhận hồ sơ", "Đúng hạn"),  # accepted on the day it was handed in
        ("Thẩm định, xử lý hồ sơ", "Trước hạn"),
        ("Phê duyệt", "Đang xử lý"),
    ]
    assert (receipt["channel"], receipt["limit"]) == ("Trực tuyến", "5 Ngày làm việc")
    assert rows[0][8:] == ["Đang xử lý quá hạn", "Đang xử lý"]

    url = f"/api/v1/dossiers/{CODE}/slips/process_control.pdf"
    english = api_client(people.citizen).get(url)
    vietnamese = api_client(people.citizen).get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert english.status_code == 200, english.content
    assert english.content == vietnamese.content


def test_slips_are_downloaded_only_by_who_may_see_the_dossier(
    accepted_monday: Dossier, people: People
) -> None:
    url = f"/api/v1/dossiers/{CODE}/slips/receipt.pdf"
    owner = api_client(people.citizen).get(url)
    assert owner.status_code == 200, owner.content
    assert owner["Content-Type"] == "application/pdf"
    assert owner["X-Slip-Version"] == "1"
    assert f'filename="{CODE}_mau-01_receipt_v1.pdf"' in owner["Content-Disposition"]
    assert CODE in text_of(owner.content)
    # Downloaded again: the same bytes.
    assert api_client(people.citizen).get(url).content == owner.content

    # Another citizen and an official of another agency get the 404 of an unknown dossier.
    for outsider in (people.other_citizen, people.other_specialist, people.other_receiver):
        response = api_client(outsider).get(url)
        assert response.status_code == 404, outsider.username
        assert response.json()["code"] == "NOT_FOUND"
    # A slip the dossier has no reason for, and an unknown kind: 404 too.
    for kind in ("refusal", "apology", "nonsense"):
        response = api_client(people.citizen).get(f"/api/v1/dossiers/{CODE}/slips/{kind}.pdf")
        assert response.status_code == 404, kind
    assert Client().get(url).status_code == 401

    # An official of the centre may download it; the read is logged, the citizen's is not.
    response = api_client(people.receiver).get(url)
    assert response.status_code == 200
    assert response.content == owner.content
    readers = DossierRead.objects.filter(dossier=accepted_monday, via="slip")
    assert list(readers.values_list("user__username", flat=True)) == ["tiep.nhan"]


def test_the_register_lists_the_dossiers_received_in_the_period(
    submitted: Callable[..., Dossier], people: People
) -> None:
    with time_machine.travel(MONDAY_9, tick=False):
        march = act(submitted(), "accept", people.receiver)
        act(submitted(with_documents=False), "refuse", people.receiver, reason="Sai thẩm quyền")
    with time_machine.travel(dt.datetime(2026, 3, 31, 16, 0, tzinfo=TZ), tick=False):
        late_march = act(submitted(), "accept", people.receiver)
    with time_machine.travel(dt.datetime(2026, 4, 1, 8, 0, tzinfo=TZ), tick=False):
        act(submitted(), "accept", people.receiver)  # April: another period
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 0, tzinfo=TZ), tick=False):
        march = act(march, "appraise", people.specialist)

    url = f"/api/v1/agencies/{march.receiving_agency.code}/register.xlsx"
    response = api_client(people.receiver).get(url, {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Mẫu số 07"
    assert rows[1][0] == "SỔ THEO DÕI HỒ SƠ"
    assert rows[3][0] == "Từ ngày 01/03/2026 đến ngày 31/03/2026"
    header = rows[5]
    assert header[:6] == [
        "STT",
        "Mã hồ sơ",
        "Người nộp",
        "Thủ tục hành chính",
        "Tiếp nhận",
        "Hẹn trả",
    ]
    body = rows[6:]
    # The refused dossier was never received (form 03); April is another period.
    assert [row[1] for row in body] == [march.code, late_march.code]
    first = body[0]
    assert first[2] == "Nguyễn Thị Hoà"
    assert first[3] == PROCEDURE_NAME
    # Excel has no time zones: local legal time, naive.
    assert first[4] == dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ).replace(tzinfo=None)
    assert first[5] == dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ).replace(tzinfo=None)

    # At the department, the register lists what reached it (the appraisal began there).
    department = render_register(
        Agency.objects.get(code=JUSTICE), dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    codes = [
        row[1]
        for row in openpyxl.load_workbook(io.BytesIO(department)).active.iter_rows(
            min_row=7, values_only=True
        )
    ]
    assert codes == [march.code, late_march.code]
    # The same register asked twice, at different moments: the same bytes.
    now = dt.datetime(2026, 4, 2, 9, 0, tzinfo=TZ)
    agency = march.receiving_agency
    march_days = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, 0, tzinfo=TZ), tick=False):
        first_register = render_register(agency, *march_days, now=now)
    with time_machine.travel(dt.datetime(2026, 4, 3, 11, 0, tzinfo=TZ), tick=False):
        assert render_register(agency, *march_days, now=now) == first_register

    # Citizens and officials of other agencies: 403; bad periods: 400; unknown agency: 404.
    period = {"start": "2026-03-01", "end": "2026-03-31"}
    for outsider in (people.citizen, people.other_receiver, people.specialist):
        response = api_client(outsider).get(url, period)
        assert response.status_code == 403, outsider.username
        assert response.json()["code"] == "FORBIDDEN"
    receiver = api_client(people.receiver)
    for bad in (
        {"start": "2026-13-01", "end": "2026-03-31"},
        {"start": "2026-03-31", "end": "2026-03-01"},
        {"start": "2025-01-01", "end": "2026-03-31"},
        {"start": "2026-03-01"},
    ):
        response = receiver.get(url, bad)
        assert response.status_code == 400, bad
        assert response.json()["code"] == "BAD_REQUEST"
    assert receiver.get("/api/v1/agencies/H99.99/register.xlsx", period).status_code == 404
