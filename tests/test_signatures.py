"""EDS verification (issue 3): CMS with the real NCA test PKI (GOST 2015, GOST 2004, RSA) and an RSA
test PKI built here; one test per ETSI subindication that applies to CMS."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import algos, cms, crl, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import pkcs12
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import gost
from intake.cli import main
from intake.errors import ConfigurationError, InputError
from intake.models import SignatureReport
from intake.signatures import VerificationContext, verify_certificate, verify_path
from intake.verifier.algos import VALIDATOR
from intake.verifier.cms import BytesContent, load_signed_data, verify_signed_data
from samplegen import builders as b

KZ = Path(__file__).parent / "data" / "kz-pki"
KZ_CRL = KZ / "crl" / "nca_gost2022_test_2026-08-11.crl"
PASSWORD = b"Qwerty12"
AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # after the 2026-08-11 CRL, inside the 2026/27 test certs
SIGNED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
OLD = datetime(2019, 1, 1, tzinfo=UTC)  # inside the 2018/2019 production test certificates
SHA1 = "1.3.14.3.2.26"
MD5 = "1.2.840.113549.2.5"
CONTENT = b"%PDF-1.7 application of the register\n" * 200


# --------------------------------------------------------------------------- the RSA test PKI


@dataclass(frozen=True)
class Pki:
    root: b.Issued
    ca: b.Issued
    sign: b.Issued
    auth: b.Issued
    revoked: b.Issued
    expired: b.Issued
    future: b.Issued
    weak: b.Issued
    no_sign_usage: b.Issued
    ec: b.Issued
    ed: b.Issued
    stranger_root: b.Issued
    stranger: b.Issued
    crl: Path
    root_file: Path


LEGAL = ("1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.1", "1.3.6.1.5.5.7.3.4")
SUBJECT = "CN=ИВАНОВ ИВАН,2.5.4.5=IIN880101300123,OU=BIN123456789021,O=ТОО Тест,C=KZ"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    t0, t1 = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    lv0, lv1 = datetime(2025, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
    ca_usage = ("key_cert_sign", "crl_sign")
    root = b.issue("CN=Intake Test Root,O=intake,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=ca_usage)
    ca = b.issue(
        "CN=Intake Test CA,O=intake,C=KZ", issuer=root, not_before=t0, not_after=t1, ca=True, key_usage=ca_usage
    )

    def leaf(**kw: object) -> b.Issued:
        args: dict[str, object] = {
            "issuer": ca,
            "not_before": lv0,
            "not_after": lv1,
            "eku": LEGAL,
            "ocsp_url": "http://ocsp.invalid/",  # pyhanko-certvalidator reads OCSP only where AIA names it
        }
        args.update(kw)
        return b.issue(str(args.pop("subject", SUBJECT)), **args)  # type: ignore[arg-type]

    revoked = leaf(serial=4242)
    stranger_root = b.issue("CN=Stranger Root,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=ca_usage)
    tmp = tmp_path_factory.mktemp("pki")
    root_file, crl_file = b.trust_files(tmp, root, ca, 4242)
    return Pki(
        root=root,
        ca=ca,
        sign=leaf(),
        auth=leaf(key_usage=("digital_signature", "key_encipherment"), eku=("1.2.398.3.3.4.1.2", "1.3.6.1.5.5.7.3.2")),
        revoked=revoked,
        expired=leaf(not_before=datetime(2020, 1, 1, tzinfo=UTC), not_after=datetime(2021, 1, 1, tzinfo=UTC)),
        future=leaf(not_before=datetime(2027, 6, 1, tzinfo=UTC), not_after=datetime(2030, 1, 1, tzinfo=UTC)),
        weak=leaf(key=b.new_rsa_key(1024)),
        no_sign_usage=leaf(key_usage=("key_encipherment",)),
        ec=leaf(key=ec.generate_private_key(ec.SECP256R1())),
        ed=leaf(key=ed25519.Ed25519PrivateKey.generate()),
        stranger_root=stranger_root,
        stranger=b.issue(SUBJECT, issuer=stranger_root, not_before=lv0, not_after=lv1, eku=LEGAL),
        crl=crl_file,
        root_file=root_file,
    )


def ctx_for(pki: Pki, *, crl: bool = True, at: datetime = AT) -> VerificationContext:
    return VerificationContext(at=at, trust=(str(pki.root_file),), crls=(pki.crl,) if crl else ())


def sign_rsa(
    who: b.Issued,
    content: bytes = CONTENT,
    *,
    digest: str = b.SHA256,
    when: datetime | None = SIGNED,
    detached: bool = True,
    certs: list[x509.Certificate] | None = None,
) -> bytes:
    signer, oid = b.sign_with(who, digest)
    return b.signed_data(
        content, [(who.asn1, signer, digest, oid)], detached=detached, signing_time=when, certificates=certs
    )


def verify(der: bytes, ctx: VerificationContext, content: bytes | None = CONTENT) -> tuple[str, str | None]:
    r = verify_signed_data(
        load_signed_data(der), BytesContent(content) if content is not None else None, ctx, fmt="cms", source="t"
    )
    assert len(r) == 1
    return r[0].indication, r[0].subindication


# --------------------------------------------------------------------------- passing signatures, each algorithm


def test_rsa_cms_passes_with_separate_facts(pki: Pki) -> None:
    reports = verify_signed_data(
        load_signed_data(sign_rsa(pki.sign)), BytesContent(CONTENT), ctx_for(pki), fmt="cms", source="a.cms"
    )
    r = reports[0]
    assert (r.indication, r.subindication) == ("TOTAL_PASSED", None)
    assert r.intact and r.valid and r.trusted and r.certificate_valid and r.key_usage_ok and r.algorithm_ok
    assert r.signing_time == SIGNED and r.signing_time_source == "signing_time"
    assert r.revocation.status == "good" and r.revocation.source and "CRL" in r.revocation.source
    assert r.algorithm == "sha256_rsa"
    assert r.signer.iin == "880101300123" and r.signer.bin == "123456789021" and r.signer.role == "head"
    assert r.signer.key_purpose == "sign" and r.signer.holder == "legal_entity" and r.signer.organization == "ТОО Тест"
    assert len(r.chain) == 3


@pytest.mark.parametrize("which", ["ec", "ed", "pss"])
def test_ecdsa_ed25519_and_pss_verify(pki: Pki, which: str) -> None:
    if which == "pss":
        si = b.signer_info(
            b.digest(b.SHA256, CONTENT),
            pki.sign.asn1,
            b.rsa_signer(pki.sign.key, pss=True),  # type: ignore[arg-type]
            digest_oid=b.SHA256,
            signature_oid="1.2.840.113549.1.1.10",
            signature_params=algos.RSASSAPSSParams(
                {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}},
                    "salt_length": 32,
                }
            ),
            signing_time=SIGNED,
        )
        der = b.assemble(None, [si], [pki.sign.asn1])
    else:
        der = sign_rsa(getattr(pki, which))
    assert verify(der, ctx_for(pki)) == ("TOTAL_PASSED", None)


def test_attached_cms_and_base64_and_pem_encodings(pki: Pki) -> None:
    der = sign_rsa(pki.sign, detached=False)
    signed = load_signed_data(der)
    from intake.verifier.cms import attached_content

    assert attached_content(signed) == CONTENT
    import base64

    b64 = base64.encodebytes(der)
    pem = b"-----BEGIN CMS-----\n" + b64 + b"-----END CMS-----\n"
    for blob in (der, b64, pem):
        assert verify(blob, ctx_for(pki)) == ("TOTAL_PASSED", None)


def test_signed_attributes_are_verified_as_received_not_re_encoded(pki: Pki) -> None:
    """Attributes in non-DER order (contentType after signingTime) still verify: DSS-667 style."""
    digest = b.digest(b.SHA256, CONTENT)
    attrs = [
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": SIGNED})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
    ]
    body = b"".join(a.dump() for a in attrs)  # deliberately not sorted
    from asn1crypto.core import _dump_header

    set_der = _dump_header(0, True, 17, body) + body
    sa = cms.CMSAttributes.load(set_der)
    signature = b.rsa_signer(pki.sign.key)(set_der)  # type: ignore[arg-type]
    si = cms.SignerInfo(
        {
            "version": "v1",
            "sid": {
                "issuer_and_serial_number": {
                    "issuer": pki.sign.asn1.issuer,
                    "serial_number": pki.sign.asn1.serial_number,
                }
            },
            "digest_algorithm": {"algorithm": b.SHA256},
            "signed_attrs": sa,
            "signature_algorithm": {"algorithm": b.SHA256_RSA},
            "signature": signature,
        }
    )
    der = b.assemble(None, [si], [pki.sign.asn1])
    assert set_der[2:] in der  # the wire bytes keep the unsorted order
    assert verify(der, ctx_for(pki)) == ("TOTAL_PASSED", None)


def test_several_signers_each_reported(pki: Pki) -> None:
    s1, o1 = b.sign_with(pki.sign)
    s2, o2 = b.sign_with(pki.revoked)
    der = b.signed_data(
        CONTENT, [(pki.sign.asn1, s1, b.SHA256, o1), (pki.revoked.asn1, s2, b.SHA256, o2)], signing_time=SIGNED
    )
    r = verify_signed_data(load_signed_data(der), BytesContent(CONTENT), ctx_for(pki), fmt="cms", source="t")
    by_serial = {x.signer.certificate_serial: (x.indication, x.subindication) for x in r}
    assert by_serial == {
        format(pki.sign.cert.serial_number, "x"): ("TOTAL_PASSED", None),
        format(4242, "x"): ("TOTAL_FAILED", "REVOKED"),
    }


# --------------------------------------------------------------------------- one test per subindication


def test_hash_failure_one_changed_byte(pki: Pki) -> None:
    changed = bytearray(CONTENT)
    changed[100] ^= 1
    assert verify(sign_rsa(pki.sign), ctx_for(pki), bytes(changed)) == ("TOTAL_FAILED", "HASH_FAILURE")


def test_sig_crypto_failure(pki: Pki) -> None:
    info = cms.ContentInfo.load(sign_rsa(pki.sign))
    si = info["content"]["signer_infos"][0]
    sig = bytearray(si["signature"].native)
    sig[10] ^= 0xFF
    si["signature"] = bytes(sig)
    assert verify(info.dump(force=True), ctx_for(pki)) == ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE")


def test_revoked_before_the_signing_moment(pki: Pki) -> None:
    r = verify_signed_data(
        load_signed_data(sign_rsa(pki.revoked)), BytesContent(CONTENT), ctx_for(pki), fmt="cms", source="t"
    )[0]
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "REVOKED")
    assert r.revocation.status == "revoked" and r.revocation.revoked_at == datetime(2026, 6, 1, tzinfo=UTC)


def test_revoked_after_a_claimed_signing_time_is_not_a_pass(pki: Pki) -> None:
    der = sign_rsa(pki.revoked, when=datetime(2026, 3, 1, tzinfo=UTC))
    assert verify(der, ctx_for(pki)) == ("INDETERMINATE", "REVOKED_NO_POE")


def test_expired(pki: Pki) -> None:
    assert verify(sign_rsa(pki.expired), ctx_for(pki)) == ("TOTAL_FAILED", "EXPIRED")
    # without any time in the signature there is no proof it was made after expiry
    assert verify(sign_rsa(pki.expired, when=None), ctx_for(pki)) == ("INDETERMINATE", "EXPIRED")


def test_not_yet_valid(pki: Pki) -> None:
    assert verify(sign_rsa(pki.future), ctx_for(pki)) == ("TOTAL_FAILED", "NOT_YET_VALID")


def test_no_certificate_chain_found(pki: Pki) -> None:
    assert verify(sign_rsa(pki.stranger), ctx_for(pki)) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")
    no_trust = VerificationContext(at=AT, crls=(pki.crl,))
    assert verify(sign_rsa(pki.sign), no_trust) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")


def test_no_signing_certificate_found(pki: Pki) -> None:
    assert verify(sign_rsa(pki.sign, certs=[]), ctx_for(pki)) == ("INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND")


def test_signed_data_not_found(pki: Pki, tmp_path: Path) -> None:
    sidecar = tmp_path / "doc.pdf.cms"
    sidecar.write_bytes(sign_rsa(pki.sign))
    (r,) = verify_path(sidecar, ctx_for(pki))
    assert (r.indication, r.subindication) == ("INDETERMINATE", "SIGNED_DATA_NOT_FOUND")


@pytest.mark.parametrize("digest", [SHA1, MD5])
def test_crypto_constraints_weak_digest(pki: Pki, digest: str) -> None:
    assert verify(sign_rsa(pki.sign, digest=digest), ctx_for(pki)) == ("INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE")


def test_crypto_constraints_short_rsa_key(pki: Pki) -> None:
    assert verify(sign_rsa(pki.weak), ctx_for(pki)) == ("INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE")


def test_chain_constraints_key_usage(pki: Pki) -> None:
    assert verify(sign_rsa(pki.no_sign_usage), ctx_for(pki)) == ("INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE")


def test_format_failure(pki: Pki, tmp_path: Path) -> None:
    junk = tmp_path / "doc.pdf.cms"
    junk.write_bytes(b"this is not a signature")
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(CONTENT)
    (r,) = verify_path(doc, ctx_for(pki), junk)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert "doc.pdf.cms" in r.messages[0]
    # signed attributes without a messageDigest
    si = b.signer_info(b"", pki.sign.asn1, b.rsa_signer(pki.sign.key), digest_oid=b.SHA256, signature_oid=b.SHA256_RSA)  # type: ignore[arg-type]
    si["signed_attrs"] = cms.CMSAttributes([a for a in si["signed_attrs"] if a["type"].native != "message_digest"])
    assert verify(b.assemble(None, [si], [pki.sign.asn1]), ctx_for(pki)) == ("TOTAL_FAILED", "FORMAT_FAILURE")


def test_try_later_without_revocation_data(pki: Pki) -> None:
    r = verify_signed_data(
        load_signed_data(sign_rsa(pki.sign)), BytesContent(CONTENT), ctx_for(pki, crl=False), fmt="cms", source="t"
    )[0]
    assert (r.indication, r.subindication) == ("INDETERMINATE", "TRY_LATER")
    assert r.revocation.status == "unknown" and any("--crl" in m for m in r.messages)


def test_timestamp_sets_the_signing_moment(pki: Pki) -> None:
    tsa = b.issue(
        "CN=Intake TSA,C=KZ",
        issuer=pki.ca,
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
        not_after=datetime(2030, 1, 1, tzinfo=UTC),
        eku=("1.3.6.1.5.5.7.3.8",),
    )
    der = sign_rsa(pki.sign)
    sig = load_signed_data(der)["signer_infos"][0]["signature"].native
    stamp = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    token = b.timestamp_token(sig, tsa.asn1, b.rsa_signer(tsa.key), stamp)  # type: ignore[arg-type]
    r = verify_signed_data(
        load_signed_data(b.with_timestamp(der, token)), BytesContent(CONTENT), ctx_for(pki), fmt="cms", source="t"
    )[0]
    assert r.indication == "TOTAL_PASSED" and r.signing_time == stamp and r.signing_time_source == "timestamp"
    # a token over other bytes is not used: the claimed signingTime stays
    bad = b.timestamp_token(b"other", tsa.asn1, b.rsa_signer(tsa.key), stamp)  # type: ignore[arg-type]
    r = verify_signed_data(
        load_signed_data(b.with_timestamp(der, bad)), BytesContent(CONTENT), ctx_for(pki), fmt="cms", source="t"
    )[0]
    assert r.signing_time_source == "signing_time" and any("imprint" in m for m in r.messages)


def test_unusable_trust_is_a_configuration_error(pki: Pki, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        verify(sign_rsa(pki.sign), VerificationContext(at=AT, trust=(str(tmp_path / "nope"),)))
    with pytest.raises(InputError):
        verify_path(tmp_path / "missing.pdf", ctx_for(pki))


# --------------------------------------------------------------------------- the real NCA test PKI


def kz_ctx(at: datetime = AT) -> VerificationContext:
    return VerificationContext(at=at, trust=("kz-test", "kz-nca"), crls=(KZ_CRL,))


MANIFEST_REVOKED = {
    "ncanodego_individual_revoked_individual_revoked",
    "ncanodego_legal_revoked_employee",
    "ncanodego_legal_revoked_employee_signright",
    "ncanodego_legal_revoked_head",
    "ncanodego_legal_revoked_infosystem",
    "ncanodego_legal_revoked_treasury_client",
    "ncanodego_legal_valid_employee",  # despite its name: revoked in the repo's own 2026-08 CRL
    "ncanodego_legal_valid_infosystem",
}


@pytest.mark.parametrize("cert", sorted(p.stem for p in (KZ / "certs").glob("ncanodego_*.cer")))
def test_gost2015_test_certificates_as_manifest_says(cert: str) -> None:
    r = verify_certificate((KZ / "certs" / f"{cert}.cer").read_bytes(), kz_ctx())
    if cert in MANIFEST_REVOKED:
        assert (r.indication, r.subindication, r.revocation.status) == ("TOTAL_FAILED", "REVOKED", "revoked")
    else:
        assert (r.indication, r.subindication, r.revocation.status) == ("TOTAL_PASSED", None, "good")
        assert len(r.chain) == 3


@pytest.mark.parametrize("cert", ["prod2018_rsa256", "prod2018_auth_rsa256", "prod2018_gostknca"])
def test_production_2018_certificates_valid_in_2019_expired_now(cert: str) -> None:
    der = (KZ / "certs" / f"{cert}.cer").read_bytes()
    # no CRL of the 2018 production CAs exists offline: the chain is valid, revocation cannot be known
    r = verify_certificate(der, kz_ctx(OLD))
    assert (r.indication, r.subindication, r.trusted) == ("INDETERMINATE", "TRY_LATER", True)
    now = verify_certificate(der, kz_ctx())
    assert now.subindication == "EXPIRED"


def test_ca_certificates_and_crl_signatures_verify() -> None:
    def load(p: str) -> x509.Certificate:
        return x509.Certificate.load((KZ / p).read_bytes())

    pairs = [
        ("ca/prod/root_rsa_2015.crt", "ca/prod/root_rsa_2015.crt"),
        ("ca/prod/root_gost_2015.crt", "ca/prod/root_gost_2015.crt"),  # GOST 34.310-2004
        ("ca/prod/nca_rsa_2018.crt", "ca/prod/root_rsa_2015.crt"),
        ("ca/prod/nca_gost_2018.crt", "ca/prod/root_gost_2015.crt"),
        ("ca/test/root_test_gost_2022.cer", "ca/test/root_test_gost_2022.cer"),  # GOST 34.10-2015-512
        ("ca/test/nca_gost2022_test.cer", "ca/test/root_test_gost_2022.cer"),
    ]
    for child, parent in pairs:
        c, p = load(child), load(parent)
        VALIDATOR.validate_signature(
            c["signature_value"].native, c["tbs_certificate"].dump(), p.public_key, c["signature_algorithm"]
        )
    revocation_list = crl.CertificateList.load(KZ_CRL.read_bytes())
    issuer = load("ca/test/nca_gost2022_test.cer")
    VALIDATOR.validate_signature(
        revocation_list["signature"].native,
        revocation_list["tbs_cert_list"].dump(),
        issuer.public_key,
        revocation_list["signature_algorithm"],
    )
    tampered = bytearray(revocation_list["tbs_cert_list"].dump())
    tampered[-5] ^= 1
    from cryptography.exceptions import InvalidSignature

    with pytest.raises(InvalidSignature):
        VALIDATOR.validate_signature(
            revocation_list["signature"].native,
            bytes(tampered),
            issuer.public_key,
            revocation_list["signature_algorithm"],
        )


def kz_key(name: str) -> tuple[int, str, x509.Certificate]:
    d, curve, cert = gost.load_kz_pkcs12((KZ / "keys" / f"{name}.p12").read_bytes(), PASSWORD)
    return d, curve, x509.Certificate.load(cert)


def gost_cms(
    name: str,
    content: bytes = CONTENT,
    when: datetime = SIGNED,
    *,
    sig_oid: str = gost.SIG_GOST2015_512,
    digest_oid: str = gost.DIGEST_STREEBOG512,
    detached: bool = True,
) -> bytes:
    d, curve, cert = kz_key(name)
    return b.signed_data(
        content, [(cert, b.gost_signer(d, curve, sig_oid), digest_oid, sig_oid)], signing_time=when, detached=detached
    )


def test_gost2015_cms_with_the_nca_test_key() -> None:
    der = gost_cms("ncanodego_legal_valid_head")
    r = verify_signed_data(load_signed_data(der), BytesContent(CONTENT), kz_ctx(), fmt="cms", source="t")[0]
    assert (r.indication, r.subindication) == ("TOTAL_PASSED", None)
    assert r.algorithm == "gost3410-2015-512-streebog512" and r.digest_algorithm == "streebog512"
    assert (r.signer.bin, r.signer.iin, r.signer.role, r.signer.key_purpose) == (
        "123456789021",
        "123456789011",
        "head",
        "sign",
    )
    changed = bytearray(CONTENT)
    changed[0] ^= 1
    assert verify(der, kz_ctx(), bytes(changed)) == ("TOTAL_FAILED", "HASH_FAILURE")


def test_gost2015_revoked_nca_test_key() -> None:
    assert verify(gost_cms("ncanodego_legal_revoked_head"), kz_ctx()) == ("TOTAL_FAILED", "REVOKED")


def test_gost2004_cms_with_the_2018_production_test_key() -> None:
    der = gost_cms(
        "prod2018_GOSTKNCA_f8a422238209b6e753116431b69b09178f14e9d7",
        when=OLD,
        sig_oid=gost.SIG_GOST2004,
        digest_oid=gost.DIGEST_GOST34311,
    )
    r = verify_signed_data(load_signed_data(der), BytesContent(CONTENT), kz_ctx(), fmt="cms", source="t")[0]
    assert r.intact and r.valid and r.trusted and r.certificate_valid is not False
    assert r.algorithm == "gost34310-2004-gost34311" and r.signer.role == "head"
    assert (r.indication, r.subindication) == ("INDETERMINATE", "TRY_LATER")  # no 2018 CRL offline
    assert verify(der, kz_ctx(), CONTENT + b"x") == ("TOTAL_FAILED", "HASH_FAILURE")


def rsa_prod_key(auth: bool = False) -> tuple[object, x509.Certificate]:
    name = (
        "prod2018_AUTH_RSA256_6b361b864c679601b652fe387f61fcd9303c0327"
        if auth
        else "prod2018_RSA256_8426360556902ce4ac33977836f873e1dc190976"
    )
    p = pkcs12.load_pkcs12((KZ / "keys" / f"{name}.p12").read_bytes(), PASSWORD)
    assert p.key is not None and p.cert is not None
    return p.key, x509.Certificate.load(p.cert.certificate.public_bytes(serialization.Encoding.DER))


def test_rsa_cms_with_the_2018_production_test_key_and_a_two_signer_cms() -> None:
    key, cert = rsa_prod_key()
    d, curve, gcert = kz_key("ncanodego_individual_valid_individual_valid")
    der = b.signed_data(
        CONTENT,
        [
            (cert, b.rsa_signer(key), b.SHA256, b.SHA256_RSA),  # type: ignore[arg-type]
            (gcert, b.gost_signer(d, curve, gost.SIG_GOST2015_512), gost.DIGEST_STREEBOG512, gost.SIG_GOST2015_512),
        ],
        signing_time=OLD,
    )
    reports = verify_signed_data(load_signed_data(der), BytesContent(CONTENT), kz_ctx(), fmt="cms", source="t")
    rsa_r, gost_r = sorted(reports, key=lambda r: (r.algorithm or "").startswith("gost"))
    assert rsa_r.intact and rsa_r.valid and rsa_r.trusted and rsa_r.subindication == "TRY_LATER"
    assert rsa_r.signer.key_purpose == "sign" and rsa_r.signer.holder == "individual"
    # the GOST 2022 test certificate did not exist at the claimed 2019 moment
    assert (gost_r.indication, gost_r.subindication) == ("TOTAL_FAILED", "NOT_YET_VALID")


def test_auth_key_is_reported_as_auth() -> None:
    key, cert = rsa_prod_key(auth=True)
    der = b.signed_data(CONTENT, [(cert, b.rsa_signer(key), b.SHA256, b.SHA256_RSA)], signing_time=OLD)  # type: ignore[arg-type]
    r = verify_signed_data(load_signed_data(der), BytesContent(CONTENT), kz_ctx(), fmt="cms", source="t")[0]
    assert r.signer.key_purpose == "auth" and r.valid


# --------------------------------------------------------------------------- CLI and pipeline


def test_cli_verify_json_contract_and_exit_codes(pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "application.json"
    doc.write_bytes(CONTENT)
    (tmp_path / "application.json.cms").write_bytes(gost_cms("ncanodego_legal_valid_head"))
    args = ["verify", str(doc), "--trust", "kz-test", "--crl", str(KZ_CRL), "--at", AT.isoformat(), "--format", "json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["file"] == str(doc)
    (sig,) = out["signatures"]
    for key in (
        "indication",
        "subindication",
        "intact",
        "valid",
        "trusted",
        "signing_time",
        "signing_time_source",
        "algorithm",
        "signer",
        "revocation",
        "modification",
        "messages",
    ):
        assert key in sig
    assert set(sig["signer"]) >= {"common_name", "iin", "bin", "organization", "role", "key_purpose"}
    assert sig["indication"] == "TOTAL_PASSED" and sig["signer"]["bin"] == "123456789021"
    doc.write_bytes(CONTENT + b" ")
    assert main(args) == 1
    assert json.loads(capsys.readouterr().out)["signatures"][0]["subindication"] == "HASH_FAILURE"
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 2
    assert main([*args[:2], "--trust", "no-such-profile", "--format", "json"]) == 2
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"unsigned")
    assert main(["verify", str(plain), "--format", "json", "--at", AT.isoformat()]) == 1
    assert json.loads(capsys.readouterr().out)["signatures"] == []
    assert main(["verify", str(doc), "--at", AT.isoformat(), "--trust", "kz-test"]) == 1
    assert "HASH_FAILURE" in capsys.readouterr().out


def test_attached_p7m_content_becomes_the_document(tmp_path: Path) -> None:
    from intake.files import gather_file
    from intake.models import FileRole
    from intake.signatures import open_attached, verify_file

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    (tmp_path / "state").mkdir()
    container = tmp_path / "state" / "license.pdf.p7m"
    container.write_bytes(gost_cms("ncanodego_legal_valid_treasury_client", pdf, detached=False))
    ctx = kz_ctx()
    facts = gather_file(tmp_path, container)
    work = tmp_path / "work"
    work.mkdir()
    opened = open_attached(facts, ctx, work, gather_file)
    assert opened is not None
    inner = opened.facts
    assert inner.name == "state/license.pdf" and inner.content_from == "state/license.pdf.p7m"
    assert inner.role is FileRole.ATTESTATION and inner.path.read_bytes() == pdf
    assert inner.path.is_relative_to(work)  # the dossier's own work folder, not a module-global one
    (r,) = verify_file(inner, tmp_path, ctx, opened.reports)
    assert r.indication == "TOTAL_PASSED" and r.format == "cms-attached" and r.signer.role == "information_system"
    broken = tmp_path / "bad.pdf.p7m"
    broken.write_bytes(b"garbage")
    bad = gather_file(tmp_path, broken)
    assert open_attached(bad, ctx, work, gather_file) is None
    (r,) = verify_file(bad, tmp_path, ctx)
    assert r.subindication == "FORMAT_FAILURE" and "bad.pdf.p7m" in r.messages[0]


# --------------------------------------------------------------------------- PDF


def gost_pdf_cms(name: str = "ncanodego_legal_valid_head", when: datetime = SIGNED, *, attached: bool = False):  # type: ignore[no-untyped-def]
    d, curve, cert = kz_key(name)

    def make(covered: bytes) -> bytes:
        return b.signed_data(
            covered,
            [(cert, b.gost_signer(d, curve, gost.SIG_GOST2015_512), gost.DIGEST_STREEBOG512, gost.SIG_GOST2015_512)],
            signing_time=when,
            detached=not attached,
        )

    return make


@pytest.fixture(scope="module")
def gost_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("pdf") / "signed.pdf"
    p.write_bytes(b.sign_pdf(b.blank_pdf(), gost_pdf_cms()))
    return p


def pdf_reports(data: bytes, tmp_path: Path, ctx: VerificationContext | None = None) -> tuple[SignatureReport, ...]:
    from intake.verifier.pdf import verify_pdf

    p = tmp_path / "doc.pdf"
    p.write_bytes(data)
    return verify_pdf(p, "doc.pdf", ctx or kz_ctx())


def test_gost_pdf_verifies_and_one_changed_byte_fails(gost_pdf: Path, tmp_path: Path) -> None:
    (r,) = verify_path(gost_pdf, kz_ctx())
    assert (r.indication, r.subindication, r.format) == ("TOTAL_PASSED", None, "pdf:ETSI.CAdES.detached")
    assert (r.modification.level, r.modification.coverage, r.modification.suspicious) == ("none", "entire_file", False)
    assert r.signer.bin == "123456789021" and r.algorithm == "gost3410-2015-512-streebog512"
    data = bytearray(gost_pdf.read_bytes())
    at = data.index(b"intake test document")
    data[at] = ord("I")
    (r,) = pdf_reports(bytes(data), tmp_path)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "HASH_FAILURE")


def test_rsa_pdf_with_the_production_test_key(tmp_path: Path) -> None:
    key, cert = rsa_prod_key()

    def make(covered: bytes) -> bytes:
        return b.signed_data(covered, [(cert, b.rsa_signer(key), b.SHA256, b.SHA256_RSA)], signing_time=OLD)  # type: ignore[arg-type]

    signed = b.sign_pdf(b.blank_pdf(), make, subfilter="adbe.pkcs7.detached")
    (r,) = pdf_reports(signed, tmp_path)
    assert r.intact and r.valid and r.trusted and r.format == "pdf:adbe.pkcs7.detached"
    assert r.subindication == "TRY_LATER"  # no 2018 CRL offline
    changed = signed.replace(b"intake test document", b"intake test documenT")
    (r,) = pdf_reports(changed, tmp_path)
    assert r.subindication == "HASH_FAILURE"


def test_content_added_after_signing_fails(gost_pdf: Path, tmp_path: Path) -> None:
    """A later revision paints over the page (shadow attack, hide): FORMAT_FAILURE and SIG005."""
    changed = b.append_content(gost_pdf.read_bytes(), b"1 1 1 rg 0 0 595 842 re f")
    (r,) = pdf_reports(changed, tmp_path)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    m = r.modification
    assert m.suspicious and m.level == "other" and m.revisions_after == 1 and m.coverage == "entire_revision"
    assert m.changes == ("revision 2: other",)
    assert r.intact and r.valid  # the signed revision itself is intact


def test_document_timestamp_after_signing_is_allowed(pki: Pki, gost_pdf: Path, tmp_path: Path) -> None:
    tsa = b.issue(
        "CN=Intake TSA,C=KZ",
        issuer=pki.ca,
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
        not_after=datetime(2030, 1, 1, tzinfo=UTC),
        eku=("1.3.6.1.5.5.7.3.8",),
    )
    stamp = datetime(2026, 11, 22, tzinfo=UTC)

    def make(covered: bytes) -> bytes:
        der: bytes = b.timestamp_token(
            covered,
            tsa.asn1,
            b.rsa_signer(tsa.key),  # type: ignore[arg-type]
            stamp,
            certs=[tsa.asn1, pki.ca.asn1],
        ).dump()
        return der

    stamped = b.sign_pdf(gost_pdf.read_bytes(), make, field="DocTS", subfilter="ETSI.RFC3161")
    ctx = VerificationContext(at=AT, trust=("kz-test", str(pki.root_file)), crls=(KZ_CRL, pki.crl))
    sig, ts = pdf_reports(stamped, tmp_path, ctx)
    assert sig.indication == "TOTAL_PASSED"
    assert sig.modification.level == "timestamps/dss" and sig.modification.suspicious is False
    assert (ts.indication, ts.format, ts.signing_time, ts.signing_time_source) == (
        "TOTAL_PASSED",
        "pdf:ETSI.RFC3161",
        stamp,
        "timestamp",
    )


def test_byte_range_with_a_gap_is_a_format_failure(gost_pdf: Path, tmp_path: Path) -> None:
    data = gost_pdf.read_bytes()
    import re

    m = re.search(rb"/ByteRange \[0 (\d+) (\d+) (\d+)\]", data)
    assert m is not None
    first = m.group(1)
    shorter = str(int(first) - 10).rjust(len(first)).encode()
    forged = data[: m.start(1)] + shorter + data[m.end(1) :]
    (r,) = pdf_reports(forged, tmp_path)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")


def test_detached_pdf_signature_with_content_is_a_format_failure(tmp_path: Path) -> None:
    signed = b.sign_pdf(b.blank_pdf(), gost_pdf_cms(attached=True))
    (r,) = pdf_reports(signed, tmp_path)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")


def test_two_signatures_and_unsigned_and_damaged_pdfs(gost_pdf: Path, tmp_path: Path) -> None:
    twice = b.sign_pdf(
        gost_pdf.read_bytes(), gost_pdf_cms("ncanodego_legal_valid_employee_signright"), field="Signature2"
    )
    first, second = pdf_reports(twice, tmp_path)
    assert first.modification.level == "form filling" and first.modification.suspicious is False
    assert first.indication == second.indication == "TOTAL_PASSED"
    assert second.signer.role == "signing_right"
    assert pdf_reports(b.blank_pdf(), tmp_path) == ()
    damaged = gost_pdf.read_bytes()[:-200].replace(b"/Type /Sig", b"/Type /Xig")
    reports = pdf_reports(damaged, tmp_path)
    assert all(r.indication != "TOTAL_PASSED" for r in reports)


def test_pipeline_hands_on_the_content_of_an_attached_cms(tmp_path: Path) -> None:
    from intake.ocr import NullEngine
    from intake.pipeline import Settings, check

    pdf = b.blank_pdf("attached content")
    (tmp_path / "01_constituent-documents_1p.pdf.p7m").write_bytes(
        gost_cms("ncanodego_legal_valid_head", pdf, detached=False)
    )
    settings = Settings(at=AT, trust=("kz-test",), crls=(KZ_CRL,), ocr_engine=NullEngine())
    report = check(tmp_path, settings)
    (entry,) = [d for d in report.documents if d.file == "01_constituent-documents_1p.pdf"]
    assert entry.pages == 1 and entry.media_type == "application/pdf"
    (s,) = entry.signatures
    assert (s.indication, s.format, s.signer.bin) == ("TOTAL_PASSED", "cms-attached", "123456789021")
    assert not [f for f in report.findings if f.code == "SIG006" and f.outcome != "passed"]


def _ocsp(pki: Pki, who: b.Issued, status: str, tmp_path: Path) -> Path:
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509 import ReasonFlags, ocsp

    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=who.cert,
        issuer=pki.ca.cert,
        algorithm=hashes.SHA256(),
        cert_status=ocsp.OCSPCertStatus.GOOD if status == "good" else ocsp.OCSPCertStatus.REVOKED,
        this_update=datetime(2026, 11, 21, tzinfo=UTC),
        next_update=datetime(2026, 12, 21, tzinfo=UTC),
        revocation_time=None if status == "good" else datetime(2026, 6, 1, tzinfo=UTC),
        revocation_reason=None if status == "good" else ReasonFlags.key_compromise,
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, pki.ca.cert)
    response = builder.sign(pki.ca.key, hashes.SHA256())
    path = tmp_path / f"{status}.ocsp"
    path.write_bytes(response.public_bytes(serialization.Encoding.DER))
    return path


def test_offline_ocsp_responses(pki: Pki, tmp_path: Path) -> None:
    good = VerificationContext(at=AT, trust=(str(pki.root_file),), ocsp=(_ocsp(pki, pki.sign, "good", tmp_path),))
    r = verify_signed_data(load_signed_data(sign_rsa(pki.sign)), BytesContent(CONTENT), good, fmt="cms", source="t")[0]
    assert r.indication == "TOTAL_PASSED" and r.revocation.source is not None and "OCSP" in r.revocation.source
    bad = VerificationContext(at=AT, trust=(str(pki.root_file),), ocsp=(_ocsp(pki, pki.revoked, "revoked", tmp_path),))
    assert verify(sign_rsa(pki.revoked), bad) == ("TOTAL_FAILED", "REVOKED")


def test_crl_embedded_in_the_cms_is_used(pki: Pki) -> None:
    signer, oid = b.sign_with(pki.revoked)
    si = b.signer_info(
        b.digest(b.SHA256, CONTENT),
        pki.revoked.asn1,
        signer,
        digest_oid=b.SHA256,
        signature_oid=oid,
        signing_time=SIGNED,
    )
    embedded = crl.CertificateList.load(pki.crl.read_bytes())
    der = b.assemble(None, [si], [pki.revoked.asn1], crls=[embedded])
    assert verify(der, ctx_for(pki, crl=False)) == ("TOTAL_FAILED", "REVOKED")


@pytest.mark.parametrize(
    ("cert", "holder", "role", "iin", "bin_", "purpose"),
    [
        ("ncanodego_individual_valid_individual_valid", "individual", "individual", "123456789011", None, "sign"),
        ("ncanodego_legal_valid_head", "legal_entity", "head", "123456789011", "123456789021", "sign"),
        ("ncanodego_legal_valid_employee", "legal_entity", "employee", "123456789012", "123456789021", "sign"),
        ("ncanodego_legal_valid_employee_signright", "legal_entity", "signing_right", None, "123456789021", "sign"),
        # MANIFEST: the NCANode-Go file names "infosystem" and "treasury_client" are swapped
        ("ncanodego_legal_valid_infosystem", "legal_entity", "treasury_client", None, "123456789021", "sign"),
        ("ncanodego_legal_valid_treasury_client", "legal_entity", "information_system", None, "123456789021", "sign"),
        ("prod2018_rsa256", "individual", "individual", "123456789011", None, "sign"),
        ("prod2018_auth_rsa256", "individual", "individual", "123456789011", None, "auth"),
        ("prod2018_gostknca", "legal_entity", "head", "123456789011", "123456789021", "sign"),
    ],
)
def test_kazakh_certificate_profile(
    cert: str, holder: str, role: str, iin: str | None, bin_: str | None, purpose: str
) -> None:
    from intake.verifier.profile import signer_of

    s = signer_of(x509.Certificate.load((KZ / "certs" / f"{cert}.cer").read_bytes()))
    assert (s.holder, s.role, s.bin, s.key_purpose) == (holder, role, bin_, purpose)
    if iin is not None:
        assert s.iin == iin
    if role == "information_system":
        assert s.iin is None  # a system, not a person
    assert s.common_name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=400), mode=st.sampled_from(["cms", "b64", "pdf"]))
def test_arbitrary_bytes_never_raise(pki: Pki, tmp_path: Path, blob: bytes, mode: str) -> None:
    import base64

    doc = tmp_path / "doc.pdf"
    sig = tmp_path / "doc.pdf.cms"
    if mode == "pdf":
        doc.write_bytes(b"%PDF-1.7\n/ByteRange [0 10 20 30] /Contents <" + blob.hex().encode() + b">\n" + blob)
        reports = verify_path(doc, ctx_for(pki))
    else:
        doc.write_bytes(CONTENT)
        # mutate a real CMS so parsing gets deep before failing
        real = bytearray(sign_rsa(pki.sign))
        for i, byte in enumerate(blob[:40]):
            real[(i * 37 + byte) % len(real)] ^= byte or 1
        sig.write_bytes(base64.b64encode(bytes(real)) if mode == "b64" else bytes(real))
        reports = verify_path(doc, ctx_for(pki), sig)
    for r in reports:
        assert r.indication in ("TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE")
        if r.indication != "TOTAL_PASSED":
            assert r.subindication and r.messages


# --------------------------------------------------------------------------- hostile input (red-team regressions)

BAD_PEM = b"-----BEGIN PKCS7-----\n!!!not base64!!!\n-----END PKCS7-----\n"


def test_pem_sidecar_with_bad_base64_fails_that_signature_only(pki: Pki, tmp_path: Path) -> None:
    """A PEM-armoured sidecar whose body is not base64 is a FORMAT_FAILURE naming it; the good one beside it passes."""
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(CONTENT)
    (tmp_path / "doc.pdf.cms").write_bytes(BAD_PEM)
    (tmp_path / "doc.pdf.p7s").write_bytes(sign_rsa(pki.sign))
    bad, good = verify_path(doc, ctx_for(pki))
    assert (bad.indication, bad.subindication, bad.source) == ("TOTAL_FAILED", "FORMAT_FAILURE", "doc.pdf.cms")
    assert "doc.pdf.cms" in bad.messages[0] and "PEM" in bad.messages[0]
    assert good.indication == "TOTAL_PASSED"
    (alone,) = verify_path(doc, ctx_for(pki), tmp_path / "doc.pdf.cms")
    assert alone.subindication == "FORMAT_FAILURE"
    with pytest.raises(ValueError, match="PEM"):
        from intake.verifier.trust import decode_blob

        decode_blob(BAD_PEM)


def _pdf_of(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize(
    ("value", "lacks"),
    [
        (b"<< /Type /Sig /ByteRange [0 1 2 3] >>", "/Contents"),
        (b"<< /Type /Sig /Contents <> >>", "/ByteRange"),
        (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] >>", "/Contents"),
        (b"<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <3082> >>", "broken"),
    ],
    ids=["no-contents", "no-byte-range", "no-contents-known-subfilter", "contents-not-cms"],
)
def test_filled_sig_field_without_a_signature_value_is_a_failed_signature(
    tmp_path: Path, value: bytes, lacks: str
) -> None:
    """A /Sig field whose value lacks /Contents or /ByteRange is a broken signature, not an unsigned PDF."""

    def pdf(field_value: bytes) -> bytes:
        return _pdf_of(
            [
                b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
                b"<< /FT /Sig /T (Signature1)" + field_value + b" >>",
            ]
        )

    (r,) = pdf_reports(pdf(b" /V " + value), tmp_path)
    assert (r.indication, r.subindication, r.source) == ("TOTAL_FAILED", "FORMAT_FAILURE", "doc.pdf#Signature1")
    assert lacks in r.messages[0]
    assert pdf_reports(pdf(b""), tmp_path) == ()  # a field not yet signed: the PDF is unsigned, not failed


def test_broken_sig_field_does_not_hide_a_good_signature(gost_pdf: Path, tmp_path: Path) -> None:
    """A second, broken signature field added to a signed PDF is reported beside the intact signature."""
    data = gost_pdf.read_bytes()
    twice = b.sign_pdf(data, lambda covered: b"\x30\x03\x02\x01\x00", field="Broken")
    reports = pdf_reports(twice, tmp_path)
    assert len(reports) == 2
    by_source = {r.source: r for r in reports}
    assert by_source["doc.pdf#Broken"].subindication == "FORMAT_FAILURE"
    assert by_source["doc.pdf#Signature1"].intact is True


def test_option_files_are_read_only_if_regular_and_small(
    pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--crl /dev/zero, a pipe, a huge file: refused with a message naming the file, never read to the end.

    /dev/null stands for /dev/zero (the same kind of file: a device) and the pipe gets a writer, so that a
    regression fails here instead of hanging or eating memory.
    """
    import contextlib
    import os
    import threading

    from intake.verifier import trust as _trust

    fifo = tmp_path / "pipe.ocsp"
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(OSError):  # a regression that reads the pipe may close it early
            fifo.write_bytes(b"not an OCSP response")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    cases = [
        (VerificationContext(at=AT, trust=(str(pki.root_file),), crls=(Path("/dev/null"),)), "/dev/null"),
        (VerificationContext(at=AT, trust=(str(pki.root_file),), ocsp=(fifo,)), "pipe.ocsp"),
        (VerificationContext(at=AT, trust=("/dev/null",)), "/dev/null"),
    ]
    try:
        for ctx, named in cases:
            with pytest.raises(ConfigurationError, match="not a regular file") as info:
                ctx.material()
            assert named in str(info.value)
    finally:
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer finish if nobody read
        writer.join(5)
        os.close(reader)
    monkeypatch.setattr(_trust, "MAX_CRL_FILE", 100)
    big = tmp_path / "big.crl"
    big.write_bytes(pki.crl.read_bytes())
    with pytest.raises(ConfigurationError, match=r"big\.crl.*more than the limit"):
        VerificationContext(at=AT, trust=(str(pki.root_file),), crls=(big,)).material()


