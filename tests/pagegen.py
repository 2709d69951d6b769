"""Labelled scanned pages for the scan checks (27.3): a deterministic generator.

`document_page(seed)` renders a realistic page of a Kazakh organisation's certificate (Russian and
Kazakh text, a number, an amount, a round blue seal and a blue signature) at 300 dpi on scanner-like
paper (grey 236, sensor noise sd 3). `variant(page, name)` derives a labelled copy; `LABELS` says what
the gate must answer for each variant and why. Everything is a pure function of the seed: the same
pages come out on every machine that has the DejaVu fonts (/usr/share/fonts/truetype/dejavu/).

Run `python -m tests.pagegen DIR` to write the pages as PNG for a look.
"""

from __future__ import annotations

import io
import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = Path("/usr/share/fonts/truetype/dejavu")
DPI = 300
PAPER = 236
INK = 35
BLUE = (40, 60, 170)
VIOLET = (95, 50, 160)

Box = tuple[int, int, int, int]


@dataclass
class Page:
    """A rendered page and where its parts are (boxes in pixels, top-left origin)."""

    image: Image.Image
    words: dict[str, Box] = field(default_factory=dict)
    baselines: dict[str, int] = field(default_factory=dict)
    glyphs: dict[str, Box] = field(default_factory=dict)
    lines: list[Box] = field(default_factory=list)
    stamp: Box | None = None
    signature: Box | None = None
    body: Box | None = None
    target: Box | None = None
    dpi: int = DPI


@dataclass(frozen=True)
class Label:
    """What the gate must answer for a variant: the code expected to be failed (or none) and why."""

    legibility: str  # passed | review | failed
    code: str | None  # the alteration code expected, if any
    why: str


LABELS: dict[str, Label] = {
    "clean": Label("passed", None, "a clean 300 dpi scan"),
    "blurred": Label("failed", None, "Gaussian blur sigma 8 px on 35 px letters: strokes merge, no word can be read"),
    "lowres": Label(
        "passed",
        None,
        "scanned at 60 dpi (words 8 px high): enlarged, OCR reads 48 words at median 96 with 6 % below 60, so "
        "it is legible (research §1.2: below 100 dpi a person looks only when confidence also complains; real "
        "doc 23 at ~68 dpi reads the same); its alterations stay undecided (letters too small to tell a stroke)",
    ),
    "noisy": Label("failed", None, "Gaussian noise sd 90 over the page: plainly unreadable"),
    "faded": Label("passed", None, "ink only 40 grey levels below the paper: pale but readable (research §1.4)"),
    "rotated": Label("passed", None, "the page scanned upside down: orientation detection turns it"),
    "struck": Label("passed", "SCAN003", "one word struck through with a pen line"),
    "whiteout": Label("passed", "SCAN004", "one word covered with correction fluid and retyped"),
    "handwritten": Label("passed", "SCAN005", "«и на дому» added by blue pen at the end of a typed line"),
    "pasted": Label("passed", "SCAN006", "the «2» of «2019» copied with its pixels over the «1» of «185 000»"),
    "certified": Label(
        "passed",
        "SCAN003",
        "a struck word with «Исправленному верить», a signature and the seal beside it: possibly certified",
    ),
}

TITLE_RU = "СПРАВКА № 2471"
BODY: tuple[str, ...] = (
    "Товарищество с ограниченной ответственностью «Жанұя Көмек»",
    "БИН 180740012345, г. Алматы, ул. Абая, д. 52, тел. 8 727 250 14 36",
    "Настоящая справка выдана в том, что организация оказывает",
    "специальные социальные услуги лицам с инвалидностью в условиях",
    "полустационара с 12 марта 2019 года по настоящее время.",
    "Осы анықтама ұйымның мүгедектігі бар адамдарға арнаулы",
    "әлеуметтік қызметтер көрсететінін растау үшін берілді.",
    "Стоимость услуги за один месяц составляет 185 000 тенге.",
    "Справка действительна до 31 декабря 2026 года.",
)
SIGN_LINE = "Директор ____________ Сейтқали А. Б."
STAMP_LINE = "М.П."

