"""Message texts from templates: `templates/notifications/<language>/<event>.<channel>.txt`, and
`<event>.subject.txt` for the email subject.

The templates are plain text, rendered by an engine of their own without HTML autoescaping
(a business called "Công ty A & B" stays as it is). SMS texts are written with diacritics and
sent without them: a message with any Vietnamese letter is sent as UCS-2, 70 characters a part
instead of 160, and some handsets still show it badly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Engine

from motcua.notifications.models import Channel

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
_ENGINE = Engine(dirs=[str(TEMPLATES_DIR)], autoescape=False)

_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")
_TYPOGRAPHY = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " "}
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render_message(
    template_key: str, *, channel: str, language: str, context: dict[str, Any]
) -> Rendered:
    """The subject (email only) and text of one message. Raises TemplateDoesNotExist for an
    event, channel or language without a template."""
    folder = f"notifications/{language}"
    body = _render(f"{folder}/{template_key}.{channel}.txt", context)
    if channel == Channel.SMS:
        return Rendered(subject="", body=sms_text(body))
    subject = _render(f"{folder}/{template_key}.subject.txt", context)
    return Rendered(subject=_one_line(subject)[:255], body=_tidy(body))


def _render(name: str, context: dict[str, Any]) -> str:
    return _ENGINE.get_template(name).render(Context(context, autoescape=False))


def sms_text(text: str) -> str:
    """One line, without diacritics or typographic punctuation: "Hồ sơ đã trả" -> "Ho so da tra".

    đ is a letter of its own in Unicode (not d + mark), so it is mapped explicitly.
    """
    text = _one_line(text.translate(_TYPOGRAPHY)).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.encode("ascii", "replace").decode("ascii")


def local_time(value: dt.datetime | str | None) -> str:
    """dd/mm/yyyy hh:mm in the legal time zone, as Vietnamese papers write a time; "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(ZoneInfo(settings.LEGAL_TIME_ZONE)).strftime("%d/%m/%Y %H:%M")


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)) + "\n"
