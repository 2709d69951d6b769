"""File intake: the dossier as files, each identified by its name, with its type and page count.

A dossier is a folder or a `.zip` (paragraphs 8 and 16: each document a separate file whose name
identifies the document and its number of pages). Nothing in the input is changed: a folder is only
read, never written; a zip is unpacked into a private work area that is removed afterwards.

Unpacking is defensive: entries with absolute paths, `..`, drive letters, links or devices are never
written (FILE013); the bytes actually produced are counted while streaming, and unpacking stops at the
limits on entry size, total size, entry count and compression ratio (FILE014), whatever the archive's
headers declare; archives inside the dossier are reported (FILE015), never unpacked. Names without the
zip UTF-8 flag are decoded the way Windows wrote them (CP866 on a Russian or Kazakh system).

The naming scheme (docs/naming.md): the canonical name is `NN_<document-id>_<P>p.<ext>`, e.g.
`02_material-resources_3p.pdf`; names people really write (`Устав ТОО 12 стр.pdf`, `Диплом (2 л.).pdf`,
`086у мед справка 1 бет.jpg`, `lease contract - 4 pages.pdf`) are recognised through the synonyms of
the catalog (`intake.rules.DOCUMENT_TYPES`).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import stat
import struct
import tempfile
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from intake.errors import DossierNotFound, NotADossier
from intake.models import FileFacts, FileRole, Finding, Identification, Outcome
from intake.rules import DOCUMENT_TYPES, DOCUMENTS, finding

SIGNATURE_EXTENSIONS = (".cms", ".p7s", ".sig")
DOCUMENT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
ARCHIVE_EXTENSIONS = (
    ".zip",
    ".zipx",
    ".rar",
    ".7z",
    ".tar",
    ".gz",
    ".tgz",
    ".bz2",
    ".tbz",
    ".tbz2",
    ".xz",
    ".txz",
    ".cab",
    ".arj",
)
IGNORED_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", "expected.json"})
IGNORED_DIRS = frozenset({"__macosx", ".git", ".svn", "$recycle.bin", "system volume information"})
ATTESTATION_DIR = "state"
APPLICATION_NAME = "application.json"
APPLICATION_XML_NAME = "application.xml"  # its XML form with an enveloped XMLDSig (issue 15)
MAX_NAME_CHARS = 255  # a file name is at most 255 bytes on every common file system
MAX_DECLARED_PAGES = 999  # a larger number in a name is a year, a serial or a date, never a page count


@dataclass(frozen=True)
class Limits:
    """Limits that stop zip bombs; the bytes actually unpacked are counted, never the declared sizes.

    Attributes:
        max_total_bytes: Bytes the whole archive may unpack to.
        max_entry_bytes: Bytes one entry may unpack to.
        max_files: Entries (files and folders) the archive may hold; also files a folder dossier may hold.
        max_ratio: Unpacked / compressed size of one entry, judged once it passed `ratio_grace_bytes`.
        max_total_ratio: Unpacked bytes of the whole archive / the archive's size, judged likewise.
        ratio_grace_bytes: Output below this is never judged by ratio (a small blank scan compresses well).
    """

    max_total_bytes: int = 512 * 1024 * 1024
    max_entry_bytes: int = 256 * 1024 * 1024
    max_files: int = 1000
    max_ratio: float = 200.0
    max_total_ratio: float = 100.0
    ratio_grace_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True)
class OpenedDossier:
    """A dossier ready to read: its files, and the findings that intake itself produced."""

    source: str
    root: Path
    files: tuple[FileFacts, ...]
    findings: tuple[Finding, ...] = field(default=())

    def application_path(self) -> Path | None:
        """The path of `application.json` (else `application.xml`), if the dossier has one."""
        apps = sorted((f for f in self.files if f.role is FileRole.APPLICATION), key=lambda f: f.extension != ".json")
        return apps[0].path if apps else None


# --------------------------------------------------------------------------- content sniffing

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODF = "application/vnd.oasis.opendocument"
OLE = "application/x-ole-storage"
SUPPORTED_MEDIA = frozenset({PDF, JPEG, PNG, TIFF})
ARCHIVE_MEDIA = frozenset(
    {
        ZIP,
        "application/x-rar",
        "application/x-7z-compressed",
        "application/gzip",
        "application/x-bzip2",
        "application/x-xz",
        "application/x-tar",
        "application/vnd.ms-cab-compressed",
    }
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"II+\x00", TIFF),  # BigTIFF
    (b"MM\x00+", TIFF),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),  # an empty zip
    (b"Rar!\x1a\x07", "application/x-rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BZh", "application/x-bzip2"),
    (b"\xfd7zXZ\x00", "application/x-xz"),
    (b"MSCF\x00\x00\x00\x00", "application/vnd.ms-cab-compressed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"{\\rtf", "application/rtf"),
)

_EXPECTED_TYPE = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".png": PNG,
    ".tif": TIFF,
    ".tiff": TIFF,
}
_EXTENSION_OF = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}

_DESCRIPTION = {
    PDF: "a PDF",
    JPEG: "a JPEG image",
    PNG: "a PNG image",
    TIFF: "a TIFF image",
    ZIP: "a ZIP archive",
    DOCX: "a Word document (.docx)",
    XLSX: "an Excel workbook (.xlsx)",
    ODF: "an OpenDocument file",
    OLE: "a Microsoft Office 97-2003 document (.doc/.xls)",
    "application/x-rar": "a RAR archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/gzip": "a gzip archive",
    "application/x-bzip2": "a bzip2 archive",
    "application/x-xz": "an xz archive",
    "application/x-tar": "a tar archive",
    "application/vnd.ms-cab-compressed": "a CAB archive",
    "image/gif": "a GIF image",
    "image/bmp": "a BMP image",
    "image/webp": "a WebP image",
    "image/heic": "a HEIC photo",
    "application/rtf": "an RTF document",
    "text/html": "an HTML page",
}


def sniff(head: bytes) -> str | None:
    """The media type that a file's first bytes show, or None."""
    for magic, media in _MAGIC:
        if head.startswith(magic):
            return media
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"heif"):
        return "image/heic"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "application/x-tar"
    # A PDF may have junk before its header (readers accept it within the first 1024 bytes).
    if b"%PDF-" in head[:1024]:
        return PDF
    start = head.lstrip()[:64].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return None


