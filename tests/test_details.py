"""Tests of `intake.details` (extraction of the required details, 27.5) and `intake.judgements.on_details`.

The evaluation set `tests/data/details/` holds labelled document texts: `<name>.txt` (pages split by
a form feed) and `<name>.json` with the details each truly contains (`null` where it has none).
Word boxes are generated from the text deterministically (line -> y, character offset -> x) so that
extraction runs on `PageText` as the pipeline gives it. Run `pytest tests/test_details.py -s` to see
the precision/recall table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake import details, rules
from intake.judgements import on_details as det_checks
from intake.models import (
    Address,
    Consents,
    Contacts,
    Detail,
    Dossier,
    FileFacts,
    Identification,
    Kind,
    Outcome,
    PageText,
    PersonName,
    Severity,
    SignatureReport,
    Signer,
    SpecialistApplication,
    Word,
)
from tests.factories import file_facts

DATA = Path(__file__).parent / "data" / "details"
THRESHOLD = 0.95
EXACT = frozenset({"date", "number", "series", "validity"})
"""Kinds whose extracted value must equal the label; for the others the label is a fragment."""

# --------------------------------------------------------------------------- pages from text

LINE_HEIGHT = 40
CHAR_WIDTH = 10


def page_text(number: int, text: str, *, conf: float = 100.0, low: Sequence[str] = ()) -> PageText:
    """A page with word boxes: line i at y = 60 + 40 i, a word at x = 50 + 10 * its character offset.

    Words in `low` get confidence 35 (a faded or handwritten field read by OCR).
    """
    words: list[Word] = []
    for i, line in enumerate(text.splitlines()):
        for m in re.finditer(r"\S+", line):
            x0, y0 = 50 + m.start() * CHAR_WIDTH, 60 + i * LINE_HEIGHT
            words.append(
                Word(
                    text=m.group(),
                    box=(x0, y0, x0 + len(m.group()) * CHAR_WIDTH, y0 + 30),
                    conf=35.0 if m.group() in low else conf,
                    line=i,
                )
            )
    return PageText(
        number=number,
        source="text-layer" if conf == 100.0 and not low else "ocr",
        text=text,
        words=tuple(words),
        width=2480,
        height=3508,
    )


def pages_of(text: str, **kwargs: Any) -> tuple[PageText, ...]:
    return tuple(page_text(n, t, **kwargs) for n, t in enumerate(text.split("\f"), start=1))


def run(text: str, *, document_type: str | None = None, signed_with_eds: bool = False) -> dict[str, Detail]:
    """The details extracted; with `signed_with_eds`, a verified EDS stands in for a missing signature
    as the judgement does (`on_details.eds_signature`): extraction itself takes no signature input."""
    found = {d.kind: d for d in details.extract(pages_of(text), document_type=document_type)}
    if signed_with_eds and "signature" not in found:
        found["signature"] = Detail(kind="signature", value="verified EDS of the file", source="eds")
    return found


# --------------------------------------------------------------------------- evaluation set


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    document_type: str
    signed_with_eds: bool
    labels: dict[str, Any]


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(DATA.glob("*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        cases.append(
            Case(
                name=path.stem,
                text=path.with_suffix(".txt").read_text(encoding="utf-8"),
                document_type=meta["document_type"],
                signed_with_eds=meta["signed_with_eds"],
                labels=meta["details"],
            )
        )
    return cases


CASES = load_cases()


def _norm(s: str) -> str:
    s = s.lower().replace("ё", "е").replace('"', "«").replace("“", "«").replace("”", "»")
    return re.sub(r"\s+", " ", s).strip()


def matches(kind: str, label: Any, value: str) -> bool:
    """Whether an extracted value is the labelled one."""
    if label is True:
        return True
    if kind in EXACT:
        return _norm(value).replace(" ", "") == _norm(str(label)).replace(" ", "")
    options = label if isinstance(label, list) else [label]
    return any(_norm(o) in _norm(value) for o in options)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(cases: Sequence[Case]) -> dict[str, Score]:
    scores = {k: Score() for k in details.KINDS}
    for case in cases:
        found = run(case.text, document_type=case.document_type, signed_with_eds=case.signed_with_eds)
        for kind in details.KINDS:
            label, got, s = case.labels[kind], found.get(kind), scores[kind]
            if label is None and got is None:
                continue
            if label is not None and got is not None and matches(kind, label, got.value):
                s.tp += 1
                continue
            if got is not None:
                s.fp += 1
            if label is not None:
                s.fn += 1
            s.errors.append(f"{case.name}: {kind}: expected {label!r}, got {got.value if got else None!r}")
    return scores


def table(scores: dict[str, Score], n: int) -> str:
    rows = [
        f"details evaluation set: {n} documents",
        f"{'kind':<15} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'rec':>6}",
    ]
    for kind, s in scores.items():
        rows.append(f"{kind:<15} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>6.3f} {s.recall:>6.3f}")
    return "\n".join(rows)


def test_evaluation_set_is_large_and_labelled() -> None:
    assert len(CASES) >= 60
    types = {c.document_type for c in CASES}
    assert types == set(rules.DOCUMENTS)
    for case in CASES:
        assert set(case.labels) == set(details.KINDS), case.name
        assert "\f" in case.text or case.text.strip(), case.name


def test_precision_and_recall_per_kind() -> None:
    scores = evaluate(CASES)
    print("\n" + table(scores, len(CASES)))
    for s in scores.values():
        for e in s.errors:
            print("  ", e)
    for kind, s in scores.items():
        assert s.tp > 0, kind
        assert s.precision >= THRESHOLD, (kind, s.errors)
        assert s.recall >= THRESHOLD, (kind, s.errors)


def test_scoring_counts_a_wrong_value_as_both_errors() -> None:
    case = Case("x", "ПРИКАЗ № 5\nот 01.02.2023\n", "price-document", False, {k: None for k in details.KINDS})
    wrong = Case(case.name, case.text, case.document_type, False, {**case.labels, "number": "6", "date": "2023-02-01"})
    scores = evaluate([wrong])
    assert (scores["number"].tp, scores["number"].fp, scores["number"].fn) == (0, 1, 1)
    assert (scores["date"].tp, scores["date"].fp, scores["date"].fn) == (1, 0, 0)


# --------------------------------------------------------------------------- forms of dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28.08.2018", "2018-08-28"),
        ("28 августа 2018 г.", "2018-08-28"),
        ("2018 жылғы 28 тамыз", "2018-08-28"),
        ("2018 жылғы 28 тамыздағы", "2018-08-28"),
        ("«28» августа 2018 года", "2018-08-28"),
        ('"28" августа 2018 года', "2018-08-28"),
        ("August 28, 2018", "2018-08-28"),
        ("28 August 2018", "2018-08-28"),
        ("28/08/2018", "2018-08-28"),
        ("2018-08-28", "2018-08-28"),
        ("28.08.2018ж.", "2018-08-28"),
        ("1 қыркүйек 2022 ж.", "2022-09-01"),
        ("2024 жылғы «09» қаңтар", "2024-01-09"),
    ],
)
def test_date_forms(text: str, expected: str) -> None:
    assert details.parse_date(text) == date.fromisoformat(expected)
    found = run(f"СПРАВКА\nДата выдачи: {text}\n")
    assert found["date"].value == expected


@pytest.mark.parametrize("text", ["31.02.2018", "28.13.2018", "12.5", "тел. 250-11-22", "2018 год", "№ 12/3"])
def test_not_dates(text: str) -> None:
    assert details.parse_date(text) is None


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("Дата рождения: 14.07.1992", "birth"),
        ("Туған күні: 1988 жылғы 3 ақпан", "birth"),
        ("в соответствии с Законом РК от 29 декабря 2008 года № 114-IV", "quoted law"),
        ("Действителен до 31.12.2027", "validity end"),
        ("Срок аренды: с 01.09.2022 по 31.08.2023", "period"),
        ("Дата первичной государственной регистрации: 10.03.2015", "registration"),
        ("Принята на работу 01.09.2015", "employment"),
    ],
)
def test_other_dates_are_not_the_date_of_issue(line: str, why: str) -> None:
    # The line sits in the header, where an unlabelled date would be taken.
    assert "date" not in run(f"СПРАВКА\n{line}\n"), why


def test_header_date_is_taken_and_body_date_is_not() -> None:
    header = "ТОО «Жанұя»\nПРИКАЗ № 5\nг. Алматы    10.01.2023\n"
    assert run(header)["date"].value == "2023-01-10"
    body = "ТОО «Жанұя»\nСПРАВКА\n" + "".join(f"Пункт {i} текста справки.\n" for i in range(12))
    body += "Работник работает в организации, приказ подписан 10.01.2023, без изменений.\n" + "\n" * 0
    body += "".join(f"Продолжение {i}.\n" for i in range(16))
    assert "date" not in run(body)


def test_labelled_date_beats_header_date() -> None:
    found = run("ТОО «Жанұя»\n01.02.2023\nСПРАВКА\nДата выдачи: 05.02.2023\n")
    assert found["date"].value == "2023-02-05"


# --------------------------------------------------------------------------- forms of numbers and series


@pytest.mark.parametrize(
    ("text", "number", "series"),
    [
        ("ПРИКАЗ № 377", "377", None),
        ("Серия ЖБ-Б № 0123456", "0123456", "ЖБ-Б"),
        ("ДИПЛОМ\nЖБ № 0123456", "0123456", "ЖБ"),
        ("рег. № 17469", "17469", None),
        ("Регистрационный номер 54980-1910-ТОО", "54980-1910-ТОО", None),
        ("Order No. 12/3", "12/3", None),
        ("Номер: А-15/7", "А-15/7", None),
        ("Тіркеу нөмірі 3381", "3381", None),
        ("Уникальный номер: 10100612345678", "10100612345678", None),
        ("Бірегей нөмір: 10100598765432", "10100598765432", None),
        ("Исх. № 47 от 15.03.2023", "47", None),
        ("ТҰРҒЫН ЕМЕС ҮЙ-ЖАЙДЫ ЖАЛҒА БЕРУ ШАРТЫ № 4", "4", None),
    ],
)
def test_number_forms(text: str, number: str, series: str | None) -> None:
    found = run(f"ТОО «Жанұя»\n{text}\n")
    assert found["number"].value == number
    assert (found["series"].value if "series" in found else None) == series


@pytest.mark.parametrize(
    "line",
    [
        "БИН 150340012345",
        "ИИН 900101300000",
        "Медицинская документация Форма № 086/у",
        "Приложение № 2 к приказу",
        "КГУ «Центр оказания специальных социальных услуг № 2»",
        "КГП «Поликлиника № 4»",
        "утвержденных приказом Министра от 28 августа 2018 года № 377",
        "ЗРК от 7 января 2003 года N370-II",
        "Основание: трудовой договор № 14 от 31.10.2022",
        "Последний работник принят на работу 15.03.2023 (приказ № 8-к).",
        "ПРИКАЗ № ______",
    ],
)
def test_not_document_numbers(line: str) -> None:
    assert "number" not in run(f"СПРАВКА\n{line}\n")


def test_series_number_beats_registration_number() -> None:
    found = run("СВИДЕТЕЛЬСТВО\nСерия В № 0469343\nРегистрационный номер 54980-1910-ТОО\n")
    assert (found["series"].value, found["number"].value) == ("В", "0469343")


# --------------------------------------------------------------------------- forms of validity


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Сертификат действителен до 31.12.2027", "2027-12-31"),
        ("Срок действия: до 31.12.2027", "2027-12-31"),
        ("Срок действия справки – по 31 декабря 2027 года", "2027-12-31"),
        ("Жарамдылық мерзімі: 2027 жылғы 31 желтоқсанға дейін", "2027-12-31"),
        ("Жарамдылық мерзімі 31.12.2027 дейін", "2027-12-31"),
        ("This certificate is valid until 31.12.2027.", "2027-12-31"),
        ("Valid until December 31, 2027", "2027-12-31"),
        ("Срок аренды: с 01.01.2027 по 31.12.2027", "2027-12-31"),
        ("Действителен с 01.01.2023 по 31.12.2027", "2027-12-31"),
        ("Договор заключен сроком на 1 год", "P1Y"),
        ("Договор заключен сроком на 11 (одиннадцать) месяцев", "P11M"),
        ("Справка действительна в течение 6 месяцев", "P6M"),
        ("Срок действия: 1 год", "P1Y"),
        ("Шарт 1 (бір) жыл мерзімге жасалды", "P1Y"),
        ("Лицензия действительна бессрочно", "unlimited"),
        ("Срок действия: бессрочно", "unlimited"),
        ("Настоящее соглашение применяется в течение 2 (двух) лет с момента подписания", "P2Y"),
        ("Соглашение действует в течение | (одного) года с даты подписания", "P1Y"),
        ("Свидетельство подлежит замене в случае изменения указанных в нем сведений", "unlimited"),
    ],
)
def test_validity_forms(line: str, expected: str) -> None:
    assert run(f"СПРАВКА № 1\n{line}\n")["validity"].value == expected


@pytest.mark.parametrize(
    "line",
    [
        "Действительна до: ______________",
        "Срок обучения 4 года",
        "Директор назначается сроком на 3 года",
        "Товарищество создается без ограничения срока деятельности",
        "Принять с испытательным сроком три месяца",
        "Стаж работы 5 лет",
        "прошла обучение с 10.02.2023 по 20.02.2023",
        "Сторона уведомляет не позднее, чем за один месяц до истечения срока действия",
    ],
)
def test_not_validity(line: str) -> None:
    assert "validity" not in run(f"СПРАВКА № 1\n{line}\n")


def test_add_period() -> None:
    assert details.add_period(date(2023, 1, 31), "P1M") == date(2023, 2, 28)
    assert details.add_period(date(2023, 3, 2), "P1Y") == date(2024, 3, 2)
    assert details.add_period(date(2023, 3, 2), "P11M") == date(2024, 2, 2)
    assert details.add_period(date(2023, 3, 2), "unlimited") is None


# --------------------------------------------------------------------------- signature, seal, issuer


def test_signature_keyword_outside_the_signature_zone_is_not_a_signature() -> None:
    body = (
        "УСТАВ ТОО «Жанұя»\n"
        + "Директор подписывает документы Товарищества.\n"
        + "".join(f"{i}. Положение устава номер {i} о порядке работы Товарищества и его органов.\n" for i in range(20))
    )
    assert "signature" not in run(body)
    assert run(body + "Директор ____________ А. Б. Сапарова\n")["signature"].value.startswith("Директор")


def test_law_about_signatures_in_the_signature_zone_is_not_a_signature() -> None:
    text = "СПРАВКА\nСогласно Закону «Об электронном документе и электронной цифровой подписи» справка выдана.\n"
    assert "signature" not in run(text)


def test_egov_footnote_is_a_signature_mark() -> None:
    text = "СПРАВКА\nДата получения: 12.05.2024\nНастоящий документ равнозначен документу на бумажном носителе.\n"
    assert run(text)["signature"].source == "text-layer"
    assert "signature" not in run("СПРАВКА\n")  # a verified EDS is judged in on_details, not extracted


@pytest.mark.parametrize("mark", ["М.П.", "М.О.", "МП", "Мөр орны", "место печати"])
def test_seal_marks(mark: str) -> None:
    assert "seal" in run(f"СПРАВКА\nДиректор ____ А. Б. Сапарова\n{mark}\n")


def test_charter_mentioning_a_seal_has_no_seal_mark() -> None:
    text = (
        "УСТАВ\n" + "".join(f"{i}. Текст.\n" for i in range(20)) + "Товарищество имеет печать со своим наименованием.\n"
    )
    assert "seal" not in run(text)


def test_postal_codes() -> None:
    for code in ("050012", "A05X2K7", "A05 X2K7"):
        found = run(f"ТОО «Жанұя»\n{code}, г. Алматы, ул. Абая, 10\nСПРАВКА\n")
        assert code in found["issuer_address"].value
    assert "issuer_address" not in run("ТОО «Жанұя»\nг. Алматы\nСПРАВКА\n")


def test_patient_address_is_not_the_issuer_address() -> None:
    assert "issuer_address" not in run("СПРАВКА\nАдрес проживания: г. Алматы, мкр. Самал-2, д. 15, кв. 8\n")


# --------------------------------------------------------------------------- boxes and confidence


def test_box_is_the_union_of_the_matched_words_and_confidence_their_minimum() -> None:
    pages = pages_of("ТОО «Жанұя»\nДата выдачи: «28» августа 2018 года\n", low=("августа",))
    found = {d.kind: d for d in details.extract(pages, document_type=None)}
    d = found["date"]
    assert d.value == "2018-08-28"
    assert d.page == 1
    # «28» starts at character 13, "2018" ends at character 30; line 1 is at y = 100.
    assert d.box == (50 + 13 * CHAR_WIDTH, 100, 50 + 30 * CHAR_WIDTH, 130)
    assert d.confidence == 35.0
    assert d.source == "ocr"


def test_a_confident_candidate_is_preferred_to_a_doubtful_one() -> None:
    pages = pages_of(
        "ТОО «Жанұя»\nДата выдачи: 28.08.2018\nСПРАВКА\nДиректор ____ А. Б. Сапарова 27.08.2018\n", low=("28.08.2018",)
    )
    found = {d.kind: d for d in details.extract(pages, document_type=None)}
    assert (found["date"].value, found["date"].confidence) == ("2018-08-27", 100.0)


def test_details_are_found_across_pages() -> None:
    found = run(
        "ДОГОВОР АРЕНДЫ № 7\nг. Алматы 01.02.2023\n\f" + "Текст.\n" * 20 + "Арендодатель ____ /Ким Л. В./\nМ.П.\n"
    )
    assert (found["number"].page, found["date"].page, found["signature"].page, found["seal"].page) == (1, 1, 2, 2)


def test_page_without_words_uses_its_text() -> None:
    page = PageText(number=1, source="text-layer", text="СПРАВКА № 5\nДата выдачи: 01.02.2023\n")
    found = {d.kind: d for d in details.extract([page], document_type=None)}
    assert found["date"].value == "2023-02-01"
    assert found["date"].box is None


def test_empty_document_has_no_details() -> None:
    assert details.extract([], document_type=None) == ()
    assert details.extract([PageText(number=1, source="none")], document_type="qualification") == ()


# --------------------------------------------------------------------------- the checks

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def doc(
    text: str | None,
    document_type: str | None,
    *,
    name: str = "doc.pdf",
    text_error: str | None = None,
    signatures: tuple[SignatureReport, ...] = (),
    low: Sequence[str] = (),
) -> FileFacts:
    return file_facts(
        name,
        identification=Identification(document_type=document_type),
        text=pages_of(text, low=low) if text is not None else (),
        text_error=text_error,
        signatures=signatures,
    )


def dossier(*files: FileFacts, at: datetime = AT) -> Dossier:
    return Dossier(source="test", at=at, kind=Kind.SPECIALIST, application=None, files=files)


def findings(d: Dossier) -> list[Any]:
    return [f for check in det_checks.CHECKS for f in check.run(d)]


def by_code(d: Dossier) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for f in findings(d):
        out.setdefault(f.code, []).append(f)
    return out


MEDICAL = """Медицинская документация Форма № 075/у
Наименование организации: ГКП на ПХВ «Городская поликлиника № 5»
МЕДИЦИНСКАЯ СПРАВКА № 1245
Дата выдачи: 02.03.2023
Справка действительна до {until}
Главный врач ____________ Р. К. Есенова
М.П.
"""


def test_complete_document_passes_with_evidence() -> None:
    result = by_code(dossier(doc(MEDICAL.format(until="02.03.2025"), "medical-certificate")))
    for code in ("DET001", "DET003", "DET004", "DET005", "DET006", "DET007", "DET008"):
        assert [f.outcome for f in result[code]] == [Outcome.PASSED], code
    date_finding = result["DET004"][0]
    assert date_finding.evidence["value"] == "2023-03-02"
    assert date_finding.evidence["page"] == 1
    assert date_finding.evidence["box"] is not None
    assert result["DET003"][0].evidence["seal"]["value"] == "М.П."
    assert "DET002" not in result  # the address is "if any" for a medical certificate


def test_each_missing_required_detail_fails_with_a_precise_message() -> None:
    text = "МЕДИЦИНСКАЯ СПРАВКА\nЗаключение: годна\n"
    result = by_code(dossier(doc(text, "medical-certificate", name="med.pdf")))
    for code in ("DET001", "DET003", "DET004", "DET006"):
        (f,) = result[code]
        assert f.outcome is Outcome.FAILED, code
        assert f.severity is Severity.BLOCKING
        assert f.rule == "27.5"
        assert f.document == "med.pdf"
        assert "not found; looked for" in f.message
        assert f.message.startswith("Медицинская справка")
    assert "date of issue not found" in result["DET004"][0].message
    assert "DET005" not in result  # number is "if any" for this type


def test_expired_document_fails_det007() -> None:
    (f,) = by_code(dossier(doc(MEDICAL.format(until="29.02.2024"), "medical-certificate")))["DET007"]
    assert (f.outcome, f.severity) == (Outcome.FAILED, Severity.BLOCKING)
    assert f.evidence["end"] == "2024-02-29"
    assert "expired on 2024-02-29" in f.message
    # The end date is the last day of validity: still valid on that day.
    (ok,) = by_code(dossier(doc(MEDICAL.format(until="01.03.2024"), "medical-certificate")))["DET007"]
    assert ok.outcome is Outcome.PASSED


def test_term_counts_from_the_date_of_issue() -> None:
    text = MEDICAL.replace("Справка действительна до {until}", "Срок действия: 1 год")
    (f,) = by_code(dossier(doc(text, "medical-certificate")))["DET007"]
    assert (f.outcome, f.evidence["end"]) == (Outcome.PASSED, "2024-03-02")
    (late,) = by_code(dossier(doc(text, "medical-certificate"), at=AT.replace(day=3)))["DET007"]
    assert late.outcome is Outcome.FAILED
    no_date = text.replace("Дата выдачи: 02.03.2023", "Дата выдачи: ________")
    (unknown,) = by_code(dossier(doc(no_date, "medical-certificate")))["DET007"]
    assert unknown.outcome is Outcome.INDETERMINATE


def test_future_date_of_issue_is_for_review() -> None:
    text = MEDICAL.format(until="02.03.2026").replace("02.03.2023", "05.03.2024")
    (f,) = by_code(dossier(doc(text, "medical-certificate")))["DET008"]
    assert f.outcome is Outcome.FAILED
    assert f.severity is Severity.REVIEW


def test_low_confidence_detail_is_indeterminate_not_missing() -> None:
    result = by_code(dossier(doc(MEDICAL.format(until="02.03.2025"), "medical-certificate", low=("02.03.2023",))))
    assert "DET004" not in result
    (f,) = result["DET009"]
    assert f.outcome is Outcome.INDETERMINATE
    assert f.evidence["kind"] == "date"
    assert f.evidence["confidence"] == 35.0


@pytest.mark.parametrize(("text", "error"), [(None, "PDF could not be parsed"), ("", None), (None, None)])
def test_unreadable_document_is_indeterminate_never_passed(text: str | None, error: str | None) -> None:
    result = findings(dossier(doc(text, "qualification", text_error=error)))
    assert {f.code for f in result} == {"DET001", "DET003", "DET004", "DET005"}
    assert all(f.outcome is Outcome.INDETERMINATE for f in result)
    if error:
        assert all(error in f.message for f in result)


def test_state_electronic_document_without_address_is_review_only() -> None:
    egov = (DATA / "04-egov-spravka-gosreg-ru.txt").read_text(encoding="utf-8")
    paper = (DATA / "08-svid-gosreg-nonumber-ru.txt").read_text(encoding="utf-8")
    for text, code, severity in ((egov, "DET010", Severity.REVIEW), (paper, "DET002", Severity.BLOCKING)):
        found = by_code(dossier(doc(text, "material-resources")))
        (f,) = found[code]
        assert (f.outcome, f.severity) == (Outcome.FAILED, severity)
        assert not {"DET002", "DET010"} - {code} & found.keys()  # the address is judged once, by one code


def test_lease_must_state_its_term_but_ownership_documents_need_not() -> None:
    lease = (DATA / "37-dogovor-arendy-noterm-ru.txt").read_text(encoding="utf-8")
    (f,) = by_code(dossier(doc(lease, "premises-document")))["DET006"]
    assert f.outcome is Outcome.FAILED
    ownership = (DATA / "34-dogovor-kupli-prodazhi-ru.txt").read_text(encoding="utf-8")
    assert "DET006" not in by_code(dossier(doc(ownership, "premises-document")))


def _signature(iin: str | None, indication: str = "TOTAL_PASSED") -> SignatureReport:
    return SignatureReport(indication=indication, signer=Signer(iin=iin))


def test_verified_eds_is_the_signature_unless_it_is_the_specialists_own() -> None:
    text = "ДИПЛОМ\nЖБ-Б № 0123456\nКазахский национальный университет\nДата выдачи 28.06.2019\n"
    assert by_code(dossier(doc(text, "qualification")))["DET003"][0].outcome is Outcome.FAILED
    signed = dossier(doc(text, "qualification", signatures=(_signature("900101300000"),)))
    (f,) = by_code(signed)["DET003"]
    assert f.outcome is Outcome.PASSED
    assert f.evidence["source"] == "eds"
    failed_sig = dossier(doc(text, "qualification", signatures=(_signature(None, "TOTAL_FAILED"),)))
    assert by_code(failed_sig)["DET003"][0].outcome is Outcome.FAILED
    # The specialist's own EDS on a copy of the diploma is not the university's signature.
    own = Dossier(
        source="test",
        at=AT,
        kind=Kind.SPECIALIST,
        application=specialist(iin="900101300000"),
        files=(doc(text, "qualification", signatures=(_signature("900101300000"),)),),
    )
    assert by_code(own)["DET003"][0].outcome is Outcome.FAILED
    # ... even when the pipeline gathered the details counting every verified EDS.
    gathered = own.files[0].model_copy(
        update={"details": details.extract(own.files[0].text, document_type="qualification")}
    )
    assert by_code(own.model_copy(update={"files": (gathered,)}))["DET003"][0].outcome is Outcome.FAILED


def specialist(iin: str, filled_out_on: date = date(2024, 2, 20)) -> SpecialistApplication:
    """A specialist's application (synthetic IIN with a wrong check digit: no real person)."""
    return SpecialistApplication(
        kind="specialist",
        iin=iin,
        name=PersonName(last_name="Серикбаева", first_name="Айгуль"),
        position="социальный работник",
        education="высшее",
        qualification="бакалавр социальной работы",
        service_types=("social-home-care",),
        address=Address(region="г. Алматы", street="ул. Толе би", house="101"),
        contacts=Contacts(email="a@example.kz", phones=("+77010000000",)),
        consents=Consents(official_contacts=True, documents_true=True, personal_data=True),
        filled_out_on=filled_out_on,
    )


