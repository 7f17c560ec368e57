"""Django's password login by username or personal ID number, with equal work whatever the
login names, and failed logins throttled per account and per address.

- **Equal work.** Argon2 costs ~200 ms, so a login that skipped it for an unknown account would
  tell, by its speed, whether an ID number is registered. When nothing matches, the hasher runs
  anyway on the password given (as Django's ModelBackend does for usernames), so both answers
  take as long.
- **Throttle.** Failures are counted in the database (motcua.web.ratelimit, shared by every
  process) per account and per client address, in fixed windows of
  MOTCUA_LOGIN_WINDOW_SECONDS: at most MOTCUA_LOGIN_FAILURES_PER_ACCOUNT for one account and
  MOTCUA_LOGIN_FAILURES_PER_ADDRESS from one address. The counts are read before the password
  is checked and only failures are counted, so a successful login costs nothing. While either
  is spent no password is checked at all (a right one would otherwise still be told apart), and
  the request is marked with the wait (`raise_if_throttled`), which the API answers with 429
  and the sign-in page shows. "Per account" is the account the login names when there is one,
  else the login as typed (keyed by an HMAC, so the table holds no ID number): an unknown login
  is throttled exactly like a known one and the throttle reveals nothing either.
  The failure is counted in its own statement, outside the caller's transaction; call
  `authenticate` outside any `atomic` block that the failure will roll back.
- **Unconfirmed accounts.** An account opened on the sign-up pages waits for the code sent to
  its phone or email (`User.awaiting_confirmation`). With the right password it is still not
  signed in: the request is marked with the account's id (LOGIN_UNCONFIRMED), so the sign-in
  page can say so and offer the confirmation page. A wrong password is answered as always, so
  this reveals nothing to someone without the password.
- **Officials' roles.** `accounts.viewer` needs the official's `roles_stamp` on each request to
  know whether the roles it keeps are current; `get_user` reads it in the session's own user
  query, which saves a statement per page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from motcua.accounts.models import Citizen, User
from motcua.accounts.viewer import LOGIN_READ_OFFICIAL
from motcua.common.errors import DomainError
from motcua.web import ratelimit
from motcua.web.clients import client_address

# Set on the request when a login was refused because of the throttle: seconds to wait.
LOGIN_RETRY_AFTER = "_motcua_login_retry_after"
# Set on the request when the password was right but the account awaits confirmation: its id.
LOGIN_UNCONFIRMED = "_motcua_login_unconfirmed"
# The session key of the account whose confirmation code the confirmation page asks for.
PENDING_CONFIRMATION = "motcua_pending_confirmation"


class TooManyLoginFailuresError(DomainError):
    code = "TOO_MANY_LOGIN_FAILURES"
    http_status = 429
    data_fields = ("retry_after", "minutes")

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds; also sent as the Retry-After header
        self.minutes = -(-retry_after // 60)

    @staticmethod
    def msg_format() -> str:
        return gettext("Too many failed sign-in attempts. Try again in {minutes} min.")

    def extra(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}


def raise_if_throttled(request: HttpRequest | None) -> None:
    """TooManyLoginFailuresError if the backend refused this request's login for the throttle."""
    retry_after = getattr(request, LOGIN_RETRY_AFTER, None)
    if retry_after is not None:
        raise TooManyLoginFailuresError(retry_after)


def is_personal_id(login: str) -> bool:
    return len(login) == 12 and login.isascii() and login.isdigit()


def _throttle_keys(
    login: str, user: User | None, request: HttpRequest | None
) -> list[tuple[str, int]]:
    if user is not None:
        account = f"login-acct:{user.pk}"
    else:
        digest = salted_hmac("motcua.accounts.login-throttle", login.casefold()).hexdigest()
        account = f"login-name:{digest[:40]}"
    keys = [(account, settings.MOTCUA_LOGIN_FAILURES_PER_ACCOUNT)]
    if request is not None:
        address = client_address(request)
        keys.append((f"login-addr:{address}", settings.MOTCUA_LOGIN_FAILURES_PER_ADDRESS))
    return keys


class AccountBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        login = username.strip()
        user = self._find(login)
        window = settings.MOTCUA_LOGIN_WINDOW_SECONDS
        keys = _throttle_keys(login, user, request)
        for key, limit in keys:
            verdict = ratelimit.peek(key, limit=limit, window_seconds=window)
            if not verdict.allowed:
                if request is not None:
                    setattr(request, LOGIN_RETRY_AFTER, verdict.retry_after)
                return None
        if user is None:
            # The hasher's work on a throwaway account: as slow as a wrong password.
            User().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            if not user.awaiting_confirmation:
                return user
            if request is not None:
                setattr(request, LOGIN_UNCONFIRMED, user.pk)
            return None
        for key, limit in keys:
            ratelimit.hit(key, limit=limit, window_seconds=window)
        return None

    def _find(self, login: str) -> User | None:
        """The account a login names: a citizen's by a 12-digit personal ID number, else the
        account with that username."""
        if is_personal_id(login):
            citizen = (
                Citizen.objects.filter(personal_id=login, user__isnull=False)
                .select_related("user")
                .first()
            )
            return citizen.user if citizen else None
        if not login:
            return None
        try:
            return User._default_manager.get_by_natural_key(login)
        except User.DoesNotExist:
            return None

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("official").filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        setattr(user, LOGIN_READ_OFFICIAL, True)
        return user
