"""Active content in an uploaded PDF: what a document store must not keep and hand to officials.

A PDF can carry JavaScript (run when it opens, or on a page or field event), actions that launch
programs or import data, embedded files (any executable, shown as an attachment), XFA forms
(scripted XML forms) and rich media. None of these belongs in a citizen's dossier, and each
would run, or be one click away, on an official's workstation. Such a PDF is refused with the
reason, so the applicant can print it again as a plain PDF; it is not silently stripped, which
could change a signed document's meaning.

Two passes, because either alone can be fooled:

- the structure, read with pypdf: every object in the cross-reference table, including those
  packed (and compressed) in object streams, and every dictionary nested in them. Names are
  compared after pypdf decodes their `#xx` escapes (`/J#61vaScript` is `/JavaScript`);
- the raw bytes, for the long names of active content (`/JavaScript`, `/Launch`,
  `/EmbeddedFile`, …, escapes decoded), which also catches objects left outside the table (a
  reader that rebuilds a damaged table would find them) and files pypdf cannot read at all.
  Short names (`/JS`, `/AA`) are left to the first pass: in compressed image data four bytes
  match by chance too often.
"""

from __future__ import annotations

import logging
import re
import zlib
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)


class ActiveContent(StrEnum):
    JAVASCRIPT = "javascript"
    LAUNCH = "launch"
    EMBEDDED_FILE = "embedded_file"
    XFA = "xfa"
    RICH_MEDIA = "rich_media"


LABELS = {
    ActiveContent.JAVASCRIPT: _("JavaScript"),
    ActiveContent.LAUNCH: _("an action that opens a program or imports data"),
    ActiveContent.EMBEDDED_FILE: _("an embedded file"),
    ActiveContent.XFA: _("an XFA form"),
    ActiveContent.RICH_MEDIA: _("rich media (Flash, sound or video)"),
}

_KEYS = {
    "/JS": ActiveContent.JAVASCRIPT,
    "/JavaScript": ActiveContent.JAVASCRIPT,
    "/EmbeddedFiles": ActiveContent.EMBEDDED_FILE,
    "/EF": ActiveContent.EMBEDDED_FILE,
    "/XFA": ActiveContent.XFA,
    "/RichMediaContent": ActiveContent.RICH_MEDIA,
}
_ACTIONS = {  # the /S of an action dictionary
    "/JavaScript": ActiveContent.JAVASCRIPT,
    "/Launch": ActiveContent.LAUNCH,
    "/ImportData": ActiveContent.LAUNCH,
    "/RichMediaExecute": ActiveContent.RICH_MEDIA,
}
_TYPES = {  # the /Type or /Subtype of an object
    "/EmbeddedFile": ActiveContent.EMBEDDED_FILE,
    "/FileAttachment": ActiveContent.EMBEDDED_FILE,
    "/RichMedia": ActiveContent.RICH_MEDIA,
    "/Movie": ActiveContent.RICH_MEDIA,
    "/Sound": ActiveContent.RICH_MEDIA,
}
# Names long enough that finding one by chance in binary data is negligible.
_RAW_NAMES = {
    b"/JavaScript": ActiveContent.JAVASCRIPT,
    b"/Launch": ActiveContent.LAUNCH,
    b"/ImportData": ActiveContent.LAUNCH,
    b"/EmbeddedFile": ActiveContent.EMBEDDED_FILE,
    b"/EmbeddedFiles": ActiveContent.EMBEDDED_FILE,
    b"/FileAttachment": ActiveContent.EMBEDDED_FILE,
    b"/RichMedia": ActiveContent.RICH_MEDIA,
    b"/RichMediaContent": ActiveContent.RICH_MEDIA,
}
_NAME = re.compile(rb"/(?:[A-Za-z]|#[0-9A-Fa-f]{2}){6,24}(?![A-Za-z#])")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# What a malformed PDF makes pypdf raise besides its own errors.
_READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
                RecursionError, zlib.error)  # fmt: skip


def _in_dictionary(d: DictionaryObject) -> ActiveContent | None:
    for key in d:
        if key in _KEYS:
            return _KEYS[key]
    for key, table in (("/S", _ACTIONS), ("/Type", _TYPES), ("/Subtype", _TYPES)):
        value = d.get(key)
        if isinstance(value, str) and value in table:
            return table[value]
    return None


def _walk(value: Any, depth: int = 0) -> ActiveContent | None:
    """Direct objects only: an indirect reference is an object of its own, visited as such."""
    if depth > 64 or isinstance(value, IndirectObject):
        return None
    if isinstance(value, DictionaryObject):
        found = _in_dictionary(value)
        if found:
            return found
        children: Any = value.values()
    elif isinstance(value, ArrayObject):
        children = value
    else:
        return None
    for child in children:
        found = _walk(child, depth + 1)
        if found:
            return found
    return None


def _in_structure(path: Path) -> ActiveContent | None:
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        reader.decrypt("")  # most "encrypted" PDFs only restrict printing or copying
    found = _walk(reader.trailer)
    if found:
        return found
    numbers = {(n, generation) for generation, ids in reader.xref.items() for n in ids}
    numbers |= {(n, 0) for n in reader.xref_objStm}
    for number, generation in sorted(numbers):
        found = _walk(reader.get_object(IndirectObject(number, generation, reader)))
        if found:
            return found
    return None


def _in_bytes(data: bytes) -> ActiveContent | None:
    for match in _NAME.finditer(data):
        name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group())
        if name in _RAW_NAMES:
            return _RAW_NAMES[name]
    return None


def find_active_content(path: Path) -> ActiveContent | None:
    """The first kind of active content found in the PDF at `path`, or None if it has none."""
    found = _in_bytes(path.read_bytes())
    if found:
        return found
    try:
        return _in_structure(path)
    except _READ_ERRORS:
        # A damaged file pypdf cannot read: the byte scan above is all that can be checked,
        # and such files are common (scanners, old software); readers open them anyway.
        logger.info("An uploaded PDF could not be parsed; checked by its bytes only")
        return None
