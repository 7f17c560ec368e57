"""The home page and the language switch, through the Django test client."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_home_is_in_vietnamese_by_default(client: Client) -> None:
    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "MotCua — Cổng dịch vụ công một cửa" in html
    assert "Tra cứu thủ tục" in html
    assert "Theo dõi hồ sơ" in html
    assert "Chuyển đến nội dung chính" in html  # the skip link


def test_home_says_what_the_service_offers_and_links_to_sign_in(client: Client) -> None:
    html = client.get(reverse("web:home")).content.decode()

    for text in ("Nộp hồ sơ", "Nhận kết quả", "Dành cho cán bộ, công chức", "Thời gian tiếp nhận"):
        assert text in html
    assert f'href="{reverse("web:login")}"' in html


def test_pages_load_nothing_from_other_sites(client: Client) -> None:
    html = client.get(reverse("web:home")).content.decode()

    assert "http://" not in html
    assert "https://" not in html
    assert 'href="/static/web/motcua.css"' in html


def test_language_switch_is_a_plain_form_posting_to_set_language(client: Client) -> None:
    html = client.get(reverse("web:home")).content.decode()

    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<input type="hidden" name="next" value="/">' in html
    assert 'name="language" value="en" lang="en" aria-pressed="false">English</button>' in html
    assert 'name="language" value="vi" lang="vi" aria-pressed="true">Tiếng Việt</button>' in html


def test_switching_to_english_and_back(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "MotCua — One-stop public services" in html
    assert "Look up procedures" in html
    assert "Tra cứu thủ tục" not in html

    # The choice is remembered on the next visit, and can be undone the same way.
    assert '<html lang="en">' in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/"}, follow=True)
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize("path", ["/static/web/motcua.css", "/static/web/favicon.svg"])
def test_static_assets_are_served(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content)
