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

from intake import ocr
from intake.judgements import Check
from intake.models import Dossier, FileFacts, Finding, Outcome, PageText
from intake.rules import STANDARD_ABBREVIATIONS, finding


def _unread(f: FileFacts) -> list[PageText]:
    return [p for p in f.text if p.source == "none"]


def _page_box(p: PageText) -> list[int]:
    return [0, 0, p.width, p.height]


def _not_read(code: str, f: FileFacts, what: str) -> Finding:
    pages = _unread(f)
    reason = f.text_error or "; ".join(sorted({p.note or "no text" for p in pages})) or "no page could be read"
    return finding(
        code,
        Outcome.INDETERMINATE,
        f"{f.name}: {what} could not be judged: {reason}",
        document=f.name,
        page=pages[0].number if len(pages) == 1 else None,
        evidence={"pages": [p.number for p in pages], "reason": reason},
    )


def page_text(dossier: Dossier) -> Iterator[Finding]:
    """SCAN009: every page of every document has text (a sound text layer or OCR)."""
    for f in dossier.documents():
        if f.read_error:
            continue  # FILE008/FILE009 report unreadable files
        if not f.text:
            yield finding(
                "SCAN009",
                Outcome.INDETERMINATE,
                f"{f.name}: no page could be read ({f.text_error or 'no pages'})",
                document=f.name,
                evidence={"reason": f.text_error},
            )
            continue
        if _unread(f):
            yield _not_read("SCAN009", f, "the text of the page(s)")
            continue
        sources = {p.source for p in f.text}
        layer = [p.number for p in f.text if p.source == "text-layer"]
        ocred = [p.number for p in f.text if p.source == "ocr"]
        yield finding(
            "SCAN009",
            Outcome.PASSED,
            f"{f.name}: {len(f.text)} page(s) read ({len(layer)} from a sound text layer, {len(ocred)} by OCR)",
            document=f.name,
            evidence={"text_layer_pages": layer, "ocr_pages": ocred, "sources": sorted(sources)},
        )


def _measures(p: PageText) -> dict[str, Any]:
    q = p.quality
    if q is None:
        return {}
    return {
        "words": q.words,
        "conf_median": q.conf_median,
        "conf_mean": q.conf_mean,
        "low60": q.low60,
        "text_height_px": q.text_height_px,
        "effective_dpi": q.effective_dpi,
        "estimated_dpi": q.measures.get("estimated_dpi"),
        "sharpness": q.sharpness,
        "contrast": q.contrast,
        "noise_sd": q.noise_sd,
        "noise_rel": q.measures.get("noise_rel"),
        "rotation": p.rotation,
        "osd_rotate": q.osd_rotate,
    }


def legibility(dossier: Dossier) -> Iterator[Finding]:
    """SCAN001 (plainly unreadable: blocking) and SCAN002 (grey zone and illegible lines: review), per page."""
    for f in dossier.documents():
        if f.read_error or not f.text:
            continue
        if _unread(f):
            yield _not_read("SCAN001", f, "legibility")
        passed: list[int] = []
        for p in f.text:
            q = p.quality
            if p.source == "none" or q is None:
                continue
            reasons = "; ".join(q.reasons)
            verdict = str(q.verdict.value if isinstance(q.verdict, Outcome) else q.verdict)
            if verdict == "failed":
                yield finding(
                    "SCAN001",
                    Outcome.FAILED,
                    f"{f.name} page {p.number} cannot be read: {reasons}",
                    document=f.name,
                    page=p.number,
                    evidence={"page": p.number, "box": _page_box(p), **_measures(p)},
                )
                continue
            lines = [r for r in q.regions if r["kind"] == "illegible_line"]
            if verdict == "review":
                yield finding(
                    "SCAN002",
                    Outcome.FAILED,
                    f"{f.name} page {p.number} may be illegible: {reasons}",
                    document=f.name,
                    page=p.number,
                    evidence={
                        "page": p.number,
                        "box": _page_box(p),
                        "regions": [r["box"] for r in lines],
                        **_measures(p),
                    },
                )
                continue
            if lines:
                yield finding(
                    "SCAN002",
                    Outcome.FAILED,
                    f"{f.name} page {p.number}: {len(lines)} line(s) partially illegible (mean word confidence "
                    f"{', '.join(str(r['values']['line_conf_mean']) for r in lines)} < 40); the page itself reads "
                    f"({reasons})",
                    document=f.name,
                    page=p.number,
                    evidence={
                        "page": p.number,
                        "box": lines[0]["box"],
                        "regions": [r["box"] for r in lines],
                        "line_conf_means": [r["values"]["line_conf_mean"] for r in lines],
                        **_measures(p),
                    },
                )
            passed.append(p.number)
        if passed:
            yield finding(
                "SCAN001",
                Outcome.PASSED,
                f"{f.name}: page(s) {', '.join(map(str, passed))} legible",
                document=f.name,
                evidence={"pages": passed},
            )


