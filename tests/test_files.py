"""File intake: page counts, unreadable files, folder safety, completeness checks, `intake names`."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from intake import ocr
from intake.cli import main
from intake.errors import DamagedArchive, EmptyArchive, NotADossier, SeveralDossiers
from intake.files import count_pages, gather_file, open_dossier, plan_names
from intake.judgements import on_files as file_checks
from intake.models import Dossier, Finding, Kind, OrganizationApplication, Outcome, SpecialistApplication
from intake.pipeline import Settings, check
from tests.factories import intake_findings

AT = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))


# --------------------------------------------------------------------------- real files, made here


def pdf_bytes(pages: int) -> bytes:
    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    buffer = io.BytesIO()
    doc.save(buffer)
    doc.close()
    return buffer.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(2))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str, frames: int = 1) -> bytes:
    pages = [Image.new("L", (120, 160), color=255 - 40 * i) for i in range(frames)]
    buffer = io.BytesIO()
    if frames > 1:
        pages[0].save(buffer, format=fmt, save_all=True, append_images=pages[1:])
    else:
        pages[0].save(buffer, format=fmt)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def write_folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def findings_of(check: Callable[[Dossier], Iterable[Finding]], dossier: Dossier) -> list[Finding]:
    return list(check(dossier))


def dossier_of(root: Path, application: OrganizationApplication | SpecialistApplication | None = None) -> Dossier:
    with open_dossier(root) as opened:
        kind = Kind(application.kind) if application is not None else Kind.ORGANIZATION
        return Dossier(source=str(root), at=AT, kind=kind, application=application, files=opened.files)


def failed(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code and f.outcome is Outcome.FAILED]


# --------------------------------------------------------------------------- page counts


@pytest.mark.parametrize(
    ("name", "data", "pages"),
    [
        ("a.pdf", pdf_bytes(3), 3),
        ("b.pdf", pdf_bytes(1), 1),
        ("c.tif", image_bytes("TIFF", frames=4), 4),
        ("d.jpg", image_bytes("JPEG"), 1),
        ("e.png", image_bytes("PNG"), 1),
    ],
)
def test_page_counts(tmp_path: Path, name: str, data: bytes, pages: int) -> None:
    (tmp_path / name).write_bytes(data)
    facts = gather_file(tmp_path, tmp_path / name)
    assert (facts.pages, facts.read_error, facts.encrypted) == (pages, None, False)


def test_encrypted_pdfs(tmp_path: Path) -> None:
    write_folder(tmp_path, {"locked.pdf": encrypted_pdf("user-secret"), "restricted.pdf": encrypted_pdf("")})
    locked = gather_file(tmp_path, tmp_path / "locked.pdf")
    assert locked.encrypted and locked.pages is None and "password" in (locked.read_error or "")
    restricted = gather_file(tmp_path, tmp_path / "restricted.pdf")
    assert restricted.encrypted and restricted.pages == 2 and restricted.read_error is None
    found = findings_of(file_checks.readable, dossier_of(tmp_path))
    by_file = {(f.document, f.code): f.outcome for f in found}
    assert by_file[("locked.pdf", "FILE009")] is Outcome.FAILED
    assert by_file[("restricted.pdf", "FILE009")] is Outcome.INDETERMINATE


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("cut.pdf", pdf_bytes(3)[:-200], "cannot be opened"),
        ("no-eof.pdf", pdf_bytes(3).rstrip()[: -len(b"%%EOF")], "truncated"),
        ("garbage.pdf", b"%PDF-1.7\n" + os.urandom(300), "cannot be opened"),
        ("empty.pdf", b"", "empty"),
        ("truncated.jpg", image_bytes("JPEG")[:300], "cannot be decoded"),
        ("broken.png", image_bytes("PNG")[:40], "cannot be decoded"),
        ("text.pdf", b"just text, no PDF at all", "not a PDF"),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    (tmp_path / name).write_bytes(data)
    facts = gather_file(tmp_path, tmp_path / name)
    assert words in (facts.read_error or ""), facts.read_error
    unreadable = failed(findings_of(file_checks.readable, dossier_of(tmp_path)), "FILE008")
    assert [f.document for f in unreadable] == [name]
    assert name in unreadable[0].message


def test_count_pages_never_raises_on_junk(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.write_bytes(b"II*\x00" + os.urandom(64))
    pages, error, _ = count_pages(junk, "image/tiff")
    assert pages is None and error


def test_content_not_matching_extension(tmp_path: Path) -> None:
    write_folder(tmp_path, {"Диплом 1 стр.pdf": image_bytes("JPEG"), "Устав 2 стр": pdf_bytes(2)})
    dossier = dossier_of(tmp_path)
    mismatched = failed(findings_of(file_checks.readable, dossier), "FILE010")
    assert sorted(f.document or "" for f in mismatched) == ["Диплом 1 стр.pdf", "Устав 2 стр"]
    assert "JPEG" in next(f.message for f in mismatched if f.document == "Диплом 1 стр.pdf")
    # The real content is read all the same: the pages are counted and the names checked against them.
    assert {f.name: f.pages for f in dossier.files} == {"Диплом 1 стр.pdf": 1, "Устав 2 стр": 2}
    # Renamed copies carry the extension of their real content.
    assert [p.canonical for p in plan_names(dossier.files)] == [
        "01_qualification_1p.jpg",
        "01_constituent-documents_2p.pdf",
    ]


def test_unsupported_type(tmp_path: Path) -> None:
    write_folder(tmp_path, {"Устав 12 стр.docx": docx_bytes(), "notes.txt": b"hello"})
    dossier = dossier_of(tmp_path)
    unsupported = failed(findings_of(file_checks.readable, dossier), "FILE011")
    assert sorted(f.document or "" for f in unsupported) == ["notes.txt", "Устав 12 стр.docx"]
    assert "Word document" in next(f.message for f in unsupported if f.document == "Устав 12 стр.docx")
    assert not [f for f in findings_of(file_checks.names_and_pages, dossier) if f.code == "FILE004"]


def test_one_bad_file_never_stops_the_others(tmp_path: Path) -> None:
    write_folder(
        tmp_path,
        {
            "01 Устав 2 стр.pdf": pdf_bytes(2),
            "02 broken 1 стр.pdf": pdf_bytes(1)[:100],
            "03 locked 2 стр.pdf": encrypted_pdf("x"),
            "04 Диплом 1 стр.jpg": image_bytes("JPEG")[:200],
            "05 Прейскурант 3 стр.tif": image_bytes("TIFF", frames=3),
            "06 Сведения о материальных ресурсах 1 стр.docx": docx_bytes(),
        },
    )
    dossier = dossier_of(tmp_path)
    pages = {f.name: f.pages for f in dossier.files}
    assert pages["01 Устав 2 стр.pdf"] == 2 and pages["05 Прейскурант 3 стр.tif"] == 3
    codes = {
        (f.document, f.code) for f in findings_of(file_checks.readable, dossier) if f.outcome is not Outcome.PASSED
    }
    assert ("02 broken 1 стр.pdf", "FILE008") in codes
    assert ("03 locked 2 стр.pdf", "FILE009") in codes
    assert ("04 Диплом 1 стр.jpg", "FILE008") in codes
    assert ("06 Сведения о материальных ресурсах 1 стр.docx", "FILE011") in codes


# --------------------------------------------------------------------------- folders: links, input untouched


def test_folder_symlink_outside_is_refused_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret 1 стр.pdf"
    write_folder(tmp_path / "outside", {"secret 1 стр.pdf": pdf_bytes(1)})
    root = write_folder(tmp_path / "dossier", {"Устав 1 стр.pdf": pdf_bytes(1)})
    (root / "Диплом 1 стр.pdf").symlink_to(secret)
    (root / "docs").symlink_to(tmp_path / "outside", target_is_directory=True)
    (root / "inside.pdf").symlink_to(root / "Устав 1 стр.pdf")
    os.mkfifo(root / "pipe.pdf")  # reading a pipe would hang: it must not be opened
    with open_dossier(root) as opened:
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]
        refused = {f.document: f.message for f in intake_findings(opened) if f.code == "FILE013"}
    assert set(refused) == {"Диплом 1 стр.pdf", "docs", "inside.pdf", "pipe.pdf"}
    assert "outside the dossier" in refused["Диплом 1 стр.pdf"]
    assert "inside the dossier" in refused["inside.pdf"]


def test_link_loops_dangling_links_and_system_files_are_refused(tmp_path: Path) -> None:
    """Loops (file and folder), a dangling link and a link to /etc/passwd: FILE013 each, nothing read."""
    root = write_folder(tmp_path / "dossier", {"Устав 1 стр.pdf": pdf_bytes(1)})
    (root / "loop-a.pdf").symlink_to(root / "loop-b.pdf")
    (root / "loop-b.pdf").symlink_to(root / "loop-a.pdf")
    (root / "self.pdf").symlink_to("self.pdf")
    (root / "up").symlink_to("..", target_is_directory=True)  # a folder loop
    (root / "dangling.pdf").symlink_to(root / "nowhere.pdf")
    (root / "passwd 1 стр.pdf").symlink_to("/etc/passwd")
    with open_dossier(root) as opened:
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]
        refused = {f.document: f.message for f in intake_findings(opened) if f.code == "FILE013"}
        messages = json.dumps([f.model_dump(mode="json") for f in intake_findings(opened)], ensure_ascii=False)
    assert set(refused) == {"loop-a.pdf", "loop-b.pdf", "self.pdf", "up", "dangling.pdf", "passwd 1 стр.pdf"}
    assert all("refused and not read" in m for m in refused.values())
    assert "outside the dossier" in refused["passwd 1 стр.pdf"]
    assert "root:" not in messages


def test_special_files_in_a_folder_are_never_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO (a file or a 'folder' name) is refused by lstat alone: no reader ever opens it."""
    root = write_folder(tmp_path / "dossier", {"Устав 1 стр.pdf": pdf_bytes(1)})
    os.mkfifo(root / "Диплом 1 стр.pdf")
    (root / "state").mkdir()
    os.mkfifo(root / "state" / "pipe.json")
    opened_paths: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object) -> object:
        opened_paths.append(self.name)
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", spy)
    with open_dossier(root) as opened:
        refused = {f.document for f in failed(list(intake_findings(opened)), "FILE013")}
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]
    assert refused == {"Диплом 1 стр.pdf", "state/pipe.json"}
    assert "Диплом 1 стр.pdf" not in opened_paths and "pipe.json" not in opened_paths


