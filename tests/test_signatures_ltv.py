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
