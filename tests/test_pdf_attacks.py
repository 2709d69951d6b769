"""Changes after signing (issue 12, point 1): the shadow attacks, incremental saving after certification,
signature wrapping and forged cross-reference entries, each built here from a PDF signed with a test PKI,
each beside its benign twin, which must still pass.

The documents are written byte by byte (`pdf_file`, `update`), so every attack is exactly the one named:
Mainka, Mladenov, Rohlmann, Schwenk, "Shadow Attacks" (NDSS 2021); Mladenov et al., "1 Trillion Dollar
Refund" (CCS 2019) for incremental saving and signature wrapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import Modification, SignatureReport
from intake.signatures import VerificationContext
from intake.verifier import revisions
from intake.verifier.pdf import bytes_opinion, pyhanko_opinion, verify_pdf
from samplegen import builders as b

AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SIGNED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
COVER = b"q 1 g 60 680 400 60 re f Q BT /F1 24 Tf 72 700 Td (Pay 100 KZT) Tj ET"
HIDDEN = b"BT /F1 24 Tf 72 700 Td (Pay 999999 KZT) Tj ET"


# --------------------------------------------------------------------------- writing PDFs by hand


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(content), extra, content)


def pdf_file(objects: dict[int, bytes], hidden: bytes = b"") -> bytes:
    """A PDF with a classic cross-reference table; `hidden` is written among the bodies, listed nowhere."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    out += hidden
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 00000 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def update(
    pdf: bytes,
    objects: dict[int, bytes | None],
    pointers: dict[int, int] | None = None,
    root: int = 1,
    alias: dict[int, int] | None = None,
) -> bytes:
    """An incremental update: new bodies (None frees the object) and entries pointing at given offsets;
    `alias` gives entries pointing at the body of another object written in the same update."""
    prev = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    size = int(re.findall(rb"/Size (\d+)", pdf)[-1]) if b"/Size" in pdf else 1
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    entries: dict[int, bytes] = {}
    for num, body in objects.items():
        if body is None:
            entries[num] = b"0000000000 00001 f \n"
            continue
        entries[num] = b"%010d 00000 n \n" % len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
    for num, offset in (pointers or {}).items():
        entries[num] = b"%010d 00000 n \n" % offset
    for num, other in (alias or {}).items():
        entries[num] = entries[other]
    size = max(size, *(n + 1 for n in entries))
    xref = len(out)
    out += b"xref\n"
    for num in sorted(entries):
        out += b"%d 1\n%s" % (num, entries[num])
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, prev, xref)
    return bytes(out)


def body_of(pdf: bytes, num: int) -> bytes:
    """The last body of object `num` as written (between `obj` and `endobj`)."""
    starts = [m.end() for m in re.finditer(rb"(?<!\d)%d 0 obj" % num, pdf)]
    start = starts[-1]
    return pdf[start : pdf.index(b"endobj", start)].strip()


def page_after(signed: bytes, contents: bytes | None = None, annot: bytes | None = None) -> bytes:
    """Page 3 as the signed file has it (the signature widget in /Annots), with /Contents or /Annots changed."""
    body = body_of(signed, 3)
    if contents is not None:
        body = re.sub(rb"/Contents\s*(\[[^\]]*\]|\d+ \d+ R)", b"/Contents " + contents, body)
    if annot is not None:
        body = re.sub(rb"/Annots\s*\[", b"/Annots [" + annot + b" ", body)
    return body


def page(contents: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>", annots: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %s %s>>" % (
        resources,
        contents,
        annots,
    )


BASE: dict[int, bytes] = {
    1: b"<< /Type /Catalog /Pages 2 0 R >>",
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    4: FONT,
}


def document(**objects: bytes) -> dict[int, bytes]:
    out = dict(BASE)
    out.update({int(k[1:]): v for k, v in objects.items()})
    return out


# --------------------------------------------------------------------------- the test PKI and signing


@dataclass(frozen=True)
class Pki:
    leaf: b.Issued
    ctx: VerificationContext


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    tmp = tmp_path_factory.mktemp("pki")
    t0, t1 = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    root = b.issue("CN=Attack Root,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=("key_cert_sign", "crl_sign"))
    leaf = b.issue(
        "CN=ATTACK SIGNER,C=KZ",
        issuer=root,
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
        not_after=datetime(2028, 1, 1, tzinfo=UTC),
        eku=("1.3.6.1.5.5.7.3.4",),
    )
    (tmp / "root.pem").write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "root.crl").write_bytes(
        b.crl(root, [], datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 11, 1, tzinfo=UTC))
    )
    return Pki(leaf, VerificationContext(at=AT, trust=(str(tmp / "root.pem"),), crls=(tmp / "root.crl",)))


