"""One procedure record of the national catalogue, parsed into plain frozen dataclasses.

`parse_record` never raises and never drops a record: the importer stores what could be read
and shows `issues` to a reviewer. An issue is raised when a part could not be read, or when a
part the law requires to be published (Decree 63/2010 art. 8(2): steps, channels and time
limits, documents, result, legal basis) is missing, since either way a person must look.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from motcua.catalog.parsing.channels import Channel, parse_channels
from motcua.catalog.parsing.documents import DocumentGroup, parse_documents
from motcua.catalog.parsing.issues import make_issue
from motcua.catalog.parsing.legal_basis import LegalDoc, parse_legal_basis
from motcua.catalog.parsing.results import ResultDoc, parse_results
from motcua.catalog.parsing.text import clean_block, clean_inline, without_placeholder


class Level(StrEnum):
    MINISTRY = "ministry"
    PROVINCE = "province"
    COMMUNE = "commune"
    OTHER = "other"


_LEVELS = {
    "Cấp bộ": Level.MINISTRY,
    "Cấp tỉnh": Level.PROVINCE,
    "Cấp xã": Level.COMMUNE,
    "Cơ quan khác": Level.OTHER,
}


@dataclass(frozen=True)
class Agencies:
    """Agency texts as published: names, sometimes several, sometimes with addresses."""

    competent: str  # co_quan_co_tham_quyen
    implementing: str  # co_quan_thuc_hien
    receiving: str  # dia_chi_tiep_nhan: where dossiers are received
    delegated: str  # co_quan_duoc_uy_quyen
    coordinating: str  # co_quan_phoi_hop


@dataclass(frozen=True)
class ParsedProcedure:
    """A catalogue record as read. Texts are NFC with plain spaces, and "" where the portal
    gave nothing ("Không có thông tin" included). Collections are tuples, so a parsed record is
    immutable and two parses compare equal. `issues` lists every part a reviewer must check."""

    national_code: str
    name: str
    decision_number: str
    levels: tuple[Level, ...]
    field_name: str
    procedure_type: str
    applicant_types: tuple[str, ...]
    agencies: Agencies
    steps_text: str
    channels: tuple[Channel, ...]
    document_groups: tuple[DocumentGroup, ...]
    requirements_text: str
    results: tuple[ResultDoc, ...]
    result_note: str
    legal_basis: tuple[LegalDoc, ...]
    related_text: str
    detail_url: str
    formality_id: str
    issues: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        """True if a reviewer must look at the record before it is published."""
        return bool(self.issues)


FIELDS = (
    "ma_thu_tuc",
    "ten_thu_tuc",
    "so_quyet_dinh",
    "cap_thuc_hien",
    "loai_thu_tuc",
    "linh_vuc",
    "doi_tuong_thuc_hien",
    "co_quan_co_tham_quyen",
    "dia_chi_tiep_nhan",
    "co_quan_duoc_uy_quyen",
    "co_quan_phoi_hop",
    "thu_tuc_lien_quan",
    "trinh_tu_thuc_hien",
    "cach_thuc_thuc_hien",
    "thanh_phan_ho_so",
    "can_cu_phap_ly",
    "co_quan_thuc_hien",
    "yeu_cau_dieu_kien",
    "ket_qua_xu_ly",
    "detail_url",
    "formality_id",
)
# "1.000178", "2.002039": the national code of a procedure.
_NATIONAL_CODE = re.compile(r"\d\.\d{6}")
# Applicant types are comma-separated, but "Tổ chức (không bao gồm doanh nghiệp, HTX)" has a
# comma inside parentheses and "Cán bộ, công chức, viên chức" is one type whose later parts
# start in lower case.
_COMMA_OUTSIDE_PARENTHESES = re.compile(r",\s*(?![^()]*\))")


def _fields(raw: object) -> tuple[dict[str, str], list[str]]:
    """The record's text fields; missing or non-text ones become "" and are reported."""
    if not isinstance(raw, Mapping):
        return dict.fromkeys(FIELDS, ""), [
            make_issue("record", "not a mapping", type(raw).__name__)
        ]
    values: dict[str, str] = {}
    issues: list[str] = []
    for key in FIELDS:
        value = raw.get(key)
        if key not in raw:
            issues.append(make_issue("record", "field missing", key))
            value = ""
        elif value is None:
            value = ""
        elif not isinstance(value, str):
            issues.append(make_issue("record", "field is not text", key))
            value = ""
        values[key] = value
    return values, issues


