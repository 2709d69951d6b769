"""ELIG: eligibility from state systems (paragraphs 5, 13; grounds 27.1, 27.7).

The attestations are facts gathered by the pipeline (`intake.eligibility`, `Dossier.attestations`).
Each required attestation is judged twice: ELIG009, whether it can be relied on (signed by a
state information-system certificate from the trust store, about the applicant's BIN/IIN, fresh
enough), then the type's own code (ELIG001-ELIG008) on what it states. An attestation that is
missing is `indeterminate` ("to be received from the state system"), never passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, Final

from intake.judgements import Check
from intake.models import (
    Attestation,
    ChangeApplication,
    Dossier,
    Finding,
    Kind,
    OrganizationApplication,
    Outcome,
    Say,
    SignatureReport,
    SpecialistApplication,
    say,
    say_n,
)
from intake.rules import ATTESTATION_TYPES, AttestationType, finding, holds

INFORMATION_SYSTEM: Final = "information_system"
"""The signer role of a state information-system certificate (EKU 1.2.398.3.3.4.1.2.6, kz-pki README §1)."""


def _record(dossier: Dossier) -> OrganizationApplication | SpecialistApplication | None:
    app = dossier.application
    if isinstance(app, ChangeApplication):  # paragraph 31: changes go through paragraphs 20-28 again
        return app.updated
    if isinstance(app, OrganizationApplication | SpecialistApplication):
        return app
    return None


def required_types(rec: OrganizationApplication | SpecialistApplication) -> tuple[AttestationType, ...]:
    """The attestations paragraph 5/13 (and 7 for premises) call for, for this applicant."""
    kind = Kind.ORGANIZATION if isinstance(rec, OrganizationApplication) else Kind.SPECIALIST
    out = []
    for t in ATTESTATION_TYPES.values():
        if t.kind is kind and holds(rec, t.required_when):
            out.append(t)
    return tuple(out)


def _quote(text: str) -> str:
    return f"«{text.strip()}»"


def _signature_verdict(sigs: tuple[SignatureReport, ...]) -> tuple[Outcome, Say, dict[str, Any]]:
    """Whether one of the signatures is a trusted, intact state information-system signature."""
    if not sigs:
        return Outcome.FAILED, say("not signed: no detached signature (<file>.cms) beside it"), {}
    reasons: list[Say] = []
    undecided = True  # every signature merely undecided: the attestation is undecided, not failed
    for s in sigs:
        who = s.signer.common_name or s.signer.organization or say("unknown signer")
        roles = set(s.signer.roles) | ({s.signer.role} if s.signer.role else set())
        ev = {"signer": str(who), "roles": sorted(roles), "indication": s.indication, "source": s.source}
        if s.passed and s.trusted is True and INFORMATION_SYSTEM in roles:
            return Outcome.PASSED, say("signed by the information system {signer}", signer=who), ev
        if s.indication != "INDETERMINATE":
            undecided = False
        if s.indication == "TOTAL_FAILED":
            reasons.append(
                say("signature {source} failed ({why})", source=s.source or "", why=s.subindication or say("invalid"))
            )
        elif s.indication == "INDETERMINATE":
            why = "; ".join(s.messages) or s.subindication or say("undecided")
            reasons.append(say("signature {source} could not be verified ({why})", source=s.source or "", why=why))
        elif s.trusted is not True:
            reasons.append(say("signed by {signer}, whose certificate does not chain to the trust store", signer=who))
        else:
            shown = ", ".join(sorted(roles)) or say("no role")
            reasons.append(
                say("signed by {signer} ({roles}), not a state information-system certificate", signer=who, roles=shown)
            )
    outcome = Outcome.INDETERMINATE if undecided else Outcome.FAILED
    return outcome, say("{reasons}", reasons=tuple(reasons)), {"signatures": len(sigs)}


def _judge_attestation(dossier: Dossier, a: Attestation, subject: tuple[str, str], max_age: int) -> list[Finding]:
    """ELIG009 findings for one attestation: signature, subject, freshness."""
    out: list[Finding] = []
    doc = a.file if a.origin == "dossier" else f"{a.origin}/{a.file}"
    sig_outcome, sig_message, sig_ev = _signature_verdict(a.signatures)
    if sig_outcome is not Outcome.PASSED:
        out.append(
            finding(
                "ELIG009",
                sig_outcome,
                say("{type} attestation: {what}", type=a.type, what=sig_message),
                document=doc,
                evidence={"attestation": a.type, "check": "signature", **sig_ev},
            )
        )
    field, expected = subject
    given = a.subject_bin if field == "bin" else a.subject_iin
    if given != expected:
        shown = say("none") if given is None else given
        out.append(
            finding(
                "ELIG009",
                Outcome.FAILED,
                say(
                    "{type} attestation is about {field} {found}, not the applicant's {expected}",
                    type=a.type,
                    field=field.upper(),
                    found=shown,
                    expected=expected,
                ),
                document=doc,
                evidence={"attestation": a.type, "check": "subject", "expected": expected, "found": given},
            )
        )
    age = dossier.at - a.issued_at
    if age < timedelta(0):
        out.append(
            finding(
                "ELIG009",
                Outcome.FAILED,
                say(
                    "{type} attestation is issued at {issued}, after the validation moment {at}",
                    type=a.type,
                    issued=a.issued_at.isoformat(),
                    at=dossier.at.isoformat(),
                ),
                document=doc,
                evidence={"attestation": a.type, "check": "freshness", "issued_at": a.issued_at.isoformat()},
            )
        )
    elif age > timedelta(days=max_age):
        out.append(
            finding(
                "ELIG009",
                Outcome.FAILED,
                say_n(
                    "{type} attestation is {n} day old (issued {issued}); at most {max} are accepted: receive it again",
                    "{type} attestation is {n} days old (issued {issued}); at most {max} are accepted: "
                    "receive it again",
                    age.days,
                    type=a.type,
                    issued=str(a.issued_at.date()),
                    max=say_n("{n} day", "{n} days", max_age),
                ),
                document=doc,
                evidence={
                    "attestation": a.type,
                    "check": "freshness",
                    "issued_at": a.issued_at.isoformat(),
                    "age_days": age.days,
                    "max_age_days": max_age,
                },
            )
        )
    if not out:
        out.append(
            finding(
                "ELIG009",
                Outcome.PASSED,
                say(
                    "{type} attestation from {system} ({issuer}): {signature}; about {field} {expected}; "
                    "issued {issued} ({age} before, at most {max})",
                    type=a.type,
                    system=a.system,
                    issuer=a.issuer,
                    signature=sig_message,
                    field=field.upper(),
                    expected=expected,
                    issued=str(a.issued_at.date()),
                    age=say_n("{n} day", "{n} days", age.days),
                    max=max_age,
                ),
                document=doc,
                evidence={"attestation": a.type, "issued_at": a.issued_at.isoformat(), "age_days": age.days, **sig_ev},
            )
        )
    return out


def state_attestations(dossier: Dossier) -> Iterator[Finding]:
    """ELIG001-ELIG009: each required attestation present, authentic and current, and what it states."""
    rec = _record(dossier)
    if rec is None:
        return
    atts = dossier.attestations
    max_age = dossier.attestation_max_age_days
    subject = ("bin", rec.bin) if isinstance(rec, OrganizationApplication) else ("iin", rec.iin)
    where = say("the dossier's state/ folder")
    for source in atts.sources:
        if source != "dossier":
            where = say("{places} or {place}", places=where, place=source)

    for p in atts.problems:
        yield finding(
            "ELIG009",
            Outcome.FAILED,
            say("{file}: {problem}", file=p.file, problem=p.template or p.message),
            document=p.file if p.origin == "dossier" else f"{p.origin}/{p.file}",
            evidence={"attestation": p.type, "check": "readable"},
        )
    required = required_types(rec)
    for other in atts.found:
        if other.type not in ATTESTATION_TYPES:
            yield finding(
                "ELIG009",
                Outcome.INDETERMINATE,
                say(
                    "{file}: attestation type '{type}' is not one of {types}; it was not used",
                    file=other.file,
                    type=other.type,
                    types=", ".join(ATTESTATION_TYPES),
                ),
                document=other.file,
                evidence={"attestation": other.type},
            )
    for t in required:
        basis = t.basis
        a = atts.latest(t.id)
        if a is None:
            yield finding(
                t.code,
                Outcome.INDETERMINATE,
                say(
                    "{what}: to be received from the state system (no {type} attestation in {where}); "
                    "a blocking check left undecided sends the dossier to review",
                    what=t.what,
                    type=t.id,
                    where=where,
                ),
                evidence={"attestation": t.id, "expected": f"state/{t.id}.json"},
                basis=basis,
            )
            continue
        judged = _judge_attestation(dossier, a, subject, max_age)
        yield from judged
        doc = a.file if a.origin == "dossier" else f"{a.origin}/{a.file}"
        ev = {
            "attestation": t.id,
            "status": a.status,
            "statement": a.statement,
            "system": a.system,
            "issued_at": a.issued_at.isoformat(),
        }
        if any(f.outcome is not Outcome.PASSED for f in judged):
            yield finding(
                t.code,
                Outcome.INDETERMINATE,
                say(
                    "{what}: the {type} attestation cannot be relied on (see ELIG009); "
                    "it states {statement} ({status})",
                    what=t.what,
                    type=t.id,
                    statement=_quote(a.statement),
                    status=a.status,
                ),
                document=doc,
                evidence=ev,
                basis=basis,
            )
        elif a.status == "adverse":
            yield finding(
                t.code,
                Outcome.FAILED,
                say(
                    "{what}: not met; {system} states {statement}",
                    what=t.what,
                    system=a.system,
                    statement=_quote(a.statement),
                ),
                document=doc,
                evidence=ev,
                basis=basis,
            )
        else:
            yield finding(
                t.code,
                Outcome.PASSED,
                say("{what}: {system} states {statement}", what=t.what, system=a.system, statement=_quote(a.statement)),
                document=doc,
                evidence=ev,
                basis=basis,
            )


# Fields of work the Standards staff special social services with (social work, psychology, pedagogy
# and special pedagogy, medicine and nursing, rehabilitation), as stems in Russian, Kazakh, English.
_RELEVANT: Final = {
    "social work": ("социальн", "әлеуметтік", "social"),
    "psychology": ("психолог", "psycholog"),
    "pedagogy": ("педагог", "pedagog", "учител", "мұғалім", "teacher", "воспитател", "тәрбиеші"),
    "special pedagogy": ("дефектолог", "defectolog", "логопед", "speech therap", "сурдо", "тифло", "олигофрено"),
    "medicine and nursing": (
        "медицин",
        "медсестр",
        "мейірбике",
        "врач",
        "дәрігер",
        "фельдшер",
        "doctor",
        "nurs",
        "medic",
    ),
    "rehabilitation": (
        "реабилит",
        "оңалт",
        "rehabilit",
        "лфк",
        "физиотерап",
        "physiotherap",
        "эрготерап",
        "occupational therap",
        "массаж",
        "massage",
    ),
    "care": ("сиделк", "уход", "күтім", "caregiv", "care work"),
}


def qualification(dossier: Dossier) -> Iterator[Finding]:
    """ELIG010: the qualification names a field the Standards staff special social services with.

    What is checked is honest and narrow: the words of the qualification (and position) against the
    fields of work of the Standards. Whether it fits the particular services is for a person: a
    qualification naming none of those fields is left undecided for the reviewer, never failed.
    """
    rec = _record(dossier)
    if not isinstance(rec, SpecialistApplication):
        return
    services = ", ".join(rec.service_types)
    # The qualification only: an education at a "university of social technologies" says nothing of the field.
    text = rec.qualification.casefold()
    if not rec.qualification.strip():
        yield finding(
            "ELIG010",
            Outcome.FAILED,
            say(
                "no qualification is given (FORM011); it cannot be compared with the services {services}",
                services=services,
            ),
            document=dossier.application_file,
            evidence={"field": "qualification"},
        )
        return
    matched = {field: stem for field, stems in _RELEVANT.items() for stem in stems if re.search(re.escape(stem), text)}
    ev = {
        "field": "qualification",
        "qualification": rec.qualification,
        "service_types": list(rec.service_types),
        "fields_matched": sorted(matched),
    }
    if matched:
        yield finding(
            "ELIG010",
            Outcome.PASSED,
            say(
                "qualification {qualification} is in a field of special social services ({fields}); "
                "services applied for: {services}",
                qualification=_quote(rec.qualification),
                fields=", ".join(sorted(matched)),
                services=services,
            ),
            document=dossier.application_file,
            evidence=ev,
        )
    else:
        yield finding(
            "ELIG010",
            Outcome.INDETERMINATE,
            say(
                "qualification {qualification} names none of the fields the Standards staff special social "
                "services with; a person compares it with the Standards for: {services}",
                qualification=_quote(rec.qualification),
                services=services,
            ),
            document=dossier.application_file,
            evidence=ev,
        )


CHECKS: tuple[Check, ...] = (
    Check("ELIG009", state_attestations, also=[t.code for t in ATTESTATION_TYPES.values()]),
    Check("ELIG010", qualification),
)
"""Checks of this area; see `intake.rules` for their codes."""
