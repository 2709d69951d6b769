"""Tests of `intake.workdays`: KZ calendar, overrides, Almaty dates, Rules 21-28 timeline."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from intake.errors import ConfigurationError
from intake.workdays import (
    ALMATY,
    Calendar,
    CalendarError,
    CalendarOverride,
    CalendarOverrides,
    Paragraph,
    Timeline,
    default_calendar,
    due_date,
    kazakhstan_holidays,
    local_date,
    timeline,
)

CAL = default_calendar()
BARE = Calendar()  # the holidays package alone


def almaty(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)


# --- calendar facts (ecosystem.md §2) -----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2025, 3, 20), 2, date(2025, 3, 27)),
        (date(2025, 3, 20), 7, date(2025, 4, 3)),
        (date(2025, 12, 31), 2, date(2026, 1, 6)),
        (date(2025, 12, 31), 7, date(2026, 1, 14)),
        (date(2026, 5, 6), 2, date(2026, 5, 12)),
        (date(2026, 5, 6), 7, date(2026, 5, 19)),
    ],
)
def test_computed_deadlines_of_the_research(start: date, n: int, due: date) -> None:
    assert CAL.add_working_days(start, n) == due
    assert due_date(almaty(start.year, start.month, start.day), n, calendar=CAL) == due
    assert CAL.working_days_between(start, due) == n


def test_nauryz_2025_is_five_days_off() -> None:
    nauryz = [date(2025, 3, day) for day in range(21, 26)]  # Fri..Tue, with two observed days
    assert [CAL.is_working_day(d) for d in nauryz] == [False] * 5
    assert CAL.is_working_day(date(2025, 3, 20))
    assert CAL.is_working_day(date(2025, 3, 26))
    assert CAL.add_working_days(date(2025, 3, 20), 1) == date(2025, 3, 26)
    assert CAL.working_days_between(date(2025, 3, 20), date(2025, 3, 25)) == 0
    assert CAL.day_off_name(date(2025, 3, 25)) == "Nowruz Holiday (observed)"


def test_transferred_working_sunday_2025() -> None:
    assert not CAL.is_working_day(date(2025, 1, 3))  # Friday, day off moved from Sunday 5th
    assert CAL.is_working_day(date(2025, 1, 5))  # Sunday, working day
    assert not CAL.is_working_day(date(2025, 1, 4))  # plain Saturday
    # From 2 January (holiday): 3rd off, 4th Saturday, 5th worked, 6th, then 7th Christmas.
    assert CAL.add_working_days(date(2025, 1, 2), 1) == date(2025, 1, 5)
    assert CAL.add_working_days(date(2025, 1, 2), 2) == date(2025, 1, 6)
    assert CAL.add_working_days(date(2025, 1, 2), 3) == date(2025, 1, 8)


def test_2026_has_no_constitution_day_on_30_august() -> None:
    # 2025: Saturday 30 August, observed Monday 1 September.
    assert CAL.day_off_name(date(2025, 8, 30)) == "Constitution Day"
    assert not CAL.is_working_day(date(2025, 9, 1))
    # 2026: the new Constitution moved the holiday to 15 March from 2027 on.
    assert CAL.day_off_name(date(2026, 8, 30)) is None
    assert CAL.is_working_day(date(2026, 8, 31))
    assert all("Constitution" not in name for name in holidays.country_holidays("KZ", years=2026).values())
    assert CAL.add_working_days(date(2026, 8, 28), 1) == date(2026, 8, 31)


@pytest.mark.parametrize(("year", "working_days"), [(2025, 246), (2026, 247)])
def test_working_days_per_year(year: int, working_days: int) -> None:
    assert CAL.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == working_days


def test_days_off_2026_snapshot() -> None:
    # Weekday days off of 2026 (ecosystem.md §2); a new holidays release that changes
    # them must be reviewed, and the override file updated if needed.
    days_off = {
        d
        for d in (date(2026, 1, 1) + timedelta(days=i) for i in range(365))
        if d.weekday() < 5 and not CAL.is_working_day(d)
    }
    assert days_off == {
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 7),
        date(2026, 3, 9),
        date(2026, 3, 23),
        date(2026, 3, 24),
        date(2026, 3, 25),
        date(2026, 5, 1),
        date(2026, 5, 7),
        date(2026, 5, 11),
        date(2026, 5, 27),
        date(2026, 7, 6),
        date(2026, 10, 26),
        date(2026, 12, 16),
    }


# --- counting rule --------------------------------------------------------------------------


def test_start_day_never_counts() -> None:
    # Saturday 2025-11-22 and Friday 2025-11-21 both give Tuesday for two days.
    assert CAL.add_working_days(date(2025, 11, 21), 2) == date(2025, 11, 25)
    assert CAL.add_working_days(date(2025, 11, 22), 2) == date(2025, 11, 25)
    assert CAL.add_working_days(date(2025, 11, 23), 2) == date(2025, 11, 25)
    assert CAL.add_working_days(date(2025, 11, 24), 2) == date(2025, 11, 26)


@pytest.mark.parametrize("n", [0, -1])
def test_add_working_days_needs_at_least_one(n: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CAL.add_working_days(date(2025, 11, 24), n)


def test_datetimes_are_refused_where_dates_are_expected() -> None:
    moment = datetime(2025, 11, 24, 10, tzinfo=UTC)
    with pytest.raises(TypeError, match="local_date"):
        CAL.is_working_day(moment)
    with pytest.raises(TypeError, match="local_date"):
        CAL.add_working_days(moment, 1)
    with pytest.raises(TypeError, match="local_date"):
        CAL.working_days_between(date(2025, 11, 24), moment)


def test_working_days_between_is_antisymmetric_and_zero_on_equal_days() -> None:
    a, b = date(2025, 3, 20), date(2025, 4, 3)
    assert CAL.working_days_between(a, a) == 0
    assert CAL.working_days_between(b, a) == -7


days = st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31))


@given(start=days, n=st.integers(1, 40))
def test_add_and_count_agree_with_each_other_and_with_holidays(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    assert CAL.is_working_day(due)
    assert CAL.working_days_between(start, due) == n
    assert CAL.working_days_between(start, due - timedelta(days=1)) == n - 1
    assert CAL.working_days_between(due, start) == -n
    # Without overrides the calendar is the package's own arithmetic.
    assert BARE.add_working_days(start, n) == holidays.country_holidays("KZ").get_nth_working_day(start, n)


# --- time zone ------------------------------------------------------------------------------


def test_late_utc_evening_is_the_next_almaty_date() -> None:
    # UTC+5: 18:59 UTC is 23:59 in Almaty, 19:00 UTC is midnight.
    assert local_date(datetime(2025, 11, 19, 18, 59, tzinfo=UTC)) == date(2025, 11, 19)
    assert local_date(datetime(2025, 11, 19, 19, 0, tzinfo=UTC)) == date(2025, 11, 20)
    # So the deadline moves: Wednesday counts from Thursday, Thursday from Friday.
    assert due_date(datetime(2025, 11, 19, 18, 59, tzinfo=UTC), 2, calendar=CAL) == date(2025, 11, 21)
    assert due_date(datetime(2025, 11, 19, 19, 0, tzinfo=UTC), 2, calendar=CAL) == date(2025, 11, 24)


def test_almaty_was_utc_plus_6_before_march_2024() -> None:
    assert local_date(datetime(2024, 2, 28, 18, 30, tzinfo=UTC)) == date(2024, 2, 29)  # 00:30 at +6
    assert local_date(datetime(2024, 3, 5, 18, 30, tzinfo=UTC)) == date(2024, 3, 5)  # 23:30 at +5


def test_other_offsets_are_converted() -> None:
    moscow = timezone(timedelta(hours=3))
    assert local_date(datetime(2025, 11, 19, 21, 30, tzinfo=moscow)) == date(2025, 11, 19)  # 23:30
    assert local_date(datetime(2025, 11, 19, 22, 0, tzinfo=moscow)) == date(2025, 11, 20)  # 00:00


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2025, 11, 19, 10, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="no time zone"):
        due_date(naive, 2, calendar=CAL)
    with pytest.raises(ValueError, match="no time zone"):
        timeline(naive, CAL)


def test_cutoff_moves_late_submissions_to_the_next_day() -> None:
    evening = almaty(2025, 11, 19, 18, 30)
    assert local_date(evening) == date(2025, 11, 19)
    assert local_date(evening, cutoff=time(18, 30)) == date(2025, 11, 20)
    assert local_date(evening, cutoff=time(18, 31)) == date(2025, 11, 19)
    assert due_date(evening, 2, calendar=CAL, cutoff=time(18, 0)) == date(2025, 11, 24)


def test_submission_on_a_day_off_counts_from_the_next_working_day() -> None:
    # Monday 2025-03-24 (Nauryz observed): working day 1 is Wednesday 26th.
    assert due_date(almaty(2025, 3, 24), 1, calendar=CAL) == date(2025, 3, 26)
    assert due_date(almaty(2025, 3, 24), 2, calendar=CAL) == date(2025, 3, 27)


def test_due_date_defaults_to_the_packaged_calendar() -> None:
    assert due_date(almaty(2025, 3, 20), 7) == date(2025, 4, 3)


# --- override file --------------------------------------------------------------------------


def write_overrides(path: Path, **content: object) -> Path:
    document: dict[str, object] = {"reviewed_through": 2026, "days_off": [], "working_days": []}
    document.update(content)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_override_file_adds_a_day_off_and_a_working_saturday(tmp_path: Path) -> None:
    # Fictional decree: Thursday 2026-12-17 off, worked on Saturday 2026-12-19 instead.
    path = write_overrides(
        tmp_path / "overrides.json",
        days_off=[{"date": "2026-12-17", "name": "Day off (substituted from 2026-12-19)", "decree": "test decree 1"}],
        working_days=[{"date": "2026-12-19", "name": "Working Saturday", "decree": "test decree 1"}],
    )
    cal = Calendar.load(path)
    assert CAL.is_working_day(date(2026, 12, 17))
    assert not CAL.is_working_day(date(2026, 12, 19))
    assert not cal.is_working_day(date(2026, 12, 17))
    assert cal.is_working_day(date(2026, 12, 19))
    assert cal.day_off_name(date(2026, 12, 17)) == "Day off (substituted from 2026-12-19)"
    assert cal.day_off_name(date(2026, 12, 19)) is None
    # Wednesday 16th (Independence Day) + 2: plain calendar Thu, Fri; overridden Fri, Sat.
    assert CAL.add_working_days(date(2026, 12, 16), 2) == date(2026, 12, 18)
    assert cal.add_working_days(date(2026, 12, 16), 2) == date(2026, 12, 19)
    assert CAL.working_days_between(date(2026, 12, 18), date(2026, 12, 20)) == 0
    assert cal.working_days_between(date(2026, 12, 18), date(2026, 12, 20)) == 1


def test_override_working_day_beats_a_package_holiday() -> None:
    fix = CalendarOverride(date=date(2025, 12, 16), name="Worked (test)", decree="test decree 2")
    cal = Calendar(CalendarOverrides(reviewed_through=2025, working_days=(fix,)))
    assert not CAL.is_working_day(date(2025, 12, 16))
    assert cal.is_working_day(date(2025, 12, 16))


def test_packaged_override_file_loads() -> None:
    packaged = Calendar.load()
    assert packaged.overrides is not None
    assert packaged.reviewed_through == 2026
    assert packaged.overrides == CAL.overrides
    assert BARE.overrides is None
    assert BARE.reviewed_through is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"days_off": [{"date": "2026-12-17", "name": "x", "decree": "d"}] * 2}, "listed more than once"),
        (
            {
                "days_off": [{"date": "2026-12-17", "name": "x", "decree": "d"}],
                "working_days": [{"date": "2026-12-17", "name": "x", "decree": "d"}],
            },
            "listed more than once",
        ),
        ({"days_off": [{"date": "2026-12-17", "name": "x"}]}, "decree"),
        ({"days_off": [{"date": "2026-12-17", "name": "x", "decree": ""}]}, "decree"),
        ({"days_off": [{"date": "2026-02-30", "name": "x", "decree": "d"}]}, "date"),
        ({"holidays": []}, "holidays"),
    ],
)
def test_bad_override_files_are_configuration_errors(tmp_path: Path, content: dict[str, object], message: str) -> None:
    path = write_overrides(tmp_path / "bad.json", **content)
    with pytest.raises(CalendarError, match=message) as caught:
        Calendar.load(path)
    assert isinstance(caught.value, ConfigurationError)
    assert isinstance(caught.value, ValueError)
    assert str(path) in str(caught.value)


def test_missing_reviewed_through_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "no-review.json"
    path.write_text('{"days_off": []}', encoding="utf-8")
    with pytest.raises(CalendarError, match="reviewed_through"):
        Calendar.load(path)


def test_unreadable_override_files_are_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="cannot be read"):
        Calendar.load(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CalendarError, match="not usable"):
        Calendar.load(broken)


# --- timeline -------------------------------------------------------------------------------


def test_timeline_chains_the_paragraphs() -> None:
    result = timeline(almaty(2025, 3, 20), CAL)
    assert result.received_on == date(2025, 3, 20)
    assert [(s.paragraph, s.counted_from, s.working_days, s.due) for s in result.steps] == [
        (Paragraph.VERIFY, date(2025, 3, 20), 2, date(2025, 3, 27)),
        (Paragraph.SUBMIT_TO_COMMISSION, date(2025, 3, 27), 1, date(2025, 3, 28)),
        (Paragraph.COMMISSION_VERIFIES, date(2025, 3, 28), 7, date(2025, 4, 8)),
        (Paragraph.DECISION, date(2025, 4, 8), 2, date(2025, 4, 10)),
        (Paragraph.NOTIFICATION, date(2025, 4, 10), 1, date(2025, 4, 11)),
    ]
    assert result.step("26").due == date(2025, 4, 8)
    assert result.final_due == date(2025, 4, 11)
    assert CAL.working_days_between(result.received_on, result.final_due) == 13
    assert not result.provisional
    with pytest.raises(KeyError):
        result.step("23")


def test_timeline_uses_the_almaty_date_and_cutoff() -> None:
    late = datetime(2025, 11, 19, 19, 0, tzinfo=UTC)  # Thursday 00:00 in Almaty
    assert timeline(late, CAL).received_on == date(2025, 11, 20)
    assert timeline(late, CAL).step("21").due == date(2025, 11, 24)
    early = datetime(2025, 11, 19, 13, 30, tzinfo=UTC)  # 18:30 in Almaty
    assert timeline(early, CAL).received_on == date(2025, 11, 19)
    with_cutoff = timeline(early, CAL, cutoff=time(18, 0))
    assert with_cutoff.received_on == date(2025, 11, 20)
    assert with_cutoff.cutoff == time(18, 0)


def test_timeline_is_provisional_past_the_reviewed_year() -> None:
    assert timeline(almaty(2026, 12, 20), CAL).final_due == date(2027, 1, 11)
    assert timeline(almaty(2026, 12, 20), CAL).provisional
    assert not timeline(almaty(2026, 12, 1), CAL).provisional
    assert timeline(almaty(2026, 12, 1), BARE).provisional


def test_timeline_is_frozen_and_round_trips_through_json() -> None:
    result = timeline(almaty(2025, 3, 20), CAL)
    with pytest.raises(ValidationError):
        result.provisional = True  # type: ignore[misc]
    with pytest.raises(ValidationError):
        result.steps[0].due = date(2030, 1, 1)  # type: ignore[misc]
    assert Timeline.model_validate_json(result.model_dump_json()) == result


def test_kazakhstan_holidays_loaded_alone_equal_the_packages_calendar() -> None:
    """The Kazakhstan module loaded from its file (not the 250 countries) says what country_holidays does."""
    alone, public = kazakhstan_holidays(), holidays.country_holidays("KZ", language="en_US")
    days = [date(2015, 1, 1) + timedelta(days=n) for n in range(366 * 20)]
    assert [(d in alone, alone.get(d), alone.is_working_day(d)) for d in days] == [
        (d in public, public.get(d), public.is_working_day(d)) for d in days
    ]
    assert alone.get(date(2026, 3, 8)) == public.get(date(2026, 3, 8)) == "International Women's Day"
