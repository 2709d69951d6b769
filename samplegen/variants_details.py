"""Failing samples of the DET area (paragraph 27.5): one document of a complete dossier lacks a detail.

Each sample replaces one document of the complete base dossier (`samplegen.core`) with the same
document minus one required detail, drawn with the same helpers as `samplegen.documents`. The
codes listed must come out failed; `passes` pins the details that stay found, so a sample proves
the check it is about and not an accident elsewhere. The replaced documents are written as PDFs
with a text layer (not scans) so that the verdict does not depend on the OCR engine.
"""

from __future__ import annotations

from samplegen.core import Sample, organization, specialist
from samplegen.documents import (
    ORG_ADDRESS,
    ORG_FULL,
    ORG_PHONE,
    ORG_SHORT,
    UNIVERSITY,
    UNIVERSITY_ADDRESS,
    App,
    head_name,
    letterhead,
    org_stamp,
    person_of,
)
from samplegen.render import SERIF, SERIF_BOLD, STAMP_BLUE, STAMP_VIOLET, Sheet, Stamp, render_pdf


def _head(app: App) -> str:
    return head_name(app)[0]


def _org_letterhead(s: Sheet, app: App) -> None:
    letterhead(s, ORG_FULL, ORG_ADDRESS, f"БИН {app['bin']}   тел. {ORG_PHONE}")


def material_resources_without_date(app: App) -> bytes:
    """7.2 with its outgoing number but the date left blank («от ________»): DET004."""

    def draw(s: Sheet) -> None:
        _org_letterhead(s, app)
        s.line("Исх. № 214 от ________________", 10)
        s.gap(10)
        s.line("СПРАВКА", 14, bold=True, align="center")
        s.line("о наличии материальных ресурсов", 11, align="center")
        s.gap(8)
        s.para(f"{ORG_SHORT} располагает следующими материальными ресурсами для оказания специальных социальных услуг:")
        s.table(
            [
                ("№", "Наименование", "Кол-во", "Основание"),
                ("1", "Нежилое помещение общей площадью 412,6 кв. м (1 этаж)", "1", "договор аренды № 17/25"),
                ("2", "Кабинет лечебной физкультуры с тренажёрами", "1", "на балансе"),
                ("3", "Сенсорная комната", "1", "на балансе"),
                ("4", "Функциональные кровати", "12", "на балансе"),
            ],
            (0.07, 0.55, 0.12, 0.26),
        )
        s.signature("Директор", _head(app), stamp=org_stamp())

    return render_pdf(draw, seed="det-no-date", title="Справка о материальных ресурсах", author=ORG_SHORT)


def employees_number_unsigned(app: App) -> bytes:
    """7.3 printed without its signature block and seal: DET003."""

    def draw(s: Sheet) -> None:
        _org_letterhead(s, app)
        s.line("Исх. № 215 от 16.11.2026 г.", 10)
        s.gap(14)
        s.line("СПРАВКА", 14, bold=True, align="center")
        s.line("о численности работников", 11, align="center")
        s.gap(10)
        count = app.get("employees_count") or 0
        s.para(f"Списочная численность работников {ORG_SHORT} составляет {count} человек.")
        s.table(
            [
                ("Должность", "Количество, чел."),
                ("Социальный работник по уходу", "6"),
                ("Психолог", "2"),
                ("Итого", str(count)),
            ],
            (0.7, 0.3),
            size=10,
        )
        s.para("Справка выдана для представления в местный исполнительный орган.")

    return render_pdf(draw, seed="det-unsigned", title="Справка о численности работников", author=ORG_SHORT)


