"""Kazakh GOST primitives for NCA RK (НУЦ РК) signatures, dispatched by OID.

What is here, and where the byte conventions come from (kz-pki README sections 2.1-2.3):

* digests: GOST 34.311-95 (GOST R 34.11-94, test S-box; own code), Streebog-256/512
  (OpenSSL GOST provider when present, else own pure-Python code);
* GOST 34.310-2004 and GOST 34.10-2015 (256/512) signature verification and
  deterministic signing, in the NCA wire format: public key ``x_LE || y_LE`` in an OCTET
  STRING inside the SubjectPublicKeyInfo BIT STRING, signature ``r_LE || s_LE``,
  ``e = int.from_bytes(H(m), "little") mod q``;
* reading the NCA GOST ``.p12`` test keys.

Outcomes follow the house rule (STYLE.md, "Errors"): a signature that does not verify is
``False``; being unable to check at all (unknown algorithm or curve, unreadable key) is an
exception, a :class:`GostError` subclass of :class:`ValueError`:

    GostError (ValueError)
     ├── UnsupportedGostAlgorithm   unknown digest / signature OID or curve
     ├── InvalidGostKey             SPKI or private key unreadable, or key not on the curve
     └── Pkcs12Error                wrong password or damaged / unsupported PKCS#12

:class:`StreebogUnavailable` (a RuntimeError) is raised only when the native Streebog
backend is demanded explicitly and is missing, or when no backend passes its self-test.

Typical use::

    from intake import gost

    ok = gost.verify(cert_sig_oid, issuer_spki_der, cert_signature, tbs_der)

    h = gost.new(digest_oid)  # streaming: a PDF's /ByteRange pieces
    for piece in byte_ranges:
        h.update(piece)
    intact = h.digest() == message_digest_attribute  # CMS messageDigest: plain bytes
    valid = gost.verify(signer_sig_oid, signer_spki_der, signer_signature, signed_attrs_der)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from asn1crypto import core, x509

from . import _ec
from ._asn1 import GostKeyParams, SubjectPublicKeyInfo
from ._errors import GostError, InvalidGostKey, Pkcs12Error, UnsupportedGostAlgorithm
from ._gost94 import Gost341194
from ._pkcs12 import decode_gost_private_key, parse_private_key_info, read_pkcs12
from ._streebog import (
    NATIVE,
    PURE,
    Backend,
    HashObject,
    PureStreebog,
    StreebogUnavailable,
    native_available,
    native_error,
    new_streebog,
    streebog_backend,
)

CURVES = _ec.CURVES
"""The GOST 34.10 curves by OID."""

__all__ = [
    "CURVES",
    "CURVE_GOST2004_A",
    "CURVE_GOST2015_256_A",
    "CURVE_GOST2015_512_A",
    "DIGEST_GOST34311",
    "DIGEST_STREEBOG256",
    "DIGEST_STREEBOG512",
    "KEY_GOST2004",
    "KEY_GOST2015_256",
    "KEY_GOST2015_512",
    "NATIVE",
    "PURE",
    "SIG_GOST2004",
    "SIG_GOST2015_256",
    "SIG_GOST2015_512",
    "Backend",
    "Gost341194",
    "GostError",
    "GostPublicKey",
    "HashObject",
    "InvalidGostKey",
    "Pkcs12Error",
    "PureStreebog",
    "StreebogUnavailable",
    "UnsupportedGostAlgorithm",
    "digest",
    "encode_spki",
    "hash_for_oid",
    "is_gost_oid",
    "load_kz_pkcs12",
    "native_available",
    "native_error",
    "new",
    "parse_spki",
    "public_key_spki",
    "sign",
    "sign_digest",
    "streebog_backend",
    "verify",
    "verify_digest",
]


# OIDs: kz-pki README section 2.1.
DIGEST_GOST34311: Final = "1.2.398.3.10.1.3.1"
DIGEST_STREEBOG256: Final = "1.2.398.3.10.1.3.2"
DIGEST_STREEBOG512: Final = "1.2.398.3.10.1.3.3"
SIG_GOST2004: Final = "1.2.398.3.10.1.1.1.2"
SIG_GOST2015_256: Final = "1.2.398.3.10.1.1.2.3.1"
SIG_GOST2015_512: Final = "1.2.398.3.10.1.1.2.3.2"
KEY_GOST2004: Final = "1.2.398.3.10.1.1.1.1"
KEY_GOST2015_256: Final = "1.2.398.3.10.1.1.2.1"
KEY_GOST2015_512: Final = "1.2.398.3.10.1.1.2.2"
CURVE_GOST2004_A: Final = "1.2.398.3.10.1.1.1.1.1"
CURVE_GOST2015_256_A: Final = "1.2.398.3.10.1.1.2.1.1"
CURVE_GOST2015_512_A: Final = "1.2.398.3.10.1.1.2.2.1"

# The Kazakh GOST arc: every KZ GOST algorithm, key, curve and digest OID is under it.
_KZ_GOST_ARC: Final = "1.2.398.3.10.1."


@dataclass(frozen=True)
class _SigAlg:
    digest_oid: str
    key_oid: str
    curve_oid: str


_SIGNATURE_ALGORITHMS: Final = {
    SIG_GOST2004: _SigAlg(DIGEST_GOST34311, KEY_GOST2004, CURVE_GOST2004_A),
    SIG_GOST2015_256: _SigAlg(DIGEST_STREEBOG256, KEY_GOST2015_256, CURVE_GOST2015_256_A),
    SIG_GOST2015_512: _SigAlg(DIGEST_STREEBOG512, KEY_GOST2015_512, CURVE_GOST2015_512_A),
}
# Key algorithm OID -> the curve used when the SPKI has no parameters, and the digest
# OID a GOST key's parameters name (kz-pki README 2.1: SEQ{curve, digest}).
_KEY_ALGORITHMS: Final = {
    KEY_GOST2004: (CURVE_GOST2004_A, DIGEST_GOST34311),
    KEY_GOST2015_256: (CURVE_GOST2015_256_A, DIGEST_STREEBOG256),
    KEY_GOST2015_512: (CURVE_GOST2015_512_A, DIGEST_STREEBOG512),
}
# GOST-2004 keys name the digest parameter set 1.2.398.3.10.1.3.1.1.0 (README 2.1).
_GOST2004_DIGEST_PARAMS: Final = "1.2.398.3.10.1.3.1.1.0"


# --------------------------------------------------------------------------------------
# Digests
# --------------------------------------------------------------------------------------


def is_gost_oid(oid: str) -> bool:
    """Whether ``oid`` belongs to the Kazakh GOST family (arc 1.2.398.3.10.1).

    This routes an algorithm to this module; an OID of the family that this module does
    not implement then raises :class:`UnsupportedGostAlgorithm` with its reason, rather
    than falling through to a generic "unknown algorithm".
    """
    return oid.startswith(_KZ_GOST_ARC)


def _digest_oid(oid: str) -> str:
    if oid in (DIGEST_GOST34311, DIGEST_STREEBOG256, DIGEST_STREEBOG512):
        return oid
    alg = _SIGNATURE_ALGORITHMS.get(oid)
    if alg is None:
        raise UnsupportedGostAlgorithm(f"no GOST digest for OID {oid}")
    return alg.digest_oid


def new(oid: str, data: bytes = b"", *, backend: Backend = "auto") -> HashObject:
    """Return a streaming hash object (``update`` / ``digest`` / ``copy``) for ``oid``.

    Args:
        oid: A digest OID (1.2.398.3.10.1.3.1 / .3.2 / .3.3) or a GOST signature OID,
            which stands for its digest.
        data: Optional first chunk.
        backend: Streebog backend: ``"auto"``, ``"native"`` or ``"pure"``. GOST 34.311-95
            has only the pure-Python implementation and ignores it.

    Raises:
        UnsupportedGostAlgorithm: If ``oid`` names no supported GOST digest.
        StreebogUnavailable: If ``backend="native"`` and the OpenSSL provider is missing.
    """
    digest_oid = _digest_oid(oid)
    if digest_oid == DIGEST_GOST34311:
        return Gost341194(data)
    return new_streebog(32 if digest_oid == DIGEST_STREEBOG256 else 64, data, backend=backend)


def digest(oid: str, data: bytes) -> bytes:
    """Return the GOST digest of ``data`` for a digest or signature ``oid`` (see :func:`new`)."""
    return new(oid, data).digest()


def hash_for_oid(oid: str) -> Callable[[bytes], bytes]:
    """Return a one-shot hash function for ``oid`` (see :func:`new`).

    Raises:
        UnsupportedGostAlgorithm: At once, not on first call, for an unknown OID.
    """
    digest_oid = _digest_oid(oid)

    def hash_bytes(data: bytes) -> bytes:
        return new(digest_oid, data).digest()

    return hash_bytes


# --------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GostPublicKey:
    """A GOST public key as read from a SubjectPublicKeyInfo.

    Attributes:
        key_oid: The key algorithm OID (e.g. 1.2.398.3.10.1.1.2.2).
        curve_oid: The curve (parameter set) OID.
        x: Affine x coordinate.
        y: Affine y coordinate.
    """

    key_oid: str
    curve_oid: str
    x: int
    y: int


def _curve(curve_oid: str) -> _ec.Curve:
    curve = _ec.CURVES.get(curve_oid)
    if curve is None:
        raise UnsupportedGostAlgorithm(f"unsupported GOST curve {curve_oid}")
    return curve


def _curve_from_params(key_oid: str, params: core.Asn1Value | None) -> str:
    if key_oid not in _KEY_ALGORITHMS:
        raise UnsupportedGostAlgorithm(f"unsupported GOST key algorithm {key_oid}")
    if params is None or not params.contents:
        return _KEY_ALGORITHMS[key_oid][0]
    try:
        parsed = GostKeyParams.load(params.dump(), strict=True)
        curve_oid: str = parsed["curve"].dotted
    except ValueError as exc:
        raise InvalidGostKey(f"unreadable GOST key parameters: {exc}") from exc
    if curve_oid != _KEY_ALGORITHMS[key_oid][0]:
        raise UnsupportedGostAlgorithm(f"unsupported curve {curve_oid} for GOST key algorithm {key_oid}")
    return curve_oid


def parse_spki(spki_der: bytes) -> GostPublicKey:
    """Read a GOST SubjectPublicKeyInfo in the NCA format.

    Args:
        spki_der: DER of the SubjectPublicKeyInfo.

    Returns:
        The key, checked to be a point of its curve.

    Raises:
        UnsupportedGostAlgorithm: Unknown key algorithm or curve.
        InvalidGostKey: Malformed structure, wrong length or a point not on the curve.
    """
    try:
        spki = SubjectPublicKeyInfo.load(spki_der, strict=True)
        key_oid = spki["algorithm"]["algorithm"].dotted
        params = spki["algorithm"]["parameters"]
        bits = spki["public_key"].native
    except ValueError as exc:
        raise InvalidGostKey(f"unreadable SubjectPublicKeyInfo: {exc}") from exc
    curve_oid = _curve_from_params(key_oid, params)
    curve = _curve(curve_oid)
    try:
        # kz-pki README 2.2: the BIT STRING holds an OCTET STRING of x_LE || y_LE.
        raw = core.OctetString.load(bits, strict=True).native
    except ValueError as exc:
        raise InvalidGostKey(f"GOST public key is not an OCTET STRING: {exc}") from exc
    n = curve.size
    if len(raw) != 2 * n:
        raise InvalidGostKey(f"GOST public key is {len(raw)} bytes, expected {2 * n}")
    x, y = int.from_bytes(raw[:n], "little"), int.from_bytes(raw[n:], "little")
    if not curve.contains(x, y):
        raise InvalidGostKey("GOST public key is not a point of its curve")
    return GostPublicKey(key_oid, curve_oid, x, y)


def encode_spki(key_oid: str, curve_oid: str, x: int, y: int) -> bytes:
    """Encode a public key as an NCA-style SubjectPublicKeyInfo (for building fixtures).

    Raises:
        UnsupportedGostAlgorithm: Unknown key algorithm or curve.
    """
    if key_oid not in _KEY_ALGORITHMS:
        raise UnsupportedGostAlgorithm(f"unsupported GOST key algorithm {key_oid}")
    n = _curve(curve_oid).size
    digest_param = _GOST2004_DIGEST_PARAMS if key_oid == KEY_GOST2004 else _KEY_ALGORITHMS[key_oid][1]
    params = GostKeyParams({"curve": curve_oid, "digest": digest_param})
    raw = x.to_bytes(n, "little") + y.to_bytes(n, "little")
    spki = SubjectPublicKeyInfo(
        {
            "algorithm": {"algorithm": key_oid, "parameters": core.Any.load(params.dump())},
            "public_key": core.OctetString(raw).dump(),
        }
    )
    der: bytes = spki.dump()
    return der


# --------------------------------------------------------------------------------------
# Signatures
# --------------------------------------------------------------------------------------


def _signature_algorithm(oid: str) -> _SigAlg:
    alg = _SIGNATURE_ALGORITHMS.get(oid)
    if alg is None:
        raise UnsupportedGostAlgorithm(f"unsupported GOST signature algorithm {oid}")
    return alg


def verify_digest(signature_algorithm_oid: str, spki_der: bytes, signature: bytes, digest: bytes) -> bool:
    """Verify an NCA GOST signature over an already computed digest.

    Args:
        signature_algorithm_oid: 1.2.398.3.10.1.1.1.2, 1.2.398.3.10.1.1.2.3.1 or .3.2.
        spki_der: DER SubjectPublicKeyInfo of the signer.
        signature: ``r_LE || s_LE`` (64 or 128 bytes).
        digest: The plain digest bytes H(m) (as :func:`digest` returns them).

    Returns:
        True if the signature is valid; False if it is not, including a signature of
        the wrong length.

    Raises:
        UnsupportedGostAlgorithm: Unknown signature OID or curve, or a key of another
            algorithm than the signature OID requires.
        InvalidGostKey: Unreadable public key.
        GostError: A digest of the wrong length (a caller error, not a bad signature).
    """
    alg = _signature_algorithm(signature_algorithm_oid)
    key = parse_spki(spki_der)
    if key.key_oid != alg.key_oid:
        raise UnsupportedGostAlgorithm(
            f"signature algorithm {signature_algorithm_oid} needs a {alg.key_oid} key, got {key.key_oid}"
        )
    curve = _curve(key.curve_oid)
    n = curve.size
    if len(digest) != n:
        raise GostError(f"digest is {len(digest)} bytes, expected {n}: not a {alg.digest_oid} digest")
    if len(signature) != 2 * n:
        return False
    # kz-pki README 2.2: signature = r_LE || s_LE.
    r = int.from_bytes(signature[:n], "little")
    s = int.from_bytes(signature[n:], "little")
    return _ec.verify_digest(curve, key.x, key.y, digest, r, s)


def verify(signature_algorithm_oid: str, spki_der: bytes, signature: bytes, data: bytes) -> bool:
    """Hash ``data`` with the signature algorithm's digest and verify (see :func:`verify_digest`)."""
    alg = _signature_algorithm(signature_algorithm_oid)
    return verify_digest(signature_algorithm_oid, spki_der, signature, new(alg.digest_oid, data).digest())


