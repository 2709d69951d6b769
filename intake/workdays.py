"""Kazakhstan working days, and the deadlines of Rules paragraphs 21-28.

The calendar is `holidays.country_holidays("KZ")` (public holidays, the Labour Code's
rule that a holiday on a weekend moves to the next working day, decree transfers of
days off and the working Saturdays/Sundays they create) plus an override file for
decrees published after the pinned `holidays` release:
``intake/data/kz_calendar_overrides.json`` ships with the package; `Calendar.load`
reads another path. See ``shared/research/ecosystem.md`` §2.

Counting rule, used everywhere here: "within N working days of X" ends on the N-th
working day *after* the day of X. The day of X itself never counts, whether or not it
is a working day. This is what ``holidays``' ``get_nth_working_day`` does.

Time zone: a submission instant becomes a date in ``Asia/Almaty`` (UTC+5 since
2024-03-01, UTC+6 before; all of Kazakhstan has used one zone since then). Naive
datetimes are rejected. The clock is never read here: the caller passes the instant.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import importlib.util
import os
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, Self
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from intake.errors import ConfigurationError

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = [
    "ALMATY",
    "Calendar",
    "CalendarError",
    "CalendarOverride",
    "CalendarOverrides",
    "Paragraph",
    "Step",
    "Timeline",
    "default_calendar",
    "due_date",
    "local_date",
    "timeline",
]

ALMATY: Final = ZoneInfo("Asia/Almaty")
"""The time zone deadlines are computed in."""

_OVERRIDES_FILE: Final = "kz_calendar_overrides.json"
_ONE_DAY: Final = dt.timedelta(days=1)


def kazakhstan_holidays() -> HolidayBase:
    """The ``holidays`` package's calendar of Kazakhstan (English names), loaded without its 250 others.

    ``holidays.country_holidays("KZ")`` imports ``holidays.countries``, whose ``__init__`` imports the
    module of every country (0.1 s of CPU, more than the rest of the calendar). The Kazakhstan module
    alone is loaded from its file instead; should a release of ``holidays`` move it, the public way
    is taken.
    """
    import holidays

    module_name = "intake_holidays_kazakhstan"
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(
            module_name, Path(holidays.__file__).parent / "countries" / "kazakhstan.py"
        )
        if spec is None or spec.loader is None or not Path(spec.origin or "").is_file():
            return holidays.country_holidays("KZ", language="en_US")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[module_name] = module
    calendar: HolidayBase = module.Kazakhstan(language="en_US")
    return calendar


class CalendarError(ConfigurationError, ValueError):
    """The calendar override file cannot be used (missing, not JSON, or inconsistent)."""


class CalendarOverride(BaseModel):
    """One day whose status a decree sets, overriding the ``holidays`` package.

    Attributes:
        date: The day.
        name: What the day is, e.g. ``"Day off (substituted from 2027-01-09)"``.
        decree: The decree that sets it (number, date, adilet link), so a reviewer can
            check the entry.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    name: str = Field(min_length=1)
    decree: str = Field(min_length=1)


