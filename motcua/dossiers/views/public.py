"""Public tracking in HTML (/tra-cuu/): anyone with a dossier's code and the last four digits of
its applicant's ID number or tax code sees its status, current step, due date and timeliness.

The same matching and the same per-address limit as the API (`dossiers.tracking`), so the page
is no easier to enumerate than the API. The four digits travel in a POST body, never in a URL
(addresses end up in logs, browser history and Referer headers). A wrong code and wrong digits
get the same message; nothing personal (name, ID number, address, documents) is ever shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from motcua.dossiers import queries
from motcua.dossiers.clock import ClockState
from motcua.dossiers.errors import DossierNotFoundError
from motcua.dossiers.labels import CLOCK_LABELS, OUTCOME_LABELS, STAGE_LABELS
from motcua.dossiers.models import Dossier, Outcome
from motcua.dossiers.tracking import (
    TooManyRequestsError,
    check_tracking_rate,
    find_tracked_dossier,
    public_facts,
)
from motcua.dossiers.workflow import Stage

CODE_MAX_LENGTH = 60  # Dossier.code
NOT_FOUND = gettext_lazy(
    "No dossier matches this code and these digits. Check the code on your receipt and the last "
    "4 digits of the applicant's ID number or tax code."
)


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SuffixForm(_Form):
    """The four digits alone: what the slip's QR code page asks."""

    last4 = forms.RegexField(
        label=gettext_lazy("Last 4 digits of the applicant's ID number or tax code"),
        regex=r"^[0-9]{4}$",
        max_length=4,
        strip=True,
        error_messages={
            "required": gettext_lazy("Enter the last 4 digits."),
            "invalid": gettext_lazy("Enter exactly 4 digits, for example 1234."),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": "[0-9]{4}",
                "size": 6,
                "aria-describedby": "last4-hint",
            }
        ),
    )


class LookupForm(SuffixForm):
    """The code and the four digits: the /tra-cuu/ page."""

    code = forms.CharField(
        label=gettext_lazy("Dossier code"),
        max_length=CODE_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": gettext_lazy("Enter the dossier code printed on your receipt."),
            "max_length": gettext_lazy("A dossier code is at most 60 characters long."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "aria-describedby": "code-hint"}
        ),
    )
    field_order = ["code", "last4"]


@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """/tra-cuu/: the code and the four digits."""
    form = LookupForm(request.POST if request.method == "POST" else None)
    return _answer(request, form)


@require_http_methods(["GET", "HEAD", "POST"])
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    """/tra-cuu/<code>: what the QR code on every slip opens; asks only for the four digits."""
    form = SuffixForm(request.POST if request.method == "POST" else None)
    return _answer(request, form, code=code[:CODE_MAX_LENGTH])


def _answer(request: HttpRequest, form: SuffixForm, *, code: str | None = None) -> HttpResponse:
    """The form again (with its error), the 429 page, or the dossier's public facts. The limit
    counts only look-ups that reach the database, as the API's does."""
    context: dict[str, Any] = {"form": form, "code": code}
    if not form.is_bound or not form.is_valid():
        return render(request, "dossiers/public/lookup.html", context)
    try:
        check_tracking_rate(request)
    except TooManyRequestsError as refusal:
        minutes = max(1, -(-refusal.retry_after // 60))
        context["wait"] = ngettext(
            "You can try again in %(minutes)d minute.",
            "You can try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = render(request, "dossiers/public/too_many.html", context, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    try:
        found = find_tracked_dossier(code or form.cleaned_data["code"], form.cleaned_data["last4"])
    except DossierNotFoundError:
        form.add_error(None, NOT_FOUND)
        return render(request, "dossiers/public/lookup.html", context)
    facts = public_facts(found)
    context.update(facts=facts, current=_current_step(found, facts), timeliness=_timeliness(found))
    return render(request, "dossiers/public/status.html", context)


def _current_step(dossier: Dossier, facts: dict[str, Any]) -> dict[str, str]:
    """The open step and its agency; between steps (before acceptance, while the applicant
    supplements or pays, once finished) the stage the dossier is at."""
    open_steps = [s for s in facts["steps"] if s["finished_at"] is None]
    if open_steps:
        return {"label": open_steps[-1]["kind_label"], "agency": open_steps[-1]["agency"]}
    return {"label": str(STAGE_LABELS[Stage(dossier.stage)]), "agency": ""}


def _timeliness(dossier: Dossier) -> tuple[str, str] | None:
    """Early / on time / late once finished, else the engine's clock (in time, at risk,
    overdue, paused); None before the clock starts. A (code, label) pair."""
    if dossier.outcome:
        return dossier.outcome, str(OUTCOME_LABELS[Outcome(dossier.outcome)])
    state = queries.clock_of(dossier, timezone.now())
    return (state, str(CLOCK_LABELS[ClockState(state)])) if state else None
