"""XML signatures (XMLDSig): enveloped NCALayer/Kalkan signatures, several signers, WS-Security SOAP.

What is checked for each ``ds:Signature`` (W3C XMLDSig 1.1, kz-pki README 2.1-2.2):

* the XML is parsed by :func:`parse_xml` under a hardened lxml parser: no DTD at all (so no entity,
  internal or external), no network, libxml2's default limits (depth 256, text nodes of 10 MB), and a
  byte cap; hostile XML is a FORMAT_FAILURE, never a crash, a hang or a fetch;
* ``intact``: every ``Reference`` is dereferenced (``URI=""`` the document, ``#id`` the one element
  that carries that ID: a duplicated ID is a failure, a foreign URI is never fetched), its transforms
  applied (enveloped-signature; inclusive or exclusive C14N 1.0/1.1, with or without comments; nothing
  else: XPath and XSLT are refused) and its digest compared with ``DigestValue``. An enveloped reference
  is tried with the standard transform (this signature removed) and with Kalkan semantics (every
  ``ds:Signature`` removed: KalkanCrypt's earlier signers of a sequentially signed document); the
  report says which matched;
* ``valid``: ``SignatureValue`` over the canonical ``SignedInfo``, dispatched by algorithm URI to
  :func:`intake.verifier.algos.verify_raw` (RSA and ECDSA through ``cryptography``, the Kazakh GOST
  family to :mod:`intake.gost`);
* ``trusted``, revocation, key usage and the Kazakh certificate profile exactly as for CMS
  (:func:`intake.verifier.trust.validate_path`, :func:`intake.verifier.cms.judge`).

Signature wrapping (XSW): the verified element is the element used. :class:`XmlSignature` names the
elements its references covered; :func:`covers_root` says whether the whole document was signed, and a
SOAP signature that does not cover the Envelope's own Body (the child of the root, found by position,
never by ID) fails.

C14N 1.1 is computed as C14N 1.0 (lxml exposes only 1.0 and exclusive C14N): the two differ only in
how ``xml:id``/``xml:base`` of ancestors outside a signed subset are inherited, and lxml's subset
canonicalization inherits no ``xml:`` attribute of ancestors in either mode.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Literal

from asn1crypto import algos, x509
from lxml import etree

from intake import gost
from intake.models import SignatureReport
from intake.verifier.algos import UnsupportedAlgorithm, digest_name, new_hash, verify_raw, weakness
from intake.verifier.cms import Facts, given_revinfo, path_facts, report_of
from intake.verifier.context import VerificationContext

DS: Final = "http://www.w3.org/2000/09/xmldsig#"
DSIG11: Final = "http://www.w3.org/2009/xmldsig11#"
WSSE: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
SOAP11: Final = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12: Final = "http://www.w3.org/2003/05/soap-envelope"
EXC_NS: Final = "http://www.w3.org/2001/10/xml-exc-c14n#"

C14N10: Final = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N10_COMMENTS: Final = C14N10 + "#WithComments"
C14N11: Final = "http://www.w3.org/2006/12/xml-c14n11"
C14N11_COMMENTS: Final = C14N11 + "#WithComments"
EXC_C14N: Final = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_COMMENTS: Final = EXC_C14N + "WithComments"
ENVELOPED: Final = DS + "enveloped-signature"

# (exclusive, with_comments)
_C14N: Final = {
    C14N10: (False, False),
    C14N10_COMMENTS: (False, True),
    C14N11: (False, False),
    C14N11_COMMENTS: (False, True),
    EXC_C14N: (True, False),
    EXC_C14N_COMMENTS: (True, True),
}

MORE: Final = "http://www.w3.org/2001/04/xmldsig-more#"
PKIGOVKZ: Final = "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:"
SIG_GOST2004_URI: Final = MORE + "gost34310-gost34311"
SIG_GOST2001_URI: Final = MORE + "gostr34102001-gostr3411"
SIG_GOST2015_512_URI: Final = PKIGOVKZ + "gostr34102015-gostr34112015-512"
SIG_GOST2015_256_URI: Final = PKIGOVKZ + "gostr34102015-gostr34112015-256"
DIGEST_GOST34311_URI: Final = MORE + "gost34311"
DIGEST_GOSTR3411_URI: Final = MORE + "gostr3411"
DIGEST_STREEBOG512_URI: Final = PKIGOVKZ + "gostr34112015-512"
DIGEST_STREEBOG256_URI: Final = PKIGOVKZ + "gostr34112015-256"
SIG_RSA_SHA256_URI: Final = MORE + "rsa-sha256"
SIG_RSA_SHA512_URI: Final = MORE + "rsa-sha512"
SIG_ECDSA_SHA256_URI: Final = MORE + "ecdsa-sha256"
DIGEST_SHA256_URI: Final = "http://www.w3.org/2001/04/xmlenc#sha256"
DIGEST_SHA512_URI: Final = "http://www.w3.org/2001/04/xmlenc#sha512"

# Digest URI -> digest OID (intake.verifier.algos computes them all, GOST included).
DIGESTS: Final = {
    DS + "sha1": "1.3.14.3.2.26",
    MORE + "sha224": "2.16.840.1.101.3.4.2.4",
    DIGEST_SHA256_URI: "2.16.840.1.101.3.4.2.1",
    MORE + "sha384": "2.16.840.1.101.3.4.2.2",
    DIGEST_SHA512_URI: "2.16.840.1.101.3.4.2.3",
    MORE + "md5": "1.2.840.113549.2.5",
    DIGEST_GOST34311_URI: gost.DIGEST_GOST34311,
    DIGEST_GOSTR3411_URI: gost.DIGEST_GOST34311,
    DIGEST_STREEBOG512_URI: gost.DIGEST_STREEBOG512,
    DIGEST_STREEBOG256_URI: gost.DIGEST_STREEBOG256,
}


@dataclass(frozen=True)
class SigAlg:
    """A SignatureMethod: the asn1crypto algorithm to verify with, its digest, and how the value is laid out."""

    algorithm: str  # asn1crypto SignedDigestAlgorithm name or a GOST OID
    digest_oid: str
    name: str
    raw_ec: bool = False  # XMLDSig ECDSA values are r || s (RFC 4050), not DER


SIGNATURE_METHODS: Final = {
    DS + "rsa-sha1": SigAlg("sha1_rsa", "1.3.14.3.2.26", "sha1_rsa"),
    SIG_RSA_SHA256_URI: SigAlg("sha256_rsa", "2.16.840.1.101.3.4.2.1", "sha256_rsa"),
    MORE + "rsa-sha384": SigAlg("sha384_rsa", "2.16.840.1.101.3.4.2.2", "sha384_rsa"),
    SIG_RSA_SHA512_URI: SigAlg("sha512_rsa", "2.16.840.1.101.3.4.2.3", "sha512_rsa"),
    SIG_ECDSA_SHA256_URI: SigAlg("sha256_ecdsa", "2.16.840.1.101.3.4.2.1", "sha256_ecdsa", raw_ec=True),
    MORE + "ecdsa-sha384": SigAlg("sha384_ecdsa", "2.16.840.1.101.3.4.2.2", "sha384_ecdsa", raw_ec=True),
    MORE + "ecdsa-sha512": SigAlg("sha512_ecdsa", "2.16.840.1.101.3.4.2.3", "sha512_ecdsa", raw_ec=True),
    # GOST 34.310-2004 is GOST R 34.10-2001 with the GOST 34.311-95 (R 34.11-94, test S-box) digest:
    # Kalkan writes the first URI, RFC 4051 names the second (kz-pki README 2.1).
    SIG_GOST2004_URI: SigAlg(gost.SIG_GOST2004, gost.DIGEST_GOST34311, "gost34310-2004-gost34311"),
    SIG_GOST2001_URI: SigAlg(gost.SIG_GOST2004, gost.DIGEST_GOST34311, "gost34310-2004-gost34311"),
    SIG_GOST2015_512_URI: SigAlg(gost.SIG_GOST2015_512, gost.DIGEST_STREEBOG512, "gost3410-2015-512-streebog512"),
    SIG_GOST2015_256_URI: SigAlg(gost.SIG_GOST2015_256, gost.DIGEST_STREEBOG256, "gost3410-2015-256-streebog256"),
}

MAX_XML_BYTES: Final = 32_000_000
MAX_ELEMENTS: Final = 2_000_000
MAX_SIGNATURES: Final = 64
MAX_REFERENCES: Final = 64
ID_ATTRIBUTES: Final = ("Id", "ID", "id", f"{{{WSU}}}Id", f"{{{XML_NS}}}id")

Semantics = Literal["enveloped", "kalkan", "none"]


class XmlFormatError(ValueError):
    """Bytes that are not acceptable XML (malformed, a DTD, over a limit)."""


def hardened_parser() -> etree.XMLParser:
    """The lxml parser every untrusted XML goes through."""
    # resolve_entities=False, load_dtd=False, no_network=True: no entity is expanded and nothing is
    # fetched; huge_tree=False keeps libxml2's limits (depth 256, 10 MB text nodes, entity amplification).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse XML under the hardened parser.

    Raises:
        XmlFormatError: Malformed XML, a DOCTYPE (DTDs and entities are refused), or over a size limit.
    """
    if len(data) > MAX_XML_BYTES:
        raise XmlFormatError(f"the XML is {len(data)} bytes, more than the limit of {MAX_XML_BYTES}")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise XmlFormatError("the XML has a DOCTYPE: DTDs and entity declarations are refused")
    try:
        root = etree.fromstring(data, hardened_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise XmlFormatError(f"not well-formed XML: {str(exc)[:200]}") from exc
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise XmlFormatError("the XML has a DOCTYPE: DTDs and entity declarations are refused")
    for count, el in enumerate(root.iter(), start=1):
        if isinstance(el, etree._Entity):
            raise XmlFormatError("the XML contains an unexpanded entity reference")
        if count > MAX_ELEMENTS:
            raise XmlFormatError(f"the XML has more than {MAX_ELEMENTS} nodes")
    return tree


def looks_like_xml(head: bytes) -> bool:
    """Whether the first bytes of a file look like XML."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<?xml") or (text.startswith(b"<") and not text.startswith(b"<!DOCTYPE html"))


# --------------------------------------------------------------------------- facts of one signature


@dataclass(frozen=True)
class XmlSignature:
    """One ``ds:Signature``: its report and which elements its references covered."""

    report: SignatureReport
    element: etree._Element
    referenced: tuple[etree._Element, ...] = ()
    whole_document: bool = False
    semantics: Semantics = "none"
    certificate: x509.Certificate | None = None


def covers_root(sig: XmlSignature) -> bool:
    """Whether the signature covered the whole document (``URI=""`` or the root element's ID)."""
    if sig.whole_document:
        return True
    root = sig.element.getroottree().getroot()
    return any(el is root for el in sig.referenced)


class _Broken(Exception):
    """The signature cannot be processed: (subindication, message)."""

    def __init__(self, sub: str, message: str) -> None:
        super().__init__(message)
        self.sub = sub
        self.message = message


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _one(parent: etree._Element, ns: str, tag: str, required: bool = True) -> etree._Element | None:
    found = parent.findall(_q(ns, tag))
    if len(found) > 1:
        raise _Broken("FORMAT_FAILURE", f"{tag} appears {len(found)} times in {etree.QName(parent).localname}")
    if not found:
        if required:
            raise _Broken("FORMAT_FAILURE", f"{etree.QName(parent).localname} has no {tag}")
        return None
    return found[0]


def _b64(text: str | None, what: str) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _Broken("FORMAT_FAILURE", f"{what} is not base64") from exc


def _path(el: etree._Element) -> str:
    return str(el.getroottree().getpath(el))


def _id_index(root: etree._Element) -> dict[str, list[etree._Element]]:
    index: dict[str, list[etree._Element]] = {}
    for el in root.iter(etree.Element):
        for attr in ID_ATTRIBUTES:
            value = el.get(attr)
            if value is not None:
                index.setdefault(value, []).append(el)
    return index


def _signatures_in(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(_q(DS, "Signature")))


def _without(
    tree: etree._ElementTree, target: etree._Element | None, drop: Sequence[etree._Element]
) -> etree._Element | etree._ElementTree:
    """The target (None: the document) in a copy of the document without the ``drop`` elements.

    The enveloped-signature transform removes the Signature element, not the text after it (an XPath
    node-set), so that text is kept. The original tree is never touched: lxml reconciles namespace
    declarations when a node is moved back, which would change what is canonicalized later.
    """
    if not drop:
        return tree if target is None else target
    nodes = list(tree.getroot().iter())
    index = {node: i for i, node in enumerate(nodes)}
    twin = copy.deepcopy(tree)
    twin_nodes = list(twin.getroot().iter())
    chosen = [e for e in drop if not any(a in drop for a in e.iterancestors())]
    for el in chosen:
        node = twin_nodes[index[el]]
        parent = node.getparent()
        if parent is None:
            continue
        tail, prev = node.tail, node.getprevious()
        node.tail = None
        parent.remove(node)
        if tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    return twin if target is None else twin_nodes[index[target]]


def _canonical(
    node: etree._Element | etree._ElementTree,
    exclusive: bool,
    with_comments: bool,
    prefixes: Sequence[str] | None,
) -> bytes:
    out: bytes = etree.tostring(
        node,
        method="c14n",
        exclusive=exclusive,
        with_comments=with_comments,
        inclusive_ns_prefixes=list(prefixes) if exclusive and prefixes else None,
    )
    return out


def _prefix_list(method: etree._Element) -> list[str] | None:
    inc = method.find(_q(EXC_NS, "InclusiveNamespaces"))
    if inc is None:
        return None
    return [p for p in (inc.get("PrefixList") or "").split() if p != "#default"]


@dataclass(frozen=True)
class _Ref:
    uri: str
    target: etree._Element | None  # None: the document
    enveloped: bool
    c14n: tuple[bool, bool, list[str] | None]
    digest_oid: str
    digest_value: bytes


def _parse_reference(ref: etree._Element, root: etree._Element, ids: dict[str, list[etree._Element]]) -> _Ref:
    uri = ref.get("URI")
    if uri is None:
        raise _Broken("SIGNED_DATA_NOT_FOUND", "a Reference without URI needs an application to supply its data")
    target: etree._Element | None
    if uri in ("", "#xpointer(/)"):
        target = None
    elif uri.startswith("#"):
        name = uri[1:]
        if name.startswith("xpointer(id(") and name.endswith("))"):
            name = name[len("xpointer(id(") : -2].strip("'\"")
        found = ids.get(name, [])
        if len(found) > 1:
            raise _Broken(
                "FORMAT_FAILURE",
                f"the ID {name!r} is carried by {len(found)} elements: a duplicated ID (signature wrapping)",
            )
        if not found:
            raise _Broken("SIGNED_DATA_NOT_FOUND", f"no element carries the referenced ID {name!r}")
        target = found[0]
    else:
        # 27.x / point 4: a foreign URI (http:, file:, a relative name) is never fetched.
        raise _Broken(
            "SIGNED_DATA_NOT_FOUND", f"the Reference points outside the document ({uri[:120]!r}): not fetched"
        )
    enveloped = False
    c14n: tuple[bool, bool, list[str] | None] = (False, False, None)
    transforms = ref.find(_q(DS, "Transforms"))
    steps = [] if transforms is None else list(transforms.iterchildren(_q(DS, "Transform")))
    if len(steps) > 4:
        raise _Broken("FORMAT_FAILURE", f"{len(steps)} transforms in one Reference")
    seen_c14n = False
    for step in steps:
        alg = step.get("Algorithm") or ""
        if alg == ENVELOPED and not seen_c14n:
            enveloped = True
        elif alg in _C14N and not seen_c14n:
            exclusive, comments = _C14N[alg]
            c14n = (exclusive, comments, _prefix_list(step))
            seen_c14n = True
        else:
            raise _Broken("FORMAT_FAILURE", f"the transform {alg[:120]!r} is not accepted (only enveloped and C14N)")
    method = _one(ref, DS, "DigestMethod")
    assert method is not None
    digest_uri = method.get("Algorithm") or ""
    if digest_uri not in DIGESTS:
        raise _Broken("CRYPTO_CONSTRAINTS_FAILURE", f"unsupported digest method {digest_uri[:120]!r}")
    value_el = _one(ref, DS, "DigestValue")
    assert value_el is not None
    return _Ref(uri, target, enveloped, c14n, DIGESTS[digest_uri], _b64(value_el.text, "DigestValue"))


def _digest(oid: str, data: bytes) -> bytes:
    h = new_hash(oid)
    h.update(data)
    return h.digest()


def _reference_matches(
    ref: _Ref, tree: etree._ElementTree, own: etree._Element, signatures: Sequence[etree._Element]
) -> Semantics | None:
    """Which semantics makes the reference digest match, or None."""
    exclusive, comments, prefixes = ref.c14n
    # XMLDSig 4.4.3.3: a same-document URI yields a node-set without comments; xpointer(/) keeps them.
    keep_comments = comments and ref.uri.startswith("#xpointer(")
    variants: list[tuple[Semantics, Sequence[etree._Element]]]
    if ref.enveloped:
        variants = [("enveloped", [own])]
        if len(signatures) > 1:
            variants.append(("kalkan", signatures))
    else:
        variants = [("none", [])]
    comment_modes = [keep_comments]
    if comments and not keep_comments:
        comment_modes.append(True)  # Kalkan keeps comments under #WithComments; tried second
    for semantics, drop in variants:
        node = _without(tree, ref.target, drop)
        for mode in comment_modes:
            if _digest(ref.digest_oid, _canonical(node, exclusive, mode, prefixes)) == ref.digest_value:
                return semantics
    return None


def _certificates(
    signature: etree._Element, root: etree._Element
) -> tuple[x509.Certificate | None, list[x509.Certificate], str]:
    """The signer certificate named by KeyInfo, the other certificates found, and where it came from."""
    key_info = signature.find(_q(DS, "KeyInfo"))
    certs: list[x509.Certificate] = []
    if key_info is None:
        return None, certs, "no KeyInfo"
    for el in key_info.iter(_q(DS, "X509Certificate")):
        certs.append(_load_cert(_b64(el.text, "X509Certificate")))
    if certs:
        return certs[0], certs[1:], "KeyInfo/X509Data"
    # WS-Security: SecurityTokenReference -> BinarySecurityToken by wsu:Id, or a KeyIdentifier.
    str_el = key_info.find(_q(WSSE, "SecurityTokenReference"))
    if str_el is None:
        return None, certs, "KeyInfo names no certificate"
    tokens: dict[str, x509.Certificate] = {}
    all_tokens: list[x509.Certificate] = []
    for tok in root.iter(_q(WSSE, "BinarySecurityToken")):
        cert = _load_cert(_b64(tok.text, "BinarySecurityToken"))
        all_tokens.append(cert)
        tid = tok.get(_q(WSU, "Id"))
        if tid is not None:
            if tid in tokens:
                raise _Broken("FORMAT_FAILURE", f"two security tokens carry the ID {tid!r}")
            tokens[tid] = cert
    ref = str_el.find(_q(WSSE, "Reference"))
    if ref is not None:
        uri = ref.get("URI") or ""
        if not uri.startswith("#") or uri[1:] not in tokens:
            raise _Broken("NO_SIGNING_CERTIFICATE_FOUND", f"the security token {uri[:80]!r} is not in the message")
        return tokens[uri[1:]], [c for c in all_tokens if c is not tokens[uri[1:]]], "wsse:BinarySecurityToken"
    kid = str_el.find(_q(WSSE, "KeyIdentifier"))
    if kid is not None:
        value = _b64(kid.text, "KeyIdentifier")
        kind = (kid.get("ValueType") or "").rsplit("#", 1)[-1]
        for cert in all_tokens:
            if _key_id_matches(cert, kind, value):
                return cert, [c for c in all_tokens if c is not cert], f"wsse:KeyIdentifier ({kind})"
        return None, all_tokens, f"wsse:KeyIdentifier ({kind}) names a certificate not in the message"
    return None, certs, "SecurityTokenReference names no token"


def _key_id_matches(cert: x509.Certificate, kind: str, value: bytes) -> bool:
    if kind == "ThumbprintSHA1":
        return bool(hashlib.sha1(cert.dump(), usedforsecurity=False).digest() == value)
    if kind == "X509v3":
        return bool(cert.dump() == value)
    try:
        return bool(cert.key_identifier == value)  # X509SubjectKeyIdentifier
    except ValueError:
        return False


def _load_cert(der: bytes) -> x509.Certificate:
    try:
        cert = x509.Certificate.load(der)
        _ = cert.subject, cert.issuer, cert["tbs_certificate"]["subject_public_key_info"].dump()
    except (ValueError, TypeError) as exc:
        raise _Broken("FORMAT_FAILURE", f"the certificate in KeyInfo cannot be read: {exc}") from exc
    return cert


def _raw_ec_to_der(value: bytes) -> bytes:
    half = len(value) // 2
    if half == 0 or len(value) % 2:
        raise _Broken("FORMAT_FAILURE", "an ECDSA SignatureValue must be r || s of equal lengths")
    r, s = int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
    der: bytes = algos.DSASignature({"r": r, "s": s}).dump()
    return der


def _signature_format(signature: etree._Element) -> str:
    parent = signature.getparent()
    return "xmldsig-wsse" if parent is not None and parent.tag == _q(WSSE, "Security") else "xmldsig"


def _soap_body(root: etree._Element) -> etree._Element | None:
    ns = etree.QName(root).namespace
    if etree.QName(root).localname != "Envelope" or ns not in (SOAP11, SOAP12):
        return None
    bodies = root.findall(_q(ns, "Body"))
    return bodies[0] if len(bodies) == 1 else None


def verify_tree(
    tree: etree._ElementTree,
    ctx: VerificationContext,
    source: str | None,
    *,
    fmt: str | None = None,
    at: datetime | None = None,
    signing_time_source: Literal["signing_time", "validation_time"] = "validation_time",
) -> tuple[XmlSignature, ...]:
    """Verify every ``ds:Signature`` of a parsed document.

    ``at``: the signing moment claimed by the signed data (egov documents), else the validation time.

    Raises:
        ConfigurationError: The trust store or revocation files of `ctx` cannot be used.
    """
    root = tree.getroot()
    signatures = _signatures_in(root)
    if len(signatures) > MAX_SIGNATURES:
        signatures = signatures[:MAX_SIGNATURES]
    ids = _id_index(root)
    out: list[XmlSignature] = []
    for signature in signatures:
        kind = fmt or _signature_format(signature)
        try:
            out.append(_verify_one(tree, signature, signatures, ids, ctx, source, kind, at, signing_time_source))
        except _Broken as exc:
            facts = Facts(format=kind, source=source)
            report = report_of(replace(facts, structure_error=exc.message))
            if exc.sub != "FORMAT_FAILURE":
                ind: Literal["TOTAL_FAILED", "INDETERMINATE"] = (
                    "TOTAL_FAILED" if exc.sub in ("HASH_FAILURE", "SIG_CRYPTO_FAILURE") else "INDETERMINATE"
                )
                report = report.model_copy(update={"indication": ind, "subindication": exc.sub})
            out.append(XmlSignature(report=report, element=signature))
    return tuple(out)


def _verify_one(
    tree: etree._ElementTree,
    signature: etree._Element,
    signatures: Sequence[etree._Element],
    ids: dict[str, list[etree._Element]],
    ctx: VerificationContext,
    source: str | None,
    fmt: str,
    at: datetime | None,
    signing_time_source: Literal["signing_time", "validation_time"],
) -> XmlSignature:
    root = tree.getroot()
    where = _path(signature)
    signed_info = _one(signature, DS, "SignedInfo")
    assert signed_info is not None
    c14n_el = _one(signed_info, DS, "CanonicalizationMethod")
    method_el = _one(signed_info, DS, "SignatureMethod")
    assert c14n_el is not None and method_el is not None
    c14n_uri = c14n_el.get("Algorithm") or ""
    if c14n_uri not in _C14N:
        raise _Broken("FORMAT_FAILURE", f"unsupported CanonicalizationMethod {c14n_uri[:120]!r}")
    method_uri = method_el.get("Algorithm") or ""
    alg = SIGNATURE_METHODS.get(method_uri)
    facts = Facts(format=fmt, source=source, messages=(f"signature {where}",))
    if alg is None:
        return XmlSignature(
            report_of(replace(facts, unsupported=f"unsupported SignatureMethod {method_uri[:120]!r}")), signature
        )
    facts = replace(facts, algorithm=alg.name, digest_algorithm=digest_name(alg.digest_oid))
    value_el = _one(signature, DS, "SignatureValue")
    assert value_el is not None
    value = _b64(value_el.text, "SignatureValue")
    refs_el = signed_info.findall(_q(DS, "Reference"))
    if not refs_el:
        raise _Broken("FORMAT_FAILURE", "SignedInfo has no Reference")
    if len(refs_el) > MAX_REFERENCES:
        raise _Broken("FORMAT_FAILURE", f"{len(refs_el)} references in one SignedInfo")
    refs = [_parse_reference(r, root, ids) for r in refs_el]
    cert, others, cert_source = _certificates(signature, root)
    facts = replace(facts, signer_cert=cert)
    if cert is None:
        return XmlSignature(report_of(replace(facts, messages=(*facts.messages, cert_source))), signature)
    # intact: every reference digest
    messages = list(facts.messages)
    semantics: Semantics = "none"
    intact = True
    try:
        for ref in refs:
            matched = _reference_matches(ref, tree, signature, signatures)
            label = "the document" if ref.target is None else _path(ref.target)
            if matched is None:
                intact = False
                messages.append(f"the digest of {label} (URI {ref.uri!r}) does not match its DigestValue")
            elif matched == "kalkan":
                semantics = "kalkan"
                messages.append(
                    f"{label}: digest matched with Kalkan semantics (every ds:Signature removed): "
                    "an earlier signer of a sequentially signed document"
                )
            elif matched == "enveloped":
                semantics = "enveloped" if semantics == "none" else semantics
                messages.append(f"{label}: digest matched with the standard enveloped-signature transform")
            else:
                messages.append(f"{label}: digest matched")
        exclusive, comments = _C14N[c14n_uri]
        signed_bytes = _canonical(signed_info, exclusive, comments, _prefix_list(c14n_el))
    except UnsupportedAlgorithm as exc:
        return XmlSignature(report_of(replace(facts, unsupported=str(exc), messages=tuple(messages))), signature)
    referenced = tuple(r.target for r in refs if r.target is not None)
    whole = any(r.target is None for r in refs)
    body = _soap_body(root)
    wsse = fmt == "xmldsig-wsse" or (body is not None and signature.getparent() is not root)
    if wsse and (body is None or not any(t is body for t in referenced)):
        # XSW: the SOAP Body used is the Envelope's own child; an ID that resolves elsewhere signs something else.
        raise _Broken(
            "FORMAT_FAILURE",
            "the signature does not cover the SOAP Body of the Envelope (signature wrapping, or a partial signature)",
        )
    facts = replace(facts, messages=(*messages, f"certificate from {cert_source}"), intact=intact)
    # valid: the SignatureValue over the canonical SignedInfo
    sig_bytes = _raw_ec_to_der(value) if alg.raw_ec else value
    algorithm = algos.SignedDigestAlgorithm({"algorithm": alg.algorithm})
    try:
        valid = verify_raw(sig_bytes, signed_bytes, cert.public_key, algorithm, alg.digest_oid)
    except UnsupportedAlgorithm as exc:
        return XmlSignature(report_of(replace(facts, unsupported=str(exc))), signature, referenced, whole, semantics)
    except (ValueError, KeyError, TypeError) as exc:
        return XmlSignature(
            report_of(replace(facts, unsupported=f"the signer's public key cannot be used: {exc}")),
            signature,
            referenced,
            whole,
            semantics,
        )
    facts = replace(facts, valid=valid)
    if intact and valid:
        facts = _path_facts(facts, cert, others, alg, ctx, at, signing_time_source)
    return XmlSignature(report_of(facts), signature, referenced, whole, semantics, cert)


def _path_facts(
    f: Facts,
    cert: x509.Certificate,
    others: Sequence[x509.Certificate],
    alg: SigAlg,
    ctx: VerificationContext,
    at: datetime | None,
    signing_time_source: Literal["signing_time", "validation_time"],
) -> Facts:
    """Trust, revocation and key usage at the signing moment, as for a CMS signer (:func:`path_facts`)."""
    moment = at or ctx.at
    source: Literal["signing_time", "validation_time"] = signing_time_source if at is not None else "validation_time"
    weak = None if gost.is_gost_oid(alg.algorithm) else weakness(alg.digest_oid, None, cert.public_key)
    found = path_facts(cert, others, moment, source, ctx, given_revinfo(ctx), weak)
    return replace(f, signing_time=moment, signing_time_source=source, **found)


def verify_xml(
    data: bytes, ctx: VerificationContext, source: str | None, *, whole_document: bool = False
) -> tuple[SignatureReport, ...]:
    """`intake verify FILE.xml`: one report per ``ds:Signature`` (none when the XML is unsigned).

    Hostile or malformed XML is one FORMAT_FAILURE report naming the reason. ``whole_document``: the
    reader uses the whole document (a dossier's application or attestation), so a signature that covers
    only part of it fails (XSW: the verified element must be the element used).

    Raises:
        ConfigurationError: The trust store or revocation files of `ctx` cannot be used.
    """
    try:
        tree = parse_xml(data)
    except XmlFormatError as exc:
        return (
            SignatureReport(
                indication="TOTAL_FAILED",
                subindication="FORMAT_FAILURE",
                format="xmldsig",
                source=source,
                messages=(f"{source or 'the XML'}: {exc}",),
            ),
        )
    out: list[SignatureReport] = []
    for sig in verify_tree(tree, ctx, source):
        report = sig.report
        if whole_document and report.indication != "TOTAL_FAILED" and not covers_root(sig):
            covered = ", ".join(_path(el) for el in sig.referenced) or "nothing"
            report = report.model_copy(
                update={
                    "indication": "TOTAL_FAILED",
                    "subindication": "FORMAT_FAILURE",
                    "messages": (
                        *report.messages,
                        f"the signature covers {covered}, not the whole document that is read (signature wrapping)",
                    ),
                }
            )
        out.append(report)
    return tuple(out)
