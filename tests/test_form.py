"""FORM005-FORM015: every field rule fails on a bad value and passes on a good one."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake import application, fields
from intake.ids import BinAttribute, EntityType, Sex
from intake.judgements import on_form as form
from intake.models import Dossier, Finding, Outcome
from samplegen.identities import make_bin, make_iin

ALMATY = ZoneInfo("Asia/Almaty")
AT = datetime(2026, 11, 20, 12, 0, tzinfo=ALMATY)
BIN = make_bin(2015, 3, EntityType.RESIDENT_LEGAL_ENTITY, BinAttribute.HEAD_UNIT, 12345)
IIN = make_iin(date(1985, 4, 12), Sex.FEMALE, 1234)
STAFF_IIN = make_iin(date(1990, 7, 1), Sex.MALE, 4321)


def address(**kw: Any) -> dict[str, Any]:
    """A complete address in Ulytau region."""
    base = {
        "region": "Улытауская область",
        "city": "Жезказган",
        "street": "ул. Алашахана",
        "house": "12",
        "postal_code": "100600",
    }
    base.update(kw)
    return base


def contacts() -> dict[str, Any]:
    """Official contacts."""
    return {"email": "info@example.kz", "phones": ["+7 701 123 4567", "8 7172 50 00 00"], "fax": None}


def consents() -> dict[str, bool]:
    """Every confirmation given."""
    return {"official_contacts": True, "documents_true": True, "personal_data": True}


def price(country: str, amount: str, currency: str = "KZT", source: str | None = "catalogue 2026") -> dict[str, Any]:
    """An EXW price."""
    return {"country": country, "amount": amount, "currency": currency, "source": source}


def organization(**kw: Any) -> dict[str, Any]:
    """A complete organization application (Appendix 1) providing services and selling one RTD."""
    raw: dict[str, Any] = {
        "kind": "organization",
        "full_name": "ТОО «Қамқор»",
        "bin": BIN,
        "head": {"last_name": "Ахметова", "first_name": "Айгерим"},
        "legal_address": address(),
        "facility_addresses": [address(region="г. Астана", city=None, postal_code="Z05 K7T3")],
        "contacts": contacts(),
        "activity": {"provides_services": True, "sells_rtd": True, "domestic_producer": False},
        "services": [{"name": "уход на дому", "price_kzt": "15000.00"}],
        "rtds": [
            {
                "name": "Кресло-коляска",
                "type": "кресло-коляска с ручным приводом",
                "technical_features": "ширина сиденья 45 см, масса 15 кг",
                "cost_kzt": "100000",
                "manufacturer": "Ottobock",
                "exw_price": price("DE", "90000"),
                "reference_prices": [
                    price("DE", "90000"),
                    price("PL", "95000"),
                    price("RU", "100000"),
                    price("TR", "105000"),
                    price("US", "110000"),
                    price("JP", "130000"),
                ],
            }
        ],
        "accessibility": {"accessible": True},
        "places": {"total": 20, "available": 5},
        "specialists": [
            {"name": {"last_name": "Иванов", "first_name": "Иван"}, "position": "социальный работник", "iin": STAFF_IIN}
        ],
        "consents": consents(),
        "filled_out_on": "2026-11-18",
    }
    raw.update(kw)
    return raw


def specialist(**kw: Any) -> dict[str, Any]:
    """A complete specialist application (Appendix 2)."""
    raw: dict[str, Any] = {
        "kind": "specialist",
        "iin": IIN,
        "name": {"last_name": "Сейткали", "first_name": "Дана"},
        "position": "социальный работник",
        "education": "высшее, КазНУ, 2008",
        "qualification": "социальная работа",
        "experience": [
            {"organization": "КГУ ЦСО", "position": "социальный работник", "start": "2010-09-01", "end": "2020-06-30"}
        ],
        "service_types": ["уход на дому"],
        "address": address(),
        "contacts": contacts(),
        "consents": consents(),
        "filled_out_on": "2026-11-18",
    }
    raw.update(kw)
    return raw


def removal(**kw: Any) -> dict[str, Any]:
    """A complete removal request (Appendix 3)."""
    raw: dict[str, Any] = {
        "kind": "removal",
        "registration_number": "R-2024-0001",
        "supplier_name": "ТОО «Қамқор»",
        "bin": BIN,
        "address": address(),
        "contacts": contacts(),
        "head": {"last_name": "Ахметова", "first_name": "Айгерим"},
        "consents": consents(),
        "filled_out_on": "2026-11-18",
    }
    raw.update(kw)
    return raw


def change(**kw: Any) -> dict[str, Any]:
    """A complete change request (paragraph 30) over the organization record."""
    raw: dict[str, Any] = {
        "kind": "change",
        "registration_number": "R-2024-0001",
        "changed_fields": ["contacts.phones", "places"],
        "updated": organization(registration_number="R-2024-0001"),
        "filled_out_on": "2026-11-18",
    }
    raw.update(kw)
    return raw


def dossier(
    raw: dict[str, Any], *, at: datetime = AT, facts: dict[str, Any] | None = None, submitted: datetime | None = None
) -> Dossier:
    """A dossier holding only the application (fields are judged without files)."""
    loaded = application.parse(raw)
    assert loaded.problems == (), loaded.problems
    return Dossier(
        source="test",
        at=at,
        kind=loaded.kind,
        application=loaded.application,
        application_file="application.json",
        application_raw=raw,
        submitted_at=submitted,
        **(facts or {}),
    )


def run(check: Callable[[Dossier], Any], raw: dict[str, Any], **kw: Any) -> list[Finding]:
    """The findings of one check."""
    return list(check(dossier(raw, **kw)))


def failed(findings: list[Finding], code: str) -> list[Finding]:
    """Failed findings of a code."""
    return [f for f in findings if f.code == code and f.outcome is Outcome.FAILED]


def passed(findings: list[Finding], code: str) -> list[Finding]:
    """Passed findings of a code."""
    return [f for f in findings if f.code == code and f.outcome is Outcome.PASSED]


def with_path(raw: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `raw` with `a.b[0].c` set to `value`."""
    out = copy.deepcopy(raw)
    node: Any = out
    parts: list[str | int] = []
    for p in path.split("."):
        name, *idx = p.replace("]", "").split("[")
        parts.append(name)
        parts += [int(i) for i in idx]
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
    return out


