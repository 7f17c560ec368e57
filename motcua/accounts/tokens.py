"""API bearer tokens: issued against a password, stored only as a hash, valid for a while."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from motcua.common.errors import DomainError

TOKEN_LIFETIME = dt.timedelta(hours=12)


class ApiToken(models.Model):
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        app_label = "accounts"
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class LoginFailedError(DomainError):
    code = "LOGIN_FAILED"
    http_status = 401

    @staticmethod
    def msg_format() -> str:
        return gettext("Wrong username, ID number or password.")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def do_issue_token(
    *, login: str, password: str, request: HttpRequest | None = None
) -> tuple[str, dt.datetime]:
    """A new token for a username or a 12-digit personal ID number and the password.

    Writes one ApiToken. Not atomic on purpose: the login's failure is counted by the backend
    (accounts.backends) and must survive the error raised here. The same error for an unknown
    login and a wrong password (LoginFailedError); TooManyLoginFailuresError (429) while the
    account or the address has failed too often (counted and checked by the backend, which
    then checks no password at all).
    """
    from motcua.accounts.backends import raise_if_throttled  # noqa: PLC0415  (backends → here)

    user = authenticate(request, username=login, password=password)
    if user is None or not user.is_active:
        raise_if_throttled(request)
        raise LoginFailedError()
    key = secrets.token_urlsafe(32)
    expires = timezone.now() + TOKEN_LIFETIME
    ApiToken.objects.create(user=user, key_hash=_hash(key), expires_at=expires)
    return key, expires


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        found = (
            ApiToken.objects.filter(key_hash=_hash(token), expires_at__gt=timezone.now())
            # The official's row comes with the login: the roles' stamp (accounts.viewer).
            .select_related("user", "user__official")
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        from motcua.accounts.viewer import LOGIN_READ_OFFICIAL  # noqa: PLC0415  (models → here)

        setattr(found.user, LOGIN_READ_OFFICIAL, True)
        request.user = found.user
        return found.user
