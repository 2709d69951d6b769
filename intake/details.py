"""Required details of a document (27.5) found in its page text.

27.5 refuses a document that lacks "the name and address of the organization that issued the
document, the signature of the authorized person, the date of the document's issuance, the number
and series of the document (if any), the period of validity of the document (if any)".
`extract` reads those details from the text of a document's pages (its own text layer or OCR) and
says where each was seen; it judges nothing. Which details a document type must carry lives in the
catalog (`intake.rules.required_details`); the judgement is in `intake.judgements.on_details`.

Kinds (the `Detail.kind` strings): `issuer_name`, `issuer_address`, `date`, `number`, `series`,
`validity`, `signature`, `seal`. At most one detail of each kind is returned: the best candidate.

Lines. Words are regrouped into lines by their boxes (to the right of the previous word and
overlapping it vertically; thin marks such as underscores and full stops sit on the baseline), and
joined with a space only where they stand apart, so "112" + "-к" reads "112-к". Engines' own line
numbers are not trusted. A page without words is read from its text.

Zones. A document is read as one sequence of lines across its pages (kz-documents.md §5: the
number is on page 1, the signature, seal and validity on the last page). Three zones matter:

* the *header*: the first `HEADER_LINES` lines of the first page with text (letterhead, title,
  number and date of the document);
* the *signature zone*: the last `SIGNATURE_LINES` lines of the document, plus the few lines under
  an approval stamp «УТВЕРЖДАЮ» / «БЕКІТЕМІН» / «APPROVED» at the top of price lists and schedules;
* the *body*: everything else. Words in the body are weak evidence (kz-documents.md §10).

The date of issue (design):

1. Every date in the forms that occur (`28.08.2018`, `28/08/2018`, `2018-08-28`,
   `«28» августа 2018 года`, `2018 жылғы 28 тамыз`, `August 28, 2018`, ...) is a candidate.
2. A candidate is dropped when its context says it is another date: a birth date (рожд, туған,
   birth), the end or start of a period (до, по, с, дейін, valid, срок, мерзім), the date of a
   quoted act (закон, кодекс, министр, форма, заңы, ЗРК, статья/бабы, согласно, сәйкес, ...),
   a state registration date, or a date of study or employment (окончил, принят, оқу, ...).
3. The others are scored: an explicit label (дата выдачи, выдан, берілген күні, date of issue,
   дата:, ...) scores 10; a date in the header 4; in the signature zone 3; in the body 0.
   The best candidate with a score of at least 3 is the date of issue; ties go to the earliest.
   A date in the body with no label is never taken: it is as likely to be any other date, unless it
   stands alone just under a signatory's line (a letter's date, its attachments after it).
4. The end of a range («03.02.2020 г. - 30.11.2020 г.») is not a date of issue even when OCR did not read
   its start as a date. An act's date follows the act with «от» or a number («приказом ... от ...»);
   a date after an act named without them is the date of what was done under it («поставлена на учет
   в соответствии с ... кодекса ... 21 мая 2009 г.»).
5. A month and year only («Наурыз 2024 жыл», or a day OCR lost) is the fallback; where the same month
   is printed in full elsewhere in the document, once, that full date is taken (a licence's appendix
   repeats «к лицензии № ... от «24» ноября 2006 г.»).

Validity: an end date after «до», «по», «until», before «дейін», or the end of a range «с ... по ...»,
on a line that speaks of validity or a term (действ, срок, жарамд, мерзім, valid, expir, term); a
term («сроком на 1 год» -> `P1Y`, «11 месяцев» -> `P11M`, «в течение | (одного) года» with the digit
misread, from the words); or «бессрочно», «подлежит замене в случае изменения сведений» -> `unlimited`.
Terms of study, of office, of probation, of the organization's activity and a notice's lead time («не
позднее, чем за один месяц до истечения срока») are not validity. The end date is
the last day the document is valid.

Numbers: a series with a number (`серия ЖБ-Б № 0123456`) beats a labelled registration or egov
unique number, which beats a `№` in the header. A `№` inside «...» (an organization's name:
«Городская поликлиника № 4»), after BIN/IIN, bank details, a form or an annex, or in a quoted act
is not the document's number (kz-documents.md §3); nor is the number of the decision in an
approval stamp («УТВЕРЖДЁН решением ... № 1 от ...»). A bare `№` counts only in the header, on a
title line («ПРИКАЗ № 45-к», «ДОГОВОР АРЕНДЫ № 12/22», «... ШАРТЫ № 4»).
A «№ LD170001098» alone under a title alone («ЛИЦЕНЗИЯ», its subtitle between) is the document's
number; so is a long number closing the head line after the date («10.01.2014 жылы 14000140»). A `№`
in an organization's name whose quotes OCR lost («№ 15 орта мектебі», «Средняя школа № 15») is not.

Issuer: the organization in a labelled field («Наименование организации», «Ұйымның атауы»), in the
letterhead (the first lines), in the signature block, or, for egov certificates, the body whose EDS
the barcode footnote names. A register extract's «Наименование:» field names its subject, not its
issuer. Its address: a street with a house or a postal code (050012, A05X2K7) in the letterhead,
the signature block or after «адрес»/«мекенжайы»/«местонахождение»; not a patient's address, not the
premises' address («по адресу», «расположенного»), not a register extract's subject field.
Nor is the holder's address in the lines from «Выдана:» / «Берілді». A labelled address that
wraps after its postal code and country («Место нахождения: 623376 Российская Федерация,») runs on.

Signature and seal: what the page detectors saw (`PageText.marks`, score at least `MARK_SCORE`),
else the egov footnote and equivalence footer (kz-documents.md §2), or a signature keyword on a
short line of the signature zone (kz-documents.md §10: «подписи» in a quoted law or «подписывает»
in a charter is not a mark), and «М.П.» for the seal. A verified EDS of the file is not read here:
whether it stands in for the signature is a judgement (`intake.judgements.on_details`).

Absence: `zone_reading` says how well the zone where a detail lives was read (source, median word
confidence, handwriting seen), so that the judgement can tell "not there" from "not read".

Confidence: a detail's `confidence` is the lowest word confidence of its match. Where a kind has
candidates both above and below `LOW_CONFIDENCE`, the confident one is preferred, so a detail comes
back with low confidence only when it was found *only* with low confidence (kz-documents.md §7).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from intake.models import Box, Detail, Mark, MarkKind, PageText, Word

__all__ = [
    "EDS_STAMP_VALUE",
    "HEADER_LINES",
    "KINDS",
    "LOW_CONFIDENCE",
    "MARK_SCORE",
    "SIGNATURE_LINES",
    "ZONE_OF",
    "DateMatch",
    "ZoneReading",
    "add_period",
    "extract",
    "find_dates",
    "is_lease",
    "parse_date",
    "zone_reading",
]

KINDS: tuple[str, ...] = (
    "issuer_name",
    "issuer_address",
    "date",
    "number",
    "series",
    "validity",
    "signature",
    "seal",
)
LOW_CONFIDENCE = 60.0
"""Below this word confidence (Tesseract's 0-100 scale) a detail is not taken as read."""
HEADER_LINES = 10
SIGNATURE_LINES = 14
STAMP_LINES = 5
"""Lines under «УТВЕРЖДАЮ» that belong to the approval stamp."""
HOLDER_LINES = 3
"""Lines from «Выдана:» / «Берілді» that hold the holder's name and address."""
FOOTNOTE_LINES = 8
"""The egov EDS footnote sits at the foot of a page: its last lines."""

Source = Literal["text-layer", "ocr", "eds", "structured", "image"]

# --------------------------------------------------------------------------- lines of a document


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a document: its text and, where known, its words with their offsets in `text`."""

    page: int
    index: int  # position in the document's sequence of non-empty lines
    text: str
    words: tuple[Word, ...]
    starts: tuple[int, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class _Candidate:
    kind: str
    value: str
    line: _Line
    start: int
    end: int
    score: float

    def confidence(self) -> float:
        return _span_confidence(self.line, self.start, self.end)


def _same_line(line: list[Word], w: Word) -> bool:
    """Whether a word continues a line: to the right of its last word and overlapping it vertically.

    Engines' own line numbers are not trusted: a text layer can start a "line" at a full stop whose
    box sits lower than its letters ("мкр" + "." + "Шанырак").
    """
    last = line[-1]
    if w.box[0] < last.box[0]:
        return False
    top = min(x.box[1] for x in line)
    bottom = max(x.box[3] for x in line)
    line_height = max(1, bottom - top)
    height = w.box[3] - w.box[1]
    if height < 0.5 * line_height:
        # A thin mark (underscores of a signature line, a full stop) sits on the baseline.
        centre = (w.box[1] + w.box[3]) / 2
        return top <= centre <= bottom + 0.3 * line_height
    overlap = min(bottom, w.box[3]) - max(top, w.box[1])
    return overlap >= 0.4 * max(1, min(line_height, height))


def _upright(words: Sequence[Word]) -> Sequence[Word]:
    """Word boxes turned so that the text runs left to right, for a page whose words run vertically.

    An egov certificate is an A4 page with /Rotate 90: its text layer gives boxes in the unrotated
    page, where each line runs up the page (real set: the egov справки). Words read upwards or
    downwards are turned a quarter the other way; the reading order decides which way.
    """
    long = [w for w in words if len(w.text) >= 4]
    vertical = sum(1 for w in long if (w.box[3] - w.box[1]) > 1.5 * (w.box[2] - w.box[0]))
    if not long or vertical < 0.6 * len(long):
        return words
    up = down = 0
    for a, b in itertools.pairwise(words):
        if min(a.box[2], b.box[2]) - max(a.box[0], b.box[0]) <= 0:
            continue  # not on the same (vertical) line
        up += b.box[3] <= a.box[1] + 2
        down += b.box[1] >= a.box[3] - 2
    top = max(w.box[3] for w in words)
    right = max(w.box[2] for w in words)
    if up >= down:  # read bottom to top: the next line is to the right
        return [w.model_copy(update={"box": (top - w.box[3], w.box[0], top - w.box[1], w.box[2])}) for w in words]
    return [w.model_copy(update={"box": (w.box[1], right - w.box[2], w.box[3], right - w.box[0])}) for w in words]


def _page_lines(page: PageText) -> list[tuple[str, tuple[Word, ...], tuple[int, ...]]]:
    """Lines of one page: from its words when it has them (the boxes are needed), else its text."""
    if not page.words:
        return [(t, (), ()) for t in page.text.splitlines()]
    groups: list[list[Word]] = []
    for w in _upright(page.words):
        if not w.text.strip():
            continue
        if groups and _same_line(groups[-1], w):
            groups[-1].append(w)
        else:
            groups.append([w])
    if page.source != "ocr":
        # A generator writes its text layer in any order (egov: the footnote before the body); read it
        # top to bottom. Tesseract's own order (blocks, columns) is kept.
        groups.sort(key=lambda g: (min(w.box[1] for w in g), min(w.box[0] for w in g)))
    lines = []
    for g in groups:
        heights = sorted(x.box[3] - x.box[1] for x in g)
        gap = 0.25 * heights[len(heights) // 2]
        text = ""
        starts: list[int] = []
        for k, w in enumerate(g):
            # A space only where the words stand apart: "112" + "-к" is one token.
            if k and w.box[0] - g[k - 1].box[2] > gap:
                text += " "
            starts.append(len(text))
            text += w.text
        lines.append((text, tuple(g), tuple(starts)))
    return lines


def _lines(pages: Sequence[PageText]) -> list[_Line]:
    out: list[_Line] = []
    for page in sorted(pages, key=lambda p: p.number):
        source: Source = "ocr" if page.source == "ocr" else "text-layer"
        for text, words, starts in _page_lines(page):
            if text.strip():
                out.append(_Line(page.number, len(out), text, words, starts, source))
    return out


def _span_words(line: _Line, start: int, end: int) -> tuple[Word, ...]:
    return tuple(w for w, s in zip(line.words, line.starts, strict=True) if s < end and s + len(w.text) > start)


def _span_confidence(line: _Line, start: int, end: int) -> float:
    words = _span_words(line, start, end)
    return min((w.conf for w in words), default=100.0)


def _span_box(line: _Line, start: int, end: int) -> Box | None:
    words = _span_words(line, start, end)
    if not words:
        return None
    return (
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[2] for w in words),
        max(w.box[3] for w in words),
    )


# A form prints a field's caption under its value («55786-3301-У-е» over «регистрационный номер», «Бишкек»
# over «город», the issuing body over «наименование регистрирующего органа»): the caption names the value.
CAPTION_WORDS = 10
"""At most this many words on a caption line (a caption is a few small words, never a sentence)."""


def _is_caption(text: str) -> bool:
    """Whether a line reads as a form's caption: a few small words, no digits, in lower case or in brackets
    («регистрационный номер», «(адрес (место нахождения) ...)»). A capitalised «Место нахождения» is a
    table's row label (a register extract prints its fields in rows, the Kazakh label above the value and
    the Russian one under it), not a caption."""
    if re.search(r"\d", text) or len(text.split()) > CAPTION_WORDS:
        return False
    return bool(re.match(r"^[\W_]*[a-zа-яёәғқңөұүһі(]", text) or ")" in text)


def _caption_under(lines: Sequence[_Line], i: int) -> _Line | None:
    """The line under line `i` when it is a form's caption, on the same page."""
    if i + 1 >= len(lines):
        return None
    nxt = lines[i + 1]
    if nxt.page != lines[i].page or not _is_caption(nxt.text):
        return None
    return nxt


