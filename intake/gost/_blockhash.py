"""What the pure-Python hashes share: input buffering and the :mod:`hashlib` methods."""

from __future__ import annotations

import abc
import copy
from typing import Self

__all__ = ["BlockHash"]


class BlockHash(abc.ABC):
    """A Merkle-Damgard style hash fed in whole blocks, with the :mod:`hashlib` interface.

    Subclasses set ``name``, ``digest_size`` and ``block_size``, keep their chaining state
    in immutable values (so that :meth:`copy` can be shallow), and implement
    :meth:`_compress` and :meth:`_finish`.
    """

    name: str
    digest_size: int
    block_size: int

    def __init__(self) -> None:
        self._buf = b""

    @abc.abstractmethod
    def _compress(self, buf: bytes, end: int) -> None:
        """Absorb the whole blocks ``buf[:end]`` (``end`` is a multiple of the block size)."""

    @abc.abstractmethod
    def _finish(self, rest: bytes) -> bytes:
        """Return the digest, given the bytes not yet absorbed; must not change the state."""

    def update(self, data: bytes, /) -> None:
        """Feed more input; repeated calls equal one call on the concatenation."""
        buf = self._buf + bytes(data)
        end = len(buf) - len(buf) % self.block_size
        if end:
            self._compress(buf, end)
        self._buf = buf[end:]

    def digest(self) -> bytes:
        """Return the digest of the input so far; the object stays usable."""
        return self._finish(self._buf)

    def hexdigest(self) -> str:
        """Return :meth:`digest` as lower-case hex."""
        return self.digest().hex()

    def copy(self) -> Self:
        """Return an independent copy of the current state."""
        return copy.copy(self)
