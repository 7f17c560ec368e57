"""Counter intake: a receiver takes in a walk-in applicant's papers and decides at once.

The page only gathers what the receiver saw and typed; who the applicant is, which dossier
joins which account, what is missing and what each decision does are the engine's rules
(accounts.applicants, dossiers.actions, dossiers.queries).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.actions import do_record_walk_in_applicant
from motcua.accounts.masking import mask_personal_id
from motcua.accounts.models import Role
from motcua.accounts.viewer import Viewer
from motcua.catalog.models import Procedure
from motcua.catalog.search import ProcedureFilters, search_procedures
from motcua.common.errors import DomainError, InvalidInputError
from motcua.dossiers.actions import do_act_on_dossier, do_attach_document
from motcua.dossiers.actions.submission import Submission, do_submit_dossier
from motcua.dossiers.errors import UploadRefusedError
from motcua.dossiers.models import Channel, DeliveryMethod
from motcua.dossiers.queries import missing_requirements
from motcua.dossiers.storage import store_upload
from motcua.units.models import Agency

KINDS = ("citizen", "business", "delegate")
DECISIONS = ("accept", "request_supplement", "refuse")
# The engine's field names, as this form names them.
ALIASES = {
    "applicant_personal_id": "personal_id",
    "applicant_tax_code": "tax_code",
    "applicant_phone": "phone",
    "delegation_reason": "delegate_reason",
}


def _receiver(request: HttpRequest) -> tuple[Viewer, Agency] | HttpResponse:
    """The receiver and the first centre where they receive; anyone else gets 403."""
    viewer = Viewer.of(request.user)
    agencies = viewer.agency_ids([Role.RECEIVER]) if viewer.official else []
    if not agencies:
        return render(request, "dossiers/office/intake_forbidden.html", status=403)
    return viewer, Agency.objects.get(id=agencies[0])


@require_safe
@login_required
def intake_start(request: HttpRequest) -> HttpResponse:
    """Step 1: find the procedure (accent-free search)."""
    found = _receiver(request)
    if isinstance(found, HttpResponse):
        return found
    q = request.GET.get("q", "")[:200]
    results = list(search_procedures(ProcedureFilters(q=q))[:20]) if q.strip() else []
    return render(request, "dossiers/office/intake_start.html", {"q": q, "results": results})


@require_http_methods(["GET", "POST"])
@login_required
def intake_form(request: HttpRequest, procedure_code: str) -> HttpResponse:
    """Step 2: applicant, checklist, delivery and decision, in one form."""
    found = _receiver(request)
    if isinstance(found, HttpResponse):
        return found
    viewer, centre = found
    procedure = get_object_or_404(
        Procedure.objects.select_related("current"), national_code=procedure_code[:20]
    )
    requirements = [r for r in procedure.current.documents.all() if r.to_hand_in]
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            dossier = _take_in(request, viewer, centre, procedure, requirements)
        except InvalidInputError as error:
            errors[ALIASES.get(error.field, error.field)] = error.reason
        except DomainError as error:
            errors["general"] = error.msg
        else:
            return redirect("dossiers:office_dossier", code=dossier.code)
    rows = [
        {
            "requirement": r,
            "originals": data.get(f"originals_{r.id}", "0"),
            "copies": data.get(f"copies_{r.id}", "0"),
            "error": errors.get(f"file_{r.id}", ""),
        }
        for r in requirements
    ]
    return render(
        request,
        "dossiers/office/intake_form.html",
        {
            "procedure": procedure,
            "centre": centre,
            "rows": rows,
            "data": data,
            "errors": errors,
            "kind": data.get("kind", "citizen"),
            "decision": data.get("decision", "accept"),
            "delivery_choices": DeliveryMethod.choices,
        },
        status=400 if errors else 200,
    )


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError("date_of_birth", gettext("Enter a date as YYYY-MM-DD.")) from None


def _count(post: Any, name: str) -> int:
    try:
        value = int(post.get(name) or 0)
    except ValueError:
        value = -1
    if not 0 <= value <= 99:
        raise InvalidInputError(name, gettext("Enter a number from 0 to 99."))
    return value


def _take_in(
    request: HttpRequest,
    viewer: Viewer,
    centre: Agency,
    procedure: Procedure,
    requirements: list[Any],
) -> Any:
    """Checks everything it can before the first write (the engine's writes are each their own
    transaction): the choices, the reason, the counts and every file's type and size."""
    post, user = request.POST, request.user
    kind = post.get("kind", "")
    decision = post.get("decision", "")
    if kind not in KINDS:
        raise InvalidInputError("kind", gettext("Choose who the applicant is."))
    if decision not in DECISIONS:
        raise InvalidInputError("decision", gettext("Choose a decision."))
    reason = post.get("reason", "").strip()[:2000]
    if decision == "refuse" and not reason:
        raise InvalidInputError("reason", gettext("Give the reason for refusing."))
    counts = [
        (r, _count(post, f"originals_{r.id}"), _count(post, f"copies_{r.id}")) for r in requirements
    ]
    uploads = _checked_uploads(request, requirements)
    personal_id, tax_code, phone, delegation_reason = _applicant(post, user, kind)
    dossier, _created = do_submit_dossier(
        Submission(
            procedure_code=procedure.national_code,
            receiving_agency_code=centre.code,
            channel=Channel.COUNTER,
            applicant_personal_id=personal_id,
            applicant_tax_code=tax_code,
            applicant_phone=phone,
            delegation_reason=delegation_reason,
            delivery_method=post.get("delivery_method", DeliveryMethod.COUNTER)[:20],
            delivery_address=post.get("delivery_address", "")[:255],
        ),
        acting_user=user,
    )
    for requirement_id, upload in uploads:
        do_attach_document(
            dossier,
            upload,
            acting_user=user,
            viewer=viewer,
            requirement_id=requirement_id,
            digitised=True,
        )
    received = "; ".join(f"{r.name[:80]}: {o} / {c}" for r, o, c in counts if o or c)
    params: dict[str, Any] = {}
    if decision == "request_supplement":
        items = [r.name[:500] for r in missing_requirements(dossier)]
        extra = [line.strip() for line in post.get("items", "").splitlines() if line.strip()]
        params = {"items": items + extra, "reason": reason}
    elif decision == "refuse":
        params = {"reason": reason}
    do_act_on_dossier(
        dossier.id,
        decision,
        acting_user=user,
        viewer=viewer,
        comment=received[:2000],
        params=params,
    )
    return dossier


