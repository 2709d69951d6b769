"""The naming scheme (paragraphs 8 and 16): canonical names, and the names people really write."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.cli import main
from intake.files import (
    DOCUMENT_EXTENSIONS,
    SIGNATURE_EXTENSIONS,
    canonical_name,
    declared_pages,
    identify_by_content,
    normalise,
    parse_name,
)
from intake.judgements import on_files
from intake.models import Dossier, PageText
from intake.rules import DOCUMENT_TYPES, DOCUMENTS
from tests.factories import AT, file_facts

C, M, E, P, X = "constituent-documents", "material-resources", "employees-number", "price-document", "exw-prices"
R, Q, S, H = "premises-document", "qualification", "position-document", "medical-certificate"

# (file name, document it must identify, page count it must declare)
REALISTIC: list[tuple[str, str | None, int | None]] = [
    # --- the examples of the issue
    ("Устав ТОО 12 стр.pdf", C, 12),
    ("Диплом (2 л.).pdf", Q, 2),
    ("086у мед справка 1 бет.jpg", H, 1),
    ("lease contract - 4 pages.pdf", R, 4),
    ("Справка о численности работников_1стр.PDF", E, 1),
    ("Договор аренды 3 листа.pdf", R, 3),
    ("Договор аренды на 5 листах.pdf", R, 5),
    ("Жарғы 5 парақ.pdf", C, 5),
    ("Устав p.3.pdf", C, 3),
    ("Устав 3pp.pdf", C, 3),
    # --- Russian
    ("1. Устав 12 стр.pdf", C, 12),
    ("Устав № 377 от 12.05.2018 (12 стр.).pdf", C, 12),
    ("Устав_2018_24стр.pdf", C, 24),
    ("Устав ТОО 2018г 24стр.pdf", C, 24),
    ("Устав часть 1 6 стр.pdf", C, 6),
    ("Свидетельство о гос регистрации 1 стр.pdf", C, 1),
    ("Справка о регистрации юр лица 1стр.pdf", C, 1),
    ("Сведения о материальных ресурсах 3стр.pdf", M, 3),
    ("Штатное расписание 3 стр.pdf", E, 3),
    ("Прейскурант цен на услуги 2 стр.pdf", P, 2),
    ("Тарифы на услуги 2стр.pdf", P, 2),
    ("EXW цены 2 стр.pdf", X, 2),
    ("Сведения о ценах в референтных странах 6 стр.pdf", X, 6),
    ("Договор доверительного управления 6 листов.pdf", R, 6),
    ("Свидетельство о праве собственности 2 л.pdf", R, 2),
    ("Диплом на 2-х листах.pdf", Q, 2),
    ("Сертификат 1стр.jpg", Q, 1),
    ("Удостоверение о повышении квалификации 1 стр.pdf", Q, 1),
    ("Аттестат 2 л.pdf", Q, 2),
    ("Приказ о назначении на должность 1 стр.pdf", S, 1),
    ("Трудовая книжка 12 стр.pdf", S, 12),
    ("Медицинская справка форма 075у 2 стр.jpg", H, 2),
    ("Медсправка 086-у 1 страница.jpg", H, 1),
    ("Устaв 4 стр.pdf", C, 4),  # a Latin `a` typed inside the Cyrillic word
    # --- Kazakh
    ("Құрылтай құжаттары 10 бет.pdf", C, 10),
    ("Материалдық ресурстар туралы мәліметтер 4 бет.pdf", M, 4),
    ("Қызметкерлер саны туралы анықтама 1 бет.pdf", E, 1),
    ("Кызметкерлер саны 1 бет.pdf", E, 1),  # Kazakh typed on a Russian keyboard
    ("Бағалар тізімі 2 бет.pdf", P, 2),
    ("Жалға алу шарты 5 бет.pdf", R, 5),
    ("Меншік құқығы туралы куәлік 2 бет.pdf", R, 2),
    ("Дипломның көшірмесі 2 бет.pdf", Q, 2),
    ("Біліктілік туралы сертификат 3 бет.pdf", Q, 3),
    ("Лауазымға тағайындау туралы бұйрық 1 бет.pdf", S, 1),
    ("Еңбек кітапшасы 10 парақ.pdf", S, 10),
    ("Медициналық анықтама 075у 2 бет.pdf", H, 2),
    ("Медициналық анықтама 086у 1 парақ.jpg", H, 1),
    # --- English
    ("Charter of LLP 14 pages.pdf", C, 14),
    ("Articles of association 20pp.pdf", C, 20),
    ("Material resources 3p.pdf", M, 3),
    ("Headcount certificate 1 page.pdf", E, 1),
    ("Staff list 2pgs.pdf", E, 2),
    ("Price list for services (3 pages).pdf", P, 3),
    ("EXW prices reference countries 6 pages.pdf", X, 6),
    ("Lease_agreement_2024_5pages.pdf", R, 5),
    ("Ownership certificate 2 pages.pdf", R, 2),
    ("Diploma 1 page.jpg", Q, 1),
    ("Certificate of employment 1p.pdf", S, 1),
    ("Medical certificate 086u 1p.jpg", H, 1),
    ("Ustav TOO 12 str.pdf", C, 12),
    # --- canonical
    ("02_material-resources_3p.pdf", M, 3),
    ("01_qualification_2p.jpg", Q, 2),
    # --- no page count: numbers that are not page counts
    ("Диплом.pdf", Q, None),
    ("Справка 075у.pdf", H, None),
    ("Устав 2018.pdf", C, None),
    ("Устав часть 2.pdf", C, None),
    ("Материальные ресурсы № 15.pdf", M, None),
    ("Устав от 01.02.2019.pdf", C, None),
    ("03_Устав.pdf", C, None),
    # --- no document
    ("scan0001.pdf", None, None),
    ("IMG_20231105_123456.jpg", None, None),
    ("Документ 1 стр.pdf", None, 1),
    ("Приказ №15 л/с 1 стр.pdf", None, 1),
    ("Устав и договор аренды 5 стр.pdf", None, 5),  # two documents in one file
]


def test_table_is_large_and_mixed() -> None:
    assert len(REALISTIC) >= 40
    assert len({n for n, _, _ in REALISTIC}) == len(REALISTIC)


@pytest.mark.parametrize(("name", "document", "pages"), REALISTIC, ids=[n for n, _, _ in REALISTIC])
def test_realistic_names(name: str, document: str | None, pages: int | None) -> None:
    ident = parse_name(name)
    assert (ident.document_type, ident.declared_pages) == (document, pages)


def test_order_prefix_is_not_a_page_count() -> None:
    ident = parse_name("02_Устав.pdf")
    assert ident.order == 2
    assert ident.declared_pages is None
    assert parse_name("3 стр Устав.pdf").declared_pages == 3


def test_unidentified_name_gives_closest_candidates() -> None:
    ident = parse_name("Уства 3 стр.pdf")  # a typo
    assert ident.document_type is None
    assert ident.candidates[:1] == (C,)
    assert parse_name("Медецинская спрвка.pdf").candidates[:1] == (H,)


def test_two_documents_named_equally_are_ambiguous() -> None:
    ident = parse_name("Устав и договор аренды.pdf")
    assert ident.document_type is None
    assert set(ident.candidates) == {C, R}


def test_synonyms_come_from_the_catalog() -> None:
    # Every synonym of the catalog identifies its own document when it is the whole name.
    for doc in DOCUMENT_TYPES:
        for synonym in doc.synonyms:
            ident = parse_name(f"{synonym} 2 стр.pdf")
            assert ident.document_type == doc.id, (synonym, ident)
            assert ident.declared_pages == 2


@pytest.mark.parametrize(
    ("text", "pages"),
    [
        ("устав 12 стр", 12),
        ("на 3 х листах", 3),
        ("p 3", 3),
        ("3pp", 3),
        ("5 парак", 5),
        ("2 беттен", 2),
        ("086у", None),
        ("# 377", None),
        ("12 05 2018", None),
        ("2018 стр", None),  # a year, never a page count
        ("приказ 15 л с", None),  # л/с: "personnel", not sheets
    ],
)
def test_declared_pages(text: str, pages: int | None) -> None:
    assert declared_pages(normalise(text)) == pages


# --------------------------------------------------------------------------- properties

_ids = st.sampled_from(sorted(DOCUMENTS))
_extensions = st.sampled_from([*DOCUMENT_EXTENSIONS, *(e.upper() for e in DOCUMENT_EXTENSIONS)])


@settings(max_examples=300)
@given(_ids, st.integers(min_value=0, max_value=99), st.integers(min_value=1, max_value=9999), _extensions)
def test_canonical_names_parse_back(document: str, order: int, pages: int, ext: str) -> None:
    name = canonical_name(order, document, pages, ext)
    ident = parse_name(name)
    assert ident.document_type == document
    assert ident.declared_pages == pages
    assert ident.order == order
    # ...also inside a folder and with a detached signature's extension.
    assert parse_name(f"docs/{name}").document_type == document
    assert parse_name(f"{name}{SIGNATURE_EXTENSIONS[0]}").declared_pages == pages


@settings(max_examples=500)
@given(st.text())
def test_parser_never_raises(name: str) -> None:
    ident = parse_name(name)
    assert ident.declared_pages is None or 1 <= ident.declared_pages <= 9999
    assert ident.document_type is None or ident.document_type in DOCUMENTS


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("устав 0123456789стрлp._-()№бетпарақ")), max_size=60))
def test_parser_never_raises_on_name_like_text(name: str) -> None:
    ident = parse_name(name + ".pdf")
    assert ident.declared_pages is None or ident.declared_pages >= 1


def test_names_command_survives_link_loops_and_names_that_are_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`intake names` walks like `check`: link loops are skipped, a non-UTF-8 name is printed escaped."""
    root = tmp_path / "dossier"
    root.mkdir()
    (root / "Диплом 1 стр.pdf").write_bytes(_pdf(1))
    Path(os.fsdecode(os.fsencode(root) + b"/" + "Устав 2 стр.pdf".encode("cp1251"))).write_bytes(_pdf(2))
    (root / "loop-a.pdf").symlink_to(root / "loop-b.pdf")
    (root / "loop-b.pdf").symlink_to(root / "loop-a.pdf")
    (root / "up").symlink_to("..", target_is_directory=True)
    for fmt in ("json", "text"):
        capsys.readouterr()
        assert main(["names", str(root), "--format", fmt]) == 0
        out = capsys.readouterr().out
        out.encode("utf-8")
        assert "loop-a" not in out
        shown = "\\xd3\\xf1\\xf2\\xe0\\xe2 2 \\xf1\\xf2\\xf0.pdf"
        assert shown in ({f["file"] for f in json.loads(out)["files"]} if fmt == "json" else out)
    copies = tmp_path / "renamed"
    assert main(["names", str(root), "--apply", str(copies), "--format", "json"]) == 0
    assert sorted(p.name for p in copies.iterdir()) == [
        "01_constituent-documents_2p.pdf",
        "01_qualification_1p.pdf",
    ]


