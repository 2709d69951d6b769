# mypy: disallow-untyped-calls=False
# (pyHanko's PDF writer API is only partly annotated; this module builds fixtures, it verifies nothing)
"""Build CMS SignedData and RFC 3161 tokens: for test fixtures, sample dossiers and benchmarks.

Not used to verify anything. RSA signers go through `cryptography`, GOST signers through
`intake.gost.sign` (NCA byte order). Signed attributes are DER (a SET OF sorted by encoding).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import algos, cms, core, tsp, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import AuthorityInformationAccessOID

from intake import gost
from intake.verifier.algos import new_hash

Sign = Callable[[bytes], bytes]

SHA256 = "2.16.840.1.101.3.4.2.1"
SHA256_RSA = "1.2.840.113549.1.1.11"
_HASHES: dict[str, hashes.HashAlgorithm] = {
    "2.16.840.1.101.3.4.2.1": hashes.SHA256(),
    "2.16.840.1.101.3.4.2.2": hashes.SHA384(),
    "2.16.840.1.101.3.4.2.3": hashes.SHA512(),
    "1.3.14.3.2.26": hashes.SHA1(),
    "1.2.840.113549.2.5": hashes.MD5(),
    "2.16.840.1.101.3.4.2.4": hashes.SHA224(),
    "2.16.840.1.101.3.4.2.7": hashes.SHA3_224(),
    "2.16.840.1.101.3.4.2.8": hashes.SHA3_256(),
    "2.16.840.1.101.3.4.2.9": hashes.SHA3_384(),
    "2.16.840.1.101.3.4.2.10": hashes.SHA3_512(),
}


def rsa_signer(key: rsa.RSAPrivateKey, digest_oid: str = SHA256, pss: bool = False) -> Sign:
    """PKCS#1 v1.5 (or PSS) signing with a cryptography RSA key."""
    h = _HASHES[digest_oid]
    pad: padding.AsymmetricPadding = (
        padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size) if pss else padding.PKCS1v15()
    )
    return lambda data: key.sign(data, pad, h)


def ec_signer(key: ec.EllipticCurvePrivateKey, digest_oid: str = SHA256) -> Sign:
    """ECDSA signing."""
    return lambda data: key.sign(data, ec.ECDSA(_HASHES[digest_oid]))


def ed25519_signer(key: ed25519.Ed25519PrivateKey) -> Sign:
    """Ed25519 signing."""
    return key.sign


def gost_signer(private_key: int, curve_oid: str, signature_oid: str) -> Sign:
    """NCA GOST signing (r_LE || s_LE) with `intake.gost.sign`."""
    return lambda data: gost.sign(signature_oid, private_key, curve_oid, data)


def digest(oid: str, data: bytes) -> bytes:
    h = new_hash(oid)
    h.update(data)
    return h.digest()


