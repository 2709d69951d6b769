"""Failure modes of the required-details reader (27.5) found on real documents, reproduced synthetically.

The real-document set (`../shared/real-docs`, measured by `bench/real_docs.py`) stays outside the
project; each test here rebuilds one thing a real page does (`tests/realpages.py`) and would fail if the
reader or the judgement went back to what it did on the real page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from intake import details, imaging, ocr
from intake.judgements import on_details
from intake.models import (
    Dossier,
    FileFacts,
    FileRole,
    Finding,
    Identification,
    Kind,
    Outcome,
    PageText,
    SignatureReport,
    Signer,
    Word,
)
from tests.pagegen import Page, mode_page, small_page
from tests.realpages import mark, render, rotated_layer, words_page

AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def found(*pages: PageText) -> dict[str, str]:
    return {d.kind: d.value for d in details.extract(pages, document_type=None)}


def doc(*pages: PageText, document_type: str = "constituent-documents") -> FileFacts:
    return FileFacts(
        name="01_constituent-documents_1p.pdf",
        path=Path("01_constituent-documents_1p.pdf"),
        size=1,
        sha256="0" * 64,
        extension=".pdf",
        role=FileRole.DOCUMENT,
        identification=Identification(document_type=document_type),
        text=pages,
    )


def det(*pages: PageText) -> dict[str, list[Finding]]:
    dossier = Dossier(source="test", at=AT, kind=Kind.ORGANIZATION, application=None, files=(doc(*pages),))
    out: dict[str, list[Finding]] = {}
    for f in on_details.details_present(dossier):
        out.setdefault(f.code, []).append(f)
    return out


# --------------------------------------------------------------------------- egov certificates


def test_rotated_egov_text_layer_is_read_upright() -> None:
    """Real: egov справки (A4 with /Rotate 90) gave no detail at all; three documents refused."""
    got = found(rotated_layer())
    assert got["number"] == "20100300000017"  # «Бірегей нөмір» / «Уникальный номер», value on the next line
    assert got["date"] == "2024-03-14"  # «Дата выдачи», not the registration date
    assert "Государственная корпорация" in got["issuer_name"]  # the heading under the emblem, not the 1414 line
    assert "штрих-код" in got["signature"].lower()
    assert "issuer_address" not in got  # «Местонахождение» is the holder's address


def test_contact_centre_in_the_header_is_not_the_issuer() -> None:
    got = found(words_page(["(Бірыңғай байланыс орталығы)", "(Единый контакт-центр)", "СПРАВКА"]))
    assert "issuer_name" not in got


def test_holder_address_of_a_certificate_is_not_the_issuer_address() -> None:
    lines = ["СВИДЕТЕЛЬСТВО", "Дата выдачи 02.05.2017", "Выдана:", "", "", "", "", "", "", "", "", "",
             "Местонахождение 050000, г. Алматы, ул. Тестовая, д. 1"]  # fmt: skip
    assert "issuer_address" not in found(words_page([x or "." for x in lines]))


def test_letterhead_address_is_the_issuer_address() -> None:
    lines = ["ТОО «Тестовый Центр»", "050000, г. Алматы, ул. Тестовая, 19", "Исх. № 12 от 05.02.2021"]
    assert "ул. Тестовая" in found(words_page(lines))["issuer_address"]


# --------------------------------------------------------------------------- numbers and dates


def test_licence_number_after_its_label() -> None:
    """Real: «Номер лицензии № 2.2.55» was dropped because «лицензи» marked a quoted licence."""
    got = found(words_page(["ЛИЦЕНЗИЯ", "Дата выдачи 07 апреля 2020 года", "Номер лицензии № 2.2.55"]))
    assert got["number"] == "2.2.55"


def test_blank_number_at_the_foot_is_a_number() -> None:
    lines = ["ПРИКАЗ", "Директор ____ А. Б. Тестов", "бланк № 0469343"]
    assert found(words_page(lines))["number"] == "0469343"


def test_series_printed_apart_from_the_number() -> None:
    lines = ["СВИДЕТЕЛЬСТВО", "о государственной регистрации", "№ 0025883", "серия ГПЮ"]
    got = found(words_page(lines))
    assert (got["number"], got.get("series")) == ("0025883", "ГПЮ")


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2017 жылғы 29 қараша", "2017-11-29"),
        ("2018 жыл 09 қаңтар", "2018-01-09"),
        ("Берілген күні 2020 жылғы 7 сәуір", "2020-04-07"),
    ],
)
def test_kazakh_dates_in_the_header(line: str, iso: str) -> None:
    assert found(words_page(["БҰЙРЫҚ", line, "№ 2"]))["date"] == iso


def test_registration_date_is_not_the_date_of_issue() -> None:
    lines = ["СПРАВКА", "Дата первичной регистрации 1 ноября 2022 года", "Дата выдачи: 07.09.2023"]
    assert found(words_page(lines))["date"] == "2023-09-07"


def test_kazakh_date_and_registration_number_read_by_tesseract(tmp_path: Path) -> None:
    """A rendered page through real Tesseract: a Kazakh date and a registration number «№ 54980-1910-ТОО»."""
    png = render(["ӘДІЛЕТ ДЕПАРТАМЕНТІ", "КУӘЛІК № 54980-1910-ТОО", "2017 жылғы 29 қараша"], tmp_path / "p.png")
    facts = FileFacts(name="p.png", path=png, size=png.stat().st_size, sha256="0" * 64, extension=".png",
                      media_type="image/png")  # fmt: skip
    pages, error = ocr.read_document(facts, ocr.TesseractEngine())
    assert error is None
    got = found(*pages)
    assert got["date"] == "2017-11-29"
    assert got["number"] == "54980-1910-ТОО"


# --------------------------------------------------------------------------- seals and signatures


def test_marks_of_the_page_detectors_give_seal_and_signature() -> None:
    page = words_page(["ПРИКАЗ № 2", "Директор Тестов"], marks=[mark("seal", 0.9), mark("signature", 0.8)])
    got = {d.kind: d for d in details.extract([page], document_type=None)}
    assert got["seal"].source == got["signature"].source == "image"
    assert got["seal"].box == (900, 900, 1200, 1200)


def test_a_doubtful_mark_is_not_taken() -> None:
    page = words_page(["ПРИКАЗ № 2"], marks=[mark("seal", 0.3)])
    assert "seal" not in found(page)


def test_verified_eds_is_judged_not_extracted() -> None:
    """Issue 10: extraction has no signature input; the judgement counts a verified EDS."""
    page = words_page(["ТОО «Тест»", "СПРАВКА", "Дата выдачи: 07.09.2023"])
    assert "signature" not in found(page)
    signed = doc(page).model_copy(update={"signatures": (SignatureReport(indication="TOTAL_PASSED", signer=Signer()),)})
    dossier = Dossier(source="test", at=AT, kind=Kind.ORGANIZATION, application=None, files=(signed,))
    (f,) = [x for x in on_details.details_present(dossier) if x.code == "DET003"]
    assert f.outcome is Outcome.PASSED
    assert f.evidence is not None and f.evidence["source"] == "eds"


# --------------------------------------------------------------------------- honest decisions


BODY = ["ТОО «Тестовый Центр»", "ПРИКАЗ № 2", "О назначении", "Назначить ответственным", "Директор Тестов"]


def test_missing_date_on_a_sound_text_layer_fails() -> None:
    (f,) = det(words_page(BODY))["DET004"]
    assert f.outcome is Outcome.FAILED


def test_missing_date_on_a_page_read_with_low_confidence_is_indeterminate() -> None:
    (f,) = det(words_page(BODY, conf=41.0))["DET004"]
    assert f.outcome is Outcome.INDETERMINATE
    assert "low OCR confidence (median 41" in f.message


def test_missing_date_on_a_page_read_with_high_confidence_fails() -> None:
    (f,) = det(words_page(BODY, conf=93.0))["DET004"]
    assert f.outcome is Outcome.FAILED


def test_missing_date_where_handwriting_was_seen_is_indeterminate() -> None:
    """Real: dates and numbers written by hand into the blanks of a printed order or letter."""
    page = words_page(BODY, conf=93.0, marks=[mark("handwriting", 0.8, (300, 100, 600, 140))])
    (f,) = det(page)["DET004"]
    assert f.outcome is Outcome.INDETERMINATE
    assert "handwritten" in f.message


def test_missing_signature_on_an_image_no_detector_reported_on_is_indeterminate() -> None:
    """Real: a blue signature over a seal is no text; OCR alone cannot say it is absent."""
    lines = ["ТОО «Тестовый Центр»", "ПРИКАЗ № 2 от 09.01.2018", "Назначить ответственным", "Тестов"]
    (f,) = det(words_page(lines, conf=93.0))["DET003"]
    assert f.outcome is Outcome.INDETERMINATE
    assert "no signature detector reported" in f.message
    (g,) = det(words_page(lines, conf=93.0, marks=[mark("seal", 0.9)]))["DET003"]
    assert g.outcome is Outcome.FAILED  # the detectors looked, saw a seal and no signature
    (h,) = det(words_page(lines))["DET003"]
    assert h.outcome is Outcome.FAILED  # a sound text layer without a signature line


def test_missing_date_where_some_header_words_were_misread_is_indeterminate() -> None:
    """Real: a date under a seal or on a guilloche background comes out as a few low-confidence words."""
    lines = [*BODY[:2], "«24» 2Iо6 г.", *BODY[2:]]
    (f,) = det(words_page(lines, conf=93.0, low=["«24»", "2Iо6"]))["DET004"]
    assert f.outcome is Outcome.INDETERMINATE
    assert "2 of 15 words" in f.message


# --------------------------------------------------------------------------- more real layouts


def test_date_with_its_caption_under_the_field() -> None:
    """Real: «по состоянию на "17" января 2024 г.» over «(дата формирования справки)» in the body."""
    lines = ["Справка № 5330", *["об исполнении обязанности"] * 12, 'по состоянию на "17" января 2024 г.',
             "(дата формирования справки)"]  # fmt: skip
    assert found(words_page(lines))["date"] == "2024-01-17"


def test_register_extract_dated_as_of_in_its_heading() -> None:
    lines = ["Выписка", "из реестра лицензий по состоянию на 09:47 18.03.2024 г.", "3. Дата предоставления: 29.03.2019"]
    assert found(words_page(lines))["date"] == "2024-03-18"


def test_meeting_date_with_its_hour_is_not_the_date_of_issue() -> None:
    lines = ["Выписка из протокола заседания Совета директоров", "«30» января 2020 года 10.30 часов"]
    assert "date" not in found(words_page(lines))


def test_month_and_year_only() -> None:
    """Real: letters of thanks dated «Наурыз 2025 жыл»."""
    lines = ["Алғыс хат", "ҚҰРМЕТТІ", "Наурыз 2025 жыл"]
    assert found(words_page(lines))["date"] == "2025-03"


def test_numeric_series_and_form_number() -> None:
    """Real: Russian FNS certificates print «серия 66 №006363822»."""
    got = found(words_page(["СВИДЕТЕЛЬСТВО", "о постановке на учет", "серия 66 №006363822"]))
    assert (got["series"], got["number"]) == ("66", "006363822")


def test_licence_number_alone_under_the_title() -> None:
    got = found(words_page(["Лицензиар", "МЕМЛЕКЕТТІК ЛИЦЕНЗИЯ", "14000140", "10.01.2014 жылы"]))
    assert got["number"] == "14000140"


def test_signing_key_term_is_not_the_document_validity() -> None:
    lines = ["Справка № 5", "Дата выдачи: 17.01.2024", "Сертификат: b6b011d2b067c0c9e841e424",
             "Действует с 14.06.2023 до 14.09.2024", "Действует с 09.01.2023 до 03.04.2024"]  # fmt: skip
    assert "validity" not in found(words_page(lines))


def test_form_approval_number_is_not_the_document_number() -> None:
    lines = ["Приложение № 1", "к приказу ФНС России", "от 23.11.2022 г.", "№ ЕД-7-8/1123@", "Справка № 5330"]
    got = found(words_page(lines))
    assert got["number"] == "5330"
    assert got.get("date") != "2022-11-23"


def test_address_under_a_certificate_title_is_the_holders() -> None:
    lines = ["МИНИСТЕРСТВО ЮСТИЦИИ", "СВИДЕТЕЛЬСТВО", "Фонд «Тест»", "614006, г. Пермь, ул. Ленина, 51"]
    assert "issuer_address" not in found(words_page(lines))
    letterhead = ["Департамент", "А15С9Т5, Алматы к., Көктем-3, 21-үй", "СВИДЕТЕЛЬСТВО"]
    assert "Көктем-3" in found(words_page(letterhead))["issuer_address"]


def test_letter_closing_formula_before_the_signatory() -> None:
    lines = ["ООО «Тест»", "Исх. № 5 от 29.11.2023", "Текст письма.", "С уважением, Генеральный директор",
             'ООО "Тест"', "Тестова О.А."]  # fmt: skip
    assert "Генеральный директор" in found(words_page(lines))["signature"]


def test_e_licence_footer_broken_over_two_lines_is_an_eds_mark() -> None:
    lines = ["АТТЕСТАТ", "Дата выдачи: 05.06.2024", "Данный документ ... равнозначен документу на бумажном",
             "носителе. Электронный документ сформирован на портале www.elicense.kz."]  # fmt: skip
    assert "signature" in found(words_page(lines))


def test_non_commercial_organisation_in_the_letterhead() -> None:
    lines = ["Коммерциялық емес ұйым", "Некоммерческая организация", "«Тест»", "ПРЕЙСКУРАНТ"]
    assert "issuer_name" in found(words_page(lines))


def test_licensing_body_named_in_a_register_extract() -> None:
    lines = ["Выписка", "из реестра лицензий по состоянию на 09:47 18.03.2024 г.",
             "4. Лицензирующий орган: Служба по лицензированию и надзору Республики Тест;"]  # fmt: skip
    assert found(words_page(lines))["issuer_name"].startswith("Служба по лицензированию")


# --------------------------------------------------------------------------- issue 11: detail recall on the real set


def test_letterhead_address_after_a_two_column_heading() -> None:
    """Real: a bilingual agency blank runs its heading over ten lines; the address and contacts follow it,
    and the addressee's block (with an address of its own) comes after them."""
    heading = ["РЕСПУБЛИКАНСКОЕ", "ГОСУДАРСТВЕННОЕ УЧРЕЖДЕНИЕ", "«ТЕСТ АГЕНТТІГІ»", "РЕСПУБЛИКАЛЫҚ",
               "МЕМЛЕКЕТТІК МЕКЕМЕСІ", "«АГЕНТСТВО РЕСПУБЛИКИ", "КАЗАХСТАН ПО ТЕСТАМ»", "Департамент/Басқарма",
               "Департамент/Управление", "ДЕПАРТАМЕНТ ТЕСТОВ"]  # fmt: skip
    lines = [*heading, "А15С9Т5, г. Алматы, Коктем-3, дом 21", "тел.: +7 727 0000000, факс: +7 727 0000001",
             "АО «Компания Тест»", "050000, г. Алматы, ул. Тестовая, 19", "тел: 8(727) 000 00 00",
             "Настоящим сообщаем, что комиссия рассмотрела ваше обращение."]  # fmt: skip
    body = ["Текст письма о рассмотрении обращения."] * 16  # the signature block is far below
    assert "Коктем-3" in found(words_page([*lines, *body], conf=90.0))["issuer_address"]
    # the addressee's address alone, with the body between the heading and it, is not the issuer's
    later = [*heading, "Настоящим сообщаем, что комиссия рассмотрела ваше обращение.", *lines[12:15], *body]
    assert "issuer_address" not in found(words_page(later, conf=90.0))


