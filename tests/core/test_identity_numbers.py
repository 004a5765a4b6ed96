"""Identity numbers: every form is recognised, in fields and in free text, and little else is."""

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from avvik.core.identity_numbers import (
    IdentityKind,
    find_identity_numbers,
    free_text_validator,
    identity_kind,
    is_identity_number,
    validate_identity_number,
)

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def with_check_digits(nine: str, remainder: int = 0) -> str | None:
    """Append k1 and k2 the way Skatteetaten's "Nytt fødselsnummer fra 2032" spells it out.

    k1 = (11 + remainder) - (weighted sum mod 11), less 11 when above 10; remainder 0 is the
    rule before 2032, 1 to 3 the extra values from 2032. None when k1 or k2 would be 10.
    """
    k1 = 11 + remainder - sum(w * int(d) for w, d in zip(K1_WEIGHTS, nine, strict=True)) % 11
    if k1 > 10:
        k1 -= 11
    if k1 == 10:
        return None
    ten = nine + str(k1)
    k2 = 11 - sum(w * int(d) for w, d in zip(K2_WEIGHTS, ten, strict=True)) % 11
    if k2 == 11:
        k2 = 0
    if k2 == 10:
        return None
    return ten + str(k2)


def make(
    day: int,
    month: int,
    year: int,
    individual: int,
    *,
    day_offset: int = 0,
    month_offset: int = 0,
    remainder: int = 0,
) -> str | None:
    """Build an identity number from its parts; None when no check digits exist for them."""
    nine = f"{day + day_offset:02d}{month + month_offset:02d}{year % 100:02d}{individual:03d}"
    return with_check_digits(nine, remainder)


def spelled(number: str, separator: str) -> str:
    """Write a number as 6 + 5 digits with the separator between."""
    return number[:6] + separator + number[6:]


# (day offset, month offset, kind): D-numbers combine with both month offsets.
DATED_FORMS = [
    (0, 0, IdentityKind.ORDINARY),
    (40, 0, IdentityKind.D_NUMBER),
    (0, 40, IdentityKind.H_NUMBER),
    (40, 40, IdentityKind.H_NUMBER),
    (0, 80, IdentityKind.SYNTHETIC),
    (40, 80, IdentityKind.SYNTHETIC),
]


def individuals_for(year: int) -> st.SearchStrategy[int]:
    """Individual numbers the pre-2032 rule gives people born in the year."""
    if year < 1900:
        return st.integers(500, 749)
    if year < 1940:
        return st.integers(0, 499)
    if year < 2000:
        return st.integers(0, 499) | st.integers(900, 999)
    return st.integers(500, 999)


@st.composite
def dated_numbers(draw: st.DrawFn, *, rule_2032: bool = False) -> tuple[str, IdentityKind]:
    """A valid number of a dated form; with rule_2032, one whose k1 only the 2032 rule allows."""
    day_offset, month_offset, kind = draw(st.sampled_from(DATED_FORMS))
    born = draw(st.dates(date(1854, 1, 1), date(2039, 12, 31)))
    if rule_2032:
        # From 2032 the individual number no longer tells the century.
        individual, remainder = draw(st.integers(0, 999)), draw(st.integers(1, 3))
    else:
        individual, remainder = draw(individuals_for(born.year)), 0
    number = make(
        born.day,
        born.month,
        born.year,
        individual,
        day_offset=day_offset,
        month_offset=month_offset,
        remainder=remainder,
    )
    assume(number is not None)
    return number, kind


@st.composite
def fh_numbers(draw: st.DrawFn) -> str:
    nine = draw(st.sampled_from("89")) + draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    number = with_check_digits(nine)
    assume(number is not None)
    return number


any_numbers = (
    dated_numbers() | dated_numbers(rule_2032=True) | fh_numbers().map(lambda number: (number, IdentityKind.FH_NUMBER))
)
# Letters, punctuation and white space, but no digits.
surroundings = st.text(alphabet="abcxyzæøåABCÆØÅ .,;:!?()[]-/'\"\n\t", max_size=30)
separators = st.sampled_from(["", " ", ".", "-"])