def signer_info(
    content_digest: bytes,
    cert: x509.Certificate,
    sign: Sign,
    *,
    digest_oid: str,
    signature_oid: str,
    signature_params: object = None,
    signing_time: datetime | None = None,
    content_type: str = "data",
    extra_signed: Sequence[cms.CMSAttribute] = (),
    unsigned: Sequence[cms.CMSAttribute] = (),
    signed_attrs: bool = True,
    content: bytes | None = None,
) -> cms.SignerInfo:
    """One SignerInfo over a content digest (or over `content` itself when `signed_attrs` is False)."""
    sid = cms.SignerIdentifier(
        {"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}
    )
    value: dict[str, object] = {
        "version": "v1",
        "sid": sid,
        "digest_algorithm": {"algorithm": digest_oid},
        "signature_algorithm": {"algorithm": signature_oid, "parameters": signature_params},
    }
    if signed_attrs:
        attrs = [
            cms.CMSAttribute({"type": "content_type", "values": [content_type]}),
            cms.CMSAttribute({"type": "message_digest", "values": [content_digest]}),
        ]
        if signing_time is not None:
            attrs.append(cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": signing_time})]}))
        attrs.extend(extra_signed)
        sa = cms.CMSAttributes(attrs)
        value["signed_attrs"] = sa
        to_sign = sa.dump(force=True)
        to_sign = b"\x31" + to_sign[1:]
    else:
        if content is None:
            raise ValueError("a signature without signed attributes needs the content")
        to_sign = content
    value["signature"] = sign(to_sign)
    if unsigned:
        value["unsigned_attrs"] = cms.CMSAttributes(list(unsigned))
    return cms.SignerInfo(value)


def signed_data(
    content: bytes,
    signers: Sequence[tuple[x509.Certificate, Sign, str, str]],
    *,
    detached: bool = True,
    signing_time: datetime | None = None,
    certificates: Sequence[x509.Certificate] | None = None,
    econtent_type: str = "data",
    econtent: bytes | None = None,
) -> bytes:
    """A DER ContentInfo(SignedData) over `content`; `signers` are (certificate, sign, digest OID, signature OID)."""
    infos = [
        signer_info(
            digest(d, content),
            c,
            s,
            digest_oid=d,
            signature_oid=a,
            signing_time=signing_time,
            content_type=econtent_type,
        )
        for c, s, d, a in signers
    ]
    certs = list(certificates) if certificates is not None else [c for c, _, _, _ in signers]
    return assemble(content if not detached else None, infos, certs, econtent_type=econtent_type, raw_econtent=econtent)


def _tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    size = (n.bit_length() + 7) // 8
    length = bytes([n]) if n < 0x80 else bytes([0x80 | size]) + n.to_bytes(size, "big")
    return bytes([tag]) + length + value


def assemble(
    content: bytes | None,
    infos: Sequence[cms.SignerInfo],
    certs: Sequence[x509.Certificate],
    *,
    econtent_type: str = "data",
    crls: Sequence[object] = (),
    raw_econtent: bytes | None = None,
) -> bytes:
    """Wrap signer infos into a DER ContentInfo(SignedData)."""
    digests: list[algos.DigestAlgorithm] = []
    for si in infos:
        alg = si["digest_algorithm"]["algorithm"].dotted
        if alg not in [d["algorithm"].dotted for d in digests]:
            digests.append(algos.DigestAlgorithm({"algorithm": alg}))
    encap: object = {"content_type": econtent_type}
    body = raw_econtent if raw_econtent is not None else content
    if econtent_type != "data":
        # RFC 5652 5.1: version 3 when eContentType is not id-data; hand-encoded because asn1crypto
        # drops the [0] EXPLICIT wrapper of content types it knows (tst_info)
        inner = core.ObjectIdentifier(cms.ContentType.unmap(econtent_type)).dump()
        if body is not None:
            inner += _tlv(0xA0, core.OctetString(body).dump())
        encap = cms.EncapsulatedContentInfo.load(_tlv(0x30, inner))
    elif body is not None:
        encap = {"content_type": "data", "content": body}
    sd: dict[str, object] = {
        "version": "v1" if econtent_type == "data" else "v3",
        "digest_algorithms": digests,
        "encap_content_info": encap,
        "certificates": list(certs),
        "signer_infos": list(infos),
    }
    if crls:
        sd["crls"] = list(crls)
    der: bytes = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(sd)}).dump()
    return der


