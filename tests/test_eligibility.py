"""ELIG001-ELIG010: attestations from state systems (facts in intake.eligibility, judgements in the checks)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from intake import eligibility
from intake.eligibility import Attestation, Attestations, DirectorySource, DossierSource, parse_attestation
from intake.judgements.on_eligibility import qualification, required_types, state_attestations
from intake.models import FileFacts, FileRole, Finding, Outcome, SignatureReport, Signer
from tests.factories import file_facts
from tests.test_form import AT, BIN, IIN, change, dossier, organization, removal, specialist

STATE = Signer(
    common_name='ИС "Госбаза данных" (TEST)', role="information_system", roles=("information_system", "legal_entity")
)
GOOD_SIG = SignatureReport(
    indication="TOTAL_PASSED", intact=True, valid=True, trusted=True, signer=STATE, source="x.json.cms"
)


def body(
    type_: str,
    *,
    status: str = "clear",
    subject: dict[str, str] | None = None,
    issued: datetime | None = None,
    statement: str = "Задолженность отсутствует",
) -> dict[str, Any]:
    """An attestation's JSON."""
    return {
        "attestation": type_,
        "issuer": "КГД МФ РК",
        "system": "ИС ЕНИС",
        "subject": subject or {"bin": BIN},
        "issued_at": (issued or AT - timedelta(days=2)).isoformat(),
        "status": status,
        "statement": statement,
        "details": {},
    }


def att(type_: str, sigs: tuple[SignatureReport, ...] = (GOOD_SIG,), **kw: Any) -> Attestation:
    """A parsed attestation with the given signature reports."""
    got = parse_attestation(f"state/{type_}.json", json.dumps(body(type_, **kw)).encode(), sigs)
    assert isinstance(got, Attestation), got
    return got


ORG_TYPES = ("tax-debt", "bankruptcy", "unreliable-supplier", "property-rights", "accessibility")
SPEC_TYPES = ("identity", "criminal-record", "narcology-psychiatry")


def judge(raw: dict[str, Any], atts: list[Attestation], max_age: int | None = None) -> list[Finding]:
    """ELIG findings for an application with these attestations."""
    facts: dict[str, Any] = {"attestations": Attestations(found=tuple(atts), sources=("dossier",))}
    if max_age is not None:
        facts["attestation_max_age_days"] = max_age
    return list(state_attestations(dossier(raw, facts=facts)))


def outcome(findings: list[Finding], code: str) -> list[Outcome]:
    """Outcomes of a code."""
    return [f.outcome for f in findings if f.code == code]


def test_all_clear_organization_passes() -> None:
    findings = judge(organization(), [att(t) for t in ORG_TYPES])
    for code in ("ELIG001", "ELIG002", "ELIG003", "ELIG004", "ELIG005"):
        assert outcome(findings, code) == [Outcome.PASSED], code
    assert outcome(findings, "ELIG009") == [Outcome.PASSED] * 5
    assert "«Задолженность отсутствует»" in next(f for f in findings if f.code == "ELIG001").message


def test_all_clear_specialist_passes() -> None:
    findings = judge(specialist(), [att(t, subject={"iin": IIN}) for t in SPEC_TYPES])
    for code in ("ELIG006", "ELIG007", "ELIG008"):
        assert outcome(findings, code) == [Outcome.PASSED], code
    assert not [f for f in findings if f.outcome is not Outcome.PASSED]


@pytest.mark.parametrize(
    ("type_", "code"),
    [
        ("tax-debt", "ELIG001"),
        ("bankruptcy", "ELIG002"),
        ("unreliable-supplier", "ELIG003"),
        ("property-rights", "ELIG004"),
        ("accessibility", "ELIG005"),
    ],
)
def test_adverse_statement_fails_with_the_statement_quoted(type_: str, code: str) -> None:
    atts = [att(t) for t in ORG_TYPES if t != type_] + [
        att(type_, status="adverse", statement="Имеется задолженность 1 200 000 тенге")
    ]
    findings = judge(organization(), atts)
    [f] = [f for f in findings if f.code == code]
    assert f.outcome is Outcome.FAILED and f.severity.value == "blocking"
    assert "«Имеется задолженность 1 200 000 тенге»" in f.message and f.document == f"state/{type_}.json"


