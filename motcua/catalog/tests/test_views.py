"""The public catalogue pages, through the Django test client, on the real national records."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.views import QR_ERROR, QR_SVG_OPTIONS
from motcua.common.text import fold

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

SEARCH = "/thu-tuc/"
RESULT_LINK = re.compile(r'<h3 class="result__title"><a href="/thu-tuc/([^/"]+)/">([^<]+)</a>')


def search(client: Client, **params: str) -> list[tuple[str, str]]:
    """(code, name) of the results on the page, in order."""
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return RESULT_LINK.findall(response.content.decode())


def page_html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# Search


def test_accents_case_and_tone_marks_are_optional(client: Client) -> None:
    plain = search(client, q="dang ky khai sinh")
    accented = search(client, q="Đăng ký khai sinh")
    shouting = search(client, q="ĐĂNG KÝ KHAI SINH")
    decomposed = search(client, q=unicodedata.normalize("NFD", "Đăng ký khai sinh"))

    assert plain == accented == shouting == decomposed
    # The procedure itself comes first: the phrase right after "Thủ tục", and the most used.
    assert plain[0] == ("1.001193", "Thủ tục đăng ký khai sinh")
    folded = [fold(name) for _code, name in plain]
    assert all(word in name for name in folded for word in ("dang", "ky", "khai", "sinh"))
    # Names with the whole phrase rank above names that merely contain every word: a land
    # procedure with "đăng ký", "khai thác" and "phát sinh" comes after the birth ones.
    has_phrase = ["dang ky khai sinh" in name for name in folded]
    assert has_phrase == sorted(has_phrase, reverse=True)
    assert not has_phrase[-1]


def test_old_and_new_tone_mark_placement_find_the_same_procedures(client: Client) -> None:
    old_style = search(client, q="Hòa giải")
    new_style = search(client, q="Hoà giải")

    assert old_style == new_style
    codes = {code for code, _name in old_style}
    # Names written either way are found by both: 1.008910 spells it "hoà", 1.002211 "hòa".
    assert {"1.008910", "1.002211", "1.012812"} <= codes


def test_empty_query_lists_the_most_used_procedures_first(client: Client) -> None:
    response = client.get(SEARCH)
    html = response.content.decode()
    results = RESULT_LINK.findall(html)

    assert results[0] == ("1.004194", "Đăng ký tạm trú")
    assert len(results) == 20
    assert "Thủ tục được sử dụng nhiều nhất" in html
    total = Procedure.objects.filter(current__isnull=False).count()
    assert f"Toàn bộ {total:,} thủ tục".replace(",", ".") in html  # dot thousands
    assert f"Trang 1/{-(-total // 20)}" in html
    usage = [Procedure.objects.get(national_code=code).usage_weight for code, _name in results]
    assert usage == sorted(usage, reverse=True)


def test_results_show_code_field_levels_time_limit_fee_and_online_level(client: Client) -> None:
    html = page_html(client, f"{SEARCH}?q=tam+tru")
    first = html[html.index('<li class="result">') :]
    first = first[: first.index("</li>")]

    assert 'href="/thu-tuc/1.004194/"' in first
    assert "<dd>1.004194</dd>" in first
    assert "<dd>Đăng ký, quản lý cư trú</dd>" in first
    assert "<dd>Cấp xã</dd>" in first
    assert "<dd>3 ngày làm việc</dd>" in first  # the counter channel's limit
    assert "<dd>7.000 đ – 10.000 đ</dd>" in first  # online 7.000 đ, at the counter 10.000 đ
    assert "Dịch vụ công trực tuyến một phần" in first


def test_level_filter_keeps_only_that_level(client: Client) -> None:
    response = client.get(SEARCH, {"level": "commune"})
    html = response.content.decode()
    codes = [code for code, _name in RESULT_LINK.findall(html)]

    commune_total = Procedure.objects.filter(current__isnull=False, at_commune=True).count()
    assert f"Tìm thấy {commune_total} thủ tục" in html
    assert len(codes) == 20
    assert set(codes) <= set(
        Procedure.objects.filter(at_commune=True).values_list("national_code", flat=True)
    )
    # A province-only procedure (passports at province level) is left out.
    assert "1.001456" not in codes
    assert "1.001456" in {code for code, _name in search(client, level="province")}


def test_field_online_and_applicant_filters_combine_with_the_query(client: Client) -> None:
    def in_field(slug: str) -> set[str]:
        return set(
            Procedure.objects.filter(field__slug=slug).values_list("national_code", flat=True)
        )

    civil_status = {code for code, _name in search(client, q="khai sinh", field="ho-tich")}
    land = {code for code, _name in search(client, q="khai sinh", field="dat-dai")}

    assert "1.001193" in civil_status
    assert civil_status <= in_field("ho-tich")
    assert land <= in_field("dat-dai")
    assert "1.001193" not in land
    not_online = search(client, q="khai sinh", online="none")
    assert not_online
    assert "1.001193" not in {code for code, _name in not_online}  # partial online
    businesses = search(client, q="tam tru", applicant="business")
    assert ("1.004194", "Đăng ký tạm trú") in businesses


def test_unknown_filter_values_are_ignored_not_an_error(client: Client) -> None:
    assert search(client, q="khai sinh", level="moon", field="no-such-field") == search(
        client, q="khai sinh"
    )


def test_pages_of_results_keep_the_query_and_filters(client: Client) -> None:
    html = page_html(client, f"{SEARCH}?q=dang+ky&level=commune")

    assert 'href="?q=dang+ky&amp;level=commune&amp;page=2"' in html
    assert 'aria-current="page"' in html
    second = client.get(SEARCH, {"q": "dang ky", "level": "commune", "page": "2"})
    second_html = second.content.decode()
    assert '<ol class="results__list" start="21">' in second_html
    assert 'rel="prev" href="?q=dang+ky&amp;level=commune&amp;page=1"' in second_html
    # The form shows what was searched, so it can be changed.
    assert 'value="dang ky"' in second_html
    assert '<option value="commune" selected>' in second_html
    # A page past the end shows the last page rather than an error.
    assert client.get(SEARCH, {"q": "dang ky", "page": "9999"}).status_code == 200


def test_no_results_says_so_and_suggests_what_to_try(client: Client) -> None:
    html = page_html(client, f"{SEARCH}?q=xyzzy+plugh")

    assert "Tìm thấy 0 thủ tục" in html
    assert "Không tìm thấy thủ tục nào phù hợp với “xyzzy plugh”." in html
    assert "Hãy kiểm tra chính tả" in html
    assert not RESULT_LINK.findall(html)


def test_search_page_query_count(
    client: Client, django_assert_max_num_queries: object, django_assert_num_queries: object
) -> None:
    # Up to 7: the fields for the filter select; the search vocabulary's version (last import
    # run, procedure count) and, on a cache miss, the vocabulary itself (SQLite only; PostgreSQL
    # uses the trigram index instead); the result count; the page of procedures (field joined);
    # the channels of the page's versions, for time limits and fees.
    with django_assert_max_num_queries(7):  # type: ignore[operator]
        client.get(SEARCH, {"q": "dang ky khai sinh", "level": "commune"})
    # Without a query: the fields, the count, the page, the channels.
    with django_assert_num_queries(4):  # type: ignore[operator]
        client.get(SEARCH)


def test_home_page_searches_the_catalogue_without_javascript(client: Client) -> None:
    html = page_html(client, reverse("web:home"))

    assert f'action="{SEARCH}" method="get" role="search"' in html
    assert '<input type="search" id="home-q" name="q"' in html
    assert '<label class="search-box__label" for="home-q">' in html
    assert f'<a href="{SEARCH}">Thủ tục hành chính</a>' in html  # the main menu


# A procedure's page


def test_birth_registration_page_says_what_to_bring_how_long_and_how_much(
    client: Client,
) -> None:
    html = page_html(client, "/thu-tuc/1.001193/")

    assert "<title>Thủ tục đăng ký khai sinh · MotCua</title>" in html
    assert "<h1>Thủ tục đăng ký khai sinh</h1>" in html
    assert "<dt>Mã thủ tục</dt><dd>1.001193</dd>" in html
    assert "<dt>Mã thủ tục tại tỉnh</dt><dd>1.001193.000.00.00.H08</dd>" in html
    assert "<dd>Hộ tịch</dd>" in html
    assert "<li>Công dân Việt Nam</li>" in html  # who may apply
    # Channels: the record's time cell says "1" without a unit; its steps say the result is
    # given the same day, or the next working day after 15:00 (read as the same day).
    assert '<th scope="row">Tại quầy</th>' in html
    assert '<th scope="row">Trực tuyến</th>' in html
    assert "<strong>Trong ngày</strong>" in html
    assert "Theo công bố:" not in html  # the bare "1" is not repeated
    assert "Miễn phí" in html
    assert "Hồ sơ tiếp nhận sau 15:00 được tính thời hạn từ ngày làm việc tiếp theo." in html
    # Documents, by case, with the number of originals and copies.
    assert '<h3 id="documents-1">Giấy tờ phải nộp</h3>' in html
    assert "Giấy tờ phải xuất trình" in html
    assert "Giấy tờ khác" in html  # the record's documents without a case
    birth_certificate = re.search(
        r"<td>Giấy chứng sinh;.*?</td>\s*<td class=\"num\">(.*?)</td>\s*"
        r"<td class=\"num\">(.*?)</td>",
        html,
        re.DOTALL,
    )
    assert birth_certificate is not None
    assert birth_certificate.groups() == ("1", "—")  # one original, no copy
    # Result and legal basis, with their numbers.
    assert "Giấy khai sinh" in html
    assert "KQ.G15.000031" in html
    assert "<strong>123/2015/NĐ-CP</strong>" in html
    assert "<strong>60/2014/QH13</strong>" in html
    assert "163/QĐ-BTP" in html  # the publishing decision
    # Where to submit in the demo province: boundary-free, so every service centre.
    assert "Ủy ban nhân dân cấp xã nơi thực hiện thủ tục" in html
    assert "124 Trung tâm Phục vụ hành chính công cấp xã" in html
    assert "1 Trung tâm Phục vụ hành chính công cấp tỉnh" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang" in html
    assert "nơi khác" in html
    # The internal process: the default, and said to be so.
    assert "Quy trình giải quyết nội bộ" in html
    assert "Tỉnh chưa phê duyệt quy trình nội bộ" in html
    assert '<th scope="row">Tiếp nhận</th>' in html
    # The national portal, the handbook and the QR code.
    version = ProcedureVersion.objects.get(procedure__national_code="1.001193", status="published")
    assert f'<a href="{version.detail_url}" rel="noopener">' in html
    assert 'href="/thu-tuc/1.001193/in/"' in html
    assert '<img src="/thu-tuc/1.001193/qr.svg"' in html
    assert f"Phiên bản {version.number}" in html
    assert '<link rel="canonical" href="http://testserver/thu-tuc/1.001193/">' in html


def test_procedure_page_query_count(client: Client, django_assert_num_queries: object) -> None:
    # 1 procedure (field and current version joined), then its channels, documents, results,
    # legal basis, process steps and offerings (6 prefetches), and 1 for the receiving centres.
    with django_assert_num_queries(8):  # type: ignore[operator]
        client.get("/thu-tuc/1.001193/")


def test_temporary_residence_page_formats_fees_and_the_default_process(client: Client) -> None:
    html = page_html(client, "/thu-tuc/1.004194/")

    assert "<strong>3 ngày làm việc</strong>" in html
    assert "<strong>7.000 đ</strong>" in html
    assert "<strong>10.000 đ</strong>" in html
    assert "Theo công bố:" not in html  # "3 Ngày làm việc" says nothing more
    assert "MuCT01banhnhkmtheoThngts53.doc" in html  # the form template
    assert "<dd>Công an cấp Xã</dd>" in html  # competent agency, as published
    # Three working days = 24 h: 1 + 15,5 + 3,5 + 2 + 2 (catalogue.md, "Internal process").
    for hours in ("1 giờ", "15,5 giờ", "3,5 giờ", "2 giờ", "24 giờ"):
        assert f'<td class="num">{hours}</td>' in html
    # Not flagged: no review notice.
    assert "Thông tin đang được rà soát" not in html


def test_review_notice_is_discreet_for_citizens_and_detailed_for_staff(client: Client) -> None:
    # Marriage registration: "1" without a unit, and nothing in the record says which.
    version = ProcedureVersion.objects.get(procedure__national_code="1.000894", status="published")
    assert version.review_reasons  # the time limits without a unit

    public = page_html(client, "/thu-tuc/1.000894/")
    assert "Thông tin đang được rà soát." in public
    assert version.review_reasons[0] not in public

    staff = get_user_model().objects.create_user(
        username="admin.catalogue", password="x-1234567", is_staff=True
    )
    client.force_login(staff)
    for_staff = page_html(client, "/thu-tuc/1.000894/")
    assert "Dành cho cán bộ" in for_staff
    assert version.review_reasons[0] in for_staff


def test_local_code_opens_the_same_procedure(client: Client) -> None:
    html = page_html(client, "/thu-tuc/1.004194.000.00.00.H08/")

    assert "<h1>Đăng ký tạm trú</h1>" in html
    assert '<link rel="canonical" href="http://testserver/thu-tuc/1.004194/">' in html


@pytest.mark.parametrize(
    "path",
    ["/thu-tuc/9.999999/", "/thu-tuc/9.999999/in/", "/thu-tuc/9.999999/qr.svg", "/thu-tuc/x/"],
)
def test_unknown_code_gets_the_friendly_404_page(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_pages_are_in_english_when_the_visitor_chose_english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    detail = page_html(client, "/thu-tuc/1.004194/")
    assert '<html lang="en">' in detail
    assert "Documents to prepare" in detail
    assert "<strong>3 working days</strong>" in detail
    assert "The People&#x27;s Committee of the commune concerned" in detail
    assert "124 commune Public Administration Service Centres" in detail
    assert "15.5 hours" in detail
    assert "Thành phần hồ sơ" not in detail

    results = page_html(client, f"{SEARCH}?q=dang+ky+khai+sinh")
    assert "procedures found" in results
    assert "Free of charge" in results


def test_a_limit_without_its_unit_sends_the_reader_to_the_centre_not_a_bare_number(
    client: Client,
) -> None:
    # Marriage registration publishes "1" on every channel and says nothing more.
    contact = "Liên hệ trung tâm để biết thời hạn"
    page = page_html(client, "/thu-tuc/1.000894/")
    handbook = page_html(client, "/thu-tuc/1.000894/in/")
    results = page_html(client, SEARCH + "?q=dang+ky+ket+hon")

    assert page.count(f"<strong>{contact}</strong>") == 3  # one per channel
    assert f"<dd>{contact}</dd>" in page  # the summary at the top
    assert f"<strong>{contact}</strong>" in handbook
    assert f"<dd>{contact}</dd>" in results
    for html in (page, handbook, results):
        assert "không rõ đơn vị" not in html
        assert "Theo công bố: 1<" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<strong>Contact the centre for the time limit</strong>" in page_html(
        client, "/thu-tuc/1.000894/"
    )


def test_a_limit_read_from_the_steps_text_reads_in_its_unit(client: Client) -> None:
    # Household business registration: empty time cells; the steps say "trong thời hạn 03 ngày
    # làm việc kể từ ngày nhận hồ sơ", and no other deadline.
    page = page_html(client, "/thu-tuc/1.001612/")
    assert "<strong>3 ngày làm việc</strong>" in page
    assert "Liên hệ trung tâm để biết thời hạn" not in page


def test_printable_handbook_has_the_content_and_the_qr_code_but_no_menus(client: Client) -> None:
    html = page_html(client, "/thu-tuc/1.001193/in/")

    assert "Sổ tay thủ tục" in html
    assert "<h1>Thủ tục đăng ký khai sinh</h1>" in html
    assert "Giấy tờ phải nộp" in html
    assert "<strong>123/2015/NĐ-CP</strong>" in html
    assert '<img src="/thu-tuc/1.001193/qr.svg"' in html
    assert "http://testserver/thu-tuc/1.001193/" in html  # the address, for paper readers
    assert "site-nav" not in html
    assert "lang-switch" not in html
    assert 'href="/static/web/motcua.css"' in html  # its print rules


# The QR code


def expected_qr(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error=QR_ERROR, micro=False).save(buffer, **QR_SVG_OPTIONS)
    return buffer.getvalue()


def test_qr_code_is_an_svg_of_the_procedure_page_address(client: Client) -> None:
    response = client.get("/thu-tuc/1.001193/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=" in response["Cache-Control"]
    svg = response.content
    assert b"<svg" in svg
    assert b"<path" in svg
    # segno cannot decode, so encode the expected address the same way: identical drawings.
    assert svg == expected_qr("http://testserver/thu-tuc/1.001193/")
    assert svg != expected_qr("http://testserver/thu-tuc/1.004194/")
    # A local code points at the procedure's one canonical page.
    assert client.get("/thu-tuc/1.001193.000.00.00.H08/qr.svg").content == svg


def test_qr_code_follows_the_host_the_page_was_served_from(client: Client) -> None:
    svg = client.get("/thu-tuc/1.004194/qr.svg", HTTP_HOST="localhost").content

    assert svg == expected_qr("http://localhost/thu-tuc/1.004194/")
