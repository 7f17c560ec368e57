"""The public catalogue pages: search, a procedure's page, its printable handbook, its QR code.

Everything a citizen asks before going to the counter ("what do I bring, how long, how much,
where?") is on the procedure's page, in plain HTML that works without JavaScript and prints.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import segno
from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from motcua.accounts.models import Role
from motcua.catalog import queries
from motcua.catalog.models import (
    AgencySelector,
    ApplicantKind,
    Channel,
    ChannelKind,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcedureOffering,
    RequiredDocument,
    StepKind,
    TimeUnit,
)
from motcua.catalog.offering import offered_online, receiving_centres
from motcua.catalog.search import ProcedureFilters, search_procedures
from motcua.common.errors import NotFoundError
from motcua.units.demo import DEMO_PROVINCE_CODE
from motcua.units.models import Agency, AgencyKind

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
MAX_CODE_LENGTH = 60
CENTRE_EXAMPLES = 3
# Error correction M (15 %) survives a creased or smudged handbook; scale 4 is sharp enough
# on screen and paper (the image is sized by CSS).
QR_ERROR = "m"
QR_SVG_OPTIONS: dict[str, Any] = {"kind": "svg", "scale": 4, "border": 2}
QR_MAX_AGE = 24 * 60 * 60


# Search


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Procedure name or keywords"), required=False)
    field = forms.ChoiceField(label=gettext_lazy("Field"), required=False)
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        required=False,
        choices=[
            ("", gettext_lazy("All levels")),
            (ProcedureLevel.PROVINCE, ProcedureLevel.PROVINCE.label),
            (ProcedureLevel.COMMUNE, ProcedureLevel.COMMUNE.label),
        ],
    )
    online = forms.ChoiceField(
        label=gettext_lazy("Online service"),
        required=False,
        choices=[("", gettext_lazy("Any")), *OnlineLevel.choices],
    )
    applicant = forms.ChoiceField(
        label=gettext_lazy("Who applies"),
        required=False,
        choices=[("", gettext_lazy("Anyone")), *ApplicantKind.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [  # type: ignore[attr-defined]
            ("", gettext("All fields")),
            *((f.slug, f.name) for f in queries.list_fields()),
        ]

    def filters(self) -> ProcedureFilters:
        """The valid part of the query: an unknown filter value is ignored, not an error."""
        self.is_valid()
        data = self.cleaned_data
        return ProcedureFilters(
            q=(data.get("q") or "")[:MAX_QUERY_LENGTH],
            field=data.get("field") or None,
            level=data.get("level") or None,
            online=data.get("online") or None,
            applicant=data.get("applicant") or None,
        )


@dataclass(frozen=True)
class ResultRow:
    procedure: Procedure
    levels: list[str]
    time_limit: str
    fee: str


@require_safe
def procedure_search(request: HttpRequest) -> HttpResponse:
    form = ProcedureSearchForm(request.GET)
    filters = form.filters()
    paginator = Paginator(search_procedures(filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    procedures = list(page.object_list)
    channels = _channels_of(procedures)
    rows = [
        ResultRow(
            procedure=procedure,
            levels=_procedure_levels(procedure),
            time_limit=summarise_time_limit(channels.get(procedure.current_id or 0, [])),
            fee=summarise_fees(channels.get(procedure.current_id or 0, [])),
        )
        for procedure in procedures
    ]
    filtered = any((filters.field, filters.level, filters.online, filters.applicant))
    return render(
        request,
        "catalog/search.html",
        {
            "form": form,
            "query": filters.q.strip(),
            "filtered": filtered,
            "page": page,
            "rows": rows,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "count_display": format_count(paginator.count),
        },
    )


def _channels_of(procedures: Sequence[Procedure]) -> dict[int, list[Channel]]:
    """The channels of each current version on the page, in one query."""
    by_version: dict[int, list[Channel]] = {}
    version_ids = [p.current_id for p in procedures if p.current_id]
    for channel in Channel.objects.filter(version_id__in=version_ids).order_by("id"):
        by_version.setdefault(channel.version_id, []).append(channel)
    return by_version


def _procedure_levels(procedure: Procedure) -> list[str]:
    levels = []
    if procedure.at_province:
        levels.append(str(ProcedureLevel.PROVINCE.label))
    if procedure.at_commune:
        levels.append(str(ProcedureLevel.COMMUNE.label))
    return levels


# Formatting shared by the pages


def format_vnd(amount: int) -> str:
    """Vietnamese money: dot thousands, "đ" after ("50.000 đ"), in both languages."""
    return f"{amount:,}".replace(",", ".") + " đ"


def format_count(count: int) -> str:
    """1476 → "1.476" in Vietnamese, "1,476" in English (Django's vi format never groups)."""
    return f"{count:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def format_quantity(value: Decimal) -> str:
    """3.00 → "3", 1.50 → "1,5" in Vietnamese ("1.5" in English)."""
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value)