@pytest.mark.parametrize("make", ["fifo", "device"])
def test_special_file_as_dossier_is_refused_without_opening_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: str
) -> None:
    """A FIFO given as the dossier would block `zipfile.is_zipfile` forever: refused by `stat` first (exit 2)."""
    if make == "fifo":
        path = tmp_path / "dossier.zip"
        os.mkfifo(path)
    else:
        path = Path("/dev/null")

    def never(*_: object) -> bool:
        raise AssertionError(f"{path} was opened")

    monkeypatch.setattr(zipfile, "is_zipfile", never)
    with pytest.raises(NotADossier, match=r"neither a folder nor a \.zip") as caught, open_dossier(path):
        pass
    assert str(path) in str(caught.value)
    assert ("named pipe" if make == "fifo" else "device") in str(caught.value)


def _cp1251_name(root: Path, text: str) -> Path:
    """A file whose name is raw CP1251 bytes (a Windows name copied onto Linux): not valid UTF-8."""
    return Path(os.fsdecode(os.fsencode(root) + b"/" + text.encode("cp1251")))


def test_name_that_is_not_utf8_is_shown_as_text_and_reported(tmp_path: Path) -> None:
    """The real path is read; the name shown is valid text (escaped bytes); the document is still identified."""
    root = write_folder(tmp_path / "dossier", {"Диплом 1 стр.pdf": pdf_bytes(1)})
    bad = _cp1251_name(root, "Устав 3 стр.pdf")
    bad.write_bytes(pdf_bytes(3))
    Path(str(bad) + ".cms").write_bytes(b"not a signature")  # the sidecar carries the same bytes
    with open_dossier(root) as opened:
        by_name = {f.name: f for f in opened.files}
        flagged = failed(list(intake_findings(opened)), "FILE016")
    shown = "\\xd3\\xf1\\xf2\\xe0\\xe2 3 \\xf1\\xf2\\xf0.pdf"
    assert set(by_name) == {"Диплом 1 стр.pdf", shown, shown + ".cms"}
    for name in by_name:
        name.encode("utf-8")  # every name is valid text
    doc = by_name[shown]
    assert doc.path == bad and doc.pages == 3 and doc.read_error is None
    assert doc.identification.document_type == "constituent-documents"
    assert doc.identification.declared_pages == 3
    assert doc.signature_files == (shown + ".cms",)
    assert {f.document for f in flagged} == {shown, shown + ".cms"}
    assert "Устав 3 стр.pdf" in flagged[0].message + flagged[1].message


