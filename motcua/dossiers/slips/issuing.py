"""Issuing a slip: the same data gives back the same stored slip, changed data a new version.

A slip is identified by the hash of what it prints (data.py) and of the layout it is printed
with (render.layout_fingerprint). Issuing it again with the same hash returns the row and the
file already kept — byte for byte what was handed out. When the data changed (a new due date, a
further step), a new version is rendered and kept beside the earlier ones, which are never
changed or removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierSlip
from motcua.dossiers.slips.data import slip_data
from motcua.dossiers.slips.render import layout_fingerprint, render_pdf
from motcua.dossiers.storage import path_for

logger = logging.getLogger(__name__)


class SlipFileMismatchError(RuntimeError):
    """A slip's file was lost and rendering it again gave other bytes: an operations problem
    (restore the file from backup) rather than something to paper over with a new version."""


def data_hash(kind: str, data: dict[str, Any]) -> str:
    canonical = json.dumps(
        {"kind": kind, "data": data, "layout": layout_fingerprint()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def slip_path(slip: DossierSlip) -> Path:
    return Path(settings.MOTCUA_MEDIA_ROOT) / slip.file_path


def read_slip(slip: DossierSlip) -> bytes:
    return slip_path(slip).read_bytes()


def _keep(content: bytes) -> tuple[str, Path]:
    """Write `content` under its SHA-256, once (content-addressed, like uploads)."""
    sha256 = hashlib.sha256(content).hexdigest()
    target = path_for(sha256)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            tmp.write(content)
        os.replace(tmp.name, target)
    return sha256, target


def _existing(dossier: Dossier, kind: str, digest: str) -> DossierSlip | None:
    return DossierSlip.objects.filter(dossier=dossier, kind=kind, data_hash=digest).first()


def _restore_if_lost(slip: DossierSlip, kind: str, data: dict[str, Any]) -> None:
    if slip_path(slip).exists():
        return
    sha256, _path = _keep(render_pdf(kind, data))
    if sha256 != slip.sha256:
        raise SlipFileMismatchError(f"{slip}: the file is missing and renders differently now")
    logger.warning("Slip file of %s was missing; rendered it again", slip)


def issue_slip(dossier: Dossier, kind: str) -> DossierSlip:
    """The current slip `kind` of `dossier`, issuing a new version if its data changed.

    Renders outside any transaction and writes the file before the row (a failed commit leaves
    at most an unreferenced file). Then, in a short transaction, locks the dossier row to number
    the version; a concurrent issue of the same data returns the row it created. Emits no event:
    the slip rows are their own record. Raises SlipNotAvailableError (unknown kind, or nothing
    to issue yet).
    """
    data = slip_data(dossier, kind)
    digest = data_hash(kind, data)
    existing = _existing(dossier, kind, digest)
    if existing is not None:
        _restore_if_lost(existing, kind, data)
        return existing
    content = render_pdf(kind, data)
    sha256, path = _keep(content)
    try:
        with transaction.atomic(durable=True):
            Dossier.objects.select_for_update(no_key=True).filter(id=dossier.id).first()
            existing = _existing(dossier, kind, digest)
            if existing is not None:
                return existing
            last = DossierSlip.objects.filter(dossier=dossier, kind=kind).aggregate(
                last=Max("version")
            )["last"]
            slip = DossierSlip.objects.create(
                dossier=dossier,
                kind=kind,
                version=(last or 0) + 1,
                data_hash=digest,
                sha256=sha256,
                size=len(content),
                file_path=str(path.relative_to(Path(settings.MOTCUA_MEDIA_ROOT))),
                dated=dt.datetime.fromisoformat(data["dated"]),
                created_at=timezone.now(),
            )
    except IntegrityError:
        # A concurrent issue of the same data won the insert (the constraint settles it).
        existing = _existing(dossier, kind, digest)
        if existing is None:
            raise
        return existing
    logger.info(
        "Slip %s v%s issued for %s",
        kind,
        slip.version,
        dossier.code,
        extra={"dossier_id": dossier.id},
    )
    return slip