# (check, kind factory, dotted path, bad value, expected field in evidence, words in message)
CASES: list[tuple[str, Callable[[Dossier], Any], Callable[..., dict[str, Any]], str, Any, str, str]] = [
    ("FORM005", form.identifiers, organization, "bin", "150340123452", "bin", "check digit is 2"),
    ("FORM005", form.identifiers, organization, "bin", "151340123451", "bin", "registration month 13"),
    ("FORM005", form.identifiers, organization, "bin", "150370123450", "bin", "type digit 7"),
    ("FORM005", form.identifiers, organization, "bin", "123456789012", "bin", "NCA test certificates"),
    ("FORM005", form.identifiers, removal, "bin", "15034012345", "bin", "12 digits expected, got 11"),
    ("FORM005", form.identifiers, change, "updated.bin", "150340123452", "updated.bin", "check digit"),
    ("FORM006", form.identifiers, specialist, "iin", "850412412344", "iin", "check digit is 4, expected 3"),
    ("FORM006", form.identifiers, specialist, "iin", "851312412349", "iin", "not a date"),
    ("FORM006", form.identifiers, specialist, "iin", "850412812347", "iin", "century/sex digit 8"),
    ("FORM006", form.identifiers, specialist, "iin", "123456789011", "iin", "NCA test certificates"),
    (
        "FORM006",
        form.identifiers,
        organization,
        "specialists[0].iin",
        "900701343211",
        "specialists[0].iin",
        "check digit",
    ),
    ("FORM007", form.email, organization, "contacts.email", "info.example.kz", "contacts.email", "no '@'"),
    ("FORM007", form.email, specialist, "contacts.email", "dana@mail", "contacts.email", "no top-level domain"),
    ("FORM007", form.email, removal, "contacts.email", "a b@mail.kz", "contacts.email", "space"),
    (
        "FORM008",
        form.phones,
        organization,
        "contacts.phones[1]",
        "+7 495 123 45 67",
        "contacts.phones[1]",
        "not of Kazakhstan",
    ),
    ("FORM008", form.phones, specialist, "contacts.phones[0]", "12345", "contacts.phones[0]", "not a valid Kazakh"),
    ("FORM008", form.phones, organization, "contacts.fax", "телефон", "contacts.fax", "not a telephone number"),
    (
        "FORM009",
        form.addresses,
        organization,
        "legal_address.postal_code",
        "01000",
        "legal_address.postal_code",
        "neither 6 digits",
    ),
    (
        "FORM009",
        form.addresses,
        organization,
        "facility_addresses[0].region",
        "Южно-Казахстанская область",
        "facility_addresses[0].region",
        "Turkistan",
    ),
    (
        "FORM009",
        form.addresses,
        specialist,
        "address.region",
        "Московская область",
        "address.region",
        "not a current region",
    ),
    ("FORM009", form.addresses, specialist, "address.street", " ", "address.street", "empty"),
    ("FORM009", form.addresses, specialist, "address.house", "", "address.house", "empty"),
    ("FORM009", form.addresses, removal, "address.city", None, "address.locality", "no city"),
    ("FORM010", form.register_fields, organization, "services", [], "services", "no service"),
    (
        "FORM010",
        form.register_fields,
        organization,
        "services[0].price_kzt",
        "0",
        "services[0].price_kzt",
        "not above 0",
    ),
    (
        "FORM010",
        form.register_fields,
        organization,
        "rtds[0].technical_features",
        "",
        "rtds[0].technical_features",
        "empty",
    ),
    ("FORM010", form.register_fields, organization, "rtds[0].cost_kzt", "-1", "rtds[0].cost_kzt", "not above 0"),
    ("FORM010", form.register_fields, organization, "rtds", [], "rtds", "no RTD"),
    ("FORM010", form.register_fields, organization, "accessibility", None, "accessibility", "not stated"),
    (
        "FORM010",
        form.register_fields,
        organization,
        "places",
        {"total": 5, "available": 6},
        "places.available",
        "exceed",
    ),
    ("FORM010", form.register_fields, organization, "specialists", [], "specialists", "no specialist"),
    (
        "FORM010",
        form.register_fields,
        organization,
        "activity",
        {"provides_services": False, "sells_rtd": False},
        "activity",
        "neither",
    ),
    ("FORM011", form.registry_fields, specialist, "qualification", "  ", "qualification", "empty"),
    ("FORM011", form.registry_fields, specialist, "education", "", "education", "empty"),
    ("FORM011", form.registry_fields, specialist, "experience", [], "experience", "no work experience"),
    (
        "FORM011",
        form.registry_fields,
        specialist,
        "experience[0].end",
        "2009-01-01",
        "experience[0].end",
        "before the start",
    ),
    ("FORM011", form.registry_fields, specialist, "experience[0].start", "2027-01-01", "experience[0].start", "future"),
    (
        "FORM012",
        form.consents,
        organization,
        "consents.personal_data",
        False,
        "consents.personal_data",
        "not confirmed",
    ),
    (
        "FORM012",
        form.consents,
        specialist,
        "consents.documents_true",
        False,
        "consents.documents_true",
        "not confirmed",
    ),
    (
        "FORM013",
        form.filled_out_date,
        organization,
        "filled_out_on",
        "2026-11-21",
        "filled_out_on",
        "after the validation date",
    ),
    ("FORM014", form.removal_request, removal, "bin", None, "bin", "neither a BIN"),
    ("FORM014", form.removal_request, removal, "supplier_name", " ", "supplier_name", "empty"),
    ("FORM015", form.change_request, change, "changed_fields", ["telephone"], "changed_fields[0]", "not a field"),
    (
        "FORM015",
        form.change_request,
        change,
        "updated.registration_number",
        "R-1999-9",
        "updated.registration_number",
        "differs",
    ),
]


