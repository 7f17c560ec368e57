"""Account pages for citizens and businesses (/tai-khoan/): sign-up, confirmation, claims.

Thin: each page parses its form, calls one action (accounts.actions, accounts.claims) and shows
the action's error next to the field it names. Sending codes and guessing them are rate-limited
per account and per address (motcua.web.ratelimit); a refused request answers 429.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.accounts import actions, claims
from motcua.accounts.backends import PENDING_CONFIRMATION
from motcua.accounts.errors import WrongCodeError
from motcua.accounts.forms import (
    BusinessSignUpForm,
    CitizenSignUpForm,
    CodeForm,
    PageForm,
    ReceiptCodeForm,
)
from motcua.accounts.models import Business, Citizen, User
from motcua.common.errors import InvalidInputError
from motcua.web import ratelimit
from motcua.web.clients import client_address

BACKEND = "motcua.accounts.backends.AccountBackend"
# (requests, window in seconds) for each limited operation.
SIGN_UPS_PER_ADDRESS = (10, 3600)
CODES_SENT_PER_ACCOUNT = (3, 600)
GUESSES_PER_ACCOUNT = (10, 3600)
GUESSES_PER_ADDRESS = (30, 3600)


def _language() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _allowed(request: HttpRequest, form: PageForm, keys: list[tuple[str, tuple[int, int]]]) -> bool:
    """Count one request under each key; on refusal put the wait on the form and say no."""
    for key, (limit, window) in keys:
        verdict = ratelimit.hit(key, limit=limit, window_seconds=window)
        if not verdict.allowed:
            minutes = -(-verdict.retry_after // 60)
            form.throttled = gettext("Too many attempts. Try again in {minutes} min.").format(
                minutes=minutes
            )
            return False
    return True


def _render(
    request: HttpRequest, template: str, context: dict[str, object], form: PageForm
) -> HttpResponse:
    status = 200
    if form.throttled:
        status = 429
    elif form.is_bound and form.errors:
        status = 400
    return render(request, template, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """A citizen's sign-up: then the confirmation page asks for the code sent."""
    return _sign_up(request, CitizenSignUpForm, actions.do_sign_up_citizen, business=False)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up_business(request: HttpRequest) -> HttpResponse:
    """A business's sign-up; the tax code is its login."""
    return _sign_up(request, BusinessSignUpForm, actions.do_sign_up_business, business=True)


def _sign_up(
    request: HttpRequest,
    form_class: type[PageForm],
    sign_up_with: Callable[..., Citizen | Business],
    *,
    business: bool,
) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = form_class(request.POST or None)
    # Every attempt counts: "already registered" answers would otherwise test ID numbers.
    limited = [(f"signup-addr:{client_address(request)}", SIGN_UPS_PER_ADDRESS)]
    if request.method == "POST" and _allowed(request, form, limited) and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        try:
            profile = sign_up_with(**data, language=_language())
        except InvalidInputError as error:
            form.show_error(error)
        else:
            return _to_confirmation(request, profile.user_id)
    context = {"form": form, "business": business}
    return _render(request, "accounts/public/sign_up.html", context, form)


def _to_confirmation(request: HttpRequest, user_id: int | None) -> HttpResponseRedirect:
    request.session[PENDING_CONFIRMATION] = user_id
    return redirect("accounts:confirm")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """Enter the code sent at sign-up (or ask for another); a right code signs the person in.

    Which account is in the session: put there by the sign-up, or by the sign-in page after the
    right password. Without it, the page sends the visitor to sign in first.
    """
    user_id = request.session.get(PENDING_CONFIRMATION)
    user = User.objects.filter(pk=user_id, awaiting_confirmation=True).first() if user_id else None
    if user is None:
        return redirect("web:login")
    checking = request.method == "POST" and request.POST.get("action") != "resend"
    form = CodeForm(request.POST if checking else None)
    context = {"form": form, "channel": _channel_of(user)}
    if request.method == "POST":
        if request.POST.get("action") == "resend":
            keys = [(f"otp-send:{user.pk}", CODES_SENT_PER_ACCOUNT)]
            if _allowed(request, form, keys):
                actions.do_resend_confirmation_code(user, language=_language())
                messages.success(request, gettext("A new code is on its way."))
                return redirect("accounts:confirm")
        elif form.is_valid():
            keys = [
                (f"otp-try:{user.pk}", GUESSES_PER_ACCOUNT),
                (f"otp-try-addr:{client_address(request)}", GUESSES_PER_ADDRESS),
            ]
            if _allowed(request, form, keys):
                try:
                    actions.do_confirm_contact(user, form.cleaned_data["code"])
                except WrongCodeError as error:
                    form.show_error(error)
                else:
                    request.session.pop(PENDING_CONFIRMATION, None)
                    login(request, user, backend=BACKEND)
                    messages.success(request, gettext("Your account is confirmed. Welcome!"))
                    if claims.claimable_for(user) is not None:
                        return redirect("accounts:claim")
                    return redirect("web:home")
    return _render(request, "accounts/public/confirm.html", context, form)


def _channel_of(user: User) -> str:
    """Where the live code went, for the page's wording: 'sms' or 'email'."""
    latest = user.one_time_codes.order_by("-created_at", "-id").only("channel").first()
    return latest.channel if latest is not None else "sms"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    """Claim the dossiers recorded at the counter for the account's ID number, with a code sent
    to the phone recorded there or the code printed on a receipt (accounts.claims)."""
    user: User = request.user  # type: ignore[assignment]
    claimable = claims.claimable_for(user)
    action = request.POST.get("action", "")
    code_form = CodeForm(request.POST if action == "phone" else None)
    receipt_form = ReceiptCodeForm(request.POST if action == "receipt" else None)
    context = {
        "claimable": claimable,
        "code_form": code_form,
        "receipt_form": receipt_form,
        "code_sent": request.session.get("motcua_claim_code_sent") == user.pk,
    }
    if request.method == "POST" and claimable is not None:
        guesses = [
            (f"claim-try:{user.pk}", GUESSES_PER_ACCOUNT),
            (f"claim-try-addr:{client_address(request)}", GUESSES_PER_ADDRESS),
        ]
        if action == "send" and claimable.can_send_code:
            if _allowed(request, code_form, [(f"claim-send:{user.pk}", CODES_SENT_PER_ACCOUNT)]):
                claims.do_send_claim_code(user, language=_language())
                request.session["motcua_claim_code_sent"] = user.pk
                messages.success(request, gettext("A code is on its way to that phone."))
                return redirect("accounts:claim")
            return _render(request, "accounts/citizen/claim.html", context, code_form)
        form: PageForm = code_form if action == "phone" else receipt_form
        if action in ("phone", "receipt") and form.is_valid() and _allowed(request, form, guesses):
            try:
                moved = claims.do_claim_counter_dossiers(
                    user,
                    phone_code=code_form.cleaned_data.get("code", "") if action == "phone" else "",
                    receipt_code=(
                        receipt_form.cleaned_data.get("receipt_code", "")
                        if action == "receipt"
                        else ""
                    ),
                )
            except WrongCodeError as error:
                form.show_error(
                    error if action == "phone" else WrongCodeError(field="receipt_code")
                )
            else:
                request.session.pop("motcua_claim_code_sent", None)
                messages.success(
                    request,
                    gettext("{count} dossier(s) recorded at the counter are now yours.").format(
                        count=moved
                    ),
                )
                return redirect(reverse("accounts:claim"))
        return _render(request, "accounts/citizen/claim.html", context, form)
    return render(request, "accounts/citizen/claim.html", context)