def test_unknown_key_type_in_the_signer_certificate_is_not_a_crash(pki: Pki) -> None:
    """A signer certificate whose key algorithm `cryptography` does not know: a report, never an exception."""
    der = sign_rsa(pki.sign)
    rsa_key = bytes.fromhex("06092a864886f70d0101010500")  # rsaEncryption, NULL parameters
    assert rsa_key in der
    forged = der.replace(rsa_key, bytes.fromhex("06092a864886f70d0101630500"))
    indication, sub = verify(forged, ctx_for(pki))
    assert indication != "TOTAL_PASSED" and sub is not None


def test_an_unforeseen_error_in_one_signature_does_not_stop_the_others(
    pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line of defence: an error no parser foresaw is an undecided report naming the file."""
    from intake.files import gather_file
    from intake.signatures import verify_file
    from intake.verifier import pdf as _pdf

    doc = tmp_path / "doc.pdf"
    doc.write_bytes(CONTENT)
    (tmp_path / "doc.pdf.cms").write_bytes(sign_rsa(pki.sign))

    def boom(*_: object) -> tuple[SignatureReport, ...]:
        raise RecursionError("a structure nobody foresaw")

    monkeypatch.setattr(_pdf, "verify_pdf", boom)
    facts = gather_file(tmp_path, doc).model_copy(update={"signature_files": ("doc.pdf.cms",)})
    sidecar, pdf = verify_file(facts, tmp_path, ctx_for(pki))
    assert sidecar.indication == "TOTAL_PASSED"
    assert (pdf.indication, pdf.source) == ("INDETERMINATE", "doc.pdf")
    assert "doc.pdf" in pdf.messages[0] and "RecursionError" in pdf.messages[0]