# Known examples


def test_the_test_helper_reproduces_skatteetatens_examples():
    assert make(2, 1, 2032, 999) == "02013299997"
    assert make(30, 10, 1982, 999) == "30108299920"
    assert make(30, 10, 1982, 999, remainder=1) == "30108299939"


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("15108695088", IdentityKind.ORDINARY),  # python-stdnum's example
        ("02013299997", IdentityKind.ORDINARY),  # Skatteetaten's 2032 examples
        ("30108299920", IdentityKind.ORDINARY),
        ("30108299939", IdentityKind.ORDINARY),  # k1 valid under the 2032 rule only
        (make(31, 12, 1999, 123, day_offset=40), IdentityKind.D_NUMBER),
        (make(1, 1, 1970, 123, month_offset=40), IdentityKind.H_NUMBER),
        (make(15, 6, 1985, 457, month_offset=80), IdentityKind.SYNTHETIC),
        (make(15, 6, 1985, 457, day_offset=40, month_offset=80), IdentityKind.SYNTHETIC),
        (with_check_digits("812345678"), IdentityKind.FH_NUMBER),
        (with_check_digits("900000002"), IdentityKind.FH_NUMBER),
    ],
)
def test_known_numbers_of_each_form_are_recognised(number, kind):
    assert number is not None
    assert identity_kind(number) == kind
    assert is_identity_number(number)


@pytest.mark.parametrize("separator", [" ", ".", "-", "\u00a0"])
def test_one_separator_after_the_sixth_digit_is_accepted(separator):
    assert identity_kind(spelled("15108695088", separator)) == IdentityKind.ORDINARY


@pytest.mark.parametrize(
    "number",
    [
        "15108695077",  # bad check digits
        "15108695089",  # bad second check digit
        "15108695098",  # bad first check digit, and not one of the 2032 values
        make(31, 2, 1990, 123),  # 31 February
        make(30, 2, 1992, 123),  # 30 February
        with_check_digits("011390123"),  # month 13
        with_check_digits("015390123"),  # month 13 + 40
        with_check_digits("019390123"),  # month 13 + 80
        with_check_digits("320190123"),  # day 32
        with_check_digits("720190123"),  # day 32 + 40
        with_check_digits("400190123"),  # day 40 is neither a day nor a D-number
        with_check_digits("000190123"),  # day 0
        with_check_digits("010090124"),  # month 0
        with_check_digits("016690123"),  # month 1 + 65: NAV's alleged offset is not accepted
        "1510869508",  # 10 digits
        "151086950880",  # 12 digits
        "15108  95088",  # two separators
        "1510869-5088",  # separator in the wrong place
        "15108695O88",  # a letter O
        "",
        "abcdefghijk",
    ],
)
def test_invalid_numbers_are_refused(number):
    assert number is not None
    assert identity_kind(number) is None
    assert not is_identity_number(number)


def test_29_february_needs_a_leap_year_in_a_possible_century():
    assert is_identity_number(make(29, 2, 1904, 101))
    assert is_identity_number(make(29, 2, 2000, 600))  # individual 500-999 and year 00: 2000
    assert not is_identity_number(make(29, 2, 1900, 101))  # individual 000-499: 1900
    assert not is_identity_number(make(29, 2, 1901, 101))
    # Numbers only the 2032 rule allows tell no century, so 2000 is possible.
    assert is_identity_number(make(29, 2, 1900, 101, remainder=1))


def test_fh_numbers_use_only_the_check_digit_rule_from_before_2032():
    assert with_check_digits("812345678", remainder=1) is not None
    assert not is_identity_number(with_check_digits("812345678", remainder=1))


# Property-based: every form, every spelling, alone and in text


@given(dated_numbers())
def test_ordinary_d_h_and_synthetic_numbers_are_recognised(case):
    number, kind = case
    assert identity_kind(number) == kind


