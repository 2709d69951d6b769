"""Handwritten fill-ins of printed blanks (`intake.fillins`): a date and a number written by pen into a form.

Real: letters and orders whose date and outgoing number exist only as handwriting in the letterhead's
blanks (real docs 06, 07) or in «__» ____ 2025 г. (real doc 22). The pages here are synthetic
(`tests.pagegen.fillin_page`): blue pen digits, slanted, on the printed rules; they are read end to end
with the real Tesseract through `ocr.read_page`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest

from intake import details, fillins, ocr
from intake.judgements import on_details
from intake.models import (
    Dossier,
    FileFacts,
    FileRole,
    Finding,
    Identification,
    Kind,
    Outcome,
    PageText,
    Word,
)
from tests.pagegen import fillin_page

AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@cache
def _read(name: str, folder: str) -> PageText:
    path = Path(folder) / f"{name}.png"
    fillin_page(name).image.save(path, dpi=(300, 300))
    return ocr.read_page(ocr.PageJob(path=str(path), index=0, kind="image", number=1), ocr.TesseractEngine())


Reader = Callable[[str], PageText]


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    folder = str(tmp_path_factory.mktemp("fillins"))
    if ocr.TesseractEngine().unavailable():
        pytest.skip("Tesseract is not installed")
    return lambda name: _read(name, folder)


def found(page: PageText) -> dict[str, tuple[str, str, float]]:
    return {d.kind: (d.value, d.source, d.confidence) for d in details.extract([page], document_type=None)}


def det(page: PageText) -> dict[str, list[Finding]]:
    doc = FileFacts(
        name="01_constituent-documents_1p.png",
        path=Path("01_constituent-documents_1p.png"),
        size=1,
        sha256="0" * 64,
        extension=".png",
        role=FileRole.DOCUMENT,
        identification=Identification(document_type="constituent-documents"),
        text=(page,),
    )
    dossier = Dossier(source="test", at=AT, kind=Kind.ORGANIZATION, application=None, files=(doc,))
    out: dict[str, list[Finding]] = {}
    for f in on_details.details_present(dossier):
        out.setdefault(f.code, []).append(f)
    return out


# --------------------------------------------------------------------------- pages read end to end


def test_letterhead_date_and_number_written_by_pen_are_read(read: Reader) -> None:
    """Real 06/07: «05.02.2021г № 03-2-14/88» in blue pen on the letterhead's rules, nothing typed."""
    page = read("letterhead")
    got = found(page)
    assert got["date"][:2] == ("2021-02-05", "handwriting")
    assert got["number"][:2] == ("214/88", "handwriting")
    assert got["date"][2] >= details.LOW_CONFIDENCE  # a clear entry is read with confidence
    date_fill = next(f for f in page.fillins if f.kind == "date")
    target = fillin_page("letterhead").target
    assert target is not None and date_fill.ink is not None
    # the detail's box is the pen's ink on the page
    assert abs(date_fill.ink[0] - target[0]) < 30 and abs(date_fill.ink[2] - target[2]) < 30


def test_day_and_month_in_the_blanks_of_a_printed_year_are_read_whole(read: Reader) -> None:
    """Real 22: «г. Павлодар «21» 05 2025 г.», the day and month by pen. The blank first found ends 14 text
    heights before the year and cuts the «2» of «21»: the blank grows until the ink lies clear of its edges
    (read cut, it gave 2025-05-01)."""
    assert found(read("day_month"))["date"][:2] == ("2025-05-21", "handwriting")


def test_a_printed_date_wins_over_a_fill_in(read: Reader) -> None:
    page = read("printed_date")
    assert any(f.kind == "date" and f.value == "2021-02-05" for f in page.fillins)  # the pen was read...
    assert found(page)["date"][:2] == ("2024-03-10", "ocr")  # ...and the typed «10 марта 2024 года» is taken


def test_an_unreadable_fill_in_stays_indeterminate_with_its_box(read: Reader) -> None:
    page = read("scribbled")
    assert {f.kind for f in page.fillins} == {"date", "number"}
    assert all(f.value is None and f.reason for f in page.fillins)
    assert "date" not in found(page) and "number" not in found(page)
    (f,) = det(page)["DET004"]
    assert f.outcome is Outcome.INDETERMINATE
    assert "handwritten" in f.message
    assert isinstance(f.evidence, dict)
    box = f.evidence["fill_in"]["box"]  # type: ignore[index]
    target = fillin_page("scribbled").target
    assert target is not None
    assert box[0] < target[2] and target[0] < box[2] and box[1] < target[3] and target[1] < box[3]


def test_no_fill_in_is_read_without_tesseract(tmp_path: Path) -> None:
    path = tmp_path / "letterhead.png"
    fillin_page("letterhead").image.save(path, dpi=(300, 300))

    class Fake(ocr.NullEngine):
        def unavailable(self) -> str | None:
            return None

    page = ocr.read_page(ocr.PageJob(path=str(path), index=0, kind="image", number=1), Fake())
    assert page.fillins == ()