@pytest.mark.parametrize(
    ("code", "check", "factory", "path", "bad", "field", "words"), CASES, ids=[f"{c[0]}-{c[3]}-{c[4]}" for c in CASES]
)
def test_field_rule_fails_then_passes(
    code: str,
    check: Callable[[Dossier], Any],
    factory: Callable[..., dict[str, Any]],
    path: str,
    bad: Any,
    field: str,
    words: str,
) -> None:
    good = factory()
    ok = run(check, good)
    assert not failed(ok, code), [f.message for f in failed(ok, code)]
    assert passed(ok, code)
    bad_findings = failed(run(check, with_path(good, path, bad)), code)
    assert bad_findings, f"{code} did not fail for {path}={bad!r}"
    mine = [f for f in bad_findings if f.evidence.get("field") == field]
    assert mine, [f.evidence for f in bad_findings]
    assert words in mine[0].message, mine[0].message
    assert mine[0].document == "application.json"


def test_phones_are_shown_in_e164() -> None:
    [ok] = passed(run(form.phones, organization()), "FORM008")
    assert ok.evidence["e164"] == {"contacts.phones[0]": "+77011234567", "contacts.phones[1]": "+77172500000"}


def test_iin_born_after_validation_date_fails() -> None:
    future = make_iin(date(2026, 12, 1), Sex.MALE, 1)
    [bad] = failed(run(form.identifiers, specialist(iin=future)), "FORM006")
    assert "after 2026-11-20" in bad.message


