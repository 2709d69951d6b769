"""Kazakh individual (IIN) and business (BIN) identification numbers.

Both are 12 digits; the 12th is a check digit computed by one algorithm
(Government decree of 11 June 2003 No. 565; see ``shared/research/ecosystem.md`` §1):

* IIN: ``YYMMDD`` birth date, a century/sex digit, a 4-digit serial, the check digit.
* BIN: ``YYMM`` registration, a type digit, an attribute digit, a 5-digit serial,
  the check digit.

Parsing returns frozen records with the decoded fields, or raises `IdError` (a
`ValueError`) whose message names every problem found. `validate_iin` and
`validate_bin` return the same messages as a list, for field checks.

A known weakness of the official algorithm, kept as it is: the 11th digit has the
weight 11 in the first pass, which is 0 modulo 11. Whenever the first pass decides
the check digit (about 91% of numbers), changing the 11th digit (the last serial
digit) gives another number with a correct check digit. Changes to digits 1-10 are
caught except when the change moves the number from one weight row to the other
(about 1.7% of such changes). ``tests/test_ids.py`` pins both facts.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date
from typing import Final

__all__ = [
    "BIN_YEAR_PIVOT",
    "FOREIGN_NO_CENTURY_DIGIT",
    "NCA_TEST_IDENTITIES",
    "Bin",
    "BinAttribute",
    "EntityType",
    "IdError",
    "Iin",
    "Sex",
    "bin_part_problems",
    "check_digit",
    "is_nca_test_identity",
    "parse_bin",
    "parse_iin",
    "validate_bin",
    "validate_iin",
    "with_check_digit",
]

_WEIGHTS_1: Final = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2: Final = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_LENGTH: Final = 12
_NEVER_ISSUED: Final = "never issued: both check sums give 10"

# Digits are matched explicitly: str.isdigit() also accepts "²" or Arabic-Indic digits.
_ASCII_DIGITS: Final = frozenset("0123456789")

NCA_TEST_IDENTITIES: Final = frozenset({"123456789011", "123456789012", "123456789021", "012345678912"})
"""IINs/BINs of the test certificates issued by the NCA of Kazakhstan.