class CalendarOverrides(BaseModel):
    """The content of an override file.

    Attributes:
        description: Free text for whoever edits the file.
        reviewed_through: Last year for which decrees on days off were checked and
            entered here; deadlines that end after that year are provisional.
        days_off: Days that are not worked although the package says they are.
        working_days: Days that are worked although the package says they are not
            (a Saturday or Sunday a decree made a working day, or a holiday the
            package has wrong).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str = ""
    reviewed_through: int
    days_off: tuple[CalendarOverride, ...] = ()
    working_days: tuple[CalendarOverride, ...] = ()

    @model_validator(mode="after")
    def _each_day_once(self) -> Self:
        """Rejects a day listed twice, in one list or in both."""
        seen: set[dt.date] = set()
        for entry in (*self.days_off, *self.working_days):
            if entry.date in seen:
                msg = f"{entry.date.isoformat()} is listed more than once"
                raise ValueError(msg)
            seen.add(entry.date)
        return self


def _read_overrides(text: str, source: str) -> CalendarOverrides:
    """Parses override-file text, naming ``source`` in the error."""
    try:
        return CalendarOverrides.model_validate_json(text)
    except ValidationError as error:
        msg = f"calendar override file {source} is not usable, fix it: {error}"
        raise CalendarError(msg) from error


class Calendar:
    """Kazakhstan working days: the ``holidays`` package corrected by an override file.

    An override wins over the package: a listed day off is never a working day, a
    listed working day always is. Methods take `datetime.date`; a `datetime.datetime`
    is refused (its date depends on the time zone: convert with `local_date`).
    """

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        """Builds a calendar.

        Args:
            overrides: Decree corrections; None means none at all (not the packaged
                file: use `Calendar.load` or `default_calendar` for that).
        """
        self._base = kazakhstan_holidays()
        self._overrides = overrides
        self._days_off = {o.date for o in overrides.days_off} if overrides else set()
        self._working_days = {o.date for o in overrides.working_days} if overrides else set()

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Calendar:
        """Builds a calendar from an override file.

        Args:
            path: A JSON override file; None reads the one shipped in the package.

        Returns:
            The calendar.

        Raises:
            CalendarError: The file cannot be read or does not follow the format of
                `CalendarOverrides`.
        """
        if path is None:
            source = resources.files("intake").joinpath("data", _OVERRIDES_FILE)
            name = f"intake/data/{_OVERRIDES_FILE} (packaged)"
        else:
            source = Path(path)
            name = os.fspath(path)
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            msg = f"calendar override file {name} cannot be read: {error}"
            raise CalendarError(msg) from error
        return cls(_read_overrides(text, name))

    @property
    def overrides(self) -> CalendarOverrides | None:
        """The decree corrections in force, if any."""
        return self._overrides

    @property
    def reviewed_through(self) -> int | None:
        """Last year whose decrees were reviewed into the override file; None without one."""
        return self._overrides.reviewed_through if self._overrides else None

    def is_working_day(self, day: dt.date) -> bool:
        """Tells whether ``day`` is a working day in Kazakhstan.

        Args:
            day: The day.

        Returns:
            False for weekends (unless a decree made it a working day), public holidays,
            observed holidays and decree days off; True otherwise.
        """
        _require_date(day)
        if day in self._working_days:
            return True
        if day in self._days_off:
            return False
        return bool(self._base.is_working_day(day))

    def day_off_name(self, day: dt.date) -> str | None:
        """Names the holiday or decree day off on ``day``.

        Args:
            day: The day.

        Returns:
            The name, e.g. ``"Nowruz Holiday (observed)"``; None for a working day or
            a plain weekend.
        """
        _require_date(day)
        if day in self._working_days:
            return None
        if self._overrides:
            for entry in self._overrides.days_off:
                if entry.date == day:
                    return entry.name
        name = self._base.get(day)
        return None if name is None else str(name)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """Finds the n-th working day after ``start``.

        ``start`` itself never counts, whether or not it is a working day: from
        Thursday 2025-03-20, working day 1 is Wednesday 2025-03-26 (Nauryz runs from
        Friday to the observed Tuesday), and from Saturday, working day 1 is Monday.

        Args:
            start: The day of the event the period runs from.
            n: How many working days; at least 1.

        Returns:
            The day the period ends on (always a working day).

        Raises:
            ValueError: ``n`` is less than 1.
        """
        _require_date(start)
        if n < 1:
            msg = f"n must be at least 1 working day, got {n}"
            raise ValueError(msg)
        day = start
        while n:
            day += _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Counts the working days after ``a`` up to and including ``b``.

        The same rule as `add_working_days`, so that
        ``working_days_between(a, add_working_days(a, n)) == n``. Negative when ``b``
        is before ``a``; zero when they are equal.

        Args:
            a: The day the period runs from (not counted).
            b: The last day (counted).

        Returns:
            The number of working days in ``(a, b]``, or minus that of ``(b, a]``.
        """
        _require_date(a)
        _require_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(day) for day in _days_after(a, b))


