"""Dossier components ("Thành phần hồ sơ"): groups of required documents with their counts.

Each group is a portal table: an optional title ("* Giấy tờ phải nộp:", "Trường hợp …", or
"--" for none), the header "Tên giấy tờMẫu đơn, tờ khaiSố lượng", then rows of name, form
file names and a count cell ("1 bản chính", "0 bản chính,1 bản sao", "1 bản sao"), all glued.
The count cell ends every row, so the text after a group's last count is the next group's title.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from motcua.catalog.parsing.issues import make_issue
from motcua.catalog.parsing.text import LOWER, UPPER, clean_block, clean_inline, without_placeholder

_TABLE_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_NO_TITLE = "--"


@dataclass(frozen=True)
class RequiredDocument:
    """A document to file. Counts are None only when the row had no count cell at all; a count
    cell omits a zero part ("1 bản chính" means no copies), so those are 0."""

    name: str
    originals: int | None
    copies: int | None
    form_templates: tuple[str, ...] = ()

    @property
    def form_template(self) -> str | None:
        return self.form_templates[0] if self.form_templates else None


@dataclass(frozen=True)
class DocumentGroup:
    """One case's table. `title` is "" when the portal gives none ("--")."""

    title: str
    documents: tuple[RequiredDocument, ...]


# The count cell. Unpadded numbers only: prose writes "01 bản chính", the cell writes "1 bản
# chính". Not followed by a lower-case word either ("nộp 2 bản chính tờ khai" is prose). Not
# glued to digits, except to a year ending the name ("…ngày 28/8/20201 bản chính", "…Luật
# Quản lý thuế năm 20191 bản chính").
_COUNT = re.compile(
    r"(?:(?<![\d/])|(?<=\D19\d\d)|(?<=\D20\d\d))(?:"
    r"(?P<originals>0|[1-9]\d{0,3}) bản chính(?:, ?(?P<copies>0|[1-9]\d{0,3}) bản sao)?"
    r"|(?P<copies_only>0|[1-9]\d{0,3}) bản sao"
    rf")(?!\s+[{LOWER}])"
)
# A form file name ends in an office-document extension (sometimes doubled: ".docx.docx") and
# is glued to the next file name or ends the row.
_EXTENSION = re.compile(
    r"\.(?:docx?|pdf|xlsx?|odt|rtf|zip|rar)(?:\.(?:docx?|pdf))?(?=\S|$)", re.IGNORECASE
)
# How form file names usually begin; a boundary before one of these is most likely.
_FORM_PREFIX = re.compile(
    r"(?:mẫu|mau|tk|tờ khai|to khai|pl|phụ lục|phu luc|biểu mẫu|bieu mau|bm|đơn|don|form)",
    re.IGNORECASE,
)
_WORDS_BEFORE_A_FORM = frozenset({"định", " mẫu"})
_SENTENCE_END = '.;:)]”"'
_LONGEST_FORM_NAME = 150
_SHORTEST_NAME = 3  # letters
_BULLET = re.compile(r"^[-+*•]+\s*")


def _boundary_score(text: str, index: int) -> int:
    """How likely the cell boundary between name and first form file name is at `index`.

    Cells are glued, so a boundary shows as a change with no space: punctuation then a letter
    ("…NĐ-CP.Mau48.docx"), lower then upper case ("theo mẫuTK 1.001023 (all).docx"), an
    acronym then a word ("NĐ-CPMẫu số 25.docx"), letters then digits ("TT-BTC01-LP.docx").
    A known form-name prefix after it makes it more likely. 0 means not a boundary.
    """
    before, here = text[index - 1], text[index]
    if before.isspace() or here.isspace():
        return 0
    after = text[index + 1] if index + 1 < len(text) else ""
    score = 0
    if before in _SENTENCE_END and here.isalnum():
        # "1.001023" and "36.2025" are numbers, not a sentence end.
        in_number = before == "." and here.isdigit() and text[index - 2 : index - 1].isdigit()
        score = 0 if in_number else 3
    elif before in LOWER and here in UPPER:
        score = 2
    elif (before in UPPER and here in UPPER and after in LOWER) or (
        before.isalpha() and here.isdigit()
    ):
        score = 1
    elif here.isalpha() and text[index - 4 : index] in _WORDS_BEFORE_A_FORM:
        # "theo quy địnhvăn bản đề nghị.docx": both sides lower case, but "định" and "mẫu"
        # are whole syllables, so a letter glued to them starts a new cell.
        score = 2
    if _FORM_PREFIX.match(text, index):
        score += 3
    return score