def _over(line: _Line, caption: _Line, start: int, end: int) -> tuple[int, int] | None:
    """The run of tokens of `line` that stands over `caption.text[start:end]`: each token overlaps the
    caption's words horizontally by half its width or more (by character offsets when there are no boxes)."""
    cap_box = _span_box(caption, start, end)
    taken: list[tuple[int, int]] = []
    for m in re.finditer(r"\S+", line.text):
        box = _span_box(line, m.start(), m.end())
        if box is not None and cap_box is not None:
            a, b, lo, hi = box[0], box[2], cap_box[0], cap_box[2]
        else:
            a, b, lo, hi = m.start(), m.end(), start, end
        if min(b, hi) - max(a, lo) >= 0.5 * max(1, b - a):
            taken.append((m.start(), m.end()))
        elif taken:
            break
    return (taken[0][0], taken[-1][1]) if taken else None


@dataclass(frozen=True, slots=True)
class _Zones:
    header: frozenset[int]
    signature: frozenset[int]
    footnote: frozenset[int]
    approval: frozenset[int]
    """Lines of an approval stamp «УТВЕРЖДЕН решением ... № 1 от ...»: its number is the decision's."""

    def score(self, line: _Line, header: float, signature: float) -> float:
        if line.index in self.header:
            return header
        if line.index in self.signature:
            return signature
        return 0.0


_STAMP = re.compile(r"^\s*(УТВЕРЖДАЮ|УТВЕРЖД[ЕЁ]Н[АО]?|БЕКІТЕМІН|БЕКІТІЛДІ|БЕКІТІЛГЕН|APPROVED)\b", re.IGNORECASE)
_APPROVED_BY = re.compile(r"^\s*(УТВЕРЖД[ЕЁ]Н[АО]?|БЕКІТІЛДІ|БЕКІТІЛГЕН|APPROVED\s+BY)\b", re.IGNORECASE)


_DOC_TITLE = re.compile(
    r"^\s*(?:справка|анықтама|лицензия|свидетельство|куәлік|выписка|үзінді|приказ|бұйрық|протокол|решение|шешім"
    r"|аттестат|разрешение|рұқсат|certificate|licen[cs]e)\b",
    re.IGNORECASE,
)


def _is_title(text: str) -> bool:
    letters = re.sub(r"[^A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", "", text)
    return len(letters) >= 4 and letters.upper() == letters


def _zones(lines: Sequence[_Line]) -> _Zones:
    if not lines:
        return _Zones(frozenset(), frozenset(), frozenset(), frozenset())
    first_page = lines[0].page
    header = {ln.index for ln in lines if ln.page == first_page}
    first = sorted(header)
    header = set(first[:HEADER_LINES])
    # A crowded top (egov: portal lines, contact centre, number box) pushes the title and the issuer's
    # heading under the emblem past the first lines: the header runs to the title and the lines after it.
    for k in first[: 2 * HEADER_LINES]:
        if _DOC_TITLE.match(lines[k].text) and len(lines[k].text.split()) <= 8:
            header.update(x for x in first if x <= k + 3)
            break
    signature = {ln.index for ln in lines[-SIGNATURE_LINES:]}
    approval: set[int] = set()
    for ln in lines:
        if ln.index in header and _STAMP.search(ln.text):
            signature.update(range(ln.index, min(ln.index + STAMP_LINES, len(lines))))
        # The stamp sits above the title or, in Kazakh, ends with it: look both ways.
        if ln.index in header and _APPROVED_BY.search(ln.text):
            # Down to the document's title (a line in capitals: УСТАВ, МЕДИЦИНСКАЯ СПРАВКА № 1245).
            for k in range(ln.index, min(ln.index + STAMP_LINES, len(lines))):
                if k > ln.index and _is_title(lines[k].text):
                    break
                approval.add(k)
        elif ln.index in header and re.search(r"\b(?:БЕКІТІЛДІ|БЕКІТІЛГЕН)\s*$", ln.text):
            approval.update(range(max(0, ln.index - 3), ln.index + 1))
    footnote: set[int] = set()
    pages = sorted({ln.page for ln in lines})
    for p in pages:
        footnote.update(ln.index for ln in [x for x in lines if x.page == p][-FOOTNOTE_LINES:])
    return _Zones(frozenset(header), frozenset(signature), frozenset(footnote), frozenset(approval))


# --------------------------------------------------------------------------- dates

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("январ", "қаңтар", "каңтар", "кантар", "january", "jan"),
    2: ("феврал", "ақпан", "акпан", "february", "feb"),
    3: ("март", "наурыз", "march", "mar"),
    4: ("апрел", "сәуір", "сауір", "сәуiр", "april", "apr"),
    5: ("мая", "май", "мамыр", "may"),
    6: ("июн", "маусым", "june", "jun"),
    7: ("июл", "шілде", "шiлде", "шилде", "july", "jul"),
    8: ("август", "тамыз", "august", "aug"),
    9: ("сентябр", "қыркүйек", "кыркүйек", "кыркуйек", "september", "sept", "sep"),
    10: ("октябр", "қазан", "казан", "october", "oct"),
    11: ("ноябр", "қараша", "караша", "november", "nov"),
    12: ("декабр", "желтоқсан", "желтоксан", "december", "dec"),
}
_MONTH_STEMS = sorted((s for stems in _MONTHS.values() for s in stems), key=len, reverse=True)
_MONTH = r"(?P<month>(?:" + "|".join(_MONTH_STEMS) + r")[a-zа-яёәғқңөұүһі]*)"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_Q = r"[«\"“„']?"
_QC = r"(?:\s?[»\"”'])?"

_DATE_FORMS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # 28.08.2018, 28/08/2018, 28-08-2018
        r"(?<![\d.])" + _DAY + r"\s?([./-])\s?(?P<mnum>\d{1,2})\s?\2\s?" + _YEAR + r"(?!\d)",
        # 2018-08-28, 2018.08.28
        r"(?<![\d.])" + _YEAR + r"([-.])(?P<mnum>\d{2})\2" + _DAY + r"(?![\d])",
        # «28» августа 2018 г., 28 тамыз 2018 ж., 28 August 2018
        r"(?<![\d])" + _Q + _DAY + _QC + r"\s*(?:-?го\s+)?" + _MONTH + r"\.?,?\s*" + _YEAR + r"(?!\d)",
        # «21» 05 2025 г.: a form's blanks for day, month and year, the day in quotes
        r"(?<![\d])[«\"“„]" + _DAY + r"[»\"”]\s*(?P<mnum>\d{2})\s+" + _YEAR + r"(?!\d)",
        # 2018 жылғы 28 тамыз, 2018 ж. «28» тамыздағы
        r"(?<![\d])" + _YEAR + r"\s*(?:ж\.|жылғы|жылы|жыл)\s*" + _Q + _DAY + _QC + r"\s*" + _MONTH,
        # 2018 жылғы тамыздың 28-і
        r"(?<![\d])" + _YEAR + r"\s*(?:ж\.|жылғы|жылы)\s*" + _MONTH + r"\s+" + _DAY + r"(?!\d)",
        # August 28, 2018
        r"\b" + _MONTH + r"\.?\s+" + _DAY + r"(?:st|nd|rd|th)?,?\s+" + _YEAR + r"(?!\d)",
    )
)


def _month_number(word: str) -> int | None:
    w = word.lower()
    for stem in _MONTH_STEMS:
        if w.startswith(stem):
            return next(n for n, stems in _MONTHS.items() if stem in stems)
    return None


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a string: where, and its value."""

    start: int
    end: int
    value: date


def find_dates(text: str) -> tuple[DateMatch, ...]:
    """Every date in `text` in the forms Kazakh documents use, left to right, without overlaps.

    >>> [d.value.isoformat() for d in find_dates("от «28» августа 2018 года № 377")]
    ['2018-08-28']
    """
    found: list[DateMatch] = []
    for pattern in _DATE_FORMS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if groups.get("mnum"):
                month: int | None = int(groups["mnum"])
            else:
                month = _month_number(groups["month"] or "")
            if month is None:
                continue
            try:
                value = date(int(groups["year"]), month, int(groups["day"]))
            except ValueError:
                continue
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            found.append(DateMatch(m.start(), m.end(), value))
    return tuple(sorted(found, key=lambda d: d.start))


def parse_date(text: str) -> date | None:
    """The first date in `text`, or None."""
    dates = find_dates(text)
    return dates[0].value if dates else None


def _re(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


# Contexts that make a date something other than the date of issue.
_BIRTH = _re(r"рожд", r"туған", r"birth", r"\bborn\b", r"г\.\s?р\.", r"\bт\.ж\.")
_PERIOD_LEFT = _re(
    r"(?:^|[\s(:,])(?:до|по|с|со|from|to|until|till|through|от\s+и\s+до)\s*[«\"]?\s*$",
    r"действ\w*\s*$",
    r"(?:valid|expir)\w*(?:\s+\w+)?\s*:?\s*$",
    r"мерзім\w*\s*:?\s*$",
    r"(?:окончани|истечени)\w*\s*(?:срока)?\s*:?\s*$",
    # «03.02.2020 г. - 30.11.2020 г.»: the end of a range whose start OCR may not have read as a date
    r"\d\s*(?:г\.?|года|ж\.?)?\s*[-–—]\s*$",
)
_PERIOD_RIGHT = _re(r"^\s*(?:ж\.|жылғы|жылы)?\s*(?:дейін|бастап|аралығында|по\s|-\s*\d)")
_ACT = _re(
    r"\bк\s+(?:приказу|постановлению|решению)",
    r"закон",
    r"кодекс",
    r"министр",
    r"\bзрк\b",
    r"\bқрз\b",
    r"заң",
    r"стать[яи]",
    r"\bбаб",
    r"пункт",
    r"тармағ",
    r"постановлени",
    r"қаулы",
    r"\bуказ(?:а|ом|у|е)?\b",  # «Указ Президента», not «указанных»
    r"жарлығ",
    r"соответстви",
    r"согласно",
    r"сәйкес",
    r"зарегистрирован\w*\s+в\s+реестре",
    r"нормативн",
    r"\bформ[аы]\b",
    r"нысан",
    r"\bдсм\b",
    r"act\s+of",
    r"pursuant",
    r"\blaw\b",
    r"order\s+(?:no|of)\b",
)
_OTHER_DATE = _re(
    r"состоянию\s+на",
    r"жағдай",
    r"as\s+of",
    r"http",
    r"www\.",
    r"обращени",
    r"источник",
    r"source",
    r"accessed",
    r"регистраци",
    r"тіркел",
    r"тіркеу",
    r"принят",
    r"уволен",
    r"назначен\w*\s+с\b",
    r"окончил",
    r"бітір",
    r"поступил",
    r"түсті",
    r"обучени",
    r"оқу",
    r"поступлени",
    r"осмотр",
    r"обследовани",
    r"прививк",
    r"флюорограф",
    r"рентген",
    r"анализ",
    r"созда",
    r"құрылған",
    r"стаж",
    r"period",
    r"registration",
    r"enrol",
    r"graduat",
    r"курс",
    r"өткен",
    r"прош[её]л",
)
_ISSUE_LABEL = _re(
    r"дата\s+(?:выдачи|выписки|составления|документа|получения|формирования|заключения|утверждения|оформления)",
    r"\bвыдан[аоы]?\b",
    r"\bвыдано\b",
    r"берілген\s+күні",
    r"берілді",
    r"жасалған\s+(?:күні|уақыты)",
    r"алынған\s+(?:күні|уақыты)",
    r"қалыптастыр\w*\s+(?:күні|уақыты)",
    r"date\s+of\s+issue",
    r"issued?\s+(?:on|date)",
    r"\bdated\b",
    r"сформирован",
)
_CAPTION = re.compile(r"^\s*(?:г\.|года)?\s*\((?:[^()/]{0,60}/)?\s*дата\b(?!\s+рожд)(?!\s+регистрац)", re.IGNORECASE)
"""«(дата)», «(дата формирования справки)», a bilingual «(есепті құрастыру күні мен уақыты/дата и время
составления отчета)» under the field."""
_AT_HOUR = re.compile(r"^\s*(?:года|г\.|ж\.)?\s*(?:в\s+)?\d{1,2}[.:]\d{2}\s*(?:час|сағ|ч\.)", re.IGNORECASE)
_AS_OF = _re(r"по\s+состоянию\s+на", r"as\s+of")
"""In the heading of a register extract, «по состоянию на ...» is the extract's own date."""
_GENERIC_LABEL = _re(r"\bдата\s*:", r"\bкүні\s*:", r"\bdate\s*:")
_ISSUE_RIGHT = _re(r"^\s*(?:ж\.|жылғы|жылы)?\s*(?:берілді|берілген)")