@pytest.mark.parametrize(
    ("type_", "code"), [("identity", "ELIG006"), ("criminal-record", "ELIG007"), ("narcology-psychiatry", "ELIG008")]
)
def test_adverse_specialist_statement_fails(type_: str, code: str) -> None:
    atts = [att(t, subject={"iin": IIN}, status="adverse" if t == type_ else "clear") for t in SPEC_TYPES]
    assert outcome(judge(specialist(), atts), code) == [Outcome.FAILED]


def test_missing_attestation_is_undecided_never_passed() -> None:
    findings = judge(organization(), [att(t) for t in ORG_TYPES if t != "bankruptcy"])
    [f] = [f for f in findings if f.code == "ELIG002"]
    assert f.outcome is Outcome.INDETERMINATE and "to be received from the state system" in f.message


def test_state_owned_needs_no_property_rights() -> None:
    raw = organization(state_owned=True)
    assert "property-rights" not in {t.id for t in required_types(dossier(raw).application)}  # type: ignore[arg-type]
    findings = judge(raw, [att(t) for t in ORG_TYPES if t != "property-rights"])
    assert not outcome(findings, "ELIG004")


def test_wrong_subject_fails_elig009_and_statement_is_not_relied_on() -> None:
    atts = [att(t) for t in ORG_TYPES if t != "tax-debt"] + [att("tax-debt", subject={"bin": "990940003030"})]
    findings = judge(organization(), atts)
    bad = [f for f in findings if f.code == "ELIG009" and f.outcome is Outcome.FAILED]
    assert len(bad) == 1 and "990940003030" in bad[0].message and BIN in bad[0].message
    assert outcome(findings, "ELIG001") == [Outcome.INDETERMINATE]


def test_stale_attestation_fails_elig009() -> None:
    old = att("tax-debt", issued=AT - timedelta(days=31))
    findings = judge(organization(), [old])
    [f] = [f for f in findings if f.code == "ELIG009" and f.document == "state/tax-debt.json"]
    assert f.outcome is Outcome.FAILED and "31 days old" in f.message
    # configurable: 45 days accepts it
    findings = judge(organization(), [old], max_age=45)
    assert [f.outcome for f in findings if f.code == "ELIG009"] == [Outcome.PASSED]


def test_attestation_from_the_future_fails() -> None:
    findings = judge(organization(), [att("tax-debt", issued=AT + timedelta(hours=1))])
    assert "after the validation moment" in next(f for f in findings if f.code == "ELIG009").message


@pytest.mark.parametrize(
    ("sigs", "expected", "words"),
    [
        ((), Outcome.FAILED, "not signed"),
        (
            (GOOD_SIG.model_copy(update={"indication": "TOTAL_FAILED", "subindication": "HASH_FAILURE"}),),
            Outcome.FAILED,
            "HASH_FAILURE",
        ),
        (
            (
                GOOD_SIG.model_copy(
                    update={"indication": "INDETERMINATE", "trusted": None, "messages": ("no trust anchor given",)}
                ),
            ),
            Outcome.INDETERMINATE,
            "no trust anchor given",
        ),
        ((GOOD_SIG.model_copy(update={"trusted": False}),), Outcome.FAILED, "does not chain to the trust store"),
        (
            (
                GOOD_SIG.model_copy(
                    update={"signer": Signer(common_name="АХМЕТОВ ЕРЛАН", role="head", roles=("head", "legal_entity"))}
                ),
            ),
            Outcome.FAILED,
            "not a state information-system certificate",
        ),
    ],
)
def test_signature_must_be_a_trusted_information_system(
    sigs: tuple[SignatureReport, ...], expected: Outcome, words: str
) -> None:
    findings = judge(organization(), [att("tax-debt", sigs=sigs)])
    [f] = [f for f in findings if f.code == "ELIG009"]
    assert f.outcome is expected and words in f.message
    assert outcome(findings, "ELIG001") == [Outcome.INDETERMINATE]


def test_latest_attestation_of_a_type_is_used() -> None:
    older = att("tax-debt", status="adverse", issued=AT - timedelta(days=10))
    newer = att("tax-debt", status="clear", issued=AT - timedelta(days=1))
    assert outcome(judge(organization(), [older, newer]), "ELIG001") == [Outcome.PASSED]


def test_change_request_uses_the_updated_record() -> None:
    findings = judge(change(), [att(t, status="adverse" if t == "tax-debt" else "clear") for t in ORG_TYPES])
    assert outcome(findings, "ELIG001") == [Outcome.FAILED]


