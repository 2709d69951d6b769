"""The checks of each area (`form`, `files`, `signatures`, `scan`, `details`, `pricing`, `eligibility`),
and what a check is. `intake.checks` registers them all in one table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from intake.models import Dossier, Finding

CheckFunction = Callable[[Dossier], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    """A registered check: its main finding code and the generator that judges a dossier."""

    code: str
    run: CheckFunction

    @property
    def name(self) -> str:
        """The function's name, for messages."""
        return getattr(self.run, "__name__", self.code)
