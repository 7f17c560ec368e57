from __future__ import annotations

import unicodedata

from django import template

register = template.Library()


@register.filter
def nfc(value: str) -> str:
    """Compose letters written as a base letter plus combining accents into single characters.

    Django's own language names for Vietnamese are decomposed; composed text is what search,
    copy-paste and some screen readers expect.
    """
    return unicodedata.normalize("NFC", str(value))