def timestamp_token(
    message: bytes,
    tsa_cert: x509.Certificate,
    sign: Sign,
    gen_time: datetime,
    *,
    digest_oid: str = SHA256,
    signature_oid: str = SHA256_RSA,
    imprint_oid: str = SHA256,
    certs: Sequence[x509.Certificate] | None = None,
) -> cms.ContentInfo:
    """An RFC 3161 TimeStampToken over `message` (for a CMS: the signature value it timestamps)."""
    info = tsp.TSTInfo(
        {
            "version": "v1",
            "policy": "1.2.3.4",
            "message_imprint": {
                "hash_algorithm": {"algorithm": imprint_oid},
                "hashed_message": digest(imprint_oid, message),
            },
            "serial_number": 1,
            "gen_time": gen_time,
        }
    )
    payload = info.dump()
    si = signer_info(
        digest(digest_oid, payload),
        tsa_cert,
        sign,
        digest_oid=digest_oid,
        signature_oid=signature_oid,
        content_type="tst_info",
        signing_time=gen_time,
    )
    der = assemble(payload, [si], list(certs) if certs is not None else [tsa_cert], econtent_type="tst_info")
    return cms.ContentInfo.load(der)


def with_timestamp(cms_der: bytes, token: cms.ContentInfo, index: int = 0) -> bytes:
    """Add a signature timestamp token as an unsigned attribute of signer `index` (other bytes unchanged)."""
    info = cms.ContentInfo.load(cms_der)
    sd = info["content"]
    infos = list(sd["signer_infos"])
    si = infos[index]
    attr = cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]})
    fields = ("version", "sid", "digest_algorithm", "signed_attrs", "signature_algorithm", "signature")
    infos[index] = cms.SignerInfo(
        {**{k: si[k] for k in fields if k != "signed_attrs" or len(si[k])}, "unsigned_attrs": [attr]}
    )
    content = sd["encap_content_info"]["content"]
    der: bytes = cms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": {
                "version": sd["version"],
                "digest_algorithms": sd["digest_algorithms"],
                "encap_content_info": {
                    "content_type": sd["encap_content_info"]["content_type"],
                    **({"content": content} if content.native is not None else {}),
                },
                "certificates": sd["certificates"],
                "signer_infos": infos,
            },
        }
    ).dump()
    return der


# --------------------------------------------------------------------------- a small RSA/EC test PKI


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key (cryptography objects) and its asn1crypto form."""

    cert: cx509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey

    @property
    def asn1(self) -> x509.Certificate:
        """The certificate as asn1crypto parses it."""
        return x509.Certificate.load(self.cert.public_bytes(Encoding.DER))

    @property
    def der(self) -> bytes:
        """DER bytes."""
        return self.cert.public_bytes(Encoding.DER)


def new_rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    """A fresh RSA key (e = 65537)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


