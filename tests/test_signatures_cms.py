"""Issue 12, points 3 and 4: the revocation policy, and the CMS that other validators accept (SHA-3,
SHAKE256, RSASSA-PSS parameters, Ed448, BER, a signer certificate given apart, unknown attributes,
broken structures as one failed signature naming the place)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.cli import main
from intake.models import SignatureReport
from intake.signatures import RevocationPolicy, VerificationContext, verify_path
from intake.verifier.cms import BytesContent, FormatError, load_signed_data, verify_signed_data
from samplegen import builders as b

AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CONTENT = b"%PDF-1.7 application of the register\n" * 100
SHA256 = b.SHA256
SHA384 = "2.16.840.1.101.3.4.2.2"
SHA512 = "2.16.840.1.101.3.4.2.3"
SHA3 = {224: "2.16.840.1.101.3.4.2.7", 256: "2.16.840.1.101.3.4.2.8", 384: "2.16.840.1.101.3.4.2.9"}
SHA3[512] = "2.16.840.1.101.3.4.2.10"


@dataclass(frozen=True)
class Pki:
    root: b.Issued
    ca: b.Issued
    rsa: b.Issued
    ec: b.Issued
    ed448: b.Issued
    revoked: b.Issued
    stranger: b.Issued
    root_file: Path
    crl: Path
    tmp: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    t0, t1 = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    lv0, lv1 = datetime(2025, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
    ca_usage = ("key_cert_sign", "crl_sign")
    root = b.issue("CN=CMS Test Root,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=ca_usage)
    ca = b.issue("CN=CMS Test CA,C=KZ", issuer=root, not_before=t0, not_after=t1, ca=True, key_usage=ca_usage)

    def leaf(cn: str, **kw: object) -> b.Issued:
        return b.issue(
            f"CN={cn},C=KZ",
            issuer=ca,
            not_before=lv0,
            not_after=lv1,
            ocsp_url="http://ocsp.invalid/",
            **kw,  # type: ignore[arg-type]
        )

    revoked = leaf("Revoked", serial=777)
    stranger_root = b.issue("CN=Stranger,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=ca_usage)
    tmp = tmp_path_factory.mktemp("cms-pki")
    root_file, crl = b.trust_files(tmp, root, ca, 777)
    return Pki(
        root=root,
        ca=ca,
        rsa=leaf("RSA Signer"),
        ec=leaf("EC Signer", key=ec.generate_private_key(ec.SECP384R1())),
        ed448=leaf("Ed448 Signer", key=ed448.Ed448PrivateKey.generate()),
        revoked=revoked,
        stranger=stranger_root,
        root_file=root_file,
        crl=crl,
        tmp=tmp,
    )


def ctx(pki: Pki, *, crl: bool = True, **kw: object) -> VerificationContext:
    return VerificationContext(at=AT, trust=(str(pki.root_file),), crls=(pki.crl,) if crl else (), **kw)  # type: ignore[arg-type]


def verify(der: bytes, context: VerificationContext, content: bytes = CONTENT) -> SignatureReport:
    (r,) = verify_signed_data(load_signed_data(der), BytesContent(content), context, fmt="cms", source="t")
    return r


def rsa_cms(pki: Pki, who: b.Issued | None = None, **kw: object) -> bytes:
    who = who or pki.rsa
    sign, oid = b.sign_with(who)
    return b.cms_with(CONTENT, who.asn1, sign, digest_oid=SHA256, signature_oid=oid, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- SHA-3, SHAKE256, PSS, Ed448


@pytest.mark.parametrize("bits", [224, 256, 384, 512])
def test_sha3_with_rsa_pkcs1(pki: Pki, bits: int) -> None:
    digest = SHA3[bits]
    der = b.cms_with(
        CONTENT,
        pki.rsa.asn1,
        b.rsa_signer(pki.rsa.key, digest),  # type: ignore[arg-type]
        digest_oid=digest,
        signature_oid=b.SHA3_SIGNATURES[digest][0],
    )
    r = verify(der, ctx(pki))
    assert (r.indication, r.digest_algorithm, r.algorithm) == ("TOTAL_PASSED", f"sha3_{bits}", f"sha3_{bits}_rsa")
    tampered = verify(der, ctx(pki), CONTENT + b"x")
    assert (tampered.indication, tampered.subindication) == ("TOTAL_FAILED", "HASH_FAILURE")


@pytest.mark.parametrize("bits", [224, 256, 384, 512])
def test_sha3_with_ecdsa(pki: Pki, bits: int) -> None:
    digest = SHA3[bits]
    der = b.cms_with(
        CONTENT,
        pki.ec.asn1,
        b.ec_signer(pki.ec.key, digest),  # type: ignore[arg-type]
        digest_oid=digest,
        signature_oid=b.SHA3_SIGNATURES[digest][1],
    )
    r = verify(der, ctx(pki))
    assert (r.indication, r.algorithm) == ("TOTAL_PASSED", f"sha3_{bits}_ecdsa")


def test_shake256_content_digest_with_rsa(pki: Pki) -> None:
    """SHAKE256 (512-bit output, RFC 8702) as the content digest; the signature's own hash is in its OID."""
    der = b.cms_with(
        CONTENT, pki.rsa.asn1, b.rsa_signer(pki.rsa.key), digest_oid=b.SHAKE256, signature_oid=b.SHA256_RSA
    )  # type: ignore[arg-type]
    r = verify(der, ctx(pki))
    assert (r.indication, r.digest_algorithm) == ("TOTAL_PASSED", "shake256")
    assert verify(der, ctx(pki), CONTENT[:-1]).subindication == "HASH_FAILURE"


