"""Procedure search: one box, no accents needed, typos tolerated.

Every word the citizen types must match the accent-folded name ("dang ky khai sinh", "Đăng ký
khai sinh" and "ĐĂNG KÝ KHAI SINH" are one query; "Hoà"/"Hòa" fold alike). A word that matches
nothing is taken for a typo: on PostgreSQL trigram word similarity (pg_trgm) finds near names;
on SQLite, which has no trigram index, the word is replaced by the nearest word of the
catalogue's own vocabulary. Results rank by relevance — the whole phrase at the start of the
name, then anywhere, then all words — and then by real usage.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from motcua.catalog.models import ImportRun, Procedure
from motcua.common.text import fold

# Word similarity above which a name counts as a typo match (pg_trgm's own default is 0.6;
# one wrong letter in a short word drops it to about 0.5).
TRIGRAM_THRESHOLD = 0.45
MAX_QUERY_WORDS = 12


@dataclass(frozen=True)
class ProcedureFilters:
    q: str = ""
    field: str | None = None  # ProcedureField slug
    level: str | None = None  # "province" | "commune"
    online: str | None = None  # OnlineLevel value
    applicant: str | None = None  # ApplicantKind value


def search_procedures(filters: ProcedureFilters) -> QuerySet[Procedure]:
    """Procedures matching the filters, best first (empty query: most used first)."""
    procedures = Procedure.objects.filter(current__isnull=False).select_related("field")
    if filters.field:
        procedures = procedures.filter(field__slug=filters.field)
    if filters.level == "province":
        procedures = procedures.filter(at_province=True)
    elif filters.level == "commune":
        procedures = procedures.filter(at_commune=True)
    if filters.online:
        procedures = procedures.filter(online_level=filters.online)
    if filters.applicant:
        procedures = procedures.filter(applicant_kinds__contains=filters.applicant)
    words = fold(filters.q).split()[:MAX_QUERY_WORDS]
    if not words:
        return procedures.order_by("-usage_weight", "national_code")
    if connection.vendor == "postgresql":
        return _rank_postgresql(procedures, words)
    return _rank_portable(procedures, words)


def _all_words(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(name_folded__contains=word)
    return condition


def _relevance(words: list[str]) -> Case:
    phrase = " ".join(words)
    return Case(
        When(name_folded__startswith=phrase, then=Value(3)),
        # Many names begin with "Thủ tục …"; the phrase right after it is as good as first.
        When(name_folded__startswith=f"thu tuc {phrase}", then=Value(3)),
        When(name_folded__contains=phrase, then=Value(2)),
        When(_all_words(words), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _rank_postgresql(procedures: QuerySet[Procedure], words: list[str]) -> QuerySet[Procedure]:
    phrase = " ".join(words)
    similarity = TrigramWordSimilarity(Value(phrase), "name_folded")
    return (
        procedures.annotate(relevance=_relevance(words), similarity=similarity)
        .filter(Q(relevance__gt=0) | Q(similarity__gte=TRIGRAM_THRESHOLD))
        .order_by("-relevance", "-similarity", "-usage_weight", "national_code")
    )


def _rank_portable(procedures: QuerySet[Procedure], words: list[str]) -> QuerySet[Procedure]:
    vocabulary = _vocabulary(_vocabulary_version())
    corrected = [_correct(word, vocabulary) for word in words]
    relevance = _relevance(words)
    if corrected != words:
        relevance = Greatest(relevance, _relevance(corrected) - Value(1))
    return (
        procedures.annotate(relevance=relevance)
        .filter(_all_words(words) | _all_words(corrected))
        .order_by("-relevance", "-usage_weight", "national_code")
        .annotate(similarity=F("relevance"))
    )


def _correct(word: str, vocabulary: frozenset[str]) -> str:
    if word in vocabulary or len(word) < 3:
        return word
    close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
    return close[0] if close else word


def _vocabulary_version() -> tuple[int, int]:
    """Changes whenever the catalogue may have changed: a new import or a new procedure."""
    last_run = ImportRun.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return (last_run, Procedure.objects.count())


@lru_cache(maxsize=4)
def _vocabulary(version: tuple[int, int]) -> frozenset[str]:
    words: set[str] = set()
    for name in Procedure.objects.values_list("name_folded", flat=True):
        words.update(name.split())
    return frozenset(words)