_KU_NAMES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def issue(
    subject: str | cx509.Name,
    *,
    issuer: Issued | None = None,
    key: rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
    | None = None,
    not_before: datetime,
    not_after: datetime,
    ca: bool = False,
    key_usage: Sequence[str] = ("digital_signature", "non_repudiation"),
    eku: Sequence[str] = (),
    serial: int | None = None,
    hash_algorithm: hashes.HashAlgorithm | None = None,
    crl_url: str | None = None,
    ocsp_url: str | None = None,
    extensions: Sequence[tuple[str, bytes, bool]] = (),
) -> Issued:
    """Issue a certificate (self-signed when `issuer` is None). `subject` is an RFC 4514 string or a Name.

    Key usage names are asn1crypto's (`non_repudiation` = cryptography's `content_commitment`);
    `extensions` are extra (OID, DER value, critical) extensions, unknown ones included.
    """
    key = key or new_rsa_key()
    name = subject if isinstance(subject, cx509.Name) else cx509.Name.from_rfc4514_string(subject)
    signer_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else name
    wanted = {"content_commitment" if k == "non_repudiation" else k for k in key_usage}
    usage = {k: k in wanted for k in _KU_NAMES}
    builder = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial if serial is not None else cx509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(cx509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(cx509.KeyUsage(**usage), critical=True)
        .add_extension(cx509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            cx509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if eku:
        builder = builder.add_extension(
            cx509.ExtendedKeyUsage([cx509.ObjectIdentifier(o) for o in eku]), critical=False
        )
    if crl_url:
        builder = builder.add_extension(
            cx509.CRLDistributionPoints(
                [cx509.DistributionPoint([cx509.UniformResourceIdentifier(crl_url)], None, None, None)]
            ),
            critical=False,
        )
    if ocsp_url:
        builder = builder.add_extension(
            cx509.AuthorityInformationAccess(
                [cx509.AccessDescription(AuthorityInformationAccessOID.OCSP, cx509.UniformResourceIdentifier(ocsp_url))]
            ),
            critical=False,
        )
    for oid, value, critical in extensions:
        builder = builder.add_extension(
            cx509.UnrecognizedExtension(cx509.ObjectIdentifier(oid), value), critical=critical
        )
    algo = (
        None
        if isinstance(signer_key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey)
        else (hash_algorithm or hashes.SHA256())
    )
    cert = builder.sign(signer_key, algo)  # type: ignore[arg-type]
    return Issued(cert, key)


def bench_pki(signer_subject: str) -> tuple[Issued, Issued, bytes]:
    """The PKI of the signature benchmarks: a root (2020-2040), a signer it issues (2025-2028, e-mail
    protection EKU) and the root's empty CRL of 2026-11-01."""
    root = issue(
        "CN=Bench Root,C=KZ",
        not_before=datetime(2020, 1, 1, tzinfo=UTC),
        not_after=datetime(2040, 1, 1, tzinfo=UTC),
        ca=True,
        key_usage=("key_cert_sign", "crl_sign"),
    )
    leaf = issue(
        signer_subject,
        issuer=root,
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
        not_after=datetime(2028, 1, 1, tzinfo=UTC),
        eku=("1.3.6.1.5.5.7.3.4",),
    )
    return root, leaf, crl(root, [], datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 11, 1, tzinfo=UTC))


def crl(issuer: Issued, revoked: Sequence[tuple[int, datetime]], this_update: datetime, next_update: datetime) -> bytes:
    """A DER CRL by `issuer` listing (serial, revocation date) pairs."""
    builder = cx509.CertificateRevocationListBuilder().issuer_name(issuer.cert.subject)
    builder = builder.last_update(this_update).next_update(next_update)
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            cx509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    der: bytes = builder.sign(issuer.key, hashes.SHA256()).public_bytes(Encoding.DER)
    return der


_RSA_OIDS = {
    SHA256: SHA256_RSA,
    "1.3.14.3.2.26": "1.2.840.113549.1.1.5",
    "1.2.840.113549.2.5": "1.2.840.113549.1.1.4",
    "2.16.840.1.101.3.4.2.3": "1.2.840.113549.1.1.13",
}
_ECDSA_OIDS = {SHA256: "1.2.840.10045.4.3.2", "2.16.840.1.101.3.4.2.3": "1.2.840.10045.4.3.4"}


def trust_files(folder: Path, root: Issued, ca: Issued, revoked_serial: int) -> tuple[Path, Path]:
    """The test PKI as a deployment is given it: `root.pem` (root and CA, PEM) and `ca.crl`, the CA's CRL
    (valid 2026-11-01 to 2027-11-01) revoking `revoked_serial` on 2026-06-01. Returns (root file, CRL file)."""
    crl_file = folder / "ca.crl"
    crl_file.write_bytes(
        crl(
            ca,
            [(revoked_serial, datetime(2026, 6, 1, tzinfo=UTC))],
            datetime(2026, 11, 1, tzinfo=UTC),
            datetime(2027, 11, 1, tzinfo=UTC),
        )
    )
    root_file = folder / "root.pem"
    root_file.write_bytes(root.cert.public_bytes(Encoding.PEM) + ca.cert.public_bytes(Encoding.PEM))
    return root_file, crl_file


def sign_with(issued: Issued, digest_oid: str = SHA256) -> tuple[Sign, str]:
    """The signing function and signature-algorithm OID for an issued key."""
    key = issued.key
    if isinstance(key, rsa.RSAPrivateKey):
        return rsa_signer(key, digest_oid), _RSA_OIDS[digest_oid]
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return ec_signer(key, digest_oid), _ECDSA_OIDS[digest_oid]
    return ed25519_signer(key), "1.3.101.112"


# --------------------------------------------------------------------------- PDF


def sign_pdf(
    pdf: bytes,
    make_cms: Callable[[bytes], bytes],
    *,
    field: str = "Signature1",
    subfilter: str = "ETSI.CAdES.detached",
    reserved: int = 16384,
    certify: int | None = None,
) -> bytes:
    """Add a signature (or, with `subfilter="ETSI.RFC3161"`, a document timestamp) as an incremental update.

    `certify` makes it a certification signature with that DocMDP level (1 no changes, 2 form filling,
    3 annotations).

    `make_cms` receives the bytes the /ByteRange covers and returns the DER CMS to embed, so any
    algorithm works, GOST included (pyHanko prepares the placeholder; the digest is the caller's).
    """
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
    from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
    from pyhanko.sign.signers.pdf_byterange import DocumentTimestamp, SignatureObject

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    embedder = PdfCMSEmbedder(new_field_spec=SigFieldSpec(field)).write_cms(field_name=field, writer=writer)
    next(embedder)
    placeholder: object
    if subfilter == "ETSI.RFC3161":
        placeholder = DocumentTimestamp(bytes_reserved=reserved)
    else:
        kind = SigSeedSubFilter.PADES if subfilter == "ETSI.CAdES.detached" else SigSeedSubFilter.ADOBE_PKCS7_DETACHED
        placeholder = SignatureObject(subfilter=kind, bytes_reserved=reserved)
    mdp = None
    if certify is not None:
        from pyhanko.sign.fields import MDPPerm
        from pyhanko.sign.signers.cms_embedder import SigMDPSetup

        mdp = SigMDPSetup(md_algorithm="sha256", certify=True, docmdp_perms=MDPPerm(certify))
    embedder.send(SigObjSetup(sig_placeholder=placeholder, mdp_setup=mdp))
    prepared, output = embedder.send(SigIOSetup(md_algorithm="sha256", in_place=False))
    buf = output.getvalue()
    covered = buf[: prepared.reserved_region_start] + buf[prepared.reserved_region_end :]
    embedder.send(make_cms(covered))
    data: bytes = output.getvalue()
    return data


def blank_pdf(text: str = "intake test document") -> bytes:
    """A one-page PDF with a line of text (for PDF signature fixtures)."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    w = PdfFileWriter()
    name = generic.pdf_name
    font = generic.DictionaryObject(
        {name("/Type"): name("/Font"), name("/Subtype"): name("/Type1"), name("/BaseFont"): name("/Helvetica")}
    )
    resources = generic.DictionaryObject({name("/Font"): generic.DictionaryObject({name("/F1"): w.add_object(font)})})
    stream = generic.StreamObject(stream_data=f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode())
    page = generic.DictionaryObject(
        {
            name("/Type"): name("/Page"),
            name("/MediaBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
            name("/Resources"): resources,
            name("/Contents"): w.add_object(stream),
        }
    )
    w.insert_page(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def append_content(pdf: bytes, operators: bytes, page: int = 0) -> bytes:
    """A later incremental revision that adds a content stream to a page (content changed after signing)."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    ref = w.add_object(generic.StreamObject(stream_data=operators))
    w.add_stream_to_page(page, ref)
    out = io.BytesIO()
    w.write(out)
    return pdf + out.getvalue()[len(pdf) :] if out.getvalue().startswith(pdf) else out.getvalue()


# --------------------------------------------------------------------------- CMS variants (issue 12)

SHAKE256 = "2.16.840.1.101.3.4.2.12"
ED448 = "1.3.101.113"
RSASSA_PSS = "1.2.840.113549.1.1.10"
# SHA-3 digest OID -> (RSA PKCS#1 v1.5 signature OID, ECDSA signature OID) (NIST CSOR, RFC 8702 arc)
SHA3_SIGNATURES = {
    "2.16.840.1.101.3.4.2.7": ("2.16.840.1.101.3.4.3.13", "2.16.840.1.101.3.4.3.9"),
    "2.16.840.1.101.3.4.2.8": ("2.16.840.1.101.3.4.3.14", "2.16.840.1.101.3.4.3.10"),
    "2.16.840.1.101.3.4.2.9": ("2.16.840.1.101.3.4.3.15", "2.16.840.1.101.3.4.3.11"),
    "2.16.840.1.101.3.4.2.10": ("2.16.840.1.101.3.4.3.16", "2.16.840.1.101.3.4.3.12"),
}


def rsa_pss_signer(
    key: rsa.RSAPrivateKey, hash_oid: str, mgf_hash_oid: str, salt_length: int
) -> tuple[Sign, algos.RSASSAPSSParams]:
    """RSASSA-PSS with explicit parameters (RFC 4055): the signing function and the parameters to declare."""
    pad = padding.PSS(mgf=padding.MGF1(_HASHES[mgf_hash_oid]), salt_length=salt_length)
    params = algos.RSASSAPSSParams(
        {
            "hash_algorithm": {"algorithm": hash_oid},
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": mgf_hash_oid}},
            "salt_length": salt_length,
            "trailer_field": "trailer_field_bc",
        }
    )
    return (lambda data: key.sign(data, pad, _HASHES[hash_oid])), params


def ed448_signer(key: ed448.Ed448PrivateKey) -> Sign:
    """Ed448 signing (RFC 8419: in CMS with the SHAKE256 digest, 512 bits)."""
    return key.sign


def cms_with(
    content: bytes,
    cert: x509.Certificate,
    sign: Sign,
    *,
    digest_oid: str,
    signature_oid: str,
    signature_params: object = None,
    detached: bool = True,
    certificates: Sequence[x509.Certificate] | None = None,
    extra_signed: Sequence[cms.CMSAttribute] = (),
    unsigned: Sequence[cms.CMSAttribute] = (),
    signing_time: datetime | None = None,
) -> bytes:
    """One-signer CMS with any digest and signature algorithm, extra signed or unsigned attributes, and
    the certificates chosen (``[]``: the signer's certificate is not inside)."""
    si = signer_info(
        digest(digest_oid, content),
        cert,
        sign,
        digest_oid=digest_oid,
        signature_oid=signature_oid,
        signature_params=signature_params,
        extra_signed=extra_signed,
        unsigned=unsigned,
        signing_time=signing_time,
    )
    return assemble(None if detached else content, [si], [cert] if certificates is None else list(certificates))


def attribute(oid: str, *values: bytes) -> cms.CMSAttribute:
    """A CMS attribute of any type, with DER-encoded values (an attribute the verifier does not know)."""
    return cms.CMSAttribute.load(_tlv(0x30, core.ObjectIdentifier(oid).dump() + _tlv(0x31, b"".join(sorted(values)))))


def _indefinite(tag: int, *parts: bytes) -> bytes:
    return bytes([tag, 0x80]) + b"".join(parts) + b"\x00\x00"


def ber_enveloping(cms_der: bytes, chunk: int = 1000) -> bytes:
    """The same enveloping (attached) CMS in BER as streaming encoders write it: indefinite lengths for
    ContentInfo, SignedData and EncapsulatedContentInfo, the content as a constructed OCTET STRING of
    `chunk`-byte pieces. The signed attributes stay DER (they are what was signed)."""
    info = cms.ContentInfo.load(cms_der)
    sd = info["content"]
    content = bytes(sd["encap_content_info"]["content"])
    pieces = b"".join(_tlv(0x04, content[i : i + chunk]) for i in range(0, len(content), chunk))
    encap = _indefinite(
        0x30,
        sd["encap_content_info"]["content_type"].dump(),
        _indefinite(0xA0, _indefinite(0x24, pieces)),
    )
    rest = b"".join(sd[k].dump() for k in ("certificates", "crls") if sd[k].native is not None)
    body = sd["version"].dump() + sd["digest_algorithms"].dump() + encap + rest + sd["signer_infos"].dump()
    return _indefinite(0x30, info["content_type"].dump(), _indefinite(0xA0, _indefinite(0x30, body)))


def ocsp_response(
    issuer: Issued,
    subject: Issued,
    *,
    good: bool,
    this_update: datetime,
    next_update: datetime,
    revoked_at: datetime | None = None,
    responder: Issued | None = None,
) -> bytes:
    """A DER OCSPResponse about `subject` signed by `issuer` (or a delegated `responder`)."""
    from cryptography.x509 import ReasonFlags, ocsp

    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=subject.cert,
        issuer=issuer.cert,
        algorithm=hashes.SHA256(),
        cert_status=ocsp.OCSPCertStatus.GOOD if good else ocsp.OCSPCertStatus.REVOKED,
        this_update=this_update,
        next_update=next_update,
        revocation_time=None if good else revoked_at,
        revocation_reason=None if good else ReasonFlags.key_compromise,
    )
    signer = responder or issuer
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer.cert)
    if responder is not None:
        builder = builder.certificates([responder.cert])
    der: bytes = builder.sign(signer.key, hashes.SHA256()).public_bytes(Encoding.DER)  # type: ignore[arg-type]
    return der