def _left(line: _Line, start: int, prev: _Line | None) -> str:
    """The text before a match on its line; the previous line too when the match opens its line."""
    left = line.text[:start]
    # A line that holds a date of its own is not the lead-in of the next one («по состоянию на 00:00
    # 08.02.2020 г.» over «10.02.2020 10:08:47 № 9054809»: the second is not "as of").
    if prev is not None and not re.search(r"[\w\d]", left) and not find_dates(prev.text):
        left = prev.text + " " + left
    return left


_ACT_DATE_LEAD = _re(r"\bот\b", r"\bfrom\b", r"\bdated\b", r"\bof\b", r"№", r"\bN\s?\d", r"\d", r"[«\"]")


def _act_date(left: str) -> bool:
    """Whether the text before a date names an act the date belongs to: the act, then «от» (or a number)
    before the date («приказом Министра от 28.08.2018», «Закон № 114 от ...»). An act named with no «от»
    is what something was done under, and the date is that deed's («поставлена на учет в соответствии с
    положениями Налогового кодекса Российской Федерации 21 мая 2009 г.»)."""
    acts = list(_ACT.finditer(left))
    if not acts:
        return False
    between = left[acts[-1].end() :]
    return bool(_ACT_DATE_LEAD.search(between)) or not between.strip() or len(between.split()) <= 1


def _under_signatory(lines: Sequence[_Line], i: int, d: DateMatch) -> bool:
    """Whether the date stands alone on its line just under a signatory's line («Председатель Правления
    ... Ф.И.О.» over «07» декабря 2020 года): the date of signing, though attachments follow it."""
    line = lines[i]
    rest = line.text[: d.start] + line.text[d.end :]
    if len(re.findall(r"[^\W\d_]{3,}", rest)) > 2 or re.search(r"\d", rest):
        return False
    for prev in lines[max(0, i - 2) : i]:
        if prev.page == line.page and _SIGNATURE_WORD.search(prev.text) and not _NOT_SIGNATURE.search(prev.text):
            return len(prev.text.split()) <= 12
    return False


_PLACE_CAPTION = re.compile(
    r"^\W*(?:город|населенный\s+пункт|место\s+(?:выдачи|составления|издания)|қала(?:сы)?|елді\s+мекен"
    r"|place(?:\s+of\s+issue)?)\W*(?:дата\W*)?$",
    re.IGNORECASE,
)
_PLACE = re.compile(r"\s*(?:г\.\s*)?(?:[^\W\d_][\w\-]*\.?\s*){1,2}[,.]?\s*")
_YEAR_WORD = re.compile(r"\s*(?:г\.?|года|ж\.?|жыл\w*)?\s*\.?\s*")


def _place_and_date(lines: Sequence[_Line], i: int, d: DateMatch) -> bool:
    """Whether the date stands on a form's «place ... date» line, the place over its caption «город»
    (real set: a registration certificate, «Бишкек   2 мая 2017 г.» over «город»): the date of issue. The
    line holds only the place and the date."""
    caption = _caption_under(lines, i)
    if caption is None or not _PLACE_CAPTION.match(caption.text):
        return False
    text = lines[i].text
    return bool(_PLACE.fullmatch(text[: d.start]) and _YEAR_WORD.fullmatch(text[d.end :]))


def _date_candidates(lines: Sequence[_Line], zones: _Zones, *, body: bool = False) -> list[_Candidate]:
    """Candidates for the date of issue; with `body`, also the unlabelled dates of the body (score 0)."""
    out: list[_Candidate] = []
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        for d in find_dates(line.text):
            left = _left(line, d.start, prev)
            near = left[-60:]
            right = line.text[d.end : d.end + 30]
            if _BIRTH.search(near) or _BIRTH.search(right[:15]):
                continue
            if _PERIOD_LEFT.search(left[-25:]) or _PERIOD_RIGHT.search(right):
                continue
            # «к приказу ФНС России» + «от 23.11.2022 г.»: a short lead-in continues the line above.
            lead_in = re.fullmatch(r"\s*(?:от|from|dated)?\s*[«\"]?", left, re.IGNORECASE)
            act_left = prev.text + " " + left if prev is not None and lead_in else left
            if _act_date(act_left[-80:]) or _ACT.search(right[:45]) or "туралы»" in left[-80:]:
                continue
            # A form prints the field's caption under it: «(дата формирования справки)», «(дата)».
            after = lines[i + 1].text if i + 1 < len(lines) and lines[i + 1].page == line.page else ""
            caption = _CAPTION.match(right) or (not right.strip(" .г") and _CAPTION.match(after))
            labelled = bool(_ISSUE_LABEL.search(near[-40:]) or _ISSUE_RIGHT.search(right) or caption)
            as_of = _AS_OF.search(near[-30:]) and line.index in zones.header
            event = _AT_HOUR.match(right)  # «30» января 2020 года 10.30 часов: when a meeting sat
            if not labelled and (
                event or (not as_of and (_OTHER_DATE.search(near[-50:]) or _OTHER_DATE.search(right[:25])))
            ):
                continue
            labelled = labelled or bool(_GENERIC_LABEL.search(near[-40:]))
            score = 10.0 if labelled else zones.score(line, 4.0, 3.0)
            if not labelled and _place_and_date(lines, i, d):
                score = max(score, 8.0)  # «Бишкек   2 мая 2017 г.» over «город»: where and when it was issued
            if score == 0.0 and _under_signatory(lines, i, d):
                score = 3.0  # a letter's date under its signatory, ahead of the attachments
            if score == 4.0 and re.search(r"№|\bN\s?\d", line.text):
                score = 6.0  # «от 05.02.2021 № 03-2-14/88», «10.02.2020 10:08:47 № 9054809»: the document's own
            if score >= 3 or body:
                out.append(_Candidate("date", d.value.isoformat(), line, d.start, d.end, score))
    return out


def _date_of_issue(lines: Sequence[_Line], zones: _Zones) -> _Candidate | None:
    """The date of issue: the best full date; else a month and year, completed from a full date of the
    same month printed elsewhere in the document (a licence's header read «№ 50-01-000910 ноября 2006»
    with the day lost under the guilloche, its appendix «к лицензии № 50-01-000910 от «24» ноября 2006 г.»)."""
    best = _best(_date_candidates(lines, zones))
    if best is not None:
        return best
    partial = _best(_month_year_candidates(lines, zones))
    if partial is None:
        return None
    same = {c.value for c in _date_candidates(lines, zones, body=True) if c.value.startswith(partial.value + "-")}
    if len(same) == 1:
        full = next(c for c in _date_candidates(lines, zones, body=True) if c.value in same)
        return _Candidate("date", full.value, full.line, full.start, full.end, partial.score)
    return partial


_MONTH_YEAR = (
    re.compile(r"(?<![\d\w«\"'.])" + _MONTH + r"\s+" + _YEAR + r"(?!\d)", re.IGNORECASE),
    re.compile(r"(?<![\d.])" + _YEAR + r"\s*(?:ж\.|жылғы|жылы|жыл)\s+" + _MONTH + r"(?!\s*\d)", re.IGNORECASE),
)


def _month_year_candidates(lines: Sequence[_Line], zones: _Zones) -> list[_Candidate]:
    """A date of issue printed as a month and a year only («Наурыз 2024 жыл», «март 2024 г.»): value
    `yyyy-mm`. Taken only when the document prints no full date, in the header or the signature block
    (real set: letters of thanks signed by an akim)."""
    out: list[_Candidate] = []
    for line in lines:
        score = zones.score(line, 4.0, 3.0)
        if score < 3 or _ACT.search(line.text) or _OTHER_DATE.search(line.text):
            continue
        full = find_dates(line.text)
        for pattern in _MONTH_YEAR:
            for m in pattern.finditer(line.text):
                if any(d.start < m.end() and m.start() < d.end for d in full):
                    continue  # part of a full date, set aside for its context
                month = _month_number(m.group("month"))
                if month is None or _PERIOD_LEFT.search(line.text[: m.start()][-25:]):
                    continue
                value = f"{m.group('year')}-{month:02d}"
                out.append(_Candidate("date", value, line, m.start(), m.end(), score - 1.0))
    return out


# --------------------------------------------------------------------------- validity

_VALIDITY_ANCHOR = _re(
    r"действ",
    r"\bсрок",
    r"годен",
    r"годн",
    r"жарамд",
    r"мерзім",
    r"valid",
    r"expir",
    r"\bterm\b",
    r"применя\w*\s+в\s+течение",  # «Настоящий Меморандум применяется в течение 1 (одного) года»
    r"замене\s+в\s+случае\s+изменени",  # «подлежит замене в случае изменения сведений»: no term
)
_NOT_VALIDITY = _re(
    r"испытательн",
    r"сынақ",
    r"probation",
    r"назнача",
    r"избира",
    r"полномочи",
    r"өкілеттік",
    r"тағайында",
    r"обучени",
    r"оқу",
    r"освоени",
    r"деятельност",
    r"қызмет\w*\s+мерзімі",
    r"исковой",
    r"давност",
    r"оплат",
    r"төле",
    r"payment",
    r"уведомл",
    r"рассмотрени",
    r"study",
)
_KEY_VALIDITY = re.compile(r"сертификат\w*\s*:?\s*[0-9a-f]{8,}|certificate\s*:?\s*[0-9a-f]{8,}", re.IGNORECASE)
_UNLIMITED = _re(
    r"бессрочн\w*",
    r"является\s+постоянн\w*",  # an e-licence: «Лицензия является постоянной и действительной ...»
    r"тұрақты\s+болып\s+табылады",
    r"мерзімсіз",
    r"без\s+ограничения\s+срока",
    r"unlimited",
    r"indefinite\w*",
    r"no\s+expiry",
    r"замене\s+в\s+случае\s+изменени\w*\s+(?:приведенных|указанных|содержащихся)",
)
_NUMERALS: dict[str, int] = {
    "один": 1, "одного": 1, "бір": 1, "one": 1,
    "два": 2, "двух": 2, "екі": 2, "two": 2,
    "три": 3, "трех": 3, "трёх": 3, "үш": 3, "three": 3,
    "четыре": 4, "четырех": 4, "төрт": 4, "four": 4,
    "пять": 5, "пяти": 5, "бес": 5, "five": 5,
    "шесть": 6, "шести": 6, "алты": 6, "six": 6,
    "десять": 10, "он": 10, "ten": 10,
    "одиннадцать": 11, "одиннадцати": 11, "он бір": 11, "eleven": 11,
    "двенадцать": 12, "двенадцати": 12, "он екі": 12, "twelve": 12,
}  # fmt: skip
_DURATION = re.compile(
    r"(?:сроком\s+на|на\s+срок|срок\w*\s+(?:действия\s+)?(?:[-–:]\s*)?|в\s+течение|действительн\w*\s+(?:в\s+течение\s+)?"
    r"|for\s+(?:a\s+(?:term|period)\s+of\s+)?|valid\s+for\s+|мерзімі\s*[-–:]?\s*|ішінде\s+"
    r"|(?:составляет|составит|құрайды)\s+)?"
    r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMERALS, key=len, reverse=True)) + r")"
    r"\s*(?:\((?P<words>[^)]{1,25})\)\s*)?"
    r"(?P<unit>год[а-я]*|лет|месяц[а-я]*|мес\.|жыл[а-яәғқңөұүһі]*|ай[а-яәғқңөұүһі]*|years?|months?)\b",
    re.IGNORECASE,
)


