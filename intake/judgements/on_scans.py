"""SCAN: legibility and alterations of the attached documents (refusal ground 27.3).

27.3: documents "printed (written) indistinctly and illegibly, [that] contain erasures, postscripts,
crossed-out words, unexplained abbreviations, corrections, except corrections certified with the
authorized person's signature and bearing the seal". The facts (words, page measures, located
regions) come from `intake.ocr` and `intake.imaging`; these checks judge them. Only the plainly
unreadable page fails (SCAN001, blocking); everything else found goes to a person (review) with the
page, the box and the measured values. A page that could not be read is never passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from intake import imaging
from intake.judgements import Check
from intake.models import (
    Dossier,
    FileFacts,
    Finding,
    ImageMeasures,
    Outcome,
    PageQuality,
    PageSign,
    PageText,
    Say,
    Word,
    say,
    say_n,
)
from intake.rules import STANDARD_ABBREVIATIONS, finding

# Legibility (research §1.1-1.4). Word confidence decides; image measures explain and decide when few
# words were read. Set on tests/pagegen.py pages and checked on the real development set (README).
MIN_WORDS = 20  # word statistics decide from this many words
MIN_WORDS_SHORT = 5  # a short page (a crisp certificate of 19 words) passes with this many confident words ...
SHORT_MEDIAN = 85.0  # ... read at this median confidence, on a sharp image (SOFT_S)
FAIL_MEDIAN = 60.0
FAIL_LOW60 = 0.5
REVIEW_MEDIAN = 80.0
REVIEW_MEAN = 70.0
REVIEW_LOW60 = 0.30
BLURRED_S = 0.18
SOFT_S = 0.30
EXTREME_BLUR_S = imaging.BEYOND_BLUR_S
NOISE_REL_FAIL = imaging.BEYOND_NOISE_REL
FADED_A = 30.0
SMALL_TEXT_PX = 8.0
LOW_DPI = 150.0  # named among the reasons below this resolution
REVIEW_DPI = (
    75.0  # a page under this resolution (told, or estimated from its text) goes to a person even if OCR reads it
)
# ... unless OCR read it plainly: 20+ words at median 90+ with at most 15 % below 60 (real doc 23: a 590 px wide
# JPEG, ~68 dpi, read at median 96 with 11 % below 60; the 60-dpi page of tests/pagegen.py, 48 words at
# median 96.5 with 6 % below 60, too: research §1.2, low dpi alone is no illegibility)
STRONG_MEDIAN = 90.0
STRONG_LOW60 = 0.15
BLANK_INK = 0.002
FULL_INK = 0.01

# Coloured additions (SCAN005): pen ink, not print. Black print scanned in colour has blue fringes
# (purity ~0.1-0.3 on the real set); a pen addition runs on from a black typed line (beside_print).
ADDITION_MIN_PURITY = 0.5
ADDITION_MIN_BESIDE = 1  # black typed words on the same line

PASSED = "passed"
REVIEW = "review"
FAILED = "failed"


def judge_page(q: PageQuality) -> tuple[str, list[str]]:
    """The legibility of an OCR'd page (passed / review / failed) and the measures that decided, in English."""
    verdict, why = page_verdict(q)
    return verdict, [str(w) for w in why]