def revocation_values(crls: Sequence[bytes] = (), ocsps: Sequence[bytes] = ()) -> cms.CMSAttribute:
    """The CAdES revocation-values unsigned attribute (RFC 5126 6.3.4): CRLs and BasicOCSPResponses."""
    from asn1crypto import ocsp as asn1_ocsp

    parts = b""
    if crls:
        parts += _tlv(0xA0, _tlv(0x30, b"".join(crls)))
    if ocsps:
        basics = [asn1_ocsp.OCSPResponse.load(o)["response_bytes"]["response"].parsed.dump() for o in ocsps]
        parts += _tlv(0xA1, _tlv(0x30, b"".join(basics)))
    return attribute("1.2.840.113549.1.9.16.2.24", _tlv(0x30, parts))


def certificate_values(certs: Sequence[x509.Certificate]) -> cms.CMSAttribute:
    """The CAdES certificate-values unsigned attribute (RFC 5126 6.3.3)."""
    return attribute("1.2.840.113549.1.9.16.2.23", _tlv(0x30, b"".join(c.dump() for c in certs)))


def with_unsigned_attrs(cms_der: bytes, attrs: Sequence[cms.CMSAttribute], index: int = 0) -> bytes:
    """Add unsigned attributes (a timestamp token, CAdES revocation and certificate values) to signer `index`."""
    info = cms.ContentInfo.load(cms_der)
    sd = info["content"]
    infos = list(sd["signer_infos"])
    si = infos[index]
    fields = ("version", "sid", "digest_algorithm", "signed_attrs", "signature_algorithm", "signature")
    old = list(si["unsigned_attrs"]) if len(si["unsigned_attrs"]) else []
    infos[index] = cms.SignerInfo(
        {**{k: si[k] for k in fields if k != "signed_attrs" or len(si[k])}, "unsigned_attrs": [*old, *attrs]}
    )
    content = sd["encap_content_info"]["content"]
    body = bytes(content) if content.native is not None else None
    certs = [c.chosen for c in sd["certificates"] or () if c.name == "certificate"]
    return assemble(body, infos, certs)