def test_date_of_issue_after_the_application_was_filled_out_is_for_review() -> None:
    text = MEDICAL.format(until="02.03.2026").replace("02.03.2023", "25.02.2024")
    files = (doc(text, "medical-certificate"),)
    app = specialist(iin="900101300000", filled_out_on=date(2024, 2, 20))
    d = Dossier(source="test", at=AT, kind=Kind.SPECIALIST, application=app, files=files)
    (f,) = by_code(d)["DET008"]
    assert (f.outcome, f.severity) == (Outcome.FAILED, Severity.REVIEW)
    assert "after the application was filled out (2024-02-20)" in f.message
    later = app.model_copy(update={"filled_out_on": date(2024, 2, 28)})
    ok = Dossier(source="test", at=AT, kind=Kind.SPECIALIST, application=later, files=files)
    assert by_code(ok)["DET008"][0].outcome is Outcome.PASSED


def test_pipeline_details_are_used_when_gathered() -> None:
    gathered = doc("нет текста с реквизитами", "position-document").model_copy(
        update={"details": (Detail(kind="date", value="2023-01-01", page=1),)}
    )
    result = by_code(dossier(gathered))
    assert result["DET004"][0].outcome is Outcome.PASSED
    assert result["DET001"][0].outcome is Outcome.FAILED