def _alterations(code: str, kind: str, what: str, plural: str) -> Any:
    def check(dossier: Dossier) -> Iterator[Finding]:
        for f in dossier.documents():
            if f.read_error or not f.text:
                continue
            if _unread(f):
                yield _not_read(code, f, plural)
            examined: list[int] = []
            skipped: list[int] = []
            for p in f.text:
                q = p.quality
                if p.source == "none" or q is None:
                    continue
                if p.source == "text-layer":
                    examined.append(p.number)
                    continue
                if q.measures.get("alterations") != "checked":
                    skipped.append(p.number)
                    continue
                examined.append(p.number)
                found = [r for r in q.regions if r["kind"] == kind]
                for r in found:
                    values = dict(r["values"])
                    nearby = values.get("certified_nearby") or {}
                    certified = bool(nearby.get("signature")) and bool(nearby.get("seal"))
                    evidence = {"page": p.number, "box": r["box"], "kind": kind, **values}
                    if certified:
                        yield finding(
                            code,
                            Outcome.INDETERMINATE,
                            f"{f.name} page {p.number}: {what} at {tuple(r['box'])} with a signature and a seal next "
                            "to it: possibly a certified correction (27.3 allows those); a person confirms",
                            document=f.name,
                            page=p.number,
                            evidence=evidence,
                        )
                    else:
                        yield finding(
                            code,
                            Outcome.FAILED,
                            f"{f.name} page {p.number}: {what} at {tuple(r['box'])}{_describe(kind, values)}",
                            document=f.name,
                            page=p.number,
                            evidence=evidence,
                        )
            if skipped:
                yield finding(
                    code,
                    Outcome.INDETERMINATE,
                    f"{f.name}: page(s) {', '.join(map(str, skipped))} not examined for {plural}: the page is not "
                    "read confidently enough (see SCAN001/SCAN002)",
                    document=f.name,
                    page=skipped[0] if len(skipped) == 1 else None,
                    evidence={"pages": skipped},
                )
            clean = [
                n
                for n in examined
                if not any(r["kind"] == kind for p in f.text if p.number == n and p.quality for r in p.quality.regions)
            ]
            if clean and len(clean) == len(examined) and not skipped:
                yield finding(
                    code,
                    Outcome.PASSED,
                    f"{f.name}: no {plural} on page(s) {', '.join(map(str, clean))}",
                    document=f.name,
                    evidence={"pages": clean},
                )

    check.__name__ = kind
    return check


def _describe(kind: str, v: dict[str, Any]) -> str:
    if kind == "strike_through":
        return f": a stroke {v['stroke_px'][0]} px long through the middle of «{' '.join(v['words'])}»"
    if kind == "whiteout":
        return (
            f": grey {v['patch_level']} (sd {v['patch_sd']}) on paper of grey {v['paper_level']} (sd {v['paper_sd']})"
        )
    if kind == "coloured_addition":
        return f": blue or violet ink {v['size_px'][0]}×{v['size_px'][1]} px away from the signature and the seal"
    if kind == "identical_glyphs":
        return (
            f": identical to the glyph at {tuple(v['twin_box'])} (mean difference {v['mean_abs_diff']} grey levels "
            f"where the paper's noise is {v['noise_sd']})"
        )
    return ""


