"""What each slip prints, read from the dossier and its events, as display-ready text.

`slip_data` returns everything a slip shows and nothing else, already formatted the way the
paper form prints it (DOMAIN §3.2), as plain JSON values: its hash decides whether a stored slip
can be handed out again or a new version is due (issuing.py). A slip is dated by the event it
documents (acceptance, supplement request, refusal, new date, stop), never by the moment it is
printed, so printing it again tomorrow gives the same paper.

The forms are Vietnamese official documents: their wording is not translated, and the labels
they print (channels, steps, outcomes, units: `dossiers.labels`) are read in Vietnamese whatever
the reader's language (`slip_data` runs under `translation.override("vi")`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from motcua.accounts.claims import format_claim_code
from motcua.accounts.models import Business, Citizen, Official
from motcua.catalog.models import Channel as CatalogChannel
from motcua.catalog.models import StepKind, TimeUnit
from motcua.dossiers.clock import CHANNEL_OF_SUBMISSION
from motcua.dossiers.labels import (
    CHANNEL_LABELS,
    INTERRUPTED_LABEL,
    OUTCOME_LABELS,
    PENDING_LABEL,
    STEP_LABELS,
    UNIT_LABELS,
)
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, SlipKind
from motcua.dossiers.slips.errors import SlipNotAvailableError
from motcua.dossiers.workflow import STAGES_OF_STEP
from motcua.units.models import Agency, AgencyKind, Level, Unit

# Form numbers of Circular 03/2025/TT-VPCP Appendix I (DOMAIN §3.1) and the forms' titles.
FORMS: dict[str, tuple[str, str]] = {
    SlipKind.RECEIPT: ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    SlipKind.SUPPLEMENT_REQUEST: ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    SlipKind.REFUSAL: ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    SlipKind.APOLOGY: ("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    SlipKind.STOP_NOTICE: ("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    SlipKind.PROCESS_CONTROL: ("06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}
REGISTER_FORM = ("07", "SỔ THEO DÕI HỒ SƠ")

# The event each slip documents; the latest one counts (a second supplement request gives the
# supplement slip a new version). The process-control slip exists once the dossier is accepted.
EVENT_OF_KIND = {
    SlipKind.RECEIPT: "accept",
    SlipKind.SUPPLEMENT_REQUEST: "request_supplement",
    SlipKind.REFUSAL: "refuse",
    SlipKind.APOLOGY: "reschedule",
    SlipKind.STOP_NOTICE: "stop",
    SlipKind.PROCESS_CONTROL: "accept",
}


def label(table: Mapping[Any, Promise], code: str, default: str = "") -> str:
    """The label of `code` in `table` as text (in the active language), else `default`."""
    found = table.get(code)
    return str(found) if found is not None else default


COMMITTEE_KINDS = frozenset({AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.COMMUNE_COMMITTEE})
# The words that open a province's name, left out of the place line ("Tuyên Quang, ngày …").
PROVINCE_WORDS = ("Tỉnh ", "Thành phố ")


def legal_tz() -> ZoneInfo:
    return ZoneInfo(settings.LEGAL_TIME_ZONE)


def moment_text(moment: dt.datetime | None) -> str:
    """`09:00, ngày 02/03/2026` in the legal time zone (the forms' hh:mm dd/mm/yyyy)."""
    if moment is None:
        return ""
    local = moment.astimezone(legal_tz())
    return f"{local:%H:%M}, ngày {local:%d/%m/%Y}"


def date_text(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(legal_tz()).date()
    return f"{moment:%d/%m/%Y}"


def place_date(place: str, moment: dt.datetime) -> str:
    """`Tuyên Quang, ngày 02 tháng 3 năm 2026`. Decree 30/2020 Appendix I: days below 10 and
    the months January and February are written with a leading zero."""
    day = moment.astimezone(legal_tz()).date()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def tracking_url(code: str) -> str:
    """The dossier's public tracking page, printed as a QR code on every slip."""
    return f"{settings.MOTCUA_PUBLIC_URL}/tra-cuu/{code}"


def procedure_url(national_code: str) -> str:
    return f"{settings.MOTCUA_PUBLIC_URL}/thu-tuc/{national_code}/"


def province_name(agency: Agency) -> str:
    unit: Unit | None = agency.unit
    while unit is not None and unit.level != Level.PROVINCE:
        unit = unit.parent
    name = unit.name if unit is not None else ""
    for word in PROVINCE_WORDS:
        if name.startswith(word):
            return name[len(word) :]
    return name


def _short_upper(name: str) -> str:
    # Headers abbreviate the People's Committee: "UBND TỈNH TUYÊN QUANG".
    return name.replace("Ủy ban nhân dân", "UBND").replace("Uỷ ban nhân dân", "UBND").upper()


def issuer(agency: Agency) -> dict[str, str]:
    """The issuing block: the superior authority over the agency's own name, upper case."""
    parent = agency.parent
    # A People's Committee heads its own documents ("ỦY BAN NHÂN DÂN XÃ CHIÊM HOÁ").
    if parent is None or agency.kind in COMMITTEE_KINDS:
        return {"superior": "", "name": agency.name.upper(), "full_name": agency.name}
    name = agency.name
    # "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang" under "UBND TỈNH TUYÊN QUANG":
    # the place is already said by the line above.
    suffix = " " + agency.unit.name
    if name.lower().endswith(suffix.lower()) and len(name) > len(suffix):
        name = name[: -len(suffix)]
    return {"superior": _short_upper(parent.name), "name": name.upper(), "full_name": agency.name}


def contact(agency: Agency) -> str:
    parts = [agency.name]
    if agency.address:
        parts.append(f"địa chỉ {agency.address}")
    if agency.phone:
        parts.append(f"điện thoại {agency.phone}")
    if agency.email:
        parts.append(f"email {agency.email}")
    return ", ".join(parts)


def applicant(dossier: Dossier) -> dict[str, str]:
    """Who the dossier is for. The ID number is printed in full: the slip goes to the applicant
    and is only downloadable by those who may see the dossier."""
    citizen: Citizen | None = dossier.applicant_citizen
    business: Business | None = dossier.applicant_business
    if citizen is not None:
        return {
            "name": dossier.applicant_name,
            "id_label": "Số định danh cá nhân",
            "id_number": citizen.personal_id,
            "address": citizen.address,
            "phone": citizen.phone,
            "email": citizen.user.email if citizen.user is not None else "",
        }
    if business is not None:
        return {
            "name": dossier.applicant_name,
            "id_label": "Mã số thuế",
            "id_number": business.tax_code,
            "address": business.address,
            "phone": business.phone,
            "email": business.user.email,
        }
    return {
        "name": dossier.applicant_name,
        "id_label": "Số định danh cá nhân",
        "id_number": "",
        "address": "",
        "phone": "",
        "email": "",
    }


def submitter_name(dossier: Dossier) -> str:
    """Who handed the dossier in: the applicant at a counter (recorded by the officer), else
    the account that submitted it (a delegate, or the applicant themselves)."""
    user = dossier.submitted_by
    if getattr(user, "is_official", False):
        return dossier.applicant_name
    citizen = Citizen.objects.filter(user=user).first()
    if citizen is not None:
        return citizen.full_name
    business = Business.objects.filter(user=user).first()
    return business.name if business is not None else dossier.applicant_name


class Events:
    """The dossier's audit trail, read once, and the officials who acted in it."""

    def __init__(self, dossier: Dossier) -> None:
        self.all = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
        actor_ids = {e.actor_id for e in self.all if e.actor_id}
        self.officials = {
            o.user_id: o for o in Official.objects.filter(user_id__in=actor_ids).order_by("id")
        }
        self.citizens = dict(
            Citizen.objects.filter(user_id__in=actor_ids).values_list("user_id", "full_name")
        )

    def last(self, action: str) -> DossierEvent | None:
        return next((e for e in reversed(self.all) if e.action == action), None)

    def count(self, action: str, *, upto: DossierEvent) -> int:
        return sum(1 for e in self.all if e.action == action and e.seq <= upto.seq)

    def name_of(self, event: DossierEvent | None) -> str:
        if event is None:
            return ""
        official = self.officials.get(event.actor_id) if event.actor_id else None
        if official is not None:
            return official.full_name
        return self.citizens.get(event.actor_id) or event.actor_name

    def acted_as(self, event: DossierEvent | None) -> str:
        """The name, followed by "TUQ. <leader's title>" when the official acted on a leader's
        behalf under a delegation (the event's payload names it)."""
        name = self.name_of(event)
        behalf = event.on_behalf_of if event is not None else None
        return f"{name} ({behalf['title']})" if behalf else name

    def signed_in(self, step: DossierStep) -> DossierEvent | None:
        """The signature given during a signing step, if any (the step ends later, at issue)."""
        return next(
            (
                e
                for e in reversed(self.all)
                if e.action == "sign"
                and e.at >= step.started_at
                and (step.finished_at is None or e.at <= step.finished_at)
            ),
            None,
        )

    def official_of(self, event: DossierEvent) -> Official | None:
        return self.officials.get(event.actor_id) if event.actor_id else None

    def handed_over_by(self, step: DossierStep) -> str:
        """Who finished `step`: the event at its end that moved the dossier out of it."""
        if step.finished_at is None:
            return ""
        stages = STAGES_OF_STEP.get(step.kind, frozenset())
        event = next(
            (
                e
                for e in self.all
                if e.at == step.finished_at
                and e.from_stage in stages
                and e.to_stage != e.from_stage  # not an upload made meanwhile
            ),
            None,
        )
        return self.acted_as(event)


def _load(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_related(
        "procedure",
        "procedure_version",
        "receiving_agency__unit__parent",
        "receiving_agency__parent",
        "competent_agency",
        "applicant_citizen__user",
        "applicant_business__user",
        "submitted_by",
    ).get(id=dossier.id)


def _agency(code: str, fallback: Agency) -> Agency:
    agency = (
        Agency.objects.filter(code=code).select_related("unit__parent", "parent").first()
        if code
        else None
    )
    return agency or fallback


def _channel(dossier: Dossier) -> CatalogChannel | None:
    """The catalogue channel whose limit and fees apply: the submission's, else the counter's."""
    wanted = (dossier.due_explanation.get("limit") or {}).get(
        "channel"
    ) or CHANNEL_OF_SUBMISSION.get(dossier.channel, "counter")
    channels = list(dossier.procedure_version.channels.order_by("id"))
    by_kind: dict[str, CatalogChannel] = {}
    for channel in channels:
        by_kind.setdefault(channel.kind, channel)
    return by_kind.get(wanted) or by_kind.get("counter") or next(iter(channels), None)


def limit_text(dossier: Dossier) -> str:
    limit = dossier.due_explanation.get("limit")
    if not limit:
        return "Không quy định thời hạn giải quyết"
    if limit.get("as_published"):
        return str(limit["as_published"])
    value, unit = limit.get("value"), limit.get("unit")
    if unit == "same_day":
        return "Trong ngày"
    # A number without its unit is printed as published, without a made-up unit word.
    unit_text = "" if unit == TimeUnit.UNKNOWN else label(UNIT_LABELS, str(unit))
    return f"{value} {unit_text}".strip()


def fees_text(dossier: Dossier) -> str:
    channel = _channel(dossier)
    if channel is None:
        return "Không"
    texts = [str(fee["text"]) for fee in channel.fees if fee.get("text")]
    if texts:
        return "; ".join(texts)
    return "Miễn phí" if channel.is_free else "Không"


def delivery_text(dossier: Dossier) -> str:
    if dossier.delivery_method == "post":
        return f"Qua dịch vụ bưu chính công ích, tới địa chỉ: {dossier.delivery_address}"
    if dossier.delivery_method == "online":
        return "Trực tuyến, qua Cổng Dịch vụ công"
    return f"Tại Bộ phận Một cửa – {dossier.receiving_agency.name}"


def documents_received(dossier: Dossier, *, until: dt.datetime) -> list[dict[str, Any]]:
    """One row per required document answered by `until` (its name, originals and copies asked
    for, files received), then uploads that answer no requirement. The receipt records what was
    received at acceptance: later uploads (a supplement, papers digitised during processing) do
    not change it."""
    rows: dict[int, dict[str, Any]] = {}
    order: dict[int, tuple[int, int]] = {}
    loose: list[dict[str, Any]] = []
    documents = dossier.documents.filter(uploaded_at__lte=until).select_related("requirement")
    for document in documents.order_by("id"):
        requirement = document.requirement
        if requirement is None:
            # Answers no requirement: named as such, never as if it completed one.
            loose.append(
                {
                    "name": f"Giấy tờ khác: {document.file_name}",
                    "originals": "",
                    "copies": "",
                    "files": 1,
                }
            )
            continue
        row = rows.setdefault(
            requirement.id,
            {
                "name": requirement.name,
                "originals": requirement.originals or 0,
                "copies": requirement.copies or 0,
                "files": 0,
            },
        )
        row["files"] += 1
        order[requirement.id] = (requirement.order, requirement.id)
    ordered = [rows[key] for key in sorted(rows, key=lambda key: order[key])]
    return [{"n": i, **row} for i, row in enumerate([*ordered, *loose], start=1)]


def _base(dossier: Dossier, kind: str, agency: Agency, dated: dt.datetime) -> dict[str, Any]:
    form, title = FORMS[kind]
    return {
        "kind": kind,
        "form": form,
        "title": title,
        "code": dossier.code,
        "issuer": issuer(agency),
        "place_date": place_date(province_name(agency), dated),
        "dated": dated.astimezone(legal_tz()).isoformat(),
        "qr_url": tracking_url(dossier.code),
        "applicant": applicant(dossier),
        "procedure": dossier.procedure_version.name,
        "procedure_code": dossier.procedure.national_code,
        "summary": dossier.summary if dossier.summary != dossier.procedure_version.name else "",
        "channel": label(CHANNEL_LABELS, dossier.channel, dossier.channel),
        "submitted_at": moment_text(dossier.submitted_at),
        "received_at": moment_text(dossier.accepted_at),
        "due_at": moment_text(dossier.due_at) or "Không xác định",
    }


def _receipt(dossier: Dossier, events: Events) -> dict[str, Any]:
    event = events.last("accept")
    assert event is not None
    data = _base(dossier, SlipKind.RECEIPT, dossier.receiving_agency, event.at)
    data.update(
        {
            "receiving_unit": dossier.receiving_agency.name,
            "documents": documents_received(dossier, until=event.at),
            "sets": "01",
            "limit": limit_text(dossier),
            "delivery": delivery_text(dossier),
            "fees": fees_text(dossier),
            "online": dossier.channel in ("online", "kiosk"),
            "submitter": submitter_name(dossier),
            "officer": events.name_of(event),
            # Only for an applicant recorded at the counter without an account (accounts.claims).
            "claim_code": format_claim_code(dossier.claim_code) if dossier.claim_code else "",
        }
    )
    return data


def _supplement_request(dossier: Dossier, events: Events) -> dict[str, Any]:
    event = events.last("request_supplement")
    assert event is not None
    agency = _agency(event.agency_code, dossier.receiving_agency)
    requirements = {
        r.name.strip().lower(): r for r in dossier.procedure_version.documents.order_by("id")
    }
    items = []
    for n, item in enumerate(event.payload.get("items", []), start=1):
        requirement = requirements.get(str(item).strip().lower())
        items.append(
            {
                "n": n,
                "name": str(item),
                "originals": (requirement.originals or 0) if requirement else "",
                "copies": (requirement.copies or 0) if requirement else "",
            }
        )
    official = events.official_of(event)
    data = _base(dossier, SlipKind.SUPPLEMENT_REQUEST, agency, event.at)
    data.update(
        {
            # Numbered per dossier (the code is printed beside it): the first request is 01.
            "number": f"{events.count('request_supplement', upto=event):02d}/HDHS",
            "items": items,
            "reason": str(event.payload.get("reason") or event.comment),
            "rules_url": procedure_url(dossier.procedure.national_code),
            "officer": events.name_of(event),
            "officer_phone": official.phone if official is not None else "",
            "contact": contact(agency),
        }
    )
    return data


def _refusal(dossier: Dossier, events: Events) -> dict[str, Any]:
    event = events.last("refuse")
    assert event is not None
    agency = _agency(event.agency_code, dossier.receiving_agency)
    data = _base(dossier, SlipKind.REFUSAL, agency, event.at)
    data.update(
        {
            "reason": str(event.payload.get("reason") or event.comment),
            "contact": contact(agency),
            "submitter": submitter_name(dossier),
            "officer": events.name_of(event),
            "online": dossier.channel in ("online", "kiosk"),
        }
    )
    return data


def _signer(events: Events, event: DossierEvent) -> dict[str, str]:
    official = events.official_of(event)
    title = official.position_title if official is not None else ""
    return {"title": (title or "Thủ trưởng cơ quan").upper(), "name": events.name_of(event)}


def _apology(dossier: Dossier, events: Events) -> dict[str, Any]:
    event = events.last("reschedule")
    assert event is not None
    agency = _agency(event.agency_code, dossier.competent_agency)
    previous = event.payload.get("previous_due")
    new = event.payload.get("new_due")
    data = _base(dossier, SlipKind.APOLOGY, agency, event.at)
    data.update(
        {
            "number": "01/PXL",  # one apology and new date per dossier
            "previous_due": moment_text(dt.datetime.fromisoformat(previous)) if previous else "",
            "new_due": moment_text(dt.datetime.fromisoformat(new)) if new else "",
            "reason": str(event.payload.get("reason") or event.comment),
            "agency_name": agency.name,
            "signer": _signer(events, event),
            "copies_to": [dossier.receiving_agency.name],
        }
    )
    return data


def _stop_notice(dossier: Dossier, events: Events) -> dict[str, Any]:
    event = events.last("stop")
    assert event is not None
    agency = _agency(event.agency_code, dossier.competent_agency)
    withdrawal = events.last("request_withdrawal")
    data = _base(dossier, SlipKind.STOP_NOTICE, agency, event.at)
    data.update(
        {
            "number": "01/TB-DXL",
            "reason": str(event.payload.get("reason") or event.comment),
            "withdrawal_at": moment_text(withdrawal.at) if withdrawal is not None else "",
            "withdrawal_reason": str(withdrawal.payload.get("reason", "")) if withdrawal else "",
            "agency_name": agency.name,
            "signer": _signer(events, event),
            "copies_to": [dossier.receiving_agency.name],
        }
    )
    return data


def _process_control(dossier: Dossier, events: Events) -> dict[str, Any]:
    accepted = events.last("accept")
    assert accepted is not None
    steps = list(
        DossierStep.objects.filter(dossier=dossier)
        .select_related("agency", "assignee")
        .order_by("started_at", "id")
    )
    rows = []
    per_agency: dict[str, dict[str, Any]] = {}
    for n, step in enumerate(steps, start=1):
        rows.append(
            {
                "n": n,
                "agency": step.agency.name,
                "task": label(STEP_LABELS, step.kind, step.kind),
                "received": moment_text(step.started_at),
                "due": moment_text(step.due_at),
                "handed_over": moment_text(step.finished_at),
                "handed_over_by": events.handed_over_by(step),
                "assignee": step.assignee.full_name if step.assignee else "",
                **_signed_by(events, step),
                "outcome": (
                    str(INTERRUPTED_LABEL)
                    if step.interrupted
                    else label(OUTCOME_LABELS, step.outcome, str(PENDING_LABEL))
                ),
            }
        )
        tally = per_agency.setdefault(
            step.agency.code,
            {"agency": step.agency.name, "early": 0, "on_time": 0, "late": 0, "open": 0},
        )
        # A step cut short by a pause is neither finished nor open: its continuation counts.
        if not step.interrupted:
            tally[step.outcome if step.outcome in OUTCOME_LABELS else "open"] += 1
    # Dated by the last handoff recorded: every change of the slip is a new version.
    dated = max(
        [accepted.at]
        + [moment for s in steps for moment in (s.started_at, s.finished_at) if moment]
    )
    coordinating = sorted(
        {
            s.agency.name
            for s in steps
            if s.agency_id not in (dossier.receiving_agency_id, dossier.competent_agency_id)
        }
    )
    data = _base(dossier, SlipKind.PROCESS_CONTROL, dossier.receiving_agency, dated)
    data.update(
        {
            "competent_agency": dossier.competent_agency.name,
            "coordinating": coordinating,
            "steps": rows,
            "per_agency": list(per_agency.values()),
            "outcome": label(OUTCOME_LABELS, dossier.outcome),
            "finished_at": moment_text(dossier.finished_at),
            "returned_at": moment_text(dossier.returned_at),
        }
    )
    return data


def _signed_by(events: Events, step: DossierStep) -> dict[str, str]:
    # Only a signing step that was signed prints a signer (the key is absent otherwise, so the
    # slips of other steps keep their content, and their version).
    if step.kind != StepKind.SIGN:
        return {}
    event = events.signed_in(step)
    return {"signed_by": events.acted_as(event)} if event is not None else {}


BUILDERS: dict[str, Callable[[Dossier, Events], dict[str, Any]]] = {
    SlipKind.RECEIPT: _receipt,
    SlipKind.SUPPLEMENT_REQUEST: _supplement_request,
    SlipKind.REFUSAL: _refusal,
    SlipKind.APOLOGY: _apology,
    SlipKind.STOP_NOTICE: _stop_notice,
    SlipKind.PROCESS_CONTROL: _process_control,
}


def available_kinds(dossier: Dossier) -> list[str]:
    """The slips this dossier has a reason for now, in form order."""
    return kinds_for_actions(
        set(
            DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True).distinct()
        )
    )


def kinds_for_actions(actions: set[str]) -> list[str]:
    """The slips a dossier whose events include `actions` has a reason for, in form order (for
    a page that has read the events already)."""
    return [kind for kind in FORMS if EVENT_OF_KIND[kind] in actions]


def slip_data(dossier: Dossier, kind: str) -> dict[str, Any]:
    """Everything slip `kind` of `dossier` prints. Raises SlipNotAvailableError for an unknown
    kind or one the dossier has no event for yet."""
    if kind not in BUILDERS:
        raise SlipNotAvailableError(dossier.code, kind)
    dossier = _load(dossier)
    events = Events(dossier)
    if events.last(EVENT_OF_KIND[kind]) is None:
        raise SlipNotAvailableError(dossier.code, kind)
    with translation.override("vi"):
        return BUILDERS[kind](dossier, events)
