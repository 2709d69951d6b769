"""Hostile XML (issue 15, point 4): external entities, entity expansion, huge and deep documents, signature
wrapping (XSW 1-8), duplicate IDs, a Reference to a foreign URI. Each is a failed (or undecided) signature,
never a crash, a hang or a network access (a loopback listener proves nothing was fetched)."""

from __future__ import annotations

import copy
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from intake.cli import main
from intake.signatures import VerificationContext
from intake.verifier import xmldsig as x
from samplegen import xmlsign

KZ = Path(__file__).parent / "data" / "kz-pki"
AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CTX = VerificationContext(at=AT, trust=("kz-test",), crls=(KZ / "crl" / "nca_gost2022_test_2026-08-11.crl",))
SIGNER = KZ / "keys" / "ncanodego_legal_valid_head.p12"
BODY = b'<transfer xmlns="urn:shep:test"><amount>100</amount></transfer>'


@pytest.fixture(scope="module")
def signer() -> xmlsign.XmlSigner:
    return xmlsign.load_signer(SIGNER)


class Listener:
    """A loopback TCP listener that counts connections (the XML must never reach it)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def failed_format(data: bytes) -> str:
    (r,) = x.verify_xml(data, CTX, "h.xml")
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    return " ".join(r.messages)


def test_external_entity_is_neither_read_nor_fetched(listener: Listener, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    for decl in (
        f'<!ENTITY x SYSTEM "file://{secret}">',
        f'<!ENTITY x SYSTEM "http://127.0.0.1:{listener.port}/x">',
        f'<!ENTITY % p SYSTEM "http://127.0.0.1:{listener.port}/p"> %p;',
    ):
        doc = f"<?xml version='1.0'?><!DOCTYPE r [{decl}]><r>&x;</r>".encode()
        message = failed_format(doc)
        assert "DOCTYPE" in message and "TOP-SECRET" not in message
    # a DOCTYPE hidden behind a long prolog is still seen (after parsing, by the document info)
    hidden = b"<?xml version='1.0'?>" + b"<!--" + b" " * 5000 + b"-->" + b'<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'
    assert "DOCTYPE" in failed_format(hidden)
    hidden_ext = hidden.replace(b'"y"', f'SYSTEM "http://127.0.0.1:{listener.port}/h"'.encode())
    assert "DOCTYPE" in failed_format(hidden_ext)
    assert listener.connections == 0


def test_billion_laughs_is_refused() -> None:
    entities = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    doc = f"<?xml version='1.0'?><!DOCTYPE r [{''.join(entities)}]><r>&l9;</r>".encode()
    assert "DOCTYPE" in failed_format(doc)
    # behind the DOCTYPE refusal, the hardened parser itself stops at libxml2's amplification guard
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(doc, x.hardened_parser())


def test_deep_document_is_refused() -> None:
    depth = 100_000
    doc = b"<a>" * depth + b"</a>" * depth
    assert "not well-formed" in failed_format(doc)


def test_huge_documents_are_refused() -> None:
    assert "limit" in failed_format(b"<r>" + b"a" * (x.MAX_XML_BYTES + 1) + b"</r>")
    # one text node over libxml2's 10 MB limit (huge_tree is off)
    failed_format(b"<r>" + b"a" * 11_000_000 + b"</r>")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    for r in x.verify_xml(b"<?xml version='1.0'?>" + data, CTX, "h.xml"):
        assert r.indication != "TOTAL_PASSED"


# --------------------------------------------------------------------------- signature wrapping (SOAP)


def _parts(soap: bytes) -> tuple[etree._Element, etree._Element, etree._Element, etree._Element]:
    env = etree.fromstring(soap)
    header = env.find(f"{{{x.SOAP11}}}Header")
    body = env.find(f"{{{x.SOAP11}}}Body")
    sig = env.find(f".//{{{x.DS}}}Signature")
    assert header is not None and body is not None and sig is not None
    return env, header, body, sig


def _evil(body: etree._Element, keep_id: bool) -> etree._Element:
    evil = copy.deepcopy(body)
    evil.find(".//{urn:shep:test}amount").text = "1000000"  # type: ignore[union-attr]
    if not keep_id:
        del evil.attrib[f"{{{x.WSU}}}Id"]
    return evil


def _object(sig: etree._Element) -> etree._Element:
    return etree.SubElement(sig, f"{{{x.DS}}}Object")


def xsw1(env: etree._Element, header: etree._Element, body: etree._Element, sig: etree._Element) -> None:
    """Original Body moved into ds:Object of the Signature; an unsigned Body put in its place."""
    env.replace(body, _evil(body, keep_id=False))
    _object(sig).append(body)


def xsw2(env: etree._Element, header: etree._Element, body: etree._Element, sig: etree._Element) -> None:
    """Original Body moved into a wrapper in the Header, before the Security header."""
    env.replace(body, _evil(body, keep_id=False))
    wrapper = etree.Element("{urn:evil}Wrapper")
    header.insert(0, wrapper)
    wrapper.append(body)


def xsw3(env: etree._Element, header: etree._Element, body: etree._Element, sig: etree._Element) -> None:
    """An evil Body with the same ID; the original kept in the Header (first match wins elsewhere)."""
    env.replace(body, _evil(body, keep_id=True))
    header.append(body)


def xsw4(env: etree._Element, header: etree._Element, body: etree._Element, sig: etree._Element) -> None:
    """The evil Body wraps the original."""
    evil = _evil(body, keep_id=False)
    env.replace(body, evil)
    evil.append(body)


def xsw5(env: etree._Element, header: etree._Element, body: etree._Element, sig: etree._Element) -> None:
    """The Body changed in place, ID kept (no copy of the original anywhere)."""
    env.replace(body, _evil(body, keep_id=True))


def xsw6(env: etree._Element, header: etree._Element, body: etree._Element, sig: etree._Element) -> None:
    """The original inside the Signature, the Signature inside the evil Body (same ID)."""
    evil = _evil(body, keep_id=True)
    env.replace(body, evil)
    _object(sig).append(body)
    evil.append(sig)


def xsw7(env: etree._Element, header: etree._Element, body: etree._Element, sig: etree._Element) -> None:
    """The original in an Extensions element of the Security header; the evil Body carries another ID."""
    evil = _evil(body, keep_id=False)
    evil.set(f"{{{x.WSU}}}Id", "id-other")
    env.replace(body, evil)
    ext = etree.SubElement(sig.getparent(), "{urn:evil}Extensions")
    ext.append(body)


def xsw8(env: etree._Element, header: etree._Element, body: etree._Element, sig: etree._Element) -> None:
    """The original in ds:Object/Wrapper of the Signature, the Signature moved into the evil Body."""
    evil = _evil(body, keep_id=False)
    env.replace(body, evil)
    wrapper = etree.SubElement(_object(sig), "{urn:evil}Wrapper")
    wrapper.append(body)
    evil.append(sig)


@pytest.mark.parametrize("attack", [xsw1, xsw2, xsw3, xsw4, xsw5, xsw6, xsw7, xsw8])
def test_signature_wrapping_fails(
    signer: xmlsign.XmlSigner,
    attack: Callable[[etree._Element, etree._Element, etree._Element, etree._Element], None],
) -> None:
    soap = xmlsign.sign_soap(BODY, signer)
    assert [r.indication for r in x.verify_xml(soap, CTX, "s.xml")] == ["TOTAL_PASSED"]
    env, header, body, sig = _parts(soap)
    attack(env, header, body, sig)
    wrapped = etree.tostring(env)
    reports = x.verify_xml(wrapped, CTX, "s.xml")
    assert reports and all(r.indication == "TOTAL_FAILED" for r in reports)
    why = " ".join(m for r in reports for m in r.messages)
    assert any(s in why for s in ("SOAP Body", "duplicated ID", "does not match")), why


def test_duplicate_ids_fail(signer: xmlsign.XmlSigner) -> None:
    doc = b'<r xmlns="urn:r"><part Id="p1">signed</part><other>x</other></r>'
    tree = etree.fromstring(doc).getroottree()
    xmlsign.signature_element(tree, signer, uri="#p1", enveloped=False)
    signed = etree.tostring(tree)
    (ok,) = x.verify_tree(x.parse_xml(signed), CTX, "d.xml")
    assert ok.report.indication == "TOTAL_PASSED"
    assert not x.covers_root(ok)  # the signature covers one element, not the document: the caller must know
    dup = signed.replace(b"<other>x</other>", b'<part Id="p1">forged</part>')
    (r,) = x.verify_xml(dup, CTX, "d.xml")
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert any("duplicated ID" in m for m in r.messages)


def test_reference_to_a_foreign_uri_is_never_fetched(signer: xmlsign.XmlSigner, listener: Listener) -> None:
    signed = xmlsign.sign_xml(b"<r><a>1</a></r>", signer)
    for uri in (f"http://127.0.0.1:{listener.port}/doc.xml", "file:///etc/passwd", "doc.xml"):
        foreign = signed.replace(b'URI=""', f'URI="{uri}"'.encode())
        (r,) = x.verify_xml(foreign, CTX, "f.xml")
        assert (r.indication, r.subindication) == ("INDETERMINATE", "SIGNED_DATA_NOT_FOUND")
        assert any("not fetched" in m for m in r.messages)
    assert listener.connections == 0


@pytest.mark.parametrize(
    "transform",
    [
        "http://www.w3.org/TR/1999/REC-xslt-19991116",
        "http://www.w3.org/TR/1999/REC-xpath-19991116",
        "http://www.w3.org/2000/09/xmldsig#base64",
    ],
)
def test_other_transforms_are_refused(signer: xmlsign.XmlSigner, transform: str) -> None:
    signed = xmlsign.sign_xml(b"<r><a>1</a></r>", signer)
    hostile = signed.replace(x.C14N10_COMMENTS.encode(), transform.encode())
    assert "not accepted" in failed_format(hostile)


def test_cli_reports_hostile_xml_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "xxe.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
    assert main(["verify", str(path), "--at", AT.isoformat()]) == 1
    out = capsys.readouterr()
    assert "FORMAT_FAILURE" in out.out and "Traceback" not in out.out + out.err
