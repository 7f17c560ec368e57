"""What each action takes besides the dossier: declared once, checked by the engine, shown as forms.

`PARAMS` names, for every action, the values it reads (`ActionContext.params`) with their kind,
label, limits and whether they are required. The engine checks a request against it before the
handler runs (`check_params`), and the officials' dossier page builds each action's form from
it, so what a form asks for is what the engine wants, never a copy of it. Where the choice is
among rows (the specialist to assign, the agency to transfer to), the declaration also names the
query that lists them, and the handler accepts only what that query answers.

A handler still checks what only the dossier can tell (the new date must follow the due date).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Official, Role
from motcua.common.errors import InvalidInputError
from motcua.common.inputs import parse_instant
from motcua.dossiers.models import Dossier
from motcua.dossiers.storage import path_for
from motcua.dossiers.workflow import Action
from motcua.units.models import Agency

# The largest fee or charge a payment request may name: above every fee of the national
# catalogue, low enough to catch a mistyped amount.
MAX_AMOUNT_VND = 10_000_000_000
# A supplement request lists what is missing, one document per item, and is printed on the slip
# the applicant receives: a few dozen lines at most. Unbounded, 10,000 items made a slip whose
# rendering outlived the request's time limit.
MAX_SUPPLEMENT_ITEMS = 50
MAX_SUPPLEMENT_ITEM_LENGTH = 500
MAX_TEXT = 2000
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Kind(enum.StrEnum):
    TEXT = "text"  # one line
    PARAGRAPH = "paragraph"  # a reason or a note, several lines
    LINES = "lines"  # a list of items (one per line on a form)
    CHOICE = "choice"  # one of the values `Param.choices` lists for the dossier
    AMOUNT = "amount"  # whole đồng
    INSTANT = "instant"  # a date and time (ISO 8601; legal time if it has no offset)
    FILE = "file"  # the SHA-256 of a file already kept (storage.store_upload)


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    label: Promise
    required: bool = False
    max_length: int = MAX_TEXT
    max_items: int = 0
    maximum: int = 0
    # For CHOICE: the allowed values for this dossier, as (value, label), from the database.
    choices: Callable[[Dossier], Iterable[tuple[str, str]]] | None = None


def assignable_specialists(dossier: Dossier) -> QuerySet[Official]:
    """The officials a leader may assign the dossier to: specialists of the agency holding it."""
    return (
        Official.objects.filter(
            memberships__agency_id=dossier.current_agency_id, memberships__role=Role.SPECIALIST
        )
        .select_related("user")
        .order_by("full_name", "id")
        .distinct()
    )


def transfer_targets(dossier: Dossier) -> QuerySet[Agency]:
    """The agencies a dossier may be transferred to: every active one but where it is."""
    return (
        Agency.objects.filter(is_active=True).exclude(id=dossier.current_agency_id).order_by("code")
    )


def _specialist_choices(dossier: Dossier) -> list[tuple[str, str]]:
    return [(o.user.username, o.full_name) for o in assignable_specialists(dossier)]


def _agency_choices(dossier: Dossier) -> list[tuple[str, str]]:
    return [(a.code, f"{a.name} ({a.code})") for a in transfer_targets(dossier)]


def _reason(label: Promise, *, required: bool = True) -> Param:
    return Param("reason", Kind.PARAGRAPH, label, required=required)


PARAMS: Mapping[Action, tuple[Param, ...]] = {
    Action.REFUSE: (_reason(_("Reason for refusing")),),
    Action.REQUEST_SUPPLEMENT: (
        Param(
            "items",
            Kind.LINES,
            _("Missing documents, one per line"),
            required=True,
            max_length=MAX_SUPPLEMENT_ITEM_LENGTH,
            max_items=MAX_SUPPLEMENT_ITEMS,
        ),
        _reason(_("Reason"), required=False),
    ),
    Action.SUPPLEMENT: (Param("note", Kind.PARAGRAPH, _("Note")),),
    Action.REQUEST_PAYMENT: (
        Param("amount_vnd", Kind.AMOUNT, _("Amount (đồng)"), required=True, maximum=MAX_AMOUNT_VND),
    ),
    Action.ASSIGN: (
        Param(
            "assignee",
            Kind.CHOICE,
            _("Specialist"),
            required=True,
            max_length=150,
            choices=_specialist_choices,
        ),
    ),
    Action.TRANSFER: (
        Param(
            "agency",
            Kind.CHOICE,
            _("Agency to transfer to"),
            required=True,
            max_length=40,
            choices=_agency_choices,
        ),
    ),
    Action.RETURN_TO_PREVIOUS: (_reason(_("Why it goes back")),),
    Action.ISSUE_RESULT: (
        Param("name", Kind.TEXT, _("Name of the result"), max_length=500),
        Param("document_number", Kind.TEXT, _("Document number"), max_length=100),
        Param("file", Kind.FILE, _("Result file (PDF, JPEG or PNG)")),
    ),
    Action.REQUEST_WITHDRAWAL: (_reason(_("Reason"), required=False),),
    Action.STOP: (_reason(_("Reason for stopping")),),
    Action.RESCHEDULE: (
        _reason(_("Reason given to the applicant")),
        Param("new_due", Kind.INSTANT, _("New date"), required=True, max_length=40),
    ),
}


def params_of(action: Action) -> tuple[Param, ...]:
    return PARAMS.get(action, ())


def _missing(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def check_params(action: Action, params: Mapping[str, Any]) -> dict[str, Any]:
    """The declared params of `action` from `params`, checked and typed (an instant parsed, a
    list of items stripped); InvalidInputError naming the first one that is wrong. Names the
    action does not declare are left out."""
    checked: dict[str, Any] = {}
    for param in params_of(action):
        value = params.get(param.name)
        if _missing(value):
            if param.required:
                raise InvalidInputError(param.name, gettext("this is required for this action."))
            continue
        checked[param.name] = _check(param, value)
    return checked


def _check(param: Param, value: Any) -> Any:
    name = param.name
    if param.kind == Kind.LINES:
        if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
            raise InvalidInputError(name, gettext("list every missing document, in writing."))
        if len(value) > param.max_items or any(len(i) > param.max_length for i in value):
            raise InvalidInputError(
                name,
                gettext("at most {count} documents, of at most {length} characters each.").format(
                    count=param.max_items, length=param.max_length
                ),
            )
        return [i.strip() for i in value]
    if param.kind == Kind.AMOUNT:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise InvalidInputError(name, gettext("a positive amount in đồng."))
        if value > param.maximum:
            raise InvalidInputError(
                name, gettext("at most {max} đồng.").format(max=f"{param.maximum:,}")
            )
        return value
    if not isinstance(value, str):
        raise InvalidInputError(name, gettext("a text."))
    if len(value) > param.max_length:
        raise InvalidInputError(
            name, gettext("at most {length} characters.").format(length=param.max_length)
        )
    if param.kind == Kind.INSTANT:
        return parse_instant(value, field=name)
    if param.kind == Kind.FILE:
        if not _SHA256.match(value) or not path_for(value).is_file():
            raise InvalidInputError(name, gettext("a file kept by this system."))
        return value
    return value.strip() if param.kind == Kind.CHOICE else value
