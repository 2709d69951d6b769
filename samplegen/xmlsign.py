"""Enveloped XML signatures as NCALayer's ``signXml`` (KalkanCrypt) makes them, for test fixtures.

The shape (kz-pki README 2.1-2.2, research egov-documents.md §3): ``ds:Signature`` appended as the last
child of the root; ``CanonicalizationMethod`` inclusive C14N 1.0; one ``Reference URI=""`` with the
enveloped-signature transform then C14N 1.0 with comments; ``KeyInfo/X509Data/X509Certificate`` with
the signer's certificate only. A second signer signs the document as it is (the first signature
included): verifying the first then needs Kalkan semantics (every signature removed).

Keys: the NCA TEST 2022 GOST 34.10-2015-512 keys, the 2018 production-CA test keys (GOST 34.310-2004
and RSA) of ``tests/data/kz-pki/keys`` (password ``Qwerty12``), or any ``cryptography`` RSA/EC key.
Not part of the runtime package.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree

from intake import gost
from intake.verifier import xmldsig as x

DS = x.DS


@dataclass(frozen=True)
class XmlSigner:
    """A private key with its certificate: a GOST key (``gost_key`` and ``curve_oid``) or a cryptography key."""

    certificate_der: bytes
    gost_key: int | None = None
    curve_oid: str | None = None
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    chain_der: tuple[bytes, ...] = ()  # issuing CAs put after the signer's certificate in X509Data

    @property
    def method(self) -> str:
        """The SignatureMethod URI NCALayer writes for this key."""
        if self.curve_oid == gost.CURVE_GOST2004_A:
            return x.SIG_GOST2004_URI
        if self.curve_oid == gost.CURVE_GOST2015_256_A:
            return x.SIG_GOST2015_256_URI
        if self.curve_oid is not None:
            return x.SIG_GOST2015_512_URI
        if isinstance(self.key, ec.EllipticCurvePrivateKey):
            return x.SIG_ECDSA_SHA256_URI
        return x.SIG_RSA_SHA256_URI


def load_signer(p12: Path, password: bytes = b"Qwerty12") -> XmlSigner:
    """Open an NCA `.p12` (GOST 2004/2015 through `intake.gost`, RSA through `cryptography`)."""
    data = p12.read_bytes()
    try:
        d, curve, cert = gost.load_kz_pkcs12(data, password)
        return XmlSigner(cert, gost_key=d, curve_oid=curve)
    except gost.GostError:
        key, cert_obj, _ = pkcs12.load_key_and_certificates(data, password)
        assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) and cert_obj is not None
        return XmlSigner(cert_obj.public_bytes(serialization.Encoding.DER), key=key)


_DIGEST_OF = {
    x.SIG_GOST2004_URI: (x.DIGEST_GOST34311_URI, gost.DIGEST_GOST34311),
    x.SIG_GOST2001_URI: (x.DIGEST_GOSTR3411_URI, gost.DIGEST_GOST34311),
    x.SIG_GOST2015_512_URI: (x.DIGEST_STREEBOG512_URI, gost.DIGEST_STREEBOG512),
    x.SIG_GOST2015_256_URI: (x.DIGEST_STREEBOG256_URI, gost.DIGEST_STREEBOG256),
    x.SIG_RSA_SHA256_URI: (x.DIGEST_SHA256_URI, "sha256"),
    x.SIG_RSA_SHA512_URI: (x.DIGEST_SHA512_URI, "sha512"),
    x.SIG_ECDSA_SHA256_URI: (x.DIGEST_SHA256_URI, "sha256"),
}
_GOST_SIG = {
    x.SIG_GOST2004_URI: gost.SIG_GOST2004,
    x.SIG_GOST2001_URI: gost.SIG_GOST2004,
    x.SIG_GOST2015_512_URI: gost.SIG_GOST2015_512,
    x.SIG_GOST2015_256_URI: gost.SIG_GOST2015_256,
}


def _hash(name: str, data: bytes) -> bytes:
    if gost.is_gost_oid(name):
        return gost.digest(name, data)
    return hashlib.new(name, data).digest()


def _sign(signer: XmlSigner, method: str, data: bytes) -> bytes:
    if signer.gost_key is not None:
        assert signer.curve_oid is not None
        return gost.sign(_GOST_SIG[method], signer.gost_key, signer.curve_oid, data)
    algo = hashes.SHA512() if method == x.SIG_RSA_SHA512_URI else hashes.SHA256()
    if isinstance(signer.key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(signer.key.sign(data, ec.ECDSA(algo)))
        n = (signer.key.curve.key_size + 7) // 8
        return r.to_bytes(n, "big") + s.to_bytes(n, "big")
    assert isinstance(signer.key, rsa.RSAPrivateKey)
    return signer.key.sign(data, padding.PKCS1v15(), algo)


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{DS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _wrap(b64: str) -> str:
    return "\n".join(b64[i : i + 76] for i in range(0, len(b64), 76))


def signature_element(
    tree: etree._ElementTree,
    signer: XmlSigner,
    *,
    parent: etree._Element | None = None,
    uri: str = "",
    method: str | None = None,
    c14n: str = x.C14N10,
    ref_c14n: str = x.C14N10_COMMENTS,
    enveloped: bool = True,
    key_info: etree._Element | None = None,
    prefixes: str | None = None,
) -> etree._Element:
    """Append a signature to ``parent`` (default: the root) over ``uri`` and return it."""
    method = method or signer.method
    digest_uri, digest_alg = _DIGEST_OF[method]
    root = tree.getroot()
    target_parent = parent if parent is not None else root
    # The digest is computed before the signature exists (NCALayer signs the document as it is).
    target: etree._Element | etree._ElementTree = tree
    if uri.startswith("#"):
        found = [el for el in root.iter(etree.Element) if any(el.get(a) == uri[1:] for a in x.ID_ATTRIBUTES)]
        target = found[0]
    exclusive, comments = _c14n_flags(ref_c14n)
    pl = prefixes.split() if prefixes else None
    keep = comments and uri.startswith("#xpointer(")
    data = etree.tostring(target, method="c14n", exclusive=exclusive, with_comments=keep, inclusive_ns_prefixes=pl)
    digest = base64.b64encode(_hash(digest_alg, data)).decode()
    sig = etree.SubElement(target_parent, f"{{{DS}}}Signature", nsmap={"ds": DS})
    info = _el(sig, "SignedInfo")
    cm = _el(info, "CanonicalizationMethod", Algorithm=c14n)
    if prefixes is not None and c14n.startswith(x.EXC_C14N):
        etree.SubElement(cm, f"{{{x.EXC_NS}}}InclusiveNamespaces", PrefixList=prefixes, nsmap={"ec": x.EXC_NS})
    _el(info, "SignatureMethod", Algorithm=method)
    ref = _el(info, "Reference", URI=uri)
    transforms = _el(ref, "Transforms")
    if enveloped:
        _el(transforms, "Transform", Algorithm=x.ENVELOPED)
    tr = _el(transforms, "Transform", Algorithm=ref_c14n)
    if prefixes is not None and ref_c14n.startswith(x.EXC_C14N):
        etree.SubElement(tr, f"{{{x.EXC_NS}}}InclusiveNamespaces", PrefixList=prefixes, nsmap={"ec": x.EXC_NS})
    _el(ref, "DigestMethod", Algorithm=digest_uri)
    _el(ref, "DigestValue", digest)
    value = _el(sig, "SignatureValue")
    if key_info is None:
        ki = _el(sig, "KeyInfo")
        data_el = _el(ki, "X509Data")
        for der in (signer.certificate_der, *signer.chain_der):
            _el(data_el, "X509Certificate", _wrap(base64.b64encode(der).decode()))
    else:
        sig.append(key_info)
    si_exclusive, si_comments = _c14n_flags(c14n)
    signed = etree.tostring(
        info,
        method="c14n",
        exclusive=si_exclusive,
        with_comments=si_comments,
        inclusive_ns_prefixes=pl if si_exclusive else None,
    )
    value.text = _wrap(base64.b64encode(_sign(signer, method, signed)).decode())
    return sig


def _c14n_flags(uri: str) -> tuple[bool, bool]:
    return uri.startswith(x.EXC_C14N), uri.endswith("WithComments")


def sign_xml(xml: bytes, signer: XmlSigner, **kw: object) -> bytes:
    """NCALayer ``signXml``: the document with one more enveloped signature appended to its root."""
    tree = etree.fromstring(xml).getroottree()
    signature_element(tree, signer, **kw)  # type: ignore[arg-type]
    out: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return out


def sign_soap(body_xml: bytes, signer: XmlSigner, *, key_identifier: bool = False) -> bytes:
    """A SOAP 1.1 envelope whose Body (``wsu:Id``) is signed in ``wsse:Security`` (SmartBridge style),
    the certificate in a ``BinarySecurityToken`` (or named by a ``KeyIdentifier``)."""
    soap = x.SOAP11
    env = etree.Element(f"{{{soap}}}Envelope", nsmap={"soap": soap, "wsse": x.WSSE, "wsu": x.WSU})
    header = etree.SubElement(env, f"{{{soap}}}Header")
    security = etree.SubElement(header, f"{{{x.WSSE}}}Security")
    token = etree.SubElement(
        security,
        f"{{{x.WSSE}}}BinarySecurityToken",
        {
            "EncodingType": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary",
            "ValueType": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3",
            f"{{{x.WSU}}}Id": "X509-1",
        },
    )
    token.text = base64.b64encode(signer.certificate_der).decode()
    body = etree.SubElement(env, f"{{{soap}}}Body", {f"{{{x.WSU}}}Id": "id-body"})
    body.append(etree.fromstring(body_xml))
    ki = etree.Element(f"{{{DS}}}KeyInfo")
    ref_str = etree.SubElement(ki, f"{{{x.WSSE}}}SecurityTokenReference")
    if key_identifier:
        cert_sha1 = hashlib.sha1(signer.certificate_der, usedforsecurity=False).digest()
        kid = etree.SubElement(
            ref_str,
            f"{{{x.WSSE}}}KeyIdentifier",
            ValueType="http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1",
        )
        kid.text = base64.b64encode(cert_sha1).decode()
    else:
        etree.SubElement(ref_str, f"{{{x.WSSE}}}Reference", URI="#X509-1")
    tree = env.getroottree()
    signature_element(
        tree,
        signer,
        parent=security,
        uri="#id-body",
        c14n=x.EXC_C14N,
        ref_c14n=x.EXC_C14N,
        enveloped=False,
        key_info=ki,
    )
    out: bytes = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return out


def xml_dossier(source: Path, dest: Path, app_signer: XmlSigner, state_signer: XmlSigner) -> None:
    """The XML twin of a dossier: `application.json` + CMS becomes `application.xml` with its XMLDSig, and
    each `state/<type>.json` + CMS becomes `state/<type>.xml` signed by the state system (issue 15, point 2)."""
    import json
    import shutil

    from intake import xmlforms

    shutil.copytree(source, dest)
    app = dest / "application.json"
    xml = xmlforms.write(json.loads(app.read_text(encoding="utf-8")))
    (dest / "application.xml").write_bytes(sign_xml(xml, app_signer))
    for path in [app, *sorted((dest / "state").glob("*.json"))]:
        if path != app:
            raw = json.loads(path.read_text(encoding="utf-8"))
            path.with_suffix(".xml").write_bytes(sign_xml(xmlforms.write(raw, root="attestation"), state_signer))
        path.unlink()
        for ext in (".cms", ".p7s", ".sig"):
            path.with_name(path.name + ext).unlink(missing_ok=True)
