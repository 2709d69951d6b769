"""Seals, stamps, signatures and handwritten entries seen on a page image (facts: `Mark`s with a box and a score).

OpenCV over the coloured-ink blobs `intake.imaging.analyse` found (blue, violet and red ink:
OpenCV hue 100-160 and 0-10/165-180, saturation above 70):

* **seal or stamp**: a blob 12-80 mm across whose ink is mostly coloured (not black print with a
  colour fringe), of one hue (a seal is one ink; a hologram is every hue), sparse inside its box (a
  ring with lettering, a frame with text). A rectangular stamp has a frame along its four edges; a
  round seal's ring is found by a Hough circle (a signature written across it does not move it).
  Gold foil (hue 15-35) and faint
  watermark emblems (low saturation) are not coloured ink here, so they never count;
* **signature**: a sparse blob of pen ink 8-120 mm wide and 3-60 mm high that is not a seal's ring,
  on or near a line naming a signatory (директор, председатель, подпись, М.П., ...) or in the lower
  part of the page;
* **a faint signature** (grey-blue ballpoint, HSV saturation 15-40): ink clearly more saturated than the page's own
  print (`imaging.faint_ink`), in a signatory's zone only, standing mostly on its own ink, not a ring
  (`faint_signatures`); looked for when the colour masks found no signature;
* **handwriting**: pen ink of text size written into a printed field (on a rule or an underscored
  blank, or right after a field's label: №, от, дата, жылғы, күні);
* **a signature across a seal**: pen strokes in the seal's own ink are one blob with the seal; the ink
  that leaves the seal's ring by 5 mm or more (2 mm on a web image under 120 ppi, where a stroke broken as it
  leaves the ring may resume within 4 mm of it) is the pen's (`strokes_past_ring`);
* **visual EDS stamp**: «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ» with the certificate, owner and validity,
  read from the words of a page (a text layer, or the OCR of a stamp-shaped picture): `eds_stamps`.

A page whose text is a sound PDF text layer is looked at where it carries pictures (`layer_page_marks`):
a scan under an invisible OCR layer, a pasted facsimile, a stamp's picture.

Black photocopied and grey (very pale) seals are not detected yet (no colour to tell them from print).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from PIL import Image

from intake import imaging
from intake.models import Box, Mark, MarkKind, Word
from intake.opencv import cv2

SEAL_MM = (12.0, 80.0)
ROUND_MIN_MM = 20.0  # a round seal is 20 mm or more across (40 mm usual); a signature's loop is smaller
SIGNATURE_W_MM = (8.0, 120.0)
SIGNATURE_H_MM = (3.0, 60.0)
MIN_PURITY = 0.35  # coloured share of the ink in a blob's box below which it is black print with a fringe
FIELD_LABELS = re.compile(r"^(№|n|от|дата|date|жылғы|күні|номер|исх|вх|кіріс|шығыс|«_*|_+.*)$", re.IGNORECASE)


Colour = Literal["blue", "violet", "red", "black", "other"]


def _colour(hue: float) -> Colour:
    if 100 <= hue < 128:
        return "blue"
    if 128 <= hue <= 160:
        return "violet"
    if hue <= 10 or hue >= 165:
        return "red"
    return "other"


def _framed(mask: np.ndarray, box: Box) -> bool:
    """Whether a rectangular frame runs along the box's four edges (a stamp's border), on the half-size mask.

    Three of the four edge bands (a tenth of the side) must hold coloured ink along 60 % of their
    length; a scribble or a ring touches its box's edges in a few places only.
    """
    x0, y0, x1, y1 = (v // 2 for v in box)
    w, h = x1 - x0, y1 - y0
    if w < 8 or h < 8:
        return False
    bw, bh = max(2, w // 10), max(2, h // 10)
    m = mask[y0:y1, x0:x1] > 0
    edges = (m[:bh, :].any(axis=0), m[-bh:, :].any(axis=0), m[:, :bw].any(axis=1), m[:, -bw:].any(axis=1))
    return sum(float(e.mean()) >= 0.6 for e in edges) >= 3  # a stamp cut at the page's edge keeps three


HOUGH_SIDE = 240
"""A blob's crop is looked at for a ring at most this many pixels across (half-size mask, shrunk beyond)."""