def sign_digest(signature_algorithm_oid: str, private_key: int, curve_oid: str, digest: bytes) -> bytes:
    """Sign a digest deterministically, returning ``r_LE || s_LE`` (NCA byte order).

    Meant for building test fixtures: the nonce is derived from the key and the digest
    in the manner of RFC 6979, so equal inputs give equal signatures. The arithmetic is
    not constant-time, so do not use it to protect a real private key.

    Raises:
        UnsupportedGostAlgorithm: Unknown OID, or a curve that does not fit the algorithm.
        InvalidGostKey: Private key out of range.
        GostError: Digest of the wrong length.
    """
    alg = _signature_algorithm(signature_algorithm_oid)
    if curve_oid != alg.curve_oid:
        raise UnsupportedGostAlgorithm(f"signature algorithm {signature_algorithm_oid} uses curve {alg.curve_oid}")
    curve = _curve(curve_oid)
    if len(digest) != curve.size:
        raise GostError(f"digest is {len(digest)} bytes, expected {curve.size}")
    try:
        r, s = _ec.sign_digest(curve, private_key, digest)
    except ValueError as exc:
        raise InvalidGostKey(str(exc)) from exc
    return r.to_bytes(curve.size, "little") + s.to_bytes(curve.size, "little")


def sign(signature_algorithm_oid: str, private_key: int, curve_oid: str, data: bytes) -> bytes:
    """Hash ``data`` and sign it (see :func:`sign_digest`)."""
    alg = _signature_algorithm(signature_algorithm_oid)
    return sign_digest(signature_algorithm_oid, private_key, curve_oid, new(alg.digest_oid, data).digest())


