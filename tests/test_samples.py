"""Every sample dossier in `samples/` screened as its `expected.json` says (issue 2, point 7).

Each `samples/<name>/expected.json` gives the `verdict`, the exact set of `codes` that come out failed or
indeterminate (no more, no fewer), optional `passes` (codes that must come out passed and never otherwise), and the
`args` of `intake check`, relative to the project root.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from intake.cli import main
from tests.conftest import ROOT

SAMPLES = ROOT / "samples"
EXIT = {"pass": 0, "fail": 1, "review": 3}
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
CASES = sorted(p.parent.name for p in SAMPLES.glob("*/expected.json"))


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name / "expected.json").read_text(encoding="utf-8"))
    return data


def _run(dossier: Path, args: list[str], out: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, Any]]:
    monkeypatch.chdir(ROOT)  # the samples' args are relative to the project root
    code = main(["check", str(dossier), "--format", "json", *args, "--output", str(out)])
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return code, report


def _not_passed(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["outcome"] in ("failed", "indeterminate")]


def test_the_base_samples_exist() -> None:
    assert {"organization-complete", "specialist-complete"} <= set(CASES)


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_sample(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _expected(name)
    code, report = _run(SAMPLES / name, [str(a) for a in expected["args"]], tmp_path / "report.json", monkeypatch)
    jsonschema.validate(report, SCHEMA)
    problems = [
        f"{f['code']} {f['outcome']} {f['document']}: {f['message']}"
        for f in _not_passed(report)
        if f["severity"] != "info"
    ]
    assert report["verdict"] == expected["verdict"], "\n".join(problems)
    assert code == EXIT[expected["verdict"]]
    seen = {f["code"] for f in _not_passed(report)}
    missing = sorted(set(expected["codes"]) - seen)
    extra = sorted(seen - set(expected["codes"]))
    # Exactly its codes: an unexpected extra failure in a failing sample is a failure of the test too.
    assert (missing, extra) == ([], []), (
        f"expected {missing} failed or indeterminate but they were not; {extra} were not expected:\n"
        + "\n".join(problems)
    )
    for c in expected.get("passes", ()):
        outcomes = {f["outcome"] for f in report["findings"] if f["code"] == c}
        assert outcomes == {"passed"}, f"{c}: expected only passed findings, got {outcomes}"
    if expected["verdict"] == "pass":
        blocking = [f for f in _not_passed(report) if f["severity"] == "blocking"]
        assert not blocking, "\n".join(problems)


@pytest.mark.slow
def test_a_complete_sample_passes_as_a_zip_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Zip dossiers are not samples (the contract runs `intake check samples/<name>`): zip one here."""
    name = "organization-complete"
    folder = SAMPLES / name
    archive = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != "expected.json":
                zf.write(path, path.relative_to(folder).as_posix())
    expected = _expected(name)
    code, report = _run(archive, [str(a) for a in expected["args"]], tmp_path / "report.json", monkeypatch)
    assert (code, report["verdict"]) == (0, "pass")
    names = {d["file"] for d in report["documents"]}
    assert "04_price-document_1p.pdf" in names
    signed = next(d for d in report["documents"] if d["file"] == "application.json")
    assert [s["indication"] for s in signed["signatures"]] == ["TOTAL_PASSED"]