def _checked_uploads(request: HttpRequest, requirements: list[Any]) -> list[tuple[int, Any]]:
    """Each scan with its requirement, after the store accepted its type and size."""
    uploads = []
    for requirement in requirements:
        upload = request.FILES.get(f"file_{requirement.id}")
        if upload is None:
            continue
        try:
            store_upload(upload)
        except (InvalidInputError, UploadRefusedError) as error:
            raise InvalidInputError(f"file_{requirement.id}", error.reason) from None
        upload.seek(0)
        uploads.append((requirement.id, upload))
    return uploads


def _applicant(post: Any, user: Any, kind: str) -> tuple[str, str, str, str]:
    """ID number, tax code, phone and delegation note; records a walk-in applicant's details."""
    personal_id = post.get("personal_id", "").strip()[:20]
    tax_code = post.get("tax_code", "").strip()[:20]
    phone = post.get("phone", "").strip()[:20]
    delegation_reason = ""
    if kind == "business":
        if not tax_code:
            raise InvalidInputError("tax_code", gettext("Enter the tax code."))
        personal_id = ""
    else:
        tax_code = ""
        if not personal_id:
            raise InvalidInputError("personal_id", gettext("Enter the ID number."))
        if post.get("full_name", "").strip():
            do_record_walk_in_applicant(
                personal_id=personal_id,
                full_name=post.get("full_name", "")[:200],
                date_of_birth=_date(post.get("date_of_birth", "").strip()),
                phone=phone,
                address=post.get("address", "")[:255],
                acting_user=user,
            )
    if kind == "delegate" or (kind == "business" and post.get("delegate_name", "").strip()):
        name = post.get("delegate_name", "").strip()[:100]
        why = post.get("delegate_reason", "").strip()[:200]
        if not name:
            raise InvalidInputError("delegate_name", gettext("Enter the delegate's name."))
        delegation_reason = " – ".join(
            p for p in (name, mask_personal_id(post.get("delegate_id", "").strip()[:20]), why) if p
        )
    return personal_id, tax_code, phone, delegation_reason
