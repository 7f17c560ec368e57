"""Online submission by citizens and businesses: the server-side draft and its checks.

An applicant fills in who the dossier is for, where it goes and how the result comes back, then
uploads the documents, reviews and submits. Everything typed or uploaded is kept in the draft
(`models.SubmissionDraft`) as soon as it arrives, so a refused field never costs an upload and a
reload resumes where the applicant was. The checks ask the rules where they live:
`accounts.applicants.find_applicant` (who may file for whom), `catalog.offering` (who decides,
where it is received), `storage.store_upload` (file types and sizes), and
`RequiredDocument.to_hand_in` (what the centre will require before accepting). The final submit
is the engine's `do_submit_dossier`, with the draft's files, in one transaction, keyed by the
draft's token so that a second click finds the dossier the first one made.

Drafts are only ever read through their owner's account: `get_draft(user, procedure)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from motcua.accounts.applicants import find_applicant
from motcua.accounts.identifiers import normalise_tax_code, parse_personal_id
from motcua.accounts.models import User
from motcua.catalog.models import Procedure, ProcedureLevel, ProcedureVersion, RequiredDocument
from motcua.catalog.offering import (
    commune_centre,
    commune_code_of,
    commune_committees,
    competent_agency_for,
    receiving_centres,
    require_may_receive,
)
from motcua.common.errors import InvalidInputError, NotFoundError
from motcua.dossiers.actions import Submission, do_submit_dossier
from motcua.dossiers.actions.documents import KeptFile
from motcua.dossiers.models import (
    Channel,
    DeliveryMethod,
    Dossier,
    DraftDocument,
    IdempotencyRecord,
    SubmissionDraft,
)
from motcua.dossiers.storage import StoredFile, store_upload
from motcua.units.demo import DEMO_PROVINCE_CODE
from motcua.units.models import Agency, AgencyKind

# The province whose catalogue the portal serves (the catalogue pages use the same).
PROVINCE_CODE = DEMO_PROVINCE_CODE

FOR_SELF = "self"
FOR_PERSON = "person"
FOR_BUSINESS = "business"
APPLICANT_CHOICES = (FOR_SELF, FOR_PERSON, FOR_BUSINESS)
OTHER = "other"  # the slot of the "other document", which answers no requirement
# What a draft keeps of each typed field, at most.
ANSWER_LENGTHS = {
    "applicant": 10,
    "personal_id": 20,
    "person_name": 150,
    "tax_code": 20,
    "business_name": 255,
    "reason": 500,
    "commune": 10,
    "centre": 40,
    "delivery": 10,
    "address": 500,
}
# Which answer an engine refusal is about (InvalidInputError.field → the form's field).
ENGINE_FIELDS = {
    "applicant_personal_id": "personal_id",
    "applicant_tax_code": "tax_code",
    "delegation_reason": "reason",
    "commune_code": "commune",
    "receiving_agency": "centre",
    "delivery_address": "address",
    "delivery_method": "delivery",
}
REQUIRED = gettext_lazy("This field is required.")


# Reading a draft


def get_draft(user: User, procedure: Procedure) -> SubmissionDraft | None:
    """The user's own draft for `procedure`: no other draft is reachable from a request."""
    return SubmissionDraft.objects.filter(user=user, procedure=procedure).first()


def find_submitted(user: User, token: str) -> Dossier | None:
    """The dossier a draft with `token` became, if this user submitted it (a second click on
    "Submit", or a reload of the submit request)."""
    if not token:
        return None
    record = (
        IdempotencyRecord.objects.filter(user=user, key=_key(token[:40]))
        .select_related("dossier")
        .first()
    )
    return record.dossier if record else None


def _key(token: str) -> str:
    return f"web-draft:{token}"


@dataclass(frozen=True)
class Slot:
    """One upload the documents page asks for: a required document of the procedure's version
    (mandatory: the centre will not accept the dossier without it), or the "other document"."""

    key: str
    requirement: RequiredDocument | None
    mandatory: bool
    upload: DraftDocument | None

    @property
    def field_name(self) -> str:
        return f"file_{self.key}"


def upload_slots(draft: SubmissionDraft, version: ProcedureVersion) -> list[Slot]:
    """The documents to upload, in the procedure's order: those to hand in (mandatory), those
    with originals or copies that only some cases need (optional), then the "other document"."""
    kept = kept_uploads(draft, version)
    slots = [
        Slot(str(r.id), r, r.to_hand_in, kept.get(str(r.id)))
        for r in version.documents.all()
        if r.may_be_handed_in
    ]
    slots.append(Slot(OTHER, None, False, kept.get(OTHER)))
    return slots