def sniff_file(path: Path) -> str | None:
    """The media type of a file's content; a ZIP is told apart from Office and OpenDocument files."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return None
    media = sniff(head)
    if media == ZIP:
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except Exception:  # a damaged zip is still a zip: its content is not ours to judge
            return media
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
        if "mimetype" in names and any(n == "content.xml" for n in names):
            return ODF
    return media


def expected_media_type(extension: str) -> str | None:
    """The media type an extension promises, for the four document types."""
    return _EXPECTED_TYPE.get(extension.lower())


def describe_media(media: str | None) -> str:
    """Human words for a media type."""
    if media is None:
        return "of an unrecognised type"
    return _DESCRIPTION.get(media, media)


def is_archive(facts: FileFacts) -> bool:
    """Whether the file is an archive (zip, rar, 7z, tar, gz, ...), by content or by extension."""
    if facts.media_type in ARCHIVE_MEDIA:
        return True
    return facts.media_type is None and facts.extension in ARCHIVE_EXTENSIONS


def is_supported(facts: FileFacts) -> bool:
    """Whether the file is of a document type the Rules' electronic copies come in (PDF, JPEG, PNG, TIFF)."""
    return facts.extension in _EXPECTED_TYPE or facts.media_type in SUPPORTED_MEDIA


def content_mismatch(facts: FileFacts) -> bool:
    """Whether the content is not what the extension promises (e.g. a JPEG named `.pdf`)."""
    expected = expected_media_type(facts.extension)
    if expected is None:
        return facts.media_type in SUPPORTED_MEDIA  # a scan with no or a wrong extension
    return facts.media_type != expected


# --------------------------------------------------------------------------- names

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


