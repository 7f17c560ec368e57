"""The officials' dossier page: what the dossier holds, what happened, what this official may do.

Thin views over the engine: visibility through `access.access_dossier`, the lists through
`queries.load_related`, the next actions through `queries.next_actions`, and each action's form
from the params the action declares (`actions.params.PARAMS`), which the engine checks again.
Every form carries the version the page was built from: when the dossier changed meanwhile, the
engine answers CONFLICT, nothing changes, and the page shows the events since then.

Anonymous visitors are sent to the sign-in page; signed-in citizens and businesses get a 403
page; an official who may not see the dossier gets the same 404 as for a code that does not exist.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from motcua.accounts.viewer import Viewer
from motcua.common.errors import DomainError, InvalidInputError
from motcua.dossiers import backoffice, queries
from motcua.dossiers.access import access_dossier
from motcua.dossiers.actions import do_act_on_dossier
from motcua.dossiers.actions.engine import parse_action
from motcua.dossiers.actions.params import MAX_TEXT, Kind, Param, params_of
from motcua.dossiers.clock import ClockState
from motcua.dossiers.errors import ConflictError, DossierNotFoundError, UploadRefusedError
from motcua.dossiers.labels import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    CLOCK_LABELS,
    INTERRUPTED_LABEL,
    OUTCOME_LABELS,
    PENDING_LABEL,
    STAGE_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
)
from motcua.dossiers.models import Dossier, DossierEvent, Outcome
from motcua.dossiers.slips.data import FORMS, Events, available_kinds
from motcua.dossiers.storage import EXTENSIONS, path_for, sniff, store_upload
from motcua.dossiers.workflow import Action, Stage, Status
from motcua.units.queries import get_agencies
from motcua.worktime.queries import CalendarBook

DATETIME_LOCAL_INPUT = "%Y-%m-%dT%H:%M"
# Events that are not actions of the engine's table.
OTHER_EVENT_LABELS: dict[str, Promise] = {
    "submit": pgettext_lazy("event", "Submitted"),
    "attach_document": pgettext_lazy("event", "Document added"),
    "reschedule_refused": pgettext_lazy("event", "A second new date refused"),
}
# Payload values worth reading on the timeline, with their labels.
PAYLOAD_LABELS: dict[str, Promise] = {
    "reason": gettext_lazy("Reason"),
    "items": gettext_lazy("Missing documents"),
    "note": gettext_lazy("Note"),
    "assignee": gettext_lazy("Specialist"),
    "to": gettext_lazy("To agency"),
    "amount_vnd": gettext_lazy("Amount (đồng)"),
    "new_due": gettext_lazy("New date"),
    "result": gettext_lazy("Result"),
}


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/inbox_forbidden.html", status=403)


def _official_and_dossier(request: HttpRequest, code: str) -> tuple[Viewer, Dossier] | HttpResponse:
    viewer = backoffice.viewer_of(request.user)  # type: ignore[arg-type]
    if viewer is None:
        return _forbidden(request)
    try:
        return viewer, access_dossier(viewer, code[:60])
    except DossierNotFoundError:
        raise Http404(code) from None


# The action forms, built from what each action declares


class ActionForm(forms.Form):
    """One action's form: its declared params, a comment, and the version the page showed."""

    action = forms.CharField(widget=forms.HiddenInput, max_length=30)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The last event the page showed, to list what happened since on a conflict.
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, action: Action, dossier: Dossier, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"id_{action.value}_%s")
        kwargs.setdefault(
            "initial",
            {
                "action": action.value,
                "expected_version": dossier.row_version,
                "seen": dossier.audit_seq,
            },
        )
        super().__init__(*args, **kwargs)
        self.chosen = action
        self.label = ACTION_LABELS[action]
        self.params = params_of(action)
        for param in self.params:
            self.fields[param.name] = _field(param, dossier)
        self.fields["comment"] = forms.CharField(
            label=gettext_lazy("Comment (optional)"),
            required=False,
            max_length=MAX_TEXT,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    @property
    def has_file(self) -> bool:
        return any(p.kind == Kind.FILE for p in self.params)

    def engine_params(self) -> dict[str, Any]:
        """The cleaned values as the engine takes them (files are stored first, by the view)."""
        values: dict[str, Any] = {}
        for param in self.params:
            value = self.cleaned_data.get(param.name)
            if value in (None, "", []) or param.kind == Kind.FILE:
                continue
            if param.kind == Kind.LINES:
                value = [line.strip() for line in value.splitlines() if line.strip()]
            elif param.kind == Kind.INSTANT:
                value = value.isoformat()
            values[param.name] = value
        return values


def _field(param: Param, dossier: Dossier) -> forms.Field:  # noqa: PLR0911  (one per kind)
    common: dict[str, Any] = {"label": param.label, "required": param.required}
    if param.kind == Kind.PARAGRAPH:
        return forms.CharField(
            max_length=param.max_length, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if param.kind == Kind.LINES:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if param.kind == Kind.CHOICE:
        assert param.choices is not None
        return forms.ChoiceField(
            choices=[("", gettext("Choose…")), *param.choices(dossier)], **common
        )
    if param.kind == Kind.AMOUNT:
        return forms.IntegerField(min_value=1, max_value=param.maximum, **common)
    if param.kind == Kind.INSTANT:
        return forms.DateTimeField(
            input_formats=[DATETIME_LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S"],
            widget=forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_INPUT
            ),
            **common,
        )
    if param.kind == Kind.FILE:
        accept = ",".join(sorted({*EXTENSIONS, *(e for s in EXTENSIONS.values() for e in s)}))
        return forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": accept}), **common)
    return forms.CharField(max_length=param.max_length, **common)


# The page


@dataclasses.dataclass
class StepRow:
    label: str
    agency: str
    budget_hours: Any
    started_at: Any
    due_at: Any
    finished_at: Any
    state: str
    state_class: str


@dataclasses.dataclass
class EventRow:
    seq: int
    at: Any
    label: str
    actor: str
    role: str
    stage: str
    comment: str
    details: list[tuple[str, str]]


def _event_row(event: DossierEvent, events: Events) -> EventRow:
    try:
        label = str(ACTION_LABELS[Action(event.action)])
    except ValueError:
        label = str(OTHER_EVENT_LABELS.get(event.action, event.action))
    details = []
    for key, name in PAYLOAD_LABELS.items():
        value = event.payload.get(key) if isinstance(event.payload, dict) else None
        if value in (None, "", []):
            continue
        details.append((str(name), "; ".join(value) if isinstance(value, list) else str(value)))
    try:
        stage = str(STAGE_LABELS[Stage(event.to_stage)])
    except ValueError:
        stage = event.to_stage
    actor = events.name_of(event)
    behalf = event.on_behalf_of
    if behalf and behalf.get("title"):
        # Signed "thừa ủy quyền": the papers print the same line (slips, form 06).
        actor = f"{actor} ({behalf['title']})"
    return EventRow(
        event.seq,
        event.at,
        label,
        actor,
        event.role,
        stage,
        event.comment,
        details,
    )


def _step_rows(dossier: Dossier) -> list[StepRow]:
    steps = list(dossier.steps.all())
    agencies = get_agencies({s.agency_id for s in steps})
    rows = []
    for step in steps:
        if step.interrupted:
            state, css = str(INTERRUPTED_LABEL), "paused"
        elif step.finished_at is not None and step.outcome:
            state, css = str(OUTCOME_LABELS[Outcome(step.outcome)]), step.outcome
        else:
            state, css = str(PENDING_LABEL), "pending"
        try:
            label = str(STEP_LABELS[step.kind])  # type: ignore[index]
        except KeyError:
            label = step.kind
        rows.append(
            StepRow(
                label,
                agencies[step.agency_id].name,
                step.budget_hours,
                step.started_at,
                step.due_at,
                step.finished_at,
                state,
                css,
            )
        )
    return rows


def _applicant(dossier: Dossier) -> dict[str, str]:
    """Who applied, with personal ID numbers masked (accounts.masking)."""
    if dossier.applicant_citizen_id:
        citizen = dossier.applicant_citizen
        return {
            "name": citizen.full_name,
            "id_label": gettext("Personal ID number"),
            "id": citizen.masked_personal_id,
        }
    if dossier.applicant_business_id:
        business = dossier.applicant_business
        # Tax codes are public (the tax authority publishes them).
        return {"name": business.name, "id_label": gettext("Tax code"), "id": business.tax_code}
    return {"name": dossier.applicant_name, "id_label": "", "id": ""}


def _due(dossier: Dossier) -> dict[str, Any]:
    """The due date's explanation as kept by the engine (clock.explain_due), for reading."""
    explanation = dossier.due_explanation or {}
    limit = explanation.get("limit") or {}
    return {
        "limit": limit.get("as_published", ""),
        "received_at": explanation.get("received_at"),
        "counted_from": explanation.get("counted_from"),
        "skipped": explanation.get("skipped", []),
        "pauses": explanation.get("pauses", []),
        "notes": explanation.get("notes", []),
    }


def _page(
    request: HttpRequest,
    viewer: Viewer,
    dossier: Dossier,
    *,
    bound: ActionForm | None = None,
    conflict: int | None = None,
    status: int = 200,
) -> HttpResponse:
    queries.load_related(dossier)
    # The events with the names of the officials and citizens who acted (two reads).
    trail = Events(dossier)
    events = trail.all
    book = CalendarBook()
    clock = queries.clock_of(dossier, timezone.now(), book)
    action_forms = [
        bound if bound is not None and bound.chosen == action else _form(action, dossier)
        for action in (Action(a) for a in queries.next_actions(dossier, viewer))
    ]
    # Refusals are listed above the forms too: the action may no longer be offered.
    refusals = (
        [str(e) for errors in bound.errors.values() for e in errors]
        if bound is not None and conflict is None
        else []
    )
    requirements = {r.id: r.name for r in dossier.procedure_version.documents.all()}
    return render(
        request,
        "dossiers/office/dossier.html",
        {
            "dossier": dossier,
            "applicant": _applicant(dossier),
            "channel_label": CHANNEL_LABELS.get(dossier.channel, dossier.channel),  # type: ignore[call-overload]
            "stage_label": STAGE_LABELS[Stage(dossier.stage)],
            "status_label": STATUS_LABELS[Status(dossier.status)],
            "clock": clock,
            "clock_label": CLOCK_LABELS[ClockState(clock)] if clock else "",
            "outcome_label": OUTCOME_LABELS[Outcome(dossier.outcome)] if dossier.outcome else "",
            "agencies": {
                "receiving": dossier.receiving_agency,
                "competent": dossier.competent_agency,
                "current": dossier.current_agency,
            },
            "documents": [
                (document, requirements.get(document.requirement_id or 0, ""))
                for document in dossier.documents.all()
            ],
            "missing": (queries.missing_documents(dossier) if dossier.accepted_at is None else []),
            "results": list(dossier.results.all()),
            "steps": _step_rows(dossier),
            "due": _due(dossier),
            "events": [_event_row(e, trail) for e in reversed(events)],
            "changed": (
                [_event_row(e, trail) for e in events if e.seq > conflict]
                if conflict is not None
                else []
            ),
            "conflict": conflict is not None,
            "refused_action": ACTION_LABELS[bound.chosen] if refusals else "",
            "refusals": refusals,
            "action_forms": action_forms,
            "slips": [
                (
                    reverse("api-v1:download_slip", kwargs={"code": dossier.code, "kind": kind}),
                    FORMS[kind][0],
                    FORMS[kind][1],
                )
                for kind in available_kinds(dossier, (e.action for e in events))
            ],
        },
        status=status,
    )


def _form(action: Action, dossier: Dossier, *args: Any) -> ActionForm:
    return ActionForm(*args, action=action, dossier=dossier)


@require_safe
@login_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    found = _official_and_dossier(request, code)
    if isinstance(found, HttpResponse):
        return found
    viewer, dossier = found
    queries.log_read(dossier, viewer, via="page")
    return _page(request, viewer, dossier)


@require_POST
@login_required
def dossier_act(request: HttpRequest, code: str) -> HttpResponse:
    """Apply one action from the page; on any refusal the page comes back with the reason next
    to the form, what was typed kept, and the dossier unchanged."""
    found = _official_and_dossier(request, code)
    if isinstance(found, HttpResponse):
        return found
    viewer, dossier = found
    try:
        action = parse_action(request.POST.get("action", "")[:30])
    except InvalidInputError as error:
        messages.error(request, error.msg)
        return _page(request, viewer, dossier, status=400)
    form = _form(action, dossier, request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, viewer, dossier, bound=form, status=400)
    return _apply(request, viewer, dossier, form)


def _apply(
    request: HttpRequest, viewer: Viewer, dossier: Dossier, form: ActionForm
) -> HttpResponse:
    action = form.chosen
    params = form.engine_params()
    try:
        for param in form.params:
            upload = form.cleaned_data.get(param.name) if param.kind == Kind.FILE else None
            if upload:
                # Kept before the transaction (STYLE.md §6): the engine gets its hash.
                params[param.name] = store_upload(upload).sha256
        do_act_on_dossier(
            dossier.code,
            action.value,
            acting_user=viewer.user,
            viewer=viewer,
            expected_version=form.cleaned_data["expected_version"],
            comment=form.cleaned_data["comment"],
            params=params,
        )
    except ConflictError as error:
        # `dossier` was read by this request, after the change: the form is offered again on
        # the current version (what was typed kept), to send only once the changes are read.
        data = request.POST.copy()
        data["expected_version"], data["seen"] = str(dossier.row_version), str(dossier.audit_seq)
        again = _form(action, dossier, data)
        again.is_valid()
        return _page(
            request,
            viewer,
            dossier,
            bound=again,
            conflict=form.cleaned_data["seen"],
            status=error.http_status,
        )
    except UploadRefusedError as error:
        form.add_error(next(p.name for p in form.params if p.kind == Kind.FILE), error.msg)
        return _page(request, viewer, dossier, bound=form, status=error.http_status)
    except InvalidInputError as error:
        form.add_error(error.field if error.field in form.fields else None, error.reason)
        return _page(request, viewer, dossier, bound=form, status=error.http_status)
    except DossierNotFoundError:
        raise Http404(dossier.code) from None
    except DomainError as error:
        form.add_error(None, error.msg)
        return _page(request, viewer, dossier, bound=form, status=error.http_status)
    messages.success(request, gettext("Done: {action}.").format(action=ACTION_LABELS[action]))
    return redirect("dossiers:office_dossier", code=dossier.code)


# Documents, opened in the browser


INLINE_TYPES = frozenset(EXTENSIONS)


@require_safe
@login_required
def dossier_document(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    """One uploaded document, for officials who may see the dossier: PDF and images open in
    the browser; the type is the one sniffed at upload, and the browser may not guess another."""
    found = _official_and_dossier(request, code)
    if isinstance(found, HttpResponse):
        return found
    viewer, dossier = found
    document = dossier.documents.filter(id=document_id).first()
    if document is None or not path_for(document.sha256).is_file():
        raise Http404(document_id)
    queries.log_read(dossier, viewer, via="document")
    inline = document.content_type in INLINE_TYPES
    response = FileResponse(
        path_for(document.sha256).open("rb"),
        as_attachment=not inline,
        filename=document.file_name,
        content_type=document.content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def dossier_result_file(request: HttpRequest, code: str, result_code: str) -> HttpResponse:
    """The file of an issued result, for officials who may see the dossier."""
    found = _official_and_dossier(request, code)
    if isinstance(found, HttpResponse):
        return found
    viewer, dossier = found
    result = dossier.results.filter(code=result_code[:80]).exclude(file_sha256="").first()
    if result is None or not path_for(result.file_sha256).is_file():
        raise Http404(result_code)
    queries.log_read(dossier, viewer, via="result")
    path = path_for(result.file_sha256)
    with path.open("rb") as head:
        content_type = sniff(head.read(8)) or "application/octet-stream"
    extension = sorted(EXTENSIONS.get(content_type, {""}))[0]
    response = FileResponse(
        path.open("rb"),
        as_attachment=content_type not in INLINE_TYPES,
        filename=f"{result.code}{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
