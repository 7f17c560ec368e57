"""The queue's pages: the ticket tablet, the display board and its JSON, the counter screen.

Parse, check, call an action or a query, render (STYLE §1). The tablet and the board are
public (a tablet at the door and a TV on the wall have nobody signed in); calling numbers is for
the centre's receiving officers. Every page works without JavaScript: the board reloads itself
with a meta refresh, and with JavaScript asks `bang.json` instead.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.actions import clean_phone
from motcua.accounts.models import User
from motcua.accounts.viewer import viewer_of
from motcua.catalog.models import ProcedureField
from motcua.centres import actions, queries, tasks
from motcua.centres.access import access_centre_for_receiver, access_counter_for_receiver
from motcua.centres.errors import (
    CentreNotFoundError,
    CounterNotFoundError,
    NotAReceiverHereError,
    TicketNotCurrentError,
    TooManyTicketsError,
)
from motcua.centres.models import TicketStatus
from motcua.common.errors import InvalidInputError
from motcua.units.models import Agency, Counter
from motcua.web import ratelimit
from motcua.web.clients import client_address

# The field buttons shown first on the tablet; the rest are one tap away under "other fields".
FIRST_FIELDS = 12
# The value of the button for "no particular field" (collecting a result, a question).
OTHER = "khac"
# Seconds between two refreshes of the board without JavaScript, and between two polls with it.
BOARD_REFRESH_SECONDS = 15
BOARD_POLL_SECONDS = 4


def _centre(code: str) -> Agency:
    try:
        return queries.get_centre(code)
    except CentreNotFoundError:
        raise Http404(code) from None


# The ticket tablet


class TicketForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Phone number, to get the number by SMS (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    field = forms.ChoiceField(label=gettext_lazy("Field"))

    def __init__(self, *args: Any, fields: list[ProcedureField], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.procedure_fields = {str(f.id): f for f in fields}
        self.fields["field"].choices = [(OTHER, ""), *((k, "") for k in self.procedure_fields)]
        self.fields["field"].error_messages["invalid_choice"] = gettext_lazy(
            "Choose one of the fields shown."
        )
        self.fields["field"].error_messages["required"] = gettext_lazy(
            "Choose one of the fields shown."
        )

    def clean_phone(self) -> str:
        try:
            return clean_phone(self.cleaned_data["phone"])
        except InvalidInputError as error:
            raise forms.ValidationError(error.reason) from None

    def chosen_field(self) -> ProcedureField | None:
        return self.procedure_fields.get(self.cleaned_data["field"])


def _take_page(
    request: HttpRequest,
    centre: Agency,
    form: TicketForm,
    fields: list[ProcedureField],
    *,
    status: int = 200,
    refused: str = "",
) -> HttpResponse:
    return render(
        request,
        "centres/public/take.html",
        {
            "centre": centre,
            "form": form,
            "first_fields": fields[:FIRST_FIELDS],
            "more_fields": fields[FIRST_FIELDS:],
            "other": OTHER,
            "refused": refused,
        },
        status=status,
    )


def _check_ticket_rate(request: HttpRequest) -> None:
    verdict = ratelimit.hit(
        f"queue-ticket:{client_address(request)}",
        limit=settings.MOTCUA_QUEUE_TICKETS_PER_ADDRESS,
        window_seconds=settings.MOTCUA_QUEUE_WINDOW_SECONDS,
    )
    if not verdict.allowed:
        raise TooManyTicketsError(verdict.retry_after)


def _sms_allowed(phone: str) -> bool:
    """A few messages per number and hour: the tablet must not become a way to flood a phone."""
    return ratelimit.hit(
        f"queue-sms:{phone}",
        limit=settings.MOTCUA_QUEUE_SMS_PER_PHONE,
        window_seconds=settings.MOTCUA_QUEUE_SMS_WINDOW_SECONDS,
    ).allowed


@require_http_methods(["GET", "HEAD", "POST"])
def take(request: HttpRequest, code: str) -> HttpResponse:
    """Pick a field, get a number; the number shows large on the next page, ready to print."""
    centre = _centre(code)
    fields = queries.list_centre_fields(centre)
    if request.method != "POST":
        return _take_page(request, centre, TicketForm(fields=fields), fields)
    try:
        _check_ticket_rate(request)
    except TooManyTicketsError as error:
        response = _take_page(
            request,
            centre,
            TicketForm(request.POST, fields=fields),
            fields,
            status=429,
            refused=error.msg,
        )
        response["Retry-After"] = str(error.retry_after)
        return response
    form = TicketForm(request.POST, fields=fields)
    if not form.is_valid():
        return _take_page(request, centre, form, fields, status=400)
    phone = form.cleaned_data["phone"]
    if phone and not _sms_allowed(phone):
        form.add_error(
            "phone",
            gettext("Too many messages to this number in the last hour; leave it empty."),
        )
        return _take_page(request, centre, form, fields, status=429)
    ticket = actions.do_issue_ticket(
        centre,
        field=form.chosen_field(),
        phone=phone,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if phone:
        tasks.send_ticket_sms.enqueue(ticket.id)
    return redirect("centres:ticket", code=centre.code, ticket_id=ticket.id)


@require_safe
def ticket(request: HttpRequest, code: str, ticket_id: int) -> HttpResponse:
    """The number, large and printable; never the phone number it was sent to."""
    centre = _centre(code)
    found = queries.get_ticket_of_centre(centre, ticket_id)
    if found is None:
        raise Http404(str(ticket_id))
    waiting = found.status == TicketStatus.WAITING
    return render(
        request,
        "centres/public/ticket.html",
        {
            "centre": centre,
            "ticket": found,
            "ahead": queries.count_ahead(found) if waiting else None,
            "sms_requested": bool(found.phone),
        },
    )


# The display board


@require_safe
@never_cache
def board(request: HttpRequest, code: str) -> HttpResponse:
    centre = _centre(code)
    return render(
        request,
        "centres/public/board.html",
        {
            "centre": centre,
            "board": queries.get_board(centre, now=timezone.now()),
            "refresh_seconds": BOARD_REFRESH_SECONDS,
            "poll_seconds": BOARD_POLL_SECONDS,
        },
    )


@require_safe
@never_cache
def board_json(request: HttpRequest, code: str) -> JsonResponse:
    """What the board shows, for its script: a few indexed reads, no session needed."""
    try:
        centre = queries.get_centre(code)
    except CentreNotFoundError as error:
        return JsonResponse(error.to_dict(), status=error.http_status)
    return JsonResponse(queries.get_board(centre, now=timezone.now()).as_json())


# The counter screen


def _refused(request: HttpRequest, error: NotAReceiverHereError) -> HttpResponse:
    return render(request, "centres/office/forbidden.html", {"message": error.msg}, status=403)


@require_safe
@login_required
def counters(request: HttpRequest, code: str) -> HttpResponse:
    """Which counter am I at? The receiver picks it once; the counter's page is bookmarkable."""
    centre = _centre(code)
    try:
        access_centre_for_receiver(viewer_of(request), centre)
    except NotAReceiverHereError as error:
        return _refused(request, error)
    return render(
        request,
        "centres/office/counters.html",
        {"centre": centre, "counters": queries.list_counters(centre)},
    )