def sign(pki: Pki, pdf: bytes, field: str = "Signature1", certify: int | None = None) -> bytes:
    signer, oid = b.sign_with(pki.leaf)

    def make(covered: bytes) -> bytes:
        return b.signed_data(covered, [(pki.leaf.asn1, signer, b.SHA256, oid)], signing_time=SIGNED)

    return b.sign_pdf(pdf, make, field=field, certify=certify)


def timestamp(pki: Pki, pdf: bytes) -> bytes:
    signer, _ = b.sign_with(pki.leaf)

    def make(covered: bytes) -> bytes:
        der: bytes = b.timestamp_token(covered, pki.leaf.asn1, signer, SIGNED, certs=[pki.leaf.asn1]).dump()
        return der

    return b.sign_pdf(pdf, make, field="DocTS", subfilter="ETSI.RFC3161")


def verify(data: bytes, tmp_path: Path, ctx: VerificationContext, **kw: Any) -> tuple[SignatureReport, ...]:
    p = tmp_path / "doc.pdf"
    p.write_bytes(data)
    return verify_pdf(p, "doc.pdf", ctx, **kw)


def first(data: bytes, tmp_path: Path, pki: Pki, **kw: Any) -> SignatureReport:
    return verify(data, tmp_path, pki.ctx, **kw)[0]


def with_dss(pdf: bytes, pki: Pki) -> bytes:
    """Validation data added after signing: a DSS with the signer's certificate (benign)."""
    cert = pki.leaf.der
    catalog = body_of(pdf, 1)
    size = int(re.findall(rb"/Size (\d+)", pdf)[-1]) if b"/Size" in pdf else 20
    dss, certs = size, size + 1
    catalog = catalog[: catalog.rindex(b">>")] + b" /DSS %d 0 R >>" % dss
    return update(pdf, {1: catalog, dss: b"<< /Certs [%d 0 R] >>" % certs, certs: stream(cert)})


# --------------------------------------------------------------------------- the attack set


def shadow_files(pki: Pki) -> dict[str, tuple[bytes, bytes]]:
    """Each attack with its benign twin (the same signed structure before the manipulation)."""
    out: dict[str, tuple[bytes, bytes]] = {}

    # Hide via referenced object: the page draws the hidden text, then a cover; the update drops the cover.
    signed = sign(pki, pdf_file(document(o3=page(b"[5 0 R 6 0 R]"), o5=stream(HIDDEN), o6=stream(COVER))))
    out["hide: page /Contents changed"] = (update(signed, {3: page_after(signed, contents=b"[5 0 R]")}), signed)

    # Hide via form XObject: the cover is a form XObject; the update redefines it empty.
    form = stream(COVER, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> ")
    res = b"<< /Font << /F1 4 0 R >> /XObject << /Fm0 6 0 R >> >>"
    signed = sign(pki, pdf_file(document(o3=page(b"5 0 R", res), o5=stream(HIDDEN + b" /Fm0 Do"), o6=form)))
    empty = stream(b"", b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] ")
    out["hide: form XObject redefined"] = (update(signed, {6: empty}), signed)

    # Replace via overwriting: the content stream itself is redefined.
    signed = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(b"BT /F1 24 Tf 72 700 Td (Pay 100 KZT) Tj ET"))))
    out["replace: content stream redefined"] = (update(signed, {5: stream(HIDDEN)}), signed)

    # Replace via changed object references: indirect resources now name another font for /F1.
    signed = sign(
        pki,
        pdf_file(document(o3=page(b"5 0 R", b"7 0 R"), o5=stream(COVER), o7=b"<< /Font << /F1 4 0 R >> >>")),
    )
    courier = b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"
    out["replace: resources point at another font"] = (
        update(signed, {7: b"<< /Font << /F1 8 0 R >> >>", 8: courier}),
        signed,
    )

    # Hide-and-replace: a second body of object 5 hides in the signed bytes, listed nowhere;
    # the update only adds an xref entry pointing at it (no new body after signing).
    base = pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER)), hidden=b"5 0 obj\n%s\nendobj\n" % stream(HIDDEN))
    signed = sign(pki, base)
    hidden_at = base.index(b"5 0 obj", base.index(b"endobj", base.index(b"5 0 obj")))
    out["hide-and-replace: xref entry redirected into the signed bytes"] = (
        update(signed, {}, {5: hidden_at}),
        signed,
    )

    # Overlay: an annotation whose appearance paints the hidden amount over the signed one.
    signed = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(b"BT /F1 24 Tf 72 700 Td (Pay 100 KZT) Tj ET"))))
    ap = stream(
        b"q 1 g 0 0 400 60 re f Q BT /F1 24 Tf 12 20 Td (Pay 999999 KZT) Tj ET",
        b"/Type /XObject /Subtype /Form /BBox [0 0 400 60] /Resources << /Font << /F1 4 0 R >> >> ",
    )
    annotated = page_after(signed, annot=b"30 0 R")
    annot = b"<< /Type /Annot /Subtype /FreeText /Rect [60 680 460 740] /DA (/F1 24 Tf) /AP << /N 31 0 R >> >>"
    out["overlay: annotation painted over the page"] = (update(signed, {3: annotated, 30: annot, 31: ap}), signed)

    # An xref entry whose offset holds another object (pyHanko raises "Expected object ID").
    signed = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER))))
    swapped = update(signed, {21: stream(HIDDEN)})
    offset = swapped.index(b"21 0 obj", len(signed) - 1)
    out["xref entry points at another object"] = (update(swapped, {}, {5: offset}), signed)
    return out


