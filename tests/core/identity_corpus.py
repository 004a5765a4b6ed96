"""A corpus for the identity-number scanner in free text.

Positive: valid identity numbers of every form, each written in every grouping and with every
separator people use, inside ordinary sentences; every one must be found, as written. Negative:
harmless text that looks like them (phone numbers, dates and times, HER-ids, organisation numbers,
amounts, bank account numbers written with dots or spaces, postcodes, case references, message
ids, lab values), alone and mixed; none may be flagged. Plain account numbers: valid bank account
numbers written as 11 digits in a row, about one in ten of which is also a valid identity number.

Everything is drawn from a seeded random generator, so the corpus is the same on every run.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Bank account numbers and organisation numbers: MOD 11 with these weights.
ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ORGANISATION_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
SEED = 20261130


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


def mod11_check_digit(digits: str, weights: tuple[int, ...]) -> str | None:
    """The MOD 11 check digit of account and organisation numbers; None where it would be 10."""
    check = 11 - sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11
    return None if check == 10 else str(check % 11)


def _individual(rng: random.Random, year: int) -> int:
    """An individual number the pre-2032 rule gives people born in the year."""
    if year < 1900:
        return rng.randint(500, 749)
    if year < 1940:
        return rng.randint(0, 499)
    if year < 2000:
        return rng.choice((rng.randint(0, 499), rng.randint(900, 999)))
    return rng.randint(500, 999)


# (label, day offset, month offset, 2032 rule)
FORMS = [
    ("ordinary", 0, 0, False),
    ("D-number", 40, 0, False),
    ("H-number", 0, 40, False),
    ("synthetic", 0, 80, False),
    ("synthetic D-number", 40, 80, False),
    ("2032 rule", 0, 0, True),
]


def identity_numbers(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` valid identity numbers, (form, digits), every form in turn, FH-numbers included."""
    numbers: list[tuple[str, str]] = []
    labels = [form[0] for form in FORMS] + ["FH-number"]
    while len(numbers) < count:
        label = labels[len(numbers) % len(labels)]
        if label == "FH-number":
            number = with_check_digits(rng.choice("89") + f"{rng.randrange(10**8):08d}")
        else:
            _label, day_offset, month_offset, rule_2032 = next(form for form in FORMS if form[0] == label)
            born = date(1854, 1, 1) + timedelta(days=rng.randrange((date(2039, 12, 31) - date(1854, 1, 1)).days))
            individual = rng.randint(0, 999) if rule_2032 else _individual(rng, born.year)
            number = make(
                born.day,
                born.month,
                born.year,
                individual,
                day_offset=day_offset,
                month_offset=month_offset,
                remainder=rng.randint(1, 3) if rule_2032 else 0,
            )
        if number is not None:
            numbers.append((label, number))
    return numbers


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# How people write the eleven digits: (label, digits -> written).
WRITINGS: list[tuple[str, Callable[[str], str]]] = [
    ("11 digits", lambda d: d),
    ("6 5, space", lambda d: f"{d[:6]} {d[6:]}"),
    ("6-5, hyphen", lambda d: f"{d[:6]}-{d[6:]}"),
    ("6.5, full stop", lambda d: f"{d[:6]}.{d[6:]}"),
    ("6 5, no-break space", lambda d: f"{d[:6]}\u00a0{d[6:]}"),
    ("6 5, narrow no-break space", lambda d: f"{d[:6]}\u202f{d[6:]}"),
    ("6 5, thin space", lambda d: f"{d[:6]}\u2009{d[6:]}"),
    ("6 5, two spaces", lambda d: f"{d[:6]}  {d[6:]}"),
    ("6–5, en dash", lambda d: f"{d[:6]}\u2013{d[6:]}"),
    ("6 – 5, spaced en dash", lambda d: f"{d[:6]} \u2013 {d[6:]}"),
    ("6—5, em dash", lambda d: f"{d[:6]}\u2014{d[6:]}"),
    ("6/5, slash", lambda d: f"{d[:6]}/{d[6:]}"),
    ("6 3 2", lambda d: f"{d[:6]} {d[6:9]} {d[9:]}"),
    ("2 2 2 5", lambda d: f"{d[:2]} {d[2:4]} {d[4:6]} {d[6:]}"),
    ("2.2.2 5", lambda d: f"{d[:2]}.{d[2:4]}.{d[4:6]} {d[6:]}"),
    ("2.2.2-5", lambda d: f"{d[:2]}.{d[2:4]}.{d[4:6]}-{d[6:]}"),
    ("2.2.2 3 2", lambda d: f"{d[:2]}.{d[2:4]}.{d[4:6]} {d[6:9]} {d[9:]}"),
    ("full-width digits", lambda d: d.translate(FULL_WIDTH)),
    ("full-width 6 5, ideographic space", lambda d: f"{d[:6]}\u3000{d[6:]}".translate(FULL_WIDTH)),
    ("Arabic-Indic digits", lambda d: d.translate(ARABIC_INDIC)),
]

