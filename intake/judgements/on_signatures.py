"""SIG: EDS signatures of the application and the documents (paragraphs 7, 15, 27.2).

Facts come from `intake.signatures` (one `SignatureReport` per signature); these checks judge them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from intake.judgements import Check
from intake.models import (
    ChangeApplication,
    Dossier,
    FileFacts,
    FileRole,
    Finding,
    Kind,
    OrganizationApplication,
    Outcome,
    RemovalApplication,
    Say,
    SignatureReport,
    SpecialistApplication,
    say,
    say_n,
)
from intake.rules import finding

# Paragraph 7 (organization): the head or a person with the right to sign certifies the application.
APPLICANT_ROLES: Final = frozenset({"head", "signing_right"})
NOT_A_PERSON: Final = frozenset({"information_system", "treasury_client"})


def _basis(kind: Kind | None) -> str:
    return {Kind.SPECIALIST: "15", Kind.REMOVAL: "32"}.get(kind, "7") if kind else "7"


def _application_file(dossier: Dossier) -> FileFacts | None:
    return next((f for f in dossier.files if f.role is FileRole.APPLICATION), None)


def _label(sig: SignatureReport, f: FileFacts) -> str:
    return sig.source or f.name


def _who(sig: SignatureReport) -> Say:
    s = sig.signer
    ids = [say("{label} {value}", label=k, value=v) for k, v in (("IIN", s.iin), ("BIN", s.bin)) if v]
    shown = say("{first}, {second}", first=ids[0], second=ids[1]) if len(ids) == 2 else (ids[0] if ids else None)
    return say(
        "{name}{ids}", name=s.common_name or say("unknown signer"), ids=say(" ({ids})", ids=shown) if shown else ""
    )


def application_signed(dossier: Dossier) -> Iterator[Finding]:
    """SIG001: the application is certified with EDS."""
    app = _application_file(dossier)
    if app is None:
        return  # FORM001 reports the missing application
    if not app.signatures:
        yield finding(
            "SIG001",
            Outcome.FAILED,
            say("the application carries no EDS: expected application.json.cms (or .p7s, .sig) beside it"),
            document=app.name,
            basis=_basis(dossier.kind),
        )
        return
    yield finding(
        "SIG001",
        Outcome.PASSED,
        say_n(
            "the application carries {n} EDS signature ({files})",
            "the application carries {n} EDS signatures ({files})",
            len(app.signatures),
            files=", ".join(app.signature_files) or app.name,
        ),
        document=app.name,
        basis=_basis(dossier.kind),
    )


CAUSES: Final = {
    "no_trust_anchors": say("no trust anchors were given (pass --trust kz-nca, a certificate file or a folder)"),
    "no_revocation_data": say(
        "no revocation data could be had for the signers (pass --crl/--ocsp, allow --online, "
        "or judge with --revocation soft-fail)"
    ),
}


def signatures_valid(dossier: Dossier) -> Iterator[Finding]:
    """SIG002: each signature verifies (ETSI indication TOTAL_PASSED); a failed one is blocking (27.2).

    A cause that lies in the run rather than in a signature (no trust anchors given, no revocation data
    at all) is one undecided finding naming every file it affects, not one per signature.
    """
    outcome_of = {
        "TOTAL_PASSED": Outcome.PASSED,
        "TOTAL_FAILED": Outcome.FAILED,
        "INDETERMINATE": Outcome.INDETERMINATE,
    }
    shared: dict[str, list[tuple[FileFacts, SignatureReport]]] = {}
    for f in dossier.files:
        for sig in f.signatures:
            if sig.cause is not None and sig.indication == "INDETERMINATE":
                shared.setdefault(sig.cause, []).append((f, sig))
                continue
            sub = f"/{sig.subindication}" if sig.subindication else ""
            why = "; ".join(sig.messages)
            yield finding(
                "SIG002",
                outcome_of[sig.indication],
                say(
                    "{signature} by {signer}: {indication}{why}",
                    signature=_label(sig, f),
                    signer=_who(sig),
                    indication=f"{sig.indication}{sub}",
                    why=f": {why}" if why else "",
                ),
                document=f.name,
                evidence={
                    "indication": sig.indication,
                    "subindication": sig.subindication,
                    "signature": sig.source,
                    "intact": sig.intact,
                    "valid": sig.valid,
                    "trusted": sig.trusted,
                    "signing_time": sig.signing_time.isoformat() if sig.signing_time else None,
                    "signing_time_source": sig.signing_time_source,
                    "certificate_sha256": sig.signer.certificate_sha256,
                },
                basis="27.2" if sig.indication == "TOTAL_FAILED" else _basis(dossier.kind),
            )
    for cause, items in shared.items():
        files = list(dict.fromkeys(f.name for f, _ in items))
        yield finding(
            "SIG002",
            Outcome.INDETERMINATE,
            say(
                "{signatures} could not be checked: {cause}; files: {files}",
                signatures=say_n(
                    "{n} signature {in_files}",
                    "{n} signatures {in_files}",
                    len(items),
                    in_files=say_n("in {n} file", "in {n} files", len(files)),
                ),
                cause=CAUSES[cause],
                files=", ".join(files),
            ),
            document=files[0] if len(files) == 1 else None,
            evidence={
                "cause": cause,
                "files": files,
                "signatures": [sig.source for _, sig in items],
                "subindication": items[0][1].subindication,
            },
            basis=_basis(dossier.kind),
        )


def _expected_identity(dossier: Dossier) -> tuple[str | None, str | None]:
    """(BIN, IIN) the applicant's signature must carry."""
    app = dossier.application
    if isinstance(app, ChangeApplication):
        app = app.updated
    if isinstance(app, OrganizationApplication):
        return app.bin, None
    if isinstance(app, SpecialistApplication):
        return None, app.iin
    if isinstance(app, RemovalApplication):
        return app.bin, None if app.bin else app.iin
    return None, None


def _mismatch(sig: SignatureReport, bin_: str | None, iin: str | None) -> Say | None:
    """Why the signer is not the applicant, or None when it is (paragraphs 7, 15)."""
    s = sig.signer
    if bin_ is not None:
        if s.holder != "legal_entity":
            return say("an individual's certificate, not the organization's (BIN {bin})", bin=bin_)
        if s.bin != bin_:
            return say(
                "the certificate's BIN {found} is not the application's BIN {bin}", found=s.bin or say("none"), bin=bin_
            )
        if not APPLICANT_ROLES & set(s.roles):
            return say(
                "the holder's role is {role}, neither head nor an employee with signing right",
                role=s.role or say("unknown"),
            )
        return None
    if iin is not None:
        if s.holder == "legal_entity" or set(s.roles) & NOT_A_PERSON:
            return say("a legal entity's certificate, not the specialist's individual certificate")
        if s.iin != iin:
            return say(
                "the certificate's IIN {found} is not the application's IIN {iin}", found=s.iin or say("none"), iin=iin
            )
        return None
    return say("the application names no BIN or IIN to compare")


def signer_is_applicant(dossier: Dossier) -> Iterator[Finding]:
    """SIG003: the application is signed by the applicant (BIN + head/signing right, or IIN)."""
    app = _application_file(dossier)
    if app is None or not app.signatures:
        return  # FORM001 / SIG001 report it
    bin_, iin = _expected_identity(dossier)
    if bin_ is None and iin is None:
        yield finding(
            "SIG003",
            Outcome.INDETERMINATE,
            say("the application could not be read, so its BIN/IIN cannot be compared with the signer's"),
            document=app.name,
            basis=_basis(dossier.kind),
        )
        return
    reasons: list[Say] = []
    matching_unverified: SignatureReport | None = None
    for sig in app.signatures:
        why = _mismatch(sig, bin_, iin)
        if why is None and sig.signer.key_purpose != "auth" and sig.passed:
            yield finding(
                "SIG003",
                Outcome.PASSED,
                say("signed by the applicant: {signer}, role {role}", signer=_who(sig), role=sig.signer.role or ""),
                document=app.name,
                evidence={"signer": sig.signer.model_dump(mode="json"), "signature": sig.source},
                basis=_basis(dossier.kind),
            )
            return
        if why is None and sig.signer.key_purpose == "auth":
            why = say("made with the applicant's authentication key, which does not certify documents")
        if why is None:
            matching_unverified = sig
            why = say("the applicant's certificate, but the signature is {indication}", indication=sig.indication)
        reasons.append(say("{signature} by {signer}: {why}", signature=_label(sig, app), signer=_who(sig), why=why))
    outcome = (
        Outcome.INDETERMINATE
        if matching_unverified is not None and matching_unverified.indication != "TOTAL_FAILED"
        else Outcome.FAILED
    )
    expected = (
        say("BIN {bin} (head or signing right)", bin=bin_)
        if bin_
        else say("IIN {iin} (individual certificate)", iin=iin)
    )
    yield finding(
        "SIG003",
        outcome,
        say(
            "expected a valid signature of the applicant, {expected}; found: {found}",
            expected=expected,
            found=tuple(reasons),
        ),
        document=app.name,
        evidence={
            "expected_bin": bin_,
            "expected_iin": iin,
            "signers": [s.signer.model_dump(mode="json") for s in app.signatures],
        },
        basis=_basis(dossier.kind),
    )


def signing_key(dossier: Dossier) -> Iterator[Finding]:
    """SIG004: the application and documents are signed with a signing key, not an authentication key or an
    information-system certificate. State attestations (`state/`) are signed by state information systems:
    an information-system certificate is right there, so they are not judged here."""
    for f in dossier.files:
        if f.role not in (FileRole.APPLICATION, FileRole.DOCUMENT):
            continue
        for sig in f.signatures:
            if sig.signer.certificate_sha256 is None:
                continue  # no certificate: SIG002 reports it
            s = sig.signer
            system = sorted(set(s.roles) & NOT_A_PERSON)
            if f.role is FileRole.APPLICATION and system:
                outcome, msg = (
                    Outcome.FAILED,
                    say("an {role} certificate, not a person's EDS", role=system[0].replace("_", " ")),
                )
            elif s.key_purpose == "auth":
                outcome, msg = Outcome.FAILED, say("an authentication key (no nonRepudiation), not a signing key")
            elif s.key_purpose == "sign":
                outcome, msg = Outcome.PASSED, say("a signing key (nonRepudiation)")
            else:
                outcome, msg = (
                    Outcome.INDETERMINATE,
                    say("the certificate does not say whether the key signs or authenticates"),
                )
            yield finding(
                "SIG004",
                outcome,
                say("{signature} by {signer}: {why}", signature=_label(sig, f), signer=_who(sig), why=msg),
                document=f.name,
                evidence={"key_purpose": s.key_purpose, "roles": list(s.roles), "signature": sig.source},
                basis=_basis(dossier.kind),
            )


