"""The text and HTML reports in three languages (issue 14, points 2, 4 and 5)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from intake import ocr
from intake.cli import main
from intake.models import Report
from intake.pipeline import Settings, check
from intake.reports import render_text, vertical_part
from tests.conftest import AT, ROOT
from tests.factories import failing_report

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")

SAMPLES = ROOT / "samples"


def _args(name: str) -> list[str]:
    return list(json.loads((SAMPLES / name / "expected.json").read_text(encoding="utf-8"))["args"])


@pytest.fixture(scope="module")
def missing() -> Report:
    args = _args("organization-missing-document")
    settings = Settings(
        at=AT,
        trust=tuple(str(ROOT / args[i + 1]) for i, a in enumerate(args) if a == "--trust"),
        crls=tuple(ROOT / args[i + 1] for i, a in enumerate(args) if a == "--crl"),
        ocr_engine=ocr.NullEngine(reason="test"),
        submitted=AT,
    )
    return check(SAMPLES / "organization-missing-document", settings)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            ["VERDICT: FAIL", "Grounds for refusal", "27.2 incomplete", "Required document attached", "1 working day"],
        ),
        (
            "ru",
            [
                "ИТОГ: НЕ СООТВЕТСТВУЕТ",
                "Основания для отказа",
                "27.2 внесение поставщиком",
                "1 рабочий день",
                "2 рабочих дня",
                "7 рабочих дней",
            ],
        ),
        ("kk", ["ҚОРЫТЫНДЫ: СӘЙКЕС ЕМЕС", "Бас тарту негіздері", "Міндетті құжат қоса берілген", "7 жұмыс күні"]),
    ],
)
def test_text_report_in_each_language(missing: Report, lang: str, words: list[str]) -> None:
    text = render_text(missing, lang)
    for w in words:
        assert w in text, f"{lang}: {w!r} not in the report"
    assert "1 working days" not in text


def test_a_ground_of_27_stands_beside_the_paragraph(missing: Report) -> None:
    (cause,) = [c for c in missing.causes if c.outcome.value == "failed" and c.severity.value == "blocking"]
    assert (cause.ground, cause.codes) == ("27.2", ("FILE001",))
    line = next(x for x in render_text(missing).splitlines() if "FILE001" in x)
    assert "§7" in line and "no file name identifies it" in line  # the paragraph and the whole message on one line


def test_files_are_not_hard_wrapped(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    code = main(
        [
            "check",
            str(SAMPLES / "organization-missing-document"),
            *_args("organization-missing-document"),
            "--no-ocr",
            "--lang",
            "ru",
            "--output",
            str(out),
        ]
    )
    assert code == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert max(len(x) for x in lines) > 110  # was wrapped at 110 columns
    applicant = next(x for x in lines if x.startswith("Заявитель"))
    assert "БИН 190340045215" in applicant and "info@meyirim-test.kz" in applicant


def test_locations_in_words() -> None:
    assert vertical_part([0, 100, 50, 200], (2480, 3508)) == "top"
    assert vertical_part([0, 1700, 50, 1800], (2480, 3508)) == "middle"
    assert vertical_part([0, 3000, 50, 3100], (2480, 3508)) == "bottom"
    assert vertical_part(None, (2480, 3508)) is None
    assert vertical_part([0, 0, 2480, 3508], (2480, 3508)) is None  # the whole page has no part


def test_json_keeps_keys_and_codes_with_titles_and_messages_in_the_language(tmp_path: Path) -> None:
    en, ru = tmp_path / "en.json", tmp_path / "ru.json"
    args = [
        str(SAMPLES / "organization-missing-document"),
        *_args("organization-missing-document"),
        "--no-ocr",
        "-f",
        "json",
    ]
    assert main(["check", *args, "-o", str(en)]) == 1
    assert main(["check", *args, "--lang", "ru", "-o", str(ru)]) == 1
    a, b = json.loads(en.read_text(encoding="utf-8")), json.loads(ru.read_text(encoding="utf-8"))
    assert a.keys() == b.keys()
    assert [(f["code"], f["outcome"], f["ground"], f["template"]) for f in a["findings"]] == [
        (f["code"], f["outcome"], f["ground"], f["template"]) for f in b["findings"]
    ]
    titles = {f["code"]: f["title"] for f in b["findings"]}
    assert titles["FILE001"] == "Обязательный документ приложен"
    for english, russian in zip(a["findings"], b["findings"], strict=True):
        assert english["template"] is not None, english["message"]
        assert russian["message"] != english["message"], english["message"]
        assert CYRILLIC.search(russian["message"]), russian["message"]
    missing = next(f for f in b["findings"] if f["code"] == "FILE001" and f["outcome"] == "failed")
    assert missing["message"].startswith("Сведения о наличии материальных ресурсов (пункт 7.2)"), missing["message"]


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") and value is not None:
                self.refs.append((tag, name, value))


@pytest.fixture(scope="module")
def illegible_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("html") / "report.html"
    code = main(
        [
            "check",
            str(SAMPLES / "scan-illegible"),
            *_args("scan-illegible"),
            "-f",
            "html",
            "--lang",
            "ru",
            "-o",
            str(out),
        ]
    )
    assert code == 1
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_html_is_self_contained(illegible_html: str) -> None:
    parser = _References()
    parser.feed(illegible_html)
    assert parser.refs, "the page images are inline references"
    for tag, name, value in parser.refs:
        assert value.startswith(("data:", "#")), f"<{tag} {name}={value[:60]!r}> points outside the file"
    assert not [t for t, _ in parser.tags if t in ("link", "script", "iframe", "object", "embed")]
    assert "url(" not in illegible_html and "@import" not in illegible_html


@pytest.mark.slow
def test_html_shows_the_pages_with_details_and_flags(illegible_html: str) -> None:
    parser = _References()
    parser.feed(illegible_html)
    images = [a for t, a in parser.tags if t == "image"]
    assert images and all((a.get("href") or "").startswith("data:image/jpeg;base64,") for a in images)
    classes = [a.get("class") for t, a in parser.tags if t == "rect"]
    assert "detail" in classes and "flag" in classes  # green details found, the red unreadable page
    assert "Основания для отказа" in illegible_html and "страница 1 не читается" in illegible_html
    assert 'lang="ru"' in illegible_html


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "scan.png page 1: a crossed-out word at the bottom of the page: a stroke 120 px long"),
        ("ru", "scan.png, страница 1: зачёркнутое слово в нижней части страницы: черта длиной 120 пикс."),
        ("kk", "scan.png, 1-бет: сызылған сөз беттің төменгі бөлігінде: «Сумма» ортасынан өтетін"),
    ],
)
def test_a_box_in_a_message_is_said_in_words_of_the_language(lang: str, expected: str) -> None:
    """The pixel box of a template's `{box}` becomes 'at the bottom of the page' in the language of the report."""
    from intake.models import DocumentEntry, FileRole, Outcome, say
    from intake.reports import view
    from intake.rules import finding

    message = say(
        "{file} page {page}: {what} {box}{description}",
        file="scan.png",
        page=1,
        what=say("a crossed-out word"),
        box=say("at {box}", box="(100, 3000, 400, 3050)"),
        description=say(": a stroke {length} px long through the middle of «{words}»", length="120", words="Сумма"),
    )
    f = finding(
        "SCAN003", Outcome.FAILED, message, document="scan.png", page=1, evidence={"box": [100, 3000, 400, 3050]}
    )
    assert f.message.startswith("scan.png page 1: a crossed-out word at (100, 3000, 400, 3050): a stroke")
    doc = DocumentEntry(
        file="scan.png",
        document_type=None,
        pages=1,
        declared_pages=1,
        sha256="0" * 64,
        role=FileRole.DOCUMENT,
        size=1,
        page_sizes=((2480, 3508),),
    )
    report = failing_report((f,), documents=(doc,))
    said = view(report, lang).message(f)
    assert said.startswith(expected), said
    assert "3000" not in said
