"""Vietnamese first on pages, whatever the browser says; API clients choose by header."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_vietnamese_pages(client: Client) -> None:
    html = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert '<html lang="vi">' in html.decode()


def test_the_chosen_language_is_remembered_by_its_cookie(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get(reverse("web:home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # unsupported: back to the default
    assert '<html lang="vi">' in client.get(reverse("web:home")).content.decode()


def test_api_errors_follow_accept_language(client: Client) -> None:
    english = client.get("/api/v1/units/99999", HTTP_ACCEPT_LANGUAGE="en").json()["msg"]
    vietnamese = client.get("/api/v1/units/99999", HTTP_ACCEPT_LANGUAGE="vi").json()["msg"]
    assert english.startswith("No ")
    assert vietnamese != english
