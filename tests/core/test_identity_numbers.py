"""Identity numbers: every form is recognised, in fields and in free text, and little else is."""

import itertools
import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.no import kontonr

from avvik.core.identity_numbers import (
    IdentityKind,
    confirmed_free_text_validator,
    find_identity_numbers,
    free_text_validator,
    identity_kind,
    is_identity_number,
    scan_identity_numbers,
    strict_free_text_validator,
    validate_identity_number,
)
from tests.core.identity_corpus import (
    make,
    negative_corpus,
    next_to_other_numbers,
    plain_account_numbers,
    positive_corpus,
    with_check_digits,
)


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


# Free text: however the eleven digits are grouped and separated

# The characters that may join two groups of digits, written out here rather than read from the
# module, so that the test says what the scanner promises.
SPACES = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
DOTS = ".\u00b7\u2024\uff0e"
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SLASHES = "/\u2044\u2215\uff0f"
SEPARATORS = SPACES + INVISIBLE + DOTS + DASHES + SLASHES
SCRIPTS = [
    str.maketrans("0123456789", "0123456789"),
    str.maketrans("0123456789", "０１２３４５６７８９"),  # full-width
    str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),  # Arabic-Indic
    str.maketrans("0123456789", "०१२३४५६७८९"),  # Devanagari
]

one_or_two = st.text(alphabet=SEPARATORS, min_size=1, max_size=2).filter(
    lambda join: not (join[0] in DOTS and join[-1] in SPACES and len(join) == 2)  # a sentence ends
)
spaced_dash = st.builds(
    lambda before, mark, after: before + mark + after,
    st.sampled_from(SPACES),
    st.sampled_from(DASHES + SLASHES),
    st.sampled_from(SPACES),
)
joins = one_or_two | spaced_dash


@st.composite
def groupings(draw: st.DrawFn) -> tuple[int, ...]:
    """Digits per group: any split of the eleven digits."""
    cuts = sorted(draw(st.sets(st.integers(1, 10))))
    bounds = [0, *cuts, 11]
    return tuple(b - a for a, b in itertools.pairwise(bounds))


def reads_as_something_else(groups: list[str], between: list[str]) -> bool:
    """The two writings the scanner leaves alone by design: the bank account notation (4-2-5 joined
    by one full stop or space each) and a date with a four-digit year."""
    lengths = tuple(map(len, groups))
    if lengths == (4, 2, 5) and all(len(join) == 1 and join in "." + SPACES for join in between):
        return True
    for first, second, third in zip(groups, groups[1:], groups[2:], strict=False):
        for day, month, year in ((first, second, third), (third, second, first)):
            if (
                len(day) <= 2
                and len(month) <= 2
                and len(year) == 4
                and 1 <= int(day) <= 31
                and 1 <= int(month) <= 12
                and 1800 <= int(year) <= 2099
            ):
                return True
    return False


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str, tuple[int, ...]]:
    """A valid identity number of any form, split into random groups joined by random separators,
    each digit in a random script: (written, digits, grouping)."""
    digits = draw(any_numbers)[0]
    grouping = draw(groupings())
    groups, position = [], 0
    for size in grouping:
        groups.append(digits[position : position + size])
        position += size
    between = [draw(joins) for _ in groups[1:]]
    assume(not reads_as_something_else(groups, between))
    scripts = st.sampled_from(SCRIPTS)
    mixed = draw(st.booleans())
    script = draw(scripts)
    written = ""
    for index, group in enumerate(groups):
        written += between[index - 1] if index else ""
        written += "".join(digit.translate(draw(scripts) if mixed else script) for digit in group)
    return written, digits, grouping