@pytest.fixture(scope="module")
def attacks(pki: Pki) -> dict[str, tuple[bytes, bytes]]:
    return shadow_files(pki)


ATTACKS = [
    "hide: page /Contents changed",
    "hide: form XObject redefined",
    "replace: content stream redefined",
    "replace: resources point at another font",
    "hide-and-replace: xref entry redirected into the signed bytes",
    "overlay: annotation painted over the page",
    "xref entry points at another object",
]


@pytest.mark.parametrize("name", ATTACKS)
def test_shadow_attack_fails_and_its_twin_passes(
    name: str, attacks: dict[str, tuple[bytes, bytes]], pki: Pki, tmp_path: Path
) -> None:
    attack, twin = attacks[name]
    ok = first(twin, tmp_path, pki)
    assert ok.indication == "TOTAL_PASSED", ok.messages
    r = first(attack, tmp_path, pki)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE"), r.modification
    assert r.modification.suspicious is True
    assert r.intact and r.valid  # the signed bytes themselves are untouched
    second = bytes_opinion  # the second opinion alone objects too, whatever pyHanko said
    assert any(o.startswith(f"{second.__name__}: changed") for o in r.modification.opinions), r.modification.opinions


def test_messages_name_the_object_and_the_page(
    attacks: dict[str, tuple[bytes, bytes]], pki: Pki, tmp_path: Path
) -> None:
    r = first(attacks["hide: form XObject redefined"][0], tmp_path, pki)
    assert any("object 6 (page 1 resources /XObject /Fm0)" in m for m in r.modification.messages), r.modification
    assert r.modification.changed_pages == (1,)
    r = first(attacks["xref entry points at another object"][0], tmp_path, pki)
    assert any("object 5 points at object 21" in m for m in r.modification.messages)
    assert r.modification.opinions[0] == "pyhanko_opinion: undecided"  # pyHanko raised; ours decided
    r = first(attacks["hide-and-replace: xref entry redirected into the signed bytes"][0], tmp_path, pki)
    assert any("redirects object 5" in m for m in r.modification.messages)


def test_pixels_show_where_the_page_changed(attacks: dict[str, tuple[bytes, bytes]], pki: Pki, tmp_path: Path) -> None:
    ctx = VerificationContext(at=AT, trust=pki.ctx.trust, crls=pki.ctx.crls, evidence=tmp_path / "ev")
    (r,) = verify(attacks["hide: page /Contents changed"][0], tmp_path, ctx)
    m = r.modification
    assert m.rendered is True and m.regions
    (region,) = m.regions
    x0, y0, x1, y1 = region.box
    assert region.page == 1 and 72 < x0 < x1 < 460 and y0 < 705 < y1  # the amount on the line at (72, 700)
    assert region.evidence is not None and Path(region.evidence).stat().st_size > 0
    twin = first(attacks["hide: page /Contents changed"][1], tmp_path, pki)
    assert twin.modification.regions == ()


