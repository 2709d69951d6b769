"""EDS signature verification (paragraphs 7, 15): CMS, PDF and XML signatures, Kazakh NCA certificates.

Interface used by the pipeline and the CLI:

    VerificationContext(at=..., trust=..., crls=..., ocsp=..., online=..., revocation=..., certs=...)
    verify_file(facts, root, ctx, attached=()) -> tuple[SignatureReport, ...]   every signature of one file
    open_attached(facts, ctx, work, gather) -> Attached | None          the content of an attached CMS (.p7m)
    verify_path(path, ctx, signature=None) -> tuple[SignatureReport, ...]   `intake verify`
    verify_certificate(cert_der, ctx, moment=None) -> SignatureReport   one certificate's path and status

Facts are kept apart (intact, valid, trusted, certificate validity, revocation, key usage,
algorithms) and the ETSI EN 319 102-1 indication is derived from them (`intake.verifier.cms.judge`).
Algorithms are dispatched by OID (`intake.verifier.algos`): RSA/ECDSA/EdDSA through `cryptography`, the
Kazakh GOST family through `intake.gost`. Paths and revocation are pyhanko-certvalidator's
(`intake.verifier.trust`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Final

from asn1crypto import x509

from intake.errors import ConfigurationError, InputError
from intake.models import FileFacts, FileRole, SignatureReport
from intake.verifier.cms import (
    BytesContent,
    Facts,
    FileContent,
    FormatError,
    attached_content,
    load_signed_data,
    report_of,
    sha256_hex,
    verify_signed_data,
)
from intake.verifier.context import RevocationPolicy, VerificationContext
from intake.verifier.profile import signer_of
from intake.verifier.trust import (
    PROFILES,
    TrustEntry,
    add_certificate,
    manifest_problems,
    read_regular,
    trust_entries,
    validate_path,
)
from intake.verifier.xmldsig import looks_like_xml

__all__ = [
    "PROFILES",
    "SIDECAR_EXTENSIONS",
    "Attached",
    "RevocationPolicy",
    "TrustEntry",
    "VerificationContext",
    "add_certificate",
    "manifest_problems",
    "open_attached",
    "page_text",
    "trust_entries",
    "verify_certificate",
    "verify_egov",
    "verify_file",
    "verify_path",
]

SIDECAR_EXTENSIONS: Final = (".cms", ".p7s", ".sig")
ATTACHED_EXTENSIONS: Final = (".p7m", ".cms")
# A detached CMS with its certificates and revocation data is kilobytes; an attached one carries the
# document. Larger signature files are refused (a FORMAT_FAILURE naming the file), never read whole.
MAX_DETACHED_BYTES: Final = 64_000_000
MAX_ATTACHED_BYTES: Final = 512_000_000


def _failure(source: str, fmt: str, message: str) -> SignatureReport:
    return SignatureReport(
        indication="TOTAL_FAILED", subindication="FORMAT_FAILURE", source=source, format=fmt, messages=(message,)
    )


def _guarded(name: str, fmt: str, verify: Callable[[], tuple[SignatureReport, ...]]) -> tuple[SignatureReport, ...]:
    """Run one verification; an error nobody foresaw becomes an undecided report naming the file, not a crash.

    The parsers below turn every known kind of damage into a report themselves; this is the last line,
    so one signature file never stops the others nor the dossier.

    Raises:
        ConfigurationError: The trust store or revocation files cannot be used (the run cannot go on).
    """
    try:
        return verify()
    except ConfigurationError:
        raise
    except Exception as exc:
        message = f"{name}: the signature could not be verified ({type(exc).__name__}: {str(exc)[:200]})"
        return (
            SignatureReport(
                indication="INDETERMINATE",
                subindication="FORMAT_FAILURE",
                source=name,
                format=fmt,
                messages=(message,),
            ),
        )


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return b"%PDF-" in fh.read(1024)
    except OSError:
        return False


def _verify_sidecar(
    sidecar: Path, name: str, content_path: Path, ctx: VerificationContext
) -> tuple[SignatureReport, ...]:
    try:
        signed = load_signed_data(read_regular(sidecar, MAX_DETACHED_BYTES))
    except OSError as exc:
        return (_failure(name, "cms", f"{name}: the signature file cannot be read: {exc}"),)
    except FormatError as exc:
        return (_failure(name, "cms", f"{name}: {exc}"),)
    return verify_signed_data(signed, FileContent(content_path), ctx, fmt="cms-detached", source=name)


def _verify_pdf(path: Path, name: str, ctx: VerificationContext) -> tuple[SignatureReport, ...]:
    from intake.verifier import pdf as _pdf

    return _pdf.verify_pdf(path, name, ctx)


def _verify_xml(
    path: Path, name: str, ctx: VerificationContext, whole_document: bool = False
) -> tuple[SignatureReport, ...]:
    from intake.verifier import xmldsig

    try:
        data = read_regular(path, xmldsig.MAX_XML_BYTES)
    except OSError as exc:
        return (_failure(name, "xmldsig", f"{name}: cannot be read: {exc}"),)
    return xmldsig.verify_xml(data, ctx, name, whole_document=whole_document)


IMAGE_EXTENSIONS: Final = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def page_text(path: Path) -> str:
    """The text of a PDF's or image's pages (text layer, else Tesseract), for comparing egov barcodes with the page."""
    from intake import files, ocr

    facts = files.gather_file(path.parent, path)
    pages, _ = ocr.read_document(facts, ocr.TesseractEngine())
    return "\n".join(p.text for p in pages)


def verify_egov(
    path: Path,
    name: str,
    ctx: VerificationContext,
    text: str | None = None,
    *,
    unreadable: bool = True,
    dpi: int = 300,
) -> tuple[SignatureReport, ...]:
    """The egov.kz barcodes of a PDF or image (format `egov-qr`), compared with the page text.

    `text`: the page text when already read (else read here, only when barcodes were found).
    `unreadable`: report QR codes that were seen but could not be read at all.
    """
    from intake.verifier import egovqr

    def run() -> tuple[SignatureReport, ...]:
        scan = egovqr.scan_file(path, dpi)
        if not scan.elements and not (unreadable and scan.unreadable):
            return ()
        return egovqr.verify_scan(scan, ctx, name, text if text is not None else page_text(path))

    return _guarded(name, egovqr.FORMAT, run)


def verify_file(
    facts: FileFacts, root: Path, ctx: VerificationContext, attached: tuple[SignatureReport, ...] = ()
) -> tuple[SignatureReport, ...]:
    """Verify every signature that applies to one file: detached sidecars, attached CMS, PDF signatures.

    `attached`: the reports of the enveloping CMS this file's content came from (`open_attached`).
    Never raises for a bad file: each problem becomes a report naming the file and the reason.

    Raises:
        ConfigurationError: The trust store or revocation files of `ctx` cannot be used.
    """
    out: list[SignatureReport] = list(attached)
    if facts.content_from is not None:
        pass
    elif facts.extension == ".p7m":
        # An attached CMS the pipeline could not open (open_attached returned None): say why.
        out.extend(_guarded(facts.name, "cms-attached", lambda: _attached_reports(facts.path, facts.name, ctx)[1]))
    for sidecar in facts.signature_files:
        out.extend(
            _guarded(sidecar, "cms-detached", partial(_verify_sidecar, root / sidecar, sidecar, facts.path, ctx))
        )
    if facts.media_type == "application/pdf" or (facts.media_type is None and _is_pdf(facts.path)):
        out.extend(_guarded(facts.name, "pdf", lambda: _verify_pdf(facts.path, facts.name, ctx)))
    if facts.extension == ".xml":
        # The dossier reads the whole document: a signature over part of it does not count (XSW).
        out.extend(_guarded(facts.name, "xmldsig", lambda: _verify_xml(facts.path, facts.name, ctx, True)))
    return tuple(out)


def _attached_reports(
    path: Path, name: str, ctx: VerificationContext
) -> tuple[bytes | None, tuple[SignatureReport, ...]]:
    try:
        signed = load_signed_data(read_regular(path, MAX_ATTACHED_BYTES))
    except OSError as exc:
        return None, (_failure(name, "cms-attached", f"{name}: cannot be read: {exc}"),)
    except FormatError as exc:
        return None, (_failure(name, "cms-attached", f"{name}: {exc}"),)
    content = attached_content(signed)
    if content is None:
        return None, verify_signed_data(signed, None, ctx, fmt="cms-detached", source=name)
    return content, verify_signed_data(signed, BytesContent(content), ctx, fmt="cms-attached", source=name)


@dataclass(frozen=True)
class Attached:
    """The content of an enveloping CMS, written into the dossier's work folder, and its signatures."""

    facts: FileFacts
    reports: tuple[SignatureReport, ...]