def kept_uploads(draft: SubmissionDraft, version: ProcedureVersion) -> dict[str, DraftDocument]:
    """The draft's uploads by slot, for the requirements of `version` (an upload made for a
    version since replaced answers nothing and is left out)."""
    ids = {r.id for r in version.documents.all()}
    kept: dict[str, DraftDocument] = {}
    for document in draft.documents.order_by("id"):
        if document.requirement_id is None:
            kept[OTHER] = document
        elif document.requirement_id in ids:
            kept[str(document.requirement_id)] = document
    return kept


def missing_uploads(draft: SubmissionDraft, version: ProcedureVersion) -> list[Slot]:
    return [slot for slot in upload_slots(draft, version) if slot.mandatory and not slot.upload]


# Where the dossier goes


@dataclass(frozen=True)
class Places:
    """What the applicant chooses about where: the commune concerned (commune-level
    procedures), or the receiving centre (province level)."""

    asks_commune: bool
    commune_required: bool
    communes: list[tuple[str, str]]
    centres: list[tuple[str, str]]
    default_centre: str


def places_for(procedure: Procedure) -> Places:
    version = procedure.current
    assert version is not None
    offerings = {
        o.level: o
        for o in procedure.offerings.all()
        if o.province_code == PROVINCE_CODE and o.is_active
    }
    asks_commune = ProcedureLevel.COMMUNE in offerings
    centres: list[Agency] = []
    province = offerings.get(ProcedureLevel.PROVINCE)
    if province is not None:
        centres = list(
            receiving_centres(province, boundary_free=version.boundary_free).only(
                "code", "name", "kind"
            )
        )
    default = next(
        (c.code for c in centres if c.kind == AgencyKind.PROVINCIAL_CENTRE),
        centres[0].code if centres else "",
    )
    return Places(
        asks_commune=asks_commune,
        commune_required=asks_commune and province is None,
        communes=(
            [
                (commune_code_of(a), a.unit.name if a.unit else a.name)
                for a in commune_committees(PROVINCE_CODE).select_related("unit")
            ]
            if asks_commune
            else []
        ),
        centres=[(c.code, c.name) for c in centres],
        default_centre=default,
    )


def receiving_centre(answers: Mapping[str, Any]) -> Agency | None:
    """Where the dossier is received: the commune's own centre when a commune is named, else
    the centre chosen."""
    commune = str(answers.get("commune") or "")
    if commune:
        return commune_centre(PROVINCE_CODE, commune)
    code = str(answers.get("centre") or "")
    if not code:
        return None
    return Agency.objects.filter(code=code, province_code=PROVINCE_CODE, is_active=True).first()


# Checks


def check_details(user: User, procedure: Procedure, answers: Mapping[str, Any]) -> dict[str, str]:
    """Refusals of the details page, by field (empty: all good). Reads only."""
    errors: dict[str, str] = {}
    _check_applicant(user, answers, errors)
    _check_place(procedure, answers, errors)
    delivery = answers.get("delivery") or ""
    if delivery not in DeliveryMethod.values:
        errors["delivery"] = gettext("Choose how you want to receive the result.")
    elif delivery == DeliveryMethod.POST and not str(answers.get("address") or "").strip():
        errors["address"] = gettext("Give the postal address the result is to be sent to.")
    return errors


def _check_applicant(user: User, answers: Mapping[str, Any], errors: dict[str, str]) -> None:
    kind = answers.get("applicant") or FOR_SELF
    if kind not in APPLICANT_CHOICES:
        errors["applicant"] = gettext("Choose who the dossier is for.")
        return
    if kind == FOR_PERSON:
        try:
            parse_personal_id(str(answers.get("personal_id") or ""), field="personal_id")
        except InvalidInputError as e:
            errors["personal_id"] = e.reason
        if not str(answers.get("person_name") or "").strip():
            errors["person_name"] = str(REQUIRED)
    elif kind == FOR_BUSINESS:
        try:
            normalise_tax_code(str(answers.get("tax_code") or ""), field="tax_code")
        except InvalidInputError as e:
            errors["tax_code"] = e.reason
        for name in ("business_name", "reason"):
            if not str(answers.get(name) or "").strip():
                errors[name] = str(REQUIRED)
    if errors:
        return
    submission = submission_of_answers("", answers)
    try:
        find_applicant(
            user,
            personal_id=submission.applicant_personal_id,
            name=submission.applicant_name,
            tax_code=submission.applicant_tax_code,
            reason=submission.delegation_reason,
        )
    except InvalidInputError as e:
        field = ENGINE_FIELDS.get(e.field, "applicant")
        errors["applicant" if kind == FOR_SELF else field] = e.reason


