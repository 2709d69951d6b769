"""PDF signatures: /ByteRange coverage, the CMS inside, document timestamps, and what changed after signing.

pyHanko reads the PDF (signature fields, revisions, the DSS) and analyses later revisions with its
standard diff policy; the digest of the signed byte ranges is ours (so GOST Streebog works, kz-pki
README 2.5), and the CMS goes through the same verifier as detached signatures (`intake.verifier.cms`).
Each later revision is classified (none, timestamps/DSS, form filling, annotations, other); content
changed after signing (shadow attacks: hide, replace; incremental-saving attacks) or byte ranges that
leave gaps or stop early make the signature fail with FORMAT_FAILURE and SIG005 fail.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import tsp, x509

from intake.errors import ConfigurationError
from intake.models import ChangedRegion, Modification, ProofOfExistence, SignatureReport
from intake.verifier import pixels, revisions
from intake.verifier.algos import UnsupportedAlgorithm
from intake.verifier.cms import BytesContent, DigestedContent, attached_content, verify_signed_data
from intake.verifier.context import VerificationContext

LEVEL_NAMES: Final = {
    "NONE": "none",
    "LTA_UPDATES": "timestamps/dss",
    "FORM_FILLING": "form filling",
    "ANNOTATIONS": "annotations",
    "OTHER": "other",
}
DETACHED_SUBFILTERS: Final = ("/adbe.pkcs7.detached", "/ETSI.CAdES.detached")
TIMESTAMP_SUBFILTER: Final = "/ETSI.RFC3161"
# pyHanko logs every suspicious diff with a traceback; the finding says it already.
logging.getLogger("pyhanko.sign.diff_analysis").setLevel(logging.ERROR)


@dataclass
class RangesContent(DigestedContent):
    """The bytes a PDF signature covers (its /ByteRange)."""

    buffer: bytes
    ranges: Sequence[tuple[int, int]]

    def chunks(self) -> Iterator[bytes]:
        """See `intake.verifier.cms.DigestedContent`."""
        for start, length in self.ranges:
            yield self.buffer[start : start + length]


def _fail(source: str, message: str, fmt: str = "pdf") -> SignatureReport:
    return SignatureReport(
        indication="TOTAL_FAILED", subindication="FORMAT_FAILURE", format=fmt, source=source, messages=(message,)
    )


def _dss(
    reader: Any,
) -> tuple[list[x509.Certificate], list[asn1_crl.CertificateList], list[asn1_ocsp.OCSPResponse], dict[int, str]]:
    """Certificates, CRLs and OCSP responses of the PDF's Document Security Store (its arrays and its
    per-signature /VRI entries), and where each came from (``pdf-dss`` or ``pdf-dss-vri``, by ``id``)."""
    certs: list[x509.Certificate] = []
    crls: list[asn1_crl.CertificateList] = []
    ocsps: list[asn1_ocsp.OCSPResponse] = []
    origins: dict[int, str] = {}
    seen: set[bytes] = set()

    def take(refs: Any, kind: Any, out: list[Any], origin: str) -> None:
        for ref in refs or ():
            try:
                raw = ref.get_object().data
                if raw in seen:
                    continue
                item = kind.load(raw)
                _ = item["response_status"].native if kind is asn1_ocsp.OCSPResponse else item.issuer
            except Exception:  # one damaged entry is skipped, the others still count
                continue
            seen.add(raw)
            out.append(item)
            origins[id(item)] = origin

    try:
        dss = reader.root.get("/DSS")
        if dss is None:
            return certs, crls, ocsps, origins
        dss = dss.get_object()
        vri = dss.get("/VRI")
        for entry in vri.get_object().values() if vri is not None else ():
            entry = entry.get_object()  # noqa: PLW2901
            take(entry.get("/Cert"), x509.Certificate, certs, "pdf-dss-vri")
            take(entry.get("/CRL"), asn1_crl.CertificateList, crls, "pdf-dss-vri")
            take(entry.get("/OCSP"), asn1_ocsp.OCSPResponse, ocsps, "pdf-dss-vri")
        take(dss.get("/Certs"), x509.Certificate, certs, "pdf-dss")
        take(dss.get("/CRLs"), asn1_crl.CertificateList, crls, "pdf-dss")
        take(dss.get("/OCSPs"), asn1_ocsp.OCSPResponse, ocsps, "pdf-dss")
    except Exception:  # a broken DSS only means no embedded revocation data
        return certs, crls, ocsps, origins
    return certs, crls, ocsps, origins


def _first_opinion(emb: Any, readers: Readers, coverage: Any) -> Modification:
    """pyHanko's diff policy over the revisions after the signed one (`suspicious=None` when it raises)."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    cov = coverage.name.lower()
    if coverage is SignatureCoverageLevel.ENTIRE_FILE:
        return Modification(level="none", coverage=cov, revisions_after=0, suspicious=False)
    reader = readers.reader
    signed_revision = emb.signed_revision
    if isinstance(emb, FastSignature):  # pyHanko's own count of revisions, for its resolver
        from pyhanko.pdf_utils.generic import Reference

        signed_revision = reader.xrefs.get_last_change(Reference(emb.sig_num, 0, reader))
    total = reader.xrefs.total_revisions
    after = max(0, total - 1 - signed_revision)
    if coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return Modification(
            level="other",
            coverage=cov,
            revisions_after=after,
            suspicious=True,
            messages=("the signed byte range does not cover a whole revision of the file",),
        )
    changes: list[str] = []
    level = ModificationLevel.NONE
    messages: list[str] = []
    suspicious = False

    def undecided(message: str) -> Modification:
        changed = tuple(changes)
        return Modification(
            level=None, coverage=cov, revisions_after=after, changes=changed, suspicious=None, messages=(message,)
        )

    try:
        base = reader.get_historical_resolver(signed_revision)
        for rev in range(signed_revision + 1, total):
            try:
                result = DEFAULT_DIFF_POLICY.apply(
                    old=base,
                    new=reader.get_historical_resolver(rev),
                    field_mdp_spec=emb.fieldmdp,
                    doc_mdp=emb.docmdp_level,
                )
            except SuspiciousModification as exc:
                docmdp = emb.docmdp_level
                if docmdp is not None and int(docmdp.value) == 3 and str(exc).startswith("There are unexplained xrefs"):
                    # pyHanko's standard policy has no rule for annotations and says it was not designed
                    # for DocMDP P=3: objects it cannot explain there are undecided, the second opinion
                    # (which tells annotations from content) decides
                    return undecided(
                        f"pyHanko's diff policy does not cover DocMDP P=3 (annotations): revision {rev}: "
                        f"{str(exc).splitlines()[0]}"
                    )
                suspicious = True
                changes.append(f"revision {rev}: other")
                messages.append(f"revision {rev} changed the content after signing: {exc}")
                level = ModificationLevel.OTHER
                break
            level = max(level, result.modification_level)
            changes.append(f"revision {rev}: {LEVEL_NAMES[result.modification_level.name]}")
    except (
        Exception
    ) as exc:  # pyHanko's diff analysis fails on manipulated files: undecided, the second opinion decides
        return undecided(f"pyHanko could not analyse the changes after signing: {type(exc).__name__}: {exc}")
    if level is ModificationLevel.OTHER and not suspicious:
        suspicious = True
        messages.append("a later revision changed more than form fields, annotations or validation data")
    docmdp = emb.docmdp_level
    if docmdp is not None and not suspicious:
        allowed = {
            1: ModificationLevel.LTA_UPDATES,
            2: ModificationLevel.FORM_FILLING,
            3: ModificationLevel.ANNOTATIONS,
        }
        limit = allowed.get(int(docmdp.value), ModificationLevel.ANNOTATIONS)
        if level > limit:
            suspicious = True
            messages.append(
                f"the certification signature allows {LEVEL_NAMES[limit.name]} only (DocMDP P={docmdp.value})"
            )
    return Modification(
        level=LEVEL_NAMES[level.name],
        coverage=cov,
        revisions_after=after,
        changes=tuple(changes),
        suspicious=suspicious,
        messages=tuple(messages),
    )