def timestamp_attribute(
    cms_der: bytes, tsa: Issued, gen_time: datetime, certs: Sequence[x509.Certificate] = ()
) -> cms.CMSAttribute:
    """The signature-timestamp unsigned attribute over the first signer's signature value (CAdES-T)."""
    si = cms.ContentInfo.load(cms_der)["content"]["signer_infos"][0]
    sign, oid = sign_with(tsa)
    token = timestamp_token(
        si["signature"].native, tsa.asn1, sign, gen_time, signature_oid=oid, certs=[tsa.asn1, *certs]
    )
    return cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]})


def pades_sign(
    pdf: bytes,
    signer: Issued,
    chain: Sequence[Issued],
    tsa: Issued,
    moment: datetime,
    *,
    crls: Sequence[bytes] = (),
    ocsps: Sequence[bytes] = (),
    lta: bool = False,
) -> bytes:
    """A PAdES-B-LT (or, with `lta`, B-LTA) signature made by pyHanko's own signer at `moment`: a signature
    timestamp and (B-LTA) a document timestamp from pyHanko's DummyTimeStamper with the `tsa` key, and the
    revocation data given (`crls`, `ocsps`, DER) in the DSS, as pyHanko gathers it for the chain."""
    import asyncio
    import io

    from asn1crypto import crl as asn1_crl
    from asn1crypto import keys
    from asn1crypto import ocsp as asn1_ocsp
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def pkcs8(issued: Issued) -> keys.PrivateKeyInfo:
        der = issued.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        return keys.PrivateKeyInfo.load(der)

    store = SimpleCertificateStore.from_certs([c.asn1 for c in chain])
    vc = ValidationContext(
        trust_roots=[chain[-1].asn1],
        other_certs=[c.asn1 for c in chain[:-1]],
        crls=[asn1_crl.CertificateList.load(c) for c in crls],
        ocsps=[asn1_ocsp.OCSPResponse.load(o) for o in ocsps],
        moment=moment,
        allow_fetching=False,
        retroactive_revinfo=True,  # the OCSP response and the CRL were issued just after the signing moment
    )
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        use_pades_lta=lta,
        validation_context=vc,
    )
    stamper = DummyTimeStamper(tsa_cert=tsa.asn1, tsa_key=pkcs8(tsa), certs_to_embed=store, fixed_dt=moment)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signers.SimpleSigner(signing_cert=signer.asn1, signing_key=pkcs8(signer), cert_registry=store),
        timestamper=stamper,
    )
    out = io.BytesIO()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    asyncio.run(pdf_signer.async_sign_pdf(writer, output=out))
    data: bytes = out.getvalue()
    return data


