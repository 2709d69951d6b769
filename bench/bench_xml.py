"""Benchmark: XML signatures and egov barcodes (issue 15), each beside its floor in one run.

    .venv/bin/python bench/bench_xml.py [--repeat 15]

1. XMLDSig GOST 34.10-2015-512 (NCA TEST key) over a 100 KB document, warm (one VerificationContext,
   as for a dossier): `intake.verifier.xmldsig.verify_xml` against its floor, the same work done by hand
   (hardened parse, inclusive C14N of the document, Streebog-512 of it, C14N of SignedInfo and one
   `intake.gost.verify`). Target: <= 10 ms.
2. One egov page (five QR version 25 codes, ECC L, rendered at 300 dpi, grey PNG): image -> verified XML
   (`egovqr.scan_file` + `verify_scan`, no page OCR) against its floor, zxing-cpp reading the same image
   once. Pinned to one core. Target: <= 0.3 s.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509
from lxml import etree

from intake import gost
from intake.signatures import VerificationContext
from intake.verifier import egovqr, xmldsig
from samplegen import egov, xmlsign

ROOT = Path(__file__).resolve().parent.parent
KZ = ROOT / "tests" / "data" / "kz-pki"
AT = datetime(2026, 11, 24, 12, tzinfo=UTC)


def ctx() -> VerificationContext:
    return VerificationContext(at=AT, trust=("kz-test",), crls=(KZ / "crl" / "nca_gost2022_test_2026-08-11.crl",))


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000, min(samples) * 1000


def document(size: int) -> bytes:
    rows = []
    n = 0
    while sum(len(r.encode()) for r in rows) < size:
        rows.append(
            f"<service n='{n}'><name>Социально-бытовые услуги № {n}</name><price>{4500 + n}</price>"
            f"<standard>Стандарт оказания специальных социальных услуг в условиях полустационара</standard></service>\n"
        )
        n += 1
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n<application xmlns='urn:bench'>\n" + "".join(rows) + "</application>"
    ).encode()


def bench_xmldsig(repeat: int) -> None:
    signer = xmlsign.load_signer(KZ / "keys" / "ncanodego_legal_valid_head.p12")
    signed = xmlsign.sign_xml(document(100_000), signer)
    c = ctx()
    reports = xmldsig.verify_xml(signed, c, "bench.xml")
    assert [r.indication for r in reports] == ["TOTAL_PASSED"], reports

    signer_spki = x509.Certificate.load(signer.certificate_der)["tbs_certificate"]["subject_public_key_info"].dump()
    value = etree.fromstring(signed).find(f".//{{{xmldsig.DS}}}SignatureValue")
    assert value is not None and value.text
    signature = base64.b64decode("".join(value.text.split()))

    def floor() -> None:
        tree = xmldsig.parse_xml(signed)  # a fresh tree each time: the signature is cut out of it
        sig = tree.find(f".//{{{xmldsig.DS}}}Signature")
        assert sig is not None
        si = sig.find(f"{{{xmldsig.DS}}}SignedInfo")
        signed_info = etree.tostring(si, method="c14n")
        sig.getparent().remove(sig)
        gost.digest(gost.DIGEST_STREEBOG512, etree.tostring(tree, method="c14n"))
        assert gost.verify(gost.SIG_GOST2015_512, signer_spki, signature, signed_info)

    full_med, full_min = timed(lambda: xmldsig.verify_xml(signed, c, "bench.xml"), repeat)
    floor_med, floor_min = timed(floor, repeat)
    print(f"XMLDSig GOST-2015-512, {len(signed) / 1000:.0f} KB document, warm ({gost.streebog_backend()} Streebog)")
    print(f"  intake verify_xml          median {full_med:7.2f} ms   min {full_min:7.2f} ms   (target <= 10 ms)")
    print(f"  floor (parse+c14n+hash+EC) median {floor_med:7.2f} ms   min {floor_min:7.2f} ms")
    print(f"  ratio intake / floor       {full_med / floor_med:5.2f}x")


def bench_egov(repeat: int) -> None:
    import zxingcpp
    from PIL import Image

    signer = xmlsign.load_signer(KZ / "keys" / "ncanodego_legal_valid_employee_signright.p12")
    cert = egov.Certificate()
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        egov.page_png(egov.page_pdf(cert, egov.payloads(cert, signer)), png, dpi=300)
        c = ctx()

        def full() -> None:
            reports = egovqr.verify_scan(egovqr.scan_file(png), c, "page.png", None)
            assert [r.indication for r in reports] == ["TOTAL_PASSED"], reports

        def floor() -> None:
            with Image.open(png) as img:
                assert (
                    len(zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)))
                    == 5
                )

        def decode_only() -> None:
            assert len(egovqr.scan_file(png).elements) == 5

        full_med, full_min = timed(full, repeat)
        dec_med, _ = timed(decode_only, repeat)
        floor_med, floor_min = timed(floor, repeat)
        with Image.open(png) as img:
            size = img.size
    print(f"egov page, five QR v25-L, 300 dpi grey PNG {size[0]}x{size[1]}, one core")
    print(f"  image -> verified XML      median {full_med:7.1f} ms   min {full_min:7.1f} ms   (target <= 300 ms)")
    print(f"    of which finding codes   median {dec_med:7.1f} ms")
    print(f"  floor (zxing-cpp read)     median {floor_med:7.1f} ms   min {floor_min:7.1f} ms")
    print(f"  ratio intake / floor       {full_med / floor_med:5.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    bench_xmldsig(args.repeat)
    bench_egov(args.repeat)
    sys.exit(0)