# Sentences a number is written into; some hold other numbers, kept apart by a word or a comma.
SENTENCES = [
    "Pasient {n} ble skrevet ut uten epikrise.",
    "Gjelder {n}.",
    "Henvisningen for {n} kom aldri fram til kommunen",
    "fnr:{n}",
    "Pasienten ({n}) ble sendt hjem.",
    "«{n}» sto i emnefeltet.",
    "Ring 22 33 44 55 om pasient {n}.",
    "Innlagt 01.02.2024 kl. 14.30, fnr {n}, utskrevet dagen etter.",
    "HER-id 8094347: meldingen om {n} fikk negativ AppRec",
    "PLO-melding for {n} ble sendt til feil HER-id (112374).",
    "{n} er pasientens fødselsnummer",
    "Epikrise for\n{n}\nmangler",
]


@dataclass(frozen=True)
class Sample:
    text: str
    expected: tuple[str, ...]  # the numbers as written; () for harmless text
    label: str


def positive_corpus(count: int = 36) -> list[Sample]:
    """`count` numbers x every writing (720 by default), each in a sentence."""
    rng = random.Random(SEED)
    samples = []
    for index, (form, digits) in enumerate(identity_numbers(count, rng)):
        for position, (writing, write) in enumerate(WRITINGS):
            written = write(digits)
            sentence = SENTENCES[(index + position) % len(SENTENCES)]
            samples.append(Sample(sentence.format(n=written), (written,), f"{writing} ({form})"))
    return samples


def next_to_other_numbers() -> list[Sample]:
    """Numbers in their usual writings right after or before another number, joined only by a space."""
    rng = random.Random(SEED + 1)
    samples = []
    usual = [writing for writing in WRITINGS if writing[0] in ("11 digits", "6 5, space", "6 3 2", "2.2.2 5")]
    neighbours = ["22 33 44 55", "915 12 345", "01.02.2024", "kl. 14.30", "8094347"]
    for _form, digits in identity_numbers(20, rng):
        label, write = rng.choice(usual)
        neighbour = rng.choice(neighbours)
        written = write(digits)
        samples.append(Sample(f"Tlf {neighbour} {written} ble oppgitt", (written,), f"after a number ({label})"))
        samples.append(Sample(f"Oppgitt {written} {neighbour}", (written,), f"before a number ({label})"))
    return samples


def _account_number(rng: random.Random) -> str:
    while True:
        ten = f"{rng.randint(1000, 9999)}{rng.randrange(10**6):06d}"
        check = mod11_check_digit(ten, ACCOUNT_WEIGHTS)
        if check is not None:
            return ten + check


def _identity_like_account_number(rng: random.Random) -> str:
    """A valid account number whose digits are a valid identity number too (about 1 in 10 are)."""
    return rng.choice(identity_numbers(8, rng))[1]


def _organisation_number(rng: random.Random) -> str:
    while True:
        eight = f"{rng.choice('89')}{rng.randrange(10**7):07d}"
        check = mod11_check_digit(eight, ORGANISATION_WEIGHTS)
        if check is not None:
            return eight + check


def _phone(rng: random.Random) -> str:
    landline = f"{rng.choice('2357')}{rng.randrange(10**7):07d}"
    mobile = f"{rng.choice('49')}{rng.randrange(10**7):07d}"
    number = rng.choice((landline, mobile))
    pairs = " ".join(number[i : i + 2] for i in range(0, 8, 2))
    threes = f"{number[:3]} {number[3:5]} {number[5:]}"
    return rng.choice(
        [
            number,
            pairs,
            threes,
            f"+47 {pairs}",
            f"+47 {threes}",
            f"+47{number}",
            f"0047 {number}",
            f"(+47) {pairs}",
            f"{pairs} / {threes}",
            f"{threes} eller {pairs}",
        ]
    )


def _date(rng: random.Random) -> date:
    return date(2020, 1, 1) + timedelta(days=rng.randrange(2200))


def _date_and_time(rng: random.Random) -> str:
    day, later = _date(rng), _date(rng)
    hour, minute = rng.randrange(24), rng.randrange(60)
    return rng.choice(
        [
            f"{day:%d.%m.%Y} {hour:02d}:{minute:02d}",
            f"{day.day}.{day.month}.{day.year} {hour}.{minute:02d}",
            f"{day.day}.{day.month}.{day.year} {hour:02d}.{minute:02d}",
            f"{day:%Y-%m-%d} {hour:02d}:{minute:02d}",
            f"{day.year}-{day.month}-{day.day} {hour}.{minute:02d}",
            f"den {day.day}.{day.month}.{day.year} kl. {hour:02d}.{minute:02d}",
            f"{day:%d.%m.%y} kl. {hour:02d}.{minute:02d}",
            f"fra {day:%d.%m.%Y} til {later:%d.%m.%Y}",
            f"{day:%d.%m.%Y} - {later:%d.%m.%Y}",
            f"{hour:02d}.{minute:02d}-{(hour + 1) % 24:02d}.{minute:02d}",
            f"{day.day}.{day.month}.{day.year}\u00a0{hour}.{minute:02d}",
            f"{day:%d.%m.%Y}, {hour:02d}.{minute:02d}",
        ]
    )


