"""File intake: the dossier as files, each identified by its name, with its type and page count.

A dossier is a folder or a `.zip`. Nothing in the input is changed: a zip is unpacked into a
private work area that is removed afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from intake.errors import DossierNotFound, NotADossier
from intake.models import FileFacts, FileRole, Finding, Identification, Outcome
from intake.rules import DOCUMENT_TYPES, finding

SIGNATURE_EXTENSIONS = (".cms", ".p7s", ".sig")
DOCUMENT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "expected.json"})
ATTESTATION_DIR = "state"


@dataclass(frozen=True)
class Limits:
    """Limits that stop zip bombs (configurable; sane defaults)."""

    max_total_bytes: int = 512 * 1024 * 1024
    max_files: int = 500
    max_ratio: float = 200.0


@dataclass(frozen=True)
class OpenedDossier:
    """A dossier ready to read: its files, and the findings that intake itself produced."""

    source: str
    root: Path
    files: tuple[FileFacts, ...]
    findings: tuple[Finding, ...] = field(default=())

    def application_path(self) -> Path | None:
        """The path of `application.json`, if the dossier has one."""
        for f in self.files:
            if f.role is FileRole.APPLICATION:
                return f.path
        return None


# --------------------------------------------------------------------------- content sniffing

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"PK\x03\x04", "application/zip"),
    (b"Rar!", "application/x-rar"),
    (b"7z\xbc\xaf", "application/x-7z-compressed"),
)

_EXPECTED_TYPE = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


def sniff(head: bytes) -> str | None:
    """The media type that a file's first bytes show, or None."""
    for magic, media in _MAGIC:
        if head.startswith(magic):
            return media
    # A PDF may have junk before the header (allowed within the first 1024 bytes).
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    return None


def expected_media_type(extension: str) -> str | None:
    """The media type an extension promises."""
    return _EXPECTED_TYPE.get(extension.lower())


# --------------------------------------------------------------------------- names


def normalise(text: str) -> str:
    """Lower case, NFC, ё→е, separators as spaces: the form names are matched in."""
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    return re.sub(r"[\s_\-–—.,;()\[\]{}+]+", " ", text).strip()


_PAGES = re.compile(
    r"(?:^|[\s_\-(\[.,])(\d{1,4})\s*[-_]?\s*"
    r"(?:p|pp|pg|pgs|pages?|стр|страниц[аы]?|с|л|лист(?:а|ов)?|бет|парақ|парак)\b\.?",
    re.IGNORECASE,
)
_ORDER = re.compile(r"^(\d{1,2})[\s_\-.)]+")


def parse_name(name: str) -> Identification:
    """Identify the document and the declared page count from a file name (paragraphs 8 and 16)."""
    stem = PurePosixPath(name).name
    for ext in (*DOCUMENT_EXTENSIONS, *SIGNATURE_EXTENSIONS):
        if stem.lower().endswith(ext):
            stem = stem[: -len(ext)]
            break
    mentions = list(_PAGES.finditer(stem))
    pages_match = mentions[-1] if mentions else None  # the last page-count mention wins
    declared = int(pages_match.group(1)) if pages_match else None
    order_match = _ORDER.match(stem)
    order = int(order_match.group(1)) if order_match else None
    text = normalise(stem)
    best: tuple[float, str, str] | None = None
    scores: list[tuple[float, str]] = []
    for doc in DOCUMENT_TYPES:
        doc_score = 0.0
        matched = ""
        if doc.id in text.replace(" ", "-") or doc.id.replace("-", " ") in text:
            doc_score, matched = 10.0, doc.id
        for syn in doc.synonyms:
            if syn in text and len(syn) > doc_score:
                doc_score, matched = float(len(syn)), syn
        if doc_score:
            scores.append((doc_score, doc.id))
            if best is None or doc_score > best[0]:
                best = (doc_score, doc.id, matched)
    candidates = tuple(d for _, d in sorted(scores, reverse=True))
    if best is None:
        return Identification(declared_pages=declared, order=order, candidates=candidates)
    return Identification(
        document_type=best[1],
        declared_pages=declared,
        order=order,
        score=best[0],
        matched=best[2],
        candidates=candidates,
    )


def canonical_name(order: int, document_type: str, pages: int, extension: str) -> str:
    """The canonical file name: `02_material-resources_3p.pdf`."""
    return f"{order:02d}_{document_type}_{pages}p{extension.lower()}"


# --------------------------------------------------------------------------- page counts


def count_pages(path: Path, media_type: str | None) -> tuple[int | None, str | None, bool]:
    """Pages of a PDF, frames of a TIFF, 1 for an image: (pages, why unknown, encrypted)."""
    if media_type == "application/pdf":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            message = str(exc)
            if "password" in message.lower():
                return None, "the PDF is encrypted with a password", True
            return None, f"the PDF cannot be opened ({message})", False
        try:
            return len(pdf), None, False
        finally:
            pdf.close()
    if media_type in {"image/jpeg", "image/png", "image/tiff"}:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(path) as img:
                img.verify() if media_type != "image/tiff" else None
            with Image.open(path) as img:
                frames = getattr(img, "n_frames", 1)
                img.seek(frames - 1)
                img.load()
                return int(frames), None, False
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            return None, f"the image cannot be decoded ({exc})", False
    return None, "not a PDF or image", False