_FONT_CACHE: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A DejaVu font (cached)."""
    key = (name, size)
    if key not in _FONT_CACHE:
        _FONT_CACHE[key] = ImageFont.truetype(str(FONTS / name), size)
    return _FONT_CACHE[key]


def _paper(width: int, height: int, rng: np.random.Generator, sd: float = 3.0) -> np.ndarray:
    base = np.full((height, width), float(PAPER))
    base += rng.normal(0.0, sd, size=(height, width))
    return base


def _text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, fnt: ImageFont.FreeTypeFont, page: Page) -> Box:
    """Draw a line and record each word's box and each digit's box."""
    x, y = xy
    draw.text((x, y), text, font=fnt, fill=(INK, INK, INK))
    line_box = draw.textbbox((x, y), text, font=fnt)
    cursor = 0
    for word in text.split(" "):
        start = text.index(word, cursor)
        cursor = start + len(word)
        if not word:
            continue
        x0 = x + int(fnt.getlength(text[:start]))
        box = draw.textbbox((x0, y), word, font=fnt)
        page.words.setdefault(word, (box[0], box[1], box[2], box[3]))
        page.baselines.setdefault(word, y + fnt.getmetrics()[0])
        for i, ch in enumerate(word):
            if ch.isdigit():
                gx = x0 + int(fnt.getlength(word[:i]))
                # the glyph's whole cell: advance width × line height, so a pasted cell covers the old digit
                page.glyphs.setdefault(
                    f"{word}:{i}", (gx, line_box[1] - 4, gx + int(fnt.getlength(ch)), line_box[3] + 4)
                )
    page.lines.append((line_box[0], line_box[1], line_box[2], line_box[3]))
    return (line_box[0], line_box[1], line_box[2], line_box[3])


def _stamp(draw: ImageDraw.ImageDraw, cx: int, cy: int, r: int, rng: random.Random) -> Box:
    """A round organisation seal: two rings, text around, a star in the middle."""
    colour = VIOLET
    for rr, w in ((r, 7), (int(r * 0.8), 4)):
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=colour, width=w)
    ring = "ЖАНҰЯ КӨМЕК * АЛМАТЫ * БИН 180740012345 * "
    fnt = font("DejaVuSans-Bold.ttf", 34)
    for i, ch in enumerate(ring):
        angle = 2 * math.pi * i / len(ring) - math.pi / 2
        tx = cx + int(r * 0.9 * math.cos(angle))
        ty = cy + int(r * 0.9 * math.sin(angle))
        glyph = Image.new("L", (44, 44), 0)
        ImageDraw.Draw(glyph).text((6, 2), ch, font=fnt, fill=255)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BILINEAR)
        draw.bitmap((tx - 22, ty - 22), glyph, fill=colour)
    inner = font("DejaVuSans-Bold.ttf", 40)
    draw.text((cx - 110, cy - 24), "ПЕЧАТЬ", font=inner, fill=colour)
    jitter = rng.randint(-3, 3)
    return (cx - r - 4 + jitter, cy - r - 4, cx + r + 4 + jitter, cy + r + 4)


def _scribble(
    draw: ImageDraw.ImageDraw, x: int, y: int, w: int, h: int, rng: random.Random, colour: tuple[int, int, int]
) -> Box:
    """A handwritten-signature-like stroke: a smooth random loop train."""
    points = []
    steps = 90
    for i in range(steps):
        t = i / (steps - 1)
        px = x + t * w + 25 * math.sin(9 * math.pi * t + rng.random())
        py = y + h / 2 + (h / 2) * math.sin(7 * math.pi * t) * (0.6 + 0.4 * rng.random())
        points.append((px, py))
    draw.line(points, fill=colour, width=5, joint="curve")
    return (x - 30, y - 5, x + w + 30, y + h + 5)


def document_page(seed: int = 1, *, width: int = 2480, height: int = 1900, noise: float = 3.0) -> Page:
    """A certificate page (the top 16 cm of an A4 sheet at 300 dpi) with seal and signature."""
    rng_np = np.random.default_rng(seed)
    rng = random.Random(seed)
    paper = _paper(width, height, rng_np, sd=0.0)
    image = Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8)).convert("RGB")
    page = Page(image=image)
    draw = ImageDraw.Draw(image)
    left = 230
    title = font("DejaVuSerif-Bold.ttf", 54)
    body = font("DejaVuSerif.ttf", 46)
    _text(draw, (width // 2 - 260, 170), TITLE_RU, title, page)
    y = 330
    for line in BODY:
        _text(draw, (left, y), line, body, page)
        y += 92
    page.body = (left - 10, 320, width - 200, y)
    y += 60
    _text(draw, (left, y + 40), SIGN_LINE, body, page)
    sig = _scribble(draw, left + 330, y, 360, 120, rng, BLUE)
    page.signature = sig
    page.stamp = _stamp(draw, left + 1050, y + 170, 230, rng)
    _text(draw, (left + 1350, y + 160), STAMP_LINE, body, page)
    # the paper: the scan's sensor noise and a slight unevenness, added after the ink
    arr = np.asarray(image).astype(np.float64)
    arr += rng_np.normal(0.0, noise, size=arr.shape[:2])[..., None]
    page.image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return page


def _grey_noise(image: Image.Image, sd: float, seed: int) -> Image.Image:
    arr = np.asarray(image).astype(np.float64)
    arr += np.random.default_rng(seed).normal(0.0, sd, size=arr.shape[:2])[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def variant(page: Page, name: str, seed: int = 7) -> Page:
    """A labelled copy of a clean page (see `LABELS`); the copy's `target` is the altered region."""
    img = page.image.copy()
    out = Page(
        image=img,
        words=dict(page.words),
        baselines=dict(page.baselines),
        glyphs=dict(page.glyphs),
        lines=list(page.lines),
        stamp=page.stamp,
        signature=page.signature,
        body=page.body,
        dpi=page.dpi,
    )
    rng = random.Random(seed)
    if name == "clean":
        return out
    if name == "blurred":
        out.image = img.filter(ImageFilter.GaussianBlur(8))
        return out
    if name == "lowres":
        out.image = img.resize((img.width // 5, img.height // 5), Image.Resampling.BOX)
        out.dpi = DPI // 5
        return out
    if name == "noisy":
        out.image = _grey_noise(img, 90.0, seed)
        return out
    if name == "faded":
        arr = np.asarray(img).astype(np.float64)
        out.image = Image.fromarray(np.clip(PAPER + (arr - PAPER) * 0.2, 0, 255).astype(np.uint8))
        return out
    if name == "rotated":
        out.image = img.rotate(180)
        return out
    draw = ImageDraw.Draw(img)
    if name in ("struck", "certified"):
        word = "полустационара" if name == "struck" else "декабря"
        x0, y0, x1, y1 = page.words[word]
        mid = page.baselines[word] - 12  # the middle of the lower-case letters (x-height 24 px at 46 px)
        draw.line((x0 - 6, mid + 2, x1 + 6, mid - 3), fill=(INK, INK, INK), width=5)
        out.target = (x0 - 6, mid - 8, x1 + 6, mid + 8)
        if name == "certified":
            # «Исправленному верить»: the director's signature and the seal right beside the correction
            line = page.lines[9]
            small = font("DejaVuSans.ttf", 30)
            draw.text((line[2] + 60, line[3] + 40), "Исправленному верить", font=small, fill=BLUE)
            out.signature = _scribble(draw, line[2] + 80, line[3] + 90, 220, 50, rng, BLUE)
            out.stamp = _stamp(draw, line[2] + 620, line[3] + 110, 150, rng)
        return out
    if name == "whiteout":
        x0, y0, x1, y1 = page.words["185"]
        patch = (x0 - 8, y0 - 10, x1 + 8, y1 + 12)
        draw.rectangle(patch, fill=(252, 252, 252))
        draw.text((x0 + 2, y0 - 6), "195", font=font("DejaVuSerif.ttf", 46), fill=(INK + 10, INK + 10, INK + 10))
        out.target = patch
        return out
    if name == "handwritten":
        # a postscript at the end of the «... по настоящее время.» line: «и на дому» (and at home)
        line = page.lines[5]
        hand = font("DejaVuSans.ttf", 40)  # fonts-dejavu-core only; slanted below like a hand
        layer = Image.new("L", (300, 80), 0)
        ImageDraw.Draw(layer).text((14, 10), "и на дому", font=hand, fill=255)
        layer = layer.transform(layer.size, Image.Transform.AFFINE, (1, 0.3, -12, 0, 1, 0), Image.Resampling.BILINEAR)
        layer = layer.rotate(3, resample=Image.Resampling.BILINEAR, expand=False)
        pos = (line[2] + 30, line[1] - 14)
        img.paste(BLUE, (pos[0], pos[1], pos[0] + layer.width, pos[1] + layer.height), layer)
        out.target = (pos[0], pos[1], pos[0] + layer.width, pos[1] + layer.height)
        return out
    if name == "pasted":
        # copy the «2» of «2019» (grey pixels, noise included) over the «1» of «185 000 тенге»
        src = page.glyphs["2019:0"]
        dst = page.glyphs["185:0"]
        patch = img.crop(src)
        img.paste(patch, (dst[0], dst[1]))
        out.target = (dst[0], dst[1], dst[0] + src[2] - src[0], dst[1] + src[3] - src[1])
        return out
    raise ValueError(f"unknown variant {name!r}")


# --------------------------------------------------------------------------- real-page failure modes (issue 11)

RED = (190, 40, 45)
BLACK_STAMP = (60, 60, 66)
MODE_BODY: tuple[str, ...] = (
    "Настоящая справка выдана в том, что организация оказывает",
    "специальные социальные услуги лицам с инвалидностью в",
    "условиях полустационара с 12 марта 2019 года.",
    "Стоимость услуги за один месяц составляет 185 000 тенге.",
)


@dataclass(frozen=True)
class Mode:
    """A failure mode seen on the real development set, reproduced: what the gate must answer and why."""

    legibility: str  # passed | review
    codes: frozenset[str]  # the 27.3 alteration codes expected to be raised (failed or undecided); empty: none
    marks: tuple[str, ...]  # the kinds of marks that must be seen (seal, signature, handwriting)
    words: tuple[str, ...]  # words that must be read
    why: str


MODES: dict[str, Mode] = {
    "seal_over_text": Mode(
        "passed",
        frozenset(),
        ("seal", "signature"),
        ("услуги", "Директор"),
        "a blue round seal stamped over the last line and the signatory (real docs 08, 34, 36): no stroke, no addition",
    ),
    "security_background": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА", "услуги"),
        "a guilloche security background under the text (real docs 01, 02, 34): read through, nothing flagged",
    ),
    "two_column": Mode(
        "passed",
        frozenset(),
        (),
        ("АНЫҚТАМА", "СПРАВКА"),
        "a bilingual form, Kazakh left and Russian right (real docs 07, 36, 37): both columns read",
    ),
    "web_100dpi": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА", "услуги"),
        "a 100-dpi web image (real docs 14, 23, 35): enlarged for OCR and read; its 13 px letters are too small "
        "for the detectors at that scale, so they look at the enlarged copy: nothing flagged",
    ),
    "web_80ppi_jpeg": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА", "услуги"),
        "an 80-ppi JPEG (real docs 23 at ~70 dpi, 35 at 80 ppi): enlarged, read, examined on the enlarged copy",
    ),
    "security_watermark": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА", "услуги"),
        "a pale-blue patterned security background with a large grey emblem watermark whose lines cross the text "
        "(real docs 24, 28, 34): the background is flattened for OCR, a watermark's line is no crossed-out word",
    ),
    "script_fill_ins": Mode(
        "passed",
        frozenset(),
        (),
        ("Наименование", "адрес"),
        "a form's fields filled in a calligraphic, handwriting-like script after their labels (real doc 28): the "
        "print reads, the entries do not; legibility is measured on the print, the entries left to the details",
    ),
    "faint_captions": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА", "услуги"),
        "small pale captions under the fields and a printer's imprint in microtext (real docs 25, 34): small "
        "print of the form, not illegible lines of the document",
    ),
    "z_closing_line": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА", "услуги"),
        "a Z-shaped pen line closing the list under the body, drawn to block later additions (real doc 25): not "
        "an alteration",
    ),
    "phone_skew_3": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА", "услуги", "тенге"),
        "a phone photo tilted 3° with a little keystone and a shadow (real doc 01): levelled and read",
    ),
    "phone_skew_10": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА", "услуги", "тенге"),
        "a phone photo tilted 10° with keystone and shadow: levelled and read",
    ),
    "egov_footer": Mode(
        "passed",
        frozenset(),
        (),
        ("СПРАВКА",),
        "an egov.kz footer with QR codes and small print (real docs 03, 04, 12, 18): no stroke, no patch",
    ),
    "stamp_blue": Mode(
        "passed", frozenset(), ("seal",), ("услуги",), "a blue round seal beside the signature: a seal, not an addition"
    ),
    "stamp_violet": Mode(
        "passed",
        frozenset(),
        ("seal",),
        ("услуги",),
        "a violet oval stamp (real doc 26): a seal, not an addition",
    ),
    "stamp_black": Mode(
        "passed",
        frozenset(),
        (),
        ("услуги",),
        "a black photocopied round seal (real docs 06, 31): no stroke or patch flagged on its ring",
    ),
    "scanner_streak": Mode(
        "passed",
        frozenset(),
        (),
        ("услуги",),
        "a thin vertical scanner streak through the text (real doc 10): no crossed-out word",
    ),
    "fill_in": Mode(
        "passed",
        frozenset(),
        ("handwriting",),
        ("Директор",),
        "the date and number written by hand into the printed blanks (real docs 07, 22, 36, 37): a fill-in, no flag",
    ),
    "copy_certified": Mode(
        "passed",
        frozenset(),
        ("seal", "signature"),
        ("услуги",),
        "«КОПИЯ ВЕРНА» stamp with a signature and a seal (real doc 06): a certification, no flag",
    ),
    "registry_stamp": Mode(
        "passed",
        frozenset(),
        ("seal",),
        ("услуги",),
        "a rectangular registry stamp with a handwritten number in it (real docs 31, 35): no flag",
    ),
    "two_column_script": Mode(
        "passed",
        frozenset(),
        (),
        ("Наименование", "обучающихся"),
        "a Kyrgyz|Russian spread (real doc 28 p7-p13): «Аталышы: <script> Наименование: <script>» read as one line "
        "with two labels; the script entries are fill-ins, not an illegible line of print",
    ),
    "merged_bars": Mode(
        "passed",
        frozenset(),
        (),
        ("инженерия", "обучения"),
        "a Kyrgyz|Russian programme table in soft bold print (real doc 28 p5): the bars of «мөөнөтү» (ө ө н ө) touch "
        "and run on as one line through the middle of the word: the letters' own bars, no crossed-out word",
    ),
    "postscript": Mode(
        "passed",
        frozenset({"SCAN005"}),
        (),
        ("услуги",),
        "«и на дому» added by pen after a typed line of the body: a postscript (27.3)",
    ),
    "struck_word": Mode(
        "passed", frozenset({"SCAN003"}), (), ("услуги",), "a word of the body struck through with a pen line"
    ),
    "white_out": Mode(
        "passed", frozenset({"SCAN004"}), (), ("услуги",), "an amount covered with correction fluid and retyped"
    ),
}