def _pdf(pages: int) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------- the most specific words first (issue 11, point 6)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Диплом_сотрудника_1стр.jpg", Q),  # «сотрудник» says whose diploma, not which document
        ("Сертификат работника 2 стр.pdf", Q),
        ("Справка о численности сотрудников 1стр.pdf", E),
        ("сотрудники 1 стр.pdf", E),  # only the subject word: still the employee-count document
        ("staff diploma 1 page.pdf", Q),
    ],
)
def test_document_words_before_subject_words(name: str, expected: str) -> None:
    ident = parse_name(name)
    assert ident.document_type == expected
    assert ident.decided_by == "name"


def test_ambiguous_name_is_decided_by_the_first_page() -> None:
    ident = parse_name("Устав и аренда 3 стр.pdf")
    assert ident.document_type is None and {C, R} <= set(ident.candidates)
    lease = identify_by_content(ident, "ДОГОВОР АРЕНДЫ нежилого помещения № 5\nг. Алматы")
    assert (lease.document_type, lease.decided_by, lease.declared_pages) == (R, "content", 3)
    charter = identify_by_content(ident, "УСТАВ\nтоварищества с ограниченной ответственностью")
    assert (charter.document_type, charter.content_matched) == (C, "устав")
    assert identify_by_content(ident, "Пояснительная записка") == ident  # the page names neither: undecided
    named = parse_name("Диплом 1 стр.pdf")
    assert identify_by_content(named, "УСТАВ") == named  # an unambiguous name is never overridden


def test_finding_says_both_when_the_page_decided() -> None:
    facts = file_facts("Устав и аренда 1 стр.pdf")
    pages = (PageText(number=1, source="text-layer", text="Договор аренды помещения"),)
    decided = facts.model_copy(update={"identification": identify_by_content(facts.identification, pages[0].text)})
    d = Dossier(source="t", at=AT, kind=None, application=None, files=(decided,))
    [f002] = [f for f in on_files.names_and_pages(d) if f.code == "FILE002"]
    assert f002.outcome.value == "passed"
    assert C in f002.message and R in f002.message and "first page" in f002.message