def diploma_without_number(app: App) -> bytes:
    """15.1, a copy on which the series, number and registration number are cut off: DET005."""

    def draw(s: Sheet) -> None:
        s.line("ҚАЗАҚСТАН РЕСПУБЛИКАСЫ / РЕСПУБЛИКА КАЗАХСТАН", 10, align="center", font=SERIF)
        s.gap(4)
        s.line(UNIVERSITY, 11, align="center", font=SERIF_BOLD)
        s.line(UNIVERSITY_ADDRESS, 8.5, align="center")
        s.gap(24)
        s.line("ДИПЛОМ", 26, align="center", font=SERIF_BOLD)
        s.line("о высшем образовании / жоғары білім туралы", 11, align="center", font=SERIF)
        s.gap(30)
        s.line("Настоящий диплом выдан", 11, align="center", font=SERIF)
        s.line(person_of(app)[0], 15, align="center", font=SERIF_BOLD)
        s.gap(6)
        s.para(
            "в том, что он(а) в 2012 году поступил(а) и в 2016 году окончил(а) полный курс обучения по "
            "образовательной программе «Социальная работа» и ему (ей) присуждена академическая степень"
        )
        s.line("БАКАЛАВР СОЦИАЛЬНОЙ РАБОТЫ", 13, align="center", font=SERIF_BOLD)
        s.gap(16)
        s.line("Дата выдачи: 30.06.2016", 10.5)
        s.signature(
            "Ректор",
            "Бекенова А.Т.",
            stamp=Stamp(ring="Алматинский университет социальных технологий (TEST) • Алматы",
                        centre=("Для", "дипломов"), color=STAMP_BLUE, angle=-4.0),
        )  # fmt: skip

    return render_pdf(draw, seed="det-no-number", title="Диплом", author=UNIVERSITY)


def medical_certificate_expired(app: App) -> bytes:
    """15.3 issued 10.09.2025 and valid until 10.09.2026, before the samples' moment (2026-11-20): DET007."""
    clinic = "КГП на ПХВ «Городская поликлиника № 29 (TEST)» УОЗ г. Алматы"

    def draw(s: Sheet) -> None:
        s.line("Форма № 086/у", 9, bold=True, align="right")
        s.gap(6)
        s.para(clinic, 10.5, bold=True, align="center")
        s.line("050036, г. Алматы, Ауэзовский район, мкр. Аксай-4, д. 73", 8.5, align="center")
        s.gap(10)
        s.line("МЕДИЦИНСКАЯ СПРАВКА № 1907", 14, bold=True, align="center")
        s.line("(врачебное профессионально-консультативное заключение)", 9.5, align="center")
        s.gap(8)
        s.table(
            [
                ("Показатель", "Сведения"),
                ("1. Фамилия, имя, отчество", person_of(app)[0]),
                ("2. Заключение", "Годна к работе по специальности (противопоказаний не выявлено)"),
            ],
            (0.4, 0.6),
            size=9,
        )
        s.line("Дата выдачи: 10.09.2025 г.", 10.5)
        s.line("Срок действия: 1 (один) год. Действительна до 10.09.2026 г.", 10.5)
        s.signature(
            "Председатель ВКК",
            "Иманалиева Р.С.",
            stamp=Stamp(ring="Городская поликлиника № 29 (TEST) • УОЗ г. Алматы",
                        centre=("Для", "справок"), color=STAMP_VIOLET, angle=-12.0),
        )  # fmt: skip

    return render_pdf(draw, seed="det-expired", title="Форма 086/у", author=clinic)


SAMPLES: tuple[Sample, ...] = (
    Sample(
        name="organization-detail-no-date",
        build=organization(writers={"material-resources": material_resources_without_date}),
        verdict="fail",
        codes=("DET004",),
        passes=("DET001", "DET003"),
        description=(
            "The information on material resources carries its outgoing number but its date is left blank "
            "(«Исх. № 214 от ______»): a required detail of 27.5 is missing, DET004 fails."
        ),
    ),
    Sample(
        name="organization-detail-no-signature",
        build=organization(writers={"employees-number": employees_number_unsigned}, scan={"employees-number": "none"}),
        verdict="fail",
        codes=("DET003",),
        passes=("DET001", "DET004"),
        description=(
            "The document on the number of employees has no signature block, no seal and no EDS: the "
            "authorized person's signature (27.5) is missing, DET003 fails."
        ),
    ),
    Sample(
        name="specialist-detail-no-number",
        build=specialist(writers={"qualification": diploma_without_number}),
        verdict="fail",
        codes=("DET005",),
        passes=("DET001", "DET003", "DET004"),
        description=(
            "The copy of the diploma shows no series, number or registration number: the document number "
            "(required for a qualification document, 27.5) is missing, DET005 fails."
        ),
    ),
    Sample(
        name="specialist-detail-expired",
        build=specialist(
            writers={"medical-certificate": medical_certificate_expired}, scan={"medical-certificate": "none"}
        ),
        verdict="fail",
        codes=("DET007", "SCAN008"),
        passes=("DET004", "DET006"),
        description=(
            "The medical certificate was issued on 10.09.2025 and is valid until 10.09.2026, before the "
            "validation moment 2026-11-20: it has expired, DET007 fails."
        ),
    ),
)
