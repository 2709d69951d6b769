"""CMS / PKCS#7 SignedData: detached, attached, several signers; signature timestamps (RFC 3161).

The facts of each signer are kept apart (``intact``: the messageDigest attribute equals the digest
of the content; ``valid``: the signature value verifies over the signed attributes *as received*,
re-tagged as SET, never re-encoded; ``trusted``: a path to an anchor) and the ETSI EN 319 102-1
indication is derived from them at the end (:func:`judge`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal, Protocol

from asn1crypto import cms, core, tsp, x509
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp

from intake.models import ProofOfExistence, Revocation, SignatureReport, Signer
from intake.verifier.algos import (
    UnsupportedAlgorithm,
    digest_name,
    mandatory_digest,
    new_hash,
    signature_name,
    verify_raw,
    weakness,
)
from intake.verifier.context import Material, RevocationPolicy, VerificationContext
from intake.verifier.memo import ByIdentity
from intake.verifier.profile import key_usage, signer_of
from intake.verifier.trust import PathResult, decode_blob, revocation_date, validate_path

OID_DATA: Final = "1.2.840.113549.1.7.1"
OID_SIGNED_DATA: Final = "1.2.840.113549.1.7.2"
OID_TST_INFO: Final = "1.2.840.113549.1.9.16.1.4"
ATTR_CONTENT_TYPE: Final = "1.2.840.113549.1.9.3"
ATTR_MESSAGE_DIGEST: Final = "1.2.840.113549.1.9.4"
ATTR_SIGNING_TIME: Final = "1.2.840.113549.1.9.5"
ATTR_SIGNING_CERT: Final = "1.2.840.113549.1.9.16.2.12"
ATTR_SIGNING_CERT_V2: Final = "1.2.840.113549.1.9.16.2.47"
ATTR_TIMESTAMP: Final = "1.2.840.113549.1.9.16.2.14"
ATTR_ADBE_REVINFO: Final = "1.2.840.113583.1.1.8"
ATTR_CERT_VALUES: Final = "1.2.840.113549.1.9.16.2.23"
ATTR_REVOCATION_VALUES: Final = "1.2.840.113549.1.9.16.2.24"
OID_OCSP_RI: Final = "1.3.6.1.5.5.7.16.2"
SHA256: Final = "2.16.840.1.101.3.4.2.1"
SHA1: Final = "1.3.14.3.2.26"

Indication = Literal["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]
# ETSI EN 319 102-1 table 5: which subindications belong to which main indication.
FAILED_SUBS: Final = frozenset(
    {"FORMAT_FAILURE", "HASH_FAILURE", "SIG_CRYPTO_FAILURE", "REVOKED", "EXPIRED", "NOT_YET_VALID"}
)


class FormatError(ValueError):
    """Bytes that are not a CMS SignedData."""


class Content(Protocol):
    """The signed content, digested on demand (a PDF hashes its /ByteRange, a sidecar streams its file)."""

    def digest(self, oid: str) -> bytes:
        """The digest of the content under a digest OID (raises UnsupportedAlgorithm)."""

    def data(self) -> bytes:
        """The whole content (only for signatures without signed attributes)."""


@dataclass
class DigestedContent:
    """Content digested on demand, once per algorithm: a subclass says what its bytes are (`chunks`)."""

    _digests: dict[str, bytes] = field(default_factory=dict, kw_only=True, repr=False)

    def digest(self, oid: str) -> bytes:
        """See `Content`."""
        if oid not in self._digests:
            self._digests[oid] = self.compute(oid)
        return self._digests[oid]

    def compute(self, oid: str) -> bytes:
        """The digest under ``oid`` of `chunks`, computed afresh."""
        h = new_hash(oid)
        for chunk in self.chunks():
            h.update(chunk)
        return h.digest()

    def chunks(self) -> Iterator[bytes]:
        """The content, piece by piece."""
        raise NotImplementedError

    def data(self) -> bytes:
        """See `Content`."""
        return b"".join(self.chunks())


@dataclass
class BytesContent(DigestedContent):
    """Content held in memory."""

    payload: bytes

    def chunks(self) -> Iterator[bytes]:
        """See `DigestedContent`."""
        yield self.payload

    def data(self) -> bytes:
        """See `Content`."""
        return self.payload


@dataclass
class FileContent(DigestedContent):
    """Content in a file, streamed in 1 MiB chunks."""

    path: Path

    def compute(self, oid: str) -> bytes:
        """See `DigestedContent`."""
        h = new_hash(oid)
        if not isinstance(h, _HASH_TYPE):
            return super().compute(oid)
        with self.path.open("rb") as fh:
            # hashlib reads into one buffer and hashes it without the GIL (no 1 MiB bytes per chunk)
            return hashlib.file_digest(fh, lambda: h).digest()

    def chunks(self) -> Iterator[bytes]:
        """See `DigestedContent`."""
        with self.path.open("rb") as fh:
            yield from iter(lambda: fh.read(1 << 20), b"")

    def data(self) -> bytes:
        """See `Content`."""
        return self.path.read_bytes()


_HASH_TYPE: Final = type(hashlib.sha256())


def load_signed_data(data: bytes) -> cms.SignedData:
    """Parse a CMS SignedData from DER, PEM or base64 text (NCALayer often saves base64).

    Raises:
        FormatError: Not a CMS SignedData.
    """
    try:
        blobs = decode_blob(data)
    except ValueError as exc:  # a damaged PEM armour: the signature, not the run, fails
        raise FormatError(f"not a CMS SignedData: {exc}") from exc
    if not blobs:
        raise FormatError("not DER, PEM or base64 CMS")
    try:
        info = cms.ContentInfo.load(blobs[0], strict=False)
        ctype = info["content_type"].dotted
        if ctype != OID_SIGNED_DATA:
            raise FormatError(f"content type {ctype} is not SignedData")
        signed = info["content"]
        if not isinstance(signed, cms.SignedData):
            raise FormatError("content is not SignedData")
        _ = signed["encap_content_info"]["content_type"].dotted, len(signed["signer_infos"])
    except (ValueError, KeyError, TypeError, IndexError, OverflowError, RecursionError) as exc:
        raise FormatError(f"not a CMS SignedData: {exc}") from exc
    return signed


def attached_content(signed: cms.SignedData) -> bytes | None:
    """The encapsulated content (attached CMS), or None when detached."""
    econtent = signed["encap_content_info"]["content"]
    if isinstance(econtent, core.Void) or econtent is None:
        return None
    if isinstance(econtent, core.OctetString | core.ParsableOctetString):
        return bytes(econtent)  # the chunks of a constructed (BER) OCTET STRING joined
    raw: bytes = econtent.contents  # PKCS#7 (version 1) with another content type: Any
    try:
        inner = core.load(raw)
    except ValueError:
        return raw
    return bytes(inner) if isinstance(inner, core.OctetString) else raw


class Attributes(Mapping[str, list[object]]):
    """CMS attributes by type OID; each attribute's values are parsed when first asked for (a verification
    reads three or four of them; parsing all of every file's attributes cost a fifth of its time)."""

    def __init__(self, values: cms.CMSAttributes | None) -> None:
        self._raw: dict[str, list[cms.CMSAttribute | bytes]] = {}
        self._parsed: dict[str, list[object]] = {}
        if values is None:
            return
        split = _split_attributes(values.contents) if values.contents is not None and not values.children else None
        if split is None:  # BER, an odd tag, or already parsed: asn1crypto walks it
            for attr in values:
                self._raw.setdefault(attr["type"].dotted, []).append(attr)
            return
        for oid, tlv in split:
            self._raw.setdefault(oid, []).append(tlv)

    def __getitem__(self, oid: str) -> list[object]:
        if oid not in self._parsed:
            values: list[object] = []
            for attr in self._raw[oid]:
                simple = _simple_values(oid, attr) if isinstance(attr, bytes) else None
                if simple is not None:
                    values.extend(simple)
                else:
                    values.extend((cms.CMSAttribute.load(attr) if isinstance(attr, bytes) else attr)["values"])
            self._parsed[oid] = values
        return self._parsed[oid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


_OIDS: dict[bytes, str] = {}


def _der_length(data: bytes, at: int, end: int) -> tuple[int, int] | None:
    """The (content start, content end) of a DER element whose length octets begin at `at`; None when
    the length is indefinite, longer than four octets or runs past `end`."""
    if at >= end:
        return None
    first = data[at]
    if first < 0x80:
        start, size = at + 1, first
    elif 0x81 <= first <= 0x84:
        start = at + 1 + (first & 0x7F)
        size = int.from_bytes(data[at + 1 : start], "big")
    else:
        return None
    return (start, start + size) if start + size <= end else None


def _split_attributes(raw: bytes) -> list[tuple[str, bytes]] | None:
    """The (type OID, DER) of each attribute in the contents of a SET OF Attribute, read without parsing
    their values (a verification asks for three or four); None when it is not plain DER of that shape."""
    out: list[tuple[str, bytes]] = []
    at, end = 0, len(raw)
    while at < end:
        if raw[at] != 0x30:
            return None
        span = _der_length(raw, at + 1, end)
        if span is None:
            return None
        start, stop = span
        if start >= stop or raw[start] != 0x06:
            return None
        oid_span = _der_length(raw, start + 1, stop)
        if oid_span is None:
            return None
        oid_der = raw[start : oid_span[1]]
        dotted = _OIDS.get(oid_der)
        if dotted is None:
            dotted = core.ObjectIdentifier.load(oid_der).dotted
            if len(_OIDS) < 4096:
                _OIDS[oid_der] = dotted
        out.append((dotted, raw[at:stop]))
        at = stop
    return out


# attributes whose values are one plain type: loaded as that type from their DER, not through the
# CMSAttribute's spec lookup (a third of the attribute time)
_SIMPLE: Final[dict[str, type[core.Asn1Value]]] = {
    "1.2.840.113549.1.9.3": cms.ContentType,  # contentType
    "1.2.840.113549.1.9.4": core.OctetString,  # messageDigest
    "1.2.840.113549.1.9.5": cms.Time,  # signingTime
}


def _simple_values(oid: str, attr: bytes) -> list[object] | None:
    """The values of a DER attribute of a `_SIMPLE` type; None for any other (or odd DER): parsed in full."""
    spec = _SIMPLE.get(oid)
    if spec is None:
        return None
    span = _der_length(attr, 1, len(attr))
    if span is None:
        return None
    oid_span = _der_length(attr, span[0] + 1, span[1])
    if oid_span is None or oid_span[1] >= span[1] or attr[oid_span[1]] != 0x31:
        return None
    set_span = _der_length(attr, oid_span[1] + 1, span[1])
    if set_span is None or set_span[1] != span[1]:
        return None
    out: list[object] = []
    at, end = set_span
    while at < end:
        if attr[at] & 0x1F == 0x1F:  # a multi-byte tag: not one of these types
            return None
        value = _der_length(attr, at + 1, end)
        if value is None:
            return None
        out.append(spec.load(attr[at : value[1]]))
        at = value[1]
    return out


def _nonempty(values: cms.CMSAttributes) -> bool:
    """Whether a SET OF Attribute is present and not empty, without parsing it (len() parses every child)."""
    if isinstance(values, core.Void):
        return False
    if values.children is None and values.contents is not None:
        return len(values.contents) > 0
    return len(values) > 0


def _attrs(values: cms.CMSAttributes | None) -> Attributes:
    return Attributes(values)


_PARSED: dict[bytes, x509.Certificate] = {}


def _certs(signed: cms.SignedData) -> list[x509.Certificate]:
    """The certificates of a SignedData. One parsed object per certificate for the process: a signer's
    certificate rides in every CMS it makes, and asn1crypto parses lazily, field by field, on each copy
    (the serial, issuer, validity and extensions read below cost more than the RSA verification)."""
    field = signed["certificates"]
    fast = _split_certificates(field)
    if fast is not None:
        return fast
    out: list[x509.Certificate] = []
    for choice in field or ():
        if choice.name == "certificate":
            cert = choice.chosen
            raw = cert.contents  # as received (dump() would first walk the object for changes)
            known = _PARSED.get(raw)
            if known is None:
                if len(_PARSED) > 1024:
                    _PARSED.clear()
                known = _PARSED[raw] = cert
            out.append(known)
    return out


def _split_certificates(field: Any) -> list[x509.Certificate] | None:
    """The certificates of SignedData.certificates split from its DER and looked up by their bytes, without
    asn1crypto parsing each choice; None when it holds anything but plain DER certificates (then parsed)."""
    if isinstance(field, core.Void) or field.children is not None or not field.contents:
        return None
    raw: bytes = field.contents
    out: list[x509.Certificate] = []
    at, end = 0, len(raw)
    while at < end:
        if raw[at] != 0x30:  # another CertificateChoices (attribute certificate, other): parsed
            return None
        span = _der_length(raw, at + 1, end)
        if span is None:
            return None
        contents = raw[span[0] : span[1]]
        known = _PARSED.get(contents)
        if known is None:
            if len(_PARSED) > 1024:
                _PARSED.clear()
            known = _PARSED[contents] = x509.Certificate.load(raw[at : span[1]])
        out.append(known)
        at = span[1]
    return out


class _CrlValues(core.SequenceOf):  # type: ignore[misc]
    _child_spec = asn1_crl.CertificateList


class _OcspValues(core.SequenceOf):  # type: ignore[misc]
    _child_spec = asn1_ocsp.BasicOCSPResponse


class RevocationValues(core.Sequence):  # type: ignore[misc]
    """CAdES revocation values (ETSI EN 319 122-1 5.5.2; RFC 5126 6.3.4), an unsigned attribute."""

    _fields = [  # noqa: RUF012 (asn1crypto's declaration style)
        ("crl_vals", _CrlValues, {"explicit": 0, "optional": True}),
        ("ocsp_vals", _OcspValues, {"explicit": 1, "optional": True}),
        ("other_rev_vals", core.Any, {"explicit": 2, "optional": True}),
    ]


class _CertificateValues(core.SequenceOf):  # type: ignore[misc]
    _child_spec = x509.Certificate


def ocsp_of_basic(basic: asn1_ocsp.BasicOCSPResponse) -> asn1_ocsp.OCSPResponse:
    """A BasicOCSPResponse (as CAdES and the PDF DSS may hold it) wrapped as a full OCSPResponse."""
    return asn1_ocsp.OCSPResponse(
        {
            "response_status": "successful",
            "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
        }
    )


@dataclass(frozen=True)
class RevInfo:
    """Revocation data and certificates found for one signature, each with where it came from."""

    crls: tuple[tuple[asn1_crl.CertificateList, str], ...] = ()
    ocsps: tuple[tuple[asn1_ocsp.OCSPResponse, str], ...] = ()
    certs: tuple[x509.Certificate, ...] = ()

    def __add__(self, other: RevInfo) -> RevInfo:
        return RevInfo(self.crls + other.crls, self.ocsps + other.ocsps, self.certs + other.certs)

    def crl_list(self) -> list[asn1_crl.CertificateList]:
        """The CRLs alone."""
        return [c for c, _ in self.crls]

    def ocsp_list(self) -> list[asn1_ocsp.OCSPResponse]:
        """The OCSP responses alone."""
        return [o for o, _ in self.ocsps]

    def origins(self) -> dict[int, str]:
        """Where each piece came from, by object identity (the first origin named wins)."""
        out: dict[int, str] = {}
        for item, origin in (*self.crls, *self.ocsps):
            out.setdefault(id(item), origin)
        return out


def embedded_revinfo(
    signed: cms.SignedData,
    signed_attrs: Mapping[str, list[object]] | None = None,
    unsigned_attrs: Mapping[str, list[object]] | None = None,
) -> RevInfo:
    """CRLs, OCSP responses and certificates carried in the CMS: revocationInfoChoices, the signed
    `adbe-revocationInfoArchival` attribute, and the CAdES revocation and certificate values (unsigned)."""
    crls: list[tuple[asn1_crl.CertificateList, str]] = []
    ocsps: list[tuple[asn1_ocsp.OCSPResponse, str]] = []
    certs: list[x509.Certificate] = []
    for choice in signed["crls"] or ():
        try:
            if choice.name == "crl":
                crls.append((choice.chosen, "cms-revocation-info"))
            elif choice.name == "other" and choice.chosen["other_rev_info_format"].dotted == OID_OCSP_RI:
                ocsps.append(
                    (asn1_ocsp.OCSPResponse.load(choice.chosen["other_rev_info"].dump()), "cms-revocation-info")
                )
        except (ValueError, KeyError, TypeError):
            continue
    for value in (signed_attrs or {}).get(ATTR_ADBE_REVINFO, []):
        try:
            native = value  # asn1crypto parses adbe_revocation_info_archival
            origin = "adbe-revocation-info-archival"
            crls.extend((c, origin) for c in native["crl"] if isinstance(c, asn1_crl.CertificateList))  # type: ignore[index]
            ocsps.extend((o, origin) for o in native["ocsp"] if isinstance(o, asn1_ocsp.OCSPResponse))  # type: ignore[index]
        except (ValueError, KeyError, TypeError):
            continue
    for value in (unsigned_attrs or {}).get(ATTR_REVOCATION_VALUES, []):
        try:
            values = RevocationValues.load(value.dump())  # type: ignore[attr-defined]
            origin = "cades-revocation-values"
            if values["crl_vals"].native is not None:
                crls.extend((c, origin) for c in values["crl_vals"])
            if values["ocsp_vals"].native is not None:
                ocsps.extend((ocsp_of_basic(b), origin) for b in values["ocsp_vals"])
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    for value in (unsigned_attrs or {}).get(ATTR_CERT_VALUES, []):
        try:
            certs.extend(_CertificateValues.load(value.dump()))  # type: ignore[attr-defined]
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return RevInfo(tuple(crls), tuple(ocsps), tuple(certs))


_SIGNERS: dict[bytes, x509.Certificate] = {}


def _find_signer_cert(si: cms.SignerInfo, certs: Sequence[x509.Certificate]) -> x509.Certificate | None:
    """The certificate the SignerInfo's sid names among `certs` (remembered per sid: the same signer's
    certificate object comes back for each file, `_certs`)."""
    sid = si["sid"]
    key = sid.dump()
    known = _SIGNERS.get(key)
    if known is not None and any(c is known for c in certs):
        return known
    found = _match_sid(sid, certs)
    if found is not None:
        if len(_SIGNERS) > 1024:
            _SIGNERS.clear()
        _SIGNERS[key] = found
    return found


def _match_sid(sid: cms.SignerIdentifier, certs: Sequence[x509.Certificate]) -> x509.Certificate | None:
    if sid.name == "subject_key_identifier":
        return next((c for c in certs if c.key_identifier == sid.chosen.native), None)
    serial = sid.chosen["serial_number"].native
    issuer = sid.chosen["issuer"]
    issuer_der = issuer.dump()
    for c in certs:
        # serial first, then the encoded name; asn1crypto's Name equality (string prep) is slow
        if c.serial_number == serial and (c.issuer.dump() == issuer_der or c.issuer == issuer):
            return c
    return None


def _ess_mismatch(attrs: Mapping[str, list[object]], cert: x509.Certificate) -> str | None:
    """The ESS signing-certificate(-v2) attribute must name the certificate that verified (RFC 5035)."""
    for oid, default_hash in ((ATTR_SIGNING_CERT_V2, SHA256), (ATTR_SIGNING_CERT, SHA1)):
        for value in attrs.get(oid, []):
            try:
                first = value["certs"][0]  # type: ignore[index]
                hash_oid = default_hash
                if oid == ATTR_SIGNING_CERT_V2:
                    hash_oid = first["hash_algorithm"]["algorithm"].dotted
                h = new_hash(hash_oid)
                h.update(cert.dump())
                if h.digest() != first["cert_hash"].native:
                    return "the ESS signing-certificate attribute names another certificate than the one that verified"
            except (ValueError, KeyError, TypeError, IndexError, UnsupportedAlgorithm):
                return "the ESS signing-certificate attribute cannot be read"
    return None


@dataclass(frozen=True)
class Facts:
    """Everything found about one signer, before the judgement."""

    format: str
    source: str | None
    messages: tuple[str, ...] = ()
    structure_error: str | None = None
    signer_cert: x509.Certificate | None = None
    ess_error: str | None = None
    content_found: bool = True
    intact: bool | None = None
    valid: bool | None = None
    unsupported: str | None = None
    weakness: str | None = None
    algorithm: str | None = None
    digest_algorithm: str | None = None
    signing_time: datetime | None = None
    signing_time_source: Literal["timestamp", "signing_time", "validation_time"] | None = None
    timestamp: datetime | None = None
    path_sub: str | None = None
    path_message: str | None = None
    trusted: bool | None = None
    certificate_valid: bool | None = None
    chain: tuple[str, ...] = ()
    revocation: Revocation = field(default_factory=Revocation)
    key_usage_error: str | None = None
    no_poe: str | None = None
    out_of_bounds: str | None = None
    poe: ProofOfExistence | None = None
    cause: Literal["no_trust_anchors", "no_revocation_data"] | None = None


def judge(f: Facts) -> tuple[Indication, str | None, tuple[str, ...]]:
    """The ETSI EN 319 102-1 indication and subindication from the separate facts, and why."""
    msgs = list(f.messages)

    def out(sub: str, why: str | None, indeterminate: bool = False) -> tuple[Indication, str | None, tuple[str, ...]]:
        if why:
            msgs.append(why)
        ind: Indication = "INDETERMINATE" if indeterminate or sub not in FAILED_SUBS else "TOTAL_FAILED"
        return ind, sub, tuple(msgs)

    if f.structure_error:
        return out("FORMAT_FAILURE", f.structure_error)
    if f.signer_cert is None:
        return out(
            "NO_SIGNING_CERTIFICATE_FOUND", "the signer's certificate is not in the signature nor the trust store"
        )
    if f.ess_error:
        return out("NO_SIGNING_CERTIFICATE_FOUND", f.ess_error)
    if not f.content_found:
        return out("SIGNED_DATA_NOT_FOUND", "the signed content was not found (a detached signature without its file)")
    if f.unsupported:
        return out("CRYPTO_CONSTRAINTS_FAILURE", f.unsupported)
    if f.intact is False:
        return out("HASH_FAILURE", "the content digest does not match the signed messageDigest: the file was altered")
    if f.valid is False:
        return out("SIG_CRYPTO_FAILURE", "the signature value does not verify with the signer's public key")
    if f.weakness:
        return out("CRYPTO_CONSTRAINTS_FAILURE", f.weakness)
    if f.path_sub == "REVOKED":
        # Revoked before the signing moment; the moment is a claim unless it came from a timestamp.
        return out("REVOKED", f.path_message)
    if f.path_sub == "EXPIRED":
        # EN 319 102-1: TOTAL_FAILED/EXPIRED needs proof the signature was made after expiry.
        proof = f.signing_time_source in ("timestamp", "signing_time")
        return out("EXPIRED", f.path_message, indeterminate=not proof)
    if f.path_sub == "NOT_YET_VALID":
        return out("NOT_YET_VALID", f.path_message)
    if f.path_sub is not None:
        return out(f.path_sub, f.path_message, indeterminate=True)
    if f.no_poe:
        return out("REVOKED_NO_POE", f.no_poe, indeterminate=True)
    if f.out_of_bounds:
        return out("OUT_OF_BOUNDS_NO_POE", f.out_of_bounds, indeterminate=True)
    if f.key_usage_error:
        return out("CHAIN_CONSTRAINTS_FAILURE", f.key_usage_error, indeterminate=True)
    return "TOTAL_PASSED", None, tuple(msgs)


def report_of(f: Facts) -> SignatureReport:
    """The SignatureReport of one signer."""
    indication, sub, msgs = judge(f)
    signer = signer_of(f.signer_cert) if f.signer_cert is not None else Signer()
    return SignatureReport(
        indication=indication,
        subindication=sub,
        intact=f.intact,
        valid=f.valid,
        trusted=f.trusted,
        signing_time=f.signing_time,
        signing_time_source=f.signing_time_source,
        algorithm=f.algorithm,
        signer=signer,
        revocation=f.revocation,
        messages=msgs,
        format=f.format,
        source=f.source,
        certificate_valid=f.certificate_valid,
        key_usage_ok=None if f.signer_cert is None else f.key_usage_error is None,
        algorithm_ok=None if f.algorithm is None else (f.weakness is None and f.unsupported is None),
        digest_algorithm=f.digest_algorithm,
        timestamp=f.timestamp,
        chain=f.chain,
        proof_of_existence=f.poe,
        cause=f.cause if indication == "INDETERMINATE" and sub in ("NO_CERTIFICATE_CHAIN_FOUND", "TRY_LATER") else None,
    )


def _signed_bytes(si: cms.SignerInfo) -> bytes:
    """The signed attributes exactly as received, with the [0] IMPLICIT tag replaced by SET (RFC 5652 5.4)."""
    raw: bytes = si["signed_attrs"].dump()
    return b"\x31" + raw[1:]


def verify_signed_data(
    signed: cms.SignedData,
    content: Content | None,
    ctx: VerificationContext,
    *,
    fmt: str,
    source: str | None,
    extra_certs: Sequence[x509.Certificate] = (),
    extra_crls: Sequence[asn1_crl.CertificateList] = (),
    extra_ocsps: Sequence[asn1_ocsp.OCSPResponse] = (),
    extra_origins: Mapping[int, str] | None = None,
) -> tuple[SignatureReport, ...]:
    """Verify every signer of a SignedData over ``content`` (None: the content is missing).

    ``extra_*``: certificates and revocation data found beside the CMS (a PDF's DSS); ``extra_origins``
    names where each came from by ``id`` (default ``pdf-dss``). Malformed ASN.1 (which asn1crypto
    reports lazily, on access) becomes one FORMAT_FAILURE report naming the place, never an error.

    Raises:
        ConfigurationError: The trust store or revocation files of `ctx` cannot be used.
    """
    material = ctx.material()
    named = extra_origins or {}
    outside = RevInfo(
        tuple((c, named.get(id(c), "pdf-dss")) for c in extra_crls),
        tuple((o, named.get(id(o), "pdf-dss")) for o in extra_ocsps),
        tuple(extra_certs),
    )
    try:
        return _verify_signed_data(signed, content, ctx, material, fmt, source, outside)
    except _MALFORMED as exc:
        return (_malformed(fmt, source, exc, "SignedData"),)


# What asn1crypto and certvalidator raise on hostile ASN.1 (deep nesting: RecursionError; an odd
# structure a library does not handle: NotImplementedError): a malformed signature, never a crash.
_MALFORMED: Final = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
    NotImplementedError,
)