def page_verdict(q: PageQuality) -> tuple[str, list[Say]]:
    """The legibility of an OCR'd page (passed / review / failed) and the measures that decided, with values.

    Only the plainly unreadable fails (SCAN001); the grey zone is reviewed (SCAN002).
    """
    img = q.image or ImageMeasures()
    s, a, noise_rel, ink = img.sharpness, img.contrast, img.noise_rel, img.ink_share
    if q.ocr_skipped:
        return FAILED, [
            say(
                "buried in noise: background noise {noise} of the contrast (> {limit})",
                noise=f"{noise_rel:.2f}",
                limit=NOISE_REL_FAIL,
            )
        ]
    n, med, mean, low, th = q.words, q.conf_median, q.conf_mean, q.low60, q.text_height_px
    why: list[Say] = []
    verdict = PASSED
    if n >= MIN_WORDS and med is not None and mean is not None and low is not None:
        if med < FAIL_MEDIAN or low > FAIL_LOW60:
            verdict = FAILED
            why.append(
                say(
                    "word confidence: median {median} (< {fail} fails), {low} of {n} words below 60",
                    median=f"{med:.0f}",
                    fail=f"{FAIL_MEDIAN:.0f}",
                    low=f"{low:.0%}",
                    n=n,
                )
            )
        elif med < REVIEW_MEDIAN or mean < REVIEW_MEAN or low > REVIEW_LOW60:
            verdict = REVIEW
            why.append(
                say(
                    "word confidence: median {median}, mean {mean}, {low} of {n} words below 60 "
                    "(review below median {review_median} / mean {review_mean} or above {review_low})",
                    median=f"{med:.0f}",
                    mean=f"{mean:.0f}",
                    low=f"{low:.0%}",
                    n=n,
                    review_median=f"{REVIEW_MEDIAN:.0f}",
                    review_mean=f"{REVIEW_MEAN:.0f}",
                    review_low=f"{REVIEW_LOW60:.0%}",
                )
            )
        else:
            why.append(
                say(
                    "word confidence: median {median}, mean {mean}, {low} of {n} words below 60",
                    median=f"{med:.0f}",
                    mean=f"{mean:.0f}",
                    low=f"{low:.0%}",
                    n=n,
                )
            )
    elif ink < BLANK_INK:
        verdict = REVIEW
        why.append(say("almost no ink on the page ({ink}): blank or not a document", ink=f"{ink:.2%}"))
    elif ink >= FULL_INK and (med is None or med < FAIL_MEDIAN) and (s < BLURRED_S or noise_rel > 0.15):
        verdict = FAILED
        why.append(
            say_n(
                "only {n} word read{median} from a page full of ink ({ink}), and the image is {image}",
                "only {n} words read{median} from a page full of ink ({ink}), and the image is {image}",
                n,
                median=say(" with median confidence {median}", median=f"{med:.0f}") if med is not None else "",
                ink=f"{ink:.0%}",
                image=say("blurred (sharpness {sharpness} < {limit})", sharpness=f"{s:.2f}", limit=BLURRED_S)
                if s < BLURRED_S
                else say("noisy ({noise} of the contrast)", noise=f"{noise_rel:.2f}"),
            )
        )
    elif s < EXTREME_BLUR_S or noise_rel > NOISE_REL_FAIL:
        verdict = FAILED
        why.append(
            say_n(
                "only {n} word read, and the image is {image}",
                "only {n} words read, and the image is {image}",
                n,
                image=say(
                    "blurred beyond reading (sharpness {sharpness} < {limit})",
                    sharpness=f"{s:.2f}",
                    limit=EXTREME_BLUR_S,
                )
                if s < EXTREME_BLUR_S
                else say(
                    "buried in noise (noise {noise} of the contrast > {limit})",
                    noise=f"{noise_rel:.2f}",
                    limit=NOISE_REL_FAIL,
                ),
            )
        )
    elif n >= MIN_WORDS_SHORT and med is not None and med >= SHORT_MEDIAN and s >= SOFT_S and a >= FADED_A:
        why.append(
            say_n(
                "a short page: {n} word, median confidence {median}, sharp image (sharpness {sharpness})",
                "a short page: {n} words, median confidence {median}, sharp image (sharpness {sharpness})",
                n,
                median=f"{med:.0f}",
                sharpness=f"{s:.2f}",
            )
        )
    else:
        verdict = REVIEW
        why.append(
            say_n(
                "only {n} word read (fewer than {min}): a person judges",
                "only {n} words read (fewer than {min}): a person judges",
                n,
                min=MIN_WORDS,
            )
        )
    dpi = q.estimated_dpi if q.estimated_dpi is not None else q.effective_dpi
    if th is not None and th < SMALL_TEXT_PX and verdict == PASSED:
        verdict = REVIEW
        why.append(say("text {height} px high (< {limit} px)", height=f"{th:.0f}", limit=f"{SMALL_TEXT_PX:.0f}"))
    strong = n >= MIN_WORDS and med is not None and med >= STRONG_MEDIAN and low is not None and low <= STRONG_LOW60
    if dpi is not None and dpi < REVIEW_DPI and verdict == PASSED and not strong:
        verdict = REVIEW
        why.append(
            say(
                "resolution {dpi} dpi (< {limit}): read by enlarging, a person confirms",
                dpi=f"{dpi:.0f}",
                limit=f"{REVIEW_DPI:.0f}",
            )
        )
    if verdict != PASSED or s < SOFT_S or a < FADED_A:
        said = " ".join(map(str, why))
        if s < BLURRED_S and "blurred" not in said:
            why.append(say("blurred: sharpness {sharpness} (< {limit})", sharpness=f"{s:.2f}", limit=BLURRED_S))
        elif s < SOFT_S:
            why.append(say("soft: sharpness {sharpness} (< {limit})", sharpness=f"{s:.2f}", limit=SOFT_S))
        if a < FADED_A:
            why.append(
                say("faded: contrast {contrast} grey levels (< {limit})", contrast=f"{a:.0f}", limit=f"{FADED_A:.0f}")
            )
        if noise_rel > 0.1:
            why.append(say("noisy: background noise {noise} of the contrast", noise=f"{noise_rel:.2f}"))
        if dpi is not None and dpi < LOW_DPI and "resolution" not in said:
            why.append(say("low resolution: {dpi} dpi (< {limit})", dpi=f"{dpi:.0f}", limit=f"{LOW_DPI:.0f}"))
    return verdict, why


# Crossed-out words (SCAN003): the detector (`imaging.strike_throughs`) measures a stroke against the boxes of
# the words it crosses. Two things it finds are not strikes (real docs 06, 28):
# - a stroke at the foot of the line: OCR took a seal's ring or a rule touching the letters' bottoms into one
#   word's box, so the stroke sat in that box's middle (real doc 06 p3: a black photocopied seal's ring under
#   «Дюсекеновой», at 0.85 of the line's x-height band). Measured against the line's x-height (the upper
#   quartile of its words' tops) and baseline (the lower quartile of their bottoms), a strike runs through the
#   middle (the detector's band, 0.2-0.75);
# - the letters' own bars merged by a soft scan: «мөөнөтү» in bold print, where ө ө н ө touch at mid-height
#   and their bars run on as one 83 px line (real doc 28 p5, twice). Such a "stroke" lies inside the letters'
#   bodies: their ink touches it just above and just below along most of its length (the detector's
#   `ink_above`, `ink_below`: 0.81 on the `merged_bars` page of tests/pagegen.py, 0.74 on doc 28), where a
#   pen's strike through print crosses stems, counters and the gaps between letters (0.25-0.28 on the struck
#   word of tests/pagegen.py). A strike over print so soft that its letters merge cannot be told from the
#   print: a person sees the page only if something else is found.
STRIKE_BAND = (0.2, 0.75)
STRIKE_INSIDE = 0.5  # mean share of the stroke's length with letter ink just above and below: inside the letters