def _check_place(procedure: Procedure, answers: Mapping[str, Any], errors: dict[str, str]) -> None:
    places = places_for(procedure)
    commune = str(answers.get("commune") or "")
    field = "commune" if commune or places.commune_required else "centre"
    if places.commune_required and not commune:
        errors["commune"] = gettext("Choose the commune or ward concerned.")
        return
    receiving = receiving_centre(answers)
    if receiving is None:
        errors[field] = (
            gettext("This commune has no service centre yet; contact the province's centre.")
            if commune
            else gettext("Choose where the dossier is to be received.")
        )
        return
    version = procedure.current
    assert version is not None
    try:
        competent = competent_agency_for(procedure, receiving, commune)
        require_may_receive(version, receiving, competent)
    except InvalidInputError as e:
        errors[ENGINE_FIELDS.get(e.field, field)] = e.reason
    except NotFoundError:
        errors[field] = gettext("Choose the commune or ward concerned.")


# Writing a draft


def do_start_draft(user: User, procedure: Procedure) -> SubmissionDraft:
    """The user's draft for `procedure`, made empty if there is none."""
    draft, _created = SubmissionDraft.objects.get_or_create(user=user, procedure=procedure)
    return draft


def clean_answers(data: Mapping[str, Any]) -> dict[str, str]:
    """The typed fields a draft keeps: known names only, stripped and bounded."""
    return {
        name: str(data.get(name) or "").strip()[:limit] for name, limit in ANSWER_LENGTHS.items()
    }


def do_save_answers(draft: SubmissionDraft, answers: Mapping[str, Any]) -> None:
    """Keep what was typed, valid or not: a refusal never makes the applicant type it again."""
    draft.answers = {**draft.answers, **clean_answers(answers)}
    draft.save(update_fields=["answers", "updated_at"])


def do_keep_upload(
    draft: SubmissionDraft, upload: UploadedFile, *, requirement: RequiredDocument | None
) -> DraftDocument:
    """Store the file by content (type and size checked there; outside any transaction), then
    make it the draft's upload for `requirement` (None: the "other document"), replacing an
    earlier one. Raises UploadRefusedError."""
    stored = store_upload(upload)
    with transaction.atomic():
        _slot(draft, requirement).delete()
        return DraftDocument.objects.create(
            draft=draft,
            requirement=requirement,
            file_name=(upload.name or "file")[:255],
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
        )


def do_remove_upload(draft: SubmissionDraft, *, requirement: RequiredDocument | None) -> None:
    _slot(draft, requirement).delete()


def _slot(draft: SubmissionDraft, requirement: RequiredDocument | None) -> QuerySet[DraftDocument]:
    if requirement is None:
        return draft.documents.filter(requirement__isnull=True)
    return draft.documents.filter(requirement=requirement)


# Submitting


def submission_of_answers(
    procedure_code: str, answers: Mapping[str, Any], *, channel: Channel = Channel.ONLINE
) -> Submission:
    """The engine's Submission for what the applicant answered, through `channel` (online, or
    a kiosk at a centre)."""
    kind = answers.get("applicant") or FOR_SELF
    receiving = receiving_centre(answers) if procedure_code else None
    delivery = str(answers.get("delivery") or DeliveryMethod.ONLINE)
    return Submission(
        procedure_code=procedure_code,
        receiving_agency_code=receiving.code if receiving else "",
        channel=channel,
        applicant_personal_id=str(answers.get("personal_id") or "") if kind == FOR_PERSON else "",
        applicant_name=(
            str(answers.get("person_name") or "")
            if kind == FOR_PERSON
            else str(answers.get("business_name") or "")
            if kind == FOR_BUSINESS
            else ""
        ),
        applicant_tax_code=(
            normalise_tax_code(str(answers.get("tax_code") or ""))
            if kind == FOR_BUSINESS and answers.get("tax_code")
            else ""
        ),
        delegation_reason=str(answers.get("reason") or "") if kind == FOR_BUSINESS else "",
        commune_code=str(answers.get("commune") or ""),
        delivery_method=delivery,
        delivery_address=str(answers.get("address") or "")
        if delivery == DeliveryMethod.POST
        else "",
    )


def do_submit_draft(
    draft: SubmissionDraft, *, acting_user: User, channel: Channel = Channel.ONLINE
) -> Dossier:
    """Submit the draft as a dossier with its uploads, then forget the draft.

    The engine creates the dossier and attaches every upload in one transaction (nothing half
    made on a refusal), under the draft's token as idempotency key: a second submit of the same
    draft returns the same dossier. Raises what `do_submit_dossier` raises.
    """
    procedure = draft.procedure
    version = procedure.current
    assert version is not None
    documents = [
        KeptFile(StoredFile(d.sha256, d.size, d.content_type), d.file_name, d.requirement_id)
        for d in kept_uploads(draft, version).values()
    ]
    dossier, _created = do_submit_dossier(
        submission_of_answers(procedure.national_code, draft.answers, channel=channel),
        acting_user=acting_user,
        idempotency_key=_key(draft.token),
        documents=documents,
    )
    # After the dossier committed: a failure here leaves a draft whose next submit finds the
    # same dossier by its key.
    SubmissionDraft.objects.filter(id=draft.id).delete()
    return dossier