def _split_forms(row: str) -> tuple[str, tuple[str, ...], bool]:
    """Split a row's text into (name, form file names, boundary found)."""
    ends = list(_EXTENSION.finditer(row))
    if not ends or ends[-1].end() != len(row):
        return row, (), True
    # File names are contiguous at the end of the row: each one starts where the previous ends.
    # An extension further back than a file name can be long belongs to the name's prose.
    chain = [ends[-1]]
    for match in reversed(ends[:-1]):
        if chain[0].start() - match.end() > _LONGEST_FORM_NAME:
            break
        chain.insert(0, match)
    first_end = chain[0].start()
    # The name keeps at least a few letters: "-Đơn đề nghị…" starts with a name, not a file.
    letters = 0
    name_start = len(row)
    for index, char in enumerate(row):
        letters += char.isalpha()
        if letters == _SHORTEST_NAME:
            name_start = index + 1
            break
    lowest = max(name_start, first_end - _LONGEST_FORM_NAME)
    best_index, best_score = 0, 0
    for index in range(lowest, first_end):
        score = _boundary_score(row, index)
        if score >= best_score and score > 0:
            best_index, best_score = index, score
    if best_score == 0:
        return row, (), False
    cuts = [best_index, *(m.end() for m in chain)]
    forms = tuple(row[a:b].strip() for a, b in itertools.pairwise(cuts))
    return row[:best_index].strip(), forms, True


def _document(row: str, count: re.Match[str] | None) -> tuple[RequiredDocument, list[str]]:
    issues: list[str] = []
    name, forms, separable = _split_forms(row)
    if not separable:
        issues.append(make_issue("documents", "form file name not separable from the name", row))
    name = _BULLET.sub("", clean_inline(name))
    if not name:
        issues.append(make_issue("documents", "document without a name", row))
    if count is None:
        originals = copies = None
        issues.append(make_issue("documents", "document without a count", name))
    elif count["copies_only"] is not None:
        originals, copies = 0, int(count["copies_only"])
    else:
        originals, copies = int(count["originals"]), int(count["copies"] or 0)
    return RequiredDocument(name, originals, copies, forms), issues


def _title(text: str) -> str:
    title = clean_inline(text)
    if title.strip("-") == "":
        return ""
    return _BULLET.sub("", title).rstrip(":").strip()


def _is_residue(text: str) -> bool:
    return not any(c.isalnum() for c in text)


def parse_documents(raw: str) -> tuple[tuple[DocumentGroup, ...], tuple[str, ...]]:
    """Read every group; returns the groups and the issues found."""
    text = without_placeholder(clean_block(raw).replace("\n", " "))
    if not text or text.strip("-") == "":
        return (), (make_issue("documents", "none listed"),)
    parts = text.split(_TABLE_HEADER)
    if len(parts) == 1:
        return (), (make_issue("documents", "document table not found", text),)
    issues: list[str] = []
    groups: list[DocumentGroup] = []
    title = _title(parts[0])
    for position, body in enumerate(parts[1:], start=1):
        is_last = position == len(parts) - 1
        documents: list[RequiredDocument] = []
        start = 0
        for count in _COUNT.finditer(body):
            document, row_issues = _document(body[start : count.start()], count)
            documents.append(document)
            issues.extend(row_issues)
            start = count.end()
        tail = body[start:]
        next_title = ""
        if not is_last:
            next_title = _title(tail)
        elif not _is_residue(tail):
            document, row_issues = _document(tail, None)
            documents.append(document)
            issues.extend(row_issues)
        if not documents:
            issues.append(make_issue("documents", "group without documents", title))
        groups.append(DocumentGroup(title=title, documents=tuple(documents)))
        title = next_title
    return tuple(groups), tuple(issues)


# A document only some applicants hand in says so in its own name (Decree 123/2015 and the
# other procedure decisions list case documents in the same table as the common ones): it opens
# with the case ("Trường hợp trẻ em bị bỏ rơi…", "Đối với người nước ngoài…", "Nếu…"), is an
# alternative to the row before ("Hoặc…"), or names its case before the first full stop or
# semicolon ("Văn bản ủy quyền … trong trường hợp ủy quyền", "Tờ khai … (nếu … trực tiếp)",
# "… (nếu có)"). A case named only after that ("Giấy chứng sinh; trường hợp không có Giấy chứng
# sinh thì nộp …") is an alternative way to provide a document every applicant needs, and "trừ
# trường hợp" (except when) narrows a common document; both stay mandatory. A name offering
# forms of one document ("Đơn … hoặc biên bản …") is one document too: one upload answers it.
_LIST_MARK = re.compile(r"^(?:[-+*•]+|[a-zđ]\)|\d{1,2}[.)])\s*")
_CASE_OPENERS = ("trường hợp", "trong trường hợp", "đối với", "nếu", "hoặc", "riêng")
_CASE_IN_HEAD = re.compile(
    r"(?<!trừ )\btrong trường hợp\b|(?<!trừ )\bđối với trường hợp\b|\(\s*(?:trường hợp|nếu)\b"
    r"|\bnếu\b"
)
_HEAD_END = re.compile(r";|\.(?:\s|$)")


def is_conditional(name: str) -> bool:
    """Whether the document binds only some applicants (a case, an alternative, "nếu có"),
    read from its name as the portal publishes it. The catalogue stores the answer as
    `RequiredDocument.mandatory`; the completeness check and the upload pages follow it."""
    text = clean_inline(name).lower()
    if "nếu có" in text:
        return True
    text = _LIST_MARK.sub("", text)
    if text.startswith(_CASE_OPENERS):
        return True
    head = _HEAD_END.split(text, maxsplit=1)[0]
    return bool(_CASE_IN_HEAD.search(head))
