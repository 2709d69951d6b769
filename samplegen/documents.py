"""The documents of paragraphs 7 and 15, written as they really look (Russian, some Kazakh).

One function per document type of the catalog (`intake.rules.DOCUMENT_TYPES`); each takes the
application (the dict written to `application.json`) and returns the PDF bytes. Every document
carries its issuer's name and address, date, number (and series for the diploma), validity where
its type carries one, a signature line with position and name, and `М.П.` with a drawn seal.
Names, numbers and organizations are synthetic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from samplegen import pki
from samplegen.render import SERIF, SERIF_BOLD, STAMP_BLUE, STAMP_VIOLET, Sheet, Stamp, render_pdf

App = Mapping[str, Any]

ORG_SHORT = "ТОО «ЦСР «Мейірім-Тест»»"
ORG_FULL = "Товарищество с ограниченной ответственностью «Центр социальной реабилитации «Мейірім-Тест»»"
ORG_ADDRESS = "050040, Республика Казахстан, г. Алматы, Бостандыкский район, ул. Тимирязева, д. 42"
FACILITY_ADDRESS = "050063, г. Алматы, Ауэзовский район, мкр. Жетысу-2, д. 17"
ORG_PHONE = "+7 727 250 14 38"


def money(value: Decimal | str | int) -> str:
    """`185000` -> `185 000,00`."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    whole, frac = f"{amount:.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return " ".join(groups) + "," + frac


def org_stamp() -> Stamp:
    """The organization's seal."""
    return Stamp(
        ring=f"ТОО «ЦСР «Мейірім-Тест»» • Алматы • БСН {pki.ORG_BIN}",
        centre=("Мейірім-Тест", "Для", "документов"),
    )


def letterhead(s: Sheet, name: str, address: str, extra: str = "") -> None:
    s.para(name, 11, bold=True, align="center")
    s.para(address, 8.5, align="center")
    if extra:
        s.line(extra, 8.5, align="center")
    s.gap(2)
    s.canvas.setLineWidth(0.8)
    s.canvas.line(s.left, s.y, s.right, s.y)
    s.gap(8)


def head_name(app: App) -> tuple[str, str]:
    head = app["head"]
    first, patronymic = head["first_name"], head.get("patronymic")
    initials = f"{first[0]}.{patronymic[0]}." if patronymic else f"{first[0]}."
    full = f"{head['last_name']} {first} {patronymic or ''}".strip()
    return f"{head['last_name']} {initials}", full


def _approved(s: Sheet, app: App, date_text: str) -> None:
    short, _ = head_name(app)
    for text in ("УТВЕРЖДАЮ", f"Директор {ORG_SHORT}", f"__________ {short}", date_text):
        s.line(text, 9.5, align="right", bold=text == "УТВЕРЖДАЮ")
    s.gap(10)


# --------------------------------------------------------------------------- organization, paragraph 7


def constituent_documents(app: App) -> bytes:
    """7.1: the charter of the LLP (устав ТОО), two pages."""

    def draw(s: Sheet) -> None:
        short, _ = head_name(app)
        for text in (
            "УТВЕРЖДЁН",
            "решением единственного участника",
            f"{ORG_SHORT}",
            "№ 1 от 04.03.2019 г.",
        ):
            s.line(text, 9.5, align="right", bold=text == "УТВЕРЖДЁН")
        s.gap(30)
        s.line("УСТАВ", 20, bold=True, align="center", font=SERIF_BOLD)
        s.line("товарищества с ограниченной ответственностью", 12, align="center", font=SERIF)
        s.line("«Центр социальной реабилитации «Мейірім-Тест»»", 12, bold=True, align="center", font=SERIF_BOLD)
        s.gap(6)
        s.line("«Мейірім-Тест» әлеуметтік оңалту орталығы» ЖШС жарғысы", 10, align="center", font=SERIF)
        s.gap(20)
        s.line("1. Общие положения", 11, bold=True)
        s.para(
            f"1.1. {ORG_FULL} (далее — Товарищество) является коммерческой организацией, созданной в соответствии "
            "с Гражданским кодексом Республики Казахстан и Законом Республики Казахстан «О товариществах с "
            "ограниченной и дополнительной ответственностью»."
        )
        s.para(f"1.2. Сокращённое наименование: {ORG_SHORT}. Бизнес-идентификационный номер (БИН): {app['bin']}.")
        s.para(f"1.3. Место нахождения исполнительного органа Товарищества: {ORG_ADDRESS}.")
        s.para(
            "1.4. Товарищество является юридическим лицом, имеет самостоятельный баланс, банковские счета, печать "
            "со своим наименованием на государственном и русском языках."
        )
        s.line("2. Предмет и цели деятельности", 11, bold=True)
        s.para(
            "2.1. Целью деятельности Товарищества является извлечение дохода и оказание специальных социальных "
            "услуг лицам с инвалидностью, пожилым лицам и лицам, находящимся в трудной жизненной ситуации."
        )
        s.para(
            "2.2. Предметом деятельности Товарищества являются: оказание специальных социальных услуг в условиях "
            "полустационара и на дому; реабилитация лиц с инвалидностью; реализация технических средств "
            "реабилитации; иные виды деятельности, не запрещённые законодательством Республики Казахстан."
        )
        s.line("3. Уставный капитал", 11, bold=True)
        s.para(
            "3.1. Уставный капитал Товарищества составляет 500 000 (пятьсот тысяч) тенге и сформирован "
            "единственным участником в полном объёме."
        )
        s.new_page()
        s.line("4. Органы Товарищества", 11, bold=True)
        s.para(
            "4.1. Высшим органом Товарищества является единственный участник. Исполнительным органом "
            "Товарищества является единоличный исполнительный орган — директор, избираемый единственным "
            "участником на срок пять лет."
        )
        s.para(
            "4.2. Директор действует от имени Товарищества без доверенности, представляет его интересы, "
            "совершает сделки, издаёт приказы и утверждает штатное расписание."
        )
        s.line("5. Реорганизация и ликвидация", 11, bold=True)
        s.para(
            "5.1. Реорганизация и ликвидация Товарищества осуществляются по решению единственного участника либо "
            "по решению суда в порядке, установленном законодательством Республики Казахстан."
        )
        s.line("6. Заключительные положения", 11, bold=True)
        s.para(
            "6.1. Настоящий Устав составлен на казахском и русском языках, имеющих одинаковую силу. Устав "
            "вступает в силу с момента государственной регистрации Товарищества."
        )
        s.gap(6)
        s.para(
            "Государственная регистрация: Управление юстиции Бостандыкского района Департамента юстиции "
            "города Алматы, 12.03.2019 г.",
            9.5,
        )
        s.para("Дата принятия Устава: 04.03.2019 г.", 9.5)
        s.signature("Единственный участник, директор", short, stamp=org_stamp())

    return render_pdf(draw, seed="constituent", title="Устав ТОО", author=ORG_SHORT)


def material_resources(app: App) -> bytes:
    """7.2: information on material resources (справка о материально-технической базе)."""

    def draw(s: Sheet) -> None:
        contacts = f"БИН {app['bin']}   тел. {ORG_PHONE}   e-mail: {app['contacts']['email']}"
        letterhead(s, ORG_FULL, ORG_ADDRESS, contacts)
        s.line("Исх. № 214 от 16.11.2026 г.", 10)
        s.gap(10)
        s.line("СПРАВКА", 14, bold=True, align="center")
        s.line("о наличии материальных ресурсов", 11, align="center")
        s.gap(8)
        s.para(
            f"{ORG_SHORT} сообщает, что для оказания специальных социальных услуг по адресу: {FACILITY_ADDRESS} "
            "располагает следующими материальными ресурсами:"
        )
        s.table(
            [
                ("№", "Наименование", "Кол-во", "Основание"),
                ("1", "Нежилое помещение общей площадью 412,6 кв. м (1 этаж)", "1", "договор аренды № 17/25"),
                ("2", "Кабинет лечебной физкультуры с тренажёрами", "1", "на балансе"),
                ("3", "Сенсорная комната", "1", "на балансе"),
                ("4", "Пандус, поручни, санузел для маломобильных групп", "1", "на балансе"),
                ("5", "Автомобиль для перевозки лиц с инвалидностью (подъёмник)", "1", "на балансе"),
                ("6", "Функциональные кровати", "12", "на балансе"),
                ("7", "Компьютеры, оргтехника", "8", "на балансе"),
            ],
            (0.07, 0.55, 0.12, 0.26),
        )
        s.para(
            "Справка выдана для представления в местный исполнительный орган для включения в реестр "
            "организаций, оказывающих специальные социальные услуги."
        )
        s.signature("Директор", head_name(app)[0], stamp=org_stamp())

    return render_pdf(draw, seed="material", title="Справка о материальных ресурсах", author=ORG_SHORT)


def employees_number(app: App) -> bytes:
    """7.3: the number of employees (справка о численности работников)."""

    def draw(s: Sheet) -> None:
        letterhead(s, ORG_FULL, ORG_ADDRESS, f"БИН {app['bin']}   тел. {ORG_PHONE}")
        s.line("Исх. № 215 от 16.11.2026 г.", 10)
        s.gap(14)
        s.line("СПРАВКА", 14, bold=True, align="center")
        s.line("о численности работников", 11, align="center")
        s.gap(10)
        count = app.get("employees_count") or 0
        s.para(
            f"Дана {ORG_SHORT} в том, что по состоянию на 01.11.2026 г. списочная численность работников "
            f"составляет {count} человек, в том числе:"
        )
        s.table(
            [
                ("Должность", "Количество, чел."),
                ("Директор", "1"),
                ("Социальный работник по уходу", "6"),
                ("Социальный работник по оценке и определению потребности", "2"),
                ("Инструктор по лечебной физкультуре", "2"),
                ("Психолог", "2"),
                ("Логопед", "1"),
                ("Медицинская сестра", "2"),
                ("Бухгалтер", "1"),
                ("Водитель", "1"),
                ("Итого", str(count)),
            ],
            (0.7, 0.3),
            size=10,
        )
        s.para("Основание: штатное расписание, утверждённое приказом № 3-о от 05.01.2026 г.")
        s.signature("Директор", head_name(app)[0], stamp=org_stamp())
        s.gap(4)
        s.line("Главный бухгалтер __________ Нурланова Г.К.", 10)

    return render_pdf(draw, seed="employees", title="Справка о численности работников", author=ORG_SHORT)


def price_document(app: App) -> bytes:
    """7.4: the price list (прейскурант) with the services and prices of the application."""

    def draw(s: Sheet) -> None:
        letterhead(s, ORG_FULL, ORG_ADDRESS, f"БИН {app['bin']}")
        _approved(s, app, "«10» ноября 2026 г.")
        s.line("ПРЕЙСКУРАНТ № 3", 14, bold=True, align="center")
        s.line("цен на специальные социальные услуги и технические средства реабилитации", 10.5, align="center")
        s.line("арнаулы әлеуметтік қызметтер мен оңалтудың техникалық құралдарының бағалары", 9, align="center")
        s.gap(8)
        rows: list[tuple[str, ...]] = [("№", "Наименование услуги", "Единица", "Цена, тенге")]
        for i, svc in enumerate(app.get("services", ()), 1):
            rows.append((str(i), svc["name"], svc.get("unit") or "услуга", money(svc["price_kzt"])))
        s.table(rows, (0.07, 0.58, 0.15, 0.2))
        rows = [("№", "Техническое средство реабилитации", "Единица", "Цена, тенге")]
        for i, rtd in enumerate(app.get("rtds", ()), 1):
            rows.append((str(i), rtd["name"], "шт.", money(rtd["cost_kzt"])))
        s.table(rows, (0.07, 0.58, 0.15, 0.2))
        s.para("Цены указаны в тенге, НДС не облагается. Прейскурант действует с 10.11.2026 г. до его замены.", 9.5)
        s.signature("Директор", head_name(app)[0], stamp=org_stamp())

    return render_pdf(draw, seed="price", title="Прейскурант", author=ORG_SHORT)


def exw_prices(app: App) -> bytes:
    """7.5: EXW prices of the manufacturer and in the reference countries, as the application gives them."""

    def draw(s: Sheet) -> None:
        letterhead(s, ORG_FULL, ORG_ADDRESS, f"БИН {app['bin']}")
        s.line("Исх. № 216 от 16.11.2026 г.", 10)
        s.gap(8)
        s.line("СВЕДЕНИЯ", 14, bold=True, align="center")
        s.line("о цене EXW производителя технических средств реабилитации", 10.5, align="center")
        s.line("и о ценах EXW в референтных странах (пп. 4.10 п. 4, п. 7 Правил)", 10.5, align="center")
        s.gap(8)
        for i, rtd in enumerate(app.get("rtds", ()), 1):
            s.para(f"{i}. {rtd['name']} ({rtd['type']}). Производитель: {rtd.get('manufacturer') or '—'}.", bold=True)
            exw = rtd.get("exw_price")
            if exw:
                s.para(
                    f"Цена EXW производителя: {money(exw['amount'])} {exw.get('currency', 'KZT')}; "
                    f"источник: {exw.get('source') or '—'}.",
                    9.5,
                )
            rows: list[tuple[str, ...]] = [("Страна", "Цена EXW, KZT", "Источник информации")]
            amounts = []
            for ref in rtd.get("reference_prices", ()):
                amounts.append(Decimal(str(ref["amount"])))
                rows.append((ref["country"], money(ref["amount"]), ref.get("source") or "—"))
            if amounts:
                rows.append(("Среднее", money(sum(amounts, Decimal(0)) / len(amounts)), "среднее пяти минимальных цен"))
            s.table(rows, (0.16, 0.22, 0.62), size=8.5)
            s.para(f"Заявленная цена поставщика: {money(rtd['cost_kzt'])} тенге.", 9.5)
        s.signature("Директор", head_name(app)[0], stamp=org_stamp())

    return render_pdf(draw, seed="exw", title="Сведения о ценах EXW", author=ORG_SHORT)


def premises_document(app: App) -> bytes:
    """7.6: the lease contract for the premises (договор аренды нежилого помещения), two pages."""

    def draw(s: Sheet) -> None:
        short, full = head_name(app)
        s.line("ДОГОВОР АРЕНДЫ НЕЖИЛОГО ПОМЕЩЕНИЯ № 17/25", 13, bold=True, align="center")
        s.line("Тұрғын емес үй-жайды жалға алу шарты", 9.5, align="center")
        s.gap(6)
        s.line("г. Алматы", 10.5)
        s.canvas.drawRightString(s.right, s.y, "«20» декабря 2025 г.")
        s.gap(8)
        s.para(
            "ТОО «Жетысу Недвижимость Тест», БИН 120440011236, адрес: 050057, г. Алматы, Бостандыкский район, "
            "пр. Абая, д. 150/230, офис 12, в лице директора Касымова Нурлана Ержановича, действующего на основании "
            "Устава, именуемое в дальнейшем «Арендодатель», с одной стороны, и"
        )
        s.para(
            f"{ORG_FULL}, БИН {app['bin']}, в лице директора {full}, действующего на основании Устава, именуемое в "
            "дальнейшем «Арендатор», с другой стороны, заключили настоящий договор о нижеследующем:"
        )
        s.line("1. Предмет договора", 11, bold=True)
        s.para(
            f"1.1. Арендодатель передаёт, а Арендатор принимает во временное возмездное пользование нежилое "
            f"помещение общей площадью 412,6 кв. м, расположенное по адресу: {FACILITY_ADDRESS} (кадастровый номер "
            "20-321-045-118), для оказания специальных социальных услуг."
        )
        s.para("1.2. Помещение принадлежит Арендодателю на праве собственности.")
        s.line("2. Срок аренды", 11, bold=True)
        s.para("2.1. Срок аренды: с 01.01.2026 г. по 31.12.2028 г. Договор действует до 31.12.2028 г.")
        s.line("3. Арендная плата", 11, bold=True)
        s.para(
            "3.1. Арендная плата составляет 1 650 000 (один миллион шестьсот пятьдесят тысяч) тенге в месяц и "
            "вносится не позднее 10 числа текущего месяца."
        )
        s.new_page()
        s.line("4. Права и обязанности сторон", 11, bold=True)
        s.para(
            "4.1. Арендодатель обязан передать помещение по акту приёма-передачи в состоянии, пригодном для "
            "использования, с обустроенным пандусом и санузлом для маломобильных групп населения."
        )
        s.para(
            "4.2. Арендатор обязан использовать помещение по назначению, своевременно вносить арендную плату, "
            "не производить перепланировку без письменного согласия Арендодателя."
        )
        s.line("5. Заключительные положения", 11, bold=True)
        s.para("5.1. Договор составлен в двух экземплярах на русском языке, имеющих равную юридическую силу.")
        s.gap(6)
        s.line("Реквизиты и подписи сторон", 11, bold=True, align="center")
        s.para("Арендодатель: ТОО «Жетысу Недвижимость Тест», 050057, г. Алматы, пр. Абая, д. 150/230, офис 12.", 9.5)
        s.signature(
            "Директор",
            "Касымов Н.Е.",
            stamp=Stamp(
                ring="ТОО «Жетысу Недвижимость Тест» • Алматы • БСН 120440011236",
                centre=("Жетысу", "Недвижимость"),
                color=STAMP_VIOLET,
                angle=6.0,
            ),
        )
        s.gap(4)
        s.para(f"Арендатор: {ORG_SHORT}, {ORG_ADDRESS}.", 9.5)
        s.signature("Директор", short, stamp=org_stamp())

    return render_pdf(draw, seed="premises", title="Договор аренды", author=ORG_SHORT)


# --------------------------------------------------------------------------- specialist, paragraph 15

UNIVERSITY = "НАО «Алматинский университет социальных технологий-Тест»"
UNIVERSITY_ADDRESS = "050010, г. Алматы, ул. Толе би, д. 59"


def person_of(app: App) -> tuple[str, str]:
    n = app["name"]
    full = f"{n['last_name']} {n['first_name']} {n.get('patronymic') or ''}".strip()
    return full, f"{n['last_name']} {n['first_name'][0]}.{(n.get('patronymic') or ' ')[0]}."


def qualification(app: App) -> bytes:
    """15.1: the diploma (series and number, registration number, date of issue)."""

    def draw(s: Sheet) -> None:
        full, _ = person_of(app)
        s.line("ҚАЗАҚСТАН РЕСПУБЛИКАСЫ / РЕСПУБЛИКА КАЗАХСТАН", 10, align="center", font=SERIF)
        s.gap(4)
        s.line(UNIVERSITY, 11, align="center", font=SERIF_BOLD)
        s.line(UNIVERSITY_ADDRESS, 8.5, align="center")
        s.gap(24)
        s.line("ДИПЛОМ", 26, align="center", font=SERIF_BOLD)
        s.line("о высшем образовании / жоғары білім туралы", 11, align="center", font=SERIF)
        s.gap(10)
        s.line("Серия ЖБ-Б № 1457382", 14, align="center", font=SERIF_BOLD)
        s.gap(20)
        s.line("Настоящий диплом выдан", 11, align="center", font=SERIF)
        s.line(full, 15, align="center", font=SERIF_BOLD)
        s.gap(6)
        s.para(
            "в том, что он(а) в 2012 году поступил(а) и в 2016 году окончил(а) полный курс обучения по "
            "образовательной программе 5В090500 «Социальная работа» и решением Государственной аттестационной "
            "комиссии от 24 июня 2016 года присуждена академическая степень"
        )
        s.line("БАКАЛАВР СОЦИАЛЬНОЙ РАБОТЫ", 13, align="center", font=SERIF_BOLD)
        s.line("по специальности 5В090500 «Социальная работа»", 11, align="center", font=SERIF)
        s.gap(16)
        s.line("Регистрационный номер: 0875", 10.5)
        s.line("Дата выдачи: 30.06.2016", 10.5)
        s.line("г. Алматы", 10.5)
        s.signature(
            "Ректор",
            "Бекенова А.Т.",
            stamp=Stamp(
                ring="Алматинский университет социальных технологий-Тест • Алматы",
                centre=("Для", "дипломов"),
                color=STAMP_BLUE,
                angle=-4.0,
            ),
        )

    return render_pdf(draw, seed="diploma", title="Диплом", author=UNIVERSITY)


def position_document(app: App) -> bytes:
    """15.2: the order of appointment (приказ о назначении на должность)."""

    employer = (
        "Государственное коммунальное казённое предприятие «Центр оказания специальных социальных услуг "
        "№ 3-Тест» акимата г. Алматы (ГККП «ЦОССУ № 3-Тест»)"
    )
    address = "050061, г. Алматы, Алатауский район, мкр. Шанырак-2, ул. Жанкожа батыра, д. 26"

    def draw(s: Sheet) -> None:
        full, short = person_of(app)
        letterhead(s, employer, address, "БИН 090740015877   тел. +7 727 301 22 45")
        s.line("ПРИКАЗ", 14, bold=True, align="center")
        s.line("БҰЙРЫҚ", 10, align="center")
        s.gap(6)
        s.line("№ 112-к", 10.5)
        s.canvas.drawRightString(s.right, s.y, "от 02.09.2019 г.")
        s.line("г. Алматы", 10.5)
        s.gap(8)
        s.line("О назначении на должность", 11, bold=True)
        s.gap(4)
        s.para(
            "В соответствии с Трудовым кодексом Республики Казахстан, на основании заявления работника и "
            "трудового договора № 87 от 30.08.2019 г. ПРИКАЗЫВАЮ:"
        )
        s.para(
            f"1. Назначить {full}, ИИН {app['iin']}, на должность «{app['position']}» отделения "
            "социального обслуживания на дому с 02.09.2019 г. с должностным окладом согласно штатному расписанию.",
            indent=12,
        )
        s.para("2. Отделу кадров внести запись в личное дело работника.", indent=12)
        s.para("Основание: заявление работника от 29.08.2019 г., трудовой договор № 87 от 30.08.2019 г.")
        s.signature(
            "Директор",
            "Тулегенова М.А.",
            stamp=Stamp(
                ring="ЦОССУ № 3-Тест • акимат г. Алматы • БСН 090740015877",
                centre=("ЦОССУ № 3", "Кадры"),
                color=STAMP_BLUE,
                angle=10.0,
            ),
        )
        s.gap(6)
        s.line(f"С приказом ознакомлен(а): __________ {short}   02.09.2019 г.", 10)

    return render_pdf(draw, seed="position", title="Приказ о назначении", author=employer)


def medical_certificate(app: App) -> bytes:
    """15.3: medical certificate form 086/у (valid one year from issue)."""

    clinic = (
        "Коммунальное государственное предприятие на праве хозяйственного ведения «Городская поликлиника "
        "№ 29-Тест» Управления общественного здравоохранения г. Алматы"
    )
    address = "050036, г. Алматы, Ауэзовский район, мкр. Аксай-4, д. 73"

    def draw(s: Sheet) -> None:
        full, _ = person_of(app)
        addr = app["address"]
        s.line("Утверждена приказом Министра здравоохранения Республики Казахстан", 7.5, align="right")
        s.line("от 30 октября 2020 года", 7.5, align="right")
        s.line("Форма № 086/у", 9, bold=True, align="right")
        s.gap(6)
        s.para(clinic, 10.5, bold=True, align="center")
        s.line(address, 8.5, align="center")
        s.gap(10)
        s.line("МЕДИЦИНСКАЯ СПРАВКА № 2841", 14, bold=True, align="center")
        s.line("(врачебное профессионально-консультативное заключение)", 9.5, align="center")
        s.line("Медициналық анықтама (дәрігерлік кәсіптік-консультациялық қорытынды)", 8.5, align="center")
        s.gap(8)
        rows = [
            ("1. Фамилия, имя, отчество", full),
            ("2. ИИН", app["iin"]),
            ("3. Дата рождения", "23.07.1990"),
            ("4. Адрес проживания", f"{addr.get('city') or addr['region']}, {addr['street']}, д. {addr['house']}"),
            ("5. Место работы / учёбы, должность", "социальная сфера; " + app["position"]),
            ("6. Перенесённые заболевания", "острая респираторная вирусная инфекция (2024)"),
            ("7. Флюорография", "№ 5531 от 05.09.2026 г., без патологии"),
            ("8. Осмотр терапевта", "здорова"),
            ("9. Осмотр невропатолога", "здорова"),
            ("10. Осмотр психиатра / нарколога", "на учёте не состоит"),
            ("11. Заключение", "Годна к работе по специальности (противопоказаний не выявлено)"),
        ]
        s.table([("Показатель", "Сведения"), *rows], (0.4, 0.6), size=9)
        s.line("Дата выдачи: 10.09.2026 г.", 10.5)
        s.line("Срок действия: 1 (один) год. Действительна до 10.09.2027 г.", 10.5)
        s.signature(
            "Председатель врачебной комиссии",
            "Иманалиева Р.С.",
            stamp=Stamp(
                ring="Городская поликлиника № 29-Тест • г. Алматы",
                centre=("Для", "справок"),
                color=STAMP_VIOLET,
                angle=-12.0,
            ),
        )

    return render_pdf(draw, seed="medical", title="Форма 086/у", author=clinic)


WRITERS: Mapping[str, Callable[[App], bytes]] = {
    "constituent-documents": constituent_documents,
    "material-resources": material_resources,
    "employees-number": employees_number,
    "price-document": price_document,
    "exw-prices": exw_prices,
    "premises-document": premises_document,
    "qualification": qualification,
    "position-document": position_document,
    "medical-certificate": medical_certificate,
}
"""The PDF writer of each document type of the catalog."""