They fail the check digit on purpose; recognise them with `is_nca_test_identity`.
"""

FOREIGN_NO_CENTURY_DIGIT: Final = 0
_FOREIGN_WARNING: Final = "century/sex digit 0: foreign national, birth century and sex are not encoded"

# BIN registration years have two digits. 90-99 read as the 1990s (legal entities were
# registered, or re-registered, from independence in 1991 on); 00-89 as 2000-2089.
BIN_YEAR_PIVOT: Final = 90


class IdError(ValueError):
    """An IIN or BIN is malformed or fails its check digit.

    Attributes:
        problems: Every problem found, each a complete phrase such as
            ``"check digit is 3, expected 7"``. ``str(error)`` joins them with ``"; "``.
    """

    def __init__(self, *problems: str) -> None:
        """Builds the error from one or more problem descriptions.

        Args:
            *problems: The problems found.
        """
        self.problems: tuple[str, ...] = problems
        super().__init__("; ".join(problems))

    def __reduce__(self) -> tuple[type[IdError], tuple[str, ...]]:
        """Keeps ``problems`` apart when pickled (e.g. back from a process pool)."""
        return (type(self), self.problems)


class Sex(enum.StrEnum):
    """Sex encoded by the 7th IIN digit (odd = male, even = female)."""

    MALE = "male"
    FEMALE = "female"


# IIN digit 7: century and sex. Odd = male, even = female.
_CENTURY_SEX: Final = {
    1: (1800, Sex.MALE),
    2: (1800, Sex.FEMALE),
    3: (1900, Sex.MALE),
    4: (1900, Sex.FEMALE),
    5: (2000, Sex.MALE),
    6: (2000, Sex.FEMALE),
}


class EntityType(enum.IntEnum):
    """5th BIN digit: the kind of registered entity."""

    RESIDENT_LEGAL_ENTITY = 4
    NON_RESIDENT_LEGAL_ENTITY = 5
    JOINT_ENTREPRENEURSHIP = 6
    """IP(S): individual entrepreneurs in joint entrepreneurship."""


class BinAttribute(enum.IntEnum):
    """6th BIN digit: which part of the entity the number belongs to."""

    HEAD_UNIT = 0
    BRANCH = 1
    REPRESENTATIVE_OFFICE = 2
    PEASANT_FARM = 3
    """Peasant (farm) household in joint entrepreneurship."""


@dataclasses.dataclass(frozen=True, slots=True)
class Iin:
    """A parsed IIN.

    Attributes:
        value: The 12 digits as given.
        birth_date: Birth date; None when the century is not encoded (digit 7 is 0).
        century: First year of the birth century (1800, 1900 or 2000); None for digit 0.
        sex: Sex; None for digit 0.
        serial: The 4-digit serial number (digits 8-11).
        foreign_no_century: True when digit 7 is 0. Accepted, but flagged: one public
            implementation reads 0 as "foreign national, no century"; no official
            source confirms it (ecosystem.md §1.1).
        warnings: Human messages for accepted-but-doubtful content.
    """

    value: str
    birth_date: date | None
    century: int | None
    sex: Sex | None
    serial: int
    foreign_no_century: bool
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        """Returns the 12 digits."""
        return self.value


@dataclasses.dataclass(frozen=True, slots=True)
class Bin:
    """A parsed BIN.

    Attributes:
        value: The 12 digits as given.
        registration_year: Year of registration or re-registration; the two digits
            are read as 1990-1999 for 90-99 and 2000-2089 for 00-89.
        registration_month: Month of registration, 1-12.
        entity_type: Digit 5.
        attribute: Digit 6.
        serial: The 5-digit serial number (digits 7-11).
    """

    value: str
    registration_year: int
    registration_month: int
    entity_type: EntityType
    attribute: BinAttribute
    serial: int

    def __str__(self) -> str:
        """Returns the 12 digits."""
        return self.value


def check_digit(first11: str) -> int | None:
    """Computes the check digit of an IIN or BIN.

    The first pass weighs the digits 1..11; when its sum modulo 11 is 10, a second
    pass weighs them 3..11, 1, 2. When that also gives 10, no number with this
    prefix is ever issued.

    Args:
        first11: The first 11 digits (ASCII 0-9).

    Returns:
        The check digit 0-9, or None for a never-issued prefix.

    Raises:
        IdError: ``first11`` is not exactly 11 ASCII digits.
    """
    if len(first11) != _LENGTH - 1 or not _ASCII_DIGITS.issuperset(first11):
        raise IdError(f"11 digits expected, got {first11!r}")
    digits = [ord(c) - ord("0") for c in first11]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if total == 10:
        total = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
        if total == 10:
            return None
    return total


def is_nca_test_identity(s: str) -> bool:
    """Tells whether ``s`` is one of the NCA test-certificate identities.

    These (``123456789011``, ``123456789012``, ``123456789021``, ``012345678912``)
    appear in the subject of the NCA's test certificates and fail the check digit.
    `parse_iin` and `parse_bin` reject them; callers that accept test PKI decide
    with this function.

    Args:
        s: Text to test; compared exactly, without stripping.

    Returns:
        True for one of the four test identities.
    """
    return s in NCA_TEST_IDENTITIES


def _format_problems(s: str) -> list[str]:
    """Problems with the shape: 12 ASCII digits."""
    for position, char in enumerate(s, start=1):
        if char not in _ASCII_DIGITS:
            return [f"12 digits expected, got {char!r} at position {position}"]
    if len(s) != _LENGTH:
        return [f"12 digits expected, got {len(s)}"]
    return []


def _check_digit_problems(s: str) -> list[str]:
    """Problems with the check digit of 12 ASCII digits."""
    expected = check_digit(s[:11])
    if expected is None:
        return [_NEVER_ISSUED]
    if int(s[11]) != expected:
        return [f"check digit is {s[11]}, expected {expected}"]
    return []


def _date_or_none(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _analyse_iin(s: str, at: date | None) -> tuple[list[str], Iin | None]:
    """All problems of ``s`` as an IIN, and the decoded IIN when there are none."""
    problems = _format_problems(s)
    if problems:
        return problems, None
    problems = _check_digit_problems(s)
    yy, mm, dd = int(s[0:2]), int(s[2:4]), int(s[4:6])
    code = int(s[6])
    warnings: list[str] = []
    birth: date | None = None
    century: int | None = None
    sex: Sex | None = None
    if code == FOREIGN_NO_CENTURY_DIGIT:
        warnings.append(_FOREIGN_WARNING)
        # Without a century, the date must exist in at least one century (29 February
        # of "00" exists in 2000 only).
        if all(_date_or_none(c + yy, mm, dd) is None for c in (1800, 1900, 2000)):
            problems.append(f"birth date {s[0:6]} (YYMMDD) is not a date")
    elif code in _CENTURY_SEX:
        century, sex = _CENTURY_SEX[code]
        birth = _date_or_none(century + yy, mm, dd)
        if birth is None:
            problems.append(f"birth date {century + yy:04d}-{mm:02d}-{dd:02d} is not a date")
        elif at is not None and birth > at:
            problems.append(f"birth date {birth.isoformat()} is after {at.isoformat()}")
    else:
        problems.append(f"century/sex digit {code} is not 1-6")
    if problems:
        return problems, None
    return [], Iin(
        value=s,
        birth_date=birth,
        century=century,
        sex=sex,
        serial=int(s[7:11]),
        foreign_no_century=code == FOREIGN_NO_CENTURY_DIGIT,
        warnings=tuple(warnings),
    )


def bin_part_problems(month: int, type_digit: int, attribute_digit: int) -> list[str]:
    """What is wrong with a BIN's registration month (digits 3-4), type (5) and attribute (6) digits."""
    problems = []
    if not 1 <= month <= 12:
        problems.append(f"registration month {month:02d} is not 01-12")
    if type_digit not in {member.value for member in EntityType}:
        problems.append(f"type digit {type_digit} is not 4, 5 or 6")
    if attribute_digit not in {member.value for member in BinAttribute}:
        problems.append(f"attribute digit {attribute_digit} is not 0, 1, 2 or 3")
    return problems


