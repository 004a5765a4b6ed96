"""Norwegian national identity numbers (fødselsnummer) of every form, in fields and in free text.

An identity number has 11 digits: a date DDMMYY, a 3-digit individual number and two check digits
k1 and k2. The forms recognised here:

- ordinary fødselsnummer;
- D-number: day + 40 (41-71);
- H-number (hospital help number): month + 40 (41-52), as in KITH's rules. NAV's synthetic
  Dolly numbers use the same offset, so they are reported as H-numbers too;
- FH-number (felles hjelpenummer): first digit 8 or 9, no date, only the check digits count;
- synthetic test numbers from Skatteetaten's Test Norge: month + 80 (81-92), also combined with
  the D-number day offset.

Month + 65 is left out: no reliable source for it was found (NAV's own validators use + 40 for
Dolly and + 80 for Test Norge).

The check digit arithmetic comes from python-stdnum; stdnum knows neither the synthetic offset
nor the check digit rule of 2032, so those parts are our own.

Finding numbers in free text
----------------------------
People write the eleven digits in many ways: 01019012345, 010190 12345, 010190-12345,
01.01.90 12345, 01 01 90 123 45, 010190 123 45, with a no-break or narrow no-break space, an en
dash or a slash, in full-width digits. `scan_identity_numbers` reads text so:

- A *group* is a run of decimal digits of any script (ASCII, full-width, Arabic-Indic, ...), read
  by value. Superscripts, fractions and circled digits are not decimal digits.
- A *join* is one or two separator characters between two groups: a space of any width
  (no-break, narrow no-break, figure, thin, ideographic, ...), an invisible one (zero-width space,
  word joiner, soft hyphen), a full stop or middle dot, a hyphen or dash (hyphen-minus, hyphen,
  non-breaking hyphen, figure dash, en dash, em dash, minus sign), a slash, and the full-width
  forms of these; or a dash or slash with a space on each side (010190 / 12345). Other runs of
  three or more are no join, nor is a full stop followed by a space (the end of a sentence). A
  comma (the decimal mark), a colon (times), a tab, a line break and letters never join.
- A *chain* is a longest run of groups with a join between each two. A chain of exactly 11 digits
  is a candidate however it is grouped, except two written forms of other things: 4-2-5 digits
  joined by one full stop or one space each (a bank account number, 1234.56.78903), and a chain
  holding a date with a four-digit year (1.10.2024 12.30: an identity number's year has two
  digits).
- A longer chain (several numbers in a row), or one a letter touches (part of a code or message
  id: 6eeb-4881-8918-723a), holds a candidate only in one of the usual writings of an identity
  number, as a run of whole groups: 11, 6-5, 6-3-2 or 2-2-2-5 digits.
  A group is never split: digits that run on without a join belong to a longer identifier.
- A candidate is reported when its digits pass the checks above (a real date in one of the
  forms, both check digits). About 1 random 11-digit string in 110 does.

Bank account numbers
--------------------
A bank account number has 11 digits too, and its check digit is k2's MOD 11 with the same weights:
every identity number passes the account checksum, and about 1 account number in 10 passes the
identity checks. The digits cannot tell the two apart, so the writing does: a number written as 11
digits in a row, or grouped 4-2-5, may be either (`NumberInText.may_be_account_number`), and the
free-text validator then lets the person confirm that it is an account number. A number written in
an identity number's grouping (010190 12345) has no such way past."""

import datetime
import enum
import itertools
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import fodselsnummer, kontonr

__all__ = [
    "IdentityKind",
    "NumberInText",
    "confirmed_free_text_validator",
    "find_identity_numbers",
    "free_text_validator",
    "identity_kind",
    "is_identity_number",
    "scan_identity_numbers",
    "strict_free_text_validator",
    "validate_identity_number",
]


class IdentityKind(enum.StrEnum):
    ORDINARY = "ordinary"
    D_NUMBER = "d_number"
    H_NUMBER = "h_number"
    FH_NUMBER = "fh_number"
    SYNTHETIC = "synthetic"


# A number written on its own (a field): one space, dot or hyphen may follow the sixth digit. A
# no-break space counts as a space: word processors put one there on their own.
_SEPARATOR = r"[ \u00a0.\-]"
_WHOLE = re.compile(rf"([0-9]{{6}}){_SEPARATOR}?([0-9]{{5}})")


# Free text: the joins described in the module's docstring.
_SPACES = "\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u00ad\u200b-\u200d\u2060\ufeff"
_DOTS = ".\u00b7\u2024\uff0e"
_DASHES = "\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_SLASHES = "/\u2044\u2215\uff0f"
_JOINER = f"[{_SPACES}{_INVISIBLE}{_DOTS}{_DASHES}{_SLASHES}]"
# \d is any decimal digit of any script, in str patterns. Digits and joiners are disjoint, so the
# chain pattern cannot backtrack badly. A full stop and a space end a sentence: no join.
_JOIN = (
    rf"(?:(?![{_DOTS}][{_SPACES}]){_JOINER}{{1,2}}"
    rf"|[{_SPACES}][{_DASHES}{_SLASHES}][{_SPACES}])"
)
_CHAIN = re.compile(rf"\d+(?:{_JOIN}\d+)*")
_GROUP = re.compile(r"\d+")
_ACCOUNT_JOIN = re.compile(f"[.{_SPACES}]")

