"""Which registered applicant a filing means: the named one, or the filer's own; a delegate
must know the person's name (and for a business, state a reason), every failed lookup gets the
same answer, and the filer's capacity is told."""

from __future__ import annotations

import pytest
from django.utils import timezone

from motcua.accounts.actions import (
    do_register_business,
    do_register_citizen,
    do_set_business_representative,
)
from motcua.accounts.applicants import find_applicant
from motcua.accounts.models import Citizen, FilerCapacity
from motcua.common.errors import InvalidInputError

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-đủ-dài-2026"
NOT_MATCHED = "the ID number and name do not match a registered citizen."
BUSINESS_NOT_MATCHED = "the tax code and name do not match a registered business."
NEED_REASON = (
    "to file for a business that is not yours and that you do not represent, give its "
    "registered name and the reason of the delegation."
)


def refusal(**kwargs: object) -> tuple[str, str]:
    with pytest.raises(InvalidInputError) as caught:
        find_applicant(**kwargs)  # type: ignore[arg-type]
    return caught.value.field, caught.value.reason


def test_a_filing_names_its_applicant_or_is_for_the_filer() -> None:
    hoa = do_register_citizen(
        username="hoa", password=PASSWORD, full_name="Nguyễn Thị Hoà", personal_id="008199001234"
    )
    binh = do_register_citizen(
        username="binh", password=PASSWORD, full_name="Trần Văn Bình", personal_id="002085005678"
    )
    firm = do_register_business(
        username="song.lo", password=PASSWORD, name="Công ty Sông Lô", tax_code="0314409058002"
    )

    # For oneself: no ID needed; a business files for itself the same way.
    assert find_applicant(hoa.user).citizen == hoa
    assert find_applicant(firm.user).business == firm
    # A delegate names the person, in any case and without accents.
    delegated = find_applicant(binh.user, personal_id=hoa.personal_id, name="nguyen thi hoa")
    assert (delegated.citizen, delegated.name) == (hoa, "Nguyễn Thị Hoà")
    assert (delegated.capacity, delegated.reason) == (FilerCapacity.DELEGATE, "")

    # A wrong name and an unknown number look the same: the ID number reveals nothing.
    wrong_name = refusal(filer=binh.user, personal_id=hoa.personal_id, name="Trần Văn Bình")
    unknown = refusal(filer=binh.user, personal_id="001099000000", name="Nguyễn Thị Hoà")
    assert wrong_name == unknown == ("applicant_personal_id", NOT_MATCHED)
    # An officer at the counter has seen the ID card: the number names the account once it
    # has proven it holds the number (the whole rule: test_counter_applicants.py).
    Citizen.objects.filter(pk=hoa.pk).update(holder_proven_at=timezone.now())
    seen = find_applicant(binh.user, personal_id=hoa.personal_id, seen_in_person=True)
    assert (seen.citizen, seen.capacity) == (hoa, FilerCapacity.COUNTER)
    assert refusal(filer=binh.user, tax_code="0100109106", seen_in_person=True) == (
        "applicant_tax_code",
        "no registered business has this tax code.",
    )
    # Filing for oneself by one's own number or tax code is still "self".
    assert find_applicant(hoa.user, personal_id=hoa.personal_id).capacity == FilerCapacity.SELF
    assert find_applicant(firm.user, tax_code=firm.tax_code).capacity == FilerCapacity.SELF


def test_a_tax_code_alone_does_not_file_for_someone_elses_business() -> None:
    """The public tax code (and name) is not a delegation: a reason must be stated, on the
    record; a registered representative files without one."""
    binh = do_register_citizen(
        username="binh", password=PASSWORD, full_name="Trần Văn Bình", personal_id="002085005678"
    )
    firm = do_register_business(
        username="song.lo", password=PASSWORD, name="Công ty Sông Lô", tax_code="0314409058002"
    )
    # The attack: the tax code alone, or with the public name but no reason.
    assert refusal(filer=binh.user, tax_code=firm.tax_code) == (
        "delegation_reason",
        NEED_REASON,
    )
    assert refusal(filer=binh.user, tax_code=firm.tax_code, name="Công ty Sông Lô")[0] == (
        "delegation_reason"
    )
    # A reason with the wrong name, or an unknown tax code: one answer.
    wrong_name = refusal(filer=binh.user, tax_code=firm.tax_code, name="Sông Hồng", reason="x")
    unknown = refusal(filer=binh.user, tax_code="0100109106", name="Công ty Sông Lô", reason="x")
    assert wrong_name == unknown == ("applicant_tax_code", BUSINESS_NOT_MATCHED)

    # A declared delegate: the name matching and a reason, both recorded.
    delegate = find_applicant(
        binh.user, tax_code=firm.tax_code, name="cong ty song lo", reason=" Giấy ủy quyền  số 12 "
    )
    assert (delegate.business, delegate.name, delegate.capacity, delegate.reason) == (
        firm,
        "Công ty Sông Lô",
        FilerCapacity.DELEGATE,
        "Giấy ủy quyền số 12",
    )

    # The registered legal representative files in their own name, no reason asked.
    do_set_business_representative(firm, binh.personal_id, acting_user=None)
    representative = find_applicant(binh.user, tax_code=firm.tax_code)
    assert (representative.business, representative.capacity, representative.reason) == (
        firm,
        FilerCapacity.REPRESENTATIVE,
        "",
    )


def test_a_representative_id_is_checked_like_a_citizens() -> None:
    firm = do_register_business(
        username="song.lo",
        password=PASSWORD,
        name="Công ty Sông Lô",
        tax_code="0314409058002",
        representative_personal_id=" 008199001234 ",
    )
    assert firm.representative_personal_id == "008199001234"
    assert firm.masked_representative_personal_id == "0081******34"
    with pytest.raises(InvalidInputError) as caught:
        do_set_business_representative(firm, "003199001234", acting_user=None)
    assert caught.value.field == "representative_personal_id"
    firm.refresh_from_db()
    assert firm.representative_personal_id == "008199001234"
    do_set_business_representative(firm, "", acting_user=None)
    firm.refresh_from_db()
    assert firm.representative_personal_id == ""


def test_an_account_without_a_profile_must_name_the_applicant() -> None:
    hoa = do_register_citizen(
        username="hoa", password=PASSWORD, full_name="Nguyễn Thị Hoà", personal_id="008199001234"
    )
    hoa.delete()  # the account stays, its citizen profile does not
    assert refusal(filer=hoa.user) == ("applicant_personal_id", "the applicant is required.")
