"""The officials' back office in HTML: the inbox and the written apologies for late dossiers.

Plain pages that work without JavaScript. Anonymous visitors are sent to the sign-in page;
signed-in citizens and businesses get a 403 page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from motcua.accounts.models import Role
from motcua.catalog.models import ProcedureField
from motcua.common.errors import DomainError, NotFoundError
from motcua.common.inputs import validate_instant_offset
from motcua.dossiers import apologies, backoffice, queries
from motcua.dossiers.backoffice import Calendars, Viewer
from motcua.dossiers.inbox import (
    InboxFilters,
    apply_filters,
    find_tab,
    ids_by_due_time,
    inbox_tabs,
    load_page,
    tab_dossiers,
)
from motcua.dossiers.models import Apology, Channel

PAGE_SIZE = queries.PAGE_SIZE
# A search or filter counts its matches up to this many, and lists them (20 pages).
MATCHES_COUNTED = 20 * PAGE_SIZE
LATE_LIST_SIZE = 100
LOCAL_DATETIME = "d/m/Y H:i"
DATETIME_LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/inbox_forbidden.html", status=403)


# The inbox


class InboxFilterForm(forms.Form):
    """The inbox's filters and search box; an unknown or malformed value is ignored, not an
    error (the list simply is not narrowed by it)."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "A dossier code, the applicant's name (accents optional) or their whole ID number."
        ),
    )
    status = forms.TypedChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", gettext_lazy("All statuses")),
            *((s.value, label) for s, label in backoffice.STATUS_LABELS.items()),
        ],
    )
    clock = forms.ChoiceField(
        label=gettext_lazy("Clock"),
        required=False,
        choices=[("", gettext_lazy("Any")), *backoffice.CLOCK_LABELS.items()],
    )
    procedure = forms.RegexField(
        label=gettext_lazy("Procedure code"),
        required=False,
        max_length=20,
        regex=r"^[0-9A-Za-z.\-]+$",
        widget=forms.TextInput(attrs={"placeholder": "1.002153", "inputmode": "decimal"}),
    )
    field = forms.TypedChoiceField(
        label=gettext_lazy("Field"), required=False, coerce=int, empty_value=None
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Submitted via"),
        required=False,
        choices=[("", gettext_lazy("All channels")), *Channel.choices],
    )
    submitted_from = forms.DateField(
        label=gettext_lazy("Submitted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    submitted_to = forms.DateField(
        label=gettext_lazy("Submitted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [  # type: ignore[attr-defined]
            ("", gettext_lazy("All fields")),
            *ProcedureField.objects.values_list("id", "name"),
        ]

    def values(self) -> tuple[InboxFilters, str | None]:
        """The valid part of the query."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = InboxFilters(
            status=data.get("status"),
            procedure=data.get("procedure") or "",
            field_id=data.get("field"),
            channel=data.get("channel") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            q=data.get("q") or "",
        )
        return filters, data.get("clock") or None


@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The inbox: the tabs of each of the official's roles with their counts, the chosen tab's
    dossiers by due time, narrowed by the filters and the search box."""
    viewer = backoffice.viewer_of(request.user)  # type: ignore[arg-type]
    if viewer is None:
        return _forbidden(request)
    form = InboxFilterForm(request.GET)
    filters, clock = form.values()
    now = timezone.now()
    calendars = Calendars()
    groups = inbox_tabs(viewer, now=now, calendars=calendars)
    tab = find_tab(groups, request.GET.get("tab"))
    finished_too = bool(filters.q) or filters.status is not None
    dossiers = apply_filters(tab_dossiers(viewer, tab, finished_too=finished_too), filters)
    if clock:
        dossiers = backoffice.filter_by_clock(dossiers, clock, now=now, calendars=calendars)
    paginator = Paginator(ids_by_due_time(dossiers), PAGE_SIZE)
    beyond = False
    if tab is not None and not (filters.any or clock):
        paginator.count = tab.count  # type: ignore[misc]  (the tab's count is this list's)
    else:
        # A common name ("Hoà") matches tens of thousands of an agency's history: counting them
        # all took 0.9 s at 1 M dossiers (BENCHMARKS.md), counting up to the cap 0.07 s, and
        # nobody pages through more than the cap's 20 pages rather than narrowing the search.
        found = dossiers.order_by()[: MATCHES_COUNTED + 1].count()
        beyond = found > MATCHES_COUNTED
        paginator.count = min(found, MATCHES_COUNTED)  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/inbox.html",
        {
            "form": form,
            "filtered": filters.any or clock is not None,
            "beyond": beyond,
            "groups": groups,
            "tab": tab,
            "read_only": tab is not None and tab.read_only,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": backoffice.inbox_rows(
                load_page(list(page.object_list)), viewer, now=now, calendars=calendars
            ),
        },
    )


