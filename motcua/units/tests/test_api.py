"""GET /api/v1/units and /api/v1/units/{code}: real data, history, and clean errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_lists_current_provinces_by_default(client: Client) -> None:
    body = get(client, "/api/v1/units?type=province&page_size=500")
    cities = get(client, "/api/v1/units?type=city")
    assert body["count"] + cities["count"] == 34
    assert {"code": "08", "name": "Tỉnh Tuyên Quang"}.items() <= body["results"][1].items()
    assert "Thành phố Đồng Nai" in {u["name"] for u in cities["results"]}


def test_filters_by_parent_and_accent_free_query(client: Client) -> None:
    body = get(client, "/api/v1/units?parent=08&q=chiem%20hoa")
    assert [u["name"] for u in body["results"]] == ["Xã Chiêm Hoá"]
    assert body["results"][0]["parent"]["code"] == "08"
    everything = get(client, "/api/v1/units?parent=08&page_size=50&page=3")
    assert everything["count"] == 124
    assert len(everything["results"]) == 24


def test_at_a_past_date_lists_the_old_districts(client: Client) -> None:
    body = get(client, "/api/v1/units?parent=08&at=2024-06-01")
    assert body["count"] == 7  # Tuyên Quang had 7 district-level units before the reform
    assert all(u["valid_to"] == "2025-07-01" for u in body["results"])
    assert "Thành phố Tuyên Quang" in {u["name"] for u in body["results"]}


def test_detail_shows_parent_children_and_successions(client: Client) -> None:
    province = get(client, "/api/v1/units/08")
    assert province["children_count"] == 124
    assert "Tỉnh Hà Giang" in {p["unit"]["name"] for p in province["predecessors"]}

    old = get(client, "/api/v1/units/02287?at=2024-01-01")
    assert old["name"] == "Thị trấn Vĩnh Lộc"
    assert old["parent"]["name"] == "Huyện Chiêm Hóa"
    assert [(s["unit"]["name"], s["kind"]) for s in old["successors"]] == [
        ("Xã Chiêm Hoá", "whole")
    ]

    new = get(client, "/api/v1/units/02287")
    assert new["name"] == "Xã Chiêm Hoá"
    assert "Thị trấn Vĩnh Lộc" in {p["unit"]["name"] for p in new["predecessors"]}


def test_a_code_that_no_longer_exists_resolves_to_its_last_version(client: Client) -> None:
    body = get(client, "/api/v1/units/02")
    assert body["name"] == "Tỉnh Hà Giang"
    assert body["valid_to"] == "2025-07-01"
    assert [s["unit"]["code"] for s in body["successors"]] == ["08"]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/units?type=village", 400, "BAD_REQUEST"),
        ("/api/v1/units?at=2025-02-30", 400, "BAD_REQUEST"),
        ("/api/v1/units?page=0", 400, "BAD_REQUEST"),
        ("/api/v1/units?page_size=100000", 400, "BAD_REQUEST"),
        ("/api/v1/units?parent=abc", 400, "BAD_REQUEST"),
        ("/api/v1/units?parent=99999", 404, "NOT_FOUND"),
        ("/api/v1/units/abc", 400, "BAD_REQUEST"),
        ("/api/v1/units/99999", 404, "NOT_FOUND"),
        ("/api/v1/units/08?at=yesterday", 400, "BAD_REQUEST"),
        ("/api/v1/units/06978?at=2024-01-01", 404, "NOT_FOUND"),  # Ba Chẽ has its code since 2025
    ],
)
def test_bad_parameters_get_a_json_error_never_a_500(
    client: Client, url: str, status: int, code: str
) -> None:
    body = get(client, url, status)
    assert body["result"] == "error"
    assert body["code"] == code
    assert body["msg"]


def test_errors_are_translated_to_vietnamese(client: Client) -> None:
    response = client.get("/api/v1/units/99999", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert "99999" in response.json()["msg"]
    english = client.get("/api/v1/units/99999", HTTP_ACCEPT_LANGUAGE="en").json()["msg"]
    assert response.json()["msg"] != english


def test_openapi_schema_documents_the_unit_endpoints(client: Client) -> None:
    schema = get(client, "/api/v1/openapi.json")
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/units" in schema["paths"]
    assert "/api/v1/units/{code}" in schema["paths"]
