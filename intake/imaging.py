"""Image measures of a scanned page and detectors of alterations (refusal ground 27.3).

Facts only: every function measures and locates; `intake.judgements.on_scans` judges. Measures follow
`research/scan-heuristics.md`: word-confidence statistics (§1.1), text height (§1.2), the
contrast-normalised sharpness S = p99(|Sobel|) / (4·A) with A = p90(paper) − p10(ink) (§1.3), the
background noise (§1.4). Detectors (§2): strokes through the middle band of words (crossed out),
whiter and flatter patches inside text lines (correction fluid, erasure), blue or violet ink in the
body away from the signature and seal zone (postscripts), pixel-identical glyphs (pasted digits).
Boxes are pixels of the page image as OCR saw it (after rotation): x0, y0, x1, y1.
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PIL import Image

from intake.models import Box, ImageMeasures, PageSign, Word, ZoneConfidence

if TYPE_CHECKING:  # numpy and OpenCV load in the functions that use them: a dossier with no scan never does
    import numpy as np
    from numpy.typing import NDArray

    Grey = NDArray[np.uint8]

BEYOND_NOISE_REL = 0.25  # paper noise above this share of the contrast: text is buried, OCR is not run
BEYOND_BLUR_S = 0.12  # sharpness below this: strokes have merged (research §1.3)
DETAIL_PX = 12.0  # below this text height, strokes and patches cannot be told from letters
MIN_NOISE_FOR_IDENTITY = 1.5  # below this paper noise, two glyphs' pixels cannot be told apart from a copy
STRIKE_MIN_H = 0.05  # a strike is at least this share of the text height thick (2 px at 40 px text)
STRIKE_MAX_LIGHTER = 0.35  # ... and lighter than the print by at most this share of the paper-to-print contrast
LINE_ILLEGIBLE = 40.0  # a line whose mean word confidence is below this is located as an illegible line

ANCHORS = re.compile(
    r"(исправлен|түзетілген|подпис|подп\.|қолы|қол\b|директор|руководител|басшы|заведующ|председател|бас дәрігер|главн|"
    r"м\.п|м\.о|мп\b|signature|signed|director|уәкілетті|секретар|начальник|заместител|орынбасар|уполномоч|"
    r"управляющ|бухгалтер|\bверн[оа]\b|төраға|хатшы|копия|"  # «Верно», «КОПИЯ ВЕРНА»; never «Достоверность»
    # Kazakh signatories and closing formulas (real doc 15: «Ізгі ниетпен, ... ауылдық округінің әкімі»); an akim's
    # office («әкімдігі», a heading under the emblem) is not a signatory
    r"әкімі?\b|меңгеруші|құрметпен|ізгі ниетпен|с уважением|"
    # a signatory's declaration, always followed by the signatures (real doc 35: «Достоверность и полноту сведений
    # подтверждаю.» over the signatories' lines that OCR garbles); «подтверждающий» (a document's title) is not
    r"подтверждаю\b|растаймын\b)",
    re.IGNORECASE,
)
_WORDLIKE = re.compile(r"[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def to_grey(rgb: NDArray[np.uint8]) -> Grey:
    """Luma of an RGB array."""
    import numpy as np

    from intake.opencv import cv2

    return np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), dtype=np.uint8)


def good_words(words: Sequence[Word], exclude: Sequence[Box] = ()) -> list[Word]:
    """Words that count for legibility: a letter or digit, 2+ characters (or a digit), not in a seal/signature zone."""
    out = []
    for w in words:
        t = w.text.strip()
        if not _WORDLIKE.search(t):
            continue
        if len(t) < 2 and not t.isdigit():
            continue
        if any(_overlap(w.box, z) > 0.5 * _area(w.box) for z in exclude):
            continue
        out.append(w)
    return out


@dataclass(frozen=True)
class ConfidenceStats:
    """Word-confidence statistics of a page (research §1.1)."""

    words: int = 0
    conf_median: float | None = None
    conf_mean: float | None = None
    low60: float | None = None
    text_height_px: float | None = None
    line_means: dict[int, float] = field(default_factory=dict)


def confidence_stats(words: Sequence[Word]) -> ConfidenceStats:
    """Median, mean, share below 60 and the per-line means of the words' confidences."""
    if not words:
        return ConfidenceStats()
    confs = [w.conf for w in words]
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return ConfidenceStats(
        words=len(words),
        conf_median=round(statistics.median(confs), 1),
        conf_mean=round(statistics.fmean(confs), 1),
        low60=round(sum(c < 60 for c in confs) / len(confs), 3),
        text_height_px=float(statistics.median(w.box[3] - w.box[1] for w in words)),
        line_means={k: round(statistics.fmean(x.conf for x in v), 1) for k, v in lines.items()},
    )


def zone_confidence(words: Sequence[Word], columns: Sequence[tuple[int, int]] = ()) -> tuple[ZoneConfidence, ...]:
    """OCR confidence per Tesseract block and, on a page of two or more columns, per column."""
    groups: dict[tuple[str, int], list[Word]] = {}
    for w in words:
        groups.setdefault(("block", w.block), []).append(w)
        for i, (x0, x1) in enumerate(columns if len(columns) > 1 else ()):
            if x0 <= (w.box[0] + w.box[2]) / 2 < x1:
                groups.setdefault(("column", i), []).append(w)
    out = []
    for ws in groups.values():
        confs = [w.conf for w in ws]
        out.append(
            ZoneConfidence(
                box=_union([w.box for w in ws]),
                words=len(ws),
                conf_mean=round(statistics.fmean(confs), 1),
                conf_median=round(statistics.median(confs), 1),
            )
        )
    return tuple(out)


SMALL_PRINT = 0.6  # a line whose words are under this share of the body's text height is small print


