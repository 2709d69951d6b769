"""FILE: the files of the dossier, their names and page counts (paragraphs 7, 8, 15, 16).

Paragraphs 8 and 16: each document is a separate file, the number of files equals the number of
documents of paragraph 7 (organization) or 15 (specialist), and the file name identifies the
document and its number of pages. What file intake refused (unsafe archive entries, archive limits,
names that are not text, unreadable files: `Dossier.intake`, facts of `intake.files.open_dossier`) is
judged first, by `file_intake` (FILE008, FILE009, FILE013, FILE014, FILE016).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from intake.files import content_mismatch, describe_media, expected_media_type, is_archive, is_supported, part_number
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
    Refusal,
    Say,
    SpecialistApplication,
    say,
    say_n,
)
from intake.rules import DOCUMENTS, Condition, DocumentType, documents_for, finding, is_required

_CONDITION_WORDS = {
    Condition.IF_ANY: say("only if the applicant has one"),
    Condition.SELLS_RTD_NOT_DOMESTIC: say(
        "only from an organization that sells RTDs and is not their domestic producer"
    ),
    Condition.NON_STATE_OWNED: say("only from a non-state-owned organization"),
}


def _paragraphs(kind: Kind | None) -> tuple[str, str]:
    """(documents paragraph, files paragraph) for the applicant kind."""
    return ("15", "16") if kind is Kind.SPECIALIST else ("7", "8")


def _kind(dossier: Dossier) -> Kind | None:
    app = dossier.application
    if isinstance(app, OrganizationApplication | SpecialistApplication):
        return Kind(app.kind)
    return dossier.kind


def _conditions(dossier: Dossier) -> OrganizationApplication | SpecialistApplication | None:
    app = dossier.application
    return app if isinstance(app, OrganizationApplication | SpecialistApplication) else None


def _name(doc: DocumentType) -> Say:
    """The document's name (said in the report's language) and its paragraph."""
    return say("{document} ({paragraph})", document=doc.names["en"], paragraph=doc.basis)


def _documents(dossier: Dossier) -> tuple[FileFacts, ...]:
    """The files that stand for documents: not archives (reported by FILE015, never unpacked)."""
    return tuple(f for f in dossier.documents() if not is_archive(f))


def _by_type(files: Sequence[FileFacts]) -> dict[str, list[FileFacts]]:
    out: dict[str, list[FileFacts]] = {}
    for f in files:
        if f.identification.document_type:
            out.setdefault(f.identification.document_type, []).append(f)
    return out


def required_documents(dossier: Dossier) -> Iterator[Finding]:
    """FILE001: each document that paragraph 7 or 15 requires, under the applicant's conditions, is attached."""
    kind = _kind(dossier)
    if isinstance(dossier.application, ChangeApplication) or kind in (Kind.REMOVAL, Kind.CHANGE):
        return  # paragraphs 30 and 32: change and removal requests carry no documents of paragraphs 7 and 15
    if kind is None:
        yield finding(
            "FILE001",
            Outcome.INDETERMINATE,
            say("the applicant kind is unknown (no readable application), so the required documents cannot be listed"),
        )
        return
    para, _ = _paragraphs(kind)
    app = _conditions(dossier)
    present = _by_type(_documents(dossier))
    for doc in documents_for(kind):
        required = is_required(doc, app)
        files = [f.name for f in present.get(doc.id, [])]
        evidence = {"document_type": doc.id, "condition": doc.condition.value, "files": files}
        if files:
            yield finding(
                "FILE001",
                Outcome.PASSED,
                say("{document}: attached as {files}", document=_name(doc), files=", ".join(files)),
                document=files[0],
                evidence=evidence,
                basis=para,
            )
        elif required is None:
            yield finding(
                "FILE001",
                Outcome.INDETERMINATE,
                say(
                    "{document} is required {condition}; the application could not be read to decide, "
                    "and no file name identifies it",
                    document=_name(doc),
                    condition=_CONDITION_WORDS.get(doc.condition, ""),
                ),
                evidence=evidence,
                basis=para,
            )
        elif required:
            yield finding(
                "FILE001",
                Outcome.FAILED,
                say("{document} is required and no file name identifies it", document=_name(doc)),
                evidence=evidence,
                basis=para,
            )
        else:
            yield finding(
                "FILE001",
                Outcome.PASSED,
                say(
                    "{document} is required {condition}; the application says it is not needed here, "
                    "and none is attached",
                    document=_name(doc),
                    condition=_CONDITION_WORDS.get(doc.condition, ""),
                ),
                evidence=evidence,
                basis=para,
            )


