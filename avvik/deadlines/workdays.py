"""Working-day arithmetic on the Norwegian calendar.

Deadlines between hospital trusts and municipalities are counted in working days: Monday to Friday,
except Norwegian public holidays (helligdager and 1 and 17 May) and any closure days a partnership adds.

The module is pure: no database access and no Django imports, so it can be used from models, services,
tasks and scripts alike."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache

import holidays

_SATURDAY = 5


@lru_cache(maxsize=128)
def public_holidays(year: int) -> frozenset[date]:
    """The Norwegian public holidays of `year`.

    nyttårsdag, skjærtorsdag, langfredag, første og andre påskedag, 1. mai, 17. mai, Kristi himmelfartsdag,
    første og andre pinsedag, første og andre juledag. Julaften and nyttårsaften are not public holidays.
    """
    # Older releases of `holidays` listed every Sunday as a holiday ("Søndag") by default; ask for the
    # real public holidays explicitly so an upgrade or downgrade cannot change what counts.
    return frozenset(holidays.Norway(years=year, include_sundays=False))


@lru_cache(maxsize=128)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """The public holidays of `year` that fall on Monday to Friday, sorted, for counting by bisection."""
    # Holidays on a weekend are already excluded by the weekday rule; counting them again would be wrong.
    return tuple(sorted(day for day in public_holidays(year) if day.weekday() < _SATURDAY))


def _weekdays_through(day: date) -> int:
    """The number of Mondays to Fridays from 1 January of year 1 up to and including `day`."""
    # Ordinal 1 (0001-01-01) is a Monday, so every block of seven ordinals starts on a Monday.
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _add_weekdays(start: date, days: int) -> date:
    """The date `days` (at least 1) Mondays to Fridays after `start`, ignoring holidays."""
    weekday = start.weekday()
    if weekday >= _SATURDAY:
        # The weekdays after a Saturday or Sunday are the same as those after the Friday before.
        start -= timedelta(days=weekday - 4)
        weekday = 4
    weeks, rest = divmod(days, 5)
    offset = weeks * 7 + rest
    if weekday + rest > 4:
        offset += 2  # the remaining days cross a weekend
    return start + timedelta(days=offset)


def _count_between(sorted_days: tuple[date, ...], start: date, end: date) -> int:
    """How many of `sorted_days` lie in the half-open range start < day <= end."""
    return bisect_right(sorted_days, end) - bisect_right(sorted_days, start)


@dataclass(frozen=True)
class Calendar:
    """A working-day calendar: Monday to Friday, minus Norwegian public holidays and `closure_days`.

    `closure_days` are extra days a partnership is closed (for example between Christmas and New Year).
    Instances are immutable and hashable, so one can be shared and cached freely.
    """

    closure_days: frozenset[date] = frozenset()

    @cached_property
    def _extra_closures(self) -> tuple[date, ...]:
        """Closure days that would otherwise be working days, sorted."""
        # Only these change a count; a closure on a weekend or a public holiday must not be subtracted twice.
        return tuple(
            sorted(
                day for day in self.closure_days if day.weekday() < _SATURDAY and day not in public_holidays(day.year)
            )
        )

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day in this calendar."""
        return day.weekday() < _SATURDAY and day not in public_holidays(day.year) and day not in self.closure_days

    def _days_off_between(self, start: date, end: date) -> int:
        """The number of holidays and closure days on Monday to Friday with start < day <= end."""
        count = sum(_count_between(_weekday_holidays(year), start, end) for year in range(start.year, end.year + 1))
        if self._extra_closures:
            count += _count_between(self._extra_closures, start, end)
        return count

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start`.

        `start` itself never counts, whether or not it is a working day. With `days == 0` the result is
        `start` if it is a working day, otherwise the next working day.
        """
        if days < 0:
            raise ValueError(f"days must be zero or more, not {days}")
        if days == 0:
            return start if self.is_working_day(start) else self.next_working_day(start)
        # Jump over weekends arithmetically, then move on by as many days as holidays were jumped over,
        # until a jump crosses none. This stays fast for long deadlines, unlike stepping one day at a time.
        current, remaining = start, days
        while remaining:
            target = _add_weekdays(current, remaining)
            remaining = self._days_off_between(current, target)
            current = target
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days `d` with start < d <= end.

        Negative when `end` is before `start` (the count from `end` to `start`, negated); 0 when they are equal.
        For every `n >= 1`, `working_days_between(a, add_working_days(a, n)) == n`.
        """
        if end < start:
            return -self.working_days_between(end, start)
        return _weekdays_through(end) - _weekdays_through(start) - self._days_off_between(start, end)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)


_DEFAULT_CALENDAR = Calendar()


def default_calendar() -> Calendar:
    """The calendar with Norwegian public holidays and no closure days."""
    return _DEFAULT_CALENDAR