def illegible_lines(
    words: Sequence[Word], threshold: float = LINE_ILLEGIBLE, body_height: float | None = None
) -> list[PageSign]:
    """Lines of text (3+ words, 12+ characters) whose mean word confidence is below the threshold.

    Shorter runs read as junk are a logo, an emblem, a stamp's lettering or a mark, not a line of print
    (real docs 02, 06, 07). A line in parentheses is a printed form's caption under a field («(полное
    наименование в соответствии с учредительными документами)», «(число, месяц, год)», real doc 30): small
    italic print of the blank, not the document's content, and not located either; so is a line of small
    print (words under `SMALL_PRINT` of `body_height`: a form's faint captions, its printer's imprint, real
    docs 25, 34).
    """
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    out = []
    for ws in lines.values():
        chars = sum(len(w.text) for w in ws)
        mean = statistics.fmean(w.conf for w in ws)
        caption = ws[0].text.startswith("(") or ws[-1].text.rstrip(".,;:_").endswith(")")
        if body_height is not None:
            height = statistics.median(w.box[3] - w.box[1] for w in ws)
            caption = caption or height < SMALL_PRINT * body_height
        if len(ws) >= 3 and chars >= 12 and mean < threshold and not caption:
            out.append(
                PageSign(
                    kind="illegible_line",
                    box=_union([w.box for w in ws]),
                    values={"line_conf_mean": round(mean, 1)},
                    words=tuple(w.text for w in ws),
                )
            )
    return out


MAX_ENTRY_CONTINUATION = 2  # lines under a field's first line of entry that continue it
ENTRY_LINE_CONF = 60.0  # a whole line is taken for an entry only when it does not read like print (mean below)


def field_entries(words: Sequence[Word]) -> frozenset[int]:
    """Indices of the words that fill in a printed field rather than print its form: after a label ending
    in a colon on the same line («Юридический адрес: г. Бишкек, ул. Анкара, 1/17»), the line under a label
    line that ends in a colon («Наименование учреждения образования:» / «Международный Университет ...»),
    and up to two lines continuing that entry (no label of their own); a whole line only when it does not
    read like print (mean confidence under `ENTRY_LINE_CONF`): a paragraph after «следующее:» stays print.

    Entries are handwritten, typed or printed in a calligraphic script over a form (real doc 28): what OCR
    reads of them says little about the legibility of the print, and a detail in them that does not read is
    the details' business (indeterminate), not the page's.
    """
    lines: dict[int, list[int]] = {}
    for i, w in enumerate(words):
        lines.setdefault(w.line, []).append(i)
    out: set[int] = set()
    previous_label = False  # the previous line ends with a label's colon
    run = -1  # lines of entry since the label line (-1: not in an entry)
    for key in sorted(lines):
        idx = lines[key]
        texts = [words[i].text for i in idx]
        labels = [k for k, t in enumerate(texts) if t.endswith(":")]
        last_label = labels[-1] if labels else None
        if last_label is not None and last_label < len(idx) - 1:
            out.update(idx[last_label + 1 :])  # «Label: entry» on one line
        mean = statistics.fmean(words[i].conf for i in idx)
        whole = last_label is None and mean < ENTRY_LINE_CONF and (previous_label or 0 <= run < MAX_ENTRY_CONTINUATION)
        if whole:
            out.update(idx)
            run = run + 1 if not previous_label else 0
        else:
            run = -1
        previous_label = last_label is not None and last_label == len(idx) - 1
    return frozenset(out)


def binarise(grey: Grey, text_height: float) -> Grey:
    """A locally thresholded copy (adaptive Gaussian over ~2 text heights): print kept, a security
    background or uneven lighting flattened to white (a stand-in for Sauvola's method)."""
    import numpy as np

    from intake.opencv import cv2

    block = max(15, int(2 * text_height) | 1)
    out = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)
    return np.asarray(cv2.medianBlur(out, 3), dtype=np.uint8)


FLATTEN_PRINT_SHARE = (0.005, 0.2)  # the darkest class holds this share of the page when it is the print


def flatten_background(grey: Grey) -> Grey | None:
    """A copy with only the print kept: a security background, its guilloche and a watermark emblem set to
    white (real docs 24, 34: green grid and grey emblem, brown guilloche and eagle, both read at median ~40).

    The page's grey levels split (Otsu) into paper and the rest; the rest splits again into the pattern
    (lighter) and the print (darker). Levels are stretched so the print is black and everything from 60 %
    of the way to the pattern's level up is white; anti-aliased edges keep their grey. None when the page
    has no such three levels (the darkest class too thin or too large to be print)."""
    import numpy as np

    from intake.opencv import cv2

    t1, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    below = grey[grey < t1]
    if below.size < 100:
        return None
    t2, _ = cv2.threshold(np.ascontiguousarray(below.reshape(1, -1)), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = below[below < t2]
    share = dark.size / grey.size
    if not FLATTEN_PRINT_SHARE[0] <= share <= FLATTEN_PRINT_SHARE[1]:
        return None
    lo = float(np.percentile(dark, 5))
    cut = float(t2) + (float(t1) - float(t2)) * 0.6
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) / max(1.0, cut - lo) * 255, 0, 255).astype(np.uint8)
    return np.asarray(lut[grey], dtype=np.uint8)


def print_only(scan: Scan) -> Scan:
    """The analysed page with its grey levels flattened to the print (`flatten_background`): what the detectors
    look at when OCR read that copy. Colour (seals, pen) is kept as it was measured."""
    import dataclasses

    flat = flatten_background(scan.grey)
    if flat is None:
        return scan
    ink, _ = ink_mask(flat)
    return dataclasses.replace(scan, grey=flat, ink=ink, paper_level=255.0, noise_sd=background_noise(flat))


