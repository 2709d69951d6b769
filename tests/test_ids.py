"""Tests of `intake.ids`: public vectors (ecosystem.md §1.3), messages, properties."""

from __future__ import annotations

import pickle
from datetime import date

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from intake.ids import (
    NCA_TEST_IDENTITIES,
    Bin,
    BinAttribute,
    EntityType,
    IdError,
    Iin,
    Sex,
    check_digit,
    is_nca_test_identity,
    parse_bin,
    parse_iin,
    validate_bin,
    validate_iin,
)
from samplegen.identities import make_bin, make_iin

# Independent oracle for the first pass, written out here rather than imported.
_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)


def first_pass(first11: str) -> int:
    return sum(int(c) * w for c, w in zip(first11, _W1, strict=True)) % 11


def with_check(first11: str) -> str:
    digit = check_digit(first11)
    assert digit is not None
    return first11 + str(digit)


# --- public vectors -----------------------------------------------------------------------

IIN_VECTORS = [
    # number, birth date, sex, serial
    ("871008401427", date(1987, 10, 8), Sex.FEMALE, 142),
    ("760212350620", date(1976, 2, 12), Sex.MALE, 5062),
    ("800416300257", date(1980, 4, 16), Sex.MALE, 25),
    ("680503450037", date(1968, 5, 3), Sex.FEMALE, 5003),
    ("800416100254", date(1880, 4, 16), Sex.MALE, 25),
    ("680503250034", date(1868, 5, 3), Sex.FEMALE, 5003),
    ("901123300258", date(1990, 11, 23), Sex.MALE, 25),
    ("921029350851", date(1992, 10, 29), Sex.MALE, 5085),
    ("061211600012", date(2006, 12, 11), Sex.FEMALE, 1),
    ("791028302728", date(1979, 10, 28), Sex.MALE, 272),
]


@pytest.mark.parametrize(("number", "birth", "sex", "serial"), IIN_VECTORS)
def test_public_iin_vectors_decode(number: str, birth: date, sex: Sex, serial: int) -> None:
    iin = parse_iin(number)
    assert iin == Iin(
        value=number,
        birth_date=birth,
        century=birth.year // 100 * 100,
        sex=sex,
        serial=serial,
        foreign_no_century=False,
    )
    assert str(iin) == number
    assert validate_iin(number) == []
    assert make_iin(birth, sex, serial) == number


RESIDENT = EntityType.RESIDENT_LEGAL_ENTITY
BIN_VECTORS = [
    # number, (year, month, type, attribute, serial)
    ("940140000385", (1994, 1, RESIDENT, BinAttribute.HEAD_UNIT, 38)),
    ("950341000052", (1995, 3, RESIDENT, BinAttribute.BRANCH, 5)),
    ("961141000023", (1996, 11, RESIDENT, BinAttribute.BRANCH, 2)),
    ("070941024691", (2007, 9, RESIDENT, BinAttribute.BRANCH, 2469)),
    ("990940003030", (1999, 9, RESIDENT, BinAttribute.HEAD_UNIT, 303)),
    ("990140004654", (1999, 1, RESIDENT, BinAttribute.HEAD_UNIT, 465)),
]


@pytest.mark.parametrize(("number", "fields"), BIN_VECTORS)
def test_public_bin_vectors_decode(number: str, fields: tuple[int, int, EntityType, BinAttribute, int]) -> None:
    year, month, kind, attribute, serial = fields
    assert parse_bin(number) == Bin(
        value=number,
        registration_year=year,
        registration_month=month,
        entity_type=kind,
        attribute=attribute,
        serial=serial,
    )
    assert validate_bin(number) == []
    assert make_bin(*fields) == number


@pytest.mark.parametrize(
    ("number", "parse", "problems"),
    [
        ("901123300255", parse_iin, ["check digit is 5, expected 8"]),
        ("990940003031", parse_bin, ["check digit is 1, expected 0"]),
        ("821214240092", parse_iin, ["never issued: both check sums give 10"]),
        ("949940000385", parse_bin, ["check digit is 5, expected 9", "registration month 99 is not 01-12"]),
    ],
)
def test_public_invalid_vectors(number: str, parse: object, problems: list[str]) -> None:
    assert callable(parse)
    with pytest.raises(IdError) as caught:
        parse(number)
    assert list(caught.value.problems) == problems
    assert str(caught.value) == "; ".join(problems)
    validate = validate_iin if parse is parse_iin else validate_bin
    assert validate(number) == problems


def test_id_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="12 digits expected"):
        parse_iin("1")


