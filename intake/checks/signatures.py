"""SIG: EDS signatures of the application and the documents (paragraphs 7, 15)."""

from __future__ import annotations

from collections.abc import Iterator

from intake.checks.base import Check
from intake.models import Dossier, FileRole, Finding, Kind, Outcome
from intake.rules import finding


def _basis(kind: Kind | None) -> str:
    return {Kind.SPECIALIST: "15", Kind.REMOVAL: "32"}.get(kind, "7") if kind else "7"


def application_signed(dossier: Dossier) -> Iterator[Finding]:
    """SIG001: the application is certified with EDS."""
    app = next((f for f in dossier.files if f.role is FileRole.APPLICATION), None)
    if app is None:
        return  # FORM001 reports the missing application
    if not app.signature_files:
        yield finding(
            "SIG001",
            Outcome.FAILED,
            "the application carries no EDS: expected application.json.cms (or .p7s, .sig) beside it",
            document=app.name,
            basis=_basis(dossier.kind),
        )
        return
    yield finding(
        "SIG001",
        Outcome.PASSED,
        f"the application carries an EDS ({', '.join(app.signature_files)})",
        document=app.name,
        basis=_basis(dossier.kind),
    )


def signatures_valid(dossier: Dossier) -> Iterator[Finding]:
    """SIG002: each signature verifies (ETSI indication TOTAL_PASSED)."""
    outcome_of = {
        "TOTAL_PASSED": Outcome.PASSED,
        "TOTAL_FAILED": Outcome.FAILED,
        "INDETERMINATE": Outcome.INDETERMINATE,
    }
    for f in dossier.files:
        for sig in f.signatures:
            sub = f"/{sig.subindication}" if sig.subindication else ""
            why = "; ".join(sig.messages)
            yield finding(
                "SIG002",
                outcome_of[sig.indication],
                f"{sig.source or f.name}: {sig.indication}{sub}" + (f": {why}" if why else ""),
                document=f.name,
                evidence={"indication": sig.indication, "subindication": sig.subindication, "signature": sig.source},
                basis="27.2" if sig.indication == "TOTAL_FAILED" else _basis(dossier.kind),
            )


CHECKS: tuple[Check, ...] = (
    Check("SIG001", application_signed),
    Check("SIG002", signatures_valid),
)
