"""Robustness: the whole CLI attacked from outside, as a hostile or careless applicant would.

Every input must give a clear finding or error naming the file and the reason, never a traceback;
one bad file never stops the rest of the dossier; nothing the user gave is changed or lost.

The base of the dossier mutations is `samples/organization-complete`, copied to a temp dir and
broken there; the CLI runs in process (`intake.cli.main`) with `--no-ocr`, and a few runs go through
the real console script `.venv/bin/intake`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import traceback
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "organization-complete"
EXPECTED = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
ARGS: list[str] = [a if not a.startswith("samples/") else str(ROOT / a) for a in EXPECTED["args"]]
TRUST_ROOT_PEM = ROOT / "samples" / "trust" / "intake-test-root.pem"
CONSOLE = ROOT / ".venv" / "bin" / "intake"
REPORT_SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
REPORT_VALIDATOR = jsonschema.Draft202012Validator(REPORT_SCHEMA)
SAMPLE_FILES = sorted(p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.is_file())
SAMPLE_DOCUMENTS = sorted(
    n for n in SAMPLE_FILES if "/" not in n and n.endswith((".pdf", ".jpg", ".png", ".tif")) and n != "expected.json"
)
CHECK_CODES = {0, 1, 3}


# --------------------------------------------------------------------------- helpers


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in process; an exception escaping `main` fails the test with its traceback."""
    capsys.readouterr()
    try:
        code = main(argv)
    except BaseException:
        out, err = capsys.readouterr()
        pytest.fail(f"intake {' '.join(argv)!r} raised instead of reporting:\n{traceback.format_exc()}\n{err}")
    out, err = capsys.readouterr()
    assert "Traceback" not in out and "Traceback" not in err, f"a traceback was printed:\n{out}\n{err}"
    return code, out, err


def check(
    dossier: Path, capsys: pytest.CaptureFixture[str], extra: list[str] | None = None, args: list[str] | None = None
) -> tuple[int, dict[str, Any], str]:
    """`intake check DOSSIER --no-ocr --format json` with the sample's args; the report is schema-valid."""
    argv = ["check", str(dossier), "--no-ocr", "--format", "json", *(ARGS if args is None else args), *(extra or [])]
    code, out, err = run(argv, capsys)
    assert code in CHECK_CODES, f"exit {code} for a dossier; stderr: {err}"
    report = json.loads(out)
    REPORT_VALIDATOR.validate(report)
    assert report["verdict"] == {0: "pass", 1: "fail", 3: "review"}[code]
    return code, report, err


def open_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings that did not pass."""
    return [f for f in report["findings"] if f["outcome"] != "passed"]


def names_file(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """Failed or undecided findings that name `name` (as their document or in their message)."""
    return [f for f in open_findings(report) if name in (f.get("document") or "") or name in f["message"]]


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every entry under `root` (links not followed): digest or link target, mtime in ns, mode."""
    out: dict[str, tuple[str, int, int]] = {}
    paths = [root, *root.rglob("*")] if root.is_dir() and not root.is_symlink() else [root]
    for p in paths:
        st_ = p.lstat()
        if stat.S_ISLNK(st_.st_mode):
            digest = "link:" + os.readlink(p)
        elif stat.S_ISREG(st_.st_mode):
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            digest = "dir" if stat.S_ISDIR(st_.st_mode) else "special"
        out[p.relative_to(root).as_posix() if p != root else "."] = (digest, st_.st_mtime_ns, st_.st_mode)
    return out


def rest_is_read(report: dict[str, Any], skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """One bad file never stops the rest: every other sample document is still listed with its pages."""
    docs = {d["file"]: d for d in report["documents"]}
    for name in SAMPLE_DOCUMENTS:
        if name in skip:
            continue
        assert name in docs, f"{name} is missing from the report after one bad file"
        assert docs[name]["pages"], f"{name} lost its page count after one bad file"


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    """A private copy of the complete sample (its mtimes kept), to be broken by the test."""
    target = tmp_path / "dossier"
    shutil.copytree(SAMPLE, target)
    (target / "expected.json").unlink()
    return target


@pytest.fixture
def light(tmp_path: Path) -> Path:
    """A small dossier (the signed application and one document) for checks of application.json alone."""
    target = tmp_path / "light"
    target.mkdir()
    for name in ("application.json", "application.json.cms", SAMPLE_DOCUMENTS[0]):
        shutil.copy2(SAMPLE / name, target / name)
    return target


# Bugs found by this file and not yet fixed by their owners, by test id (name with its parameters).
# Each is `xfail(strict=True)`: the day the owner's fix lands, the test passes, strict xfail fails it,
# and its line here must go. See the lead's bug list for the reproduction and the file at fault.
KNOWN_BUGS: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def _sample_untouched() -> Iterator[None]:
    """The committed sample that several tests read in place is never changed by any run."""
    before = snapshot(SAMPLE)
    yield
    assert snapshot(SAMPLE) == before, "a run changed samples/organization-complete"


@pytest.fixture(autouse=True)
def _cwd(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    monkeypatch.chdir(ROOT)
    reason = KNOWN_BUGS.get(request.node.name)
    if reason is not None:
        request.node.add_marker(pytest.mark.xfail(strict=True, reason=reason))


def guarded(dossier: Path, capsys: pytest.CaptureFixture[str], **kw: Any) -> tuple[int, dict[str, Any], str]:
    """`check`, and nothing in the dossier changed (bytes, mtimes, modes)."""
    before = snapshot(dossier)
    result = check(dossier, capsys, **kw)
    assert snapshot(dossier) == before, "the run changed the user's input"
    return result


# --------------------------------------------------------------------------- file builders


def simple_pdf(pages: int = 1) -> bytes:
    """A valid PDF of blank pages (pypdf)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    """A PDF encrypted with AES-128; an empty user password opens without asking."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(simple_pdf(1))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF with a correct xref table over the given object bodies (1-based numbers)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def signed_field_pdf(contents: bytes, byte_range: bytes | None) -> bytes:
    """A PDF with one /Sig field: `contents` as /Contents hex, `byte_range` literal (None: the real gaps)."""
    placeholder = b"[0000000000 0000000000 0000000000 0000000000]"
    hex_contents = b"<" + contents.hex().encode() + b">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
        b"<< /FT /Sig /T (Signature1) /V 5 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /F 132 >>",
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange "
        + (byte_range if byte_range is not None else placeholder)
        + b" /Contents "
        + hex_contents
        + b" /M (D:20261101120000+05'00') >>",
    ]
    data = pdf_from_objects(objects)
    if byte_range is None:
        start = data.index(hex_contents)
        end = start + len(hex_contents)
        real = b"[%d %d %d %d]" % (0, start, end, len(data) - end)
        data = data.replace(placeholder, real.ljust(len(placeholder)), 1)
    return data


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, format="PNG")
    return buf.getvalue()


