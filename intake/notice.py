"""The reasoned notice of paragraph 28: refusal to include, with each ground and the right of appeal.

Paragraph 28: "a notification of ... refusal to include shall be sent to the supplier's e-mail address
indicated in the application ..., indicating reasoned justifications"; paragraph 29: the refusal "shall
be appealed in court". The notice is drafted from a report: by default from every blocking finding that
failed, or from those the Commission upheld. Each ground of paragraph 27 appears once, with the
requirement it rests on (the paragraph of the Rules) and the evidence in plain words, in Russian,
Kazakh or English. Exported as text, PDF (reportlab, DejaVu fonts for Cyrillic and Kazakh letters)
or an .eml addressed to the applicant, with the PDF attached. Nothing here prints.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Sequence
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from intake.errors import ConfigurationError, InputError
from intake.i18n import Lang, Texts, texts
from intake.models import Applicant, Cause, Finding, Kind, Outcome, Report, Severity
from intake.reports import View, view
from intake.rules import DOCUMENTS

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}


class NoticeError(InputError):
    """The notice cannot be drafted from this report (nothing to refuse on, or an unknown upheld code)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Item(_Frozen):
    """One upheld finding (or cause) under a ground: the requirement and what was found, in plain words."""

    codes: tuple[str, ...]
    requirement: str  # "paragraph 7 of the Rules: Required document attached"
    evidence: str
    fix: str


class Ground(_Frozen):
    """A ground of paragraph 27 with the findings that support it."""

    ground: str | None
    citation: str  # "subparagraph 2) of paragraph 27 of the Rules"
    words: str
    items: tuple[Item, ...]


class Notice(_Frozen):
    """The notice, every text already in its language."""

    lang: Lang
    on: date
    applicant: Applicant | None
    dossier: str
    title: str
    subject: str
    addressee: str
    decision: str
    grounds: tuple[Ground, ...]
    appeal: str
    act: str


def cite_paragraph(t: Texts, paragraph: str) -> str:
    """'paragraph 7 of the Rules', 'subparagraph 2) of paragraph 7 of the Rules' in the language."""
    head, _, sub = paragraph.partition(".")
    if sub:
        return t.gettext("subparagraph {sub}) of paragraph {paragraph} of the Rules").format(sub=sub, paragraph=head)
    return t.gettext("paragraph {paragraph} of the Rules").format(paragraph=head)


def _is_refusal(f: Finding) -> bool:
    return f.severity is Severity.BLOCKING and f.outcome is Outcome.FAILED


def _evidence(v: View, f: Finding) -> str:
    """What was found, in plain words of the language (the English message is for the clerk's report)."""
    t = v.t
    doc_type = f.evidence.get("document_type")
    if f.code == "FILE001" and isinstance(doc_type, str) and doc_type in DOCUMENTS:
        d = DOCUMENTS[doc_type]
        return t.gettext("{document} ({paragraph}) is not attached").format(
            document=d.names[t.lang.value], paragraph=cite_paragraph(t, d.basis)
        )
    where = ", ".join(x for x in (v.document_name(f.document), f.document, v.finding_where(f)) if x)
    found = t.gettext("the requirement «{title}» is not met").format(title=t.title(f.code))
    said = (f"{where}: {found}" if where else found[:1].upper() + found[1:]) + ". " + t.checks(f.code)
    if f.template is not None:  # what was found, in the words of the finding, said in the language
        said += " " + t.gettext("Found: {message}.").format(message=v.message(f).rstrip("."))
    return said


def _item(v: View, c: Cause, members: Sequence[Finding], *, whole: bool) -> Item:
    t = v.t
    own = members[0]
    if c.cause == "finding" or len(members) == 1 or not whole:
        evidence = _evidence(v, own)
    else:
        affected = "; ".join(t.title(f.code) for f in members[1:])
        evidence = f"{v.headline(c)}. " + t.gettext("The same cause affects: {list}.").format(list=affected)
    paragraphs = ", ".join(dict.fromkeys(cite_paragraph(t, f.rule) for f in members))
    title = t.title(own.code)
    return Item(
        codes=tuple(dict.fromkeys(f.code for f in members)),
        requirement=f"{paragraphs} — «{title}»" if t.lang is not Lang.EN else f'{paragraphs}: "{title}"',
        evidence=evidence,
        fix=t.fix(own.code),
    )


