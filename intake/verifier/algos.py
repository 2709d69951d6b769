"""Digests and raw signature verification, dispatched by OID; the algorithm policy.

RSA (PKCS#1 v1.5, PSS), ECDSA, DSA and Ed25519/Ed448 go through pyca ``cryptography`` (by way of
pyhanko-certvalidator's default validator); the Kazakh GOST family (OID arc 1.2.398.3.10.1) goes to
:mod:`intake.gost` (kz-pki README sections 2.1, 2.2 and 2.5).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Final, Protocol

from asn1crypto import algos, keys
from cryptography.exceptions import InvalidSignature
from cryptography.exceptions import UnsupportedAlgorithm as CryptographyUnsupported
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import load_der_public_key
from pyhanko_certvalidator.errors import AlgorithmNotSupported
from pyhanko_certvalidator.sig_validate import (
    DEFAULT_VALIDATION_CONTEXT,
    DefaultSignatureValidator,
    SignatureValidationContext,
    SignatureValidator,
)

from intake import gost
from intake.verifier.memo import ByIdentity


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
    "2.16.840.1.101.3.4.2.7": "sha3_224",
    "2.16.840.1.101.3.4.2.8": "sha3_256",
    "2.16.840.1.101.3.4.2.9": "sha3_384",
    "2.16.840.1.101.3.4.2.10": "sha3_512",
}
# RFC 8702: SHAKE128 and SHAKE256 in CMS give 256 and 512 bits (id-shake128, id-shake256).
SHAKE128: Final = "2.16.840.1.101.3.4.2.11"
SHAKE256: Final = "2.16.840.1.101.3.4.2.12"
_SHAKES: Final = {SHAKE128: ("shake_128", 32), SHAKE256: ("shake_256", 64)}
ED25519: Final = "1.3.101.112"
ED448: Final = "1.3.101.113"
SHA512: Final = "2.16.840.1.101.3.4.2.3"
# Signature OIDs whose digest is in the OID: RSA PKCS#1 v1.5 and ECDSA, the SHA-2 and SHA-3 families.
_RSA_PKCS1: Final = {
    "1.2.840.113549.1.1.4": "md5",
    "1.2.840.113549.1.1.5": "sha1",
    "1.2.840.113549.1.1.14": "sha224",
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
    "2.16.840.1.101.3.4.3.13": "sha3_224",
    "2.16.840.1.101.3.4.3.14": "sha3_256",
    "2.16.840.1.101.3.4.3.15": "sha3_384",
    "2.16.840.1.101.3.4.3.16": "sha3_512",
}
_ECDSA: Final = {
    "1.2.840.10045.4.1": "sha1",
    "1.2.840.10045.4.3.1": "sha224",
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
    "2.16.840.1.101.3.4.3.9": "sha3_224",
    "2.16.840.1.101.3.4.3.10": "sha3_256",
    "2.16.840.1.101.3.4.3.11": "sha3_384",
    "2.16.840.1.101.3.4.3.12": "sha3_512",
}
RSA_ENCRYPTION: Final = "1.2.840.113549.1.1.1"
RSASSA_PSS: Final = "1.2.840.113549.1.1.10"
EC_PUBLIC_KEY: Final = "1.2.840.10045.2.1"
MGF1: Final = "1.2.840.113549.1.1.8"
_CRYPTO_HASHES: Final[dict[str, Callable[[], hashes.HashAlgorithm]]] = {
    "md5": hashes.MD5,
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha3_224": hashes.SHA3_224,
    "sha3_256": hashes.SHA3_256,
    "sha3_384": hashes.SHA3_384,
    "sha3_512": hashes.SHA3_512,
}


class _Shake:
    """hashlib's SHAKE with the fixed output length CMS uses (RFC 8702)."""

    def __init__(self, name: str, length: int) -> None:
        self._h = hashlib.new(name)
        self._length = length

    def update(self, data: bytes, /) -> None:
        self._h.update(data)

    def digest(self) -> bytes:
        return self._h.digest(self._length)  # type: ignore[call-arg]


_GOST_NAMES: Final = {
    gost.DIGEST_GOST34311: "gost34311",
    gost.DIGEST_STREEBOG256: "streebog256",
    gost.DIGEST_STREEBOG512: "streebog512",
}
WEAK_DIGESTS: Final = frozenset({"md5", "sha1", "md2", "md4"})
MIN_RSA_BITS: Final = 2048


def mandatory_digest(alg: algos.SignedDigestAlgorithm) -> str | None:
    """The digest a signature algorithm requires in CMS (RFC 8419: Ed448 with SHAKE256), or None."""
    return SHAKE256 if alg["algorithm"].dotted == ED448 else None


def digest_name(oid: str) -> str:
    """A readable name of a digest OID (the OID itself when unknown)."""
    if oid in _HASHLIB:
        return _HASHLIB[oid]
    if oid in _SHAKES:
        return _SHAKES[oid][0].replace("_", "")
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
    if oid in _SHAKES:
        return _Shake(*_SHAKES[oid])
    if gost.is_gost_oid(oid):
        try:
            return gost.new(oid)
        except gost.GostError as exc:
            raise UnsupportedAlgorithm(str(exc)) from exc
    raise UnsupportedAlgorithm(f"unsupported digest algorithm {digest_name(oid)}")


_GOST_SIGNATURE_NAMES: Final = {
    gost.SIG_GOST2004: "gost34310-2004-gost34311",
    gost.SIG_GOST2015_256: "gost3410-2015-256-streebog256",
    gost.SIG_GOST2015_512: "gost3410-2015-512-streebog512",
    gost.KEY_GOST2004: "gost34310-2004-gost34311",
    gost.KEY_GOST2015_256: "gost3410-2015-256-streebog256",
    gost.KEY_GOST2015_512: "gost3410-2015-512-streebog512",
}


