"""CMS SignedData as NCALayer / KalkanCrypt makes it (kz-pki README §2.2), deterministic.

Signed attributes: contentType, signingTime (fixed, passed in), messageDigest, and optionally ESS
signingCertificateV2. The signature is over the DER of the signed attributes as a SET (0x31).
Certificates: the signer's, and the issuing CA's unless `chain=False` (Kalkan puts only the
signer's; the samples add the intermediate so the root alone is the trust anchor).

RSA: sha256WithRSAEncryption (1.2.840.113549.1.1.11) in the SignerInfo, PKCS#1 v1.5 (deterministic).
GOST 34.10-2015-512: digest 1.2.398.3.10.1.3.3 (Streebog-512), signature 1.2.398.3.10.1.1.2.3.2,
`r_LE || s_LE`, through `intake.gost.sign` with the NCA TEST 2022 keys.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import algos, cms, core, tsp, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from intake import gost
from samplegen.pki import Party

_ = tsp  # importing asn1crypto.tsp registers the signingCertificateV2 attribute
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_SHA256_RSA = "1.2.840.113549.1.1.11"


@dataclass(frozen=True)
class GostSigner:
    """A GOST 34.10-2015 key from an NCA `.p12` with its certificate."""

    name: str
    private_key: int
    curve_oid: str
    certificate_der: bytes
    chain_der: tuple[bytes, ...] = ()


Signer = Party | GostSigner


def load_gost_signer(p12: Path, chain: tuple[Path, ...] = (), password: bytes = b"Qwerty12") -> GostSigner:
    """Open an NCA TEST `.p12` (kz-pki keys) with `intake.gost.load_kz_pkcs12`."""
    d, curve, cert = gost.load_kz_pkcs12(p12.read_bytes(), password)
    return GostSigner(p12.stem, d, curve, cert, tuple(p.read_bytes() for p in chain))


def _certs(signer: Signer, chain: bool) -> tuple[x509.Certificate, list[x509.Certificate]]:
    if isinstance(signer, GostSigner):
        leaf = x509.Certificate.load(signer.certificate_der)
        extra = [x509.Certificate.load(c) for c in signer.chain_der] if chain else []
        return leaf, extra
    leaf = x509.Certificate.load(signer.der)
    extra = (
        [x509.Certificate.load(signer.chain[0].public_bytes(serialization.Encoding.DER))]
        if chain and signer.chain
        else []
    )
    return leaf, extra


def _digest(signer: Signer, data: bytes) -> tuple[str, bytes]:
    if isinstance(signer, GostSigner):
        return gost.DIGEST_STREEBOG512, gost.digest(gost.DIGEST_STREEBOG512, data)
    return OID_SHA256, hashlib.sha256(data).digest()


def _sign(signer: Signer, message: bytes) -> tuple[str, bytes]:
    if isinstance(signer, GostSigner):
        return gost.SIG_GOST2015_512, gost.sign(gost.SIG_GOST2015_512, signer.private_key, signer.curve_oid, message)
    key = signer.key
    assert isinstance(key, rsa.RSAPrivateKey)
    return OID_SHA256_RSA, key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def signed_data(
    data: bytes,
    signer: Signer,
    signing_time: datetime,
    *,
    attached: bool = False,
    chain: bool = True,
    ess: bool = True,
    content_digest: bytes | None = None,
) -> bytes:
    """A CMS ContentInfo(SignedData), DER.

    Args:
        data: The signed content.
        signer: An RSA party of the sample PKI or a GOST key.
        signing_time: The signingTime attribute (fixed, with time zone).
        attached: Enveloping CMS (`.p7m`) holding `data`; detached otherwise.
        chain: Put the issuing CA's certificate beside the signer's.
        ess: Add the ESS signingCertificateV2 attribute (SHA-256 of the signer's certificate).
        content_digest: The messageDigest to sign instead of the digest of `data` (to build a
            signature over other content; tampering tests change `data` after signing instead).
    """
    leaf, extra = _certs(signer, chain)
    digest_oid, digest = _digest(signer, data)
    if content_digest is not None:
        digest = content_digest
    attrs = [
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": signing_time})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
    ]
    if ess:
        attrs.append(
            cms.CMSAttribute(
                {
                    "type": "signing_certificate_v2",
                    "values": [
                        {
                            "certs": [
                                {
                                    "hash_algorithm": {"algorithm": "sha256"},
                                    "cert_hash": hashlib.sha256(leaf.dump()).digest(),
                                    "issuer_serial": {
                                        "issuer": [x509.GeneralName({"directory_name": leaf.issuer})],
                                        "serial_number": leaf.serial_number,
                                    },
                                }
                            ]
                        }
                    ],
                }
            )
        )
    signed_attrs = cms.CMSAttributes(attrs)
    sig_oid, signature = _sign(signer, signed_attrs.dump())  # the SET OF form (0x31), as RFC 5652 §5.4 says
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {"issuer": leaf.issuer, "serial_number": leaf.serial_number}
                    )
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest_oid}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_oid}),
            "signature": signature,
        }
    )
    encap: dict[str, object] = {"content_type": "data"}
    if attached:
        encap["content"] = core.OctetString(data)
    sd = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest_oid})],
            "encap_content_info": encap,
            "certificates": [leaf, *extra],
            "signer_infos": [signer_info],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": sd}).dump())


def to_base64(der: bytes, pem: bool = False) -> bytes:
    """The text form NCALayer often saves: bare base64 (one line), or PEM with `-----BEGIN CMS-----`."""
    b64 = base64.b64encode(der)
    if not pem:
        return b64
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return b"-----BEGIN CMS-----\n" + b"\n".join(lines) + b"\n-----END CMS-----\n"
