"""DET: the required details of every attached document (paragraph 27.5).

27.5 refuses a document without "the name and address of the organization that issued the
document, the signature of the authorized person, the date of the document's issuance, the number
and series of the document (if any), the period of validity of the document (if any)".

The details come from `FileFacts.details` when the pipeline gathered them, else from
`intake.details.extract` over the file's text (the same pure function). Which details a type must
carry, and which it carries only "if any", comes from the catalog (`rules.required_details`).
One more requirement is read from the text: a lease or trust-management contract states its term
(the premises type also covers ownership documents, which have none).

Per document and detail kind:

* found, confidently read: `passed`, with the value, page and box as evidence;
* found only with low OCR confidence: DET009 `indeterminate` (kz-documents.md §7: not missing);
* required and not found where its zone was read with high confidence (a sound text layer, or OCR with
  a median word confidence of at least `ESTABLISHED_CONFIDENCE` over the zone, no handwriting seen):
  `failed` (for an electronic document of a state body the missing address is DET010, review only:
  such documents print no address, kz-documents.md §1);
* required and not found where the zone was not read well enough to say it is absent: `indeterminate`
  with the reason (review, never a refusal);
* "if any" and not found: nothing (the type does not always carry it).

A document whose text could not be read gets `indeterminate` findings with the reason, never a pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from intake import details as extraction
from intake.files import is_archive, is_supported
from intake.judgements import Check
from intake.models import (
    Detail,
    Dossier,
    FileFacts,
    Finding,
    Outcome,
    Say,
    SayArg,
    SpecialistApplication,
    say,
    say_n,
)
from intake.rules import DOCUMENTS, finding, required_details

CODES: dict[str, str] = {
    "issuer_name": "DET001",
    "issuer_address": "DET002",
    "signature": "DET003",
    "date": "DET004",
    "number": "DET005",
    "series": "DET005",
    "validity": "DET006",
}
"""The finding code of each detail kind (the seal is evidence of DET003, not a detail of its own)."""

WHAT: dict[str, Say] = {
    "issuer_name": say("name of the issuing organization"),
    "issuer_address": say("address of the issuing organization"),
    "signature": say("signature of the authorized person"),
    "date": say("date of issue"),
    "number": say("document number"),
    "series": say("document series"),
    "validity": say("period of validity"),
}

LOOKED_FOR: dict[str, Say] = {
    "issuer_name": say(
        "an organization (ТОО, АО, ГУ, КГП, ЖШС, АҚ, LLP, университет, поликлиника, министерство, ...) "
        "in the letterhead, the signature block or after «Наименование организации»"
    ),
    "issuer_address": say(
        "a street and house or a postal code (050012, A05X2K7) in the letterhead, the signature "
        "block or after «адрес», «мекенжайы», «местонахождение»"
    ),
    "signature": say(
        "a verified EDS on the file, the egov EDS footnote, or a signature line (подпись, қолы, "
        "директор, руководитель, главный врач, ректор, Signature) at the end of the document"
    ),
    "date": say(
        "a date labelled «дата выдачи», «выдан», «берілген күні», «date of issue», or a date in the header or "
        "the signature block; dates of birth, of periods and of quoted acts are not dates of issue"
    ),
    "number": say(
        "«№ ...», «серия ... № ...», «рег. №», «Уникальный номер», «Номер:», «Тіркеу нөмірі», «No.»; "
        "BIN/IIN, form and annex numbers are not document numbers"
    ),
    "series": say("«серия ...» or letters before «№» (ЖБ-Б № 0123456)"),
    "validity": say(
        "«действителен до», «срок действия», «с ... по ...», «сроком на ...», «жарамдылық мерзімі», "
        "«дейін», «valid until», «бессрочно»"
    ),
}

_STATE_BODY = re.compile(
    r"министерств|министрлі|департамент|комитет|акимат|әкімдіг|управлени|басқарма|"
    r"государственн\w+\s+корпораци|мемлекеттік\s+корпорация|правительство\s+для\s+граждан|"
    r"азаматтарға\s+арналған\s+үкімет|\bГУ\b|\bРГУ\b|\bКГУ\b|\bММ\b|\bРММ\b",
    re.IGNORECASE,
)


def _name(doc: FileFacts) -> Say:
    type_id = doc.identification.document_type
    if type_id is not None and type_id in DOCUMENTS:
        return say("{document} ({file})", document=DOCUMENTS[type_id].names["ru"], file=doc.name)
    return say("{file}", file=doc.name)


def _readable(doc: FileFacts) -> Say | None:
    """Why the text of a document cannot be judged, or None when it can."""
    if doc.text_error:
        return say("its text could not be read: {error}", error=doc.text_error)
    if not any(p.text.strip() or p.words for p in doc.text):
        return say("it has no text (no text layer and no OCR)")
    return None


def _applicant_iin(dossier: Dossier) -> str | None:
    app = dossier.application
    if isinstance(app, SpecialistApplication):
        return app.iin
    return None


def signed_with_eds(doc: FileFacts, dossier: Dossier) -> bool:
    """Whether the document carries a verified EDS that can stand for the issuer's signature (issue 10:
    a judgement over `SignatureReport.indication`, not an input of the extraction).

    A specialist's own EDS on a copy of a diploma or a medical certificate is not the issuer's
    signature (the specialist did not issue it); any other verified EDS is. An egov barcode counts only
    when the printed page shows what it signed (issue 15).
    """
    own = _applicant_iin(dossier)
    return any(
        s.passed and not s.page_mismatches and not (own is not None and s.signer.iin == own) for s in doc.signatures
    )


def document_details(doc: FileFacts, dossier: Dossier) -> tuple[Detail, ...]:
    """The details of a document's pages: gathered by the pipeline, or extracted here from its text."""
    del dossier
    if doc.details:
        return doc.details
    return extraction.extract(doc.text, document_type=doc.identification.document_type)


