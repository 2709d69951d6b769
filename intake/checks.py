"""The checks: generators over a dossier's facts that yield findings, registered in one table.

Each area module (`intake/judgements/on_form.py`, `on_files.py`, `on_signatures.py`, ...) holds its
checks and lists them in its own `CHECKS`; `CHECKS` below is the one table the pipeline runs, in the
order a reviewer reads. Each check declares every code it may emit (`Check.codes`).

A check never raises for a defect of the dossier: that is a finding. A check that raises anyway, or
yields a finding with a code it did not declare, is a defect of `intake`: `run_checks` turns it into
an `indeterminate` finding naming the check, never a pass (or raises `UndeclaredCode` when asked to
be strict, as the tests do).
"""

from __future__ import annotations

from collections.abc import Iterator

from intake.judgements import (
    Check,
    on_details,
    on_eligibility,
    on_files,
    on_form,
    on_prices,
    on_scans,
    on_signatures,
    on_timeline,
)
from intake.models import Dossier, Finding, Outcome, say
from intake.rules import finding

CHECKS: tuple[Check, ...] = (
    *on_files.INTAKE_CHECKS,
    *on_form.CHECKS,
    *on_files.CHECKS,
    *on_signatures.CHECKS,
    *on_scans.CHECKS,
    *on_details.CHECKS,
    *on_prices.CHECKS,
    *on_eligibility.CHECKS,
    *on_timeline.CHECKS,
)


class UndeclaredCode(AssertionError):
    """A check yielded a finding whose code it did not declare: a defect of intake."""


def emitters() -> dict[str, tuple[str, ...]]:
    """Code -> the names of the checks that declare it, in table order (for `docs/rules.md`)."""
    out: dict[str, list[str]] = {}
    for check in CHECKS:
        for code in sorted(check.codes):
            out.setdefault(code, []).append(check.name)
    return {code: tuple(names) for code, names in out.items()}


def run_checks(dossier: Dossier, checks: tuple[Check, ...] = CHECKS, *, strict: bool = False) -> Iterator[Finding]:
    """Run every check over the dossier; a crashing check, or a finding with an undeclared code,
    becomes an indeterminate finding (with `strict`, an undeclared code raises `UndeclaredCode`)."""
    for check in checks:
        try:
            for f in check.run(dossier):
                if f.code in check.codes:
                    yield f
                    continue
                if strict:
                    raise UndeclaredCode(f"{check.name} yielded {f.code}, which it does not declare")
                yield finding(
                    check.code,
                    Outcome.INDETERMINATE,
                    say(
                        "The check {check} yielded a {code} finding, a code it does not declare; this is a defect "
                        "of intake, not of the dossier: a person must check this point ({message}).",
                        check=check.name,
                        code=f.code,
                        message=f.template or f.message,
                    ),
                    evidence={"check": check.name, "code": f.code, "outcome": f.outcome.value},
                )
        except UndeclaredCode:
            raise
        except Exception as exc:
            yield finding(
                check.code,
                Outcome.INDETERMINATE,
                say(
                    "The check {check} could not run ({error}); this is a defect of intake, not of the dossier: "
                    "a person must check this point.",
                    check=check.name,
                    error=f"{type(exc).__name__}: {exc}",
                ),
            )


__all__ = ["CHECKS", "Check", "UndeclaredCode", "emitters", "run_checks"]
