"""Who a dossier is for, and in which capacity the filer files it.

The submission asks here once it has decided who may file through which channel. The answer is
the registered applicant and the filer's capacity (accounts.models.FilerCapacity), which the
dossier and its submit event record:

- **self**: the filer's own citizen or business profile (named or not);
- **representative**: a citizen filing for a business whose registered legal representative
  they are (`Business.representative_personal_id` is their ID number);
- **delegate**: anyone else, who must show what only a real delegate has in hand. For a person:
  the ID number and the name, matching (an ID number is not public, and the pair is what the
  authorisation paper carries). For a business, whose tax code and name are both public: the
  name matching too, and a stated reason, recorded on the dossier and shown to the business;
- **counter**: a receiving officer recording a dossier handed in at the counter or by post,
  who has seen the papers in person. The number then names a *person*, not an account: the
  dossier goes to the account with that number only if the account has proven it holds the
  number (a claim or VNeID: `Citizen.holder_proven_at`, `vneid_verified`) or if the phone the
  applicant gives at the counter is the account's confirmed phone. Otherwise it goes to the
  profile recorded at the counter without an account (do_record_walk_in_applicant), which the
  holder can claim later (accounts.claims). Anyone can sign up with someone else's number; they
  must never see that person's counter dossiers by doing so.

A tax code alone therefore never files for someone else's business. Every failed lookup of a
person gets the same refusal, so an ID number cannot be used to learn whose it is or whether it
is registered. A business's reason is asked for before its name is compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from motcua.accounts.actions import clean_phone
from motcua.accounts.models import Business, Citizen, FilerCapacity, User
from motcua.common.errors import InvalidInputError
from motcua.common.text import fold, normalise_name

REASON_MAX_LENGTH = 500


@dataclass(frozen=True)
class Applicant:
    """A registered applicant: exactly one of `citizen` and `business`, the name to file under
    (the registered one, never the name typed in), the filer's capacity, and the reason a
    delegate gave (empty otherwise)."""

    citizen: Citizen | None
    business: Business | None
    name: str
    capacity: FilerCapacity = FilerCapacity.SELF
    reason: str = ""

    @property
    def is_accountless(self) -> bool:
        """A person recorded at the counter, whose receipt carries a claim code."""
        return self.citizen is not None and self.citizen.user_id is None


def find_applicant(
    filer: User,
    *,
    personal_id: str = "",
    name: str = "",
    tax_code: str = "",
    reason: str = "",
    seen_in_person: bool = False,
    phone: str = "",
) -> Applicant:
    """The applicant a filing by `filer` names, else the filer's own citizen or business profile,
    with the capacity in which `filer` files (see the module's docstring).

    - `tax_code`: the registered business with that tax code: the filer's own, one they are the
      registered representative of, or as a delegate with its `name` and a `reason`.
    - `personal_id`: the registered citizen with that ID number: the filer's own, or as a
      delegate with the person's `name` (compared without accents or case); `reason` is recorded
      when given.
    - `seen_in_person`: a receiving officer at the counter, who has seen the papers; the
      capacity is `counter`. With `personal_id`: the account's profile with that number if it
      is a proven holder or its confirmed phone is `phone` (the phone the applicant gave at the
      counter), else the counter profile without an account (recorded first with
      accounts.actions.do_record_walk_in_applicant); neither is the same refusal as above.
    - neither: the filer's own citizen profile, else their business.

    InvalidInputError on `applicant_tax_code`, `applicant_personal_id` or `delegation_reason`;
    an unknown number and a name that does not match get the same message. Reads only.
    """
    reason = normalise_name(reason)
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInputError(
            "delegation_reason",
            gettext("At most {count} characters.").format(count=REASON_MAX_LENGTH),
        )
    if seen_in_person:
        return _seen_at_counter(personal_id=personal_id, tax_code=tax_code, phone=phone)
    own = Citizen.objects.filter(user=filer).first()
    if tax_code:
        return _business_for(filer, own, tax_code=tax_code, name=name, reason=reason)
    if personal_id:
        if own is not None and own.personal_id == personal_id:
            return Applicant(own, None, own.full_name)
        citizen = Citizen.objects.filter(personal_id=personal_id, user__isnull=False).first()
        # A delegate names the person too: the ID number alone must not reveal whose it is (an
        # ID-to-name lookup), nor whether it is registered.
        if citizen is None or fold(name) != fold(citizen.full_name):
            raise _citizen_not_matched()
        return Applicant(citizen, None, citizen.full_name, FilerCapacity.DELEGATE, reason)
    if own is not None:
        return Applicant(own, None, own.full_name)
    business = Business.objects.filter(user=filer).first()
    if business is not None:
        return Applicant(None, business, business.name)
    raise InvalidInputError("applicant_personal_id", gettext("the applicant is required."))


def _business_for(
    filer: User, own: Citizen | None, *, tax_code: str, name: str, reason: str
) -> Applicant:
    business = Business.objects.filter(tax_code=tax_code).first()
    if business is not None and business.user_id == filer.id:
        return Applicant(None, business, business.name)
    if (
        business is not None
        and own is not None
        and business.representative_personal_id
        and business.representative_personal_id == own.personal_id
    ):
        return Applicant(None, business, business.name, FilerCapacity.REPRESENTATIVE)
    # A tax code and a name are public: a delegate also says why, on the record.
    if not reason:
        raise InvalidInputError(
            "delegation_reason",
            gettext(
                "to file for a business that is not yours and that you do not represent, give "
                "its registered name and the reason of the delegation."
            ),
        )
    if business is None or fold(name) != fold(business.name):
        raise InvalidInputError(
            "applicant_tax_code",
            gettext("the tax code and name do not match a registered business."),
        )
    return Applicant(None, business, business.name, FilerCapacity.DELEGATE, reason)


def _seen_at_counter(*, personal_id: str, tax_code: str, phone: str) -> Applicant:
    if tax_code:
        business = Business.objects.filter(tax_code=tax_code).first()
        if business is None:
            raise InvalidInputError(
                "applicant_tax_code", gettext("no registered business has this tax code.")
            )
        return Applicant(None, business, business.name, FilerCapacity.COUNTER)
    if personal_id:
        citizen = counter_profile_for(personal_id, phone=phone)
        if citizen is None:
            raise _citizen_not_matched()
        return Applicant(citizen, None, citizen.full_name, FilerCapacity.COUNTER)
    raise InvalidInputError("applicant_personal_id", gettext("the applicant is required."))


def counter_profile_for(personal_id: str, *, phone: str = "") -> Citizen | None:
    """The profile a dossier received at the counter for `personal_id` belongs to (see the
    module's docstring), or None when the walk-in applicant is still to be recorded. Two
    indexed queries at most."""
    account = Citizen.objects.filter(personal_id=personal_id, user__isnull=False).first()
    if account is not None and (
        account.is_proven_holder
        or (
            phone
            and account.phone_confirmed_at is not None
            and normalised_phone(phone) == account.phone
        )
    ):
        return account
    return Citizen.objects.filter(
        personal_id=personal_id, user__isnull=True, merged_at__isnull=True
    ).first()


def normalised_phone(phone: str) -> str:
    """`phone` as profiles store it (0912345678), or "" when it is not a phone number."""
    try:
        return clean_phone(phone)
    except InvalidInputError:
        return ""


def _citizen_not_matched() -> InvalidInputError:
    return InvalidInputError(
        "applicant_personal_id",
        gettext("the ID number and name do not match a registered citizen."),
    )