def ink_mask(grey: Grey) -> tuple[NDArray[np.bool_], float]:
    """Ink pixels by Otsu's threshold, and the threshold."""
    from intake.opencv import cv2

    t, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask.astype(bool), float(t)


@dataclass(frozen=True)
class Blob:
    """A connected patch of coloured ink (after closing small gaps), in full-size pixels."""

    box: Box
    area: int
    purity: float  # coloured pixels / all ink pixels in the box: pen ink ~1, black print with colour fringes ~0
    hue: float  # median OpenCV hue (0-180) of its coloured pixels
    fill: float  # area / box area: a ring or a signature is sparse, a printed block dense


@dataclass(frozen=True)
class Scan:
    """One page image analysed once: grey levels, ink, the paper's level and noise, coloured ink.

    `ocr_grey` is the grey page with the coloured ink (stamps, pen) dropped out to the paper's level,
    what OCR reads (colour dropout); `dropout_share` the share of the page's pixels dropped (0 when
    the print itself is coloured and dropping it would leave no text).
    """

    grey: Grey
    ink: NDArray[np.bool_]
    paper_level: float
    noise_sd: float
    colour: tuple[Blob, ...]
    seals: tuple[Blob, ...]
    ocr_grey: Grey
    colour_mask: NDArray[np.uint8]  # half size: 255 where blue, violet or red ink
    dropout_share: float = 0.0
    pale_mask: NDArray[np.uint8] | None = None
    """Half size: 255 where pale blue or violet ink (S > 35, under the paper's brightness): a faded seal."""
    faint_mask: NDArray[np.uint8] | None = None
    """Half size: 255 where blue or violet ink is clearly more saturated than the page's own print, taken at
    full size (a thin grey-blue pen stroke, S 15-30, keeps its pixels): `faint_ink`."""


def analyse(page: NDArray[np.uint8] | Image.Image, dpi: float, *, dropout: bool = True) -> Scan:
    """Grey, Otsu ink mask, paper level, background noise, coloured-ink blobs, and the dropped-out grey for OCR.

    Blobs are looked for at half size (box-averaged: a black letter's colour fringe averages out,
    a pen stroke 3-5 px wide keeps its colour).
    """
    import numpy as np

    from intake.opencv import cv2

    rgb = np.asarray(page.convert("RGB") if isinstance(page, Image.Image) and page.mode != "RGB" else page, np.uint8)
    grey = to_grey(rgb)
    small = np.asarray(cv2.resize(rgb, (rgb.shape[1] // 2, rgb.shape[0] // 2), interpolation=cv2.INTER_AREA), np.uint8)
    ink, _ = ink_mask(grey)
    level = _hist_percentile(
        np.ascontiguousarray(grey[::2, ::2]), 1 - np.ascontiguousarray(ink[::2, ::2]).view(np.uint8), 50
    )
    blue, colour = colour_masks(small)
    resized = cv2.resize(ink.view(np.uint8), (small.shape[1], small.shape[0]), interpolation=cv2.INTER_NEAREST)
    small_ink: NDArray[np.uint8] = np.asarray(cv2.bitwise_or(np.asarray(resized * 255, np.uint8), colour), np.uint8)
    hue = np.asarray(cv2.cvtColor(small, cv2.COLOR_RGB2HSV)[..., 0], np.uint8)
    k = max(2, int(dpi / 300 * 35 * 0.3))  # close gaps of ~0.6 of a 12 pt text height (at half size)
    ks = max(2, int(dpi * 0.75 / 25.4))
    seals = _blobs(
        cv2.morphologyEx(colour, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (ks, ks))),
        colour,
        small_ink,
        hue,
        2,
    )
    faint = faint_ink(rgb, ink, level)
    ocr_grey, share = grey, 0.0
    if dropout:
        ocr_grey, share = _dropout(rgb, grey, ink, level, [b.box for b in seals if _droppable(b, dpi)])
    del rgb
    return Scan(
        grey=grey,
        ink=ink,
        paper_level=level,
        noise_sd=background_noise(grey),
        colour=_blobs(cv2.morphologyEx(blue, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8)), blue, small_ink, hue, 2),
        seals=seals,
        ocr_grey=ocr_grey,
        colour_mask=colour,
        dropout_share=share,
        pale_mask=pale_mask(small),
        faint_mask=faint,
    )


def _droppable(blob: Blob, dpi: float) -> bool:
    """Coloured ink that is not body print: anything 5-90 mm on both sides (a seal, a stamp, a signature,
    pen writing are taller than a line of print) or a sparse pattern over 90 mm (a guilloche, a security
    background). Coloured lines of print (under 5 mm high) stay for OCR."""
    mm = dpi / 25.4
    w, h = blob.box[2] - blob.box[0], blob.box[3] - blob.box[1]
    if min(w, h) >= 5 * mm and max(w, h) <= 90 * mm:
        return True  # a seal, a stamp, a signature, pen writing: taller than a line of print
    return max(w, h) > 90 * mm and blob.fill < 0.3


MIN_TEXT_AFTER_DROPOUT = 0.004
"""Colour is dropped only when at least this share of the page stays dark ink (else the print is coloured)."""


def _dropout(
    rgb: NDArray[np.uint8], grey: Grey, ink: NDArray[np.bool_], level: float, boxes: Sequence[Box]
) -> tuple[Grey, float]:
    """The grey page with the saturated blue, violet and red ink of stamps, pen and security patterns (in
    `boxes`) set to the paper's level: colour dropout before OCR. Ink over black print stays dark."""
    import numpy as np

    from intake.opencv import cv2

    if not boxes:
        return grey, 0.0
    _, colour = colour_masks(rgb)
    keep = np.zeros_like(colour)
    for x0, y0, x1, y1 in boxes:
        keep[max(0, y0) : y1, max(0, x0) : x1] = 255
    colour = np.asarray(cv2.bitwise_and(colour, keep), np.uint8)
    mask = np.asarray(cv2.dilate(colour, np.ones((3, 3), np.uint8)), dtype=bool)
    share = float(mask.mean())
    if share < 1e-4:
        return grey, 0.0
    left = float((ink & ~mask).mean())
    if left < MIN_TEXT_AFTER_DROPOUT or left < 0.25 * float(ink.mean()):
        return grey, 0.0
    out = grey.copy()
    out[mask] = np.uint8(min(255, round(level)))
    return out, round(share, 4)


def _blobs(
    closed: NDArray[Any], colour: NDArray[np.uint8], ink: NDArray[np.uint8], hue: NDArray[np.uint8], scale: int
) -> tuple[Blob, ...]:
    import numpy as np

    from intake.opencv import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed)
    out = []
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if w * h < 4:
            continue
        sub = colour[y : y + h, x : x + w] > 0
        inside = labels[y : y + h, x : x + w] == i
        coloured = sub & inside
        area = int(coloured.sum())
        if area == 0:
            continue
        inked = int(((ink[y : y + h, x : x + w] > 0) & inside).sum())
        out.append(
            Blob(
                box=(x * scale, y * scale, (x + w) * scale, (y + h) * scale),
                area=area * scale * scale,
                purity=round(area / max(1, inked), 3),
                hue=float(np.median(hue[y : y + h, x : x + w][coloured])),
                fill=round(area / (w * h), 3),
            )
        )
    return tuple(out)


