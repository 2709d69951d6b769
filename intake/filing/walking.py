"""Archive and folder walking: the dossier as files, safely unpacked, each gathered into its facts."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from intake.errors import DamagedArchive, DossierNotFound, EmptyArchive, NotADossier, SeveralDossiers
from intake.filing.media import (
    ARCHIVE_EXTENSIONS,
    ARCHIVE_MEDIA,
    SIGNATURE_EXTENSIONS,
    SUPPORTED_MEDIA,
    ZIP,
    describe_media,
    expected_media_type,
    sniff_file,
)
from intake.filing.naming import display_name, display_path, is_text_name, legacy_decoding, parse_name, readable_name
from intake.filing.pages import count_pages
from intake.models import FileFacts, FileRole, Identification, IntakeFacts, Refusal, RefusedEntry, Say, say

IGNORED_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", "expected.json"})
IGNORED_DIRS = frozenset({"__macosx", ".git", ".svn", "$recycle.bin", "system volume information"})
ATTESTATION_DIR = "state"
APPLICATION_NAME = "application.json"
APPLICATION_XML_NAME = "application.xml"  # its XML form with an enveloped XMLDSig (issue 15)


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
    """A dossier ready to read: its files, and what file intake saw of it as a whole (what it refused)."""

    source: str
    root: Path
    files: tuple[FileFacts, ...]
    intake: IntakeFacts = field(default_factory=lambda: IntakeFacts(source_name=""))

    def application_path(self) -> Path | None:
        """The path of `application.json` (else `application.xml`), if the dossier has one."""
        apps = sorted((f for f in self.files if f.role is FileRole.APPLICATION), key=lambda f: f.extension != ".json")
        return apps[0].path if apps else None


def _said(reason: Say) -> dict[str, Any]:
    """The fields of a refusal's reason: English, and the template to say it in the report's language."""
    return {"reason": str(reason), "template": reason}


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


def _gather_safely(root: Path, path: Path) -> tuple[FileFacts | None, RefusedEntry | None]:
    """`gather_file`, where a file that vanished or cannot be opened is refused, with its reason."""
    try:
        return gather_file(root, path), None
    except OSError as exc:
        name = display_name(path.relative_to(root).as_posix())
        return None, RefusedEntry(
            refusal=Refusal.UNREADABLE,
            **_said(say("{file}: the file cannot be read ({error})", file=name, error=str(exc.strerror or exc))),
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


def _walk_folder(root: Path, limits: Limits) -> tuple[list[Path], list[RefusedEntry]]:
    """Regular files of a folder dossier; links and special files are refused (unsafe), never followed
    nor opened; a folder that cannot be listed is unreadable; a name that is not text is recorded."""
    paths: list[Path] = []
    findings: list[RefusedEntry] = []
    real_root = os.path.realpath(root)

    def rel(path: Path | str) -> str:
        return display_name(Path(path).relative_to(root).as_posix())

    def refuse(path: Path, what: str) -> None:
        name = rel(path)
        findings.append(
            RefusedEntry(
                refusal=Refusal.UNSAFE,
                **_said(say("{file} is {what}; it was refused and not read", file=name, what=what)),
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
            RefusedEntry(
                refusal=Refusal.UNREADABLE,
                **_said(
                    say(
                        "the folder {folder} cannot be read ({error}); its files were not checked",
                        folder=name,
                        error=str(exc.strerror or exc),
                    )
                ),
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
                    RefusedEntry(
                        refusal=Refusal.OVER_LIMIT,
                        **_said(
                            say(
                                "the folder holds more than {limit} files; the rest were not read",
                                limit=limits.max_files,
                            )
                        ),
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
                RefusedEntry(
                    refusal=Refusal.NAME_NOT_TEXT,
                    **_said(
                        say(
                            "the name «{name}» is not valid text (UTF-8): the bytes that are not are shown as \\xNN; "
                            "read as a Windows name it is «{read_as}»; rename the file",
                            name=name,
                            read_as=readable_name(relative),
                        )
                    ),
                    document=name,
                    evidence={"name_bytes": os.fsencode(relative).hex(), "read_as": readable_name(relative)},
                )
            )
    return sorted(paths), findings


# ---- zip archives


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
        return legacy_decoding(raw)


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


def _extract_zip(source: Path, dest: Path, limits: Limits) -> list[RefusedEntry]:
    """Unpack a zip into `dest`, entry by entry, writing nothing outside it and nothing unsafe."""
    findings: list[RefusedEntry] = []
    try:
        zf = zipfile.ZipFile(source)
    except Exception as exc:  # a hostile central directory breaks zipfile in many ways: all mean "damaged"
        raise DamagedArchive(
            f"{display_path(source)}: the archive is truncated or damaged; its table of contents cannot be read "
            f"({type(exc).__name__}: {exc}); make the archive again"
        ) from exc
    real_dest = dest.resolve()
    budget = _Budget(archive_size=max(source.stat().st_size, 1))
    with zf:
        infos = zf.infolist()
        if not any(not i.is_dir() and role_of(decode_entry_name(i)) is not FileRole.IGNORED for i in infos):
            raise EmptyArchive(
                f"{display_path(source)}: the archive is empty (it holds no file); put the dossier's files in it"
            )
        if len(infos) > limits.max_files:
            return [
                RefusedEntry(
                    refusal=Refusal.OVER_LIMIT,
                    **_said(
                        say(
                            "the archive holds {entries} entries; the limit is {limit}; nothing was unpacked",
                            entries=len(infos),
                            limit=limits.max_files,
                        )
                    ),
                    evidence={"entries": len(infos), "limit": limits.max_files},
                )
            ]
        for info in infos:
            name = decode_entry_name(info)
            problem = entry_problem(name, info)
            if problem is not None:
                findings.append(
                    RefusedEntry(
                        refusal=Refusal.UNSAFE,
                        **_said(
                            say(
                                "archive entry '{entry}' is {problem}; it was not unpacked", entry=name, problem=problem
                            )
                        ),
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
                    RefusedEntry(
                        refusal=Refusal.UNSAFE,
                        **_said(
                            say(
                                "archive entry '{entry}' would be written outside the dossier; it was not unpacked",
                                entry=name,
                            )
                        ),
                        document=name,
                    )
                )
                continue
            if info.flag_bits & 0x1:
                findings.append(
                    RefusedEntry(
                        refusal=Refusal.ENCRYPTED,
                        **_said(
                            say("archive entry '{entry}' is encrypted with a password; it was not unpacked", entry=name)
                        ),
                        document="/".join(parts),
                    )
                )
                continue
            problem_found = _write_entry(zf, info, target, budget, limits)
            if problem_found is None:
                continue
            refusal, reason = problem_found
            findings.append(
                RefusedEntry(
                    refusal=refusal,
                    **_said(
                        say("archive entry '{entry}': {reason}; unpacking stopped", entry=name, reason=reason)
                        if budget.stopped
                        else say("archive entry '{entry}': {reason}; it was not unpacked", entry=name, reason=reason)
                    ),
                    document="/".join(parts),
                    evidence={"entry": name, "unpacked_bytes": budget.total},
                )
            )
            if budget.stopped:
                break
    return findings


def _write_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: _Budget, limits: Limits
) -> tuple[Refusal, str] | None:
    """Write one entry with O_EXCL|O_NOFOLLOW; on a problem remove the partial file: (refusal, why)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        return Refusal.UNSAFE, "it appears twice in the archive (the first copy was kept)"
    except OSError as exc:
        return Refusal.UNREADABLE, f"it cannot be written ({exc.strerror or exc})"
    problem: tuple[Refusal, str] | None = None
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as src:
            reason = _stream(src, out, info, budget, limits)
            problem = (Refusal.OVER_LIMIT, reason) if reason else None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        problem = Refusal.UNREADABLE, f"the entry is damaged ({exc})"
    except NotImplementedError as exc:
        problem = Refusal.UNREADABLE, f"it is compressed with a method intake cannot unpack ({exc})"
    except Exception as exc:  # whatever a damaged entry makes zipfile raise, it is that entry's finding
        problem = Refusal.UNREADABLE, f"it cannot be unpacked ({type(exc).__name__}: {exc})"
    if problem is not None:
        target.unlink(missing_ok=True)
    return problem


