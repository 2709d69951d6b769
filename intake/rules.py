"""The Rules as data: documents each applicant kind attaches, and every finding code.

The catalog encodes Order No. 377 of the Minister of Labor and Social Protection of Population of
the Republic of Kazakhstan of 28 August 2018 (`../shared/rules/rules-377.md`). A later act is
added as another `Profile`; codes are never renumbered or reused (a retired code stays, marked).

Areas and their code prefixes:

    FORM   the application's fields           paragraphs 4, 10, 12, 18, 30, 32
    FILE   files, names, page counts          paragraphs 7, 8, 15, 16
    SIG    EDS signatures                     paragraphs 7, 15, 27.2
    SCAN   legibility and alterations         paragraph 27.3
    DET    required details of documents      paragraph 27.5
    PRICE  external reference pricing         paragraphs 4.10, 7.5, 27.4
    ELIG   eligibility from state systems     paragraphs 5, 13, 27.1, 27.7
    TIME   review timeline                    paragraphs 21, 22, 26, 27, 28
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from intake.models import (
    Finding,
    Kind,
    OrganizationApplication,
    Outcome,
    Say,
    Severity,
    SpecialistApplication,
)

ACT = (
    "Order No. 377 of the Minister of Labor and Social Protection of Population of the Republic of "
    "Kazakhstan of 28 August 2018 (registered No. 17469), Rules for the formation of the unified "
    "register of organizations providing special social services and the registry of specialists"
)
PROFILE = "kz-377-2018"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rule(_Frozen):
    """A finding code: what it checks, the paragraph it enforces, and how serious a failure is."""

    code: str
    title: str
    basis: tuple[str, ...]
    severity: Severity
    checks: str
    fix: str
    retired: bool = False
    ground: str | None = None  # the ground of paragraph 27 a failure supports ("27.1".."27.7"), None if none
    ground_reason: str = ""  # one line: why this ground


class Condition(StrEnum):
    """When a document of paragraph 7 or 15 must be attached."""

    ALWAYS = "always"
    IF_ANY = "if_any"  # "(if any)": required when the application says the applicant has one
    SELLS_RTD_NOT_DOMESTIC = "sells_rtd_not_domestic"  # 7.5
    NON_STATE_OWNED = "non_state_owned"  # 7.6


class DocumentType(_Frozen):
    """A document of paragraph 7 or 15 with its names and the synonyms that identify it in a file name."""

    id: str
    kind: Kind
    basis: str
    order: int
    names: Mapping[str, str]  # ru, kk, en
    synonyms: tuple[str, ...]  # lower-case words and stems people write in file names
    subject_words: tuple[str, ...] = Field(
        default=(),
        description="Words naming what the document is about rather than the document itself (сотрудник: the "
        "employees); a file name is matched on them only when it names no document of the catalog "
        "(«Диплом_сотрудника» is a diploma).",
    )
    condition: Condition = Condition.ALWAYS
    details: tuple[str, ...] = ("issuer_name", "issuer_address", "signature", "date")
    details_if_any: tuple[str, ...] = ("number", "series", "validity")
    from_state_system: bool = False
    required_when: tuple[str, ...] = Field(
        default=(),
        description="Application fields that must all hold for the document to be required ('!' negates, '.' "
        "descends); none: always required. The data behind `condition`.",
    )


def _doc(**kwargs: Any) -> DocumentType:
    return DocumentType(**kwargs)


# 7 and 15. The synonyms are matched against normalised file names (lower case, ё→е).
DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    # ---- organization, paragraph 7
    _doc(
        id="constituent-documents",
        kind=Kind.ORGANIZATION,
        basis="7.1",
        order=1,
        names={"ru": "Учредительные документы", "kk": "Құрылтай құжаттары", "en": "Constituent documents"},
        synonyms=(
            "учредительн",
            "устав",
            "учредит",
            "жарғы",
            "жаргы",
            "құрылтай",
            "курылтай",
            "charter",
            "constituent",
            "articles of association",
            "свидетельство о регистрации",
            "справка о регистрации",
            "государственной регистрации",
            "гос регистрации",
            "госрегистрации",
            "ustav",
            "state registration",
            "registration certificate",
            "memorandum of association",
        ),
        condition=Condition.IF_ANY,
        required_when=("has_constituent_documents",),
        details=("issuer_name", "signature", "date"),
        details_if_any=("number", "issuer_address"),
    ),
    _doc(
        id="material-resources",
        kind=Kind.ORGANIZATION,
        basis="7.2",
        order=2,
        names={
            "ru": "Сведения о наличии материальных ресурсов",
            "kk": "Материалдық ресурстардың болуы туралы мәліметтер",
            "en": "Information on available material resources",
        },
        synonyms=(
            "материальн",
            "материалдық",
            "материалдык",
            "material",
            "ресурс",
            "resources",
            "оборудовани",
            "оснащени",
            "жабдық",
            "equipment",
            "materialn",
        ),
    ),
    _doc(
        id="employees-number",
        kind=Kind.ORGANIZATION,
        basis="7.3",
        order=3,
        names={
            "ru": "Документ о численности работников",
            "kk": "Қызметкерлер саны туралы құжат",
            "en": "Document on the number of employees",
        },
        synonyms=(
            "численност",
            "штатн",
            "number of employees",
            "headcount",
            "chislennost",
            "штат",
        ),
        subject_words=("работник", "сотрудник", "қызметкерлер", "кызметкерлер", "employees", "staff"),
        condition=Condition.IF_ANY,
        required_when=("employees_count",),
    ),
    _doc(
        id="price-document",
        kind=Kind.ORGANIZATION,
        basis="7.4",
        order=4,
        names={
            "ru": "Документ о фиксировании цен на специальные социальные услуги и (или) ТСР",
            "kk": "Арнаулы әлеуметтік қызметтерге және (немесе) ОТҚ бағаларды белгілеу туралы құжат",
            "en": "Document on fixing prices for special social services and (or) RTDs",
        },
        synonyms=(
            "прейскурант",
            "цен",
            "тариф",
            "баға",
            "бага",
            "price list",
            "prices",
            "pricing",
            "price",
            "прайс",
            "стоимост",
            "preiskurant",
            "prejskurant",
        ),
    ),
    _doc(
        id="exw-prices",
        kind=Kind.ORGANIZATION,
        basis="7.5",
        order=5,
        names={
            "ru": "Сведения о цене EXW производителя ТСР и в референтных странах",
            "kk": "ОТҚ өндірушісінің және референттік елдердегі EXW бағасы туралы мәліметтер",
            "en": "Information on the EXW price of the RTD's manufacturer and in reference countries",
        },
        synonyms=(
            "exw",
            "ex works",
            "референтн",
            "reference countr",
            "франко-завод",
            "франко завод",
            "exw цен",
            "цены exw",
            "цена exw",
            "exw баға",
            "exw price",
            "exw prices",
            "альтернативн",
            "alternative countr",
        ),
        condition=Condition.SELLS_RTD_NOT_DOMESTIC,
        required_when=("activity.sells_rtd", "!activity.domestic_producer"),
        details=("issuer_name", "signature", "date"),
        details_if_any=("number",),
    ),
    _doc(
        id="premises-document",
        kind=Kind.ORGANIZATION,
        basis="7.6",
        order=6,
        names={
            "ru": "Документ о праве собственности, договор аренды или доверительного управления помещением",
            "kk": "Үй-жайға меншік құқығын растайтын құжат, жалға алу немесе сенімгерлік басқару шарты",
            "en": "Ownership document, lease contract or trust management contract for the premises",
        },
        synonyms=(
            "аренд",
            "собственност",
            "доверительн",
            "помещени",
            "недвижим",
            "жалға",
            "жалга",
            "меншік",
            "меншик",
            "сенімгерлік",
            "lease",
            "ownership",
            "trust management",
            "premises",
            "rent",
            "субаренд",
            "arenda",
            "найм",
        ),
        condition=Condition.NON_STATE_OWNED,
        required_when=("!state_owned",),
        details=("issuer_name", "signature", "date"),
        details_if_any=("number", "validity", "issuer_address"),
    ),
    # ---- specialist, paragraph 15
    _doc(
        id="qualification",
        kind=Kind.SPECIALIST,
        basis="15.1",
        order=1,
        names={
            "ru": "Документ о квалификации (диплом, сертификат, аттестат)",
            "kk": "Біліктілік туралы құжат (диплом, сертификат, аттестат)",
            "en": "Qualification document (diploma, certificate, academic certificate)",
        },
        synonyms=(
            "диплом",
            "квалификац",
            "аттестат",
            "сертификат",
            "удостоверени",
            "біліктілік",
            "біліктілік",
            "билiктiлiк",
            "diploma",
            "diplom",
            "qualification",
            "qualification certificate",
            "training certificate",
            "professional certificate",
            "degree",
        ),
        details=("issuer_name", "signature", "date", "number"),
        details_if_any=("series", "issuer_address"),
    ),
    _doc(
        id="position-document",
        kind=Kind.SPECIALIST,
        basis="15.2",
        order=2,
        names={
            "ru": "Документ, подтверждающий должность в сфере оказания специальных социальных услуг",
            "kk": "Арнаулы әлеуметтік қызметтер саласындағы лауазымды растайтын құжат",
            "en": "Document confirming the position in special social services",
        },
        synonyms=(
            "должност",
            "приказ о назначении",
            "назначени",
            "трудов",
            "справка с места работы",
            "лауазым",
            "еңбек кітапшасы",
            "еңбек шарты",
            "тағайындау",
            "приказ о приеме",
            "position",
            "employment",
            "appointment",
        ),
        condition=Condition.IF_ANY,
        required_when=("has_position_document",),
    ),
    _doc(
        id="medical-certificate",
        kind=Kind.SPECIALIST,
        basis="15.3",
        order=3,
        names={
            "ru": "Медицинская справка формы № 086/у (075/у)",
            "kk": "№ 086/у (075/у) нысанды медициналық анықтама",
            "en": "Medical certificate form No. 086/u (075/u)",
        },
        synonyms=(
            "086",
            "075",
            "медицинск",
            "мед справка",
            "медсправка",
            "медициналық",
            "медициналык",
            "медициналық анықтама",
            "medical",
            "health certificate",
            "medspravka",
            "med spravka",
        ),
        details=("issuer_name", "signature", "date", "validity"),
        details_if_any=("number", "issuer_address"),
    ),
)

DOCUMENTS: Mapping[str, DocumentType] = {d.id: d for d in DOCUMENT_TYPES}

# Standard abbreviations that need no expansion in a document (27.3: "unexplained abbreviations").
STANDARD_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "ТОО",
        "АО",
        "ИП",
        "ГУ",
        "КГУ",
        "КГП",
        "РГП",
        "ГКП",
        "ОО",
        "ОФ",
        "ЧУ",
        "НАО",
        "ПК",
        "ЖШС",
        "АҚ",
        "ЖК",
        "ММ",
        "КММ",
        "КМК",
        "РМК",
        "ШЖҚ",
        "КеАҚ",
        "ИИН",
        "БИН",
        "ЖСН",
        "БСН",
        "РК",
        "ҚР",
        "РНН",
        "КБЕ",
        "КНП",
        # common in Russian business papers (issue 11, real documents 23 and 26)
        "ГПХ",  # (договор) гражданско-правового характера
        "ИТ",  # информационные технологии
        # state registers and forms on egov.kz and Russian certificates (issue 11, real documents)
        "ГБДЮЛ",
        "ГБД",
        "ЮЛ",
        "ЕГРЮЛ",
        "КНД",
        "ОКВЭД",
        "ОКПО",
        "УНД",
        "ЗРК",
        "физ.",
        "юр.",
        "БИК",
        "ИИК",
        "МП",
        "М.П.",
        "М.О.",
        "г.",
        "ул.",
        "д.",
        "кв.",
        "пр.",
        "обл.",
        "р-н",
        "мкр.",
        "пос.",
        "с.",
        "стр.",
        "корп.",
        "каб.",
        "тел.",
        "факс",
        "e-mail",
        "№",
        "т.е.",
        "т.д.",
        "т.п.",
        "др.",
        "руб.",
        "тенге",
        "тг.",
        "млн",
        "тыс.",
        "чел.",  # человек (real doc 28: «25 чел.» in a licence's contingent)
        "ФИО",
        "ТСР",
        "ОТҚ",
        "EXW",
        "НДС",
        "ҚҚС",
        "ЕАЭС",
        "ОЭСР",
        "ВКО",
        "СКО",
        "ЗКО",
        "LLP",
        "JSC",
        "Ltd",
        "Inc",
        "No.",
        "Tel.",
        "KZ",
        "KZT",
        "USD",
        "EUR",
        "RUB",
        "EDS",
        "ЭЦП",
        "ЭЦҚ",
        "ЦОН",
        "ХҚКО",
        "НУЦ",
        "ҰКО",
        "МЗ",
        "ДСМ",
        "ҚР ДСМ",
        "СНиП",
        "ГОСТ",
        "СТ РК",
        "ҚР СТ",
        "жыл",
        "ж.",
        "көш.",
        "үй",
        "обл",
        "ауд.",
        "г",
        "гг.",
        "см.",
        "мм",
        "кг",
        "шт.",
        "ед.",
        "п.",
        "пп.",
        # legal forms and registration numbers of neighbouring countries (price documents, 7.5)
        "ООО",
        "ОАО",
        "ЗАО",
        "ПАО",
        "ИНН",
        "КПП",
        "ОГРН",
        "РФ",
        "СНГ",
        "GmbH",
        "LLC",
        "AG",
        "ISO",
        "VAT",
        # ISO 3166-1 alpha-2 codes of the countries a reference price comes from (7.5, 4.10)
        *("RU", "BY", "KG", "UZ", "TJ", "TM", "AM", "AZ", "GE", "UA", "MD", "CN", "TR", "DE", "PL", "IT", "FR"),
        *("GB", "US", "KR", "JP", "IN", "CZ", "LT", "LV", "EE", "FI", "SE", "NL", "BE", "AT", "CH", "ES", "IL"),
    }
)


# --------------------------------------------------------------------------- finding codes


# --------------------------------------------------------------------------- attestation types


@dataclass(frozen=True)
class AttestationType:
    """A kind of attestation from a state information system, the finding code judging what it states,
    who needs it, and the application fields that must hold for it to be required (as `required_when`
    of a document type; none: always, for its kind)."""

    id: str
    code: str
    kind: Kind
    what: str
    basis: str
    required_when: tuple[str, ...] = ()


ATTESTATION_TYPES: Final = {
    t.id: t
    for t in (
        AttestationType("tax-debt", "ELIG001", Kind.ORGANIZATION, "no tax debts", "5.1"),
        AttestationType("bankruptcy", "ELIG002", Kind.ORGANIZATION, "not in bankruptcy or liquidation", "5.2"),
        AttestationType(
            "unreliable-supplier", "ELIG003", Kind.ORGANIZATION, "not in the register of unreliable suppliers", "27.7"
        ),
        # 7.6: only non-state-owned organizations document their premises
        AttestationType(
            "property-rights", "ELIG004", Kind.ORGANIZATION, "rights to the premises registered", "7", ("!state_owned",)
        ),
        AttestationType("accessibility", "ELIG005", Kind.ORGANIZATION, "the facility is accessible", "4.9"),
        AttestationType("identity", "ELIG006", Kind.SPECIALIST, "the identity document is valid", "15"),
        AttestationType("criminal-record", "ELIG007", Kind.SPECIALIST, "no criminal record", "13.2"),
        AttestationType(
            "narcology-psychiatry",
            "ELIG008",
            Kind.SPECIALIST,
            "not registered at narcological or psychiatric dispensaries",
            "13.3",
        ),
    )
}
"""Attestation types by id (the file name stem under `state/`)."""


GROUNDS_27: Mapping[str, str] = {
    "27.1": "non-compliance with the requirements for the supplier of paragraphs 5 and 13",
    "27.2": "incomplete and (or) inaccurate information and documents of paragraphs 7 and 15",
    "27.3": "documents printed indistinctly or illegibly, or with erasures, postscripts, crossed-out words, "
    "unexplained abbreviations or uncertified corrections",
    "27.4": "the price of an RTD above the average of five minimum EXW prices in reference countries",
    "27.5": "documents without all the required details",
    "27.6": "the supplier's activity incompatible with the Standards for special social services and sale of RTDs",
    "27.7": "the supplier is in the registry of unreliable suppliers of public procurement",
}
"""The seven grounds on which the Commission refuses inclusion (paragraph 27)."""

# code -> (ground of paragraph 27, why). Paragraph 27 lists the grounds the Commission refuses on; the
# paragraph a requirement comes from (`basis`) says what is required, the ground says which refusal it supports.
_GROUND: Mapping[str, tuple[str | None, str]] = {
    "FORM001": ("27.2", "without the application of Appendix 1 or 2 the information of 7/15 is not entered"),
    "FORM002": ("27.2", "an application that cannot be read is information not entered"),
    "FORM003": ("27.2", "a missing or malformed field is incomplete information"),
    "FORM004": ("27.2", "a misspelt field may hide incomplete information"),
    "FORM005": ("27.2", "an invalid BIN is inaccurate information"),
    "FORM006": ("27.2", "an invalid IIN is inaccurate information"),
    "FORM007": ("27.2", "an invalid e-mail is inaccurate information (and 28 cannot be served)"),
    "FORM008": ("27.2", "an invalid telephone is inaccurate information"),
    "FORM009": ("27.2", "an incomplete address is incomplete information"),
    "FORM010": ("27.2", "register fields of paragraph 4 left empty are incomplete information"),
    "FORM011": ("27.2", "registry fields of paragraph 12 left empty are incomplete information"),
    "FORM012": ("27.2", "the confirmations are part of the application form of Appendix 1 and 2"),
    "FORM013": ("27.2", "a date after submission is inaccurate information"),
    "FORM014": (None, "a removal request (32) is not decided under paragraph 27: no refusal ground applies"),
    "FORM015": ("27.2", "paragraph 31 decides changes under paragraphs 20-28: an incomplete change is 27.2"),
    "FILE001": ("27.2", "a required document of 7/15 not attached makes the package incomplete"),
    "FILE002": ("27.2", "a file that identifies no document of 7/15 leaves that document not submitted"),
    "FILE003": ("27.2", "paragraph 8/16 makes the page count part of how documents are submitted"),
    "FILE004": ("27.2", "a page count that differs from the file means pages are missing or inaccurate"),
    "FILE005": ("27.2", "a document split over files is not submitted as paragraph 8/16 requires"),
    "FILE006": ("27.2", "a duplicate may stand in for a document that is missing"),
    "FILE007": (None, "a file beyond the documents makes nothing incomplete; it is tidiness only"),
    "FILE008": ("27.3", "a file that does not open cannot be read at all"),
    "FILE009": ("27.2", "a document locked by a password is not available to the Commission"),
    "FILE010": ("27.2", "content that differs from its extension may not be the document named"),
    "FILE011": ("27.2", "a document in a type that cannot be examined is not submitted in electronic form"),
    "FILE012": (None, "system files are ignored; no ground"),
    "FILE013": ("27.2", "an unsafe archive entry is not unpacked, so its document is not submitted"),
    "FILE014": ("27.2", "an archive beyond the limits is not unpacked, so its documents are not submitted"),
    "FILE015": ("27.2", "documents inside a nested archive are not submitted one file per document"),
    "FILE016": ("27.2", "a name that is not text does not identify the document (8/16)"),
    "SIG001": ("27.2", "7/15 require the application certified with EDS: without it the application is incomplete"),
    "SIG002": ("27.2", "an invalid EDS does not certify the information and documents of 7/15"),
    "SIG003": ("27.2", "an EDS of someone else does not certify the applicant's application"),
    "SIG004": ("27.2", "an authentication key does not certify a document (7/15)"),
    "SIG005": ("27.3", "content changed after signing is a correction not certified by the signature"),
    "SIG006": ("27.2", "a signature that matches no file certifies nothing"),
    "SCAN001": ("27.3", "a page that cannot be read is printed indistinctly and illegibly"),
    "SCAN002": ("27.3", "doubtful legibility is the question of 27.3"),
    "SCAN003": ("27.3", "crossed-out words are named in 27.3"),
    "SCAN004": ("27.3", "erasures are named in 27.3"),
    "SCAN005": ("27.3", "postscripts are named in 27.3"),
    "SCAN006": ("27.3", "pasted glyphs are uncertified corrections (27.3)"),
    "SCAN007": ("27.3", "an edited PDF carries uncertified corrections (27.3)"),
    "SCAN008": ("27.3", "unexplained abbreviations are named in 27.3"),
    "SCAN009": ("27.3", "a page with no text that can be read is illegible"),
    "DET001": ("27.5", "the issuer's name is a required detail"),
    "DET002": ("27.5", "the issuer's address is a required detail"),
    "DET003": ("27.5", "the authorized person's signature is a required detail"),
    "DET004": ("27.5", "the date of issue is a required detail"),
    "DET005": ("27.5", "the number and series (if any) are required details"),
    "DET006": ("27.5", "the period of validity (if any) is a required detail"),
    "DET007": ("27.2", "the detail is there; an expired document is not accurate and current (paragraph 9)"),
    "DET008": ("27.2", "a date of issue in the future is inaccurate information"),
    "DET009": ("27.5", "a detail read with low confidence may be missing"),
    "DET010": ("27.5", "the issuer's address is a required detail"),
    "PRICE001": ("27.4", "the price above the reference average is ground 27.4 itself"),
    "PRICE002": ("27.2", "fewer than five prices is incomplete information of 7.5"),
    "PRICE003": ("27.2", "a price without a source is incomplete information of 7.5"),
    "PRICE004": ("27.4", "without a rate the comparison of 27.4 cannot be made"),
    "PRICE005": ("27.2", "a price filed under a country that is no reference country is inaccurate (7.5)"),
    "PRICE006": ("27.2", "the manufacturer's EXW price is information required by 7.5"),
    "ELIG001": ("27.1", "no tax debts is requirement 5.1"),
    "ELIG002": ("27.1", "no bankruptcy or liquidation is requirement 5.2"),
    "ELIG003": ("27.7", "the registry of unreliable suppliers is ground 27.7 itself"),
    "ELIG004": ("27.2", "registered rights to the premises back the document of 7.6"),
    "ELIG005": ("27.6", "access for persons with limited mobility is required by the Standards of services"),
    "ELIG006": ("27.2", "the identity of the specialist is information received under paragraph 15"),
    "ELIG007": ("27.1", "no criminal record is requirement 13.2"),
    "ELIG008": ("27.1", "no registration at dispensaries is requirement 13.3"),
    "ELIG009": ("27.2", "an attestation that is not authentic or current leaves the information of 7/15 unproven"),
    "ELIG010": ("27.1", "a qualification for the subject matter is requirement 13.1"),
    "SIG007": ("27.2", "an egov printout whose signed data differs from the page is inaccurate (7, 15)"),
    "TIME001": (None, "the timeline is information for the reviewers; no ground"),
}


def _rule(code: str, title: str, basis: str | tuple[str, ...], severity: Severity, checks: str, fix: str) -> Rule:
    ground, reason = _GROUND[code]  # a KeyError at import: every code names its ground (or why none)
    return Rule(
        code=code,
        title=title,
        basis=(basis,) if isinstance(basis, str) else basis,
        severity=severity,
        checks=checks,
        fix=fix,
        ground=ground,
        ground_reason=reason,
    )


B, R, I = Severity.BLOCKING, Severity.REVIEW, Severity.INFO

RULES_LIST: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ FORM: the application
    _rule(
        "FORM001",
        "Application present",
        ("7", "15", "32"),
        B,
        "The dossier holds `application.json`, the application of Appendix 1, 2 or 3 or a change request.",
        "Add the application as `application.json` at the top of the dossier.",
    ),
    _rule(
        "FORM002",
        "Application is readable JSON",
        ("10", "18"),
        B,
        "`application.json` is UTF-8 JSON with one object at the top.",
        "Export the application again from the form; do not edit it by hand.",
    ),
    _rule(
        "FORM003",
        "Application fields filled in",
        ("10", "18", "30"),
        B,
        "Every mandatory field of the application is present and of the right type (docs/application.schema.json).",
        "Fill in the field the finding names, in the form the schema gives.",
    ),
    _rule(
        "FORM004",
        "No unknown fields in the application",
        ("10", "18"),
        R,
        "The application holds only fields the schema knows; an unknown name is often a misspelt field.",
        "Remove the field or correct its name.",
    ),
    _rule(
        "FORM005",
        "BIN valid",
        ("4", "10"),
        B,
        "The organization's BIN has 12 digits, a valid registration month, type digit and check digit.",
        "Give the BIN exactly as in the state registration certificate.",
    ),
    _rule(
        "FORM006",
        "IIN valid",
        ("12", "18"),
        B,
        "The IIN has 12 digits, a real birth date, a century/sex digit 1-6 and a valid check digit.",
        "Give the IIN exactly as in the identity document.",
    ),
    _rule(
        "FORM007",
        "E-mail address valid",
        ("4", "12", "28"),
        B,
        "The e-mail address is syntactically valid; the decision is sent there (paragraph 28).",
        "Give a working e-mail address.",
    ),
    _rule(
        "FORM008",
        "Telephone numbers valid",
        ("4", "12"),
        B,
        "Each telephone (and the fax, if given) is a valid Kazakh number, stored in E.164 form.",
        "Give telephone numbers as +7 7xx xxx xx xx.",
    ),
    _rule(
        "FORM009",
        "Address complete",
        ("4", "12"),
        B,
        "Each address names a current region or a city of republican significance, the locality, "
        "street and house; the postal code is 6 digits or the 7-character Kazpost form.",
        "Complete the address: region, city/district, locality, street, house, postal code.",
    ),
    _rule(
        "FORM010",
        "Register fields of paragraph 4",
        ("4", "10"),
        B,
        "An organization lists its services with prices, its RTDs with technical features and cost, "
        "accessibility, places and specialists, as paragraph 4 requires for what it does.",
        "Fill in the register fields the finding names.",
    ),
    _rule(
        "FORM011",
        "Registry fields of paragraph 12",
        ("12", "18"),
        B,
        "A specialist gives position, education, qualification and work experience.",
        "Fill in the registry fields the finding names.",
    ),
    _rule(
        "FORM012",
        "Confirmations given",
        ("7", "15"),
        B,
        "The applicant confirms official contacts, true documents and consent to personal data processing.",
        "Tick the confirmations of the application form.",
    ),
    _rule(
        "FORM013",
        "Filled-out date plausible",
        ("10", "18"),
        B,
        "The 'filled out on' date is not after the validation moment, nor after the submission moment.",
        "Correct the 'filled out on' date.",
    ),
    _rule(
        "FORM014",
        "Removal request complete",
        ("32",),
        B,
        "A removal request (Appendix 3) names the supplier, its BIN or IIN, address, contacts and head.",
        "Complete the removal request.",
    ),
    _rule(
        "FORM015",
        "Change request complete",
        ("30",),
        B,
        "A change request names the register entry and the changed fields, and carries the updated record.",
        "Give the registration number and list the changed fields.",
    ),
    # ------------------------------------------------------------------ FILE: files, names, pages
    _rule(
        "FILE001",
        "Required document attached",
        ("7", "15"),
        B,
        "Each document that paragraph 7 (organization) or 15 (specialist) requires, under the applicant's "
        "conditions, is attached.",
        "Attach the missing document as its own file.",
    ),
    _rule(
        "FILE002",
        "File name identifies the document",
        ("8", "16"),
        B,
        "Each file name identifies one document of paragraph 7 or 15.",
        "Rename the file after the document, e.g. `02_material-resources_3p.pdf`.",
    ),
    _rule(
        "FILE003",
        "File name gives the page count",
        ("8", "16"),
        B,
        "Each file name states the number of pages of the document.",
        "Add the page count to the name, e.g. `_3p` or `3 стр.`.",
    ),
    _rule(
        "FILE004",
        "Page count in the name is true",
        ("8", "16"),
        B,
        "The page count in the file name equals the pages of the file.",
        "Correct the page count in the name, or attach the complete document.",
    ),
    _rule(
        "FILE005",
        "One file per document",
        ("8", "16"),
        B,
        "No document is split over several files.",
        "Join the parts into one file.",
    ),
    _rule(
        "FILE006",
        "No duplicate files",
        ("8", "16"),
        R,
        "No two files have the same content.",
        "Remove the duplicate.",
    ),
    _rule(
        "FILE007",
        "No files beyond the documents",
        ("8", "16"),
        R,
        "Every file is a document of paragraph 7 or 15 that this applicant attaches (not another kind's, not "
        "one whose condition does not apply), a signature, an attestation or the application.",
        "Remove files that are not required documents.",
    ),
    _rule(
        "FILE008",
        "File readable",
        ("8", "16", "27.3"),
        B,
        "Each file opens as what it claims to be (PDF, JPEG, PNG, TIFF) and is not corrupt or truncated.",
        "Attach the file again; check that it opens.",
    ),
    _rule(
        "FILE009",
        "File not encrypted",
        ("8", "16"),
        B,
        "No PDF or archive entry is password-protected: a PDF that opens only with a password fails; one "
        "encrypted with an owner password only (opens, but printing or copying may be restricted) is for review.",
        "Attach the document without a password.",
    ),
    _rule(
        "FILE010",
        "Content matches the extension",
        ("8", "16"),
        R,
        "The file's content is of the type its extension says.",
        "Save the file in the format its extension names.",
    ),
    _rule(
        "FILE011",
        "Supported file type",
        ("8", "16"),
        B,
        "Documents are PDF, JPEG, PNG or TIFF files.",
        "Convert the document to PDF.",
    ),
    _rule(
        "FILE012",
        "System files ignored",
        ("8", "16"),
        I,
        "Hidden and system files (`__MACOSX/`, `Thumbs.db`, `desktop.ini`, `.DS_Store`, `~$` Office lock "
        "files) are ignored.",
        "Nothing to do; they are not documents.",
    ),
    _rule(
        "FILE013",
        "Archive entry safe",
        ("8", "16"),
        B,
        "No archive entry has an absolute path, a drive letter, `..`, a link or a device, and no folder "
        "dossier holds a link or a special file; such entries are never written, such links never followed.",
        "Pack the dossier again with plain relative file names.",
    ),
    _rule(
        "FILE014",
        "Archive within limits",
        ("8", "16"),
        B,
        "The archive stays within the limits on unpacked size (in all and per entry), file count and "
        "compression ratio (per entry and overall), counted on the bytes actually unpacked.",
        "Send the documents without nesting or padding; split very large scans.",
    ),
    _rule(
        "FILE015",
        "No nested archives",
        ("8", "16"),
        R,
        "An archive inside the dossier is reported, not unpacked.",
        "Attach the documents themselves, one file per document.",
    ),
    _rule(
        "FILE016",
        "File name is valid text",
        ("8", "16"),
        R,
        "Each file name is valid text (UTF-8); a name of raw bytes in another encoding (e.g. CP1251 copied "
        "onto Linux) is shown with `\\x` escapes and read as its most likely encoding to identify the document.",
        "Rename the file with a name typed in Unicode (UTF-8).",
    ),
    # ------------------------------------------------------------------ SIG: EDS signatures
    _rule(
        "SIG001",
        "Application certified with EDS",
        ("7", "15", "32"),
        B,
        "The application carries an EDS signature (a detached `application.json.cms`, `.p7s` or `.sig`).",
        "Sign the application with the applicant's EDS (NCALayer) and attach the signature file.",
    ),
    _rule(
        "SIG002",
        "Signature valid",
        ("7", "15", "32", "27.2"),
        B,
        "Each signature is intact (digest matches), valid (signature value verifies), made with a trusted "
        "certificate that was valid and not revoked at the signing moment, with acceptable algorithms.",
        "Sign the unaltered document again with a valid EDS.",
    ),
    _rule(
        "SIG003",
        "Signer is the applicant",
        ("7", "15", "32"),
        B,
        "The application is signed by the applicant: the organization's BIN (head or signing right) or "
        "the specialist's IIN.",
        "Sign with the EDS of the applicant's head, an employee with signing right, or the specialist.",
    ),
    _rule(
        "SIG004",
        "Signing key, not authentication key",
        ("7", "15", "32"),
        B,
        "The signature is made with a signing key (nonRepudiation), not an authentication key or an "
        "information-system certificate.",
        "Sign with the signing (RSA/GOST 'SIGN') key of the EDS.",
    ),
    _rule(
        "SIG005",
        "PDF unchanged after signing",
        ("27.2", "27.3"),
        B,
        "Each PDF signature covers the document, and later revisions change no content: only timestamps, "
        "validation data (DSS), form filling or annotations may follow a signature; hidden or replaced "
        "content (shadow attacks), pages added after signing and byte ranges that leave gaps fail.",
        "Sign the final version of the document.",
    ),
    _rule(
        "SIG006",
        "Signature file matches a document",
        ("8", "16"),
        R,
        "Each signature file sits beside the file it signs (`<file>.cms`).",
        "Name the signature after the signed file.",
    ),
    _rule(
        "SIG007",
        "egov printout agrees with its signed barcode",
        ("7", "15", "27.2", "27.5"),
        B,
        "An egov.kz e-certificate printed with the QR codes of its signed XML: the codes are reassembled and "
        "the state body's signature verified (SIG002); then the unique number, BIN/IIN, names, dates and "
        "issuing body of the signed XML must all appear on the printed page. A value the page does not show "
        "is a forged or altered printout (27.2); when all match, those details are verified facts (27.5). "
        "Codes only partly readable leave it undecided.",
        "Attach the printout exactly as egov.kz issued it (or its PDF), at 300 dpi when scanned.",
    ),
    # ------------------------------------------------------------------ SCAN: 27.3
    _rule(
        "SCAN001",
        "Page legible",
        ("27.3",),
        B,
        "Each page's text can be read: word confidence, text height, sharpness and contrast.",
        "Scan the page again at 300 dpi, in focus, with enough contrast.",
    ),
    _rule(
        "SCAN002",
        "Page legibility doubtful",
        ("27.3",),
        R,
        "Pages in the grey zone of legibility go to a person, with the measures.",
        "A reviewer confirms the page can be read; otherwise scan it again.",
    ),
    _rule(
        "SCAN003",
        "No crossed-out words",
        ("27.3",),
        R,
        "No word is struck through (ruling lines and underlines excluded).",
        "Attach a clean copy, or certify the correction with signature and seal.",
    ),
    _rule(
        "SCAN004",
        "No erasures or correction fluid",
        ("27.3",),
        R,
        "No whiter, flatter patch lies inside a text line.",
        "Attach a clean copy, or certify the correction with signature and seal.",
    ),
    _rule(
        "SCAN005",
        "No postscripts",
        ("27.3",),
        R,
        "No handwritten or coloured addition in the body of a typed document, away from the signature zone.",
        "Attach a clean copy, or certify the addition with signature and seal.",
    ),
    _rule(
        "SCAN006",
        "No pasted glyphs",
        ("27.3",),
        R,
        "No two glyphs of a scan are pixel-identical (a sign of pasted digits).",
        "Attach an unaltered scan.",
    ),
    _rule(
        "SCAN007",
        "No signs of PDF editing",
        ("27.3",),
        R,
        "No incremental update changes page content, no visible text is drawn over a scan, "
        "and the producer is no editing tool.",
        "Attach the document as issued, without editing.",
    ),
    _rule(
        "SCAN008",
        "No unexplained abbreviations",
        ("27.3",),
        R,
        "Abbreviations are standard or expanded in the same document.",
        "Spell out the abbreviation at its first use.",
    ),
    _rule(
        "SCAN009",
        "Page text read",
        ("27.3",),
        B,
        "Every page has text: a sound text layer or OCR. Without an OCR engine, scans cannot be judged.",
        "Attach a readable scan; the operator installs Tesseract (rus, kaz, eng).",
    ),
    # ------------------------------------------------------------------ DET: 27.5
    _rule(
        "DET001",
        "Issuer named",
        ("27.5",),
        B,
        "The document names the organization that issued it.",
        "Attach the document with its issuer's letterhead or stamp.",
    ),
    _rule(
        "DET002",
        "Issuer address given",
        ("27.5",),
        B,
        "The document gives the issuer's address (for electronic documents of state bodies: review only).",
        "Attach a document that carries the issuer's address.",
    ),
    _rule(
        "DET003",
        "Authorized signature",
        ("27.5",),
        B,
        "The document carries the authorized person's signature: an EDS, or a signature line with a mark and a seal.",
        "Attach the signed and sealed document.",
    ),
    _rule(
        "DET004",
        "Date of issue",
        ("27.5",),
        B,
        "The document gives its date of issue.",
        "Attach a document that carries its date.",
    ),
    _rule(
        "DET005",
        "Number and series",
        ("27.5",),
        B,
        "The document gives its number and series, where its type carries them.",
        "Attach a document that carries its number.",
    ),
    _rule(
        "DET006",
        "Period of validity",
        ("27.5",),
        B,
        "The document gives its period of validity, where its type carries one.",
        "Attach a document that states its validity.",
    ),
    _rule(
        "DET007",
        "Document not expired",
        ("27.5", "27.2"),
        B,
        "The document's validity has not ended before the validation moment.",
        "Attach a current document.",
    ),
    _rule(
        "DET008",
        "Date of issue plausible",
        ("27.5",),
        R,
        "The date of issue is not in the future and not after the application was filled out.",
        "Check the date of issue.",
    ),
    _rule(
        "DET009",
        "Details read with confidence",
        ("27.5",),
        R,
        "Details found only with low OCR confidence are confirmed by a person.",
        "A reviewer confirms the detail on the page.",
    ),
    _rule(
        "DET010",
        "Issuer address of a state e-document",
        ("27.5",),
        R,
        "An electronic document of a state body that prints no issuer address goes to a person: such "
        "documents name the issuing body and carry its EDS, but rarely an address.",
        "A reviewer confirms the issuing body from the EDS or the unique number.",
    ),
    # ------------------------------------------------------------------ PRICE: 27.4
    _rule(
        "PRICE001",
        "RTD price within the reference average",
        ("27.4",),
        B,
        "The declared price of each RTD does not exceed the average of the five minimum EXW prices in "
        "reference countries (OECD and EAEU members; one price per country, its lowest; with fewer than five "
        "reference countries the alternative countries join); a price equal to the average passes; a domestic "
        "producer is exempt.",
        "Lower the price to the reference average or justify it with other sources.",
    ),
    _rule(
        "PRICE002",
        "Enough reference prices",
        ("4.10", "7.5"),
        B,
        "Five EXW prices in reference countries, or, where there are none, at least five alternative countries.",
        "Add EXW prices for five reference countries (or five alternative countries).",
    ),
    _rule(
        "PRICE003",
        "Every price has a source",
        ("4.10", "7.5"),
        B,
        "Each EXW price names its source of information.",
        "Name the source (catalogue, price list, web page with date) of each price.",
    ),
    _rule(
        "PRICE004",
        "Currency converted",
        ("4.10",),
        B,
        "Prices in other currencies are converted with a declared rate and date (the application's "
        "`exchange_rates`, or `--rates FILE`); a price without a rate is undecided and sends the dossier to review.",
        "Declare the exchange rates and their date in the application (or pass `--rates`).",
    ),
    _rule(
        "PRICE005",
        "Reference country valid",
        ("2.4", "4.10"),
        B,
        "Prices given as reference-country prices are from OECD or EAEU members.",
        "Move the price to the alternative countries, or give a reference country's price.",
    ),
    _rule(
        "PRICE006",
        "Manufacturer's EXW price given",
        ("4.10", "7.5"),
        B,
        "Each RTD gives the EXW price of its manufacturer (except a domestic producer).",
        "Give the manufacturer's EXW price and its source.",
    ),
    # ------------------------------------------------------------------ ELIG: 5, 13, 27.1, 27.7
    _rule(
        "ELIG001",
        "No tax debts",
        ("5.1", "27.1"),
        B,
        "A state-system attestation says the organization has no tax debts.",
        "Settle the tax debt; the attestation is received from the state revenue system.",
    ),
    _rule(
        "ELIG002",
        "Not in bankruptcy or liquidation",
        ("5.2", "27.1"),
        B,
        "A state-system attestation says the organization is not in bankruptcy or liquidation.",
        "An organization in bankruptcy or liquidation cannot be included.",
    ),
    _rule(
        "ELIG003",
        "Not an unreliable supplier",
        ("27.7",),
        B,
        "The organization is not in the register of unreliable suppliers of public procurement.",
        "An organization in that register cannot be included.",
    ),
    _rule(
        "ELIG004",
        "Property rights registered",
        ("7",),
        B,
        "State registration of rights to immovable property is received from the state system.",
        "Register the right to the premises.",
    ),
    _rule(
        "ELIG005",
        "Facility accessible",
        ("4.9", "7"),
        B,
        "The state system confirms easy access to the facility for persons with limited mobility.",
        "Equip the facility for access by persons with limited mobility.",
    ),
    _rule(
        "ELIG006",
        "Identity confirmed",
        ("15",),
        B,
        "The state system confirms the specialist's identity document.",
        "Update the identity document.",
    ),
    _rule(
        "ELIG007",
        "No criminal record",
        ("13.2", "27.1"),
        B,
        "The state system confirms the specialist has no criminal record.",
        "A specialist with a criminal record cannot be included.",
    ),
    _rule(
        "ELIG008",
        "Not registered at narcological or psychiatric dispensaries",
        ("13.3", "27.1"),
        B,
        "The state system confirms the specialist is not registered at narcological or psychiatric dispensaries.",
        "A registered specialist cannot be included.",
    ),
    _rule(
        "ELIG009",
        "State attestation authentic and current",
        ("7", "15"),
        B,
        "Each attestation is signed by a state-system certificate from the trust store, is about the "
        "applicant's BIN/IIN and is fresh enough.",
        "The attestation is received again from the state system.",
    ),
    _rule(
        "ELIG010",
        "Qualification fits the services",
        ("13.1", "27.6"),
        R,
        "The specialist's qualification fits the services applied for.",
        "A reviewer compares the qualification with the Standards.",
    ),
    # ------------------------------------------------------------------ TIME
    _rule(
        "TIME001",
        "Review timeline",
        ("21", "22", "26", "27", "28"),
        I,
        "The due dates of paragraphs 21, 22, 26, 27 and 28 in working days of Kazakhstan (Asia/Almaty).",
        "Nothing to do; the dates are for the reviewers.",
    ),
)

RULES: Mapping[str, Rule] = {r.code: r for r in RULES_LIST}


class UnknownRule(KeyError):
    """A code that is not in the catalog: a programming error, never the applicant's."""