def _malformed(fmt: str, source: str | None, exc: Exception, place: str) -> SignatureReport:
    return SignatureReport(
        indication="TOTAL_FAILED",
        subindication="FORMAT_FAILURE",
        format=fmt,
        source=source,
        messages=(f"{source or 'the signature'}: malformed CMS at {place} ({type(exc).__name__}: {str(exc)[:200]})",),
    )


def _verify_signed_data(
    signed: cms.SignedData,
    content: Content | None,
    ctx: VerificationContext,
    material: Material,
    fmt: str,
    source: str | None,
    outside: RevInfo,
) -> tuple[SignatureReport, ...]:
    place = "SignedData.certificates"
    try:
        certs = [*_certs(signed), *outside.certs]
        place = "SignedData.encapContentInfo"
        econtent_type = signed["encap_content_info"]["content_type"].dotted
        place = "SignedData.signerInfos"
        signer_infos = list(signed["signer_infos"])
    except _MALFORMED as exc:
        return (_malformed(fmt, source, exc, place),)
    out: list[SignatureReport] = []
    if not signer_infos:
        return (
            SignatureReport(
                indication="TOTAL_FAILED",
                subindication="FORMAT_FAILURE",
                format=fmt,
                source=source,
                messages=("the CMS holds no signer (SignedData.signerInfos is empty)",),
            ),
        )
    for index, si in enumerate(signer_infos):
        try:
            facts = signer_facts(
                si,
                signed,
                certs,
                econtent_type,
                content,
                ctx,
                material,
                fmt=fmt,
                source=source,
                outside=outside,
            )
            out.append(report_of(facts))
        except _MALFORMED as exc:  # one malformed SignerInfo does not hide the others
            out.append(_malformed(fmt, source, exc, f"SignedData.signerInfos[{index}]"))
    return tuple(out)