def eds_signature(doc: FileFacts, dossier: Dossier) -> Detail | None:
    """The verified EDS of the file standing in for the signature of the authorized person, if any."""
    if not signed_with_eds(doc, dossier):
        return None
    return Detail(kind="signature", value="verified EDS of the file", source="eds")


def requirements(doc: FileFacts) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The details this document must carry and those it carries only "if any"."""
    required, if_any = required_details(doc.identification.document_type)
    if (
        doc.identification.document_type == "premises-document"
        and "validity" not in required
        and extraction.is_lease(doc.text)
    ):
        # A lease or trust-management contract is concluded for a term; an ownership document is not.
        required = (*required, "validity")
        if_any = tuple(k for k in if_any if k != "validity")
    return required, if_any


def _found(doc: FileFacts, dossier: Dossier) -> dict[str, Detail]:
    """The details of a document, with a verified EDS standing in for a signature the pages lack."""
    found = {d.kind: d for d in document_details(doc, dossier)}
    sig = found.get("signature")
    if sig is None or sig.confidence < extraction.LOW_CONFIDENCE:
        eds = eds_signature(doc, dossier)
        if eds is not None:
            found["signature"] = eds
    return found


def _state_electronic(doc: FileFacts, found: dict[str, Detail]) -> bool:
    """An electronic document of a state body: egov footnote or EDS, and a state issuer (or none named)."""
    sig = found.get("signature")
    electronic = sig is not None and (sig.source == "eds" or bool(_EDS_NOTE.search(sig.value)))
    issuer = found.get("issuer_name")
    return electronic and (issuer is None or bool(_STATE_BODY.search(issuer.value)))


_EDS_NOTE = re.compile(r"ЭЦП|ЭЦҚ|цифров|цифрлық|бумажном|қағаз|EDS|штрих", re.IGNORECASE)


def _evidence(d: Detail) -> dict[str, object]:
    return {
        "kind": d.kind,
        "value": d.value,
        "page": d.page,
        "box": list(d.box) if d.box else None,
        "confidence": d.confidence,
        "source": d.source,
    }


def details_present(dossier: Dossier) -> Iterator[Finding]:
    """DET001-DET006, DET009: every required detail of every document is there and legible."""
    for doc in dossier.documents():
        if is_archive(doc) or not is_supported(doc):
            continue  # FILE011 / FILE015 already say this file is no document the Rules accept
        name = _name(doc)
        required, if_any = requirements(doc)
        reason = _readable(doc)
        if reason is not None:
            for unread in dict.fromkeys(CODES[k] for k in required):
                kinds = tuple(WHAT[k] for k in required if CODES[k] == unread)
                yield finding(
                    unread,
                    Outcome.INDETERMINATE,
                    say(
                        "{document}: {kinds} cannot be checked because {reason}; a person must check the document",
                        document=name,
                        kinds=kinds,
                        reason=reason,
                    ),
                    document=doc.name,
                    evidence={"reason": str(reason)},
                )
            continue
        found = _found(doc, dossier)
        seal = found.get("seal")
        for kind in (*required, *if_any):
            code = CODES.get(kind)
            if code is None:
                continue
            d = found.get(kind)
            if d is None:
                if kind in required:
                    yield _missing(dossier, doc, name, kind, found)
                continue
            evidence = _evidence(d)
            if kind == "signature" and seal is not None:
                evidence["seal"] = _evidence(seal)
            if kind == "signature" and is_eds_stamp(d):
                yield _eds_stamp_finding(doc, name, d, evidence)
                continue
            if d.confidence < extraction.LOW_CONFIDENCE:
                yield finding(
                    "DET009",
                    Outcome.INDETERMINATE,
                    say(
                        "{document}: {what} read only with low OCR confidence ({confidence} < {threshold}): "
                        "«{value}» on page {page}; a person must confirm it",
                        document=name,
                        what=WHAT[kind],
                        confidence=f"{d.confidence:.0f}",
                        threshold=f"{extraction.LOW_CONFIDENCE:.0f}",
                        value=d.value,
                        page=d.page,
                    ),
                    document=doc.name,
                    page=d.page,
                    evidence=evidence,
                )
                continue
            where = say(" on page {page}", page=d.page) if d.page else ""
            yield finding(
                code,
                Outcome.PASSED,
                say(
                    "{document}: {what} found{where}: «{value}»",
                    document=name,
                    what=WHAT[kind],
                    where=where,
                    value=d.value,
                ),
                document=doc.name,
                page=d.page,
                evidence=evidence,
            )


_STAMP_CERTIFICATE = re.compile(r"сертификат\w*\s*:?\s*(?:№\s*)?[0-9A-F]{8,}|серийн\w+\s+номер", re.IGNORECASE)
_STAMP_HEADING = re.compile(r"(?:документ\s+)?подписан\w*\s+(?:\w+\s+){0,2}электронн\w+\s+(?:\w+\s+)?подпись\w*", re.I)
_STAMP_OWNER = re.compile(r"(?i:владел\w+|иесі|выдан\w*\s+на)|[А-ЯЁ]{3,}\s+[А-ЯЁ]{3,}\s+[А-ЯЁ]{3,}")


def is_eds_stamp(d: Detail) -> bool:
    """Whether a signature detail is a visual EDS stamp seen on a page (`MarkKind.EDS_STAMP`)."""
    return d.source == "image" and d.value.startswith(extraction.EDS_STAMP_VALUE)


def eds_stamp_stands_for_signature(d: Detail) -> bool:
    """Whether a visual EDS stamp stands in for the signature of the authorized person.

    It does when it names what a signature names: the certificate (its serial) and its owner (the signer),
    as the visual stamp of a qualified e-signature prints them (Russian 63-FZ stamps, real doc 27; operator
    stamps, real doc 33). The electronic signature itself is not attached, so it is not verified here: like
    the egov footnote, the stamp says the original was signed. A heading alone («подписан электронной
    подписью» with nothing after it) may be a sentence of the body: it does not stand in.
    """
    rest = _STAMP_HEADING.sub(" ", d.value)  # the heading's own capitals are no owner's name
    return bool(_STAMP_CERTIFICATE.search(rest)) and bool(_STAMP_OWNER.search(rest))


def _eds_stamp_finding(doc: FileFacts, name: Say, d: Detail, evidence: dict[str, object]) -> Finding:
    if eds_stamp_stands_for_signature(d):
        return finding(
            "DET003",
            Outcome.PASSED,
            say(
                "{document}: signature of the authorized person: a visual EDS stamp on page {page} stands in for "
                "it (the certificate and its owner are printed; the electronic signature itself is not attached "
                "and was not verified): {value}",
                document=name,
                page=d.page,
                value=d.value,
            ),
            document=doc.name,
            page=d.page,
            evidence=evidence,
        )
    return finding(
        "DET003",
        Outcome.INDETERMINATE,
        say(
            "{document}: no handwritten signature found; page {page} carries a visual EDS stamp that names no "
            "certificate or owner ({value}); a person must check whether the document was signed",
            document=name,
            page=d.page,
            value=d.value,
        ),
        document=doc.name,
        page=d.page,
        evidence=evidence,
    )


ESTABLISHED_CONFIDENCE = 85.0
"""Median OCR word confidence over a zone from which the absence of a detail counts as established.