# How an identity number is usually written, as digits per group, by the size of its first group;
# only these are looked for inside a longer chain of numbers. Each has a group of five digits or
# more: phone numbers, dates, times and amounts in a row (22 33 44 55 / 444 51 037) have none.
# 2-2-2-3-2 is left out for that reason: in such rows it gave about one false alarm in 30,000
# harmless sentences.
_USUAL_GROUPINGS = {11: ((11,),), 6: ((6, 5), (6, 3, 2)), 2: ((2, 2, 2, 5),)}
_ACCOUNT_GROUPING = (4, 2, 5)


# The centuries to try when the individual number tells none (numbers issued from 2032 on);
# for a date they differ only on 29 February of year 00.
_ANY_CENTURY = (1900, 2000)


def _k1_candidates(digits: str, *, rule_2032: bool) -> set[str]:
    """Return the accepted values of the first check digit, k1."""
    k1 = int(fodselsnummer.calc_check_digit1(digits))  # 0 to 10; 10 means "no valid k1"
    # Skatteetaten, "Nytt fødselsnummer fra 2032": from 2032 k1 = {11, 12, 13, 14} - (weighted sum
    # mod 11), less 11 when above 10, discarded when 10; i.e. the remainder may be 0, 1, 2 or 3.
    # The old rule is remainder 0, so every old number stays valid.
    extra = range(4) if rule_2032 else range(1)
    return {str((k1 + remainder) % 11) for remainder in extra} - {"10"}


def _centuries(year: int, individual: int) -> tuple[int, ...]:
    """Return the centuries the pre-2032 rule allows for this year and individual number."""
    centuries = []
    if individual < 500 or (individual >= 900 and year >= 40):
        centuries.append(1900)
    if 500 <= individual < 750 and year >= 54:
        centuries.append(1800)
    if individual >= 500 and year < 40:
        centuries.append(2000)
    # Combinations outside the table can only come from 2032 on, when the individual number
    # no longer carries the century.
    return tuple(centuries) or _ANY_CENTURY


def _is_date(day: int, month: int, years: tuple[int, ...]) -> bool:
    """Tell whether the day and month exist in at least one of the years (for 29 February)."""
    for year in years:
        try:
            datetime.date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def _compact(number: str) -> str | None:
    """Return the 11 digits of a number written on its own, or None."""
    match = _WHOLE.fullmatch(number.strip())
    return match[1] + match[2] if match else None


def identity_kind(number: str) -> IdentityKind | None:
    """Return the kind of identity number, or None when the number is not a valid one.

    Accepts 11 digits, optionally with one space (also a no-break space), dot or hyphen after
    the sixth digit.
    """
    digits = _compact(number)
    return None if digits is None else _kind_of_digits(digits)


def _kind_of_digits(digits: str) -> IdentityKind | None:
    """Return the kind of identity number the 11 ASCII digits are, or None."""
    check_digit2_ok = digits[10] == fodselsnummer.calc_check_digit2(digits)
    if digits[0] in "89":
        # FH-numbers are issued by the health sector, not Folkeregisteret, so the 2032 rule for
        # fødselsnummer and D-numbers is not applied; their first six digits hold no date.
        ok = check_digit2_ok and digits[9] in _k1_candidates(digits, rule_2032=False)
        return IdentityKind.FH_NUMBER if ok else None

    day, month, year, individual = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6:9])
    kind = IdentityKind.ORDINARY
    if day > 40:
        day -= 40
        kind = IdentityKind.D_NUMBER
    if month > 80:
        month -= 80
        kind = IdentityKind.SYNTHETIC
    elif month > 40:
        month -= 40
        kind = IdentityKind.H_NUMBER

    if not check_digit2_ok:
        return None
    # H-numbers and synthetic numbers follow the rules of the fødselsnummer, so the 2032 rule too.
    if digits[9] in _k1_candidates(digits, rule_2032=False):
        centuries = _centuries(year, individual)
    elif digits[9] in _k1_candidates(digits, rule_2032=True):
        centuries = _ANY_CENTURY  # only issued from 2032 on: the century is unknown
    else:
        return None
    # Unlike stdnum, no check against today's date: the answer should not change from day to day.
    return kind if _is_date(day, month, tuple(century + year for century in centuries)) else None


def is_identity_number(number: str) -> bool:
    """Tell whether the number is a valid identity number of any form."""
    return identity_kind(number) is not None


@dataclass(frozen=True)
class NumberInText:
    """An identity number found in text: where, as written, its digits and how they were grouped."""

    start: int
    end: int
    written: str
    digits: str
    grouping: tuple[int, ...]
    kind: IdentityKind

    @property
    def may_be_account_number(self) -> bool:
        """Tell whether the number is written as a bank account number may be: 11 digits in a row or
        grouped 4-2-5 (the checksum always agrees, see the module's docstring)."""
        return self.grouping in ((11,), _ACCOUNT_GROUPING) and kontonr.is_valid(self.digits)


