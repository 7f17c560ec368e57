"""Procedure search: one box, no accents needed, typos tolerated.

Every word the citizen types must match the accent-folded name ("dang ky khai sinh", "Đăng ký
khai sinh" and "ĐĂNG KÝ KHAI SINH" are one query; "Hoà"/"Hòa" fold alike). A word that no
procedure name uses is taken for a typo and replaced by the catalogue words near it: words one
edit away (a letter missing, extra, wrong, or two letters swapped) on every database, and on
PostgreSQL also the words that pg_trgm finds similar through a trigram index. Results rank by
relevance — the whole phrase at the start of the name, then anywhere, then all words — and then
by real usage; a corrected query ranks below exact matches.

The words live in `SearchWord`, rebuilt when the catalogue changes, so that correcting a word
costs a few dictionary reads (and one indexed query on PostgreSQL), not a scan of the names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from motcua.catalog.models import Procedure, SearchWord
from motcua.common.text import fold

MAX_QUERY_WORDS = 12
MAX_CANDIDATES = 3
# pg_trgm similarity a near word needs ("honn"/"hon" score 0.5; unrelated words under 0.3).
TRIGRAM_THRESHOLD = 0.4
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
    vocabulary = _vocabulary(_vocabulary_version())
    candidates = [_candidates(word, vocabulary) for word in words]
    best = [options[0] for options in candidates]
    relevance = _relevance(words)
    if best != words:
        # A corrected query ranks below any exact match of what was typed.
        relevance = Greatest(relevance, _relevance(best) - Value(1))
    matches = Q()
    for options in candidates:
        either = Q()
        for option in options:
            either |= Q(name_folded__contains=option)
        matches &= either
    return (
        procedures.filter(matches)
        .annotate(relevance=relevance)
        .order_by("-relevance", "-usage_weight", "national_code")
    )


def _relevance(words: list[str]) -> Case:
    phrase = " ".join(words)
    all_words = Q()
    for word in words:
        all_words &= Q(name_folded__contains=word)
    return Case(
        When(name_folded__startswith=phrase, then=Value(3)),
        # Many names begin with "Thủ tục …"; the phrase right after it is as good as first.
        When(name_folded__startswith=f"thu tuc {phrase}", then=Value(3)),
        When(name_folded__contains=phrase, then=Value(2)),
        When(all_words, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _candidates(word: str, vocabulary: Vocabulary) -> list[str]:
    """The word itself if the catalogue uses it, else up to three catalogue words near it,
    one edit away first, most frequent first."""
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
    if connection.vendor == "postgresql":
        ranked += [w for w in _trigram_neighbours(word) if w not in ranked]
    return ranked[:MAX_CANDIDATES] or [word]


def _trigram_neighbours(word: str) -> list[str]:
    return list(
        SearchWord.objects.filter(word__trigram_similar=word)
        .annotate(similarity=TrigramSimilarity("word", word))
        .filter(similarity__gte=TRIGRAM_THRESHOLD)
        .order_by("-similarity", "-frequency", "word")
        .values_list("word", flat=True)[:MAX_CANDIDATES]
    )


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


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


@dataclass(frozen=True)
class Vocabulary:
    """The catalogue's words and a deletion index over them (the SymSpell idea): two words are
    at most one edit apart only if they share a one-deletion variant or one is a deletion of
    the other, which makes typo lookup a few dictionary reads."""

    frequency: dict[str, int]
    by_deletion: dict[str, tuple[str, ...]]


def _vocabulary_version() -> tuple[int, int]:
    """Changes whenever the words are rebuilt (new rows get new ids)."""
    row = SearchWord.objects.aggregate(last=Max("id"))
    return (row["last"] or 0, SearchWord.objects.count())


@lru_cache(maxsize=2)
def _vocabulary(version: tuple[int, int]) -> Vocabulary:
    frequency = dict(SearchWord.objects.values_list("word", "frequency"))
    index: dict[str, set[str]] = {}
    for word in frequency:
        for variant in {word, *_deletions(word)}:
            index.setdefault(variant, set()).add(word)
    return Vocabulary(frequency, {k: tuple(v) for k, v in index.items()})


@transaction.atomic
def rebuild_search_words() -> int:
    """Recompute the words of the current procedure names; returns how many there are."""
    frequency: dict[str, int] = {}
    names = Procedure.objects.filter(current__isnull=False).values_list("name_folded", flat=True)
    for name in names:
        for word in _WORD.findall(name):
            if len(word) <= 100:
                frequency[word] = frequency.get(word, 0) + 1
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, frequency=n) for w, n in sorted(frequency.items())], batch_size=2000
    )
    return len(frequency)
