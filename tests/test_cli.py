"""The clerk's text report (order and content of its sections) and the CLI's refusals of outputs that
would write into the input."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from intake import workdays
from intake.cli import main, render_text
from intake.models import Detail, DocumentEntry, FileRole, Finding, Kind, Outcome, Report
from intake.pipeline import summarise, verdict_of
from intake.rules import finding
from tests.conftest import AT, ROOT

SAMPLE = ROOT / "samples" / "specialist-detail-expired"


def _report(*findings_: Finding, details: bool = True, timeline: bool = True) -> Report:
    found = tuple(findings_)
    docs = (
        DocumentEntry(
            file="01_qualification_1p.pdf",
            document_type="qualification",
            pages=1,
            declared_pages=1,
            sha256="0" * 64,
            role=FileRole.DOCUMENT,
            size=10,
            details=(Detail(kind="number", value="ЖБ-0042", page=1),) if details else (),
        ),
    )
    submitted = datetime(2026, 11, 18, 15, 5, tzinfo=ZoneInfo("Asia/Almaty"))
    return Report(
        tool="intake test",
        profile="kz-377-2018",
        dossier="samples/x",
        validated_at=AT,
        verdict=verdict_of(found),
        kind=Kind.SPECIALIST,
        documents=docs,
        findings=found,
        summary=summarise(found),
        timeline=workdays.timeline(submitted, workdays.default_calendar()) if timeline else None,
    )


MIXED = (
    finding("FORM001", Outcome.PASSED, "application.json is present", document="application.json"),
    finding("FILE004", Outcome.FAILED, "declares 3 pages; the file has 2", document="b.pdf", basis="16"),
    finding("DET007", Outcome.FAILED, "expired on 2026-09-10", document="a.pdf"),
    finding("SCAN002", Outcome.FAILED, "page 2 is hard to read", document="b.pdf", page=2),
    finding("SIG004", Outcome.INDETERMINATE, "no revocation data", document="a.pdf"),
    finding("ELIG009", Outcome.INDETERMINATE, "to be received from the state system"),
    finding("TIME001", Outcome.INDETERMINATE, "no submission moment"),
)


def test_sections_come_in_the_clerks_order() -> None:
    text = render_text(_report(*MIXED))
    heads = [
        "VERDICT: FAIL",
        "Grounds for refusal",
        "For a person to check",
        "Notes",
        "Details found",
        "\nReview timeline",
    ]
    positions = [text.index(h) for h in heads]
    assert positions == sorted(positions), text
    assert "Every check passed." not in text


def test_refusals_are_sorted_by_document_then_code_and_name_their_paragraph() -> None:
    text = render_text(_report(*MIXED))
    refusals = text[text.index("Grounds for refusal") : text.index("For a person to check")]
    lines = [line.strip() for line in refusals.splitlines()[1:] if line.strip()]
    assert lines[0].startswith("27.2 ")  # under the ground of paragraph 27 both support
    marked = [line for line in lines if line.startswith("✗")]
    assert marked == [
        "✗ DET007 §27.5 Document not expired (a.pdf): expired on 2026-09-10",
        "✗ FILE004 §16 Page count in the name is true (b.pdf): declares 3 pages; the file has 2",
    ]


def test_review_groups_by_document_dossier_first_blocking_before_review() -> None:
    text = render_text(_report(*MIXED))
    review = text[text.index("For a person to check") : text.index("Notes")]
    lines = [line.rstrip() for line in review.splitlines()[1:] if line.strip()]
    assert lines[0] == "(dossier)" and "ELIG009" in lines[1]
    assert lines[2] == "a.pdf" and "? SIG004" in lines[3]
    assert lines[4] == "b.pdf" and "✗ SCAN002" in lines[5] and "(page 2)" in lines[5]
    assert "FORM001" not in text  # passed findings are in the JSON report, not in the clerk's text
    notes = text[text.index("Notes") : text.index("Details found")]
    assert "TIME001" in notes and "TIME001" not in review


def test_header_counts_details_and_timeline() -> None:
    text = render_text(_report(*MIXED))
    assert "(specialist)" in text.splitlines()[0]
    assert "7 checks: 1 passed, 3 failed, 3 undecided" in text
    assert "01_qualification_1p.pdf" in text and "ЖБ-0042 (page 1)" in text
    assert "due 20" in text and "working days" in text


def test_a_clean_report_says_every_check_passed() -> None:
    text = render_text(_report(MIXED[0], details=False, timeline=False))
    assert text.splitlines()[0].startswith("VERDICT: PASS")
    assert text.rstrip().endswith("Every check passed.")
    for head in ("Grounds for refusal", "For a person to check", "Notes", "Details found", "Review timeline"):
        assert head not in text


@pytest.mark.parametrize("where", ["the-dossier", "inside-it", "a-file"])
def test_evidence_is_refused_inside_the_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    folder = tmp_path / "dossier"
    shutil.copytree(SAMPLE, folder)
    target = {"the-dossier": folder, "inside-it": folder / "crops", "a-file": folder / "application.json"}[where]
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    code = main(["check", str(folder), "--no-ocr", "--evidence", str(target)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "--evidence" in err and ("into the input" in err or "is a file" in err)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before


def test_importing_the_cli_loads_no_heavy_library() -> None:
    """Every command pays for what `intake.cli` and `intake.pipeline` import: OpenCV, numpy, pyHanko, pypdf
    and Jinja load where first used (a scan to read, a signed PDF, an HTML report), never at start-up."""
    import subprocess
    import sys

    heavy = ("cv2", "numpy", "pyhanko", "pypdf", "pypdfium2", "jinja2", "holidays", "rich")
    probe = "import sys, intake.cli, intake.pipeline; print(' '.join(m for m in {!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe.format(heavy)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == []
