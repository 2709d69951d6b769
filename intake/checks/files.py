"""FILE: the files of the dossier, their names and page counts (paragraphs 7, 8, 15, 16)."""

from __future__ import annotations

from collections.abc import Iterator

from intake.checks.base import Check
from intake.models import Dossier, FileRole, Finding, Kind, OrganizationApplication, Outcome, SpecialistApplication
from intake.rules import documents_for, finding, is_required


def _paragraphs(kind: Kind | None) -> tuple[str, str]:
    """(documents paragraph, files paragraph) for the applicant kind."""
    return ("15", "16") if kind is Kind.SPECIALIST else ("7", "8")


def required_documents(dossier: Dossier) -> Iterator[Finding]:
    """FILE001: each document that paragraph 7 or 15 requires is attached."""
    kind = dossier.kind
    app = dossier.application
    if isinstance(app, OrganizationApplication | SpecialistApplication):
        kind = Kind(app.kind)
        conditions_app: OrganizationApplication | SpecialistApplication | None = app
    else:
        conditions_app = None
    if kind not in (Kind.ORGANIZATION, Kind.SPECIALIST):
        return  # removal and change requests carry no documents of paragraphs 7 and 15
    para, _ = _paragraphs(kind)
    present: dict[str, list[str]] = {}
    for f in dossier.documents():
        if f.identification.document_type:
            present.setdefault(f.identification.document_type, []).append(f.name)
    for doc in documents_for(kind):
        required = is_required(doc, conditions_app)
        files = present.get(doc.id, [])
        if files:
            yield finding(
                "FILE001",
                Outcome.PASSED,
                f"{doc.names['en']} ({doc.basis}): attached as {', '.join(files)}",
                document=files[0],
                evidence={"document_type": doc.id, "files": files},
                basis=para,
            )
        elif required is None:
            yield finding(
                "FILE001",
                Outcome.INDETERMINATE,
                f"{doc.names['en']} ({doc.basis}) is required only {doc.condition.value.replace('_', ' ')}; the "
                "application could not be read to decide, and no such file was found",
                evidence={"document_type": doc.id, "condition": doc.condition.value},
                basis=para,
            )
        elif required:
            yield finding(
                "FILE001",
                Outcome.FAILED,
                f"{doc.names['en']} / «{doc.names['ru']}» (paragraph {doc.basis}) is required and no file "
                f"name identifies it",
                evidence={"document_type": doc.id, "condition": doc.condition.value},
                basis=para,
            )


def names_and_pages(dossier: Dossier) -> Iterator[Finding]:
    """FILE002-FILE004, FILE008, FILE009: each name identifies a document and its true page count."""
    _, para = _paragraphs(dossier.kind)
    for f in dossier.files:
        if f.role is not FileRole.DOCUMENT:
            continue
        ident = f.identification
        if f.encrypted:
            yield finding("FILE009", Outcome.FAILED, f"{f.name}: {f.read_error}", document=f.name, basis=para)
        elif f.read_error:
            yield finding("FILE008", Outcome.FAILED, f"{f.name}: {f.read_error}", document=f.name, basis=para)
        if ident.document_type is None:
            near = f"; closest: {', '.join(ident.candidates[:3])}" if ident.candidates else ""
            yield finding(
                "FILE002",
                Outcome.FAILED,
                f"the name {f.name!r} identifies no document of paragraph {'15' if para == '16' else '7'}{near}",
                document=f.name,
                evidence={"candidates": list(ident.candidates)},
                basis=para,
            )
        else:
            yield finding(
                "FILE002",
                Outcome.PASSED,
                f"{f.name} is the {ident.document_type} document (matched {ident.matched!r})",
                document=f.name,
                basis=para,
            )
        if ident.declared_pages is None:
            yield finding(
                "FILE003",
                Outcome.FAILED,
                f"the name {f.name!r} does not state the number of pages"
                + (f"; the file has {f.pages}" if f.pages is not None else ""),
                document=f.name,
                evidence={"declared_pages": None, "pages": f.pages},
                basis=para,
            )
        elif f.pages is None:
            yield finding(
                "FILE004",
                Outcome.INDETERMINATE,
                f"the name declares {ident.declared_pages} pages; the file's pages could not be counted",
                document=f.name,
                evidence={"declared_pages": ident.declared_pages, "pages": None},
                basis=para,
            )
        elif ident.declared_pages != f.pages:
            yield finding(
                "FILE004",
                Outcome.FAILED,
                f"the name declares {ident.declared_pages} pages; the file has {f.pages}",
                document=f.name,
                evidence={"declared_pages": ident.declared_pages, "pages": f.pages},
                basis=para,
            )
        else:
            yield finding(
                "FILE004",
                Outcome.PASSED,
                f"{f.pages} page(s), as the name declares",
                document=f.name,
                evidence={"declared_pages": ident.declared_pages, "pages": f.pages},
                basis=para,
            )


def ignored_files(dossier: Dossier) -> Iterator[Finding]:
    """FILE012: hidden and system files are ignored, and said so."""
    for f in dossier.files:
        if f.role is FileRole.IGNORED:
            yield finding("FILE012", Outcome.PASSED, f"{f.name} is not a document; ignored", document=f.name)


CHECKS: tuple[Check, ...] = (
    Check("FILE001", required_documents),
    Check("FILE002", names_and_pages),
    Check("FILE012", ignored_files),
)
