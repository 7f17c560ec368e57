"""GET /api/v1/procedures and /api/v1/procedures/{code}."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    return response.json()


def test_search_with_and_without_accents_gives_the_same_page(
    catalogue: None, client: Client
) -> None:
    plain = get(client, "/api/v1/procedures?q=dang%20ky%20ket%20hon")
    accented = get(client, "/api/v1/procedures?q=%C4%91%C4%83ng%20k%C3%BD%20k%E1%BA%BFt%20h%C3%B4n")
    assert plain == accented
    first = plain["results"][0]
    assert first["code"] == "1.000894"
    assert first["name"] == "Thủ tục đăng ký kết hôn"
    assert first["field"] == {"name": "Hộ tịch", "slug": "ho-tich"}
    assert first["levels"] == ["commune"]


def test_empty_query_pages_through_the_whole_catalogue_most_used_first(
    catalogue: None, client: Client
) -> None:
    page = get(client, "/api/v1/procedures?page_size=100&page=15")
    assert page["count"] == 1476
    assert len(page["results"]) == 76
    first = get(client, "/api/v1/procedures?page_size=3")["results"]
    assert first[0]["code"] == "1.004194"
    weights = [r["usage_weight"] for r in first]
    assert weights == sorted(weights, reverse=True)


def test_filters(catalogue: None, client: Client) -> None:
    commune = get(client, "/api/v1/procedures?level=commune&page_size=100")
    assert all("commune" in r["levels"] for r in commune["results"])
    field = get(client, "/api/v1/procedures?field=ho-tich&page_size=100")
    assert field["count"] > 10
    assert {r["field"]["slug"] for r in field["results"]} == {"ho-tich"}


def test_detail_has_everything_a_citizen_needs(catalogue: None, client: Client) -> None:
    body = get(client, "/api/v1/procedures/1.000894")
    assert body["version"] == 1
    assert {c["kind"] for c in body["channels"]} == {"counter", "online", "post"}
    assert body["results"] == [{"name": "Giấy chứng nhận kết hôn", "code": "KQ.G15.000032"}]
    numbers = {law["number"] for law in body["legal_basis"]}
    assert {"123/2015/NĐ-CP", "60/2014/QH13"} <= numbers
    assert any(doc["name"].startswith("Tờ khai đăng ký kết hôn") for doc in body["documents"])
    assert body["process_is_default"] is True
    assert [s["kind"] for s in body["process"]] == [
        "receive",
        "appraise",
        "approve",
        "sign",
        "return",
    ]
    assert body["offerings"] == [
        {
            "province_code": "08",
            "level": "commune",
            "local_code": "1.000894.000.00.00.H08",
            "competent_agency": None,
        }
    ]
    assert body["needs_review"] is True
    assert body["review_reasons"]


def test_local_code_resolves_to_the_national_procedure(catalogue: None, client: Client) -> None:
    assert get(client, "/api/v1/procedures/1.000894.000.00.00.H08")["code"] == "1.000894"


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/procedures/9.999999", 404, "NOT_FOUND"),
        ("/api/v1/procedures/" + "1" * 300, 404, "NOT_FOUND"),
        ("/api/v1/procedures?level=district", 400, "BAD_REQUEST"),
        ("/api/v1/procedures?online=maybe", 400, "BAD_REQUEST"),
        ("/api/v1/procedures?applicant=alien", 400, "BAD_REQUEST"),
        ("/api/v1/procedures?page=0", 400, "BAD_REQUEST"),
        ("/api/v1/procedures?page_size=1000", 400, "BAD_REQUEST"),
        ("/api/v1/procedures?q=" + "a" * 201, 400, "BAD_REQUEST"),
    ],
)
def test_bad_requests_get_json_errors(
    catalogue: None, client: Client, url: str, status: int, code: str
) -> None:
    body = get(client, url, status)
    assert body["result"] == "error"
    assert body["code"] == code


def test_schema_documents_the_catalogue(client: Client) -> None:
    paths = get(client, "/api/v1/openapi.json")["paths"]
    assert "/api/v1/procedures" in paths
    assert "/api/v1/procedures/{code}" in paths