Chosen on the real-document set (README, "How the DET thresholds were chosen"): pages whose zone
was read with a median below it are the pages where the details were missed because they were not
read (seals over text, handwriting, security backgrounds, low resolution), not because they were absent.
"""
LOW_WORDS_SHARE = 0.05
"""Above this share of words read below `details.LOW_CONFIDENCE`, a zone may hide its detail misread."""
MIN_ZONE_WORDS = 3
"""A zone with fewer words than this was not read at all (a photo of a seal, a blank)."""


def _low_words(low: int, words: int, part: Say, where: Say, kind: str) -> Say:
    """`low` of the `words` words of a zone were read below `details.LOW_CONFIDENCE`: the detail may be among them."""
    return say_n(
        "{n} of {words} words in {part} of {where} was read with low OCR confidence (below {threshold}); "
        "the {what} may be among them",
        "{n} of {words} words in {part} of {where} were read with low OCR confidence (below {threshold}); "
        "the {what} may be among them",
        low,
        words=words,
        part=part,
        where=where,
        threshold=f"{extraction.LOW_CONFIDENCE:.0f}",
        what=WHAT[kind],
    )


def unread_reason(doc: FileFacts, kind: str) -> Say | None:
    """Why the absence of `kind` is not established (None when it is): the zone of the detail was
    not read with high confidence, or its field was filled in by hand and the detectors saw that."""
    zone = extraction.zone_reading(doc.text, kind)
    where = say("page {page}", page=zone.page) if zone.page is not None else say("the document")
    part = (
        say("the header (letterhead, title, number and date)") if zone.zone == "header" else say("the signature block")
    )
    if zone.source == "none" or zone.words < MIN_ZONE_WORDS:
        return say("{part} of {where} has no readable text", part=part, where=where)
    page = next((p for p in doc.text if p.number == zone.page), None)
    if kind == "signature" and page is not None and page.source == "ocr" and not page.marks:
        # A handwritten signature is a mark on the image, not text: with no detector's report on the
        # page (none ran, or none saw anything at all), its absence is not established.
        return say("{where} is an image and no signature detector reported on it", where=where)
    if zone.handwriting and kind in ("date", "number", "series", "issuer_name"):
        return say(
            "the {what} may be handwritten on {where} (handwriting seen) and could not be read",
            what=WHAT[kind],
            where=where,
        )
    if zone.source == "ocr" and (zone.confidence is None or zone.confidence < ESTABLISHED_CONFIDENCE):
        median = say("no words") if zone.confidence is None else say("median {median}", median=f"{zone.confidence:.0f}")
        return say(
            "{part} of {where} was read with low OCR confidence ({median} < {threshold})",
            part=part,
            where=where,
            median=median,
            threshold=f"{ESTABLISHED_CONFIDENCE:.0f}",
        )
    if zone.source == "ocr" and zone.low > LOW_WORDS_SHARE * zone.words:
        return _low_words(zone.low, zone.words, part, where, kind)
    if kind == "date":
        # A date of issue is also taken from the signature block (a letter's «Наурыз 2024 жыл» under the
        # signatory): its absence needs that zone read with confidence too.
        block = extraction.zone_reading(doc.text, kind, zone="signature")
        if block.source == "ocr" and block.words >= MIN_ZONE_WORDS and block.low > LOW_WORDS_SHARE * block.words:
            where = say("page {page}", page=block.page) if block.page is not None else say("the document")
            return _low_words(block.low, block.words, say("the signature block"), where, kind)
    return None


def _missing(dossier: Dossier, doc: FileFacts, name: Say, kind: str, found: dict[str, Detail]) -> Finding:
    del dossier
    message = say(
        "{document}: {what} not found; looked for {looked_for}",
        document=name,
        what=WHAT[kind],
        looked_for=LOOKED_FOR[kind],
    )
    evidence: dict[str, object] = {"kind": kind, "found": None}
    zone = extraction.zone_reading(doc.text, kind)
    evidence["zone"] = {"zone": zone.zone, "page": zone.page, "source": zone.source, "words": zone.words,
                        "confidence": zone.confidence, "low": zone.low, "handwriting": zone.handwriting}  # fmt: skip
    blanks = [(p.number, f) for p in doc.text for f in p.fillins if f.kind == kind and f.value is None]
    if blanks:
        # the printed blank where the detail is written by hand and could not be read: where a person looks
        number, blank = blanks[0]
        evidence["fill_in"] = {"page": number, "box": list(blank.ink or blank.box), "read": blank.text,
                               "reason": blank.reason}  # fmt: skip
    if kind == "issuer_address" and _state_electronic(doc, found):
        # kz-documents.md §1: state e-documents print no address; a person decides, no automatic refusal.
        message = say("{message} (an electronic document of a state body: review only)", message=message)
        return finding("DET010", Outcome.FAILED, message, document=doc.name, evidence=evidence)
    # 27.5 refuses a document that lacks a detail, not one whose detail could not be read: absence is
    # established only over a zone read with high confidence (issue 11, point 5).
    reason = unread_reason(doc, kind)
    if reason is not None:
        evidence["reason"] = str(reason)
        return finding(
            CODES[kind],
            Outcome.INDETERMINATE,
            say(
                "{document}: {what} not found, but {reason}; a person must check the document",
                document=name,
                what=WHAT[kind],
                reason=reason,
            ),
            document=doc.name,
            page=zone.page,
            evidence=evidence,
        )
    return finding(CODES[kind], Outcome.FAILED, message, document=doc.name, evidence=evidence)


def _issue_date(found: dict[str, Detail]) -> date | None:
    d = found.get("date")
    if d is None or d.confidence < extraction.LOW_CONFIDENCE or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.value):
        return None  # not read, or a month and year only («Наурыз 2024 жыл»): no day to count from
    return date.fromisoformat(d.value)


def validity_end(found: dict[str, Detail]) -> date | None:
    """The last day of validity: a printed end date, or the date of issue plus a printed term."""
    v = found.get("validity")
    if v is None or v.value == "unlimited":
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.value):
        return date.fromisoformat(v.value)
    issued = _issue_date(found)
    return extraction.add_period(issued, v.value) if issued is not None else None


def _judged(dossier: Dossier) -> Iterator[tuple[FileFacts, Say, dict[str, Detail]]]:
    for doc in dossier.documents():
        if _readable(doc) is None:
            yield doc, _name(doc), _found(doc, dossier)


def not_expired(dossier: Dossier) -> Iterator[Finding]:
    """DET007: no document's validity has ended before the validation moment `dossier.at`."""
    today = dossier.at.date()
    for doc, name, found in _judged(dossier):
        v = found.get("validity")
        if v is None or v.confidence < extraction.LOW_CONFIDENCE:
            continue  # DET006 / DET009 report it
        end = validity_end(found)
        evidence = {**_evidence(v), "end": end.isoformat() if end else None, "at": dossier.at.isoformat()}
        if v.value == "unlimited":
            said = say("{document}: valid without a time limit", document=name)
            yield finding("DET007", Outcome.PASSED, said, document=doc.name,
                          page=v.page, evidence=evidence)  # fmt: skip
        elif end is None:
            yield finding(
                "DET007",
                Outcome.INDETERMINATE,
                say(
                    "{document}: validity «{value}» is counted from the date of issue, which was not read; "
                    "a person must check that the document is current",
                    document=name,
                    value=v.value,
                ),
                document=doc.name,
                page=v.page,
                evidence=evidence,
            )
        else:
            dates: dict[str, SayArg] = {"document": name, "end": end.isoformat(), "today": today.isoformat()}
            expired = end < today
            said = (
                say("{document}: expired on {end}, before the validation moment {today}", **dates)
                if expired
                else say("{document}: valid until {end} (validation moment {today})", **dates)
            )
            outcome = Outcome.FAILED if expired else Outcome.PASSED
            yield finding("DET007", outcome, said, document=doc.name, page=v.page, evidence=evidence)


