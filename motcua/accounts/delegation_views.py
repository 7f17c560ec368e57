"""The delegation page of the back office (/can-bo/uy-quyen/): what a leader lent and received,
lending approving and/or signing for named procedures and a period, and taking it back.

Works without JavaScript: the procedure picker is a search that submits the same form ("Find"),
each result an "Add" button that puts its code in the list, so nothing typed is lost. The rules
are accounts.delegations' (`check_request`, `do_delegate_authority`, `do_revoke_delegation`);
this module parses and renders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from motcua.accounts import delegations
from motcua.accounts.delegations import DelegationRequest
from motcua.accounts.models import DelegatedAction, RoleMembership
from motcua.accounts.viewer import Viewer, viewer_of
from motcua.catalog.models import Procedure
from motcua.catalog.search import ProcedureFilters, search_procedures
from motcua.common.errors import DomainError, NotFoundError
from motcua.common.inputs import validate_instant_offset

DATETIME_LOCAL_INPUT = "%Y-%m-%dT%H:%M"
FOUND_AT_MOST = 8
# The service names its fields after the model; the form after what a person chooses.
FORM_FIELD = {"delegator": "authority", "procedures": "procedure_codes"}
STATE_LABELS = {
    "in_force": gettext_lazy("In force"),
    "upcoming": gettext_lazy("Not started yet"),
    "ended": gettext_lazy("Ended"),
    "revoked": gettext_lazy("Revoked"),
}


def _moment_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_INPUT),
        validators=[validate_instant_offset],
    )


class DelegationForm(forms.Form):
    authority = forms.TypedChoiceField(label=gettext_lazy("Authority of"), coerce=int)
    delegate = forms.TypedChoiceField(label=gettext_lazy("Delegate"), coerce=int)
    actions = forms.MultipleChoiceField(
        label=gettext_lazy("Actions lent"),
        choices=DelegatedAction.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the rule (and its message) is the service's
    )
    procedure_codes = forms.CharField(
        label=gettext_lazy("Procedures (national codes)"),
        help_text=gettext_lazy("Separate codes with commas or spaces, e.g. 1.002153."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    q = forms.CharField(
        label=gettext_lazy("Find a procedure by name or code"), required=False, max_length=200
    )
    valid_from = _moment_field(gettext_lazy("From"))
    valid_until = _moment_field(gettext_lazy("Until"))
    reason = forms.CharField(
        label=gettext_lazy("Reason or written decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=delegations.REASON_MAX,
    )

    def __init__(
        self,
        *args: Any,
        authorities: list[RoleMembership],
        delegates: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.authorities = {m.id: m for m in authorities}
        self.fields["authority"].choices = [
            (m.id, f"{m.official.full_name} — {m.agency.name}") for m in authorities
        ]
        self.fields["delegate"].choices = [("", gettext("Choose an official")), *delegates]

    def request(self) -> DelegationRequest:
        data = self.cleaned_data
        authority = self.authorities[data["authority"]]
        return DelegationRequest(
            delegator_id=authority.official_id,
            delegate_id=data["delegate"],
            agency_id=authority.agency_id,
            procedure_codes=delegations.parse_codes(data["procedure_codes"]),
            actions=data["actions"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            reason=data["reason"],
        )


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/inbox_forbidden.html", status=403)


def _form(viewer: Viewer, data: QueryDict | None = None, **kwargs: Any) -> DelegationForm:
    authorities = delegations.list_authorities(viewer)
    delegates = [
        (official.id, f"{official.full_name} — {agency.name}")
        for official, agency in delegations.list_possible_delegates(
            {m.agency_id for m in authorities}
        )
    ]
    # The same person at two agencies is one choice: the agency is the authority's.
    unique = list(dict(delegates).items())
    return DelegationForm(data, authorities=authorities, delegates=unique, **kwargs)


def _kept_values(data: QueryDict, *, add: str = "") -> dict[str, Any]:
    """What the person typed, as the form's initial values (shown again, not checked yet)."""
    values: dict[str, Any] = {
        name: data.get(name, "")
        for name in (
            "authority",
            "delegate",
            "procedure_codes",
            "q",
            "valid_from",
            "valid_until",
            "reason",
        )
    }
    values["actions"] = data.getlist("actions")
    if add:
        codes = delegations.parse_codes(values["procedure_codes"])
        values["procedure_codes"] = ", ".join(dict.fromkeys([*codes, add]))
    return values