def test_name_that_is_not_utf8_passes_through_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`intake check --format json` and `intake names --format json` print a name that is not UTF-8."""
    root = write_folder(tmp_path / "dossier", {"Диплом 1 стр.pdf": pdf_bytes(1)})
    _cp1251_name(root, "Устав 3 стр.pdf").write_bytes(pdf_bytes(3))
    capsys.readouterr()
    code = main(["check", str(root), "--no-ocr", "--format", "json", "--at", "2026-11-20T12:00:00+05:00"])
    report = json.loads(capsys.readouterr().out)
    assert code in (1, 3)
    assert any(f["code"] == "FILE016" and f["outcome"] == "failed" for f in report["findings"])
    assert main(["names", str(root), "--format", "json"]) == 0
    files = {f["file"]: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert (
        files["\\xd3\\xf1\\xf2\\xe0\\xe2 3 \\xf1\\xf2\\xf0.pdf"]["canonical_name"] == "01_constituent-documents_3p.pdf"
    )


def test_text_names_pass_file016(tmp_path: Path) -> None:
    root = write_folder(tmp_path / "dossier", {"Устав 1 стр.pdf": pdf_bytes(1)})
    with open_dossier(root) as opened:
        assert [f.outcome for f in intake_findings(opened) if f.code == "FILE016"] == [Outcome.PASSED]


def test_permission_denied_file_is_file008_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that cannot be opened (EACCES; faked: the tests may run as root) is FILE008 naming it."""
    root = write_folder(tmp_path / "dossier", {"Устав 1 стр.pdf": pdf_bytes(1), "Диплом 1 стр.pdf": pdf_bytes(1)})
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "Диплом 1 стр.pdf":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    with open_dossier(root) as opened:
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]
        denied = failed(list(intake_findings(opened)), "FILE008")
    assert [f.document for f in denied] == ["Диплом 1 стр.pdf"]
    assert "Permission denied" in denied[0].message


