"""The signed-in applicant's dossiers (/ho-so/): the list, one dossier, and what they may do on it.

Citizens and businesses reach dossiers only through `access.visible_dossiers` /
`access.access_dossier` with the request's viewer: their own and those they filed for someone
else. Another person's dossier answers 404 like an unknown code. Every button is one the engine
offers (`queries.next_actions`), every write goes through an action (`do_attach_document`,
`do_act_on_dossier` with the version the page showed, `engagement.actions.do_rate_dossier`),
and a refused write re-renders the page with the error next to the field and what was typed.
Officials have their own pages (/can-bo/) and get a 403 here.
"""

from __future__ import annotations

import functools
import mimetypes
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from motcua.accounts.viewer import Viewer, viewer_of
from motcua.catalog.models import RequiredDocument
from motcua.common.errors import DomainError, InvalidInputError
from motcua.dossiers import portal, queries
from motcua.dossiers.access import access_dossier, is_applicant_side, visible_dossiers
from motcua.dossiers.actions import do_act_on_dossier, do_attach_document
from motcua.dossiers.errors import DossierNotFoundError, UploadRefusedError
from motcua.dossiers.models import Dossier, DossierResult, SlipKind
from motcua.dossiers.storage import path_for, sniff
from motcua.dossiers.workflow import APPLICANT_UPLOAD_STAGES, Action, Stage
from motcua.engagement import queries as ratings
from motcua.engagement.actions import do_rate_dossier
from motcua.engagement.forms import RatingForm
from motcua.worktime.queries import CalendarBook

# Short pages for small screens on slow networks; most people have a handful of dossiers.
PAGE_SIZE = 20
OTHER = "other"


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/applicant/forbidden.html", status=403)


def applicant_page(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Sign-in required; the view gets the request's viewer, a citizen or business (an
    official gets the 403 page)."""

    @functools.wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        viewer = viewer_of(request)
        if viewer.official is not None:
            return _forbidden(request)
        return view(request, viewer, *args, **kwargs)

    return wrapper


def _dossier(viewer: Viewer, code: str) -> Dossier:
    try:
        return access_dossier(viewer, code[:60])
    except DossierNotFoundError:
        raise Http404(code) from None


def _detail_url(dossier: Dossier, anchor: str = "") -> str:
    url = reverse("applicant:detail", args=[dossier.code])
    return f"{url}#{anchor}" if anchor else url


# Forms


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_domain_error(self, error: DomainError) -> None:
        """An error about one of this form's fields goes next to it; any other above it."""
        fields = [e["field"] for e in error.input_errors() if e["field"] in self.fields]
        if fields and isinstance(error, (InvalidInputError, UploadRefusedError)):
            self.add_error(fields[0], error.reason)
        else:
            self.add_error(None, error.msg)


