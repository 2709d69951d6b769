"""Digests and raw signature verification, dispatched by OID; the algorithm policy.

RSA (PKCS#1 v1.5, PSS), ECDSA, DSA and Ed25519/Ed448 go through pyca ``cryptography`` (by way of
pyhanko-certvalidator's default validator); the Kazakh GOST family (OID arc 1.2.398.3.10.1) goes to
:mod:`intake.gost` (kz-pki README sections 2.1, 2.2 and 2.5).
"""

from __future__ import annotations

import hashlib
from typing import Final, Protocol

from asn1crypto import algos, keys
from cryptography.exceptions import InvalidSignature
from cryptography.exceptions import UnsupportedAlgorithm as CryptographyUnsupported
from pyhanko_certvalidator.errors import AlgorithmNotSupported
from pyhanko_certvalidator.sig_validate import (
    DEFAULT_VALIDATION_CONTEXT,
    DefaultSignatureValidator,
    SignatureValidationContext,
    SignatureValidator,
)

from intake import gost


class Hasher(Protocol):
    """A streaming hash object."""

    def update(self, data: bytes, /) -> None:
        """Feed bytes."""

    def digest(self) -> bytes:
        """The digest so far."""


class UnsupportedAlgorithm(ValueError):
    """An algorithm this build cannot compute (the signature cannot be checked at all)."""


# Digest OIDs -> hashlib names.
_HASHLIB: Final = {
    "1.2.840.113549.2.5": "md5",
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
    "2.16.840.1.101.3.4.2.8": "sha3_256",
    "2.16.840.1.101.3.4.2.9": "sha3_384",
    "2.16.840.1.101.3.4.2.10": "sha3_512",
}
_GOST_NAMES: Final = {
    gost.DIGEST_GOST34311: "gost34311",
    gost.DIGEST_STREEBOG256: "streebog256",
    gost.DIGEST_STREEBOG512: "streebog512",
}
WEAK_DIGESTS: Final = frozenset({"md5", "sha1", "md2", "md4"})
MIN_RSA_BITS: Final = 2048


def digest_name(oid: str) -> str:
    """A readable name of a digest OID (the OID itself when unknown)."""
    if oid in _HASHLIB:
        return _HASHLIB[oid]
    if oid in _GOST_NAMES:
        return _GOST_NAMES[oid]
    try:
        return str(algos.DigestAlgorithmId.map(oid))
    except ValueError:
        return oid


def new_hash(oid: str) -> Hasher:
    """A streaming hash object for a digest OID.

    Raises:
        UnsupportedAlgorithm: The digest is unknown to this build.
    """
    name = _HASHLIB.get(oid)
    if name is not None:
        return hashlib.new(name)
    if gost.is_gost_oid(oid):
        try:
            return gost.new(oid)
        except gost.GostError as exc:
            raise UnsupportedAlgorithm(str(exc)) from exc
    raise UnsupportedAlgorithm(f"unsupported digest algorithm {digest_name(oid)}")


def signature_name(alg: algos.SignedDigestAlgorithm, digest_oid: str | None = None) -> str:
    """A readable name such as ``sha256_rsa``, ``rsassa_pss``, ``gost34310-2004`` or ``gost3410-2015-512``."""
    oid = alg["algorithm"].dotted
    named = {
        gost.SIG_GOST2004: "gost34310-2004-gost34311",
        gost.SIG_GOST2015_256: "gost3410-2015-256-streebog256",
        gost.SIG_GOST2015_512: "gost3410-2015-512-streebog512",
        gost.KEY_GOST2004: "gost34310-2004-gost34311",
        gost.KEY_GOST2015_256: "gost3410-2015-256-streebog256",
        gost.KEY_GOST2015_512: "gost3410-2015-512-streebog512",
    }
    if oid in named:
        return named[oid]
    name = str(alg["algorithm"].native)
    if name in {"rsassa_pkcs1v15", "rsa", "ecdsa", "dsa"} and digest_oid:
        return f"{digest_name(digest_oid)}_{'rsa' if name.startswith('rsa') else name}"
    return name


def _gost_signature_oid(alg_oid: str, spki: keys.PublicKeyInfo) -> str:
    """CMS SignerInfos sometimes name the key algorithm instead of the signature algorithm."""
    key_to_sig = {
        gost.KEY_GOST2004: gost.SIG_GOST2004,
        gost.KEY_GOST2015_256: gost.SIG_GOST2015_256,
        gost.KEY_GOST2015_512: gost.SIG_GOST2015_512,
    }
    return key_to_sig.get(alg_oid, alg_oid)