class ChangeEngine(Protocol):
    """One opinion on what changed after signing (tests inject one that fails)."""

    def __call__(self, emb: Any, reader: Any, coverage: Any, data: bytes, byte_range: Sequence[int]) -> Modification:
        """What the revisions after the signed one changed; `suspicious=None` when it cannot decide."""
        ...


def pyhanko_opinion(emb: Any, reader: Any, coverage: Any, data: bytes, byte_range: Sequence[int]) -> Modification:
    """The first opinion: pyHanko's standard diff policy (`reader` is a `Readers`)."""
    del data, byte_range
    return _first_opinion(emb, reader, coverage)


def bytes_opinion(emb: Any, reader: Any, coverage: Any, data: bytes, byte_range: Sequence[int]) -> Modification:
    """The second opinion: intake's own reading of the cross-reference sections (`intake.verifier.revisions`)."""
    del reader, coverage
    signed_end = byte_range[-2] + byte_range[-1]
    docmdp = emb.docmdp_level
    final = emb.revision if isinstance(emb, FastSignature) else None
    found = revisions.analyse(data, signed_end, int(docmdp.value) if docmdp is not None else None, final)
    wrapping = revisions.signature_dict_issues(data, byte_range[0] + byte_range[1], byte_range[2])
    messages = [*found.violations, *wrapping, *found.notes]
    if found.error is not None:
        messages.append(f"the revisions after signing could not be read: {found.error}")
    suspicious = True if wrapping else found.suspicious
    objects = tuple(
        f"{what}: {', '.join(map(str, nums))}"
        for what, nums in (("added", found.added), ("redefined", found.redefined), ("freed", found.freed))
        if nums
    )
    return Modification(
        level=found.level,
        revisions_after=found.revisions_after,
        objects=objects,
        suspicious=suspicious,
        messages=tuple(messages),
        changed_pages=found.pages,
    )