def test_name_wrapped_to_the_next_line_is_read_whole() -> None:
    text = "Товарищество с ограниченной ответственностью «Центр социальной\nреабилитации «Мейірім»»\nСПРАВКА\n"
    assert run(text)["issuer_name"].value == (
        "Товарищество с ограниченной ответственностью «Центр социальной реабилитации «Мейірім»»"
    )


def test_number_of_the_approving_decision_is_not_the_charters() -> None:
    text = "УТВЕРЖДЁН\nрешением единственного участника\nТОО «Жанұя»\n№ 1 от 04.03.2019 г.\nУСТАВ\n"
    found = run(text)
    assert found["date"].value == "2019-03-04"
    assert "number" not in found


def test_words_are_regrouped_into_lines_by_their_boxes() -> None:
    # A text layer that starts a new "line" at a full stop and at a hyphen, and draws the underscores of
    # a signature line as a thin box on the baseline (as `intake.ocr` reads the sample PDFs).
    def w(text: str, x0: int, y0: int, x1: int, y1: int, line: int) -> Word:
        return Word(text=text, box=(x0, y0, x1, y1), conf=100.0, line=line)

    words = (
        w("050061,", 501, 371, 641, 401, 0),
        w("г.", 659, 378, 682, 397, 0),
        w("Алматы,", 697, 372, 849, 401, 0),
        w("мкр", 1231, 378, 1296, 405, 0),
        w(".", 1302, 393, 1306, 397, 1),
        w("Шанырак", 1324, 372, 1495, 405, 1),
        w("-2,", 1498, 371, 1540, 401, 2),
        w("ул.", 1555, 378, 1605, 405, 2),
        w("Жанкожа", 1621, 372, 1797, 398, 2),
        w("26", 2019, 371, 2060, 398, 2),
        w("ПРИКАЗ", 260, 685, 400, 717, 3),
        w("№", 420, 685, 450, 717, 3),
        w("112", 470, 684, 540, 717, 3),
        w("-к", 546, 693, 585, 717, 4),
        w("Директор", 260, 1343, 475, 1376, 5),
        w("__________________", 527, 1375, 922, 1378, 6),
        w("Ахметов", 955, 1335, 1146, 1368, 7),
        w("Е.С.", 1160, 1335, 1240, 1368, 7),
    )
    page = PageText(number=1, source="text-layer", text="", words=words)
    found = {d.kind: d for d in details.extract([page], document_type=None)}
    assert found["issuer_address"].value == "050061, г. Алматы, мкр. Шанырак-2, ул. Жанкожа 26"
    assert found["number"].value == "112-к"
    assert found["signature"].value == "Директор __________________ Ахметов Е.С."