def _levels(text: str) -> tuple[tuple[Level, ...], list[str]]:
    levels: list[Level] = []
    issues: list[str] = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        level = _LEVELS.get(part)
        if level is None:
            issues.append(make_issue("levels", "unknown level", part))
        elif level not in levels:
            levels.append(level)
    if not levels and not issues:
        issues.append(make_issue("levels", "none listed"))
    return tuple(levels), issues


def _applicant_types(text: str) -> tuple[str, ...]:
    types: list[str] = []
    for part in filter(None, (p.strip() for p in _COMMA_OUTSIDE_PARENTHESES.split(text))):
        if types and part[0].islower():
            types[-1] = f"{types[-1]}, {part}"
        else:
            types.append(part)
    return tuple(types)


def _agency(text: str) -> str:
    return without_placeholder(clean_inline(text))


def parse_record(raw: Mapping[str, object]) -> ParsedProcedure:
    """Parse one raw catalogue record. Always returns; unreadable parts are listed in `issues`."""
    fields, issues = _fields(raw)
    national_code = clean_inline(fields["ma_thu_tuc"])
    if not national_code:
        issues.append(make_issue("record", "national code missing"))
    elif not _NATIONAL_CODE.fullmatch(national_code):
        issues.append(make_issue("record", "national code not in the d.dddddd form", national_code))
    name = clean_inline(fields["ten_thu_tuc"])
    if not name:
        issues.append(make_issue("record", "name missing"))
    levels, level_issues = _levels(clean_inline(fields["cap_thuc_hien"]))
    applicant_types = _applicant_types(clean_inline(fields["doi_tuong_thuc_hien"]))
    if not applicant_types:
        issues.append(make_issue("applicants", "none listed"))
    steps_text = without_placeholder(clean_block(fields["trinh_tu_thuc_hien"]))
    if not steps_text:
        issues.append(make_issue("steps", "none listed"))
    channels, channel_issues = parse_channels(fields["cach_thuc_thuc_hien"], steps=steps_text)
    groups, document_issues = parse_documents(fields["thanh_phan_ho_so"])
    results = parse_results(fields["ket_qua_xu_ly"])
    legal_basis, legal_issues = parse_legal_basis(fields["can_cu_phap_ly"])
    return ParsedProcedure(
        national_code=national_code,
        name=name,
        decision_number=clean_inline(fields["so_quyet_dinh"]),
        levels=levels,
        field_name=clean_inline(fields["linh_vuc"]),
        procedure_type=clean_inline(fields["loai_thu_tuc"]),
        applicant_types=applicant_types,
        agencies=Agencies(
            competent=_agency(fields["co_quan_co_tham_quyen"]),
            implementing=_agency(fields["co_quan_thuc_hien"]),
            receiving=_agency(fields["dia_chi_tiep_nhan"]),
            delegated=_agency(fields["co_quan_duoc_uy_quyen"]),
            coordinating=_agency(fields["co_quan_phoi_hop"]),
        ),
        steps_text=steps_text,
        channels=channels,
        document_groups=groups,
        requirements_text=without_placeholder(clean_block(fields["yeu_cau_dieu_kien"])),
        results=results.results,
        result_note=results.note,
        legal_basis=legal_basis,
        related_text=without_placeholder(clean_block(fields["thu_tuc_lien_quan"])),
        detail_url=clean_inline(fields["detail_url"]),
        formality_id=clean_inline(fields["formality_id"]),
        issues=(
            *issues,
            *level_issues,
            *channel_issues,
            *document_issues,
            *results.issues,
            *legal_issues,
        ),
    )