def _mode_base(seed: int, *, width: int = 1800, height: int = 1250) -> tuple[Page, ImageDraw.ImageDraw]:
    """A compact certificate: title, four body lines, the signatory's line (300 dpi, paper grey 236)."""
    image = Image.new("RGB", (width, height), (PAPER, PAPER, PAPER))
    page = Page(image=image)
    draw = ImageDraw.Draw(image)
    _text(draw, (width // 2 - 230, 90), TITLE_RU, font("DejaVuSerif-Bold.ttf", 54), page)
    body = font("DejaVuSerif.ttf", 40)
    y = 230
    for line in MODE_BODY:
        _text(draw, (120, y), line, body, page)
        y += 80
    page.body = (110, 220, width - 100, y)
    _text(draw, (120, y + 150), "Директор ____________ Сейтқали А. Б.", body, page)
    return page, draw


def _round_seal(draw: ImageDraw.ImageDraw, cx: int, cy: int, r: int, colour: tuple[int, int, int]) -> Box:
    for rr, w in ((r, 6), (int(r * 0.78), 3)):
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=colour, width=w)
    ring = "ЖАНҰЯ КӨМЕК * АЛМАТЫ * БИН 180740012345 * "
    fnt = font("DejaVuSans-Bold.ttf", max(14, r // 7))
    for i, ch in enumerate(ring):
        angle = 2 * math.pi * i / len(ring) - math.pi / 2
        glyph = Image.new("L", (40, 40), 0)
        ImageDraw.Draw(glyph).text((8, 4), ch, font=fnt, fill=255)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BILINEAR)
        tx, ty = cx + int(r * 0.89 * math.cos(angle)), cy + int(r * 0.89 * math.sin(angle))
        draw.bitmap((tx - 20, ty - 20), glyph, fill=colour)
    draw.text((cx - r // 2, cy - r // 8), "ПЕЧАТЬ", font=font("DejaVuSans-Bold.ttf", max(16, r // 5)), fill=colour)
    return (cx - r - 3, cy - r - 3, cx + r + 3, cy + r + 3)


def _rect_stamp(draw: ImageDraw.ImageDraw, x: int, y: int, lines: tuple[str, ...], colour: tuple[int, int, int]) -> Box:
    fnt = font("DejaVuSans-Bold.ttf", 30)
    w = 40 + max(int(fnt.getlength(t)) for t in lines)
    h = 30 + 44 * len(lines)
    draw.rectangle((x, y, x + w, y + h), outline=colour, width=5)
    for i, t in enumerate(lines):
        draw.text((x + 20, y + 16 + 44 * i), t, font=fnt, fill=colour)
    return (x, y, x + w, y + h)


def _hand(img: Image.Image, xy: tuple[int, int], text: str, colour: tuple[int, int, int], size: int = 40) -> Box:
    """Pen-like text: slanted and slightly turned, pasted in the ink's colour."""
    fnt = font("DejaVuSans.ttf", size)
    layer = Image.new("L", (int(fnt.getlength(text)) + 60, size * 2), 0)
    ImageDraw.Draw(layer).text((14, size // 3), text, font=fnt, fill=255)
    layer = layer.transform(layer.size, Image.Transform.AFFINE, (1, 0.3, -12, 0, 1, 0), Image.Resampling.BILINEAR)
    layer = layer.rotate(3, resample=Image.Resampling.BILINEAR, expand=False)
    img.paste(colour, (xy[0], xy[1], xy[0] + layer.width, xy[1] + layer.height), layer)
    return (xy[0], xy[1], xy[0] + layer.width, xy[1] + layer.height)


def _finish(page: Page, seed: int, noise: float = 3.0) -> Page:
    page.image = _grey_noise(page.image, noise, seed)
    return page


def _guilloche(width: int, height: int) -> Image.Image:
    """A security background: fine interlaced sine waves in pale green and rose (a guilloche)."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    waves = np.zeros((height, width), np.float32)
    for k in range(6):
        phase = (yy + 40 * np.sin(xx / (37.0 + 5 * k) + k)) % (28 + 4 * k)
        waves = np.maximum(waves, (phase < 2.2).astype(np.float32))
    rgb = np.full((height, width, 3), PAPER, np.float32)
    tint = np.array([170.0, 205.0, 180.0], np.float32)
    rgb = rgb * (1 - waves[..., None]) + tint * waves[..., None]
    return Image.fromarray(rgb.astype(np.uint8))


def _watermarked(page: Page, seed: int) -> Page:
    """The page's print over a pale-blue fine grid and a large grey emblem (rings and wings) drawn across the
    text lines, lighter than the print (real docs 24, 28, 34)."""
    w, h = page.image.size
    bg = Image.new("RGB", (w, h), (222, 232, 240))
    d = ImageDraw.Draw(bg)
    for x in range(0, w, 9):
        d.line((x, 0, x, h), fill=(196, 212, 226), width=1)
    for y in range(0, h, 9):
        d.line((0, y, w, y), fill=(196, 212, 226), width=1)
    cx, cy = w // 2, h // 2 - 60
    grey = (128, 134, 142)
    for r in (430, 380, 250):
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=grey, width=5)
    for side in (-1, 1):
        for k in range(6):
            d.line((cx + side * 60, cy + 40 * k - 100, cx + side * 360, cy + 30 * k - 260), fill=grey, width=4)
    d.line((cx - 250, 412, cx + 250, 412), fill=grey, width=3)  # an emblem's stroke through the third line
    ink = np.asarray(page.image.convert("L")) < 150
    arr = np.asarray(bg).copy()
    arr[ink] = np.asarray(page.image)[ink]
    page.image = Image.fromarray(arr)
    return _finish(page, seed)


def _script_form(seed: int) -> Page:
    """A licence appendix: printed labels ending in a colon, the fields filled in a handwriting-like script
    (slanted, turned, joined: what OCR reads at 0-50), as on real doc 28."""
    image = Image.new("RGB", (1800, 1250), (PAPER, PAPER, PAPER))
    page = Page(image=image)
    d = ImageDraw.Draw(image)
    _text(d, (560, 80), "КОНТРОЛЬНЫЕ НОРМАТИВЫ", font("DejaVuSans-Bold.ttf", 46), page)
    label = font("DejaVuSerif.ttf", 36)
    labels = (
        ("Наименование учреждения образования:", "Международный Университет Инновационных Технологий"),
        ("Юридический адрес:", "г. Бишкек, ул. Анкара, 1/17"),
        ("Направление подготовки:", "Информационные системы и технологии"),
        ("Форма обучения:", "очная, заочная"),
        ("Нормативный срок обучения:", "четыре года"),
        ("Документ об образовании:", "диплом бакалавра"),
        ("Срок окончания действия лицензии:", "бессрочная"),
    )
    y = 200
    for text, entry in labels:
        box = _text(d, (100, y), text, label, page)
        if len(text) > 30:
            y += 60
            _script(image, (180, y - 12), entry)
        else:
            _script(image, (box[2] + 30, y - 12), entry)
        y += 80
    _text(d, (100, y + 40), "Срок действия приложения определяется лицензией.", label, page)
    _text(d, (100, y + 110), "Приложение без лицензии недействительно.", label, page)
    return _finish(page, seed)


def _two_column_script_form(seed: int) -> Page:
    """A Kyrgyz|Russian licence appendix spread (real doc 28 p7-p13): both columns' labels on one line, the names
    written under them in a calligraphic script with a stray mark between, and a line «Аталышы: <script>» beside
    «Наименование: <script>» that OCR reads as one line with two labels."""
    image = Image.new("RGB", (3500, 900), (PAPER, PAPER, PAPER))
    page = Page(image=image)
    d = ImageDraw.Draw(image)
    label = font("DejaVuSans.ttf", 34)
    _text(d, (900, 60), "КЕСИПТИК БИЛИМ БЕРҮҮ ПРОЦЕССИН ЖҮРГҮЗҮҮ ҮЧҮН КОНТРОЛЬНЫЕ НОРМАТИВЫ", label, page)
    _text(d, (110, 180), "Окуу жайынын аталышы:", label, page)
    _text(d, (1800, 180), "Наименование учреждения образования:", label, page)
    d.ellipse((560, 228, 568, 236), fill=(INK, INK, INK))  # a stray mark between the label line and the entry
    _script(image, (380, 236), "Эл аралык Инновациялык Технологиялар Университети")
    _script(image, (1850, 236), "Международный Университет Инновационных Технологий")
    _text(d, (110, 380), "Даярдоонун багыты (адистиги):", label, page)
    _text(d, (1800, 380), "Направление подготовки (специальность):", label, page)
    _text(d, (260, 470), "Аталышы:", label, page)
    _script(image, (450, 450), "Программалык инженерия")
    _text(d, (1800, 470), "Наименование:", label, page)
    _script(image, (2080, 450), "Программная инженерия")
    _text(d, (110, 600), "Окуучулардын чектелген саны (киши): 200", label, page)
    _text(d, (1800, 600), "Предельный контингент обучающихся (чел.): 200", label, page)
    _text(d, (110, 680), "Окутуучулардын сапаты 70% кем эмес.", label, page)
    _text(d, (1800, 680), "Качественный состав кадров не менее 70%.", label, page)
    return _finish(page, seed)


def _merged_bars(seed: int) -> Page:
    """A licence appendix's programme table, Kyrgyz line over Russian line between printed rules, in bold print
    softened as a copy softens it: the bars of ө ө н ө in «мөөнөтү» merge into one line (real doc 28 p5)."""
    image = Image.new("RGB", (1800, 900), (PAPER, PAPER, PAPER))
    page = Page(image=image)
    d = ImageDraw.Draw(image)
    body = font("DejaVuSans-Bold.ttf", 30)
    _text(d, (120, 60), "Кесиптик билим берүү", body, page)
    _text(d, (120, 105), "Профессиональное образование", body, page)
    rows = (
        ("Компьютердик инженерия (окуу мөөнөтү: 4 жыл)", "Компьютерная инженерия (срок обучения: 4 года)"),
        ("Программалык инженерия (окуу мөөнөтү: 4 жыл)", "Программная инженерия (срок обучения: 4 года)"),
        ("Маалымат системалары (окуу мөөнөтү: 4 жыл)", "Информационные системы (срок обучения: 4 года)"),
    )
    y = 190
    for ky, ru in rows:
        d.line((100, y - 20, 1700, y - 20), fill=(INK, INK, INK), width=3)
        _text(d, (120, y), ky, body, page)
        _text(d, (120, y + 60), ru, body, page)
        y += 160
    page.image = page.image.filter(ImageFilter.GaussianBlur(1.9))
    return _finish(page, seed)


def _script(img: Image.Image, xy: tuple[int, int], text: str) -> Box:
    """Calligraphic fill-in: italic serif, strongly slanted, wavy, the letters run together."""
    fnt = font("DejaVuSerif-Italic.ttf", 34)
    layer = Image.new("L", (int(fnt.getlength(text)) + 80, 80), 0)
    ImageDraw.Draw(layer).text((14, 16), text, font=fnt, fill=255)
    layer = layer.transform(layer.size, Image.Transform.AFFINE, (1, 0.55, -30, 0.04, 1, -8), Image.Resampling.BILINEAR)
    arr = np.asarray(layer).astype(np.float32)
    shift = (6 * np.sin(np.arange(arr.shape[1]) / 23.0)).astype(int)
    for x in range(arr.shape[1]):
        arr[:, x] = np.roll(arr[:, x], shift[x])
    layer = Image.fromarray(arr.astype(np.uint8)).filter(ImageFilter.MaxFilter(3))
    img.paste((INK, INK, INK), (xy[0], xy[1], xy[0] + layer.width, xy[1] + layer.height), layer)
    return (xy[0], xy[1], xy[0] + layer.width, xy[1] + layer.height)


def _qr(rng: random.Random, size: int = 27, cell: int = 7) -> Image.Image:
    """A QR-like block: random modules with three finder squares (not decodable; a picture of one)."""
    img = Image.new("RGB", (size * cell, size * cell), (255, 255, 255))
    d = ImageDraw.Draw(img)
    for y in range(size):
        for x in range(size):
            if rng.random() < 0.5:
                d.rectangle((x * cell, y * cell, x * cell + cell - 1, y * cell + cell - 1), fill=(10, 10, 10))
    for fx, fy in ((0, 0), (size - 7, 0), (0, size - 7)):
        d.rectangle((fx * cell, fy * cell, (fx + 7) * cell - 1, (fy + 7) * cell - 1), fill=(10, 10, 10))
        d.rectangle(((fx + 1) * cell, (fy + 1) * cell, (fx + 6) * cell - 1, (fy + 6) * cell - 1), fill=(255, 255, 255))
        d.rectangle(((fx + 2) * cell, (fy + 2) * cell, (fx + 5) * cell - 1, (fy + 5) * cell - 1), fill=(10, 10, 10))
    return img


def _phone(img: Image.Image, degrees: float, seed: int) -> Image.Image:
    """A phone photo: tilted, a little keystone (top narrower), a shadow across one side, slight blur."""
    w, h = img.size
    inset = int(0.025 * w)
    # keystone: the page's top edge narrower than its bottom (PIL maps output quad to input corners)
    quad = (-inset, 0, -inset, h, w + inset, h, w + inset, 0)
    img = img.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=(200, 200, 200))
    img = img.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(120, 120, 120))
    arr = np.asarray(img).astype(np.float32)
    ramp = np.linspace(0.72, 1.0, arr.shape[1], dtype=np.float32)[None, :, None]
    arr = arr * ramp
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    return _grey_noise(out, 2.5, seed)


def mode_page(name: str, seed: int = 5) -> Page:
    """A compact page reproducing one real-page failure mode of `MODES` (300 dpi unless it says otherwise)."""
    rng = random.Random(seed)
    if name == "two_column":
        image = Image.new("RGB", (2000, 1000), (PAPER, PAPER, PAPER))
        page = Page(image=image)
        d = ImageDraw.Draw(image)
        head, body = font("DejaVuSerif-Bold.ttf", 46), font("DejaVuSerif.ttf", 36)
        _text(d, (160, 80), "АНЫҚТАМА", head, page)
        _text(d, (1200, 80), "СПРАВКА", head, page)
        kk = ("Осы анықтама ұйымның", "арнаулы әлеуметтік", "қызметтер көрсететінін", "растау үшін берілді.")
        ru = ("Настоящая справка выдана", "организации в том, что", "она оказывает услуги", "по настоящее время.")
        for i, (a, b) in enumerate(zip(kk, ru, strict=True)):
            _text(d, (100, 220 + 80 * i), a, body, page)
            _text(d, (1100, 220 + 80 * i), b, body, page)
        return _finish(page, seed)
    if name == "security_background":
        page, _ = _mode_base(seed)
        bg = _guilloche(*page.image.size)
        ink = np.asarray(page.image.convert("L")) < 150
        arr = np.asarray(bg).copy()
        arr[ink] = np.asarray(page.image)[ink]
        page.image = Image.fromarray(arr)
        return _finish(page, seed)
    page, d = _mode_base(seed)
    img = page.image
    sign_y = page.lines[-1][1]
    if name == "seal_over_text":
        page.stamp = _round_seal(d, 700, sign_y - 10, 170, BLUE)
        page.signature = _scribble(d, 430, sign_y - 60, 300, 100, rng, BLUE)
    elif name in ("stamp_blue", "stamp_violet", "stamp_black"):
        colour = {"stamp_blue": BLUE, "stamp_violet": VIOLET, "stamp_black": BLACK_STAMP}[name]
        page.stamp = _round_seal(d, 1350, sign_y + 30, 160, colour)
    elif name == "egov_footer":
        y = sign_y + 90
        for i in range(4):
            img.paste(_qr(rng), (120 + 230 * i, y))
        small = font("DejaVuSans.ttf", 22)
        d.text((1100, y + 20), "*Штрих-код содержит данные, полученные из ИС ГБД ЮЛ", font=small, fill=(INK, INK, INK))
        d.text((1100, y + 60), "и подписанные ЭЦП НАО «Правительство для граждан»", font=small, fill=(INK, INK, INK))
    elif name == "scanner_streak":
        arr = np.asarray(img).copy()
        arr[:, 905:907] = (70, 70, 70)
        page.image = Image.fromarray(arr)
    elif name == "fill_in":
        # «__» ________ 20__ г.  № ____ at the top, filled in by pen
        body = font("DejaVuSerif.ttf", 40)
        y = sign_y + 120
        _text(d, (120, y), "«____» ______________ 20____ г.        № __________", body, page)
        for blank, value, dx in (("«____»", "21", 10), ("______________", "мая", 60), ("20____", "24", 50)):
            _hand(img, (page.words[blank][0] + dx, y - 30), value, BLUE)
        _hand(img, (page.words["__________"][0] + 40, y - 30), "0509", BLUE)
        page.signature = _scribble(d, 450, sign_y - 50, 260, 90, rng, BLUE)
    elif name == "copy_certified":
        _rect_stamp(d, 1150, 40, ("КОПИЯ ВЕРНА",), BLUE)
        page.signature = _scribble(d, 1150, sign_y - 40, 260, 90, rng, BLUE)
        page.stamp = _round_seal(d, 1500, sign_y + 10, 150, BLUE)
    elif name == "registry_stamp":
        box = _rect_stamp(d, 1050, sign_y - 40, ("Зарегистрировано", "№ ______ от ________"), VIOLET)
        _hand(img, (box[0] + 60, box[1] + 70), "415", BLUE, 34)
        page.stamp = box
    elif name == "postscript":
        line = page.lines[3]
        page.target = _hand(img, (line[2] + 20, line[1] - 12), "и на дому", BLUE)
    elif name == "struck_word":
        x0, _, x1, _ = page.words["полустационара"]
        mid = page.baselines["полустационара"] - 10
        d.line((x0 - 6, mid + 2, x1 + 6, mid - 3), fill=(INK, INK, INK), width=5)
        page.target = (x0 - 6, mid - 8, x1 + 6, mid + 8)
    elif name == "white_out":
        x0, y0, x1, y1 = page.words["185"]
        page.target = (x0 - 8, y0 - 10, x1 + 8, y1 + 12)
        d.rectangle(page.target, fill=(252, 252, 252))
        d.text((x0 + 2, y0 - 6), "195", font=font("DejaVuSerif.ttf", 40), fill=(INK + 10, INK + 10, INK + 10))
    elif name == "script_fill_ins":
        return _script_form(seed)
    elif name == "merged_bars":
        return _merged_bars(seed)
    elif name == "two_column_script":
        return _two_column_script_form(seed)
    elif name == "security_watermark":
        return _watermarked(page, seed)
    elif name == "faint_captions":
        small = font("DejaVuSans.ttf", 20)
        pale = (150, 150, 150)
        for i, (x, y) in enumerate(((400, 290), (400, 450))):
            d.text(
                (x, y),
                ("(полное наименование организации)", "(место нахождения организации)")[i],
                font=small,
                fill=pale,
            )
        d.text(
            (900, sign_y + 110),
            "ФГУП «НТЦ «АТЛАС» ФСБ РОССИИ, г. КРАСНОЯРСК, 2006 г., УРОВЕНЬ «Б»",
            font=small,
            fill=pale,
        )
    elif name == "z_closing_line":
        y = page.body[3] if page.body else sign_y - 200
        d.line([(900, y - 40), (1600, y - 40), (900, y + 50), (1600, y + 50)], fill=BLUE, width=4)
    elif name in ("web_100dpi", "web_80ppi_jpeg", "phone_skew_3", "phone_skew_10"):
        pass
    else:
        raise ValueError(f"unknown mode {name!r}")
    page = _finish(page, seed)
    if name == "web_100dpi":
        page.image = page.image.resize((page.image.width // 3, page.image.height // 3), Image.Resampling.LANCZOS)
        page.dpi = DPI // 3
    elif name == "web_80ppi_jpeg":
        small = page.image.resize(
            (page.image.width * 80 // DPI, page.image.height * 80 // DPI), Image.Resampling.LANCZOS
        )
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=55)
        page.image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        page.dpi = 80
    elif name.startswith("phone_skew_"):
        page.image = _phone(page.image, float(name.rsplit("_", 1)[1]), seed)
    return page


# --------------------------------------------------------------------------- handwritten fill-ins of printed blanks

FILL_INS = {
    "letterhead": "a letter's blank: «________ № ________» with the captions «(күні)» and «(индексі)» under the rules,"
    " date and number by blue pen (real 06, 07)",
    "day_month": "«г. Павлодар «____» ______ 2025 г.»: the day and month by blue pen, the year printed (real 22)",
    "scribbled": "the letterhead's date and number blanks filled with pen loops no one can read",
    "printed_date": "a typed «Дата выдачи 10 марта 2024 года» and, in the letterhead's blank, a pen date 05.02.2021",
}
"""The synthetic fill-in pages of `fillin_page`, each with what it reproduces."""


def _pen_digits(img: Image.Image, xy: tuple[int, int], text: str, size: int = 80) -> Box:
    """Digits written by pen, about 6 mm high: DejaVu Sans slanted by 17°, turned 2°, in blue ink (as `_hand`)."""
    fnt = font("DejaVuSans.ttf", size)
    layer = Image.new("L", (int(fnt.getlength(text)) + 80, size * 2), 0)
    ImageDraw.Draw(layer).text((20, size // 3), text, font=fnt, fill=255, stroke_width=2, stroke_fill=255)
    layer = layer.transform(layer.size, Image.Transform.AFFINE, (1, 0.3, -14, 0, 1, 0), Image.Resampling.BILINEAR)
    layer = layer.rotate(2, resample=Image.Resampling.BILINEAR, expand=False)
    img.paste(BLUE, (xy[0], xy[1], xy[0] + layer.width, xy[1] + layer.height), layer)
    ink = layer.getbbox() or (0, 0, layer.width, layer.height)
    return (xy[0] + ink[0], xy[1] + ink[1], xy[0] + ink[2], xy[1] + ink[3])


def fillin_page(name: str, seed: int = 5) -> Page:
    """A 300 dpi letterhead or contract page whose date and number live in printed blanks filled by pen
    (`FILL_INS`): `page.target` is the date's ink, `page.signature` the number's (where there is one)."""
    if name not in FILL_INS:
        raise ValueError(f"unknown fill-in page {name!r}")
    image = Image.new("RGB", (2000, 1400), (PAPER, PAPER, PAPER))
    page = Page(image=image)
    d = ImageDraw.Draw(image)
    head, body = font("DejaVuSerif-Bold.ttf", 40), font("DejaVuSerif.ttf", 36)
    _text(d, (200, 80), "ТОВАРИЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ", head, page)
    _text(d, (520, 140), "«ЖАНҰЯ КӨМЕК»", head, page)
    _text(d, (200, 230), "050000, г. Алматы, ул. Абая, 10, тел. 8 727 2619200", body, page)
    rule = (INK, INK, INK)
    if name == "day_month":
        _text(d, (120, 420), "ДОГОВОР О СОТРУДНИЧЕСТВЕ", head, page)
        y = 520
        _text(d, (120, y), "г. Алматы", body, page)
        x = 1100
        d.text((x, y), "«", font=body, fill=rule)
        d.line((x + 22, y + 40, x + 112, y + 40), fill=rule, width=3)
        d.text((x + 116, y), "»", font=body, fill=rule)
        d.line((x + 160, y + 40, x + 420, y + 40), fill=rule, width=3)
        _text(d, (x + 440, y), "2025 г.", body, page)
        page.target = _pen_digits(image, (x + 10, y - 62), "21")
        _pen_digits(image, (x + 200, y - 62), "05")
    else:
        y = 400
        d.line((160, y + 40, 640, y + 40), fill=rule, width=3)
        _text(d, (680, y), "№", body, page)
        d.line((760, y + 40, 1200, y + 40), fill=rule, width=3)
        caption = font("DejaVuSans.ttf", 26)
        _text(d, (340, y + 52), "(күні)", caption, page)
        _text(d, (900, y + 52), "(индексі)", caption, page)
        if name == "scribbled":
            page.target = _pen_loops(d, 240, y - 20, 360, 50, BLUE)
            page.signature = _pen_loops(d, 760, y - 20, 280, 50, BLUE)
        else:
            page.target = _pen_digits(image, (150, y - 62), "05.02.2021")
            page.signature = _pen_digits(image, (800, y - 62), "214/88")
        _text(d, (1200, 500), "ТОО «Сенім»", head, page)
        _text(d, (1200, 560), "г. Алматы, ул. Сатпаева, 1", body, page)
    lines = [
        "Настоящим сообщаем, что организация оказывает",
        "специальные социальные услуги в условиях",
        "полустационара с 2019 года по настоящее время.",
    ]
    if name == "printed_date":
        lines.append("Дата выдачи 10 марта 2024 года")
    yy = 760
    for text in lines:
        _text(d, (200, yy), text, body, page)
        yy += 70
    _text(d, (200, yy + 120), "Директор ____________ Сейтқали А. Б.", body, page)
    return _finish(page, seed)


# a scanner's OCR layer misread letter by letter (real doc 08: «заседанпя СоветА лиректоров», «дкцпонерпое»,
# «202l»): every other word's и/а/ц/ж/1 read as п/д/щ/х/l; still Cyrillic words, no mixed scripts
_SCANNER_CONFUSIONS = str.maketrans({"и": "п", "а": "д", "ц": "щ", "ж": "х", "1": "l"})


def garbled(lines: tuple[str, ...]) -> tuple[str, ...]:
    """The lines as a scanner's misreading OCR layer has them (real doc 08)."""
    return tuple(
        " ".join(w.translate(_SCANNER_CONFUSIONS) if j % 2 == 0 else w for j, w in enumerate(line.split()))
        for line in lines
    )


def scanner_layer_pdf(path: Path, *, misread: bool = True) -> Path:
    """A scanned page (`mode_page("stamp_blue")`, legible) in a PDF with the scanner's invisible OCR layer of its
    text over it: the layer is `garbled` (real doc 08) unless `misread` is False."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    page = mode_page("stamp_blue")
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
    width, height = page.image.width * 72 / DPI, page.image.height * 72 / DPI
    c = canvas.Canvas(str(path), pagesize=(width, height))
    c.drawImage(ImageReader(page.image), 0, 0, width, height)
    lines = (TITLE_RU, *MODE_BODY, "Директор ____________ Сейтқали А. Б.")
    text = c.beginText(29, height - 30)
    text.setFont("DejaVuSerif", 9.6)
    text.setTextRenderMode(3)  # invisible, as a scanner's OCR layer
    text.setLeading(19)
    for line in garbled(lines) if misread else lines:
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    return path


# --------------------------------------------------------------------------- seals the detectors missed (issue 11)

PALE_BLUE = (150, 160, 204)  # saturation ~65 of 255: a faded or lightly inked seal (real docs 26, 30)

SEAL_PAGES: dict[str, str] = {
    "seal_pale": "a pale blue round seal over the signatory's line (real docs 26, 30): a seal",
    "seal_web_no_dpi": "a whole page saved as a ~100 dpi web image with no resolution metadata (real docs 14, 15, "
    "23, 24, 36, 37): its 40 mm seal measures 40 mm, not 13",
    "emblem_top": "a blue round state emblem centred at the head of a blank, no seal (real docs 07, 13, 20, 38): "
    "no seal",
    "guilloche_pale": "a pale blue security background over the whole page, no seal (real docs 01, 24): no seal",
}
"""Pages for the seal detector: what each reproduces (`seal_page`)."""


def seal_page(name: str, seed: int = 5) -> Page:
    """A compact certificate reproducing a seal the detectors missed or must not see (`SEAL_PAGES`).

    `page.stamp` is the seal's box when there is one; `page.dpi` the resolution the image is saved at (0 for
    none: the web image carries no metadata).
    """
    rng = random.Random(seed)
    page, d = _mode_base(seed, height=2400 if name == "emblem_top" else 1500)
    sign_y = page.lines[-1][1]
    if name == "seal_pale":
        page.stamp = _round_seal(d, 760, sign_y - 10, 240, PALE_BLUE)
        page.signature = _scribble(d, 500, sign_y - 60, 300, 100, rng, BLUE)
    elif name == "seal_web_no_dpi":
        page.stamp = _round_seal(d, 1300, sign_y + 40, 240, BLUE)
    elif name == "emblem_top":
        # 26 mm across, centred over the title in the page's top eighth, as a printed emblem is
        _round_seal(d, page.image.width // 2, 220, 150, BLUE)
        page.stamp = None
    elif name == "guilloche_pale":
        w, h = page.image.size
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        waves = np.zeros((h, w), np.float32)
        for k in range(5):
            phase = (yy + 40 * np.sin(xx / (31.0 + 7 * k) + k)) % (24 + 5 * k)
            waves = np.maximum(waves, (phase < 3).astype(np.float32))
        arr = np.asarray(page.image).astype(np.float32)
        ink = arr.mean(axis=2) < 150
        tint = np.array(PALE_BLUE, np.float32)
        mixed = arr * (1 - waves[..., None]) + tint * waves[..., None]
        mixed[ink] = arr[ink]
        page.image = Image.fromarray(mixed.astype(np.uint8))
    else:
        raise ValueError(f"unknown seal page {name!r}")
    page = _finish(page, seed)
    if name == "seal_web_no_dpi":
        page.image = page.image.resize((page.image.width // 3, page.image.height // 3), Image.Resampling.LANCZOS)
        if page.stamp is not None:
            x0, y0, x1, y1 = page.stamp
            page.stamp = (x0 // 3, y0 // 3, x1 // 3, y1 // 3)
        page.dpi = 0
    return page


def plain_page(seed: int = 5) -> Page:
    """The compact certificate of `mode_page` as a flat scan, nothing added: what a phone photo is compared to."""
    page, _ = _mode_base(seed)
    return _finish(page, seed)


def small_page(text_lines: tuple[str, ...], *, seed: int = 3, noise: float = 3.0) -> Image.Image:
    """A small text crop (for fast unit tests): the given lines at 12 pt, 300 dpi."""
    fnt = font("DejaVuSerif.ttf", 46)
    width = 80 + max(int(fnt.getlength(t)) for t in text_lines)
    height = 60 + 92 * len(text_lines)
    image = Image.new("RGB", (width, height), (PAPER, PAPER, PAPER))
    draw = ImageDraw.Draw(image)
    for i, t in enumerate(text_lines):
        draw.text((40, 30 + 92 * i), t, font=fnt, fill=(INK, INK, INK))
    return _grey_noise(image, noise, seed)


def main(argv: list[str]) -> int:
    """Write every labelled variant of page 1 as PNG into the given folder."""
    out = Path(argv[0] if argv else "pages")
    out.mkdir(parents=True, exist_ok=True)
    base = document_page(1)
    for name in LABELS:
        v = variant(base, name)
        v.image.save(out / f"{name}.png", dpi=(v.dpi, v.dpi))
    for name in MODES:
        m = mode_page(name)
        m.image.save(out / f"mode_{name}.png", dpi=(m.dpi, m.dpi))
    print(f"{len(LABELS) + len(MODES)} pages written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


# --------------------------------------------------------------------------- signatures the detectors missed (issue 11)

MARK_PAGES: dict[str, str] = {
    "signature_across_seal": "a blue signature written across a blue round seal, over the signatory's line, in the "
    "seal's own ink (real docs 02, 34): one blob of ink that holds a seal and a signature",
    "seal_alone": "a blue round seal over the signatory's line, no signature: a seal and nothing else",
    "signature_in_seal_web": "a 96 ppi web image (real docs 14, 15): a blue signature written almost wholly inside a "
    "round seal, its tail leaving the ring by about 3.5 mm",
}
"""Pages for the signature detector: what each reproduces (`mark_page`)."""


def _pen_loops(draw: ImageDraw.ImageDraw, x: int, y: int, w: int, h: int, colour: tuple[int, int, int]) -> Box:
    """A signature's tall loops and a long tail to the upper right, 4 px pen (about 0.35 mm at 300 dpi)."""
    points = []
    steps = 160
    for i in range(steps):
        t = i / (steps - 1)
        px = x + t * w * 0.7 + 30 * math.sin(11 * math.pi * t)
        py = y + h * 0.6 - h * 0.6 * abs(math.sin(5 * math.pi * t))
        points.append((px, py))
    points += [(x + w * 0.7, y + h * 0.6), (x + w, y - h * 0.2)]
    draw.line(points, fill=colour, width=4, joint="curve")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (int(min(xs)) - 3, int(min(ys)) - 3, int(max(xs)) + 3, int(max(ys)) + 3)


def mark_page(name: str, seed: int = 5) -> Page:
    """A compact certificate with a seal and a signature as the real set has them (`MARK_PAGES`).

    `page.stamp` is the seal's box, `page.signature` the signature's (None when there is none)."""
    page, d = _mode_base(seed, height=1700)
    sign_y = page.lines[-1][1]
    cx, cy, r = 980, sign_y + 60, 236  # a 40 mm seal at 300 dpi over the signatory's line
    page.stamp = _round_seal(d, cx, cy, r, BLUE)
    if name == "signature_across_seal":
        # the pen enters the ring from the left, crosses its upper half and leaves it to the upper right
        page.signature = _pen_loops(d, cx - 150, cy - 330, 560, 260, BLUE)
    elif name == "signature_in_seal_web":
        return _signature_in_seal_web(page, d, (cx, cy, r), seed)
    elif name != "seal_alone":
        raise ValueError(f"unknown mark page {name!r}")
    return _finish(page, seed)


WEB_DPI = 96


def _signature_in_seal_web(page: Page, d: ImageDraw.ImageDraw, seal: tuple[int, int, int], seed: int) -> Page:
    """Loops inside the seal's ring and a tail leaving it 3.5 mm to the upper right, the page then shrunk to
    `WEB_DPI` (boxes too): at that size the pen's strokes past the ring are all that tells them from the seal."""
    cx, cy, r = seal
    x, y, w, h = cx - 170, cy - 70, 300, 140
    points = []
    for i in range(160):
        t = i / 159
        points.append(
            (x + t * w + 25 * math.sin(11 * math.pi * t), y + h * 0.6 - h * 0.6 * abs(math.sin(5 * math.pi * t)))
        )
    past = r + 3.5 * 300 / 25.4
    points += [(x + w, y + h * 0.6), (cx + past * math.cos(-0.35), cy + past * math.sin(-0.35))]
    d.line(points, fill=BLUE, width=6, joint="curve")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    page = _finish(page, seed)
    f = WEB_DPI / 300
    page.image = page.image.resize(
        (round(page.image.width * f), round(page.image.height * f)), Image.Resampling.LANCZOS
    )

    def shrink(b: Box) -> Box:
        return (round(b[0] * f), round(b[1] * f), round(b[2] * f), round(b[3] * f))

    page.signature = shrink((int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))))
    page.stamp = shrink(page.stamp) if page.stamp is not None else None
    page.dpi = WEB_DPI
    return page


EDS_STAMP_LINES: tuple[str, ...] = (
    "ДОКУМЕНТ ПОДПИСАН",
    "ЭЛЕКТРОННОЙ ПОДПИСЬЮ",
    "Сертификат 44A369F5521E0BAD08610CBB88257ED3",
    "Владелец ФЕДЕРАЛЬНАЯ СЛУЖБА ПО НАДЗОРУ",
    "Действителен с 07.12.2023 по 01.03.2025",
)
"""A Russian-style visual stamp of a qualified e-signature (real doc 27)."""


def _eds_stamp_image() -> Image.Image:
    """The visual EDS stamp as a picture, 69 x 28 mm at 300 dpi: a rounded frame, the heading, certificate, owner."""
    image = Image.new("RGB", (816, 336), "white")
    d = ImageDraw.Draw(image)
    d.rounded_rectangle((4, 4, 811, 331), radius=18, outline=(0, 0, 0), width=4)
    head, small = font("DejaVuSerif.ttf", 34), font("DejaVuSerif.ttf", 26)
    for i, line in enumerate(EDS_STAMP_LINES[:2]):
        d.text((408 - int(head.getlength(line)) // 2, 30 + 44 * i), line, font=head, fill=(0, 0, 0))
    for i, line in enumerate(EDS_STAMP_LINES[2:]):
        d.text((24, 160 + 50 * i), line, font=small, fill=(0, 0, 0))
    return image


def eds_stamp_pdf(path: Path, *, vector: bool = False) -> Path:
    """A born-digital extract (sound text layer) signed only by a visual EDS stamp at the foot of its page (real doc
    27): the stamp is a picture placed on the page, or (`vector`) a frame drawn with its words in the text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
    width, height = 595.0, 842.0
    c = canvas.Canvas(str(path), pagesize=(width, height))
    text = c.beginText(60, height - 80)
    text.setFont("DejaVuSerif", 11)
    text.setLeading(16)
    for line in ("ВЫПИСКА ИЗ РЕЕСТРА ЛИЦЕНЗИЙ № 2471", *MODE_BODY, *MODE_BODY):
        text.textLine(line)
    c.drawText(text)
    x, y, w, h = 220.0, 40.0, 195.8, 80.6  # 69 x 28 mm
    if vector:
        c.roundRect(x, y, w, h, 5)
        c.setFont("DejaVuSerif", 8)
        for i, line in enumerate(EDS_STAMP_LINES):
            c.drawString(x + 8, y + h - 14 - 13 * i, line)
    else:
        c.drawImage(ImageReader(_eds_stamp_image()), x, y, w, h)
    c.showPage()
    c.save()
    return path


# --------------------------------------------------------------------- faint pen ink and born-digital titles (issue 11)

GREY_BLUE = (170, 175, 190)
"""A grey-blue ballpoint's ink, HSV saturation ~27 of 255 (real docs 08, 35: 15-40), under the colour masks' 70 and the
pale mask's 35; the print is black (saturation ~0)."""

FAINT_PAGES: dict[str, str] = {
    "signature_faint": "a grey-blue ballpoint signature (saturation ~27) right of the signatory's line «Директор "
    "____ Сейтқали А. Б.» and no seal (real docs 08, 35): too pale for the colour and pale-seal masks",
    "unsigned_faint_tint": "the same certificate unsigned, its paper tinted grey-blue a little under the paper level "
    "(saturation ~23) over the lower half: no ink, no signature",
}
"""Pages for the faint-ink signature detector (`faint_page`)."""


def faint_page(name: str, seed: int = 5) -> Page:
    """A compact certificate signed (or not) in faint grey-blue ink (`FAINT_PAGES`); `page.signature` is the
    signature's box, None when there is none."""
    page, d = _mode_base(seed, height=1500)
    sign = page.lines[-1]
    if name == "signature_faint":
        page.signature = _pen_loops(d, sign[2] + 60, sign[1] - 40, 420, 150, GREY_BLUE)
    elif name == "unsigned_faint_tint":
        arr = np.asarray(page.image).copy()
        lower = arr[arr.shape[0] // 2 :]
        paper = (lower == PAPER).all(axis=2)
        lower[paper] = (205, 212, 226)
    else:
        raise ValueError(f"unknown faint page {name!r}")
    if name == "unsigned_faint_tint":
        page.image = Image.fromarray(arr)
    return _finish(page, seed)


KK_SIGNATORY_LINES: tuple[str, ...] = (
    "Алғыс хат",
    "Құрметті «ТЕСТ» ЖШС ұжымы!",
    "Сіздерді мерекемен құттықтаймын!",
    "Ізгі ниетпен,",
    "Тест ауылдық округінің әкімі А.Тестов",
)
"""A Kazakh letter of thanks closing with an akim's title (real doc 15): the signature belongs by the last line."""

DETAILS_CARD_LINES: tuple[str, ...] = (
    "ТОО «ТЕСТ ИНВЕСТ»",
    "Республика Казахстан, Алматинская обл., с. Тестовое",
    "ул. Тестовая, здание 1",
    "БИН 190340000000",
    "ИИК KZ000000000000000000",
    "АО «Тест Банк»",
    "БИК TESTKZKX",
    "Кбе 17",
    "Телефон: 8 700 000 0000",
    "Email: office@test.kz",
    "Генеральный директор",
    "К. Тестова",
)
"""A born-digital company details card («реквизиты», real doc 16): the director's title and name, no signature."""


def broken_tail_web_page(seed: int = 5) -> Page:
    """A 96 ppi web image (real doc 15): a round seal with pen loops inside its ring and the pen's thin tail running
    up and away from the ring, broken off where it leaves it (the stroke starts 3 mm past the rim, 1 px wide at 96
    ppi). `page.signature` is the tail's box, `page.stamp` the seal's."""
    page, d = _mode_base(seed, height=1700)
    sign_y = page.lines[-1][1]
    cx, cy, r = 980, sign_y + 60, 236
    page.stamp = _round_seal(d, cx, cy, r, BLUE)
    mm = 300 / 25.4
    start, end = r + 3 * mm, r + 9 * mm
    a = -0.25  # a little above the horizontal, to the right
    tail = [(cx + start * math.cos(a), cy + start * math.sin(a))]
    tail.append((cx + end * math.cos(a) + 10, cy + end * math.sin(a) - 90))
    d.line(tail, fill=BLUE, width=3)
    d.line([(cx - 120, cy - 20), (cx - 40, cy - 90), (cx + 40, cy + 10), (cx + 120, cy - 60)], fill=BLUE, width=6)
    page = _finish(page, seed)
    f = WEB_DPI / 300
    page.image = page.image.resize(
        (round(page.image.width * f), round(page.image.height * f)), Image.Resampling.LANCZOS
    )
    xs, ys = [p[0] for p in tail], [p[1] for p in tail]
    page.signature = (round(min(xs) * f), round(min(ys) * f), round(max(xs) * f), round(max(ys) * f))
    page.stamp = tuple(round(v * f) for v in page.stamp)  # type: ignore[assignment]
    page.dpi = WEB_DPI
    return page