def _synonym_table() -> tuple[_Synonym, ...]:
    """Every synonym of the catalog, normalised like names, matched at the start of a word."""
    table: list[_Synonym] = []
    for doc in DOCUMENT_TYPES:
        entries = [(doc.id.replace("-", " "), 100.0)] + [(s, 0.0) for s in doc.synonyms]
        seen: set[str] = set()
        for raw, bonus in entries:
            text = normalise(raw)
            if not text or text in seen:
                continue
            seen.add(text)
            pattern = re.compile(rf"(?<![{_LETTERS}0-9]){re.escape(text)}")
            table.append(_Synonym(doc.id, text, pattern, bonus))
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
    spans: dict[str, list[tuple[int, int]]] = {}
    bonus: dict[str, float] = {}
    matched: dict[str, str] = {}
    for syn in _SYNONYMS:
        for m in syn.pattern.finditer(text):
            spans.setdefault(syn.document, []).append(m.span())
            bonus[syn.document] = max(bonus.get(syn.document, 0.0), syn.weight)
            if len(syn.text) > len(matched.get(syn.document, "")):
                matched[syn.document] = syn.text
    scores = sorted(
        ((_union_length(s) + bonus[d], d) for d, s in spans.items()),
        key=lambda x: (-x[0], x[1]),
    )
    if not scores:
        return Identification(declared_pages=pages, order=order, candidates=_fuzzy_candidates(text))
    candidates = tuple(d for _, d in scores)
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
    )


def canonical_name(order: int, document_type: str, pages: int, extension: str) -> str:
    """The canonical file name: `02_material-resources_3p.pdf` (order, document id, page count)."""
    return f"{order:02d}_{document_type}_{pages}p{extension.lower()}"


def canonical_extension(facts: FileFacts) -> str:
    """The extension a document should carry: its own, unless its content says otherwise."""
    expected = expected_media_type(facts.extension)
    if facts.media_type in SUPPORTED_MEDIA and expected != facts.media_type:
        return _EXTENSION_OF[facts.media_type]
    return facts.extension.lower()


# --------------------------------------------------------------------------- names that are not text


def _legacy_decoding(raw: bytes) -> str:
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
    return _ESCAPED_BYTES.sub(lambda m: _legacy_decoding(bytes(ord(c) - 0xDC00 for c in m.group())), name)


# --------------------------------------------------------------------------- page counts


def _pdf_pages(path: Path) -> tuple[int | None, str | None, bool]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            return None, "the PDF is encrypted and opens only with a password", True
        return None, f"the PDF cannot be opened ({message})", False
    except (OSError, ValueError) as exc:
        return None, f"the PDF cannot be opened ({exc})", False
    try:
        encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1
        count = len(pdf)
        if count == 0:
            return None, "the PDF has no pages", encrypted
        for index in range(count):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                return count, f"page {index + 1} of the PDF cannot be read ({exc})", encrypted
            page.close()
    finally:
        pdf.close()
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        return count, "the PDF is truncated or damaged: it does not end with %%EOF", encrypted
    return count, None, encrypted


def _image_pages(path: Path, media_type: str) -> tuple[int | None, str | None, bool]:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PIL's complaints about odd metadata: the pixels decide
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                # One page per image; a TIFF has one page per frame (every frame decoded to find damage).
                frames = int(getattr(img, "n_frames", 1)) if media_type == TIFF else 1
                for index in range(frames):
                    img.seek(index)
                    img.load()
                return frames, None, False
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return None, f"the image is too large to decode safely ({exc})", False
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        return None, f"the image cannot be decoded ({exc})", False


def count_pages(path: Path, media_type: str | None) -> tuple[int | None, str | None, bool]:
    """Pages of a PDF, frames of a TIFF, 1 for an image: (pages, why unreadable, encrypted).

    Never raises for a damaged file: the reason is returned, naming what is wrong.
    """
    try:
        if media_type == PDF:
            return _pdf_pages(path)
        if media_type in (JPEG, PNG, TIFF):
            return _image_pages(path, media_type)
    except Exception as exc:  # a defect of a reader library on a hostile file is still a finding
        return None, f"the file cannot be read ({type(exc).__name__}: {exc})", False
    return None, None, False


# --------------------------------------------------------------------------- the dossier