def test_removal_needs_no_attestations() -> None:
    assert judge(removal(), []) == []


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"{", "not a readable attestation"),
        (b"[]", "expected a JSON object"),
        (json.dumps({"attestation": "tax-debt"}).encode(), "`issuer`"),
        (json.dumps({**body("tax-debt"), "status": "maybe"}).encode(), "`status`"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_unreadable_attestation_is_a_problem_not_an_error(data: bytes, words: str) -> None:
    got = parse_attestation("state/tax-debt.json", data)
    assert isinstance(got, eligibility.AttestationProblem) and words in got.message and got.type == "tax-debt"


def test_xml_attestation() -> None:
    xml = (
        "<attestation><attestation>criminal-record</attestation><issuer>КПСиСУ ГП РК</issuer>"
        f"<system>ИС «Судимость»</system><subject><iin>{IIN}</iin></subject>"
        "<issued_at>2026-11-18T10:00:00+05:00</issued_at><status>adverse</status>"
        "<statement>Имеется судимость</statement></attestation>"
    ).encode()
    got = parse_attestation("state/criminal-record.xml", xml, (GOOD_SIG,))
    assert isinstance(got, Attestation) and got.subject_iin == IIN and got.status == "adverse"
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'
    assert isinstance(parse_attestation("state/x.xml", bomb), eligibility.AttestationProblem)


def _facts(root: Path, name: str, sigs: tuple[SignatureReport, ...] = ()) -> FileFacts:
    facts = file_facts(name, root=root, signatures=sigs)
    assert facts.role is FileRole.ATTESTATION
    return facts


def test_dossier_source_reads_state_folder(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state/tax-debt.json").write_text(json.dumps(body("tax-debt")), encoding="utf-8")
    (tmp_path / "state/bankruptcy.json").write_text("{broken", encoding="utf-8")
    (tmp_path / "state/notes.txt").write_text("x", encoding="utf-8")
    files = [
        _facts(tmp_path, "state/tax-debt.json", (GOOD_SIG,)),
        _facts(tmp_path, "state/bankruptcy.json"),
        _facts(tmp_path, "state/notes.txt"),
    ]
    got = DossierSource(files).collect()
    assert [a.type for a in got.found] == ["tax-debt"] and got.found[0].signatures == (GOOD_SIG,)
    assert sorted(p.file for p in got.problems) == ["state/bankruptcy.json", "state/notes.txt"]
    findings = judge(organization(), list(got.found))
    assert outcome(findings, "ELIG001") == [Outcome.PASSED]


def test_directory_source_verifies_sidecars(tmp_path: Path) -> None:
    (tmp_path / "tax-debt.json").write_text(json.dumps(body("tax-debt")), encoding="utf-8")
    (tmp_path / "tax-debt.json.cms").write_bytes(b"sig")
    seen: list[tuple[str, ...]] = []

    def verify(f: FileFacts, root: Path) -> tuple[SignatureReport, ...]:
        seen.append(f.signature_files)
        return (GOOD_SIG,)

    got = eligibility.collect([DirectorySource(tmp_path, verify)])
    assert seen == [("tax-debt.json.cms",)] and got.found[0].signatures == (GOOD_SIG,)
    missing = DirectorySource(tmp_path / "nope", verify).collect()
    assert missing.problems and "does not exist" in missing.problems[0].message


@pytest.mark.parametrize(
    ("qual", "expected"),
    [
        ("социальная работа", Outcome.PASSED),
        ("Психолог", Outcome.PASSED),
        ("Мейірбике ісі", Outcome.PASSED),
        ("инженер-механик", Outcome.INDETERMINATE),
    ],
)
def test_qualification(qual: str, expected: Outcome) -> None:
    raw = specialist(qualification=qual, education="высшее техническое")
    [f] = list(qualification(dossier(raw)))
    assert f.outcome is expected and f.code == "ELIG010"


def test_education_alone_does_not_make_a_qualification_fit() -> None:
    raw = specialist(qualification="инженер-механик", education="Университет социальных технологий, 2010")
    [f] = list(qualification(dossier(raw)))
    assert f.outcome is Outcome.INDETERMINATE


def test_empty_qualification_fails_elig010() -> None:
    [f] = list(qualification(dossier(specialist(qualification=" "))))
    assert f.outcome is Outcome.FAILED


# --------------------------------------------------------------------------- end to end, real signatures


def _signed_attestation(
    folder: Path, type_: str, subject: dict[str, str], status: str, statement: str, signer: str = "state"
) -> None:
    from samplegen import cms, pki

    p = pki.build_pki()
    data = json.dumps(
        {**body(type_, subject=subject, status=status, statement=statement, issued=pki.AT - timedelta(days=1))},
        ensure_ascii=False,
    ).encode()
    (folder / f"{type_}.json").write_bytes(data)
    (folder / f"{type_}.json.cms").write_bytes(cms.signed_data(data, p.signer(signer), pki.AT - timedelta(days=1)))


@pytest.mark.slow
def test_real_signed_attestations_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """state/tax-debt.json signed by a state information system (adverse) fails ELIG001; one signed by the
    organization's head is no state attestation (ELIG009); one from --attestations DIR counts; the rest are
    to be received (indeterminate)."""
    from intake.cli import main
    from samplegen import pki

    trust = tmp_path / "trust"
    pki.write_trust(trust)
    dossier_dir = tmp_path / "dossier"
    (dossier_dir / "state").mkdir(parents=True)
    (dossier_dir / "application.json").write_text(
        json.dumps(organization(bin=pki.ORG_BIN), ensure_ascii=False), encoding="utf-8"
    )
    subject = {"bin": pki.ORG_BIN}
    _signed_attestation(dossier_dir / "state", "tax-debt", subject, "adverse", "Имеется задолженность 125 000 тенге")
    _signed_attestation(dossier_dir / "state", "bankruptcy", subject, "clear", "Не находится", signer="head")
    extra = tmp_path / "from-state"
    extra.mkdir()
    _signed_attestation(extra, "unreliable-supplier", subject, "clear", "Не состоит в реестре")
    code = main(
        [
            "check",
            str(dossier_dir),
            "--format",
            "json",
            "--no-ocr",
            "--trust",
            str(trust / pki.ROOT_PEM),
            "--crl",
            str(trust / pki.CA_CRL),
            "--crl",
            str(trust / pki.ROOT_CRL),
            "--at",
            pki.AT.isoformat(),
            "--attestations",
            str(extra),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    got = {(f["code"], f["document"]): f for f in report["findings"] if f["code"].startswith("ELIG")}
    assert got[("ELIG009", "state/tax-debt.json")]["outcome"] == "passed"
    assert got[("ELIG001", "state/tax-debt.json")]["outcome"] == "failed"
    assert "«Имеется задолженность 125 000 тенге»" in got[("ELIG001", "state/tax-debt.json")]["message"]
    bankrupt = got[("ELIG009", "state/bankruptcy.json")]
    assert bankrupt["outcome"] == "failed" and "not a state information-system certificate" in bankrupt["message"]
    assert got[("ELIG002", "state/bankruptcy.json")]["outcome"] == "indeterminate"
    folder_doc = f"folder {extra}/unreliable-supplier.json"
    assert got[("ELIG009", folder_doc)]["outcome"] == "passed" and got[("ELIG003", folder_doc)]["outcome"] == "passed"
    for code_ in ("ELIG004", "ELIG005"):
        assert got[(code_, None)]["outcome"] == "indeterminate"
        assert "to be received from the state system" in got[(code_, None)]["message"]


def test_bad_rates_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from intake.cli import main

    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "application.json").write_text(json.dumps(organization()), encoding="utf-8")
    (tmp_path / "rates.json").write_text('{"date": "x"}', encoding="utf-8")
    assert main(["check", str(folder), "--no-ocr", "--rates", str(tmp_path / "rates.json")]) == 2
    assert "rates file" in capsys.readouterr().err


def test_rates_file_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from intake.cli import main
    from tests.test_form import price

    folder = tmp_path / "d"
    folder.mkdir()
    rtd = dict(organization()["rtds"][0])
    rtd["reference_prices"] = [price("US", "250", "USD")] + [price(c, "100000") for c in ("PL", "RU", "TR", "DE")]
    (folder / "application.json").write_text(json.dumps(organization(rtds=[rtd])), encoding="utf-8")
    (tmp_path / "rates.json").write_text('{"date": "2026-11-02", "rates": {"USD": "400.00"}}', encoding="utf-8")
    main(
        [
            "check",
            str(folder),
            "--no-ocr",
            "--format",
            "json",
            "--at",
            "2026-11-20T12:00:00+05:00",
            "--rates",
            str(tmp_path / "rates.json"),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    [conv] = [f for f in report["findings"] if f["code"] == "PRICE004"]
    assert conv["outcome"] == "passed" and "250 USD × 400.00 = 100000.00 KZT" in conv["message"]
    [p1] = [f for f in report["findings"] if f["code"] == "PRICE001"]
    assert p1["outcome"] == "passed" and p1["evidence"]["average_kzt"] == "100000.00"
