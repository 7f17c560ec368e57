"""Errors reach a Vietnamese user in Vietnamese, which is the default language."""

from __future__ import annotations

import pytest
from django.utils import translation

from motcua.accounts.identifiers import parse_personal_id
from motcua.common.errors import InvalidInputError


def test_invalid_id_error_is_in_vietnamese_by_default() -> None:
    with translation.override("vi"), pytest.raises(InvalidInputError) as caught:
        parse_personal_id("03519900012")  # 11 digits
    message = caught.value.msg
    assert "12 chữ số" in message
    assert "03519900012" not in message  # never echo the number