def signer_facts(
    si: cms.SignerInfo,
    signed: cms.SignedData,
    certs: Sequence[x509.Certificate],
    econtent_type: str,
    content: Content | None,
    ctx: VerificationContext,
    material: Material,
    *,
    fmt: str,
    source: str | None,
    outside: RevInfo | None = None,
) -> Facts:
    """Gather the facts of one SignerInfo (no judgement here)."""
    # one dict of facts, made into Facts once (dataclasses.replace per step cost 8 % of a verification)
    u: dict[str, Any] = {"format": fmt, "source": source}
    try:
        digest_oid = si["digest_algorithm"]["algorithm"].dotted
        sig_alg = si["signature_algorithm"]
        signature = si["signature"].native
        # taken before the attributes are parsed: encoding parsed attributes walks them for changes
        has_signed = _nonempty(si["signed_attrs"])
        signed_bytes = _signed_bytes(si) if has_signed else b""
        attrs = _attrs(si["signed_attrs"]) if has_signed else None
        unsigned = _attrs(si["unsigned_attrs"]) if _nonempty(si["unsigned_attrs"]) else Attributes(None)
    except (ValueError, KeyError, TypeError) as exc:
        return Facts(**u, structure_error=f"the SignerInfo cannot be read: {exc}")
    u.update(digest_algorithm=digest_name(digest_oid), algorithm=signature_name(sig_alg, digest_oid))
    if (mandatory := mandatory_digest(sig_alg)) is not None and digest_oid != mandatory:
        return Facts(
            **u,
            unsupported=f"{signature_name(sig_alg)} requires the digest {digest_name(mandatory)} "
            f"(RFC 8419), not {digest_name(digest_oid)}",
            signer_cert=_find_signer_cert(si, [*certs, *material.certs]),
        )
    revinfo = embedded_revinfo(signed, attrs, unsigned) + (outside or RevInfo())
    certs = [*certs, *revinfo.certs]
    cert = _find_signer_cert(si, [*certs, *material.certs, *material.trust.intermediates, *material.trust.anchors])
    u.update(signer_cert=cert)
    if cert is None:
        return Facts(**u)
    if attrs is not None:
        digests = attrs.get(ATTR_MESSAGE_DIGEST, [])
        ctypes = attrs.get(ATTR_CONTENT_TYPE, [])
        if len(digests) != 1 or len(ctypes) != 1:
            return Facts(
                **u, structure_error="the signed attributes need exactly one messageDigest and one contentType"
            )
        if ctypes[0].dotted != econtent_type:  # type: ignore[attr-defined]
            return Facts(**u, structure_error="the signed contentType differs from the encapsulated content type")
        if ess := _ess_mismatch(attrs, cert):
            return Facts(**u, ess_error=ess)
    if content is None:
        return Facts(**u, content_found=False)
    # intact: the digest of the content equals the signed messageDigest
    try:
        actual = content.digest(digest_oid)
    except UnsupportedAlgorithm as exc:
        return Facts(**u, unsupported=str(exc))
    if attrs is not None:
        u.update(intact=actual == attrs[ATTR_MESSAGE_DIGEST][0].native)  # type: ignore[attr-defined]
    else:
        signed_bytes = content.data()
    # valid: the signature value over the signed attributes as received
    try:
        valid = verify_raw(signature, signed_bytes, cert.public_key, sig_alg, digest_oid)
    except UnsupportedAlgorithm as exc:
        return Facts(**u, unsupported=str(exc))
    except (ValueError, KeyError) as exc:
        return Facts(**u, unsupported=f"the signer's public key cannot be used: {exc}")
    u.update(valid=valid, intact=u.get("intact") if attrs is not None else valid)
    if not (u.get("intact") and u.get("valid")):
        return Facts(**u)
    weak = weakness(digest_oid, sig_alg, cert.public_key)
    # the signing moment: a verified timestamp (a proof of existence, EN 319 102-1 5.6.2.3), else the
    # signingTime attribute (a claim), else the validation time
    messages: list[str] = []
    moment, moment_source = ctx.at, "validation_time"
    stamp: Stamp | None = None
    everything = given_revinfo(ctx) + revinfo
    for token in unsigned.get(ATTR_TIMESTAMP, []):
        stamp, why = _timestamp_time(token, signature, ctx, everything)
        if stamp is None:
            messages.append(f"signature timestamp not used: {why}")
        else:
            break
    # no signature timestamp: a later document timestamp over the signature, verified by the caller
    proof = ctx.proof if stamp is None and ctx.proof is not None and ctx.proof.time <= ctx.at else None
    if stamp is not None:
        moment, moment_source = stamp.time, "timestamp"
    elif proof is not None:
        moment, moment_source = proof.time, "timestamp"
        messages.append(
            f"no signature timestamp: validated at {proof.time.isoformat()}, the time of a later "
            f"{proof.source.replace('_', ' ')} by {proof.timestamp_authority or 'an unnamed TSA'} over this signature"
        )
    elif attrs is not None and attrs.get(ATTR_SIGNING_TIME):
        try:
            moment = attrs[ATTR_SIGNING_TIME][0].native  # type: ignore[attr-defined]
            moment_source = "signing_time"
        except (ValueError, AttributeError):
            messages.append("the signingTime attribute cannot be read")
    u.update(
        signing_time=moment,
        signing_time_source=moment_source,
        timestamp=stamp.time if stamp else None,
        poe=ProofOfExistence(time=stamp.time, source="signature_timestamp", timestamp_authority=stamp.authority)
        if stamp
        else proof,
        messages=tuple(messages),
    )
    u.update(path_facts(cert, certs, moment, moment_source, ctx, everything, weak))
    return Facts(**u)


