"""The report for people: text and self-contained HTML, in Russian, Kazakh or English.

Both show the same things in the same order: the verdict, the applicant, the grounds for refusal
(causes of blocking failures, under the ground of paragraph 27 each supports), what a person must
check, notes, the details found, and the review timeline. A cause that several findings share is
shown once, with what it affects. Locations are in words (page, top/middle/bottom); the boxes stay
for the page images of the HTML report. Nothing here prints: `intake.cli` writes what these return.
No line is wrapped: a terminal wraps for itself, and a file keeps each item on one line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from intake.i18n import Lang, Texts, texts
from intake.models import Cause, DocumentEntry, Finding, Kind, Outcome, Report, Severity, Verdict, say
from intake.rules import DOCUMENTS, GROUNDS_27
from intake.thumbnails import Thumbnail

if TYPE_CHECKING:  # Jinja loads for the HTML report only
    import jinja2

MARK = {Outcome.FAILED: "✗", Outcome.INDETERMINATE: "?", Outcome.PASSED: "✓"}
VERDICT_TEXT = {
    Verdict.PASS: "VERDICT: PASS",
    Verdict.FAIL: "VERDICT: FAIL",
    Verdict.REVIEW: "VERDICT: REVIEW",
}
KIND_TEXT = {
    Kind.ORGANIZATION: "organization",
    Kind.SPECIALIST: "specialist",
    Kind.REMOVAL: "removal from the register",
    Kind.CHANGE: "change of register data",
}
DETAIL_TEXT = {
    "issuer_name": "issuer",
    "issuer_address": "issuer's address",
    "signature": "signature",
    "date": "date of issue",
    "number": "number",
    "series": "series",
    "validity": "valid until",
    "seal": "seal",
}
PART_TEXT = {
    "top": "at the top of the page",
    "middle": "in the middle of the page",
    "bottom": "at the bottom of the page",
}
_RAW_BOX = re.compile(r"\s*at \(\d+, \d+, \d+, \d+\)")


def _n(message: str) -> str:
    """Marks a constant for extraction into the catalogs; translated where it is shown."""
    return message


# The texts shown through `_n` constants above, listed for the extractor.
_CONSTANTS = (
    _n("VERDICT: PASS"),
    _n("VERDICT: FAIL"),
    _n("VERDICT: REVIEW"),
    _n("organization"),
    _n("specialist"),
    _n("removal from the register"),
    _n("change of register data"),
    _n("issuer"),
    _n("issuer's address"),
    _n("signature"),
    _n("date of issue"),
    _n("number"),
    _n("series"),
    _n("valid until"),
    _n("seal"),
    _n("at the top of the page"),
    _n("in the middle of the page"),
    _n("at the bottom of the page"),
    _n("on the page"),
)


def vertical_part(box: Sequence[int] | None, frame: tuple[int, int] | None) -> str | None:
    """'top', 'middle' or 'bottom' of the page, from the box's centre; None without a box and a frame."""
    if not box or not frame or frame[1] <= 0 or len(box) != 4:
        return None
    if (box[3] - box[1]) > 0.6 * frame[1]:
        return None  # the whole page (an unreadable page): no part of it to name
    centre = (box[1] + box[3]) / 2 / frame[1]
    return "top" if centre < 1 / 3 else ("middle" if centre < 2 / 3 else "bottom")


