"""API tokens end with the password they were issued under, with the account's deactivation, and
on logout (one token, or all of them); whichever path changed the password."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from motcua.accounts.actions import do_register_citizen, do_set_password
from motcua.accounts.models import Citizen, User
from motcua.accounts.tokens import ApiToken

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-đủ-dài-2026"
NEW_PASSWORD = "mật-khẩu-mới-hơn-2027"
ID_NUMBER = "008199001234"


@pytest.fixture
def hoa() -> Citizen:
    return do_register_citizen(
        username="hoa", password=PASSWORD, full_name="Nguyễn Thị Hoà", personal_id=ID_NUMBER
    )


def token(login: str = "hoa", password: str = PASSWORD) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        {"login": login, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def works(key: str) -> bool:
    status = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/dossiers").status_code
    assert status in (200, 401)
    return status == 200


def logout(key: str, query: str = "") -> Any:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}").delete(f"/api/v1/auth/token{query}")


def test_a_password_changed_by_the_accounts_action_ends_every_token(hoa: Citizen) -> None:
    first, second = token(), token(ID_NUMBER)
    assert works(first) and works(second)
    do_set_password(hoa.user, NEW_PASSWORD, acting_user=None)
    assert not works(first) and not works(second)
    # The ended tokens are gone from the table; a login with the new password works.
    assert not ApiToken.objects.exists()
    assert works(token(password=NEW_PASSWORD))


def test_a_password_set_in_the_admin_ends_the_tokens(hoa: Citizen, admin_client: Client) -> None:
    key = token()
    response = admin_client.post(
        f"/admin/accounts/user/{hoa.user_id}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content
    assert not works(key)


def test_a_password_changed_behind_the_actions_back_ends_the_tokens_too(hoa: Citizen) -> None:
    # Django's set_password and save (manage.py changepassword, a script) ...
    key = token()
    user = User.objects.get(id=hoa.user_id)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not works(key)
    # ... and even a raw UPDATE, which no signal sees: the token is bound to the password hash.
    key = token(password=NEW_PASSWORD)
    User.objects.filter(id=hoa.user_id).update(password=make_password(PASSWORD))
    assert ApiToken.objects.filter(user_id=hoa.user_id).exists()
    assert not works(key)


def test_a_deactivated_account_loses_its_tokens_for_good(hoa: Citizen) -> None:
    key = token()
    user = User.objects.get(id=hoa.user_id)
    user.is_active = False
    user.save()
    assert not ApiToken.objects.exists()
    user.is_active = True
    user.save()
    # Reactivating brings no old token back.
    assert not works(key)


def test_logout_ends_the_token_presented_or_all_of_them(hoa: Citizen) -> None:
    phone, laptop, tablet = token(), token(), token()
    response = logout(phone)
    assert (response.status_code, response.json()) == (200, {"revoked": 1})
    assert not works(phone)
    assert works(laptop) and works(tablet)
    # Logging out twice: the token is no longer a login.
    assert logout(phone).status_code == 401
    response = logout(laptop, "?all=true")
    assert (response.status_code, response.json()) == (200, {"revoked": 2})
    assert not works(laptop) and not works(tablet)


def test_a_session_ends_all_tokens_or_is_told_how(hoa: Citizen) -> None:
    key = token()
    session = Client(HTTP_ACCEPT_LANGUAGE="en")
    session.force_login(hoa.user)
    refused = session.delete("/api/v1/auth/token")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "all"
    assert works(key)
    assert session.delete("/api/v1/auth/token?all=true").json() == {"revoked": 1}
    assert not works(key)
    # Another user's tokens are not touched by anyone's logout.
    assert Client().delete("/api/v1/auth/token?all=true").status_code == 401


def test_tokens_survive_a_secret_key_rotation_only_while_the_old_key_is_a_fallback(
    hoa: Citizen, settings: Settings
) -> None:
    key = token()
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-of-enough-length-for-the-test-0123456789"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert works(key)
    settings.SECRET_KEY_FALLBACKS = []
    assert not works(key)


def test_a_token_works_until_it_expires_and_not_a_moment_after(hoa: Citizen) -> None:
    # The token's read is compiled once per connection (common.prepared): its expiry is still
    # checked against the moment of each request.
    key = token()
    assert works(key)
    ApiToken.objects.filter(user=hoa.user).update(expires_at=timezone.now() - dt.timedelta(1))
    assert not works(key)
    ApiToken.objects.filter(user=hoa.user).update(expires_at=timezone.now() + dt.timedelta(1))
    assert works(key)