# Harmless words and numbers, kept apart from the identity number by a word or a comma.
harmless = st.lists(
    st.sampled_from(
        [
            "pasienten",
            "ble sendt hjem",
            "tlf. 22 33 44 55",
            "kl. 14.30",
            "01.02.2024",
            "HER-id 8094347",
            "kr 12 345,50",
            "kontonr. 1234.56.78903",
            "SA-2026-7KQ4MT",
            "org.nr. 974 760 673",
            "(se vedlegg)",
            "–",
            "\n",
        ]
    ),
    max_size=6,
).map(" ".join)


@given(written_numbers(), harmless, harmless, st.sampled_from([", ", ". 2 dager etter ", ")", "\n", " og "]))
def test_every_grouping_with_any_separators_is_found_in_text(number, before, after, closing):
    written, digits, grouping = number
    text = f"{before} pasient {written}{closing}{after}"
    found = scan_identity_numbers(text)
    assert [n.written for n in found] == [written]
    assert found[0].digits == digits
    assert found[0].grouping == grouping
    assert found[0].may_be_account_number == (grouping in ((11,), (4, 2, 5)))


@given(
    st.text(alphabet="0123456789０１２３٤٥ abcæøå.,:;-/\u2013\u00a0\u202f\n\t²³¹①½", max_size=60).filter(
        lambda text: sum(character.isdecimal() for character in text) <= 10
    )
)
def test_text_with_fewer_than_eleven_digits_is_never_flagged(text):
    assert find_identity_numbers(text) == []
    free_text_validator(text)


@given(any_numbers, st.integers(1, 10), st.sampled_from([",", ":", "x", "\t", "\n", "   ", ". ", "_", "+"]))
def test_a_character_that_does_not_join_splits_the_number(case, position, breaker):
    digits = case[0]
    assert find_identity_numbers(f"pasient {digits[:position]}{breaker}{digits[position:]} ble") == []


@given(st.lists(st.tuples(any_numbers, st.sampled_from(["", " ", "-", "."])), min_size=2, max_size=4))
def test_numbers_in_a_row_joined_by_a_space_are_each_found(cases):
    """A list of numbers separated only by spaces: a chain of 22 digits or more, read in usual writings."""
    written = [spelled(case[0], separator) for case, separator in cases]
    assert find_identity_numbers(" ".join(written)) == written


@given(any_numbers)
def test_every_identity_number_passes_the_account_checksum_too(case):
    """Why the writing, not the checksum, tells an account number: k2 is the account check digit."""
    assert kontonr.is_valid(case[0])


VALID = "15108695088"


@pytest.mark.parametrize(
    "written",
    [
        "151086 950 88",
        "15 10 86 95088",
        "15.10.86 95088",
        "151086  95088",
        "151086\u201395088",
        "151086 \u2013 95088",
        "151086/95088",
        "151086\u202f95088",
        "１５１０８６９５０８８",
        "１５１０８６\u3000９５０８８",
        "15\u00b710\u00b786 95088",
        "151086\u200b95088",
    ],
)
def test_the_writings_the_independent_test_missed_are_found(written):
    assert find_identity_numbers(f"Pasient {written} falt.") == [written]
    assert scan_identity_numbers(written)[0].digits == VALID


def test_the_bank_account_notation_is_not_an_identity_number_even_when_the_digits_are_one():
    assert is_identity_number(VALID)
    assert find_identity_numbers("Kontonummer 1510.86.95088.") == []
    assert find_identity_numbers("Kontonummer 1510 86 95088.") == []
    # Other joins are no account notation: reported, but it may be an account number.
    (found,) = scan_identity_numbers("Kontonummer 1510-86-95088.")
    assert found.may_be_account_number


def test_a_date_with_a_four_digit_year_and_a_time_is_not_an_identity_number():
    # The first date and time whose 11 digits happen to pass the identity checks.
    written = next(
        f"{day}.{month}.2024 {hour}.{minute:02d}"
        for day in range(1, 29)
        for month in range(1, 13)
        for hour in range(24)
        for minute in range(60)
        if len(f"{day}{month}2024{hour}{minute:02d}") == 11
        and is_identity_number(f"{day}{month}2024{hour}{minute:02d}")
    )
    assert find_identity_numbers(f"Hendelsen skjedde {written} på avdelingen.") == []


