"""The spine end to end: dossier in, report and exit code out; defects are findings, never tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.cli import main
from intake.models import Finding, Outcome, Severity, Verdict
from intake.ocr import NullEngine
from intake.pipeline import Settings, check, summarise, verdict_of
from intake.rules import finding
from tests.conftest import AT, ROOT

SAMPLE = ROOT / "samples" / "organization-complete"


def _f(code: str, outcome: Outcome) -> Finding:
    return finding(code, outcome, "x")


def test_verdict_rules() -> None:
    assert verdict_of([]) is Verdict.PASS
    assert verdict_of([_f("FILE001", Outcome.PASSED), _f("FILE012", Outcome.FAILED)]) is Verdict.PASS  # info
    assert verdict_of([_f("FILE006", Outcome.FAILED)]) is Verdict.REVIEW  # review failed
    assert verdict_of([_f("FILE001", Outcome.INDETERMINATE)]) is Verdict.REVIEW  # blocking undecided
    assert verdict_of([_f("FILE006", Outcome.FAILED), _f("FILE001", Outcome.FAILED)]) is Verdict.FAIL


def test_summary_counts() -> None:
    s = summarise([_f("FILE001", Outcome.FAILED), _f("FILE006", Outcome.PASSED), _f("FILE001", Outcome.PASSED)])
    assert s.total == 3
    assert s.outcomes == {"passed": 2, "failed": 1, "indeterminate": 0}
    assert s.severities[Severity.BLOCKING.value] == {"passed": 1, "failed": 1, "indeterminate": 0}


def _settings() -> Settings:
    return Settings(at=AT, ocr_engine=NullEngine())


def _write_app(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "application.json").write_text(text, encoding="utf-8")
    return folder


def _failed(report_findings: tuple[Finding, ...], code: str) -> list[Finding]:
    return [f for f in report_findings if f.code == code and f.outcome is Outcome.FAILED]


def test_bad_json_is_a_blocking_finding(tmp_path: Path) -> None:
    report = check(_write_app(tmp_path / "d", '{"kind": "organization", '), _settings())
    assert report.verdict is Verdict.FAIL
    (bad,) = _failed(report.findings, "FORM002")
    assert "not valid JSON" in bad.message
    assert bad.document == "application.json"


def test_wrong_types_and_missing_fields_name_the_field(tmp_path: Path) -> None:
    raw = json.loads((SAMPLE / "application.json").read_text(encoding="utf-8"))
    raw["employees_count"] = "twelve"
    del raw["contacts"]
    report = check(_write_app(tmp_path / "d", json.dumps(raw, ensure_ascii=False)), _settings())
    assert report.verdict is Verdict.FAIL
    fields = {f.evidence.get("field") for f in _failed(report.findings, "FORM003")}
    assert {"employees_count", "contacts"} <= fields
    assert all(f.rule == "10" for f in _failed(report.findings, "FORM003"))


def test_unknown_kind_names_the_field(tmp_path: Path) -> None:
    report = check(_write_app(tmp_path / "d", '{"kind": "company"}'), _settings())
    (bad,) = _failed(report.findings, "FORM003")
    assert "kind" in bad.message and "company" in bad.message


def test_no_application_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    report = check(tmp_path / "d", _settings())
    assert _failed(report.findings, "FORM001")
    assert report.verdict is Verdict.FAIL


def test_cli_exit_2_for_what_is_not_a_dossier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nothing-here")]) == 2
    not_zip = tmp_path / "x.pdf"
    not_zip.write_bytes(b"%PDF-1.4 hello")
    assert main(["check", str(not_zip)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no such file" in err


def test_cli_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SAMPLE), "--format", "yaml"]) == 2
    assert main(["check", str(SAMPLE), "--at", "yesterday"]) == 2


def test_complete_sample_passes_and_missing_document_fails(tmp_path: Path) -> None:
    expected = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
    args = [str(a) for a in expected["args"]]
    out = tmp_path / "report.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        assert main(["check", str(SAMPLE), "--format", "json", "--output", str(out), *args]) == 0
        report = json.loads(out.read_text(encoding="utf-8"))
        assert report["verdict"] == "pass"
        copy = tmp_path / "copy"
        shutil.copytree(SAMPLE, copy)
        victim = next(p for p in copy.glob("*material-resources*") if p.suffix in {".pdf", ".jpg"})
        victim.unlink()
        for sidecar in copy.glob(victim.name + ".*"):
            sidecar.unlink()
        assert main(["check", str(copy), "--format", "json", "--output", str(out), *args]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["verdict"] == "fail"
    missing = [
        f
        for f in report["findings"]
        if f["code"] == "FILE001"
        and f["outcome"] == "failed"
        and f["evidence"]["document_type"] == "material-resources"
    ]
    assert len(missing) == 1
    assert missing[0]["rule"] == "7"
    assert "material resources" in missing[0]["message"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(app=st.binary(max_size=300), doc=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(tmp_path: Path, app: bytes, doc: bytes) -> None:
    folder = tmp_path / "fuzz"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "application.json").write_bytes(app)
    (folder / "01_material-resources_1p.pdf").write_bytes(b"%PDF-1.4\n" + doc)
    (folder / "02_price-document_1p.jpg").write_bytes(doc)
    (folder / "application.json.cms").write_bytes(doc)
    report = check(folder, _settings())
    assert report.verdict in (Verdict.FAIL, Verdict.REVIEW)
