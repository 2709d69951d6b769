"""What every verification depends on besides the signed file: trust, revocation data, policy, time."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509

from intake.models import ProofOfExistence
from intake.verifier.trust import (
    PathResult,
    RevocationPolicy,
    TrustStore,
    load_certificates,
    load_crls,
    load_ocsps,
    load_trust,
)

__all__ = ["Material", "Memo", "RevocationPolicy", "VerificationContext"]


@dataclass(frozen=True)
class Material:
    """The loaded trust store, offline revocation data and extra certificates (`--cert`)."""

    trust: TrustStore
    crls: tuple[asn1_crl.CertificateList, ...]
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...]
    certs: tuple[x509.Certificate, ...] = ()


@dataclass
class Memo:
    """What one set of options computes once and every moment of it shares: the loaded material and
    the valid certification paths (keyed by certificate, path certificates, anchors and CRLs)."""

    material: Material | None = None
    paths: dict[tuple[object, ...], PathResult] = field(default_factory=dict)


@dataclass(frozen=True)
class VerificationContext:
    """Trust anchors, revocation data, the revocation policy and the validation moment (`at`, passed in).

    The files named by `trust`, `crls`, `ocsp` and `certs` are read once, on first use; a value that
    cannot be used raises `ConfigurationError` (exit code 2). `at_moment` gives the same context at
    another moment (a timestamp's genTime), sharing what was read.
    """

    at: datetime
    trust: tuple[str, ...] = ()
    crls: tuple[Path, ...] = ()
    ocsp: tuple[Path, ...] = ()
    online: bool = False
    revocation: RevocationPolicy = RevocationPolicy.REQUIRE
    certs: tuple[Path, ...] = ()
    evidence: Path | None = None  # where crops of page regions changed after signing go (--evidence)
    # a proof of existence from outside the CMS (a PDF's later document timestamp over the signature),
    # used by a signer that carries no signature timestamp of its own (EN 319 102-1 5.6.2.4)
    proof: ProofOfExistence | None = None
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("the validation moment must carry a time zone")

    def at_moment(self, moment: datetime) -> VerificationContext:
        """The same trust, revocation data and policy, validated at `moment` (what was read is shared).

        The outside proof of existence is dropped: it was about another signature (a timestamp
        validated at its own genTime proves nothing about itself)."""
        return replace(self, at=moment, proof=None)

    def with_proof(self, proof: ProofOfExistence) -> VerificationContext:
        """The same context, with `proof` as the proof of existence of a signer that has none of its own."""
        return replace(self, proof=proof)

    def material(self) -> Material:
        """The trust store, revocation data and extra certificates, read on first use.

        Raises:
            ConfigurationError: A trust, CRL, OCSP or certificate file cannot be used.
        """
        if self.memo.material is None:
            self.memo.material = Material(
                load_trust(self.trust),
                load_crls(self.crls),
                load_ocsps(self.ocsp),
                tuple(c for p in self.certs for c in load_certificates(p)),
            )
        return self.memo.material