@dataclass(frozen=True)
class View:
    """What the text and HTML reports need of one report, in one language."""

    report: Report
    t: Texts

    @functools.cached_property
    def frames(self) -> Mapping[tuple[str, int], tuple[int, int]]:
        """(file, page) -> the page's frame in pixels, for locations in words."""
        return {(d.file, i + 1): size for d in self.report.documents for i, size in enumerate(d.page_sizes)}

    def where(self, document: str | None, page: int | None, box: Sequence[int] | None) -> str:
        """'page 2, bottom' in the language; '' without a page."""
        if page is None:
            return ""
        part = vertical_part(box, self.frames.get((document or "", page)))
        t = self.t
        if part == "top":
            return t.gettext("page {page}, top").format(page=page)
        if part == "middle":
            return t.gettext("page {page}, middle").format(page=page)
        if part == "bottom":
            return t.gettext("page {page}, bottom").format(page=page)
        return t.gettext("page {page}").format(page=page)

    def finding_where(self, f: Finding) -> str:
        """Where on which page a finding looked, in words."""
        box = f.evidence.get("box")
        page = f.page or (f.evidence.get("page") if isinstance(f.evidence.get("page"), int) else None)
        return self.where(f.document, page, box if isinstance(box, list | tuple) else None)

    def message(self, f: Finding) -> str:
        """The finding's message in the language, raw pixel boxes put in words (the box stays in the evidence)."""
        box = f.evidence.get("box") if isinstance(f.evidence.get("box"), list) else None
        part = vertical_part(box, self.frames.get((f.document or "", f.page or 0)))
        if f.template is not None:
            if "box" in f.template.args:
                at = say(PART_TEXT[part] if part else "on the page")
                return self.t.say(f.template.model_copy(update={"args": {**f.template.args, "box": at}}))
            return self.t.say(f.template)
        return _RAW_BOX.sub(f" at the {part} of the page" if part else "", f.message)

    def document_name(self, file: str | None) -> str | None:
        """The name of the document a file was identified as (paragraph 7 or 15), in the language."""
        entry = next((d for d in self.report.documents if d.file == file), None)
        if entry is None or entry.document_type is None or entry.document_type not in DOCUMENTS:
            return None
        return DOCUMENTS[entry.document_type].names[self.t.lang.value]

    def headline(self, c: Cause) -> str:
        """The cause in words, in the language."""
        t = self.t
        doc = c.documents[0] if c.documents else ""
        pages = ", ".join(map(str, c.pages))
        if c.cause == "unreadable-page" and c.pages:
            return t.ngettext(
                "{document}: page {pages} cannot be read",
                "{document}: pages {pages} cannot be read",
                len(c.pages),
                document=doc,
                pages=pages,
            )
        if c.cause in ("unreadable-page", "unreadable-file"):
            return t.gettext("{document}: the file cannot be read").format(document=doc)
        n = len(c.findings)
        if c.cause == "encrypted-archive":
            locked = sum(1 for i in c.findings if self.report.findings[i].code == "FILE009")
            return t.ngettext(
                "the archive is encrypted with a password: {n} file was not unpacked",
                "the archive is encrypted with a password: {n} files were not unpacked",
                locked,
            )
        if c.cause == "no-trust-anchor":
            return t.ngettext(
                "no trust anchor was given: {n} signature cannot be traced to a certification authority",
                "no trust anchor was given: {n} signatures cannot be traced to a certification authority",
                n,
            )
        if c.cause == "no-revocation-data":
            return t.ngettext(
                "no revocation data (CRL or OCSP): revocation of {n} signature cannot be checked",
                "no revocation data (CRL or OCSP): revocation of {n} signatures cannot be checked",
                n,
            )
        f = self.report.findings[c.findings[0]]
        return t.title(f.code)

    def ground_words(self, ground: str | None) -> str:
        """'27.2' and its words, in the language."""
        if ground is None:
            return self.t.gettext("no ground of paragraph 27")
        return f"{ground} {self.t.ground(ground)}"

    def affected(self, c: Cause) -> list[Finding]:
        """The findings a cause brought about besides its own."""
        return [self.report.findings[i] for i in c.findings[1:]]

    def grouped(self) -> dict[str, Any]:
        """The causes as the report shows them: refusal grounds by ground, the rest by document, notes."""
        refusals: dict[str | None, list[Cause]] = {}
        check: dict[str, list[Cause]] = {}
        notes: list[Cause] = []
        for c in self.report.causes:
            if c.severity is Severity.BLOCKING and c.outcome is Outcome.FAILED:
                refusals.setdefault(c.ground, []).append(c)
            elif c.severity is Severity.INFO:
                notes.append(c)
            else:
                check.setdefault(c.documents[0] if c.documents else "", []).append(c)
        ordered = dict(sorted(refusals.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))
        return {"refusals": ordered, "check": dict(sorted(check.items())), "notes": notes}