def pdf_unchanged(dossier: Dossier) -> Iterator[Finding]:
    """SIG005: each PDF signature covers the document and nothing but allowed changes came after it."""
    for f in dossier.files:
        for sig in f.signatures:
            if not (sig.format or "").startswith("pdf"):
                continue
            m = sig.modification
            detail = "; ".join(m.messages)
            if m.suspicious:
                outcome, msg = (
                    Outcome.FAILED,
                    say(
                        "changed after signing ({level}, coverage {coverage})",
                        level=str(m.level),
                        coverage=str(m.coverage),
                    ),
                )
            elif m.suspicious is None:
                outcome, msg = Outcome.INDETERMINATE, say("the changes after signing could not be analysed")
            else:
                outcome, msg = (
                    Outcome.PASSED,
                    say(
                        "unchanged after signing ({level}, coverage {coverage})",
                        level=str(m.level),
                        coverage=str(m.coverage),
                    ),
                )
            yield finding(
                "SIG005",
                outcome,
                say(
                    "{signature}: {what}{detail}",
                    signature=_label(sig, f),
                    what=msg,
                    detail=f": {detail}" if detail else "",
                ),
                document=f.name,
                evidence={"level": m.level, "coverage": m.coverage, "changes": list(m.changes)},
                basis="27.2",
            )


def signature_files_matched(dossier: Dossier) -> Iterator[Finding]:
    """SIG006: each detached signature file sits beside the file it signs."""
    basis = "16" if dossier.kind is Kind.SPECIALIST else "8"
    for f in dossier.files:
        if f.role is not FileRole.SIGNATURE:
            continue
        if f.signed_file is None:
            stem = f.name[: -len(f.extension)] if f.extension else f.name
            yield finding(
                "SIG006",
                Outcome.FAILED,
                say("{file} signs no file of the dossier: expected {stem} beside it", file=f.name, stem=stem),
                document=f.name,
                basis=basis,
            )
        else:
            yield finding(
                "SIG006",
                Outcome.PASSED,
                say("{file} signs {signed}", file=f.name, signed=f.signed_file),
                document=f.name,
                basis=basis,
            )


def egov_printout(dossier: Dossier) -> Iterator[Finding]:
    """SIG007: the printed page shows every value of the signed XML in its egov.kz barcodes."""
    for f in dossier.files:
        for sig in f.signatures:
            if sig.format != "egov-qr":
                continue
            label = _label(sig, f)
            number = sig.signed_data.get("unique_number", "")
            evidence: dict[str, object] = {
                "signed_data": dict(sig.signed_data),
                "mismatches": list(sig.page_mismatches),
            }
            if sig.indication == "TOTAL_FAILED":
                continue  # SIG002 refuses it already (altered, look-alike or unsigned barcodes)
            if sig.page_mismatches:
                shown = ", ".join(sig.page_mismatches)
                yield finding(
                    "SIG007",
                    Outcome.FAILED,
                    say(
                        "{signature}: the signed egov data (№ {number}) differs from the printed page: "
                        "the page does not show {shown}",
                        signature=label,
                        number=number,
                        shown=shown,
                    ),
                    document=f.name,
                    evidence=evidence,
                    basis="27.2",
                )
            elif sig.indication == "INDETERMINATE" and not sig.signed_data:
                why = "; ".join(sig.messages)
                yield finding(
                    "SIG007",
                    Outcome.INDETERMINATE,
                    say("{signature}: the egov barcodes could not be checked: {why}", signature=label, why=why),
                    document=f.name,
                    evidence=evidence,
                    basis="27.5",
                )
            elif sig.page_compared:
                fields = ", ".join(f"{k} {v}" for k, v in sig.signed_data.items())
                yield finding(
                    "SIG007",
                    Outcome.PASSED if sig.indication == "TOTAL_PASSED" else Outcome.INDETERMINATE,
                    say(
                        "{signature}: the printed page agrees with the signed egov data ({fields})",
                        signature=label,
                        fields=fields,
                    ),
                    document=f.name,
                    evidence=evidence,
                    basis="27.5",
                )


CHECKS: tuple[Check, ...] = (
    Check("SIG001", application_signed),
    Check("SIG002", signatures_valid),
    Check("SIG003", signer_is_applicant),
    Check("SIG004", signing_key),
    Check("SIG005", pdf_unchanged),
    Check("SIG006", signature_files_matched),
    Check("SIG007", egov_printout),
)
