"""Every finding names the ground of paragraph 27 it supports (issue 14, point 4)."""

from __future__ import annotations

import pytest

from intake.models import Outcome, Severity
from intake.rules import GROUNDS_27, RULES, RULES_LIST, finding

GROUNDS = {f"27.{n}" for n in range(1, 8)}


def test_the_seven_grounds_of_paragraph_27() -> None:
    assert set(GROUNDS_27) == GROUNDS


@pytest.mark.parametrize("rule", [r for r in RULES_LIST if r.severity is Severity.BLOCKING], ids=lambda r: r.code)
def test_every_blocking_code_has_a_ground(rule: object) -> None:
    from intake.rules import Rule

    assert isinstance(rule, Rule)
    assert rule.ground_reason, f"{rule.code}: give the one-line reason for its ground"
    if rule.basis == ("32",):  # removal (Appendix 3) is decided under 32-33, never refused under 27
        assert rule.ground is None
        return
    assert rule.ground in GROUNDS, f"{rule.code}: blocking, so it names one of 27.1-27.7, not {rule.ground!r}"


def test_every_ground_is_one_of_the_seven_or_none() -> None:
    assert {r.ground for r in RULES_LIST} <= {*GROUNDS, None}
    assert all(r.ground is None for r in RULES_LIST if r.severity is Severity.INFO)


@pytest.mark.parametrize(
    ("code", "ground"),
    [
        ("FILE001", "27.2"),  # a missing document: the package is incomplete
        ("SCAN001", "27.3"),  # illegible
        ("DET003", "27.5"),  # a required detail
        ("PRICE001", "27.4"),
        ("ELIG001", "27.1"),
        ("ELIG003", "27.7"),
        ("SIG002", "27.2"),  # EDS certification is required by 7 and 15, not a Standard of 27.6
    ],
)
def test_grounds_read_against_paragraph_27(code: str, ground: str) -> None:
    assert RULES[code].ground == ground


def test_a_finding_carries_its_ground_beside_its_paragraph() -> None:
    f = finding("FILE001", Outcome.FAILED, "missing", basis="7")
    assert (f.rule, f.ground) == ("7", "27.2")
    assert f.model_dump(mode="json")["ground"] == "27.2"
    assert finding("TIME001", Outcome.PASSED, "dates").ground is None