def path_facts(
    cert: x509.Certificate,
    certs: Sequence[x509.Certificate],
    moment: datetime,
    moment_source: str,
    ctx: VerificationContext,
    revinfo: RevInfo,
    weak: str | None,
) -> dict[str, Any]:
    """The facts of the signer's path at the signing moment: trust, revocation, chain, key usage.

    One place for CMS (:func:`signer_facts`) and XMLDSig signatures: ``moment`` comes from
    ``moment_source`` (a timestamp, a claimed signing time or the validation time), ``revinfo`` is the
    revocation data at hand with where each piece came from, ``weak`` the signature's own weakness.
    Returns the fields of `Facts` it sets (one dict: a `replace` per step costs a verification 8 %).
    """
    # Past signature validation (EN 319 102-1 5.6.2.4): with a proof of existence the path is validated
    # at that moment, so a certificate that expired or was revoked after it still passes when its
    # revocation data says it was good then (certvalidator takes revocation data issued later).
    all_crls = revinfo.crl_list()
    path = validate_path(
        cert,
        certs,
        moment,
        ctx.material().trust,
        all_crls,
        revinfo.ocsp_list(),
        ctx.online,
        cache=ctx.memo.paths,
        policy=ctx.revocation,
        origins=revinfo.origins(),
    )
    u: dict[str, Any] = {
        "path_sub": path.subindication,
        "path_message": path.message,
        "trusted": path.trusted,
        "certificate_valid": path.certificate_valid,
        "revocation": path.revocation,
        "chain": path.names,
        "cause": path.cause,
        "weakness": weak or _chain_weakness(path),
    }
    if path.subindication is None and moment_source == "signing_time":
        # EN 319 102-1 5.2.6: a certificate of the path that has expired by the validation time needs a
        # proof of existence before its expiry; a claimed signingTime is none
        expired = [c for c in path.chain if _not_after(c) < ctx.at]
        if expired:
            u["out_of_bounds"] = (
                f"the certificate of {expired[0].subject.human_friendly} expired on "
                f"{expired[0]['tbs_certificate']['validity']['not_after'].native.isoformat()}, before the validation "
                f"time; the signing moment {moment.isoformat()} is only claimed (signingTime) and no timestamp "
                "proves the signature existed before the expiry"
            )
    if path.subindication is None and ctx.revocation is not RevocationPolicy.OFF:
        revoked = revocation_date(cert, all_crls)
        if revoked is not None and moment_source != "timestamp":
            u["no_poe"] = (
                f"the certificate was revoked on {revoked[0].isoformat()}, after the claimed signing moment "
                f"{moment.isoformat()} ({moment_source}), and no timestamp proves the signature existed before"
            )
            u["revocation"] = Revocation(
                status="revoked",
                revoked_at=revoked[0],
                reason=revoked[1],
                source=path.revocation.source,
                policy=ctx.revocation.value,
                origin=path.revocation.origin,
            )
    ku = key_usage(cert)
    if ku is not None and not ku & {"digital_signature", "non_repudiation"}:
        u["key_usage_error"] = f"the certificate's key usage ({', '.join(sorted(ku)) or 'none'}) does not allow signing"
    return u