_DURATION_IN_WORDS = re.compile(
    r"(?:сроком\s+на|на\s+срок|в\s+течение)\s*[|!lI\]\[]?\s*\((?P<n>"
    + "|".join(sorted(_NUMERALS, key=len, reverse=True))
    + r")\)\s*(?P<unit>год[а-я]*|лет|месяц[а-я]*|мес\.)",
    re.IGNORECASE,
)
"""«в течение 1 (одного) года» whose digit OCR read as a bar: the words in brackets give the count."""
_LEAD_TIME = re.compile(r"(?:\bза|кем\s+дегенде|not\s+later\s+than)\s*$", re.IGNORECASE)
"""«не позднее, чем за один месяц до истечения срока»: a notice's lead time, not the document's term."""


def _duration_value(m: re.Match[str]) -> str | None:
    n_text = m.group("n").lower()
    n = int(n_text) if n_text.isdigit() else _NUMERALS.get(n_text)
    if n is None or n == 0:
        return None
    unit = m.group("unit").lower()
    months = unit.startswith(("месяц", "мес", "ай", "month"))
    return f"P{n}M" if months else f"P{n}Y"


def add_period(start: date, period: str) -> date | None:
    """`start` plus an ISO 8601 period of whole years or months (`P1Y`, `P11M`); None for others."""
    m = re.fullmatch(r"P(\d+)([YM])", period)
    if m is None:
        return None
    n = int(m.group(1))
    months = n * 12 if m.group(2) == "Y" else n
    y, mo = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, mo + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None  # pragma: no cover - day 28 exists in every month


def _validity_candidates(lines: Sequence[_Line], zones: _Zones) -> list[_Candidate]:
    out: list[_Candidate] = []
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        context = (prev.text + " " if prev is not None else "") + line.text
        if not _VALIDITY_ANCHOR.search(context) or _NOT_VALIDITY.search(line.text):
            continue
        if any(_KEY_VALIDITY.search(x.text) for x in lines[max(0, i - 2) : i + 1]):
            continue  # «Сертификат: b6b0...» + «Действует с ... до ...»: the signing key's term, not the document's
        if _ACT.search(line.text) and not re.search(r"действ|жарамд|valid", line.text, re.IGNORECASE):
            continue
        bonus = zones.score(line, 1.0, 1.0)
        dates = find_dates(line.text)
        for d in dates:
            left = line.text[: d.start]
            right = line.text[d.end : d.end + 25]
            end_left = re.search(
                r"(?:^|[\s(:,])(?:до|по|until|till|through|to|expires?|expiry\s+date)\s*[:«\"]?\s*$"
                r"|(?:valid|expir|годен|годна|действ|срок|мерзім|жарамд)\w*(?:\s+\w+)?\s*:?\s*$",
                left[-40:],
                re.IGNORECASE,
            )
            end_right = re.search(r"^\s*(?:ж\.|жылғы|жылы)?\s*(?:дейін|deyin)", right, re.IGNORECASE)
            starts_period = re.search(r"(?:^|\s)(?:с|со|from|since)\s*$", left[-10:], re.IGNORECASE)
            if (end_left and not starts_period) or end_right:
                out.append(_Candidate("validity", d.value.isoformat(), line, d.start, d.end, 10.0 + bonus))
        if unlimited := _UNLIMITED.search(line.text):
            out.append(_Candidate("validity", "unlimited", line, unlimited.start(), unlimited.end(), 8.0 + bonus))
        for m in (*_DURATION.finditer(line.text), *_DURATION_IN_WORDS.finditer(line.text)):
            if not m.group(0).strip() or _LEAD_TIME.search(line.text[: m.start()]):
                continue
            value = _duration_value(m)
            # A bare count with no lead-in ("5 лет стажа") is a duration only next to "срок"/"мерзім".
            lead = m.group(0)[: m.start("n") - m.start()]
            if value is None or (
                not lead.strip() and not _VALIDITY_ANCHOR.search(line.text[max(0, m.start() - 25) : m.end() + 25])
            ):
                continue
            out.append(_Candidate("validity", value, line, m.start(), m.end(), 6.0 + bonus))
    return out


# --------------------------------------------------------------------------- number and series

_ORG_NOUN_WORDS = (
    r"мектеб\w*|школ\w*|лицей\w*|гимнази\w*|поликлиник\w*|больниц\w*|емхан\w*|аурухан\w*|балабақша\w*"
    r"|ясли|детск\w+\s+сад\w*|колледж\w*|училищ\w*|интернат\w*|центр\w*|орталығ\w*|отделени\w*|филиал\w*"
)
"""Nouns of the names that carry a number: «№ 15 орта мектебі», «Средняя школа № 15»."""

_UP = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_NUMBER_VALUE = r"(?P<value>[0-9" + _UP + r"a-zа-яёәғқңөұүһі][0-9" + _UP + r"a-zа-яёәғқңөұүһі/\-.]*)"
_NO = r"(?:№|N[oº°]\.?(?=\s*\d)|No\.?|Nr\.?|N(?=\s*\d))"
_SERIES_NUMBER = re.compile(
    r"(?:(?:серия|сериясы|series|ser\.)\s*[:.]?\s*)?"
    r"(?P<series>(?<!["
    + _UP
    + r"a-zа-я])["
    + _UP
    + r"]{1,4}(?:-["
    + _UP
    + r"]{1,3})?)\s*"
    + _NO
    + r"\s*(?P<value>\d[\d\s]{4,11}\d)(?!\d)",
)
_NUMERIC_SERIES = re.compile(
    r"\bсерия\s+(?P<series>\d{2})\s*(?:" + _NO + r"|N[eº°2]|[\"“”])\s*(?P<value>\d{6,12})(?!\d)", re.IGNORECASE
)
"""«серия 66 №006363822»: a Russian FNS certificate's series is a region's two digits. After «серия NN» the
sign «№» is often read as «Ne», «N2» or a quote mark (real set: a certificate on a guilloche form)."""
_SERIES_WORD = re.compile(
    r"(?:серия|сериясы|series)\s*[:.]?\s*(?P<series>(?-i:[" + _UP + r"0-9]{1,4}(?:-[" + _UP + r"0-9]{1,3})?))\b",
    re.IGNORECASE,
)
_NOT_SERIES = frozenset(
    {
        "ТОО", "АО", "ГУ", "РК", "ҚР", "ИП", "ЖШС", "АҚ", "ДСМ", "БИН", "ИИН", "БСН", "ЖСН", "КГП", "ГКП",
        "РГП", "КГУ", "РГУ", "ММ", "КММ", "ШЖҚ", "РМК", "КМК", "NO", "N", "ОО", "ОФ", "ЧУ", "НАО",
    }
)  # fmt: skip
_NUMBER_LABELS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"(?:уникальный\s+номер|бірегей\s+нөмі?р\w*|unique\s+number)\s*[:.]?\s*(?P<value>\d{10,20})",
                re.I), 11.0),
    (
        re.compile(
            r"(?:рег(?:истрационный)?\.?\s*(?:№|номер)|регистрационный\s+номер|тіркеу\s+нөмірі|тіркеу\s+№"
            r"|registration\s+(?:no\.?|number)|reg\.\s*no\.?)\s*[:.]?\s*" + _NUMBER_VALUE,
            re.I,
        ),
        8.0,
    ),
    (re.compile(r"(?:номер\s+(?:документа|справки|диплома|сертификата|удостоверения|договора|лицензии)"
                r"|құжат\s+нөмірі|лицензияның\s+нөмірі"
                r"|document\s+(?:no\.?|number))\s*[:.]?\s*(?:№\s*)?" + _NUMBER_VALUE, re.I), 8.0),
    (re.compile(r"(?:исх\.?|шығ\.?|ref\.?)\s*" + _NO + r"\s*" + _NUMBER_VALUE, re.I), 8.0),
    (re.compile(r"(?:^|\s)(?:номер|нөмірі|нөмір|number)\s*:\s*" + _NUMBER_VALUE, re.I), 7.0),
    (re.compile(r"(?:бланк\w*|blank)\s*" + _NO + r"\s*(?P<value>\d{5,10})(?!\d)", re.I), 2.0),
    (re.compile(_NO + r"\s*" + _NUMBER_VALUE), 0.0),
)  # fmt: skip
_NOT_NUMBER_LEFT = _re(
    r"\bбин\b", r"\bиин\b", r"\bбсн\b", r"\bжсн\b", r"\biin\b", r"\bbin\b", r"\bрнн\b", r"\bиик\b", r"\bбик\b",
    r"\bкбе\b", r"\biban\b", r"\bswift\b", r"р/с", r"счет", r"шот", r"\bтел", r"факс", r"phone", r"\bформ[аы]",
    r"нысан", r"приложени", r"қосымша", r"annex", r"\bкаб", r"\bкв\.", r"\bдом\b", r"\bд\.\s*$", r"\bауд",
    r"\bпод\s*$", r"лицензи", r"лиценз", r"паспорт", r"удостоверени\w+\s+личности", r"жеке\s+куәлі",
    r"протокол\w*\s+(?:заседания|ГАК)",
    r"\(\s*протокол", r"основани", r"негіздеме", r"согласно", r"based\s+on", r"\bвкк\b", r"аттестат\w*\s+(?:об|о)",
    r"квитанц",
)  # fmt: skip
_TITLE_BEFORE_NO = re.compile(
    r"^\W*(?:\w+\s+)?(?:приказ|справк|договор|бұйрық|анықтама|диплом|сертификат|удостоверени|куәлік|шарт|свидетельств|выписк"
    r"|протокол|решени|certificate|diploma|contract|agreement|order|letter|прейскурант|распоряжени)\w*",
    re.IGNORECASE,
)
_TITLE_END = re.compile(
    r"(?:шарт|куәлі|анықтама|бұйрық|диплом|сертификат|certificate|agreement|contract|order|справк|приказ|договор"
    r"|удостоверени|свидетельств)\w*\s*$",
    re.IGNORECASE,
)
_NUMBER_OK_LEFT = _re(r"приказ", r"бұйрық", r"решени", r"шешім", r"протокол", r"order")