_UNIT_PHRASES = {
    TimeUnit.WORKING_DAYS: ngettext_lazy("%(n)s working day", "%(n)s working days", "count"),
    TimeUnit.DAYS: ngettext_lazy("%(n)s day", "%(n)s days", "count"),
    TimeUnit.HOURS: ngettext_lazy("%(n)s working hour", "%(n)s working hours", "count"),
    TimeUnit.MONTHS: ngettext_lazy("%(n)s month", "%(n)s months", "count"),
    TimeUnit.YEARS: ngettext_lazy("%(n)s year", "%(n)s years", "count"),
}


def describe_time_limit(channel: Channel) -> str:
    """The limit as the importer read it: "3 ngày làm việc", "Trong ngày"."""
    if channel.time_unit == TimeUnit.SAME_DAY:
        return gettext("Same day")
    phrase = _UNIT_PHRASES.get(channel.time_unit)  # type: ignore[call-overload]
    if channel.time_value is None:
        return gettext("Not stated")
    n = format_quantity(channel.time_value)
    if phrase is None:
        return gettext("%(n)s (unit not stated)") % {"n": n}
    return str(phrase % {"count": 1 if channel.time_value == 1 else 2, "n": n})


def summarise_time_limit(channels: Sequence[Channel]) -> str:
    channel = queries.summary_channel(channels)
    return describe_time_limit(channel) if channel else gettext("Not stated")


def _amounts(channels: Iterable[Channel]) -> list[int]:
    return [
        int(fee["amount_vnd"])
        for channel in channels
        for fee in channel.fees
        if isinstance(fee, dict) and fee.get("amount_vnd")
    ]


def _is_free(channel: Channel) -> bool:
    return channel.is_free or (
        bool(channel.fees)
        and all(isinstance(fee, dict) and fee.get("amount_vnd") == 0 for fee in channel.fees)
    )


def summarise_fees(channels: Sequence[Channel]) -> str:
    """The fee range over every channel ("7.000 đ – 10.000 đ"), "Free", or "Not stated"."""
    amounts = _amounts(channels)
    if amounts:
        low, high = min(amounts), max(amounts)
        return format_vnd(low) if low == high else f"{format_vnd(low)} – {format_vnd(high)}"
    if channels and all(_is_free(c) for c in channels):
        return gettext("Free of charge")
    return gettext("Not stated")


# The procedure's page


@dataclass(frozen=True)
class FeeLine:
    amount: str
    text: str


@dataclass(frozen=True)
class ChannelRow:
    kind: str
    time_limit: str
    time_text: str  # as published, when it says more than `time_limit`
    fees: list[FeeLine]
    is_free: bool
    description: str


@dataclass
class DocumentGroup:
    name: str
    documents: list[RequiredDocument] = field(default_factory=list)


@dataclass(frozen=True)
class StepRow:
    number: int
    kind: str
    role: str
    agency: str
    hours: str


@dataclass(frozen=True)
class OfferingRow:
    level: str
    competent_agency: str


@dataclass(frozen=True)
class CentreGroup:
    summary: str
    examples: list[str]
    others: int


def _get_procedure_or_404(code: str) -> Procedure:
    try:
        return queries.get_procedure_by_code(code[:MAX_CODE_LENGTH])
    except NotFoundError:
        raise Http404(code) from None


@require_safe
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _get_procedure_or_404(code)
    return render(request, "catalog/procedure_detail.html", _procedure_context(request, procedure))


@require_safe
def procedure_handbook(request: HttpRequest, code: str) -> HttpResponse:
    procedure = _get_procedure_or_404(code)
    return render(
        request, "catalog/procedure_handbook.html", _procedure_context(request, procedure)
    )


@require_safe
@cache_control(public=True, max_age=QR_MAX_AGE)
def procedure_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The procedure's page address as a QR code, for phones pointed at a printed handbook."""
    procedure = _get_procedure_or_404(code)
    return HttpResponse(qr_svg(_page_url(request, procedure)), content_type="image/svg+xml")


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error=QR_ERROR, micro=False).save(buffer, **QR_SVG_OPTIONS)
    return buffer.getvalue()


def _page_url(request: HttpRequest, procedure: Procedure) -> str:
    return request.build_absolute_uri(reverse("catalog:detail", args=[procedure.national_code]))