def given_revinfo(ctx: VerificationContext) -> RevInfo:
    """The revocation data and certificates given on the command line (--crl, --ocsp)."""
    material = ctx.material()
    return RevInfo(
        tuple((c, "--crl") for c in material.crls), tuple((o, "--ocsp") for o in material.ocsps), material.certs
    )


_NOT_AFTER: ByIdentity[datetime] = ByIdentity()


def _not_after(cert: x509.Certificate) -> datetime:
    """A certificate's notAfter, read once per certificate object (`_certs` hands out one per certificate)."""
    not_after: datetime = _NOT_AFTER.get(cert, lambda: cert["tbs_certificate"]["validity"]["not_after"].native)
    return not_after


_CHAIN_WEAKNESS: ByIdentity[str | None] = ByIdentity()


def _chain_weakness(path: PathResult) -> str | None:
    """Why a certificate signature of the path is not acceptable, once per path (paths are cached)."""

    def weakest() -> str | None:
        weak = None
        for issued, issuer in zip(path.chain, path.chain[1:], strict=False):
            weak = weak or weakness(None, issued["signature_algorithm"], issuer.public_key)
        return weak

    return _CHAIN_WEAKNESS.get(path, weakest)


@dataclass(frozen=True)
class Stamp:
    """A verified signature timestamp: its genTime and the TSA that signed it."""

    time: datetime
    authority: str | None


