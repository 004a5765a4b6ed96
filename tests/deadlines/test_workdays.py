"""Working days on the Norwegian calendar: public holidays, weekends and partnership closure days."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from avvik.deadlines.workdays import Calendar, _weekday_holidays, default_calendar, public_holidays

CALENDAR = default_calendar()

dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31))
closures = st.frozensets(st.dates(min_value=date(2025, 1, 1), max_value=date(2036, 6, 30)), max_size=20)


def stepwise_add(calendar: Calendar, start: date, days: int) -> date:
    """The obvious day-by-day reference the fast implementation is checked against."""
    day = start
    if days == 0:
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        return day
    while days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return day


# The holiday set itself


def test_the_public_holidays_of_2027_are_exactly_the_norwegian_helligdager_and_1_and_17_may():
    assert public_holidays(2027) == {
        date(2027, 1, 1),  # Fri, nyttårsdag
        date(2027, 3, 25),  # Thu, skjærtorsdag
        date(2027, 3, 26),  # Fri, langfredag
        date(2027, 3, 28),  # Sun, første påskedag
        date(2027, 3, 29),  # Mon, andre påskedag
        date(2027, 5, 1),  # Sat, 1. mai
        date(2027, 5, 6),  # Thu, Kristi himmelfartsdag
        date(2027, 5, 16),  # Sun, første pinsedag
        date(2027, 5, 17),  # Mon, 17. mai and andre pinsedag on the same day
        date(2027, 12, 25),  # Sat, første juledag
        date(2027, 12, 26),  # Sun, andre juledag
    }


def test_ordinary_sundays_are_not_listed_as_public_holidays_but_are_still_days_off():
    sunday = date(2027, 6, 6)
    assert sunday.weekday() == 6
    assert sunday not in public_holidays(2027)
    assert not CALENDAR.is_working_day(sunday)


def test_christmas_eve_and_new_years_eve_on_weekdays_are_working_days():
    assert CALENDAR.is_working_day(date(2026, 12, 24))  # Thu, julaften
    assert CALENDAR.is_working_day(date(2026, 12, 31))  # Thu, nyttårsaften


# Easter


def test_three_working_days_from_wednesday_before_easter_2027_is_thursday_1_april():
    # Skjærtorsdag Thu 25, langfredag Fri 26, the weekend and andre påskedag Mon 29 March are all off,
    # so the three working days are Tue 30, Wed 31 March and Thu 1 April.
    assert CALENDAR.add_working_days(date(2027, 3, 24), 3) == date(2027, 4, 1)


def test_one_working_day_from_wednesday_before_easter_2027_is_tuesday_after_easter():
    assert CALENDAR.add_working_days(date(2027, 3, 24), 1) == date(2027, 3, 30)


# May


def test_one_working_day_from_friday_14_may_2027_skips_monday_17_may_to_tuesday_18_may():
    assert CALENDAR.add_working_days(date(2027, 5, 14), 1) == date(2027, 5, 18)


def test_one_working_day_from_wednesday_before_ascension_2027_is_friday_7_may():
    # Kristi himmelfartsdag is Thu 6 May 2027.
    assert CALENDAR.add_working_days(date(2027, 5, 5), 1) == date(2027, 5, 7)


def test_one_working_day_from_friday_before_whitsun_2026_is_tuesday_26_may():
    # Første pinsedag is Sun 24 May 2026 and andre pinsedag Mon 25 May.
    assert not CALENDAR.is_working_day(date(2026, 5, 25))
    assert CALENDAR.add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_one_working_day_from_thursday_30_april_2026_skips_friday_1_may_to_monday_4_may():
    assert not CALENDAR.is_working_day(date(2026, 5, 1))
    assert CALENDAR.add_working_days(date(2026, 4, 30), 1) == date(2026, 5, 4)


# Christmas and New Year


def test_one_working_day_from_wednesday_23_december_2026_is_christmas_eve_thursday_24_december():
    assert CALENDAR.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)


def test_two_working_days_from_wednesday_23_december_2026_is_monday_28_december():
    # Første juledag Fri 25 and andre juledag Sat 26, then Sunday 27.
    assert CALENDAR.add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)


def test_one_working_day_from_thursday_31_december_2026_is_monday_4_january_2027():
    # Nyttårsdag 2027 is a Friday.
    assert CALENDAR.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_a_closure_on_monday_28_december_2026_moves_the_christmas_deadline_to_tuesday_29_december():
    calendar = Calendar(closure_days=frozenset({date(2026, 12, 28)}))
    assert not calendar.is_working_day(date(2026, 12, 28))
    assert calendar.add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 29)
    assert calendar.working_days_between(date(2026, 12, 23), date(2026, 12, 29)) == 2


def test_closure_days_on_weekends_and_holidays_change_nothing():
    calendar = Calendar(closure_days=frozenset({date(2026, 12, 25), date(2026, 12, 27)}))  # Fri holiday, Sun
    assert calendar.add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert calendar.working_days_between(date(2026, 12, 23), date(2026, 12, 28)) == 2


# Zero days and weekends


def test_zero_working_days_from_a_working_day_is_that_day():
    assert CALENDAR.add_working_days(date(2027, 3, 24), 0) == date(2027, 3, 24)  # Wed


def test_zero_working_days_from_saturday_is_the_following_monday():
    assert CALENDAR.add_working_days(date(2026, 6, 6), 0) == date(2026, 6, 8)  # Sat -> Mon


def test_zero_working_days_from_saturday_before_whit_monday_2026_is_tuesday():
    assert CALENDAR.add_working_days(date(2026, 5, 23), 0) == date(2026, 5, 26)  # Sat -> Tue


def test_zero_working_days_from_saturday_before_easter_monday_2027_is_tuesday():
    assert CALENDAR.add_working_days(date(2027, 3, 27), 0) == date(2027, 3, 30)  # Sat -> Tue


def test_one_working_day_from_a_sunday_is_the_next_monday_since_the_start_never_counts():
    assert CALENDAR.add_working_days(date(2026, 6, 7), 1) == date(2026, 6, 8)  # Sun -> Mon


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2026, 6, 8), -1)


def test_next_working_day_after_friday_before_easter_monday_2027_is_tuesday():
    assert CALENDAR.next_working_day(date(2027, 3, 26)) == date(2027, 3, 30)  # langfredag -> Tue


def test_next_working_day_is_strictly_after_a_working_day():
    assert CALENDAR.next_working_day(date(2026, 6, 8)) == date(2026, 6, 9)  # Mon -> Tue


# Counting


def test_working_days_between_the_same_day_is_zero():
    assert CALENDAR.working_days_between(date(2027, 3, 24), date(2027, 3, 24)) == 0
    assert CALENDAR.working_days_between(date(2027, 3, 28), date(2027, 3, 28)) == 0  # Sun, første påskedag


def test_working_days_between_over_easter_2027_counts_only_working_days():
    assert CALENDAR.working_days_between(date(2027, 3, 24), date(2027, 4, 1)) == 3  # Wed -> Thu


def test_working_days_between_backwards_is_negative():
    assert CALENDAR.working_days_between(date(2027, 4, 1), date(2027, 3, 24)) == -3  # Thu -> Wed


def test_working_days_between_new_years_eve_and_the_first_monday_of_2027_crosses_the_year():
    assert CALENDAR.working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 1  # Thu -> Mon


@given(start=dates, days=st.integers(min_value=0, max_value=60))
def test_working_days_between_undoes_add_working_days(start, days):
    due = CALENDAR.add_working_days(start, days)
    assert CALENDAR.is_working_day(due)
    # From a day off, zero working days already lands on the next working day, one working day later.
    expected = days if days or CALENDAR.is_working_day(start) else 1
    assert CALENDAR.working_days_between(start, due) == expected
    assert CALENDAR.working_days_between(due, start) == -expected


@given(start=dates, end=dates)
def test_working_days_between_is_antisymmetric(start, end):
    assert CALENDAR.working_days_between(start, end) == -CALENDAR.working_days_between(end, start)


@given(start=dates, days=st.integers(min_value=0, max_value=60), closure_days=closures)
def test_add_working_days_matches_stepping_one_day_at_a_time(start, days, closure_days):
    calendar = Calendar(closure_days=closure_days)
    due = calendar.add_working_days(start, days)
    assert due == stepwise_add(calendar, start, days)
    if days:
        assert calendar.working_days_between(start, due) == days


@given(start=dates, end=dates, closure_days=closures)
def test_working_days_between_matches_counting_one_day_at_a_time(start, end, closure_days):
    calendar = Calendar(closure_days=closure_days)
    low, high = sorted((start, end))
    count = sum(calendar.is_working_day(low + timedelta(days=i)) for i in range(1, (high - low).days + 1))
    assert calendar.working_days_between(low, high) == count


# Caching


def test_holidays_are_looked_up_once_per_year_and_then_served_from_the_cache():
    public_holidays.cache_clear()
    _weekday_holidays.cache_clear()
    start = date(2026, 1, 1)
    for offset in range(10_000):
        CALENDAR.add_working_days(start + timedelta(days=offset % 730), offset % 40)
    for cached in (public_holidays, _weekday_holidays):
        info = cached.cache_info()
        assert info.hits > 0
        assert info.misses <= 3  # 2026 to 2028 at most, however many additions