DEFAULT_ENGINES: Final[tuple[ChangeEngine, ...]] = (pyhanko_opinion, bytes_opinion)


def _modification(
    emb: Any, reader: Any, coverage: Any, data: bytes, byte_range: Sequence[int], engines: Sequence[ChangeEngine]
) -> Modification:
    """Every opinion on what changed after signing, combined: any that objects fails the signature;
    undecided only when none decides; an engine that raises is an opinion that cannot decide."""
    opinions: list[Modification] = []
    for engine in engines:
        name = getattr(engine, "__name__", type(engine).__name__)
        try:
            opinions.append(engine(emb, reader, coverage, data, byte_range))
        except Exception as exc:  # an analysis that breaks decides nothing (and never passes)
            opinions.append(
                Modification(
                    suspicious=None, messages=(f"{name} could not analyse the changes: {type(exc).__name__}: {exc}",)
                )
            )
    if not opinions:
        return Modification(suspicious=None, messages=("no analysis of the changes after signing ran",))
    votes = [m.suspicious for m in opinions]
    suspicious = True if True in votes else (False if False in votes else None)
    first = opinions[0]
    levels = [m.level for m in opinions if m.level is not None]
    level = max(levels, key=revisions.LEVELS.index) if levels else None
    messages: list[str] = []
    for m in opinions:
        messages.extend(x for x in m.messages if x not in messages)
    if suspicious is None:
        messages.append("no analysis could decide what changed after signing")
    names = [getattr(e, "__name__", type(e).__name__) for e in engines]
    return Modification(
        level=level,
        coverage=first.coverage
        if first.coverage is not None
        else next((m.coverage for m in opinions if m.coverage), None),
        revisions_after=max((m.revisions_after for m in opinions if m.revisions_after is not None), default=None),
        changes=tuple(c for m in opinions for c in m.changes),
        objects=tuple(c for m in opinions for c in m.objects),
        suspicious=suspicious,
        messages=tuple(messages),
        opinions=tuple(f"{n}: {_verdict(m)}" for n, m in zip(names, opinions, strict=True)),
        changed_pages=tuple(sorted({p for m in opinions for p in m.changed_pages})),
    )


