"""The account pages' forms: they read the typed text; every rule lives in the actions.

A form only parses (a date, the presence of a required box, the two passwords equal) and shows
the actions' InvalidInputError next to the field it names (`show_error`).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import InvalidInputError


class PageForm(forms.Form):
    """Adds the actions' errors to the field they name (or to the whole form)."""

    # Set by the page when a rate limit refused the request: the message with the wait.
    throttled: str = ""

    def show_error(self, error: InvalidInputError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.reason)


def _text(label: str, *, required: bool = True, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.TextInput(attrs=attrs), strip=True
    )


def _password(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class _PasswordsMixin(PageForm):
    password = _password(_("Password"), "new-password")
    password_again = _password(_("Password again"), "new-password")

    def clean(self) -> dict[str, object]:
        data = super().clean()
        first, second = data.get("password"), data.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


class CitizenSignUpForm(_PasswordsMixin):
    personal_id = _text(
        _("Personal ID number (12 digits)"),
        inputmode="numeric",
        autocomplete="off",
        maxlength="20",
    )
    full_name = _text(_("Full name"), autocomplete="name", maxlength="150")
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    phone = _text(
        _("Mobile phone"), required=False, inputmode="tel", autocomplete="tel", maxlength="20"
    )
    email = _text(_("Email"), required=False, autocomplete="email", maxlength="254")

    field_order = [
        "personal_id",
        "full_name",
        "date_of_birth",
        "phone",
        "email",
        "password",
        "password_again",
    ]


class BusinessSignUpForm(_PasswordsMixin):
    tax_code = _text(_("Tax code"), inputmode="numeric", autocomplete="off", maxlength="20")
    name = _text(_("Registered name"), autocomplete="organization", maxlength="255")
    representative_personal_id = _text(
        _("Legal representative's personal ID number"),
        inputmode="numeric",
        autocomplete="off",
        maxlength="20",
    )
    phone = _text(
        _("Mobile phone"), required=False, inputmode="tel", autocomplete="tel", maxlength="20"
    )
    email = _text(_("Email"), required=False, autocomplete="email", maxlength="254")

    field_order = [
        "tax_code",
        "name",
        "representative_personal_id",
        "phone",
        "email",
        "password",
        "password_again",
    ]


class CodeForm(PageForm):
    code = _text(
        _("Code"), inputmode="numeric", autocomplete="one-time-code", maxlength="12", size="10"
    )


class ReceiptCodeForm(PageForm):
    receipt_code = _text(
        _("Code printed on the receipt"), autocomplete="off", maxlength="12", size="12"
    )
