"""The catalog: conditions of paragraphs 7 and 15, and findings built from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from intake.models import (
    Activity,
    Address,
    Consents,
    Contacts,
    Kind,
    OrganizationApplication,
    Outcome,
    PersonName,
    Severity,
)
from intake.rules import (
    ATTESTATION_TYPES,
    DOCUMENT_TYPES,
    DOCUMENTS,
    Condition,
    documents_for,
    finding,
    holds,
    is_required,
    required_details,
)


def _org(**changes: object) -> OrganizationApplication:
    address = Address(region="г. Астана", city="Астана", street="пр. Республики", house="12", postal_code="010000")
    base = OrganizationApplication(
        kind="organization",
        full_name='ТОО "Қамқор"',
        bin="990140004654",
        head=PersonName(last_name="Сейткали", first_name="Айгерим"),
        legal_address=address,
        facility_addresses=(address,),
        contacts=Contacts(email="info@kamkor.kz", phones=("+77172123456",)),
        activity=Activity(provides_services=True, sells_rtd=True, domestic_producer=False),
        employees_count=12,
        consents=Consents(official_contacts=True, documents_true=True, personal_data=True),
        filled_out_on=date(2026, 11, 19),
    )
    return base.model_copy(update=changes)


def test_documents_in_order() -> None:
    assert [d.id for d in documents_for(Kind.ORGANIZATION)] == [
        "constituent-documents",
        "material-resources",
        "employees-number",
        "price-document",
        "exw-prices",
        "premises-document",
    ]
    assert [d.id for d in documents_for(Kind.SPECIALIST)] == [
        "qualification",
        "position-document",
        "medical-certificate",
    ]
    assert documents_for(Kind.REMOVAL) == ()


@pytest.mark.parametrize(
    ("doc", "changes", "required"),
    [
        ("exw-prices", {}, True),
        ("exw-prices", {"activity": Activity(sells_rtd=False)}, False),
        ("exw-prices", {"activity": Activity(sells_rtd=True, domestic_producer=True)}, False),
        ("premises-document", {}, True),
        ("premises-document", {"state_owned": True}, False),
        ("employees-number", {}, True),
        ("employees-number", {"employees_count": None}, False),
        ("constituent-documents", {"has_constituent_documents": False}, False),
        ("material-resources", {"state_owned": True}, True),
    ],
)
def test_conditions_of_paragraph_7(doc: str, changes: dict[str, object], required: bool) -> None:
    assert is_required(DOCUMENTS[doc], _org(**changes)) is required


def test_condition_undecidable_without_application() -> None:
    assert is_required(DOCUMENTS["exw-prices"], None) is None
    assert is_required(DOCUMENTS["material-resources"], None) is True


def test_finding_takes_severity_and_paragraph_from_catalog() -> None:
    f = finding("PRICE001", Outcome.FAILED, "price 120 > average 100", evidence={"excess": Decimal("20")})
    assert (f.severity, f.rule, f.title) == (Severity.BLOCKING, "27.4", "RTD price within the reference average")
    assert finding("FILE001", Outcome.FAILED, "x", basis="15").rule == "15"
    with pytest.raises(ValueError, match="does not enforce"):
        finding("FILE001", Outcome.FAILED, "x", basis="27.4")
    with pytest.raises(KeyError):
        finding("NOPE999", Outcome.FAILED, "x")


def test_required_details_per_type() -> None:
    required, if_any = required_details("qualification")
    assert "number" in required and "series" in if_any
    required, _ = required_details("medical-certificate")
    assert "validity" in required


def test_conditions_are_data() -> None:
    """Every conditional document names the application fields it depends on; none is decided by its id."""
    for d in DOCUMENT_TYPES:
        assert bool(d.required_when) is (d.condition is not Condition.ALWAYS), d.id
    assert ATTESTATION_TYPES["property-rights"].required_when == ("!state_owned",)
    assert holds(_org(state_owned=False), ("!state_owned",)) and not holds(_org(), ("no_such_field",))