@pytest.mark.parametrize(
    ("hash_oid", "mgf_oid", "salt"),
    [(SHA256, SHA256, 32), (SHA384, SHA256, 20), (SHA512, SHA512, 0), (SHA3[256], SHA3[256], 32)],
)
def test_rsassa_pss_parameters(pki: Pki, hash_oid: str, mgf_oid: str, salt: int) -> None:
    sign, params = b.rsa_pss_signer(pki.rsa.key, hash_oid, mgf_oid, salt)  # type: ignore[arg-type]
    der = b.cms_with(
        CONTENT, pki.rsa.asn1, sign, digest_oid=hash_oid, signature_oid=b.RSASSA_PSS, signature_params=params
    )
    assert verify(der, ctx(pki)).indication == "TOTAL_PASSED"
    # the same signature declared with another salt length or MGF1 hash does not verify
    _, lying = b.rsa_pss_signer(pki.rsa.key, hash_oid, SHA384 if mgf_oid != SHA384 else SHA256, salt + 1)  # type: ignore[arg-type]
    info = cms.ContentInfo.load(der)
    si = info["content"]["signer_infos"][0]
    forged = b.assemble(
        None,
        [
            cms.SignerInfo(
                {
                    **{k: si[k] for k in ("version", "sid", "digest_algorithm", "signed_attrs", "signature")},
                    "signature_algorithm": {"algorithm": b.RSASSA_PSS, "parameters": lying},
                }
            )
        ],
        [pki.rsa.asn1],
    )
    r = verify(forged, ctx(pki))
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE")


def test_ed448_with_its_mandatory_shake256(pki: Pki) -> None:
    key = pki.ed448.key
    assert isinstance(key, ed448.Ed448PrivateKey)
    der = b.cms_with(CONTENT, pki.ed448.asn1, b.ed448_signer(key), digest_oid=b.SHAKE256, signature_oid=b.ED448)
    r = verify(der, ctx(pki))
    assert (r.indication, r.algorithm, r.digest_algorithm) == ("TOTAL_PASSED", "ed448", "shake256")
    # RFC 8419: Ed448 in CMS is with SHAKE256; another digest is refused, not verified
    other = b.cms_with(CONTENT, pki.ed448.asn1, b.ed448_signer(key), digest_oid=SHA512, signature_oid=b.ED448)
    r = verify(other, ctx(pki))
    assert (r.indication, r.subindication) == ("INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE")
    assert "SHAKE256" in " ".join(r.messages).upper()


# --------------------------------------------------------------------------- BER, missing certificate, attributes