def skew_angle(grey: Grey, limit: float = 10.0) -> float:
    """The page's skew in degrees (counter-clockwise positive), by the sharpest horizontal projection of its ink.

    Text lines smeared horizontally give a row profile whose variance peaks when the lines are level
    (the method of unpaper and Leptonica's `pixFindSkew`); searched on a copy about 800 px wide,
    first every 0.5° within ±limit, then every 0.1° around the best.
    """
    import numpy as np

    from intake.opencv import cv2

    f = min(1.0, 800.0 / max(1, grey.shape[1]))
    small = np.asarray(cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), np.uint8)
    _, bw = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if bw.mean() < 0.5 or bw.mean() > 80:  # blank, or a page of solid ink: no lines to level
        return 0.0
    h, w = bw.shape
    centre = (w / 2, h / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(bw, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    coarse = {a: score(a) for a in np.arange(-limit, limit + 0.01, 0.5)}
    best = max(coarse, key=lambda a: coarse[a])
    fine = {a: score(a) for a in np.arange(best - 0.5, best + 0.51, 0.1)}
    return round(-float(max(fine, key=lambda a: fine[a])), 2)


def text_columns(ink: NDArray[np.bool_]) -> tuple[tuple[int, int], ...]:
    """Column spans (x0, x1) of a page's text: split at a clear vertical gutter in the middle 30-70 % of the page.

    A bilingual side-by-side form (Kazakh left, Russian right) has one; a single-column page none.
    """
    import numpy as np

    w = ink.shape[1]
    sub = np.ascontiguousarray(ink[::4, ::4])
    cols = sub.mean(axis=0)
    rows = sub.mean(axis=1) > 0.002
    if rows.sum() < 10:
        return ((0, w),)
    active = sub[rows].mean(axis=0)
    lo, hi = int(0.3 * len(cols)), int(0.7 * len(cols))
    gap = active[lo:hi] < 0.004
    best, run, start, best_start = 0, 0, 0, 0
    for i, g in enumerate(gap):
        if g:
            if run == 0:
                start = i
            run += 1
            if run > best:
                best, best_start = run, start
        else:
            run = 0
    if best * 4 < 0.02 * w:
        return ((0, w),)
    mid = (lo + best_start + best // 2) * 4
    return ((0, mid), (mid, w))


def _hist_percentile(img: NDArray[np.uint8], mask: NDArray[np.uint8], q: float) -> float:
    """A percentile of the 8-bit pixels under a mask, from their histogram."""
    import numpy as np

    from intake.opencv import cv2

    h = cv2.calcHist([img], [0], mask, [256], [0, 256]).ravel()
    cum = np.cumsum(h)
    if cum[-1] <= 0:
        return 0.0
    return float(np.searchsorted(cum, q / 100.0 * cum[-1]))


def _contrast(grey: Grey, ink: NDArray[np.bool_]) -> float:
    import numpy as np

    ink8 = np.ascontiguousarray(ink).view(np.uint8)
    return _hist_percentile(grey, 1 - ink8, 90) - _hist_percentile(grey, ink8, 10)


def quick_measures(scan: Scan) -> ImageMeasures:
    """Contrast, noise and ink share on every second pixel: enough to spot a page buried in noise before OCR.

    Sharpness is not measured here (1.0): only `image_measures` measures it, at the text's scale.
    """
    import numpy as np

    grey = np.ascontiguousarray(scan.grey[::2, ::2])
    ink = np.ascontiguousarray(scan.ink[::2, ::2])
    contrast = _contrast(grey, ink)
    return ImageMeasures(
        contrast=round(contrast, 1),
        sharpness=1.0,
        noise_sd=round(scan.noise_sd, 2),
        noise_rel=round(scan.noise_sd / contrast, 3) if contrast > 0 else 0.0,
        ink_share=round(float(ink.mean()), 4),
    )


def _sobel_percentile(grey: Grey, ink: NDArray[np.bool_], q: float, strip: int = 256) -> float:
    """The q-th percentile of |Sobel| / 4 near ink, computed in strips of rows (bounded memory)."""
    import numpy as np

    from intake.opencv import cv2

    hist = np.zeros(256, dtype=np.float64)
    near_all = np.asarray(cv2.dilate(np.ascontiguousarray(ink).view(np.uint8), np.ones((5, 5), np.uint8)), np.uint8)
    height = grey.shape[0]
    for y0 in range(0, height, strip):
        a, b = max(0, y0 - 1), min(height, y0 + strip + 1)
        g = grey[a:b]
        gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
        mag = np.asarray(cv2.convertScaleAbs(cv2.magnitude(gx, gy), alpha=0.25), dtype=np.uint8)
        lo, hi = y0 - a, y0 - a + min(strip, height - y0)
        mask = np.ascontiguousarray(near_all[y0 : y0 + (hi - lo)])
        hist += cv2.calcHist([np.ascontiguousarray(mag[lo:hi])], [0], mask, [256], [0, 256]).ravel()
    cum = np.cumsum(hist)
    return float(np.searchsorted(cum, q / 100.0 * cum[-1])) if cum[-1] > 0 else 0.0


def image_measures(scan: Scan, text_height: float | None) -> ImageMeasures:
    """Contrast A, sharpness S, background noise sd and its ratio to A, and the ink share.

    S is measured after rescaling so that text is about 30 px high (research §1.3), on pixels near ink.
    """
    import numpy as np

    from intake.opencv import cv2

    grey, ink = scan.grey, scan.ink
    if text_height and text_height > 36:
        f = 30.0 / text_height
        grey = np.asarray(cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        ink, _ = ink_mask(grey)
    ink_share = float(ink.mean())
    noise = scan.noise_sd
    if ink_share * ink.size < 50 or (1 - ink_share) * ink.size < 50:
        return ImageMeasures(noise_sd=round(noise, 2), ink_share=round(ink_share, 4))
    contrast = _contrast(grey, ink)
    p99 = 4.0 * _sobel_percentile(grey, ink, 99)
    sharp = p99 / (4.0 * contrast) if contrast > 0 else 0.0
    return ImageMeasures(
        contrast=round(contrast, 1),
        sharpness=round(sharp, 3),
        noise_sd=round(noise, 2),
        noise_rel=round(noise / contrast, 3) if contrast > 0 else 0.0,
        ink_share=round(ink_share, 4),
    )


def background_noise(grey: Grey) -> float:
    """Sd of the grey levels around their 5×5 median, on every second pixel, text edges trimmed.

    Edges of text are a small share of the page and are trimmed as outliers (beyond 4× the 75th
    percentile of the absolute residual), so what remains is the paper's noise (sensor noise, speckle).
    """
    import numpy as np

    from intake.opencv import cv2

    half = np.ascontiguousarray(grey[::2, ::2])
    resid = half.astype(np.int16) - cv2.medianBlur(half, 5).astype(np.int16)
    shifted = np.asarray(np.clip(resid + 128, 0, 255), dtype=np.uint8)
    del resid
    hist = cv2.calcHist([shifted], [0], None, [256], [0, 256]).ravel()
    values = np.arange(256, dtype=np.float64) - 128.0
    dev = np.abs(values)
    order = np.argsort(dev, kind="stable")
    cum = np.cumsum(hist[order])
    p75 = float(dev[order][np.searchsorted(cum, 0.75 * cum[-1])]) if cum[-1] > 0 else 0.0
    keep = dev <= max(3.0, 4.0 * p75)  # text edges are outliers
    weights = hist * keep
    total = weights.sum()
    if total <= 0:
        return 0.0
    mean = float((weights * values).sum() / total)
    var = float((weights * (values - mean) ** 2).sum() / total)
    return math.sqrt(var) * 1.12  # the 5×5 median follows the noise a little


# --------------------------------------------------------------------------- zones


def seal_candidates(scan: Scan, dpi: float) -> list[Box]:
    """Round blue, violet or red ink blobs 18-70 mm across (research §3.1)."""
    lo, hi = dpi * 18 / 25.4, dpi * 70 / 25.4
    out = []
    for blob in scan.seals:
        box = blob.box
        w, h = box[2] - box[0], box[3] - box[1]
        if lo <= w <= hi and lo <= h <= hi and 0.7 <= w / h <= 1.4 and blob.area >= 300:
            out.append(box)
    return out


def colour_masks(rgb: NDArray[np.uint8]) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """Blue-violet ink (OpenCV hue 100–160, S > 70, 40 < V < 250), and that plus red; 255 where ink."""
    import numpy as np

    from intake.opencv import cv2

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    sat = cv2.inRange(hsv, (0, 71, 41), (180, 255, 249))
    blue = cv2.bitwise_and(sat, cv2.inRange(hsv, (100, 0, 0), (160, 255, 255)))
    red = cv2.bitwise_or(
        cv2.bitwise_and(sat, cv2.inRange(hsv, (0, 0, 0), (10, 255, 255))),
        cv2.bitwise_and(sat, cv2.inRange(hsv, (165, 0, 0), (180, 255, 255))),
    )
    return np.asarray(blue, dtype=np.uint8), np.asarray(cv2.bitwise_or(blue, red), dtype=np.uint8)


def pale_mask(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Pale blue-violet ink (OpenCV hue 100-160, S > 35, 40 < V < 235): a faded or lightly inked seal (real
    set: seals at S 40-70, under `colour_masks`' 70); 255 where ink. For the seal detector's ring search only."""
    import numpy as np

    from intake.opencv import cv2

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    return np.asarray(cv2.inRange(hsv, (100, 36, 41), (160, 255, 234)), dtype=np.uint8)


FAINT_MIN_S = 18
"""Faint pen ink is at least this saturated (OpenCV 0-255) whatever the print: grey paper noise stays under it."""
FAINT_PRINT_FACTOR = 2.0
FAINT_PRINT_MARGIN = 6
"""Faint pen ink is more saturated than twice the print's median saturation plus this margin (real doc 08: print
S 9, its grey-blue signature 27-29; real doc 35: print 11, signatures 30-37)."""


def faint_ink(rgb: NDArray[np.uint8], ink: NDArray[np.bool_], level: float) -> NDArray[np.uint8] | None:
    """Blue or violet ink clearly more saturated than the page's own print, at half size (255 where ink).

    A ballpoint signature in grey-blue ink (real docs 08, 35) has S 15-40, under the colour masks' 70 and the pale
    mask's 35 (which also average it away at half size); black print on the same scan has S 5-20. The print's
    saturation is the median over the dark ink (Otsu) not in coloured ink (S <= 70); pen ink is taken clearly above
    it (`FAINT_PRINT_FACTOR`, `FAINT_PRINT_MARGIN`, at least `FAINT_MIN_S`), darker than the paper, at full size,
    then each 2x2 block that holds one such pixel is kept: a 1-2 px stroke is not averaged out. None when the page
    has too little print to measure."""
    import numpy as np

    from intake.opencv import cv2

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    sat = np.ascontiguousarray(hsv[::2, ::2, 1])[np.ascontiguousarray(ink[::2, ::2])]
    sat = sat[sat <= 70]
    if sat.size < 200:
        return None
    threshold = max(FAINT_MIN_S, round(FAINT_PRINT_FACTOR * float(np.median(sat)) + FAINT_PRINT_MARGIN))
    bright = int(min(235, level - 10))
    if bright <= 41:
        return None
    full = cv2.inRange(hsv, (100, threshold, 41), (160, 255, bright))
    del hsv
    h2, w2 = full.shape[0] // 2, full.shape[1] // 2
    # each 2x2 block's maximum: a 2x2 dilation anchored at its top-left, every other pixel (16x faster than numpy's)
    grown = cv2.dilate(full, np.ones((2, 2), np.uint8), anchor=(0, 0))
    return np.ascontiguousarray(grown[: 2 * h2 : 2, : 2 * w2 : 2], np.uint8)


def signature_zones(words: Sequence[Word], seals: Sequence[Box], text_height: float, width: int) -> list[Box]:
    """Where signatures and seals belong: lines with an anchor (подпись, директор, М.П., ...) ± 3 lines, and seals."""
    zones: list[Box] = []
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    pad = int(3 * text_height)
    for ws in lines.values():
        text = " ".join(w.text for w in ws)
        if ANCHORS.search(text):
            b = _union([w.box for w in ws])
            zones.append((0, max(0, b[1] - pad), width, b[3] + pad))
    for s in seals:
        sw, sh = s[2] - s[0], s[3] - s[1]
        zones.append((s[0] - sw // 2, s[1] - sh // 2, s[2] + sw // 2, s[3] + sh // 2))
    return zones


# --------------------------------------------------------------------------- detectors


def _text_lines(words: Sequence[Word]) -> list[Box]:
    lines: dict[int, list[Word]] = {}
    for w in words:
        if _WORDLIKE.search(w.text):
            lines.setdefault(w.line, []).append(w)
    out = []
    for ws in lines.values():
        ys0 = sorted(w.box[1] for w in ws)
        ys1 = sorted(w.box[3] for w in ws)
        out.append((min(w.box[0] for w in ws), ys0[len(ys0) // 2], max(w.box[2] for w in ws), ys1[len(ys1) // 2]))
    return out


def strike_throughs(scan: Scan, words: Sequence[Word], text_height: float, seals: Sequence[Box] = ()) -> list[PageSign]:
    """Horizontal strokes through the middle band of words; ruling lines and underlines excluded.

    A stroke counts when it is at least 2.5 text heights long and thin, lies in the 20–75 % band of
    the words it crosses, runs over those words for at least 60 % of its length, does not extend more
    than 1.5 text heights beyond them (a table rule or a form line runs on), and letters' stems cross it
    (ink in the rows just above and below; an underscored field «____» or an underline has none).
    Strokes touching a seal are left out: a seal stamped over a line is normal.
    """
    import numpy as np

    from intake.opencv import cv2

    th = max(text_height, 8.0)
    ink = scan.ink
    k = max(int(2.5 * th), 20)
    real = [w for w in words if _WORDLIKE.search(w.text)]
    out = []
    width = ink.shape[1]
    strokes: set[Box] = set()
    for line in _text_lines(words):
        y0, y1 = max(0, line[1]), min(ink.shape[0], line[3])
        x0, x1 = max(0, line[0] - int(th)), min(width, line[2] + int(th))
        band = np.ascontiguousarray(ink[y0:y1, x0:x1]).astype(np.uint8)
        if band.size == 0 or band.shape[1] < k:
            continue
        opened = cv2.morphologyEx(band, cv2.MORPH_OPEN, np.ones((1, k), np.uint8))
        n, _, st, _ = cv2.connectedComponentsWithStats(opened)
        for j in range(1, n):
            bx, by, bw, bh, _a = (int(v) for v in st[j])
            strokes.add((x0 + bx, y0 + by, x0 + bx + bw, y0 + by + bh))
    for sx0, sy0, sx1, sy1 in sorted(strokes):
        x, y, w, h = sx0, sy0, sx1 - sx0, sy1 - sy0
        if h > 0.3 * th or w > 0.6 * width:
            continue
        if h < STRIKE_MIN_H * th:
            continue  # a hairline: the edge of a watermark or a guilloche line, thinner than any pen or typed stroke
        if any(_overlap((sx0, sy0, sx1, sy1), z) > 0 for z in seals):
            continue  # the arc or text of a seal stamped over a line is no strike
        yc = y + h / 2
        crossed = [
            wd
            for wd in real
            if wd.box[0] < x + w
            and wd.box[2] > x
            and wd.box[1] + 0.2 * (wd.box[3] - wd.box[1]) <= yc <= wd.box[1] + 0.75 * (wd.box[3] - wd.box[1])
        ]
        if not crossed:
            continue
        covered = sum(max(0, min(x + w, wd.box[2]) - max(x, wd.box[0])) for wd in crossed)
        u = _union([wd.box for wd in crossed])
        if covered < 0.6 * w or x < u[0] - 1.5 * th or x + w > u[2] + 1.5 * th:
            continue
        # a pen strikes most of a word; a short dash inside one is a guilloche line or a letter's bar
        if not any(min(x + w, wd.box[2]) - max(x, wd.box[0]) >= 0.6 * (wd.box[2] - wd.box[0]) for wd in crossed):
            continue
        # letters' stems cross a strike: ink in the rows just above and just below the stroke
        above = float(ink[max(0, y - 4) : max(0, y - 1), x : x + w].mean()) if y > 4 else 0.0
        below = float(ink[y + h + 1 : y + h + 4, x : x + w].mean()) if y + h + 4 < ink.shape[0] else 0.0
        if above < 0.08 or below < 0.08:
            continue
        # a pen or a typed strike is about as dark as the print; a watermark's line running through a line of
        # text (real doc 28's grey emblem) is much lighter
        stroke_grey = float(np.median(scan.grey[y : y + h, x : x + w][ink[y : y + h, x : x + w]]))
        ub = (max(0, u[0]), max(0, u[1]), u[2], u[3])
        print_grey = float(np.median(scan.grey[ub[1] : ub[3], ub[0] : ub[2]][ink[ub[1] : ub[3], ub[0] : ub[2]]]))
        if stroke_grey - print_grey > STRIKE_MAX_LIGHTER * max(1.0, scan.paper_level - print_grey):
            continue
        out.append(
            PageSign(
                kind="strike_through",
                box=(x, y, x + w, y + h),
                values={
                    "stroke_length_px": w,
                    "stroke_height_px": h,
                    "band": round((yc - u[1]) / max(1, u[3] - u[1]), 2),
                    "ink_above": round(above, 3),
                    "ink_below": round(below, 3),
                    "stroke_grey": round(stroke_grey),
                    "print_grey": round(print_grey),
                },
                words=tuple(wd.text for wd in crossed),
            )
        )
    return out


def whiteouts(scan: Scan, words: Sequence[Word], text_height: float) -> list[PageSign]:
    """Patches inside text lines that are whiter and flatter than the paper (correction fluid, erasure).

    Only where the paper has a measurable level below white: on a pure-white background a patch
    cannot be told from the paper, and nothing is reported. Searched in the text-line bands only.
    """
    import numpy as np

    from intake.opencv import cv2

    th = max(text_height, 8.0)
    level, sd = scan.paper_level, scan.noise_sd
    margin = max(6.0, 3.0 * sd)
    if level + margin >= 254:
        return []
    out = []
    pad = int(0.3 * th)
    kk = max(3, int(th / 2))
    grey, ink = scan.grey, scan.ink
    inkd = cv2.dilate(ink.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    for line in _text_lines(words):
        y0, y1 = max(0, line[1] - pad), min(grey.shape[0], line[3] + pad)
        x0, x1 = max(0, line[0] - int(th)), min(grey.shape[1], line[2] + int(th))
        g = grey[y0:y1, x0:x1]
        if g.size == 0:
            continue
        mean = cv2.blur(g, (7, 7)).astype(np.float32)
        bright = ((mean > level + margin) & ~ink[y0:y1, x0:x1]).astype(np.uint8)
        closed = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((kk, kk), np.uint8))
        n, labels, stats, _ = cv2.connectedComponentsWithStats(closed)
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            if w < 1.2 * th or h < 0.5 * th or area < 0.8 * th * th:  # a patch covers a letter or more
                continue
            comp = labels[y : y + h, x : x + w] == i
            clean = comp & ~inkd[y0 + y : y0 + y + h, x0 + x : x0 + x + w]
            patch = g[y : y + h, x : x + w][clean]
            if patch.size < 50:
                continue
            flat = float(patch.std())
            if flat > max(sd, 1.0):
                continue
            # whiter than the paper *around it*, not only than the page's median paper: yellowed or stained
            # paper has brighter and darker stretches (real doc 14: a clean spot at 251 on a page whose paper is 244)
            gx0, gy0 = max(0, x0 + x - 2 * int(th)), max(0, y0 + y - 2 * int(th))
            gx1, gy1 = min(grey.shape[1], x0 + x + w + 2 * int(th)), min(grey.shape[0], y0 + y + h + 2 * int(th))
            around = np.ones((gy1 - gy0, gx1 - gx0), bool)
            around[y0 + y - gy0 : y0 + y + h - gy0, x0 + x - gx0 : x0 + x + w - gx0] = False
            around &= ~inkd[gy0:gy1, gx0:gx1]
            local = float(np.median(grey[gy0:gy1, gx0:gx1][around])) if around.sum() >= 50 else level
            if float(patch.mean()) < local + margin:
                continue
            out.append(
                PageSign(
                    kind="whiteout",
                    box=(x0 + x, y0 + y, x0 + x + w, y0 + y + h),
                    values={
                        "patch_level": round(float(patch.mean()), 1),
                        "paper_level": round(level, 1),
                        "paper_around": round(local, 1),
                        "patch_sd": round(flat, 2),
                        "paper_sd": round(sd, 2),
                    },
                )
            )
    return out


def coloured_additions(
    scan: Scan, words: Sequence[Word], marks: Sequence[Box], text_height: float, body: Box | None
) -> list[PageSign]:
    """Blue or violet ink in the body of a typed page outside the seals, signatures and fill-ins seen there.

    Each with its measures: `purity` (coloured share of the ink in its box: pen ~1, black print with
    a scanner's colour fringes ~0), `read_cover` (share of its box covered by words OCR read with
    confidence 80+: a line of coloured print is read) and `beside_print` (black words read on the same
    line: print is one colour per line, a pen addition runs on from a black typed line).
    """
    th = max(text_height, 8.0)
    confident = [w.box for w in words if w.conf >= 80 and _WORDLIKE.search(w.text)]
    coloured = [b.box for b in scan.colour]
    black = [w for w in confident if not any(_overlap(w, c) > 0.2 * _area(w) for c in coloured)]
    out = []
    for blob in scan.colour:
        box = blob.box
        if blob.area < 0.5 * th * th or max(box[2] - box[0], box[3] - box[1]) < th:
            continue
        if max(box[2] - box[0], box[3] - box[1]) > 30 * th:
            continue  # a coloured frame or security pattern across the page, not writing
        if any(_overlap(box, z) > 0.3 * _area(box) for z in marks):
            continue
        if body is not None and _overlap(box, body) < 0.5 * _area(box):
            continue
        cover = min(1.0, sum(_overlap(box, w) for w in confident) / max(1, _area(box)))
        cy = (box[1] + box[3]) / 2
        beside = sum(1 for w in black if w[1] <= cy <= w[3] and abs(w[0] - box[2]) < 30 * th)
        out.append(
            PageSign(
                kind="coloured_addition",
                box=box,
                values={
                    "ink_px": blob.area,
                    "width_px": box[2] - box[0],
                    "height_px": box[3] - box[1],
                    "purity": blob.purity,
                    "read_cover": round(cover, 3),
                    "beside_print": beside,
                    "hue": blob.hue,
                },
            )
        )
    return out


def identical_glyphs(scan: Scan, words: Sequence[Word], text_height: float) -> list[PageSign]:
    """Pairs of glyphs in numbers whose grey pixels are identical (a pasted digit); only on a noisy background.

    Glyphs are the ink components inside words with a digit (amounts, dates, numbers). In a real scan
    no two glyphs share their pixels: the sensor noise differs. Glyphs are grouped by their exact ink
    shape, then a pair counts when the mean absolute grey difference is below 0.3 of the background
    noise sd.
    """
    import numpy as np

    from intake.opencv import cv2

    noise_sd = scan.noise_sd
    if noise_sd < MIN_NOISE_FOR_IDENTITY:
        return []
    th = max(text_height, 8.0)
    grey = scan.grey
    glyphs: dict[Box, None] = {}
    pad = int(0.2 * th)
    for wd in words:
        if not any(c.isdigit() for c in wd.text):
            continue
        x0, y0 = max(0, wd.box[0] - pad), max(0, wd.box[1] - pad)
        x1, y1 = min(grey.shape[1], wd.box[2] + pad), min(grey.shape[0], wd.box[3] + pad)
        crop = np.ascontiguousarray(scan.ink[y0:y1, x0:x1]).astype(np.uint8)
        if crop.size == 0:
            continue
        n, _, st, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
        for j in range(1, n):
            x, y, w, h, area = (int(v) for v in st[j])
            if 0.3 * th <= h <= 1.5 * th and area >= th * th / 40 and w <= 1.5 * th:
                glyphs[(x0 + x, y0 + y, x0 + x + w, y0 + y + h)] = None
    groups: dict[tuple[int, int, bytes], list[Box]] = {}
    for b in glyphs:
        shape = np.ascontiguousarray(scan.ink[b[1] : b[3], b[0] : b[2]]).tobytes()
        groups.setdefault((b[2] - b[0], b[3] - b[1], hashlib.blake2b(shape, digest_size=12).digest()), []).append(b)
    out = []
    limit = 0.3 * noise_sd
    for members in groups.values():
        if len(members) < 2 or len(members) > 200:
            continue
        patches = [
            (b, grey[max(0, b[1] - 1) : b[3] + 1, max(0, b[0] - 1) : b[2] + 1].astype(np.int16)) for b in members
        ]
        for ia in range(len(patches)):
            for ib in range(ia + 1, len(patches)):
                pa, pb = patches[ia][1], patches[ib][1]
                if pa.shape != pb.shape:
                    continue
                diff = float(np.abs(pa - pb).mean())
                if diff < limit:
                    boxes = [patches[ia][0], patches[ib][0]]
                    out.append(
                        PageSign(
                            kind="identical_glyphs",
                            box=boxes[1],
                            values={"mean_abs_diff": round(diff, 3), "noise_sd": round(noise_sd, 2)},
                            twin_box=boxes[0],
                        )
                    )
    return out


def near(box: Box, zones: Sequence[Box], distance: float) -> bool:
    """Whether the box lies within `distance` pixels of any zone."""
    x0, y0, x1, y1 = box
    grown = (int(x0 - distance), int(y0 - distance), int(x1 + distance), int(y1 + distance))
    return any(_overlap(grown, z) > 0 for z in zones)


# --------------------------------------------------------------------------- boxes


def _area(b: Box) -> int:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def overlap(a: Box, b: Box) -> int:
    """Pixels shared by two boxes."""
    return _overlap(a, b)


def _overlap(a: Box, b: Box) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def union(boxes: Sequence[Box]) -> Box:
    """The smallest box holding all the boxes."""
    return _union(boxes)


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