def test_dated_line_is_not_the_lead_in_of_the_next_date() -> None:
    """Real: a register extract «по состоянию на 00:00 08.02.2020 г.» over «10.02.2020 10:08:47 № 9054809»
    and the bilingual caption «(есепті құрастыру күні мен уақыты/дата и время составления отчета)»."""
    lines = ["РЕЕСТР ДЕРЖАТЕЛЕЙ ЦЕННЫХ БУМАГ", "по состоянию на 00:00 08.02.2020 г.", "10.02.2020 10:08:47 № 9054809",
             "(есепті құрастыру күні мен уақыты/дата и время составления отчета)"]  # fmt: skip
    got = found(words_page(lines))
    assert (got["date"], got["number"]) == ("2020-02-10", "9054809")


def test_number_closing_a_wrapped_title() -> None:
    """Real: «Выписка из протокола заседания Совета директоров» + «Акционерного общества «КСЖ «Тест Life» №01»
    (the outer quote never closed)."""
    lines = ["Выписка из протокола заседания Совета директоров", "Акционерного общества «КСЖ «Тест Life» №01",
             "Место нахождения Общества:"]  # fmt: skip
    assert found(words_page(lines))["number"] == "01"
    # a number inside a name whose quote closes after it stays the name's
    named = ["Выписка из протокола заседания", "Коммунального предприятия «Поликлиника № 4»"]
    assert "number" not in found(words_page(named))
    # a name whose quote runs on to the next line («№15 орта мектебі» on a school's blank) is a name too
    wrapped = ["БҰЙРЫҚ", "«№15 ОРТА МЕКТЕБІ", "коммуналдық мемлекеттік мекемесі»"]
    assert "number" not in found(words_page(wrapped))


