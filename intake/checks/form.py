"""FORM: the application itself (paragraphs 4, 10, 12, 18, 30, 32)."""

from __future__ import annotations

from collections.abc import Iterator

from intake.checks.base import Check
from intake.models import Dossier, Finding, Kind, Outcome
from intake.rules import finding

_APP = "application.json"


def application_present(dossier: Dossier) -> Iterator[Finding]:
    """FORM001, FORM002: the application exists and is readable JSON."""
    basis = {Kind.SPECIALIST: "15", Kind.REMOVAL: "32"}.get(dossier.kind, "7") if dossier.kind else "7"
    missing = [p for p in dossier.application_problems if p.kind == "missing"]
    if missing:
        yield finding("FORM001", Outcome.FAILED, f"expected {_APP} in the dossier; found none", basis=basis)
        return
    yield finding("FORM001", Outcome.PASSED, f"{_APP} is present", document=dossier.application_file, basis=basis)
    unreadable = [p for p in dossier.application_problems if p.kind == "unreadable"]
    basis2 = "18" if dossier.kind is Kind.SPECIALIST else "10"
    for p in unreadable:
        yield finding(
            "FORM002", Outcome.FAILED, f"{_APP} is {p.message}", document=dossier.application_file, basis=basis2
        )
    if not unreadable:
        yield finding(
            "FORM002", Outcome.PASSED, f"{_APP} is readable JSON", document=dossier.application_file, basis=basis2
        )


def application_fields(dossier: Dossier) -> Iterator[Finding]:
    """FORM003, FORM004: every mandatory field present and of the right type; no unknown fields."""
    if any(p.kind in {"missing", "unreadable"} for p in dossier.application_problems):
        return  # FORM001/FORM002 already say why there are no fields to check
    basis = "18" if dossier.kind is Kind.SPECIALIST else "30" if dossier.kind is Kind.CHANGE else "10"
    invalid = [p for p in dossier.application_problems if p.kind == "invalid"]
    for p in invalid:
        shown = "" if p.value is None else f" (found {p.value!r})"
        yield finding(
            "FORM003",
            Outcome.FAILED,
            f"field `{p.field}`: {p.message}{shown}",
            document=dossier.application_file,
            evidence={"field": p.field, "value": p.value},
            basis=basis,
        )
    if not invalid:
        yield finding(
            "FORM003",
            Outcome.PASSED,
            f"every mandatory field of the {dossier.kind or 'application'} form is filled in with the right type",
            document=dossier.application_file,
            basis=basis,
        )
    unknown = [p for p in dossier.application_problems if p.kind == "unknown_field"]
    basis4 = "18" if dossier.kind is Kind.SPECIALIST else "10"
    for p in unknown:
        yield finding(
            "FORM004",
            Outcome.FAILED,
            f"field `{p.field}` is not a field of the form (misspelt?)",
            document=dossier.application_file,
            evidence={"field": p.field},
            basis=basis4,
        )


CHECKS: tuple[Check, ...] = (
    Check("FORM001", application_present),
    Check("FORM003", application_fields),
)
