"""egov.kz printouts verified from their QR codes (issue 15, point 3): pages built here (segno QR v25-L,
the BarcodeElement format, signed with an NCA test key as the issuer) and the public znkaz/egov vector."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.cli import main
from intake.signatures import VerificationContext, verify_egov
from intake.verifier import egovqr
from intake.verifier.xmldsig import verify_xml
from samplegen import egov, xmlsign

KZ = Path(__file__).parent / "data" / "kz-pki"
ZNKAZ = Path(__file__).parent / "data" / "egov" / "znkaz-egovExample.xml"
AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CTX = VerificationContext(at=AT, trust=("kz-test",), crls=(KZ / "crl" / "nca_gost2022_test_2026-08-11.crl",))
CERT = egov.Certificate()


@pytest.fixture(scope="module")
def issuer() -> xmlsign.XmlSigner:
    return xmlsign.load_signer(KZ / "keys" / "ncanodego_legal_valid_employee_signright.p12")


@pytest.fixture(scope="module")
def codes(issuer: xmlsign.XmlSigner) -> list[bytes]:
    return egov.payloads(CERT, issuer)


def page(tmp_path: Path, codes: list[bytes], printed: egov.Certificate = CERT, name: str = "page.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(egov.page_pdf(printed, codes))
    return path


def test_egov_page_verifies_and_matches_the_print(tmp_path: Path, codes: list[bytes]) -> None:
    (r,) = verify_egov(page(tmp_path, codes), "page.pdf", CTX)
    assert (r.format, r.indication, r.subindication) == ("egov-qr", "TOTAL_PASSED", None)
    assert r.signing_time == datetime.fromisoformat(CERT.request_date)
    assert r.signing_time_source == "signed_data"
    assert r.signed_data["unique_number"] == CERT.request_number and r.signed_data["bin"] == CERT.bin
    assert set(r.signed_data) == {"unique_number", "request_date", "bin", "name_ru", "registration_date", "issuer"}
    assert (r.page_compared, r.page_mismatches) == (True, ())
    assert any("5 of 5 elements" in m for m in r.messages)


def test_a_changed_printed_value_is_named(tmp_path: Path, codes: list[bytes]) -> None:
    forged = egov.Certificate(bin="190340045299", issuer="Департамент юстиции города Астаны")
    (r,) = verify_egov(page(tmp_path, codes, forged), "page.pdf", CTX)
    assert r.indication == "TOTAL_PASSED"  # the barcode itself is genuine
    assert r.page_mismatches == ("bin=190340045215", "issuer=Департамент юстиции города Алматы")


def test_scanned_page_image_with_ocr(tmp_path: Path, codes: list[bytes]) -> None:
    image = tmp_path / "page.png"
    egov.page_png(egov.page_pdf(CERT, codes), image)
    (r,) = verify_egov(image, "page.png", CTX)
    assert (r.format, r.indication) == ("egov-qr", "TOTAL_PASSED")
    assert r.page_compared and "bin=190340045215" not in r.page_mismatches
    assert "unique_number=10100235762380" not in r.page_mismatches


def test_partly_unreadable_codes_are_indeterminate(tmp_path: Path, codes: list[bytes]) -> None:
    (r,) = verify_egov(page(tmp_path, codes[:3]), "page.pdf", CTX)
    assert (r.indication, r.subindication) == ("INDETERMINATE", "SIGNED_DATA_NOT_FOUND")
    assert any("read 3 of 5 elements" in m for m in r.messages)


def test_look_alike_barcodes_around_unsigned_xml_fail(tmp_path: Path) -> None:
    (r,) = verify_egov(page(tmp_path, egov.payloads(CERT, None)), "page.pdf", CTX)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert any("unsigned XML" in m for m in r.messages)


def test_altered_signed_xml_fails_with_hash_failure(issuer: xmlsign.XmlSigner) -> None:
    signed = xmlsign.sign_xml(egov.response_xml(CERT), issuer)
    altered = signed.replace(CERT.bin.encode(), b"190340045299")
    elements = [egovqr.parse_element(p) for p in egov.elements(egov.zip_one(altered), CERT.request_number)]
    scan = egovqr.Scan(tuple(e for e in elements if e is not None))
    (r,) = egovqr.verify_scan(scan, CTX, "x", None)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "HASH_FAILURE")


def test_reassembly_guards() -> None:
    blob = egov.zip_one(b"<r/>")
    good = [egovqr.parse_element(p) for p in egov.elements(blob, "1", 2)]
    assert all(good)
    a, b = good
    assert a is not None and b is not None
    conflicting = egovqr.Element(b.favor_id, b.number, b.amount, b.data + b"x")
    (g,) = egovqr.reassemble([a, b, conflicting])
    assert g.problem == "two elements share a number"
    two = egov.elements(blob[: len(blob) // 2], "2", 1)  # a truncated ZIP
    (g,) = egovqr.reassemble([e for e in map(egovqr.parse_element, two) if e])
    assert g.problem and "ZIP" in g.problem
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("one", b"<r/>")
        zf.writestr("two", b"<r/>")
    (g,) = egovqr.reassemble([e for e in map(egovqr.parse_element, egov.elements(buf.getvalue(), "3", 1)) if e])
    assert g.problem and "one entry" in g.problem
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("one", b"<r>" + b" " * (egovqr.MAX_UNZIPPED + 10) + b"</r>")
    (g,) = egovqr.reassemble([e for e in map(egovqr.parse_element, egov.elements(bomb.getvalue(), "4", 1)) if e])
    assert g.problem and "bytes" in g.problem
    assert egovqr.parse_element(b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><BarcodeElement/>") is None


def test_public_znkaz_vector(tmp_path: Path) -> None:
    """The real egov XML of znkaz/egov (tests/data/egov/SOURCE.md), GOST 34.310-2004 by a State
    Corporation employee, chained to the NCA GOST 2018 CA; verified at the date it names."""
    xml = ZNKAZ.read_bytes()
    ctx = VerificationContext(at=AT, trust=("kz-nca",))
    (plain,) = verify_xml(xml, VerificationContext(at=datetime(2020, 11, 24, 8, tzinfo=UTC), trust=("kz-nca",)), "z")
    assert (plain.intact, plain.valid, plain.trusted) == (True, True, True)
    assert (plain.signer.bin, plain.algorithm) == ("180541000305", "gost34310-2004-gost34311")
    # the same XML carried by egov barcodes: validated at its signed date, not now (the key expired in 2021)
    path = page(tmp_path, egov.elements(egov.zip_one(xml), "10100464053940"))
    (r,) = verify_egov(path, "page.pdf", ctx, text="")
    assert (r.intact, r.valid, r.trusted) == (True, True, True)
    assert r.signing_time == datetime.fromisoformat("2020-11-24T12:41:19.097+06:00")
    assert r.signing_time_source == "signed_data"
    assert r.subindication == "TRY_LATER"  # no 2020 CRL at hand: undecided, never passed
    assert "unique_number=10100464053940" in r.page_mismatches  # an empty page shows nothing
    assert not verify_xml(xml.replace(b"2/8", b"3/8"), ctx, "z")[0].intact


def test_intake_verify_reports_egov_qr(tmp_path: Path, codes: list[bytes], capsys: pytest.CaptureFixture[str]) -> None:
    path = page(tmp_path, codes)
    args = ["verify", str(path), "--trust", "kz-test", "--crl", str(KZ / "crl" / "nca_gost2022_test_2026-08-11.crl")]
    assert main([*args, "--at", AT.isoformat(), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (sig,) = out["signatures"]
    assert (sig["format"], sig["signing_time_source"]) == ("egov-qr", "signed_data")
    assert sig["signed_data"]["bin"] == CERT.bin


@pytest.mark.slow
def test_egov_printout_in_a_dossier(tmp_path: Path, codes: list[bytes], capsys: pytest.CaptureFixture[str]) -> None:
    """SIG007: the printout agrees with its barcodes (passed); a printed value changed: blocking, named."""
    import shutil

    root = Path(__file__).parent.parent
    sample = root / "samples" / "organization-complete"
    expected = json.loads((sample / "expected.json").read_text())
    args = [a if not a.startswith("samples/") else str(root / a) for a in expected["args"]]
    args += ["--trust", "kz-test", "--crl", str(KZ / "crl" / "nca_gost2022_test_2026-08-11.crl"), "--no-ocr"]

    def run(printed: egov.Certificate) -> tuple[int, list[dict[str, object]]]:
        dossier = tmp_path / printed.bin
        shutil.copytree(sample, dossier)
        (dossier / "01_constituent-documents_2p.pdf").unlink()
        (dossier / "01_constituent-documents_1p.pdf").write_bytes(egov.page_pdf(printed, codes))
        code = main(["check", str(dossier), *args, "--format", "json"])
        report = json.loads(capsys.readouterr().out)
        return code, [f for f in report["findings"] if f["code"] == "SIG007"]

    _, found = run(CERT)
    assert [f["outcome"] for f in found] == ["passed"]
    code, found = run(egov.Certificate(bin="190340045299"))
    assert code == 1
    assert [f["outcome"] for f in found] == ["failed"]
    assert "bin=190340045215" in str(found[0]["message"])


def test_jpeg_page_through_intake_verify(tmp_path: Path, codes: list[bytes]) -> None:
    from PIL import Image

    from intake.signatures import verify_path

    png = tmp_path / "page.png"
    egov.page_png(egov.page_pdf(CERT, codes), png)
    jpg = tmp_path / "page.jpg"
    with Image.open(png) as img:
        img.save(jpg, quality=85)
    (r,) = verify_path(jpg, CTX)
    assert (r.format, r.indication, r.signed_data["unique_number"]) == ("egov-qr", "TOTAL_PASSED", CERT.request_number)


def test_a_signature_over_part_of_the_egov_xml_fails(issuer: xmlsign.XmlSigner) -> None:
    from lxml import etree

    tree = etree.fromstring(egov.response_xml(CERT)).getroottree()
    bin_el = tree.getroot().find("BIN")
    assert bin_el is not None
    bin_el.set("Id", "b")
    xmlsign.signature_element(tree, issuer, uri="#b", enveloped=False)
    xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    elements = [egovqr.parse_element(p) for p in egov.elements(egov.zip_one(xml), CERT.request_number)]
    (r,) = egovqr.verify_scan(egovqr.Scan(tuple(e for e in elements if e)), CTX, "x", None)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert any("signature wrapping" in m for m in r.messages)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_payloads_never_raise(data: bytes) -> None:
    element = egovqr.parse_element(b"<BarcodeElement xmlns='http://barcodes.pdf.shep.nitec.kz/'>" + data)
    assert element is None or 1 <= element.number <= element.amount
    egovqr.reassemble([element] if element else [])