def test_egov_unique_number_read_before_its_label() -> None:
    """Real: a raster egov справка whose number box OCR reads value first, the label «Уникальный номер» after."""
    lines = ["Құжат электрондық үкімет порталымен құрылған ірегей нем", "е200 oe 101000086245792",
             "Документ сформирован порталом электронного правительства Уникальный номер", "Справка",
             "БИН 241040900800"]  # fmt: skip
    assert found(words_page(lines, conf=80.0))["number"] == "101000086245792"


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Особые условия действия аттестата: Срок действия аттестата составляет пять лет.", "P5Y"),
        ("2. Лицензия является постоянной и действительной при условии", "unlimited"),
    ],
)
def test_validity_in_special_conditions(line: str, value: str) -> None:
    """Real: e-permits and e-licences state their term in «Особые условия», not in a «Срок действия» field."""
    assert found(words_page(["АТТЕСТАТ", "Дата выдачи: 05.06.2024", "Особые условия", line]))["validity"] == value


def test_numeric_series_with_a_misread_number_sign() -> None:
    """Real: «серия 17 №000504502» on a guilloche form read «серия 17 "000504502»."""
    got = found(words_page(["СВИДЕТЕЛЬСТВО", "о государственной регистрации", 'серия 17 "000504502'], conf=80.0))
    assert (got["series"], got["number"]) == ("17", "000504502")


