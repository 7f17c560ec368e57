"""The dossier register (sổ theo dõi hồ sơ, form 07) of an agency for a period, as XLSX.

One row per dossier the agency received in the period: at a service centre, the dossiers it
accepted (refused ones got form 03 and are not entered); at a deciding agency, the dossiers
that reached it (its first step started in the period). Days are taken in the legal time zone,
both ends included. Open dossiers are shown in time or overdue at the end of the period, or now
if the period has not ended (DOMAIN §2.4).

The workbook is byte-stable for the same rows: fixed document properties and zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.accounts.viewer import Viewer
from motcua.common.errors import NotFoundError
from motcua.dossiers.labels import (
    OUTCOME_LABELS,
    PENDING_IN_TIME_LABEL,
    PENDING_LABEL,
    PENDING_OVERDUE_LABEL,
    STATUS_LABELS,
)
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.slips.data import REGISTER_FORM, date_text, label, legal_tz
from motcua.dossiers.slips.errors import RegisterForbiddenError
from motcua.dossiers.workflow import Status
from motcua.units.models import Agency

COLUMNS = (
    ("STT", 6),
    ("Mã hồ sơ", 24),
    ("Người nộp", 26),
    ("Thủ tục hành chính", 48),
    ("Tiếp nhận", 17),
    ("Hẹn trả", 17),
    ("Hoàn thành", 17),
    ("Trả kết quả", 17),
    ("Kết quả", 22),
    ("Ghi chú", 40),
)
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Zip entries need a timestamp; a fixed one keeps the same register byte-identical.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
MODIFIED_RE = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def access_register_for_official(viewer: Viewer, agency_code: str) -> Agency:
    """The agency whose register `viewer` asks for, if they hold a role there (any role: the
    register is the agency's own working record). NotFoundError for an unknown agency (agencies
    are public), RegisterForbiddenError for anyone else."""
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise NotFoundError(gettext("agency"), agency_code)
    if agency.id not in viewer.agency_ids():
        raise RegisterForbiddenError(agency.code)
    return agency


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = legal_tz()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def received_dossiers(
    agency: Agency, start: dt.date, end: dt.date
) -> list[tuple[dt.datetime, Dossier]]:
    """(time received at `agency`, dossier), oldest first."""
    since, until = _bounds(start, end)
    received: dict[int, dt.datetime] = dict(
        Dossier.objects.filter(
            receiving_agency=agency, accepted_at__gte=since, accepted_at__lt=until
        ).values_list("id", "accepted_at")
    )
    reached = (
        DossierStep.objects.filter(agency=agency)
        .exclude(dossier__receiving_agency=agency)
        .values("dossier_id")
        .annotate(first=Min("started_at"))
        .filter(first__gte=since, first__lt=until)
    )
    for row in reached:
        received.setdefault(row["dossier_id"], row["first"])
    dossiers = Dossier.objects.filter(id__in=received).select_related("procedure_version")
    return sorted(((received[d.id], d) for d in dossiers), key=lambda pair: (pair[0], pair[1].id))


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # Excel has no time zones: the legal local time, without tzinfo.
    return moment.astimezone(legal_tz()).replace(tzinfo=None) if moment else None


def _outcome(dossier: Dossier, at: dt.datetime) -> str:
    if dossier.outcome:
        return label(OUTCOME_LABELS, dossier.outcome)
    if dossier.status in (Status.REFUSED, Status.STOPPED):
        return str(STATUS_LABELS[Status(dossier.status)])
    if dossier.due_at is None:
        return str(PENDING_LABEL)
    return str(PENDING_OVERDUE_LABEL if at > dossier.due_at else PENDING_IN_TIME_LABEL)


def _notes(dossier: Dossier) -> str:
    notes = [str(STATUS_LABELS[Status(dossier.status)])]
    if dossier.supplement_count:
        notes.append(f"Yêu cầu bổ sung {dossier.supplement_count} lần")
    if dossier.reschedule_count:
        notes.append(f"Đã xin lỗi, hẹn lại ngày trả (hẹn cũ {date_text(dossier.previous_due_at)})")
    return "; ".join(notes)


def register_rows(
    agency: Agency, start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> list[list[Any]]:
    """The register's rows, in Vietnamese whatever the reader's language (it is form 07)."""
    at = min(now or timezone.now(), _bounds(start, end)[1])
    with translation.override("vi"):
        return _rows(agency, start, end, at)


def _rows(agency: Agency, start: dt.date, end: dt.date, at: dt.datetime) -> list[list[Any]]:
    return [
        [
            n,
            dossier.code,
            dossier.applicant_name,
            dossier.procedure_version.name,
            _local(received),
            _local(dossier.due_at),
            _local(dossier.finished_at),
            _local(dossier.returned_at),
            _outcome(dossier, at),
            _notes(dossier),
        ]
        for n, (received, dossier) in enumerate(received_dossiers(agency, start, end), start=1)
    ]


def _stable_zip(content: bytes, *, modified: dt.datetime) -> bytes:
    """The workbook with fixed zip timestamps and its modification date set to `modified`
    (openpyxl writes the time of saving there)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    stamp = f"{modified:%Y-%m-%dT%H:%M:%SZ}".encode()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = MODIFIED_RE.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return output.getvalue()


def render_register(
    agency: Agency, start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> bytes:
    """The register of `agency` from `start` to `end` (both included) as an XLSX file."""
    rows = register_rows(agency, start, end, now=now)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ theo dõi hồ sơ"
    form, title = REGISTER_FORM
    bold = Font(bold=True)
    sheet.append([f"Mẫu số {form}"])
    sheet.append([title])
    sheet.append([agency.name])
    sheet.append([f"Từ ngày {date_text(start)} đến ngày {date_text(end)}"])
    sheet.append([])
    sheet.append([name for name, _width in COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[2] + sheet[3]:
        cell.font = bold
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[header_row]:
        cell.font = bold
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(cell.value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    # Dated by the end of the period, in UTC as the core properties are read.
    stamp = _bounds(start, end)[1].astimezone(dt.UTC).replace(tzinfo=None)
    workbook.properties.creator = agency.name
    workbook.properties.title = f"{title} – {agency.name}"
    workbook.properties.created = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _stable_zip(buffer.getvalue(), modified=stamp)
