"""Handwritten fill-ins of printed fields: the date and number written by pen into a form's blanks.

A letter on a state body's blank, an order or a memorandum often carries its date and outgoing number
only as handwriting: «05.02.2021г № 03-2-14/88» on the letterhead's rules, «21» 05 2025 г. in the
blanks of «__» ____ 20__ г. (real docs 06, 07, 22, 36, 37). OCR of the page drops the pen (colour
dropout) or reads it as junk, so nobody reads them. Here, as OCRmyPDF and Tesseract's own advice go
for a single field (crop it, clean it, one line, a character whitelist):

1. `blanks` locates the printed blanks from the page's printed words: the «№» label (also as OCR misreads
   it) and the rule after it, the blank before «№» on a letterhead (the date), captions «(күні)» /
   «(индексі)» under a rule, «__» ____ 20__ г. and «20__ жылғы «__» ____» whose year is printed.
2. `ink_layer` takes the pen's ink in a blank: the coloured (blue, violet) and pale ink the page analysis
   separated from the print (`imaging.Scan.colour_mask`, `pale_mask`), the printed rules left out; the
   blank grows until the ink lies clear of its edges (a cut entry is never read as the whole).
3. The ink's slant is taken out (`upright`), it is scaled to 64 px high, padded and read as one word
   (`--psm 8`) and as one line (`--psm 7`) with a digits and date character set, a date also as a
   Russian/Kazakh line for a month name.
4. `parse_date` / `parse_number` accept only a plausible reading: a valid calendar date between 1991 and
   2100 that agrees with the printed year, a number whose length fits the inked width; and two readings
   must give the same value. A wrong handwritten date is worse than none: anything else is kept with
   its reason and no value.

On the real set Tesseract's models read print-like pen digits (06: «№ 0509») but not cursive ones (07,
22): those blanks stay unread, and the DET finding keeps `indeterminate` with the blank's box.

Facts only: a `FillIn` per inked blank, with its box, what was read, the value or the reason there is none,
and the confidence of the readings. Whether a printed date wins, and what a low confidence means, is decided in
`intake.details` and the judgements.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from PIL import Image

from intake.details import find_dates
from intake.models import Box, FillIn, Word

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from intake import imaging

Reader = Callable[[Image.Image, Sequence[str]], Sequence[Word]]
"""OCR of one prepared line image with extra Tesseract arguments: its words (`intake.ocr.read_field`)."""

HEAD_SHARE = 0.5
"""Blanks are looked for in the upper half of the page, where a letter's or an order's date and number live."""
PRINTED_CONF = 80.0
"""A word read at this confidence or more with three letters is print: a blank ends at it."""
BLANK_WIDTH = 14.0
"""How far a blank runs from its label, in text heights, when no printed word stops it first."""
MIN_INK_HEIGHT = 0.5
"""A blank holds an entry when its pen ink is at least this many text heights high."""
TARGET_HEIGHT = 64
"""The height in pixels the entry's ink is scaled to before OCR (Tesseract reads best at 30-60 px letters)."""
FIRST_YEAR, LAST_YEAR = 1991, 2100
"""The plausible years of a document's date (the Republic's documents, the Rules' horizon)."""
DIGITS = "0123456789./-"
"""The characters of a handwritten date or number read with the digits set."""
CHAR_ASPECT = 0.75
"""A handwritten digit's width over its height, about: the ink's width says how many characters it holds."""
SHEARS = (0.0, 0.15, 0.3, 0.45, 0.6, 0.75)
"""The shears tried to set handwriting upright (x += shear * y)."""
LENGTH_FIT = (0.75, 1.8)
"""An entry's read length over the length its ink's width suggests: outside, part was missed or invented."""

_NUMBER_SIGN = re.compile(r"^(?:№|N[eoо°º2]{0,2}|Мо)$")
"""«№» as print and as OCR misreads it on a letterhead («Ne», «No», «Neo»: real docs 06, 07)."""
_CAPTION = re.compile(
    r"^\((?:(?P<date>күні|дата|date)|(?P<number>индексі|индекс|нөмірі|номер|index|number))\)$", re.IGNORECASE
)
"""A caption in parentheses under a blank's rule that says what is written on it (real doc 06)."""
_YEAR_WORD = re.compile(r"^(?:г|г\.|года|жыл|жылғы|ж\.?)$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_KAZAKH_YEAR = re.compile(r"^(?:жыл|жылғы|ж\.?)$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d[\d/-]*\d$|^\d$")
_SHORT_DATE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{2})(?![\d])")