def role_of(name: str) -> FileRole:
    """What a dossier path is: the application, a document, a signature, an attestation, or ignored."""
    lower = name.lower()
    parts = PurePosixPath(lower).parts
    base = parts[-1] if parts else lower
    if (
        base in IGNORED_NAMES
        or base.startswith((".", "~$"))
        or any(p in IGNORED_DIRS or p.startswith(".") for p in parts[:-1])
    ):
        return FileRole.IGNORED
    if lower in (APPLICATION_NAME, APPLICATION_XML_NAME):
        return FileRole.APPLICATION
    if lower.endswith(SIGNATURE_EXTENSIONS):
        return FileRole.SIGNATURE
    if parts and parts[0] == ATTESTATION_DIR:
        return FileRole.ATTESTATION
    return FileRole.DOCUMENT


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def gather_file(root: Path, path: Path) -> FileFacts:
    """The facts of one file: name, size, digest, type, role, identification, pages.

    A document that cannot be read gets `read_error` (why), never an exception.
    """
    relative = path.relative_to(root).as_posix()
    name = display_name(relative)  # the real path is kept for reading; the name is always text (FILE016)
    role = role_of(name)
    ext = PurePosixPath(name).suffix.lower()
    media = sniff_file(path)
    pages: int | None = None
    error: str | None = None
    encrypted = False
    if role is FileRole.DOCUMENT:
        size = path.stat().st_size
        expected = expected_media_type(ext)
        if size == 0:
            error = "the file is empty (0 bytes)"
        elif media in SUPPORTED_MEDIA:
            pages, error, encrypted = count_pages(path, media)
        elif media in ARCHIVE_MEDIA or (media is None and ext in ARCHIVE_EXTENSIONS):
            error = f"{describe_media(media or ZIP)} inside the dossier; it was not unpacked"
        elif expected is not None:
            error = f"the content is {describe_media(media)}, not {describe_media(expected)}"
        else:
            error = f"{describe_media(media)}: not a PDF, JPEG, PNG or TIFF document"
    return FileFacts(
        name=name,
        path=path,
        size=path.stat().st_size,
        sha256=_sha256(path),
        extension=ext,
        media_type=media,
        role=role,
        identification=parse_name(readable_name(relative)) if role is FileRole.DOCUMENT else Identification(),
        pages=pages,
        read_error=error,
        encrypted=encrypted,
    )


def _gather_safely(root: Path, path: Path) -> tuple[FileFacts | None, Finding | None]:
    """`gather_file`, where a file that vanished or cannot be opened becomes a finding."""
    try:
        return gather_file(root, path), None
    except OSError as exc:
        name = display_name(path.relative_to(root).as_posix())
        return None, finding(
            "FILE008",
            Outcome.FAILED,
            f"{name}: the file cannot be read ({exc.strerror or exc})",
            document=name,
        )


def _link_sidecars(files: list[FileFacts]) -> list[FileFacts]:
    """Pair each detached signature `<file>.cms` with the file it signs."""
    by_name = {f.name: f for f in files}
    sidecars: dict[str, list[str]] = {}
    out: list[FileFacts] = []
    for f in files:
        if f.role is FileRole.SIGNATURE:
            target = f.name[: -len(f.extension)]
            signed = target if target in by_name else None
            if signed:
                sidecars.setdefault(signed, []).append(f.name)
            out.append(f.model_copy(update={"signed_file": signed}))
        else:
            out.append(f)
    return [f.model_copy(update={"signature_files": tuple(sidecars.get(f.name, ()))}) for f in out]


# ---- folders


