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
* required and not found: `failed` (for an electronic document of a state body the missing address is
  DET010, review only: such documents print no address, kz-documents.md §1);
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
    SpecialistApplication,
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

WHAT: dict[str, str] = {
    "issuer_name": "name of the issuing organization",
    "issuer_address": "address of the issuing organization",
    "signature": "signature of the authorized person",
    "date": "date of issue",
    "number": "document number",
    "series": "document series",
    "validity": "period of validity",
}

LOOKED_FOR: dict[str, str] = {
    "issuer_name": "an organization (ТОО, АО, ГУ, КГП, ЖШС, АҚ, LLP, университет, поликлиника, министерство, ...) "
    "in the letterhead, the signature block or after «Наименование организации»",
    "issuer_address": "a street and house or a postal code (050012, A05X2K7) in the letterhead, the signature "
    "block or after «адрес», «мекенжайы», «местонахождение»",
    "signature": "a verified EDS on the file, the egov EDS footnote, or a signature line (подпись, қолы, "
    "директор, руководитель, главный врач, ректор, Signature) at the end of the document",
    "date": "a date labelled «дата выдачи», «выдан», «берілген күні», «date of issue», or a date in the header or "
    "the signature block; dates of birth, of periods and of quoted acts are not dates of issue",
    "number": "«№ ...», «серия ... № ...», «рег. №», «Уникальный номер», «Номер:», «Тіркеу нөмірі», «No.»; "
    "BIN/IIN, form and annex numbers are not document numbers",
    "series": "«серия ...» or letters before «№» (ЖБ-Б № 0123456)",
    "validity": "«действителен до», «срок действия», «с ... по ...», «сроком на ...», «жарамдылық мерзімі», "
    "«дейін», «valid until», «бессрочно»",
}

_STATE_BODY = re.compile(
    r"министерств|министрлі|департамент|комитет|акимат|әкімдіг|управлени|басқарма|"
    r"государственн\w+\s+корпораци|мемлекеттік\s+корпорация|правительство\s+для\s+граждан|"
    r"азаматтарға\s+арналған\s+үкімет|\bГУ\b|\bРГУ\b|\bКГУ\b|\bММ\b|\bРММ\b",
    re.IGNORECASE,
)


def _name(doc: FileFacts) -> str:
    type_id = doc.identification.document_type
    if type_id is not None and type_id in DOCUMENTS:
        return f"{DOCUMENTS[type_id].names['ru']} ({doc.name})"
    return doc.name


def _readable(doc: FileFacts) -> str | None:
    """Why the text of a document cannot be judged, or None when it can."""
    if doc.text_error:
        return f"its text could not be read: {doc.text_error}"
    if not any(p.text.strip() or p.words for p in doc.text):
        return "it has no text (no text layer and no OCR)"
    return None


def _applicant_iin(dossier: Dossier) -> str | None:
    app = dossier.application
    if isinstance(app, SpecialistApplication):
        return app.iin
    return None


def signed_with_eds(doc: FileFacts, dossier: Dossier) -> bool:
    """Whether the document carries a verified EDS that can stand for the issuer's signature.

    A specialist's own EDS on a copy of a diploma or a medical certificate is not the issuer's
    signature (the specialist did not issue it); any other verified EDS is.
    """
    own = _applicant_iin(dossier)
    return any(s.passed and not (own is not None and s.signer.iin == own) for s in doc.signatures)


