"""Facts of parsed objects computed once per object (certificates, keys, CRLs, validated paths).

The CMS verifier hands out one parsed object per certificate, key or CRL, so a fact of one is keyed by
the object's identity; the object itself is held with the fact so that its id is not reused by another
(encoding it to compare would walk the whole parsed object). Each table is bounded: cleared past its limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class ByIdentity(Generic[Value]):
    """A bounded table of one value per object, by identity."""

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self.held: dict[int, tuple[object, Value]] = {}

    def get(self, obj: object, compute: Callable[[], Value]) -> Value:
        """The value of `obj`, computed by `compute()` the first time it is asked for."""
        held = self.held.get(id(obj))
        if held is None or held[0] is not obj:
            if len(self.held) > self.limit:
                self.held.clear()
            held = self.held[id(obj)] = (obj, compute())
        return held[1]