def _circle(mask: np.ndarray, box: Box) -> Box | None:
    """The seal's ring inside a blob's box (half-size mask): the circle most of whose rim is inked.

    A signature written across a seal joins the seal's blob; the ring still stands out as a circle
    (Hough), and the seal's box is the ring's, not the blob's.
    """
    x0, y0, x1, y1 = (v // 2 for v in box)
    crop = np.ascontiguousarray(mask[y0:y1, x0:x1])
    if crop.size == 0 or min(crop.shape) < 20:
        return None
    side = max(crop.shape)
    f = 1.0
    if side > HOUGH_SIDE:
        # Hough's time grows with the radius range: a 70 mm blob at 300 dpi took 1.6 s; at 240 px, 0.05 s
        f = HOUGH_SIDE / side
        small = cv2.resize(
            crop, (max(1, round(crop.shape[1] * f)), max(1, round(crop.shape[0] * f))), interpolation=cv2.INTER_AREA
        )
        crop = np.asarray(np.where(small > 64, 255, 0), np.uint8)
        side = max(crop.shape)
    blurred = cv2.GaussianBlur(crop, (5, 5), 1.5)
    found = cv2.HoughCircles(
        blurred,
        cv2.HOUGH_GRADIENT,
        dp=1.5,
        minDist=side,
        param1=100,
        param2=18,
        minRadius=int(0.25 * min(crop.shape)),
        maxRadius=int(0.55 * side),
    )
    if found is None:
        return None
    best: tuple[float, Box] | None = None
    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    for cx, cy, r in found[0][:5]:
        xs = np.clip((cx + r * np.cos(angles)).astype(int), 0, crop.shape[1] - 1)
        ys = np.clip((cy + r * np.sin(angles)).astype(int), 0, crop.shape[0] - 1)
        ring = cv2.dilate(crop, np.ones((5, 5), np.uint8))
        support = float((ring[ys, xs] > 0).mean())
        if support >= 0.6 and (best is None or support > best[0]):
            ux, uy, ur = cx / f, cy / f, r / f  # back at the mask's scale
            rb = (int((x0 + ux - ur) * 2), int((y0 + uy - ur) * 2), int((x0 + ux + ur) * 2), int((y0 + uy + ur) * 2))
            best = (support, rb)
    return best[1] if best else None


def _emblem(box: Box, shape: tuple[int, ...]) -> bool:
    """Whether a round coloured print is a state emblem at the head of a blank: centred in the page's top
    eighth (real set: Kazakh and Kyrgyz certificates, e-licences, school order blanks). A seal sits by the
    signature, never centred over the title."""
    height, width = shape[0], shape[1]
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cy < 0.125 * height and abs(cx - width / 2) < 0.12 * width


def seals(scan: imaging.Scan, dpi: float) -> list[Mark]:
    """Seals and stamps: round or oval rings 12-80 mm across, rectangular frames 5-90 mm, in one coloured ink."""
    mm = dpi / 25.4
    out = []
    for blob in scan.seals:
        x0, y0, x1, y1 = blob.box
        w, h = (x1 - x0) / mm, (y1 - y0) / mm
        if blob.purity < MIN_PURITY or not 0.03 <= blob.fill <= 0.6 or _colour(blob.hue) == "other":
            continue
        box = blob.box
        shape: Literal["round", "oval", "rectangular"]
        # a signature written across a round seal spreads its blob to the box's edges, which then looks framed
        # (real doc 02): a square blob is first looked at for a ring
        squarish = max(w, h) >= ROUND_MIN_MM and 0.75 <= w / h <= 1.33 and max(w, h) <= SEAL_MM[1]
        ring0 = _circle(scan.colour_mask, blob.box) if squarish else None
        if ring0 is not None and (ring0[2] - ring0[0]) / mm >= ROUND_MIN_MM:
            shape, box = "round", ring0
        elif _framed(scan.colour_mask, blob.box) and min(w, h) >= 5 and max(w, h) <= 90 and max(w, h) / min(w, h) <= 8:
            shape = "rectangular"
        elif max(w, h) >= ROUND_MIN_MM and SEAL_MM[0] <= w <= SEAL_MM[1] and SEAL_MM[0] <= h <= SEAL_MM[1]:
            ring = _circle(scan.colour_mask, blob.box)
            if ring is not None and (ring[2] - ring[0]) / mm < ROUND_MIN_MM:
                if not 0.8 <= w / h <= 1.25:
                    continue  # a small circle inside a line of coloured print (a letter «О»), not a seal's ring
                ring = None  # an inner ring of a round blob: the blob is the seal
            if ring is not None:
                shape, box = "round", ring
            elif 0.8 <= w / h <= 1.25:
                shape = "round"
            elif 0.5 <= w / h <= 2.0:
                shape = "oval"
            else:
                continue
        else:
            continue
        if shape != "rectangular" and _emblem(box, scan.grey.shape):
            continue
        bw, bh = (box[2] - box[0]) / mm, (box[3] - box[1]) / mm
        # a seal of the usual size (30-50 mm round, 20-70 mm stamp) is surer than an odd one
        usual = 28 <= max(bw, bh) <= 52 if shape != "rectangular" else 20 <= max(bw, bh) <= 75
        score = min(1.0, (0.75 if usual else 0.55) + 0.25 * min(1.0, blob.purity))
        out.append(Mark(kind=MarkKind.SEAL, box=box, score=round(score, 2), colour=_colour(blob.hue), shape=shape))
    return out


PALE_SEAL_MM = (25.0, 55.0)
"""A faded round seal is looked for at the usual sizes only (a 40 mm seal, give or take): pale ink is weak evidence."""


def _ring_support(mask: np.ndarray, cx: float, cy: float, r: float) -> float:
    """The share of 72 points on a circle (half-size mask coordinates) that touch ink."""
    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    xs = np.clip((cx + r * np.cos(angles)).astype(int), 0, mask.shape[1] - 1)
    ys = np.clip((cy + r * np.sin(angles)).astype(int), 0, mask.shape[0] - 1)
    return float((mask[ys, xs] > 0).mean())


def pale_seals(scan: imaging.Scan, dpi: float, found: Sequence[Mark]) -> list[Mark]:
    """Round seals in pale blue or violet ink (saturation 35-70: a faded, lightly inked or photocopied seal).

    Pale ink is everywhere on a security background, so only a ring counts: a Hough circle 25-55 mm across
    whose rim is mostly inked and which stands free, the paper just outside it mostly clear (a guilloche or a
    tinted background fills the outside as much as the rim). Printed emblems at the head of a blank are not
    seals (`_emblem`).
    """
    mask = scan.pale_mask
    if mask is None:
        return []
    mm = dpi / 25.4
    ks = max(2, int(dpi * 0.75 / 25.4))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (ks, ks)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(closed)
    dilated = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    out: list[Mark] = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        wm, hm = 2 * w / mm, 2 * h / mm
        if not (PALE_SEAL_MM[0] <= max(wm, hm) and max(wm, hm) <= 1.6 * PALE_SEAL_MM[1]):
            continue
        if not 0.02 <= area / max(1, w * h) <= 0.6:
            continue
        box = (2 * x, 2 * y, 2 * (x + w), 2 * (y + h))
        if any(imaging.overlap(box, m.box) > 0 for m in found):
            continue
        ring = _circle(mask, box)
        if ring is None:
            continue
        cx, cy, r = (ring[0] + ring[2]) / 4, (ring[1] + ring[3]) / 4, (ring[2] - ring[0]) / 4
        # A seal has an inner and an outer ring; Hough may find either. The rim is the outermost inked ring.
        rims = [k * r for k in np.arange(1.0, 1.45, 0.05) if _ring_support(dilated, cx, cy, k * r) >= 0.6]
        if not rims:
            continue
        r = max(rims)
        ring = (int(2 * (cx - r)), int(2 * (cy - r)), int(2 * (cx + r)), int(2 * (cy + r)))
        diameter = (ring[2] - ring[0]) / mm
        if not PALE_SEAL_MM[0] <= diameter <= PALE_SEAL_MM[1] or _emblem(ring, scan.grey.shape):
            continue
        if max(_ring_support(dilated, cx, cy, k * r) for k in (1.15, 1.3)) > 0.5:
            continue  # the outside is inked as much as the rim: a background pattern, not a seal
        out.append(Mark(kind=MarkKind.SEAL, box=ring, score=0.6, colour=_colour(_hue_of(scan, ring)), shape="round"))
    return out


PAST_RING_MM = 5.0
"""Pen ink must run this far past a seal's ring (in width or height) to be a signature written across the seal."""
LOW_DPI = 120.0
LOW_DPI_PAST_RING_MM = 2.0
"""Under `LOW_DPI` (a web image of a whole page, 65-100 ppi) a signature's thin strokes fade out of the colour
mask where they leave the seal: what stays of them runs about 2 mm past the ring (real docs 14, 15)."""


def past_ring_mm(dpi: float) -> float:
    """How far pen ink must run past a seal's ring at this resolution to be a signature across the seal."""
    return PAST_RING_MM if dpi >= LOW_DPI else LOW_DPI_PAST_RING_MM


def strokes_past_ring(scan: imaging.Scan, seal: Mark, dpi: float) -> Box | None:
    """Pen strokes leaving a round seal's ring: a signature written across the seal (real docs 02, 14, 34).

    Signature and seal are one blob of the same blue ink, so the blob cannot tell them apart; the ring can.
    The ring is widened to the seal's outermost inked rim, the disc inside it blanked, and what ink is left
    within half a diameter around it and touching the rim is the pen's: strokes 6 mm or more past the rim
    (a seal's own ring and lettering stay inside it), sparse (not a printed block), not a second ring.
    Returns the box of those strokes and the part of the disc they cross (full-size pixels), or None.
    Under `LOW_DPI` the strokes need run only `LOW_DPI_PAST_RING_MM` past the rim (`past_ring_mm`).
    """
    # pen strokes are thin: at half size they fade into the paper, so pale ink counts too (real doc 34)
    mask = scan.colour_mask if scan.pale_mask is None else cv2.bitwise_or(scan.colour_mask, scan.pale_mask)
    if scan.faint_mask is not None and dpi < LOW_DPI:
        # on a web image the pen's thin strokes keep their colour only at full size (real doc 15)
        mask = cv2.bitwise_or(mask, scan.faint_mask)
    mm = dpi / 25.4 / 2  # the colour mask is at half size
    past = past_ring_mm(dpi)
    cx, cy = (seal.box[0] + seal.box[2]) / 4, (seal.box[1] + seal.box[3]) / 4
    r = (seal.box[2] - seal.box[0]) / 4
    if r < 4:
        return None
    dilated = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    rims = [k * r for k in np.arange(1.0, 1.3, 0.05) if _ring_support(dilated, cx, cy, k * r) >= 0.5]
    r = max(rims, default=r) + 0.5 * mm
    pad = int(r)
    x0, y0 = max(0, int(cx - r) - pad), max(0, int(cy - r) - pad)
    x1, y1 = min(mask.shape[1], int(cx + r) + pad), min(mask.shape[0], int(cy + r) + pad)
    crop = mask[y0:y1, x0:x1].copy()
    if crop.size == 0:
        return None
    centre = (round(cx - x0), round(cy - y0))
    cv2.circle(crop, centre, round(r), 0, thickness=-1)
    ks = max(3, int(1.2 * mm)) | 1  # a broken pen line is joined again (gaps of about a millimetre)
    closed = cv2.morphologyEx(crop, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (ks, ks)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed)
    rim_band = np.zeros_like(crop)
    cv2.circle(rim_band, centre, round(r + 1.0 * mm), 255, thickness=-1)
    # on a web image a thin stroke breaks where it leaves the ring (real doc 15: a 1 px pen line at 100 ppi loses
    # pixels): a stroke may start within twice `past` of the rim if it is taller than wide (the print and the border
    # around a seal run in lines: flat pieces) and runs away from the ring
    far_band = np.zeros_like(crop)
    if dpi < LOW_DPI:
        cv2.circle(far_band, centre, round(r + 2 * past * mm), 255, thickness=-1)
    kept: list[Box] = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if max(w, h) < past * mm or area > 0.5 * w * h:
            continue
        own = labels[y : y + h, x : x + w] == i
        near_rim = bool((rim_band[y : y + h, x : x + w][own] > 0).any())
        if not near_rim and not ((far_band[y : y + h, x : x + w][own] > 0).any() and h >= w):
            continue  # ink near the seal that does not come from it
        # a concentric arc (an outer ring of the seal) follows the rim: its points keep one distance from the centre
        ys, xs = np.nonzero(own)
        dist = np.hypot(xs + x + x0 - cx, ys + y + y0 - cy)
        if float(dist.max() - dist.min()) < (0.7 if near_rim else 1.5) * past * mm:
            continue
        kept.append((x + x0, y + y0, x + x0 + w, y + y0 + h))
    if not kept:
        return None
    bx0, by0, bx1, by1 = imaging.union(kept)
    # the strokes cross into the disc: the signature's box reaches the ring's centre line on the side it enters
    bx0, bx1 = min(bx0, int(cx)) if bx1 > cx else bx0, max(bx1, int(cx)) if bx0 < cx else bx1
    by0, by1 = min(by0, int(cy)) if by1 > cy else by0, max(by1, int(cy)) if by0 < cy else by1
    return (2 * bx0, 2 * by0, 2 * bx1, 2 * by1)


def _hue_of(scan: imaging.Scan, box: Box) -> float:
    """Blue or violet by where the ring sits: the pale mask keeps no hue, so it is told by the box's place
    in the colour blobs when one overlaps it, else taken as blue (the usual seal ink)."""
    for blob in scan.seals:
        if imaging.overlap(blob.box, box) > 0 and _colour(blob.hue) in ("blue", "violet"):
            return blob.hue
    return 110.0


def _inside(box: Box, zones: Sequence[Box], share: float) -> bool:
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    return any(imaging.overlap(box, z) > share * area for z in zones)


def pen_marks(
    scan: imaging.Scan, words: Sequence[Word], seal_marks: Sequence[Mark], zones: Sequence[Box], dpi: float, th: float
) -> list[Mark]:
    """Signatures (pen strokes near a signatory's line or low on the page) and handwritten fill-ins of fields."""
    mm = dpi / 25.4
    seal_boxes = [m.box for m in seal_marks]
    height = scan.grey.shape[0]
    out = []
    for blob in scan.colour:
        x0, y0, x1, y1 = blob.box
        w, h = (x1 - x0) / mm, (y1 - y0) / mm
        if blob.purity < MIN_PURITY or _colour(blob.hue) not in ("blue", "violet"):
            continue
        if _inside(blob.box, seal_boxes, 0.7):
            continue  # the seal's own ring and lettering
        if (
            SIGNATURE_W_MM[0] <= w <= SIGNATURE_W_MM[1]
            and SIGNATURE_H_MM[0] <= h <= SIGNATURE_H_MM[1]
            and blob.fill < 0.35
        ):
            in_zone = _inside(blob.box, zones, 0.3)
            low = y0 > 0.45 * height
            if in_zone or low:
                score = 0.85 if in_zone else 0.6
                out.append(
                    Mark(kind=MarkKind.SIGNATURE, box=blob.box, score=score, colour=_colour(blob.hue), shape="stroke")
                )
                continue
        if w >= 2.0 and h >= 2.0 and blob.area >= 0.15 * th * th and fill_in(scan, words, blob.box, th):
            out.append(
                Mark(kind=MarkKind.HANDWRITING, box=blob.box, score=0.7, colour=_colour(blob.hue), shape="stroke")
            )
    return out


FAINT_SCORE = 0.7
"""A faint signature is seen only in a signatory's zone, never low on the page by chance: fairly sure."""
FAINT_MIN_PURITY = 0.5
"""Pen ink's share of the ink in a faint signature's box: colour fringes along bold black print are a small part of
the print they run along; a signature stands mostly on its own ink (real doc 08: 0.9)."""


def faint_signatures(
    scan: imaging.Scan, seal_marks: Sequence[Mark], zones: Sequence[Box], dpi: float, th: float
) -> list[Mark]:
    """Signatures in grey-blue ink too faint for the colour masks (`imaging.faint_ink`), in a signatory's zone.

    Only the zones count (a signatory's line ± 3 lines, around a seal): faint blue is also paper tint, a pale
    security pattern, a fringe of print. Seals seen are blanked first (their ring and lettering are the seal's), and a
    blob that is itself a ring (a pale seal no detector took) is no signature. The rest is a signature when it has a
    signature's size and sparseness and stands mostly on its own ink (`FAINT_MIN_PURITY`).
    """
    mask = scan.faint_mask
    if mask is None or not zones:
        return []
    mm = dpi / 25.4 / 2  # the faint mask is at half size
    ink = mask.copy()
    for seal in seal_marks:
        x0, y0, x1, y1 = seal.box
        ink[max(0, y0 // 2) : max(0, y1 // 2), max(0, x0 // 2) : max(0, x1 // 2)] = 0
    ks = max(3, int(1.2 * mm)) | 1  # a broken pen line is joined again (gaps of about a millimetre)
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (ks, ks)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed)
    out: list[Mark] = []
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        wm, hm = w / mm, h / mm
        if not (SIGNATURE_W_MM[0] <= wm <= SIGNATURE_W_MM[1] and SIGNATURE_H_MM[0] <= hm <= SIGNATURE_H_MM[1]):
            continue
        own = (labels[y : y + h, x : x + w] == i) & (ink[y : y + h, x : x + w] > 0)
        pen = int(own.sum())
        if pen / (w * h) >= 0.35:
            continue  # a dense block: a tinted patch, not strokes
        printed = scan.ink[2 * y : 2 * (y + h) : 2, 2 * x : 2 * (x + w) : 2]
        other = int((printed[: own.shape[0], : own.shape[1]] & ~own).sum())
        if pen / max(1, pen + other) < FAINT_MIN_PURITY:
            continue
        box = (2 * x, 2 * y, 2 * (x + w), 2 * (y + h))
        if not imaging.near(box, zones, th):
            continue  # a signature's loops may rise or fall a line past its zone (real doc 35)
        if max(wm, hm) >= ROUND_MIN_MM and 0.75 <= wm / hm <= 1.33:
            ring = _circle(ink, box)
            if ring is not None and (ring[2] - ring[0]) >= 0.8 * (box[2] - box[0]):
                continue  # a pale seal's ring
        out.append(Mark(kind=MarkKind.SIGNATURE, box=box, score=FAINT_SCORE, colour="blue", shape="stroke"))
    return out


def fill_in(scan: imaging.Scan, words: Sequence[Word], box: Box, th: float) -> bool:
    """Whether pen ink at `box` is written into a printed field: on a rule or underscores, or after a field label."""
    x0, y0, x1, y1 = box
    ink = scan.ink
    # a printed rule or dotted line just under the writing, running on beyond it on both sides
    ya, yb = max(0, y1 - int(0.3 * th)), min(ink.shape[0], y1 + int(1.2 * th))
    band = ink[ya:yb, max(0, x0) : x1]
    if band.size and band.shape[1] > 0:
        rows = band.mean(axis=1)
        if rows.size and float(rows.max()) > 0.6:
            return True
    cy = (y0 + y1) / 2
    for w in words:
        same_line = w.box[1] - th <= cy <= w.box[3] + th
        if not same_line:
            continue
        before = 0 <= x0 - w.box[2] <= 6 * th
        after = 0 <= w.box[0] - x1 <= 3 * th
        over = w.box[0] < x1 and w.box[2] > x0
        text = w.text.strip(".,:;«»\"'")
        if (before or after) and FIELD_LABELS.match(text):
            return True
        if (before or after or over) and "_" in w.text:
            return True
    return False


def _merged(marks: Sequence[Mark], gap: float) -> list[Mark]:
    """Signature pieces closer than `gap` pixels joined into one mark (a pen lifted mid-signature)."""
    out: list[Mark] = []
    for m in sorted(marks, key=lambda m: m.box):
        if out and imaging.near(m.box, [out[-1].box], gap):
            last = out[-1]
            box = imaging.union([last.box, m.box])
            out[-1] = last.model_copy(update={"box": box, "score": max(last.score, m.score)})
        else:
            out.append(m)
    return out


A4_LONG_IN = 11.69
TEXT_PX_AT_300 = 40.0
"""Body text (10-14 pt) is about 40 px high at 300 dpi (the height `ocr.measure` reads as the text height)."""


def physical_dpi(scan: imaging.Scan, dpi: float, th: float | None) -> float:
    """The pixels per inch of the paper, for sizes in millimetres: `dpi` unless the page says it is less.

    An image without credible resolution metadata is taken at the default dpi (300), but a web image or a
    phone photo of a whole page is often 700-1000 px wide (real set: about 85-110 dpi). A page is at most as
    fine as its long side over an A4 page's and its text height over body text's, whichever is finer: then a
    40 mm seal on a 900 px page measures 40 mm, not 12. A crop (narrow but with large text) or a landscape
    page keeps its dpi.
    """
    long_side = max(scan.grey.shape[:2])  # portrait or landscape, an A4 page's long side is 11.69 in
    by_text = th / TEXT_PX_AT_300 * 300.0 if th else 0.0
    finest = max(long_side / A4_LONG_IN, by_text)
    return dpi if finest >= 0.8 * dpi else finest  # a small difference is the text's size, not the scan's


def detect(scan: imaging.Scan, words: Sequence[Word], zones: Sequence[Box], dpi: float, th: float) -> tuple[Mark, ...]:
    """Every seal, signature and handwritten fill-in seen on the page (sizes at the page's `physical_dpi`)."""
    dpi = physical_dpi(scan, dpi, th)
    found = seals(scan, dpi)
    found += pale_seals(scan, dpi, found)
    pen = pen_marks(scan, words, found, zones, dpi, th)
    for seal in found:
        # a pen is blue or violet: strokes past a red stamp's ring are the stamp's (real doc 25)
        if (
            seal.shape != "round"
            or seal.colour not in ("blue", "violet")
            or any(imaging.overlap(m.box, seal.box) > 0 for m in pen if m.kind is MarkKind.SIGNATURE)
        ):
            continue
        crossing = strokes_past_ring(scan, seal, dpi)
        if crossing is not None:
            score = 0.8 if _inside(crossing, zones, 0.3) else 0.6
            pen.append(Mark(kind=MarkKind.SIGNATURE, box=crossing, score=score, colour=seal.colour, shape="stroke"))
    if not any(m.kind is MarkKind.SIGNATURE for m in pen):
        pen += faint_signatures(scan, found, zones, dpi, th)
    signatures = _merged([m for m in pen if m.kind is MarkKind.SIGNATURE], th)
    return (*found, *signatures, *(m for m in pen if m.kind is not MarkKind.SIGNATURE))


# --------------------------------------------------------------------------- visual EDS stamps and text-layer pages

EDS_HEADING = re.compile(
    r"(?:документ|запрос|ответ|выписка)?\s*подписан\w*\s+(?:усиленной\s+)?(?:квалифицированной\s+)?"
    r"электронн\w+\s+(?:цифров\w+\s+)?подпись\w*|электрондық\s+(?:цифрлық\s+)?қолтаңбамен\s+қол\s+қойылған",
    re.IGNORECASE,
)
"""The heading of a visual EDS stamp (a Russian-style qualified e-signature stamp, real doc 27; operator stamps
«Запрос подписан электронной подписью», real doc 33)."""
EDS_CERTIFICATE = re.compile(r"сертификат\w*\s*:?\s*(?:№\s*)?[0-9A-F]{8,}|серийн\w+\s+номер", re.IGNORECASE)
EDS_OWNER = re.compile(r"(?i:владел\w+|иесі)|[А-ЯЁ]{3,}\s+[А-ЯЁ]{3,}\s+[А-ЯЁ]{3,}")
EDS_VALIDITY = re.compile(r"действител\w+\s+с|срок\s+действия|жарамды", re.IGNORECASE)
EDS_STAMP_LINES = 6
"""A stamp's heading, certificate, owner and validity stand within this many lines."""


def eds_stamps(words: Sequence[Word]) -> list[Mark]:
    """Visual EDS stamps among a page's words (a text layer, or the OCR of a stamp's image).

    A stamp is its heading («ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ», broken over lines or not) and what stands
    in the next lines: the certificate's serial, the owner, the validity. Sure (0.9) with a certificate and an
    owner, doubtful (0.6) with the heading alone: a sentence of the body may speak of a signature too.
    Whether a stamp stands in for a signature is a judgement (`intake.judgements.on_details`).
    """
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    ordered = [sorted(ws, key=lambda w: w.box[0]) for _, ws in sorted(lines.items())]
    texts = [" ".join(w.text for w in ws) for ws in ordered]
    out: list[Mark] = []
    i = 0
    while i < len(ordered):
        window = " ".join(texts[i : i + 2])
        if not EDS_HEADING.search(window) or (
            i + 1 < len(texts) and EDS_HEADING.search(texts[i + 1]) and not EDS_HEADING.search(texts[i])
        ):
            i += 1  # the heading starts on a later line
            continue
        end = min(len(ordered), i + EDS_STAMP_LINES)
        body = " ".join(texts[i:end])
        used = [w for ws in ordered[i:end] for w in ws]
        cert, owner = EDS_CERTIFICATE.search(body), EDS_OWNER.search(EDS_HEADING.sub(" ", body))
        score = 0.9 if cert and owner else 0.6
        text = " ".join(body.split())
        out.append(
            Mark(
                kind=MarkKind.EDS_STAMP,
                box=imaging.union([w.box for w in used]),
                score=score,
                colour=None,
                shape="rectangular",
                text=text[:300],
            )
        )
        i = end
    return out


HEAD_SHARE = 0.2
"""The head of a page (its top fifth), where a picture on a born-digital page is a letterhead or an emblem."""
STAMP_IMAGE_MM = ((30.0, 130.0), (12.0, 60.0))
"""An image placed on a text-layer page that may be a visual EDS stamp: 30-130 mm wide, 12-60 mm high, wider than
high (real doc 27: 69 x 28 mm)."""


def stamp_shaped(box: Box, dpi: float) -> bool:
    mm = dpi / 25.4
    w, h = (box[2] - box[0]) / mm, (box[3] - box[1]) / mm
    (w0, w1), (h0, h1) = STAMP_IMAGE_MM
    return w0 <= w <= w1 and h0 <= h <= h1 and 1.3 <= w / max(h, 1e-6) <= 6


def layer_page_marks(
    words: Sequence[Word],
    image: Image.Image | None,
    dpi: float,
    rasters: Sequence[Box],
    read: Callable[[Image.Image], Sequence[Word]] | None,
) -> tuple[Mark, ...]:
    """The marks of a page whose text is a sound text layer but which carries pictures (a scan under an invisible
    OCR layer, a pasted facsimile, a visual EDS stamp): the detectors over the rendered page, and the stamps.

    `words` are the text layer's (boxes in pixels of `image`), `rasters` the boxes of the page's images; `read`
    OCRs an image (None when no engine): a stamp-shaped picture that the text layer does not cover is read, and
    its words looked at for a visual EDS stamp.
    """
    found: list[Mark] = list(eds_stamps(words))
    if image is None:
        return tuple(found)
    scan = imaging.analyse(image, dpi, dropout=False)
    th0 = imaging.confidence_stats(words).text_height_px or dpi / 300 * 40
    seal_boxes = imaging.seal_candidates(scan, dpi)
    zones = imaging.signature_zones(words, seal_boxes, th0, scan.grey.shape[1])
    # only what lies on a picture: the page's own vector print (a blue logo, coloured text) is no ink. A picture
    # that is not a scan of the page (under half of it) at the head of the page is a letterhead's logo or a state
    # emblem (real docs 13, 20, 21), and a pasted picture is no fill-in of a field
    height, width = scan.grey.shape[:2]
    scanned = any((b[2] - b[0]) * (b[3] - b[1]) >= 0.5 * width * height for b in rasters)
    found += [
        m
        for m in detect(scan, words, zones, dpi, float(th0))
        if _inside(m.box, rasters, 0.5)
        and (scanned or (m.kind in (MarkKind.SEAL, MarkKind.SIGNATURE) and m.box[1] > HEAD_SHARE * height))
    ]
    if read is None:
        return tuple(found)
    for box in rasters:
        if not stamp_shaped(box, dpi) or any(imaging.overlap(w.box, box) > 0 for w in words):
            continue
        if any(m.kind is MarkKind.EDS_STAMP and imaging.overlap(m.box, box) > 0 for m in found):
            continue
        read_words = read(image.crop(box))
        shifted = [
            w.model_copy(update={"box": (w.box[0] + box[0], w.box[1] + box[1], w.box[2] + box[0], w.box[3] + box[1])})
            for w in read_words
            if w.text.strip()
        ]
        found += eds_stamps(shifted)
    return tuple(found)
