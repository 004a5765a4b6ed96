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
nor the check digit rule of 2032, so those parts are our own."""

import datetime
import enum
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import fodselsnummer

__all__ = [
    "IdentityKind",
    "find_identity_numbers",
    "free_text_validator",
    "identity_kind",
    "is_identity_number",
    "validate_identity_number",
]


class IdentityKind(enum.StrEnum):
    ORDINARY = "ordinary"
    D_NUMBER = "d_number"
    H_NUMBER = "h_number"
    FH_NUMBER = "fh_number"
    SYNTHETIC = "synthetic"


# One space, dot or hyphen may follow the sixth digit. A no-break space counts as a space:
# word processors put one there on their own.
_SEPARATOR = r"[ \u00a0.\-]"
_WHOLE = re.compile(rf"([0-9]{{6}}){_SEPARATOR}?([0-9]{{5}})")


# [0-9], not \d: \d would also match digits of other scripts.
_IN_TEXT = re.compile(rf"(?<![0-9])(?:[0-9]{{11}}|[0-9]{{6}}{_SEPARATOR}[0-9]{{5}})(?![0-9])")


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
    if digits is None:
        return None
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


def find_identity_numbers(text: str) -> list[str]:
    """Return, as written, every valid identity number in the text.

    A candidate is 11 digits, or 6 + 5 digits with one space, dot or hyphen between, that is not
    part of a longer run of digits (then it is some other identifier).
    """
    return [match[0] for match in _IN_TEXT.finditer(text) if is_identity_number(match[0])]


def validate_identity_number(value: str) -> None:
    """Django validator for a field that holds an identity number."""
    if not is_identity_number(str(value)):
        raise ValidationError(
            _("Enter a valid national identity number (fødselsnummer or D-number) of 11 digits."),
            code="invalid_identity_number",
        )


def free_text_validator(value: str) -> None:
    """Django validator for free text: refuse text that seems to hold an identity number."""
    if find_identity_numbers(str(value)):
        raise ValidationError(
            _(
                "This text seems to contain a national identity number. "
                "Remove it here and enter it in the patient section instead."
            ),
            code="identity_number_in_text",
        )
