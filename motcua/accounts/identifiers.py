"""Checks for the two identifiers people and businesses give us: personal ID and tax code.

Pure functions, no ORM: the actions call them before writing anything, and the tests drive them
with generated numbers. Errors never echo a full personal ID number (see masking.py).

Personal identification number (số định danh cá nhân), 12 digits; Decree 137/2015/NĐ-CP art. 13,
Circular 07/2016/TT-BCA art. 7 and appendix, kept by the Law on Identification 2023 art. 12:

- digits 1–3: code of the province where the birth was registered (the 63-province list of the
  appendix to Circular 07/2016), or of the country for births registered abroad;
- digit 4: century and sex: 0/1 = 1900s male/female, 2/3 = 2000s, … 8/9 = 2300s;
- digits 5–6: the last two digits of the year of birth;
- digits 7–12: a random number.

Tax code (mã số thuế): 10 digits, or 13 for a branch (the parent's 10, a dash, 3 digits). The
10th digit checks the first nine: digit 10 = 10 − (Σ dᵢ·wᵢ mod 11), w = 31 29 23 19 17 13 7 5 3.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from motcua.common.errors import InvalidInputError

PERSONAL_ID_LENGTH = 12

# Appendix to Circular 07/2016/TT-BCA: the code of the province where the birth was registered.
# It is the pre-2025 list on purpose: a number is never reissued when provinces merge (Resolution
# 190/2025/QH15 art. 10), so someone registered in Hà Nam (035) keeps 035 although Hà Nam is now
# part of Ninh Bình. Requiring one of the 34 current provinces would refuse most citizens.
BIRTH_REGISTRATION_PROVINCES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

# Circular 07/2016 art. 7 also allows the code of the country where a birth was registered
# abroad, but the table of those codes was not found in any public source (docs/subsystems/
# access-control.md). Guessing a range would also accept typos in the province code, so the set
# stays empty until the table is confirmed; such citizens are registered at the counter by an
# official once it is. Adding codes here is the only change needed.
BIRTH_REGISTRATION_COUNTRIES: dict[str, str] = {}

_DIGITS = re.compile(r"[0-9]+", re.ASCII)


@dataclass(frozen=True)
class PersonalId:
    """What a valid personal ID number says about its holder."""

    number: str
    registration_code: str
    is_female: bool
    birth_year: int

    @property
    def registered_abroad(self) -> bool:
        return self.registration_code in BIRTH_REGISTRATION_COUNTRIES

    @property
    def registration_place(self) -> str:
        return BIRTH_REGISTRATION_PROVINCES.get(
            self.registration_code
        ) or BIRTH_REGISTRATION_COUNTRIES.get(self.registration_code, "")


def is_birth_registration_code(code: str) -> bool:
    return code in BIRTH_REGISTRATION_PROVINCES or code in BIRTH_REGISTRATION_COUNTRIES


def birth_year_of(century_sex_digit: int, year_digits: int) -> int:
    """Digit 4 encodes the century in pairs (0/1 → 1900s, 2/3 → 2000s, …); digits 5–6 the year."""
    return 1900 + (century_sex_digit // 2) * 100 + year_digits


def parse_personal_id(
    number: str,
    *,
    date_of_birth: dt.date | None = None,
    today: dt.date | None = None,
    field: str = "personal_id",
) -> PersonalId:
    """Check a personal ID number against every structural rule and return what it encodes.

    `date_of_birth`, when known, must fall in the year the number encodes: a mismatch is almost
    always a mistyped digit 4–6 or the wrong person's number. `today` defaults to the local date
    (the legal time zone), since a birth year after it cannot be real.

    Raises InvalidInputError(field, reason); the reason never contains the number itself, so it
    can be shown, logged and returned by the API as it is.
    """
    number = number.strip()
    if len(number) != PERSONAL_ID_LENGTH or not _DIGITS.fullmatch(number):
        raise InvalidInputError(
            field, gettext("A personal ID number has exactly 12 digits (0–9) and nothing else.")
        )
    code = number[:3]
    if not is_birth_registration_code(code):
        raise InvalidInputError(
            field,
            gettext(
                "The first three digits ({code}) are not the code of a province where births "
                "are registered."
            ).format(code=code),
        )
    century_sex = int(number[3])
    birth_year = birth_year_of(century_sex, int(number[4:6]))
    today = today or timezone.localdate()
    if birth_year > today.year:
        raise InvalidInputError(
            field,
            gettext("Digits 4 to 6 give a birth year of {year}, which is in the future.").format(
                year=birth_year
            ),
        )
    if date_of_birth is not None and date_of_birth.year != birth_year:
        raise InvalidInputError(
            field,
            gettext(
                "Digits 4 to 6 give a birth year of {year}, but the date of birth is in {actual}."
            ).format(year=birth_year, actual=date_of_birth.year),
        )
    return PersonalId(
        number=number,
        registration_code=code,
        is_female=century_sex % 2 == 1,
        birth_year=birth_year,
    )


TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first_nine: str) -> int | None:
    """The 10th digit of a tax code whose first nine digits are `first_nine`.

    None when Σ mod 11 is 0: 10 − 0 is not a digit, so the tax authority never issues a code
    with those nine digits. Algorithm as implemented by python-stdnum (stdnum.vn.mst) and
    stdnum-js; docs/subsystems/access-control.md has the worked example.
    """
    total = sum(w * int(d) for w, d in zip(TAX_CODE_WEIGHTS, first_nine, strict=True))
    check = 10 - total % 11
    return check if check < 10 else None


def normalise_tax_code(code: str, *, field: str = "tax_code") -> str:
    """Check a tax code and return it in the printed form: `0314409058` or `0314409058-002`.

    Accepts the 13-digit branch form with or without the dash, and surrounding spaces. Raises
    InvalidInputError(field, reason).
    """
    code = code.strip()
    match = re.fullmatch(r"([0-9]{10})(?:-?([0-9]{3}))?", code, re.ASCII)
    if match is None:
        raise InvalidInputError(
            field,
            gettext("A tax code has 10 digits, or 13 for a branch (10 digits, a dash, 3 digits)."),
        )
    main, branch = match.group(1), match.group(2)
    if main[2:9] == "0000000":
        raise InvalidInputError(
            field, gettext("Digits 3 to 9 of a tax code are a serial number and cannot be 0.")
        )
    if branch == "000":
        raise InvalidInputError(field, gettext("A branch number runs from 001 to 999."))
    if tax_code_check_digit(main[:9]) != int(main[9]):
        raise InvalidInputError(
            field, gettext("The check digit (10th digit) does not match; a digit is mistyped.")
        )
    return f"{main}-{branch}" if branch else main
