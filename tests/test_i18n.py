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


# --------------------------------------------------------------------------- finding messages (issue 14, point 2)

SAY_KEYWORDS = {"say": None, "say_n": (1, 2)}
FIELD = re.compile(r"\{(\w+)\}")


def message_templates() -> dict[str, str | None]:
    """Every finding message template of the code (`say("...")`, `say_n("...", "...", n)`), collected by
    Babel's extractor from every module of the package: msgid -> msgid_plural (None for a singular)."""
    found: dict[str, str | None] = {}
    for path in sorted((ROOT / "intake").rglob("*.py")):
        for _, msg, _, _ in extract_from_file("python", str(path), keywords=SAY_KEYWORDS):
            if isinstance(msg, tuple):
                found[msg[0]] = msg[1]
            else:
                found[msg] = None
    return found


def catalog_terms() -> set[str]:
    """Plain strings of the catalog that messages take as arguments and say in the language."""
    from intake.filing.media import describe_media
    from intake.rules import ATTESTATION_TYPES

    media = {describe_media(m) for m in (None, "application/pdf", "image/jpeg", "application/zip", "image/gif")}
    return {t.what for t in ATTESTATION_TYPES.values()} | media


def test_the_templates_are_collected_from_the_code() -> None:
    templates = message_templates()
    assert len(templates) > 300
    assert "{document} is required and no file name identifies it" in templates  # on_files
    assert templates["{n} available place exceeds the {total} in total (paragraph 4.11)"] is not None  # a plural
    assert "{field} is an editing tool: «{value}»" in templates  # a fact module (forensics)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_message_template_has_its_translation(lang: str) -> None:
    """Each template the judgements and fact modules say has a translation in the language, with every
    plural form of the catalog's Plural-Forms and exactly the fields of the English template."""
    po = ROOT / "intake" / "locale" / lang / "LC_MESSAGES" / "intake.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    forms = {"ru": 3, "kk": 1}[lang]
    problems = []
    for msgid, plural in message_templates().items():
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"no entry: {msgid!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if plural is not None and (not isinstance(entry.id, tuple) or len(strings) != forms):
            problems.append(f"not {forms} plural forms: {msgid!r}")
            continue
        fields = set(FIELD.findall(msgid)) | ({"n"} if plural else set())
        words = FIELD.sub("", msgid).strip(" ():;,.«»'`")  # nothing to translate in "{file}: {problem}"
        for s in strings:
            if not s:
                problems.append(f"empty: {msgid!r}")
            elif words and s == msgid and not CYRILLIC.search(msgid):  # quoted Russian words may stay as they are
                problems.append(f"still English: {msgid!r}")
            elif FIELD.sub("", s).strip(" ():;,.«»'`") and not CYRILLIC.search(s):
                problems.append(f"not Cyrillic: {s!r}")
            elif set(FIELD.findall(s)) - fields or (fields - {"n"}) - set(FIELD.findall(s)):
                problems.append(f"fields differ: {msgid!r} -> {s!r}")
    for term in catalog_terms():
        entry = catalog.get(term)
        if entry is None or not entry.string or entry.string == term:
            problems.append(f"term untranslated: {term!r}")
    assert not problems, f"{lang}: {len(problems)} problems:\n" + "\n".join(problems)


def test_no_finding_message_is_a_plain_string() -> None:
    """A finding's message is a template (`say`, `say_n`, or a value holding one), never a literal or an
    f-string: a plain string could not be said in Russian or Kazakh, and the test above would not see it."""
    import ast

    # The position of the message among the positional arguments of `finding` and of its local wrappers.
    position = {"finding": 2, "_f": 3, "_fail": 3, "_pass": 2}
    plain, calls = [], 0
    for path in [ROOT / "intake" / "checks.py", *sorted((ROOT / "intake" / "judgements").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in position):
                continue
            calls += 1
            i = position[node.func.id]
            message = (
                node.args[i]
                if len(node.args) > i
                else next((k.value for k in node.keywords if k.arg == "message"), None)
            )
            if isinstance(message, ast.JoinedStr | ast.BinOp) or (
                isinstance(message, ast.Constant) and isinstance(message.value, str)
            ):
                plain.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls > 100
    assert not plain, f"finding messages that are plain strings: {plain}"
    # and every template is a literal, so that the extractor (and the test of the translations) sees it
    computed = []
    for path in sorted((ROOT / "intake").rglob("*.py")):
        if path.name == "reports.py":
            continue  # `say(PART_TEXT[part])`: constants marked for the extractor with `_n`
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("say", "say_n"):
                literal = node.args[: 2 if node.func.id == "say_n" else 1]
                if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in literal):
                    computed.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not computed, f"templates that are not literals: {computed}"