def test_address_wrapped_to_the_next_line_and_premises_address_after_a_wrap() -> None:
    text = (
        "ДОГОВОР АРЕНДЫ № 17/25\n"
        "ТОО «Жетысу», БИН 120440011236, адрес: 050057, г. Алматы,\n"
        "Бостандыкский район, пр. Абая, д. 150/230, в лице директора Касымова Н. Е.\n"
        "1.1. Арендодатель передает помещение, расположенное по\n"
        "адресу: 050063, г. Алматы, мкр. Жетысу-2, д. 17\n"
    )
    assert run(text)["issuer_address"].value == "050057, г. Алматы, Бостандыкский район, пр. Абая, д. 150/230"
    assert "issuer_address" not in run("СПРАВКА\n" + text.split("\n", 3)[3])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789./- «»№:_\nабвгджзТОАЖШСмаяжылғыдейінпосAUG,")), max_size=200))
def test_extraction_never_raises_and_dates_are_real(text: str) -> None:
    for d in details.find_dates(text):
        assert text[d.start : d.end]
        assert 1900 <= d.value.year <= 2099
    for found in details.extract(pages_of(text), document_type=None):
        assert found.kind in details.KINDS
        if found.kind == "date":
            assert date.fromisoformat(found.value)


# --------------------------------------------------------------------------- values on real-looking pages (issue 11)


