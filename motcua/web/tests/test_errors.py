"""Friendly 404/500 pages for people, JSON errors for the API."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_unknown_page_is_a_friendly_404_in_the_layout(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert f'href="{reverse("web:home")}"' in html


def test_404_page_in_english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get("/no-such-page/").content.decode()

    assert "<h1>Page not found</h1>" in html


def test_unknown_api_path_is_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/nonexistent")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "result": "error",
        "code": "NOT_FOUND",
        "msg": "Không có điểm cuối API nào tại địa chỉ này.",
        "path": "/api/v1/nonexistent",
    }


@pytest.fixture
def failing_client(client: Client) -> Client:
    client.raise_request_exception = False
    return client


@pytest.mark.urls("motcua.web.tests.error_urls")
def test_500_page_renders_without_the_database(failing_client: Client) -> None:
    # No django_db mark: pytest-django makes any database access in this test an error. The
    # session cookie means that reading request.user would query the session table, so the
    # page passes only if it renders without the user, the session and messages.
    failing_client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32

    response = failing_client.get("/hong/")

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Xin lỗi, hệ thống đã gặp sự cố" in html
    assert "Đăng nhập" not in html  # the account links, which need the user, are left out


@pytest.mark.urls("motcua.web.tests.error_urls")
def test_500_page_in_english(failing_client: Client) -> None:
    failing_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = failing_client.get("/hong/").content.decode()

    assert "Sorry, something went wrong on our side" in html


@pytest.mark.urls("motcua.web.tests.error_urls")
def test_500_on_an_api_path_is_json(failing_client: Client) -> None:
    response = failing_client.get("/api/v1/hong/")

    assert response.status_code == 500
    assert response.json()["result"] == "error"
    assert response.json()["code"] == "SERVER_ERROR"


@pytest.mark.django_db
def test_expired_form_page(client: Client, settings: settings) -> None:
    settings.CSRF_FAILURE_VIEW = "motcua.web.views.csrf_failure"
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post(reverse("web:login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hiệu lực" in response.content.decode()