def test_say_renders_in_each_language_with_plurals_and_terms() -> None:
    from intake.models import say, say_n

    msg = say(
        "{document} is required and no file name identifies it",
        document=say(
            "{document} ({paragraph})", document="Information on available material resources", paragraph="7.2"
        ),
    )
    assert str(msg) == "Information on available material resources (7.2) is required and no file name identifies it"
    ru, kk = texts("ru").say(msg), texts("kk").say(msg)
    assert ru.startswith("Сведения о наличии материальных ресурсов (пункт 7.2)"), ru
    assert KAZAKH_LETTERS.search(kk) and "Information" not in kk, kk
    pages = [say_n("{n} page, as the name declares", "{n} pages, as the name declares", n) for n in (1, 3, 5, 21)]
    assert [texts("ru").say(p) for p in pages] == [
        "1 страница, как указано в имени",
        "3 страницы, как указано в имени",
        "5 страниц, как указано в имени",
        "21 страница, как указано в имени",
    ]
    assert texts("kk").say(pages[2]) == "атауында көрсетілгендей, 5 бет"  # a noun after a numeral stays singular
    assert [texts("en").say(p) for p in pages[:2]] == ["1 page, as the name declares", "3 pages, as the name declares"]


@pytest.fixture(scope="module")
def failing_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`intake check` of a refused sample, text format, in each language (and the JSON, for its templates)."""
    import json

    from intake.cli import main

    sample = ROOT / "samples" / "organization-missing-document"
    args = json.loads((sample / "expected.json").read_text(encoding="utf-8"))["args"]
    out = tmp_path_factory.mktemp("reports")
    texts_by_lang = {}
    for lang in ("en", "ru", "kk"):
        path = out / f"{lang}.txt"
        assert main(["check", str(sample), *args, "--no-ocr", "--lang", lang, "-o", str(path)]) == 1
        texts_by_lang[lang] = path.read_text(encoding="utf-8")
    assert main(["check", str(sample), *args, "--no-ocr", "-f", "json", "-o", str(out / "en.json")]) == 1
    texts_by_lang["json"] = (out / "en.json").read_text(encoding="utf-8")
    return texts_by_lang


def _english_words(template: str) -> list[str]:
    """The literal English runs of a template (between its fields) long enough to be recognised."""
    return [run.strip() for run in FIELD.split(template)[::2] if len(run.strip()) >= 12]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_intake_check_prints_the_messages_in_the_language(lang: str, failing_reports: dict[str, str]) -> None:
    """Every message of the refused sample's text report is in the chosen language: no English run of any
    template said in the report is left in the Russian and Kazakh reports, and each is there in English."""
    import json

    from intake.models import Finding

    report = failing_reports[lang]
    data = json.loads(failing_reports["json"])
    findings = [Finding.model_validate(f) for f in data["findings"]]
    shown = [findings[c["findings"][0]] for c in data["causes"]]  # each cause's own message is printed
    said = [f.template for f in shown if f.template is not None]
    assert said and all(f.template is not None for f in findings)
    runs: set[str] = set()

    def walk(s: object) -> None:
        from intake.models import Say

        if isinstance(s, Say):
            runs.update(_english_words(s.text if s.n in (None, 1) or s.plural is None else s.plural))
            for v in s.args.values():
                walk(v)
        elif isinstance(s, tuple):
            for v in s:
                walk(v)

    for s in said:
        walk(s)
    assert runs
    left = sorted(r for r in runs if r in report)
    if lang == "en":
        assert len(left) == len(runs), sorted(runs - set(left))
    else:
        assert not left, f"{lang}: English left in the report: {left}"
        assert CYRILLIC.search(report)
        if lang == "kk":
            assert KAZAKH_LETTERS.search(report)
        t = texts(lang)
        for f in shown:
            if f.template is not None and "box" not in f.template.args:
                assert t.say(f.template) in report, t.say(f.template)