def names_and_pages(dossier: Dossier) -> Iterator[Finding]:
    """FILE002-FILE004: each name identifies a document and states its true page count."""
    docs_para, para = _paragraphs(_kind(dossier))
    kind_docs = [d.id for d in documents_for(_kind(dossier))] or list(DOCUMENTS)
    for f in _documents(dossier):
        ident = f.identification
        if ident.document_type is None:
            near = [c for c in ident.candidates if c in DOCUMENTS]
            if len(near) >= 2 and ident.score:
                why = say(
                    "it names several documents ({documents}); each document is a separate file",
                    documents=", ".join(near),
                )
            elif near:
                why = say("closest: {documents}", documents=", ".join(near[:3]))
            else:
                why = say("expected one of: {documents}", documents=", ".join(kind_docs))
            yield finding(
                "FILE002",
                Outcome.FAILED,
                say(
                    "the name '{file}' identifies no document of paragraph {paragraph}; {why}",
                    file=f.name,
                    paragraph=docs_para,
                    why=why,
                ),
                document=f.name,
                evidence={"candidates": near, "expected": kind_docs},
                basis=para,
            )
        elif ident.decided_by == "content":
            named = [c for c in ident.candidates if c in DOCUMENTS]
            yield finding(
                "FILE002",
                Outcome.PASSED,
                say(
                    "{file} is the {type} document: the name names several ({named}); "
                    "the first page's text names {type} ('{matched}')",
                    file=f.name,
                    type=ident.document_type,
                    named=", ".join(named),
                    matched=ident.content_matched or "",
                ),
                document=f.name,
                evidence={"document_type": ident.document_type, "named": named, "decided_by": "content"},
                basis=para,
            )
        else:
            yield finding(
                "FILE002",
                Outcome.PASSED,
                say(
                    "{file} is the {type} document (the name says '{matched}')",
                    file=f.name,
                    type=ident.document_type,
                    matched=ident.matched or "",
                ),
                document=f.name,
                evidence={"document_type": ident.document_type},
                basis=para,
            )
        if not is_supported(f):
            continue  # FILE011: not a document type whose pages can be counted
        evidence = {"declared_pages": ident.declared_pages, "pages": f.pages}
        if ident.declared_pages is None:
            yield finding(
                "FILE003",
                Outcome.FAILED,
                say(
                    "the name '{file}' does not state the number of pages{has}",
                    file=f.name,
                    has=say_n("; the file has {n} page", "; the file has {n} pages", f.pages)
                    if f.pages is not None
                    else "",
                ),
                document=f.name,
                evidence=evidence,
                basis=para,
            )
            continue
        yield finding(
            "FILE003",
            Outcome.PASSED,
            say_n("the name states {n} page", "the name states {n} pages", ident.declared_pages),
            document=f.name,
            evidence=evidence,
            basis=para,
        )
        if f.pages is None:
            yield finding(
                "FILE004",
                Outcome.INDETERMINATE,
                say_n(
                    "the name '{file}' declares {n} page; the file's pages could not be counted{error}",
                    "the name '{file}' declares {n} pages; the file's pages could not be counted{error}",
                    ident.declared_pages,
                    file=f.name,
                    error=f" ({f.read_error})" if f.read_error else "",
                ),
                document=f.name,
                evidence=evidence,
                basis=para,
            )
        elif ident.declared_pages != f.pages:
            yield finding(
                "FILE004",
                Outcome.FAILED,
                say_n(
                    "the name '{file}' declares {n} page; the file has {pages}",
                    "the name '{file}' declares {n} pages; the file has {pages}",
                    ident.declared_pages,
                    file=f.name,
                    pages=f.pages,
                ),
                document=f.name,
                evidence=evidence,
                basis=para,
            )
        else:
            yield finding(
                "FILE004",
                Outcome.PASSED,
                say_n("{n} page, as the name declares", "{n} pages, as the name declares", f.pages),
                document=f.name,
                evidence=evidence,
                basis=para,
            )


def one_file_per_document(dossier: Dossier) -> Iterator[Finding]:
    """FILE005: no document is split over several files (paragraphs 8 and 16)."""
    _, para = _paragraphs(_kind(dossier))
    for doc_id, files in _by_type(_documents(dossier)).items():
        names = [f.name for f in files]
        if len(files) == 1:
            yield finding(
                "FILE005",
                Outcome.PASSED,
                say("{type}: one file, {file}", type=doc_id, file=names[0]),
                document=names[0],
                basis=para,
            )
            continue
        if len({f.sha256 for f in files}) == 1:
            continue  # the same content twice: a duplicate (FILE006), not a split document
        parts = [part_number(n) for n in names]
        said = say(" (the names number the parts)") if any(p is not None for p in parts) else ""
        yield finding(
            "FILE005",
            Outcome.FAILED,
            say_n(
                "{type} is split over {n} file: {files}{said}; each document must be one file",
                "{type} is split over {n} files: {files}{said}; each document must be one file",
                len(files),
                type=doc_id,
                files=", ".join(names),
                said=said,
            ),
            document=names[0],
            evidence={"document_type": doc_id, "files": names, "parts": parts},
            basis=para,
        )


