"""The checks of each area of the Rules, one module per area (`on_form`, `on_files`, `on_signatures`,
`on_scans`, `on_details`, `on_prices`, `on_eligibility`, `on_timeline`), and what a check is.
`intake.checks` registers them all in one table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from intake.models import Dossier, Finding

CheckFunction = Callable[[Dossier], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    """A registered check: its main finding code, the generator that judges a dossier, and every code
    it may emit (`codes`, the main one included), so "where is 27.3 enforced?" has a mechanical answer.

    `intake.checks.run_checks` refuses a finding whose code the check did not declare.
    """

    code: str
    run: CheckFunction
    also: Iterable[str] = ()
    codes: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", frozenset((self.code, *self.also)))
        object.__setattr__(self, "also", tuple(self.also))

    @property
    def name(self) -> str:
        """`module.function`, for messages and `docs/rules.md`; a check made by a factory is named
        after the factory and its code (`on_scans._alterations(SCAN003)`)."""
        module = getattr(self.run, "__module__", "") or ""
        qualname = getattr(self.run, "__qualname__", self.code)
        area = module.rsplit(".", 1)[-1]
        if "<locals>" in qualname:
            return f"{area}.{qualname.split('.<locals>', 1)[0]}({self.code})"
        return f"{area}.{qualname}"