def _found(query: str) -> list[Procedure]:
    query = query.strip()
    if not query:
        return []
    exact = list(Procedure.objects.filter(national_code=query, current__isnull=False))
    return exact or list(search_procedures(ProcedureFilters(q=query))[:FOUND_AT_MOST])


def _named(codes_text: str) -> list[tuple[str, str | None]]:
    codes = delegations.parse_codes(codes_text)
    names = dict(
        Procedure.objects.filter(national_code__in=codes).values_list("national_code", "name")
    )
    return [(code, names.get(code)) for code in codes]


def _initial(now: dt.datetime) -> dict[str, Any]:
    start = timezone.localtime(now).replace(second=0, microsecond=0)
    return {
        "valid_from": start,
        "valid_until": (start + dt.timedelta(days=7)).replace(hour=17, minute=0),
        "actions": [DelegatedAction.APPROVE.value],
    }


def _page(
    request: HttpRequest,
    viewer: Viewer,
    form: DelegationForm,
    *,
    status: int = 200,
    found: list[Procedure] | None = None,
    searched: bool = False,
) -> HttpResponse:
    now = timezone.now()
    lists = delegations.list_delegations(viewer)
    codes_text = str(form["procedure_codes"].value() or "")

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "delegation": d,
                "state": delegations.delegation_state(d, now),
                "state_label": STATE_LABELS[delegations.delegation_state(d, now)],
                "actions": [str(DelegatedAction(a).label) for a in d.actions],
                "on_behalf": delegations.on_behalf_title(d),
                "revocable": d.revoked_at is None
                and d.valid_until > now
                and delegations.may_manage(
                    viewer, delegator_id=d.delegator_id, agency_id=d.agency_id
                ),
            }
            for d in items
        ]

    return render(
        request,
        "accounts/office/delegations.html",
        {
            "form": form if form.authorities else None,
            "found": found or [],
            "searched": searched,
            "chosen": _named(codes_text),
            "given": rows(lists["given"]),
            "received": rows(lists["received"]),
            "agency": rows(lists["agency"]),
        },
        status=status,
    )


@require_safe
@login_required
def delegation_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if viewer.official is None:
        return _forbidden(request)
    return _page(request, viewer, _form(viewer, initial=_initial(timezone.now())))


@require_POST
@login_required
def delegation_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if viewer.official is None:
        return _forbidden(request)
    add = request.POST.get("add", "").strip()
    if add or "find" in request.POST:
        # Picking procedures: show the form again as typed, with what was found or added.
        kept = _kept_values(request.POST, add=add)
        return _page(
            request,
            viewer,
            _form(viewer, initial=kept),
            found=_found(kept["q"]) if not add else [],
            searched=not add,
        )
    form = _form(viewer, request.POST)
    if not form.authorities:
        return _forbidden(request)
    if form.is_valid():
        # Every rule's problem at once, each next to its field.
        for problem in delegations.check_request(form.request(), now=timezone.now()):
            form.add_error(FORM_FIELD.get(problem.field, problem.field), problem.reason)
    if form.errors:
        return _page(request, viewer, form, status=400)
    try:
        delegation = delegations.do_delegate_authority(form.request(), acting_user=viewer.user)
    except DomainError as error:
        form.add_error(None, error.msg)
        return _page(request, viewer, form, status=error.http_status)
    messages.success(
        request,
        gettext("{delegate} may now act on behalf of {delegator}.").format(
            delegate=delegation.delegate.full_name, delegator=delegation.delegator.full_name
        ),
    )
    return redirect("dossiers:delegation_list")


@require_POST
@login_required
def delegation_revoke(request: HttpRequest, delegation_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    if viewer.official is None:
        return _forbidden(request)
    try:
        revoked = delegations.do_revoke_delegation(delegation_id, acting_user=viewer.user)
    except NotFoundError:
        raise Http404(delegation_id) from None
    except DomainError as error:
        messages.error(request, error.msg)
        return redirect("dossiers:delegation_list")
    messages.success(
        request,
        gettext("The delegation to {delegate} is revoked.").format(
            delegate=revoked.delegate.full_name
        ),
    )
    return redirect("dossiers:delegation_list")