def _verdict(m: Modification) -> str:
    if m.suspicious is None:
        return "undecided"
    return f"{'changed' if m.suspicious else 'permitted'} ({m.level})"


def _timestamp_report(
    emb: Any, content: RangesContent, ctx: VerificationContext, source: str, extras: tuple[Any, Any, Any, Any]
) -> SignatureReport:
    """A document timestamp (ETSI.RFC3161): the TSA's signature over TSTInfo, whose imprint is the range digest."""
    signed = emb.signed_data
    payload = attached_content(signed)
    if payload is None:
        return _fail(source, f"{source}: the document timestamp carries no TSTInfo", "pdf:ETSI.RFC3161")
    try:
        tst = tsp.TSTInfo.load(payload)
        imprint = tst["message_imprint"]
        gen_time = tst["gen_time"].native
        matches = content.digest(imprint["hash_algorithm"]["algorithm"].dotted) == imprint["hashed_message"].native
    except (ValueError, KeyError, TypeError) as exc:
        return _fail(source, f"{source}: the document timestamp cannot be read: {exc}", "pdf:ETSI.RFC3161")
    except UnsupportedAlgorithm as exc:
        return SignatureReport(
            indication="INDETERMINATE", subindication="CRYPTO_CONSTRAINTS_FAILURE", source=source, messages=(str(exc),)
        )
    (report,) = verify_signed_data(
        signed,
        BytesContent(payload),
        ctx.at_moment(gen_time),
        fmt="pdf:ETSI.RFC3161",
        source=source,
        extra_certs=extras[0],
        extra_crls=extras[1],
        extra_ocsps=extras[2],
        extra_origins=extras[3],
    )[:1]
    update: dict[str, object] = {"signing_time": gen_time, "signing_time_source": "timestamp", "timestamp": gen_time}
    if not matches:
        update.update(
            indication="TOTAL_FAILED",
            subindication="HASH_FAILURE",
            intact=False,
            messages=(*report.messages, "the timestamp's message imprint is not the digest of the signed byte range"),
        )
    return report.model_copy(update=update)


def _broken_field(sig_field: Any, source: str, exc: Exception) -> SignatureReport:
    """A filled signature field pyHanko cannot turn into a signature: say what its value lacks."""
    why = f"{type(exc).__name__}: {str(exc)[:200]}"
    try:
        value = sig_field.get_object()["/V"].get_object()
        contents = value.get("/Contents")
        if "/ByteRange" not in value:
            why = "its signature dictionary has no /ByteRange (the signed bytes are not named)"
        elif contents is None or not bytes(contents):
            why = "its signature dictionary has no /Contents (no signature value)"
    except Exception:  # the field is damaged beyond that: the exception says it
        pass
    return _fail(source, f"{source}: a signature field holds a broken signature: {why}")


def _signatures(reader: Any, name: str) -> list[tuple[str, Any | SignatureReport]]:
    """Every filled signature field, as (source, pyHanko's EmbeddedPdfSignature or a failure report).

    pyHanko's own list skips fields whose /SubFilter it does not know and stops at the first field it
    cannot parse; here each filled field is taken on its own, so a broken one is a failed signature
    and never hides the others or makes a signed PDF read as unsigned.
    """
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    found: list[tuple[int, int, str, Any]] = []
    for index, (fq_name, _value, sig_field) in enumerate(enumerate_sig_fields(reader, filled_status=True)):
        source = f"{name}#{fq_name or 'signature'}"
        try:
            emb: Any = EmbeddedPdfSignature(reader, sig_field, fq_name)
            revision = int(emb.signed_revision)
        except Exception as exc:  # pyHanko raises many kinds on a damaged signature dictionary
            found.append((1 << 30, index, source, _broken_field(sig_field, source, exc)))
            continue
        found.append((revision, index, source, emb))
    return [(source, item) for _, _, source, item in sorted(found, key=lambda t: (t[0], t[1]))]