def test_a_number_touched_by_letters_counts_only_in_a_usual_writing():
    uuid_part = "2da8febb-6eeb-4881-8918-723a0f9dab5f"
    assert is_identity_number("48818918723")
    assert find_identity_numbers(f"Meldings-id {uuid_part}") == []
    assert find_identity_numbers(f"fnr{VALID}") == [VALID]
    assert find_identity_numbers("ID151086-95088.") == ["151086-95088"]


def test_a_full_stop_and_a_space_end_a_sentence_and_join_nothing():
    assert find_identity_numbers("Pasient 151086. 95088 ble") == []
    assert find_identity_numbers("Pasient 151086 95088. 2 dager etter") == ["151086 95088"]


def test_a_number_next_to_another_number_is_found_in_its_usual_writings():
    assert find_identity_numbers("Tlf 22 33 44 55 151086 95088") == ["151086 95088"]
    assert find_identity_numbers("Født 15.10.1986 15.10.86 95088") == ["15.10.86 95088"]
    # Grouped unusually and run together with other numbers, it cannot be told apart: not reported.
    assert find_identity_numbers("Tlf 22 33 44 55 1510 8695 088") == []


# The corpus: recall and false alarms


def test_the_corpus_is_read_with_full_recall_and_no_false_alarm(capsys):
    positives = positive_corpus() + next_to_other_numbers()
    negatives = negative_corpus()
    missed = [sample for sample in positives if find_identity_numbers(sample.text) != list(sample.expected)]
    alarms = [sample for sample in negatives if find_identity_numbers(sample.text)]
    accounts = plain_account_numbers()
    flagged = [scan_identity_numbers(f"Kontonummer {number}.") for number in accounts]
    flagged = [found for found in flagged if found]
    recall = 1 - len(missed) / len(positives)
    with capsys.disabled():
        print(
            f"\nidentity numbers in free text: recall {recall * 100:.1f} % of {len(positives)} written numbers; "
            f"{len(alarms)} false alarms in {len(negatives)} harmless texts; "
            f"{len(flagged)} of {len(accounts)} plain account numbers flagged, all confirmable"
        )
    assert len(positives) >= 720 and len(negatives) >= 480
    assert not missed, [(sample.label, sample.text) for sample in missed[:10]]
    assert not alarms, [(sample.label, sample.text) for sample in alarms[:10]]
    # About one valid account number in ten passes the identity checks; each may be confirmed.
    assert 0.05 < len(flagged) / len(accounts) < 0.15
    assert all(number.may_be_account_number for found in flagged for number in found)


# The free-text validators


def test_a_number_written_as_an_identity_number_has_no_way_past():
    for validator in (free_text_validator, confirmed_free_text_validator, strict_free_text_validator):
        with pytest.raises(ValidationError) as caught:
            validator("Pasient 151086 950 88 falt.")
        assert caught.value.code == "identity_number_in_text"


def test_a_number_that_may_be_an_account_number_is_refused_with_the_offer_to_confirm():
    with pytest.raises(ValidationError) as caught:
        free_text_validator(f"Refusjon til konto {VALID}.")
    assert caught.value.code == "account_number_in_text"
    with translation.override("en"):
        assert "tick the box" in str(caught.value.messages[0])
    confirmed_free_text_validator(f"Refusjon til konto {VALID}.")
    with pytest.raises(ValidationError):
        strict_free_text_validator(f"faktura {VALID}.pdf")


def test_one_number_that_can_only_be_an_identity_number_spoils_the_offer():
    text = f"Konto {VALID}, pasient 151086 95088."
    with pytest.raises(ValidationError) as caught:
        free_text_validator(text)
    assert caught.value.code == "identity_number_in_text"
    with pytest.raises(ValidationError):
        confirmed_free_text_validator(text)
