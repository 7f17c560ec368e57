from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.accounts.backends import (
    LOGIN_RETRY_AFTER,
    LOGIN_UNCONFIRMED,
    TooManyLoginFailuresError,
)


class SignInForm(AuthenticationForm):
    """Django's sign-in form with our wording: one message that does not tell which field was
    wrong, so the form cannot be used to find out which usernames exist."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is incorrect. Both are case-sensitive; please check "
            "and try again."
        ),
        "inactive": _("This account has been disabled. Please contact the administrator."),
        "unconfirmed": _(
            "Your account is not confirmed yet: enter the code we sent to your phone or email."
        ),
    }

    # Seconds to wait when the login throttle refused the attempt (the view answers 429).
    retry_after: int | None = None
    # The account whose password was right but which awaits its confirmation code.
    unconfirmed_user_id: int | None = None

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or personal ID number")
        self.fields["password"].label = _("Password")

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            unconfirmed = getattr(self.request, LOGIN_UNCONFIRMED, None)
            if unconfirmed is not None:
                self.unconfirmed_user_id = unconfirmed
                raise ValidationError(
                    self.error_messages["unconfirmed"], code="unconfirmed"
                ) from None
            # The backend refused without checking the password: say so, with the wait.
            retry_after = getattr(self.request, LOGIN_RETRY_AFTER, None)
            if retry_after is None:
                raise
            self.retry_after = retry_after
            raise ValidationError(
                TooManyLoginFailuresError(retry_after).msg, code="throttled"
            ) from None
