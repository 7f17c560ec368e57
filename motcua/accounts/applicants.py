"""Who a dossier is for: the registered citizen or business a filing names, or the filer's own.

The submission asks here once it has decided who may file through which channel; this module
only answers "which registered applicant is meant", with the same refusal whatever the reason,
so an ID number cannot be used to learn whose it is or whether it is registered.

Filing for a business is matched on the tax code alone, as today; who may file for a business
(its own account, a delegate it named) is a rule still to be written, and it belongs here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from motcua.accounts.models import Business, Citizen, User
from motcua.common.errors import InvalidInputError
from motcua.common.text import fold


@dataclass(frozen=True)
class Applicant:
    """A registered applicant: exactly one of `citizen` and `business`, and the name to file
    under (the registered one, never the name typed in)."""

    citizen: Citizen | None
    business: Business | None
    name: str


def find_applicant(
    filer: User,
    *,
    personal_id: str = "",
    name: str = "",
    tax_code: str = "",
    seen_in_person: bool = False,
) -> Applicant:
    """The applicant a filing by `filer` names, else the filer's own citizen or business profile.

    - `tax_code`: the registered business with that tax code.
    - `personal_id`: the registered citizen with that ID number. Someone filing online for
      another person (a delegate) must also give that person's name, compared without accents
      or case; a receiving officer who has seen the ID card (`seen_in_person`) need not.
    - neither: the filer's own citizen profile, else their business.

    InvalidInputError on `applicant_tax_code` or `applicant_personal_id` otherwise; an unknown
    ID number and a name that does not match get the same message.
    """
    if tax_code:
        business = Business.objects.filter(tax_code=tax_code).first()
        if business is None:
            raise InvalidInputError(
                "applicant_tax_code", gettext("no registered business has this tax code.")
            )
        return Applicant(None, business, business.name)
    if personal_id:
        citizen = Citizen.objects.filter(personal_id=personal_id).first()
        # A delegate filing online names the person too: the ID number alone must not reveal
        # whose it is (an ID-to-name lookup), nor whether it is registered.
        if (
            not seen_in_person
            and citizen is not None
            and citizen.user_id != filer.id
            and fold(name) != fold(citizen.full_name)
        ):
            citizen = None
        if citizen is None:
            raise InvalidInputError(
                "applicant_personal_id",
                gettext("the ID number and name do not match a registered citizen."),
            )
        return Applicant(citizen, None, citizen.full_name)
    citizen = Citizen.objects.filter(user=filer).first()
    if citizen is not None:
        return Applicant(citizen, None, citizen.full_name)
    business = Business.objects.filter(user=filer).first()
    if business is not None:
        return Applicant(None, business, business.name)
    raise InvalidInputError("applicant_personal_id", gettext("the applicant is required."))