_HEX_HOLE = re.compile(rb"<[0-9A-Fa-f\s]*>")


class Readers:
    """pyHanko's reader of the file, opened on first use (a signature over the whole file never needs it).

    With `holes` (the /Contents hex strings of the signatures, each checked to hold hex digits only),
    the reader sees each as the number `0.000...` of the same length, offsets unchanged. pyHanko's
    diff policy never reads /Contents (the signature values are verified by `intake.verifier.cms`),
    but its tokenizer spends about 9 microseconds on each hex digit (a byte at a time, several times
    per revision), while it reads a number 16 bytes at a time.
    """

    def __init__(self, data: bytes, holes: Sequence[tuple[int, int]] = ()) -> None:
        self.data = data
        self.holes = holes
        self._reader: Any = None

    @property
    def reader(self) -> Any:
        """pyHanko's `PdfFileReader` (non-strict)."""
        if self._reader is None:
            from pyhanko.pdf_utils.reader import PdfFileReader

            view = self.data
            if self.holes:
                buf = bytearray(self.data)
                for start, end in self.holes:
                    if end - start >= 4 and _HEX_HOLE.fullmatch(buf, start, end):
                        buf[start:end] = b"0." + b"0" * (end - start - 2)
                view = bytes(buf)
            self._reader = PdfFileReader(io.BytesIO(view), strict=False)
        return self._reader


class FastSignature:
    """What intake uses of pyHanko's `EmbeddedPdfSignature`, read from the bytes by `intake.verifier.revisions`.

    pyHanko tokenises the /Contents hex string byte by byte (about 7 ms for 16 KB reserved); here it is
    one `bytes.fromhex`. A file this reader cannot take goes through pyHanko's path instead.
    """

    def __init__(self, found: revisions.SignatureField, docmdp: int | None, rev: revisions.Revision) -> None:
        from pyhanko.sign.fields import MDPPerm

        byte_range = found.sig.get("/ByteRange")
        if not (isinstance(byte_range, list) and all(isinstance(v, int) for v in byte_range)):
            raise revisions.Malformed(f"signature {found.name}: /ByteRange is not a list of integers")
        self.sig_object = found.sig
        self.sig_object_type = found.sig.get("/Type", "/Sig")
        self.byte_range: list[int] = byte_range
        self.pkcs7_content = found.contents
        self.signed_revision = found.revision
        self.sig_num = found.num
        self.fieldmdp = None
        self.docmdp_level = MDPPerm(docmdp) if docmdp else None
        self.coverage: Any = None
        self.revision = rev
        self._signed_data: Any = None

    @property
    def signed_data(self) -> Any:
        """The CMS SignedData in /Contents."""
        if self._signed_data is None:
            from asn1crypto import cms as asn1_cms

            self._signed_data = asn1_cms.ContentInfo.load(self.pkcs7_content)["content"]
        return self._signed_data

    def evaluate_signature_coverage(self) -> Any:
        """pyHanko's coverage levels, computed as `EmbeddedPdfSignature.evaluate_signature_coverage` does."""
        from pyhanko.sign.validation.status import SignatureCoverageLevel

        if len(self.byte_range) != 4 or self.byte_range[0] != 0:
            return SignatureCoverageLevel.UNCLEAR
        _, len1, start2, len2 = self.byte_range
        hole = len(self.pkcs7_content) * 2 + 2
        signed_zone = len1 + len2 + hole
        if len(self.revision.data) == signed_zone:
            return SignatureCoverageLevel.ENTIRE_FILE
        if start2 != len1 + hole:
            return SignatureCoverageLevel.UNCLEAR
        try:
            signed_chain = self.revision.chain(signed_zone)
        except revisions.Malformed:
            return SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START
        sections = self.revision.sections
        index = len(sections) - 1 - self.signed_revision
        if not 0 <= index < len(sections) or sections[index].offset != signed_chain[0].offset:
            return SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START
        return SignatureCoverageLevel.ENTIRE_REVISION