def duplicates(dossier: Dossier) -> Iterator[Finding]:
    """FILE006: no two files have the same content (SHA-256)."""
    _, para = _paragraphs(_kind(dossier))
    groups: dict[str, list[str]] = {}
    for f in dossier.documents():
        if f.size:
            groups.setdefault(f.sha256, []).append(f.name)
    found = False
    for digest, names in groups.items():
        if len(names) > 1:
            found = True
            yield finding(
                "FILE006",
                Outcome.FAILED,
                say_n(
                    "{n} file has the same content: {files}",
                    "{n} files have the same content: {files}",
                    len(names),
                    files=", ".join(names),
                ),
                document=names[0],
                evidence={"sha256": digest, "files": names},
                basis=para,
            )
    if not found and groups:
        yield finding(
            "FILE006",
            Outcome.PASSED,
            say_n("the {n} document differs in content", "all {n} documents differ in content", len(groups)),
            basis=para,
        )


def extra_files(dossier: Dossier) -> Iterator[Finding]:
    """FILE007: every document is one of paragraph 7 or 15 that this applicant may attach."""
    kind = _kind(dossier)
    docs_para, para = _paragraphs(kind)
    if kind is None or isinstance(dossier.application, ChangeApplication) or kind is Kind.CHANGE:
        return
    app = _conditions(dossier)
    extra = 0
    for f in _documents(dossier):
        doc = DOCUMENTS.get(f.identification.document_type or "")
        if doc is None:
            continue  # FILE002 says the name identifies nothing
        why: Say | None = None
        if kind is Kind.REMOVAL:
            why = say("a removal request (paragraph 32) carries no documents of paragraphs 7 or 15")
        elif doc.kind is not kind:
            other = say("15 (specialists)") if doc.kind is Kind.SPECIALIST else say("7 (organizations)")
            why = say(
                "{type} is a document of paragraph {other}, not of paragraph {paragraph}",
                type=doc.id,
                other=other,
                paragraph=docs_para,
            )
        elif (
            doc.condition in (Condition.SELLS_RTD_NOT_DOMESTIC, Condition.NON_STATE_OWNED)
            and is_required(doc, app) is False
        ):
            why = say(
                "{type} is required {condition}, and the application says otherwise",
                type=doc.id,
                condition=_CONDITION_WORDS[doc.condition],
            )
        if why:
            extra += 1
            yield finding(
                "FILE007",
                Outcome.FAILED,
                say("{file}: {why}", file=f.name, why=why),
                document=f.name,
                evidence={"document_type": doc.id},
                basis=para,
            )
    if not extra and _documents(dossier):
        yield finding(
            "FILE007", Outcome.PASSED, say("every identified file is a document this applicant attaches"), basis=para
        )