def open_attached(
    facts: FileFacts, ctx: VerificationContext, work: Path, gather: Callable[[Path, Path], FileFacts]
) -> Attached | None:
    """For an attached (enveloping) CMS (`.p7m`, or a `.cms` that signs no file beside it): verify it,
    write the content it carries into `work` (the dossier's own work folder, which goes with it), named
    without the extension, and return its facts (made by `gather(base, path)`, `content_from` set)
    with the reports of the CMS.

    Returns None for any other file, or when the container holds no content (then `verify_file` reports why).
    """
    ext = facts.extension
    if not (
        ext == ".p7m" or (facts.role is FileRole.SIGNATURE and facts.signed_file is None and ext in ATTACHED_EXTENSIONS)
    ):
        return None
    try:
        content, reports = _attached_reports(facts.path, facts.name, ctx)
    except ConfigurationError:
        raise
    except Exception:  # unforeseen damage: left closed; verify_file reports it through `_guarded`
        return None
    if content is None:
        return None
    inner = PurePosixPath(facts.name[: -len(ext)])
    base = work / "attached" / sha256_hex(facts.name.encode() + content)[:16]
    target = base.joinpath(*inner.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return Attached(gather(base, target).model_copy(update={"content_from": facts.name}), reports)


def verify_path(path: Path, ctx: VerificationContext, signature: Path | None = None) -> tuple[SignatureReport, ...]:
    """`intake verify`: the signatures of one file.

    With `signature`, that detached CMS over `path`. Otherwise: a CMS file (attached, or detached
    without content: SIGNED_DATA_NOT_FOUND); else the sidecars `<file>.cms|.p7s|.sig` beside it and,
    for a PDF, its own signatures, for XML its `ds:Signature`s (formats `xmldsig`, `xmldsig-wsse`), for a
    PDF or an image the egov.kz barcodes (format `egov-qr`); else none.

    Raises:
        InputError: `path` or `signature` cannot be read at all.
        ConfigurationError: The trust store or revocation files cannot be used.
    """
    for p in (path, signature):
        if p is not None and not p.is_file():
            raise InputError(f"{p}: no such file")
    try:
        if signature is not None:
            signature.open("rb").close()
            path.open("rb").close()
            return _verify_sidecar(signature, signature.name, path, ctx)
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"cannot read {exc.filename}: {exc.strerror}") from exc
    # a DER SEQUENCE with a long or indefinite length, or a PEM CMS: meant as a CMS (even when the PDF it
    # envelops shows "%PDF-" in the first kilobyte), so a broken one is one failed signature naming the
    # place, never "no signature"
    der_like = len(head) > 1 and head[0] == 0x30 and 0x80 <= head[1] <= 0x84
    pem_like = b"-----BEGIN PKCS7" in head or b"-----BEGIN CMS" in head
    is_pdf = b"%PDF-" in head and not der_like
    if not is_pdf:
        try:
            load_signed_data(read_regular(path, MAX_ATTACHED_BYTES))
            is_cms = True
        except (FormatError, OSError):
            is_cms = False
        if is_cms or der_like or pem_like or path.suffix.lower() in (*ATTACHED_EXTENSIONS, *SIDECAR_EXTENSIONS):
            return _attached_reports(path, path.name, ctx)[1]
    out: list[SignatureReport] = []
    if not is_pdf and (path.suffix.lower() == ".xml" or looks_like_xml(head)):
        out.extend(_guarded(path.name, "xmldsig", lambda: _verify_xml(path, path.name, ctx)))
    for ext in SIDECAR_EXTENSIONS:
        sidecar = path.with_name(path.name + ext)
        if sidecar.is_file():
            out.extend(_verify_sidecar(sidecar, sidecar.name, path, ctx))
    if is_pdf:
        out.extend(_verify_pdf(path, path.name, ctx))
    if is_pdf or path.suffix.lower() in IMAGE_EXTENSIONS:
        out.extend(verify_egov(path, path.name, ctx))
    return tuple(out)


def verify_certificate(cert_der: bytes, ctx: VerificationContext, moment: datetime | None = None) -> SignatureReport:
    """The path, validity and revocation status of one certificate at `moment` (default `ctx.at`)."""
    try:
        cert = x509.Certificate.load(cert_der)
        _ = cert.subject, cert.issuer
    except ValueError as exc:
        return _failure("certificate", "x509", f"not a certificate: {exc}")
    material = ctx.material()
    at = moment or ctx.at
    path = validate_path(
        cert, [*material.certs], at, material.trust, material.crls, material.ocsps, ctx.online, policy=ctx.revocation
    )
    facts = Facts(
        format="x509",
        source=signer_of(cert).subject,
        signer_cert=cert,
        intact=True,
        valid=True,
        signing_time=at,
        signing_time_source="validation_time",
        path_sub=path.subindication,
        path_message=path.message,
        trusted=path.trusted,
        certificate_valid=path.certificate_valid,
        revocation=path.revocation,
        chain=tuple(c.subject.human_friendly for c in path.chain),
    )
    return report_of(facts)
