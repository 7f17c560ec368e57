"""The catalogue parser reads real portal records exactly, and never fails on any input.

The fixture holds 15 records copied verbatim from the July 2026 national catalogue export
(province, commune and odd ones); the tests pin what each must parse to, including which
records are flagged and why.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.catalog.parsing import (
    ChannelKind,
    Level,
    ParsedProcedure,
    RequiredDocument,
    ResultDoc,
    TimeUnit,
    parse_record,
)
from motcua.catalog.parsing.__main__ import main as coverage_main
from motcua.catalog.parsing.channels import parse_channels
from motcua.catalog.parsing.documents import is_conditional, parse_documents
from motcua.catalog.parsing.fees import read_fee_cell
from motcua.catalog.parsing.legal_basis import LegalDoc, parse_legal_basis
from motcua.catalog.parsing.record import FIELDS
from motcua.catalog.parsing.results import parse_results
from motcua.catalog.parsing.time_limits import parse_time_limit

FIXTURE = Path(__file__).parent / "fixtures" / "procedures-sample.json"
RECORDS: dict[str, dict[str, Any]] = {
    record["ma_thu_tuc"]: record for record in json.loads(FIXTURE.read_text("utf-8"))["records"]
}


def parsed(code: str) -> ParsedProcedure:
    return parse_record(RECORDS[code])


def counts(procedure: ParsedProcedure) -> list[list[tuple[int | None, int | None]]]:
    return [[(d.originals, d.copies) for d in g.documents] for g in procedure.document_groups]


def numbers(procedure: ParsedProcedure) -> list[str | None]:
    return [doc.number for doc in procedure.legal_basis]


# --- Real records -------------------------------------------------------------------------


def test_commune_birth_registration_reads_fully() -> None:
    p = parsed("1.003583")
    assert not p.flagged, p.issues
    assert p.name == "Thủ tục đăng ký khai sinh lưu động"
    assert (p.levels, p.decision_number, p.field_name) == (
        (Level.COMMUNE,),
        "163/QĐ-BTP",
        "Hộ tịch",
    )
    assert p.applicant_types == ("Công dân Việt Nam",)
    assert p.agencies.implementing == "Ủy ban Nhân dân xã, phường, thị trấn."
    [counter] = p.channels
    assert counter.kind is ChannelKind.COUNTER
    assert (counter.time_limit.value, counter.time_limit.unit) == (
        Decimal(5),
        TimeUnit.WORKING_DAYS,
    )
    assert counter.is_free and counter.fees[0].amount_vnd == 0
    # Two groups from "* Giấy tờ phải nộp:" and "* Giấy tờ phải xuất trình:" headers.
    assert [g.title for g in p.document_groups] == ["Giấy tờ phải nộp", "Giấy tờ phải xuất trình"]
    assert counts(p) == [[(1, 0), (1, 0), (1, 0), (0, 0)], [(0, 0), (0, 0), (1, 0), (1, 0), (1, 0)]]
    assert p.document_groups[0].documents[1].name == "Tờ khai đăng ký khai sinh theo mẫu."
    assert p.results == (ResultDoc("Giấy khai sinh", "KQ.G15.000031"),)
    assert numbers(p) == [
        "106/2021/TT-BTC",
        "04/2024/TT-BTP",
        "66.7/2025/NQ-CP",
        "04/2020/TT-BTP",
        "07/2025/NĐ-CP",
        "120/2025/NĐ-CP",
        "60/2014/QH13",
        "104/2022/NĐ-CP",
        "18/2026/NĐ-CP",
        "85/2019/TT-BTC",
        "08/2025/TT-BTP",
        "123/2015/NĐ-CP",
    ]
    assert p.legal_basis[6] == LegalDoc("Luật 60/2014/QH13", "60/2014/QH13")
    assert "Chọn cơ quan thực hiện" not in repr(p)  # the portal's agency picker is dropped


def test_province_fee_with_note_copies_and_a_form_template() -> None:
    p = parsed("1.000688")
    assert not p.flagged, p.issues
    assert p.levels == (Level.PROVINCE,)
    assert [c.kind for c in p.channels] == [
        ChannelKind.ONLINE,
        ChannelKind.POST,
        ChannelKind.COUNTER,
    ]
    for channel in p.channels:
        assert channel.time_limit.text == "15 Ngày làm việc"
        assert channel.time_limit.unit is TimeUnit.WORKING_DAYS
        [fee] = channel.fees
        assert fee.amount_vnd == 800_000 and not channel.is_free  # "800,000 Việt Nam Đồng"
        assert "400.000 đồng/hồ sơ" in fee.note
    assert p.channels[0].fees[0].note.startswith("áp dụng mức phí 400.000 đồng/hồ sơ")
    assert counts(p) == [[(1, 0), (0, 1), (1, 0), (0, 1), (1, 0)]]
    assert p.document_groups[0].documents[-1] == RequiredDocument(
        "Đơn đề nghị cấp Chứng chỉ hành nghề luật sư theo mẫu do Bộ Tư pháp ban hành",
        1,
        0,
        ("Mẫu số 01-PLIII-LS.docx",),
    )
    assert p.results == (ResultDoc("Chứng chỉ hành nghề luật sư", "KQ.G15.000102"),)
    assert numbers(p)[-3:] == ["137/2018/NĐ-CP", "20/2012/QH13", "65/2006/QH11"]


def test_commune_customs_record_is_flagged_for_what_it_lacks() -> None:
    p = parsed("1.000014")
    # "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)": a unit-less time "1" glued to the fee "20",
    # which the note shows is in thousands. The unit really is missing, so it is flagged.
    online = p.channels[0]
    assert (online.time_limit.value, online.time_limit.unit) == (Decimal(1), TimeUnit.UNKNOWN)
    assert online.fees[0].amount_vnd == 20_000
    assert p.results == ()
    assert p.issues == (
        "fees: fee amount run into the time cell [Trực tuyến: 120 VNĐ(20.000 vnđ /tờ khai)]",
        "time limit: number without a unit [Trực tuyến: 1]",
        "fees: fee amount run into the time cell [Trực tiếp: 120 VNĐ(20.000 vnđ /tờ khai)]",
        "time limit: number without a unit [Trực tiếp: 1]",
        "results: none listed",
    )
    assert p.flagged
    # Everything readable is still there.
    assert counts(p) == [[(0, 0), (1, 0), (2, 0), (0, 1), (0, 1), (0, 1)]]
    assert numbers(p)[:2] == ["08/2015/NĐ-CP", "54/2014/QH13"]


def test_foreign_currency_fee_months_and_form_files() -> None:
    p = parsed("1.001010")
    assert not p.flagged, p.issues
    [counter] = p.channels
    assert (counter.time_limit.value, counter.time_limit.unit) == (Decimal(6), TimeUnit.MONTHS)
    [fee] = counter.fees
    assert (fee.amount_vnd, fee.currency, fee.foreign_amount) == (None, "USD", Decimal(100))
    assert p.agencies.receiving.startswith("Phòng Quản lý xuất, nhập cảnh, Công an tỉnh")
    forms = [d.form_template for d in p.document_groups[0].documents]
    assert forms[2:4] == ["Mẫu-NA12,-Đơn-xin-thường-trú-cho-người-nước-ngoài.-doc.doc", "NA11.doc"]
    assert p.results == (ResultDoc("Thẻ thường trú", "KQ.G01.000088"),)


def test_hours_and_a_count_glued_to_a_year() -> None:
    p = parsed("1.009067")
    assert not p.flagged, p.issues
    [online] = p.channels
    assert (online.time_limit.value, online.time_limit.unit) == (Decimal(1), TimeUnit.HOURS)
    # "…ngày 28/8/20201 bản chính,1 bản sao": the year ends the name, the count follows.
    [document] = p.document_groups[0].documents
    assert document.name.endswith("Nghị định 100/2020/NĐ-CP ngày 28/8/2020")
    assert (document.originals, document.copies) == (1, 1)


def test_several_form_files_and_applicant_types_with_commas() -> None:
    p = parsed("1.004167")
    assert not p.flagged, p.issues
    assert p.applicant_types == ("Tổ chức (không bao gồm doanh nghiệp, HTX)", "Công dân Việt Nam")
    assert [d.form_templates for d in p.document_groups[0].documents] == [
        ("Mau48.docx", "Mau45.docx"),
        ("Mau06.docx", "Mau08.docx"),
    ]
    assert p.channels[0].is_free and p.channels[0].time_limit.value == 24
    # "…NĐ 23/2026/NĐ-CPLuật28/2023/QH1514/2025/TT-BNNMT14/2025/TT-BNNMT"
    assert p.legal_basis[-2:] == (
        LegalDoc("Luật", "28/2023/QH15"),
        LegalDoc("14/2025/TT-BNNMT", "14/2025/TT-BNNMT"),
    )


def test_fees_written_in_the_description_when_the_fee_cell_is_empty() -> None:
    p = parsed("1.003135")
    assert not p.flagged, p.issues
    assert p.levels == (Level.PROVINCE, Level.OTHER)
    for channel in p.channels:
        assert [fee.amount_vnd for fee in channel.fees] == [20_000, 50_000]
        assert channel.fees_stated and not channel.is_free
    assert p.channels[0].fees[0].text.startswith("Lệ phí : 20.000 Đồng (Lệ phí Cấp mới")


def test_case_groups_and_repeated_channel_rows() -> None:
    p = parsed("1.001023")
    assert not p.flagged, p.issues
    titles = [g.title for g in p.document_groups]
    assert titles[0] == "Trường hợp cấp lại khi bị hư hỏng, bị mất"
    assert all(title.startswith("Trường hợp cấp") for title in titles) and len(titles) == 4
    assert p.document_groups[0].documents == (
        RequiredDocument(
            "Giấy đề nghị cấp, cấp lại giấy phép theo mẫu", 1, 0, ("TK 1.001023 (all).docx",)
        ),
    )
    assert counts(p)[1] == [(1, 0), (0, 1), (0, 0), (1, 0), (0, 0), (0, 1), (0, 1)]
    # One row per case and channel; the fee cell says "Không có thông tin".
    assert [(c.kind.value, c.time_limit.value) for c in p.channels] == [
        ("online", 1),
        ("post", 1),
        ("counter", 2),
        ("online", 2),
        ("post", 2),
        ("counter", 1),
    ]
    assert not p.channels[0].fees_stated and not p.channels[0].is_free


def test_legal_numbers_glued_to_their_titles() -> None:
    p = parsed("1.007908")
    assert not p.flagged, p.issues
    # "Nghị định 118/2008/NĐ-CP118/2008/NĐ-CPLuật 78/2006/QH1178/2006/QH11…Luật29/2001/QH10…"
    assert numbers(p) == [
        "118/2008/NĐ-CP",
        "78/2006/QH11",
        "03/2003/QH11",
        "29/2001/QH10",
        "42/2005/QH11",
        "51/2005/QH11",
        "38/2001/PL-UBTVQH10",
        "44/2002/PL-UBTVQH10",
    ]
    assert p.legal_basis[0].title == "Nghị định 118/2008/NĐ-CP"
    assert p.legal_basis[3].title == "Luật"
    # "…: 01 bản chính0 bản chính": the padded count is prose, the cell says 0.
    assert counts(p) == [[(0, 0), (0, 0)]]


def test_prose_instead_of_a_document_table_is_flagged_not_dropped() -> None:
    p = parsed("2.002338")
    assert p.document_groups == ()
    [issue] = p.issues
    assert issue.startswith("documents: document table not found [phải được kê khai")
    assert [c.time_limit.value for c in p.channels] == [5, 5, 5]
    assert p.result_note.startswith("- Bộ Nông nghiệp và Môi trường (Cục Trồng trọt")


def test_unit_less_time_completed_from_a_deadline_in_the_steps() -> None:
    p = parsed("1.004344")
    assert not p.flagged, p.issues
    # Time cell "2" only; the steps say "Trong thời hạn 02 ngày làm việc, kể từ ngày nhận…".
    for channel in p.channels:
        limit = channel.time_limit
        assert (limit.value, limit.unit, limit.text) == (Decimal(2), TimeUnit.WORKING_DAYS, "2")
        assert limit.from_description
    assert "Cán bộ, công chức, viên chức" in p.applicant_types


def test_junk_result_code_is_flagged() -> None:
    p = parsed("1.013807")
    assert p.results == (
        ResultDoc(
            "Quyết định đăng ký tập sự hành nghề công chứng hoặc văn bản từ chối có nêu rõ lý do.",
            None,
        ),
    )
    assert "results: result code not readable [rjwegefu]" in p.issues
    assert p.document_groups[0].documents[0].form_templates == (
        "Mẫu TP-TSCC-01a.docx",
        "Mẫu TP-TSCC-01b.docx",
    )


def test_empty_time_cell_takes_the_one_limit_in_the_description() -> None:
    p = parsed("1.003851")
    assert not p.flagged, p.issues
    for channel in p.channels:
        limit = channel.time_limit
        assert (limit.value, limit.unit, limit.from_description) == (
            Decimal(15),
            TimeUnit.WORKING_DAYS,
            True,
        )
    assert p.agencies.implementing == ""  # "Không có thông tin"


def test_two_counter_rows_and_unstated_fees() -> None:
    p = parsed("1.012533")
    assert not p.flagged, p.issues
    assert [(c.kind, c.time_limit.value) for c in p.channels] == [
        (ChannelKind.COUNTER, 15),
        (ChannelKind.COUNTER, 3),
    ]
    assert not any(c.fees_stated or c.fees for c in p.channels)
    # "+ Trực tiếp"-style prose in a description does not start a channel row.
    assert p.channels[0].description.startswith("Nộp hồ sơ trực tiếp cho Công an cấp xã")


def test_decimal_time_limit() -> None:
    p = parsed("1.013097")
    assert not p.flagged, p.issues
    assert p.levels == (Level.OTHER,)
    limit = p.channels[0].time_limit
    assert (limit.value, limit.unit) == (Decimal("1.5"), TimeUnit.WORKING_DAYS)
    assert p.channels[0].fees[0].amount_vnd == 40_000


def test_fixture_is_mostly_province_and_commune_records() -> None:
    local = [
        p
        for p in map(parse_record, RECORDS.values())
        if {Level.PROVINCE, Level.COMMUNE} & set(p.levels)
    ]
    assert len(RECORDS) == 15 and len(local) == 14


# --- Cell parsers on documented formats ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("3 Ngày làm việc", Decimal(3), TimeUnit.WORKING_DAYS),
        ("15 Ngày", Decimal(15), TimeUnit.DAYS),
        ("4 Giờ", Decimal(4), TimeUnit.HOURS),
        ("0.5 Ngày làm việc", Decimal("0.5"), TimeUnit.WORKING_DAYS),
        ("Trong ngày", None, TimeUnit.SAME_DAY),
        ("Không quá 05 ngày làm việc kể từ ngày nhận hồ sơ", Decimal(5), TimeUnit.WORKING_DAYS),
        ("05 (năm) ngày làm việc", Decimal(5), TimeUnit.WORKING_DAYS),
        ("từ 05 đến 10 ngày", Decimal(10), TimeUnit.DAYS),
        ("2", Decimal(2), TimeUnit.UNKNOWN),
        ("Không phải trả kết quả cho người nộp thuế", None, TimeUnit.UNKNOWN),
        ("ngày 09 tháng 11 năm 2016", None, TimeUnit.UNKNOWN),  # a date, not a duration
    ],
)
def test_time_limits(text: str, value: Decimal | None, unit: TimeUnit) -> None:
    limit = parse_time_limit(text)
    assert (limit.value, limit.unit, limit.text) == (value, unit, text)


@pytest.mark.parametrize(
    ("cell", "amounts", "rest"),
    [
        ("Phí : 50.000 ĐồngMô tả", [50_000], "Mô tả"),
        ("Lệ phí : 8.000 Đồng (8.000 đồng/lần)Nộp tại…", [8_000], "Nộp tại…"),
        ("Miễn phí(Không thu)Trực tiếp tại…", [0], "Trực tiếp tại…"),
        ("1,200,000 Việt Nam Đồng(1.200.000đ/thẻ ABTC.)", [1_200_000], ""),
        ("2,000 Việt Nam Đồng50.000 đồng nếu…", [2_000], "50.000 đồng nếu…"),
        ("150 VNĐ(150.000 đồng/lần/thẻ.)", [150_000], ""),  # typed in thousands; note says so
        ("Không có thông tinNộp trực tiếp", [], "Nộp trực tiếp"),
    ],
)
def test_fee_cells(cell: str, amounts: list[int], rest: str) -> None:
    read = read_fee_cell(cell)
    assert [fee.amount_vnd for fee in read.fees] == amounts
    assert read.rest == rest and read.issues == ()


def test_implausibly_small_fee_without_confirmation_is_flagged() -> None:
    read = read_fee_cell("25 VNĐ")
    assert read.fees[0].amount_vnd == 25
    assert read.issues == ("fees: amount below 1,000 VND, unit doubtful [25 VNĐ]",)


def test_channel_names_in_prose_do_not_start_rows() -> None:
    channels, issues = parse_channels(
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phí+ Trực tiếp: nộp "
        "tại UBND xã. + Trực tuyến: qua Cổng.Dịch vụ bưu chính5 Ngày làm việcMiễn phí"
    )
    assert issues == ()
    assert [c.kind for c in channels] == [ChannelKind.COUNTER, ChannelKind.POST]
    assert channels[0].description == "+ Trực tiếp: nộp tại UBND xã. + Trực tuyến: qua Cổng."


def test_missing_time_cell_is_flagged() -> None:
    channels, issues = parse_channels(
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tinMiễn phí"
    )
    assert channels[0].time_limit.unit is TimeUnit.UNKNOWN
    assert issues == ("time limit: not stated [Trực tiếp]",)


def test_document_count_variants_and_titles() -> None:
    groups, issues = parse_documents(
        "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Tờ khai theo mẫu;TK01.docx1 bản "
        "chính- Bản sao giấy tờ tùy thân0 bản chính,1 bản sao+ Ảnh màu2 bản sao"
        "* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngHộ chiếu1 bản chính"
    )
    assert issues == ()
    assert [g.title for g in groups] == ["Giấy tờ phải nộp", "Giấy tờ phải xuất trình"]
    assert groups[0].documents == (
        RequiredDocument("Tờ khai theo mẫu;", 1, 0, ("TK01.docx",)),
        RequiredDocument("Bản sao giấy tờ tùy thân", 0, 1),
        RequiredDocument("Ảnh màu", 0, 2),
    )
    assert groups[1].documents == (RequiredDocument("Hộ chiếu", 1, 0),)


def test_legal_basis_without_a_number_is_flagged() -> None:
    documents, issues = parse_legal_basis(
        "Tên văn bản pháp lýMã văn bảnThông tư về phí85/2019/TT-BTCLuật Hóa chất"
    )
    assert documents == (
        LegalDoc("Thông tư về phí", "85/2019/TT-BTC"),
        LegalDoc("Luật Hóa chất", None),
    )
    assert issues == ("legal basis: document without a number [Luật Hóa chất]",)


def test_results_drop_the_portal_furniture() -> None:
    cell = parse_results(
        "Giấy khai sinhMã: KQ.G15.000031Trích lụcMã: 000.00.00.G04-KQ003510Từ khóaKhông có thông "
        "tinMô tảCó giá trị 10 năm.Chọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngànhNộp hồ sơ"
    )
    assert cell.results == (
        ResultDoc("Giấy khai sinh", "KQ.G15.000031"),
        ResultDoc("Trích lục", "000.00.00.G04-KQ003510"),
    )
    assert (cell.note, cell.issues) == ("Có giá trị 10 năm.", ())


def test_text_is_cleaned_to_nfc_with_plain_spaces() -> None:
    raw = dict(RECORDS["1.009067"])
    raw["co_quan_thuc_hien"] = "Chi cuc\xa0Hai  quan\u200e"
    raw["ten_thu_tuc"] = "Thu tu\u0323c"  # "ụ" decomposed
    p = parse_record(raw)
    assert p.agencies.implementing == "Chi cuc Hai quan"
    assert p.name == "Thu tục"


# --- Robustness ---------------------------------------------------------------------------

_SNIPPETS = st.sampled_from(
    [
        "Hình thức nộpThời gianPhí, lệ phíMô tả",
        "Trực tiếp",
        "Trực tuyến",
        "Dịch vụ bưu chính",
        "Tên giấy tờMẫu đơn, tờ khaiSố lượng",
        "Tên văn bản pháp lýMã văn bản",
        "1 bản chính",
        "0 bản chính,1 bản sao",
        "Mã: ",
        "KQ.G15.000031",
        "Từ khóa",
        "Mô tả",
        "Miễn phí",
        "Không có thông tin",
        "120 VNĐ(",
        "Phí : Đồng",
        ".docx",
        "85/2019/TT-BTC",
        "QH14",
        "3 Ngày làm việc",
        "(",
        ")",
        "\xa0",
        "\n",
    ]
)
_CELL = st.lists(st.one_of(_SNIPPETS, st.text(max_size=20)), max_size=12).map("".join)
_VALUE = st.one_of(_CELL, st.none(), st.integers(), st.lists(st.integers(), max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*FIELDS, "extra"]), _VALUE))
def test_never_raises_on_arbitrary_records(raw: dict[str, object]) -> None:
    p = parse_record(raw)
    assert isinstance(p, ParsedProcedure)
    missing = [key for key in FIELDS if key not in raw]
    assert all(f"record: field missing [{key}]" in p.issues for key in missing)


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(sorted(RECORDS)),
    field=st.sampled_from(FIELDS),
    cut=st.integers(0, 5000),
    insert=_CELL,
)
def test_never_raises_on_mutated_real_records(code: str, field: str, cut: int, insert: str) -> None:
    raw = dict(RECORDS[code])
    value = str(raw[field])
    raw[field] = value[:cut] + insert + value[cut:][: len(value) // 2]
    p = parse_record(raw)
    assert p.flagged == bool(p.issues)
    assert parse_record(raw) == p  # deterministic: the same text always parses the same way


@pytest.mark.parametrize("raw", [{}, {"ma_thu_tuc": None}, {"cach_thuc_thuc_hien": 42}])
def test_degenerate_records_are_returned_flagged(raw: dict[str, object]) -> None:
    p = parse_record(raw)
    assert p.flagged
    assert p.channels == () and p.document_groups == () and p.results == ()


def test_not_a_mapping_is_flagged() -> None:
    p = parse_record([])  # type: ignore[arg-type]
    assert p.issues[0] == "record: not a mapping [list]"


# --- Coverage report ----------------------------------------------------------------------


def test_coverage_report_counts_full_and_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(list(RECORDS.values()), ensure_ascii=False), "utf-8")
    assert coverage_main([str(path), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "All records: 15 records, 12 parse fully (80.0%), 3 flagged" in out
    assert "Province or commune level: 14 records, 11 parse fully (78.6%), 3 flagged" in out
    assert "time limit: number without a unit" in out


@pytest.mark.parametrize(
    ("name", "conditional"),
    [
        # Birth registration's list "Giấy tờ phải nộp", as the portal publishes it: one document
        # binds everyone; the others are cases, or depend on how the dossier is filed.
        (
            "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm "
            "chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan "
            "về việc sinh.",
            False,
        ),
        (
            "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có "
            "thẩm quyền lập.",
            True,
        ),
        (
            "Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy "
            "quyền thực hiện việc đăng ký khai sinh.",
            True,
        ),
        (
            "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình "
            "thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);",
            True,
        ),
        (
            "Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin "
            "theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ theo "
            "hình thức trực tuyến)",
            True,
        ),
        # Elsewhere in the catalogue.
        ("Bản sao giấy công nhận Nghệ nhân nghề truyền thống (nếu có).", True),
        (
            "Đối với người nước ngoài, ngoài những giấy tờ nêu trên còn phải có Giấy phép lao động",
            True,
        ),
        ("- Hoặc bản sao có chứng thực Giấy chứng nhận đăng ký doanh nghiệp", True),
        ("Bản sao hộ chiếu đối với trường hợp cá nhân không có quốc tịch Việt Nam", True),
        ("Báo cáo kết quả khảo sát (đối với trường hợp phải khảo sát đường bộ)", True),
        # One document offered in several forms is still one every applicant hands in.
        (
            "Đơn yêu cầu thi hành án (Mẫu số D 01-THADS) hoặc biên bản ghi nhận yêu cầu thi hành "
            "án (Mẫu số D34-THADS);",
            False,
        ),
        # "Except when" narrows a common document; it does not make it a case.
        (
            "Bản sao có chứng thực giấy tờ về sử dụng đất, trừ trường hợp đã có trong cơ sở dữ "
            "liệu",
            False,
        ),
        ("Tờ khai đăng ký kết hôn theo mẫu", False),
    ],
)
def test_a_document_names_its_own_case(name: str, *, conditional: bool) -> None:
    assert is_conditional(name) is conditional