def rule(code: str) -> Rule:
    """The catalog entry of a code."""
    try:
        return RULES[code]
    except KeyError as exc:
        raise UnknownRule(code) from exc


def finding(
    code: str,
    outcome: Outcome,
    message: Say | str,
    *,
    document: str | None = None,
    page: int | None = None,
    evidence: Mapping[str, Any] | None = None,
    basis: str | None = None,
) -> Finding:
    """Build a finding whose severity, title and paragraph come from the catalog.

    Args:
        code: A catalog code.
        outcome: passed, failed or indeterminate.
        message: What was expected and what was found: a `Say` (`say(...)`, `say_n(...)`), so the report
            can say it in Russian and Kazakh; a plain string stays English (the catalog test refuses one).
        document: The dossier file the finding is about.
        page: The page (1-based) if the finding is about one page.
        evidence: What was seen: values, boxes, digests.
        basis: One of the rule's paragraphs, where the rule cites several (e.g. 7 or 15).
    """
    r = rule(code)
    if basis is not None and basis not in r.basis:
        raise ValueError(f"{code} does not enforce paragraph {basis}; it cites {', '.join(r.basis)}")
    return Finding(
        code=code,
        outcome=outcome,
        severity=r.severity,
        rule=basis or r.basis[0],
        ground=r.ground,
        title=r.title,
        document=document,
        page=page,
        message=str(message),
        evidence=dict(evidence or {}),
        template=message if isinstance(message, Say) else None,
    )


