"""The checks: generators over a dossier's facts that yield findings, registered in one table.

Each area module (`intake/judgements/form.py`, `files.py`, `signatures.py`, ...) holds its checks and lists
them in its own `CHECKS`; `CHECKS` below is the one table the pipeline runs, in the order a reviewer reads.
A check never raises for a defect of the dossier: that is a finding. A check that raises anyway is
a defect of `intake`; `run_checks` turns it into an `indeterminate` finding, never a pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from intake.judgements import Check, on_details, on_eligibility, on_files, on_form, on_prices, on_scans, on_signatures
from intake.models import Dossier, Finding, Outcome
from intake.rules import finding

CHECKS: tuple[Check, ...] = (
    *on_form.CHECKS,
    *on_files.CHECKS,
    *on_signatures.CHECKS,
    *on_scans.CHECKS,
    *on_details.CHECKS,
    *on_prices.CHECKS,
    *on_eligibility.CHECKS,
)


def run_checks(dossier: Dossier, checks: tuple[Check, ...] = CHECKS) -> Iterator[Finding]:
    """Run every check over the dossier; a crashing check becomes an indeterminate finding."""
    for check in checks:
        try:
            yield from check.run(dossier)
        except Exception as exc:
            yield finding(
                check.code,
                Outcome.INDETERMINATE,
                f"The check {check.name} could not run ({type(exc).__name__}: {exc}); this is a defect of "
                "intake, not of the dossier: a person must check this point.",
            )


__all__ = ["CHECKS", "Check", "run_checks"]
