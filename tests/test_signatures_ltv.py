"""Issue 12, point 2: long-term validation (ETSI EN 319 102-1 5.5, 5.6). A signer certificate that
expired after a trusted proof of existence (a signature timestamp, a document timestamp) passes when
its revocation status was good at that moment, from the data the signature carries alone: CAdES
revocation values, a PDF's DSS and VRI; with `--revocation require` and no network."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from intake.cli import main
from intake.models import SignatureReport
from intake.signatures import VerificationContext
from intake.verifier.cms import BytesContent, load_signed_data, verify_signed_data
from samplegen import builders as b

SIGNED = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)  # inside the signer's year
EXPIRY = datetime(2025, 1, 1, tzinfo=UTC)
AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # the signer expired almost two years before
CONTENT = b"%PDF-1.7 a contract signed in 2024\n" * 50
TSA_EKU = ("1.3.6.1.5.5.7.3.8",)


@dataclass(frozen=True)
class Pki:
    root: b.Issued
    ca: b.Issued
    signer: b.Issued
    later_revoked: b.Issued
    tsa: b.Issued
    crl: bytes  # of the CA, issued just after signing: nobody revoked
    crl_later: bytes  # of the CA, issued after `later_revoked` was revoked (after the signing moment)
    ocsp: bytes  # good, about the signer, just after signing
    root_file: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    t0, t1 = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    usage = ("key_cert_sign", "crl_sign")
    root = b.issue("CN=LTV Root,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=usage)
    ca = b.issue("CN=LTV CA,C=KZ", issuer=root, not_before=t0, not_after=t1, ca=True, key_usage=usage)
    year = {"not_before": datetime(2024, 1, 1, tzinfo=UTC), "not_after": EXPIRY}
    signer = b.issue(
        "CN=Signer 2024,C=KZ", issuer=ca, ocsp_url="http://ocsp.invalid/", crl_url="http://crl.invalid/", **year
    )  # type: ignore[arg-type]
    later = b.issue("CN=Revoked Later,C=KZ", issuer=ca, serial=9001, crl_url="http://crl.invalid/", **year)  # type: ignore[arg-type]
    tsa = b.issue("CN=LTV TSA,C=KZ", issuer=ca, not_before=t0, not_after=t1, eku=TSA_EKU, crl_url="http://crl.invalid/")
    after = SIGNED + timedelta(hours=1)
    tmp = tmp_path_factory.mktemp("ltv")
    root_file = tmp / "root.pem"
    root_file.write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    return Pki(
        root=root,
        ca=ca,
        signer=signer,
        later_revoked=later,
        tsa=tsa,
        crl=b.crl(ca, [], after, after + timedelta(days=30)),
        crl_later=b.crl(
            ca,
            [(9001, datetime(2024, 9, 1, tzinfo=UTC))],
            datetime(2024, 10, 1, tzinfo=UTC),
            datetime(2024, 11, 1, tzinfo=UTC),
        ),
        ocsp=b.ocsp_response(ca, signer, good=True, this_update=after, next_update=after + timedelta(days=7)),
        root_file=root_file,
    )


def ctx(pki: Pki) -> VerificationContext:
    """Trust in the root alone; no --crl, no --ocsp, no network; --revocation require (the default)."""
    return VerificationContext(at=AT, trust=(str(pki.root_file),))


def cades(pki: Pki, who: b.Issued, *, timestamp: bool, values: bool, crl: bytes | None = None) -> bytes:
    sign, oid = b.sign_with(who)
    der = b.cms_with(
        CONTENT, who.asn1, sign, digest_oid=b.SHA256, signature_oid=oid, certificates=[who.asn1, pki.ca.asn1]
    )
    attrs = []
    if timestamp:
        attrs.append(b.timestamp_attribute(der, pki.tsa, SIGNED, [pki.ca.asn1]))
    if values:
        attrs.append(b.revocation_values(crls=[crl or pki.crl], ocsps=[pki.ocsp] if who is pki.signer else []))
        attrs.append(b.certificate_values([pki.ca.asn1]))
    return b.with_unsigned_attrs(der, attrs) if attrs else der


def verify(der: bytes, pki: Pki) -> SignatureReport:
    (r,) = verify_signed_data(load_signed_data(der), BytesContent(CONTENT), ctx(pki), fmt="cms", source="t")
    return r


def test_cades_lt_passes_after_expiry_from_its_own_data(pki: Pki) -> None:
    r = verify(cades(pki, pki.signer, timestamp=True, values=True), pki)
    assert (r.indication, r.subindication) == ("TOTAL_PASSED", None), r.messages
    assert r.proof_of_existence is not None and r.proof_of_existence.time == SIGNED
    assert (
        r.proof_of_existence.source == "signature_timestamp" and r.proof_of_existence.timestamp_authority == "LTV TSA"
    )
    assert r.signing_time_source == "timestamp" and r.signer.not_after == EXPIRY
    assert r.revocation.status == "good" and r.revocation.origin == "cades-revocation-values"
    assert r.revocation.policy == "require" and "OCSP" in (r.revocation.source or "")


def test_cades_without_proof_of_existence_or_data_does_not_pass(pki: Pki) -> None:
    # CAdES-B with its revocation values but no timestamp: nothing proves it was made before the expiry
    r = verify(cades(pki, pki.signer, timestamp=False, values=True), pki)
    assert (r.indication, r.subindication) == ("INDETERMINATE", "EXPIRED")
    # CAdES-T without revocation data: the TSA's status and the signer's are unknown
    r = verify(cades(pki, pki.signer, timestamp=True, values=False), pki)
    assert r.indication == "INDETERMINATE" and r.subindication in {"TRY_LATER", "EXPIRED"}


def test_cades_revoked_after_the_timestamp_passes_revoked_before_fails(pki: Pki) -> None:
    r = verify(cades(pki, pki.later_revoked, timestamp=True, values=True, crl=pki.crl_later), pki)
    assert r.indication == "TOTAL_PASSED" and r.proof_of_existence is not None  # revoked 2024-09, POE 2024-06
    assert r.revocation.origin == "cades-revocation-values"
    # without the timestamp the revocation after the (claimed) moment has no proof against it
    r = verify(cades(pki, pki.later_revoked, timestamp=False, values=True, crl=pki.crl_later), pki)
    assert r.indication != "TOTAL_PASSED"


@pytest.mark.parametrize("lta", [False, True], ids=["pades-b-lt", "pades-b-lta"])
def test_pades_long_term_passes_after_expiry_from_the_dss(
    pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str], lta: bool
) -> None:
    pdf = b.pades_sign(
        b.blank_pdf("signed in 2024"),
        pki.signer,
        [pki.ca, pki.root],
        pki.tsa,
        SIGNED,
        crls=[pki.crl],
        ocsps=[pki.ocsp],
        lta=lta,
    )
    path = tmp_path / "contract.pdf"
    path.write_bytes(pdf)
    args = ["verify", str(path), "--trust", str(pki.root_file), "--at", AT.isoformat(), "--format", "json"]
    assert main([*args, "--revocation", "require"]) == 0, capsys.readouterr().out
    out = json.loads(capsys.readouterr().out)
    sigs = out["signatures"]
    assert len(sigs) == (2 if lta else 1)
    signature = sigs[0]
    assert signature["indication"] == "TOTAL_PASSED" and signature["signer"]["common_name"] == "Signer 2024"
    assert signature["proof_of_existence"]["source"] == "signature_timestamp"
    assert signature["revocation"]["origin"] in {"pdf-dss", "pdf-dss-vri", "adbe-revocation-info-archival"}
    if lta:
        stamp = sigs[1]
        assert stamp["format"] == "pdf:ETSI.RFC3161" and stamp["indication"] == "TOTAL_PASSED"
    # the same file judged at a moment its data does not cover (before signing) is not passed
    assert main([*args[:-2], "--at", "2023-06-01", "--format", "json"]) == 1
    capsys.readouterr()


# --------------------------------------------------------------------------- a document timestamp as proof of existence

STAMPED = datetime(2024, 6, 15, 10, 0, tzinfo=UTC)  # a document timestamp added later, before the expiry
LATE = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)  # a document timestamp added after the expiry


def revinfo_at(pki: Pki, moment: datetime) -> tuple[bytes, bytes]:
    """The CA's CRL and a good OCSP response about the signer, issued an hour after `moment`."""
    t = moment + timedelta(hours=1)
    ocsp = b.ocsp_response(pki.ca, pki.signer, good=True, this_update=t, next_update=t + timedelta(days=7))
    return b.crl(pki.ca, [], t, t + timedelta(days=30)), ocsp


