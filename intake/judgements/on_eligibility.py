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
    SignatureReport,
    SpecialistApplication,
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


def _signature_verdict(sigs: tuple[SignatureReport, ...]) -> tuple[Outcome, str, dict[str, Any]]:
    """Whether one of the signatures is a trusted, intact state information-system signature."""
    if not sigs:
        return Outcome.FAILED, "not signed: no detached signature (<file>.cms) beside it", {}
    reasons: list[str] = []
    undecided = True  # every signature merely undecided: the attestation is undecided, not failed
    for s in sigs:
        who = s.signer.common_name or s.signer.organization or "unknown signer"
        roles = set(s.signer.roles) | ({s.signer.role} if s.signer.role else set())
        ev = {"signer": who, "roles": sorted(roles), "indication": s.indication, "source": s.source}
        if s.passed and s.trusted is True and INFORMATION_SYSTEM in roles:
            return Outcome.PASSED, f"signed by the information system {who}", ev
        if s.indication != "INDETERMINATE":
            undecided = False
        if s.indication == "TOTAL_FAILED":
            reasons.append(f"signature {s.source or ''} failed ({s.subindication or 'invalid'})".replace("  ", " "))
        elif s.indication == "INDETERMINATE":
            why = "; ".join(s.messages) or s.subindication or "undecided"
            reasons.append(f"signature {s.source or ''} could not be verified ({why})".replace("  ", " "))
        elif s.trusted is not True:
            reasons.append(f"signed by {who}, whose certificate does not chain to the trust store")
        else:
            shown = ", ".join(sorted(roles)) or "no role"
            reasons.append(f"signed by {who} ({shown}), not a state information-system certificate")
    outcome = Outcome.INDETERMINATE if undecided else Outcome.FAILED
    return outcome, "; ".join(reasons), {"signatures": len(sigs)}


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
                f"{a.type} attestation: {sig_message}",
                document=doc,
                evidence={"attestation": a.type, "check": "signature", **sig_ev},
            )
        )
    field, expected = subject
    given = a.subject_bin if field == "bin" else a.subject_iin
    if given != expected:
        shown = "none" if given is None else given
        out.append(
            finding(
                "ELIG009",
                Outcome.FAILED,
                f"{a.type} attestation is about {field.upper()} {shown}, not the applicant's {expected}",
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
                f"{a.type} attestation is issued at {a.issued_at.isoformat()}, after the validation moment "
                f"{dossier.at.isoformat()}",
                document=doc,
                evidence={"attestation": a.type, "check": "freshness", "issued_at": a.issued_at.isoformat()},
            )
        )
    elif age > timedelta(days=max_age):
        out.append(
            finding(
                "ELIG009",
                Outcome.FAILED,
                f"{a.type} attestation is {age.days} days old (issued {a.issued_at.date()}); at most {max_age} "
                "days are accepted: receive it again",
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
                f"{a.type} attestation from {a.system} ({a.issuer}): {sig_message}; about {field.upper()} "
                f"{expected}; issued {a.issued_at.date()} ({age.days} day{'' if age.days == 1 else 's'} before, "
                f"at most {max_age})",
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
    where = " or ".join(["the dossier's state/ folder", *[s for s in atts.sources if s != "dossier"]])

    for p in atts.problems:
        yield finding(
            "ELIG009",
            Outcome.FAILED,
            f"{p.file}: {p.message}",
            document=p.file if p.origin == "dossier" else f"{p.origin}/{p.file}",
            evidence={"attestation": p.type, "check": "readable"},
        )
    required = required_types(rec)
    for other in atts.found:
        if other.type not in ATTESTATION_TYPES:
            yield finding(
                "ELIG009",
                Outcome.INDETERMINATE,
                f"{other.file}: attestation type {other.type!r} is not one of "
                f"{', '.join(ATTESTATION_TYPES)}; it was not used",
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
                f"{t.what}: to be received from the state system (no {t.id} attestation in {where}); "
                "a blocking check left undecided sends the dossier to review",
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
                f"{t.what}: the {t.id} attestation cannot be relied on (see ELIG009); it states "
                f"{_quote(a.statement)} ({a.status})",
                document=doc,
                evidence=ev,
                basis=basis,
            )
        elif a.status == "adverse":
            yield finding(
                t.code,
                Outcome.FAILED,
                f"{t.what}: not met; {a.system} states {_quote(a.statement)}",
                document=doc,
                evidence=ev,
                basis=basis,
            )
        else:
            yield finding(
                t.code,
                Outcome.PASSED,
                f"{t.what}: {a.system} states {_quote(a.statement)}",
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
            f"no qualification is given (FORM011); it cannot be compared with the services {services}",
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
            f"qualification {_quote(rec.qualification)} is in a field of special social services "
            f"({', '.join(sorted(matched))}); services applied for: {services}",
            document=dossier.application_file,
            evidence=ev,
        )
    else:
        yield finding(
            "ELIG010",
            Outcome.INDETERMINATE,
            f"qualification {_quote(rec.qualification)} names none of the fields the Standards staff "
            f"special social services with; a person compares it with the Standards for: {services}",
            document=dossier.application_file,
            evidence=ev,
        )


CHECKS: tuple[Check, ...] = (
    Check("ELIG009", state_attestations, also=[t.code for t in ATTESTATION_TYPES.values()]),
    Check("ELIG010", qualification),
)
"""Checks of this area; see `intake.rules` for their codes."""
