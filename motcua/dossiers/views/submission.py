"""Online submission by citizens and businesses (/ho-so/nop/<procedure code>/…).

Three steps and a receipt: the details (who for, where, how the result comes back), the
documents, a review with the submit button; then the dossier's code, due date and receipt. Plain
forms that work without JavaScript. Each step keeps what it received in the applicant's draft
before checking it (`motcua.dossiers.drafts`), so a refusal is shown next to its field and
nothing has to be typed or uploaded again. Anonymous visitors are sent to sign in; officials are
told the pages are for applicants.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.masking import mask_personal_id
from motcua.accounts.models import Business, Citizen, User
from motcua.accounts.viewer import viewer_of
from motcua.catalog import queries as catalog_queries
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.offering import offered_online
from motcua.common.errors import DomainError, InvalidInputError, NotFoundError
from motcua.dossiers import drafts
from motcua.dossiers.access import access_dossier
from motcua.dossiers.errors import UploadRefusedError
from motcua.dossiers.models import Channel, DeliveryMethod, SubmissionDraft
from motcua.dossiers.slips import available_kinds
from motcua.web.guards import MULTI_UPLOAD_VIEWS

View = Callable[..., HttpResponse]
MAX_CODE_LENGTH = 60
# Files one request of the documents page may carry at full size (the guard bounds its body by
# this many uploads); with more, the applicant sends them a few at a time.
FILES_PER_REQUEST = MULTI_UPLOAD_VIEWS["applicant:submit_documents"]


def applicants_only(view: View) -> View:
    """Signed in (else to the sign-in page, back here after), and not an official."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_official:  # type: ignore[union-attr]
            return render(request, "dossiers/applicant/submit_officials.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _procedure(code: str) -> Procedure:
    """The published procedure, if the province takes it online; 404 otherwise."""
    try:
        procedure = catalog_queries.get_procedure_by_code(code[:MAX_CODE_LENGTH])
    except NotFoundError:
        raise Http404(code) from None
    if not offered_online(procedure, drafts.PROVINCE_CODE):
        raise Http404(code)
    return procedure


def _context(request: HttpRequest, procedure: Procedure, step: int, **extra: Any) -> dict[str, Any]:
    return {"procedure": procedure, "version": procedure.current, "step": step, **extra}


def _draft_or_start(request: HttpRequest, procedure: Procedure) -> SubmissionDraft:
    user: User = request.user  # type: ignore[assignment]
    return drafts.get_draft(user, procedure) or drafts.do_start_draft(user, procedure)


# Step 1: who for, where, how the result comes back


@require_http_methods(["GET", "POST"])
@applicants_only
def submit_details(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _procedure(code)
    user: User = request.user  # type: ignore[assignment]
    draft = _draft_or_start(request, procedure)
    places = drafts.places_for(procedure)
    errors: dict[str, str] = {}
    if request.method == "POST":
        drafts.do_save_answers(draft, request.POST)
        errors = drafts.check_details(user, procedure, draft.answers)
        if not errors:
            return redirect("applicant:submit_documents", code=procedure.national_code)
    answers = {
        "applicant": drafts.FOR_SELF,
        "delivery": DeliveryMethod.ONLINE,
        "centre": places.default_centre,
        **{k: v for k, v in draft.answers.items() if v},
    }
    return render(
        request,
        "dossiers/applicant/submit_details.html",
        _context(
            request,
            procedure,
            1,
            answers=answers,
            errors=errors,
            places=places,
            me=_profile(user),
            deliveries=DeliveryMethod.choices,
        ),
        status=400 if errors else 200,
    )


def _profile(user: User) -> dict[str, str]:
    """What the account says about its holder, as the details page shows it (ID masked)."""
    citizen = Citizen.objects.filter(user=user).first()
    if citizen is not None:
        return {
            "name": citizen.full_name,
            "id_label": pgettext("online submission", "Personal ID number"),
            "id": mask_personal_id(citizen.personal_id),
            "phone": citizen.phone,
            "address": citizen.address,
        }
    business = Business.objects.filter(user=user).first()
    if business is not None:
        return {
            "name": business.name,
            "id_label": pgettext("online submission", "Tax code"),
            "id": business.tax_code,
            "phone": business.phone,
            "address": business.address,
        }
    return {"name": user.get_full_name() or user.get_username(), "id_label": "", "id": ""}


# Step 2: the documents


@require_http_methods(["GET", "POST"])
@applicants_only
def submit_documents(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _procedure(code)
    draft = _draft_or_start(request, procedure)
    version = procedure.current
    assert version is not None
    errors: dict[str, str] = {}
    if request.method == "POST":
        requirements = {str(r.id): r for r in version.documents.all()}
        remove = request.POST.get("remove", "")
        if remove:
            if remove == drafts.OTHER or remove in requirements:
                drafts.do_remove_upload(draft, requirement=requirements.get(remove))
            return redirect("applicant:submit_documents", code=procedure.national_code)
        errors = _keep_uploads(request, draft, requirements)
        if not errors and request.POST.get("action") == "continue":
            missing = drafts.missing_uploads(draft, version)
            errors = {
                slot.field_name: gettext("Upload this document: it is required.")
                for slot in missing
            }
            if not errors:
                return redirect("applicant:submit_review", code=procedure.national_code)
        if not errors:
            messages.success(request, gettext("Your documents are saved."))
            return redirect("applicant:submit_documents", code=procedure.national_code)
    slots = drafts.upload_slots(draft, version)
    return render(
        request,
        "dossiers/applicant/submit_documents.html",
        _context(
            request,
            procedure,
            2,
            rows=[(slot, errors.get(slot.field_name, "")) for slot in slots],
            errors=errors,
            max_mb=settings.MOTCUA_UPLOAD_MAX_BYTES // (1024 * 1024),
            files_per_request=FILES_PER_REQUEST,
        ),
        status=400 if errors else 200,
    )


def _keep_uploads(
    request: HttpRequest, draft: SubmissionDraft, requirements: dict[str, RequiredDocument]
) -> dict[str, str]:
    """Keep each file received in its slot; a refused one is reported on its own field, and
    the others are kept all the same."""
    errors: dict[str, str] = {}
    for name, upload in request.FILES.items():
        key = name.removeprefix("file_")
        if key != drafts.OTHER and key not in requirements:
            continue
        try:
            drafts.do_keep_upload(draft, upload, requirement=requirements.get(key))
        except UploadRefusedError as e:
            errors[name] = e.reason
    return errors


# Step 3: review and submit


@require_http_methods(["GET", "POST"])
@applicants_only
def submit_review(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _procedure(code)
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        # A second click, or the submit sent again: the dossier the first one made.
        done = drafts.find_submitted(user, request.POST.get("token", ""))
        if done is not None:
            return redirect("applicant:submit_receipt", dossier_code=done.code)
    draft = drafts.get_draft(user, procedure)
    if draft is None:
        return redirect("applicant:submit_details", code=procedure.national_code)
    version = procedure.current
    assert version is not None
    problems = drafts.check_details(user, procedure, draft.answers)
    missing = drafts.missing_uploads(draft, version)
    engine_error = ""
    if request.method == "POST" and not problems and not missing:
        try:
            # At a centre's kiosk (centres.kiosk marks the session) the channel says so.
            channel = Channel.KIOSK if getattr(request, "kiosk", None) else Channel.ONLINE
            dossier = drafts.do_submit_draft(draft, acting_user=user, channel=channel)
        except InvalidInputError as e:
            engine_error = e.reason
        except DomainError as e:
            engine_error = e.msg
        else:
            return redirect("applicant:submit_receipt", dossier_code=dossier.code)
    answers = draft.answers
    centre = drafts.receiving_centre(answers)
    places = drafts.places_for(procedure)
    commune = dict(places.communes).get(str(answers.get("commune") or ""), "")
    return render(
        request,
        "dossiers/applicant/submit_review.html",
        _context(
            request,
            procedure,
            3,
            draft=draft,
            answers=answers,
            me=_profile(user),
            centre=centre,
            commune=commune,
            delivery=dict(DeliveryMethod.choices).get(str(answers.get("delivery") or ""), ""),
            uploads=[s for s in drafts.upload_slots(draft, version) if s.upload],
            problems=problems,
            missing=missing,
            engine_error=engine_error,
        ),
        status=400 if request.method == "POST" else 200,
    )


# The receipt


@require_safe
@applicants_only
def submit_receipt(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """What the applicant keeps: the code, the due date, the receipt (form 01) once issued."""
    try:
        dossier = access_dossier(viewer_of(request), dossier_code[:MAX_CODE_LENGTH])
    except DomainError:
        raise Http404(dossier_code) from None
    receipt_url = ""
    if "receipt" in available_kinds(dossier):
        receipt_url = reverse(
            "api-v1:download_slip", kwargs={"code": dossier.code, "kind": "receipt"}
        )
    return render(
        request,
        "dossiers/applicant/submit_receipt.html",
        {"dossier": dossier, "procedure": dossier.procedure, "receipt_url": receipt_url},
    )
