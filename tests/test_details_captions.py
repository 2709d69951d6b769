"""Values printed over their form captions (issue 11, real documents 24 and 35), and what is not taken.

A security-printed certificate or a statutory report prints each field's caption in small type under its
value: «55786-3301-У-е» over «регистрационный номер», «Бишкек    2 мая 2017 г.» over «город», the issuing
body over «наименование регистрирующего органа», an address over «(адрес (место нахождения) ...)». The
pages are built as in `tests/test_details.py`: a word's x is its character offset, so a caption stands
under the value it names when the two are aligned in the text.
"""

from __future__ import annotations

import pytest

from tests.test_details import filler, run

# The head of a re-registration certificate, as OCR read the real one: the ministry's line lost (faint
# brown print), the regional office's words glued, the registration number and the ОКПО side by side.
HEAD = (
    "КЫРГЫЗСКОЙ РЕСПУБЛИКИ\n"
    "Чуй-БишкекскоеУправлениеюстиции\n"
    "наименование регистрирующего органа\n"
    "СВИДЕТЕЛЬСТВО\n"
    "О ГОСУДАРСТВЕННОЙ ПЕРЕРЕГИСТРАЦИИ\n"
    "ЮРИДИЧЕСКОГО ЛИЦА\n"
    "55786-3301-У-е               24275760\n"
    "регистрационный номер        код ОКПО\n"
    "       00308200610153\n"
    "идентификационный налоговый номер\n"
)
PLACE_DATE = "Бишкек                       2 мая 2017 г.\nгород\n"
BODY = (
    "Фирменное наименование юридического лица\n"
    "Учреждение «Международный Университет Инновационных Технологий»\n"
    "Местонахождение (адрес) Кыргызская Республика, город Бишкек, ул. Анкара, 1/17.\n"
    "Дата первичной государственной регистрации:\n"
    "03.08.2006 г.\n" + filler(10, "Сведения")
)
FOOT = (
    "серия ГПЮ                    № 0025883\n"
    "Начальник                    А.Н.Абдылдаева\n"
    "руководитель                 имя, фамилия\n"
)
CERTIFICATE = HEAD + PLACE_DATE + BODY + FOOT


def test_a_certificates_place_and_date_over_its_caption_is_the_date_of_issue() -> None:
    # Outside the header (the title's lines and the number block come first); the first registration's
    # date, labelled as such, is not the date of issue.
    assert run(CERTIFICATE)["date"].value == "2017-05-02"


@pytest.mark.parametrize(
    ("place_date", "why"),
    [
        ("Бишкек                       2 мая 2017 г.\nНачальник отдела\n", "no caption «город» under it"),
        ("Решение Бишкек от 2 мая 2017 г.\nгород\n", "more than a place before the date"),
        ("Бишкек                       2 мая 2017 г.\n(место рождения)\n", "a place of birth"),
    ],
)
def test_a_date_over_another_caption_or_in_a_sentence_is_not_taken(place_date: str, why: str) -> None:
    found = run(HEAD + place_date + BODY + FOOT)
    assert "date" not in found, why


def test_the_registration_number_over_its_caption_beats_the_blanks_series_and_number() -> None:
    found = run(CERTIFICATE)
    assert found["number"].value == "55786-3301-У-е"
    # The blank's «серия ГПЮ» stays the document's series though its number is not the one taken.
    assert found["series"].value == "ГПЮ"
    # Without the caption, the blank's series and number are the document's.
    plain = CERTIFICATE.replace("регистрационный номер        код ОКПО", "                             код ОКПО")
    assert run(plain)["number"].value == "0025883"


@pytest.mark.parametrize(
    "caption",
    [
        "идентификационный налоговый номер",
        "(основной государственный регистрационный номер)",
        "код ОКПО",
    ],
)
def test_an_entitys_identifier_over_its_caption_is_not_the_documents_number(caption: str) -> None:
    text = "СВИДЕТЕЛЬСТВО\nо государственной регистрации\n" + filler(10) + f" 1025900001820\n{caption}\n" + filler(3)
    assert "number" not in run(text)


