"""The exceptions of :mod:`intake.gost` (re-exported there; the tree is drawn in its docstring)."""

from __future__ import annotations

__all__ = ["GostError", "InvalidGostKey", "Pkcs12Error", "UnsupportedGostAlgorithm"]


class GostError(ValueError):
    """Base class: a GOST operation could not be carried out at all."""


class UnsupportedGostAlgorithm(GostError):
    """The digest / signature algorithm OID or the curve OID is not supported."""


class InvalidGostKey(GostError):
    """A public or private key cannot be read or is not a point of its curve."""


class Pkcs12Error(GostError):
    """A PKCS#12 file cannot be opened (wrong password, damaged, unsupported)."""