def test_id_error_keeps_its_problems_through_pickle() -> None:
    # Errors come back from process pools pickled.
    error = IdError("check digit is 5, expected 9", "registration month 99 is not 01-12")
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems
    assert str(copy) == "check digit is 5, expected 9; registration month 99 is not 01-12"


# --- messages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("87100840142", "12 digits expected, got 11"),
        ("8710084014271", "12 digits expected, got 13"),
        ("", "12 digits expected, got 0"),
        ("87100840142A", "12 digits expected, got 'A' at position 12"),
        (" 871008401427", "12 digits expected, got ' ' at position 1"),
        ("8710-08401427", "12 digits expected, got '-' at position 5"),
        # Fullwidth and superscript digits pass str.isdigit(); they are not accepted.
        ("８71008401427", "12 digits expected, got '８' at position 1"),
        ("87100840142²", "12 digits expected, got '²' at position 12"),
    ],
)
def test_shape_messages(text: str, message: str) -> None:
    assert validate_iin(text) == [message]
    assert validate_bin(text) == [message]


def test_check_digit_message_names_both_digits() -> None:
    assert validate_iin("871008401423") == ["check digit is 3, expected 7"]


def test_impossible_birth_date() -> None:
    number = with_check("87130840142")
    assert validate_iin(number) == ["birth date 1987-13-08 is not a date"]
    # 29 February exists in 2000 but not in 1900.
    assert validate_iin(with_check("00022950001")) == []
    assert validate_iin(with_check("00022930001")) == ["birth date 1900-02-29 is not a date"]


@pytest.mark.parametrize("digit", ["7", "8", "9"])
def test_century_digit_out_of_range(digit: str) -> None:
    assert validate_iin(with_check(f"871008{digit}0142")) == [f"century/sex digit {digit} is not 1-6"]


def test_several_problems_are_all_reported() -> None:
    problems = validate_iin("871308801420")
    assert problems[0].startswith("check digit is 0, expected ")
    assert problems[1:] == ["century/sex digit 8 is not 1-6"]


def test_future_birth_date_is_a_problem_only_with_at() -> None:
    number = make_iin(date(2030, 1, 2), Sex.MALE, 1)
    assert validate_iin(number) == []
    assert validate_iin(number, at=date(2030, 1, 2)) == []
    assert validate_iin(number, at=date(2030, 1, 1)) == ["birth date 2030-01-02 is after 2030-01-01"]


def test_foreign_digit_zero_is_accepted_with_a_warning() -> None:
    number = with_check("87100800142")
    iin = parse_iin(number)
    assert iin.foreign_no_century is True
    assert (iin.birth_date, iin.century, iin.sex, iin.serial) == (None, None, None, 142)
    assert iin.warnings == ("century/sex digit 0: foreign national, birth century and sex are not encoded",)
    assert validate_iin(number) == []
    assert make_iin(date(1987, 10, 8), None, 142, foreign_no_century=True) == number


def test_foreign_digit_zero_still_checks_month_and_day() -> None:
    assert validate_iin(with_check("87130800142")) == ["birth date 871308 (YYMMDD) is not a date"]
    # 29 February "00" exists in 2000, so it is accepted without a century.
    assert validate_iin(with_check("00022900142")) == []
    assert validate_iin(with_check("01022900142")) == ["birth date 010229 (YYMMDD) is not a date"]


@pytest.mark.parametrize(
    ("first11", "problem"),
    [
        ("94017000038", "type digit 7 is not 4, 5 or 6"),
        ("94013000038", "type digit 3 is not 4, 5 or 6"),
        ("94014400038", "attribute digit 4 is not 0, 1, 2 or 3"),
        ("94004000038", "registration month 00 is not 01-12"),
        ("94134000038", "registration month 13 is not 01-12"),
    ],
)
def test_bin_structure_messages(first11: str, problem: str) -> None:
    assert validate_bin(with_check(first11)) == [problem]


@pytest.mark.parametrize(
    ("digits", "kind", "attribute"),
    [
        ("50", EntityType.NON_RESIDENT_LEGAL_ENTITY, BinAttribute.HEAD_UNIT),
        ("42", EntityType.RESIDENT_LEGAL_ENTITY, BinAttribute.REPRESENTATIVE_OFFICE),
        ("63", EntityType.JOINT_ENTREPRENEURSHIP, BinAttribute.PEASANT_FARM),
    ],
)
def test_bin_types_and_attributes(digits: str, kind: EntityType, attribute: BinAttribute) -> None:
    parsed = parse_bin(with_check(f"0512{digits}12345"))
    assert (parsed.registration_year, parsed.registration_month) == (2005, 12)
    assert (parsed.entity_type, parsed.attribute, parsed.serial) == (kind, attribute, 12345)