# Apologies


class ApproveApologyForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason given to the applicant"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_due = forms.DateTimeField(
        label=gettext_lazy("New date"),
        input_formats=[DATETIME_LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_INPUT),
        # Django also parses ISO 8601 with any offset up to ±23:59, which PostgreSQL refuses.
        validators=[validate_instant_offset],
    )

    def __init__(self, *args: Any, apology: Apology, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"id_%s_{apology.id}")
        kwargs.setdefault(
            "initial",
            {
                "reason": apology.reason,
                "new_due": timezone.localtime(apology.proposed_due_at).replace(
                    second=0, microsecond=0
                ),
            },
        )
        super().__init__(*args, **kwargs)
        self.apology = apology


def _apologies_page(
    request: HttpRequest,
    viewer: Viewer,
    *,
    bound: ApproveApologyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    leading = set(viewer.agency_ids(frozenset({Role.LEADER})))
    drafts = [
        (
            apology,
            (bound if bound is not None and bound.apology.id == apology.id else None)
            or (ApproveApologyForm(apology=apology) if apology.agency_id in leading else None),
        )
        for apology in backoffice.list_draft_apologies(viewer)
    ]
    scope = backoffice.report_scope(viewer)
    report = None
    if scope is not None:
        report = {
            **apologies.apology_rate(scope),
            # "late" is the count (from apology_rate); the rows shown get their own name.
            "late_dossiers": list(apologies.list_late_without_apology(scope)[:LATE_LIST_SIZE]),
        }
    return render(
        request,
        "dossiers/inbox_apologies.html",
        {"drafts": drafts, "report": report},
        status=status,
    )


@require_safe
@login_required
def apology_list(request: HttpRequest) -> HttpResponse:
    viewer = backoffice.viewer_of(request.user)  # type: ignore[arg-type]
    if viewer is None:
        return _forbidden(request)
    return _apologies_page(request, viewer)


@require_POST
@login_required
def apology_approve(request: HttpRequest, apology_id: int) -> HttpResponse:
    viewer = backoffice.viewer_of(request.user)  # type: ignore[arg-type]
    if viewer is None:
        return _forbidden(request)
    try:
        apology = apologies.access_apology(viewer, apology_id)
    except NotFoundError:
        raise Http404(apology_id) from None
    form = ApproveApologyForm(request.POST, apology=apology)
    if not form.is_valid():
        return _apologies_page(request, viewer, bound=form, status=400)
    try:
        approved = apologies.do_approve_apology(
            apology.id,
            acting_user=viewer.user,
            viewer=viewer,
            reason=form.cleaned_data["reason"],
            new_due=form.cleaned_data["new_due"],
        )
    except DomainError as error:
        form.add_error(None, error.msg)
        return _apologies_page(request, viewer, bound=form, status=error.http_status)
    messages.success(
        request,
        gettext("The written apology was sent; new date {date}.").format(
            date=dateformat.format(timezone.localtime(approved.proposed_due_at), LOCAL_DATETIME)
        ),
    )
    return redirect("dossiers:apologies")