def test_the_issuing_body_over_its_caption_is_the_issuer() -> None:
    found = run(CERTIFICATE)
    assert found["issuer_name"].value == "КЫРГЫЗСКОЙ РЕСПУБЛИКИ Чуй-БишкекскоеУправлениеюстиции"


def test_a_licensors_name_over_its_caption_is_read_whole_without_its_label() -> None:
    # An e-licence: the label «Лицензиар» in the left column, read between the two lines of the name.
    text = (
        "ЛИЦЕНЗИЯ\n" + filler(12) + 'Государственное учреждение "Управление Общественного\nЛицензиар\n'
        'здравоохранения города Нур-Султан". Акимат города Нур-Султан.\n(полное наименование лицензиара)\n'
        + filler(16)
    )  # fmt: skip
    assert run(text)["issuer_name"].value == (
        'Государственное учреждение "Управление Общественного здравоохранения города Нур-Султан". '
        "Акимат города Нур-Султан."
    )


def test_a_holders_name_over_its_caption_is_not_the_issuer() -> None:
    # «(полное наименование ...)» names the holder on a certificate; and the issuer's caption takes no
    # line above a title or a line with digits.
    holder = "СВИДЕТЕЛЬСТВО\nо государственной регистрации\n«Альфа-Сервис»\n(полное наименование юридического лица)\n"
    assert "issuer_name" not in run(holder + filler(4))
    titled = "СВИДЕТЕЛЬСТВО\nнаименование регистрирующего органа\n" + filler(4)
    assert "issuer_name" not in run(titled)
    numbered = "Рег. 12345 от 01.02.2017\nнаименование регистрирующего органа\n" + filler(4)
    assert "issuer_name" not in run(numbered)


REPORT = (
    "Форма № ОН0002\nОтчет\nо целях расходования некоммерческой организацией денежных средств\n"
    + filler(12)
    + "Пермское краевое отделение МОФ «Российский фонд мира»\n"
    "(полное наименование некоммерческой организации)\n"
    "614006, г.Пермь, ул.Ленина, 51, оф.103\n"
    "{caption}\n" + filler(16, "Таблица")
)


@pytest.mark.parametrize(
    "caption",
    [
        "(адрес (место нахождения) некоммерческой организации)",
        "Іңлресіместо нахукления) неконмерческой организация }",  # as OCR read it on a 80-ppi scan
    ],
)
def test_an_address_over_its_caption_is_the_issuers(caption: str) -> None:
    assert run(REPORT.format(caption=caption))["issuer_address"].value == "614006, г.Пермь, ул.Ленина, 51, оф.103"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (REPORT.format(caption="(адрес места жительства)"), "someone's home"),
        (REPORT.format(caption="(подпись)"), "another caption"),
        (REPORT.format(caption="Место нахождения"), "a table's row label, not a caption"),
        (
            "ВЫПИСКА\n" + filler(12) + "Орналасқан жері\n"
            "Алмалинский р-н, ул. Наурызбай батыра, д. 19, г. Алматы, КАЗАХСТАН, 050000\n"
            "(место нахождения)\n" + filler(16),
            "a bilingual table's row: the Kazakh label above, the Russian one under",
        ),
        (
            "СВИДЕТЕЛЬСТВО\nо государственной регистрации\n" + filler(12)
            + "614006, г.Пермь, ул.Ленина, 51, оф.103\n(адрес (место нахождения))\n" + filler(4),
            "a certificate's holder",
        ),
    ],
)  # fmt: skip
def test_an_address_over_another_caption_or_a_holders_is_not_the_issuers(text: str, why: str) -> None:
    assert "issuer_address" not in run(text), why


def test_a_labelled_series_is_kept_when_ocr_splits_it_from_the_blanks_number() -> None:
    # The real blank read «серия ГП: ы _Е№ 09020505»: the series word is the sure part, not the «Е» before «№».
    split = CERTIFICATE.replace("серия ГПЮ                    № 0025883", "серия ГПЮ: ы _Е№ 0025883")
    assert run(split)["series"].value == "ГПЮ"