def test_bin_year_pivot() -> None:
    assert parse_bin(with_check("89014000001")).registration_year == 2089
    assert parse_bin(with_check("90014000001")).registration_year == 1990


# --- check digit --------------------------------------------------------------------------


def test_check_digit_second_pass_and_never_issued() -> None:
    # 061211600012 (kz-iin-validator README): the first pass gives 10, the second 2.
    assert first_pass("06121160001") == 10
    assert check_digit("06121160001") == 2
    assert check_digit("82121424009") is None
    assert check_digit("87100840142") == 7


@pytest.mark.parametrize("bad", ["8710084014", "871008401427", "8710084014a", "８7100840142"])
def test_check_digit_rejects_other_than_11_digits(bad: str) -> None:
    with pytest.raises(IdError, match="11 digits expected"):
        check_digit(bad)


# --- NCA test identities ------------------------------------------------------------------


@pytest.mark.parametrize("number", sorted(NCA_TEST_IDENTITIES))
def test_nca_test_identities_fail_the_check_digit_but_are_recognised(number: str) -> None:
    assert is_nca_test_identity(number)
    for validate in (validate_iin, validate_bin):
        assert any(p.startswith("check digit is ") for p in validate(number))
    with pytest.raises(IdError):
        parse_iin(number)


@pytest.mark.parametrize("number", ["871008401427", "123456789013", " 123456789011", "12345678901"])
def test_other_numbers_are_not_nca_test_identities(number: str) -> None:
    assert not is_nca_test_identity(number)


# --- generators ---------------------------------------------------------------------------


def test_make_iin_raises_on_never_issued_prefix() -> None:
    # 821214240092 (kz-iin-validator tests): 1882-12-14, female, serial 4009.
    with pytest.raises(IdError, match="never issued"):
        make_iin(date(1882, 12, 14), Sex.FEMALE, 4009)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"birth": date(1987, 1, 1), "sex": Sex.MALE, "serial": 10000}, "serial 10000 is not 0-9999"),
        ({"birth": date(1987, 1, 1), "sex": Sex.MALE, "serial": -1}, "serial -1 is not 0-9999"),
        ({"birth": date(2100, 1, 1), "sex": Sex.MALE, "serial": 1}, "birth year 2100 is not 1800-2099"),
        ({"birth": date(1799, 1, 1), "sex": Sex.MALE, "serial": 1}, "birth year 1799 is not 1800-2099"),
        ({"birth": date(1987, 1, 1), "sex": None, "serial": 1}, "sex is required"),
        (
            {"birth": date(1987, 1, 1), "sex": Sex.MALE, "serial": 1, "foreign_no_century": True},
            "sex must be None",
        ),
    ],
)
def test_make_iin_rejects_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(IdError, match=message):
        make_iin(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1989, 1, 4, 0, 1), "registration year 1989 is not 1990-2089"),
        ((2090, 1, 4, 0, 1), "registration year 2090 is not 1990-2089"),
        ((2005, 13, 4, 0, 1), "registration month 13 is not 01-12"),
        ((2005, 1, 7, 0, 1), "type digit 7 is not 4, 5 or 6"),
        ((2005, 1, 4, 4, 1), "attribute digit 4 is not 0, 1, 2 or 3"),
        ((2005, 1, 4, 0, 100000), "serial 100000 is not 0-99999"),
    ],
)
def test_make_bin_rejects_bad_arguments(args: tuple[int, int, int, int, int], message: str) -> None:
    with pytest.raises(IdError, match=message):
        make_bin(*args)  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------

births = st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31))