class UploadForm(_Form):
    """One file for one required document, or for "another document" (`requirement=other`)."""

    requirement = forms.ChoiceField(label=gettext_lazy("This file is"))
    file = forms.FileField(
        label=gettext_lazy("File (PDF, JPEG or PNG)"),
        error_messages={
            "required": gettext_lazy("Choose the file to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(
        self, *args: Any, requirements: list[RequiredDocument], key: str = OTHER, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"id_upload_{key}_%s")
        super().__init__(*args, **kwargs)
        self.key = key
        self.fields["requirement"].choices = [
            *((str(r.id), r.name) for r in requirements),
            (OTHER, gettext("Another document")),
        ]
        if key != OTHER:
            # The form of one missing document: the file answers that document.
            self.fields["requirement"].widget = forms.HiddenInput()
            self.initial.setdefault("requirement", key)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"

    def requirement_id(self) -> int | None:
        value = self.cleaned_data["requirement"]
        return None if value == OTHER else int(value)


class SupplementForm(_Form):
    note = forms.CharField(
        label=gettext_lazy("A note for the centre (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawalForm(_Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you withdraw the dossier?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why you withdraw the dossier.")},
    )


# The actions this page offers, each with its form; which of them shows is the engine's answer.
ACTION_FORMS: dict[str, type[_Form]] = {
    Action.SUPPLEMENT: SupplementForm,
    Action.REQUEST_WITHDRAWAL: WithdrawalForm,
}


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


# Pages


@require_safe
@applicant_page
def dossier_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    dossiers = visible_dossiers(viewer).order_by("-submitted_at", "-id")
    paginator = Paginator(dossiers, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = portal.applicant_rows(
        queries.with_rules_all(list(page.object_list)), timezone.now(), CalendarBook()
    )
    return render(
        request,
        "dossiers/applicant/list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "rows": rows,
        },
    )


def _result_files(dossier: Dossier) -> list[tuple[DossierResult, bool]]:
    return [
        (result, bool(result.file_sha256) and path_for(result.file_sha256).exists())
        for result in dossier.results.all()
    ]


def _render_detail(
    request: HttpRequest,
    viewer: Viewer,
    dossier: Dossier,
    *,
    bound: _Form | RatingForm | None = None,
    alert: str = "",
    status: int = 200,
) -> HttpResponse:
    """The dossier page; `bound` is a form that was just refused (shown with its errors and
    what was typed, in place of its blank twin), `alert` an error about the whole page."""
    queries.load_related(dossier)
    events = portal.read_events(dossier)
    now = timezone.now()
    row = portal.applicant_row(dossier, now, CalendarBook())
    offered = queries.next_actions(dossier, viewer)
    stage = Stage(dossier.stage)

    shown: list[Any] = []

    def form_for(kind: type[Any], form_key: str = "", **kwargs: Any) -> Any:
        if isinstance(bound, kind) and getattr(bound, "key", "") == form_key:
            shown.append(bound)
            return bound
        return kind(**kwargs)

    uploads: list[tuple[RequiredDocument, UploadForm]] = []
    other_upload = None
    missing: list[RequiredDocument] = []
    if stage in APPLICANT_UPLOAD_STAGES and is_applicant_side(viewer, dossier):
        # The "other" upload names any document with something to hand in: a case document
        # the centre asked for is one of the "if applicable" ones.
        requirements = [r for r in dossier.procedure_version.documents.all() if r.may_be_handed_in]
        missing = queries.missing_requirements(dossier)
        uploads = [
            (r, form_for(UploadForm, str(r.id), requirements=[r], key=str(r.id))) for r in missing
        ]
        other_upload = form_for(UploadForm, OTHER, requirements=requirements)
    actions = {
        action: form_for(ACTION_FORMS[action]) for action in offered if action in ACTION_FORMS
    }
    rating = None
    rating_state = ratings.RatingState.NOT_YET
    rating_form = None
    if stage == Stage.RETURNED:
        rating = ratings.get_rating(dossier)
        rating_state = ratings.rating_state(dossier, viewer, rating, now=now)
        if rating_state in (ratings.RatingState.OPEN, ratings.RatingState.EDITABLE):
            rating_form = bound if isinstance(bound, RatingForm) else RatingForm(rating=rating)
            shown.append(rating_form)
    if bound is not None and bound not in shown and not alert:
        # The refused form is no longer on the page (the dossier moved on meanwhile, or the
        # document it answered was uploaded from another tab): its errors go on top.
        alert = " ".join(str(e) for errors in bound.errors.values() for e in errors)
    return render(
        request,
        "dossiers/applicant/detail.html",
        {
            "dossier": dossier,
            "row": row,
            "alert": alert,
            "explanation": portal.explain_due(dossier.due_explanation or {}),
            "timeline": portal.timeline(events),
            "supplement_request": (
                portal.supplement_request(events)
                if stage in (Stage.SUPPLEMENT_REQUESTED, Stage.SUPPLEMENT_RECEIVED)
                else None
            ),
            "missing": missing,
            "uploads": uploads,
            "other_upload": other_upload,
            "documents": list(dossier.documents.all()),
            "supplement_form": actions.get(Action.SUPPLEMENT),
            "withdrawal_form": actions.get(Action.REQUEST_WITHDRAWAL),
            "results": _result_files(dossier),
            "slips": [(kind, SlipKind(kind).label) for kind in portal.slip_kinds(dossier, events)],
            "rating": rating,
            "rating_state": rating_state,
            "rating_form": rating_form,
            "rating_editable_until": ratings.editable_until(rating) if rating else None,
        },
        status=status,
    )


@require_safe
@applicant_page
def dossier_detail(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    return _render_detail(request, viewer, _dossier(viewer, code))


@require_POST
@applicant_page
def my_upload(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    dossier = _dossier(viewer, code)
    requirements = [r for r in dossier.procedure_version.documents.all() if r.may_be_handed_in]
    key = request.POST.get("key", OTHER)
    chosen = [r for r in requirements if str(r.id) == key]
    form = UploadForm(
        request.POST,
        request.FILES,
        requirements=chosen or requirements,
        key=str(chosen[0].id) if chosen else OTHER,
    )
    if not form.is_valid():
        return _render_detail(request, viewer, dossier, bound=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        do_attach_document(
            dossier,
            upload,
            acting_user=viewer.user,
            viewer=viewer,
            requirement_id=form.requirement_id(),
        )
    except DomainError as error:
        form.add_domain_error(error)
        return _render_detail(request, viewer, dossier, bound=form, status=error.http_status)
    messages.success(request, gettext("{name} was added to the dossier.").format(name=upload.name))
    return redirect(_detail_url(dossier, "documents"))


@require_POST
@applicant_page
def my_action(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    dossier = _dossier(viewer, code)
    action = request.POST.get("action", "")
    if action not in ACTION_FORMS:
        raise Http404(action)
    form = ACTION_FORMS[action](request.POST)
    if not form.is_valid():
        return _render_detail(request, viewer, dossier, bound=form, status=400)
    try:
        do_act_on_dossier(
            dossier.code,
            action,
            acting_user=viewer.user,
            viewer=viewer,
            expected_version=_version(request),
            params={k: v for k, v in form.cleaned_data.items() if v},
        )
    except DomainError as error:
        # A stale page (CONFLICT) or an action no longer open: the page as it is now, the
        # reason on top, and the form as typed.
        return _render_detail(
            request,
            viewer,
            _dossier(viewer, code),
            bound=form,
            alert=error.msg,
            status=error.http_status,
        )
    done = {
        Action.SUPPLEMENT: gettext("The supplement was handed in; the centre will check it."),
        Action.REQUEST_WITHDRAWAL: gettext(
            "Your request to withdraw the dossier was sent to the centre."
        ),
    }
    messages.success(request, done[Action(action)])
    return redirect(_detail_url(dossier))


@require_POST
@applicant_page
def my_rating(request: HttpRequest, viewer: Viewer, code: str) -> HttpResponse:
    dossier = _dossier(viewer, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, viewer, dossier, bound=form, status=400)
    try:
        do_rate_dossier(dossier.code, form.answers(), acting_user=viewer.user, viewer=viewer)
    except DomainError as error:
        # Not open yet, or closed: the page says why at the top (no form is shown then).
        return _render_detail(request, viewer, dossier, alert=error.msg, status=error.http_status)
    messages.success(request, gettext("Thank you: your rating was recorded."))
    return redirect(_detail_url(dossier, "rating"))


@require_safe
@applicant_page
def my_result(request: HttpRequest, viewer: Viewer, code: str, result: str) -> HttpResponse:
    dossier = _dossier(viewer, code)
    found = DossierResult.objects.filter(dossier=dossier, code=result[:80]).first()
    if found is None or not found.file_sha256:
        raise Http404(result)
    path = path_for(found.file_sha256)
    if not path.exists():
        raise Http404(result)
    with path.open("rb") as head:
        content_type = sniff(head.read(16)) or "application/octet-stream"
    extension = mimetypes.guess_extension(content_type) or ""
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{found.code}{extension}",
        content_type=content_type,
    )