def _inside_quotes(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[:pos]:
        if ch == "«":
            depth += 1
        elif ch == "»" and depth:
            depth -= 1
    return depth > 0


def _clean_number(value: str) -> str:
    return re.sub(r"\s+", "", value).rstrip(".,;:-/")


_LABEL_ALONE = re.compile(
    r"(?:уникальный\s+номер|бірегей\s+нөмі?р\w*|unique\s+number|регистрационный\s+номер|тіркеу\s+нөмірі"
    r"|номер\s+лицензии|лицензияның\s+нөмірі)\s*[:.]?\s*$",
    re.IGNORECASE,
)
_VALUE_ALONE = re.compile(r"^\s*(?:№\s*)?(?P<value>[0-9A-ZА-ЯЁ][0-9A-ZА-ЯЁ/\-.]*\d[0-9A-ZА-ЯЁ/\-.]*)\s*$")


_TITLE_ALONE = re.compile(
    r"^\s*(?:\w+\s+)?(?:лицензия|свидетельство|куәлік|аттестат|сертификат|certificate|licen[cs]e)\s*$",
    re.IGNORECASE,
)
_DIGITS_ALONE = re.compile(r"^\s*(?:№\s*)?(?P<value>\d{6,20})\s*$")
_NUMBERED_ALONE = re.compile(r"^\s*(?:№|N[oºe°]\.?)\s*(?P<value>[A-ZА-ЯЁ]{0,3}\d{6,20})\s*$")
"""«№ LD170001098» alone on its line under the title (a licence's number with its register's letters)."""
TITLE_NUMBER_LINES = 4
"""How far under a title alone its «№ ...» may stand: the title's subtitle («на право ведения ...») between."""


_UNIQUE_LABEL = re.compile(r"уникальный\s+номер|бірегей\s+нөмі?р|unique\s+number", re.IGNORECASE)
_UNIQUE_VALUE = re.compile(r"(?<![\d\w])(?P<value>\d{13,20})\s*$")
"""An egov unique number is 14-15 digits (longer than a 12-digit BIN or IIN), closing its line."""


def _unique_near(lines: Sequence[_Line], zones: _Zones) -> list[_Candidate]:
    """An egov «Уникальный номер» / «Бірегей нөмір» whose value OCR put on a line above or below the label
    (the number box of a raster egov справка is read in pieces: value first, label after)."""
    out: list[_Candidate] = []
    for i, line in enumerate(lines):
        if line.index not in zones.header or not _UNIQUE_LABEL.search(line.text):
            continue
        for nxt in lines[max(0, i - 2) : i + 4]:
            if nxt.page != line.page or nxt is line:
                continue
            m = _UNIQUE_VALUE.search(nxt.text)
            if m and not _NOT_NUMBER_LEFT.search(nxt.text[: m.start()][-30:]):
                out.append(_Candidate("number", m.group("value"), nxt, m.start("value"), m.end("value"), 9.0))
                break
    return out


def _label_above(lines: Sequence[_Line], zones: _Zones) -> list[_Candidate]:
    """A labelled number whose value stands on one of the next lines (egov: «Бірегей нөмір» and
    «Уникальный номер» stacked in a box, the number under them; an e-licence: «МЕМЛЕКЕТТІК ЛИЦЕНЗИЯ»
    with its number alone under it)."""
    out: list[_Candidate] = []
    for i, line in enumerate(lines):
        titled = line.index in zones.header and _TITLE_ALONE.match(line.text)
        if not _LABEL_ALONE.search(line.text) and not titled:
            continue
        for k, nxt in enumerate(lines[i + 1 : i + (1 + TITLE_NUMBER_LINES if titled else 4)]):
            if nxt.page != line.page:
                break
            if titled:
                # Right under the title, digits alone; further down, only a «№ ...» under a subtitle.
                m = (_DIGITS_ALONE.match(nxt.text) if k == 0 else None) or _NUMBERED_ALONE.match(nxt.text)
                if m is None and re.search(r"\d", nxt.text):
                    break
            else:
                m = _VALUE_ALONE.match(nxt.text)
            if m:
                score = 10.0 + zones.score(nxt, 1.0, 0.0)
                out.append(_Candidate("number", _clean_number(m.group("value")), nxt, m.start("value"),
                                      m.end("value"), score))  # fmt: skip
                break
    return out


_NUMBER_CAPTION = re.compile(
    r"(?:регистрационный|уч[её]тный)\s+номер|номер\s+(?:свидетельства|лицензии|документа)|тіркеу\s+нөмірі"
    r"|registration\s+number",
    re.IGNORECASE,
)
_NOT_NUMBER_CAPTION = _re(r"государственн\w*\s+регистрационн", r"\bогрн", r"налогов", r"идентификац", r"бланк")
"""«(основной государственный регистрационный номер)» (ОГРН), «идентификационный налоговый номер»: the
entity's identifiers, printed over their captions on the same forms, are not the document's number."""
_CAPTIONED_NUMBER = re.compile(r"(?:№|N)?(?P<value>[0-9" + _UP + r"a-zа-яёәғқңөұүһі][\w/\-.]*)")


def _captioned_numbers(lines: Sequence[_Line], zones: _Zones) -> list[_Candidate]:
    """A number printed over its caption «регистрационный номер» (real set: a KG re-registration
    certificate, «55786-3301-У-е» over «регистрационный номер», «24275760» over «код ОКПО» beside it):
    the tokens standing over the caption's words. It beats the blank's own «серия ... № ...»."""
    out: list[_Candidate] = []
    for i, line in enumerate(lines):
        caption = _caption_under(lines, i)
        if caption is None:
            continue
        for m in _NUMBER_CAPTION.finditer(caption.text):
            if _NOT_NUMBER_CAPTION.search(caption.text[max(0, m.start() - 30) : m.end()]):
                continue
            span = _over(line, caption, m.start(), m.end())
            if span is None:
                continue
            value = _clean_number(line.text[span[0] : span[1]])
            v = _CAPTIONED_NUMBER.fullmatch(value)
            if v is None or len(v.group("value")) < 3 or not re.search(r"\d", v.group("value")):
                continue
            score = 13.0 + zones.score(line, 1.0, 0.0)
            out.append(_Candidate("number", v.group("value"), line, span[0], span[1], score))
    return out


def _number_candidates(lines: Sequence[_Line], zones: _Zones) -> tuple[list[_Candidate], list[_Candidate]]:
    numbers: list[_Candidate] = _label_above(lines, zones) + _unique_near(lines, zones)
    series: list[_Candidate] = []
    for i, line in enumerate(lines):
        text = line.text
        if line.index in zones.approval:
            continue  # «УТВЕРЖДЕН решением ... № 1»: the number of the approving decision
        taken: list[tuple[int, int]] = []
        for m in (*_SERIES_NUMBER.finditer(text), *_NUMERIC_SERIES.finditer(text)):
            s = m.group("series")
            if s.upper() in _NOT_SERIES or _NOT_NUMBER_LEFT.search(text[max(0, m.start() - 30) : m.start()]):
                continue
            if _inside_quotes(text, m.start()):
                continue
            score = 12.0 + zones.score(line, 1.0, 0.0)
            series.append(_Candidate("series", s, line, m.start("series"), m.end("series"), score))
            numbers.append(_Candidate("number", _clean_number(m.group("value")), line, m.start(), m.end(), score))
            taken.append((m.start(), m.end()))
        # A labelled «серия X» not already read with its number: on a security form OCR may split the pair
        # («серия ГП: ы _Е№ 09020505», real set), and the series word is then the sure part.
        paired = [(c.start, c.end) for c in series if c.line is line]
        for m in _SERIES_WORD.finditer(text):
            s = m.group("series")
            if s.upper() not in _NOT_SERIES and not any(
                a < m.end("series") and m.start("series") < b for a, b in paired
            ):
                score = 9.0 + zones.score(line, 1.0, 0.0)
                series.append(_Candidate("series", s, line, m.start("series"), m.end("series"), score))
        for pattern, base in _NUMBER_LABELS:
            for m in pattern.finditer(text):
                if any(a <= m.start("value") < b for a, b in taken):
                    continue
                value = _clean_number(m.group("value"))
                if not re.search(r"\d", value) or len(value) > 40:
                    continue
                left = text[: m.start()]
                # Inside «...» only when the quote closes after it («Поликлиника № 4»): a name whose outer
                # quote was never closed («КСЖ «Сентрас Коммеск Life» №01) does not swallow the line's end.
                quoted = _inside_quotes(text, m.start()) and ("»" in text[m.end() :] or "»" not in left)
                if _NOT_NUMBER_LEFT.search(left[-30:]) or quoted:
                    continue
                title = (_TITLE_BEFORE_NO.match(left) and len(left.split()) <= 6) or (
                    _TITLE_END.search(left) and len(text.split()) <= 10 and left.upper() == left
                )
                prev = lines[i - 1] if i and lines[i - 1].page == line.page else None
                # «Выписка из протокола заседания Совета директоров» + «Акционерного общества «...» №01»:
                # the title wraps and its number closes the second line.
                title = title or bool(
                    prev is not None
                    and line.index in zones.header
                    and _TITLE_BEFORE_NO.match(prev.text)
                    and not text[m.end() :].strip(" .,;:")
                    and not _ACT.search(left)
                    and not find_dates(left)  # «... от 28 августа 2018 года № 377»: a cited act's number
                )
                if base == 0.0 and not (len(left.split()) <= 3 or title):
                    continue  # a "№" inside a sentence or a table row refers to another document
                if base == 0.0 and not left.strip() and any(_ACT.search(x.text) for x in lines[max(0, i - 2) : i]):
                    continue  # «к приказу ... от 23.11.2022 г.» + «№ ЕД-7-8/1123@»: the act's number
                if _ACT.search(left) and not (line.index in zones.header and _NUMBER_OK_LEFT.search(left)):
                    continue
                if _ACT.search(text[m.end() : m.end() + 3]):
                    continue
                if _in_a_name(left, text[m.end() :]):
                    continue
                score = base + zones.score(line, 5.0, 2.0)
                if score < 3:
                    continue
                numbers.append(_Candidate("number", value, line, m.start("value"), m.end("value"), score))
                taken.append((m.start(), m.end()))
        if line.index in zones.header:
            # «10.01.2014 жылы 14000140»: the head line of a document, its date and then its number.
            for d in find_dates(text):
                if (after := _AFTER_DATE_NUMBER.match(text, d.end)) and not any(
                    a <= after.start() < b for a, b in taken
                ):
                    value = after.group("value")
                    numbers.append(_Candidate("number", value, line, after.start("value"), after.end("value"), 5.0))
    return numbers, series


_AFTER_DATE_NUMBER = re.compile(r"\s*(?:ж\.|жылы|жылғы|г\.|года)?\s+(?P<value>\d{6,20})\s*$", re.IGNORECASE)
_NAME_AFTER_NUMBER = re.compile(
    r"^\W{0,3}(?:(?!(?:по|о|об|на|к|от|в|для)\s)[^\W\d]+\s+)?(?:" + _ORG_NOUN_WORDS + r")", re.IGNORECASE
)
_NAME_BEFORE_NUMBER = re.compile(r"(?:" + _ORG_NOUN_WORDS + r")\W{0,3}$", re.IGNORECASE)


def _in_a_name(left: str, right: str) -> bool:
    """Whether a «№ N» is part of an organization's name whose quotes OCR lost: «№ 15 орта мектебі»,
    «Средняя школа № 15», «Поликлиника № 4» (a name, not the document's number)."""
    return bool(_NAME_AFTER_NUMBER.search(right) or _NAME_BEFORE_NUMBER.search(left))


# --------------------------------------------------------------------------- issuer

_PREFIX_FORMS = "ТОО|АО|ГУ|КГУ|КГП|РГП|ГКП|ГККП|КГКП|РГКП|РГУ|НАО|ИП|ОО|ОФ|ЧУ|ПК|ОЮЛ|ЖК"
_POSTFIX_FORMS = (
    r"ЖШС|АҚ|КеАҚ|КЕАҚ|ММ|КММ|РММ|КМК|ШЖҚ|РМК|МКҚК|LLP|JSC|LLC|Ltd\.?|GmbH|Inc\.?|Corp\.?|AG|SE|KGaA"
    r"|S\.p\.A\.|S\.A\.|B\.V\.|Co\."
)
_ORG_FORM = re.compile(
    r"(?<![" + _UP + r"a-zа-яё])(?:(?P<prefix>" + _PREFIX_FORMS + r")|(?P<postfix>" + _POSTFIX_FORMS + r"))"
    r"(?![" + _UP + r"a-zа-яё])"
    r"|Товарищество\s+с\s+ограниченной|Акционерное\s+общество|Жауапкершілігі\s+шектеулі|Акционерлік\s+қоғам"
    r"|Индивидуальный\s+предприниматель|Limited\s+Liability|Joint[-\s]Stock|Некоммерческое\s+акционерное"
    r"|Государственн\w+\s+(?:учреждение|предприятие|корпорация)|Мемлекеттік\s+(?:мекеме|кәсіпорын|корпорация)"
    r"|Общественн\w+\s+(?:объединение|фонд)|Частное\s+учреждение|Коммунальное\s+государственное"
    r"|Некоммерческ\w+\s+организаци\w*|Коммерциялық\s+емес\s+ұйым",
)
_ORG_NOUN = re.compile(
    r"университет\w*|колледж\w*|институт\w*|академи\w*|поликлиник\w*|больниц\w*|госпитал\w*|клиник\w*|"
    r"диспансер\w*|емхан\w*|аурухан\w*|\bЦентр\b|\bцентр\w*\b|орталығ\w*|[Аа]кимат\w*|әкімдіг\w*|әкімдік\w*|"
    r"[Мм]инистерств\w*|министрліг\w*|[Аа]гентств[оа]\b|агенттіг\w*|[Дд]епартамент\w*|\b[Сс]лужб[аы]\b|\b[Ии]нспекци[яи]\b|\bУправлени\w*|басқарма\w*|[Кк]омитет\w*|"
    r"нотариус\w*|[Нн]отариальн\w*|\bФонд\w*|\bшкол\w*|мектеб\w*|лицей|гимнази\w*|"
    r"қоғамдық\s+бірлест\w*|қоғамдық\s+қор\w*|мекемесі\w*|кәсіпорн\w*|"
    r"University|College|Institute|Ministry|Department|Hospital|Clinic|Manufacturer|Company|Corporation",
    re.IGNORECASE,
)
_ISSUER_LABEL = _re(
    r"наименование\s+(?:организации|учреждения|медицинской\s+организации|работодателя|учебного\s+заведения)",
    r"ұйымның\s+атауы",
    r"мекеменің\s+атауы",
    r"issued\s+by",
    r"issuing\s+(?:body|authority|organization)",
    r"орган,?\s+выдавший",
    r"лицензирующ\w+\s+орган\w*",
    r"\bлицензиар\b",
    r"берген\s+орган",
    r"выдавш\w+\s+(?:орган|организаци)",
    r"\bорганизация\s*:",
    r"\bработодатель\s*:",
    r"\bmanufacturer\s*:",
    r"\bпроизводитель\s*:",
    r"\bпоставщик\s*:",
    r"\bарендодатель\s*:",
    r"\bжалға\s+беруші\s*:",
)
_NOT_ISSUER = _re(
    r"контакт-?\s?центр",
    r"байланыс\s+орталығы",
    r"справочн\w+\s+служб",
    r"анықтамалық\s+қызмет",
    r"утвержден\w*\s+приказом",
    r"бұйрығымен\s+бекітілген",
    r"закон",
    r"заңы",
    r"в\s+соответствии",
    r"сәйкес",
    r"\bвыдан\w*\s+(?:гражданин|гр\.|[А-ЯЁ][а-яё]+у\s)",
    r"проживающ",
    r"тұратын",
    r"^\s*(?:полное\s+)?(?:наименование|атауы|name)\s*:",
    r"^\s*(?:дана|выдана|берілді)\b",
)
_MEDICAL_FORM = _re(r"медицинская\s+документация", r"медициналық\s+құжаттама")
_MINISTRY_HEALTH = _re(r"министерство\s+здравоохранения", r"денсаулық\s+сақтау\s+министрлігі")


def _quoted_end(text: str, start: int) -> int | None:
    """The end of the first balanced «...» after `start`, if the name goes on with one."""
    depth = 0
    opened = False
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "«":
            depth += 1
            opened = True
        elif ch == "»" and depth:
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == '"' and not opened:
            close = text.find('"', i + 1)
            return close + 1 if close > 0 else None
    return None


def _opening_quote(text: str, close: int) -> int | None:
    """The `«` that balances the `»` at `close`; the outermost unbalanced one when quotes are unbalanced."""
    depth = 0
    last = None
    for i in range(close, -1, -1):
        if text[i] == "»":
            depth += 1
        elif text[i] == "«":
            depth -= 1
            last = i
            if depth == 0:
                return i
    return last


def _issuer_span(text: str, match: re.Match[str], noun: bool) -> tuple[int, int]:
    """The organization's name around an organization form or noun."""
    if match.groupdict().get("postfix"):
        # «Шапағат-Мед» ЖШС, Kemel Care LLP: the name stands before the form.
        before = text[: match.start()].rstrip()
        start = match.start()
        if before.endswith(("»", '"')):
            opening = _opening_quote(text, len(before) - 1) if before.endswith("»") else before[:-1].rfind('"')
            start = opening if opening is not None and opening >= 0 else start
        else:
            words = list(re.finditer(r"\S+", before))
            for w in reversed(words[-5:]):
                if not re.match(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ&]", w.group()):
                    break
                start = w.start()
        return start, match.end()
    if noun:
        # "Казахский национальный университет имени аль-Фараби": the name starts before the noun.
        head = re.split(r"[,;:]|\s[-–]\s", text[: match.start()])[-1]
        start = match.start() - len(head)
    else:
        start = match.start()
    while start < len(text) and text[start] in " \t":
        start += 1
    end = _quoted_end(text, match.end())
    if end is None or end - match.end() > 120:
        rest = re.split(r",|;|\s[-–]\s|\s{3,}|\s+(?:БИН|БСН|ИИН|тел\.|именуем)", text[match.end() :])[0]
        end = match.end() + len(rest)
    return start, end


def _continued(name: str, following: str | None) -> str:
    """A name whose «...» is still open at the end of its line goes on to the next line."""
    open_quotes = name.count("«") - name.count("»")
    if open_quotes <= 0 or following is None:
        return name
    depth = open_quotes
    for k, ch in enumerate(following):
        if ch == "«":
            depth += 1
        elif ch == "»":
            depth -= 1
            if depth == 0:
                return f"{name} {following[: k + 1]}"
    return name


_ISSUER_CAPTION = _re(
    r"наименование\s+(?:регистрирующего|лицензирующего|выдавшего)\s+органа",
    r"наименование\s+органа,?\s+(?:выдавшего|осуществившего)",
    r"наименование\s+лицензиара",
    r"тіркеуші\s+органның\s+атауы",
    r"берген\s+органның\s+атауы",
    r"name\s+of\s+the\s+(?:issuing|registering)\s+(?:body|authority)",
)
ISSUER_CAPTION_LINES = 3
"""How many lines over its caption an issuing body's name may take (ministry, country, regional office)."""


def _captioned_issuer(lines: Sequence[_Line], zones: _Zones) -> list[_Candidate]:
    """The issuing body printed over its caption «наименование регистрирующего органа» (real set: a KG
    registration certificate, «МИНИСТЕРСТВО ЮСТИЦИИ КЫРГЫЗСКОЙ РЕСПУБЛИКИ» + «Чуй-Бишкекское Управление
    юстиции» over the caption, the words glued by OCR so that no organization noun stands alone): the
    lines over the caption, up to a title or a line with digits."""
    out: list[_Candidate] = []
    for i, caption in enumerate(lines):
        if not _ISSUER_CAPTION.search(caption.text) or not _is_caption(caption.text):
            continue
        above: list[_Line] = []
        for ln in reversed(lines[max(0, i - ISSUER_CAPTION_LINES) : i]):
            if ln.page != caption.page or re.search(r"\d", ln.text) or _DOC_TITLE.match(ln.text):
                break
            if _NOT_ISSUER.search(ln.text):
                break
            if _ISSUER_LABEL.fullmatch(ln.text.strip(" :")):
                continue  # «Лицензиар», the field's label, set between the name's lines by a two-column layout
            if len(re.findall(r"[^\W\d_]", ln.text)) >= 4:
                above.insert(0, ln)
        if above:
            near = above[-1]
            value = " ".join(ln.text.strip() for ln in above)
            out.append(_Candidate("issuer_name", value, near, 0, len(near.text), 11.0 + zones.score(near, 1.0, 0.0)))
    return out


def _issuer_candidates(lines: Sequence[_Line], zones: _Zones) -> list[_Candidate]:
    out: list[_Candidate] = _captioned_issuer(lines, zones)
    medical_form = any(_MEDICAL_FORM.search(ln.text) for ln in lines)
    for i, line in enumerate(lines):
        text = line.text
        if _NOT_ISSUER.search(text):
            continue
        if medical_form and _MINISTRY_HEALTH.search(text):
            continue  # the form's template header, not the organization that issued it
        prev = lines[i - 1] if i else None
        label = _ISSUER_LABEL.search(text)
        labelled_prev = (
            prev is not None
            and _ISSUER_LABEL.search(prev.text)
            and not re.search(r":\s*\S", prev.text[prev.text.lower().rfind(":") :] if ":" in prev.text else "")
        )
        begin = label.end() if label else 0
        stop = len(text)
        if line.index in zones.footnote and _EDS_FOOTNOTE.search(text):
            # The body whose EDS the barcode carries: after «подписью» (ru), before «ЭЦҚ» (kk).
            if signed := re.search(r"подпис\w*|ЭЦП", text):
                begin = signed.end()
            elif signed := re.search(r"ЭЦҚ", text):
                stop = signed.start()
        for pattern, noun in ((_ORG_FORM, False), (_ORG_NOUN, True)):
            ms = [m for m in pattern.finditer(text, begin) if m.end() <= stop]
            if not ms:
                continue
            m = ms[-1] if stop < len(text) else ms[0]
            start, end = _issuer_span(text, m, noun)
            if end - start < 4:
                continue
            if label or labelled_prev:
                score = 10.0 + zones.score(line, 1.0, 0.5)
            elif line.index in zones.footnote and _EDS_FOOTNOTE.search(text):
                score = 6.0  # the state body whose EDS the egov barcode carries (kz-documents.md §1)
            else:
                score = zones.score(line, 5.0 if not noun else 4.0, 3.0)
                if score and len(text.split()) > 25:
                    score -= 2.0  # a long sentence that mentions an organization
                if line.index in zones.header:
                    score -= 0.1 * (line.index - min(zones.header))  # the letterhead is at the very top
            if score >= 3:
                value = text[start:end].strip(" .,:")
                following = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].page == line.page else None
                value = _continued(value, following.text if following is not None else None)
                out.append(_Candidate("issuer_name", value, line, start, end, score))
            break
    return out