def _line_band(sign: PageSign, page: PageText) -> float | None:
    """Where the stroke runs between the x-height (0) and the baseline (1) of the lines it crosses."""
    x0, y0, x1, y1 = sign.box
    yc = (y0 + y1) / 2
    lines = {w.line for w in page.words if w.box[0] < x1 and w.box[2] > x0 and w.box[1] <= yc <= w.box[3]}
    boxes = [w.box for w in page.words if w.line in lines and any(c.isalnum() for c in w.text)]
    if not boxes:
        return None
    # the x-height band: most words' tops sit at the x-height (capitals and ascenders rise above), most bottoms
    # at the baseline (descenders fall below)
    top = sorted(b[1] for b in boxes)[(3 * len(boxes)) // 4]
    bottom = sorted(b[3] for b in boxes)[len(boxes) // 4]
    return (yc - top) / max(1, bottom - top)


def strike_is_print(sign: PageSign, page: PageText) -> bool:
    """Whether a located stroke is the print itself rather than a crossed-out word (`STRIKE_BAND`, `STRIKE_INSIDE`)."""
    band = _line_band(sign, page)
    if band is not None and not STRIKE_BAND[0] <= band <= STRIKE_BAND[1]:
        return True
    v = sign.values
    return (v.get("ink_above", 0.0) + v.get("ink_below", 0.0)) / 2 >= STRIKE_INSIDE


# Illegible lines (SCAN002 on a page that reads) of a form's entries: the entries of printed fields are left out
# of the facts (`imaging.field_entries`: after the last label of a line, and the line under a label line), but a
# Kyrgyz|Russian spread read as one line holds two labels («Аталышы: ... Наименование: ...», real doc 28 p7, p13)
# and a stray mark read as a line of its own can stand between a label line and its entry (p9, p12). Such a line,
# its labels read surely (LABEL_SURE) or under a label line, is the entries in a calligraphic script, not print
# that cannot be read: their details are judged where they are extracted (indeterminate when unread).
LABEL_SURE = 80.0  # a label read at this confidence or more is the form's print, read
PRINT_WORD_LETTERS = 3  # a line of print has a word of this many letters read at LABEL_SURE


def _is_label(w: Word) -> bool:
    return w.text.endswith(":") and sum(c.isalpha() for c in w.text) >= PRINT_WORD_LETTERS


def entry_line(sign: PageSign, page: PageText) -> bool:
    """Whether an illegible line is a form's fill-ins: it holds a label read surely, or the nearest line of print
    above it (stray marks skipped) ends with a label."""
    x0, y0, x1, y1 = sign.box
    inside = [w for w in page.words if x0 <= w.box[0] and w.box[2] <= x1 and y0 <= w.box[1] and w.box[3] <= y1]
    lines = {w.line for w in inside}
    if any(_is_label(w) and w.conf >= LABEL_SURE for w in page.words if w.line in lines):
        return True
    rows: dict[int, list[Word]] = {}
    for w in page.words:
        if w.line not in lines:
            rows.setdefault(w.line, []).append(w)
    top = min(y0, *(w.box[1] for w in inside)) if inside else y0
    above = [
        ws
        for ws in rows.values()
        if any(sum(c.isalpha() for c in w.text) >= PRINT_WORD_LETTERS and w.conf >= LABEL_SURE for w in ws)
        and sorted(w.box[1] for w in ws)[len(ws) // 2] < top
        and min(w.box[0] for w in ws) < x1
        and max(w.box[2] for w in ws) > x0
    ]
    if not above:
        return False
    nearest = max(above, key=lambda ws: sorted(w.box[1] for w in ws)[len(ws) // 2])
    return _is_label(max(nearest, key=lambda w: w.box[2]))


def _counts(kind: str, sign: PageSign, page: PageText | None = None) -> bool:
    """Whether a located sign is an alteration to report (SCAN005 counts pen ink only, not print; SCAN003 not the
    letters' own bars nor a line at the letters' foot)."""
    if kind == "strike_through":
        return page is None or not strike_is_print(sign, page)
    if kind != "coloured_addition":
        return True
    v = sign.values
    if sign.seal_nearby:
        return False  # pen at a seal or stamp: a certification («КОПИЯ ВЕРНА»), a registry entry, not a postscript
    # 27.3 postscripts: pen writing added to a typed line. Pen ink on a line of its own is a fill-in of
    # a letterhead's field or a note of the registry (real docs 07, 35); a line of coloured print too.
    return v.get("purity", 1.0) >= ADDITION_MIN_PURITY and v.get("beside_print", 0.0) >= ADDITION_MIN_BESIDE


def _unread(f: FileFacts) -> list[PageText]:
    return [p for p in f.text if p.source == "none"]


def _page_box(p: PageText) -> list[int]:
    return [0, 0, p.width, p.height]


def _with_text(dossier: Dossier) -> Iterator[FileFacts]:
    """The documents that were opened and have pages of text to judge."""
    return (f for f in dossier.documents() if not f.read_error and f.text)


def _not_read(code: str, f: FileFacts, what: Say) -> Finding:
    pages = _unread(f)
    reason = f.text_error or "; ".join(sorted({p.note or "no text" for p in pages})) or "no page could be read"
    # Said from the pages (each note a catalog term where it has one) rather than from the English `text_error`.
    said = say_n(
        "page {pages} could not be read: {notes}",
        "pages {pages} could not be read: {notes}",
        len(pages),
        pages=", ".join(str(p.number) for p in pages),
        notes=tuple(sorted({p.note or "no text" for p in pages})),
    )
    return finding(
        code,
        Outcome.INDETERMINATE,
        say("{file}: {what} could not be judged: {reason}", file=f.name, what=what, reason=said if pages else reason),
        document=f.name,
        page=pages[0].number if len(pages) == 1 else None,
        evidence={"pages": [p.number for p in pages], "reason": reason},
    )


def _examined_pages(f: FileFacts, sound: list[int]) -> Iterator[tuple[PageText, PageQuality]]:
    """The OCR'd pages of a document with their measures; the numbers of pages with a sound text layer (nothing
    to judge on them) go to `sound`, pages not read at all are skipped (`_not_read` reports them)."""
    for p in f.text:
        q = p.quality
        if p.source == "none" or q is None:
            continue
        if p.source == "text-layer":
            sound.append(p.number)
            continue
        yield p, q


def page_text(dossier: Dossier) -> Iterator[Finding]:
    """SCAN009: every page of every document has text (a sound text layer or OCR)."""
    for f in dossier.documents():
        if f.read_error:
            continue  # FILE008/FILE009 report unreadable files
        if not f.text:
            yield finding(
                "SCAN009",
                Outcome.INDETERMINATE,
                say("{file}: no page could be read ({reason})", file=f.name, reason=f.text_error or say("no pages")),
                document=f.name,
                evidence={"reason": f.text_error},
            )
            continue
        if _unread(f):
            yield _not_read("SCAN009", f, say("the text of the pages"))
            continue
        sources = {p.source for p in f.text}
        layer = [p.number for p in f.text if p.source == "text-layer"]
        ocred = [p.number for p in f.text if p.source == "ocr"]
        yield finding(
            "SCAN009",
            Outcome.PASSED,
            say_n(
                "{file}: {n} page read ({layer} from a sound text layer, {ocr} by OCR)",
                "{file}: {n} pages read ({layer} from a sound text layer, {ocr} by OCR)",
                len(f.text),
                file=f.name,
                layer=len(layer),
                ocr=len(ocred),
            ),
            document=f.name,
            evidence={"text_layer_pages": layer, "ocr_pages": ocred, "sources": sorted(sources)},
        )


def _measures(p: PageText) -> dict[str, Any]:
    q = p.quality
    if q is None:
        return {}
    img = q.image
    return {
        "words": q.words,
        "conf_median": q.conf_median,
        "conf_mean": q.conf_mean,
        "low60": q.low60,
        "left_out": q.left_out,
        "text_height_px": q.text_height_px,
        "effective_dpi": q.effective_dpi,
        "estimated_dpi": q.estimated_dpi,
        "sharpness": img.sharpness if img else None,
        "contrast": img.contrast if img else None,
        "noise_sd": img.noise_sd if img else None,
        "noise_rel": img.noise_rel if img else None,
        "ink_share": img.ink_share if img else None,
        "rotation": p.rotation,
        "osd_rotate": q.osd_rotate,
        "skew_degrees": q.skew_degrees,
        "upscaled": q.upscaled,
    }


def legibility(dossier: Dossier) -> Iterator[Finding]:
    """SCAN001 (plainly unreadable: blocking) and SCAN002 (grey zone and illegible lines: review), per page."""
    for f in _with_text(dossier):
        if _unread(f):
            yield _not_read("SCAN001", f, say("legibility"))
        passed: list[int] = []
        for p, q in _examined_pages(f, passed):
            verdict, why = page_verdict(q)
            reasons = tuple(why)
            if verdict == FAILED:
                yield finding(
                    "SCAN001",
                    Outcome.FAILED,
                    say("{file} page {page} cannot be read: {reasons}", file=f.name, page=p.number, reasons=reasons),
                    document=f.name,
                    page=p.number,
                    evidence={"page": p.number, "box": _page_box(p), **_measures(p)},
                )
                continue
            lines = [r for r in q.signs if r.kind == "illegible_line" and not entry_line(r, p)]
            if verdict == REVIEW:
                yield finding(
                    "SCAN002",
                    Outcome.FAILED,
                    say("{file} page {page} may be illegible: {reasons}", file=f.name, page=p.number, reasons=reasons),
                    document=f.name,
                    page=p.number,
                    evidence={
                        "page": p.number,
                        "box": _page_box(p),
                        "regions": [list(r.box) for r in lines],
                        **_measures(p),
                    },
                )
                continue
            if lines:
                yield finding(
                    "SCAN002",
                    Outcome.FAILED,
                    say_n(
                        "{file} page {page}: {n} line partially illegible (mean word confidence {means} < {limit}); "
                        "the page itself reads ({reasons})",
                        "{file} page {page}: {n} lines partially illegible (mean word confidence {means} < {limit}); "
                        "the page itself reads ({reasons})",
                        len(lines),
                        file=f.name,
                        page=p.number,
                        means=", ".join(str(r.values["line_conf_mean"]) for r in lines),
                        limit=f"{imaging.LINE_ILLEGIBLE:.0f}",
                        reasons=reasons,
                    ),
                    document=f.name,
                    page=p.number,
                    evidence={
                        "page": p.number,
                        "box": list(lines[0].box),
                        "regions": [list(r.box) for r in lines],
                        "line_conf_means": [r.values["line_conf_mean"] for r in lines],
                        **_measures(p),
                    },
                )
            passed.append(p.number)
        if passed:
            yield finding(
                "SCAN001",
                Outcome.PASSED,
                say_n(
                    "{file}: page {pages} legible",
                    "{file}: pages {pages} legible",
                    len(passed),
                    file=f.name,
                    pages=", ".join(map(str, passed)),
                ),
                document=f.name,
                evidence={"pages": passed},
            )


def _alterations(code: str, kind: str, what: Say, plural: Say) -> Any:
    def check(dossier: Dossier) -> Iterator[Finding]:
        for f in _with_text(dossier):
            if _unread(f):
                yield _not_read(code, f, plural)
            examined: list[int] = []
            skipped: list[int] = []
            for p, q in _examined_pages(f, examined):
                if not q.examined:
                    skipped.append(p.number)
                    continue
                examined.append(p.number)
                found = [r for r in q.signs if r.kind == kind and _counts(kind, r, p)]
                for r in found:
                    certified = r.signature_nearby and r.seal_nearby
                    evidence: dict[str, Any] = {
                        "page": p.number,
                        "box": list(r.box),
                        "kind": kind,
                        **r.values,
                        "certified_nearby": {"signature": r.signature_nearby, "seal": r.seal_nearby},
                    }
                    if r.words:
                        evidence["words"] = list(r.words)
                    if r.twin_box is not None:
                        evidence["twin_box"] = list(r.twin_box)
                    if certified:
                        yield finding(
                            code,
                            Outcome.INDETERMINATE,
                            say(
                                "{file} page {page}: {what} {box} with a signature and a seal next to it: possibly "
                                "a certified correction (27.3 allows those); a person confirms",
                                file=f.name,
                                page=p.number,
                                what=what,
                                box=say("at {box}", box=str(r.box)),
                            ),
                            document=f.name,
                            page=p.number,
                            evidence=evidence,
                        )
                    else:
                        yield finding(
                            code,
                            Outcome.FAILED,
                            say(
                                "{file} page {page}: {what} {box}{description}",
                                file=f.name,
                                page=p.number,
                                what=what,
                                box=say("at {box}", box=str(r.box)),
                                description=_describe(r),
                            ),
                            document=f.name,
                            page=p.number,
                            evidence=evidence,
                        )
            if skipped:
                yield finding(
                    code,
                    Outcome.INDETERMINATE,
                    say_n(
                        "{file}: page {pages} not examined for {what}: the page is not read confidently enough "
                        "(see SCAN001/SCAN002)",
                        "{file}: pages {pages} not examined for {what}: the page is not read confidently enough "
                        "(see SCAN001/SCAN002)",
                        len(skipped),
                        file=f.name,
                        pages=", ".join(map(str, skipped)),
                        what=plural,
                    ),
                    document=f.name,
                    page=skipped[0] if len(skipped) == 1 else None,
                    evidence={"pages": skipped},
                )
            clean = [
                n
                for n in examined
                if not any(
                    r.kind == kind and _counts(kind, r, p)
                    for p in f.text
                    if p.number == n and p.quality
                    for r in p.quality.signs
                )
            ]
            if clean and len(clean) == len(examined) and not skipped:
                yield finding(
                    code,
                    Outcome.PASSED,
                    say_n(
                        "{file}: no {what} on page {pages}",
                        "{file}: no {what} on pages {pages}",
                        len(clean),
                        file=f.name,
                        what=plural,
                        pages=", ".join(map(str, clean)),
                    ),
                    document=f.name,
                    evidence={"pages": clean},
                )

    check.__name__ = kind
    return check


def _describe(r: PageSign) -> Say | str:
    v = r.values
    if r.kind == "strike_through":
        return say(
            ": a stroke {length} px long through the middle of «{words}»",
            length=f"{v['stroke_length_px']:.0f}",
            words=" ".join(r.words),
        )
    if r.kind == "whiteout":
        return say(
            ": grey {patch} (sd {patch_sd}) on paper of grey {paper} (sd {paper_sd})",
            patch=str(v["patch_level"]),
            patch_sd=str(v["patch_sd"]),
            paper=str(v["paper_level"]),
            paper_sd=str(v["paper_sd"]),
        )
    if r.kind == "coloured_addition":
        return say(
            ": blue or violet pen ink {width}×{height} px (purity {purity}, {cover} read as print) away from the "
            "signatures, seals and filled-in fields",
            width=f"{v['width_px']:.0f}",
            height=f"{v['height_px']:.0f}",
            purity=f"{v['purity']:.2f}",
            cover=f"{v['read_cover']:.0%}",
        )
    if r.kind == "identical_glyphs":
        return say(
            ": identical to the glyph at {twin} (mean difference {diff} grey levels where the paper's noise "
            "is {noise})",
            twin=str(r.twin_box),
            diff=str(v["mean_abs_diff"]),
            noise=str(v["noise_sd"]),
        )
    return ""


def pdf_editing(dossier: Dossier) -> Iterator[Finding]:
    """SCAN007: incremental updates that change page content, visible text over a scan, an editor as producer."""
    for f in dossier.documents():
        if f.media_type != "application/pdf" or f.read_error:
            continue
        facts = f.forensics
        if facts is None or not facts.examined:
            reason = facts.reason if facts is not None and facts.reason else "the PDF was not examined"
            said = (
                facts.reason_template
                if facts is not None and facts.reason_template
                else (reason if facts is not None and facts.reason else say("the PDF was not examined"))
            )
            yield finding(
                "SCAN007",
                Outcome.INDETERMINATE,
                say("{file}: could not be examined for editing: {reason}", file=f.name, reason=said),
                document=f.name,
                evidence={"reason": reason},
            )
            continue
        if not facts.signs:
            yield finding("SCAN007", Outcome.PASSED, say("{file}: no sign of editing", file=f.name), document=f.name)
            continue
        for sign in facts.signs:
            evidence = sign.model_dump(mode="json", exclude_none=True, exclude={"message", "template"})
            yield finding(
                "SCAN007",
                Outcome.FAILED,
                say("{file}: {sign}", file=f.name, sign=sign.template or sign.message),
                document=f.name,
                page=sign.page,
                evidence=evidence,
            )


# --------------------------------------------------------------------------- abbreviations

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_ALLCAPS = re.compile(rf"^[{_UPPER}]{{2,6}}$")
_DOTTED = re.compile(rf"^[{_LOWER}]{{2,4}}\.$")
# short words that end a sentence: a period after them is no abbreviation
_COMMON = frozenset(
    ("лет", "год", "нет", "дом", "раз", "час", "мин", "сум", "жыл", "ай", "күн", "бар", "жоқ", "тыс", "шт", "ед")
)
_ROMAN = re.compile(r"^[IVXLC]+$")
_SKIP = frozenset(
    (
        *("и", "в", "во", "на", "по", "для", "с", "со", "о", "об", "от", "из", "к", "ко", "при"),
        *("және", "мен", "бен", "пен", "үшін", "the", "of", "and", "for", "in", "on", "to", "a", "an"),
    )
)
_STANDARD_FOLDED = frozenset(a.casefold().rstrip(".") for a in STANDARD_ABBREVIATIONS)
_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_VOWELS = frozenset("АЕЁИОУЫЭЮЯӘӨҰҮІ")
_CLUSTER = re.compile(r"[^АЕЁИОУЫЭЮЯӘӨҰҮІ]{2,}")
# consonant pairs common inside Russian and Kazakh words; an acronym's pairs (ЦС, БД, ЮЛ aside) mostly are not
_PAIR_TEXT = (
    "СТ СК СП СМ СН СЛ СВ СЬ НТ НД НК НС НВ НГ НЬ РТ РД РК РС РМ РН РЛ РВ РГ РБ РП РЬ ЛТ ЛК ЛЬ ЛС ЛД ЛМ ЛН "
    "ВС ВТ ВН ВЛ ВР ЗД ЗН ЗМ ПР ПЛ ТР ТВ КР КЛ КТ КС ГР ГЛ БР БЛ ДР ДН МН МП МБ ЖД ЖН ШК ШТ ЧН ЧК ҢД ҢГ ҚТ ҚС"
)
_PAIRS = frozenset(_PAIR_TEXT.split(" "))
# short words OCR or a heading style prints in capitals («в ТОМ, что»): words, not abbreviations
_CAPITAL_WORDS = frozenset(
    (
        *("том", "что", "это", "как", "так", "все", "всё", "его", "она", "они", "оно", "при", "под", "над", "без"),
        *("где", "кто", "она", "уже", "или", "ещё", "еще", "год", "дом", "мир", "топ", "лет", "раз", "мен", "бұл"),
        *("осы", "сол", "жыл", "бар", "жоқ", "үшін", "және", "бен", "пен", "тон", "сам", "два", "три", "оба"),
        *("имя", "мая", "дня", "нас", "вас", "нам", "вам", "них", "для", "над", "мой", "наш", "ваш"),
    )
)
_KAZAKH = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
MIN_KAZAKH_WORDS = 2  # a document with Kazakh text has at least this many Kazakh words
OCR_SURE = 95.0  # Tesseract (tessdata_fast) reads a clear word at 96-97; below this a letter may be misread
MIN_CYRILLIC_SHARE = 0.5  # a document judged for abbreviations is Russian or Kazakh: most of its letters Cyrillic
# Two capitals read by OCR under OCR_SURE are no evidence of an abbreviation: what OCR makes of a word broken on a
# security background or a guilloche («Орга НИ I | форма» for «Организационно-правовая форма» at 93, real doc 24;
# «ЛИ» at 80 on doc 28). Longer capitals read at 88 (ОЦСО) stay judged.
SHORT_CAPS = 2
# A short word with a period is no abbreviation where the document also writes it without one («кем эмес,»
# beside «кем эмес.», Kyrgyz «not less», real doc 28): it ends a sentence. Kyrgyz needs this rule rather than
# being left out: OCR runs a Kyrgyz|Russian spread's two columns into one line and reads Kyrgyz ү as у, so
# neither its lines nor its letters tell it apart from Russian and Kazakh (real doc 28).


def _word_in_capitals(core: str) -> bool:
    """A word printed in capitals (a name «НОВА», «САУЛЕ», «ЛИДЕР», or «ТОМ» of «в том, что»), not an
    abbreviation: a common short word, or 4+ letters that read as syllables (a third of them vowels,
    consonants at most in pairs common in words). Abbreviations are not: ГБДЮЛ, КНД, ЗРК, ОЦСО."""
    if core.casefold() in _CAPITAL_WORDS:
        return True
    if len(core) < 4:
        return False
    vowels = sum(c in _VOWELS for c in core)
    clusters = _CLUSTER.findall(core)
    return vowels / len(core) >= 0.3 and all(len(c) == 2 and c in _PAIRS for c in clusters)


def _tokens(f: FileFacts) -> list[tuple[str, int, int, float]]:
    """(token, page, line, confidence) of the document's confident words, punctuation trimmed (a text layer's
    words have confidence 100); words inside «...» (names of organisations, «НОВА ИНВЕСТ», «СКБ Контур») are
    left out: a name is no abbreviation to explain."""
    out: list[tuple[str, int, int, float]] = []
    for p in f.text:
        depth = 0
        for w in p.words:
            opened = w.text.count("«") + w.text.count("„")
            closed = w.text.count("»") + w.text.count("“")
            quoted = depth > 0 or opened > 0
            depth = max(0, depth + opened - closed)
            if p.source == "ocr" and w.conf < 80:
                continue
            t = w.text.strip("«»\"'()[]{}:;,!?")
            if t and not quoted:
                out.append((t, p.number, w.line, w.conf if p.source == "ocr" else 100.0))
    return out


def _one_letter_off_standard(abbr: str) -> bool:
    """Whether a standard abbreviation of the same length (3+ characters: «ГПХ», «ул.») differs in one letter only."""
    return len(abbr) >= 3 and any(
        len(std) == len(abbr) and std != abbr and sum(a != b for a, b in zip(std, abbr, strict=True)) == 1
        for std in STANDARD_ABBREVIATIONS
    )


def _initials_match(abbr: str, words: Sequence[str]) -> bool:
    """Whether the abbreviation's letters are the initials (or word starts) of the words, in order."""
    letters = abbr.casefold()
    ws = [w.casefold() for w in words if w.casefold() not in _SKIP]

    def match(i: int, j: int) -> bool:
        if i == len(letters):
            return j == len(ws)
        if j == len(ws):
            return False
        word = ws[j]
        k = 0
        while k < len(word) and i + k < len(letters) and word[k] == letters[i + k]:
            k += 1
            if match(i + k, j + 1):
                return True
        return False

    return match(0, 0)


def _explained(tokens: list[str]) -> set[str]:
    """Abbreviations expanded in the text: «words (ABBR)» or «ABBR (words)»."""
    text = " ".join(tokens)
    out: set[str] = set()
    for m in re.finditer(r"\(([^()]{2,120})\)", text):
        inside = m.group(1).strip()
        before = text[: m.start()].split()
        if _ALLCAPS.match(inside) or re.fullmatch(rf"[{_UPPER}{_LOWER}]{{2,8}}", inside):
            for n in range(1, min(len(inside) + 4, len(before)) + 1):
                if _initials_match(inside, before[-n:]):
                    out.add(inside)
                    break
        elif before:
            abbr = before[-1].strip("«»\"'.,")
            words = inside.split()
            if _ALLCAPS.match(abbr) and _initials_match(abbr, words):
                out.add(abbr)
    return out


def _spelled_out(abbr: str, words: Sequence[str]) -> bool:
    """Whether the words of the abbreviation appear in full somewhere in the document («Центр социальной
    реабилитации» for ЦСР), not only in parentheses."""
    first = abbr[0].casefold()
    for i, w in enumerate(words):
        if not w or w[0].casefold() != first or w.isupper():
            continue
        for n in range(2, len(abbr) + 4):
            if i + n > len(words):
                break
            if _initials_match(abbr, [x.strip("«»\"'(),.;:") for x in words[i : i + n]]):
                return True
    return False


def abbreviations(dossier: Dossier) -> Iterator[Finding]:
    """SCAN008: abbreviations that are neither standard (rules.STANDARD_ABBREVIATIONS) nor expanded in the document."""
    for f in _with_text(dossier):
        if _unread(f):
            yield _not_read("SCAN008", f, say("abbreviations"))
            continue
        toks = _tokens(f)
        words = [t for t, _, _, _ in toks]
        letters = "".join(words)
        cyrillic = len(_CYRILLIC.findall(letters)) / max(1, sum(c.isalpha() for c in letters))
        if cyrillic < MIN_CYRILLIC_SHARE:
            yield finding(
                "SCAN008",
                Outcome.PASSED,
                say(
                    "{file}: abbreviations are judged in Russian and Kazakh text only; "
                    "{share} of this document's letters are Cyrillic",
                    file=f.name,
                    share=f"{cyrillic:.0%}",
                ),
                document=f.name,
                evidence={"cyrillic_share": round(cyrillic, 3)},
            )
            continue
        explained = _explained(words)
        lines: dict[tuple[int, int], list[str]] = {}
        for t, pg, ln, _ in toks:
            lines.setdefault((pg, ln), []).append(t)
        bare = {w.rstrip(",;:").casefold() for w in words if not w.endswith(".")}
        vocabulary = {w.casefold() for w in words if len(w) > 5}
        found: dict[str, list[int]] = {}
        # Kazakh text: words of 4+ letters, not in capitals, with Kazakh letters («анықтама», «берілді»)
        kazakh = sum(1 for w in words if len(w) >= 4 and not w.isupper() and _KAZAKH.search(w))
        for i, (t, pg, ln, conf) in enumerate(toks):
            core = t.rstrip(",;:")
            line = lines[(pg, ln)]
            lettered = [x for x in line if any(c.isalpha() for c in x)]
            caps = sum(1 for x in lettered if x.isupper() and len(x) > 1)
            caps_line = caps == len(lettered) or caps >= max(3, len(lettered) * 0.6)  # a heading
            candidate = False
            if not _CYRILLIC.search(core):
                continue  # SCAN008 judges Russian and Kazakh text only
            if conf < OCR_SURE and _ALLCAPS.match(core) and len(core) <= SHORT_CAPS:
                continue  # two capitals read unsurely: a broken word or a background's pattern («НИ», real doc 24)
            if _ALLCAPS.match(core) and not _ROMAN.match(core) and not caps_line and not _word_in_capitals(core):
                candidate = True
            elif _DOTTED.match(core) and core[:-1].casefold() not in _COMMON | _CAPITAL_WORDS:
                nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
                stem = core[:-1].casefold()
                # a word of 3+ letters before a number ends a sentence or an item («... лиц. 2. ...», real doc 35)
                if (nxt[:1].islower() or (nxt[:1].isdigit() and len(stem) < 3)) and stem not in bare:
                    candidate = not any(v.startswith(stem) and len(v) >= len(stem) + 2 for v in vocabulary)
            if not candidate:
                continue
            folded = core.casefold().rstrip(".")
            joined = core + (toks[i + 1][0] if i + 1 < len(toks) else "")
            if joined in STANDARD_ABBREVIATIONS or joined.casefold() in _STANDARD_FOLDED:
                continue  # a standard abbreviation broken across a line or a space («ГБДЮ» + «Л», «КЕ АҚ», real doc 17)
            if conf < OCR_SURE and _one_letter_off_standard(core):
                continue  # OCR's reading of a standard one («ГИХ» for «ГПХ», real doc 23; «ут.» for «ул.», doc 28)
            if _KAZAKH.search(core) and kazakh < MIN_KAZAKH_WORDS and conf < 100.0:
                continue  # Kazakh letters read by OCR in a document with no Kazakh text: a misreading («ІМ», doc 29)
            if core in STANDARD_ABBREVIATIONS or folded in _STANDARD_FOLDED or core in explained:
                continue
            if _ALLCAPS.match(core) and _spelled_out(core, words):
                explained.add(core)
                continue
            found.setdefault(core, []).append(pg)
        if found:
            listed = tuple(
                say("{abbreviation} (p. {pages})", abbreviation=a, pages=", ".join(map(str, sorted(set(p)))))
                for a, p in sorted(found.items())
            )
            first = min(p for ps in found.values() for p in ps)
            yield finding(
                "SCAN008",
                Outcome.FAILED,
                say(
                    "{file}: abbreviations neither standard nor explained in the document: {listed}",
                    file=f.name,
                    listed=listed,
                ),
                document=f.name,
                page=first,
                evidence={
                    "abbreviations": {a: sorted(set(p)) for a, p in found.items()},
                    "pages": sorted({p for ps in found.values() for p in ps}),
                    "page": first,
                    "box": _abbr_box(f, first, set(found)),
                },
            )
        else:
            yield finding(
                "SCAN008",
                Outcome.PASSED,
                say("{file}: every abbreviation is standard or explained", file=f.name),
                document=f.name,
                evidence={"explained": sorted(explained)},
            )


def _abbr_box(f: FileFacts, page: int, abbrs: set[str]) -> list[int] | None:
    for p in f.text:
        if p.number != page:
            continue
        for w in p.words:
            if w.text.strip("«»\"'()[]{}:;,!?").rstrip(",;:") in abbrs:
                return list(w.box)
    return None


CHECKS: tuple[Check, ...] = (
    Check("SCAN009", page_text),
    Check("SCAN001", legibility, also=["SCAN002"]),
    Check(
        "SCAN003",
        _alterations("SCAN003", "strike_through", say("a crossed-out word"), say("crossed-out words")),
    ),
    Check(
        "SCAN004",
        _alterations(
            "SCAN004", "whiteout", say("a correction-fluid or erased patch"), say("correction fluid or erasures")
        ),
    ),
    Check(
        "SCAN005",
        _alterations("SCAN005", "coloured_addition", say("a handwritten or coloured addition"), say("postscripts")),
    ),
    Check("SCAN006", _alterations("SCAN006", "identical_glyphs", say("a pasted glyph"), say("pasted glyphs"))),
    Check("SCAN007", pdf_editing),
    Check("SCAN008", abbreviations),
)