def test_filled_out_after_submission_fails() -> None:
    submitted = datetime(2026, 11, 17, 9, 0, tzinfo=ALMATY)
    [bad] = failed(run(form.filled_out_date, specialist(), submitted=submitted), "FORM013")
    assert "submission date 2026-11-17" in bad.message


def test_filled_out_date_uses_almaty_day() -> None:
    # 2026-11-20 20:00 UTC is already 2026-11-21 in Almaty (UTC+5): filled out "today" passes.
    at = datetime(2026, 11, 20, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert passed(run(form.filled_out_date, specialist(filled_out_on="2026-11-21"), at=at), "FORM013")


def test_removal_with_both_identifiers_fails() -> None:
    [bad] = failed(run(form.removal_request, removal(iin=IIN)), "FORM014")
    assert bad.evidence["field"] == "iin"


def test_removal_of_a_specialist_by_iin_passes() -> None:
    assert passed(run(form.removal_request, removal(bin=None, iin=IIN)), "FORM014")


def test_change_checks_updated_record_fields() -> None:
    raw = change(updated=organization(registration_number="R-2024-0001", contacts={**contacts(), "email": "x"}))
    [bad] = failed(run(form.email, raw), "FORM007")
    assert bad.evidence["field"] == "updated.contacts.email"


def test_checks_of_other_kinds_are_silent() -> None:
    assert run(form.removal_request, organization()) == []
    assert run(form.change_request, specialist()) == []
    assert run(form.registry_fields, organization()) == []
    assert run(form.register_fields, specialist()) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Абай облысы", "abai"),
        ("Jetisu Region", "jetisu"),
        ("область Жетісу", "jetisu"),
        ("Ulytau", "ulytau"),
        ("Ұлытау облысы", "ulytau"),
        ("г. Астана", "astana"),
        ("Нур-Султан", "astana"),
        ("Алматы", "almaty"),
        ("Almaty Region", "almaty-region"),
        ("Алматинская обл.", "almaty-region"),
        ("город Шымкент", "shymkent"),
        ("ВКО", "east-kazakhstan"),
        ("Северо-Казахстанская область", "north-kazakhstan"),
    ],
)
def test_region_spellings(name: str, expected: str) -> None:
    region = fields.find_region(name)
    assert region is not None and region.id == expected


def test_region_table_has_17_regions_and_3_cities() -> None:
    kinds = [r.kind for r in fields.regions()]
    assert kinds.count("region") == 17 and kinds.count("city") == 3


@pytest.mark.parametrize("code", ["010000", "A01 P3K4", "A01P3K4", "Z05K7T3"])
def test_postal_code_forms_pass(code: str) -> None:
    assert fields.postal_code_problem(code) is None


@pytest.mark.parametrize("code", ["01000", "0100000", "A1 P3K4", "AA1 P3K4", "a01 p3k4", "A01  P3K4"])
def test_postal_code_forms_fail(code: str) -> None:
    assert fields.postal_code_problem(code) is not None


@pytest.mark.parametrize("value", ["info@example.kz", "a.b+c@sub.example.com", "x@пример.қаз".replace("қ", "к")])
def test_email_good(value: str) -> None:
    assert fields.email_problem(value) is None


@pytest.mark.parametrize("value", ["", "@x.kz", "a..b@x.kz", "a@-x.kz", "a@x.1", "a@@x.kz", " a@x.kz"])
def test_email_bad(value: str) -> None:
    assert fields.email_problem(value) is not None


@given(st.text())
def test_field_helpers_never_raise(text: str) -> None:
    fields.email_problem(text)
    phone = fields.normalise_phone(text)
    assert (phone.e164 is None) == (phone.problem is not None)
    fields.find_region(text)
    fields.postal_code_problem(text)
