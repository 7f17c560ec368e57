"""Procedure search: one box, no accents needed, typos tolerated.

Every word the citizen types must match the accent-folded name ("dang ky khai sinh", "Đăng ký
khai sinh" and "ĐĂNG KÝ KHAI SINH" are one query; "Hoà"/"Hòa" fold alike). A word that matches
nothing is taken for a typo: on PostgreSQL trigram word similarity (pg_trgm) finds near names;
on SQLite, which has no trigram index, the word is replaced by the nearest word of the
catalogue's own vocabulary. Results rank by relevance — the whole phrase at the start of the
name, then anywhere, then all words — and then by real usage.
"""

from __future__ import annotations

import re
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
_WORD = re.compile(r"\w+")


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
    candidates = [_candidates(word, vocabulary) for word in words]
    best = [options[0] for options in candidates]
    relevance = _relevance(words)
    if best != words:
        # A corrected query ranks below any exact match of what was typed.
        relevance = Greatest(relevance, _relevance(best) - Value(1))
    matches_any_candidate = Q()
    for options in candidates:
        either = Q()
        for option in options:
            either |= Q(name_folded__contains=option)
        matches_any_candidate &= either
    return (
        procedures.annotate(relevance=relevance)
        .filter(matches_any_candidate)
        .order_by("-relevance", "-usage_weight", "national_code")
        .annotate(similarity=F("relevance"))
    )


def _candidates(word: str, vocabulary: Vocabulary) -> list[str]:
    """The word itself if the catalogue uses it, else the catalogue's words one edit away
    (a letter missing, extra, wrong or two swapped), most frequent first, at most three."""
    if word in vocabulary.frequency or len(word) < 2:
        return [word]
    near: set[str] = set()
    for variant in {word, *_deletions(word)}:
        near.update(vocabulary.by_deletion.get(variant, ()))
    # Sharing a deletion variant means at most two edits apart; keep the true single edits.
    ranked = sorted(
        (w for w in near if _edit_distance(word, w) == 1),
        key=lambda w: (-vocabulary.frequency[w], w),
    )
    return ranked[:3] or [word]


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    adjacent letters each cost one (the usual typing mistakes)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class Vocabulary:
    """The words of all procedure names, and a deletion index over them (the SymSpell idea):
    two words are one edit apart exactly when they share a one-deletion variant or one is a
    deletion of the other, which makes typo lookup a few dictionary reads."""

    frequency: dict[str, int]
    by_deletion: dict[str, tuple[str, ...]]


def _vocabulary_version() -> tuple[int, int]:
    """Changes whenever the catalogue may have changed: a new import or a new procedure."""
    last_run = ImportRun.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return (last_run, Procedure.objects.count())


@lru_cache(maxsize=4)
def _vocabulary(version: tuple[int, int]) -> Vocabulary:
    frequency: dict[str, int] = {}
    for name in Procedure.objects.values_list("name_folded", flat=True):
        for word in _WORD.findall(name):
            frequency[word] = frequency.get(word, 0) + 1
    index: dict[str, set[str]] = {}
    for word in frequency:
        for variant in {word, *_deletions(word)}:
            index.setdefault(variant, set()).add(word)
    return Vocabulary(frequency, {k: tuple(v) for k, v in index.items()})