def jpeg_bytes(width: int = 64, height: int = 64) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, format="JPEG")
    return buf.getvalue()


MODES = [
    ("1", "PNG", ".png"),
    ("LA", "PNG", ".png"),
    ("P", "PNG", ".png"),
    ("RGBA", "PNG", ".png"),
    ("I;16", "PNG", ".png"),
    ("I", "TIFF", ".tif"),
    ("F", "TIFF", ".tif"),
    ("CMYK", "JPEG", ".jpg"),
    ("CMYK", "TIFF", ".tif"),
]


def image_bytes(mode: str, fmt: str) -> bytes:
    """A 300x300 blank image in an unusual Pillow mode (1-bit, 16-bit, float, CMYK, alpha, palette)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new(mode, (300, 300)).save(buf, format=fmt)
    return buf.getvalue()


def bomb_png(width: int = 60000, height: int = 60000) -> bytes:
    """A PNG whose header claims width x height pixels (3.6 gigapixels) over a tiny body."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def multiframe_tiff(frames: int = 3) -> bytes:
    from PIL import Image

    imgs = [Image.new("L", (200, 200), 255) for _ in range(frames)]
    buf = io.BytesIO()
    imgs[0].save(buf, format="TIFF", save_all=True, append_images=imgs[1:])
    return buf.getvalue()


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def certificate_der() -> bytes:
    from asn1crypto import pem

    _, _, der = pem.unarmor(TRUST_ROOT_PEM.read_bytes())
    return bytes(der)


def cms_without_signers() -> bytes:
    from asn1crypto import algos, cms

    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": cms.DigestAlgorithms([algos.DigestAlgorithm({"algorithm": "sha256"})]),
            "encap_content_info": {"content_type": "data"},
            "signer_infos": cms.SignerInfos([]),
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


JUNK = bytes(range(256)) * 8 + b"\x00junk\xff" * 100


# --------------------------------------------------------------------------- zero-byte and junk files

EXTENSIONS = (".pdf", ".jpg", ".png", ".tif", ".cms", ".p7s", ".sig", ".p7m", ".json", ".zip", ".docx")


# --------------------------------------------------------------------------- damaged PDFs

TARGET_PDF = "02_material-resources_1p.pdf"


@pytest.mark.parametrize("password", ["", "secret"], ids=["no-user-password", "user-password"])
def test_encrypted_pdf(dossier: Path, capsys: pytest.CaptureFixture[str], password: str) -> None:
    (dossier / TARGET_PDF).write_bytes(encrypted_pdf(password))
    code, report, _ = guarded(dossier, capsys)
    # An owner password only (opens without asking) is for review (FILE009); a user password fails.
    assert code == (1 if password else 3), "an encrypted document must not pass"
    found = names_file(report, TARGET_PDF)
    assert found, [f["message"] for f in open_findings(report)]
    if password:
        assert any("password" in f["message"] or "encrypt" in f["message"] for f in found)
    rest_is_read(report, skip={TARGET_PDF})


SIG_CASES: dict[str, tuple[bytes, bytes | None]] = {
    "junk-contents": (JUNK[:600], None),
    "zero-contents": (b"\x00" * 600, None),
    "negative-range": (JUNK[:600], b"[-5 10 -20 -3]"),
    "beyond-eof": (JUNK[:600], b"[0 10 99999999 99999999]"),
    "overlapping": (JUNK[:600], b"[0 500 100 500]"),
    "odd-count": (JUNK[:600], b"[0 10 20]"),
    "not-numbers": (JUNK[:600], b"[/a (b) 1 2]"),
    "huge-numbers": (JUNK[:600], b"[0 99999999999999999999999 1 1]"),
    "not-an-array": (JUNK[:600], b"42"),
}


@pytest.mark.parametrize("case", sorted(SIG_CASES))
def test_pdf_signature_field_with_hostile_values_in_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    contents, byte_range = SIG_CASES[case]
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_field_pdf(contents, byte_range))
    before = snapshot(tmp_path)
    code, out, err = run(["verify", str(path), "--format", "json", "--trust", str(TRUST_ROOT_PEM)], capsys)
    assert code == 1, err
    doc = json.loads(out)
    assert doc["file"] == str(path)
    assert doc["signatures"] and all(s["indication"] != "TOTAL_PASSED" for s in doc["signatures"])
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- images

TARGET_IMAGE = "03_employees-number_1p.jpg"