@given(birth=births, sex=st.sampled_from(Sex), serial=st.integers(0, 9999))
def test_generated_iin_validates_and_decodes_back(birth: date, sex: Sex, serial: int) -> None:
    prefix = f"{birth:%y%m%d}"
    try:
        number = make_iin(birth, sex, serial)
    except IdError:
        # Only a never-issued prefix may refuse; check that it really is one.
        code = 1 + 2 * ((birth.year - 1800) // 100) + (sex is Sex.FEMALE)
        assert check_digit(f"{prefix}{code}{serial:04d}") is None
        assume(False)
        raise
    parsed = parse_iin(number)
    assert (parsed.birth_date, parsed.sex, parsed.serial) == (birth, sex, serial)
    assert parsed.century == birth.year // 100 * 100
    assert not parsed.foreign_no_century
    assert validate_iin(number, at=birth) == []


@given(
    year=st.integers(1990, 2089),
    month=st.integers(1, 12),
    kind=st.sampled_from(EntityType),
    attribute=st.sampled_from(BinAttribute),
    serial=st.integers(0, 99999),
)
def test_generated_bin_validates_and_decodes_back(
    year: int, month: int, kind: EntityType, attribute: BinAttribute, serial: int
) -> None:
    try:
        number = make_bin(year, month, kind, attribute, serial)
    except IdError:
        assert check_digit(f"{year % 100:02d}{month:02d}{kind.value}{attribute.value}{serial:05d}") is None
        assume(False)
        raise
    parsed = parse_bin(number)
    assert (parsed.registration_year, parsed.registration_month) == (year, month)
    assert (parsed.entity_type, parsed.attribute, parsed.serial) == (kind, attribute, serial)
    assert validate_bin(number) == []


valid_numbers = (
    st.text(alphabet="0123456789", min_size=11, max_size=11)
    .filter(lambda p: check_digit(p) is not None)
    .map(with_check)
)


def mutate(number: str, position: int, digit: str) -> str:
    assume(number[position] != digit)
    return number[:position] + digit + number[position + 1 :]


def checksum_ok(number: str) -> bool:
    return check_digit(number[:11]) == int(number[11])


@given(number=valid_numbers, digit=st.sampled_from("0123456789"))
def test_a_changed_check_digit_is_always_rejected(number: str, digit: str) -> None:
    changed = mutate(number, 11, digit)
    assert not checksum_ok(changed)
    assert any(p.startswith("check digit is ") for p in validate_iin(changed))


@given(number=valid_numbers, position=st.integers(0, 9), digit=st.sampled_from("0123456789"))
def test_a_change_in_digits_1_to_10_is_rejected_unless_it_switches_weight_rows(
    number: str, position: int, digit: str
) -> None:
    # The claim "every single-digit change is detected" does not hold: see the two tests
    # below. What holds for digits 1-10 is: when the original and the changed number
    # are decided by the same weight row, the change is detected.
    changed = mutate(number, position, digit)
    same_row = (first_pass(number[:11]) == 10) == (first_pass(changed[:11]) == 10)
    if same_row:
        assert not checksum_ok(changed)


@given(number=valid_numbers, digit=st.sampled_from("0123456789"))
def test_a_change_in_digit_11_is_detected_exactly_when_the_second_row_decides(number: str, digit: str) -> None:
    # The 11th digit weighs 11 = 0 (mod 11) in the first row, so the first row cannot see it.
    changed = mutate(number, 10, digit)
    assert checksum_ok(changed) == (first_pass(number[:11]) != 10)


def test_the_documented_weaknesses_on_concrete_numbers() -> None:
    # Digit 11: two valid IINs for one woman born 1987-10-08, serials 0142 and 0143.
    assert parse_iin("871008401427").serial == 142
    assert parse_iin("871008401437").serial == 143
    # Digits 1-10 across weight rows: changing digit 9 of 921029350851 (first row
    # decides) gives a number the second row decides, with the same check digit.
    assert first_pass("92102935085") == 1
    assert first_pass("92102935185") == 10
    assert parse_iin("921029351851").serial == 5185
    # The same through the century digit: 1987 becomes 2087.
    assert parse_iin("871008601427").birth_date == date(2087, 10, 8)


@given(st.text())
@example("８７１００８４０１４２７")
@example("")
def test_parsers_raise_only_id_error_on_any_text(text: str) -> None:
    for parse, validate in ((parse_iin, validate_iin), (parse_bin, validate_bin)):
        problems = validate(text)
        try:
            parse(text)
        except IdError as error:
            assert list(error.problems) == problems
            assert problems
        else:
            assert problems == []


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_12_digits_parse_consistently(text: str) -> None:
    # Most random 12-digit strings fail somewhere; whatever passes must rebuild exactly.
    try:
        iin = parse_iin(text)
    except IdError as error:
        assert error.problems
    else:
        if iin.foreign_no_century:
            assert iin.birth_date is None
        else:
            assert iin.birth_date is not None
            assert make_iin(iin.birth_date, iin.sex, iin.serial) == text
    try:
        bin_ = parse_bin(text)
    except IdError as error:
        assert error.problems
    else:
        built = make_bin(bin_.registration_year, bin_.registration_month, bin_.entity_type, bin_.attribute, bin_.serial)
        assert built == text