def _her_id(rng: random.Random) -> str:
    first, second = rng.randint(10**5, 10**9 - 1), rng.randint(10**5, 10**7 - 1)
    return rng.choice([f"HER-id {first}", f"HER {first}", f"HER-id {first}/{second}", f"HER-id: {first}, {second}"])


def _organisation(rng: random.Random) -> str:
    number = _organisation_number(rng)
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    return rng.choice([number, spaced, f"Org.nr. {spaced}", f"NO {spaced} MVA", f"org.nr. {number}"])


def _amount(rng: random.Random) -> str:
    value = rng.randint(1000, 99_999_999)
    grouped = f"{value:,}".replace(",", " ")
    return rng.choice(
        [
            f"{grouped},{rng.randrange(100):02d} kr",
            f"kr {grouped}",
            f"NOK {grouped},00",
            f"kr {grouped},-",
            f"{grouped} kroner",
            f"{grouped}\u00a0kr",
        ]
    )


def _account_with_dots(rng: random.Random) -> str:
    number = rng.choice((_account_number(rng), _identity_like_account_number(rng)))
    return rng.choice(
        [
            f"{number[:4]}.{number[4:6]}.{number[6:]}",
            f"{number[:4]} {number[4:6]} {number[6:]}",
            f"kontonr. {number[:4]}.{number[4:6]}.{number[6:]}",
            f"konto {number[:4]}\u00a0{number[4:6]}\u00a0{number[6:]}",
        ]
    )


def _postcode(rng: random.Random) -> str:
    code = f"{rng.randint(1, 9999):04d}"
    return rng.choice([f"{code} Oslo", f"N-{code} Trondheim", f"Postboks {rng.randint(1, 9999)}, {code} Bergen"])


def _reference(rng: random.Random) -> str:
    alphabet = "34679ACDEFGHJKMNPQRTWXY"
    reference = "SA-2026-" + "".join(rng.choice(alphabet) for _ in range(6))
    return rng.choice(
        [
            reference,
            f"saksnr. {rng.randint(2018, 2026)}/{rng.randint(1, 99999)}",
            f"vår ref. {rng.randint(18, 26)}/{rng.randint(1, 99999)}-{rng.randint(1, 30)}",
            f"{rng.randint(2018, 2026)}/{rng.randint(1, 999999)}-{rng.randint(1, 9)}",
        ]
    )


def _message_id(rng: random.Random) -> str:
    return rng.choice(
        [
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            f"msg {rng.randrange(10**10):010d}",
            f"ID {rng.randint(1, 10**9)}",
        ]
    )


def _clinical(rng: random.Random) -> str:
    return rng.choice(
        [
            f"BT {rng.randint(90, 180)}/{rng.randint(50, 110)}, puls {rng.randint(40, 140)}",
            f"Hb {rng.randint(70, 170) / 10} g/dL, CRP {rng.randint(1, 300)}",
            f"{rng.choice((250, 500, 1000))} mg x {rng.randint(1, 4)}",
            f"temp {rng.randint(355, 410) / 10} °C",
            f"vekt {rng.randint(40, 140)} kg, høyde {rng.randint(150, 200)} cm",
        ]
    )


LOOK_ALIKES: list[tuple[str, Callable[[random.Random], str]]] = [
    ("phone number", _phone),
    ("date and time", _date_and_time),
    ("HER-id", _her_id),
    ("organisation number", _organisation),
    ("amount", _amount),
    ("account number with dots or spaces", _account_with_dots),
    ("postcode", _postcode),
    ("reference", _reference),
    ("message id", _message_id),
    ("clinical values", _clinical),
]


def negative_corpus(per_kind: int = 40, mixed: int = 80) -> list[Sample]:
    """Harmless look-alikes: `per_kind` of each kind in a sentence, and `mixed` sentences of several."""
    rng = random.Random(SEED + 2)
    samples = []
    for label, draw in LOOK_ALIKES:
        for _ in range(per_kind):
            samples.append(Sample(f"Opplyst: {draw(rng)}.", (), label))
    for _ in range(mixed):
        parts = [draw(rng) for _label, draw in rng.sample(LOOK_ALIKES, 3)]
        samples.append(Sample(f"Ring {parts[0]} om saken, se {parts[1]} og {parts[2]}.", (), "mixed"))
    return samples


def plain_account_numbers(count: int = 2000) -> list[str]:
    """Valid bank account numbers written as 11 digits in a row."""
    rng = random.Random(SEED + 3)
    return [_account_number(rng) for _ in range(count)]