def documents_for(kind: Kind | None) -> tuple[DocumentType, ...]:
    """The document types of paragraph 7 (organization) or 15 (specialist), in order."""
    if kind is None:
        return ()
    return tuple(sorted((d for d in DOCUMENT_TYPES if d.kind is kind), key=lambda d: d.order))


def holds(application: object, conditions: tuple[str, ...]) -> bool:
    """Whether every condition holds of the application: a field path (`activity.sells_rtd`) is truthy,
    or with a leading `!` falsy. A field the application does not have does not hold."""
    for condition in conditions:
        negate = condition.startswith("!")
        value: object = application
        for part in condition.lstrip("!").split("."):
            if not hasattr(value, part):
                return False
            value = getattr(value, part)
        if bool(value) is negate:
            return False
    return True


def is_required(doc: DocumentType, application: OrganizationApplication | SpecialistApplication | None) -> bool | None:
    """Whether this document must be attached, given the application; None when it cannot be decided.
    Driven by the catalog's data (`DocumentType.required_when`), never by document ids."""
    if not doc.required_when:
        return True
    if application is None:
        return None
    return holds(application, doc.required_when)


def required_details(document_type: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The details a document type must carry (27.5), and those it carries only 'if any'."""
    if document_type is None or document_type not in DOCUMENTS:
        return ("issuer_name", "signature", "date"), ("issuer_address", "number", "series", "validity")
    d = DOCUMENTS[document_type]
    return d.details, d.details_if_any