def _procedure_context(request: HttpRequest, procedure: Procedure) -> dict[str, Any]:
    version = procedure.current
    assert version is not None  # get_procedure_by_code returns published procedures only
    channels = list(version.channels.all())
    steps, process_is_default = queries.effective_process(version)
    offerings = [o for o in procedure.offerings.all() if o.province_code == DEMO_PROVINCE_CODE]
    user = getattr(request, "user", None)
    return {
        "procedure": procedure,
        "version": version,
        "levels": [_level_label(level) for level in version.levels],
        "time_limit": summarise_time_limit(channels),
        "fee": summarise_fees(channels),
        "channels": [_channel_row(channel) for channel in channels],
        "document_groups": _document_groups(version.documents.all()),
        "steps": [
            StepRow(
                number=number,
                kind=_label(StepKind, step.kind),
                role=_label(Role, step.role),
                agency=_selector_label(step.selector, step.agency_code),
                hours=_hours(step.budget_hours),
            )
            for number, step in enumerate(steps, start=1)
        ],
        "process_total": _hours(sum((s.budget_hours for s in steps), Decimal(0))),
        "process_is_default": process_is_default,
        "limit_unknown": queries.legal_limit_hours(version) is None,
        "local_code": offerings[0].local_code if offerings else "",
        "offerings": [_offering_row(offering) for offering in offerings],
        "centres": _centre_groups(offerings, boundary_free=version.boundary_free),
        "page_url": _page_url(request, procedure),
        "show_review_reasons": bool(user and user.is_staff),
        "online_submission": offered_online(procedure, DEMO_PROVINCE_CODE),
    }


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _level_label(level: str) -> str:
    return _label(ProcedureLevel, level)


def _selector_label(selector: str, agency_code: str | None) -> str:
    label = _label(AgencySelector, selector)
    return f"{label}: {agency_code}" if agency_code else label


def _hours(hours: Decimal) -> str:
    return ngettext("%(n)s hour", "%(n)s hours", 1 if hours == 1 else 2) % {
        "n": format_quantity(hours)
    }


def _channel_row(channel: Channel) -> ChannelRow:
    fees = [
        FeeLine(
            amount=format_vnd(int(fee["amount_vnd"])) if fee.get("amount_vnd") else "",
            text=str(fee.get("text", "")),
        )
        for fee in channel.fees
        if isinstance(fee, dict)
    ]
    time_limit = describe_time_limit(channel)
    return ChannelRow(
        kind=_label(ChannelKind, channel.kind),
        time_limit=time_limit,
        time_text=""
        if channel.time_text.casefold() == time_limit.casefold()
        else channel.time_text,
        fees=fees,
        is_free=channel.is_free,
        description=channel.description,
    )


def _document_groups(documents: Iterable[RequiredDocument]) -> list[DocumentGroup]:
    """Documents by case, in the order the record lists them; unnamed ones form their own."""
    groups: dict[str, DocumentGroup] = {}
    for document in documents:
        groups.setdefault(document.group, DocumentGroup(document.group)).documents.append(document)
    if "" in groups and len(groups) > 1:
        groups[""].name = gettext("Other documents")
    return list(groups.values())


def _agency_name(agency: Agency) -> str:
    if translation.get_language() == "en" and agency.name_en:
        return agency.name_en
    return agency.name


def _offering_row(offering: ProcedureOffering) -> OfferingRow:
    if offering.competent_agency is not None:
        competent = _agency_name(offering.competent_agency)
    else:
        competent = gettext("The People's Committee of the commune concerned")
    return OfferingRow(level=_level_label(offering.level), competent_agency=competent)


_CENTRE_KINDS = {
    AgencyKind.PROVINCIAL_CENTRE: ngettext_lazy(
        "%(count)s Provincial Public Administration Service Centre",
        "%(count)s Provincial Public Administration Service Centres",
        "count",
    ),
    AgencyKind.CENTRE_BRANCH: ngettext_lazy(
        "%(count)s branch of the provincial centre",
        "%(count)s branches of the provincial centre",
        "count",
    ),
    AgencyKind.COMMUNE_CENTRE: ngettext_lazy(
        "%(count)s commune Public Administration Service Centre",
        "%(count)s commune Public Administration Service Centres",
        "count",
    ),
}


def _centre_groups(
    offerings: Sequence[ProcedureOffering], *, boundary_free: bool
) -> list[CentreGroup]:
    """Where the procedure can be submitted in the province: count and a few names per kind."""
    if not offerings:
        return []
    centres = receiving_centres(offerings[0], boundary_free=boundary_free)
    for offering in offerings[1:]:
        centres |= receiving_centres(offering, boundary_free=boundary_free)
    by_kind: dict[str, list[Agency]] = {}
    for centre in centres.only("code", "name", "name_en", "kind"):
        by_kind.setdefault(centre.kind, []).append(centre)
    groups = []
    for kind, phrase in _CENTRE_KINDS.items():
        found = by_kind.get(kind, [])
        if found:
            groups.append(
                CentreGroup(
                    summary=str(phrase % {"count": len(found)}),
                    examples=[_agency_name(a) for a in found[:CENTRE_EXAMPLES]],
                    others=max(len(found) - CENTRE_EXAMPLES, 0),
                )
            )
    return groups
