"""API bearer tokens: issued against a password, stored only as a hash, valid for a while.

A token is bound to the password it was issued under, the way Django binds a session: it keeps
the user's session hash (an HMAC of the password hash keyed by the secret key) from the moment
of issue, and the bearer check compares it with the user's current one, read in the same query
as the token. So a password change by any path (the accounts actions, the admin's
`set_password`, `manage.py changepassword`, even a raw UPDATE) ends every token at once, with
no extra statement per request and nothing to forget. Deactivating an account deletes its tokens
(and the check refuses an inactive user anyway); `do_revoke_tokens` ends one token (logout) or
all of a user's. Rotating the secret key ends them too, unless the old key stays in
SECRET_KEY_FALLBACKS for a while (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from django.contrib.auth import authenticate
from django.db import models
from django.db.models import signals
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from motcua.common.errors import DomainError
from motcua.common.prepared import PreparedRead

logger = logging.getLogger(__name__)

TOKEN_LIFETIME = dt.timedelta(hours=12)
# Set on the request by BearerToken: the id of the token it was authenticated with (logout).
PRESENTED_TOKEN = "_motcua_token_id"  # noqa: S105  (an attribute name, not a secret)


class ApiToken(models.Model):
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    # The user's session hash when the token was issued: it no longer matches once the
    # password changes (see the module's docstring). Empty for tokens older than the binding,
    # which therefore no longer work.
    auth_hash = models.CharField(max_length=128, blank=True)
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


def _bound_to_current_password(token: ApiToken) -> bool:
    """The token's session hash is the user's current one (or one under a fallback key)."""
    user = token.user
    if not token.auth_hash:
        return False
    if constant_time_compare(token.auth_hash, user.get_session_auth_hash()):
        return True
    return any(
        constant_time_compare(token.auth_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    )


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
    ApiToken.objects.create(
        user=user, key_hash=_hash(key), auth_hash=user.get_session_auth_hash(), expires_at=expires
    )
    return key, expires


def do_revoke_tokens(user: Any, *, token_id: int | None = None) -> int:
    """End the token `token_id` of `user` (a logout), or all of the user's tokens.

    Deletes ApiToken rows (one statement, no lock: a concurrent revoke finds nothing more) and
    logs a line with ids. Returns how many were deleted.
    """
    tokens = ApiToken.objects.filter(user_id=user.id)
    if token_id is not None:
        tokens = tokens.filter(id=token_id)
    deleted, _by_model = tokens.delete()
    logger.info(
        "Revoked %s API token(s) of user %s",
        deleted,
        user.id,
        extra={"user_id": user.id, "all_tokens": token_id is None},
    )
    return deleted


# The token with its user and, for an official, the official's row (the roles' stamp,
# accounts.viewer): read on every API request, so compiled once per connection. Nothing about
# the token is kept between requests: a revoked token, a new password or a deactivated account
# takes effect at the next request.
_read_token = PreparedRead(
    lambda key_hash: (
        ApiToken.objects.filter(key_hash=key_hash)
        .select_related("user", "user__official")
        .order_by()
    )
)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        found = next(iter(_read_token(_hash(token))), None)
        if (
            found is None
            or found.expires_at <= timezone.now()
            or not found.user.is_active
            or not _bound_to_current_password(found)
        ):
            return None
        from motcua.accounts.viewer import LOGIN_READ_OFFICIAL  # noqa: PLC0415  (models → here)

        setattr(found.user, LOGIN_READ_OFFICIAL, True)
        setattr(request, PRESENTED_TOKEN, found.id)
        request.user = found.user
        return found.user


def _end_tokens_of_changed_user(sender: type, instance: Any, **kwargs: Any) -> None:
    """A deactivated account loses its tokens for good (reactivating it brings none back); a
    new password (set_password then save, as every path does) deletes the tokens it already
    made useless, so none lingers in the table."""
    password_changed = getattr(instance, "_password", None) is not None
    if instance.pk is None or kwargs.get("created"):
        return
    if not instance.is_active or password_changed:
        ApiToken.objects.filter(user_id=instance.pk).delete()


signals.post_save.connect(
    _end_tokens_of_changed_user, sender="accounts.User", dispatch_uid="tokens-end-on-change"
)
