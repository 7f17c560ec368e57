"""Content-addressed storage of uploaded files: a file is kept once, under its SHA-256.

Accepted: PDF, JPEG and PNG, typed by content; a PDF only without active content (JavaScript,
embedded files, launch actions, XFA, rich media: motcua.dossiers.pdf_safety).

Files are written before the database row (never inside the transaction, STYLE.md §6); a row
that fails to commit leaves at most an unreferenced file, never a row without its file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from motcua.dossiers.errors import UploadRefusedError
from motcua.dossiers.pdf_safety import LABELS, find_active_content

# Type by content, not by name: the first bytes of each accepted format.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
# A name may end in one of these for each type, or have no extension: "don.pdf" holding a PNG
# would be shown and opened as what it is not.
EXTENSIONS = {
    "application/pdf": frozenset({".pdf"}),
    "image/jpeg": frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    "image/png": frozenset({".png"}),
}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str


def storage_root() -> Path:
    return Path(settings.MOTCUA_MEDIA_ROOT) / "documents"


def path_for(sha256: str) -> Path:
    return storage_root() / sha256[:2] / sha256[2:4] / sha256


def sniff(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def store_upload(upload: UploadedFile) -> StoredFile:
    """Check type and size, then keep the file under its hash. Raises UploadRefusedError."""
    name = upload.name or "file"
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise UploadRefusedError(
            name, gettext("it is larger than {mb} MB.").format(mb=limit // (1024 * 1024))
        )
    digest = hashlib.sha256()
    size = 0
    head = b""
    root = storage_root()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, delete=False) as tmp:
        try:
            for chunk in upload.chunks():
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                size += len(chunk)
                if size > limit:
                    raise UploadRefusedError(
                        name,
                        gettext("it is larger than {mb} MB.").format(mb=limit // (1024 * 1024)),
                    )
                digest.update(chunk)
                tmp.write(chunk)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    content_type = sniff(head)
    if content_type is None or size == 0:
        os.unlink(tmp.name)
        raise UploadRefusedError(name, gettext("only PDF, JPEG and PNG files are accepted."))
    suffix = Path(name).suffix.lower()
    if suffix and suffix not in EXTENSIONS[content_type]:
        os.unlink(tmp.name)
        raise UploadRefusedError(
            name,
            gettext("its name ends in {suffix} but it holds another kind of file.").format(
                suffix=suffix
            ),
        )
    if content_type == "application/pdf":
        # After the cheap checks, before the file is kept (motcua.dossiers.pdf_safety).
        active = find_active_content(Path(tmp.name))
        if active is not None:
            os.unlink(tmp.name)
            raise UploadRefusedError(
                name,
                gettext(
                    "it is a PDF with active content ({what}), which documents may not carry; "
                    "save or print it again as a plain PDF."
                ).format(what=LABELS[active]),
            )
    target = path_for(digest.hexdigest())
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.unlink(tmp.name)  # the same content is already kept
    else:
        os.replace(tmp.name, target)
    return StoredFile(digest.hexdigest(), size, content_type)