def test_ber_indefinite_lengths_and_constructed_octet_string(pki: Pki, tmp_path: Path) -> None:
    der = rsa_cms(pki, detached=False)
    ber = b.ber_enveloping(der, chunk=777)
    assert ber[:2] == b"\x30\x80" and b"\x24\x80" in ber  # indefinite lengths, constructed OCTET STRING
    path = tmp_path / "doc.pdf.p7m"
    path.write_bytes(ber)
    (r,) = verify_path(path, ctx(pki))
    assert (r.indication, r.format) == ("TOTAL_PASSED", "cms-attached")
    # the content is read across the chunks: one changed byte in the last chunk breaks it
    broken = bytearray(ber)
    at = broken.rindex(CONTENT[-20:])
    broken[at] ^= 1
    path.write_bytes(bytes(broken))
    (r,) = verify_path(path, ctx(pki))
    assert r.subindication == "HASH_FAILURE"


def test_signer_certificate_given_apart(pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(CONTENT)
    sig = tmp_path / "doc.pdf.cms"
    sig.write_bytes(rsa_cms(pki, certificates=[]))
    base = ["verify", str(doc), "--signature", str(sig), "--trust", str(pki.root_file), "--crl", str(pki.crl)]
    base += ["--at", AT.isoformat(), "--format", "json"]
    assert main(base) == 1
    (r,) = json.loads(capsys.readouterr().out)["signatures"]
    assert (r["indication"], r["subindication"]) == ("INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND")
    cert = tmp_path / "signer.pem"
    cert.write_bytes(pki.rsa.cert.public_bytes(serialization.Encoding.PEM))
    assert main([*base, "--cert", str(cert)]) == 0
    (r,) = json.loads(capsys.readouterr().out)["signatures"]
    assert r["indication"] == "TOTAL_PASSED" and r["signer"]["common_name"] == "RSA Signer"
    # a certificate of someone else does not stand in for the signer's
    other = tmp_path / "other.pem"
    other.write_bytes(pki.ec.cert.public_bytes(serialization.Encoding.PEM))
    assert main([*base, "--cert", str(other)]) == 1
    assert json.loads(capsys.readouterr().out)["signatures"][0]["subindication"] == "NO_SIGNING_CERTIFICATE_FOUND"


def test_unknown_attributes_are_ignored(pki: Pki) -> None:
    unknown_signed = b.attribute("1.3.6.1.4.1.99999.1", b"\x0c\x05hello")
    unknown_unsigned = b.attribute("1.3.6.1.4.1.99999.2", b"\x02\x01\x07", b"\x05\x00")
    der = rsa_cms(pki, extra_signed=[unknown_signed], unsigned=[unknown_unsigned])
    assert verify(der, ctx(pki)).indication == "TOTAL_PASSED"
    # the unknown signed attribute is still covered by the signature: changing it breaks the signature
    altered = der.replace(b"hello", b"jello")
    assert verify(altered, ctx(pki)).subindication == "SIG_CRYPTO_FAILURE"


@pytest.mark.parametrize("critical", [False, True])
def test_unknown_certificate_extension_is_ignored_unless_critical(pki: Pki, critical: bool) -> None:
    """RFC 5280 4.2: an extension the validator does not know is ignored, unless marked critical: then
    the certificate must be rejected (CMS attributes carry no criticality; certificate extensions do)."""
    who = b.issue(
        "CN=Extended Signer,C=KZ",
        issuer=pki.ca,
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
        not_after=datetime(2028, 1, 1, tzinfo=UTC),
        ocsp_url="http://ocsp.invalid/",
        extensions=[("1.3.6.1.4.1.99999.7", b"\x0c\x05hello", critical)],
    )
    r = verify(rsa_cms(pki, who, certificates=[who.asn1]), ctx(pki))
    if critical:
        assert (r.indication, r.subindication) == ("INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE"), r
        assert "unsupported critical extension: 1.3.6.1.4.1.99999.7" in " ".join(r.messages)
    else:
        assert r.indication == "TOTAL_PASSED", r.messages


def test_unreadable_structure_is_one_failed_signature_naming_the_place(pki: Pki, tmp_path: Path) -> None:
    der = rsa_cms(pki, detached=False)
    path = tmp_path / "envelope.bin"
    path.write_bytes(der[: len(der) // 2])  # cut: not a .p7m name, still meant as a CMS
    reports = verify_path(path, ctx(pki))
    assert len(reports) == 1 and reports[0].indication == "TOTAL_FAILED"
    assert reports[0].subindication == "FORMAT_FAILURE" and "envelope.bin" in reports[0].source  # type: ignore[operator]
    # a SignerInfo whose signed attributes are garbage: the message names signerInfos[0]
    info = cms.ContentInfo.load(der)
    si = info["content"]["signer_infos"][0]
    raw = si.dump()
    attrs = si["signed_attrs"].dump()
    bad_si = raw.replace(attrs, b"\xa0" + attrs[1:2] + b"\xff" * (len(attrs) - 2))
    broken = der.replace(raw, bad_si)
    path.write_bytes(broken)
    reports = verify_path(path, ctx(pki))
    assert len(reports) == 1 and reports[0].subindication == "FORMAT_FAILURE"
    assert "signerInfos[0]" in " ".join(reports[0].messages) or "SignerInfo" in " ".join(reports[0].messages)


# --------------------------------------------------------------------------- the revocation policy


def test_require_without_revocation_data_is_undecided(pki: Pki) -> None:
    r = verify(rsa_cms(pki), ctx(pki, crl=False))
    assert (r.indication, r.subindication, r.revocation.policy) == ("INDETERMINATE", "TRY_LATER", "require")


def test_soft_fail_passes_only_where_no_data_can_be_had(pki: Pki) -> None:
    soft = ctx(pki, crl=False, revocation=RevocationPolicy.SOFT_FAIL)
    r = verify(rsa_cms(pki), soft)
    assert (r.indication, r.revocation.status, r.revocation.policy) == ("TOTAL_PASSED", "unknown", "soft-fail")
    # data that says revoked still fails
    r = verify(rsa_cms(pki, pki.revoked), ctx(pki, revocation=RevocationPolicy.SOFT_FAIL))
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "REVOKED")
    # data about the certificate that cannot be used (an OCSP answer signed by a stranger) does not pass
    bad = pki.tmp / "stranger.ocsp"
    bad.write_bytes(
        b.ocsp_response(
            pki.ca,
            pki.rsa,
            good=True,
            this_update=datetime(2026, 11, 20, tzinfo=UTC),
            next_update=datetime(2026, 12, 20, tzinfo=UTC),
            responder=pki.stranger,
        )
    )
    r = verify(rsa_cms(pki), ctx(pki, crl=False, ocsp=(bad,), revocation=RevocationPolicy.SOFT_FAIL))
    assert r.indication != "TOTAL_PASSED" and r.revocation.policy == "soft-fail"


def test_off_does_not_check_and_says_so(pki: Pki) -> None:
    r = verify(rsa_cms(pki, pki.revoked), ctx(pki, revocation=RevocationPolicy.OFF))
    assert (r.indication, r.revocation.status, r.revocation.policy) == ("TOTAL_PASSED", "not_checked", "off")


def test_revocation_option_on_verify_and_in_its_report(
    pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(CONTENT)
    (tmp_path / "doc.pdf.cms").write_bytes(rsa_cms(pki))
    base = ["verify", str(doc), "--trust", str(pki.root_file), "--at", AT.isoformat(), "--format", "json"]
    assert main(base) == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"file", "signatures"} and out["signatures"][0]["revocation"]["policy"] == "require"
    assert main([*base, "--revocation", "soft-fail"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["signatures"][0]["revocation"] == {
        **out["signatures"][0]["revocation"],
        "policy": "soft-fail",
        "status": "unknown",
    }
    assert main([*base, "--revocation", "never"]) == 2


def test_revocation_policy_in_the_check_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = Path(__file__).parent.parent / "samples" / "organization-complete"
    expected = json.loads((sample / "expected.json").read_text(encoding="utf-8"))
    args = ["check", str(sample), "--format", "json", "--no-ocr", *expected.get("args", [])]
    main([*args, "--revocation", "off"])
    report = json.loads(capsys.readouterr().out)
    assert report["revocation_policy"] == "off"
    policies = {s["revocation"]["policy"] for d in report["documents"] for s in d["signatures"]}
    assert policies == {"off"}
    main(args)
    assert json.loads(capsys.readouterr().out)["revocation_policy"] == "require"


# --------------------------------------------------------------------------- one cause, one finding


@pytest.mark.parametrize(
    ("drop", "cause"),
    [(("--trust",), "no_trust_anchors"), (("--crl",), "no_revocation_data")],
    ids=["no-trust", "no-revocation-data"],
)
def test_one_cause_is_one_finding_naming_the_files(
    capsys: pytest.CaptureFixture[str], drop: tuple[str, ...], cause: str
) -> None:
    root = Path(__file__).parent.parent
    sample = root / "samples" / "organization-complete"
    given = json.loads((sample / "expected.json").read_text(encoding="utf-8"))["args"]
    args: list[str] = []
    for flag, value in zip(given[::2], given[1::2], strict=True):
        if flag not in drop:
            args += [flag, str(root / value) if flag in ("--trust", "--crl") else value]
    main(["check", str(sample), "--format", "json", "--no-ocr", *args])
    report = json.loads(capsys.readouterr().out)
    undecided = [f for f in report["findings"] if f["code"] == "SIG002" and f["outcome"] == "indeterminate"]
    assert len(undecided) == 1, [f["message"] for f in undecided]
    (one,) = undecided
    signed = {d["file"] for d in report["documents"] if d["signatures"]}
    assert one["evidence"]["cause"] == cause and set(one["evidence"]["files"]) == signed and len(signed) > 3
    assert all(name in one["message"] for name in signed)


# --------------------------------------------------------------------------- the context, and damage never raising


def test_the_context_at_another_moment_shares_what_was_read(pki: Pki) -> None:
    base = ctx(pki, revocation=RevocationPolicy.SOFT_FAIL)
    material = base.material()
    later = base.at_moment(datetime(2027, 1, 1, tzinfo=UTC))
    assert later.at.year == 2027 and later.revocation is RevocationPolicy.SOFT_FAIL
    assert later.material() is material and later.memo is base.memo
    root = Path(__file__).parent.parent
    for name in ("intake/signatures.py", "intake/verifier/cms.py", "intake/verifier/pdf.py", "bench/bench_cms.py"):
        text = (root / name).read_text(encoding="utf-8")
        assert "_cache" not in text and "import BytesContent, _at" not in text, name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_cms_gives_reports_never_exceptions(pki: Pki, data: st.DataObject) -> None:
    """What bench/fuzz/fuzz_cms.py does at length, a little in every run: damage becomes a report."""
    seed = data.draw(st.sampled_from(_SEEDS), label="seed")
    der = bytearray(seed(pki))
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        at = data.draw(st.integers(0, len(der) - 1), label="at")
        kind = data.draw(st.sampled_from(["flip", "cut", "insert", "length"]), label="kind")
        if kind == "flip":
            der[at] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == "cut":
            del der[at : at + data.draw(st.integers(1, 40))]
        elif kind == "insert":
            der[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            der[at] = data.draw(st.sampled_from([0x80, 0x81, 0x84, 0xFF, 0x00]))
        if not der:
            der = bytearray(b"0")
    try:
        signed = load_signed_data(bytes(der))
    except FormatError:
        return
    reports = verify_signed_data(signed, BytesContent(CONTENT), ctx(pki), fmt="cms", source="t")
    assert reports and all(isinstance(r, SignatureReport) for r in reports)


def _plain(pki: Pki) -> bytes:
    return rsa_cms(pki, detached=False)


def _ber(pki: Pki) -> bytes:
    return b.ber_enveloping(rsa_cms(pki, detached=False), chunk=300)


def _cades(pki: Pki) -> bytes:
    der = rsa_cms(pki)
    crl = pki.crl.read_bytes()
    return b.with_unsigned_attrs(
        der,
        [b.timestamp_attribute(der, pki.rsa, AT, [pki.ca.asn1]), b.revocation_values(crls=[crl])],
    )


_SEEDS = (_plain, _ber, _cades)
