"""The reasoned notice of paragraph 28 (issue 14, point 3): every upheld ground with its paragraph."""

from __future__ import annotations

import email
import json
import re
import shutil
import subprocess
from datetime import date
from email.message import Message
from pathlib import Path

import pytest

from intake.cli import main
from intake.models import Report
from intake.notice import NoticeError, draft, to_text
from tests.conftest import ROOT
from tests.factories import failing_report

SAMPLE = ROOT / "samples" / "organization-missing-document"
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    args = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))["args"]
    out = tmp_path_factory.mktemp("notice") / "report.json"
    assert main(["check", str(SAMPLE), *args, "--no-ocr", "-f", "json", "-o", str(out)]) == 1
    return out


def _pdf_text(path: Path) -> str:
    assert PDFTOTEXT, "pdftotext (poppler-utils) is installed by scripts/system-deps.sh"
    text = subprocess.run([PDFTOTEXT, str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(
    ("lang", "ground", "requirement", "appeal"),
    [
        ("ru", "подпункт 2) пункта 27 Правил", "пункт 7 Правил", "пунктом 29 Правил"),
        ("kk", "Қағидалардың 27-тармағының 2) тармақшасы", "Қағидалардың 7-тармағы", "Қағидалардың 29-тармағына"),
    ],
)
def test_pdf_names_every_upheld_ground_with_its_paragraph(
    report_file: Path, tmp_path: Path, lang: str, ground: str, requirement: str, appeal: str
) -> None:
    pdf = tmp_path / f"notice-{lang}.pdf"
    assert main(["notice", str(report_file), "--lang", lang, "-f", "pdf", "-o", str(pdf), "--on", "2026-12-04"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert ground in text and requirement in text and appeal in text
    assert "190340045215" in text and "info@meyirim-test.kz" in text  # the applicant as the application records it
    material = {"ru": "Сведения о наличии материальных ресурсов", "kk": "Материалдық ресурстардың болуы"}[lang]
    assert material in text  # the evidence in plain words: which document is missing


def test_eml_is_addressed_to_the_applicant(report_file: Path, tmp_path: Path) -> None:
    eml = tmp_path / "notice.eml"
    assert (
        main(
            [
                "notice",
                str(report_file),
                "--lang",
                "kk",
                "-f",
                "eml",
                "-o",
                str(eml),
                "--sender",
                "komissiya@example.kz",
            ]
        )
        == 0
    )
    msg = email.message_from_bytes(eml.read_bytes())
    assert msg["To"] == "info@meyirim-test.kz" and msg["From"] == "komissiya@example.kz"
    assert "28" in str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    parts = [p for p in msg.walk() if not p.is_multipart()]
    body = next(p for p in parts if p.get_content_type() == "text/plain")
    assert isinstance(body, Message)
    payload = body.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert "Қағидалардың 27-тармағының 2) тармақшасы" in payload.decode("utf-8")
    pdf = next(p for p in parts if p.get_content_type() == "application/pdf")
    data = pdf.get_payload(decode=True)
    assert isinstance(data, bytes) and data.startswith(b"%PDF")


def test_upheld_narrows_and_unknown_codes_are_refused(report_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = Report.model_validate_json(report_file.read_bytes())
    notice = draft(report, "ru", on=date(2026, 12, 4), upheld={"FILE001"})
    assert [g.ground for g in notice.grounds] == ["27.2"]
    assert "подпункт 2) пункта 27 Правил" in to_text(notice)
    with pytest.raises(NoticeError, match="SIG002"):
        draft(report, "ru", on=date(2026, 12, 4), upheld={"SIG002"})
    assert main(["notice", str(report_file), "--upheld", "SCAN001"]) == 2
    assert "SCAN001" in capsys.readouterr().err


def test_a_report_without_refusal_gives_no_notice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = json.loads((ROOT / "samples" / "organization-complete" / "expected.json").read_text(encoding="utf-8"))[
        "args"
    ]
    out = tmp_path / "report.json"
    main(["check", str(ROOT / "samples" / "organization-complete"), *args, "--no-ocr", "-f", "json", "-o", str(out)])
    assert main(["notice", str(out)]) == 2
    assert "no ground to refuse on" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["notice", str(bad)]) == 2


def test_an_upheld_effect_keeps_its_own_ground() -> None:
    """Upholding DET003 alone of a blurred page's cause cites 27.5 (its ground), not the page's 27.3."""
    from intake.models import Applicant, Outcome
    from intake.rules import finding

    findings = (
        finding("SCAN001", Outcome.FAILED, "page 1 cannot be read", document="a.png", page=1),
        finding("DET003", Outcome.FAILED, "no signature", document="a.png"),
    )
    report = failing_report(findings, applicant=Applicant(name="ТОО «Тест»", email="a@b.kz"), causes=True)
    assert [c.codes for c in report.causes] == [("SCAN001", "DET003")]
    assert [g.ground for g in draft(report, "ru", on=date(2026, 12, 4)).grounds] == ["27.3"]
    assert [g.ground for g in draft(report, "ru", on=date(2026, 12, 4), upheld={"DET003"}).grounds] == ["27.5"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "Установлено: scan.pdf, страница 2 не читается: размыто: резкость 0.12 (< 0.3)."),
        ("kk", "Анықталғаны: scan.pdf, 2-бет оқылмайды: бұлыңғыр: анықтығы 0.12 (< 0.3)."),
    ],
)
def test_the_notice_says_what_was_found_in_its_language(lang: str, expected: str) -> None:
    """The evidence of a ground carries the finding's own message, said in the notice's language."""
    from intake.models import Applicant, Outcome, say
    from intake.rules import finding

    why = say("blurred: sharpness {sharpness} (< {limit})", sharpness="0.12", limit=0.3)
    message = say("{file} page {page} cannot be read: {reasons}", file="scan.pdf", page=2, reasons=(why,))
    findings = (finding("SCAN001", Outcome.FAILED, message, document="scan.pdf", page=2),)
    assert findings[0].message == "scan.pdf page 2 cannot be read: blurred: sharpness 0.12 (< 0.3)"
    report = failing_report(findings, applicant=Applicant(name="ТОО «Тест»", email="a@b.kz"), causes=True)
    text = to_text(draft(report, lang, on=date(2026, 12, 4)))
    assert expected in text, text
    assert "blurred" not in text and "cannot be read" not in text