def draft(report: Report, lang: str | Lang, *, on: date, upheld: Collection[str] | None = None) -> Notice:
    """The notice of refusal from the report's blocking failures, or from those of `upheld` codes only.

    Raises:
        NoticeError: a code of `upheld` is no blocking failure of the report, or nothing is left to refuse on.
    """
    v = view(report, lang)
    t = v.t
    refusals = {f.code for f in report.findings if _is_refusal(f)}
    if upheld is not None:
        unknown = sorted(set(upheld) - refusals)
        if unknown:
            raise NoticeError(
                f"--upheld {','.join(unknown)}: not a blocking finding that failed in this report "
                f"(those are: {', '.join(sorted(refusals)) or 'none'})"
            )
    keep = refusals if upheld is None else set(upheld)
    by_ground: dict[str | None, list[Item]] = {}
    for c in report.causes:
        kept = [i for i in c.findings if _is_refusal(report.findings[i]) and report.findings[i].code in keep]
        if not kept:
            continue
        members = [report.findings[i] for i in kept]
        # The cause's ground when its own finding is upheld; otherwise that of the first finding upheld.
        ground = c.ground if kept[0] == c.findings[0] else members[0].ground
        by_ground.setdefault(ground, []).append(_item(v, c, members, whole=kept[0] == c.findings[0]))
    if not by_ground:
        raise NoticeError(f"{report.dossier}: no blocking finding failed, so there is no ground to refuse on")
    grounds = tuple(
        Ground(
            ground=g,
            citation=cite_paragraph(t, g) if g else t.gettext("no ground of paragraph 27"),
            words=t.ground(g) if g else "",
            items=tuple(items),
        )
        for g, items in sorted(by_ground.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    )
    specialist = report.kind is Kind.SPECIALIST
    a = report.applicant
    ids = []
    if a is not None:
        ids = [
            x
            for x in (
                a.name,
                f"{t.gettext('BIN')} {a.bin}" if a.bin else "",
                f"{t.gettext('IIN')} {a.iin}" if a.iin else "",
                a.email,
            )
            if x
        ]
    return Notice(
        lang=t.lang,
        on=on,
        applicant=a,
        dossier=report.dossier,
        title=t.gettext("NOTICE of refusal to include in the registry of specialists rendering special social services")
        if specialist
        else t.gettext(
            "NOTICE of refusal to include in the unified register of organizations providing special social services"
        ),
        subject=t.gettext("Refusal to include in the Registry (paragraph 28 of the Rules)")
        if specialist
        else t.gettext("Refusal to include in the Register (paragraph 28 of the Rules)"),
        addressee=", ".join(ids) or t.gettext("the applicant"),
        decision=t.gettext(
            "The Commission considered the information and documents submitted and decided to refuse to include "
            "the supplier in the registry of specialists rendering special social services on the following grounds."
        )
        if specialist
        else t.gettext(
            "The Commission considered the information and documents submitted and decided to refuse to include "
            "the supplier in the unified register of organizations providing special social services on the "
            "following grounds."
        ),
        grounds=grounds,
        appeal=t.gettext(
            "Under paragraph 29 of the Rules, the decision to refuse inclusion may be appealed in court in case of "
            "disagreement with it."
        ),
        act=t.gettext(
            "Rules for the formation of the unified register of organizations providing special social services and "
            "the registry of specialists rendering special social services, approved by Order No. 377 of the Minister "
            "of Labor and Social Protection of Population of the Republic of Kazakhstan of 28 August 2018."
        ),
    )


def _labels(t: Texts) -> dict[str, str]:
    return {
        "date": t.gettext("Date"),
        "to": t.gettext("To"),
        "dossier": t.gettext("Dossier"),
        "ground": t.gettext("Ground"),
        "requirement": t.gettext("Requirement"),
        "found": t.gettext("What was found"),
        "fix": t.gettext("How to fix"),
        "appeal": t.gettext("Right of appeal"),
        "paragraph28": t.gettext("Sent under paragraph 28 of the Rules."),
    }


def to_text(n: Notice) -> str:
    """The notice as plain text (the body of the e-mail; editable before it is sent)."""
    t = texts(n.lang)
    lab = _labels(t)
    out = [
        n.title,
        "",
        f"{lab['date']}: {n.on.isoformat()}",
        f"{lab['to']}: {n.addressee}",
        f"{lab['dossier']}: {n.dossier}",
        "",
    ]
    out += [n.decision, ""]
    for i, g in enumerate(n.grounds, 1):
        out.append(f"{i}. {lab['ground']}: {g.citation}" + (f" — {g.words}" if g.words else ""))
        for item in g.items:
            out.append(f"   {lab['requirement']}: {item.requirement}")
            out.append(f"   {lab['found']}: {item.evidence}")
            out.append(f"   {lab['fix']}: {item.fix}")
        out.append("")
    out += [f"{lab['appeal']}: {n.appeal}", "", n.act, lab["paragraph28"]]
    return "\n".join(out) + "\n"


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in FONTS.items():
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        path = FONT_DIR / file
        if not path.is_file():
            raise ConfigurationError(
                f"{path}: the DejaVu font for Cyrillic and Kazakh letters is missing; install fonts-dejavu-core"
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))