def _walk_folder(root: Path, limits: Limits) -> tuple[list[Path], list[Finding]]:
    """Regular files of a folder dossier; links and special files are refused (FILE013), never followed
    nor opened; a folder that cannot be listed is FILE008; a name that is not text is FILE016."""
    paths: list[Path] = []
    findings: list[Finding] = []
    real_root = os.path.realpath(root)

    def rel(path: Path | str) -> str:
        return display_name(Path(path).relative_to(root).as_posix())

    def refuse(path: Path, what: str) -> None:
        name = rel(path)
        findings.append(
            finding(
                "FILE013",
                Outcome.FAILED,
                f"{name} is {what}; it was refused and not read",
                document=name,
                evidence={"entry": name},
            )
        )

    def link_words(path: Path) -> str:
        try:
            target = os.readlink(path)
            # realpath never raises on a loop or a dangling link (Path.resolve raises RuntimeError on a loop)
            resolved = os.path.realpath(path.parent / target)
        except (OSError, RuntimeError, ValueError):
            return "a link"
        inside = resolved == real_root or resolved.startswith(real_root.rstrip(os.sep) + os.sep)
        return f"a link to {display_name(target)!r} ({'inside' if inside else 'outside'} the dossier)"

    def unlisted(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else str(root)
        name = "." if Path(where) == root else rel(where)
        findings.append(
            finding(
                "FILE008",
                Outcome.FAILED,
                f"the folder {name} cannot be read ({exc.strerror or exc}); its files were not checked",
                document=name,
            )
        )

    def kind_of(path: Path) -> int | None:
        try:
            return path.lstat().st_mode  # lstat: a link is seen as a link, never followed
        except OSError:
            return None  # vanished since it was listed

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted, followlinks=False):
        here = Path(dirpath)
        keep: list[str] = []
        for d in sorted(dirnames):
            mode = kind_of(here / d)
            if mode is None:
                continue
            if stat.S_ISLNK(mode):
                refuse(here / d, link_words(here / d))
            elif not stat.S_ISDIR(mode):
                refuse(here / d, "a device, pipe or socket, not a regular file")
            else:
                keep.append(d)
        dirnames[:] = keep  # os.walk descends only into real folders
        for fname in sorted(filenames):
            path = here / fname
            mode = kind_of(path)
            if mode is None:
                continue
            if stat.S_ISLNK(mode):
                refuse(path, link_words(path))
            elif not stat.S_ISREG(mode):
                refuse(path, "a device, pipe or socket, not a regular file")
            elif len(paths) >= limits.max_files:
                findings.append(
                    finding(
                        "FILE014",
                        Outcome.FAILED,
                        f"the folder holds more than {limits.max_files} files; the rest were not read",
                        evidence={"limit": limits.max_files},
                    )
                )
                return sorted(paths), findings
            else:
                paths.append(path)
    for path in paths:
        relative = path.relative_to(root).as_posix()
        if not is_text_name(relative):
            name = display_name(relative)
            findings.append(
                finding(
                    "FILE016",
                    Outcome.FAILED,
                    f"the name «{name}» is not valid text (UTF-8): the bytes that are not are shown as \\xNN; "
                    f"read as a Windows name it is «{readable_name(relative)}»; rename the file",
                    document=name,
                    evidence={"name_bytes": os.fsencode(relative).hex(), "read_as": readable_name(relative)},
                )
            )
    return sorted(paths), findings


# ---- zip archives

_BOX_DRAWING = re.compile(r"[\u2500-\u259f\u00a0-\u00bf]")
_NAME_LETTERS = re.compile(r"[A-Za-zА-Яа-яЁё0-9]")