def readable(dossier: Dossier) -> Iterator[Finding]:
    """FILE008-FILE011, FILE015: each document opens as what its extension says, unencrypted."""
    _, para = _paragraphs(_kind(dossier))
    for f in dossier.documents():
        if is_archive(f):
            yield finding(
                "FILE015",
                Outcome.FAILED,
                say(
                    "{file} is {media} inside the dossier; it was not unpacked: attach the documents themselves",
                    file=f.name,
                    media=describe_media(f.media_type or "application/zip"),
                ),
                document=f.name,
                evidence={"media_type": f.media_type},
                basis=para,
            )
            continue
        if not is_supported(f):
            yield finding(
                "FILE011",
                Outcome.FAILED,
                say(
                    "{file} is {media} ({extension}); documents are PDF, JPEG, PNG or TIFF files",
                    file=f.name,
                    media=describe_media(f.media_type),
                    extension=f.extension or say("no extension"),
                ),
                document=f.name,
                evidence={"media_type": f.media_type, "extension": f.extension},
                basis=para,
            )
            continue
        if f.size and content_mismatch(f):
            expected = expected_media_type(f.extension)
            named = (
                say("named {extension}", extension=f.extension) if f.extension else say("named without an extension")
            )
            yield finding(
                "FILE010",
                Outcome.FAILED,
                say(
                    "{file} is {named}{expected}, but its content is {media}",
                    file=f.name,
                    named=named,
                    expected=f" ({describe_media(expected)})" if expected else "",
                    media=describe_media(f.media_type),
                ),
                document=f.name,
                evidence={"media_type": f.media_type, "extension": f.extension},
                basis=para,
            )
        if f.encrypted:
            if f.pages is None:
                yield finding(
                    "FILE009",
                    Outcome.FAILED,
                    say("{file}: {problem}", file=f.name, problem=f.read_error or say("the PDF is encrypted")),
                    document=f.name,
                    basis=para,
                )
                continue
            yield finding(
                "FILE009",
                Outcome.INDETERMINATE,
                say_n(
                    "{file}: the PDF is encrypted with an owner password; it opens without one ({n} page), "
                    "but printing or copying may be restricted: a reviewer confirms it can be used",
                    "{file}: the PDF is encrypted with an owner password; it opens without one ({n} pages), "
                    "but printing or copying may be restricted: a reviewer confirms it can be used",
                    f.pages,
                    file=f.name,
                ),
                document=f.name,
                basis=para,
            )
        if f.read_error:
            yield finding(
                "FILE008",
                Outcome.FAILED,
                say("{file}: {problem}", file=f.name, problem=f.read_error),
                document=f.name,
                evidence={"media_type": f.media_type, "pages": f.pages},
                basis=para,
            )
        else:
            yield finding(
                "FILE008",
                Outcome.PASSED,
                say_n(
                    "{file} opens as {media} of {n} page",
                    "{file} opens as {media} of {n} pages",
                    f.pages or 0,
                    file=f.name,
                    media=describe_media(f.media_type),
                ),
                document=f.name,
                basis=para,
            )


def ignored_files(dossier: Dossier) -> Iterator[Finding]:
    """FILE012: hidden and system files are ignored, and said so."""
    for f in dossier.files:
        if f.role is FileRole.IGNORED:
            yield finding(
                "FILE012", Outcome.PASSED, say("{file} is not a document; ignored", file=f.name), document=f.name
            )


REFUSAL_CODES: dict[Refusal, str] = {
    Refusal.UNREADABLE: "FILE008",
    Refusal.ENCRYPTED: "FILE009",
    Refusal.UNSAFE: "FILE013",
    Refusal.OVER_LIMIT: "FILE014",
    Refusal.NAME_NOT_TEXT: "FILE016",
}
"""The finding code of each reason file intake refuses a file or an archive entry for."""


def file_intake(dossier: Dossier) -> Iterator[Finding]:
    """FILE008, FILE009, FILE013, FILE014, FILE016: what file intake refused, each with its reason; and the
    passed findings of the intake checks (entries safe, within the limits, names text), so a reviewer
    sees that they ran."""
    facts = dossier.intake
    if facts is None:
        return  # not gathered (a dossier built in code)
    for r in facts.refused:
        yield finding(
            REFUSAL_CODES[r.refusal],
            Outcome.FAILED,
            r.template or say("{reason}", reason=r.reason),
            document=r.document,
            evidence=r.evidence or None,
        )
    seen = {r.refusal for r in facts.refused}
    source = facts.source_name
    if Refusal.UNSAFE not in seen:
        yield finding(
            "FILE013",
            Outcome.PASSED,
            say("every archive entry of {source} is a plain file with a relative name", source=source)
            if facts.archive
            else say("every file of {source} is a plain file with a relative name", source=source),
        )
    if facts.archive and Refusal.OVER_LIMIT not in seen:
        yield finding(
            "FILE014",
            Outcome.PASSED,
            say("{source} unpacks within the size, count and ratio limits", source=source),
        )
    if Refusal.NAME_NOT_TEXT not in seen:
        yield finding(
            "FILE016",
            Outcome.PASSED,
            say("every archive entry name of {source} is valid text", source=source)
            if facts.archive
            else say("every file name of {source} is valid text", source=source),
        )


INTAKE_CHECKS: tuple[Check, ...] = (Check("FILE013", file_intake, also=[REFUSAL_CODES[r] for r in Refusal]),)
"""Judged first: what file intake refused, before the checks of the application (`intake.checks.CHECKS`)."""

CHECKS: tuple[Check, ...] = (
    Check("FILE001", required_documents),
    Check("FILE002", names_and_pages, also=["FILE003", "FILE004"]),
    Check("FILE005", one_file_per_document),
    Check("FILE006", duplicates),
    Check("FILE007", extra_files),
    Check("FILE008", readable, also=["FILE009", "FILE010", "FILE011", "FILE015"]),
    Check("FILE012", ignored_files),
)
