"""One cause, one ground: findings that share a cause are grouped under it (issue 14, point 4)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from intake import causes, ocr
from intake.models import Outcome
from intake.pipeline import Settings, check
from intake.rules import finding
from tests.conftest import AT, ROOT

SAMPLES = ROOT / "samples"


def _args(name: str) -> list[str]:
    return list(json.loads((SAMPLES / name / "expected.json").read_text(encoding="utf-8"))["args"])


def _settings(name: str, **kw: object) -> Settings:
    args = _args(name)
    trust = tuple(args[i + 1] for i, a in enumerate(args) if a == "--trust")
    crls = tuple(ROOT / args[i + 1] for i, a in enumerate(args) if a == "--crl")
    return Settings(at=AT, trust=tuple(str(ROOT / t) for t in trust), crls=crls, **kw)  # type: ignore[arg-type]


def test_a_blurred_page_is_one_cause_with_one_ground() -> None:
    report = check(SAMPLES / "scan-illegible", _settings("scan-illegible"))
    blocking = [c for c in report.causes if c.severity.value == "blocking" and c.outcome is Outcome.FAILED]
    assert len(blocking) == 1, [c.title for c in blocking]
    (cause,) = blocking
    assert cause.cause == "unreadable-page" and cause.ground == "27.3" and cause.pages == (1,)
    assert {"SCAN001", "DET001", "DET002", "DET003", "DET004"} <= set(cause.codes)
    assert report.findings[cause.findings[0]].code == "SCAN001"
    # findings stay as they are; every one that did not pass is in exactly one cause
    indexes = [i for c in report.causes for i in c.findings]
    assert sorted(indexes) == [i for i, f in enumerate(report.findings) if f.outcome is not Outcome.PASSED]


def _mark_encrypted(archive: Path) -> None:
    """Set the 'encrypted' flag of every entry, in its local header and its central-directory record
    (zipfile writes no encrypted archives; the flag is all a reader sees before asking for a password)."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        pos = zf.start_dir
    for info in infos:
        data[info.header_offset + 6] |= 0x1
    for _ in infos:
        assert data[pos : pos + 4] == b"PK\x01\x02"
        data[pos + 8] |= 0x1
        name, extra, comment = (int.from_bytes(data[pos + k : pos + k + 2], "little") for k in (28, 30, 32))
        pos += 46 + name + extra + comment
    archive.write_bytes(bytes(data))


def test_a_password_zip_is_one_cause(tmp_path: Path) -> None:
    source = SAMPLES / "organization-complete"
    archive = tmp_path / "dossier.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.name != "expected.json":
                zf.write(path, path.relative_to(source).as_posix())
    _mark_encrypted(archive)
    report = check(archive, _settings("organization-complete", ocr_engine=ocr.NullEngine(reason="test")))
    locked = [f for f in report.findings if f.code == "FILE009"]
    assert len(locked) > 10
    archive_causes = [c for c in report.causes if c.cause == "encrypted-archive"]
    assert len(archive_causes) == 1
    (cause,) = archive_causes
    assert {"FILE009", "FILE001", "FORM001"} <= set(cause.codes)
    assert cause.ground == "27.2"
    assert not [c for c in report.causes if c.cause == "finding" and c.codes == ("FILE009",)]


def test_no_trust_anchor_is_one_cause_for_every_signature() -> None:
    report = check(
        SAMPLES / "organization-complete", Settings(at=AT, ocr_engine=ocr.NullEngine(reason="test"))
    )  # no --trust
    # one finding names every signed file it affects (issue 12), and the report shows it as one cause
    (sig,) = [f for f in report.findings if f.code == "SIG002" and f.outcome is Outcome.INDETERMINATE]
    files = sig.evidence["files"]
    assert len(files) > 1
    (cause,) = [c for c in report.causes if c.cause == "no-trust-anchor"]
    assert len(cause.findings) == 1 and list(cause.documents) == files


def test_unrelated_findings_stay_their_own_causes() -> None:
    a = finding("FILE001", Outcome.FAILED, "material resources missing", basis="7")
    b = finding("DET004", Outcome.FAILED, "no date", document="x.pdf")
    got = causes.group([a, b])
    assert [(c.cause, c.codes, c.ground) for c in got] == [
        ("finding", ("FILE001",), "27.2"),
        ("finding", ("DET004",), "27.5"),
    ]