def pdf_editing(dossier: Dossier) -> Iterator[Finding]:
    """SCAN007: incremental updates that change page content, visible text over a scan, an editor as producer."""
    for f in dossier.documents():
        if f.media_type != "application/pdf" or f.read_error:
            continue
        try:
            signs = ocr.pdf_edit_signs(f.path)
        except Exception as exc:
            yield finding(
                "SCAN007",
                Outcome.INDETERMINATE,
                f"{f.name}: the PDF could not be examined for editing ({type(exc).__name__}: {exc})",
                document=f.name,
            )
            continue
        if not signs:
            yield finding("SCAN007", Outcome.PASSED, f"{f.name}: no sign of editing", document=f.name)
            continue
        for s in signs:
            page = s.get("page")
            yield finding(
                "SCAN007",
                Outcome.FAILED,
                f"{f.name}: {s['message']}",
                document=f.name,
                page=page,
                evidence={k: v for k, v in s.items() if k != "message"},
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


def _tokens(f: FileFacts) -> list[tuple[str, int, int]]:
    """(token, page, line) of the document's confident words, punctuation trimmed."""
    out: list[tuple[str, int, int]] = []
    for p in f.text:
        for w in p.words:
            if p.source == "ocr" and w.conf < 80:
                continue
            t = w.text.strip("«»\"'()[]{}:;,!?")
            if t:
                out.append((t, p.number, w.line))
    return out


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
    for f in dossier.documents():
        if f.read_error or not f.text:
            continue
        if _unread(f):
            yield _not_read("SCAN008", f, "abbreviations")
            continue
        toks = _tokens(f)
        words = [t for t, _, _ in toks]
        explained = _explained(words)
        lines: dict[tuple[int, int], list[str]] = {}
        for t, pg, ln in toks:
            lines.setdefault((pg, ln), []).append(t)
        vocabulary = {w.casefold() for w in words if len(w) > 5}
        found: dict[str, list[int]] = {}
        for i, (t, pg, ln) in enumerate(toks):
            core = t.rstrip(",;:")
            line = lines[(pg, ln)]
            lettered = [x for x in line if any(c.isalpha() for c in x)]
            caps = sum(1 for x in lettered if x.isupper() and len(x) > 1)
            caps_line = caps == len(lettered) or caps >= max(3, len(lettered) * 0.6)  # a heading
            candidate = False
            if _ALLCAPS.match(core) and not _ROMAN.match(core) and not caps_line:
                candidate = True
            elif _DOTTED.match(core) and core[:-1].casefold() not in _COMMON:
                nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
                stem = core[:-1].casefold()
                if nxt[:1].islower() or nxt[:1].isdigit():
                    candidate = not any(v.startswith(stem) and len(v) >= len(stem) + 2 for v in vocabulary)
            if not candidate:
                continue
            folded = core.casefold().rstrip(".")
            if core in STANDARD_ABBREVIATIONS or folded in _STANDARD_FOLDED or core in explained:
                continue
            if _ALLCAPS.match(core) and _spelled_out(core, words):
                explained.add(core)
                continue
            found.setdefault(core, []).append(pg)
        if found:
            listed = ", ".join(f"{a} (p. {', '.join(map(str, sorted(set(p))))})" for a, p in sorted(found.items()))
            first = min(p for ps in found.values() for p in ps)
            yield finding(
                "SCAN008",
                Outcome.FAILED,
                f"{f.name}: abbreviations neither standard nor explained in the document: {listed}",
                document=f.name,
                page=first,
                evidence={
                    "abbreviations": {a: sorted(set(p)) for a, p in found.items()},
                    "page": first,
                    "box": _abbr_box(f, first, set(found)),
                },
            )
        else:
            yield finding(
                "SCAN008",
                Outcome.PASSED,
                f"{f.name}: every abbreviation is standard or explained",
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
    Check("SCAN003", _alterations("SCAN003", "strike_through", "a crossed-out word", "crossed-out words")),
    Check(
        "SCAN004",
        _alterations("SCAN004", "whiteout", "a correction-fluid or erased patch", "correction fluid or erasures"),
    ),
    Check(
        "SCAN005",
        _alterations("SCAN005", "coloured_addition", "a handwritten or coloured addition", "postscripts"),
    ),
    Check("SCAN006", _alterations("SCAN006", "identical_glyphs", "a pasted glyph", "pasted glyphs")),
    Check("SCAN007", pdf_editing),
    Check("SCAN008", abbreviations),
)
