"""One cause, one ground: the findings that did not pass, grouped by what caused them.

A blurred page makes SCAN001 fail and, because nothing on it can be read, DET001-DET004 too; a
password-protected zip makes every entry fail FILE009 and every document it held fail FILE001; with no
trust anchor given every signature is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND. The clerk should see one
cause for each, with the one ground of paragraph 27 it supports and what it affects. The findings
themselves stay as they are; a cause lists their indexes.

This module judges nothing: it groups findings the judgements made. Every finding that did not pass
belongs to exactly one cause; a finding with no shared cause is a cause of its own (`finding`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from intake.files import parse_name
from intake.models import Cause, DocumentEntry, Finding, Outcome, Severity

# The details that cannot be found on a page that cannot be read (27.5 follows from 27.3 there).
DETAIL_CODES = frozenset({"DET001", "DET002", "DET003", "DET004", "DET005", "DET006", "DET009", "DET010"})
# Page examinations that are "not examined" when the page is not read.
EXAMINATION_CODES = frozenset({"SCAN002", "SCAN003", "SCAN004", "SCAN005", "SCAN006", "SCAN007", "SCAN008"})
UNREADABLE_CODES = ("FILE008", "SCAN009", "SCAN001")  # the first present is the cause's own finding

# SIG002 indeterminate for the same reason on several files: one missing input, not many bad signatures.
SHARED_SUBINDICATIONS = {
    "NO_CERTIFICATE_CHAIN_FOUND": ("no-trust-anchor", "no trust anchor given: signatures cannot be traced to a CA"),
    "TRY_LATER": ("no-revocation-data", "no revocation data (CRL or OCSP): revocation cannot be checked"),
}


@dataclass
class _Group:
    cause: str
    title: str
    members: list[int] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)


def _rank(f: Finding) -> tuple[int, int]:
    """Worse first: blocking failed, blocking undecided, review, info."""
    sev = {Severity.BLOCKING: 0, Severity.REVIEW: 1, Severity.INFO: 2}[f.severity]
    return (sev, 0 if f.outcome is Outcome.FAILED else 1)


def _unreadable_groups(
    findings: Sequence[Finding], open_: set[int], documents: Sequence[DocumentEntry]
) -> list[_Group]:
    pages_of = {d.file: d.pages for d in documents}
    groups: list[_Group] = []
    by_doc: dict[str, list[int]] = {}
    for i in sorted(open_):
        f = findings[i]
        if f.code in UNREADABLE_CODES and f.document and f.severity is Severity.BLOCKING:
            by_doc.setdefault(f.document, []).append(i)
    for doc, own in by_doc.items():
        own.sort(key=lambda i: UNREADABLE_CODES.index(findings[i].code))
        pages = {findings[i].page for i in own if findings[i].page}
        whole = findings[own[0]].code == "FILE008" or not pages
        last = pages_of.get(doc)
        # Details live in the letterhead (first page) and the signature block (last page): a detail is
        # missing *because of* the unreadable page when that page is the first or the last one.
        covers_details = whole or 1 in pages or (last is not None and last in pages)
        g = _Group(
            "unreadable-file" if whole and findings[own[0]].code == "FILE008" else "unreadable-page",
            findings[own[0]].title,
            list(own),
            {p for p in pages if p is not None},
        )
        decided = findings[own[0]].outcome is Outcome.FAILED
        for i in sorted(open_):
            f = findings[i]
            if i in own or f.document != doc or not (decided or f.outcome is Outcome.INDETERMINATE):
                continue  # an undecided page explains only undecided findings, never a failure
            if (f.code in DETAIL_CODES and covers_details) or (
                f.code in EXAMINATION_CODES and f.outcome is Outcome.INDETERMINATE
            ):
                g.members.append(i)
        if len(g.members) > 1 or whole:
            g.title = (
                f"{doc}: the file cannot be read"
                if g.cause == "unreadable-file"
                else f"{doc}: page {', '.join(map(str, sorted(g.pages)))} cannot be read"
                if g.pages
                else f"{doc}: the text cannot be read"
            )
        groups.append(g)
    return groups


def _archive_group(findings: Sequence[Finding], open_: set[int], documents: Sequence[DocumentEntry]) -> _Group | None:
    present = {d.file for d in documents}
    locked = [
        i
        for i in sorted(open_)
        if findings[i].code == "FILE009"
        and findings[i].outcome is Outcome.FAILED
        and findings[i].document not in present
    ]
    if not locked:
        return None
    g = _Group("encrypted-archive", f"the archive is encrypted with a password: {len(locked)} entries not unpacked")
    g.members.extend(locked)
    names = [findings[i].document or "" for i in locked]
    types = {parse_name(n.rsplit("/", 1)[-1]).document_type for n in names}
    has_application = any(n.rsplit("/", 1)[-1].startswith("application.json") for n in names)
    for i in sorted(open_):
        f = findings[i]
        if i in locked or f.outcome is Outcome.PASSED:
            continue
        if (f.code == "FILE001" and f.evidence.get("document_type") in types) or (
            has_application and f.code in ("FORM001", "SIG001")
        ):
            g.members.append(i)
    return g


def _signature_groups(findings: Sequence[Finding], open_: set[int]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for i in sorted(open_):
        f = findings[i]
        sub = f.evidence.get("subindication")
        if f.code == "SIG002" and f.outcome is Outcome.INDETERMINATE and sub in SHARED_SUBINDICATIONS:
            cause, title = SHARED_SUBINDICATIONS[str(sub)]
            groups.setdefault(cause, _Group(cause, title)).members.append(i)
    # one finding that already names every file it affects (a cause of the run) is a cause of its own
    return [g for g in groups.values() if len(g.members) > 1 or len(_files(findings[g.members[0]])) > 1]


def _files(f: Finding) -> list[str]:
    """The files a finding names in its evidence (one finding for a cause that lies in the run)."""
    files = f.evidence.get("files")
    return [str(x) for x in files] if isinstance(files, list) else []


def group(findings: Sequence[Finding], documents: Sequence[DocumentEntry] = ()) -> tuple[Cause, ...]:
    """The causes of every finding that did not pass; each index in exactly one cause, worst causes first."""
    open_ = {i for i, f in enumerate(findings) if f.outcome is not Outcome.PASSED}
    groups: list[_Group] = []
    if (archive := _archive_group(findings, open_, documents)) is not None:
        groups.append(archive)
        open_ -= set(archive.members)
    for g in (*_unreadable_groups(findings, open_, documents), *_signature_groups(findings, open_)):
        g.members = [i for i in g.members if i in open_]
        if g.members:
            groups.append(g)
            open_ -= set(g.members)
    for i in sorted(open_):
        f = findings[i]
        groups.append(_Group("finding", f.title, [i], {f.page} if f.page else set()))
    causes = [_cause(g, findings) for g in groups]
    order = {Severity.BLOCKING: 0, Severity.REVIEW: 1, Severity.INFO: 2}
    return tuple(
        sorted(
            causes,
            key=lambda c: (order[c.severity], c.outcome is not Outcome.FAILED, c.documents[:1], c.findings[0]),
        )
    )


def _cause(g: _Group, findings: Sequence[Finding]) -> Cause:
    own = findings[g.members[0]]
    members = [findings[i] for i in g.members]
    worst = min(members, key=_rank)
    return Cause(
        cause=g.cause,
        title=g.title,
        ground=own.ground,
        outcome=Outcome.FAILED if any(f.outcome is Outcome.FAILED for f in members) else Outcome.INDETERMINATE,
        severity=worst.severity,
        codes=tuple(dict.fromkeys(f.code for f in members)),
        documents=tuple(
            dict.fromkeys([*(f.document for f in members if f.document), *(x for f in members for x in _files(f))])
        ),
        pages=tuple(sorted(g.pages)),
        findings=tuple(g.members),
    )