class KzSignatureValidator(SignatureValidator):
    """pyhanko-certvalidator's validator, with the Kazakh GOST OIDs sent to :mod:`intake.gost` (README 2.5)."""

    def validate_signature(
        self,
        signature: bytes,
        signed_data: bytes,
        public_key_info: keys.PublicKeyInfo,
        signature_algorithm: algos.SignedDigestAlgorithm,
        context: SignatureValidationContext = DEFAULT_VALIDATION_CONTEXT,
    ) -> None:
        """Raise ``InvalidSignature`` unless the signature verifies."""
        oid = signature_algorithm["algorithm"].dotted
        if gost.is_gost_oid(oid):
            try:
                ok = gost.verify(
                    _gost_signature_oid(oid, public_key_info), public_key_info.dump(), signature, signed_data
                )
            except gost.GostError as exc:
                raise InvalidSignature(str(exc)) from exc
            if not ok:
                raise InvalidSignature("GOST signature does not verify")
            return
        try:
            DefaultSignatureValidator().validate_signature(
                signature, signed_data, public_key_info, signature_algorithm, context
            )
        except CryptographyUnsupported as exc:  # a key type `cryptography` does not know (hostile or exotic)
            raise AlgorithmNotSupported(f"unsupported key or algorithm: {exc}") from exc


VALIDATOR: Final = KzSignatureValidator()


def verify_raw(
    signature: bytes,
    signed_data: bytes,
    spki: keys.PublicKeyInfo,
    algorithm: algos.SignedDigestAlgorithm,
    digest_oid: str | None = None,
) -> bool:
    """Whether ``signature`` verifies over ``signed_data``.

    Raises:
        UnsupportedAlgorithm: The algorithm or key cannot be used by this build.
    """
    oid = algorithm["algorithm"].dotted
    ctx = SignatureValidationContext(contextual_md_algorithm=digest_name(digest_oid) if digest_oid else None)
    try:
        VALIDATOR.validate_signature(signature, signed_data, spki, algorithm, ctx)
    except InvalidSignature as exc:
        if gost.is_gost_oid(oid) and "does not verify" not in str(exc):
            raise UnsupportedAlgorithm(str(exc)) from exc
        if type(exc).__name__ in {"AlgorithmNotSupported", "DSAParametersUnavailable"}:
            raise UnsupportedAlgorithm(str(exc)) from exc
        return False
    except (ValueError, TypeError, KeyError, AssertionError, NotImplementedError) as exc:
        raise UnsupportedAlgorithm(f"cannot verify {signature_name(algorithm, digest_oid)}: {exc}") from exc
    return True


def key_description(spki: keys.PublicKeyInfo) -> tuple[str, int | None]:
    """The key algorithm name and its size in bits (None when unknown, e.g. GOST)."""
    oid = spki["algorithm"]["algorithm"].dotted
    if gost.is_gost_oid(oid):
        return ("gost", None)
    try:
        return (str(spki.algorithm), int(spki.bit_size))
    except Exception:  # asn1crypto fails in several ways on keys it half-knows
        return (oid, None)


def weakness(
    digest_oid: str | None, algorithm: algos.SignedDigestAlgorithm | None, spki: keys.PublicKeyInfo | None
) -> str | None:
    """Why an algorithm is not acceptable (MD5, SHA-1, RSA under 2048 bits), or None."""
    if digest_oid is not None and digest_name(digest_oid) in WEAK_DIGESTS:
        return f"digest {digest_name(digest_oid)} is no longer acceptable"
    if algorithm is not None and not gost.is_gost_oid(algorithm["algorithm"].dotted):
        try:
            hash_algo = algorithm.hash_algo
        except (ValueError, KeyError):
            hash_algo = None
        if hash_algo in WEAK_DIGESTS:
            return f"signature algorithm {algorithm['algorithm'].native} uses {hash_algo}, no longer acceptable"
    if spki is not None:
        name, bits = key_description(spki)
        if name in {"rsa", "rsassa_pss"} and bits is not None and bits < MIN_RSA_BITS:
            return f"RSA key of {bits} bits is under the {MIN_RSA_BITS}-bit minimum"
    return None
