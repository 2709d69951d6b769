"""`intake batch`: discovery, the jsonl contract, resuming, formats, time limit, exit codes; and the help."""

from __future__ import annotations

import json
import shutil
import signal
import time
import zipfile
from pathlib import Path

import pytest
from junitparser import JUnitXml

from intake import batch
from intake.cli import TRUST_PROFILES, main
from intake.errors import DossierNotFound, NotADossier, OutputError
from intake.service.jobs import CheckOptions, JobTimeout, content_hash, time_limit
from intake.verifier.trust import PROFILES

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "specialist-detail-expired"
AT = ["--at", "2026-11-20T12:00:00+05:00", "--no-ocr"]
KEYS = {"dossier", "verdict", "report", "skipped", "seconds"}


def small_dossier(folder: Path, text: str = '{"kind": "specialist"}') -> Path:
    """A dossier of one application.json: opened, judged (fail: documents missing), in well under a second."""
    folder.mkdir(parents=True)
    (folder / "application.json").write_text(text, encoding="utf-8")
    return folder


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_discover_folders_of_dossiers_zips_and_globs(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    small_dossier(inbox / "a")
    small_dossier(inbox / "region" / "b")
    (inbox / "notes").mkdir()
    (inbox / "notes" / "readme.txt").write_text("not a dossier", encoding="utf-8")
    with zipfile.ZipFile(inbox / "c.zip", "w") as zf:
        zf.writestr("application.json", "{}")
    found = batch.discover([str(inbox), str(inbox / "a")])  # `a` twice: screened once
    assert [t.key for t in found.targets] == ["a", "c", "region__b"]
    assert found.ignored == (str(inbox / "notes"),)
    globbed = batch.discover([str(inbox / "*.zip")])
    assert [t.dossier for t in globbed.targets] == [str(inbox / "c.zip")]
    with pytest.raises(DossierNotFound):
        batch.discover([str(tmp_path / "missing")])
    with pytest.raises(DossierNotFound):
        batch.discover([str(tmp_path / "*.nothing")])
    with pytest.raises(NotADossier):
        batch.discover([str(inbox / "notes")])
    with pytest.raises(OutputError):
        batch.check_out(inbox / "a" / "reports", batch.discover([str(inbox)]).targets)


def test_content_hash_and_settings_hash_follow_content(tmp_path: Path) -> None:
    d = small_dossier(tmp_path / "d")
    before = content_hash(d)
    assert content_hash(shutil.copytree(d, tmp_path / "copy")) == before  # where it lies does not matter
    (d / "application.json").write_text("{}", encoding="utf-8")
    assert content_hash(d) != before
    crl = tmp_path / "x.crl"
    crl.write_bytes(b"one")
    opts = CheckOptions.model_validate({"at": "2026-11-20T12:00:00+05:00", "crls": [str(crl)]})
    first = opts.digest()
    crl.write_bytes(b"two")  # same option, other CRL content: another setting
    assert opts.digest() != first


def test_batch_jsonl_contract_resume_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE, inbox / "expired")
    small_dossier(inbox / "bare")
    out = tmp_path / "reports"
    args = ["batch", str(inbox), "--out", str(out), "--format", "jsonl", "--workers", "2", *AT]
    code = main(args)
    captured = capsys.readouterr()
    first = lines(captured.out)
    assert code == 1  # the worst verdict: both fail
    assert [set(x) for x in first] == [KEYS, KEYS]
    assert sorted(str(x["dossier"]) for x in first) == [str(inbox / "bare"), str(inbox / "expired")]
    for x in first:
        assert x["skipped"] is False
        assert x["verdict"] == "fail"
        report = json.loads(Path(str(x["report"])).read_text(encoding="utf-8"))
        assert report["verdict"] == "fail"
        assert report["dossier"] == x["dossier"]
    assert "screening" in captured.err  # the progress bar
    assert "most frequent failing codes" in captured.err

    assert main(args) == 1  # the same again: everything skipped, same verdicts
    again = lines(capsys.readouterr().out)
    assert all(x["skipped"] is True for x in again)
    assert {(x["dossier"], x["verdict"]) for x in again} == {(x["dossier"], x["verdict"]) for x in first}

    (inbox / "bare" / "application.json").write_text('{"kind": "organization"}', encoding="utf-8")
    assert main([*args, "--at", "2026-11-20T12:00:00+05:00"]) == 1
    third = {x["dossier"]: x["skipped"] for x in lines(capsys.readouterr().out)}
    assert third == {str(inbox / "bare"): False, str(inbox / "expired"): True}  # only the changed one

    assert main([*args[:-3], "--at", "2026-11-21"]) == 1  # another validation moment: other settings
    assert not any(x["skipped"] for x in lines(capsys.readouterr().out))