def document_details(doc: FileFacts, dossier: Dossier) -> tuple[Detail, ...]:
    """The details of a document: gathered by the pipeline, or extracted here from its text.

    Gathered details are re-read when they count an EDS as the issuer's signature that is not one
    (the specialist's own EDS on a copy of a diploma): the signature rule lives here, in one place.
    """
    eds = signed_with_eds(doc, dossier)
    if doc.details and (eds or not any(d.source == "eds" for d in doc.details)):
        return doc.details
    return extraction.extract(doc.text, document_type=doc.identification.document_type, signed_with_eds=eds)


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
                kinds = ", ".join(WHAT[k] for k in required if CODES[k] == unread)
                yield finding(
                    unread,
                    Outcome.INDETERMINATE,
                    f"{name}: {kinds} cannot be checked because {reason}; a person must check the document",
                    document=doc.name,
                    evidence={"reason": reason},
                )
            continue
        found = {d.kind: d for d in document_details(doc, dossier)}
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
            if d.confidence < extraction.LOW_CONFIDENCE:
                yield finding(
                    "DET009",
                    Outcome.INDETERMINATE,
                    f"{name}: {WHAT[kind]} read only with low OCR confidence ({d.confidence:.0f} < "
                    f"{extraction.LOW_CONFIDENCE:.0f}): «{d.value}» on page {d.page}; a person must confirm it",
                    document=doc.name,
                    page=d.page,
                    evidence=evidence,
                )
                continue
            where = f" on page {d.page}" if d.page else ""
            yield finding(
                code,
                Outcome.PASSED,
                f"{name}: {WHAT[kind]} found{where}: «{d.value}»",
                document=doc.name,
                page=d.page,
                evidence=evidence,
            )


def _missing(dossier: Dossier, doc: FileFacts, name: str, kind: str, found: dict[str, Detail]) -> Finding:
    del dossier
    message = f"{name}: {WHAT[kind]} not found; looked for {LOOKED_FOR[kind]}"
    if kind == "issuer_address" and _state_electronic(doc, found):
        # kz-documents.md §1: state e-documents print no address; a person decides, no automatic refusal.
        message += " (an electronic document of a state body: review only)"
        return finding("DET010", Outcome.FAILED, message, document=doc.name, evidence={"kind": kind, "found": None})
    return finding(CODES[kind], Outcome.FAILED, message, document=doc.name, evidence={"kind": kind, "found": None})


def _issue_date(found: dict[str, Detail]) -> date | None:
    d = found.get("date")
    return date.fromisoformat(d.value) if d is not None and d.confidence >= extraction.LOW_CONFIDENCE else None


def validity_end(found: dict[str, Detail]) -> date | None:
    """The last day of validity: a printed end date, or the date of issue plus a printed term."""
    v = found.get("validity")
    if v is None or v.value == "unlimited":
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.value):
        return date.fromisoformat(v.value)
    issued = _issue_date(found)
    return extraction.add_period(issued, v.value) if issued is not None else None


def _judged(dossier: Dossier) -> Iterator[tuple[FileFacts, str, dict[str, Detail]]]:
    for doc in dossier.documents():
        if _readable(doc) is None:
            yield doc, _name(doc), {d.kind: d for d in document_details(doc, dossier)}


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
            yield finding("DET007", Outcome.PASSED, f"{name}: valid without a time limit", document=doc.name,
                          page=v.page, evidence=evidence)  # fmt: skip
        elif end is None:
            yield finding(
                "DET007",
                Outcome.INDETERMINATE,
                f"{name}: validity «{v.value}» is counted from the date of issue, which was not read; "
                "a person must check that the document is current",
                document=doc.name,
                page=v.page,
                evidence=evidence,
            )
        elif end < today:
            yield finding(
                "DET007",
                Outcome.FAILED,
                f"{name}: expired on {end.isoformat()}, before the validation moment {today.isoformat()}",
                document=doc.name,
                page=v.page,
                evidence=evidence,
            )
        else:
            yield finding(
                "DET007",
                Outcome.PASSED,
                f"{name}: valid until {end.isoformat()} (validation moment {today.isoformat()})",
                document=doc.name,
                page=v.page,
                evidence=evidence,
            )


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
            message = f"{name}: date of issue {issued.isoformat()} is after the validation moment {today.isoformat()}"
        elif filled is not None and issued > filled:
            message = (
                f"{name}: date of issue {issued.isoformat()} is after the application was filled out "
                f"({filled.isoformat()})"
            )
        else:
            yield finding("DET008", Outcome.PASSED, f"{name}: date of issue {issued.isoformat()} is plausible",
                          document=doc.name, page=d.page, evidence=evidence)  # fmt: skip
            continue
        yield finding("DET008", Outcome.FAILED, message, document=doc.name, page=d.page, evidence=evidence)


CHECKS: tuple[Check, ...] = (
    Check("DET001", details_present, also=[*CODES.values(), "DET009", "DET010"]),
    Check("DET007", not_expired),
    Check("DET008", date_plausible),
)
