"""The only orchestrator: `check(path, settings) -> Report`.

Facts first (files, pages, signatures, text, details), then the checks over those facts, then the
report. Nothing here prints; `intake.cli` does.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from intake import (
    __version__,
    application,
    causes,
    details,
    eligibility,
    evidence,
    forensics,
    ocr,
    pricing,
    signatures,
    thumbnails,
    workdays,
)
from intake.checks import run_checks
from intake.files import (
    Limits,
    OpenedDossier,
    canonical_extension,
    canonical_name,
    display_path,
    gather_file,
    identify_by_content,
    open_dossier,
)
from intake.models import (
    Applicant,
    ChangeApplication,
    DocumentEntry,
    Dossier,
    FileFacts,
    FileRole,
    Finding,
    OrganizationApplication,
    Outcome,
    RemovalApplication,
    Report,
    Severity,
    SignatureReport,
    SpecialistApplication,
    Summary,
    Verdict,
)
from intake.rules import DOCUMENTS, PROFILE

EGOV_MAX_PAGES = 3  # egov справки are one or two pages; longer documents are not scanned for their codes


@dataclass(frozen=True)
class Settings:
    """Everything a run depends on besides the dossier; `at` is the validation moment."""

    at: datetime
    trust: tuple[str, ...] = ()
    crls: tuple[Path, ...] = ()
    ocsp: tuple[Path, ...] = ()
    online: bool = False
    revocation: signatures.RevocationPolicy = signatures.RevocationPolicy.REQUIRE
    submitted: datetime | None = None
    rates: Path | None = None
    attestations: Path | None = None
    attestation_max_age_days: int = eligibility.DEFAULT_MAX_AGE_DAYS
    limits: Limits = field(default_factory=Limits)
    ocr_engine: ocr.OcrEngine = field(default_factory=ocr.TesseractEngine)
    evidence: Path | None = None  # write a cropped PNG per failed/review scan finding here (--evidence)
    progress: ocr.Progress | None = None  # called (pages read, pages to read) while pages are OCR'd
    forensics_max_bytes: int = forensics.MAX_BYTES  # a larger PDF is not examined for editing (SCAN007)

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("the validation moment must carry a time zone")


def verdict_of(findings: Iterable[Finding]) -> Verdict:
    """pass: nothing blocking failed or undecided, nothing for review; fail: a blocking finding failed;
    review: otherwise (a blocking check undecided, or a review finding failed or undecided)."""
    review = False
    for f in findings:
        if f.outcome is Outcome.PASSED or f.severity is Severity.INFO:
            continue
        if f.severity is Severity.BLOCKING and f.outcome is Outcome.FAILED:
            return Verdict.FAIL
        review = True
    return Verdict.REVIEW if review else Verdict.PASS


def summarise(findings: Iterable[Finding]) -> Summary:
    """Counts per outcome and per severity × outcome."""
    items = list(findings)
    outcomes = Counter(f.outcome.value for f in items)
    severities: dict[str, dict[str, int]] = {s.value: {o.value: 0 for o in Outcome} for s in Severity}
    for f in items:
        severities[f.severity.value][f.outcome.value] += 1
    return Summary(
        total=len(items),
        outcomes={o.value: outcomes.get(o.value, 0) for o in Outcome},
        severities=severities,
    )


def _timeline(submitted: datetime | None) -> tuple[workdays.Timeline | None, str | None]:
    """The due dates of paragraphs 21-28 from the submission moment, or why they cannot be computed."""
    if submitted is None:
        return None, None
    try:
        return workdays.timeline(submitted, workdays.default_calendar()), None
    except (OverflowError, ValueError) as exc:  # e.g. a submission in year 9999: the dates leave the calendar
        return None, f"submission moment {submitted.isoformat()}: {exc}"


def _gather(opened: OpenedDossier, settings: Settings, work: Path) -> Dossier:
    """Facts of the dossier: the application, and per file its signatures and text."""
    rates = pricing.load_rates(settings.rates) if settings.rates is not None else None  # bad file: exit 2
    loaded = application.load(opened.application_path())
    ctx = signatures.VerificationContext(
        at=settings.at,
        trust=settings.trust,
        crls=settings.crls,
        ocsp=settings.ocsp,
        online=settings.online,
        revocation=settings.revocation,
        # crops of the page regions that changed after a PDF was signed
        evidence=settings.evidence / "signatures" if settings.evidence is not None else None,
    )
    prepared: list[tuple[FileFacts, dict[str, object], tuple[SignatureReport, ...]]] = []
    for f in opened.files:
        # An attached CMS (.p7m) is verified and its content becomes the document (issue 3, point 1),
        # written into the dossier's own work folder, which goes when the run ends.
        attached: tuple[SignatureReport, ...] = ()
        if (opened_cms := signatures.open_attached(f, ctx, work, gather_file)) is not None:
            f, attached = opened_cms.facts, opened_cms.reports  # noqa: PLW2901
        update: dict[str, object] = {}
        sigs: tuple[SignatureReport, ...] = ()
        if f.role in (FileRole.APPLICATION, FileRole.DOCUMENT, FileRole.ATTESTATION):
            sigs = signatures.verify_file(f, opened.root, ctx, attached)
            update["signatures"] = sigs
        prepared.append((f, update, sigs))
    # The pages of all documents go through one OCR process pool (one worker per core, pages streamed).
    texts = {
        doc.name: (pages, error)
        for doc, pages, error in ocr.read_documents(
            [f for f, _, _ in prepared if f.role is FileRole.DOCUMENT], settings.ocr_engine, settings.progress
        )
    }
    files: list[FileFacts] = []
    for f, update, _ in prepared:
        if f.role is FileRole.DOCUMENT:
            pages, error = texts[f.name]
            if pages:  # a name that names several documents equally: the first page's text decides
                f = f.model_copy(update={"identification": identify_by_content(f.identification, pages[0].text)})  # noqa: PLW2901
            found = sigs
            if f.pages is not None and f.pages <= EGOV_MAX_PAGES:
                # egov.kz printouts (issue 15): the signed XML in their QR codes, compared with the page text.
                text = "\n".join(p.text for p in pages)
                egov = signatures.verify_egov(f.path, f.name, ctx, text, unreadable=False, dpi=200)
                if egov:
                    found = (*sigs, *egov)
                    update["signatures"] = found
            update["text"] = pages
            update["text_error"] = error
            update["forensics"] = forensics.gather(f, settings.forensics_max_bytes)
            update["details"] = details.extract(pages, document_type=f.identification.document_type)
        files.append(f.model_copy(update=update))
    app = loaded.application
    submitted = settings.submitted or (app.submitted_at if app is not None else None)
    # State-system attestations (issue 7): read here as facts, judged by intake.judgements.on_eligibility.
    sources: list[eligibility.AttestationSource] = [eligibility.DossierSource(files)]
    if settings.attestations is not None:
        sources.append(
            eligibility.DirectorySource(settings.attestations, lambda f, root: signatures.verify_file(f, root, ctx))
        )
    timeline, timeline_error = _timeline(submitted)
    return Dossier(
        source=opened.source,
        at=settings.at,
        kind=loaded.kind,
        application=app,
        application_file=app_path.name if (app_path := opened.application_path()) else None,
        application_raw=loaded.raw,
        application_problems=loaded.problems,
        files=tuple(files),
        submitted_at=submitted,
        timeline=timeline,
        timeline_error=timeline_error,
        revocation_policy=settings.revocation.value,
        attestations=eligibility.collect(sources),
        attestation_max_age_days=settings.attestation_max_age_days,
        rates=rates,
        rates_source=f"--rates {settings.rates}" if rates is not None else None,
        intake=opened.intake,
    )


def _entry(f: FileFacts) -> DocumentEntry:
    ident = f.identification
    canonical = None
    if ident.document_type and f.pages:
        doc = DOCUMENTS.get(ident.document_type)
        if doc is not None:
            canonical = canonical_name(doc.order, doc.id, f.pages, canonical_extension(f))
    sources = {p.source for p in f.text}
    return DocumentEntry(
        file=f.name,
        document_type=ident.document_type,
        pages=f.pages,
        declared_pages=ident.declared_pages,
        sha256=f.sha256,
        signatures=f.signatures,
        role=f.role,
        size=f.size,
        media_type=f.media_type,
        canonical_name=canonical,
        text_source="+".join(sorted(sources)) if sources else None,
        details=f.details,
        page_sizes=tuple((p.width, p.height) for p in f.text),
    )


def applicant_of(dossier: Dossier) -> Applicant | None:
    """The applicant as the application records it; from the raw fields when the application is invalid."""
    app = dossier.application
    number = app.registration_number if app is not None else None
    if isinstance(app, ChangeApplication):
        app = app.updated
    if isinstance(app, OrganizationApplication):
        return Applicant(
            kind=dossier.kind, name=app.full_name, bin=app.bin, email=app.contacts.email, registration_number=number
        )
    if isinstance(app, SpecialistApplication):
        n = app.name
        name = " ".join(x for x in (n.last_name, n.first_name, n.patronymic) if x)
        return Applicant(
            kind=dossier.kind, name=name, iin=app.iin, email=app.contacts.email, registration_number=number
        )
    if isinstance(app, RemovalApplication):
        return Applicant(
            kind=dossier.kind,
            name=app.supplier_name,
            bin=app.bin,
            iin=app.iin,
            email=app.contacts.email,
            registration_number=number,
        )
    raw = dossier.application_raw
    if not isinstance(raw, dict):
        return None

    def text(value: object) -> str | None:
        return value if isinstance(value, str) and value.strip() else None

    contacts = raw.get("contacts")
    person = raw.get("name")
    label = text(raw.get("full_name")) or text(raw.get("supplier_name"))
    if label is None and isinstance(person, dict):
        label = (
            " ".join(x for x in (text(person.get(k)) for k in ("last_name", "first_name", "patronymic")) if x) or None
        )
    return Applicant(
        kind=dossier.kind,
        name=label,
        bin=text(raw.get("bin")),
        iin=text(raw.get("iin")),
        email=text(contacts.get("email")) if isinstance(contacts, dict) else None,
        registration_number=text(raw.get("registration_number")),
    )


def check(source: Path, settings: Settings) -> Report:
    """Screen one dossier (a folder or a .zip) and return its completeness report.

    Raises:
        IntakeError: when the path is not a dossier at all (exit code 2).
    """
    return check_with_thumbnails(source, settings, pages=0)[0]


def check_with_thumbnails(
    source: Path, settings: Settings, *, pages: int = 2, width: int = 320
) -> tuple[Report, tuple[thumbnails.Thumbnail, ...]]:
    """`check`, and small images of the first `pages` pages of each document, made while the dossier is open."""
    with open_dossier(source, settings.limits) as opened, tempfile.TemporaryDirectory(prefix="intake-work-") as work:
        dossier = _gather(opened, settings, Path(work))
        findings = tuple(run_checks(dossier))
        if settings.evidence is not None:
            findings = evidence.write(findings, dossier.files, settings.evidence)
        entries = tuple(_entry(f) for f in dossier.files)
        thumbs = tuple(thumbnails.render(dossier.files, pages=pages, width=width)) if pages > 0 else ()
    report = Report(
        tool=f"intake {__version__}",
        profile=PROFILE,
        dossier=display_path(source),
        validated_at=settings.at,
        verdict=verdict_of(findings),
        kind=dossier.kind,
        documents=entries,
        findings=findings,
        summary=summarise(findings),
        timeline=dossier.timeline,
        revocation_policy=settings.revocation.value,
        applicant=applicant_of(dossier),
        causes=causes.group(findings, entries),
    )
    return report, thumbs
