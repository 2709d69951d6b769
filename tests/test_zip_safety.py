"""Hostile archives: every unsafe entry is a finding, and nothing is written outside the work area."""

from __future__ import annotations

import io
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.errors import IntakeError
from intake.files import Limits, OpenedDossier, decode_entry_name, gather_file, open_dossier
from intake.judgements import on_files as file_checks
from intake.models import Dossier, FileRole, Finding, Kind, Outcome
from tests.factories import intake_findings

AT = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class RawNameInfo(zipfile.ZipInfo):
    """A ZipInfo whose name is written as the given bytes, with or without the UTF-8 flag (bit 11)."""

    def __init__(self, raw: bytes, utf8_flag: bool = False) -> None:
        super().__init__(raw.decode("cp437"))
        self.raw = raw
        self.utf8_flag = utf8_flag

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's own hook
        return self.raw, self.flag_bits | (0x800 if self.utf8_flag else 0)


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private temp root: the work area lands here, so anything written outside it would show."""
    work_tmp = tmp_path / "tmp"
    work_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work_tmp))
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def _all_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def _codes(findings: tuple[Finding, ...] | list[Finding], outcome: Outcome = Outcome.FAILED) -> list[str]:
    return [f.code for f in findings if f.outcome is outcome]


def _outside(opened: OpenedDossier, sandbox: Path) -> set[str]:
    """Files in the sandbox that are neither the test's inputs nor inside the work area."""
    work = opened.root.relative_to(sandbox).as_posix()
    return {p for p in _all_files(sandbox) if not p.startswith(work + "/") and not p.startswith("in/")}


def _write(zip_path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return zip_path


def _mode_entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "docs/../../evil.txt",
        "..\\..\\evil.txt",
        "C:\\evil.txt",
        "C:/Windows/evil.txt",
        "\\\\server\\share\\evil.txt",
    ],
)
def test_path_traversal_entries_are_refused(sandbox: Path, name: str) -> None:
    archive = _write(sandbox / "in" / "d.zip", [("Устав 1 стр.pdf", PDF), (name, b"pwned")])
    with open_dossier(archive) as opened:
        assert "FILE013" in _codes(intake_findings(opened))
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]
        assert _outside(opened, sandbox) == set()
        assert not any("evil" in p for p in _all_files(sandbox))
    assert _all_files(sandbox / "tmp") == set()  # the work area is gone afterwards


def test_absolute_path_entry_is_refused(sandbox: Path) -> None:
    target = sandbox / "abs_evil.txt"
    archive = _write(sandbox / "in" / "d.zip", [(str(target), b"pwned"), ("Устав 1 стр.pdf", PDF)])
    with open_dossier(archive) as opened:
        refused = [f for f in intake_findings(opened) if f.code == "FILE013" and f.outcome is Outcome.FAILED]
        assert len(refused) == 1
        assert "absolute path" in refused[0].message
        assert not target.exists()
        assert _outside(opened, sandbox) == set()


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        (stat.S_IFLNK | 0o777, "symbolic link"),
        (stat.S_IFCHR | 0o666, "device"),
        (stat.S_IFIFO | 0o666, "device, pipe"),
    ],
)
def test_links_and_devices_are_refused(sandbox: Path, mode: int, words: str) -> None:
    archive = _write(
        sandbox / "in" / "d.zip", [(_mode_entry("passwd.pdf", mode), b"/etc/passwd"), ("Устав 1 стр.pdf", PDF)]
    )
    with open_dossier(archive) as opened:
        refused = [f for f in intake_findings(opened) if f.code == "FILE013" and f.outcome is Outcome.FAILED]
        assert len(refused) == 1 and words in refused[0].message
        assert not (opened.root / "passwd.pdf").exists() and not (opened.root / "passwd.pdf").is_symlink()
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]


def test_safe_archive_reports_its_checks_passed(sandbox: Path) -> None:
    archive = _write(sandbox / "in" / "d.zip", [("Устав 1 стр.pdf", PDF)])
    with open_dossier(archive) as opened:
        assert _codes(intake_findings(opened)) == []
        assert sorted(_codes(intake_findings(opened), Outcome.PASSED)) == ["FILE013", "FILE014", "FILE016"]