# --------------------------------------------------------------------------- the dossier


def _role(name: str) -> FileRole:
    lower = name.lower()
    base = PurePosixPath(lower).name
    if base in IGNORED_NAMES or base.startswith(".") or lower.startswith("__macosx/"):
        return FileRole.IGNORED
    if lower == "application.json":
        return FileRole.APPLICATION
    if lower.endswith(SIGNATURE_EXTENSIONS):
        return FileRole.SIGNATURE
    if lower.startswith(f"{ATTESTATION_DIR}/"):
        return FileRole.ATTESTATION
    return FileRole.DOCUMENT


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def gather_file(root: Path, path: Path) -> FileFacts:
    """The facts of one file: name, size, digest, type, role, identification, pages."""
    name = path.relative_to(root).as_posix()
    with path.open("rb") as fh:
        head = fh.read(1024)
    media = sniff(head)
    role = _role(name)
    ext = PurePosixPath(name).suffix.lower()
    pages: int | None = None
    error: str | None = None
    encrypted = False
    if role is FileRole.DOCUMENT:
        pages, error, encrypted = count_pages(path, media)
    return FileFacts(
        name=name,
        path=path,
        size=path.stat().st_size,
        sha256=_sha256(path),
        extension=ext,
        media_type=media,
        role=role,
        identification=parse_name(name) if role is FileRole.DOCUMENT else Identification(),
        pages=pages,
        read_error=error,
        encrypted=encrypted,
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


def _walk(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _extract_zip(source: Path, dest: Path, limits: Limits) -> list[Finding]:
    findings: list[Finding] = []
    total = 0
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotADossier(f"{source}: not a readable zip archive ({exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_files:
            return [
                finding(
                    "FILE014",
                    Outcome.FAILED,
                    f"the archive holds {len(infos)} entries; the limit is {limits.max_files}",
                    evidence={"entries": len(infos), "limit": limits.max_files},
                )
            ]
        for info in infos:
            name = info.filename
            if not info.flag_bits & 0x800:
                with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                    name = name.encode("cp437").decode("cp866")
            if info.is_dir():
                continue
            pure = PurePosixPath(name.replace("\\", "/"))
            mode = info.external_attr >> 16
            is_link = (mode & 0o170000) == 0o120000
            is_special = mode and (mode & 0o170000) not in (0, 0o100000, 0o120000)
            if pure.is_absolute() or ".." in pure.parts or is_link or is_special or re.match(r"^[a-zA-Z]:", name):
                why = (
                    "a link" if is_link else "a device or special file" if is_special else "a path outside the dossier"
                )
                findings.append(
                    finding(
                        "FILE013",
                        Outcome.FAILED,
                        f"archive entry {name!r} is {why}; it was not unpacked",
                        document=name,
                    )
                )
                continue
            if info.compress_size and info.file_size / max(info.compress_size, 1) > limits.max_ratio:
                findings.append(
                    finding(
                        "FILE014",
                        Outcome.FAILED,
                        f"archive entry {name!r} expands {info.file_size / info.compress_size:.0f} times; "
                        f"the limit is {limits.max_ratio:.0f}",
                        document=name,
                    )
                )
                continue
            total += info.file_size
            if total > limits.max_total_bytes:
                findings.append(
                    finding(
                        "FILE014",
                        Outcome.FAILED,
                        f"the archive unpacks to more than {limits.max_total_bytes} bytes; unpacking stopped",
                    )
                )
                break
            target = dest.joinpath(*pure.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out)
    return findings


@contextmanager
def open_dossier(source: Path, limits: Limits | None = None) -> Iterator[OpenedDossier]:
    """Open a folder or a zip as a dossier; a zip is unpacked into a temporary work area."""
    limits = limits or Limits()
    if not source.exists():
        raise DossierNotFound(f"{source}: no such file or folder")
    if source.is_dir():
        paths = _walk(source)
        files = _link_sidecars([gather_file(source, p) for p in paths])
        yield OpenedDossier(source=str(source), root=source, files=tuple(files))
        return
    if not zipfile.is_zipfile(source):
        raise NotADossier(f"{source}: neither a folder nor a .zip archive")
    with tempfile.TemporaryDirectory(prefix="intake-") as tmp:
        work = Path(tmp) / "dossier"
        work.mkdir()
        findings = _extract_zip(source, work, limits)
        files = _link_sidecars([gather_file(work, p) for p in _walk(work)])
        yield OpenedDossier(source=str(source), root=work, files=tuple(files), findings=tuple(findings))
