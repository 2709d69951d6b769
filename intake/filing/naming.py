"""The naming scheme (paragraphs 8 and 16, docs/naming.md): which document a file name identifies and the
pages it declares; names that are not valid text, shown and read as their author meant them."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from intake.filing.media import EXTENSION_OF, SUPPORTED_MEDIA, expected_media_type
from intake.models import FileFacts, Identification
from intake.rules import DOCUMENT_TYPES, DOCUMENTS

MAX_NAME_CHARS = 255  # a file name is at most 255 bytes on every common file system
MAX_DECLARED_PAGES = 999  # a larger number in a name is a year, a serial or a date, never a page count


# Latin letters that look like Cyrillic ones, typed by mistake inside a Cyrillic word.
_HOMOGLYPHS = str.maketrans(
    {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к", "m": "м", "t": "т"}
    | {"h": "н", "b": "в", "i": "і"}
)
# Kazakh letters folded to the Russian letters people type instead (on a Russian keyboard).
_KAZAKH_FOLD = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ё": "е"}
)
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_LETTERS = "a-zа-яё"  # after folding
_SEPARATORS = re.compile(r"[\s_\-‐‑–—.,;:()\[\]{}+'\"«»“”„!?=&%@~`^|/\\]+")
_WORD = re.compile(r"\S+")


def _fix_homoglyphs(word: str) -> str:
    """`Устaв` (with a Latin a) → `устав`: only in words that hold Cyrillic letters."""
    if not _CYRILLIC.search(word):
        return word
    return word.translate(_HOMOGLYPHS)


def normalise(text: str) -> str:
    """The form names are matched in: NFKC, lower case, Latin look-alikes and Kazakh letters folded
    to Russian ones, ё→е, every separator a single space."""
    text = text.replace("№", " # ")
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SEPARATORS.sub(" ", text)
    words = [_fix_homoglyphs(w).translate(_KAZAKH_FOLD) for w in _WORD.findall(text)]
    return " ".join(words)


# Page-count units, as they read after `normalise` (Kazakh letters folded: парақ → парак).
_UNIT_AFTER = (
    r"pages?|pgs?|pp|p|sheets?|str"
    r"|стр|страниц(?:а|ы|ах|е)?"
    r"|листах|листов|листа|листе|лист|лл|л(?!\s+с\b)"
    r"|беттен|беттик|бетте|бети|бет|паракта|парактан|парактык|парагы|парак"
)
_UNIT_BEFORE = r"pages?|pgs?|pp|p|стр|страниц[аы]?"
_PAGES_AFTER = re.compile(
    rf"(?<![0-9#])(\d{{1,4}})(?:\s?(?:х|ти|ух|ех|ми|и))?\s?(?:{_UNIT_AFTER})(?![{_LETTERS}0-9])",
)
_PAGES_BEFORE = re.compile(rf"(?<![{_LETTERS}0-9])(?:{_UNIT_BEFORE})\s?(\d{{1,4}})(?![{_LETTERS}0-9])")
_NUMBER_SIGN = re.compile(r"#\s?\d+|\bno\s\d+")
_DATE = re.compile(r"(?<!\d)(?:\d{1,2}\s\d{1,2}\s(?:19|20)?\d\d|(?:19|20)\d\d\s\d{1,2}\s\d{1,2})(?!\d)")
_ORDER = re.compile(r"^\s*(\d{1,2})(?:\s|$)")
_PART = re.compile(r"(?<![a-zа-я])(?:часть|ч|part|pt|болим|том|vol)\s?(\d{1,2})(?!\d)")
_CANONICAL = re.compile(r"^(\d{1,3})_([a-z]+(?:-[a-z]+)*)_(\d{1,4})p(?:_part\d{1,2})?$")
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")


def _stem(name: str) -> str:
    """The base name without its extensions: `a/Устав 3 стр.pdf.cms` → `Устав 3 стр`."""
    stem = PurePosixPath(name.replace("\\", "/")).name
    for _ in range(2):  # `x.pdf.cms`: the signature's extension, then the document's
        match = _EXTENSION.search(stem)
        if match is None or match.start() == 0:
            break
        stem = stem[: match.start()]
    return stem


def declared_pages(text: str) -> int | None:
    """The page count a normalised name declares: `12 стр`, `2 л`, `1 бет`, `3pp`, `p 3`, `на 5 листах`.

    Numbers that are not page counts are never taken: an order prefix (`02 ...`), a form number
    (`086у`), a number after `№`, a date or a year (above `MAX_DECLARED_PAGES`).
    """
    text = _NUMBER_SIGN.sub(" ", text)
    text = _DATE.sub(" ", text)
    found: list[tuple[int, int]] = []
    for m in _PAGES_AFTER.finditer(text):
        found.append((m.start(), int(m.group(1))))
    if not found:
        for m in _PAGES_BEFORE.finditer(text):
            found.append((m.start(), int(m.group(1))))
    valid = [(pos, n) for pos, n in found if 1 <= n <= MAX_DECLARED_PAGES]
    return max(valid)[1] if valid else None  # the last mention wins


def part_number(name: str) -> int | None:
    """The part a name says it is (`Устав часть 2`, `charter part 1`, `Жарғы 2 бөлім`), if any."""
    text = normalise(_stem(name))
    m = _PART.search(text)
    if m:
        return int(m.group(1))
    m = re.search(r"(?<!\d)(\d{1,2})\s(?:часть|part|болим)(?![a-zа-я])", text)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class _Synonym:
    document: str
    text: str
    pattern: re.Pattern[str]
    weight: float
    subject: bool = False  # a word for what the document is about, not the document (`subject_words`)


def _synonym_table() -> tuple[_Synonym, ...]:
    """Every synonym of the catalog, normalised like names, matched at the start of a word."""
    table: list[_Synonym] = []
    for doc in DOCUMENT_TYPES:
        entries = [(doc.id.replace("-", " "), 100.0, False)] + [(s, 0.0, False) for s in doc.synonyms]
        entries += [(s, 0.0, True) for s in doc.subject_words]
        seen: set[str] = set()
        for raw, bonus, subject in entries:
            text = normalise(raw)
            if not text or text in seen:
                continue
            seen.add(text)
            pattern = re.compile(rf"(?<![{_LETTERS}0-9]){re.escape(text)}")
            table.append(_Synonym(doc.id, text, pattern, bonus, subject))
    return tuple(table)


_SYNONYMS = _synonym_table()


def _union_length(spans: Iterable[tuple[int, int]]) -> int:
    total, end = 0, -1
    for a, b in sorted(spans):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _fuzzy_candidates(text: str, limit: int = 3) -> tuple[str, ...]:
    """Document types whose synonyms are closest to the words of a name (typos, odd spellings)."""
    words = [w for w in text.split() if len(w) >= 4 and not w.isdigit()]
    best: dict[str, float] = {}
    for syn in _SYNONYMS:
        if syn.weight or " " in syn.text or len(syn.text) < 4:
            continue
        for w in words:
            ratio = max(
                difflib.SequenceMatcher(None, w, syn.text).ratio(),
                difflib.SequenceMatcher(None, w[: len(syn.text) + 1], syn.text).ratio(),
            )
            if ratio > best.get(syn.document, 0.0):
                best[syn.document] = ratio
    ranked = sorted(((r, d) for d, r in best.items() if r >= 0.6), key=lambda x: (-x[0], x[1]))
    return tuple(d for _, d in ranked[:limit])


def parse_name(name: str) -> Identification:
    """Identify the document and the declared page count from a file name (paragraphs 8 and 16).

    Never raises: any string gives an `Identification` (with `document_type=None` when no document
    of the catalog is named, and the closest candidates).
    """
    stem = _stem(name)[:MAX_NAME_CHARS]
    canonical = _CANONICAL.match(stem)
    if canonical and canonical.group(2) in DOCUMENTS:
        count = int(canonical.group(3))
        return Identification(
            decided_by="name",
            document_type=canonical.group(2),
            declared_pages=count if count >= 1 else None,
            order=int(canonical.group(1)),
            score=1000.0,
            matched=canonical.group(2),
            candidates=(canonical.group(2),),
        )
    text = normalise(stem)
    order: int | None = None
    order_match = _ORDER.match(text)
    if order_match:
        rest = text[order_match.end() :]
        if not _PAGES_AFTER.match(text):  # `3 стр Устав`: a page count, not an order
            order = int(order_match.group(1))
            text = rest
    pages = declared_pages(text)
    scores, matched = _scores(text, subject=False)  # the most specific words first: those naming a document
    subject_scores, subject_matched = _scores(text, subject=True)
    if not scores:
        scores, matched = subject_scores, subject_matched  # only words for what a document is about
    if not scores:
        return Identification(declared_pages=pages, order=order, candidates=_fuzzy_candidates(text))
    candidates = tuple(dict.fromkeys([*(d for _, d in scores), *(d for _, d in subject_scores)]))
    top_score, top = scores[0]
    if len(scores) > 1 and scores[1][0] == top_score:
        # Two documents named equally strongly (`Устав и аренда`): one file, two documents.
        return Identification(declared_pages=pages, order=order, score=top_score, candidates=candidates)
    return Identification(
        document_type=top,
        declared_pages=pages,
        order=order,
        score=top_score,
        matched=matched[top],
        candidates=candidates,
        decided_by="name",
    )


def _scores(
    text: str, *, subject: bool, among: Iterable[str] | None = None
) -> tuple[list[tuple[float, str]], dict[str, str]]:
    """(score, document) best first, and the longest word matched per document, for the synonyms (or,
    with `subject`, the subject words) found in `text`; `among` limits the documents considered."""
    allowed = None if among is None else set(among)
    spans: dict[str, list[tuple[int, int]]] = {}
    bonus: dict[str, float] = {}
    matched: dict[str, str] = {}
    for syn in _SYNONYMS:
        if syn.subject is not subject or (allowed is not None and syn.document not in allowed):
            continue
        for m in syn.pattern.finditer(text):
            spans.setdefault(syn.document, []).append(m.span())
            bonus[syn.document] = max(bonus.get(syn.document, 0.0), syn.weight)
            if len(syn.text) > len(matched.get(syn.document, "")):
                matched[syn.document] = syn.text
    scores = sorted(((_union_length(s) + bonus[d], d) for d, s in spans.items()), key=lambda x: (-x[0], x[1]))
    return scores, matched


def identify_by_content(ident: Identification, first_page: str) -> Identification:
    """The tie-break of an ambiguous name: when the name names several documents equally strongly, the
    document the first page's text names (among those) decides. Anything else is returned unchanged.

    A pure function of the name's facts and the page's text, so it is tested without OCR.
    """
    if ident.document_type is not None or len(ident.candidates) < 2 or not ident.score:
        return ident
    text = normalise(first_page[:4000])
    scores, matched = _scores(text, subject=False, among=ident.candidates)
    if not scores or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return ident
    top = scores[0][1]
    return ident.model_copy(update={"document_type": top, "decided_by": "content", "content_matched": matched[top]})


def canonical_name(order: int, document_type: str, pages: int, extension: str) -> str:
    """The canonical file name: `02_material-resources_3p.pdf` (order, document id, page count)."""
    return f"{order:02d}_{document_type}_{pages}p{extension.lower()}"


def canonical_extension(facts: FileFacts) -> str:
    """The extension a document should carry: its own, unless its content says otherwise."""
    expected = expected_media_type(facts.extension)
    if facts.media_type in SUPPORTED_MEDIA and expected != facts.media_type:
        return EXTENSION_OF[facts.media_type]
    return facts.extension.lower()


# ---- names that are not text

_BOX_DRAWING = re.compile(r"[\u2500-\u259f\u00a0-\u00bf]")
_NAME_LETTERS = re.compile(r"[A-Za-zА-Яа-яЁё0-9]")


def legacy_decoding(raw: bytes) -> str:
    """Bytes that are not UTF-8, read as the Windows encoding that gives words: CP866 (the OEM code
    page of zip on Russian and Kazakh systems) or CP1251 (the ANSI code page), never raising."""

    def score(text: str) -> int:
        return len(_NAME_LETTERS.findall(text)) - 3 * len(_BOX_DRAWING.findall(text))

    cp866 = raw.decode("cp866", errors="replace")
    cp1251 = raw.decode("cp1251", errors="replace")
    return cp1251 if score(cp1251) > score(cp866) else cp866


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")  # bytes that were not UTF-8, kept by surrogateescape


def is_text_name(name: str) -> bool:
    """Whether a name from the file system is valid text (no undecodable bytes kept as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def display_name(name: str) -> str:
    """A name that is always valid text: bytes that are not UTF-8 (which Python keeps as surrogates)
    are shown as `\\xNN` escapes, so two different names never look the same."""
    if is_text_name(name):
        return name
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def display_path(path: Path | str) -> str:
    """A path as valid text, for messages and reports (see `display_name`)."""
    return display_name(str(path))


def readable_name(name: str) -> str:
    """The most likely reading of a name: itself when it is text; else its bytes read as UTF-8 where
    they are, and the rest as CP1251 or CP866 (a Windows name copied onto Linux as raw bytes)."""
    if is_text_name(name):
        return name
    return _ESCAPED_BYTES.sub(lambda m: legacy_decoding(bytes(ord(c) - 0xDC00 for c in m.group())), name)