# --------------------------------------------------------------------------- bombs

SMALL = Limits(
    max_total_bytes=4_000_000,
    max_entry_bytes=2_000_000,
    max_files=20,
    max_ratio=50.0,
    max_total_ratio=40.0,
    ratio_grace_bytes=100_000,
)


def test_entry_ratio_bomb_is_stopped_while_streaming(sandbox: Path) -> None:
    archive = _write(sandbox / "in" / "bomb.zip", [("Устав 1 стр.pdf", PDF), ("zeros.pdf", b"\0" * 1_500_000)])
    with open_dossier(archive, SMALL) as opened:
        stopped = [f for f in intake_findings(opened) if f.code == "FILE014" and f.outcome is Outcome.FAILED]
        assert len(stopped) == 1 and "expands more than 50 times" in stopped[0].message
        assert not (opened.root / "zeros.pdf").exists()  # the partial output is removed
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]


def test_entry_size_and_total_size_are_limited(sandbox: Path) -> None:
    data = os.urandom(600_000)  # incompressible: no ratio trips, only sizes
    big = _write(sandbox / "in" / "big.zip", [("one.pdf", data * 4)])
    with open_dossier(big, SMALL) as opened:
        assert any("more than 2000000 bytes" in f.message for f in intake_findings(opened) if f.code == "FILE014")
        assert opened.files == ()
    many = _write(sandbox / "in" / "many.zip", [(f"part{i}.pdf", os.urandom(900_000)) for i in range(8)])
    with open_dossier(many, SMALL) as opened:
        stopped = [f for f in intake_findings(opened) if f.code == "FILE014" and f.outcome is Outcome.FAILED]
        assert len(stopped) == 1 and "unpacking stopped" in stopped[0].message
        assert sum(f.size for f in opened.files) <= SMALL.max_total_bytes


def test_overall_ratio_is_limited(sandbox: Path) -> None:
    # Each entry alone stays under the per-entry ratio's grace; together they expand too far.
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [(f"z{i}.pdf", b"\0" * 90_000) for i in range(15)]
    archive = _write(sandbox / "in" / "wide.zip", entries)
    with open_dossier(archive, SMALL) as opened:
        assert any("times its size" in f.message for f in intake_findings(opened) if f.code == "FILE014")


def test_too_many_entries(sandbox: Path) -> None:
    archive = _write(sandbox / "in" / "n.zip", [(f"f{i}.pdf", PDF) for i in range(25)])
    with open_dossier(archive, SMALL) as opened:
        assert _codes(intake_findings(opened)) == ["FILE014"]
        assert opened.files == ()


def test_declared_sizes_are_not_trusted(sandbox: Path) -> None:
    """A header that understates the entry's size gives a damaged entry, never a large file."""
    archive = _write(sandbox / "in" / "liar.zip", [("Устав 1 стр.pdf", PDF), ("liar.pdf", b"\0" * 3_000_000)])
    raw = bytearray(archive.read_bytes())
    # Rewrite the uncompressed size of `liar.pdf` to 10 bytes, in the local header and in the central directory.
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("liar.pdf")
    real = info.file_size.to_bytes(4, "little")
    assert raw.count(real) >= 2
    raw = raw.replace(real, (10).to_bytes(4, "little"))
    archive.write_bytes(bytes(raw))
    with open_dossier(archive, SMALL) as opened:
        assert any(f.document == "liar.pdf" and f.outcome is Outcome.FAILED for f in intake_findings(opened))
        assert all(p.stat().st_size <= 10 for p in opened.root.rglob("liar.pdf"))


# --------------------------------------------------------------------------- nested archives, system files