@dataclass(frozen=True, slots=True)
class Blank:
    """A printed blank of a date or number field: its box and, for «__» ____ 20__ г., the printed year."""

    kind: Literal["date", "number"]
    box: Box
    year: int | None = None


def _printed(w: Word) -> bool:
    letters = sum(ch.isalpha() for ch in w.text)
    return w.conf >= PRINTED_CONF and (letters >= 3 or bool(re.search(r"\d{3}", w.text)))


def _lines(words: Sequence[Word], limit: float) -> dict[int, list[Word]]:
    lines: dict[int, list[Word]] = {}
    for w in words:
        if w.box[3] <= limit:
            lines.setdefault(w.line, []).append(w)
    return {k: sorted(v, key=lambda w: w.box[0]) for k, v in lines.items()}


def blanks(words: Sequence[Word], width: int, height: int, th: float) -> list[Blank]:
    """The date and number blanks of the page's upper half, found from its printed words.

    Args:
        words: The page's OCR words (page pixels).
        width: The page's width in pixels.
        height: The page's height in pixels.
        th: The body text height in pixels.

    Returns:
        The blanks, each at most once, in reading order.
    """
    out: list[Blank] = []
    for line in _lines(words, height * HEAD_SHARE).values():
        for i, w in enumerate(line):
            text = w.text.strip()
            y0, y1 = int(w.box[1] - 1.2 * th), int(w.box[3] + 0.6 * th)
            if _NUMBER_SIGN.match(text):
                # a printed number after the sign leaves no pen ink in the blank: `read` passes it by
                x0 = w.box[2] + int(0.2 * th)
                stop = next((v.box[0] for v in line[i + 1 :] if _printed(v)), width)
                out.append(Blank("number", (x0, max(0, y0), min(stop, x0 + int(BLANK_WIDTH * th)), y1)))
                before = [v for v in line[:i] if _printed(v)]
                start = before[-1].box[2] + int(0.5 * th) if before else max(0, w.box[0] - int(BLANK_WIDTH * th))
                if w.box[0] - start >= 3 * th:
                    out.append(Blank("date", (start, max(0, y0), w.box[0] - int(0.2 * th), y1)))
            elif _YEAR.match(text.rstrip("г.")) and (
                text.endswith("г.") or (i + 1 < len(line) and _YEAR_WORD.match(line[i + 1].text.strip()))
            ):
                year = int(text[:4])
                label = line[i + 1] if i + 1 < len(line) else None
                if label is not None and _KAZAKH_YEAR.match(label.text.strip()):
                    # «2018 жылғы «__» ________»: the Kazakh order, the day and month after the year's word
                    if find_dates(" ".join(v.text for v in line[i:])):
                        continue  # printed
                    x0 = label.box[2] + int(0.2 * th)
                    stop = next((v.box[0] for v in line[i + 2 :] if _printed(v)), width)
                    if min(stop, x0 + int(BLANK_WIDTH * th)) - x0 >= 3 * th:
                        out.append(Blank("date", (x0, max(0, y0), min(stop, x0 + int(BLANK_WIDTH * th)), y1), year))
                    continue
                left = " ".join(v.text for v in line[: i + 1])
                if find_dates(left):
                    continue  # the day and month are printed: a typed date, not a blank
                before = [v for v in line[:i] if _printed(v)]
                start = before[-1].box[2] + int(0.5 * th) if before else max(0, w.box[0] - int(BLANK_WIDTH * th))
                start = max(start, w.box[0] - int(BLANK_WIDTH * th))
                if w.box[0] - start >= 3 * th:
                    out.append(Blank("date", (start, max(0, y0), w.box[0] - int(0.1 * th), y1), year))
    for line in _lines(words, height * HEAD_SHARE).values():
        for w in line:
            # a caption under a letterhead's rule: «(күні)» under the date's blank, «(индексі)» under the number's
            caption = _CAPTION.match(w.text.strip())
            if caption is None or w.conf < PRINTED_CONF:
                continue
            kind: Literal["date", "number"] = "date" if caption.group("date") else "number"
            cx = (w.box[0] + w.box[2]) // 2
            half = max(w.box[2] - w.box[0], int(4 * th))
            box = (max(0, cx - half), max(0, int(w.box[1] - 3.2 * th)), min(width, cx + half), w.box[1])
            if not any(b.kind == kind and _overlap(b.box, box) > 0.3 * _area(box) for b in out):
                out.append(Blank(kind, box))
    return out


