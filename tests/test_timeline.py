"""The review timeline through the CLI: paragraphs 21-28 in Kazakh working days, TIME001 in the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from intake.cli import main
from tests.test_form import specialist

AT = "2026-11-20T12:00:00+05:00"


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: dict[str, Any], *args: str) -> dict[str, Any]:
    """`intake check` on a dossier holding only this application; the JSON report."""
    folder = tmp_path / "dossier"
    folder.mkdir()
    (folder / "application.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    code = main(["check", str(folder), "--format", "json", "--no-ocr", "--at", AT, *args])
    assert code in (1, 3)  # documents are missing: never a pass, never a crash
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def due(report: dict[str, Any]) -> dict[str, str]:
    """Due date per paragraph."""
    return {s["paragraph"]: s["due"] for s in report["timeline"]["steps"]}


def test_across_new_year_holidays_and_a_working_sunday(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Thursday 2025-01-02 evening: 01-03 (Fri) is a day off transferred from Sunday 01-05, which is a
    # working day; 01-07 is Orthodox Christmas.
    # 21: 2 wd after 01-02 -> Sun 01-05, Mon 01-06; 22: +1 -> (Tue 01-07 off) Wed 01-08;
    # 26: +7 -> 01-09, 10, 13, 14, 15, 16, 17; 27: +2 -> 01-20, 21; 28: +1 -> 01-22.
    report = run(tmp_path, capsys, specialist(), "--submitted", "2025-01-02T18:30:00+05:00")
    assert report["timeline"]["received_on"] == "2025-01-02"
    assert due(report) == {
        "21": "2025-01-06",
        "22": "2025-01-08",
        "26": "2025-01-17",
        "27": "2025-01-21",
        "28": "2025-01-22",
    }
    [time001] = [f for f in report["findings"] if f["code"] == "TIME001"]
    assert time001["severity"] == "info" and time001["outcome"] == "passed"
    assert time001["evidence"]["due"] == due(report)
    assert "§21 due 2025-01-06" in time001["message"] and "§28 due 2025-01-22" in time001["message"]


def test_across_a_transferred_working_saturday(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Friday 2024-05-03: Saturday 05-04 is a working day (its day off moved to Wed 05-08);
    # 21: Sat 05-04, Mon 05-06; 22: 05-07 holiday, 05-08 transferred day off, 05-09 Victory Day -> Fri 05-10.
    report = run(tmp_path, capsys, specialist(submitted_at="2024-05-03T10:00:00+05:00"))
    assert due(report)["21"] == "2024-05-06" and due(report)["22"] == "2024-05-10"


def test_utc_evening_is_the_next_almaty_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 2025-01-01 20:00 UTC is 2025-01-02 01:00 in Almaty (UTC+5): received on the 2nd.
    report = run(tmp_path, capsys, specialist(), "--submitted", "2025-01-01T20:00:00+00:00")
    assert report["timeline"]["received_on"] == "2025-01-02" and due(report)["21"] == "2025-01-06"


def test_text_report_lists_due_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "application.json").write_text(json.dumps(specialist(), ensure_ascii=False), encoding="utf-8")
    main(["check", str(folder), "--no-ocr", "--at", AT, "--submitted", "2025-01-02T18:30:00+05:00"])
    out = capsys.readouterr().out
    assert "Review timeline" in out and "due 2025-01-06" in out


def test_no_submission_moment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = run(tmp_path, capsys, specialist())
    assert report["timeline"] is None
    [time001] = [f for f in report["findings"] if f["code"] == "TIME001"]
    assert time001["outcome"] == "indeterminate" and time001["severity"] == "info"
