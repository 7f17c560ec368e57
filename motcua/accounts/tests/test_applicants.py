"""Which registered applicant a filing means: the named one, or the filer's own; a delegate
must know the person's name, and every failed lookup gets the same answer."""

from __future__ import annotations

import pytest

from motcua.accounts.actions import do_register_business, do_register_citizen
from motcua.accounts.applicants import find_applicant
from motcua.common.errors import InvalidInputError

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-đủ-dài-2026"
NOT_MATCHED = "the ID number and name do not match a registered citizen."


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
    # By tax code, under the registered name.
    by_tax_code = find_applicant(binh.user, tax_code=firm.tax_code)
    assert (by_tax_code.business, by_tax_code.name) == (firm, "Công ty Sông Lô")

    # A wrong name and an unknown number look the same: the ID number reveals nothing.
    wrong_name = refusal(filer=binh.user, personal_id=hoa.personal_id, name="Trần Văn Bình")
    unknown = refusal(filer=binh.user, personal_id="001099000000", name="Nguyễn Thị Hoà")
    assert wrong_name == unknown == ("applicant_personal_id", NOT_MATCHED)
    # An officer at the counter has seen the ID card: the number is enough.
    seen = find_applicant(binh.user, personal_id=hoa.personal_id, seen_in_person=True)
    assert seen.citizen == hoa
    assert refusal(filer=binh.user, tax_code="0100109106") == (
        "applicant_tax_code",
        "no registered business has this tax code.",
    )


def test_an_account_without_a_profile_must_name_the_applicant() -> None:
    hoa = do_register_citizen(
        username="hoa", password=PASSWORD, full_name="Nguyễn Thị Hoà", personal_id="008199001234"
    )
    hoa.delete()  # the account stays, its citizen profile does not
    assert refusal(filer=hoa.user) == ("applicant_personal_id", "the applicant is required.")
