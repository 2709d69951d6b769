"""Russian, Kazakh and English from the gettext catalogs (issue 14, point 2)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from intake.i18n import Lang, texts, translations
from intake.rules import GROUNDS_27, RULES_LIST
from intake.workdays import ALMATY, Paragraph, default_calendar, timeline

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_n": None}
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
KAZAKH_LETTERS = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def _used_messages() -> set[str]:
    """Every text the code and the templates pass to gettext, as the extractor sees them."""
    found: set[str] = set()
    for path in ("intake/reports.py", "intake/notice.py", "intake/i18n.py", "intake/cli.py"):
        for _, msg, _, _ in extract_from_file("python", str(ROOT / path), keywords=KEYWORDS):
            found.add(msg[0] if isinstance(msg, tuple) else msg)
    for template in (ROOT / "intake" / "templates").glob("*.j2"):
        for _, msg, _, _ in extract_from_file(
            "jinja2.ext:babel_extract", str(template), keywords=KEYWORDS, options={"extensions": "jinja2.ext.i18n"}
        ):
            if msg:
                found.add(msg[0] if isinstance(msg, tuple) else msg)
    return found


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_code_has_its_texts_in_every_language(lang: str) -> None:
    t = texts(lang)
    for r in RULES_LIST:
        for english, got in ((r.title, t.title(r.code)), (r.checks, t.checks(r.code)), (r.fix, t.fix(r.code))):
            assert got.strip(), f"{r.code} has no {lang} text for {english!r}"
            if lang != "en":
                assert got != english, f"{r.code}: the {lang} text of {english!r} is still English"
                assert CYRILLIC.search(got), f"{r.code}: {got!r} is not written in Cyrillic"
    for ground in GROUNDS_27:
        assert t.ground(ground).strip()


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_interface_text_is_translated(lang: str) -> None:
    po = ROOT / "intake" / "locale" / lang / "LC_MESSAGES" / "intake.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    untranslated = []
    for message in _used_messages() | {what for _, what, _ in _chain()}:
        entry = catalog.get(message)
        strings = entry.string if entry is not None else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or not all(values) or any(v == message for v in values):
            untranslated.append(message)
    assert not untranslated, f"{lang}: untranslated: {untranslated}"


def _chain() -> list[tuple[Paragraph, str, int]]:
    steps = timeline(datetime(2026, 11, 18, 10, tzinfo=ALMATY), default_calendar()).steps
    return [(s.paragraph, s.what, s.working_days) for s in steps]


def test_kazakh_is_kazakh() -> None:
    """Kazakh texts use the Kazakh letters and the official terms, not Russian words in Kazakh letters."""
    t = texts("kk")
    assert KAZAKH_LETTERS.search(t.title("FILE001"))
    assert "ЭЦҚ" in t.title("SIG001") and "электрондық цифрлық қолтаңба" in t.checks("SIG001")
    assert (
        "арнаулы әлеуметтік қызметтер"
        in t.gettext(
            "NOTICE of refusal to include in the unified register of organizations providing special social services"
        ).lower()
    )
    assert "жергілікті атқарушы орган" in t.gettext("local executive body submits the data to the Commission")


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("en", 1, "1 working day"),
        ("en", 2, "2 working days"),
        ("ru", 1, "1 рабочий день"),
        ("ru", 2, "2 рабочих дня"),
        ("ru", 5, "5 рабочих дней"),
        ("ru", 11, "11 рабочих дней"),
        ("ru", 21, "21 рабочий день"),
        ("ru", 22, "22 рабочих дня"),
        ("kk", 1, "1 жұмыс күні"),
        ("kk", 5, "5 жұмыс күні"),  # no plural agreement after a numeral
    ],
)
def test_plurals(lang: str, n: int, expected: str) -> None:
    assert texts(lang).working_days(n) == expected


def test_catalogs_compile_with_their_plural_forms() -> None:
    assert translations(Lang.RU).ngettext("{n} check", "{n} checks", 3) == "{n} проверки"
    assert translations(Lang.KK).ngettext("{n} check", "{n} checks", 3) == "{n} тексеру"