@given(dated_numbers(rule_2032=True))
def test_numbers_with_a_2032_check_digit_are_recognised(case):
    number, kind = case
    assert identity_kind(number) == kind


@given(st.dates(date(1900, 1, 1), date(1999, 12, 31)), st.integers(0, 499))
def test_d_numbers_are_recognised(born, individual):
    number = make(born.day, born.month, born.year, individual, day_offset=40)
    assume(number is not None)
    assert identity_kind(number) == IdentityKind.D_NUMBER


@given(fh_numbers())
def test_fh_numbers_are_recognised(number):
    assert identity_kind(number) == IdentityKind.FH_NUMBER


@given(any_numbers, separators)
def test_every_spelling_is_recognised_on_its_own(case, separator):
    number, kind = case
    assert identity_kind(spelled(number, separator)) == kind


@given(any_numbers, separators, surroundings, surroundings)
def test_numbers_are_found_in_surrounding_text(case, separator, before, after):
    written = spelled(case[0], separator)
    assert find_identity_numbers(before + written + after) == [written]


@given(any_numbers, any_numbers, separators, surroundings)
def test_several_numbers_in_one_text_are_all_found_in_order(first, second, separator, between):
    one, two = spelled(first[0], separator), second[0]
    assert find_identity_numbers(f"{one} {between} {two}") == [one, two]


@given(
    any_numbers,
    separators,
    st.text(alphabet="0123456789", max_size=4),
    st.text(alphabet="0123456789", max_size=4),
)
def test_a_longer_digit_run_holding_a_valid_number_is_not_reported(case, separator, before, after):
    assume(before or after)
    assert find_identity_numbers(f"ref {before}{spelled(case[0], separator)}{after} end") == []


@pytest.mark.parametrize(
    "text",
    [
        "Ring 22334455 eller +47 22 33 44 55",  # phone numbers, 8 digits
        "Mobil 912 34 567, 91234567",
        "Org.nr. 974760673 og 974 760 673",  # organisation numbers, 9 digits
        "HER-id 8094347, HER 112374",  # HER-ids
        "Saksnr. 2024/12345, dato 01.01.2024 kl. 12.00",
        "Kontonummer 1234.56.78903",
    ],
)
def test_phone_organisation_and_her_numbers_are_not_reported(text):
    assert find_identity_numbers(text) == []


# The false-positive rate


def test_few_random_11_digit_strings_pass_as_identity_numbers(capsys):
    rng = random.Random(20261126)
    trials = 100_000
    accepted = sum(is_identity_number(f"{rng.randrange(10**11):011d}") for _ in range(trials))
    rate = accepted / trials
    with capsys.disabled():
        print(f"\nidentity numbers: false-positive rate on random 11-digit strings: {rate * 100:.2f} %")
    # Expected rate: a dated form needs a real day and month in one of 2 day ranges x 3 month
    # ranges (6 x 365.25 / 10,000 = 21.9 %), k1 among the 2032 values (40/11 of 10 digits = 4/11)
    # and k2 right (1/11): 0.72 %. FH-numbers add 2/10 x 1/11 x 1/11 = 0.17 %. Total 0.89 %;
    # the sampling error is 0.03 %, so a rate above 1 % means something accepts too much.
    assert rate < 0.01


# The Django validators


def test_the_field_validator_accepts_a_valid_number_and_refuses_others():
    validate_identity_number("151086 95088")
    with pytest.raises(ValidationError) as caught:
        validate_identity_number("15108695077")
    assert caught.value.code == "invalid_identity_number"
    assert "fødselsnummer" in str(caught.value.messages[0])


def test_the_free_text_validator_refuses_text_holding_a_number():
    free_text_validator("Pasienten falt i gangen, ring 22334455.")
    with pytest.raises(ValidationError) as caught:
        free_text_validator("Pasient 151086-95088 falt i gangen.")
    assert caught.value.code == "identity_number_in_text"
    assert "fødselsnummer" in str(caught.value.messages[0])