# --------------------------------------------------------------------------- certification, wrapping, validation data


@pytest.fixture(scope="module")
def plain(pki: Pki) -> bytes:
    return sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER))))


def test_benign_changes_pass(plain: bytes, pki: Pki, tmp_path: Path) -> None:
    """Validation data, a second signature and a document timestamp are permitted after signing."""
    r = first(with_dss(plain, pki), tmp_path, pki)
    assert r.indication == "TOTAL_PASSED" and r.modification.level == "timestamps/dss", r.modification
    twice = sign(pki, plain, field="Signature2")
    one, two = verify(twice, tmp_path, pki.ctx)
    assert one.indication == two.indication == "TOTAL_PASSED", one.modification
    assert one.modification.level == "form filling" and one.modification.suspicious is False
    stamped = timestamp(pki, plain)
    r = first(stamped, tmp_path, pki)
    assert r.indication == "TOTAL_PASSED" and r.modification.level == "timestamps/dss", r.modification


def test_incremental_saving_after_certification(pki: Pki, tmp_path: Path) -> None:
    certified = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER))), certify=1)
    assert first(certified, tmp_path, pki).indication == "TOTAL_PASSED"
    # P=1 permits validation data only: a document timestamp and a DSS pass ...
    assert first(with_dss(timestamp(pki, certified), pki), tmp_path, pki).indication == "TOTAL_PASSED"
    # ... a second approval signature does not, nor a changed page
    r = first(sign(pki, certified, field="Signature2"), tmp_path, pki)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert any("P=1" in m for m in r.modification.messages)
    r = first(update(certified, {5: stream(HIDDEN)}), tmp_path, pki)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    # P=2 permits a second signature
    certified2 = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER))), certify=2)
    one, _ = verify(sign(pki, certified2, field="Signature2"), tmp_path, pki.ctx)
    assert one.indication == "TOTAL_PASSED", one.modification


def test_signature_wrapping_second_byte_range(plain: bytes, pki: Pki, tmp_path: Path) -> None:
    """The signature dictionary redefined after signing with a second /ByteRange: the old bytes still verify."""
    at = plain.index(b"/ByteRange")
    num = int(re.findall(rb"(\d+) 0 obj", plain[:at])[-1])
    body = body_of(plain, num)
    ranges = re.search(rb"/ByteRange\s*\[[^\]]*\]", body)
    assert ranges is not None
    wrapped = body[:-2] + b" " + ranges.group() + b" >>"
    r = first(update(plain, {num: wrapped}), tmp_path, pki)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE"), r.modification
    assert any("two /ByteRange" in m for m in r.modification.messages), r.modification.messages
    assert first(plain, tmp_path, pki).indication == "TOTAL_PASSED"


# --------------------------------------------------------------------------- when no analysis can decide


def _broken_engine(emb: Any, reader: Any, coverage: Any, data: bytes, byte_range: Any) -> Modification:
    raise RuntimeError("injected: this analysis cannot read the file")


def _undecided_engine(emb: Any, reader: Any, coverage: Any, data: bytes, byte_range: Any) -> Modification:
    return Modification(suspicious=None, messages=("injected: undecided",))


def test_a_signature_whose_changes_cannot_be_analysed_is_never_passed(plain: bytes, pki: Pki, tmp_path: Path) -> None:
    later = with_dss(plain, pki)
    for engines in ((_broken_engine,), (_broken_engine, _undecided_engine), ()):
        r = first(later, tmp_path, pki, engines=engines)
        assert r.indication == "INDETERMINATE" and r.modification.suspicious is None, (engines, r)
    # pyHanko raises on the forged xref entry; when our reading fails too, undecided, never passed
    forged = update(update(plain, {21: stream(HIDDEN)}), {}, {5: 0})
    r = first(forged, tmp_path, pki, engines=(pyhanko_opinion, _broken_engine))
    assert r.indication != "TOTAL_PASSED"
    # a benign change with both engines working still passes (the injected fault is the cause above)
    assert first(later, tmp_path, pki, engines=(pyhanko_opinion, bytes_opinion)).indication == "TOTAL_PASSED"