@contextmanager
def open_dossier(source: Path, limits: Limits | None = None) -> Iterator[OpenedDossier]:
    """Open a folder or a zip as a dossier; a zip is unpacked into a temporary work area.

    The input is only read: nothing in the folder or the archive is changed.

    Raises:
        DossierNotFound: the path does not exist.
        DamagedArchive: the path is a zip archive that is truncated or damaged.
        EmptyArchive: the path is a zip archive that holds no file.
        SeveralDossiers: the folder or archive holds several dossiers, each in its own subfolder.
        NotADossier: the path is neither a folder nor a zip archive.
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
        yield _opened(source, source, limits, None)
        return
    try:
        is_zip = zipfile.is_zipfile(source)
    except OSError as exc:
        raise NotADossier(f"{shown}: cannot be read ({exc.strerror or exc})") from exc
    if not is_zip:
        if _looks_like_zip(source):
            raise DamagedArchive(
                f"{shown}: the archive is truncated or damaged (a zip without its table of contents at the end, "
                "e.g. an interrupted download or copy); make or download it again"
            )
        raise NotADossier(f"{shown}: neither a folder nor a .zip archive")
    with tempfile.TemporaryDirectory(prefix="intake-") as tmp:
        work = Path(tmp) / "dossier"
        work.mkdir()
        refused = _extract_zip(source, work, limits)
        yield _opened(source, _unwrap(work), limits, refused)


def _opened(source: Path, root: Path, limits: Limits, unpacking: Sequence[RefusedEntry] | None) -> OpenedDossier:
    """The dossier under `root` (the folder itself, or where a zip was unpacked, `unpacking` being what the
    unpacking refused); several dossiers in one are refused."""
    _refuse_several(root, display_path(source))
    paths, walk_refused = _walk_folder(root, limits)
    files, unreadable = _gather_all(root, paths)
    return OpenedDossier(
        source=str(source),
        root=root,
        files=tuple(files),
        intake=IntakeFacts(
            source_name=source.name,
            archive=unpacking is not None,
            refused=(*(unpacking or ()), *walk_refused, *unreadable),
        ),
    )


def _looks_like_zip(source: Path) -> bool:
    """A file named .zip, or starting as a zip does (a local file header), which `zipfile` cannot open."""
    if source.suffix.lower() in (".zip", ".zipx"):
        return True
    try:
        with source.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _refuse_several(root: Path, shown: str) -> None:
    """A folder with no application of its own whose subfolders each hold one is several dossiers."""
    if (root / APPLICATION_NAME).exists() or (root / APPLICATION_XML_NAME).exists():
        return
    try:
        subfolders = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return  # the walk reports a folder that cannot be listed
    holding = sorted(
        p.name for p in subfolders if (p / APPLICATION_NAME).is_file() or (p / APPLICATION_XML_NAME).is_file()
    )
    if len(holding) >= 2:
        listed = ", ".join(display_name(n) for n in holding[:5]) + (", ..." if len(holding) > 5 else "")
        raise SeveralDossiers(
            f"{shown}: holds {len(holding)} dossiers (subfolders each with {APPLICATION_NAME}: {listed}), not one; "
            "screen each subfolder on its own, or all of them with `intake batch`"
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


def _gather_all(root: Path, paths: Iterable[Path]) -> tuple[list[FileFacts], list[RefusedEntry]]:
    files: list[FileFacts] = []
    findings: list[RefusedEntry] = []
    for p in paths:
        facts, problem = _gather_safely(root, p)
        if facts is not None:
            files.append(facts)
        if problem is not None:
            findings.append(problem)
    return _link_sidecars(files), findings