def test_folder_that_cannot_be_listed_is_file008(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sub-folder that cannot be listed is reported (never silently skipped); the rest is read."""
    root = write_folder(tmp_path / "dossier", {"Устав 1 стр.pdf": pdf_bytes(1), "state/a.pdf": pdf_bytes(1)})
    real_scandir = os.scandir

    def deny(path: object = ".") -> object:
        if Path(str(path)).name == "state":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", deny)
    with open_dossier(root) as opened:
        assert [f.name for f in opened.files] == ["Устав 1 стр.pdf"]
        denied = failed(list(intake_findings(opened)), "FILE008")
    assert [f.document for f in denied] == ["state"]
    assert "Permission denied" in denied[0].message


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()
    }


def test_input_is_never_changed(tmp_path: Path) -> None:
    root = write_folder(
        tmp_path / "in",
        {
            "application.json": b'{"kind": "organization"}',
            "Устав 1 стр.pdf": pdf_bytes(1),
            "Устав 1 стр.pdf.cms": b"not a signature",
            "broken 1 стр.pdf": b"%PDF-1.4 broken",
            "__MACOSX/._x": b"\0",
        },
    )
    archive = tmp_path / "in" / "dossier.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in sorted(root.rglob("*")):
            if p.is_file() and p != archive:
                zf.write(p, p.relative_to(root).as_posix())
    before = _snapshot(root)
    settings = Settings(at=AT, ocr_engine=ocr.NullEngine(reason="test"))
    check(root, settings)
    check(archive, settings)
    assert main(["names", str(root), "--apply", str(tmp_path / "renamed")]) == 0
    assert main(["names", str(archive), "--apply", str(tmp_path / "renamed-zip")]) == 0
    assert _snapshot(root) == before


# --------------------------------------------------------------------------- completeness


def _organization(**changes: object) -> OrganizationApplication:
    from samplegen.core import organization_application

    raw = organization_application() | changes
    return OrganizationApplication.model_validate(raw)


ORG_COMPLETE = {
    "Устав 1 стр.pdf": 1,
    "Материальные ресурсы 1 стр.pdf": 2,
    "Штатное расписание 1 стр.pdf": 3,
    "Прейскурант 1 стр.pdf": 4,
    "EXW цены 1 стр.pdf": 5,
    "Договор аренды 1 стр.pdf": 6,
}


def _org_folder(root: Path, names: dict[str, int]) -> Path:
    # Each file differs (the seed is its page size) so no two are duplicates.
    files = {}
    for name, seed in names.items():
        doc = pdfium.PdfDocument.new()
        doc.new_page(500 + seed, 700)
        buffer = io.BytesIO()
        doc.save(buffer)
        files[name] = buffer.getvalue()
    return write_folder(root, files)


def test_complete_organization_passes_every_file_check(tmp_path: Path) -> None:
    dossier = dossier_of(_org_folder(tmp_path, ORG_COMPLETE), _organization())
    found = [f for check in file_checks.CHECKS for f in check.run(dossier)]
    assert [f for f in found if f.outcome is not Outcome.PASSED] == []
    assert {f.code for f in found} >= {"FILE001", "FILE002", "FILE003", "FILE004", "FILE005", "FILE006", "FILE008"}
    assert all(f.rule in ("7", "8") for f in found if f.code in ("FILE001", "FILE002"))


def test_missing_required_document(tmp_path: Path) -> None:
    names = {k: v for k, v in ORG_COMPLETE.items() if not k.startswith("Материальные")}
    dossier = dossier_of(_org_folder(tmp_path, names), _organization())
    missing = failed(findings_of(file_checks.required_documents, dossier), "FILE001")
    assert [f.evidence["document_type"] for f in missing] == ["material-resources"]
    assert missing[0].rule == "7"


def test_conditions_from_the_application(tmp_path: Path) -> None:
    names = {k: v for k, v in ORG_COMPLETE.items() if not k.startswith(("EXW", "Договор"))}
    root = _org_folder(tmp_path / "a", names)
    # A state-owned organization that sells no RTDs needs neither the lease nor the EXW prices.
    state_owned = _organization(state_owned=True, activity={"sells_rtd": False})
    assert failed(findings_of(file_checks.required_documents, dossier_of(root, state_owned)), "FILE001") == []
    # A private RTD seller that is not their domestic producer needs both.
    private = _organization()
    missing = failed(findings_of(file_checks.required_documents, dossier_of(root, private)), "FILE001")
    assert {f.evidence["document_type"] for f in missing} == {"exw-prices", "premises-document"}
    # A domestic producer needs no EXW prices; an "if any" document is not required when there is none.
    domestic = _organization(activity={"sells_rtd": True, "domestic_producer": True}, employees_count=0)
    missing = failed(findings_of(file_checks.required_documents, dossier_of(root, domestic)), "FILE001")
    assert {f.evidence["document_type"] for f in missing} == {"premises-document"}
    # Without a readable application the conditional documents cannot be decided: indeterminate, never passed.
    unknown = [f for f in findings_of(file_checks.required_documents, dossier_of(root)) if f.code == "FILE001"]
    assert {f.evidence["document_type"] for f in unknown if f.outcome is Outcome.INDETERMINATE} == {
        "exw-prices",
        "premises-document",
    }


def test_extra_files(tmp_path: Path) -> None:
    names = {**ORG_COMPLETE, "Диплом 1 стр.pdf": 7}
    state_owned = _organization(state_owned=True)
    extra = failed(
        findings_of(file_checks.extra_files, dossier_of(_org_folder(tmp_path, names), state_owned)), "FILE007"
    )
    assert sorted(f.document or "" for f in extra) == ["Диплом 1 стр.pdf", "Договор аренды 1 стр.pdf"]
    assert all(f.rule == "8" for f in extra)


def test_split_document_and_duplicate(tmp_path: Path) -> None:
    names = {k: v for k, v in ORG_COMPLETE.items() if not k.startswith("Устав")}
    root = _org_folder(tmp_path, {**names, "Устав часть 1 1 стр.pdf": 11, "Устав часть 2 1 стр.pdf": 12})
    (root / "Копия прейскуранта 1 стр.pdf").write_bytes((root / "Прейскурант 1 стр.pdf").read_bytes())
    dossier = dossier_of(root, _organization())
    split = failed(findings_of(file_checks.one_file_per_document, dossier), "FILE005")
    assert [f.evidence["document_type"] for f in split] == ["constituent-documents"]
    assert split[0].evidence["parts"] == [1, 2]
    # Two equal files are duplicates (FILE006), not a split document.
    dup = failed(findings_of(file_checks.duplicates, dossier), "FILE006")
    assert len(dup) == 1 and sorted(dup[0].evidence["files"]) == [
        "Копия прейскуранта 1 стр.pdf",
        "Прейскурант 1 стр.pdf",
    ]


def test_names_and_page_count_findings(tmp_path: Path) -> None:
    root = write_folder(
        tmp_path,
        {"Устав 5 стр.pdf": pdf_bytes(2), "Диплом.pdf": pdf_bytes(1), "Уства 1 стр.pdf": pdf_bytes(1)},
    )
    found = findings_of(file_checks.names_and_pages, dossier_of(root))
    wrong = failed(found, "FILE004")
    assert len(wrong) == 1 and wrong[0].evidence == {"declared_pages": 5, "pages": 2}
    assert "5" in wrong[0].message and "2" in wrong[0].message
    assert [f.document for f in failed(found, "FILE003")] == ["Диплом.pdf"]
    unknown = failed(found, "FILE002")
    assert [f.document for f in unknown] == ["Уства 1 стр.pdf"]
    assert "constituent-documents" in unknown[0].message  # the closest candidate


def test_specialist_paragraphs(tmp_path: Path) -> None:
    from samplegen.core import specialist_application

    app = SpecialistApplication.model_validate(specialist_application())
    root = write_folder(tmp_path, {"Диплом 1 стр.pdf": pdf_bytes(1), "Устав 1 стр.pdf": pdf_bytes(2)})
    dossier = dossier_of(root, app)
    missing = failed(findings_of(file_checks.required_documents, dossier), "FILE001")
    assert {f.evidence["document_type"] for f in missing} >= {"medical-certificate"}
    assert all(f.rule == "15" for f in missing)
    extra = failed(findings_of(file_checks.extra_files, dossier), "FILE007")
    assert [f.document for f in extra] == ["Устав 1 стр.pdf"] and extra[0].rule == "16"


# --------------------------------------------------------------------------- intake names


def test_names_command_writes_renamed_copies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_folder(
        tmp_path / "in",
        {
            "application.json": b"{}",
            "Устав ТОО 12 стр.pdf": pdf_bytes(3),
            "Устав ТОО 12 стр.pdf.cms": b"sig",
            "Диплом (2 л.).pdf": pdf_bytes(2),
            "scan0001.pdf": pdf_bytes(1),
            "Thumbs.db": b"x",
        },
    )
    before = _snapshot(root)
    out = tmp_path / "out"
    assert main(["names", str(root), "--apply", str(out), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {r["file"]: r for r in report["files"]}
    assert rows["Устав ТОО 12 стр.pdf"] | {} == {
        "file": "Устав ТОО 12 стр.pdf",
        "document_type": "constituent-documents",
        "declared_pages": 12,
        "pages": 3,
        "canonical_name": "01_constituent-documents_3p.pdf",
        "note": None,
    }
    assert rows["scan0001.pdf"]["canonical_name"] is None
    assert sorted(p.name for p in out.iterdir()) == [
        "01_constituent-documents_3p.pdf",
        "01_constituent-documents_3p.pdf.cms",
        "01_qualification_2p.pdf",
        "application.json",
        "scan0001.pdf",
    ]
    assert (out / "01_constituent-documents_3p.pdf").read_bytes() == (root / "Устав ТОО 12 стр.pdf").read_bytes()
    assert _snapshot(root) == before
    # The text form names the same, and a second --apply into a full folder is refused.
    assert main(["names", str(root)]) == 0
    assert "01_qualification_2p.pdf" in capsys.readouterr().out
    assert main(["names", str(root), "--apply", str(out)]) == 2
    assert main(["names", str(root), "--apply", str(root / "inside")]) == 2


def test_renamed_copies_are_canonical(tmp_path: Path) -> None:
    root = _org_folder(tmp_path / "in", ORG_COMPLETE)
    out = tmp_path / "out"
    assert main(["names", str(root), "--apply", str(out)]) == 0
    dossier = dossier_of(out, _organization())
    found = [f for check in file_checks.CHECKS for f in check.run(dossier)]
    assert [f for f in found if f.outcome is not Outcome.PASSED] == []
    assert sorted(p.name for p in out.iterdir())[0] == "01_constituent-documents_1p.pdf"


# --------------------------------------------------------------------------- a Windows zip of a complete dossier

RUSSIAN = {
    "constituent-documents": "Устав ТОО {p} стр",
    "material-resources": "Сведения о материальных ресурсах_{p}стр",
    "employees-number": "Справка о численности работников_{p}стр",
    "price-document": "Прейскурант цен на услуги ({p} л.)",
    "exw-prices": "Цены EXW в референтных странах {p} стр",
    "premises-document": "Договор аренды помещения на {p} листах",
}


@pytest.mark.slow
def test_windows_zip_with_cp866_names_passes(tmp_path: Path) -> None:
    """The complete organization dossier, renamed in Russian and zipped as Windows does: CP866, no UTF-8 flag."""
    from intake.files import parse_name
    from intake.models import Verdict
    from samplegen import core, pki
    from tests.test_zip_safety import RawNameInfo

    folder = tmp_path / "organization-complete"
    core.build_organization(folder)
    pki.write_trust(tmp_path / "trust")
    renamed: dict[str, str] = {}
    for path in folder.iterdir():
        ident = parse_name(path.name)
        if path.suffix != ".cms" and ident.document_type in RUSSIAN:
            renamed[path.name] = RUSSIAN[ident.document_type].format(p=ident.declared_pages) + path.suffix
    assert len(renamed) == len(RUSSIAN)
    archive = tmp_path / "dossier.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(folder).as_posix()
            signed = name.removesuffix(".cms")
            name = renamed.get(name) or (renamed[signed] + ".cms" if signed in renamed else name)
            info = RawNameInfo(name.encode("cp866"))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())
        assert any(not i.orig_filename.isascii() for i in zf.infolist())
    trust = tmp_path / "trust"
    settings = Settings(at=pki.AT, trust=(str(trust / pki.ROOT_PEM),), crls=(trust / pki.CA_CRL, trust / pki.ROOT_CRL))
    report = check(archive, settings)
    open_findings = [f"{f.code} {f.document}: {f.message}" for f in report.findings if f.outcome is not Outcome.PASSED]
    assert report.verdict is Verdict.PASS, open_findings
    files = {d.file: d for d in report.documents}
    assert set(renamed.values()) <= set(files)
    assert {files[n].document_type for n in renamed.values()} == set(RUSSIAN)
    assert all(files[n].pages == files[n].declared_pages for n in renamed.values())


def test_image_bomb_is_refused_not_decoded(tmp_path: Path) -> None:
    # 400 megapixels in a 50 kB PNG: refused from its header, never decoded into memory.
    Image.new("1", (20000, 20000)).save(tmp_path / "Диплом 1 стр.png", optimize=True)
    facts = gather_file(tmp_path, tmp_path / "Диплом 1 стр.png")
    assert facts.pages is None and "too large" in (facts.read_error or "")


# --------------------------------------------------------------------------- bad input an integrator meets (issue 13)


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("cut", [0.3, 0.9])
def test_truncated_zip_is_a_damaged_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str], cut: float) -> None:
    whole = _zip({"application.json": b"{}", "01_charter_1p.pdf": pdf_bytes(1)})
    path = tmp_path / "dossier.zip"
    path.write_bytes(whole[: int(len(whole) * cut)])
    with pytest.raises(DamagedArchive, match="the archive is truncated or damaged"), open_dossier(path):
        pass
    assert main(["check", str(path), "--no-ocr"]) == 2
    err = capsys.readouterr().err
    assert "truncated or damaged" in err and "neither a folder" not in err


def test_zip_without_the_zip_name_but_its_header_is_damaged_too(tmp_path: Path) -> None:
    path = tmp_path / "dossier.bin"
    path.write_bytes(_zip({"application.json": b"{}"})[:20])
    with pytest.raises(DamagedArchive), open_dossier(path):
        pass
    plain = tmp_path / "notes.txt"
    plain.write_bytes(b"hello")
    with pytest.raises(NotADossier, match=r"neither a folder nor a \.zip") as caught, open_dossier(plain):
        pass
    assert not isinstance(caught.value, DamagedArchive)


@pytest.mark.parametrize("entries", [{}, {"folder/": b""}, {"__MACOSX/._x": b"x", ".DS_Store": b"x"}])
def test_empty_archive(tmp_path: Path, entries: dict[str, bytes]) -> None:
    path = tmp_path / "dossier.zip"
    path.write_bytes(_zip(entries))
    with pytest.raises(EmptyArchive, match="the archive is empty"), open_dossier(path):
        pass


def _several(root: Path) -> None:
    for name in ("ТОО Альфа", "ТОО Бета"):
        (root / name).mkdir(parents=True)
        (root / name / "application.json").write_text("{}", encoding="utf-8")


def test_folder_of_several_dossiers_points_to_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "inbox"
    _several(root)
    with pytest.raises(SeveralDossiers, match="holds 2 dossiers") as caught, open_dossier(root):
        pass
    assert "intake batch" in str(caught.value) and "ТОО Альфа" in str(caught.value)
    assert main(["check", str(root), "--no-ocr"]) == 2
    assert "intake batch" in capsys.readouterr().err
    (root / "application.json").write_text("{}", encoding="utf-8")  # one dossier with subfolders: opened
    with open_dossier(root) as opened:
        assert opened.application_path() == root / "application.json"


def test_zip_of_several_dossiers_points_to_batch(tmp_path: Path) -> None:
    path = tmp_path / "inbox.zip"
    path.write_bytes(_zip({"a/application.json": b"{}", "b/application.json": b"{}", "b/x.pdf": pdf_bytes(1)}))
    with pytest.raises(SeveralDossiers, match="intake batch"), open_dossier(path):
        pass