def public_key_spki(private_key: int, curve_oid: str) -> bytes:
    """The NCA SubjectPublicKeyInfo DER for a private key (for building fixtures).

    Raises:
        UnsupportedGostAlgorithm: Unknown curve.
        InvalidGostKey: Private key out of range.
    """
    key_oid = next((k for k, (c, _) in _KEY_ALGORITHMS.items() if c == curve_oid), None)
    if key_oid is None:
        raise UnsupportedGostAlgorithm(f"unsupported GOST curve {curve_oid}")
    try:
        x, y = _ec.public_key(_curve(curve_oid), private_key)
    except ValueError as exc:
        raise InvalidGostKey(str(exc)) from exc
    return encode_spki(key_oid, curve_oid, x, y)


# --------------------------------------------------------------------------------------
# PKCS#12
# --------------------------------------------------------------------------------------


def _certificate_spki(cert_der: bytes) -> bytes | None:
    try:
        # dump() of the SPKI is safe; only PublicKeyInfo['public_key'] fails on GOST.
        spki: bytes = x509.Certificate.load(cert_der)["tbs_certificate"]["subject_public_key_info"].dump()
    except ValueError:
        return None
    return spki


def load_kz_pkcs12(data: bytes, password: bytes) -> tuple[int, str, bytes]:
    """Open an NCA GOST ``.p12`` key file.

    Args:
        data: The PKCS#12 file contents.
        password: Its password (the kz-pki test keys use ``b"Qwerty12"``).

    Returns:
        ``(private_key, curve_oid, certificate_der)``: the private key integer, the NCA
        curve OID, and the certificate whose public key belongs to that private key.

    Raises:
        Pkcs12Error: Wrong password, damaged file, no key, or no certificate matching it.
        UnsupportedGostAlgorithm: The key is not a Kazakh GOST key.
    """
    key_infos, certs = read_pkcs12(data, password)
    if len(key_infos) != 1:
        raise Pkcs12Error(f"expected one private key, found {len(key_infos)}")
    key_oid, params, octets = parse_private_key_info(key_infos[0])
    curve_oid = _curve_from_params(key_oid, params)  # not a KZ GOST key: raises here
    d = decode_gost_private_key(octets)
    try:
        x, y = _ec.public_key(_curve(curve_oid), d)
    except ValueError as exc:
        raise Pkcs12Error(f"private key out of range for {curve_oid}") from exc
    for cert in certs:
        spki = _certificate_spki(cert)
        if spki is None:
            continue
        try:
            key = parse_spki(spki)
        except GostError:
            continue
        if (key.curve_oid, key.x, key.y) == (curve_oid, x, y):
            return d, curve_oid, cert
    raise Pkcs12Error("no certificate in the file matches the private key")