def _fast_signatures(
    data: bytes, name: str
) -> tuple[Readers, list[tuple[str, Any | SignatureReport]], tuple[Any, Any, Any]] | None:
    """The signatures and DSS read by intake's own parser; None when it cannot (pyHanko's path then)."""
    try:
        rev = revisions.open_file(data)
        found = revisions.signature_fields(rev)
        if not found:
            return None  # unsigned or unusual: let pyHanko look for fields this reader may miss
        sigs: list[tuple[int, str, Any]] = [
            (f.revision, f"{name}#{f.name or 'signature'}", FastSignature(f, revisions.docmdp_of(rev, f), rev))
            for f in found
        ]
        dss = revisions.dss_values(rev)
    except (revisions.Malformed, ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None
    if dss is None:
        return None
    certs = _load_all(dss["/Certs"], x509.Certificate)
    crls = _load_all(dss["/CRLs"], asn1_crl.CertificateList)
    ocsps = _load_all(dss["/OCSPs"], asn1_ocsp.OCSPResponse)
    ordered = [(source, emb) for _, source, emb in sorted(sigs, key=lambda t: t[0])]
    holes = [
        (emb.byte_range[0] + emb.byte_range[1], emb.byte_range[2]) for _, _, emb in sigs if len(emb.byte_range) == 4
    ]
    return Readers(data, holes), ordered, (certs, crls, ocsps)


def _load_all(blobs: list[bytes], kind: Any) -> list[Any]:
    out = []
    for blob in blobs:
        try:
            item = kind.load(blob)
            item.native  # noqa: B018 -- parse now: a broken item is skipped here, not raised later
            out.append(item)
        except (ValueError, TypeError, AttributeError):
            continue
    return out


def verify_pdf(
    path: Path, name: str, ctx: VerificationContext, engines: Sequence[ChangeEngine] = DEFAULT_ENGINES
) -> tuple[SignatureReport, ...]:
    """Every signature and document timestamp of a PDF, each with its modification analysis.

    `engines` are the opinions on what changed after signing (pyHanko's, then intake's own); the
    signature fails when one objects, and is never passed when none can decide.

    Never raises for a damaged file or signature: each becomes a FORMAT_FAILURE report naming it.

    Raises:
        ConfigurationError: The trust store or revocation files of `ctx` cannot be used.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        return (_fail(name, f"{name}: cannot be read: {exc}"),)
    if b"/ByteRange" not in data and b"/Sig" not in data:
        return ()  # no signature dictionary nor signature field: not signed
    fast = _fast_signatures(data, name)
    if fast is not None:
        reader, signatures, _ = fast
        # the DSS with its /VRI entries and where each item came from (long-term validation data)
        try:
            extras = _dss(reader.reader) if b"/DSS" in data else ([], [], [], {})
        except Exception:  # pyHanko cannot read what intake's parser could (a damaged tail): no DSS data
            extras = ([], [], [], {})  # taken from it; each signature is judged without it (never passed for it)
    else:
        try:
            reader = Readers(data)
            signatures = _signatures(reader.reader, name)
        except Exception as exc:  # pyHanko raises many kinds on damaged files
            if b"/ByteRange" not in data:
                return ()  # unreadable and no signature value in it: the files checks report the damage
            return (_fail(name, f"{name}: the PDF signature structure cannot be read: {type(exc).__name__}: {exc}"),)
        extras = _dss(reader.reader)
    out: list[SignatureReport] = []
    verified: list[tuple[Any, SignatureReport]] = []
    pictures: dict[int, tuple[ChangedRegion, ...] | None] = {}
    for source, emb in signatures:
        if isinstance(emb, SignatureReport):
            out.append(emb)
            continue
        try:
            out.append(_verify_embedded(emb, reader, data, ctx, source, extras, engines, pictures))
            verified.append((emb, out[-1]))
        except ConfigurationError:
            raise
        except Exception as exc:  # one damaged signature never hides the others nor stops the run
            out.append(_fail(source, f"{source}: the signature cannot be read: {type(exc).__name__}: {exc}"))
    if any(r.format == f"pdf:{TIMESTAMP_SUBFILTER[1:]}" for _, r in verified):
        later = _with_document_timestamps(verified, data, ctx, extras)
        out = [later.get(id(r), r) for r in out]
    return tuple(out)


def _signed_end(emb: Any) -> int:
    byte_range = [int(x) for x in emb.byte_range]
    return byte_range[-2] + byte_range[-1]


def _with_document_timestamps(
    verified: Sequence[tuple[Any, SignatureReport]], data: bytes, ctx: VerificationContext, extras: tuple[Any, ...]
) -> dict[int, SignatureReport]:
    """Past signature validation with a document timestamp as the proof of existence (EN 319 102-1 5.6.2.4).

    A signature without a signature timestamp of its own that is undecided at the validation moment
    (its certificate expired since, revoked with no proof of when it signed) is validated again at the
    genTime of the earliest document timestamp that covers the revision holding it and verifies with its
    own chain. The new report replaces the old one only when it passes; otherwise the old one stays and
    says why the document timestamp did not help. Changes after signing are judged as before (the
    signature's own analysis covers every later revision, the document timestamp's revision included).
    Returns the replacement reports by ``id`` of the old ones.
    """
    stamps = sorted(
        (
            (r.timestamp, _signed_end(emb), r.signer.common_name or r.signer.subject)
            for emb, r in verified
            if r.format == f"pdf:{TIMESTAMP_SUBFILTER[1:]}"
            and r.indication == "TOTAL_PASSED"
            and r.timestamp is not None
            and r.timestamp <= ctx.at
            and int(emb.byte_range[0]) == 0
        ),
        key=lambda t: t[0],
    )
    out: dict[int, SignatureReport] = {}
    for emb, report in verified:
        if (
            report.indication != "INDETERMINATE"
            or report.proof_of_existence is not None
            or report.format not in {f"pdf:{s[1:]}" for s in DETACHED_SUBFILTERS}
        ):
            continue
        end = _signed_end(emb)
        stamp = next((s for s in stamps if s[1] >= end), None)
        if stamp is None:
            continue
        time, _, authority = stamp
        assert time is not None  # filtered above; for mypy
        proof = ProofOfExistence(time=time, source="document_timestamp", timestamp_authority=authority)
        byte_range = [int(x) for x in emb.byte_range]
        content = RangesContent(data, list(zip(byte_range[::2], byte_range[1::2], strict=True)))
        again = verify_signed_data(
            emb.signed_data,
            content,
            ctx.with_proof(proof),
            fmt=report.format or "pdf",
            source=report.source,
            extra_certs=extras[0],
            extra_crls=extras[1],
            extra_ocsps=extras[2],
            extra_origins=extras[3],
        )[0]
        if again.indication == "TOTAL_PASSED" and report.modification is not None:
            out[id(report)] = _judged(again, report.modification)
        else:
            why = f"{again.indication}/{again.subindication}: {again.messages[-1] if again.messages else ''}"
            out[id(report)] = report.model_copy(
                update={
                    "messages": (
                        *report.messages,
                        f"the document timestamp of {time.isoformat()} by {authority} does not prove this "
                        f"signature valid: at that moment {why}",
                    )
                }
            )
    return out


def _verify_embedded(
    emb: Any,
    reader: Any,
    data: bytes,
    ctx: VerificationContext,
    source: str,
    extras: tuple[Any, Any, Any, Any],
    engines: Sequence[ChangeEngine] = DEFAULT_ENGINES,
    pictures: dict[int, tuple[ChangedRegion, ...] | None] | None = None,
) -> SignatureReport:
    """One embedded signature or document timestamp, with what changed after it."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        sub_filter = str(emb.sig_object.get("/SubFilter", ""))
        kind = str(emb.sig_object_type)
        fmt = f"pdf:{sub_filter.lstrip('/')}"
        byte_range = [int(x) for x in emb.byte_range]
        coverage = emb.evaluate_signature_coverage()
        emb.coverage = coverage
    except Exception as exc:
        return _fail(source, f"{source}: the signature dictionary cannot be read: {type(exc).__name__}: {exc}")
    if (
        not byte_range
        or len(byte_range) % 2
        or any(v < 0 for v in byte_range)
        or max(s + n for s, n in zip(byte_range[::2], byte_range[1::2], strict=True)) > len(data)
    ):
        return _fail(source, f"{source}: the /ByteRange {byte_range} points outside the file", fmt)
    pictures = {} if pictures is None else pictures
    content = RangesContent(data, list(zip(byte_range[::2], byte_range[1::2], strict=True)))
    modification = _modification(emb, reader, coverage, data, byte_range, engines)
    if modification.revisions_after or modification.suspicious is not False:
        modification = _with_pixels(modification, data, byte_range, ctx, source, pictures)
    if coverage is SignatureCoverageLevel.UNCLEAR:
        report = _fail(
            source,
            f"{source}: the /ByteRange {byte_range} leaves a gap or overlaps: not a standard PDF signature",
            fmt,
        )
    elif kind == "/DocTimeStamp" or sub_filter == TIMESTAMP_SUBFILTER:
        report = _timestamp_report(emb, content, ctx, source, extras)
    elif sub_filter not in DETACHED_SUBFILTERS:
        report = SignatureReport(
            indication="INDETERMINATE",
            subindication="FORMAT_FAILURE" if sub_filter != "/adbe.pkcs7.sha1" else "CRYPTO_CONSTRAINTS_FAILURE",
            format=fmt,
            source=source,
            messages=(f"{source}: /SubFilter {sub_filter or 'missing'} is not supported",),
        )
    elif attached_content(emb.signed_data) is not None:
        report = _fail(source, f"{source}: a detached PDF signature must not carry encapsulated content", fmt)
    else:
        reports = verify_signed_data(
            emb.signed_data,
            content,
            ctx,
            fmt=fmt,
            source=source,
            extra_certs=extras[0],
            extra_crls=extras[1],
            extra_ocsps=extras[2],
            extra_origins=extras[3],
        )
        report = reports[0]
    return _judged(report, modification)


def _judged(report: SignatureReport, modification: Modification) -> SignatureReport:
    """The report of the signature's CMS with what changed after signing: changed fails it, undecided
    keeps it from passing."""
    update: dict[str, object] = {"modification": modification}
    if modification.suspicious and report.indication != "TOTAL_FAILED":
        update.update(
            indication="TOTAL_FAILED",
            subindication="FORMAT_FAILURE",
            messages=(*report.messages, "the document was changed after signing", *modification.messages),
        )
    elif modification.suspicious is None and report.indication == "TOTAL_PASSED":
        # 27.2: a signature whose later revisions no analysis can read is undecided, never passed
        update.update(
            indication="INDETERMINATE",
            subindication="GENERIC",
            messages=(*report.messages, "what changed after signing could not be analysed", *modification.messages),
        )
    return report.model_copy(update=update)


def _with_pixels(
    modification: Modification,
    data: bytes,
    byte_range: Sequence[int],
    ctx: VerificationContext,
    source: str,
    pictures: dict[int, tuple[ChangedRegion, ...] | None],
) -> Modification:
    """The page regions that look different after signing; pixels changed by 'validation data only' fail it."""
    signed_end = byte_range[-2] + byte_range[-1]
    if signed_end >= len(data.rstrip()):
        return modification
    if signed_end not in pictures:
        folder = ctx.evidence
        stem = "".join(c if c.isalnum() else "_" for c in source)[-80:]
        pictures[signed_end] = pixels.compare(data, signed_end, folder if isinstance(folder, Path) else None, stem)
    regions = pictures[signed_end]
    update: dict[str, object] = {"rendered": regions is not None, "regions": regions or ()}
    if regions and modification.suspicious is False and modification.level in ("none", "timestamps/dss"):
        pages = sorted({r.page for r in regions})
        update.update(
            suspicious=True,
            messages=(
                *modification.messages,
                f"page {', '.join(map(str, pages))} looks different after a revision that only added validation data",
            ),
        )
    return modification.model_copy(update=update)