def filler(n: int, word: str = "Текст") -> str:
    return "".join(f"{word} строка {k} сопроводительного документа.\n" for k in range(n))


def test_letter_date_under_its_signatory_beats_the_dates_of_its_attachments() -> None:
    # A letter whose date sits under the signatory's line, followed by copies of orders: a date in the
    # orders' text is neither the letter's date nor the end of a range of working days.
    text = (
        "ТОО «Жанұя»\nИсх. письмо\n" + filler(12) + "Директор Ахметова Жанар Сериковна\n«14» марта 2022 года\n"
        "\f" + "ПРИКАЗ\n" + filler(6, "Приказ")
        + "Выплатить компенсацию за период работы:\n01.02,2021г - 28.02.2022 г- 6 кд\n" + filler(3, "Конец")
    )  # fmt: skip
    assert run(text)["date"].value == "2022-03-14"
    alone = "ТОО «Жанұя»\nПРИКАЗ\n" + filler(12) + "за период работы:\n01.02,2021г - 28.02.2022 г- 6 кд\n"
    assert "date" not in run(alone)


def test_a_month_and_year_whose_day_was_lost_is_completed_from_the_same_date_in_full() -> None:
    # A licence whose header lost the day under the guilloche; its appendix repeats the date in full.
    text = (
        "Серия ЛО-2\nМИНИСТЕРСТВО ЗДРАВООХРАНЕНИЯ\n№ 77-02-001234 марта 2010 .\nНа осуществление деятельности\n"
        + filler(12)
        + "\fПРИЛОЖЕНИЕ\n" + filler(4) + "к лицензии № 77-02-001234 от «15 » марта 2010 г.\n" + filler(16, "Прил")
    )  # fmt: skip
    assert run(text)["date"].value == "2010-03-15"
    # Two full dates of that month: which day is the document's is not known, the month and year are.
    twice = text.replace("к лицензии", "протокол от 02.03.2010, к лицензии")
    assert run(twice)["date"].value == "2010-03"