def _filled_out_on(dossier: Dossier) -> date | None:
    app = dossier.application
    return app.filled_out_on if app is not None else None


def date_plausible(dossier: Dossier) -> Iterator[Finding]:
    """DET008: the date of issue is not in the future nor after the application was filled out."""
    today = dossier.at.date()
    filled = _filled_out_on(dossier)
    for doc, name, found in _judged(dossier):
        issued = _issue_date(found)
        d = found.get("date")
        if issued is None or d is None:
            continue
        evidence = {
            **_evidence(d),
            "at": dossier.at.isoformat(),
            "filled_out_on": filled.isoformat() if filled else None,
        }
        if issued > today:
            message = say(
                "{document}: date of issue {issued} is after the validation moment {today}",
                document=name,
                issued=issued.isoformat(),
                today=today.isoformat(),
            )
        elif filled is not None and issued > filled:
            message = say(
                "{document}: date of issue {issued} is after the application was filled out ({filled})",
                document=name,
                issued=issued.isoformat(),
                filled=filled.isoformat(),
            )
        else:
            said = say("{document}: date of issue {issued} is plausible", document=name, issued=issued.isoformat())
            yield finding("DET008", Outcome.PASSED, said,
                          document=doc.name, page=d.page, evidence=evidence)  # fmt: skip
            continue
        yield finding("DET008", Outcome.FAILED, message, document=doc.name, page=d.page, evidence=evidence)


CHECKS: tuple[Check, ...] = (
    Check("DET001", details_present, also=[*CODES.values(), "DET009", "DET010"]),
    Check("DET007", not_expired),
    Check("DET008", date_plausible),
)