def view(report: Report, lang: str | Lang = Lang.EN) -> View:
    """The report and the texts of one language. A report made without its causes (an older JSON, or one
    built by hand) gets them grouped here, so no finding that did not pass is ever left out of the view."""
    if not report.causes and any(f.outcome is not Outcome.PASSED for f in report.findings):
        from intake.causes import group

        report = report.model_copy(update={"causes": group(report.findings, report.documents)})
    return View(report, texts(lang))


def localized(report: Report, lang: str | Lang) -> Report:
    """The report with each finding's title and message in the language (keys and codes as they are)."""
    t = texts(lang)
    if t.lang is Lang.EN:
        return report
    return report.model_copy(
        update={
            "findings": tuple(
                f.model_copy(
                    update={"title": t.title(f.code), "message": t.say(f.template) if f.template else f.message}
                )
                for f in report.findings
            )
        }
    )


# --------------------------------------------------------------------------- text


def _cause_lines(v: View, c: Cause, *, with_document: bool) -> list[str]:
    t = v.t
    f = v.report.findings[c.findings[0]]
    mark = MARK[c.outcome]
    if c.cause == "finding":
        where = v.finding_where(f)
        place = ", ".join(x for x in ((f.document if with_document else None), where) if x)
        lines = [
            f"  {mark} {f.code} §{f.rule} {t.title(f.code)}" + (f" ({place})" if place else "") + f": {v.message(f)}"
        ]
    else:
        lines = [f"  {mark} {v.headline(c)} ({f.code} §{f.rule}): {v.message(f)}"]
        others = v.affected(c)
        if others:
            names = "; ".join(f"{MARK[x.outcome]} {x.code} {t.title(x.code)}" for x in others)
            lines.append(f"      {t.gettext('the same cause affects')}: {names}")
    if c.severity is not Severity.INFO and c.outcome is Outcome.FAILED:
        lines.append(f"      {t.gettext('to fix')}: {t.fix(f.code)}")
    return lines


def render_text(report: Report, lang: str | Lang = Lang.EN) -> str:
    """The clerk's view as plain text, one item per line, in the language."""
    v = view(report, lang)
    t = v.t
    out: list[str] = []
    kind = t.gettext(KIND_TEXT[report.kind]) if report.kind else t.gettext("unknown kind")
    out.append(f"{t.gettext(VERDICT_TEXT[report.verdict])}  ({kind})")
    out.append(
        t.gettext("dossier {dossier}  ·  validated at {moment}").format(
            dossier=report.dossier, moment=report.validated_at.isoformat()
        )
    )
    if report.revocation_policy:
        out.append(t.gettext("revocation policy: {policy}").format(policy=report.revocation_policy))
    a = report.applicant
    if a is not None and (a.name or a.bin or a.iin or a.email):
        ids = [
            x
            for x in (
                f"{t.gettext('BIN')} {a.bin}" if a.bin else "",
                f"{t.gettext('IIN')} {a.iin}" if a.iin else "",
                f"e-mail {a.email}" if a.email else "",
            )
            if x
        ]
        out.append(f"{t.gettext('Applicant')}: {a.name or '?'}" + (f"  ·  {'  ·  '.join(ids)}" if ids else ""))
    s = report.summary
    out.append(
        t.ngettext("{n} check", "{n} checks", s.total)
        + ": "
        + t.gettext("{passed} passed, {failed} failed, {undecided} undecided").format(
            passed=s.outcomes["passed"], failed=s.outcomes["failed"], undecided=s.outcomes["indeterminate"]
        )
    )
    groups = v.grouped()
    if groups["refusals"]:
        out += ["", t.gettext("Grounds for refusal (paragraph 27 of the Rules)")]
        for ground, items in groups["refusals"].items():
            out.append(f" {v.ground_words(ground)}")
            for c in items:
                out += _cause_lines(v, c, with_document=True)
    if groups["check"]:
        out += ["", t.gettext("For a person to check (undecided, or flagged for review), by document")]
        for doc, items in groups["check"].items():
            out.append(doc or t.gettext("(dossier)"))
            for c in items:
                out += _cause_lines(v, c, with_document=False)
    if groups["notes"]:
        out += ["", t.gettext("Notes")]
        for c in groups["notes"]:
            out += _cause_lines(v, c, with_document=True)
    found = [d for d in report.documents if d.details]
    if found:
        out += ["", t.gettext("Details found (confirm at a glance)")]
        for d in found:
            out.append(f"  {d.file}")
            for x in d.details:
                where = v.where(d.file, x.page, x.box)
                out.append(
                    f"      {t.gettext(DETAIL_TEXT.get(x.kind, x.kind))}: {x.value}" + (f" ({where})" if where else "")
                )
    if report.timeline is not None:
        out += ["", t.gettext("Review timeline")]
        for e in report.timeline.steps:
            out.append(
                "  "
                + t.gettext("§{paragraph} {what}: due {due} ({days})").format(
                    paragraph=e.paragraph.value,
                    what=t.gettext(e.what),
                    due=e.due.isoformat(),
                    days=t.working_days(e.working_days),
                )
            )
    if not groups["refusals"] and not groups["check"]:
        out += ["", t.gettext("Every check passed.")]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- HTML