def _area(b: Box) -> int:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def _overlap(a: Box, b: Box) -> int:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def ink_layer(scan: imaging.Scan, box: Box) -> NDArray[np.bool_]:
    """The pen's ink in `box`: coloured or pale ink the page analysis separated from the print (full size)."""
    import numpy as np

    from intake.opencv import cv2

    x0, y0, x1, y1 = box
    h, w = scan.grey.shape
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return np.zeros((0, 0), dtype=bool)
    masks = [scan.colour_mask] + ([scan.pale_mask] if scan.pale_mask is not None else [])
    out = np.zeros((y1 - y0, x1 - x0), dtype=bool)
    for mask in masks:
        half = mask[y0 // 2 : -(-y1 // 2), x0 // 2 : -(-x1 // 2)]
        if half.size == 0:
            continue
        full = cv2.resize(half, (half.shape[1] * 2, half.shape[0] * 2), interpolation=cv2.INTER_NEAREST)
        dy, dx = y0 - (y0 // 2) * 2, x0 - (x0 // 2) * 2
        part = full[dy : dy + (y1 - y0), dx : dx + (x1 - x0)] > 0
        out[: part.shape[0], : part.shape[1]] |= part
    return out


def _extent(ink: NDArray[np.bool_], th: float) -> tuple[int, int, int, int] | None:
    """The box of the ink's substantial strokes (specks under a tenth of a text height left out)."""
    import numpy as np

    from intake.opencv import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    keep = [i for i in range(1, n) if max(stats[i, 2], stats[i, 3]) >= 0.15 * th]
    if not keep:
        return None
    xs0 = min(int(stats[i, 0]) for i in keep)
    ys0 = min(int(stats[i, 1]) for i in keep)
    xs1 = max(int(stats[i, 0] + stats[i, 2]) for i in keep)
    ys1 = max(int(stats[i, 1] + stats[i, 3]) for i in keep)
    return xs0, ys0, xs1, ys1


def upright(ink: NDArray[np.bool_]) -> NDArray[np.uint8]:
    """The ink with its slant taken out (255 on strokes): the shear whose columns are most sharply bunched,
    as handwriting recognisers normalise slant before reading; a forward slant of up to ~35° is undone."""
    import numpy as np

    from intake.opencv import cv2

    src = ink.astype(np.uint8) * 255
    h, w = src.shape
    best: tuple[float, NDArray[np.uint8]] | None = None
    for shear in SHEARS:
        m = np.array([[1.0, shear, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
        out = np.asarray(cv2.warpAffine(src, m, (w + int(abs(shear) * h) + 2, h)), np.uint8)
        columns = (out > 0).sum(axis=0).astype(np.float64)
        score = float((columns**2).sum())
        if best is None or score > best[0]:
            best = (score, out)
    assert best is not None
    return best[1]


def prepared(ink: NDArray[np.bool_]) -> Image.Image:
    """The ink upright, as black strokes on white, scaled to `TARGET_HEIGHT` and padded."""
    import numpy as np

    from intake.opencv import cv2

    strokes = upright(ink)
    ys, xs = np.nonzero(strokes)
    if ys.size:
        strokes = strokes[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = strokes.shape
    f = TARGET_HEIGHT / max(1, h)
    big = cv2.resize(strokes, (max(1, round(w * f)), TARGET_HEIGHT), interpolation=cv2.INTER_AREA)
    pad = TARGET_HEIGHT // 2
    canvas = np.full((TARGET_HEIGHT + 2 * pad, big.shape[1] + 2 * pad), 255, np.uint8)
    canvas[pad : pad + TARGET_HEIGHT, pad : pad + big.shape[1]] = 255 - big
    return Image.fromarray(canvas)


def parse_date(text: str, *, year: int | None, expected_chars: float | None = None) -> tuple[date | None, str | None]:
    """A handwritten date as read, or None with the reason it is refused.

    Accepts dd.mm.yyyy, dd.mm.yy (20yy), «dd» month yyyy and, under a printed `year`, a day and a month
    alone; the year must lie in 1991-2100 and agree with a printed year.

    >>> parse_date("05.02.2021", year=None)
    (datetime.date(2021, 2, 5), None)
    >>> parse_date("21 05", year=2025)
    (datetime.date(2025, 5, 21), None)
    >>> parse_date("31.02.2021", year=None)[1]
    'not a date'
    """
    raw = text.strip()
    if expected_chars is not None and not _fits(len(re.sub(r"\s", "", raw)), expected_chars):
        return None, "the reading does not fill the ink"
    clean = re.sub(r"[гГr]\.?$", "", raw).strip()
    clean = _SHORT_DATE.sub(lambda m: f"{m[1]}.{m[2]}.20{m[3]}", clean)
    if year is not None:
        parts = re.findall(r"\d+", clean)
        if len(parts) == 1 and len(parts[0]) == 4 and not parts[0].startswith(("19", "20")):
            parts = [parts[0][:2], parts[0][2:]]  # «21» and «05» in two blanks read as one word: «2105»
        if len(parts) == 2 and re.fullmatch(r"[\d\s.,/«»\"-]*", clean):
            clean = f"{parts[0]}.{parts[1]}.{year}"
        elif not re.search(r"(?:19|20)\d\d", clean):
            clean = f"{clean} {year}"
    found = find_dates(clean)
    if len(found) != 1:
        return None, "not a date"
    value = found[0].value
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return None, f"the year {value.year} is not plausible"
    if year is not None and value.year != year:
        return None, f"the year {value.year} disagrees with the printed {year}"
    return value, None


def parse_number(text: str, *, expected_chars: float | None = None) -> tuple[str | None, str | None]:
    """A handwritten number as read (digits, «/» and «-»), or None with the reason it is refused.

    >>> parse_number("03-2-14/88")
    ('03-2-14/88', None)
    >>> parse_number("..")
    (None, 'not a number')
    """
    value = re.sub(r"\s", "", text).strip(".")
    if not _NUMBER.match(value):
        return None, "not a number"
    if expected_chars is not None and not _fits(len(value), expected_chars):
        return None, "the reading does not fill the ink"
    return value, None


def _fits(read: int, expected: float) -> bool:
    lo, hi = LENGTH_FIT
    return expected <= 0 or lo <= read / expected <= hi


def read(scan: imaging.Scan, words: Sequence[Word], th: float, reader: Reader) -> tuple[FillIn, ...]:
    """The fill-ins of the page's date and number blanks: one `FillIn` per blank that holds pen ink.

    Args:
        scan: The analysed page image (`imaging.analyse`), in the words' coordinates.
        words: The page's OCR words.
        th: The body text height in pixels.
        reader: OCR of one prepared line image (`intake.ocr.read_field`).
    """
    height, width = scan.grey.shape
    out: list[FillIn] = []
    for found in blanks(words, width, height, th):
        whole = _whole(scan, found, th)
        if whole is None:
            continue  # an empty blank: nothing written
        blank, ink, (ex0, ey0, ex1, ey1), cut = whole
        crop = ink[ey0:ey1, ex0:ex1]
        x0, y0 = blank.box[0], blank.box[1]
        ink_box = (x0 + ex0, y0 + ey0, x0 + ex1, y0 + ey1)
        if cut:
            # part of the entry may lie outside what is read: a part is never taken for the whole
            out.append(FillIn(kind=blank.kind, box=blank.box, ink=ink_box, reason="the entry runs past its blank"))
            continue
        # the columns that hold ink, gaps between blanks left out, say how many characters are written
        expected = int(crop.any(axis=0).sum()) / max(1.0, (ey1 - ey0) * CHAR_ASPECT)
        image = prepared(crop)
        attempts: list[tuple[str, float, str | None, str | None]] = []
        for args in _passes(blank):
            got = [w for w in reader(image, args) if w.text.strip()]
            text = " ".join(w.text for w in got)
            conf = min((w.conf for w in got), default=0.0)
            if blank.kind == "date":
                value, why = parse_date(text, year=blank.year, expected_chars=expected)
                taken = value.isoformat() if value else None
            else:
                taken, why = parse_number(text, expected_chars=expected)
            attempts.append((text, conf, taken, why))
            if sum(1 for a in attempts if a[2] is not None) >= AGREEING:
                break  # enough readings to decide (a month-name reading costs a model load: ~1 s)
        values = {a[2] for a in attempts if a[2] is not None}
        if len(values) > 1:
            # two readings of the same ink that disagree: neither is taken
            text = " | ".join(a[0] for a in attempts)
            conf, taken, why = 0.0, None, "the readings disagree"
        elif sum(1 for a in attempts if a[2] is not None) < AGREEING:
            # one reading alone is a guess (real 07: «088» for «03-2-14/88» as one word, nothing as a line)
            text, conf, taken = " | ".join(a[0] for a in attempts), 0.0, None
            why = next((a[3] for a in attempts if a[2] is None), "read once only")
        elif values:
            agreeing = [a for a in attempts if a[2] is not None]
            text, taken, why = agreeing[0][0], agreeing[0][2], None
            conf = max(a[1] for a in agreeing)  # the surest of the readings that give this value
        else:
            text, conf, taken, why = attempts[0]
        out.append(
            FillIn(
                kind=blank.kind,
                box=blank.box,
                ink=ink_box,
                text=text,
                value=taken,
                confidence=round(conf, 1) if taken is not None else 0.0,
                reason=why if taken is None else None,
            )
        )
    return tuple(out)


AGREEING = 2
"""Readings of an entry (as a word, as a line, in words) that must give the same value for it to be taken."""
GROW_STEPS = 3
"""How many times a blank is widened (by 3 text heights, 1 up) when its entry's ink runs over its edge."""


def _whole(
    scan: imaging.Scan, blank: Blank, th: float
) -> tuple[Blank, NDArray[np.bool_], tuple[int, int, int, int], bool] | None:
    """The blank grown until the pen's ink in it lies clear of its edges: the blank, its ink, the ink's extent
    in it, and whether the ink still runs over an edge after `GROW_STEPS`; None when it holds no entry."""
    height, width = scan.grey.shape
    box = blank.box
    for step in range(GROW_STEPS + 1):
        ink = ink_layer(scan, box)
        extent = _extent(ink, th) if ink.size else None
        if extent is None or extent[3] - extent[1] < MIN_INK_HEIGHT * th:
            return None
        ex0, ey0, ex1, ey1 = extent
        h, w = ink.shape
        left, right = ex0 <= 1 and box[0] > 0, ex1 >= w - 1 and box[2] < width
        top, bottom = ey0 <= 1 and box[1] > 0, ey1 >= h - 1 and box[3] < height
        if not (left or right or top or bottom):
            return Blank(blank.kind, box, blank.year), ink, extent, False
        if step == GROW_STEPS:
            return Blank(blank.kind, box, blank.year), ink, extent, True
        g = int(3 * th)
        box = (
            max(0, box[0] - g) if left else box[0],
            max(0, box[1] - int(th)) if top else box[1],
            min(width, box[2] + g) if right else box[2],
            min(height, box[3] + int(th)) if bottom else box[3],
        )
    return None  # not reached: the last step returns


def _passes(blank: Blank) -> list[list[str]]:
    """The readings of one entry: as one word (`--psm 8`) and as one line (`--psm 7`) with the digits set, and
    the day and month before or after a printed year also as a Russian or Kazakh line, for a month name
    («21» мая); a letterhead's date is written in digits, and that reading costs a model load (~1 s).
    Tesseract 5 reports a `--psm 7` line of one whitelisted word at confidence 0; the word carries it."""
    digits = ["-l", "eng", "-c", f"tessedit_char_whitelist={DIGITS}"]
    out = [[*digits, "--psm", "8"], [*digits, "--psm", "7"]]
    if blank.kind == "date" and blank.year is not None:
        out.append(["-l", "rus+kaz", "--psm", "7"])
    return out


def text_height(words: Sequence[Word], dpi: float) -> float:
    """The median height of the words read with confidence, else the height 12 pt text has at `dpi`."""
    heights = [w.box[3] - w.box[1] for w in words if w.conf >= PRINTED_CONF]
    return float(statistics.median(heights)) if heights else dpi / 300 * 40