def _a4(n: Notice, story: Sequence[Flowable]) -> bytes:
    """The story set on A4 with the notice's metadata (title, subject)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=n.title,
        author="intake",
        subject=n.subject,
        invariant=1,  # the same notice gives the same bytes
    )
    doc.build(list(story))
    return buffer.getvalue()


def _eml(n: Notice, body: str, pdf: Callable[[], bytes], sender: str | None) -> bytes:
    """An e-mail to the applicant's address of the application: `body` as text, the PDF `pdf()` attached (UTF-8)."""
    if n.applicant is None or not n.applicant.email:
        raise NoticeError(
            f"{n.dossier}: the application records no e-mail address to send the notice to (paragraph 28)"
        )
    msg = EmailMessage(policy=SMTP)
    msg["To"] = n.applicant.email
    if sender:
        msg["From"] = sender
    msg["Subject"] = n.subject
    msg["Content-Language"] = n.lang.value
    msg.set_content(body, charset="utf-8")
    msg.add_attachment(pdf(), maintype="application", subtype="pdf", filename=f"notice-{n.lang.value}.pdf")
    return msg.as_bytes()


def to_pdf(n: Notice) -> bytes:
    """The notice as an A4 PDF (text selectable; DejaVu Sans carries every Kazakh letter)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    _fonts()
    t = texts(n.lang)
    lab = _labels(t)
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10.5, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=12, leftIndent=6 * mm)
    head = ParagraphStyle("head", parent=body, fontName="DejaVuSans-Bold", fontSize=13, leading=17, alignment=1)
    bold = ParagraphStyle("bold", parent=body, fontName="DejaVuSans-Bold")

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    story = [p(n.title, head), Spacer(1, 6 * mm)]
    story += [
        p(f"{lab['date']}: {n.on.isoformat()}"),
        p(f"{lab['to']}: {n.addressee}"),
        p(f"{lab['dossier']}: {n.dossier}"),
    ]
    story += [Spacer(1, 4 * mm), p(n.decision), Spacer(1, 3 * mm)]
    for i, g in enumerate(n.grounds, 1):
        story.append(p(f"{i}. {lab['ground']}: {g.citation}" + (f" — {g.words}" if g.words else ""), bold))
        for item in g.items:
            story += [
                p(f"{lab['requirement']}: {item.requirement}", small),
                p(f"{lab['found']}: {item.evidence}", small),
                p(f"{lab['fix']}: {item.fix}", small),
            ]
        story.append(Spacer(1, 3 * mm))
    story += [p(f"{lab['appeal']}: {n.appeal}", bold), Spacer(1, 4 * mm), p(n.act, small), p(lab["paragraph28"], small)]
    return _a4(n, story)


def to_eml(n: Notice, *, sender: str | None = None) -> bytes:
    """An e-mail ready to send to the applicant's address of the application, the PDF attached (UTF-8)."""
    return _eml(n, to_text(n), lambda: to_pdf(n), sender)


def text_to_pdf(n: Notice, text: str) -> bytes:
    """The notice as the clerk edited it (plain text, as `to_text` drafts it) as an A4 PDF.

    The first line is the title; a line that starts with a ground's number ("1. ") is set in bold; blank
    lines separate paragraphs. The PDF's metadata (title, subject) are those of the drafted notice.
    """
    import re
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    _fonts()
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10.5, leading=14)
    head = ParagraphStyle("head", parent=body, fontName="DejaVuSans-Bold", fontSize=13, leading=17, alignment=1)
    bold = ParagraphStyle("bold", parent=body, fontName="DejaVuSans-Bold")
    indented = ParagraphStyle("indented", parent=body, fontSize=9.5, leading=12.5, leftIndent=6 * mm)
    lines = text.replace("\r\n", "\n").strip().split("\n")
    story: list[Flowable] = []
    for i, line in enumerate(lines):
        if not line.strip():
            story.append(Spacer(1, 3 * mm))
            continue
        style = head if i == 0 else bold if re.match(r"\d+\. ", line) else indented if line[:1] == " " else body
        story.append(Paragraph(escape(line.strip()), style))
    return _a4(n, story)


def text_to_eml(n: Notice, text: str, *, sender: str | None = None) -> bytes:
    """`to_eml` with the text as the clerk edited it: the body, and the attached PDF (`text_to_pdf`)."""
    return _eml(n, text if text.endswith("\n") else text + "\n", lambda: text_to_pdf(n, text), sender)
