"""Personal ID numbers and tax codes: every structural rule, and properties over generated ones."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.accounts.identifiers import (
    BIRTH_REGISTRATION_PROVINCES,
    normalise_tax_code,
    parse_personal_id,
    tax_code_check_digit,
)
from motcua.common.errors import InvalidInputError

TODAY = dt.date(2026, 11, 24)


def reason(number: str, **kwargs: object) -> str:
    with pytest.raises(InvalidInputError) as excinfo:
        parse_personal_id(number, today=TODAY, **kwargs)  # type: ignore[arg-type]
    assert excinfo.value.field == "personal_id"
    return excinfo.value.reason


# --- personal ID numbers ------------------------------------------------------------------


def test_the_documented_example_reads_as_ha_nam_female_1999() -> None:
    parsed = parse_personal_id("035199000123", today=TODAY)
    assert parsed.registration_code == "035"
    assert parsed.registration_place == "Hà Nam"
    assert parsed.is_female
    assert parsed.birth_year == 1999
    assert not parsed.registered_abroad


def test_pre_2025_province_codes_are_accepted_though_those_provinces_merged() -> None:
    # Hà Nội (001) still exists; Hà Giang (002) and Hà Nam (035) were merged away in 2025,
    # and their numbers stay valid for life.
    assert parse_personal_id("001090000001", today=TODAY).registration_place == "Hà Nội"
    assert parse_personal_id("002205000001", today=TODAY).birth_year == 2005
    assert len(BIRTH_REGISTRATION_PROVINCES) == 63


@pytest.mark.parametrize("prefix", ["000", "003", "005", "063", "097", "099", "100", "704"])
def test_a_prefix_that_is_no_province_code_is_refused(prefix: str) -> None:
    assert f"({prefix})" in reason(prefix + "199000123")


@pytest.mark.parametrize(
    "number",
    [
        "03519900012",
        "0351990001234",
        "",
        "03519900012A",
        "035 199 000 123",
        "035-199-000-123",
        "٠٣٥١٩٩٠٠٠١٢٣",
    ],  # the last is 035199000123 in Arabic-Indic digits
)
def test_anything_but_twelve_ascii_digits_is_refused(number: str) -> None:
    assert "12 digits" in reason(number)


def test_surrounding_spaces_are_forgiven() -> None:
    assert parse_personal_id(" 035199000123\n", today=TODAY).number == "035199000123"


@pytest.mark.parametrize(
    ("number", "female", "year"),
    [
        ("035099000123", False, 1999),
        ("035199000123", True, 1999),
        ("035200000123", False, 2000),
        ("035326000123", True, 2026),
    ],
)
def test_digit_four_gives_century_and_sex(number: str, female: bool, year: int) -> None:
    parsed = parse_personal_id(number, today=TODAY)
    assert (parsed.is_female, parsed.birth_year) == (female, year)


@pytest.mark.parametrize("number", ["035227000123", "035399000123", "035400000123", "035900000123"])
def test_a_birth_year_after_today_is_refused(number: str) -> None:
    assert "future" in reason(number)


def test_the_birth_year_must_match_the_date_of_birth() -> None:
    assert (
        parse_personal_id(
            "035199000123", date_of_birth=dt.date(1999, 12, 31), today=TODAY
        ).birth_year
        == 1999
    )
    # Same year digits, wrong century: digit 4 = 3 means the 2000s, the date says 1900.
    assert "1900" in reason("035300000123", date_of_birth=dt.date(1900, 5, 1))
    # Right century, year digits mistyped.
    assert "2000" in reason("035199000123", date_of_birth=dt.date(2000, 1, 1))


def test_no_reason_repeats_the_number() -> None:
    for number, kwargs in [
        ("003199000123", {}),
        ("035199000123", {"date_of_birth": dt.date(1985, 1, 1)}),
        ("035499000123", {}),
        ("03519900012X", {}),
    ]:
        assert number not in reason(number, **kwargs)


# Valid numbers: any province, any century up to today's year, any random tail.
province_codes = st.sampled_from(sorted(BIRTH_REGISTRATION_PROVINCES))
past_births = st.one_of(
    st.tuples(st.integers(0, 1), st.integers(0, 99)),
    st.tuples(st.integers(2, 3), st.integers(0, TODAY.year - 2000)),
)
tails = st.text("0123456789", min_size=6, max_size=6)
valid_ids = st.builds(
    lambda code, birth, tail: f"{code}{birth[0]}{birth[1]:02d}{tail}",
    province_codes,
    past_births,
    tails,
)


@given(number=valid_ids)
def test_every_generated_valid_number_passes(number: str) -> None:
    parsed = parse_personal_id(number, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_year <= TODAY.year


@given(number=valid_ids, position=st.integers(0, 2), digit=st.sampled_from("0123456789"))
def test_changing_one_prefix_digit_to_a_non_province_code_fails(
    number: str, position: int, digit: str
) -> None:
    changed = number[:position] + digit + number[position + 1 :]
    if changed[:3] in BIRTH_REGISTRATION_PROVINCES:
        # Still (another) province: a typo this check cannot see, proved valid above.
        return
    with pytest.raises(InvalidInputError) as excinfo:
        parse_personal_id(changed, today=TODAY)
    assert changed not in str(excinfo.value)


# --- tax codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_code", "stored"),
    [
        ("0100233488", "0100233488"),
        ("0314409058", "0314409058"),
        ("0314409058-002", "0314409058-002"),
        ("0314409058002", "0314409058-002"),
        (" 0314409058-002 ", "0314409058-002"),
    ],
)
def test_valid_tax_codes_are_stored_in_printed_form(given_code: str, stored: str) -> None:
    assert normalise_tax_code(given_code) == stored


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("0100233480", "check digit"),  # last digit changed
        ("0100233848", "check digit"),  # two digits swapped
        ("12345", "10 digits"),
        ("01002334881", "10 digits"),  # 11 digits
        ("0314409058-02", "10 digits"),
        ("0314409058--002", "10 digits"),
        ("03144O9058", "10 digits"),  # letter O for zero
        ("0100000000", "serial"),
        ("0314409058-000", "branch"),
    ],
)
def test_invalid_tax_codes_are_refused_with_a_reason(code: str, words: str) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        normalise_tax_code(code)
    assert excinfo.value.field == "tax_code"
    assert words in excinfo.value.reason


def test_the_check_digit_uses_the_published_weights() -> None:
    # 0·31 + 3·29 + 1·23 + 4·19 + 4·17 + 0·13 + 9·7 + 0·5 + 5·3 = 332; 332 mod 11 = 2; 10 − 2 = 8.
    assert tax_code_check_digit("031440905") == 8
    # Σ mod 11 = 0 would need the digit "10": no code is issued with these nine digits.
    assert tax_code_check_digit("010999999") is None
    for last in "0123456789":
        with pytest.raises(InvalidInputError):
            normalise_tax_code("010999999" + last)


@given(
    first_nine=st.text("0123456789", min_size=9, max_size=9).filter(
        lambda s: s[2:] != "0000000" and tax_code_check_digit(s) is not None
    )
)
def test_exactly_one_last_digit_completes_a_tax_code(first_nine: str) -> None:
    accepted = []
    for last in "0123456789":
        try:
            normalise_tax_code(first_nine + last)
            accepted.append(last)
        except InvalidInputError:
            pass
    assert accepted == [str(tax_code_check_digit(first_nine))]
