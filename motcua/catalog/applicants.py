"""Who may apply, as filter kinds, from the published applicant texts."""

from __future__ import annotations

from collections.abc import Iterable

from motcua.catalog.models import ApplicantKind
from motcua.common.text import fold

_APPLICANT_WORDS: tuple[tuple[str, ApplicantKind], ...] = (
    ("cong dan", ApplicantKind.CITIZEN),
    ("ca nhan", ApplicantKind.CITIZEN),
    ("doanh nghiep", ApplicantKind.BUSINESS),
    ("hop tac xa", ApplicantKind.BUSINESS),
    ("to chuc", ApplicantKind.ORGANISATION),
    ("nuoc ngoai", ApplicantKind.FOREIGNER),
    ("can bo, cong chuc", ApplicantKind.OFFICIAL),
)


def applicant_kinds(applicants: Iterable[str]) -> list[str]:
    kinds: list[str] = []
    for applicant in applicants:
        folded = fold(applicant)
        for words, kind in _APPLICANT_WORDS:
            if (
                words in folded
                and kind not in kinds
                and not (kind == ApplicantKind.BUSINESS and "khong bao gom doanh nghiep" in folded)
            ):
                kinds.append(kind)
    return kinds