def _unicode_path_extra(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field (0x7075), when its CRC matches the stored name."""
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4 : i + 4 + size]
        if tag == 0x7075 and len(body) >= 5 and body[0] == 1:
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
        i += 4 + size
    return None


def decode_entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its author wrote it.

    A name with the UTF-8 flag (bit 11) is UTF-8 and left alone. Without it, Windows' built-in zip
    wrote the OEM code page: CP866 on Russian and Kazakh systems. Names that are valid UTF-8 anyway
    (Info-ZIP on Linux) stay UTF-8; CP1251 is taken only when it reads as words and CP866 does not.
    """
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.orig_filename.encode("cp437")  # zipfile decoded the raw bytes as CP437
    except UnicodeEncodeError:
        return info.filename
    if raw.isascii():
        return info.filename
    unicode_path = _unicode_path_extra(info, raw)
    if unicode_path is not None:
        return unicode_path
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _legacy_decoding(raw)


_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def entry_problem(name: str, info: zipfile.ZipInfo) -> str | None:
    """Why an archive entry must not be written, or None when it is a plain relative file name."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "a symbolic link"
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return "a device, pipe or socket"
    if _CONTROL.search(name):
        return "a name with control characters"
    posix = name.replace("\\", "/")
    if posix.startswith("/"):
        return "an absolute path"
    if _DRIVE.match(posix):
        return "a path with a drive letter"
    if ".." in posix.split("/"):
        return "a path that climbs out of the dossier (`..`)"
    return None


@dataclass
class _Budget:
    """Bytes unpacked so far, counted as they are written."""

    archive_size: int
    total: int = 0
    stopped: str | None = None


def _stream(src: IO[bytes], out: IO[bytes], info: zipfile.ZipInfo, budget: _Budget, limits: Limits) -> str | None:
    """Copy one entry, counting the bytes actually produced; the reason it was stopped, or None."""
    written = 0
    compressed = max(info.compress_size, 1)
    while chunk := src.read(1 << 16):
        written += len(chunk)
        budget.total += len(chunk)
        if written > limits.max_entry_bytes:
            return f"it unpacks to more than {limits.max_entry_bytes} bytes"
        if written > limits.ratio_grace_bytes and written / compressed > limits.max_ratio:
            return (
                f"it expands more than {limits.max_ratio:g} times ({compressed} compressed bytes gave more "
                f"than {written})"
            )
        if budget.total > limits.max_total_bytes:
            budget.stopped = f"the archive unpacks to more than {limits.max_total_bytes} bytes"
            return budget.stopped
        if budget.total > limits.ratio_grace_bytes and budget.total / budget.archive_size > limits.max_total_ratio:
            budget.stopped = (
                f"the archive of {budget.archive_size} bytes unpacks to more than {budget.total} bytes "
                f"(more than {limits.max_total_ratio:g} times its size)"
            )
            return budget.stopped
        out.write(chunk)
    return None


def _extract_zip(source: Path, dest: Path, limits: Limits) -> list[Finding]:
    """Unpack a zip into `dest`, entry by entry, writing nothing outside it and nothing unsafe."""
    findings: list[Finding] = []
    try:
        zf = zipfile.ZipFile(source)
    except Exception as exc:  # a hostile central directory breaks zipfile in many ways: all mean "unreadable"
        raise NotADossier(f"{source}: not a readable zip archive ({type(exc).__name__}: {exc})") from exc
    real_dest = dest.resolve()
    budget = _Budget(archive_size=max(source.stat().st_size, 1))
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_files:
            return [
                finding(
                    "FILE014",
                    Outcome.FAILED,
                    f"the archive holds {len(infos)} entries; the limit is {limits.max_files}; nothing was unpacked",
                    evidence={"entries": len(infos), "limit": limits.max_files},
                )
            ]
        for info in infos:
            name = decode_entry_name(info)
            problem = entry_problem(name, info)
            if problem is not None:
                findings.append(
                    finding(
                        "FILE013",
                        Outcome.FAILED,
                        f"archive entry {name!r} is {problem}; it was not unpacked",
                        document=name,
                        evidence={"entry": name, "problem": problem},
                    )
                )
                continue
            parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
            if not parts or info.is_dir() or name.endswith(("/", "\\")):
                continue
            target = dest.joinpath(*parts)
            if not target.resolve().is_relative_to(real_dest):  # belt and braces
                findings.append(
                    finding(
                        "FILE013",
                        Outcome.FAILED,
                        f"archive entry {name!r} would be written outside the dossier; it was not unpacked",
                        document=name,
                    )
                )
                continue
            if info.flag_bits & 0x1:
                findings.append(
                    finding(
                        "FILE009",
                        Outcome.FAILED,
                        f"archive entry {name!r} is encrypted with a password; it was not unpacked",
                        document="/".join(parts),
                    )
                )
                continue
            problem_found = _write_entry(zf, info, target, budget, limits)
            if problem_found is None:
                continue
            code, reason = problem_found
            findings.append(
                finding(
                    code,
                    Outcome.FAILED,
                    f"archive entry {name!r}: {reason}; "
                    + ("unpacking stopped" if budget.stopped else "it was not unpacked"),
                    document="/".join(parts),
                    evidence={"entry": name, "unpacked_bytes": budget.total},
                )
            )
            if budget.stopped:
                break
    return findings


def _write_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: _Budget, limits: Limits
) -> tuple[str, str] | None:
    """Write one entry with O_EXCL|O_NOFOLLOW; on a problem remove the partial file: (code, why)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        return "FILE013", "it appears twice in the archive (the first copy was kept)"
    except OSError as exc:
        return "FILE008", f"it cannot be written ({exc.strerror or exc})"
    problem: tuple[str, str] | None = None
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as src:
            reason = _stream(src, out, info, budget, limits)
            problem = ("FILE014", reason) if reason else None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        problem = "FILE008", f"the entry is damaged ({exc})"
    except NotImplementedError as exc:
        problem = "FILE008", f"it is compressed with a method intake cannot unpack ({exc})"
    except Exception as exc:  # whatever a damaged entry makes zipfile raise, it is that entry's finding
        problem = "FILE008", f"it cannot be unpacked ({type(exc).__name__}: {exc})"
    if problem is not None:
        target.unlink(missing_ok=True)
    return problem


def _passed_intake(source: Path, refused: Sequence[Finding], is_zip: bool) -> list[Finding]:
    """The passed findings of the intake checks, so a reviewer sees that they ran."""
    out: list[Finding] = []
    what = "archive entry" if is_zip else "file"
    if not any(f.code == "FILE013" for f in refused):
        out.append(
            finding("FILE013", Outcome.PASSED, f"every {what} of {source.name} is a plain file with a relative name")
        )
    if is_zip and not any(f.code == "FILE014" for f in refused):
        out.append(finding("FILE014", Outcome.PASSED, f"{source.name} unpacks within the size, count and ratio limits"))
    if not any(f.code == "FILE016" for f in refused):
        out.append(finding("FILE016", Outcome.PASSED, f"every {what} name of {source.name} is valid text"))
    return out


@contextmanager
def open_dossier(source: Path, limits: Limits | None = None) -> Iterator[OpenedDossier]:
    """Open a folder or a zip as a dossier; a zip is unpacked into a temporary work area.

    The input is only read: nothing in the folder or the archive is changed.

    Raises:
        DossierNotFound: the path does not exist.
        NotADossier: the path is neither a folder nor a readable zip archive.
    """
    limits = limits or Limits()
    shown = display_path(source)
    try:
        mode = source.stat().st_mode  # the path the user gave may be a link; what is inside is never followed
    except FileNotFoundError as exc:
        raise DossierNotFound(f"{shown}: no such file or folder") from exc
    except (OSError, RuntimeError) as exc:  # permission, a link loop, a name too long
        raise NotADossier(f"{shown}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from exc
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        # A pipe or a device is never opened: reading a FIFO blocks until a writer comes.
        raise NotADossier(f"{shown}: {_special_kind(mode)}, neither a folder nor a .zip archive; it was not opened")
    if stat.S_ISDIR(mode):
        paths, findings = _walk_folder(source, limits)
        files, unreadable = _gather_all(source, paths)
        findings += unreadable
        yield OpenedDossier(
            source=str(source),
            root=source,
            files=tuple(files),
            findings=(*findings, *_passed_intake(source, findings, is_zip=False)),
        )
        return
    try:
        is_zip = zipfile.is_zipfile(source)
    except OSError as exc:
        raise NotADossier(f"{shown}: cannot be read ({exc.strerror or exc})") from exc
    if not is_zip:
        raise NotADossier(f"{shown}: neither a folder nor a .zip archive")
    with tempfile.TemporaryDirectory(prefix="intake-") as tmp:
        work = Path(tmp) / "dossier"
        work.mkdir()
        findings = _extract_zip(source, work, limits)
        root = _unwrap(work)
        paths, walk_findings = _walk_folder(root, limits)
        files, unreadable = _gather_all(root, paths)
        findings += walk_findings + unreadable
        yield OpenedDossier(
            source=str(source),
            root=root,
            files=tuple(files),
            findings=(*findings, *_passed_intake(source, findings, is_zip=True)),
        )


def _special_kind(mode: int) -> str:
    """Words for a file that is neither a folder nor a regular file."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _unwrap(work: Path) -> Path:
    """The dossier inside an archive: a zip made from a folder holds that one folder at its top."""
    top = [p for p in work.iterdir() if role_of(p.name + ("/x" if p.is_dir() else "")) is not FileRole.IGNORED]
    if len(top) == 1 and top[0].is_dir() and not top[0].is_symlink() and top[0].name != ATTESTATION_DIR:
        return top[0]
    return work


def _gather_all(root: Path, paths: Iterable[Path]) -> tuple[list[FileFacts], list[Finding]]:
    files: list[FileFacts] = []
    findings: list[Finding] = []
    for p in paths:
        facts, problem = _gather_safely(root, p)
        if facts is not None:
            files.append(facts)
        if problem is not None:
            findings.append(problem)
    return _link_sidecars(files), findings


# --------------------------------------------------------------------------- renaming (`intake names`)


@dataclass(frozen=True)
class NamePlan:
    """What a file's name says, what the file is, and the name it should have."""

    name: str
    role: FileRole
    document_type: str | None
    declared_pages: int | None
    pages: int | None
    canonical: str | None
    note: str | None = None


def plan_names(files: Sequence[FileFacts]) -> tuple[NamePlan, ...]:
    """The canonical name of each document (from the real page count); sidecars follow their file."""
    plans: dict[str, NamePlan] = {}
    taken: set[str] = set()
    for f in files:
        if f.role is not FileRole.DOCUMENT:
            continue
        ident = f.identification
        doc = DOCUMENTS.get(ident.document_type or "")
        canonical: str | None = None
        note: str | None = None
        if doc is None:
            note = "the name identifies no document"
        elif f.pages is None:
            note = f"the pages could not be counted ({f.read_error or 'unknown type'})"
        else:
            canonical = canonical_name(doc.order, doc.id, f.pages, canonical_extension(f))
            if canonical in taken:  # a document split over files: keep them apart, say so
                n = 2
                stem, ext = canonical.rsplit(".", 1) if "." in canonical else (canonical, "")
                while f"{stem}_part{n}.{ext}" in taken:
                    n += 1
                canonical = f"{stem}_part{n}.{ext}"
                note = "another file is the same document (one file per document, paragraphs 8 and 16)"
            taken.add(canonical)
        plans[f.name] = NamePlan(f.name, f.role, ident.document_type, ident.declared_pages, f.pages, canonical, note)
    return tuple(plans[f.name] for f in files if f.name in plans)


def _beside(name: str, new_base: str) -> str:
    parent = PurePosixPath(name).parent
    return new_base if str(parent) == "." else (parent / new_base).as_posix()


def apply_names(opened: OpenedDossier, out: Path) -> list[tuple[str, str]]:
    """Copy the dossier into `out` with canonical names; the originals are never renamed or changed.

    Documents that cannot be named canonically keep their names; signature sidecars follow their
    file; ignored files are left out. Returns (original, copy) pairs.

    Raises:
        NotADossier: `out` exists and is not an empty folder, lies inside the dossier, or cannot be written.
    """
    try:
        taken = out.exists() and (not out.is_dir() or any(out.iterdir()))
    except OSError as exc:
        raise NotADossier(f"{display_path(out)}: cannot be read ({exc.strerror or exc})") from exc
    if taken:
        raise NotADossier(
            f"{display_path(out)}: exists and is not an empty folder; give a new folder for the renamed copies"
        )
    real_out = Path(os.path.realpath(out))  # never raises on a link loop, unlike Path.resolve
    inside = (Path(os.path.realpath(opened.root)), Path(os.path.realpath(opened.source)))
    if any(real_out.is_relative_to(d) for d in inside):
        raise NotADossier(f"{display_path(out)}: lies inside the dossier; give a folder outside it")
    renamed = {p.name: p.canonical for p in plan_names(opened.files) if p.canonical}
    pairs: list[tuple[str, str]] = []
    for f in opened.files:
        if f.role is FileRole.IGNORED:
            continue
        new = f.name
        if f.role is FileRole.SIGNATURE and f.signed_file in renamed:
            new = _beside(f.signed_file, f"{renamed[f.signed_file]}{f.extension}")
        elif f.role is FileRole.DOCUMENT and f.name in renamed:
            new = _beside(f.name, renamed[f.name])
        target = out.joinpath(*PurePosixPath(new).parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f.path, target)
        except OSError as exc:  # the copy cannot be written, or the original went away meanwhile
            raise NotADossier(f"{display_path(target)}: the copy of {f.name} cannot be written ({exc})") from exc
        pairs.append((f.name, new))
    return pairs
