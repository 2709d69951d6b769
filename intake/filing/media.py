"""Media sniffing: what a file's first bytes say it is, against what its extension says."""

from __future__ import annotations

import zipfile
from pathlib import Path

from intake.models import FileFacts

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
EXTENSION_OF = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}

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