def _timestamp_time(
    token: object, signature: bytes, ctx: VerificationContext, revinfo: RevInfo
) -> tuple[Stamp | None, str]:
    """The genTime of an RFC 3161 token over ``signature`` when the token verifies, with the reason otherwise.

    The TSA's path is validated with its own chain at genTime, with the revocation data at hand (given,
    in the signer's CMS, its CAdES values, a PDF's DSS) and that of the token itself.
    """
    try:
        # re-load from the bytes: asn1crypto's lazily parsed attribute value trips on its own children
        info = cms.ContentInfo.load(token.dump())  # type: ignore[attr-defined]
        signed = info["content"]
        payload = attached_content(signed)
        if payload is None:
            return None, "the token carries no TSTInfo"
        tst = tsp.TSTInfo.load(payload)
        imprint = tst["message_imprint"]
        h = new_hash(imprint["hash_algorithm"]["algorithm"].dotted)
        h.update(signature)
        if h.digest() != imprint["hashed_message"].native:
            return None, "its message imprint is not the digest of this signature"
        gen_time: datetime = tst["gen_time"].native
        if gen_time > ctx.at:
            return None, f"its genTime {gen_time.isoformat()} is after the validation moment {ctx.at.isoformat()}"
        reports = verify_signed_data(
            signed,
            BytesContent(payload),
            ctx.at_moment(gen_time),
            fmt="rfc3161",
            source=None,
            extra_certs=revinfo.certs,
            extra_crls=revinfo.crl_list(),
            extra_ocsps=revinfo.ocsp_list(),
            extra_origins=revinfo.origins(),
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnsupportedAlgorithm, FormatError) as exc:
        return None, f"the token cannot be read: {exc}"
    bad = [r for r in reports if r.indication != "TOTAL_PASSED"]
    if bad or not reports:
        r = bad[0] if bad else None
        why = f"{r.indication}/{r.subindication}: {'; '.join(r.messages)}" if r else "no signer"
        return None, f"the timestamp does not verify ({why})"
    return Stamp(gen_time, reports[0].signer.common_name or reports[0].signer.subject), "ok"


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 (for naming extracted content)."""
    return hashlib.sha256(data).hexdigest()