def test_one_pixel_image_with_ocr(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OCR and the scan checks on a 1x1 image: a finding, never a crash (the only run with OCR here)."""
    (dossier / TARGET_IMAGE).unlink()
    (dossier / "03_employees-number_1p.png").write_bytes(png_bytes(1, 1))
    before = snapshot(dossier)
    code, out, err = run(["check", str(dossier), "--format", "json", *ARGS], capsys)
    assert code in (1, 3), err
    report = json.loads(out)
    REPORT_VALIDATOR.validate(report)
    assert names_file(report, "03_employees-number_1p.png")
    assert snapshot(dossier) == before


# --------------------------------------------------------------------------- application.json

NESTED = "[" * 2_500_000 + "]" * 2_500_000  # 5 MB of nested arrays


def _app_json(dossier: Path) -> dict[str, Any]:
    return dict(json.loads((dossier / "application.json").read_text(encoding="utf-8")))


APP_BYTES: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "utf16": lambda app: json.dumps(app, ensure_ascii=False).encode("utf-16"),
    "null": lambda app: b"null",
    "empty-array": lambda app: b"[]",
    "string": lambda app: b'"x"',
    "number": lambda app: b"42",
    "empty": lambda app: b"",
    "bad-json": lambda app: b'{"kind": "organization",',
    "nested-arrays-10mb": lambda app: ("[" * 5_000_000 + "]" * 5_000_000).encode(),
    "nested-objects": lambda app: ('{"a":' * 100_000 + "1" + "}" * 100_000).encode(),
    "nested-in-field": lambda app: (
        json.dumps(app | {"full_name": 0})[:-1].encode() + b', "x": ' + NESTED.encode() + b"}"
    ),
    "nan": lambda app: json.dumps(app | {"bin": float("nan")}).encode(),
    "huge-int": lambda app: json.dumps(app).replace('"190340045215"', "9" * 5000, 1).encode(),
    "lone-surrogate": lambda app: json.dumps(app).replace("Ахметов", "\\ud800", 1).encode(),
    "nul-in-string": lambda app: json.dumps(app | {"short_name": "a\x00b"}).encode(),
    "duplicate-keys": lambda app: json.dumps(app)[:-1].encode() + b', "kind": "specialist"}',
}


@pytest.mark.parametrize("case", sorted(APP_BYTES))
def test_malformed_application_is_a_defect_of_the_dossier(
    light: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    """A malformed application.json is blocking findings and verdict fail, never exit 2 or a crash."""
    app = _app_json(light)
    (light / "application.json").write_bytes(APP_BYTES[case](app))
    code, report, _ = guarded(light, capsys)
    assert code == 1, f"{case}: a broken application must fail the dossier"
    assert names_file(report, "application.json") or any(f["code"].startswith("FORM") for f in open_findings(report)), [
        f["message"] for f in open_findings(report)
    ]
    docs = {d["file"]: d["pages"] for d in report["documents"]}
    assert docs.get(SAMPLE_DOCUMENTS[0]), "a broken application stopped the documents from being read"


def test_application_with_bom_is_read(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A UTF-8 BOM (Notepad) is not a defect of the application: its fields are read."""
    raw = (dossier / "application.json").read_bytes()
    (dossier / "application.json").write_bytes(b"\xef\xbb\xbf" + raw)
    _, report, _ = guarded(dossier, capsys)
    assert report["kind"] == "organization"
    assert not [f for f in open_findings(report) if f["code"] in ("FORM001", "FORM002", "FORM003")]


def test_application_that_is_a_directory(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (dossier / "application.json").unlink()
    (dossier / "application.json").mkdir()
    (dossier / "application.json" / "inner.txt").write_text("x")
    code, report, _ = guarded(dossier, capsys)
    assert code == 1
    assert any(f["code"] == "FORM001" for f in open_findings(report))
    rest_is_read(report)


KIND_VALUES: list[Any] = [None, 1, 1.5, True, [], {}, ["organization"], {"kind": "organization"}, "", "ORGANISATION"]


@pytest.mark.parametrize("value", KIND_VALUES, ids=[repr(v) for v in KIND_VALUES])
def test_kind_of_every_wrong_type(light: Path, capsys: pytest.CaptureFixture[str], value: Any) -> None:
    app = _app_json(light) | {"kind": value}
    (light / "application.json").write_text(json.dumps(app), encoding="utf-8")
    code, report, _ = guarded(light, capsys)
    assert code == 1
    assert any("kind" in f["message"] for f in open_findings(report)), [f["message"] for f in open_findings(report)]


def test_kind_missing(light: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = _app_json(light)
    del app["kind"]
    (light / "application.json").write_text(json.dumps(app), encoding="utf-8")
    code, report, _ = guarded(light, capsys)
    assert code == 1
    assert any("kind" in f["message"] for f in open_findings(report))


WRONG_TYPES: dict[str, tuple[str, Any]] = {
    "bin-number": ("bin", 190340045215),
    "name-number": ("full_name", 12345),
    "state-owned-string": ("state_owned", "no"),
    "state-owned-number": ("state_owned", 0),
    "employees-count-string": ("employees_count", "5"),
    "filled-out-on-number": ("filled_out_on", 20261101),
    "head-string": ("head", "Ахметов Ерлан"),
    "head-list": ("head", ["Ахметов"]),
    "addresses-string": ("facility_addresses", "Алматы"),
    "addresses-of-numbers": ("facility_addresses", [1, 2, 3]),
    "services-object": ("services", {"name": "x"}),
    "services-of-junk": ("services", [[[[[[{"a": [None, True, 1.5]}]]]]]]),
    "contacts-null": ("contacts", None),
    "activity-number": ("activity", 7),
    "deep-junk": ("legal_address", {"region": [{"x": [[[[{"y": None}]]]]}], "city": {"a": {"b": {"c": 1}}}}),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
def test_wrong_types_name_the_field(light: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    field, value = WRONG_TYPES[case]
    app = _app_json(light) | {field: value}
    (light / "application.json").write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    code, report, _ = guarded(light, capsys)
    assert code == 1, f"{field}={value!r} must fail the dossier"
    form = [f for f in open_findings(report) if f["code"].startswith("FORM") and f["severity"] == "blocking"]
    assert any(field in f["message"] for f in form), [f["message"] for f in open_findings(report)]


@pytest.mark.parametrize(
    "field",
    ["bin", "full_name", "head", "legal_address", "facility_addresses", "contacts", "consents", "filled_out_on"],
)
def test_missing_mandatory_field_names_it(light: Path, capsys: pytest.CaptureFixture[str], field: str) -> None:
    app = _app_json(light)
    del app[field]
    (light / "application.json").write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    code, report, _ = guarded(light, capsys)
    assert code == 1
    assert any(field in f["message"] for f in open_findings(report) if f["severity"] == "blocking")


# --------------------------------------------------------------------------- file names

WEIRD_NAMES = {
    "newline": "02_material\nresources_1p.pdf",
    "control-chars": "02_material\x01\x1b[31m-resources_1p.pdf",
    "250-chars": "02_material-resources_1p_" + "x" * 221 + ".pdf",
    "only-extension": ".pdf",
    "extension-no-dot": "pdf",
    "dots-inside": "02_material..resources_1p.pdf",
    "dotdot-stem": "...pdf",
    "rich-markup": "[bold red]02_material-resources_1p[dim].pdf",
    "trailing-space": "02_material-resources_1p.pdf ",
    "right-to-left": "02_material-resources_1p\u202efdp.exe",
}


def test_hidden_document_is_not_silently_lost(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A document renamed to just `.pdf` must not vanish: the missing document at least is reported."""
    (dossier / TARGET_PDF).rename(dossier / ".pdf")
    code, report, _ = guarded(dossier, capsys)
    assert code == 1
    assert any(f["code"] == "FILE001" for f in open_findings(report))


@pytest.mark.parametrize("command", ["check-json", "check-text", "names-json", "names-text"])
def test_file_name_that_is_not_utf8(dossier: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """A name of raw non-UTF-8 bytes (a CP1251 name copied on Linux) is reported readably, never a crash."""
    os.rename(dossier / TARGET_PDF, os.fsencode(dossier) + b"/02_material-resources_1p_\xcf\xf0\xe0\xe9\xf1.pdf")
    before = snapshot(dossier)
    verb, fmt = command.split("-")
    argv = ["check", str(dossier), "--no-ocr", *ARGS] if verb == "check" else ["names", str(dossier)]
    code, out, err = run([*argv, "--format", fmt], capsys)
    assert code in ((1, 3) if verb == "check" else (0,)), err
    if fmt == "json":
        doc = json.loads(out)
        if verb == "check":
            REPORT_VALIDATOR.validate(doc)
    assert "02_material-resources_1p_" in out
    assert snapshot(dossier) == before


@pytest.mark.parametrize(
    "nfc",
    ["Документ, подтверждающий наличие помещений 2 стр.pdf", "Жарғы 2 бет.pdf", "Устав ТОО «Мейірім» 2 стр.pdf"],
)
def test_nfd_names_are_recognised_like_nfc(tmp_path: Path, capsys: pytest.CaptureFixture[str], nfc: str) -> None:
    """A name in NFD (macOS) identifies the same document, with the same page count, as its NFC form."""
    results = []
    for form in ("NFC", "NFD"):
        d = tmp_path / form
        d.mkdir()
        shutil.copy2(SAMPLE / "application.json", d / "application.json")
        (d / unicodedata.normalize(form, nfc)).write_bytes(simple_pdf(2))
        code, out, err = run(["names", str(d), "--format", "json"], capsys)
        assert code == 0, err
        results.append([(f["document_type"], f["declared_pages"], f["pages"]) for f in json.loads(out)["files"]])
    assert results[0] == results[1]
    assert results[0][0][0] is not None


# --------------------------------------------------------------------------- links, loops, special files


def test_symlinks_are_refused_and_never_followed(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (dossier / "07_passwd_1p.pdf").symlink_to("/etc/passwd")
    (dossier / "dir-link").symlink_to(dossier)
    (dossier / "dangling.pdf").symlink_to(dossier / "nowhere.pdf")
    code, report, _ = guarded(dossier, capsys)
    assert code == 1
    refused = {f["document"] for f in open_findings(report) if f["code"] == "FILE013"}
    assert {"07_passwd_1p.pdf", "dir-link", "dangling.pdf"} <= refused
    assert "root:" not in json.dumps(report)
    rest_is_read(report)


def test_symlink_loop_is_refused(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (dossier / "loop-a.pdf").symlink_to(dossier / "loop-b.pdf")
    (dossier / "loop-b.pdf").symlink_to(dossier / "loop-a.pdf")
    code, report, _ = guarded(dossier, capsys)
    assert code == 1
    refused = {f["document"] for f in open_findings(report) if f["code"] == "FILE013"}
    assert {"loop-a.pdf", "loop-b.pdf"} <= refused
    rest_is_read(report)


def test_names_survives_a_symlink_loop(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`intake names` walks the same folder: a link loop is skipped, never a traceback."""
    (dossier / "loop-a.pdf").symlink_to(dossier / "loop-b.pdf")
    (dossier / "loop-b.pdf").symlink_to(dossier / "loop-a.pdf")
    before = snapshot(dossier)
    code, out, _ = run(["names", str(dossier), "--format", "json"], capsys)
    assert code == 0
    assert {f["file"] for f in json.loads(out)["files"]} >= set(SAMPLE_DOCUMENTS)
    assert snapshot(dossier) == before


def test_fifo_inside_a_dossier_is_refused(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(dossier / "07_fifo_1p.pdf")
    code, report, _ = guarded(dossier, capsys)
    assert code == 1
    assert any(f["document"] == "07_fifo_1p.pdf" for f in open_findings(report))
    rest_is_read(report)


def test_application_json_symlink_is_refused(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (dossier / "application.json").unlink()
    (dossier / "application.json").symlink_to(SAMPLE / "application.json")
    code, report, _ = guarded(dossier, capsys)
    assert code == 1
    assert any(f["document"] == "application.json" for f in open_findings(report))


# --------------------------------------------------------------------------- not a dossier at all


def _not_dossiers(tmp: Path) -> dict[str, Path]:
    out = {
        "missing": tmp / "no-such-dossier",
        "dev-null": Path("/dev/null"),
        "plain-file": tmp / "file.pdf",
        "junk-zip": tmp / "junk.zip",
        "truncated-zip": tmp / "truncated.zip",
    }
    out["plain-file"].write_bytes(simple_pdf())
    out["junk-zip"].write_bytes(b"PK\x03\x04" + JUNK)
    whole = zip_bytes({"application.json": b"{}", "a.pdf": simple_pdf()})
    out["truncated-zip"].write_bytes(whole[: len(whole) // 2])
    return out


@pytest.mark.parametrize("case", ["missing", "dev-null", "plain-file", "junk-zip", "truncated-zip"])
def test_not_a_dossier_is_exit_2_naming_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    path = _not_dossiers(tmp_path)[case]
    code, out, err = run(["check", str(path), "--no-ocr", *ARGS], capsys)
    assert code == 2, out
    assert str(path) in err or path.name in err
    code, out, err = run(["names", str(path)], capsys)
    assert code == 2
    assert str(path) in err or path.name in err


def test_fifo_as_dossier_does_not_hang(tmp_path: Path) -> None:
    """A FIFO given as the dossier is exit 2 at once, not a process blocked reading it forever."""
    fifo = tmp_path / "dossier.zip"
    os.mkfifo(fifo)
    try:
        proc = subprocess.run(
            [str(CONSOLE), "check", str(fifo), "--no-ocr"],
            check=False,
            capture_output=True,
            text=True,
            timeout=10,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("intake check blocked on a FIFO given as the dossier")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "dossier.zip" in proc.stderr


def test_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, report, _ = check(empty, capsys)
    assert code == 1
    assert any(f["code"] == "FORM001" for f in open_findings(report))


def test_empty_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An archive with no file is its own error (issue 13), not a dossier missing its application."""
    path = tmp_path / "empty.zip"
    path.write_bytes(zip_bytes({}))
    before = snapshot(path)
    code, out, err = run(["check", str(path), "--no-ocr", *ARGS], capsys)
    assert code == 2 and out == ""
    assert "the archive is empty" in err and "empty.zip" in err
    assert snapshot(path) == before


def _zip_of(folder: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_with_junk_after_the_header(dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A zip whose bytes after the first local header are junk: exit 2 naming it, or findings; no crash."""
    whole = _zip_of(dossier)
    path = tmp_path / "broken.zip"
    path.write_bytes(whole[:30] + JUNK + whole[30 + len(JUNK) :])
    code, out, err = run(["check", str(path), "--no-ocr", "--format", "json", *ARGS], capsys)
    assert code in (1, 2, 3)
    if code == 2:
        assert "broken.zip" in err
    else:
        REPORT_VALIDATOR.validate(json.loads(out))


def test_zip_with_slip_entry(dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = work / "slip.zip"
    path.write_bytes(_zip_of(dossier, {"../../evil.txt": b"owned", "/tmp/abs-evil.txt": b"owned"}))
    before = snapshot(tmp_path)
    code, report, _ = check(path, capsys)
    assert code == 1
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/abs-evil.txt").exists()
    assert {f["code"] for f in open_findings(report)} >= {"FILE013"}
    rest_is_read(report)


def test_zip_of_the_complete_sample_reads_the_same(
    dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dossier.zip"
    path.write_bytes(_zip_of(dossier))
    _, folder_report, _ = check(dossier, capsys)
    _, zip_report, _ = check(path, capsys)
    assert folder_report["verdict"] == zip_report["verdict"]
    assert [(d["file"], d["pages"]) for d in folder_report["documents"]] == [
        (d["file"], d["pages"]) for d in zip_report["documents"]
    ]


# --------------------------------------------------------------------------- options


BAD_MOMENTS = ["yesterday", "2026-13-45", "", "2026-11-20T25:00", "99999999999", "0000-00-00", "2026-11-20T12:00+99:00"]


@pytest.mark.parametrize("value", BAD_MOMENTS)
@pytest.mark.parametrize("option", ["--at", "--submitted"])
def test_malformed_moments_are_usage_errors(capsys: pytest.CaptureFixture[str], option: str, value: str) -> None:
    code, _out, err = run(["check", str(SAMPLE), "--no-ocr", option, value], capsys)
    assert code == 2
    assert option in err or value in err or "ISO" in err


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59+05:00", "0001-01-01", "0001-01-01T00:00:00-12:00"])
def test_extreme_but_valid_moments(capsys: pytest.CaptureFixture[str], value: str) -> None:
    """Moments at the edge of the calendar are judged (exit 2 with a message is accepted), never a crash."""
    args = [a if a != EXPECTED["args"][-1] else value for a in ARGS]
    code, out, err = run(["check", str(SAMPLE), "--no-ocr", "--format", "json", *args], capsys)
    assert code in (1, 2, 3), err
    if code != 2:
        REPORT_VALIDATOR.validate(json.loads(out))


@pytest.mark.parametrize("value", ["9999-12-31", "9999-12-31T23:59:59-12:00", "0001-01-01"])
def test_extreme_submitted_option(capsys: pytest.CaptureFixture[str], value: str) -> None:
    """`--submitted` at the edge of the calendar: a report (the timeline may be absent) or exit 2, never a crash."""
    code, out, err = run(["check", str(SAMPLE), "--no-ocr", "--format", "json", *ARGS, "--submitted", value], capsys)
    assert code in (1, 2, 3), err
    if code == 2:
        assert value in err
    else:
        REPORT_VALIDATOR.validate(json.loads(out))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("submitted_at", "9999-12-31T23:59:59+14:00"),
        ("submitted_at", "0001-01-01T00:00:00-12:00"),
        ("filled_out_on", "9999-12-31"),
        ("filled_out_on", "0001-01-01"),
    ],
)
def test_extreme_dates_in_the_application(
    light: Path, capsys: pytest.CaptureFixture[str], field: str, value: str
) -> None:
    """Dates at the edge of the calendar in application.json are findings of the dossier, never a crash."""
    app = _app_json(light) | {field: value}
    (light / "application.json").write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    code, _, _ = guarded(light, capsys)
    assert code in (1, 3)


def _option_files(tmp: Path) -> dict[str, Path]:
    files = {
        "missing": tmp / "nothing-here.pem",
        "junk": tmp / "junk.pem",
        "empty": tmp / "empty.pem",
        "pem-junk": tmp / "pem-junk.pem",
        "directory-empty": tmp / "empty-dir",
        "unknown-profile": Path("no-such-trust-profile"),
    }
    files["junk"].write_bytes(JUNK)
    files["empty"].write_bytes(b"")
    files["pem-junk"].write_bytes(b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")
    files["directory-empty"].mkdir()
    return files


@pytest.mark.parametrize("case", ["missing", "junk", "empty", "pem-junk", "directory-empty", "unknown-profile"])
def test_unusable_trust_is_exit_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    """Decision: trust anchors the user named but that cannot be used are a configuration error
    (exit 2, message names the path): a report where every signature is "untrusted" would blame the
    applicant for the operator's typo."""
    path = _option_files(tmp_path)[case]
    args = [str(path) if a.endswith("intake-test-root.pem") else a for a in ARGS]
    code, _out, err = run(["check", str(SAMPLE), "--no-ocr", *args], capsys)
    assert code == 2, f"exit {code}; stderr: {err}"
    assert path.name in err
    code, _out, err = run(["verify", str(SAMPLE / "application.json"), "--trust", str(path)], capsys)
    assert code == 2
    assert path.name in err


@pytest.mark.parametrize("case", ["missing", "junk", "empty", "pem-junk"])
@pytest.mark.parametrize("option", ["--crl", "--ocsp"])
def test_unusable_revocation_file_is_exit_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, option: str
) -> None:
    path = _option_files(tmp_path)[case]
    code, _out, err = run(["check", str(SAMPLE), "--no-ocr", *ARGS, option, str(path)], capsys)
    assert code == 2, f"exit {code}; stderr: {err}"
    assert path.name in err


@pytest.mark.parametrize("option", ["--crl"])
def test_option_file_that_never_ends(option: str) -> None:
    """`--crl /dev/zero` (or a pipe): refused as not a regular file (exit 2), not read until memory runs out.

    Run as the console script under a 1.5 GB address-space limit, so the bug cannot take the machine down.
    """
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    proc = subprocess.run(
        [str(CONSOLE), "check", str(SAMPLE), "--no-ocr", *ARGS, option, "/dev/zero"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        preexec_fn=limit,
    )
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-500:]
    assert proc.returncode == 2
    assert "/dev/zero" in proc.stderr


@pytest.mark.parametrize("case", ["missing", "junk", "directory"])
@pytest.mark.parametrize("option", ["--rates", "--attestations"])
def test_unusable_side_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, option: str) -> None:
    path = {"missing": tmp_path / "nothing.json", "junk": tmp_path / "junk.json", "directory": tmp_path / "dir"}[case]
    if case == "junk":
        path.write_bytes(JUNK)
    if case == "directory":
        path.mkdir()
    code, out, err = run(["check", str(SAMPLE), "--no-ocr", "--format", "json", *ARGS, option, str(path)], capsys)
    assert code in (1, 2, 3)
    if code == 2:
        assert path.name in err
    else:
        REPORT_VALIDATOR.validate(json.loads(out))


@pytest.mark.parametrize("where", ["missing-folder", "a-directory"])
def test_unwritable_output_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    """`--output` where no file can be written: exit 2 naming it, not a traceback."""
    target = {"missing-folder": tmp_path / "no" / "r.json", "a-directory": tmp_path}[where]
    code, _out, err = run(["check", str(SAMPLE), "--no-ocr", *ARGS, "--output", str(target)], capsys)
    assert code == 2, err
    assert target.name in err


@pytest.mark.parametrize("target", ["application.json", "the-zip", "link-to-application"])
def test_output_never_overwrites_the_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    """`--output` naming a file of the dossier (or the dossier zip itself) is refused: the input is never lost."""
    folder = tmp_path / "dossier"
    shutil.copytree(SAMPLE, folder)
    archive = tmp_path / "dossier.zip"
    archive.write_bytes(_zip_of(folder))
    link = tmp_path / "report.json"
    link.symlink_to(folder / "application.json")
    source, output = {
        "application.json": (folder, folder / "application.json"),
        "the-zip": (archive, archive),
        "link-to-application": (folder, link),
    }[target]
    before = snapshot(tmp_path)
    code, _, err = run(["check", str(source), "--no-ocr", *ARGS, "--output", str(output)], capsys)
    assert snapshot(tmp_path) == before, "the report overwrote the user's input"
    assert code == 2, err


# --------------------------------------------------------------------------- detached CMS sidecars

SIDECARS: dict[str, Callable[[], bytes]] = {
    "pem-with-junk": lambda: b"-----BEGIN CMS-----\n" + base64.encodebytes(JUNK[:300]) + b"-----END CMS-----\n",
    "pem-junk-inside-valid": lambda: b"-----BEGIN PKCS7-----\n!!!not base64!!!\n-----END PKCS7-----\n",
    "base64-junk": lambda: base64.b64encode(JUNK[:900]),
    "base64-with-garbage-chars": lambda: base64.b64encode(JUNK[:300]) + b"\x00\xff%%%",
    "certificate-der": certificate_der,
    "certificate-pem": TRUST_ROOT_PEM.read_bytes,
    "cms-no-signers": cms_without_signers,
    "cms-other-content": (SAMPLE / "application.json.cms").read_bytes,
    "cms-truncated": lambda: (SAMPLE / "application.json.cms").read_bytes()[:1000],
    "asn1-deep-nesting": lambda: b"\x30\x84\x00\x00\x10\x00" * 2000,
    "huge-length": lambda: b"\x30\x84\xff\xff\xff\xff" + JUNK[:100],
}


@pytest.mark.parametrize("case", sorted(SIDECARS))
def test_hostile_sidecar_in_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    doc = tmp_path / "doc.pdf"
    shutil.copy2(SAMPLE / "05_exw-prices_1p.pdf", doc)
    sig = tmp_path / "doc.pdf.cms"
    sig.write_bytes(SIDECARS[case]())
    before = snapshot(tmp_path)
    for argv in (["verify", str(doc)], ["verify", str(doc), "--signature", str(sig)], ["verify", str(sig)]):
        code, out, err = run([*argv, "--format", "json", *ARGS[:2], "--at", ARGS[-1]], capsys)
        assert code == 1, f"{argv}: exit {code}; {err}"
        result = json.loads(out)
        assert set(result) >= {"file", "signatures"}
        assert all(s["indication"] != "TOTAL_PASSED" for s in result["signatures"])
        assert result["signatures"], f"{argv}: a hostile signature vanished"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "value", ["<< /Type /Sig /ByteRange [0 1 2 3] >>", "<< /Type /Sig /Contents <> >>"], ids=["no-contents", "empty"]
)
def test_verify_sig_field_without_contents_is_a_failed_signature(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """A filled /Sig field whose value lacks /Contents or /ByteRange is a broken signature, not an unsigned PDF."""
    path = tmp_path / "signed.pdf"
    path.write_bytes(
        pdf_from_objects(
            [
                b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
                b"<< /FT /Sig /T (Signature1) /V " + value.encode() + b" >>",
            ]
        )
    )
    code, out, _ = run(["verify", str(path), "--format", "json"], capsys)
    assert code == 1
    sigs = json.loads(out)["signatures"]
    assert sigs and all(s["indication"] == "TOTAL_FAILED" for s in sigs), sigs


def test_verify_file_without_signature(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.pdf"
    path.write_bytes(simple_pdf())
    code, out, _ = run(["verify", str(path), "--format", "json"], capsys)
    assert code == 1
    assert json.loads(out) == {"file": str(path), "signatures": []}


@pytest.mark.parametrize("case", ["missing", "directory", "dev-null", "fifo-signature"])
def test_verify_unreadable_input_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(simple_pdf())
    argv = {
        "missing": ["verify", str(tmp_path / "none.pdf")],
        "directory": ["verify", str(tmp_path)],
        "dev-null": ["verify", "/dev/null"],
        "fifo-signature": ["verify", str(doc), "--signature", str(tmp_path / "none.cms")],
    }[case]
    code, out, err = run(argv, capsys)
    assert code == 2, f"exit {code}: {out} {err}"
    assert "error" in err


@pytest.mark.parametrize("ext", EXTENSIONS)
@pytest.mark.parametrize("content", [b"", JUNK], ids=["zero-byte", "junk"])
def test_verify_zero_and_junk(tmp_path: Path, capsys: pytest.CaptureFixture[str], ext: str, content: bytes) -> None:
    path = tmp_path / f"file{ext}"
    path.write_bytes(content)
    code, out, err = run(["verify", str(path), "--format", "json"], capsys)
    assert code == 1, f"exit {code}: {err}"
    result = json.loads(out)
    assert result["file"] == str(path)
    assert all(s["indication"] != "TOTAL_PASSED" for s in result["signatures"])


# --------------------------------------------------------------------------- the zoo: many bad files, one run

# Every hostile file of the attack surface beside the complete sample, in ONE dossier checked once
# (JSON and text): each file's own test then asserts on the shared report. One run keeps the file fast,
# and is itself the proof that one bad file never stops the rest. Cases that crash the whole run are
# kept out of the zoo and tested alone (see the BUG tests), so a crash there does not hide the others.

SIDECAR_CRASHERS = {"pem-junk-inside-valid"}


# Findings about what a file holds (not about its name): unreadable, truncated, encrypted, wrong type,
# archive inside; with every SIG* (a signature) and ELIG* (an attestation) finding.
CONTENT_CODES = frozenset({"FILE003", "FILE004", "FILE008", "FILE009", "FILE010", "FILE011", "FILE015"})


def _zoo_entries() -> dict[str, tuple[str, bytes]]:
    """name in the dossier -> (what is expected, bytes)."""
    pdf05 = (SAMPLE / "05_exw-prices_1p.pdf").read_bytes()
    pdf02 = (SAMPLE / TARGET_PDF).read_bytes()
    garbage = bytearray(pdf02)
    cut = garbage.rfind(b"startxref")
    garbage[cut:] = b"startxref\n999999999\n%%EOF\n"
    table = garbage.rfind(b"xref\n", 0, cut)
    if table > 0:
        garbage[table + 5 : table + 200] = b"Z" * 195
    out: dict[str, tuple[str, bytes]] = {}
    for ext in EXTENSIONS:
        out[f"09_zero-byte{ext}"] = ("named", b"")
        out[f"09_junk{ext}"] = ("named", JUNK)
    out["state/zero-byte.json"] = ("named", b"")
    out["state/junk.json"] = ("named", JUNK)
    for case, (contents, byte_range) in SIG_CASES.items():
        out[f"10_sigfield-{case}_1p.pdf"] = ("signature-failed", signed_field_pdf(contents, byte_range))
    for case, make in SIDECARS.items():
        if case in SIDECAR_CRASHERS:
            continue
        out[f"11_sidecar-{case}_1p.pdf"] = ("signature-failed", pdf05)
        out[f"11_sidecar-{case}_1p.pdf.cms"] = ("sidecar", make())
    for ext in (".p7s", ".sig"):
        out[f"11_sidecar-junk{ext}_1p.pdf"] = ("signature-failed", pdf05)
        out[f"11_sidecar-junk{ext}_1p.pdf{ext}"] = ("sidecar", JUNK)
    for pct in (10, 50, 99):
        out[f"12_truncated-{pct}_1p.pdf"] = ("named", pdf02[: len(pdf02) * pct // 100])
    out["12_garbage-xref_1p.pdf"] = ("listed", bytes(garbage))
    out["12_encrypted-owner-only_1p.pdf"] = ("named", encrypted_pdf(""))
    out["12_encrypted-user-password_1p.pdf"] = ("named", encrypted_pdf("secret"))
    out["13_jpeg-named_1p.png"] = ("named", (SAMPLE / TARGET_IMAGE).read_bytes())
    out["13_one-pixel_1p.png"] = ("listed", png_bytes(1, 1))
    out["13_bomb_1p.png"] = ("too-large", bomb_png())
    out["13_frames_3p.tif"] = ("three-pages", multiframe_tiff(3))
    out["13_word_1p.docx"] = ("named", docx_bytes())
    for mode, fmt, ext in MODES:
        out[f"13_mode-{mode.replace(';', '')}-{ext[1:]}_1p{ext}"] = ("listed", image_bytes(mode, fmt))
    out["13_truncated-jpeg_1p.jpg"] = ("named", jpeg_bytes(400, 400)[:300])
    for name in WEIRD_NAMES.values():
        out[name] = ("hidden" if name.startswith(".") else "listed", simple_pdf(1))
    return out


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The zoo dossier, its snapshot before and after, and the JSON and text results of one check each."""
    root = tmp_path_factory.mktemp("zoo") / "dossier"
    shutil.copytree(SAMPLE, root)
    (root / "expected.json").unlink()
    entries = _zoo_entries()
    for name, (_, data) in entries.items():
        (root / name).write_bytes(data)
    before = snapshot(root)
    result: dict[str, Any] = {"root": root, "entries": entries, "before": before}
    for fmt in ("json", "text"):
        out, err = io.StringIO(), io.StringIO()
        argv = ["check", str(root), "--no-ocr", "--format", fmt, *ARGS]
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        except BaseException:
            result[fmt] = ("crash", traceback.format_exc())
            continue
        result[fmt] = (code, out.getvalue(), err.getvalue())
    result["after"] = snapshot(root)
    return result


def _zoo_report(zoo: dict[str, Any]) -> dict[str, Any]:
    code, out, err = zoo["json"]
    if code == "crash":
        pytest.fail(f"one bad file stopped the whole dossier:\n{out}")
    assert "Traceback" not in out + err
    assert code == 1, f"exit {code}: {err}"
    report = json.loads(out)
    REPORT_VALIDATOR.validate(report)
    return dict(report)


def test_zoo_run_is_whole(zoo: dict[str, Any]) -> None:
    """One run over every bad file: exit 1, schema-valid, every sample document still read, input untouched."""
    report = _zoo_report(zoo)
    rest_is_read(report)
    assert zoo["after"] == zoo["before"], "the run changed the user's input"
    code, out, err = zoo["text"]
    if code == "crash":
        pytest.fail(f"the text report crashed:\n{out}")
    assert code == 1
    assert "VERDICT: FAIL" in out and "Traceback" not in out + err


@pytest.mark.parametrize("name", sorted(_zoo_entries()))
def test_zoo_file(zoo: dict[str, Any], name: str) -> None:
    """Each bad file: reported for what it is, naming it."""
    report = _zoo_report(zoo)
    expect, _ = zoo["entries"][name]
    docs = {d["file"]: d for d in report["documents"]}
    found = names_file(report, name)
    about_content = [f for f in found if f["code"].startswith(("SIG", "ELIG")) or f["code"] in CONTENT_CODES]
    if expect in ("named", "sidecar"):
        assert about_content, f"no finding about the content of {name!r}: {sorted({f['code'] for f in found})}"
    elif expect == "signature-failed":
        assert name in docs, f"{name!r} is missing from the report"
        sigs = docs[name]["signatures"]
        assert sigs, f"{name!r}: a hostile signature must give a failed report, not none"
        assert all(s["indication"] != "TOTAL_PASSED" for s in sigs)
    elif expect == "too-large":
        assert any("large" in f["message"] or "decode" in f["message"] for f in found), found
    elif expect == "three-pages":
        assert docs[name]["pages"] == 3
    elif expect == "listed":
        assert name in docs, f"{name!r} vanished from the report"
    else:
        assert expect == "hidden"


@pytest.mark.parametrize("name", sorted(_zoo_entries()))
def test_verify_each_zoo_file(zoo: dict[str, Any], capsys: pytest.CaptureFixture[str], name: str) -> None:
    """`intake verify` on every bad file: exit 1 with `{"file", "signatures"}`, none TOTAL_PASSED."""
    path = zoo["root"] / name
    code, out, err = run(["verify", str(path), "--format", "json", *ARGS[:2], "--at", ARGS[-1]], capsys)
    assert code == 1, f"exit {code}: {err}"
    result = json.loads(out)
    assert result["file"] == str(path)
    assert all(s["indication"] != "TOTAL_PASSED" for s in result["signatures"])


def test_zoo_names_apply(zoo: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`intake names --apply` over every bad file: copies made, originals untouched, exit 0."""
    out_dir = tmp_path / "renamed"
    code, out, err = run(["names", str(zoo["root"]), "--apply", str(out_dir), "--format", "json"], capsys)
    assert code == 0, err
    assert snapshot(zoo["root"]) == zoo["before"]
    copies = json.loads(out)["copies"]
    assert all((out_dir / c["to"]).is_file() for c in copies)
    code, out, err = run(["names", str(zoo["root"])], capsys)
    assert code == 0, err


def test_pem_sidecar_with_bad_base64_in_check(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A PEM-armoured sidecar whose body is not base64 fails that signature; the run goes on."""
    name = "05_exw-prices_1p.pdf.cms"
    (dossier / name).write_bytes(SIDECARS["pem-junk-inside-valid"]())
    code, report, _ = guarded(dossier, capsys)
    assert code == 1
    doc = next(d for d in report["documents"] if d["file"] == "05_exw-prices_1p.pdf")
    assert doc["signatures"] and all(s["indication"] != "TOTAL_PASSED" for s in doc["signatures"])
    rest_is_read(report)


@pytest.mark.parametrize("option", ["--trust", "--crl"])
def test_pem_option_file_with_bad_base64_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    path = tmp_path / "bad-base64.pem"
    path.write_bytes(b"-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n")
    code, _, err = run(["check", str(SAMPLE), "--no-ocr", *ARGS, option, str(path)], capsys)
    assert code == 2, err
    assert path.name in err


def test_text_report_closes_what_it_opens() -> None:
    """Rendering the text report leaves no file open (a leaked handle per run in a long-lived process)."""
    import gc
    import warnings

    from intake import ocr
    from intake.cli import render_text
    from intake.pipeline import Settings
    from intake.pipeline import check as run_check
    from tests.conftest import AT

    report = run_check(SAMPLE, Settings(at=AT, ocr_engine=ocr.NullEngine(reason="test")))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        render_text(report)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)], [str(w.message) for w in caught]


# --------------------------------------------------------------------------- intake names


def test_names_apply_never_touches_originals(dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (dossier / "Устав ТОО 2 стр.pdf").write_bytes(simple_pdf(2))
    (dossier / "junk.pdf").write_bytes(JUNK)
    (dossier / "empty.jpg").write_bytes(b"")
    (dossier / "link.pdf").symlink_to("/etc/passwd")
    before = snapshot(dossier)
    out_dir = tmp_path / "renamed"
    code, out, err = run(["names", str(dossier), "--apply", str(out_dir), "--format", "json"], capsys)
    assert code == 0, err
    assert snapshot(dossier) == before
    copies = json.loads(out)["copies"]
    assert copies and all((out_dir / c["to"]).is_file() for c in copies)
    assert not any(c["from"] == "link.pdf" for c in copies)
    assert "root:" not in "".join(p.read_text(errors="replace") for p in out_dir.rglob("*") if p.is_file())


@pytest.mark.parametrize("where", ["inside", "existing-file", "non-empty", "same"])
def test_names_apply_refuses_bad_targets(
    dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    target = {
        "inside": dossier / "renamed",
        "existing-file": dossier / TARGET_PDF,
        "non-empty": SAMPLE.parent,
        "same": dossier,
    }[where]
    before = snapshot(dossier)
    code, out, _err = run(["names", str(dossier), "--apply", str(target)], capsys)
    assert code == 2, out
    assert snapshot(dossier) == before


def test_names_zip_apply(dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dossier.zip"
    path.write_bytes(_zip_of(dossier, {"../evil.pdf": b"x"}))
    before = snapshot(path)
    code, _out, err = run(["names", str(path), "--apply", str(tmp_path / "out"), "--format", "json"], capsys)
    assert code == 0, err
    assert snapshot(path) == before
    assert not (tmp_path / "evil.pdf").exists()


# --------------------------------------------------------------------------- the real console script


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "{dossier}", "--no-ocr", "--format", "json", *ARGS], {1}),
        (["check", "{tmp}/missing", "--no-ocr"], {2}),
        (["check", "{dossier}", "--no-ocr", "--at", "not-a-date"], {2}),
        (["verify", "{dossier}/05_exw-prices_1p.pdf", "--format", "json"], {1}),
        (["names", "{dossier}"], {0}),
    ],
    ids=["check-broken", "check-missing", "check-bad-at", "verify-junk-sidecar", "names"],
)
def test_console_script_behaves_the_same(dossier: Path, tmp_path: Path, argv: list[str], expected: set[int]) -> None:
    (dossier / "05_exw-prices_1p.pdf.cms").write_bytes(JUNK)
    (dossier / "application.json").write_bytes(b'{"kind": 5, "bin": [[[]]]}')
    args = [a.format(dossier=dossier, tmp=tmp_path) for a in argv]
    before = snapshot(dossier)
    proc = subprocess.run([str(CONSOLE), *args], check=False, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode in expected, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert snapshot(dossier) == before
    if "json" in args and args[0] == "check":
        REPORT_VALIDATOR.validate(json.loads(proc.stdout))


# --------------------------------------------------------------------------- random mutations (hypothesis)

MUTABLE = [n for n in SAMPLE_FILES if n != "expected.json"]


def _mutate(data: bytes, kind: str, position: float, value: int) -> bytes:
    if not data:
        return bytes([value])
    at = min(int(position * len(data)), len(data) - 1)
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ (value or 1)]) + data[at + 1 :]
    if kind == "truncate":
        return data[:at]
    if kind == "zero-run":
        return data[:at] + b"\x00" * 64 + data[at + 64 :]
    return data[:at] + bytes([value]) * 16 + data[at:]  # insert


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(MUTABLE),
    kind=st.sampled_from(["flip", "truncate", "zero-run", "insert"]),
    position=st.floats(min_value=0.0, max_value=1.0),
    value=st.integers(min_value=0, max_value=255),
)
def test_random_mutations_never_crash(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    name: str,
    kind: str,
    position: float,
    value: int,
) -> None:
    """Any byte flip or truncation of any file: exit 0/1/3, a schema-valid report, the input unchanged."""
    target = tmp_path_factory.mktemp("mutant") / "dossier"
    shutil.copytree(SAMPLE, target)
    path = target / name
    path.write_bytes(_mutate(path.read_bytes(), kind, position, value))
    before = snapshot(target)
    _code, report, _ = check(target, capsys)
    assert snapshot(target) == before
    assert {d["file"] for d in report["documents"]} >= {n for n in SAMPLE_DOCUMENTS if n != name}, (
        "a mutated file stopped the rest"
    )
    shutil.rmtree(target.parent)


ZIPPED_SAMPLE = _zip_of(SAMPLE)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["flip", "truncate", "zero-run", "insert"]),
    position=st.floats(min_value=0.0, max_value=1.0),
    value=st.integers(min_value=0, max_value=255),
)
def test_random_mutations_of_the_zip_never_crash(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], kind: str, position: float, value: int
) -> None:
    """Any damage to the dossier zip: a report (exit 0/1/3) or exit 2 naming the zip; never a traceback."""
    path = tmp_path_factory.mktemp("zipmutant") / "dossier.zip"
    path.write_bytes(_mutate(ZIPPED_SAMPLE, kind, position, value))
    before = snapshot(path)
    code, out, err = run(["check", str(path), "--no-ocr", "--format", "json", *ARGS], capsys)
    assert snapshot(path) == before
    if code == 2:
        assert "dossier.zip" in err
    else:
        assert code in CHECK_CODES
        REPORT_VALIDATOR.validate(json.loads(out))
    shutil.rmtree(path.parent)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