def add_dss(pdf: bytes, certs: Sequence[Issued] = (), crls: Sequence[bytes] = (), ocsps: Sequence[bytes] = ()) -> bytes:
    """An incremental update adding a Document Security Store with these certificates, CRLs and OCSP
    responses (DER), as a PAdES-LT update made after signing (pyHanko's `DocumentSecurityStore.add_dss`)."""
    import io

    from asn1crypto import crl as asn1_crl
    from asn1crypto import ocsp as asn1_ocsp
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    buf = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(
        buf,
        None,
        certs=[c.asn1 for c in certs],
        crls=[asn1_crl.CertificateList.load(c) for c in crls],
        ocsps=[asn1_ocsp.OCSPResponse.load(o) for o in ocsps],
        force_write=True,
        strict=False,
    )
    return buf.getvalue()


def document_timestamp(pdf: bytes, tsa: Issued, gen_time: datetime, certs: Sequence[x509.Certificate] = ()) -> bytes:
    """A PAdES document timestamp (ETSI.RFC3161) by `tsa` at `gen_time`, added as an incremental update."""
    sign, oid = sign_with(tsa)

    def make(covered: bytes) -> bytes:
        token = timestamp_token(covered, tsa.asn1, sign, gen_time, signature_oid=oid, certs=[tsa.asn1, *certs])
        der: bytes = token.dump()
        return der

    return sign_pdf(pdf, make, field=f"DocTS{int(gen_time.timestamp())}", subfilter="ETSI.RFC3161")