def _analyse_bin(s: str) -> tuple[list[str], Bin | None]:
    """All problems of ``s`` as a BIN, and the decoded BIN when there are none."""
    problems = _format_problems(s)
    if problems:
        return problems, None
    problems = _check_digit_problems(s)
    yy, mm = int(s[0:2]), int(s[2:4])
    type_digit, attribute_digit = int(s[4]), int(s[5])
    problems += bin_part_problems(mm, type_digit, attribute_digit)
    if problems:
        return problems, None
    return [], Bin(
        value=s,
        registration_year=(1900 if yy >= BIN_YEAR_PIVOT else 2000) + yy,
        registration_month=mm,
        entity_type=EntityType(type_digit),
        attribute=BinAttribute(attribute_digit),
        serial=int(s[6:11]),
    )


def parse_iin(s: str, *, at: date | None = None) -> Iin:
    """Parses and checks an IIN.

    The text is taken as it is: no whitespace is stripped. Checks, in order: 12 ASCII
    digits (nothing else is checked when that fails), the check digit, the
    century/sex digit (1-6; 0 is accepted with ``foreign_no_century=True`` and a
    warning; 7-9 are rejected), and the birth date.

    Args:
        s: The IIN text.
        at: When given, a birth date after this date is a problem. Pass the
            validation date; the clock is never read here.

    Returns:
        The decoded IIN.

    Raises:
        IdError: The text is not a valid IIN; ``problems`` lists every reason, e.g.
            ``"check digit is 3, expected 7"`` or ``"birth date 1987-13-08 is not a date"``.
    """
    problems, iin = _analyse_iin(s, at)
    if iin is None:
        raise IdError(*problems)
    return iin


def parse_bin(s: str) -> Bin:
    """Parses and checks a BIN.

    The text is taken as it is: no whitespace is stripped. Checks, in order: 12 ASCII
    digits (nothing else is checked when that fails), the check digit, the
    registration month (01-12), the type digit (4, 5, 6) and the attribute digit
    (0-3). Type and attribute are not cross-checked: no source says which
    combinations are issued.

    Args:
        s: The BIN text.

    Returns:
        The decoded BIN.

    Raises:
        IdError: The text is not a valid BIN; ``problems`` lists every reason, e.g.
            ``"type digit 7 is not 4, 5 or 6"``.
    """
    problems, bin_ = _analyse_bin(s)
    if bin_ is None:
        raise IdError(*problems)
    return bin_


def validate_iin(s: str, *, at: date | None = None) -> list[str]:
    """Lists the problems of ``s`` as an IIN, as `parse_iin` would report them.

    Warnings (digit 7 is 0) are not problems; read them from `parse_iin`'s result.

    Args:
        s: The IIN text.
        at: When given, a birth date after this date is a problem.

    Returns:
        The problems; empty when ``s`` is a valid IIN.
    """
    return _analyse_iin(s, at)[0]


def validate_bin(s: str) -> list[str]:
    """Lists the problems of ``s`` as a BIN, as `parse_bin` would report them.

    Args:
        s: The BIN text.

    Returns:
        The problems; empty when ``s`` is a valid BIN.
    """
    return _analyse_bin(s)[0]


def with_check_digit(first11: str) -> str:
    """The 12-digit number: 11 digits and their check digit, raising `IdError` for never-issued prefixes."""
    digit = check_digit(first11)
    if digit is None:
        raise IdError(_NEVER_ISSUED)
    return f"{first11}{digit}"