def _require_date(day: dt.date) -> None:
    """Refuses datetimes, whose date depends on a time zone."""
    if isinstance(day, dt.datetime):
        msg = f"a date is expected, got the datetime {day!r}; convert it with local_date() first"
        raise TypeError(msg)


def _days_after(a: dt.date, b: dt.date) -> Iterator[dt.date]:
    """Yields the days after ``a`` up to and including ``b``."""
    day = a + _ONE_DAY
    while day <= b:
        yield day
        day += _ONE_DAY


@functools.cache
def default_calendar() -> Calendar:
    """The calendar with the override file shipped in the package, built once."""
    return Calendar.load()


def local_date(submitted: dt.datetime, *, cutoff: dt.time | None = None) -> dt.date:
    """Gives the Almaty date on which a submission counts as received.

    Args:
        submitted: The instant of submission; must be timezone-aware.
        cutoff: Optional end of the working day, Almaty wall-clock time. A submission
            at or after it counts as received the next calendar day. None (the
            default) means no cut-off: the Rules set none, and paragraph 21 runs from
            the receipt of the data as such.

    Returns:
        The receipt date in Asia/Almaty.

    Raises:
        ValueError: ``submitted`` is naive.
    """
    if submitted.tzinfo is None or submitted.utcoffset() is None:
        msg = f"submission time {submitted.isoformat()} has no time zone; pass an aware datetime"
        raise ValueError(msg)
    local = submitted.astimezone(ALMATY)
    day = local.date()
    if cutoff is not None and local.time() >= cutoff:
        day += _ONE_DAY
    return day


def due_date(
    submitted: dt.datetime,
    n_working_days: int,
    *,
    calendar: Calendar | None = None,
    cutoff: dt.time | None = None,
) -> dt.date:
    """Gives the last day of "within N working days of receipt".

    The submission instant becomes its Asia/Almaty date (see `local_date`); the
    period ends on the N-th working day after that date. The receipt day never
    counts, so a submission on a day off is counted from the next working day,
    which is working day 1: for two working days, Friday evening, Saturday and
    Sunday submissions all end on Tuesday (in a week without holidays). With no
    cut-off, a submission at 23:59 on a working day loses that day; pass ``cutoff``
    to move late submissions to the next day explicitly.

    Args:
        submitted: The instant of submission; must be timezone-aware.
        n_working_days: N, at least 1.
        calendar: The calendar; None uses `default_calendar`.
        cutoff: See `local_date`.

    Returns:
        The due date (a working day).

    Raises:
        ValueError: ``submitted`` is naive or ``n_working_days`` is less than 1.
    """
    calendar = default_calendar() if calendar is None else calendar
    return calendar.add_working_days(local_date(submitted, cutoff=cutoff), n_working_days)


class Paragraph(enum.StrEnum):
    """The Rules paragraphs a `Timeline` has a step for."""

    VERIFY = "21"
    SUBMIT_TO_COMMISSION = "22"
    COMMISSION_VERIFIES = "26"
    DECISION = "27"
    NOTIFICATION = "28"


class Step(BaseModel):
    """One deadline of the Rules.

    Attributes:
        paragraph: The paragraph of the Rules, e.g. ``"21"``.
        what: What must be done by ``due``.
        counted_from: The day the period runs from (not counted itself).
        working_days: Length of the period.
        due: Last day on which the step may be done.
    """

    model_config = ConfigDict(frozen=True)

    paragraph: Paragraph
    what: str
    counted_from: dt.date
    working_days: int
    due: dt.date