def test_address_wrapped_onto_a_premises_line_is_not_the_issuers() -> None:
    """Real: a licence appendix «143500 ..., г. Истра, ул. Ленина, д. 9 А, кв. 82» + «нежилое помещение ...»."""
    lines = ["ПРИЛОЖЕНИЕ", 'ООО "Тест"', "143500 Московская область, г. Истра, ул. Ленина, д. 9",
             "нежилое помещение медицинского кабинета", "Номенклатура работ и услуг"]  # fmt: skip
    assert "issuer_address" not in found(words_page(lines))
    lines[3] = "тел. 8 (495) 000-00-00"
    assert "ул. Ленина" in found(words_page(lines))["issuer_address"]  # the same address as a letterhead


def test_date_in_the_blanks_of_a_form() -> None:
    """Real: «г. Павлодар «21» 05 2025 г.»: day in quotes, month as two digits, year (handwritten into blanks)."""
    assert found(words_page(["МЕМОРАНДУМ", "о сотрудничестве", "г. Павлодар «21» 05 2025 г."]))["date"] == "2025-05-21"


def test_real_set_rules_read_by_tesseract(tmp_path: Path) -> None:
    """Rendered pages through real Tesseract: a letterhead run past the header with the addressee after it,
    a title's number on its wrapped line, a form's quoted-day date."""
    heading = ["РЕСПУБЛИКАНСКОЕ", "ГОСУДАРСТВЕННОЕ УЧРЕЖДЕНИЕ", "«ТЕСТ АГЕНТТІГІ»", "РЕСПУБЛИКАЛЫҚ", "МЕКЕМЕСІ",
               "«АГЕНТСТВО РЕСПУБЛИКИ", "КАЗАХСТАН ПО ТЕСТАМ»", "Департамент/Басқарма", "Департамент/Управление",
               "ДЕПАРТАМЕНТ ТЕСТОВ"]  # fmt: skip
    letter = [*heading, "А15С9Т5, г. Алматы, Коктем-3, дом 21", "тел.: +7 727 2619200, факс: +7 727 2440282",
              "АО «Компания Тест»", "050000, г. Алматы, ул. Тестовая, 19", "тел: 8 727 244 74 00",
              *["Настоящим сообщаем, что комиссия рассмотрела ваше обращение."] * 14]  # fmt: skip
    extract = ["Выписка из протокола заседания Совета директоров", "Акционерного общества «КСЖ «Тест Life» №01",
               "г. Павлодар «21» 05 2025 г.", *["Решили: одобрить сделку."] * 14]  # fmt: skip
    got = {}
    for name, lines in (("letter", letter), ("extract", extract)):
        png = render(lines, tmp_path / f"{name}.png", size=36)
        facts = FileFacts(name=png.name, path=png, size=png.stat().st_size, sha256="0" * 64, extension=".png",
                          media_type="image/png")  # fmt: skip
        pages, error = ocr.read_document(facts, ocr.TesseractEngine())
        assert error is None
        got[name] = found(*pages)
    assert "Коктем-3" in got["letter"]["issuer_address"]
    assert (got["extract"]["number"], got["extract"]["date"]) == ("01", "2025-05-21")