def test_date_of_a_deed_done_under_a_code_is_not_the_codes_date() -> None:
    line = "поставлена на учет в соответствии с положениями Налогового кодекса Российской Федерации 14 июня 2011 г."
    assert run(f"СВИДЕТЕЛЬСТВО\n{line}\n")["date"].value == "2011-06-14"
    assert "date" not in run("СВИДЕТЕЛЬСТВО\nв соответствии с Налоговым кодексом от 14 июня 2011 г.\n")


@pytest.mark.parametrize(
    "heading",
    [
        "Агентство Республики Казахстан по делам спорта и физической культуры",
        "Қазақстан Республикасының Спорт агенттігі",
    ],
)
def test_a_state_agency_heading_is_the_issuer(heading: str) -> None:
    found = run(f"{heading}\nЛИЦЕНЗИЯ\nна право осуществления деятельности\nНомер лицензии № 3.1.07\n")
    assert found["issuer_name"].value.startswith(heading.split(maxsplit=1)[0])


def test_a_labelled_address_that_wraps_after_its_postal_code_and_country() -> None:
    text = (
        "УСТАВ\nОбщества с ограниченной ответственностью «Ромашка»\n" + filler(10)
        + "1.5. Место нахождения Общества: 454000 Российская Федерация,\n"
        "Челябинская область, г. Копейск, ул. Ленина, строение 4\n" + filler(16)
    )  # fmt: skip
    assert run(text)["issuer_address"].value == (
        "454000 Российская Федерация, Челябинская область, г. Копейск, ул. Ленина, строение 4"
    )