@dataclass(frozen=True)
class Box:
    """A box to draw on a page image: green for a detail found, red for a flag."""

    box: tuple[int, int, int, int]
    kind: str  # "detail" or "flag"
    label: str


def page_boxes(v: View, document: DocumentEntry, page: int) -> list[Box]:
    """The details found (green) and the flags (red) on one page of one document."""
    out: list[Box] = []
    for d in document.details:
        if d.page == page and d.box is not None:
            x0, y0, x1, y1 = d.box
            out.append(Box((x0, y0, x1, y1), "detail", f"{v.t.gettext(DETAIL_TEXT.get(d.kind, d.kind))}: {d.value}"))
    for f in v.report.findings:
        if f.document != document.file or f.outcome is Outcome.PASSED:
            continue
        if (f.page or f.evidence.get("page")) != page:
            continue
        boxes = [f.evidence.get("box"), *(f.evidence.get("regions") or [])]
        for b in boxes:  # a whole-page box (an unreadable page) frames the page in red
            if isinstance(b, list | tuple) and len(b) == 4:
                out.append(Box((int(b[0]), int(b[1]), int(b[2]), int(b[3])), "flag", f"{f.code} {v.t.title(f.code)}"))
    return out


@functools.cache
def environment(lang: Lang) -> jinja2.Environment:
    """The Jinja2 environment of `intake/templates/` with the gettext of one language (the web pages reuse it)."""
    import jinja2

    t = texts(lang)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("intake", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=t.gettext, ngettext=t.ngettext, newstyle=False
    )
    return env


def render_html(report: Report, lang: str | Lang = Lang.EN, thumbs: Sequence[Thumbnail] = ()) -> str:
    """One self-contained HTML file: no external reference; page images inline as data URIs."""
    v = view(report, lang)
    env = environment(v.t.lang)
    pages: dict[str, list[dict[str, Any]]] = {}
    entries = {d.file: d for d in report.documents}
    for th in thumbs:
        entry = entries.get(th.file)
        if entry is None:
            continue
        pages.setdefault(th.file, []).append(
            {"thumb": th, "boxes": page_boxes(v, entry, th.page), "where": v.where(th.file, th.page, None)}
        )
    template = env.get_template("report.html.j2")
    return template.render(
        v=v,
        r=report,
        t=v.t,
        lang=v.t.lang.value,
        groups=v.grouped(),
        pages=pages,
        mark=MARK,
        verdict_text=v.t.gettext(VERDICT_TEXT[report.verdict]),
        kind_text=v.t.gettext(KIND_TEXT[report.kind]) if report.kind else v.t.gettext("unknown kind"),
        detail_text={k: v.t.gettext(x) for k, x in DETAIL_TEXT.items()},
        grounds=GROUNDS_27,
    )
