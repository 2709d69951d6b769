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
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from intake.models import Box, Word

Grey = NDArray[np.uint8]

cv2.setNumThreads(1)  # one OCR worker per core: no thread oversubscription

# Legibility thresholds (research §1.1, calibrated on tests/pagegen.py pages; see tests/test_scan_pages.py).
MIN_WORDS = 20
FAIL_MEDIAN = 60.0
FAIL_LOW60 = 0.5
REVIEW_MEDIAN = 80.0
REVIEW_MEAN = 70.0
REVIEW_LOW60 = 0.30
LINE_ILLEGIBLE = 40.0
BLURRED_S = 0.18
SOFT_S = 0.30
EXTREME_BLUR_S = 0.12
FADED_A = 30.0
SMALL_TEXT_PX = 8.0
DETAIL_PX = 12.0  # below this text height, strokes and patches cannot be told from letters
NOISE_REL_FAIL = 0.25
MIN_NOISE_FOR_IDENTITY = 1.5

ANCHORS = re.compile(
    r"(исправлен|түзетілген|подпис|подп\.|қолы|қол\b|директор|руководител|басшы|заведующ|председател|бас дәрігер|главн|"
    r"м\.п|м\.о|мп\b|signature|signed|director|уәкілетті)",
    re.IGNORECASE,
)
_WORDLIKE = re.compile(r"[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


@dataclass(frozen=True)
class Region:
    """A located sign on a page: what, where, the measured values."""

    kind: str
    box: Box
    values: dict[str, Any]


def to_grey(rgb: NDArray[np.uint8]) -> Grey:
    """Luma of an RGB array."""
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


def confidence_stats(words: Sequence[Word]) -> dict[str, Any]:
    """Median, mean, share below 60 and the per-line means of the words' confidences."""
    if not words:
        return {"words": 0}
    confs = [w.conf for w in words]
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return {
        "words": len(words),
        "conf_median": round(statistics.median(confs), 1),
        "conf_mean": round(statistics.fmean(confs), 1),
        "low60": round(sum(c < 60 for c in confs) / len(confs), 3),
        "text_height_px": float(statistics.median(w.box[3] - w.box[1] for w in words)),
        "line_means": {k: round(statistics.fmean(x.conf for x in v), 1) for k, v in lines.items()},
    }


def illegible_lines(words: Sequence[Word], threshold: float = LINE_ILLEGIBLE) -> list[Region]:
    """Lines of 5+ characters whose mean word confidence is below the threshold (partially illegible)."""
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    out = []
    for ws in lines.values():
        chars = sum(len(w.text) for w in ws)
        mean = statistics.fmean(w.conf for w in ws)
        if chars >= 5 and mean < threshold:
            out.append(Region("illegible_line", _union([w.box for w in ws]), {"line_conf_mean": round(mean, 1)}))
    return out


def ink_mask(grey: Grey) -> tuple[NDArray[np.bool_], float]:
    """Ink pixels by Otsu's threshold, and the threshold."""
    t, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask.astype(bool), float(t)


@dataclass(frozen=True)
class Scan:
    """One page image analysed once: grey levels, ink, the paper's level and noise."""

    grey: Grey
    ink: NDArray[np.bool_]
    paper_level: float
    noise_sd: float
    colour: tuple[tuple[Box, int], ...]
    seals: tuple[tuple[Box, int], ...]


def analyse(page: NDArray[np.uint8] | Image.Image, dpi: float) -> Scan:
    """Grey, Otsu ink mask, paper level, background noise, and the coloured-ink components of a page.

    Colour is looked at at half size: ink strokes are wider than 2 px at 300 dpi. A PIL image is
    never copied whole into a colour array (memory: one A4 page at 300 dpi is 26 MB in RGB).
    """
    if isinstance(page, Image.Image):
        grey = np.asarray(page.convert("L"), dtype=np.uint8)
        small = np.asarray(page.reduce(2).convert("RGB"), dtype=np.uint8)
    else:
        grey = to_grey(page)
        small = np.ascontiguousarray(page[::2, ::2])
    ink, _ = ink_mask(grey)
    level = _hist_percentile(
        np.ascontiguousarray(grey[::2, ::2]), 1 - np.ascontiguousarray(ink[::2, ::2]).view(np.uint8), 50
    )
    blue, red = colour_masks(small)
    k = max(2, int(dpi / 300 * 35 * 0.3))  # close gaps of ~0.6 of a 12 pt text height (at half size)
    ks = max(2, int(dpi * 0.75 / 25.4))
    return Scan(
        grey=grey,
        ink=ink,
        paper_level=level,
        noise_sd=background_noise(grey),
        colour=_components(cv2.morphologyEx(blue, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8)), 2),
        seals=_components(
            cv2.morphologyEx(red, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (ks, ks))), 2
        ),
    )