def test_nested_archives_are_reported_not_unpacked(sandbox: Path) -> None:
    inner = _write(sandbox / "in" / "inner.zip", [("Диплом 1 стр.pdf", PDF)]).read_bytes()
    archive = _write(
        sandbox / "in" / "outer.zip",
        [
            ("Устав 1 стр.pdf", PDF),
            ("docs.zip", inner),
            ("scans.rar", b"Rar!\x1a\x07\x01\x00" + b"\0" * 64),
            ("more.7z", b"7z\xbc\xaf\x27\x1c" + b"\0" * 64),
            ("old.tar.gz", b"\x1f\x8b\x08\x00" + b"\0" * 64),
        ],
    )
    with open_dossier(archive) as opened:
        names = {f.name for f in opened.files}
        assert "Диплом 1 стр.pdf" not in names and not any(n.startswith("docs/") for n in names)
        dossier = Dossier(source=str(archive), at=AT, kind=Kind.ORGANIZATION, application=None, files=opened.files)
        nested = [f for f in file_checks.readable(dossier) if f.code == "FILE015"]
    assert sorted(f.document or "" for f in nested) == ["docs.zip", "more.7z", "old.tar.gz", "scans.rar"]
    assert all(f.outcome is Outcome.FAILED for f in nested)
    # Archives do not stand for documents: no page-count or name findings about them.
    assert not [f for f in file_checks.names_and_pages(dossier) if f.document in {"docs.zip", "scans.rar"}]


def test_system_files_are_ignored_with_an_info_finding(sandbox: Path) -> None:
    archive = _write(
        sandbox / "in" / "mac.zip",
        [
            ("Устав 1 стр.pdf", PDF),
            ("__MACOSX/._Устав 1 стр.pdf", b"\0\5\26\7"),
            ("Thumbs.db", b"x"),
            ("sub/desktop.ini", b"x"),
            (".DS_Store", b"x"),
            ("~$Устав.docx", b"x"),
        ],
    )
    with open_dossier(archive) as opened:
        roles = {f.name: f.role for f in opened.files}
        dossier = Dossier(source=str(archive), at=AT, kind=Kind.ORGANIZATION, application=None, files=opened.files)
        ignored = list(file_checks.ignored_files(dossier))
        docs = [f.name for f in dossier.documents()]
    assert docs == ["Устав 1 стр.pdf"]
    assert sum(r is FileRole.IGNORED for r in roles.values()) == 5
    assert len(ignored) == 5 and all(f.code == "FILE012" and f.severity.value == "info" for f in ignored)


# --------------------------------------------------------------------------- names inside zips


def test_cp866_names_without_utf8_flag_are_decoded(sandbox: Path) -> None:
    name = "Устав ТОО 1 стр.pdf"
    archive = _write(
        sandbox / "in" / "win.zip",
        [
            (RawNameInfo(name.encode("cp866")), PDF),
            (RawNameInfo("Диплом 1 стр.pdf".encode(), utf8_flag=True), PDF + b" "),
            (RawNameInfo("Справка 1 стр.pdf".encode()), PDF + b"  "),  # UTF-8 without the flag (Info-ZIP)
            (RawNameInfo("Аренда 1 стр.pdf".encode("cp1251")), PDF + b"   "),
        ],
    )
    with zipfile.ZipFile(archive) as zf:
        assert [decode_entry_name(i) for i in zf.infolist()] == [
            name,
            "Диплом 1 стр.pdf",
            "Справка 1 стр.pdf",
            "Аренда 1 стр.pdf",
        ]
        assert not zf.infolist()[0].flag_bits & 0x800
    with open_dossier(archive) as opened:
        assert sorted(f.name for f in opened.files) == sorted(
            [name, "Диплом 1 стр.pdf", "Справка 1 стр.pdf", "Аренда 1 стр.pdf"]
        )
        constituent = next(f for f in opened.files if f.name == name)
        assert constituent.identification.document_type == "constituent-documents"
        assert constituent.pages == 1


