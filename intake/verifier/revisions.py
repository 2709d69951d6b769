"""What the revisions after a PDF signature changed, read from the bytes (the second opinion).

pyHanko's diff policy is the first opinion (`intake.verifier.pdf`); it raises on some manipulated
files (an xref entry pointing at another object) and so decides nothing exactly where an attacker
works. This module reads each revision's cross-reference section or stream and trailer itself, tolerant
of garbage, and compares the signed revision (the prefix the /ByteRange covers) with the final one:

- the objects later revisions add, redefine or free;
- what the signed revision's pages reference (content streams, resources with their XObjects, fonts and
  optional content, annotations and their appearance streams, AcroForm fields), each object labelled
  with the first path that reaches it, so a message names the page and the object;
- xref entries of later revisions whose offset holds an object with another number, entries that point
  back into the signed bytes (an object body hidden there before signing, "hide-and-replace"), objects
  the signed revision referenced but defined only later, and signature dictionaries with two /ByteRange.

Each change is classified as pyHanko does (validation data, form filling, annotations, other) and
compared with what the DocMDP level permits. Shadow attacks: Mainka, Mladenov, Rohlmann, Schwenk,
"Shadow Attacks: Hiding and Replacing Content in Signed PDFs" (NDSS 2021).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final, NamedTuple, Protocol

MAX_DEPTH: Final = 64
MAX_SECTIONS: Final = 512
MAX_OBJECTS: Final = 200_000
MAX_INFLATE: Final = 64 * 1024 * 1024
LEVELS: Final = ("none", "timestamps/dss", "form filling", "annotations", "other")

WHITESPACE: Final = b" \t\r\n\f\x00"
DELIMITERS: Final = b"()<>[]{}/%"
_TOKEN_END = re.compile(rb"[\s\x00()<>\[\]{}/%]")
_NUMBER = re.compile(rb"[+-]?(\d+\.?\d*|\.\d+)")
_OBJ_HEADER = re.compile(rb"\s*(\d{1,10})\s+(\d{1,5})\s+obj\b")
_STARTXREF = re.compile(rb"startxref\s*(\d{1,12})")
_XREF_ENTRY = re.compile(rb"(\d{1,10})[ \t]+(\d{1,5})[ \t]+([nf])")
_REF_TAIL = re.compile(rb"\s+(\d{1,5})\s+R(?![^\s\x00()<>\[\]{}/%])")
_BLANK = re.compile(rb"(?:[ \t\r\n\f\x00]+|%[^\r\n]*)+")
_STRING_SPECIAL = re.compile(rb"[()\\]")
_OBJECT_IN_TAIL = re.compile(rb"(?<![0-9])\d{1,10}\s+\d{1,5}\s+obj\b")
_SUBSECTION = re.compile(rb"(\d{1,10})[ \t]+(\d{1,10})[ \t]*[\r\n]")


class Violate(Protocol):
    """Reports a change that is not permitted (with the page it touches, if any)."""

    def __call__(self, message: str, page: int | None = None) -> None:
        """Record `message`."""


class Malformed(ValueError):
    """The bytes do not hold what a PDF structure needs at that place."""


class Ref(NamedTuple):
    """An indirect reference `num gen R`."""

    num: int
    gen: int


class Name(str):
    """A PDF name, with its slash (`/Type`)."""

    __slots__ = ()


@dataclass(frozen=True)
class Stream:
    """A stream object: its dictionary and its raw (still encoded) bytes."""

    dict: dict[str, object]
    raw: bytes


@dataclass(frozen=True)
class Entry:
    """One cross-reference entry: kind 0 free, 1 at a byte offset (`a`), 2 inside object stream `a` at index `b`."""

    kind: int
    a: int
    b: int


@dataclass
class Section:
    """One cross-reference section (table or stream) and its trailer."""

    offset: int
    entries: dict[int, Entry]
    trailer: dict[str, object]


# --------------------------------------------------------------------------- lexing and objects


def _skip(data: bytes, pos: int) -> int:
    """The position after whitespace and comments (one regex match: no loop over bytes in Python)."""
    m = _BLANK.match(data, pos)
    return m.end() if m else pos


def _literal_string(data: bytes, pos: int) -> tuple[bytes, int]:
    """A (literal string) with balanced parentheses, escapes kept as written (enough to compare values)."""
    depth = 0
    start = at = pos + 1
    while True:
        m = _STRING_SPECIAL.search(data, at)
        if m is None:
            raise Malformed("unterminated string")
        i = m.start()
        c = data[i]
        if c == 0x5C:  # backslash: the next byte is escaped
            at = i + 2
            continue
        if c == 0x28:
            depth += 1
        elif depth == 0:
            return bytes(data[start:i]), i + 1
        else:
            depth -= 1
        at = i + 1


def parse_value(data: bytes, pos: int, depth: int = 0) -> tuple[object, int]:
    """One PDF value at `pos` (references folded), and the position after it.

    Raises:
        Malformed: No value can be read there.
    """
    if depth > MAX_DEPTH:
        raise Malformed("nesting too deep")
    pos = _skip(data, pos)
    if pos >= len(data):
        raise Malformed("unexpected end of data")
    c = data[pos]
    if c == 0x2F:  # /Name
        m = _TOKEN_END.search(data, pos + 1)
        end = m.start() if m else len(data)
        return Name(data[pos:end].decode("latin-1")), end
    if c == 0x3C:
        if data[pos + 1 : pos + 2] == b"<":
            out: dict[str, object] = {}
            pos += 2
            while True:
                pos = _skip(data, pos)
                if data[pos : pos + 2] == b">>":
                    return out, pos + 2
                key, pos = parse_value(data, pos, depth + 1)
                if not isinstance(key, Name):
                    raise Malformed(f"a dictionary key is not a name at {pos}")
                value, pos = parse_value(data, pos, depth + 1)
                out[key] = value
        end = data.find(b">", pos)
        if end < 0:
            raise Malformed("unterminated hex string")
        return bytes(data[pos : end + 1]), end + 1
    if c == 0x5B:
        items: list[object] = []
        pos += 1
        while True:
            pos = _skip(data, pos)
            if data[pos : pos + 1] == b"]":
                return items, pos + 1
            if pos >= len(data):
                raise Malformed("unterminated array")
            item, pos = parse_value(data, pos, depth + 1)
            items.append(item)
    if c == 0x28:
        return _literal_string(data, pos)
    m = _NUMBER.match(data, pos)
    if m:
        text = m.group()
        after = m.end()
        if b"." not in text:
            ref = _REF_TAIL.match(data, after)
            if ref:
                return Ref(int(text), int(ref.group(1))), ref.end()
            return int(text), after
        return float(text), after
    m = _TOKEN_END.search(data, pos)
    end = m.start() if m else len(data)
    word = data[pos:end]
    if word == b"true":
        return True, end
    if word == b"false":
        return False, end
    if word == b"null":
        return None, end
    raise Malformed(f"unexpected {word[:20]!r} at {pos}")


def parse_object_at(data: bytes, offset: int, lengths: dict[int, int] | None = None) -> tuple[int, object]:
    """The indirect object `N G obj ... endobj` at `offset`: its number and value (a stream keeps its raw bytes).

    Raises:
        Malformed: No object starts there.
    """
    m = _OBJ_HEADER.match(data, offset)
    if not m:
        raise Malformed(f"no object at offset {offset}")
    value, pos = parse_value(data, m.end())
    if isinstance(value, dict):
        p = _skip(data, pos)
        if data.startswith(b"stream", p):
            p += 6
            if data[p : p + 2] == b"\r\n":
                p += 2
            elif data[p : p + 1] in (b"\n", b"\r"):
                p += 1
            length = value.get("/Length")
            if isinstance(length, Ref):
                length = (lengths or {}).get(length.num)
            end = p + length if isinstance(length, int) and length >= 0 else -1
            if end < 0 or end > len(data) or data.find(b"endstream", end, end + 32) < 0:
                end = data.find(b"endstream", p)  # a wrong /Length: the keyword ends the stream
                if end < 0:
                    raise Malformed(f"unterminated stream at {offset}")
                while end > p and data[end - 1] in b"\r\n":
                    end -= 1
            value = Stream(value, bytes(data[p:end]))
    return int(m.group(1)), value


def decode_stream(stream: Stream) -> bytes:
    """The decoded bytes of a FlateDecode (or unfiltered) stream, PNG and TIFF predictors included.

    Raises:
        Malformed: Another filter, or data that does not decode.
    """
    filters = stream.dict.get("/Filter")
    params = stream.dict.get("/DecodeParms")
    if isinstance(filters, list):
        if len(filters) > 1:
            raise Malformed("chained filters")
        filters = filters[0] if filters else None
        params = params[0] if isinstance(params, list) and params else params
    data = stream.raw
    if filters is None:
        return data
    if filters not in ("/FlateDecode", "/Fl"):
        raise Malformed(f"filter {filters} not supported here")
    try:
        d = zlib.decompressobj()
        data = d.decompress(data, MAX_INFLATE)
    except zlib.error as exc:
        raise Malformed(f"deflate: {exc}") from exc
    if not isinstance(params, dict):
        return data
    predictor = params.get("/Predictor", 1)
    if not isinstance(predictor, int) or predictor < 10:
        return data
    columns = params.get("/Columns", 1)
    if not isinstance(columns, int) or not 0 < columns < 1 << 16:
        raise Malformed("bad /Columns")
    return _unpredict(data, columns)


def _unpredict(data: bytes, columns: int) -> bytes:
    row = columns + 1
    prev = bytearray(columns)
    out = bytearray()
    for start in range(0, len(data) - row + 1, row):
        kind, line = data[start], bytearray(data[start + 1 : start + row])
        if kind == 1:
            for i in range(1, columns):
                line[i] = (line[i] + line[i - 1]) & 0xFF
        elif kind == 2:
            import numpy as np  # only here: a PDF without PNG "up" rows never loads numpy

            line = bytearray((np.frombuffer(line, np.uint8) + np.frombuffer(prev, np.uint8)).tobytes())
        elif kind in (3, 4):
            for i in range(columns):
                left = line[i - 1] if i else 0
                up = prev[i]
                if kind == 3:
                    line[i] = (line[i] + (left + up) // 2) & 0xFF
                else:
                    ul = prev[i - 1] if i else 0
                    p = left + up - ul
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                    pred = left if pa <= pb and pa <= pc else up if pb <= pc else ul
                    line[i] = (line[i] + pred) & 0xFF
        elif kind != 0:
            raise Malformed(f"PNG predictor {kind}")
        out += line
        prev = line
    return bytes(out)


# --------------------------------------------------------------------------- cross-reference sections


def find_startxref(data: bytes, end: int) -> int:
    """The offset the last `startxref` before `end` names.

    Raises:
        Malformed: There is none.
    """
    at = data.rfind(b"startxref", 0, end)
    m = _STARTXREF.match(data, at) if at >= 0 else None
    if not m:
        raise Malformed("no startxref")
    return int(m.group(1))


def read_section(data: bytes, offset: int) -> Section:
    """The cross-reference table or stream at `offset` (whitespace before it tolerated) and its trailer.

    Raises:
        Malformed: Neither is there.
    """
    if not 0 <= offset < len(data):
        raise Malformed(f"startxref {offset} points outside the file")
    pos = _skip(data, offset)
    if data.startswith(b"xref", pos):
        return _read_table(data, offset, pos + 4)
    num, value = parse_object_at(data, pos)
    if not isinstance(value, Stream) or value.dict.get("/Type") != "/XRef":
        raise Malformed(f"offset {offset} holds object {num}, not a cross-reference section")
    return Section(offset, _stream_entries(value), value.dict)


def _read_table(data: bytes, offset: int, pos: int) -> Section:
    entries: dict[int, Entry] = {}
    while True:
        pos = _skip(data, pos)
        if data.startswith(b"trailer", pos):
            trailer, _ = parse_value(data, pos + 7)
            if not isinstance(trailer, dict):
                raise Malformed("trailer is not a dictionary")
            section = Section(offset, entries, trailer)
            stm = trailer.get("/XRefStm")  # hybrid file: the stream's entries come first
            if isinstance(stm, int) and 0 <= stm < len(data):
                try:
                    extra = read_section(data, stm).entries
                    section.entries = {**extra, **entries}
                except Malformed:
                    pass
            return section
        m = _SUBSECTION.match(data, pos)
        if not m:
            raise Malformed(f"bad cross-reference subsection at {pos}")
        first, count = int(m.group(1)), int(m.group(2))
        if count > MAX_OBJECTS:
            raise Malformed("too many cross-reference entries")
        pos = m.end()
        for i in range(count):
            pos = _skip(data, pos)
            e = _XREF_ENTRY.match(data, pos)
            if not e:
                raise Malformed(f"bad cross-reference entry at {pos}")
            pos = e.end()
            a, gen = int(e.group(1)), int(e.group(2))
            entries[first + i] = Entry(1, a, gen) if e.group(3) == b"n" else Entry(0, a, gen)


def _stream_entries(stream: Stream) -> dict[int, Entry]:
    widths = stream.dict.get("/W")
    if not (isinstance(widths, list) and len(widths) == 3 and all(isinstance(w, int) and 0 <= w <= 8 for w in widths)):
        raise Malformed("bad /W in a cross-reference stream")
    w0, w1, w2 = (int(w) for w in widths)
    size = stream.dict.get("/Size")
    index = stream.dict.get("/Index", [0, size])
    if not (isinstance(index, list) and len(index) % 2 == 0 and all(isinstance(v, int) for v in index)):
        raise Malformed("bad /Index in a cross-reference stream")
    body = decode_stream(stream)
    row = w0 + w1 + w2
    if row == 0:
        raise Malformed("empty /W")
    entries: dict[int, Entry] = {}
    pos = 0
    for first, count in zip(index[::2], index[1::2], strict=True):
        if not 0 <= count <= MAX_OBJECTS:
            raise Malformed("bad /Index count")
        for i in range(count):
            if pos + row > len(body):
                return entries
            rec = body[pos : pos + row]
            pos += row
            kind = int.from_bytes(rec[:w0], "big") if w0 else 1
            a = int.from_bytes(rec[w0 : w0 + w1], "big")
            b = int.from_bytes(rec[w0 + w1 :], "big")
            if kind in (0, 1, 2):
                entries[first + i] = Entry(kind, a, b)
    return entries


def read_chain(data: bytes, end: int) -> list[Section]:
    """The cross-reference sections of the file `data[:end]`, newest first, following /Prev.

    Raises:
        Malformed: The newest section cannot be read (an older one that cannot is dropped with a note).
    """
    sections: list[Section] = []
    seen: set[int] = set()
    offset: object = find_startxref(data, end)
    view = data[:end]
    while isinstance(offset, int) and offset not in seen and len(sections) < MAX_SECTIONS:
        seen.add(offset)
        sections.append(read_section(view, offset))
        offset = sections[-1].trailer.get("/Prev")
    return sections


# --------------------------------------------------------------------------- one revision's objects


class Revision:
    """The objects of one revision of the file, resolved through its cross-reference chain."""

    def __init__(self, data: bytes, sections: list[Section]) -> None:
        self.data = data
        self.sections = sections
        self.table: dict[int, Entry] = {}
        for s in reversed(sections):
            self.table.update(s.entries)
        self.trailer: dict[str, object] = {}
        for s in reversed(sections):
            self.trailer.update(s.trailer)
        self._cache: dict[int, object] = {}
        self._objstm: dict[int, tuple[bytes, list[int]]] = {}
        self._chains: dict[int, list[Section]] = {}

    def chain(self, end: int) -> list[Section]:
        """`read_chain(self.data, end)`, read once per `end` (several signatures share a file).

        Raises:
            Malformed: See `read_chain`.
        """
        if end not in self._chains:
            self._chains[end] = read_chain(self.data, end)
        return self._chains[end]

    def in_use(self, num: int) -> bool:
        """Whether object `num` is defined (not free, not missing)."""
        e = self.table.get(num)
        return e is not None and e.kind != 0

    def get(self, num: int) -> object:
        """Object `num` (None when free or missing).

        Raises:
            Malformed: Its entry points at something that is not that object.
        """
        if num in self._cache:
            return self._cache[num]
        e = self.table.get(num)
        value: object = None
        if e is None or e.kind == 0:
            value = None
        elif e.kind == 1:
            found, value = parse_object_at(self.data, e.a, self._lengths())
            if found != num:
                raise Malformed(f"the cross-reference entry of object {num} points at object {found} (offset {e.a})")
        else:
            value = self._from_objstm(num, e)
        self._cache[num] = value
        return value

    def resolve(self, value: object) -> object:
        """A value with one level of reference followed (a reference to a broken object is None)."""
        if isinstance(value, Ref):
            try:
                return self.get(value.num)
            except Malformed:
                return None
        return value

    def _lengths(self) -> dict[int, int]:
        # /Length given by reference: read the number lazily, once per object asked for.
        return _LazyLengths(self)

    def _from_objstm(self, num: int, e: Entry) -> object:
        if e.a == num:
            raise Malformed(f"object stream {num} contains itself")
        if e.a not in self._objstm:
            stm = self.get(e.a)
            if not isinstance(stm, Stream):
                raise Malformed(f"object {num} lies in object {e.a}, which is no object stream")
            body = decode_stream(stm)
            n, first = stm.dict.get("/N"), stm.dict.get("/First")
            if not (isinstance(n, int) and isinstance(first, int) and 0 <= n <= MAX_OBJECTS and first >= 0):
                raise Malformed(f"object stream {e.a} has a bad /N or /First")
            header = body[:first].split()
            pairs = [int(x) for x in header[: 2 * n] if x.isdigit()]
            self._objstm[e.a] = (body[first:], pairs)
        body, pairs = self._objstm[e.a]
        for i in range(0, len(pairs) - 1, 2):
            if pairs[i] == num:
                return parse_value(body, pairs[i + 1])[0]
        raise Malformed(f"object {num} is not in object stream {e.a}")


class _LazyLengths(dict[int, int]):
    def __init__(self, revision: Revision) -> None:
        super().__init__()
        self.revision = revision

    def get(self, key: int, default: object = None) -> object:  # type: ignore[override]
        e = self.revision.table.get(key)
        if e is None or e.kind != 1:
            return default
        try:
            found, value = parse_object_at(self.revision.data, e.a)
        except Malformed:
            return default
        return value if found == key and isinstance(value, int) else default


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True)
class Role:
    """What an object of the signed revision is, and the path that first reached it (for messages)."""

    kind: str  # catalog, pages, page, annots, annotation, field, fields, acroform, appearance, dss, info, content
    label: str
    page: int | None = None


@dataclass
class Analysis:
    """What the later revisions changed, as the bytes say."""

    level: str | None = None
    revisions_after: int = 0
    added: tuple[int, ...] = ()
    redefined: tuple[int, ...] = ()
    freed: tuple[int, ...] = ()
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: tuple[int, ...] = ()  # pages (1-based) touched by a violation
    error: str | None = None  # the analysis could not decide, and why

    @property
    def suspicious(self) -> bool | None:
        """True when a change is not permitted, None when undecided."""
        if self.error is not None:
            return None
        return bool(self.violations)


_CATALOG_ALLOWED: Final = {"/AcroForm": "form filling", "/DSS": "timestamps/dss", "/Metadata": "timestamps/dss"}
_CATALOG_ALLOWED_NOTE: Final = {"/Extensions", "/Version"}
_ACROFORM_ALLOWED: Final = {"/Fields", "/SigFlags", "/NeedAppearances", "/DA", "/DR"}
_FIELD_FILL: Final = {"/V", "/AS", "/AP", "/M", "/MK"}


def permitted_level(docmdp: int | None) -> str:
    """The highest change a DocMDP level permits; without one, form filling (new signatures, filled fields).

    An approval signature carries no DocMDP; the standard then restricts nothing, but a gate that
    accepts annotations drawn over a signed page accepts the overlay shadow attack, so annotations
    count only where a certification signature permits them (P=3).
    """
    return {1: "timestamps/dss", 2: "form filling", 3: "annotations"}.get(docmdp or 0, "form filling")


def analyse(data: bytes, signed_end: int, docmdp: int | None = None, final: Revision | None = None) -> Analysis:
    """Compare the revision ending at `signed_end` (the signed bytes) with the whole file.

    `final` is the whole file already opened (`open_file(data)`), to read its sections once.
    Never raises: what cannot be read makes `error` say why (undecided), never a pass.
    """
    try:
        return _analyse(data, signed_end, docmdp, final if final is not None and final.data is data else None)
    except (Malformed, RecursionError, MemoryError, ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        return Analysis(error=f"{type(exc).__name__}: {exc}")


def _analyse(data: bytes, signed_end: int, docmdp: int | None, final: Revision | None) -> Analysis:
    if not 0 < signed_end <= len(data):
        raise Malformed(f"the signed bytes end at {signed_end}, outside the file")
    try:
        signed_chain = final.chain(signed_end) if final is not None else read_chain(data, signed_end)
    except Malformed as exc:
        raise Malformed(f"the signed revision's cross-reference section cannot be read: {exc}") from exc
    tail = data[signed_end:]
    if b"startxref" not in tail and b"xref" not in tail and b"obj" not in tail:
        out = Analysis(level="none")
        if tail.strip(WHITESPACE):
            out.notes.append(f"{len(tail)} bytes of garbage after the signed bytes, no revision in them")
        return out
    final_chain = final.sections if final is not None else read_chain(data, len(data))
    anchor = signed_chain[0].offset
    later: list[Section] = []
    for s in final_chain:
        if s.offset == anchor:
            break
        later.append(s)
    else:
        return Analysis(
            level="other",
            revisions_after=len(later),
            violations=["the later revisions do not lead back to the signed revision's cross-reference section"],
        )
    out = Analysis(revisions_after=len(later))
    if not later:
        out.level = "none"
        if _OBJECT_IN_TAIL.search(tail):
            # a reader that rebuilds a broken xref takes the last body of each object in the file
            out.level = "other"
            out.violations.append(
                "bytes after the signed revision define objects that no cross-reference section lists"
            )
        return out
    old = Revision(data[:signed_end], signed_chain)
    new = final if final is not None else Revision(data, final_chain)
    levels: list[str] = ["none"]

    def violate(message: str, page: int | None = None) -> None:
        out.violations.append(message)
        levels.append("other")
        if page is not None:
            out.pages = tuple(sorted({*out.pages, page}))

    for s in later:
        if s.offset < signed_end:
            violate(f"a cross-reference section of a later revision lies inside the signed bytes (offset {s.offset})")
        for num, e in s.entries.items():
            if e.kind == 1 and num != 0:
                m = _OBJ_HEADER.match(data, e.a) if 0 <= e.a < len(data) else None
                if m is None:
                    violate(f"the later cross-reference entry of object {num} points at no object (offset {e.a})")
                elif int(m.group(1)) != num:
                    violate(
                        f"the later cross-reference entry of object {num} points at object {m.group(1).decode()}"
                        f" (offset {e.a})"
                    )
                elif e.a < signed_end and old.table.get(num) != e:
                    violate(
                        f"a later revision redirects object {num} to another body inside the signed bytes"
                        f" (offset {e.a}): content hidden before signing is swapped in"
                    )
    if new.trailer.get("/Root") != old.trailer.get("/Root"):
        violate(
            f"a later revision replaces the document catalog ({old.trailer.get('/Root')} -> {new.trailer.get('/Root')})"
        )
    roles, dangling = _walk(old)
    changed = sorted({n for s in later for n in s.entries if n != 0})
    added, redefined, freed = [], [], []
    for num in changed:
        was, now = old.in_use(num), new.in_use(num)
        if not was and now:
            added.append(num)
            if num in dangling:
                role = dangling[num]
                violate(
                    f"object {num} ({role.label}) was referenced by the signed revision but defined only later",
                    role.page,
                )
            continue
        if was and not now:
            freed.append(num)
            if num in roles:
                violate(f"object {num} ({roles[num].label}) is freed after signing", roles[num].page)
            continue
        if not was:
            continue
        try:
            before = old.get(num)
        except Malformed:
            before = _BROKEN
        try:
            after = new.get(num)
        except Malformed as exc:
            if num in roles:
                violate(
                    f"object {num} ({roles[num].label}) cannot be read in the final revision: {exc}", roles[num].page
                )
            continue
        _byte_ranges(data, num, new.table.get(num), violate)
        if _same(before, after):
            continue
        redefined.append(num)
        owner = roles.get(num)
        if owner is None:
            if isinstance(before, dict) and "/ByteRange" in before:
                violate(f"object {num} (a signature dictionary) is redefined after signing")
            continue  # not reachable from the signed pages: changes only matter through an object that is
        levels.append(_judge(owner, num, before, after, old, new, violate))
    for num in added:
        _byte_ranges(data, num, new.table.get(num), violate)
    out.added, out.redefined, out.freed = tuple(added), tuple(redefined), tuple(freed)
    level = max(levels, key=LEVELS.index)
    limit = permitted_level(docmdp)
    if LEVELS.index(level) > LEVELS.index(limit) and level != "other":
        what = f"DocMDP P={docmdp}" if docmdp else "an approval signature without DocMDP"
        out.violations.append(f"the later revisions make {level} changes; {what} permits {limit} only")
    out.level = level
    return out


class _Broken:
    pass


_BROKEN: Final = _Broken()


def _same(a: object, b: object) -> bool:
    if isinstance(a, Stream) and isinstance(b, Stream):
        return a.raw == b.raw and _same(a.dict, b.dict)
    return a == b


def _byte_ranges(data: bytes, num: int, entry: Entry | None, violate: Violate) -> None:
    """Signature wrapping: an object written after signing whose body carries two /ByteRange."""
    if entry is None or entry.kind != 1:
        return
    end = data.find(b"endobj", entry.a)
    body = data[entry.a : end if end >= 0 else len(data)]
    if body.count(b"/ByteRange") > 1:
        violate(
            f"object {num}, written after signing, is a signature dictionary with two /ByteRange (signature wrapping)"
        )


def _page_of(role: Role) -> str:
    return f"page {role.page}" if role.page else "the document"


def _judge(
    role: Role,
    num: int,
    before: object,
    after: object,
    old: Revision,
    new: Revision,
    violate: Violate,
) -> str:
    """The level of one redefined object of the signed revision (a violation is reported through `violate`)."""
    where = f"object {num} ({role.label})"
    if role.kind in ("dss", "info"):
        return "timestamps/dss" if role.kind == "dss" else "none"
    if not (isinstance(before, dict) and isinstance(after, dict)):
        if role.kind in ("annots", "fields") and isinstance(before, list) and isinstance(after, list):
            return _grown(role, where, before, after, new, violate)
        if role.kind == "appearance" and role.label.startswith("appearance of field"):
            return "form filling"
        if role.kind == "appearance":
            return "annotations"
        violate(f"{where} is redefined after signing", role.page)
        return "other"
    keys = sorted(k for k in {*before, *after} if before.get(k) != after.get(k))
    if role.kind == "catalog":
        level = "none"
        for k in keys:
            if k in _CATALOG_ALLOWED:
                level = max(level, _CATALOG_ALLOWED[k], key=LEVELS.index)
                if k == "/AcroForm" and isinstance(after.get(k), dict) and isinstance(before.get(k), dict):
                    level = max(
                        level,
                        _acroform(role, where, old.resolve(before[k]), new.resolve(after[k]), new, violate),
                        key=LEVELS.index,
                    )
                elif k == "/AcroForm" and before.get(k) is None:
                    form = new.resolve(after.get(k))
                    fields = new.resolve(form.get("/Fields")) if isinstance(form, dict) else None
                    if isinstance(fields, list):
                        level = max(level, _grown(role, where, [], fields, new, violate), key=LEVELS.index)
            elif k not in _CATALOG_ALLOWED_NOTE:
                violate(f"the document catalog's {k} changed after signing")
                level = "other"
        return level
    if role.kind == "acroform":
        return _acroform(role, where, before, after, new, violate)
    if role.kind == "page":
        level = "none"
        for k in keys:
            if k == "/Annots":
                was, now = old.resolve(before.get(k)), new.resolve(after.get(k))
                grown = _grown_arrays(role, f"{_page_of(role)} /Annots", was, now, new, violate)
                level = max(level, grown, key=LEVELS.index)
            else:
                violate(f"{_page_of(role)} (object {num}): {k} changed after signing", role.page)
                level = "other"
        return level
    if role.kind == "field":
        sig = _field_type(before, old) == "/Sig"
        for k in keys:
            if k not in _FIELD_FILL and k != "/Kids":
                violate(f"{where}: {k} changed after signing", role.page)
                return "other"
        if sig and before.get("/V") is not None and before.get("/V") != after.get("/V"):
            violate(f"{where}: the value of a signed signature field is replaced", role.page)
            return "other"
        if sig and "/AP" in keys and before.get("/V") is not None:
            violate(f"{where}: the appearance of a signature field changed after signing", role.page)
            return "other"
        return "form filling"
    if role.kind == "annotation":
        return "annotations"
    if role.kind == "appearance":
        return "form filling" if role.label.startswith("appearance of field") else "annotations"
    if role.kind in ("annots", "fields"):
        return "none"
    violate(f"{where} changed after signing ({', '.join(keys) or 'its stream'})", role.page)
    return "other"


def _field_type(value: object, rev: Revision, depth: int = 0) -> object:
    while isinstance(value, dict) and depth < 16:
        if "/FT" in value:
            return value["/FT"]
        value = rev.resolve(value.get("/Parent"))
        depth += 1
    return None


def _acroform(role: Role, where: str, before: object, after: object, new: Revision, violate: Violate) -> str:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        violate(f"{where}: the form dictionary is replaced after signing")
        return "other"
    level = "none"
    for k in sorted(k for k in {*before, *after} if before.get(k) != after.get(k)):
        if k not in _ACROFORM_ALLOWED:
            violate(f"{where}: the form's {k} changed after signing")
            return "other"
        if k == "/Fields":
            was, now = before.get(k), after.get(k)
            was = new.resolve(was) if not isinstance(was, list) else was
            now = new.resolve(now)
            level = max(level, _grown_arrays(role, where, was, now, new, violate), key=LEVELS.index)
        else:
            level = max(level, "form filling", key=LEVELS.index)
    return level


def _grown_arrays(role: Role, where: str, before: object, after: object, new: Revision, violate: Violate) -> str:
    """`_grown` over two resolved values, a value that is not an array counting as an empty one."""
    return _grown(
        role,
        where,
        before if isinstance(before, list) else [],
        after if isinstance(after, list) else [],
        new,
        violate,
    )


def _grown(role: Role, where: str, before: list[object], after: list[object], new: Revision, violate: Violate) -> str:
    """An /Annots or /Fields array: entries may only be added; what each added one is sets the level."""
    kept = set(map(repr, after))
    gone = [x for x in before if repr(x) not in kept]
    if gone:
        violate(
            f"{where}: {len(gone)} entr{'y' if len(gone) == 1 else 'ies'} removed after signing ({gone[0]})", role.page
        )
        return "other"
    old = set(map(repr, before))
    level = "none"
    for item in after:
        if repr(item) in old:
            continue
        level = max(level, _added_annotation(new.resolve(item), new), key=LEVELS.index)
    return level


def _added_annotation(value: object, new: Revision) -> str:
    """A new signature field is a signature (a document timestamp is validation data); anything else annotates."""
    if not isinstance(value, dict):
        return "annotations"
    if _field_type(value, new) == "/Sig":
        sig = new.resolve(value.get("/V"))
        if sig is None:
            parent = new.resolve(value.get("/Parent"))
            sig = new.resolve(parent.get("/V")) if isinstance(parent, dict) else None
        if isinstance(sig, dict) and sig.get("/Type") == "/DocTimeStamp":
            return "timestamps/dss"
        return "form filling"
    return "annotations"


def _walk(rev: Revision) -> tuple[dict[int, Role], dict[int, Role]]:
    """Every object the signed revision's catalog reaches, with its role; and references to undefined objects.

    Depth first with a stack, kids pushed in reverse, so pages are numbered in document order.
    """
    roles: dict[int, Role] = {}
    dangling: dict[int, Role] = {}
    pending: list[tuple[object, Role]] = [(rev.trailer.get("/Root"), Role("catalog", "document catalog"))]
    info = rev.trailer.get("/Info")
    if isinstance(info, Ref):
        roles[info.num] = Role("info", "document information")
    page_no = 0
    while pending:
        value, role = pending.pop()
        if role.kind == "page" and role.page is None:
            if isinstance(value, Ref) and value.num in roles:
                continue
            page_no += 1
            role = Role("page", f"page {page_no}", page_no)
        if isinstance(value, Ref):
            if value.num in roles:
                continue
            if not rev.in_use(value.num):
                dangling.setdefault(value.num, role)
                continue
            roles[value.num] = role
            try:
                value = rev.get(value.num)
            except Malformed:
                continue
        children = list(_children(value, role, rev))
        pending.extend(reversed(children))
    return roles, dangling


_RESOURCE_KINDS: Final = {"/XObject", "/Font", "/ExtGState", "/Properties", "/ColorSpace", "/Pattern", "/Shading"}


def _children(value: object, role: Role, rev: Revision) -> Iterator[tuple[object, Role]]:
    page = role.page
    if isinstance(value, list):
        for item in value:
            if role.kind == "kids":
                node = rev.resolve(item)
                is_page = isinstance(node, dict) and node.get("/Type") == "/Page"
                yield item, Role("page", "page") if is_page else Role("pages", "page tree")
            elif role.kind in ("annots", "fields"):
                node = rev.resolve(item)
                is_field = role.kind == "fields" or (
                    isinstance(node, dict)
                    and ("/FT" in node or "/Parent" in node)
                    and node.get("/Subtype") == "/Widget"
                )
                kind = "field" if is_field else "annotation"
                yield item, Role(kind, f"{'form field' if is_field else 'annotation'} on {_page_of(role)}", page)
            else:
                yield item, role
        return
    d = value.dict if isinstance(value, Stream) else value
    if not isinstance(d, dict):
        return
    for key, child in d.items():
        if not isinstance(child, (Ref, dict, list)):
            continue
        sub = _key_role(role, key, child, rev, isinstance(value, Stream))
        if sub is not None:
            yield child, sub


def _key_role(role: Role, key: str, child: object, rev: Revision, in_stream: bool) -> Role | None:
    page = role.page
    kind = role.kind
    if kind == "catalog":
        return {
            "/Pages": Role("pages", "page tree"),
            "/AcroForm": Role("acroform", "form dictionary"),
            "/DSS": Role("dss", "document security store"),
            "/Metadata": Role("dss", "XMP metadata"),
            "/OCProperties": Role("content", "optional content (OCGs)"),
        }.get(key, Role("content", f"catalog {key}"))
    if kind in ("dss", "info"):
        return role
    if kind == "pages":
        if key == "/Parent":
            return None
        if key == "/Kids":
            kids = rev.resolve(child)
            return Role("kids", "page tree") if isinstance(kids, list) else None
        return Role("content", f"page tree {key}")
    if kind == "page":
        if key == "/Parent":
            return None
        if key == "/Annots":
            return Role("annots", f"{_page_of(role)} /Annots", page)
        label = {"/Contents": "content stream", "/Resources": "resources"}.get(key, key)
        return Role("content", f"{_page_of(role)} {label}", page)
    if kind == "acroform":
        return Role("fields", "form /Fields") if key == "/Fields" else Role("content", f"form {key}")
    if kind in ("field", "annotation"):
        if key in ("/P", "/Parent", "/Popup"):
            return None
        if key == "/Kids":
            return Role("fields", f"{role.label} /Kids", page)
        if key == "/AP":
            return Role("appearance", f"appearance of {role.label}", page)
        if key == "/V":
            return Role("content", f"signature value of {role.label}", page)
        return Role("content", f"{role.label} {key}", page)
    if kind == "appearance":
        return role if not in_stream else Role("content", f"{role.label} resources", page)
    label = role.label
    last = label.rsplit(" ", 1)[-1]
    if last in _RESOURCE_KINDS or key in _RESOURCE_KINDS:
        label = f"{label} {key}"
    return Role("content", label, page)


def signature_dict_issues(data: bytes, hole_start: int, hole_end: int) -> list[str]:
    """Signature wrapping: the object holding the /Contents hole must carry one /ByteRange, inside the signed bytes."""
    start = data.rfind(b" obj", 0, hole_start)
    end = data.find(b"endobj", hole_end)
    if start < 0 or end < 0:
        return ["the signature dictionary around /Contents cannot be found"]
    body = data[start:end]
    count = body.count(b"/ByteRange")
    if count != 1:
        return [f"the signature dictionary carries {count} /ByteRange entries (signature wrapping)"]
    return []


# --------------------------------------------------------------------------- signature fields, read from the bytes


@dataclass(frozen=True)
class SignatureField:
    """A filled signature field as the final revision defines it."""

    name: str
    num: int  # object number of the signature dictionary
    revision: int  # oldest revision is 0: the one whose section last defines the dictionary
    sig: dict[str, object]
    field: dict[str, object]
    contents: bytes  # /Contents decoded (with its zero padding)


def open_file(data: bytes) -> Revision:
    """The final revision of a whole file.

    Raises:
        Malformed: Its cross-reference chain cannot be read.
    """
    rev = Revision(data, read_chain(data, len(data)))
    rev._chains[len(data)] = rev.sections
    return rev


def signature_fields(rev: Revision) -> list[SignatureField]:
    """The filled signature fields of the AcroForm (names as pyHanko gives them: /T joined by dots).

    Raises:
        Malformed: The form or a signature dictionary cannot be read as this reader expects.
    """
    root = rev.resolve(rev.trailer.get("/Root"))
    if not isinstance(root, dict):
        raise Malformed("no document catalog")
    form = rev.resolve(root.get("/AcroForm"))
    if form is None:
        return []
    fields = rev.resolve(form.get("/Fields")) if isinstance(form, dict) else None
    if not isinstance(fields, list):
        raise Malformed("the form has no /Fields array")
    out: list[SignatureField] = []
    pending: list[tuple[object, str, object, int]] = [(f, "", None, 0) for f in reversed(fields)]
    seen: set[int] = set()
    while pending:
        ref, prefix, inherited, depth = pending.pop()
        if depth > 32 or (isinstance(ref, Ref) and ref.num in seen):
            raise Malformed("the field tree loops or is too deep")
        if isinstance(ref, Ref):
            seen.add(ref.num)
        node = rev.resolve(ref)
        if not isinstance(node, dict):
            continue
        title = node.get("/T")
        name = prefix
        if isinstance(title, bytes):
            text = _text(title)
            name = f"{prefix}.{text}" if prefix else text
        kind = node.get("/FT", inherited)
        kids = rev.resolve(node.get("/Kids"))
        if isinstance(kids, list) and any(isinstance(rev.resolve(k), dict) and "/T" in rev.resolve(k) for k in kids):  # type: ignore[operator]
            pending.extend((k, name, kind, depth + 1) for k in reversed(kids))
            continue
        value = node.get("/V")
        if kind != "/Sig" or value is None:
            continue
        if not isinstance(value, Ref):
            raise Malformed(f"signature field {name}: /V is not an indirect dictionary")
        sig = rev.get(value.num)
        if not isinstance(sig, dict):
            raise Malformed(f"signature field {name}: /V is not a dictionary")
        hexed = sig.get("/Contents")
        if not (isinstance(hexed, bytes) and hexed.startswith(b"<") and hexed.endswith(b">")):
            raise Malformed(f"signature field {name}: /Contents is not a hex string")
        try:
            contents = bytes.fromhex(hexed[1:-1].decode("ascii"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise Malformed(f"signature field {name}: /Contents: {exc}") from exc
        revision = next((len(rev.sections) - 1 - i for i, s in enumerate(rev.sections) if value.num in s.entries), None)
        if revision is None:
            raise Malformed(f"signature field {name}: no section defines its signature")
        out.append(SignatureField(name, value.num, revision, sig, node, contents))
    return out


def _text(raw: bytes) -> str:
    if raw.startswith(b"<"):
        try:
            raw = bytes.fromhex(raw[1:-1].decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            return raw.decode("latin-1")
    if b"\\" in raw:
        raise Malformed("an escaped field name (left to pyHanko)")
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


def docmdp_of(rev: Revision, found: SignatureField) -> int | None:
    """The DocMDP level the signature sets (/Reference), else its field's /Lock /P (as pyHanko reads it).

    Raises:
        Malformed: A /FieldMDP reference (left to pyHanko).
    """
    refs = rev.resolve(found.sig.get("/Reference"))
    for item in refs if isinstance(refs, list) else ():
        ref = rev.resolve(item)
        if not isinstance(ref, dict):
            continue
        method = ref.get("/TransformMethod")
        if method == "/FieldMDP":
            raise Malformed("a /FieldMDP reference")
        if method == "/DocMDP":
            params = rev.resolve(ref.get("/TransformParams"))
            p = params.get("/P", 2) if isinstance(params, dict) else 2
            return p if p in (1, 2, 3) else 2
    lock = rev.resolve(found.field.get("/Lock"))
    if isinstance(lock, dict) and lock.get("/P") in (1, 2, 3):
        p = lock["/P"]
        return p if isinstance(p, int) else None
    return None


def dss_values(rev: Revision) -> dict[str, list[bytes]] | None:
    """The decoded streams of the catalog's /DSS (/Certs, /CRLs, /OCSPs); None when one cannot be decoded here."""
    root = rev.resolve(rev.trailer.get("/Root"))
    dss = rev.resolve(root.get("/DSS")) if isinstance(root, dict) else None
    out: dict[str, list[bytes]] = {"/Certs": [], "/CRLs": [], "/OCSPs": []}
    if not isinstance(dss, dict):
        return out
    try:
        for key, values in out.items():
            items = rev.resolve(dss.get(key))
            for item in items if isinstance(items, list) else ():
                stream = rev.resolve(item)
                if isinstance(stream, Stream):
                    values.append(decode_stream(stream))
    except Malformed:
        return None
    return out
