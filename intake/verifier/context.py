"""What every verification depends on besides the signed file: trust, revocation data, time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp

from intake.verifier.trust import TrustStore, load_crls, load_ocsps, load_trust


@dataclass(frozen=True)
class Material:
    """The loaded trust store and offline revocation data."""

    trust: TrustStore
    crls: tuple[asn1_crl.CertificateList, ...]
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...]


@dataclass(frozen=True)
class VerificationContext:
    """Trust anchors, revocation data and the validation moment (`at`, passed in, never read from the clock).

    The files named by `trust`, `crls` and `ocsp` are read once, on first use; a value that cannot be
    used raises `ConfigurationError` (exit code 2).
    """

    at: datetime
    trust: tuple[str, ...] = ()
    crls: tuple[Path, ...] = ()
    ocsp: tuple[Path, ...] = ()
    online: bool = False
    extra: dict[str, object] = field(default_factory=dict, compare=False)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("the validation moment must carry a time zone")

    def material(self) -> Material:
        """The trust store and revocation data, read on first use.

        Raises:
            ConfigurationError: A trust, CRL or OCSP file cannot be used.
        """
        cached = self._cache.get("material")
        if cached is None:
            cached = Material(load_trust(self.trust), load_crls(self.crls), load_ocsps(self.ocsp))
            self._cache["material"] = cached
        assert isinstance(cached, Material)
        return cached