def pades_b_b(pki: Pki) -> bytes:
    """A PAdES-B-B signature made in 2024: no signature timestamp, no validation data."""
    sign, oid = b.sign_with(pki.signer)

    def make(covered: bytes) -> bytes:
        return b.signed_data(covered, [(pki.signer.asn1, sign, b.SHA256, oid)], certificates=[pki.signer.asn1])

    return b.sign_pdf(b.blank_pdf("signed in 2024, timestamped later"), make)


def later_stamped(pki: Pki, moment: datetime, tsa: b.Issued | None = None) -> bytes:
    """The B-B signature, then a DSS with what was known at `moment`, then a document timestamp at `moment`."""
    crl, ocsp = revinfo_at(pki, moment)
    with_data = b.add_dss(pades_b_b(pki), certs=[pki.ca], crls=[crl], ocsps=[ocsp])
    return b.document_timestamp(with_data, tsa or pki.tsa, moment, [pki.ca.asn1])


def verify_pdf_file(pdf: bytes, pki: Pki, tmp_path: Path) -> tuple[SignatureReport, ...]:
    from intake.verifier.pdf import verify_pdf

    path = tmp_path / "stamped.pdf"
    path.write_bytes(pdf)
    return verify_pdf(path, path.name, ctx(pki))


def test_document_timestamp_is_the_proof_of_existence_of_an_expired_signer(
    pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """EN 319 102-1 5.6.2.4: a document timestamp over the revision holding a signature proves the signature
    existed at its genTime; with the DSS saying the signer was good then, the expiry since does not matter."""
    bare = verify_pdf_file(pades_b_b(pki), pki, tmp_path)[0]
    assert bare.indication == "INDETERMINATE" and bare.proof_of_existence is None  # expired, nothing proves when
    pdf = later_stamped(pki, STAMPED)
    signature, stamp = verify_pdf_file(pdf, pki, tmp_path)
    assert stamp.format == "pdf:ETSI.RFC3161" and stamp.indication == "TOTAL_PASSED", stamp.messages
    assert (signature.indication, signature.subindication) == ("TOTAL_PASSED", None), signature.messages
    poe = signature.proof_of_existence
    assert poe is not None and poe.source == "document_timestamp"
    assert poe.time == STAMPED and poe.timestamp_authority == "LTV TSA"
    assert signature.revocation.status == "good" and signature.revocation.origin in {"pdf-dss", "pdf-dss-vri"}
    assert signature.signer.not_after == EXPIRY and signature.modification is not None
    assert signature.modification.level == "timestamps/dss"
    # the same through the command line: --revocation require, no network, no --crl/--ocsp
    path = tmp_path / "cli.pdf"
    path.write_bytes(pdf)
    args = ["verify", str(path), "--trust", str(pki.root_file), "--at", AT.isoformat(), "--format", "json"]
    assert main([*args, "--revocation", "require"]) == 0
    out = json.loads(capsys.readouterr().out)["signatures"][0]
    assert out["proof_of_existence"] == {
        "time": STAMPED.isoformat().replace("+00:00", "Z"),
        "source": "document_timestamp",
        "timestamp_authority": "LTV TSA",
    }


def test_document_timestamp_after_the_expiry_does_not_help(pki: Pki, tmp_path: Path) -> None:
    signature, stamp = verify_pdf_file(later_stamped(pki, LATE), pki, tmp_path)
    assert stamp.indication == "TOTAL_PASSED", stamp.messages  # the timestamp itself is fine
    assert signature.indication == "INDETERMINATE" and signature.proof_of_existence is None
    assert any("document timestamp of 2025-03-01" in m and "EXPIRED" in m for m in signature.messages)


def test_document_timestamp_whose_own_chain_fails_does_not_help(pki: Pki, tmp_path: Path) -> None:
    t0, t1 = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    usage = ("key_cert_sign", "crl_sign")
    other_root = b.issue("CN=Untrusted Root,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=usage)
    rogue = b.issue("CN=Rogue TSA,C=KZ", issuer=other_root, not_before=t0, not_after=t1, eku=TSA_EKU)
    signature, stamp = verify_pdf_file(later_stamped(pki, STAMPED, tsa=rogue), pki, tmp_path)
    assert stamp.indication == "INDETERMINATE" and stamp.subindication == "NO_CERTIFICATE_CHAIN_FOUND"
    assert signature.indication == "INDETERMINATE" and signature.proof_of_existence is None


def test_signature_changed_after_the_document_timestamp_still_fails(pki: Pki, tmp_path: Path) -> None:
    changed = b.append_content(later_stamped(pki, STAMPED), b"BT /F1 24 Tf 72 600 Td (Pay 999999 KZT) Tj ET")
    signature, stamp = verify_pdf_file(changed, pki, tmp_path)
    assert (signature.indication, signature.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert signature.modification is not None and signature.modification.suspicious is True
    assert stamp.indication == "TOTAL_FAILED"


def test_a_damaged_tail_after_the_dss_is_a_report_not_a_crash(pki: Pki, tmp_path: Path) -> None:
    """Found by bench/fuzz/fuzz_pdf.py: intake's parser reads the signature of a PAdES-LT file whose last
    `startxref` is damaged, pyHanko's reader does not; the DSS is then not used, and nothing raises."""
    crl, ocsp = revinfo_at(pki, STAMPED)
    pdf = b.add_dss(pades_b_b(pki), certs=[pki.ca], crls=[crl], ocsps=[ocsp])
    tail = pdf.rindex(b"startxref")
    damaged = pdf[:tail] + b"startxreX" + pdf[tail + len(b"startxref") :]
    reports = verify_pdf_file(damaged, pki, tmp_path)
    assert reports and all(r.indication != "TOTAL_PASSED" for r in reports)
