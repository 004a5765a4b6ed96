"""Periods the council reads: completed quarters and years; coordinators may also choose dates."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _


def quarter_label(year: int, number: int) -> str:
    """ "4. kvartal 2026" in Norwegian, "Q4 2026" in English: in the active language."""
    return _("Q{number} {year}").format(number=number, year=year)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    # How chosen dates were written; quarters and years are named in the reader's language instead.
    text: str = field(default="", compare=False)

    @classmethod
    def quarter(cls, year: int, number: int) -> "Period":
        first = date(year, 3 * (number - 1) + 1, 1)
        following = date(year + (number == 4), (3 * number) % 12 + 1, 1)
        return cls(first, following - timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> str:
        """The period as the reader reads it: "4. kvartal 2026" / "Q4 2026", "2026", or the chosen dates."""
        if self.is_quarter:
            return quarter_label(self.start.year, (self.start.month - 1) // 3 + 1)
        if self.is_year:
            return str(self.start.year)
        return self.text

    @property
    def stored_label(self) -> str:
        """The period as kept on reports and frozen figures, the same in every language: '2026 K4',
        '2026', or the chosen dates."""
        if self.is_quarter:
            return f"{self.start.year} K{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year) if self.is_year else self.text

    @classmethod
    def containing(cls, day: date) -> "Period":
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2026Q3' or '2026K3' for a quarter, '2026' for a year."""
        match = re.fullmatch(r"(\d{4})(?:[QqKk]([1-4]))?", text.strip())
        if not match:
            raise ValueError(text)
        year = int(match.group(1))
        return cls.quarter(year, int(match.group(2))) if match.group(2) else cls.year(year)

    @property
    def is_quarter(self) -> bool:
        quarter = Period.containing(self.start)
        return (self.start, self.end) == (quarter.start, quarter.end)

    @property
    def is_year(self) -> bool:
        return (self.start, self.end) == (date(self.start.year, 1, 1), date(self.start.year, 12, 31))

    @property
    def tag(self) -> str:
        """'2026Q3' or '2026', as Period.parse reads it; '' for chosen dates."""
        if self.is_quarter:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year) if self.is_year else ""

    def completed(self, today: date) -> bool:
        """A whole quarter or year that has ended: the only periods the council reads."""
        return (self.is_quarter or self.is_year) and self.end < today

    @classmethod
    def last_completed_quarter(cls, today: date) -> "Period":
        return cls.containing(cls.containing(today).start - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes at local midnight: a range an index on the column can
        serve, where `created_at__date` would compute a date for every row."""
        after = self.end + timedelta(days=1)
        return (
            timezone.make_aware(datetime.combine(self.start, time.min)),
            timezone.make_aware(datetime.combine(after, time.min)),
        )

    def within(self, field: str) -> Q:
        """`field` falls in the period."""
        start, after = self.bounds()
        return Q(**{f"{field}__gte": start, f"{field}__lt": after})

    def previous_quarters(self, count: int) -> list["Period"]:
        """The `count` quarters ending with the one this period ends in, oldest first."""
        quarters, current = [], Period.containing(self.end)
        for _step in range(count):
            quarters.append(current)
            current = Period.containing(current.start - timedelta(days=1))
        return list(reversed(quarters))
