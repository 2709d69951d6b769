"""Synthetic IINs and BINs for tests and sample dossiers (outside the runtime package: intake only
parses and validates identifiers, `intake.ids`)."""

from __future__ import annotations

from datetime import date

from intake.ids import (
    BIN_YEAR_PIVOT,
    FOREIGN_NO_CENTURY_DIGIT,
    BinAttribute,
    EntityType,
    IdError,
    Sex,
    bin_part_problems,
    with_check_digit,
)

__all__ = ["make_bin", "make_iin"]


def make_iin(birth: date, sex: Sex | None, serial: int, *, foreign_no_century: bool = False) -> str:
    """Builds a synthetic IIN, for tests and sample dossiers.

    A never-issued prefix (both check sums give 10, about 0.8% of prefixes) raises
    `IdError` rather than bumping the serial, so that a number built here always
    decodes to exactly the arguments; callers that need a number pick another serial.

    Args:
        birth: Birth date, in 1800-2099 (only the last two digits of the year are
            kept when ``foreign_no_century`` is set).
        sex: Sex; must be None exactly when ``foreign_no_century`` is set.
        serial: Serial number, 0-9999.
        foreign_no_century: Write 0 as the century/sex digit.

    Returns:
        The 12-digit IIN.

    Raises:
        IdError: An argument is out of range, or the prefix is never issued.
    """
    if not 0 <= serial <= 9999:
        raise IdError(f"serial {serial} is not 0-9999")
    if foreign_no_century:
        if sex is not None:
            raise IdError("sex must be None when foreign_no_century is set")
        code = FOREIGN_NO_CENTURY_DIGIT
    else:
        if sex is None:
            raise IdError("sex is required unless foreign_no_century is set")
        if not 1800 <= birth.year <= 2099:
            raise IdError(f"birth year {birth.year} is not 1800-2099")
        code = 1 + 2 * ((birth.year - 1800) // 100) + (sex is Sex.FEMALE)
    return with_check_digit(f"{birth:%y%m%d}{code}{serial:04d}")


def make_bin(
    year: int,
    month: int,
    entity_type: EntityType,
    attribute: BinAttribute,
    serial: int,
) -> str:
    """Builds a synthetic BIN, for tests and sample dossiers.

    A never-issued prefix raises `IdError` rather than bumping the serial (see
    `make_iin`).

    Args:
        year: Registration year, 1990-2089 (the range `parse_bin` decodes back).
        month: Registration month, 1-12.
        entity_type: Digit 5.
        attribute: Digit 6.
        serial: Serial number, 0-99999.

    Returns:
        The 12-digit BIN.

    Raises:
        IdError: An argument is out of range, or the prefix is never issued.
    """
    problems: list[str] = []
    if not 1900 + BIN_YEAR_PIVOT <= year <= 2000 + BIN_YEAR_PIVOT - 1:
        problems.append(f"registration year {year} is not 1990-2089")
    if not 0 <= serial <= 99999:
        problems.append(f"serial {serial} is not 0-99999")
    problems += bin_part_problems(month, entity_type, attribute)
    if problems:
        raise IdError(*problems)
    kind = EntityType(entity_type)
    part = BinAttribute(attribute)
    return with_check_digit(f"{year % 100:02d}{month:02d}{kind.value}{part.value}{serial:05d}")