def signature_name(alg: algos.SignedDigestAlgorithm, digest_oid: str | None = None) -> str:
    """A readable name such as ``sha256_rsa``, ``rsassa_pss``, ``gost34310-2004`` or ``gost3410-2015-512``."""
    oid = alg["algorithm"].dotted
    if oid in _GOST_SIGNATURE_NAMES:
        return _GOST_SIGNATURE_NAMES[oid]
    if oid in _RSA_PKCS1:
        return f"{_RSA_PKCS1[oid]}_rsa"
    if oid in _ECDSA:
        return f"{_ECDSA[oid]}_ecdsa"
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
            if not _verify_standard(signature, signed_data, public_key_info, signature_algorithm, context):
                DefaultSignatureValidator().validate_signature(
                    signature, signed_data, public_key_info, signature_algorithm, context
                )
        except CryptographyUnsupported as exc:  # a key type `cryptography` does not know (hostile or exotic)
            raise AlgorithmNotSupported(f"unsupported key or algorithm: {exc}") from exc


_KEYS: ByIdentity[PublicKeyTypes] = ByIdentity(limit=256)


def _public_key(spki: keys.PublicKeyInfo) -> PublicKeyTypes:
    """The `cryptography` key of a SubjectPublicKeyInfo, loaded once per key object (a signer signs many
    files; the CMS verifier hands out one parsed certificate per certificate). Keyed by identity, holding it."""
    return _KEYS.get(spki, lambda: load_der_public_key(spki.dump()))


def _hash_of(name: str | None) -> hashes.HashAlgorithm:
    factory = _CRYPTO_HASHES.get(name or "")
    if factory is None:
        raise AlgorithmNotSupported(f"unsupported digest {name} for this signature algorithm")
    return factory()


def _pss_padding(alg: algos.SignedDigestAlgorithm) -> tuple[padding.PSS, hashes.HashAlgorithm]:
    """RSASSA-PSS parameters (RFC 4055): hash, MGF1 with its hash, salt length, trailer field 1."""
    params = alg["parameters"]
    digest = params["hash_algorithm"]["algorithm"].native
    mgf = params["mask_gen_algorithm"]
    if mgf["algorithm"].dotted != MGF1:
        raise AlgorithmNotSupported(f"RSASSA-PSS mask generation {mgf['algorithm'].dotted} is not MGF1")
    mgf_hash = mgf["parameters"]["algorithm"].native
    if params["trailer_field"].native not in (1, "trailer_field_bc"):
        raise AlgorithmNotSupported("RSASSA-PSS trailer field other than 1")
    salt = int(params["salt_length"].native)
    return padding.PSS(mgf=padding.MGF1(_hash_of(mgf_hash)), salt_length=salt), _hash_of(digest)


def _verify_standard(
    signature: bytes,
    signed_data: bytes,
    spki: keys.PublicKeyInfo,
    alg: algos.SignedDigestAlgorithm,
    context: SignatureValidationContext,
) -> bool:
    """Verify RSA (PKCS#1 v1.5 with SHA-2/SHA-3, PSS with its parameters), ECDSA (SHA-2/SHA-3), Ed25519
    and Ed448 directly with `cryptography`; False when the algorithm is not one of these (the caller
    falls back to pyhanko-certvalidator's validator). Raises `InvalidSignature` when it does not verify."""
    oid = alg["algorithm"].dotted
    if oid not in _STANDARD:
        return False
    contextual = context.contextual_md_algorithm
    key = _public_key(spki)
    if oid in _RSA_PKCS1 or oid == RSA_ENCRYPTION:
        if not isinstance(key, rsa.RSAPublicKey):
            raise InvalidSignature("an RSA signature with a key that is not RSA")
        key.verify(signature, signed_data, padding.PKCS1v15(), _hash_of(_RSA_PKCS1.get(oid, contextual)))
        return True
    if oid == RSASSA_PSS:
        if not isinstance(key, rsa.RSAPublicKey):
            raise InvalidSignature("an RSASSA-PSS signature with a key that is not RSA")
        pad, digest = _pss_padding(alg)
        key.verify(signature, signed_data, pad, digest)
        return True
    if oid in _ECDSA or oid == EC_PUBLIC_KEY:
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise InvalidSignature("an ECDSA signature with a key that is not EC")
        key.verify(signature, signed_data, ec.ECDSA(_hash_of(_ECDSA.get(oid, contextual))))
        return True
    if oid == ED25519:
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise InvalidSignature("an Ed25519 signature with a key that is not Ed25519")
        key.verify(signature, signed_data)
        return True
    if oid == ED448:
        if not isinstance(key, ed448.Ed448PublicKey):
            raise InvalidSignature("an Ed448 signature with a key that is not Ed448")
        key.verify(signature, signed_data)
        return True
    return False


_STANDARD: Final = frozenset({*_RSA_PKCS1, *_ECDSA, RSA_ENCRYPTION, RSASSA_PSS, EC_PUBLIC_KEY, ED25519, ED448})
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


_DESCRIPTIONS: ByIdentity[tuple[str, int | None]] = ByIdentity()


def key_description(spki: keys.PublicKeyInfo) -> tuple[str, int | None]:
    """The key algorithm name and its size in bits (None when unknown, e.g. GOST); once per key object."""
    return _DESCRIPTIONS.get(spki, lambda: _key_description(spki))


def _key_description(spki: keys.PublicKeyInfo) -> tuple[str, int | None]:
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