_LATINISH = "A-ZАВСЕНКМОРТХ"  # a Kazakh postal code (A05X2K7) is often typed with Cyrillic look-alikes
_POSTAL = re.compile(
    r"(?<![\d\w])(?:\d{6}|[" + _LATINISH + r"]\d{2}\s?[" + _LATINISH + r"]\d[" + _LATINISH + r"]\d)(?![\d\w])"
)
_STREET = _re(
    r"\bул\.", r"\bул\s", r"улица", r"көшесі", r"\bкөш\.", r"\bпр\.", r"\bпр-т", r"проспект", r"даңғылы",
    r"\bмкр\b", r"\bмкр\.", r"микрорайон", r"шағын\s?аудан", r"ықшам\s?аудан", r"бульвар", r"\bпер\.", r"переул",
    r"шоссе", r"трасса", r"\bstreet\b", r"\bstr\.", r"stra(?:ss|ß)e", r"\bavenue\b", r"\bave\.", r"\broad\b",
    r"\bst\.\s", r"\bвн\.\s*п\.", r"тұйық",
)  # fmt: skip
_CITY = _re(
    r"\bг\.", r"\bгород", r"қаласы", r"\bқ\.", r"[А-ЯӘ][а-яәіңғүұқөһ]+\s+к\.", r"\bс\.\s", r"\bсело", r"ауылы",
    r"\bобл\.", r"област", r"облысы", r"район", r"ауданы", r"\bcity\b", r"kazakhstan", r"казахстан", r"қазақстан",
    r"российск\w+\s+федераци", r"кыргызск\w+\s+республик",
)  # fmt: skip
_HOUSE = re.compile(r"\d")
_ADDRESS_LABEL = _re(
    r"юридический\s+адрес",
    r"заңды\s+мекен\-?жайы",
    r"мекен\-?жайы",
    r"\bадрес\w*",
    r"место\s*нахождени\w*",
    r"местонахождени\w*",
    r"орналасқан\s+жері",
    r"\baddress\b",
)
_NOT_ISSUER_ADDRESS = _re(
    r"проживани",
    r"проживающ",
    r"жительств",
    r"тұратын",
    r"тұрғылықты",
    r"домашн",
    r"пациент",
    r"помещени",
    r"үй-жай",
    r"объект",
    r"недвижим",
    r"расположенн",
    r"premises",
    r"зарегистрирован\w*\s+по\s+адресу",
    r"по\s+адресу",
    r"\bадресу\b",
    r"мекенжайында",
    r"located\s+at",
    r"прописк",
    r"услуг\w*\s+оказыва",
    r"фактическ",
    r"оказания\s+услуг",
    r"филиал",
)


