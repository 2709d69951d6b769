"""Samples of the SIG area (paragraphs 7, 15, 27.2; issue 3 point 8): signatures that must not count.

Each sample changes one thing of a complete dossier: who signed the application (a stranger, an
authentication key, a revoked, expired or untrusted certificate), a signed file changed after
signing, a signed PDF changed in a later revision. `organization-gost` is signed with the public
NCA TEST 2022 GOST 34.10-2015-512 keys of `tests/data/kz-pki/keys/`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from samplegen import pki
from samplegen.cms import GostSigner, load_gost_signer
from samplegen.core import ORGANIZATION_ATTESTATIONS, Sample, build_organization, organization, specialist
from samplegen.pdfsign import append_overlay

ROOT = Path(__file__).resolve().parent.parent
KZ_PKI = "tests/data/kz-pki"
GOST_CRL = f"{KZ_PKI}/crl/nca_gost2022_test_2026-08-11.crl"
NCA_TEST_BIN = "123456789021"  # the BIN of the NCA test certificates; it fails the check digit on purpose


def _replace(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes of a signed file in place (same length keeps the file well-formed)."""
    data = path.read_bytes()
    if old not in data:
        raise ValueError(f"{old!r} not in {path.name}")
    path.write_bytes(data.replace(old, new, 1))


def _alter_exw_prices(dest: Path) -> None:
    """Change one letter of the signed EXW statement's metadata: the file still opens, the digest differs."""
    _replace(dest / "05_exw-prices_1p.pdf", b"/Producer (samplegen", b"/Producer (Samplegen")


def _alter_application(dest: Path) -> None:
    """Lower a service price in application.json after it was signed."""
    _replace(dest / "application.json", b'"price_kzt": "4500"', b'"price_kzt": "4900"')


def _price_box(pdf: bytes, text: str) -> tuple[float, float, float, float]:
    """Where `text` sits on page 1 (PDF points: left, bottom, right, top)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        textpage = page.get_textpage()
        found = textpage.search(text).get_next()
        if found is None:
            raise ValueError(f"{text!r} is not on page 1")
        start, count = found
        first = textpage.get_charbox(start)
        last = textpage.get_charbox(start + count - 1)
        return float(first[0]), float(min(first[1], last[1])), float(last[2]), float(max(first[3], last[3]))
    finally:
        doc.close()


def _change_price_after_signing(dest: Path) -> None:
    """A later revision paints over the wheelchair's price and writes a higher one (Helvetica /F1)."""
    path = dest / "04_price-document_1p.pdf"
    data = path.read_bytes()
    left, bottom, right, top = _price_box(data, "185 000,00")
    overlay = (
        f"q 1 1 1 rg {left - 1:.2f} {bottom - 2:.2f} {right - left + 20:.2f} {top - bottom + 4:.2f} re f "
        f"0 0 0 rg BT /F1 9 Tf {left:.2f} {bottom:.2f} Td (215 000,00) Tj ET Q"
    ).encode()
    path.write_bytes(append_overlay(data, overlay))


@cache
def gost_head() -> GostSigner:
    """The NCA TEST 2022 legal-entity head key (GOST 34.10-2015-512), with the test intermediate."""
    return load_gost_signer(
        ROOT / KZ_PKI / "keys" / "ncanodego_legal_valid_head.p12",
        chain=(ROOT / KZ_PKI / "ca" / "test" / "nca_gost2022_test.cer",),
    )


def _gost_application(app: dict[str, Any]) -> None:
    """The applicant of the NCA test certificate: АО «ТЕСТ», BIN 123456789021, head ТЕСТОВ ТЕСТ."""
    app["bin"] = NCA_TEST_BIN
    app["head"] = {"last_name": "Тестов", "first_name": "Тест", "patronymic": "Тестович"}


def _gost_dossier(dest: Path) -> None:
    head = gost_head()
    build_organization(
        dest,
        application=_gost_application,
        signer=head,
        detached={"exw-prices": head, "premises-document": head},
        pdf_signed={"price-document": head},
        attestations={kind: {"subject": {"bin": NCA_TEST_BIN}} for kind in ORGANIZATION_ATTESTATIONS},
    )


def _with_args(*extra: str) -> tuple[str, ...]:
    return (*pki.trust_args()[:-2], *extra, *pki.trust_args()[-2:])


def _sig(name: str, build: Callable[[Path], None], codes: tuple[str, ...], description: str, **kw: Any) -> Sample:
    return Sample(name=name, build=build, verdict="fail", codes=codes, description=description, **kw)