def test_byte_level_reader_on_garbage() -> None:
    """The second opinion never raises: unreadable revisions are undecided, with the reason."""
    for blob in (b"", b"%PDF-1.7\nstartxref\n99999\n%%EOF", b"xref\n0 1\ngarbage", b"startxref 0"):
        a = revisions.analyse(blob, max(1, len(blob)))
        assert a.suspicious is None and a.error


def test_catalog_entry_pointing_at_another_object_is_never_passed(pki: Pki, tmp_path: Path) -> None:
    """The error of the issue ("Expected object ID (1 0) does not match actual (21 0)"): pdfium still shows
    the replaced amount; neither reader can take the file, so the signature is not passed."""
    signed = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER))))
    forged = update(signed, {5: stream(HIDDEN), 21: body_of(signed, 1)}, alias={1: 21})
    r = first(forged, tmp_path, pki)
    assert r.indication == "TOTAL_FAILED" and "Expected object ID (1 0)" in r.messages[0]
    assert revisions.analyse(forged, len(signed)).suspicious is True


def test_objects_appended_without_a_cross_reference_section(plain: bytes, pki: Pki, tmp_path: Path) -> None:
    """A reader that rebuilds the xref (after damage) takes the last body of each object: not permitted."""
    appended = plain + b"5 0 obj\n" + stream(HIDDEN) + b"\nendobj\n"
    r = first(appended, tmp_path, pki)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert any("no cross-reference section lists" in m for m in r.modification.messages)
    assert first(plain + b"\r\n\x00\n", tmp_path, pki).indication == "TOTAL_PASSED"  # trailing whitespace only


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_byte_level_reader_never_raises_on_mutated_revisions(data: st.DataObject, plain: bytes, pki: Pki) -> None:
    """Mutations of xref sections, trailers and the signature dictionary: an answer or a reason, never a raise."""
    base = with_dss(plain, pki)
    spans = [
        m.span()
        for m in re.finditer(rb"xref\s.*?trailer|trailer\s*<<.*?>>|/ByteRange\s*\[[^\]]*\]|startxref\s*\d+", base, re.S)
    ]
    start, end = data.draw(st.sampled_from(spans))
    at = data.draw(st.integers(start, end - 1))
    cut = data.draw(st.integers(0, 24))
    junk = data.draw(st.binary(max_size=24) | st.sampled_from([b"9999999999", b"-1", b"<<", b"]", b" 0 R", b"xref"]))
    mutated = base[:at] + junk + base[at + cut :]
    signed_end = data.draw(st.sampled_from([len(plain), len(mutated), 0, len(plain) - 7]))
    found = revisions.analyse(mutated, signed_end, data.draw(st.sampled_from([None, 1, 2, 3])))
    assert found.suspicious is None or found.level is not None
    assert (found.error is None) == (found.suspicious is not None)


def test_fuzz_finding_unterminated_string_in_a_trailer(plain: bytes, pki: Pki, tmp_path: Path) -> None:
    """bench/fuzz/fuzz_pdf.py found a trailer opening a literal string that never closes: the reader then
    walked the rest of the file a byte at a time in Python (150 ms instrumented, a libFuzzer timeout on
    the loaded machine). Strings, whitespace and comments are now scanned by regular expressions."""
    at = plain.rindex(b"trailer") + len(b"trailer")
    forged = plain[:at] + b"(" + plain[at:]
    found = revisions.analyse(forged, len(forged))
    assert found.suspicious is None and found.error is not None and "unterminated string" in found.error
    assert all(r.indication != "TOTAL_PASSED" for r in verify(forged, tmp_path, pki.ctx))


# --------------------------------------------------------------------------- annotations after signing, by DocMDP level

NOTE_AP = stream(
    b"q 1 1 0 rg 0 0 120 40 re f Q BT /F1 12 Tf 6 14 Td (checked, A.B.) Tj ET",
    b"/Type /XObject /Subtype /Form /BBox [0 0 120 40] /Resources << /Font << /F1 4 0 R >> >> ",
)
NOTE = (
    b"<< /Type /Annot /Subtype /FreeText /Rect [400 60 520 100] /DA (/F1 12 Tf) /Contents (checked)"
    b" /AP << /N 31 0 R >> >>"
)


def annotated(signed: bytes) -> bytes:
    """A reviewer's note (a FreeText annotation with its appearance) added to the signed page afterwards."""
    return update(signed, {3: page_after(signed, annot=b"30 0 R"), 30: NOTE, 31: NOTE_AP})