# A chain is kept as the (start, end) of each of its groups in the text; the joins lie between.
_Chain = list[tuple[int, int]]


def _digits(text: str, chain: _Chain) -> str:
    """The chain's digits in ASCII, whatever script they were written in."""
    return "".join(str(unicodedata.decimal(character)) for start, end in chain for character in text[start:end])


def _grouping(chain: _Chain) -> tuple[int, ...]:
    # Every decimal digit is one code point, so a group's length is its number of digits.
    return tuple(end - start for start, end in chain)


def _holds_full_date(text: str, chain: _Chain) -> bool:
    """Tell whether three groups in a row are a date with a four-digit year, day first or year first."""
    groups = [_digits(text, [group]) for group in chain]
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


def _is_account_notation(text: str, chain: _Chain) -> bool:
    """1234.56.78903 or 1234 56 78903: the way bank account numbers are printed."""
    joins = [text[before[1] : after[0]] for before, after in itertools.pairwise(chain)]
    return _grouping(chain) == _ACCOUNT_GROUPING and all(_ACCOUNT_JOIN.fullmatch(join) for join in joins)


def _is_glued(text: str, chain: _Chain) -> bool:
    """Tell whether a letter touches the chain: then it is part of a code or message id."""
    start, end = chain[0][0], chain[-1][1]
    return (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())


def _found(text: str, chain: _Chain) -> NumberInText | None:
    digits = _digits(text, chain)
    kind = _kind_of_digits(digits)
    if kind is None:
        return None
    start, end = chain[0][0], chain[-1][1]
    return NumberInText(start, end, text[start:end], digits, _grouping(chain), kind)


def _usual_writings(text: str, chain: _Chain) -> list[NumberInText]:
    """The numbers in a usual writing inside a chain, left to right, never overlapping."""
    found = []
    lengths = _grouping(chain)
    first = 0
    while first < len(chain):
        for grouping in _USUAL_GROUPINGS.get(lengths[first], ()):
            last = first + len(grouping)
            number = _found(text, chain[first:last]) if lengths[first:last] == grouping else None
            if number is not None:
                found.append(number)
                first = last
                break
        else:
            first += 1
    return found


def scan_identity_numbers(text: str) -> list[NumberInText]:
    """Return every valid identity number in the text, in order, read as the module's docstring says."""
    found = []
    for match in _CHAIN.finditer(text):
        chain = [group.span() for group in _GROUP.finditer(text, match.start(), match.end())]
        if sum(_grouping(chain)) != 11 or _is_glued(text, chain):
            found += _usual_writings(text, chain)
        elif not _is_account_notation(text, chain) and not _holds_full_date(text, chain):
            number = _found(text, chain)
            if number is not None:
                found.append(number)
    return found


def find_identity_numbers(text: str) -> list[str]:
    """Return, as written, every valid identity number in the text (see scan_identity_numbers)."""
    return [number.written for number in scan_identity_numbers(text)]


def validate_identity_number(value: str) -> None:
    """Django validator for a field that holds an identity number."""
    if not is_identity_number(str(value)):
        raise ValidationError(
            _("Enter a valid national identity number (fødselsnummer or D-number) of 11 digits."),
            code="invalid_identity_number",
        )


_IDENTITY_NUMBER_IN_TEXT = _(
    "This text seems to contain a national identity number. Remove it here and enter it in the patient section instead."
)


def free_text_validator(value: str) -> None:
    """Django validator for free text: refuse text that seems to hold an identity number.

    When every number found may also be a bank account number, the error says so (code
    "account_number_in_text"), and a form with AccountNumberConfirmationMixin offers the person a
    box to confirm it; otherwise the error has no way past (code "identity_number_in_text")."""
    found = scan_identity_numbers(str(value))
    if not found:
        return
    if all(number.may_be_account_number for number in found):
        raise ValidationError(
            _(
                "This text holds a number that could be either a national identity number or a bank "
                "account number. If it is an account number, tick the box below the field. If it is an "
                "identity number, remove it here and enter it in the patient section instead."
            ),
            code="account_number_in_text",
        )
    raise ValidationError(_IDENTITY_NUMBER_IN_TEXT, code="identity_number_in_text")


def confirmed_free_text_validator(value: str) -> None:
    """Django validator for free text whose writer confirmed that its numbers are bank account
    numbers: only numbers that cannot be one are refused."""
    if any(not number.may_be_account_number for number in scan_identity_numbers(str(value))):
        raise ValidationError(_IDENTITY_NUMBER_IN_TEXT, code="identity_number_in_text")


def strict_free_text_validator(value: str) -> None:
    """Django validator for text where no confirmation can be offered (a file name): refuse every
    identity number, also one that may be a bank account number."""
    if scan_identity_numbers(str(value)):
        raise ValidationError(_IDENTITY_NUMBER_IN_TEXT, code="identity_number_in_text")