_ABOUT_A_HOLDER = re.compile(
    r"^\s*(?:справка|анықтама|свидетельство|куәлік|лицензия|выписка\s+из\s+(?:реестра|единого|государственного))\b",
    re.IGNORECASE | re.MULTILINE,
)
"""Titles of a record a body keeps about a holder: its «Местонахождение» is the holder's."""
_ISSUED_TO = re.compile(
    r"^\s*(?:выдан[аоы]?\s*:|берілді\b|лицензиат\b)"
    r"|(?:лицензия|свидетельство|справка)\s+(?:выдан|предоставлен)\w*|поставлен\w*\s+на\s+учет",
    re.IGNORECASE,
)
_SUBJECT_FIELD = re.compile(r"^\s*(?:полное\s+)?(?:наименование|атауы|name)\s*:", re.IGNORECASE)


_CONTACT = _re(r"\bтел", r"факс", r"e-?mail", r"www\.", r"\bбин\b", r"\bбсн\b", r"phone", r"call-?cent")


_ADDRESS_CAPTION = _re(r"адрес", r"мекен-?жай", r"мест[оа]\s*нах", r"орналасқан\s+жер", r"\baddress\b")
"""A caption under an address: «(адрес (место нахождения) некоммерческой организации)», whose «адрес» OCR
may garble («Іңлресіместо нахукления)», real set: a low-resolution NGO report)."""


def _is_address(text: str) -> bool:
    postal, street, city = _POSTAL.search(text), _STREET.search(text), _CITY.search(text)
    return bool(postal and (street or city)) or bool(street and _HOUSE.search(text[street.end() :]))


def _letterhead_tail(lines: Sequence[_Line], zones: _Zones) -> frozenset[int]:
    """Lines of the letterhead that run on past the header: a bilingual two-column letterhead doubles its
    lines, so the issuer's address and contacts come after the first `HEADER_LINES` (real set: letters on
    a state agency's blank, e-permits). The run goes on over addresses, contact lines, short pieces and
    lines read with low confidence (an emblem, a logo); the first other line (the addressee, a title, the
    body) ends it."""
    if not zones.header:
        return frozenset()
    out: set[int] = set()
    for ln in lines[max(zones.header) + 1 : max(zones.header) + 1 + HEADER_LINES]:
        if ln.page != lines[0].page:
            break
        words = ln.words
        doubtful = bool(words) and sorted(w.conf for w in words)[len(words) // 2] < LOW_CONFIDENCE
        if _is_address(ln.text) or _CONTACT.search(ln.text) or len(ln.text.split()) <= 3 or doubtful:
            out.add(ln.index)
            continue
        break
    return frozenset(out)


def _address_candidates(lines: Sequence[_Line], zones: _Zones) -> list[_Candidate]:
    out: list[_Candidate] = []
    # A register extract lists its subject's fields ("Наименование: ...", "Местонахождение: ..."): that
    # address is the subject's, not the issuing body's (kz-documents.md §1).
    register_extract = any(_SUBJECT_FIELD.search(ln.text) for ln in lines)
    # A certificate, licence or register extract about a holder («Выдана:», «Берілді», «Лицензиат», a
    # title СПРАВКА, СВИДЕТЕЛЬСТВО, ЛИЦЕНЗИЯ) prints the holder's address in the body; the issuer's own
    # address, if any, is in the heading (real set: egov справки, licences, registration certificates).
    top = [ln for ln in lines if ln.index in zones.header or ln.index < 2 * HEADER_LINES]
    issued_to = any(_ISSUED_TO.search(ln.text) for ln in lines) or bool(
        _ABOUT_A_HOLDER.search("\n".join(ln.text for ln in top))
    )
    # The issuer's letterhead stands above the title; the holder's details follow it.
    title = next((ln.index for ln in top if _ABOUT_A_HOLDER.match(ln.text)), None)
    letterhead = _letterhead_tail(lines, zones)
    # «Берілді ...», «Выдана: ...» opens the holder's name and address, on its line and the few after it.
    holder = {
        k
        for ln in lines
        if re.match(r"\s*(?:выдан[аоы]?\b|берілді\b|лицензиат\b)", ln.text, re.IGNORECASE)
        for k in range(ln.index, ln.index + HOLDER_LINES)
    }
    for i, line in enumerate(lines):
        text = line.text
        if _NOT_ISSUER_ADDRESS.search(text) or _ACT.search(text) or line.index in holder:
            continue
        after = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].page == line.page else None
        if after is not None and re.match(r"\s*[а-яёәғқңөұүһі]", after.text) and _NOT_ISSUER_ADDRESS.search(after.text):
            continue  # «..., кв. 82» + «нежилое помещение медицинского кабинета»: the premises, wrapped
        heading = line.index in zones.header or line.index in letterhead
        if issued_to and (not heading or (title is not None and line.index > title)):
            continue
        label = _ADDRESS_LABEL.search(text)
        if label and register_extract and not text[: label.start()].strip():
            continue
        caption = _caption_under(lines, i) if label is None else None
        captioned = caption is not None and bool(_ADDRESS_CAPTION.search(caption.text))
        if captioned and i and _ADDRESS_LABEL.fullmatch(lines[i - 1].text.strip(" :")):
            captioned = False  # a label above it too: a bilingual table's row, «Орналасқан жері» / «Место нахождения»
        if captioned and caption is not None and _NOT_ISSUER_ADDRESS.search(caption.text):
            continue  # «(адрес места жительства)» under it: someone's home
        body = text[label.end() :] if label else text
        offset = label.end() if label else 0
        postal = _POSTAL.search(body)
        street = _STREET.search(body)
        city = _CITY.search(body)
        address = bool(postal and (street or city)) or bool(street and _HOUSE.search(body[street.end() :]))
        if label:
            address = address or bool(city and _HOUSE.search(body))
            if not address and postal and after is not None and body.rstrip().endswith(","):
                # «Место нахождения: 623376 Российская Федерация,» + «область, г. Полевской, ...»: wrapped.
                address = bool(_STREET.search(after.text) or _CITY.search(after.text))
        if not address:
            continue
        score = 10.0 + zones.score(line, 1.0, 1.0) if label or captioned else zones.score(line, 4.0, 3.0)
        if not (label or captioned) and line.index in letterhead:
            score = 4.0
        if score < 3:
            continue
        # The address runs from its first token to the end of the line, minus phones and e-mails.
        first = min(m.start() for m in (postal, street, city) if m is not None)
        start = offset + first
        while start > 0 and not text[start - 1].isspace() and text[start - 1] not in ",;:":
            start -= 1  # to the start of the word: "Max-Näder-Str."
        if label is None:
            # Back up to the start of the address: the region or city before the first token.
            head = re.split(r"[;«»]|\s{3,}", text[:start])[-1]
            if re.search(r"\d|обл|област|облысы|республик|қазақстан|kazakhstan|г\.|қ\.", head, re.I):
                start -= len(head)
        tail = re.split(r"\s*(?:тел\.|тел:|телефон|факс|e-mail|email|БИН|БСН|ИИН|www\.)", text[start:], flags=re.I)[0]
        end = start + len(tail.rstrip(" ,.;:"))
        while start < end and text[start] in " :,.-–":
            start += 1
        value = text[start:end]
        following = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].page == line.page else None
        if following is not None and text.rstrip().endswith(",") and end >= len(text.rstrip(" ,")):
            # "адрес: 050057, г. Алматы," + "Бостандыкский район, пр. Абая, д. 150/230, в лице ...": wrapped.
            more = re.split(r",?\s*(?:в\s+лице|именуем|БИН|БСН|ИИН|тел\.|тел:|e-mail|\()", following.text)[0]
            if _STREET.search(more) or _CITY.search(more):
                value = f"{value}, {more.strip(' ,.;')}"
        out.append(_Candidate("issuer_address", value, line, start, end, score))
    return out


# --------------------------------------------------------------------------- signature and seal

_EDS_FOOTNOTE = _re(
    r"равнозначен\w*\s+документу\s+на\s+бумажном\s+носителе",
    r"қағаз\s+(?:тасығыштағы|жеткізгіштегі)\s+құжатпен\s+(?:бірдей|тең)",
    r"подписан\w*\s+(?:с\s+(?:помощью|использованием)\s+)?(?:ЭЦП|электронн\w+\s+цифров\w+\s+подпись)",
    r"удостоверен\w*\s+(?:ЭЦП|электронн\w+\s+цифров\w+\s+подписью)",
    r"ЭЦҚ\s+(?:қол\s+қойылған|арқылы\s+қол)",
    r"электрондық\s+цифрлық\s+қолтаңба\w*\s+(?:қол\s+қойылған|куәландырылған)",
    r"signed\s+with\s+(?:an?\s+|the\s+)?(?:EDS|electronic\s+digital\s+signature)",
    r"штрих-код\w*\s+(?:содержит|қамтиды)",
    r"равнозначен\w*\s+документу",
    r"электронный\s+документ\s+сформирован",
    r"документ\s+подписан\s+(?:ЭЦП|электронн\w+\s+(?:цифров\w+\s+)?подпись)",
    r"подписан\w*\s+электронн\w+\s+подписью",
)
_SIGNATURE_WORD = _re(
    r"\(?подпись\)?",
    r"\bподписи\b",
    r"\(?қолы\)?",
    r"қолтаңба\w*",
    r"руководител\w*",
    r"генеральный\s+директор",
    r"\bдиректор\w*",
    r"главный\s+врач",
    r"бас\s+дәрігер\w*",
    r"главн\w+\s+бухгалтер",
    r"бас\s+бухгалтер",
    r"\bректор\w*",
    r"проректор\w*",
    r"\bдекан\w*",
    r"заведующ\w*",
    r"меңгеруші\w*",
    r"начальник\w*",
    r"\bаким\b",
    r"\bәкім(?:і|нің)?\b",
    r"секретар\w*",
    r"хатшы\w*",
    r"заместител\w*",
    r"орынбасар\w*",
    r"председател\w*",
    r"төраға\w*",
    r"\bбасшы\w*",
    r"\bврач\w*",
    r"дәрігер\w*",
    r"инспектор\w*",
    r"специалист\w*\s+(?:по\s+)?(?:кадр|отдела)",
    r"нотариус\w*",
    r"\bарендодатель\b",
    r"\bарендатор\b",
    r"жалға\s+(?:беруші|алушы)",
    r"\bработодатель\b",
    r"жұмыс\s+беруші",
    r"\bsignature\b",
    r"\bsigned\b",
    r"\bdirector\b",
    r"\brector\b",
    r"\bCEO\b",
    r"managing\s+director",
    r"head\s+of",
    r"\blandlord\b",
    r"\btenant\b",
    r"уполномоченн\w+\s+лиц",
    r"ответственн\w+\s+лиц",
    r"\bисполнитель\b",
    r"участник\w*",
    r"учредител\w*",
    r"қатысушы\w*",
    r"құрылтайшы\w*",
)
_CLOSING = re.compile(r"^\s*(?:с\s+уважением|құрметпен|ізгі\s+ниетпен|sincerely|respectfully|regards)[,.]?\s*", re.I)
"""A letter's closing formula before the signatory's position: «С уважением, Генеральный директор»."""
_SIGNED_NAME = re.compile(
    r"_{3,}\s*(?:/\s*)?[A-ZА-ЯЁӘҚҒҰҮӨІ]\.\s?(?:[A-ZА-ЯЁӘҚҒҰҮӨІ]\.\s?)?[A-ZА-ЯЁӘҚҒҰҮӨІ][a-zа-яёәіңғүұқөһ]+"
)
_SIGNATURE_MARK = re.compile(
    r"_{3,}|/\s*[А-ЯЁA-Z][а-яёa-z]+|\(подпись\)|\(қолы\)|[А-ЯЁӘA-Z]\.\s?[А-ЯЁӘA-Z]\.\s?[А-ЯЁӘA-Z][а-яёәa-z]+|[А-ЯЁӘA-Z][а-яёәa-z]+\s[А-ЯЁӘA-Z]\.\s?[А-ЯЁӘA-Z]\."
)
_NOT_SIGNATURE = _re(
    r"^\s*\d+(?:\.\d+)*\.\s",  # a numbered clause of the body, not a signature line
    r"қол\s+қоя",
    r"подписыва",
    r"подписан\w*\s+(?:сторонами|в\s+двух|в\s+\w+\s+экземпляр)",
    r"закон",
    r"заңы",
    r"цифровой\s+подписи",
    r"цифрлық\s+қолтаңба\s+туралы",
    r"назначается",
    r"избирается",
    r"вправе",
    r"обязан",
    r"тағайындалады",
)
_SEAL = re.compile(
    r"(?<![\w.])(?:М\.\s?П\.?|М\.\s?О\.?|МП|МО)(?![\w])|\bмөр\w*|\bпечат[ьи]\b|\bseal\b|\bL\.\s?S\.|\bстамп",
    re.IGNORECASE,
)
_NOT_SEAL = _re(r"имеет\s+печать", r"вправе", r"мөрі\s+бар", r"печатн\w+\s+издани", r"распечат")


