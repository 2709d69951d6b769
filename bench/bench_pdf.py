"""Benchmark: PDF signature verification per file, intake vs pyHanko's `validate_pdf_signature` (diff analysis on).

    .venv/bin/python bench/bench_pdf.py [--rounds 15]

Same files, same process, both warm: intake's `verify_path` (one VerificationContext; the change
analysis with both opinions, pyHanko's diff policy and intake's own reading of the revisions, plus the
pixel comparison of the signed and final revisions) and pyHanko's `validate_pdf_signature` for every
embedded signature with its default diff policy and one reused `ValidationContext` (same trust root
and CRL, CRL required for the signer, same validation moment). Files (RSA-2048, chain of two): one
signature over the whole file; a signature followed by a second signature (form filling); a signature
followed by a DSS (validation data); a signature followed by a content change (shadow-attack style);
a signature on a 40-page document. The last line gives the smallest ratio (issue 12 asks >= 1.25).
A GOST 34.10-2015 PDF (NCA TEST key) is timed for intake only: pyHanko cannot hash Streebog.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from intake import gost
from intake.signatures import VerificationContext, verify_path
from samplegen import builders as b

AT = datetime(2026, 11, 24, tzinfo=UTC)
SIGNED = datetime(2026, 11, 20, tzinfo=UTC)
KZ = Path(__file__).resolve().parent.parent / "tests" / "data" / "kz-pki"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    from asn1crypto import crl as asn1_crl
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

    root, leaf, crl_der = b.bench_pki("CN=BENCH SIGNER,C=KZ")
    signer, oid = b.sign_with(leaf)

    def make(covered: bytes) -> bytes:
        return b.signed_data(covered, [(leaf.asn1, signer, b.SHA256, oid)], signing_time=SIGNED)

    d, curve, cert_der = gost.load_kz_pkcs12((KZ / "keys" / "ncanodego_legal_valid_head.p12").read_bytes(), b"Qwerty12")
    from asn1crypto import x509

    gcert = x509.Certificate.load(cert_der)

    def make_gost(covered: bytes) -> bytes:
        gs = b.gost_signer(d, curve, gost.SIG_GOST2015_512)
        return b.signed_data(
            covered, [(gcert, gs, gost.DIGEST_STREEBOG512, gost.SIG_GOST2015_512)], signing_time=SIGNED
        )

    base = b.blank_pdf()
    one = b.sign_pdf(base, make)
    files = {
        "one signature": one,
        "two signatures (form filling)": b.sign_pdf(one, make, field="Signature2"),
        "DSS added after signing": _with_dss(one, leaf.der),
        "content changed after signing": b.append_content(one, b"1 1 1 rg 0 0 595 842 re f"),
        "40 pages, one signature": b.sign_pdf(_pages(40), make),
    }
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        (tmp / "root.pem").write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
        (tmp / "root.crl").write_bytes(crl_der)
        ctx = VerificationContext(at=AT, trust=(str(tmp / "root.pem"),), crls=(tmp / "root.crl",))
        vc = ValidationContext(
            trust_roots=[root.asn1],
            crls=[asn1_crl.CertificateList.load(crl_der)],
            moment=AT,
            revinfo_policy=CertRevTrustPolicy(
                RevocationCheckingPolicy(
                    ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
                    intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
                ),
                retroactive_revinfo=True,
            ),
        )
        print(
            f"PDF signatures, RSA-2048 chain of two, CRL checked, {args.rounds} rounds; python {sys.version.split()[0]}"
        )
        print(f"{'file':34} {'KB':>6} {'intake ms':>10} {'pyHanko ms':>11} {'pyHanko/intake':>15}  verdicts")
        ratios = []
        for name, data in files.items():
            path = tmp / (name.replace(" ", "_") + ".pdf")
            path.write_bytes(data)
            ours, theirs = [], []
            verify_path(path, ctx)  # warm
            for _ in range(args.rounds):
                t = time.perf_counter()
                reports = verify_path(path, ctx)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                with path.open("rb") as fh:
                    reader = PdfFileReader(fh, strict=False)
                    statuses = [
                        validate_pdf_signature(e, signer_validation_context=vc) for e in reader.embedded_signatures
                    ]
                theirs.append(time.perf_counter() - t)
            o, p = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
            ratios.append(p / o)
            mine = ",".join(f"{r.indication}/{r.modification.level}" for r in reports)
            hanko = ",".join(
                f"{s.bottom_line}/{s.modification_level.name if s.modification_level else None}" for s in statuses
            )
            print(
                f"{name:34} {len(data) / 1024:6.0f} {o:10.2f} {p:11.2f} {p / o:15.2f}  intake {mine}; pyHanko {hanko}"
            )
        print(f"{'smallest ratio (>= 1.25 asked)':34} {'':6} {'':10} {'':11} {min(ratios):15.2f}")
        gpath = tmp / "gost.pdf"
        gpath.write_bytes(b.sign_pdf(base, make_gost))
        gctx = VerificationContext(at=AT, trust=("kz-test",), crls=(KZ / "crl" / "nca_gost2022_test_2026-08-11.crl",))
        verify_path(gpath, gctx)
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            (r,) = verify_path(gpath, gctx)
            times.append(time.perf_counter() - t)
        print(
            f"{'GOST 2015-512 (NCA TEST key)':34} {gpath.stat().st_size / 1024:6.0f} "
            f"{statistics.median(times) * 1000:10.2f} {'n/a':>11} {'':>15}  intake {r.indication} "
            f"(Streebog backend {gost.streebog_backend()})"
        )
    return 0


def _with_dss(pdf: bytes, cert: bytes) -> bytes:
    """An incremental update adding a DSS with one certificate (what a PAdES-LT augmentation adds)."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)  # type: ignore[no-untyped-call]
    name = generic.pdf_name
    ref = w.add_object(generic.StreamObject(stream_data=cert))  # type: ignore[no-untyped-call]
    dss = w.add_object(generic.DictionaryObject({name("/Certs"): generic.ArrayObject([ref])}))  # type: ignore[no-untyped-call]
    w.root[name("/DSS")] = dss
    w.update_root()  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    w.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def _pages(n: int) -> bytes:
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    w = PdfFileWriter()  # type: ignore[no-untyped-call]
    name = generic.pdf_name
    for i in range(n):
        stream = generic.StreamObject(stream_data=f"BT /F1 12 Tf 72 770 Td (page {i + 1}) Tj ET".encode())  # type: ignore[no-untyped-call]
        page = generic.DictionaryObject(  # type: ignore[no-untyped-call]
            {
                name("/Type"): name("/Page"),
                name("/MediaBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),  # type: ignore[no-untyped-call]
                name("/Contents"): w.add_object(stream),
            }
        )
        w.insert_page(page)  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    w.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())