class Timeline(BaseModel):
    """The latest permitted date of each step from receipt to notification.

    Each step runs from the previous step's due date: the dates are the outer bound
    when every earlier step takes all the time it is allowed. A step done early moves
    the later ones earlier; recompute from the actual date with
    `Calendar.add_working_days` when it is known.

    Attributes:
        submitted: The submission instant, as given.
        received_on: The Asia/Almaty date the data count as received.
        cutoff: The cut-off time used, if any (see `local_date`).
        steps: Paragraphs 21, 22, 26, 27 and 28, in that order.
        provisional: True when a due date falls in a year after the override file's
            ``reviewed_through`` (or there is no override file): decrees not yet
            entered may move it.
    """

    model_config = ConfigDict(frozen=True)

    submitted: AwareDatetime
    received_on: dt.date
    cutoff: dt.time | None
    steps: tuple[Step, ...]
    provisional: bool

    def step(self, paragraph: str) -> Step:
        """Returns the step of a paragraph.

        Args:
            paragraph: ``"21"``, ``"22"``, ``"26"``, ``"27"`` or ``"28"``.

        Returns:
            The step.

        Raises:
            KeyError: No step for that paragraph.
        """
        for step in self.steps:
            if step.paragraph == paragraph:
                return step
        raise KeyError(paragraph)

    @property
    def final_due(self) -> dt.date:
        """The due date of the last step (notification, paragraph 28)."""
        return self.steps[-1].due


# (paragraph, what, working days). Each period runs from the previous step's due date.
_CHAIN: Final = (
    # 21: "within two working days of receipt of the data, verify their accuracy and
    # consistency with paragraphs 5 and 13".
    (Paragraph.VERIFY, "local executive body verifies the data (paragraphs 5 and 13)", 2),
    # 22: "pursuant to their consideration ... within one working day, shall submit the
    # data to the Commission": one working day after the paragraph 21 verification.
    (Paragraph.SUBMIT_TO_COMMISSION, "local executive body submits the data to the Commission", 1),
    # 26: "within seven working days of the data saving": read as the saving of the data
    # submitted to the Commission under 22. (Paragraphs 18 and 30 also say "the data are
    # saved" of the applicant's own entry; on that reading 26 would run from receipt.)
    (Paragraph.COMMISSION_VERIFIES, "Commission verifies completeness and accuracy", 7),
    # 27: "pursuant to their consideration, the Commission, within two working days,
    # shall make a decision": after the paragraph 26 verification.
    (Paragraph.DECISION, "Commission decides on inclusion or refusal", 2),
    # 28: "within one working day of the Commission's decision".
    (Paragraph.NOTIFICATION, "notification sent to the supplier's e-mail", 1),
)


def timeline(submitted: dt.datetime, calendar: Calendar, *, cutoff: dt.time | None = None) -> Timeline:
    """Computes the deadlines of paragraphs 21-28 for one submission.

    Paragraph 21 runs from the receipt date (see `due_date` for the counting rule);
    22 from the 21 deadline; 26 from the 22 deadline (the data saved for the
    Commission); 27 from the 26 deadline; 28 from the 27 deadline. In all, 13 working
    days after receipt.

    Args:
        submitted: The instant of submission; must be timezone-aware.
        calendar: The working-day calendar.
        cutoff: See `local_date`.

    Returns:
        The timeline.

    Raises:
        ValueError: ``submitted`` is naive.
    """
    received_on = local_date(submitted, cutoff=cutoff)
    steps: list[Step] = []
    start = received_on
    for paragraph, what, days in _CHAIN:
        due = calendar.add_working_days(start, days)
        steps.append(Step(paragraph=paragraph, what=what, counted_from=start, working_days=days, due=due))
        start = due
    reviewed = calendar.reviewed_through
    return Timeline(
        submitted=submitted,
        received_on=received_on,
        cutoff=cutoff,
        steps=tuple(steps),
        provisional=reviewed is None or start.year > reviewed,
    )