@pytest.mark.parametrize(("certify", "allowed"), [(3, True), (2, False), (1, False), (None, False)])
def test_annotations_after_signing_follow_the_docmdp_level(
    pki: Pki, tmp_path: Path, certify: int | None, allowed: bool
) -> None:
    """ISO 32000 12.8.2.2: DocMDP P=3 permits annotations, P=2 form filling and signing only, P=1 nothing.
    An approval signature (no DocMDP) is held to form filling: annotations drawn over a signed page are
    the overlay shadow attack. Under P=3 the note passes and the region it changed is still reported."""
    signed = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER))), certify=certify)
    assert first(signed, tmp_path, pki).indication == "TOTAL_PASSED"
    r = first(annotated(signed), tmp_path, pki)
    if allowed:
        assert r.indication == "TOTAL_PASSED", (r.messages, r.modification)
        assert r.modification.level == "annotations" and r.modification.suspicious is False
        assert r.modification.regions and r.modification.regions[0].page == 1  # shown, not hidden
        # pyHanko's policy has no annotation rule (it warns it was not designed for P=3): ours decides
        assert r.modification.opinions == ("pyhanko_opinion: undecided", "bytes_opinion: permitted (annotations)")
        # P=3 permits annotations, not a changed page
        r = first(update(annotated(signed), {5: stream(HIDDEN)}), tmp_path, pki)
        assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE"), r.modification
    else:
        assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE"), r.modification
        assert r.modification.suspicious is True


# --------------------------------------------------------------------------- issue 12, done when: the whole attack set


def wrapped(plain: bytes) -> bytes:
    """The signature dictionary redefined with a second /ByteRange (signature wrapping)."""
    at = plain.index(b"/ByteRange")
    num = int(re.findall(rb"(\d+) 0 obj", plain[:at])[-1])
    body = body_of(plain, num)
    ranges = re.search(rb"/ByteRange\s*\[[^\]]*\]", body)
    assert ranges is not None
    return update(plain, {num: body[:-2] + b" " + ranges.group() + b" >>"})


@pytest.fixture(scope="module")
def attack_set(pki: Pki, attacks: dict[str, tuple[bytes, bytes]], plain: bytes) -> dict[str, tuple[bytes, bytes]]:
    """Every attack file of these tests with its benign twin (the same signed structure, unmanipulated)."""
    out = dict(attacks)
    certified = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER))), certify=1)
    out["incremental saving after certification: page content"] = (update(certified, {5: stream(HIDDEN)}), certified)
    out["incremental saving after certification: second signature"] = (
        sign(pki, certified, field="Signature2"),
        certified,
    )
    out["signature wrapping: a second /ByteRange"] = (wrapped(plain), plain)
    signed = sign(pki, pdf_file(document(o3=page(b"5 0 R"), o5=stream(COVER))))
    out["xref entry of the catalog points at another object"] = (
        update(signed, {5: stream(HIDDEN), 21: body_of(signed, 1)}, alias={1: 21}),
        signed,
    )
    out["objects appended without a cross-reference section"] = (
        plain + b"5 0 obj\n" + stream(HIDDEN) + b"\nendobj\n",
        plain,
    )
    out["annotation after an approval signature"] = (annotated(signed), signed)
    return out


ATTACK_SET = [
    *ATTACKS,
    "incremental saving after certification: page content",
    "incremental saving after certification: second signature",
    "signature wrapping: a second /ByteRange",
    "xref entry of the catalog points at another object",
    "objects appended without a cross-reference section",
    "annotation after an approval signature",
]


@pytest.mark.parametrize("name", ATTACK_SET)
def test_no_attack_file_verifies_and_every_benign_twin_does(
    name: str, attack_set: dict[str, tuple[bytes, bytes]], pki: Pki, tmp_path: Path
) -> None:
    """Issue 12, done when: no file of the attack set verifies TOTAL_PASSED; every benign twin does."""
    assert sorted(attack_set) == sorted(ATTACK_SET)  # the list names the whole set
    attack, twin = attack_set[name]
    assert all(r.indication == "TOTAL_PASSED" for r in verify(twin, tmp_path, pki.ctx))
    reports = verify(attack, tmp_path, pki.ctx)
    assert reports and reports[0].indication != "TOTAL_PASSED", reports[0].modification
