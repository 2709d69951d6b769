"""Synthetic pages that reproduce what real documents do to the required-details reader (27.5).

Each builder models one failure mode seen in the real-document development set (`../shared/real-docs`,
never copied here): the values are invented, the layout is what the real pages show.

* `rotated_layer`: an egov certificate is an A4 page with /Rotate 90 whose text layer gives word boxes
  in the unrotated page (each line runs up the page) and in the generator's order (footnote first).
* `words_page`: a page of words with boxes from lines of text, read by OCR with a given confidence
  (a zone read with low confidence: seal over text, security background, 80-dpi scan).
* `render`: a page image drawn with the DejaVu fonts, for real Tesseract (Kazakh dates, registration and
  blank numbers, a round stamp in blue over a line of text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from intake.models import Mark, MarkKind, PageText, Word

FONTS = Path("/usr/share/fonts/truetype/dejavu")
LINE = 40
CHAR = 10

# An egov справка: the portal lines, the number box, the contact centre, then the title and the issuer
# under it, the holder's fields with the holder's address, and the barcode footnote.
EGOV_LINES = (
    "Құжат электрондық үкімет порталымен құрылған",
    "Бірегей нөмір",
    "20100300000017",
    "Документ сформирован порталом электронного правительства",
    "Уникальный номер",
    '"Информационно-справочная служба',
    "(Бірыңғай байланыс орталығы)",
    "(Единый контакт-центр)",
    "Дата получения 14.03.2024",
    "Некоммерческое акционерное общество «Государственная корпорация «Правительство для граждан»",
    "Справка",
    "о зарегистрированном юридическом лице, филиале или представительстве",
    "Дата выдачи: 14.03.2024",
    "Выдана:",
    'Товарищество с ограниченной ответственностью "Тестовый Центр"',
    'Наименование Товарищество с ограниченной ответственностью "Тестовый Центр"',
    "БИН 000000000000",
    "Местонахождение Казахстан, город Павлодар, улица Тестовая, дом 1, 140000",
    "Дата первичной регистрации 1 ноября 2022 года",
    "*Штрих-код содержит данные, полученные из информационной системы ГБДЮЛ и подписанные "
    "электронно-цифровой подписью НАО «Государственная корпорация «Правительство для граждан»",
)


def _words(lines: Sequence[str], conf: float, low: Sequence[str] = ()) -> list[Word]:
    words: list[Word] = []
    for i, line in enumerate(lines):
        for m in re.finditer(r"\S+", line):
            x0, y0 = 50 + m.start() * CHAR, 60 + i * LINE
            c = 35.0 if m.group() in low else conf
            words.append(Word(text=m.group(), box=(x0, y0, x0 + len(m.group()) * CHAR, y0 + 30), conf=c, line=i))
    return words


def words_page(
    lines: Sequence[str],
    *,
    number: int = 1,
    conf: float = 100.0,
    marks: Sequence[Mark] = (),
    low: Sequence[str] = (),
) -> PageText:
    """A page of `lines` with word boxes; a text layer at confidence 100, else OCR at `conf` (the words
    in `low` at 35: a faded, stamped-over or handwritten field)."""
    return PageText(
        number=number,
        source="text-layer" if conf == 100.0 else "ocr",
        text="\n".join(lines),
        words=tuple(_words(lines, conf, low)),
        width=2480,
        height=3508,
        marks=tuple(marks),
    )


def rotated_layer(lines: Sequence[str] = EGOV_LINES, *, number: int = 1) -> PageText:
    """A text layer of a /Rotate 90 page: boxes turned a quarter (lines run up the page), the last line
    (the footnote) written first and each word split in two pieces, as a PDF generator writes them."""
    upright = _words(lines, 100.0)
    height = max(w.box[2] for w in upright) + 50
    words: list[Word] = []
    footnote_line = upright[-1].line if upright else 0
    order = [w for w in upright if w.line == footnote_line] + [w for w in upright if w.line != footnote_line]
    for w in order:
        x0, y0, _, y1 = w.box
        # turned: x -> height - x runs up the page, y -> x runs to the right
        pieces = [w.text] if len(w.text) < 4 else [w.text[: len(w.text) // 2], w.text[len(w.text) // 2 :]]
        start = x0
        for piece in pieces:
            end = start + len(piece) * CHAR
            words.append(Word(text=piece, box=(y0, height - end, y1, height - start), conf=100.0, line=w.line))
            start = end
    return PageText(number=number, source="text-layer", text="\n".join(lines), words=tuple(words),
                    width=3508, height=2480)  # fmt: skip


def mark(kind: str, score: float, box: tuple[int, int, int, int] = (900, 900, 1200, 1200)) -> Mark:
    """A mark as the page detectors give it."""
    return Mark(kind=MarkKind(kind), box=box, score=score, colour="blue", shape="round" if kind == "seal" else "stroke")


def render(lines: Sequence[str], path: Path, *, size: int = 40, stamp_over: int | None = None, dpi: int = 300) -> Path:
    """A white A4-wide page with `lines` in DejaVu Serif; `stamp_over` draws a blue ring over that line.

    The ring stands for a round seal partly over text (real set: seals over the date of issue, over the
    signatory's title); its text is drawn on the ring so that OCR meets it as real seals give it.
    """
    width = 2480
    height = 200 + len(lines) * int(size * 1.9) + 200
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), size)
    y = 150
    centres: list[tuple[int, int]] = []
    for line in lines:
        draw.text((150, y), line, font=font, fill=(25, 25, 25))
        centres.append((150 + int(draw.textlength(line, font=font) * 0.6), y + size // 2))
        y += int(size * 1.9)
    if stamp_over is not None:
        cx, cy = centres[stamp_over]
        r = int(size * 3.2)
        blue = (40, 70, 190)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=blue, width=6)
        draw.ellipse((cx - r + 30, cy - r + 30, cx + r - 30, cy + r - 30), outline=blue, width=3)
    image.save(path, dpi=(dpi, dpi))
    return path