def test_duplicate_entries_keep_the_first(sandbox: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive = _write(sandbox / "in" / "dup.zip", [("Устав 1 стр.pdf", PDF), ("Устав 1 стр.pdf", b"other")])
    with open_dossier(archive) as opened:
        assert "FILE013" in _codes(intake_findings(opened))
        assert opened.files[0].path.read_bytes() == PDF


def test_password_protected_entry_is_a_finding(sandbox: Path) -> None:
    archive = _write(sandbox / "in" / "enc.zip", [("Устав 1 стр.pdf", PDF), ("Диплом 1 стр.pdf", PDF)])
    raw = bytearray(archive.read_bytes())
    # Set the "encrypted" flag of the second entry (local header and central directory).
    with zipfile.ZipFile(archive) as zf:
        second = zf.infolist()[1]
    raw[second.header_offset + 6] |= 0x1
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 8] |= 0x1
    archive.write_bytes(bytes(raw))
    with open_dossier(archive) as opened:
        assert "FILE009" in _codes(intake_findings(opened))
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]


def test_a_zipped_folder_is_the_dossier(sandbox: Path) -> None:
    """Windows' "Send to > Compressed folder" on a folder puts that folder at the top of the zip."""
    archive = _write(
        sandbox / "in" / "folder.zip",
        [
            (RawNameInfo("Документы ТОО/application.json".encode("cp866")), b"{}"),
            (RawNameInfo("Документы ТОО/Устав 1 стр.pdf".encode("cp866")), PDF),
            (RawNameInfo("Документы ТОО/state/tax-debt.json".encode("cp866")), b"{}"),
            ("__MACOSX/Документы ТОО/._Устав 1 стр.pdf", b"\0"),
        ],
    )
    with open_dossier(archive) as opened:
        roles = {f.name: f.role for f in opened.files}
        assert opened.application_path() == opened.root / "application.json"
    assert roles == {
        "application.json": FileRole.APPLICATION,
        "Устав 1 стр.pdf": FileRole.DOCUMENT,
        "state/tax-debt.json": FileRole.ATTESTATION,
    }


# --------------------------------------------------------------------------- never a traceback

_GOOD = io.BytesIO()
with zipfile.ZipFile(_GOOD, "w", zipfile.ZIP_DEFLATED) as _zf:
    _zf.writestr("Устав 1 стр.pdf", PDF)
    _zf.writestr("state/x.json", b"{}" * 50)
GOOD_ZIP = _GOOD.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(GOOD_ZIP) - 1), st.integers(0, 255)), max_size=8))
def test_damaged_zips_never_raise(sandbox: Path, damage: list[tuple[int, int]]) -> None:
    data = bytearray(GOOD_ZIP)
    for at, value in damage:
        data[at] = value
    archive = sandbox / "in" / "damaged.zip"
    archive.parent.mkdir(exist_ok=True)
    archive.write_bytes(bytes(data))
    try:
        with open_dossier(archive) as opened:
            assert all(f.path.is_relative_to(opened.root) for f in opened.files)
    except IntakeError:
        pass  # not a zip at all any more: exit 2 with a message, never a traceback


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([".pdf", ".jpg", ".png", ".tif", ".docx", ""]), st.binary(max_size=2048))
def test_arbitrary_bytes_as_a_document_never_raise(sandbox: Path, ext: str, data: bytes) -> None:
    folder = sandbox / "in" / "any"
    folder.mkdir(parents=True, exist_ok=True)
    for head in (b"", b"%PDF-1.4\n", b"\xff\xd8\xff", b"II*\x00", b"\x89PNG\r\n\x1a\n"):
        path = folder / f"Устав 1 стр{ext}"
        path.write_bytes(head + data)
        facts = gather_file(folder, path)
        assert facts.pages is None or facts.pages >= 1


def test_fifo_named_zip_is_exit_2_at_once(tmp_path: Path) -> None:
    """A named pipe given as the dossier is refused by `stat` before anything opens it (it would block)."""
    import subprocess
    import sys

    fifo = tmp_path / "dossier.zip"
    os.mkfifo(fifo)
    console = Path(sys.executable).parent / "intake"
    try:
        proc = subprocess.run(
            [str(console), "check", str(fifo), "--no-ocr"], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("intake check blocked on a FIFO given as the dossier")
    assert proc.returncode == 2
    assert "named pipe" in proc.stderr and "dossier.zip" in proc.stderr
    assert "Traceback" not in proc.stderr