def test_missing_date_where_the_signature_block_was_misread_is_indeterminate() -> None:
    """Real: a letter of thanks dated «Наурыз 2024 жыл» under the signatory, read as junk under the seal; its
    header was read well, but the date lives in the signature block too."""
    head = ["Алғыс хат", "ҚҰРМЕТТІ", "«ТЕСТ» ЖШС", "ұжымы", "Сіздерді мерекемен", "құттықтаймын!",
            "Алғыс білдіремін.", "Табыс тілеймін.", "Мол болсын!", "Ізгі ниетпен"]  # fmt: skip
    tail = ["Тест ауылдық округінің әкімі А. Тестов", "мураый жыл"]
    (f,) = det(words_page([*head, *["Тест."] * 12, *tail], conf=93.0, low=["мураый", "жыл", "округінің"]))["DET004"]
    assert f.outcome is Outcome.INDETERMINATE
    assert "signature block" in f.message
    (g,) = det(words_page([*head, *["Тест."] * 12, *tail], conf=93.0))["DET004"]
    assert g.outcome is Outcome.FAILED  # both zones read with confidence: the date is absent


# --------------------------------------------------------------------------- scan flags (27.3) on real pages


def _words_of(page: Page, conf: float = 96.0) -> list[Word]:
    """The words pagegen drew, as OCR would give them: one line per baseline."""
    lines = {y: i for i, y in enumerate(sorted(set(page.baselines.values())))}
    return [
        Word(text=t, box=b, conf=conf, line=lines[page.baselines[t]], block=1)
        for t, b in page.words.items()
        if t in page.baselines
    ]