SAMPLES: tuple[Sample, ...] = (
    _sig(
        "signature-tampered-document",
        organization(after=_alter_exw_prices),
        ("SIG002",),
        "05_exw-prices_1p.pdf was changed after its detached CMS was made (one byte of the document "
        "information): the messageDigest no longer matches, HASH_FAILURE, SIG002 fails (27.2).",
    ),
    _sig(
        "signature-application-altered",
        organization(after=_alter_application),
        ("SIG002", "SIG003"),
        "A service price in application.json was raised after signing: the application's CMS fails "
        "(HASH_FAILURE, SIG002), so the application carries no valid signature of the applicant (SIG003).",
    ),
    _sig(
        "signature-stranger",
        organization(signer="stranger"),
        ("SIG003",),
        "The application is signed, validly, by the head of another organization (BIN "
        f"{pki.STRANGER_BIN}, not the applicant's {pki.ORG_BIN}): SIG003 fails, every signature itself is valid.",
        passes=("SIG002",),
    ),
    _sig(
        "signature-specialist-stranger",
        specialist(signer="specialist_stranger"),
        ("SIG003",),
        f"The specialist's application is signed, validly, by another individual (IIN {pki.SPECIALIST_STRANGER_IIN}, "
        f"not the applicant's {pki.SPECIALIST_IIN}): SIG003 fails.",
        passes=("SIG002",),
    ),
    _sig(
        "signature-auth-key",
        organization(signer="head_auth"),
        ("SIG004", "SIG003"),
        "The head signed the application with his authentication key (keyUsage digitalSignature+"
        "keyEncipherment, EKU clientAuth, no nonRepudiation): not a signing key, SIG004 fails.",
    ),
    _sig(
        "signature-state-system-signs-application",
        organization(signer="state"),
        ("SIG004", "SIG003"),
        "The application is signed with a state information-system certificate (EKU 1.2.398.3.3.4.1.2.6, "
        "no IIN): a system, not the applicant; SIG004 (and SIG003) fail.",
    ),
    _sig(
        "signature-revoked",
        organization(signer="revoked"),
        ("SIG002", "SIG003"),
        "The application is signed on 2026-11-18 with the head's certificate revoked on 2026-10-01 "
        "(keyCompromise, listed in samples/trust/intake-test-ca.crl): REVOKED, SIG002 fails.",
    ),
    _sig(
        "signature-expired",
        organization(signer="expired"),
        ("SIG002", "SIG003"),
        "The application is signed on 2026-11-18 with the head's certificate that expired on 2026-06-01: "
        "EXPIRED (or OUT_OF_BOUNDS), SIG002 fails.",
    ),
    Sample(
        name="signature-untrusted-root",
        build=organization(signer="untrusted"),
        verdict="review",
        codes=("SIG002", "SIG003"),
        description=(
            "The application is signed with a certificate of the applicant's head issued under INTAKE UNTRUSTED "
            "ROOT, which is not among the trust anchors: ETSI EN 319 102-1 makes NO_CERTIFICATE_CHAIN_FOUND "
            "INDETERMINATE (the trust store may lack a CA), so SIG002 and SIG003 stay undecided: review."
        ),
    ),
    _sig(
        "signature-pdf-changed-after-signing",
        organization(after=_change_price_after_signing),
        ("SIG005", "SCAN007", "SIG002"),
        "The signed price list 04_price-document_1p.pdf got a later revision that paints over the "
        "wheelchair's price (185 000,00) and writes 215 000,00: the signature no longer covers the "
        "content shown, SIG005 fails.",
    ),
    Sample(
        name="organization-gost",
        build=_gost_dossier,
        verdict="fail",
        codes=("FORM005",),
        passes=("SIG002", "SIG003", "SIG004"),
        args=("--trust", "kz-test", *_with_args("--crl", GOST_CRL)),
        description=(
            "The complete organization dossier signed with the NCA TEST 2022 GOST 34.10-2015-512 key of "
            "the legal-entity head (tests/data/kz-pki/keys/ncanodego_legal_valid_head.p12): the application "
            "and two documents with detached CMS, the price list inside the PDF. The application carries the "
            "certificate's BIN 123456789021, which the NCA made to fail the check digit: FORM005 fails; "
            "every signature verifies and is the applicant's (SIG002, SIG003, SIG004 pass)."
        ),
    ),
)
