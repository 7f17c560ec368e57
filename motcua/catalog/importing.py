"""Importing the national portal's procedure records into versioned procedures.

The raw record's content hash decides: a new code makes a procedure and its version 1, a changed
record makes a new version (the old one is kept, superseded), an identical one changes nothing.
A record the parser could not fully read is imported with what was read and its reasons in
`review_reasons`; nothing is dropped. One transaction: a failure leaves the catalogue as it was.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from motcua.catalog.actions import publish_version
from motcua.catalog.errors import CatalogueFileError
from motcua.catalog.models import (
    Channel,
    ChannelKind,
    ImportRun,
    LegalBasis,
    OnlineLevel,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    RequiredDocument,
    ResultDocument,
    SearchWord,
    VersionStatus,
)
from motcua.catalog.parsing import ParsedProcedure, parse_record
from motcua.catalog.parsing.documents import RequiredDocument as ParsedDocument
from motcua.catalog.parsing.documents import is_conditional
from motcua.catalog.search import rebuild_search_words
from motcua.common.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_FILE = DATA_DIR / "national-catalogue-2026-07-local.json.gz"
USAGE_FILE = DATA_DIR / "usage-weights.json"

Progress = Callable[[int], None]

_CUTOFF = re.compile(r"sau (\d{1,2})(?: giờ|h| h)(?:\s*(\d{2}))?", re.IGNORECASE)


def read_records(path: Path) -> list[dict[str, Any]]:
    """The records of a national catalogue file (.json or .json.gz): a JSON list of objects."""
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            records = json.load(handle)
    except (OSError, ValueError, EOFError) as exc:
        raise CatalogueFileError(path.name, str(exc)) from exc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise CatalogueFileError(path.name, "expected a JSON list of procedure records")
    return records


def read_usage(path: Path = USAGE_FILE) -> dict[str, int]:
    try:
        usage = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueFileError(path.name, str(exc)) from exc
    return {str(code): int(weight) for code, weight in usage.items()}


def content_hash(raw: dict[str, Any]) -> str:
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def cutoff_from_steps(steps: str) -> dt.time | None:
    """ "nếu tiếp nhận hồ sơ sau 15 giờ … trả kết quả trong ngày làm việc tiếp theo" → 15:00."""
    match = _CUTOFF.search(steps)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    return dt.time(hour, minute) if 7 <= hour <= 17 and minute < 60 else None


def _review_reasons(parsed: ParsedProcedure) -> list[str]:
    return [*parsed.issues, *([] if parsed.national_code else ["record: no national code"])]


def _same_reading(version: ProcedureVersion, parsed: ParsedProcedure) -> bool:
    """Whether `version`, imported from the same record, reads it as the parser now does: its
    time limits, which documents are mandatory, and review reasons. A parser that learnt to read
    more (a unit from the steps text, a case-specific document) makes a new version of an
    unchanged record, so that existing catalogues get the new reading on the next import and
    dossiers keep the version they were filed under."""
    stored = [
        (c.kind, c.time_value, c.time_unit, c.time_text)
        for c in sorted(version.channels.all(), key=lambda c: c.id)
    ]
    read = [
        (str(c.kind), c.time_limit.value, str(c.time_limit.unit), c.time_limit.text)
        for c in parsed.channels
    ]
    mandatory = [d.mandatory for d in sorted(version.documents.all(), key=lambda d: d.order)]
    return (
        stored == read
        and mandatory == [not is_conditional(d.name) for d in _documents(parsed)]
        and version.review_reasons == _review_reasons(parsed)
    )


def _documents(parsed: ParsedProcedure) -> list[ParsedDocument]:
    return [d for group in parsed.document_groups for d in group.documents]


class _Importer:
    def __init__(self, source: str, usage: dict[str, int]) -> None:
        self.run = ImportRun.objects.create(source=source)
        self.usage = usage
        self.fields = {f.name: f for f in ProcedureField.objects.all()}
        self.procedures = {
            p.national_code: p
            for p in Procedure.objects.select_related("current").prefetch_related(
                "current__channels", "current__documents"
            )
        }

    def field(self, name: str) -> ProcedureField | None:
        if not name:
            return None
        if name not in self.fields:
            base = slugify(fold(name))[:200] or "linh-vuc"
            slug, n = base, 1
            while ProcedureField.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            self.fields[name] = ProcedureField.objects.create(name=name, slug=slug)
        return self.fields[name]

    def add(self, raw: dict[str, Any], levels: frozenset[str] | None) -> None:
        self.run.total += 1
        parsed = parse_record(raw)
        if levels is not None and not levels.intersection(parsed.levels):
            self.run.skipped += 1
            return
        code = parsed.national_code
        digest = content_hash(raw)
        procedure = self.procedures.get(code)
        weight = self.usage.get(code, 0)
        if (
            procedure is not None
            and procedure.current is not None
            and (procedure.current.content_hash == digest)
            and _same_reading(procedure.current, parsed)
        ):
            self.run.unchanged += 1
            if procedure.usage_weight != weight and self.usage:
                procedure.usage_weight = weight
                procedure.save(update_fields=["usage_weight"])
            self._count_flag(procedure.current.review_reasons, code)
            return
        if procedure is None:
            procedure = Procedure.objects.create(national_code=code, name=parsed.name)
            self.procedures[code] = procedure
            self.run.new += 1
        else:
            self.run.changed += 1
        version = self._make_version(procedure, parsed, digest)
        publish_version(version, usage_weight=weight if self.usage else None)
        self._count_flag(version.review_reasons, code)

    def _count_flag(self, reasons: list[str], code: str) -> None:
        if reasons:
            self.run.flagged += 1
            self.run.flagged_codes.append(code)

    def _make_version(
        self, procedure: Procedure, parsed: ParsedProcedure, digest: str
    ) -> ProcedureVersion:
        number = (
            procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        reasons = _review_reasons(parsed)
        has_online = any(c.kind == "online" for c in parsed.channels)
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=number,
            status=VersionStatus.DRAFT,
            content_hash=digest,
            source=self.run.source,
            name=parsed.name,
            decision_number=parsed.decision_number,
            levels=[str(level) for level in parsed.levels],
            field=self.field(parsed.field_name),
            procedure_type=parsed.procedure_type,
            applicants=list(parsed.applicant_types),
            competent_agency=parsed.agencies.competent,
            implementing_agency=parsed.agencies.implementing,
            receiving_address=parsed.agencies.receiving,
            delegated_agency=parsed.agencies.delegated,
            coordinating_agency=parsed.agencies.coordinating,
            steps_text=parsed.steps_text,
            requirements_text=parsed.requirements_text,
            related_text=parsed.related_text,
            # The record does not say full-process or partial (Decree 42/2022); an online
            # channel is at least partial, and an administrator confirms full-process.
            online_level=OnlineLevel.PARTIAL if has_online else OnlineLevel.NONE,
            boundary_free=True,
            inter_agency=bool(parsed.agencies.coordinating),
            cutoff_time=cutoff_from_steps(parsed.steps_text),
            detail_url=parsed.detail_url[:500],
            review_reasons=reasons,
        )
        Channel.objects.bulk_create(
            [
                Channel(
                    version=version,
                    kind=ChannelKind(str(c.kind)),
                    time_value=c.time_limit.value,
                    time_unit=str(c.time_limit.unit),
                    time_text=c.time_limit.text,
                    fees=[{"amount_vnd": f.amount_vnd, "text": f.text} for f in c.fees],
                    is_free=c.is_free,
                    description=c.description,
                )
                for c in parsed.channels
            ]
        )
        RequiredDocument.objects.bulk_create(
            [
                RequiredDocument(
                    version=version,
                    group=group.title,
                    order=order,
                    name=doc.name,
                    originals=doc.originals,
                    copies=doc.copies,
                    form_template=(doc.form_template or "")[:500],
                    mandatory=not is_conditional(doc.name),
                )
                for order, (group, doc) in enumerate(
                    (g, d) for g in parsed.document_groups for d in g.documents
                )
            ]
        )
        ResultDocument.objects.bulk_create(
            [
                ResultDocument(version=version, name=r.name, code=(r.code or "")[:50])
                for r in parsed.results
            ]
        )
        LegalBasis.objects.bulk_create(
            [
                LegalBasis(version=version, title=doc.title, number=(doc.number or "")[:100])
                for doc in parsed.legal_basis
            ]
        )
        return version


@transaction.atomic
def import_records(
    records: Iterable[dict[str, Any]],
    *,
    source: str,
    usage: dict[str, int] | None = None,
    levels: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import national catalogue records; all or nothing. Returns the run with its counts."""
    importer = _Importer(source, usage or {})
    wanted = frozenset(levels) if levels is not None else None
    for raw in records:
        importer.add(raw, wanted)
        if progress:
            progress(1)
    if importer.run.new or importer.run.changed or not SearchWord.objects.exists():
        rebuild_search_words()
    importer.run.finished_at = timezone.now()
    importer.run.save()
    return importer.run