def test_batch_junit_csv_timeout_and_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small_dossier(tmp_path / "in" / "one")
    with zipfile.ZipFile(tmp_path / "in" / "broken.zip", "w") as zf:
        zf.writestr("application.json", "{}")
    (tmp_path / "in" / "broken.zip").write_bytes(b"PK\x03\x04 cut short")  # a partial upload
    code = main(
        ["batch", str(tmp_path / "in"), "--out", str(tmp_path / "r"), "--format", "junit", "--workers", "1", *AT]
    )
    xml = JUnitXml.fromstring(capsys.readouterr().out)
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) == {str(tmp_path / "in" / "one"), str(tmp_path / "in" / "broken.zip")}
    assert cases[str(tmp_path / "in" / "one")].result[0].type == "fail"
    assert cases[str(tmp_path / "in" / "broken.zip")].result[0].type == "error"
    assert code == 1  # fail outranks an unreadable dossier

    assert (
        main(["batch", str(tmp_path / "in" / "broken.zip"), "--out", str(tmp_path / "r"), "--format", "csv", *AT]) == 2
    )
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "dossier,verdict,report,skipped,seconds,error"
    assert rows[1].split(",")[1] == "error"

    # A scanned page to read: seconds of work, far beyond the 0.1 s limit on any machine. (Without OCR a
    # warm check of a sample took 0.12 s here, and finished inside the limit on a faster CI machine.)
    slow = shutil.copytree(ROOT / "samples" / "organization-complete", tmp_path / "slow")
    code = main(["batch", str(slow), "--out", str(tmp_path / "t"), "--format", "jsonl", "--timeout", "0.1", *AT[:2]])
    (only,) = lines(capsys.readouterr().out)
    assert only["verdict"] == "review"
    assert "time limit" in str(only["error"])
    assert code == 3


def test_a_time_limit_swallowed_by_a_finalizer_fires_again() -> None:
    """Python prints and drops an exception raised inside `__del__`; the alarm must come back after that."""
    seen: list[str] = []
    deadline = time.monotonic() + 5.0
    with pytest.raises(JobTimeout), time_limit(0.05):
        while time.monotonic() < deadline:
            try:
                time.sleep(0.01)
            except JobTimeout as exc:  # the first alarm, dropped as a finalizer would drop it
                if seen:
                    raise
                seen.append(str(exc))
    assert seen == ["the time limit of 0.05 s per dossier passed"]
    with time_limit(0.05):  # and the alarm, repeat included, is off once the block is left in time
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_help_shows_value_names_exit_codes_profiles_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert TRUST_PROFILES == PROFILES
    for command in (["--help"], ["check", "--help"], ["batch", "--help"]):
        assert main(command) == 0
        text = capsys.readouterr().out
        assert "<bool>" not in text
        assert "<list" not in text
        assert "Exit codes" in text
    assert main(["batch", "--help"]) == 0
    text = capsys.readouterr().out
    assert "kz-nca" in text
    assert "ISO-8601" in text
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("intake ")
    assert main(["batch"]) == 2  # no input: a usage error


@pytest.mark.parametrize("policy", ["require", "soft-fail"])
def test_batch_judges_under_the_revocation_policy_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str
) -> None:
    """`--revocation` reaches every dossier's screening (its report header says which policy), and a
    different policy is a different setting: nothing is skipped from a run under another policy."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE, inbox / "expired")
    out = tmp_path / "reports"
    args = ["batch", str(inbox), "--out", str(out), "--format", "jsonl", "--workers", "1", *AT]
    main([*args, "--revocation", policy])
    (line,) = lines(capsys.readouterr().out)
    report = json.loads(Path(str(line["report"])).read_text(encoding="utf-8"))
    assert report["revocation_policy"] == policy
    other = "off" if policy == "require" else "require"
    main([*args, "--revocation", other])
    (again,) = lines(capsys.readouterr().out)
    assert again["skipped"] is False
    assert json.loads(Path(str(again["report"])).read_text(encoding="utf-8"))["revocation_policy"] == other