def _line(n: int, *texts: str, conf: float = 95.0, y: int | None = None) -> list[Word]:
    top = 100 * n if y is None else y
    return [Word(text=t, box=(200 * i, top, 200 * i + 150, top + 40), conf=conf, line=n) for i, t in enumerate(texts)]


def test_field_entries_are_the_values_after_labels() -> None:
    words = [
        *_line(0, "Юридический", "адрес:", "г.", "Бишкек,", "ул.", "Анкара"),
        *_line(1, "Наименование", "учреждения", "образования:"),
        *_line(2, "Международный", "Университет", "Инновационных", conf=30.0),
        *_line(3, "Технологий", conf=20.0),
        *_line(4, "Настоящая", "справка", "выдана", "в", "том,", "что"),
    ]
    entries = {words[i].text for i in imaging.field_entries(words)}
    assert entries == {"г.", "Бишкек,", "ул.", "Анкара", "Международный", "Университет", "Инновационных", "Технологий"}


def test_small_print_and_entries_are_no_illegible_lines() -> None:
    junk = _line(0, "gal", "ash", "ast", "Len", "ду", "де", conf=25.0)
    assert imaging.illegible_lines(junk)  # a line of print read as junk is located ...
    small = [w.model_copy(update={"box": (w.box[0], w.box[1], w.box[2], w.box[1] + 15)}) for w in junk]
    assert not imaging.illegible_lines(small, body_height=34.0)  # ... a printer's imprint in microtext is not


