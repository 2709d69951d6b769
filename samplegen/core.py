"""Base sample dossiers and the variation API every area uses for its failing samples.

A sample is a folder `samples/<name>/` that `intake check samples/<name> <args>` screens, with an
`expected.json` (`verdict`, `codes`, `args`, `description`, optionally `passes`). Each area lists
its samples in `samplegen/variants_<area>.py` as `SAMPLES: tuple[Sample, ...]`; `python -m
samplegen` discovers those modules, wipes each `samples/<name>/` it writes (never another
folder) and rewrites it. Same bytes every run: fixed keys and times, reportlab invariant mode,
deterministic signatures.

Zip dossiers: a sample is always a folder, because the contract runs `intake check samples/<name>`
on it; the zip path is tested in `tests/test_samples.py` by zipping a sample folder on the fly.

The two base builders:

    build_organization(dest, **variations)   # Appendix 1 + paragraph 7 documents + state/
    build_specialist(dest, **variations)     # Appendix 2 + paragraph 15 documents + state/

What the complete dossiers hold (organization; the specialist is alike):

    application.json              valid against intake.models.OrganizationApplication
    application.json.cms          detached CMS (RSA-SHA256, signingTime, ESS) by the head's SIGN key
    01_constituent-documents_2p.pdf
    02_material-resources_1p.pdf
    03_employees-number_1p.jpg    a 300-dpi scan (the OCR path)
    04_price-document_1p.pdf      signed inside the PDF (ETSI.CAdES.detached) by the head
    05_exw-prices_1p.pdf          + .cms (detached, signed by the head)
    06_premises-document_2p.pdf   + .cms (detached, signed by the head)
    state/<type>.json + .cms      attestations signed by the state information-system certificate

Variations (keyword arguments; every one optional, all combinable):

    application: Callable[[dict], None]
        Mutates the application dict before it is written and signed (change a field, break the
        BIN, drop `services`, set prices). Documents are drawn from the mutated dict, so a price
        change shows in the price list too; use `after` to make documents and application disagree.
    application_bytes: Callable[[bytes], bytes]
        Rewrites the serialized application.json before signing (bad JSON, BOM, ...).
    drop: Iterable[str]
        Document ids (catalog ids) not to attach at all.
    rename: Mapping[str, str]
        Document id -> file name to use instead of the canonical name (sidecars follow).
    scan: Mapping[str, str]
        Document id -> "jpeg" | "pdf" | "none": a 300-dpi scanned JPEG, an image-only PDF, or a
        text-layer PDF (to undo the default scan of the base dossier).
    writers: Mapping[str, Callable[[dict], bytes]]
        Document id -> function(application) returning the document's PDF bytes (replace a
        document by another drawing: no date, no seal, expired validity, ...).
    extra_files: Mapping[str, bytes]
        Dossier path -> bytes written as they are (extra files, junk, nested archives).
    signer: str | GostSigner | None
        Who signs application.json: a party name of `samplegen.pki.SamplePki` (`head`,
        `head_auth`, `signright`, `specialist`, `stranger`, `specialist_stranger`, `revoked`,
        `expired`, `untrusted`, `state`) or a GOST key; None: the application is not signed.
    signature_form: "der" | "base64" | "pem" | "attached"
        The form of `application.json.cms`: DER, one-line base64 or PEM text (NCALayer often saves
        base64), or an attached CMS that holds the application too (still beside application.json).
    detached: Mapping[str, str | None]
        Document id -> signer of a detached `<file>.cms` (None: no sidecar). Merged over the default.
    pdf_signed: Mapping[str, str | None]
        Document id -> signer of a PDF signature inside the file (None: unsigned). Merged over the default.
    attached: Mapping[str, str]
        Document id -> signer: the document is delivered only inside an attached (enveloping) CMS,
        `<canonical name>.p7m` (DER), instead of the plain file and any sidecar.
    attestations: Mapping[str, Mapping[str, Any] | None]
        Attestation type -> fields merged into the default attestation (e.g. `{"status": "adverse",
        "statement": ...}`), or None to leave it out. `ADVERSE[type]` holds a ready adverse statement.
    attestation_signer: str
        Who signs the attestations (default `state`).
    signing_time: datetime
        signingTime of every signature (default 2026-11-18T10:00:00+05:00).
    after: Callable[[Path], None]
        Runs last, over the written folder: tamper bytes after signing, swap files, etc.
        `tamper(path)` flips one byte in the middle of a file.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from intake.files import canonical_name
from intake.rules import DOCUMENTS
from samplegen import pki
from samplegen.cms import GostSigner, signed_data, to_base64
from samplegen.documents import WRITERS
from samplegen.pdfsign import sign_pdf
from samplegen.render import page_count, scan_jpeg, scan_pdf

Verdict = Literal["pass", "fail", "review"]

SIGNING_TIME = datetime(2026, 11, 18, 10, 0, tzinfo=pki.ALMATY)
ATTESTED_AT = datetime(2026, 11, 19, 9, 30, tzinfo=pki.ALMATY)


@dataclass(frozen=True)
class Sample:
    """One sample dossier: how to build it and what `intake check` must say about it.

    Attributes:
        name: The folder name under `samples/`.
        build: Writes the dossier into the (empty) folder it is given.
        verdict: pass | fail | review.
        codes: Finding codes that must come out failed or indeterminate.
        args: Extra `intake check` arguments, paths relative to the project root.
        description: One or two sentences: what is wrong and why the codes follow.
        passes: Codes that must come out passed (and never failed or indeterminate), e.g. SIG002
            for a dossier whose only defect lies elsewhere.
    """

    name: str
    build: Callable[[Path], None]
    verdict: Verdict
    codes: tuple[str, ...] = ()
    args: tuple[str, ...] = field(default_factory=lambda: tuple(pki.trust_args()))
    description: str = ""
    passes: tuple[str, ...] = ()

    def expected(self) -> dict[str, Any]:
        """The content of `expected.json`."""
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "codes": list(self.codes),
            "args": list(self.args),
            "description": self.description,
        }
        if self.passes:
            out["passes"] = list(self.passes)
        return out


# --------------------------------------------------------------------------- applications


def organization_application() -> dict[str, Any]:
    """Appendix 1: an LLP that provides services and sells RTDs (not a domestic producer, not state-owned).

    Each RTD's declared cost is below the average of its five reference-country EXW prices (27.4).
    """
    return {
        "kind": "organization",
        "full_name": "Товарищество с ограниченной ответственностью «Центр социальной реабилитации «Мейірім-Тест»»",
        "short_name": "ТОО «ЦСР «Мейірім-Тест»»",
        "bin": pki.ORG_BIN,
        "legal_form": "ТОО",
        "state_owned": False,
        "has_constituent_documents": True,
        "head": {"last_name": "Ахметов", "first_name": "Ерлан", "patronymic": "Серикович"},
        "legal_address": {
            "region": "г. Алматы",
            "city": "Алматы",
            "district": "Бостандыкский район",
            "street": "ул. Тимирязева",
            "house": "42",
            "postal_code": "050040",
        },
        "facility_addresses": [
            {
                "region": "г. Алматы",
                "city": "Алматы",
                "district": "Ауэзовский район",
                "street": "мкр. Жетысу-2",
                "house": "17",
                "postal_code": "050063",
            }
        ],
        "contacts": {"email": "info@meyirim-test.kz", "phones": ["+7 727 250 14 38", "+7 701 555 12 34"]},
        "activity": {"provides_services": True, "sells_rtd": True, "domestic_producer": False},
        "services": [
            {
                "name": "Социально-бытовые услуги в условиях полустационара",
                "standard": "Стандарт оказания специальных социальных услуг в условиях полустационара",
                "price_kzt": "4500",
                "unit": "день",
            },
            {
                "name": "Социально-медицинские услуги (лечебная физкультура, массаж)",
                "standard": "Стандарт оказания специальных социальных услуг в условиях полустационара",
                "price_kzt": "3800",
                "unit": "сеанс",
            },
            {
                "name": "Социально-психологические услуги (консультация психолога)",
                "standard": "Стандарт оказания специальных социальных услуг в условиях полустационара",
                "price_kzt": "6000",
                "unit": "час",
            },
            {
                "name": "Социально-бытовые услуги на дому (уход за лицом с инвалидностью)",
                "standard": "Стандарт оказания специальных социальных услуг на дому",
                "price_kzt": "5200",
                "unit": "посещение",
            },
        ],
        "rtds": [
            {
                "name": "Кресло-коляска с ручным приводом комнатная, складная",
                "type": "Кресло-коляска",
                "technical_features": (
                    "Рама из алюминиевого сплава, ширина сиденья 45 см, грузоподъёмность 120 кг, масса 15,5 кг, "
                    "задние колёса 24 дюйма с пневматическими шинами, съёмные подлокотники и подножки"
                ),
                "standard": "СТ РК ISO 7176-1",
                "cost_kzt": "185000",
                "manufacturer": "Rehamobil Test Sp. z o.o. (Польша)",
                "exw_price": {
                    "country": "PL",
                    "amount": "158000",
                    "currency": "KZT",
                    "source": "Прайс-лист производителя Rehamobil Test № 2026/10 от 01.10.2026",
                    "manufacturer": "Rehamobil Test Sp. z o.o.",
                },
                "reference_prices": [
                    {
                        "country": "RU",
                        "amount": "191500",
                        "currency": "KZT",
                        "source": "Каталог ООО «Реабилитация-Тест», Москва, цены EXW на 15.10.2026",
                    },
                    {
                        "country": "BY",
                        "amount": "188900",
                        "currency": "KZT",
                        "source": "Прайс-лист ОАО «Медтехника-Тест», Минск, от 12.10.2026",
                    },
                    {
                        "country": "DE",
                        "amount": "214300",
                        "currency": "KZT",
                        "source": "Preisliste Reha-Test GmbH, Stand 01.10.2026",
                    },
                    {
                        "country": "PL",
                        "amount": "196700",
                        "currency": "KZT",
                        "source": "Cennik Ortomed-Test, 05.10.2026",
                    },
                    {
                        "country": "TR",
                        "amount": "201200",
                        "currency": "KZT",
                        "source": "Fiyat listesi Medikal-Test A.Ş., 08.10.2026",
                    },
                ],
            },
            {
                "name": "Трость опорная с устройством противоскольжения, регулируемая по высоте",
                "type": "Трость опорная",
                "technical_features": (
                    "Алюминиевая труба, регулировка высоты 75-97 см с шагом 2,5 см, анатомическая рукоятка, "
                    "нагрузка до 100 кг, масса 0,45 кг, резиновый наконечник с устройством противоскольжения"
                ),
                "cost_kzt": "9800",
                "manufacturer": "Rehamobil Test Sp. z o.o. (Польша)",
                "exw_price": {
                    "country": "PL",
                    "amount": "7600",
                    "currency": "KZT",
                    "source": "Прайс-лист производителя Rehamobil Test № 2026/10 от 01.10.2026",
                    "manufacturer": "Rehamobil Test Sp. z o.o.",
                },
                "reference_prices": [
                    {
                        "country": "RU",
                        "amount": "10400",
                        "currency": "KZT",
                        "source": "Каталог ООО «Реабилитация-Тест», Москва, цены EXW на 15.10.2026",
                    },
                    {
                        "country": "BY",
                        "amount": "10900",
                        "currency": "KZT",
                        "source": "Прайс-лист ОАО «Медтехника-Тест», Минск, от 12.10.2026",
                    },
                    {
                        "country": "DE",
                        "amount": "12800",
                        "currency": "KZT",
                        "source": "Preisliste Reha-Test GmbH, Stand 01.10.2026",
                    },
                    {
                        "country": "PL",
                        "amount": "11300",
                        "currency": "KZT",
                        "source": "Cennik Ortomed-Test, 05.10.2026",
                    },
                    {
                        "country": "KG",
                        "amount": "10600",
                        "currency": "KZT",
                        "source": "Прайс-лист ОсОО «Медсервис-Тест», Бишкек, от 20.10.2026",
                    },
                ],
            },
        ],
        "accessibility": {
            "accessible": True,
            "description": "Пандус с поручнями, расширенные дверные проёмы, санузел для маломобильных групп населения",
        },
        "places": {"total": 40, "available": 12, "forms": ["полустационар", "на дому"]},
        "specialists": [
            {
                "name": {"last_name": "Сейткалиева", "first_name": "Динара", "patronymic": "Маратовна"},
                "position": "Социальный работник по уходу",
                "iin": pki.SPECIALIST_IIN,
            },
            {"name": {"last_name": "Бекова", "first_name": "Жанар", "patronymic": "Ерболовна"}, "position": "Психолог"},
            {
                "name": {"last_name": "Лисицын", "first_name": "Андрей", "patronymic": "Петрович"},
                "position": "Инструктор по лечебной физкультуре",
            },
        ],
        "employees_count": 18,
        "consents": {"official_contacts": True, "documents_true": True, "personal_data": True},
        "filled_out_on": "2026-11-18",
        "submitted_at": "2026-11-18T16:20:00+05:00",
    }


def specialist_application() -> dict[str, Any]:
    """Appendix 2: a social worker with a diploma, an appointment order and a 086/у certificate."""
    return {
        "kind": "specialist",
        "iin": pki.SPECIALIST_IIN,
        "name": {"last_name": "Сейткалиева", "first_name": "Динара", "patronymic": "Маратовна"},
        "position": "Социальный работник по уходу",
        "education": "Высшее: НАО «Алматинский университет социальных технологий-Тест», 2016",
        "qualification": "Бакалавр социальной работы, специальность 5В090500 «Социальная работа»",
        "experience_years": "7",
        "experience": [
            {
                "organization": "ГККП «Центр оказания специальных социальных услуг № 3-Тест» акимата г. Алматы",
                "position": "Социальный работник по уходу",
                "start": "2019-09-02",
            }
        ],
        "service_types": ["Социально-бытовые услуги на дому", "Социально-медицинские услуги на дому"],
        "address": {
            "region": "г. Алматы",
            "city": "Алматы",
            "district": "Ауэзовский район",
            "street": "мкр. Аксай-4",
            "house": "58",
            "postal_code": "050036",
        },
        "contacts": {"email": "d.seitkalieva@mail-test.kz", "phones": ["+7 707 412 33 90"]},
        "has_position_document": True,
        "consents": {"official_contacts": True, "documents_true": True, "personal_data": True},
        "filled_out_on": "2026-11-18",
        "submitted_at": "2026-11-18T15:05:00+05:00",
    }


# --------------------------------------------------------------------------- attestations

STATE_ISSUERS: Mapping[str, tuple[str, str, str]] = {
    # type -> (issuer, system, clear statement)
    "tax-debt": (
        "Комитет государственных доходов Министерства финансов Республики Казахстан (TEST)",
        "ИС «Электронные налоговые услуги» (TEST)",
        "Налоговая задолженность отсутствует",
    ),
    "bankruptcy": (
        "Комитет государственных доходов Министерства финансов Республики Казахстан (TEST)",
        "ИС «Реестр банкротов и ликвидируемых организаций» (TEST)",
        "Сведения о процедуре банкротства или ликвидации отсутствуют",
    ),
    "unreliable-supplier": (
        "Комитет внутреннего государственного аудита Министерства финансов Республики Казахстан (TEST)",
        "ИС «Государственные закупки» (TEST)",
        "В реестре недобросовестных участников государственных закупок не состоит",
    ),
    "property-rights": (
        "НАО «Государственная корпорация «Правительство для граждан» (TEST)",
        "ИС «Государственная база данных «Регистр недвижимости» (TEST)",
        "Право аренды нежилого помещения зарегистрировано",
    ),
    "accessibility": (
        "Управление занятости и социальных программ г. Алматы (TEST)",
        "ИС «Карта доступности» (TEST)",
        "Объект доступен для маломобильных групп населения",
    ),
    "identity": (
        "Министерство внутренних дел Республики Казахстан (TEST)",
        "ИС «Государственная база данных «Физические лица» (TEST)",
        "Документ, удостоверяющий личность, действителен",
    ),
    "criminal-record": (
        "Комитет по правовой статистике и специальным учётам Генеральной прокуратуры Республики Казахстан (TEST)",
        "ИС «Специальные учёты» (TEST)",
        "Сведения о судимости отсутствуют",
    ),
    "narcology-psychiatry": (
        "Министерство здравоохранения Республики Казахстан (TEST)",
        "ИС «Электронный регистр диспансерных больных» (TEST)",
        "На диспансерном учёте в наркологической и психиатрической организациях не состоит",
    ),
}

ADVERSE: Mapping[str, Mapping[str, Any]] = {
    "tax-debt": {
        "status": "adverse",
        "statement": "Имеется налоговая задолженность",
        "details": {"amount_kzt": "1284500.00", "as_of": "2026-11-19"},
    },
    "bankruptcy": {
        "status": "adverse",
        "statement": "Организация находится в процедуре банкротства",
        "details": {"procedure": "банкротство", "since": "2026-09-14"},
    },
    "unreliable-supplier": {
        "status": "adverse",
        "statement": "Состоит в реестре недобросовестных участников государственных закупок",
        "details": {"included_on": "2026-05-20", "until": "2028-05-20"},
    },
    "property-rights": {"status": "adverse", "statement": "Сведения о регистрации прав на помещение отсутствуют"},
    "accessibility": {"status": "adverse", "statement": "Объект не оборудован для маломобильных групп населения"},
    "identity": {
        "status": "adverse",
        "statement": "Документ, удостоверяющий личность, недействителен",
        "details": {"reason": "истёк срок действия", "valid_until": "2026-03-01"},
    },
    "criminal-record": {"status": "adverse", "statement": "Имеются сведения о судимости"},
    "narcology-psychiatry": {
        "status": "adverse",
        "statement": "Состоит на диспансерном учёте в наркологической организации",
    },
}
"""Ready adverse contents per attestation type, for `attestations={type: ADVERSE[type]}`."""

ORGANIZATION_ATTESTATIONS = ("tax-debt", "bankruptcy", "unreliable-supplier", "property-rights", "accessibility")
SPECIALIST_ATTESTATIONS = ("identity", "criminal-record", "narcology-psychiatry")


def attestation(kind: str, subject: Mapping[str, str], number: int) -> dict[str, Any]:
    """The default (clear) attestation of one type about `subject` ({"bin": ...} or {"iin": ...})."""
    issuer, system, statement = STATE_ISSUERS[kind]
    details: dict[str, Any] = {"request_number": f"TEST-{ATTESTED_AT:%Y%m%d}-{number:05d}"}
    if kind == "property-rights":
        details |= {
            "address": "г. Алматы, Ауэзовский район, мкр. Жетысу-2, д. 17",
            "cadastral_number": "20-321-045-118",
            "right": "аренда",
            "until": "2028-12-31",
        }
    if kind == "accessibility":
        details |= {"address": "г. Алматы, Ауэзовский район, мкр. Жетысу-2, д. 17", "passport_number": "ПД-0457"}
    if kind == "identity":
        details |= {"document": "удостоверение личности", "number": "049731255", "valid_until": "2031-04-17"}
    return {
        "attestation": kind,
        "issuer": issuer,
        "system": system,
        "subject": dict(subject),
        "issued_at": ATTESTED_AT.isoformat(),
        "status": "clear",
        "statement": statement,
        "details": details,
    }


# --------------------------------------------------------------------------- building


def dumps(obj: Any) -> bytes:
    """JSON as the samples write it: UTF-8, two-space indent, newline at the end."""
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def tamper(path: Path, offset: int | None = None) -> None:
    """Flip one byte of a file (in the middle unless `offset` is given): content changed after signing."""
    data = bytearray(path.read_bytes())
    at = len(data) // 2 if offset is None else offset
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


SignerRef = str | GostSigner

_RENDERED: dict[tuple[object, str, str, str], tuple[bytes, str, int]] = {}


def _document(
    writer: Callable[[dict[str, Any]], bytes], app: dict[str, Any], app_key: str, how: str, seed: str
) -> tuple[bytes, str, int]:
    """A document's bytes, extension and pages; memoised, since most samples draw the same documents
    (pure functions of the writer and the application: the cache never changes a byte)."""
    key = (writer, app_key, how, seed)
    if key not in _RENDERED:
        pdf = writer(app)
        if how == "jpeg":
            _RENDERED[key] = (scan_jpeg(pdf, seed=seed), ".jpg", 1)
        elif how == "pdf":
            _RENDERED[key] = (scan_pdf(pdf, seed=seed), ".pdf", page_count(pdf))
        else:
            _RENDERED[key] = (pdf, ".pdf", page_count(pdf))
    return _RENDERED[key]


def _party(ref: SignerRef) -> pki.Party | GostSigner:
    return ref if isinstance(ref, GostSigner) else pki.build_pki().signer(ref)


@dataclass(frozen=True)
class _Plan:
    kind: Literal["organization", "specialist"]
    application: dict[str, Any]
    documents: tuple[str, ...]
    scans: Mapping[str, str]
    detached: Mapping[str, str | None]
    pdf_signed: Mapping[str, str | None]
    attestations: tuple[str, ...]
    subject: Mapping[str, str]
    signer: str


def _build(dest: Path, plan: _Plan, v: Mapping[str, Any]) -> None:
    unknown = set(v) - _VARIATIONS
    if unknown:
        raise TypeError(f"unknown variations: {', '.join(sorted(unknown))}")
    dest.mkdir(parents=True, exist_ok=True)
    moment: datetime = v.get("signing_time", SIGNING_TIME)
    app = copy.deepcopy(plan.application)
    if "application" in v:
        v["application"](app)
    raw = dumps(app)
    if "application_bytes" in v:
        raw = v["application_bytes"](raw)
    (dest / "application.json").write_bytes(raw)
    signer: SignerRef | None = v.get("signer", plan.signer)
    if signer is not None:
        form = v.get("signature_form", "der")
        der = signed_data(raw, _party(signer), moment, attached=form == "attached")
        sig = to_base64(der, pem=form == "pem") if form in ("base64", "pem") else der
        (dest / "application.json.cms").write_bytes(sig)

    drop = set(v.get("drop", ()))
    rename: Mapping[str, str] = v.get("rename", {})
    scans = {**plan.scans, **v.get("scan", {})}
    writers = {**WRITERS, **v.get("writers", {})}
    detached = {**plan.detached, **v.get("detached", {})}
    pdf_signed = {**plan.pdf_signed, **v.get("pdf_signed", {})}
    attached: Mapping[str, SignerRef] = v.get("attached", {})
    app_key = json.dumps(app, sort_keys=True)
    for doc_id in plan.documents:
        if doc_id in drop:
            continue
        how = scans.get(doc_id, "none")
        data, ext, pages = _document(writers[doc_id], app, app_key, how, f"{plan.kind}:{doc_id}")
        by = pdf_signed.get(doc_id)
        if by is not None and ext == ".pdf":
            data = sign_pdf(data, _party(by), moment)
        name = rename.get(doc_id) or canonical_name(DOCUMENTS[doc_id].order, doc_id, pages, ext)
        if doc_id in attached:
            (dest / f"{name}.p7m").write_bytes(signed_data(data, _party(attached[doc_id]), moment, attached=True))
            continue
        (dest / name).write_bytes(data)
        by = detached.get(doc_id)
        if by is not None:
            (dest / f"{name}.cms").write_bytes(signed_data(data, _party(by), moment))

    overrides: Mapping[str, Mapping[str, Any] | None] = v.get("attestations", {})
    state_signer = _party(v.get("attestation_signer", "state"))
    for number, kind in enumerate(plan.attestations, 1):
        if kind in overrides and overrides[kind] is None:
            continue
        body = attestation(kind, plan.subject, number) | dict(overrides.get(kind) or {})
        data = dumps(body)
        (dest / "state").mkdir(exist_ok=True)
        (dest / "state" / f"{kind}.json").write_bytes(data)
        (dest / "state" / f"{kind}.json.cms").write_bytes(signed_data(data, state_signer, ATTESTED_AT))

    for path, data in v.get("extra_files", {}).items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if "after" in v:
        v["after"](dest)


_VARIATIONS = frozenset(
    {
        "application",
        "application_bytes",
        "drop",
        "rename",
        "scan",
        "writers",
        "extra_files",
        "signer",
        "signature_form",
        "detached",
        "pdf_signed",
        "attached",
        "attestations",
        "attestation_signer",
        "signing_time",
        "after",
    }
)

ORGANIZATION_DOCUMENTS = (
    "constituent-documents",
    "material-resources",
    "employees-number",
    "price-document",
    "exw-prices",
    "premises-document",
)
SPECIALIST_DOCUMENTS = ("qualification", "position-document", "medical-certificate")


def build_organization(dest: Path, **variations: Any) -> None:
    """Write the complete organization dossier (Appendix 1, paragraph 7) into `dest`, with variations.

    See the module docstring for the variations.
    """
    _build(
        dest,
        _Plan(
            kind="organization",
            application=organization_application(),
            documents=ORGANIZATION_DOCUMENTS,
            scans={"employees-number": "jpeg"},
            detached={"exw-prices": "head", "premises-document": "head"},
            pdf_signed={"price-document": "head"},
            attestations=ORGANIZATION_ATTESTATIONS,
            subject={"bin": pki.ORG_BIN},
            signer="head",
        ),
        variations,
    )


def build_specialist(dest: Path, **variations: Any) -> None:
    """Write the complete specialist dossier (Appendix 2, paragraph 15) into `dest`, with variations.

    See the module docstring for the variations.
    """
    _build(
        dest,
        _Plan(
            kind="specialist",
            application=specialist_application(),
            documents=SPECIALIST_DOCUMENTS,
            scans={"medical-certificate": "jpeg"},
            detached={},
            pdf_signed={},
            attestations=SPECIALIST_ATTESTATIONS,
            subject={"iin": pki.SPECIALIST_IIN},
            signer="specialist",
        ),
        variations,
    )


def organization(**variations: Any) -> Callable[[Path], None]:
    """A `Sample.build` for an organization dossier with these variations."""
    return lambda dest: build_organization(dest, **variations)


def specialist(**variations: Any) -> Callable[[Path], None]:
    """A `Sample.build` for a specialist dossier with these variations."""
    return lambda dest: build_specialist(dest, **variations)


SAMPLES: tuple[Sample, ...] = (
    Sample(
        name="organization-complete",
        build=organization(),
        verdict="pass",
        description=(
            "An LLP that provides special social services and sells two RTDs: Appendix 1 signed by the head "
            "(RSA SIGN key, BIN matches), all six documents of paragraph 7 (one a 300-dpi scan, one signed "
            "inside the PDF, two with detached CMS), five clear state attestations. Everything passes."
        ),
    ),
    Sample(
        name="organization-signature-forms",
        build=organization(signature_form="pem", attached={"material-resources": "signright"}),
        verdict="pass",
        description=(
            "The complete organization dossier with the signature forms NCALayer users send: application.json.cms "
            "as PEM text (base64), and the material-resources statement delivered only inside an attached CMS "
            "(02_material-resources_1p.pdf.p7m) signed by an employee with signing right. Everything passes."
        ),
    ),
    Sample(
        name="specialist-complete",
        build=specialist(),
        verdict="pass",
        description=(
            "A social worker: Appendix 2 signed with her individual SIGN key (IIN matches), diploma, "
            "appointment order and form 086/у (a 300-dpi scan), three clear state attestations. Everything passes."
        ),
    ),
)