def test_the_number_under_a_licence_title_beats_its_register_entry_number() -> None:
    text = (
        "МИНИСТЕРСТВО ОБРАЗОВАНИЯ\nЛИЦЕНЗИЯ\nНА ПРАВО ВЕДЕНИЯ ОБРАЗОВАТЕЛЬНОЙ ДЕЯТЕЛЬНОСТИ\n"
        "В СФЕРЕ ДОПОЛНИТЕЛЬНОГО ОБРАЗОВАНИЯ\n№ KG190004567\nНАСТОЯЩИМ УДОСТОВЕРЯЕТСЯ, ЧТО\n" + filler(8)
        + "Регистрационный номер 19/0412\n"
    )  # fmt: skip
    assert run(text)["number"].value == "KG190004567"
    # Not a number further down when the lines between carry digits of their own.
    other = text.replace("В СФЕРЕ", "Приказ от 12.06.2019 В СФЕРЕ")
    assert run(other)["number"].value == "19/0412"


def test_an_e_licence_head_line_gives_its_number_and_the_holder_block_its_address_and_no_number() -> None:
    # An e-licence printed and scanned: the title lost, the head line «date number», then «Берілді» with
    # the holder's name (a numbered school whose quotes OCR garbled) and the holder's address.
    text = (
        "23000512\n15.03.2023 жылы 23000512\n"
        'Берілді "КММ."№ 7 орта мектебі"коммуналдық мемлекеттік мекемесі\n'
        "110000, Қазақстан Республикасы, Қостанай облысы, Рудный қ., Абай\n"
        "көшесі, № 12 үй., БСН: 010240001234\n" + filler(12)
    )  # fmt: skip
    found = run(text)
    assert found["number"].value == "23000512"
    assert found["date"].value == "2023-03-15"
    assert "issuer_address" not in found


@pytest.mark.parametrize("line", ["«№ 7 орта мектебі» КММ", "Средняя школа № 7", "ГКП на ПХВ Поликлиника № 4 города"])
def test_a_number_in_an_organizations_name_is_not_the_documents(line: str) -> None:
    assert "number" not in run(f"{line}\nСПРАВКА\n")