def test_watermark_line_through_the_text_is_no_crossed_out_word() -> None:
    page = mode_page("security_watermark")
    scan = imaging.analyse(page.image, 300)
    assert not [s for s in imaging.strike_throughs(scan, _words_of(page), 40.0) if s.kind == "strike_through"]
    struck = mode_page("struck_word")
    found = imaging.strike_throughs(imaging.analyse(struck.image, 300), _words_of(struck), 40.0)
    assert [s.words for s in found] == [("полустационара",)]  # a pen's strike, as dark as the print, still is


def test_security_background_flattened_to_the_print() -> None:
    page = mode_page("security_watermark")
    grey = imaging.to_grey(np.asarray(page.image))
    flat = imaging.flatten_background(grey)
    assert flat is not None
    x0, y0, x1, y1 = page.words["справка"]
    assert flat[y0:y1, x0:x1].min() < 60  # the print stays black
    assert float(flat[900:1200, 100:400].mean()) > 250  # the grid and the emblem's rings go white
    assert float(grey[900:1200, 100:400].mean()) < 235
    blank = np.full((400, 400), 236, np.uint8)
    assert imaging.flatten_background(blank) is None  # no print, nothing to flatten


def _certificate_foot() -> np.ndarray:
    """The foot of a certificate as a grey scan at 300 dpi: a boxed registration number, then the issue date
    on the same row (real doc 34, where Tesseract's page segmentation dropped the date right of the boxes)."""
    image = small_page(("Министерство юстиции", "Учетный N 5912010127 Дата выдачи «04» июня 2013 г."))
    draw = ImageDraw.Draw(image)
    for k in range(10):  # the number's boxes
        draw.rectangle((305 + 28 * k, 115, 333 + 28 * k, 170), outline=(40, 40, 40), width=2)
    return np.asarray(image.convert("L"), dtype=np.uint8)


def _first_reading(grey: np.ndarray) -> list[Word]:
    return list(ocr.TesseractEngine().recognize(Image.fromarray(grey), 1, 300).words)


def test_a_dated_line_the_first_reading_dropped_is_read_again() -> None:
    grey = _certificate_foot()
    # the first reading as on the real page: the heading read, the dated row lost but its first word
    first = [w for w in _first_reading(grey) if w.box[1] < 90 or w.text.startswith("Учет")]
    assert not details.find_dates(" ".join(w.text for w in first))
    words = ocr.dated_lines(first, grey, 300, ocr.TesseractEngine())
    page = PageText(number=1, source="ocr", text=" ".join(w.text for w in words), words=tuple(words))
    assert found(page).get("date") == "2013-06-04"
    assert sum(1 for w in words if w.text.startswith("Учет")) == 1  # a word read before is not added twice
    assert [w for w in words if w in first] == first  # the first reading is kept, in its order


def test_a_page_whose_first_reading_holds_a_date_is_not_read_again() -> None:
    grey = _certificate_foot()
    first = _first_reading(grey)
    assert details.find_dates(" ".join(w.text for w in first))
    blank = np.full_like(grey, 255)  # a second reading would find nothing: the words must come back unchanged
    assert ocr.dated_lines(first, blank, 300, ocr.TesseractEngine()) == first
    assert ocr.dated_lines(first[:3], blank, 300, ocr.NullEngine()) == first[:3]  # no Tesseract: nothing added