# --------------------------------------------------------------------------- parsing: refuse implausible readings


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("05.02.2021", None, date(2021, 2, 5)),
        ("05.02.2021г", None, date(2021, 2, 5)),
        ("07.12.20", None, date(2020, 12, 7)),
        ("21 05", 2025, date(2025, 5, 21)),
        ("2105", 2025, date(2025, 5, 21)),  # the two blanks read as one word
        ("21 мая", 2025, date(2025, 5, 21)),
        ("09 января 2018 года", None, date(2018, 1, 9)),
    ],
)
def test_plausible_dates_are_taken(text: str, year: int | None, expected: date) -> None:
    assert fillins.parse_date(text, year=year) == (expected, None)


@pytest.mark.parametrize(
    ("text", "year", "reason"),
    [
        ("31.02.2021", None, "not a date"),  # no such day
        ("05.02.1921", None, "the year 1921 is not plausible"),
        ("21.05.2024", 2025, "the year 2024 disagrees with the printed 2025"),
        ("1 05 7", 2025, "not a date"),
        ("5.02.", None, "not a date"),
        ("", None, "not a date"),
    ],
)
def test_implausible_dates_are_refused(text: str, year: int | None, reason: str) -> None:
    assert fillins.parse_date(text, year=year) == (None, reason)


def test_a_reading_shorter_than_its_ink_is_refused() -> None:
    """Ink as wide as ten characters read as four: part of it was missed (real 07 read «5.02.»)."""
    assert fillins.parse_date("5.02", year=2021, expected_chars=10.0)[1] == "the reading does not fill the ink"
    assert fillins.parse_number("09", expected_chars=4.7) == (None, "the reading does not fill the ink")
    assert fillins.parse_number("0509", expected_chars=4.7) == ("0509", None)


@pytest.mark.parametrize("text", ["", "..", "-", "12a", "/5"])
def test_what_is_not_a_number_is_refused(text: str) -> None:
    assert fillins.parse_number(text)[0] is None


# --------------------------------------------------------------------------- blanks located from the print


def _w(text: str, x: int, conf: float = 95.0, line: int = 1, y: int = 400) -> Word:
    return Word(text=text, box=(x, y, x + 20 * max(1, len(text)), y + 30), conf=conf, line=line)


def test_number_sign_gives_a_number_blank_after_it_and_a_date_blank_before_it() -> None:
    got = fillins.blanks([_w("№", 700)], 2000, 2800, 30.0)
    assert [(b.kind, b.box[0] >= 720, b.box[2] <= 700) for b in got] == [("number", True, False), ("date", False, True)]


def test_ocr_misreadings_of_the_number_sign_are_labels() -> None:
    """Real 07 read «№» as «Ne», real 06 as «Neo»."""
    for sign in ("Ne", "Neo", "No"):
        assert [b.kind for b in fillins.blanks([_w(sign, 700)], 2000, 2800, 30.0)] == ["number", "date"]


def test_a_printed_day_and_month_leave_no_blank() -> None:
    words = [_w("«21»", 100), _w("мая", 200), _w("2025", 300), _w("г.", 400)]
    assert fillins.blanks(words, 2000, 2800, 30.0) == []


def test_a_printed_year_with_blanks_before_it_is_a_date_blank() -> None:
    words = [_w("г.", 100), _w("Павлодар", 140), _w("«", 900, 60), _w("»", 1000, 60), _w("2025", 1400), _w("г.", 1500)]
    (b,) = fillins.blanks(words, 2000, 2800, 30.0)
    assert (b.kind, b.year) == ("date", 2025)
    assert b.box[0] > 140 + 20 * 8 and b.box[2] <= 1400


def test_blanks_in_the_lower_half_are_not_looked_for() -> None:
    assert fillins.blanks([_w("№", 700, y=2000)], 2000, 2800, 30.0) == []


def test_a_kazakh_year_gives_a_date_blank_after_its_word() -> None:
    """«2018 жылғы «__» ________»: in Kazakh the year comes first and the day and month follow."""
    words = [_w("2018", 100), _w("жылғы", 200), _w("«", 360, 60), _w("»", 500, 60), _w("Рудный", 1300)]
    (b,) = fillins.blanks(words, 2000, 2800, 30.0)
    assert (b.kind, b.year) == ("date", 2018)
    assert b.box[0] >= 200 + 20 * 5 and b.box[2] <= 1300
    assert fillins.parse_date("09 қаңтар", year=2018) == (date(2018, 1, 9), None)


def test_a_printed_kazakh_date_leaves_no_blank() -> None:
    words = [_w("2018", 100), _w("жылғы", 200), _w("9", 360), _w("қаңтар", 420)]
    assert fillins.blanks(words, 2000, 2800, 30.0) == []
