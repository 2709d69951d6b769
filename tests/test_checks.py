"""The table of checks: every code of the catalog is declared by a check, and a check that yields a code
it did not declare is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from intake.checks import CHECKS, UndeclaredCode, emitters, run_checks
from intake.judgements import Check
from intake.models import Dossier, Finding, Outcome
from intake.rules import RULES, RULES_LIST, finding
from tests.conftest import AT

DOSSIER = Dossier(source="t", at=AT, kind=None, application=None)


def test_declared_codes_equal_the_catalog() -> None:
    declared = set().union(*(c.codes for c in CHECKS))
    live = {r.code for r in RULES_LIST if not r.retired}
    assert declared - set(RULES) == set(), "a check declares a code the catalog does not have"
    assert live - declared == set(), "a catalog code no check declares"
    assert not {r.code for r in RULES_LIST if r.retired} & declared, "a retired code is still declared"


def test_every_check_declares_its_main_code_and_has_a_unique_name() -> None:
    assert all(c.code in c.codes for c in CHECKS)
    names = [c.name for c in CHECKS]
    assert len(names) == len(set(names))
    assert emitters()["SCAN002"] == ("on_scans.legibility",)
    assert emitters()["FILE016"] == ("on_files.file_intake",)


def _rogue(dossier: Dossier) -> Iterator[Finding]:
    yield finding("FILE001", Outcome.PASSED, "declared")
    yield finding("SIG002", Outcome.FAILED, "not declared")


def test_undeclared_code_is_refused() -> None:
    out = list(run_checks(DOSSIER, (Check("FILE001", _rogue),)))
    assert [(f.code, f.outcome) for f in out] == [("FILE001", Outcome.PASSED), ("FILE001", Outcome.INDETERMINATE)]
    assert "SIG002" in out[1].message and "test_checks._rogue" in out[1].message
    assert out[1].evidence == {"check": "test_checks._rogue", "code": "SIG002", "outcome": "failed"}


def test_undeclared_code_raises_when_strict() -> None:
    with pytest.raises(UndeclaredCode, match="SIG002"):
        list(run_checks(DOSSIER, (Check("FILE001", _rogue),), strict=True))
    assert [f.code for f in run_checks(DOSSIER, (Check("FILE001", _rogue, also=["SIG002"]),), strict=True)] == [
        "FILE001",
        "SIG002",
    ]


def test_table_runs_strict_on_an_empty_dossier() -> None:
    codes = {f.code for f in run_checks(DOSSIER, strict=True)}
    assert "TIME001" in codes and "FILE001" in codes