def _components(mask: NDArray[Any], scale: int) -> tuple[tuple[Box, int], ...]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    return tuple(
        (
            (int(s[0]) * scale, int(s[1]) * scale, int(s[0] + s[2]) * scale, int(s[1] + s[3]) * scale),
            int(s[4]) * scale * scale,
        )
        for s in stats[1:n]
    )


def _hist_percentile(img: NDArray[np.uint8], mask: NDArray[np.uint8], q: float) -> float:
    """A percentile of the 8-bit pixels under a mask, from their histogram."""
    h = cv2.calcHist([img], [0], mask, [256], [0, 256]).ravel()
    cum = np.cumsum(h)
    if cum[-1] <= 0:
        return 0.0
    return float(np.searchsorted(cum, q / 100.0 * cum[-1]))


def _contrast(grey: Grey, ink: NDArray[np.bool_]) -> float:
    ink8 = np.ascontiguousarray(ink).view(np.uint8)
    return _hist_percentile(grey, 1 - ink8, 90) - _hist_percentile(grey, ink8, 10)


def quick_measures(scan: Scan) -> dict[str, float]:
    """Contrast, noise and ink share on every second pixel: enough to spot a page buried in noise before OCR."""
    grey = np.ascontiguousarray(scan.grey[::2, ::2])
    ink = np.ascontiguousarray(scan.ink[::2, ::2])
    contrast = _contrast(grey, ink)
    return {
        "contrast": round(contrast, 1),
        "sharpness": 1.0,  # not measured here
        "noise_sd": round(scan.noise_sd, 2),
        "noise_rel": round(scan.noise_sd / contrast, 3) if contrast > 0 else 0.0,
        "ink_share": round(float(ink.mean()), 4),
    }


def _sobel_percentile(grey: Grey, ink: NDArray[np.bool_], q: float, strip: int = 256) -> float:
    """The q-th percentile of |Sobel| / 4 near ink, computed in strips of rows (bounded memory)."""
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


