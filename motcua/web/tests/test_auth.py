"""Signing in and out with Django's auth views in our layout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Quầy-một-cửa-2026"
BAD_LOGIN_VI = "Tên đăng nhập hoặc mật khẩu không đúng."
BAD_LOGIN_EN = "The username or password is incorrect."


@pytest.fixture
def official() -> AbstractBaseUser:
    return get_user_model().objects.create_user(
        username="canbo.lan", password=PASSWORD, first_name="Lan", last_name="Nguyễn Thị"
    )


@pytest.fixture
def csrf_client() -> Client:
    """A client that checks CSRF tokens the way a browser request is checked."""
    return Client(enforce_csrf_checks=True)


def _csrf_token(client: Client) -> str:
    client.get(reverse("web:home"))  # every page has a form (the language switch)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_login_page_is_in_the_layout_and_in_vietnamese(client: Client) -> None:
    response = client.get(reverse("web:login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Đăng nhập</h1>" in html
    assert '<label for="id_username">Tên đăng nhập hoặc số định danh cá nhân</label>' in html
    assert '<label for="id_password">Mật khẩu</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_sign_in_then_the_header_shows_the_name(
    csrf_client: Client, official: AbstractBaseUser
) -> None:
    token = _csrf_token(csrf_client)

    response = csrf_client.post(
        reverse("web:login"),
        {"username": "canbo.lan", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert csrf_client.session["_auth_user_id"] == str(official.pk)
    html = csrf_client.get(reverse("web:home")).content.decode()
    assert f"Đang đăng nhập: <strong>{official.get_full_name()}</strong>" in html
    assert "Đăng xuất" in html


def test_header_falls_back_to_the_username_without_a_full_name(client: Client) -> None:
    user = get_user_model().objects.create_user(username="tiepnhan01", password=PASSWORD)
    client.force_login(user)

    html = client.get(reverse("web:home")).content.decode()

    assert "Đang đăng nhập: <strong>tiepnhan01</strong>" in html


def test_wrong_password_shows_a_translated_error_and_no_session(
    csrf_client: Client, official: AbstractBaseUser
) -> None:
    token = _csrf_token(csrf_client)

    response = csrf_client.post(
        reverse("web:login"),
        {"username": "canbo.lan", "password": "not-the-password", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert BAD_LOGIN_VI in html
    assert "_auth_user_id" not in csrf_client.session
    assert "Đang đăng nhập" not in html


def test_the_error_follows_the_chosen_language(client: Client, official: AbstractBaseUser) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("web:login"), {"username": "canbo.lan", "password": "nope"})

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert BAD_LOGIN_EN in html
    assert BAD_LOGIN_VI not in html


def test_empty_fields_are_reported_per_field(client: Client) -> None:
    response = client.post(reverse("web:login"), {"username": "", "password": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert 'id="id_username_error"' in html
    assert "Vui lòng sửa các trường được đánh dấu bên dưới." in html


def test_sign_in_without_csrf_token_is_refused(
    csrf_client: Client, official: AbstractBaseUser
) -> None:
    response = csrf_client.post(
        reverse("web:login"), {"username": "canbo.lan", "password": PASSWORD}
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


def test_sign_in_does_not_redirect_to_another_site(
    client: Client, official: AbstractBaseUser
) -> None:
    response = client.post(
        reverse("web:login") + "?next=https://example.com/",
        {"username": "canbo.lan", "password": PASSWORD, "next": "https://example.com/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_sign_out_by_post(csrf_client: Client, official: AbstractBaseUser) -> None:
    csrf_client.force_login(official)
    token = _csrf_token(csrf_client)

    response = csrf_client.post(reverse("web:logout"), {"csrfmiddlewaretoken": token}, follow=True)

    assert response.redirect_chain == [(reverse("web:home"), 302)]
    assert "_auth_user_id" not in csrf_client.session
    html = response.content.decode()
    assert "Bạn đã đăng xuất." in html
    assert "Đang đăng nhập" not in html


def test_sign_out_by_get_is_refused(client: Client, official: AbstractBaseUser) -> None:
    client.force_login(official)

    response = client.get(reverse("web:logout"))

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(official.pk)