def _closes(lines: Sequence[_Line], n: int) -> bool:
    """Whether line `n` opens with a letter's closing formula or follows one on the line before it."""
    return bool(_CLOSING.match(lines[n].text)) or (
        n > 0 and lines[n - 1].page == lines[n].page and bool(_CLOSING.match(lines[n - 1].text))
    )


def _signature_candidates(lines: Sequence[_Line], zones: _Zones) -> tuple[list[_Candidate], list[_Candidate]]:
    signatures: list[_Candidate] = []
    seals: list[_Candidate] = []
    for n, line in enumerate(lines):
        text = line.text
        if line.index in zones.footnote:
            footnote = _EDS_FOOTNOTE.search(text)
            if footnote:
                signatures.append(_Candidate("signature", text.strip(), line, footnote.start(), footnote.end(), 9.0))
                continue
        if line.index not in zones.signature:
            continue
        short = len(text.split()) <= 12
        if not _NOT_SIGNATURE.search(text):
            word = _SIGNATURE_WORD.search(text)
            marked = bool(_SIGNATURE_MARK.search(text))
            # A position without a mark only where it opens a short line ("Директор" above "____ Ф.И.О.").
            lead = _CLOSING.sub("", text[: word.start()]) if word is not None else ""
            opens = word is not None and not re.search(r"[a-zа-яёәғқңөұүһі]", lead) and short
            if opens and not marked and line.source == "text-layer" and not _closes(lines, n):
                # A born-digital page prints its signatory's title where a pen or an EDS signs: a title alone
                # (a details card's «Генеральный директор К. Ибраева», real doc 16) is no signature; after a
                # letter's closing formula it is the letter's signature block.
                opens = False
            if word and (marked or opens):
                score = 10.0 if _SIGNATURE_MARK.search(text) else 7.0
                signatures.append(_Candidate("signature", text.strip(), line, word.start(), word.end(), score))
            elif named := _SIGNED_NAME.search(text):
                # "______ Е. М. Тулегенов": a signature line whose position is written on the line above.
                signatures.append(_Candidate("signature", text.strip(), line, named.start(), named.end(), 8.0))
        seal = _SEAL.search(text)
        if seal and short and not _NOT_SEAL.search(text):
            seals.append(_Candidate("seal", seal.group(0), line, seal.start(), seal.end(), 10.0))
    return signatures, seals


# --------------------------------------------------------------------------- choosing


def _best(candidates: Iterable[_Candidate]) -> _Candidate | None:
    """The best candidate: a confident one before a doubtful one, then the highest score, then the first."""
    ranked = sorted(
        candidates,
        key=lambda c: (c.confidence() < LOW_CONFIDENCE, -c.score, c.line.index, c.start),
    )
    return ranked[0] if ranked else None


def _detail(c: _Candidate) -> Detail:
    return Detail(
        kind=c.kind,
        value=c.value,
        page=c.line.page,
        box=_span_box(c.line, c.start, c.end),
        confidence=c.confidence(),
        source=c.line.source,
    )


_LEASE = _re(
    r"договор\w*\s+(?:имущественного\s+)?(?:найма|аренды|субаренды|доверительного\s+управления)",
    r"жалға\s+(?:беру|алу)\s+шарт",
    r"мүліктік\s+жалдау",
    r"сенімгерлік\s+басқару\w*\s+шарт",
    r"lease\s+(?:agreement|contract)",
    r"tenancy\s+agreement",
)


def is_lease(pages: Sequence[PageText]) -> bool:
    """Whether the text is a lease or trust-management contract, whose term is a required detail."""
    head = " ".join(ln.text for ln in _lines(pages)[:HEADER_LINES])
    return bool(_LEASE.search(head))


MARK_SCORE = 0.5
"""A detector's mark counts as a seal or signature from this score (0..1) on; below, it is not taken."""
EDS_STAMP_VALUE = "visual EDS stamp"
"""How a signature detail that is a visual EDS stamp (`MarkKind.EDS_STAMP`) begins its value."""


def _mark_details(pages: Sequence[PageText]) -> dict[str, Detail]:
    """The best seal and the best signature the page detectors saw (`PageText.marks`), if any.

    A mark is a fact about the page image; its score becomes the detail's confidence (0-100), so a
    doubtful mark is reported as read with low confidence, not as a certainty.
    """
    best: dict[str, tuple[float, int, Mark]] = {}
    for page in pages:
        for mark in page.marks:
            # a visual EDS stamp is a signature mark of its own kind; whether it stands in for the signature
            # is judged in `intake.judgements.on_details`
            kind = "signature" if mark.kind is MarkKind.EDS_STAMP else mark.kind.value
            good = kind in ("seal", "signature") and mark.score >= MARK_SCORE
            if good and (kind not in best or mark.score > best[kind][0]):
                best[kind] = (mark.score, page.number, mark)
    out: dict[str, Detail] = {}
    for kind, (score, number, mark) in best.items():
        what = " ".join(x for x in (mark.colour, mark.shape) if x)
        value = f"{kind} seen on the page{f' ({what})' if what else ''}"
        if mark.kind is MarkKind.EDS_STAMP:
            value = f"{EDS_STAMP_VALUE}: «{mark.text or ''}»"
        out[kind] = Detail(
            kind=kind,
            value=value,
            page=number,
            box=mark.box,
            confidence=round(100.0 * score, 1),
            source="image",
        )
    return out


def _fillin_details(pages: Sequence[PageText]) -> dict[str, Detail]:
    """The first date and number read from a handwritten fill-in of a printed blank (`PageText.fillins`).

    Its confidence is the lowest OCR word confidence of the entry, so a doubtful reading stays doubtful
    (DET009, review); a fill-in without a value (unread or refused) gives no detail.
    """
    out: dict[str, Detail] = {}
    for page in pages:
        for f in page.fillins:
            if f.value is not None and f.kind not in out:
                out[f.kind] = Detail(
                    kind=f.kind, value=f.value, page=page.number, box=f.ink or f.box, confidence=f.confidence,
                    source="handwriting",
                )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class ZoneReading:
    """How well the zone where a detail lives was read: the facts a judgement of absence needs."""

    zone: Literal["header", "signature"]
    page: int | None
    source: Literal["text-layer", "ocr", "none"]
    words: int
    confidence: float | None
    """Median word confidence over the zone (100 for a text layer); None when it has no words."""
    low: int
    """Words of the zone read below `LOW_CONFIDENCE`: each may be the detail, misread."""
    handwriting: bool
    """A detector saw handwriting on that page: a field may be filled in by hand."""


ZONE_OF: dict[str, Literal["header", "signature"]] = {
    "issuer_name": "header",
    "issuer_address": "header",
    "date": "header",
    "number": "header",
    "series": "header",
    "validity": "signature",
    "signature": "signature",
    "seal": "signature",
}
"""Where each detail lives (kz-documents.md §5): the number on page 1, the signature and validity last."""


def zone_reading(
    pages: Sequence[PageText], kind: str, *, zone: Literal["header", "signature"] | None = None
) -> ZoneReading:
    """How the zone of `kind` (or the `zone` named) was read: its page, source, words, median confidence,
    handwriting seen."""
    zone = zone or ZONE_OF[kind]
    lines = _lines(pages)
    zones = _zones(lines)
    indexes = zones.header if zone == "header" else zones.signature
    chosen = [ln for ln in lines if ln.index in indexes]
    page_no = chosen[0].page if chosen else None
    page = next((p for p in pages if p.number == page_no), None)
    if page is None:
        read = [p for p in pages if p.source != "none"]
        page = (read[0] if zone == "header" else read[-1]) if read else None
    words = [w for ln in chosen for w in ln.words] if chosen else []
    confs = sorted(w.conf for w in words)
    if chosen and not words:
        confidence: float | None = 100.0 if page is not None and page.source == "text-layer" else None
    else:
        confidence = confs[len(confs) // 2] if confs else None
    return ZoneReading(
        zone=zone,
        page=page.number if page is not None else None,
        source=page.source if page is not None else "none",
        words=len(words) or sum(len(ln.text.split()) for ln in chosen),
        confidence=confidence,
        low=sum(1 for c in confs if c < LOW_CONFIDENCE),
        handwriting=page is not None
        and (any(m.kind is MarkKind.HANDWRITING for m in page.marks) or any(f.value is None for f in page.fillins)),
    )


def extract(pages: Sequence[PageText], *, document_type: str | None) -> tuple[Detail, ...]:
    """The required details (27.5) found in a document's pages, at most one per kind, in `KINDS` order.

    Extraction takes no signature input: whether a verified EDS of the file stands in for the
    signature is a judgement (`intake.judgements.on_details`), not a fact about the pages.

    Args:
        pages: The document's pages with their text, word boxes and the marks the page detectors saw.
        document_type: The catalog id of the document type, if identified. Extraction is the same for
            every type today; the argument lets a type-specific reader be added without changing callers.

    Returns:
        The details found, each with its page, box, confidence and source.
    """
    del document_type  # one reader for every type, see the docstring
    lines = _lines(pages)
    zones = _zones(lines)
    numbers, series = _number_candidates(lines, zones)
    captioned = _captioned_numbers(lines, zones)
    signatures, seals = _signature_candidates(lines, zones)
    candidates: dict[str, _Candidate | None] = {
        "issuer_name": _best(_issuer_candidates(lines, zones)),
        "issuer_address": _best(_address_candidates(lines, zones)),
        "date": _date_of_issue(lines, zones),
        "number": _best(numbers + captioned),
        "series": None,
        "validity": _best(_validity_candidates(lines, zones)),
        "signature": _best(signatures),
        "seal": _best(seals),
    }
    number = candidates["number"]
    if number is not None:
        # A series belongs to the number chosen: the one on the same line, or a labelled series.
        # A number over its caption «регистрационный номер» is not the blank's: the blank's «серия ... № ...»
        # is then the only series printed, the document's.
        same = [s for s in series if s.line is number.line]
        labelled = [s for s in series if s.score < 12]
        candidates["series"] = _best(same or labelled or (series if number in captioned else []))
    marks = _mark_details(pages)
    hand = _fillin_details(pages)
    out: list[Detail] = []
    for kind in KINDS:
        c = candidates[kind]
        # a handwritten fill-in of a printed blank is taken only where nothing printed was found
        text_detail = _detail(c) if c is not None else hand.get(kind)
        mark = marks.get(kind)
        # What the detectors saw on the image beats a printed cue («М.П.», a signatory's title): the cue
        # says where a seal or signature belongs, the mark that one is there.
        weak = c is None or c.score < 10 or _detail(c).confidence < LOW_CONFIDENCE
        if mark is not None and weak:
            out.append(mark)
        elif text_detail is not None:
            out.append(text_detail)
        elif mark is not None:
            out.append(mark)
    return tuple(out)
