"""SIG001-SIG006 over signature facts: who signed, with which key, PDF changes, stray signature files."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

import pytest

from intake.judgements import on_signatures as sig
from intake.models import (
    Dossier,
    FileFacts,
    FileRole,
    Kind,
    Modification,
    OrganizationApplication,
    Outcome,
    SignatureReport,
    Signer,
    SpecialistApplication,
)
from tests.factories import file_facts

AT = datetime(2026, 11, 24, tzinfo=UTC)
BIN, IIN = "123456789021", "880101300123"

HEAD = Signer(
    common_name="HEAD",
    iin="111",
    bin=BIN,
    holder="legal_entity",
    role="head",
    roles=("head", "legal_entity"),
    key_purpose="sign",
    certificate_sha256="h",
)
PERSON = Signer(
    common_name="PERSON",
    iin=IIN,
    holder="individual",
    role="individual",
    roles=("individual",),
    key_purpose="sign",
    certificate_sha256="p",
)


def report(
    signer: Signer, indication: Literal["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"] = "TOTAL_PASSED", **kw: Any
) -> SignatureReport:
    return SignatureReport(indication=indication, signer=signer, source="application.json.cms", **kw)


def facts(name: str, role: FileRole, *reports: SignatureReport, **kw: Any) -> FileFacts:
    facts = file_facts(name, signatures=reports, **kw)
    assert facts.role is role, f"{name} is gathered as {facts.role}"
    return facts


def dossier(kind: Kind, *files: FileFacts) -> Dossier:
    app: Any
    if kind is Kind.ORGANIZATION:
        app = OrganizationApplication.model_construct(kind="organization", bin=BIN)
    else:
        app = SpecialistApplication.model_construct(kind="specialist", iin=IIN)
    return Dossier(source="d", at=AT, kind=kind, application=app, files=files)


def outcomes(check: Any, d: Dossier) -> list[Outcome]:
    return [f.outcome for f in check(d)]


def app_signed(kind: Kind, *reports: SignatureReport) -> Dossier:
    return dossier(
        kind, facts("application.json", FileRole.APPLICATION, *reports, signature_files=("application.json.cms",))
    )


def test_sig001_application_without_signature_fails() -> None:
    assert outcomes(
        sig.application_signed, dossier(Kind.ORGANIZATION, facts("application.json", FileRole.APPLICATION))
    ) == [Outcome.FAILED]
    assert outcomes(sig.application_signed, app_signed(Kind.ORGANIZATION, report(HEAD))) == [Outcome.PASSED]


def test_sig002_follows_the_indication() -> None:
    d = app_signed(
        Kind.ORGANIZATION,
        report(HEAD),
        report(HEAD, "TOTAL_FAILED", subindication="HASH_FAILURE"),
        report(HEAD, "INDETERMINATE", subindication="TRY_LATER"),
    )
    found = list(sig.signatures_valid(d))
    assert [f.outcome for f in found] == [Outcome.PASSED, Outcome.FAILED, Outcome.INDETERMINATE]
    assert found[1].rule == "27.2" and "HASH_FAILURE" in found[1].message


@pytest.mark.parametrize(
    ("signer", "kind", "expected"),
    [
        (HEAD, Kind.ORGANIZATION, Outcome.PASSED),
        (
            HEAD.model_copy(update={"role": "signing_right", "roles": ("signing_right", "legal_entity")}),
            Kind.ORGANIZATION,
            Outcome.PASSED,
        ),
        (HEAD.model_copy(update={"bin": "999999999999"}), Kind.ORGANIZATION, Outcome.FAILED),  # stranger
        (
            HEAD.model_copy(update={"role": "employee", "roles": ("employee", "legal_entity")}),
            Kind.ORGANIZATION,
            Outcome.FAILED,
        ),
        (HEAD.model_copy(update={"key_purpose": "auth"}), Kind.ORGANIZATION, Outcome.FAILED),
        (
            HEAD.model_copy(update={"role": "information_system", "roles": ("information_system", "legal_entity")}),
            Kind.ORGANIZATION,
            Outcome.FAILED,
        ),
        (PERSON, Kind.ORGANIZATION, Outcome.FAILED),  # an individual cannot sign for the organization
        (PERSON, Kind.SPECIALIST, Outcome.PASSED),
        (PERSON.model_copy(update={"iin": "000000000000"}), Kind.SPECIALIST, Outcome.FAILED),
        (HEAD.model_copy(update={"iin": IIN}), Kind.SPECIALIST, Outcome.FAILED),  # legal-entity cert for a specialist
    ],
)
def test_sig003_signer_is_the_applicant(signer: Signer, kind: Kind, expected: Outcome) -> None:
    assert outcomes(sig.signer_is_applicant, app_signed(kind, report(signer))) == [expected]


def test_sig003_applicant_signature_that_does_not_verify() -> None:
    d = app_signed(Kind.ORGANIZATION, report(HEAD, "INDETERMINATE", subindication="TRY_LATER"))
    assert outcomes(sig.signer_is_applicant, d) == [Outcome.INDETERMINATE]
    d = app_signed(Kind.ORGANIZATION, report(HEAD, "TOTAL_FAILED", subindication="HASH_FAILURE"))
    assert outcomes(sig.signer_is_applicant, d) == [Outcome.FAILED]
    # one good signature by the applicant among others is enough
    d = app_signed(Kind.ORGANIZATION, report(PERSON), report(HEAD))
    assert outcomes(sig.signer_is_applicant, d) == [Outcome.PASSED]


def test_sig004_auth_key_and_information_system() -> None:
    auth = HEAD.model_copy(update={"key_purpose": "auth"})
    system = HEAD.model_copy(update={"role": "information_system", "roles": ("information_system", "legal_entity")})
    d = dossier(
        Kind.ORGANIZATION,
        facts("application.json", FileRole.APPLICATION, report(HEAD), report(auth), report(system)),
        facts("01_doc.pdf", FileRole.DOCUMENT, report(auth)),
        facts("state/tax-debt.json", FileRole.ATTESTATION, report(system)),  # a state system: right there
    )
    found = list(sig.signing_key(d))
    assert [(f.document, f.outcome) for f in found] == [
        ("application.json", Outcome.PASSED),
        ("application.json", Outcome.FAILED),
        ("application.json", Outcome.FAILED),
        ("01_doc.pdf", Outcome.FAILED),
    ]


def test_sig005_pdf_changed_after_signing() -> None:
    ok = report(
        HEAD,
        format="pdf:ETSI.CAdES.detached",
        modification=Modification(level="none", coverage="entire_file", suspicious=False),
    )
    bad = report(
        HEAD,
        "TOTAL_FAILED",
        subindication="FORMAT_FAILURE",
        format="pdf:ETSI.CAdES.detached",
        modification=Modification(level="other", coverage="entire_revision", suspicious=True),
    )
    unknown = report(HEAD, format="pdf:adbe.pkcs7.detached", modification=Modification(suspicious=None))
    d = dossier(
        Kind.ORGANIZATION, facts("01_doc.pdf", FileRole.DOCUMENT, ok, bad, unknown, report(HEAD, format="cms-detached"))
    )
    assert outcomes(sig.pdf_unchanged, d) == [Outcome.PASSED, Outcome.FAILED, Outcome.INDETERMINATE]


def test_sig006_stray_signature_file() -> None:
    d = dossier(
        Kind.SPECIALIST,
        facts("01_doc.pdf.cms", FileRole.SIGNATURE, signed_file="01_doc.pdf"),
        facts("02_other.pdf.cms", FileRole.SIGNATURE),
    )
    found = list(sig.signature_files_matched(d))
    assert [f.outcome for f in found] == [Outcome.PASSED, Outcome.FAILED]
    assert found[1].rule == "16" and "02_other.pdf" in found[1].message


def test_passed_is_derived_and_not_in_the_report() -> None:
    good, bad = report(HEAD), report(HEAD, "INDETERMINATE")
    assert good.passed and not bad.passed
    assert "passed" not in good.model_dump(mode="json")
    assert "passed" not in SignatureReport.model_json_schema(mode="serialization")["properties"]