def image_measures(scan: Scan, text_height: float | None) -> dict[str, float]:
    """Contrast A, sharpness S, background noise sd and its ratio to A, and the ink share.

    S is measured after rescaling so that text is about 30 px high (research §1.3), on pixels near ink.
    """
    grey, ink = scan.grey, scan.ink
    if text_height and text_height > 36:
        f = 30.0 / text_height
        grey = np.asarray(cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        ink, _ = ink_mask(grey)
    ink_share = float(ink.mean())
    noise = scan.noise_sd
    if ink_share * ink.size < 50 or (1 - ink_share) * ink.size < 50:
        return {
            "contrast": 0.0,
            "sharpness": 0.0,
            "noise_sd": round(noise, 2),
            "noise_rel": 0.0,
            "ink_share": ink_share,
        }
    contrast = _contrast(grey, ink)
    p99 = 4.0 * _sobel_percentile(grey, ink, 99)
    sharp = p99 / (4.0 * contrast) if contrast > 0 else 0.0
    return {
        "contrast": round(contrast, 1),
        "sharpness": round(sharp, 3),
        "noise_sd": round(noise, 2),
        "noise_rel": round(noise / contrast, 3) if contrast > 0 else 0.0,
        "ink_share": round(ink_share, 4),
    }


def background_noise(grey: Grey) -> float:
    """Sd of the grey levels around their 5×5 median, on every second pixel, text edges trimmed.

    Edges of text are a small share of the page and are trimmed as outliers (beyond 4× the 75th
    percentile of the absolute residual), so what remains is the paper's noise (sensor noise, speckle).
    """
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
    """Round blue, violet or red ink components 18–70 mm across (research §3.1)."""
    lo, hi = dpi * 18 / 25.4, dpi * 70 / 25.4
    out = []
    for box, area in scan.seals:
        w, h = box[2] - box[0], box[3] - box[1]
        if lo <= w <= hi and lo <= h <= hi and 0.7 <= w / h <= 1.4 and area >= 300:
            out.append(box)
    return out


def colour_masks(rgb: NDArray[np.uint8]) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """Blue-violet ink (OpenCV hue 100–160, S > 70, 40 < V < 250), and that plus red; 255 where ink."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    sat = cv2.inRange(hsv, (0, 71, 41), (180, 255, 249))
    blue = cv2.bitwise_and(sat, cv2.inRange(hsv, (100, 0, 0), (160, 255, 255)))
    red = cv2.bitwise_or(
        cv2.bitwise_and(sat, cv2.inRange(hsv, (0, 0, 0), (10, 255, 255))),
        cv2.bitwise_and(sat, cv2.inRange(hsv, (165, 0, 0), (180, 255, 255))),
    )
    return np.asarray(blue, dtype=np.uint8), np.asarray(cv2.bitwise_or(blue, red), dtype=np.uint8)


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


def strike_throughs(scan: Scan, words: Sequence[Word], text_height: float, seals: Sequence[Box] = ()) -> list[Region]:
    """Horizontal strokes through the middle band of words; ruling lines and underlines excluded.

    A stroke counts when it is at least 2.5 text heights long and thin, lies in the 20–75 % band of
    the words it crosses, runs over those words for at least 60 % of its length, does not extend more
    than 1.5 text heights beyond them (a table rule or a form line runs on), and letters' stems cross it
    (ink in the rows just above and below; an underscored field «____» or an underline has none).
    Strokes touching a seal are left out: a seal stamped over a line is normal.
    """
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
        # letters' stems cross a strike: ink in the rows just above and just below the stroke
        above = float(ink[max(0, y - 4) : max(0, y - 1), x : x + w].mean()) if y > 4 else 0.0
        below = float(ink[y + h + 1 : y + h + 4, x : x + w].mean()) if y + h + 4 < ink.shape[0] else 0.0
        if above < 0.08 or below < 0.08:
            continue
        out.append(
            Region(
                "strike_through",
                (x, y, x + w, y + h),
                {
                    "stroke_px": [w, h],
                    "words": [wd.text for wd in crossed],
                    "band": round((yc - u[1]) / max(1, u[3] - u[1]), 2),
                    "ink_above_below": [round(above, 3), round(below, 3)],
                },
            )
        )
    return out


def whiteouts(scan: Scan, words: Sequence[Word], text_height: float) -> list[Region]:
    """Patches inside text lines that are whiter and flatter than the paper (correction fluid, erasure).

    Only where the paper has a measurable level below white: on a pure-white background a patch
    cannot be told from the paper, and nothing is reported. Searched in the text-line bands only.
    """
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
            if w < 0.8 * th or h < 0.5 * th or area < 0.4 * th * th:
                continue
            comp = labels[y : y + h, x : x + w] == i
            clean = comp & ~inkd[y0 + y : y0 + y + h, x0 + x : x0 + x + w]
            patch = g[y : y + h, x : x + w][clean]
            if patch.size < 50:
                continue
            flat = float(patch.std())
            if flat > max(sd, 1.0):
                continue
            out.append(
                Region(
                    "whiteout",
                    (x0 + x, y0 + y, x0 + x + w, y0 + y + h),
                    {
                        "patch_level": round(float(patch.mean()), 1),
                        "paper_level": round(level, 1),
                        "patch_sd": round(flat, 2),
                        "paper_sd": round(sd, 2),
                    },
                )
            )
    return out


def coloured_additions(scan: Scan, zones: Sequence[Box], text_height: float, body: Box | None) -> list[Region]:
    """Blue or violet ink in the body of a typed page, away from the signature and seal zones."""
    th = max(text_height, 8.0)
    out = []
    for box, area in scan.colour:
        if area < 0.5 * th * th or max(box[2] - box[0], box[3] - box[1]) < th:
            continue
        if any(_overlap(box, z) > 0.3 * _area(box) for z in zones):
            continue
        if body is not None and _overlap(box, body) < 0.5 * _area(box):
            continue
        out.append(Region("coloured_addition", box, {"ink_px": area, "size_px": [box[2] - box[0], box[3] - box[1]]}))
    return out


def identical_glyphs(scan: Scan, words: Sequence[Word], text_height: float) -> list[Region]:
    """Pairs of glyphs in numbers whose grey pixels are identical (a pasted digit); only on a noisy background.

    Glyphs are the ink components inside words with a digit (amounts, dates, numbers). In a real scan
    no two glyphs share their pixels: the sensor noise differs. Glyphs are grouped by their exact ink
    shape, then a pair counts when the mean absolute grey difference is below 0.3 of the background
    noise sd.
    """
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
                        Region(
                            "identical_glyphs",
                            boxes[1],
                            {
                                "twin_box": list(boxes[0]),
                                "mean_abs_diff": round(diff, 3),
                                "noise_sd": round(noise_sd, 2),
                            },
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


def _overlap(a: Box, b: Box) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# --------------------------------------------------------------------------- judgement of legibility

PASSED = "passed"
REVIEW = "review"
FAILED = "failed"


def signature_marks(scan: Scan, zones: Sequence[Box], seals: Sequence[Box], text_height: float) -> list[Box]:
    """Coloured ink strokes in the signature zones that are not seals (handwritten signatures)."""
    th = max(text_height, 8.0)
    out = []
    for box, area in scan.colour:
        if area < th * th / 2 or any(_overlap(box, s) > 0.5 * _area(box) for s in seals):
            continue
        if any(_overlap(box, z) > 0.5 * _area(box) for z in zones):
            out.append(box)
    return out


def assess(stats: dict[str, Any], img: dict[str, float], effective_dpi: float | None) -> tuple[str, list[str]]:
    """The legibility verdict of a page (passed / review / failed) and which measures decided, with values.

    Word confidence decides (research §1.1); with fewer than MIN_WORDS words the image measures do.
    Sharpness, contrast, noise and resolution explain the verdict. Only the plainly unreadable fails.
    """
    n = int(stats.get("words", 0))
    med = stats.get("conf_median")
    mean = stats.get("conf_mean")
    low = stats.get("low60")
    s, a, noise_rel = img["sharpness"], img["contrast"], img["noise_rel"]
    th = stats.get("text_height_px")
    why: list[str] = []
    verdict = PASSED
    if n >= MIN_WORDS and med is not None and mean is not None and low is not None:
        if med < FAIL_MEDIAN or low > FAIL_LOW60:
            verdict = FAILED
            why.append(
                f"word confidence: median {med:.0f} (< {FAIL_MEDIAN:.0f} fails), {low:.0%} of {n} words below 60"
            )
        elif med < REVIEW_MEDIAN or mean < REVIEW_MEAN or low > REVIEW_LOW60:
            verdict = REVIEW
            why.append(
                f"word confidence: median {med:.0f}, mean {mean:.0f}, {low:.0%} of {n} words below 60 "
                f"(review below median {REVIEW_MEDIAN:.0f} / mean {REVIEW_MEAN:.0f} or above {REVIEW_LOW60:.0%})"
            )
        else:
            why.append(f"word confidence: median {med:.0f}, mean {mean:.0f}, {low:.0%} of {n} words below 60")
    elif img["ink_share"] < 0.002:
        verdict = REVIEW
        why.append(f"almost no ink on the page ({img['ink_share']:.2%}): blank or not a document")
    elif img["ink_share"] >= 0.01 and (med is None or med < FAIL_MEDIAN) and (s < BLURRED_S or noise_rel > 0.15):
        verdict = FAILED
        why.append(
            f"only {n} words read"
            + (f" with median confidence {med:.0f}" if med is not None else "")
            + f" from a page full of ink ({img['ink_share']:.0%}), and the image is "
            + (
                f"blurred (sharpness {s:.2f} < {BLURRED_S})"
                if s < BLURRED_S
                else f"noisy ({noise_rel:.2f} of the contrast)"
            )
        )
    elif s < EXTREME_BLUR_S or noise_rel > NOISE_REL_FAIL:
        verdict = FAILED
        why.append(
            f"only {n} words read, and the image is "
            + (
                f"blurred beyond reading (sharpness {s:.2f} < {EXTREME_BLUR_S})"
                if s < EXTREME_BLUR_S
                else f"buried in noise (noise {noise_rel:.2f} of the contrast > {NOISE_REL_FAIL})"
            )
        )
    else:
        verdict = REVIEW
        why.append(f"only {n} words read (fewer than {MIN_WORDS}): a person judges")
    if th is not None and th < SMALL_TEXT_PX and verdict == PASSED:
        verdict = REVIEW
        why.append(f"text {th:.0f} px high (< {SMALL_TEXT_PX:.0f} px)")
    if verdict != PASSED or s < SOFT_S or a < FADED_A:
        if s < BLURRED_S and "blurred" not in " ".join(why):
            why.append(f"blurred: sharpness {s:.2f} (< {BLURRED_S})")
        elif s < SOFT_S:
            why.append(f"soft: sharpness {s:.2f} (< {SOFT_S})")
        if a < FADED_A:
            why.append(f"faded: contrast {a:.0f} grey levels (< {FADED_A:.0f})")
        if noise_rel > 0.1:
            why.append(f"noisy: background noise {noise_rel:.2f} of the contrast")
        if effective_dpi is not None and effective_dpi < 150:
            why.append(f"low resolution: {effective_dpi:.0f} dpi (< 150)")
    return verdict, why


def beyond_reading(img: dict[str, float]) -> tuple[str, dict[str, float]] | None:
    """Why a page image is plainly unreadable before any OCR (extreme blur or noise), or None."""
    if img["ink_share"] < 0.002:
        return None
    if img["sharpness"] < EXTREME_BLUR_S:
        return f"blurred beyond reading: sharpness {img['sharpness']:.2f} (< {EXTREME_BLUR_S})", img
    if img["noise_rel"] > NOISE_REL_FAIL:
        return f"buried in noise: background noise {img['noise_rel']:.2f} of the contrast (> {NOISE_REL_FAIL})", img
    return None