class CallForm(forms.Form):
    only = forms.ChoiceField(label=gettext_lazy("Call from"), required=False)

    def __init__(self, *args: Any, waiting: list[queries.WaitingField], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", gettext("Any field"))]
        for row in waiting:
            name = row.name or gettext("Other matters")
            key = OTHER if row.field_id is None else str(row.field_id)
            label = gettext("{field} ({count} waiting)").format(field=name, count=row.waiting)
            choices.append((key, label))
        self.fields["only"].choices = choices

    def only_field(self) -> actions.OnlyField | None:
        value = self.cleaned_data.get("only") or ""
        if not value:
            return None
        return actions.OnlyField(None if value == OTHER else int(value))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def counter(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The counter's current ticket with recall / no-show / done, and "call the next number"."""
    centre = _centre(code)
    try:
        desk = access_counter_for_receiver(viewer_of(request), centre, number)
    except NotAReceiverHereError as error:
        return _refused(request, error)
    except CounterNotFoundError:
        raise Http404(str(number)) from None
    now = timezone.now()
    waiting = queries.count_waiting_by_field(centre, now=now)
    if request.method == "POST":
        return _counter_post(request, centre, desk, waiting)
    return render(
        request,
        "centres/office/counter.html",
        {
            "centre": centre,
            "counter": desk,
            "current": queries.get_current_ticket(desk),
            "form": CallForm(waiting=waiting, initial={"only": request.GET.get("only", "")}),
            "waiting": sum(row.waiting for row in waiting),
        },
    )


def _counter_post(
    request: HttpRequest, centre: Agency, desk: Counter, waiting: list[queries.WaitingField]
) -> HttpResponse:
    action = request.POST.get("action", "")
    user = cast(User, request.user)  # signed in: login_required
    back = redirect("centres:counter", code=centre.code, number=desk.number)
    if action == "call":
        form = CallForm(request.POST, waiting=waiting)
        # A field whose last ticket was just called is no longer a choice: call from any.
        only = form.only_field() if form.is_valid() else None
        called = actions.do_call_next_ticket(desk, acting_user=user, only=only)
        if called is None:
            messages.info(request, gettext("Nobody is waiting."))
        else:
            messages.success(
                request, gettext("Number {ticket} called.").format(ticket=called.label)
            )
        if form.is_valid() and form.cleaned_data.get("only"):
            back["Location"] += f"?only={form.cleaned_data['only']}"
        return back
    try:
        ticket_id = int(request.POST.get("ticket", ""))
    except ValueError:
        messages.error(request, gettext("That button is not known here. Nothing was changed."))
        return back
    try:
        if action == "recall":
            ticket = actions.do_recall_ticket(desk, ticket_id, acting_user=user)
            text = gettext("Number {ticket} called again.")
            messages.success(request, text.format(ticket=ticket.label))
        elif action in (TicketStatus.DONE, TicketStatus.NO_SHOW):
            ticket = actions.do_close_ticket(
                desk, ticket_id, TicketStatus(action), acting_user=user
            )
            text = (
                gettext("Number {ticket} served.")
                if action == TicketStatus.DONE
                else gettext("Number {ticket} marked as not present.")
            )
            messages.success(request, text.format(ticket=ticket.label))
        else:
            messages.error(request, gettext("That button is not known here. Nothing was changed."))
    except TicketNotCurrentError as error:
        messages.error(request, error.msg)
    return back
