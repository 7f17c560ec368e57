"""Downloads of official slips (PDF) and of an agency's dossier register (XLSX).

Mounted at the API root: `GET /dossiers/{code}/slips/{kind}.pdf` and
`GET /agencies/{code}/register.xlsx?start=&end=`.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router, Schema

from motcua.accounts.viewer import viewer_of
from motcua.common.errors import InvalidInputError
from motcua.common.schemas import error_responses
from motcua.dossiers import queries
from motcua.dossiers.access import access_dossier
from motcua.dossiers.api import AUTH
from motcua.dossiers.slips.data import FORMS
from motcua.dossiers.slips.issuing import issue_slip, read_slip
from motcua.dossiers.slips.register import access_register_for_official, render_register

router = Router(tags=["slips"], auth=AUTH)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A register longer than a year is a statistics question, not a register.
MAX_REGISTER_DAYS = 366


def _binary(content_type: str, description: str) -> dict[str, object]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/dossiers/{code}/slips/{kind}.pdf",
    summary="An official slip of a dossier, as PDF",
    description=(
        "Kinds: receipt (form 01), supplement_request (02), refusal (03), apology (04), "
        "stop_notice (05), process_control (06). The same data always gives the same file; "
        "when the data changed, a new version is issued and the earlier ones are kept. "
        "404 for a dossier you may not see and for a slip the dossier has no reason for yet."
    ),
    response=error_responses(404),
    openapi_extra=_binary("application/pdf", "The slip"),
)
def download_slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    viewer = viewer_of(request)
    dossier = access_dossier(viewer, code[:60])
    slip = issue_slip(dossier, kind[:30])
    queries.log_read(dossier, viewer, via="slip")
    response = HttpResponse(read_slip(slip), content_type="application/pdf")
    form = FORMS[slip.kind][0]
    response["Content-Disposition"] = (
        f'attachment; filename="{dossier.code}_mau-{form}_{slip.kind}_v{slip.version}.pdf"'
    )
    response["ETag"] = f'"{slip.sha256}"'
    response["X-Slip-Version"] = str(slip.version)
    response["Cache-Control"] = "private, no-cache"
    return response


class Period(Schema):
    start: dt.date
    end: dt.date


@router.get(
    "/agencies/{code}/register.xlsx",
    summary="The dossier register of an agency for a period, as XLSX",
    description=(
        "One row per dossier the agency received from `start` to `end` (both included, at "
        "most a year). Officials with a role at the agency only (403 otherwise)."
    ),
    response=error_responses(403, 404),
    openapi_extra=_binary(XLSX, "The register"),
)
def download_register(request: HttpRequest, code: str, period: Query[Period]) -> HttpResponse:
    agency = access_register_for_official(viewer_of(request), code[:40])
    if period.end < period.start:
        raise InvalidInputError("end", gettext("the period ends before it starts."))
    if (period.end - period.start).days >= MAX_REGISTER_DAYS:
        raise InvalidInputError("end", gettext("a register covers at most one year."))
    response = HttpResponse(render_register(agency, period.start, period.end), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="so-theo-doi-ho-so_{agency.code}_'
        f'{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"'
    )
    response["Cache-Control"] = "private, no-cache"
    return response
