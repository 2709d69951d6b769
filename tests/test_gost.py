"""Tests for intake.gost against published vectors and the real NCA test PKI.

The certificates, CRL and keys under tests/data/kz-pki are real NCA material (see its
MANIFEST.md): a signature made by the NCA itself verifies only if the hash, the curve
and every byte-order convention are right, so these tests pin the whole stack.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import gostcrypto.gostsignature as gostcrypto_sig
import pytest
from asn1crypto import crl, x509
from hypothesis import given, settings
from hypothesis import strategies as st

from intake import gost
from intake.gost import CURVES

DATA = Path(__file__).parent / "data" / "kz-pki"
PASSWORD = b"Qwerty12"


def _cert(rel: str) -> x509.Certificate:
    return x509.Certificate.load((DATA / rel).read_bytes())


def _spki(cert: x509.Certificate) -> bytes:
    # kz-pki README 2.5: asn1crypto cannot read GOST public keys; dump the raw SPKI.
    spki: bytes = cert["tbs_certificate"]["subject_public_key_info"].dump()
    return spki


def _flip_bit(data: bytes, index: int) -> bytes:
    buf = bytearray(data)
    buf[index // 8] ^= 1 << (index % 8)
    return bytes(buf)


# --------------------------------------------------------------------------------------
# GOST 34.311-95 (GOST R 34.11-94, test S-box): kz-pki README section 2.3.
# --------------------------------------------------------------------------------------

GOST94_VECTORS = [
    (b"", "ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d"),
    (b"a", "d42c539e367c66e9c88a801f6649349c21871b4344c6a573f849fdce62f314dd"),
    (b"abc", "f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d"),
    (b"message digest", "ad4434ecb18f2c99b60cbe59ec3d2469582b65273f48de72db2fde16a4889a4d"),
    (b"This is message, length=32 bytes", "b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa"),
    (
        b"Suppose the original message has length = 50 bytes",
        "471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208",
    ),
]


@pytest.mark.parametrize(("message", "expected"), GOST94_VECTORS)
def test_gost34311_vectors(message: bytes, expected: str) -> None:
    assert gost.digest(gost.DIGEST_GOST34311, message).hex() == expected
    assert gost.Gost341194(message).hexdigest() == expected


# --------------------------------------------------------------------------------------
# Streebog: RFC 6986 section 10 examples (M1, M2), plus the empty string.
# --------------------------------------------------------------------------------------

M1 = b"012345678901234567890123456789012345678901234567890123456789012"
# RFC 6986 writes M2 as a big-endian number; its bytes in message order are the reverse.
M2 = bytes.fromhex(
    "fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1"
)[::-1]
STREEBOG_VECTORS = [
    (
        64,
        M1,
        "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa"
        "00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48",
    ),
    (32, M1, "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"),
    (
        64,
        M2,
        "1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376"
        "035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28",
    ),
    (32, M2, "9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50"),
    (
        64,
        b"",
        "8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7"
        "362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a",
    ),
    (32, b"", "3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb"),
]

needs_native = pytest.mark.skipif(
    not gost.native_available(), reason=f"OpenSSL GOST provider unavailable: {gost.native_error()}"
)
BACKENDS = [pytest.param("pure", id="pure"), pytest.param("native", id="native", marks=needs_native)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("size", "message", "expected"), STREEBOG_VECTORS)
def test_streebog_vectors(backend: gost.Backend, size: int, message: bytes, expected: str) -> None:
    oid = gost.DIGEST_STREEBOG512 if size == 64 else gost.DIGEST_STREEBOG256
    assert gost.new(oid, message, backend=backend).hexdigest() == expected


@needs_native
def test_auto_backend_is_native_when_the_provider_loads() -> None:
    assert gost.streebog_backend() == gost.NATIVE
    assert gost.native_error() == ""
    # Loading the GOST provider must not take the default algorithms away from hashlib.
    assert hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf")


FALLBACK_PROBE = """
import hashlib
from intake import gost
assert gost.streebog_backend() == gost.PURE, gost.streebog_backend()
assert "gostprov" in gost.native_error(), gost.native_error()
assert gost.digest(gost.DIGEST_STREEBOG512, b"").hex().startswith("8e945da209aa869f"), "pure fallback"
assert hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf"), "default provider lost"
try:
    gost.new(gost.DIGEST_STREEBOG256, backend="native")
except gost.StreebogUnavailable:
    pass
else:
    raise AssertionError("native backend requested without the provider must raise")
"""


def test_without_the_provider_the_pure_backend_runs_and_says_so() -> None:
    # A real process in which OpenSSL cannot find gostprov.so (no mocks): OPENSSL_MODULES
    # points at an empty folder, which is what a machine without the Debian package sees.
    env = {**os.environ, "OPENSSL_MODULES": "/nonexistent-ossl-modules"}
    result = subprocess.run(
        [sys.executable, "-c", FALLBACK_PROBE], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@needs_native
@pytest.mark.parametrize("size", [32, 64])
def test_pure_streebog_equals_native_on_every_length_around_the_block(size: int) -> None:
    oid = gost.DIGEST_STREEBOG512 if size == 64 else gost.DIGEST_STREEBOG256
    data = random.Random(200).randbytes(200)
    for n in range(len(data)):
        pure = gost.PureStreebog(size, data[:n]).digest()
        assert pure == gost.new(oid, data[:n], backend="native").digest(), n


# --------------------------------------------------------------------------------------
# Streaming (PDF ByteRanges are hashed piecewise) and the OID dispatch.
# --------------------------------------------------------------------------------------

HASH_OIDS = [gost.DIGEST_GOST34311, gost.DIGEST_STREEBOG256, gost.DIGEST_STREEBOG512]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("oid", HASH_OIDS)
def test_streaming_equals_one_shot(oid: str, backend: gost.Backend) -> None:
    data = random.Random(1000).randbytes(1000)
    expected = gost.new(oid, data, backend=backend).digest()
    for cuts in ([1, 31, 32, 33, 63, 64, 65, 500], [7] * 3, [128, 129]):
        h = gost.new(oid, backend=backend)
        pos = 0
        for cut in cuts:
            h.update(data[pos : pos + cut])
            pos += cut
        snapshot = h.copy()
        h.update(data[pos:])
        assert h.digest() == expected
        assert h.digest() == expected  # digest() does not consume the state
        snapshot.update(data[pos:])
        assert snapshot.digest() == expected


@pytest.mark.parametrize(
    ("oid", "digest_oid"),
    [
        (gost.DIGEST_GOST34311, gost.DIGEST_GOST34311),
        (gost.DIGEST_STREEBOG256, gost.DIGEST_STREEBOG256),
        (gost.DIGEST_STREEBOG512, gost.DIGEST_STREEBOG512),
        (gost.SIG_GOST2004, gost.DIGEST_GOST34311),
        (gost.SIG_GOST2015_256, gost.DIGEST_STREEBOG256),
        (gost.SIG_GOST2015_512, gost.DIGEST_STREEBOG512),
    ],
)
def test_hash_for_oid_maps_signature_oids_to_their_digest(oid: str, digest_oid: str) -> None:
    message, expected = {
        gost.DIGEST_GOST34311: GOST94_VECTORS[2],
        gost.DIGEST_STREEBOG256: STREEBOG_VECTORS[1][1:],
        gost.DIGEST_STREEBOG512: STREEBOG_VECTORS[0][1:],
    }[digest_oid]
    assert gost.hash_for_oid(oid)(message).hex() == expected
    assert gost.digest(oid, message).hex() == expected
    assert gost.new(oid).digest_size == len(expected) // 2


@pytest.mark.parametrize("oid", ["2.16.840.1.101.3.4.2.1", "1.2.398.3.10.1.3.9", "1.2.643.7.1.1.2.3"])
def test_unknown_digest_oid_raises(oid: str) -> None:
    with pytest.raises(gost.UnsupportedGostAlgorithm):
        gost.hash_for_oid(oid)
    with pytest.raises(ValueError, match=oid):
        gost.digest(oid, b"")


def test_is_gost_oid() -> None:
    for oid in (gost.SIG_GOST2004, gost.SIG_GOST2015_512, gost.DIGEST_GOST34311, "1.2.398.3.10.1.1.2.2.1"):
        assert gost.is_gost_oid(oid)
    for oid in ("1.2.840.113549.1.1.11", "2.16.840.1.101.3.4.2.1", "1.2.398.3.3.4.1.1", "1.2.398.3.10.10"):
        assert not gost.is_gost_oid(oid)


# --------------------------------------------------------------------------------------
# Real NCA signatures: certificates and the CRL (MANIFEST.md "expected result").
# --------------------------------------------------------------------------------------

TEST_ROOT = "ca/test/root_test_gost_2022.cer"
TEST_NCA = "ca/test/nca_gost2022_test.cer"
PROD_ROOT = "ca/prod/root_gost_2015.crt"
PROD_NCA = "ca/prod/nca_gost_2018.crt"
NCANODEGO_LEAVES = sorted(p.relative_to(DATA).as_posix() for p in (DATA / "certs").glob("ncanodego_*.cer"))

CHAIN = [
    (TEST_ROOT, TEST_ROOT),
    (TEST_NCA, TEST_ROOT),
    *((leaf, TEST_NCA) for leaf in NCANODEGO_LEAVES),
    (PROD_ROOT, PROD_ROOT),
    (PROD_NCA, PROD_ROOT),
    ("certs/prod2018_gostknca.cer", PROD_NCA),
]


def test_all_twelve_ncanodego_leaves_are_covered() -> None:
    assert len(NCANODEGO_LEAVES) == 12


@pytest.mark.parametrize(("subject", "issuer"), CHAIN)
def test_certificate_signature_verifies_against_its_issuer(subject: str, issuer: str) -> None:
    cert, ca = _cert(subject), _cert(issuer)
    algorithm = cert["signature_algorithm"]["algorithm"].dotted
    tbs = cert["tbs_certificate"].dump()
    signature = cert["signature_value"].native
    assert gost.verify(algorithm, _spki(ca), signature, tbs)
    assert gost.verify_digest(algorithm, _spki(ca), signature, gost.digest(algorithm, tbs))


@pytest.mark.parametrize(("subject", "issuer"), CHAIN)
def test_one_flipped_bit_in_tbs_fails(subject: str, issuer: str) -> None:
    cert, ca = _cert(subject), _cert(issuer)
    algorithm = cert["signature_algorithm"]["algorithm"].dotted
    tbs = cert["tbs_certificate"].dump()
    bad = _flip_bit(tbs, 8 * (len(tbs) // 2) + 3)
    assert not gost.verify(algorithm, _spki(ca), cert["signature_value"].native, bad)


def test_other_byte_orders_fail() -> None:
    """The NCA layout r_LE || s_LE is the one that works; RFC 4491's s_BE || r_BE does not."""
    cert, ca = _cert(TEST_NCA), _cert(TEST_ROOT)
    algorithm = cert["signature_algorithm"]["algorithm"].dotted
    tbs = cert["tbs_certificate"].dump()
    signature = cert["signature_value"].native
    assert gost.verify(algorithm, _spki(ca), signature, tbs)
    assert not gost.verify(algorithm, _spki(ca), signature[::-1], tbs)
    half = len(signature) // 2
    assert not gost.verify(algorithm, _spki(ca), signature[half:] + signature[:half], tbs)


def test_wrong_issuer_fails() -> None:
    cert = _cert(TEST_NCA)
    algorithm = cert["signature_algorithm"]["algorithm"].dotted
    leaf_key = _spki(_cert(NCANODEGO_LEAVES[0]))
    assert not gost.verify(algorithm, leaf_key, cert["signature_value"].native, cert["tbs_certificate"].dump())


def test_flipped_signature_bit_fails() -> None:
    cert, ca = _cert(PROD_NCA), _cert(PROD_ROOT)
    algorithm = cert["signature_algorithm"]["algorithm"].dotted
    signature = _flip_bit(cert["signature_value"].native, 77)
    assert not gost.verify(algorithm, _spki(ca), signature, cert["tbs_certificate"].dump())


def test_crl_signature_verifies() -> None:
    crl_list = crl.CertificateList.load((DATA / "crl" / "nca_gost2022_test_2026-08-11.crl").read_bytes())
    algorithm = crl_list["signature_algorithm"]["algorithm"].dotted
    assert algorithm == gost.SIG_GOST2015_512
    tbs = crl_list["tbs_cert_list"].dump()
    key = _spki(_cert(TEST_NCA))
    assert gost.verify(algorithm, key, crl_list["signature"].native, tbs)
    assert not gost.verify(algorithm, key, crl_list["signature"].native, _flip_bit(tbs, 1000))


def test_signature_of_wrong_length_is_false_and_digest_of_wrong_length_raises() -> None:
    cert, ca = _cert(TEST_NCA), _cert(TEST_ROOT)
    algorithm = cert["signature_algorithm"]["algorithm"].dotted
    tbs = cert["tbs_certificate"].dump()
    signature = cert["signature_value"].native
    assert not gost.verify(algorithm, _spki(ca), signature[:-1], tbs)
    assert not gost.verify(algorithm, _spki(ca), b"\x00" * 128, tbs)
    # A 32-byte digest for a 512-bit algorithm is the caller's mistake, not a bad signature.
    with pytest.raises(gost.GostError, match="digest"):
        gost.verify_digest(algorithm, _spki(ca), signature, gost.digest(gost.DIGEST_STREEBOG256, tbs))


def test_unsupported_algorithms_raise() -> None:
    cert, ca = _cert(TEST_NCA), _cert(TEST_ROOT)
    tbs, signature = cert["tbs_certificate"].dump(), cert["signature_value"].native
    with pytest.raises(gost.UnsupportedGostAlgorithm):
        gost.verify("1.2.398.3.10.1.1.2.3.9", _spki(ca), signature, tbs)
    # A GOST-2004 signature OID with a GOST-2015-512 key cannot be checked at all.
    with pytest.raises(gost.UnsupportedGostAlgorithm):
        gost.verify(gost.SIG_GOST2004, _spki(ca), signature, tbs)
    rsa_key = _spki(_cert("certs/prod2018_rsa256.cer"))
    with pytest.raises(gost.UnsupportedGostAlgorithm):
        gost.verify(gost.SIG_GOST2015_512, rsa_key, signature, tbs)


def test_public_key_off_the_curve_is_rejected() -> None:
    key = gost.parse_spki(_spki(_cert(TEST_ROOT)))
    assert key.curve_oid == "1.2.398.3.10.1.1.2.2.1"
    bad = gost.encode_spki(key.key_oid, key.curve_oid, key.x, key.y ^ 1)
    with pytest.raises(gost.InvalidGostKey):
        gost.parse_spki(bad)
    with pytest.raises(gost.InvalidGostKey):
        gost.parse_spki(b"\x30\x03\x02\x01\x00")


def test_encode_spki_round_trips_the_nca_encoding() -> None:
    for rel in (TEST_ROOT, PROD_ROOT, NCANODEGO_LEAVES[0]):
        spki = _spki(_cert(rel))
        key = gost.parse_spki(spki)
        assert gost.encode_spki(key.key_oid, key.curve_oid, key.x, key.y) == spki


# --------------------------------------------------------------------------------------
# PKCS#12 keys, signing round trips.
# --------------------------------------------------------------------------------------

GOST_KEYS = [
    *sorted(p.name for p in (DATA / "keys").glob("ncanodego_*.p12")),
    "prod2018_GOSTKNCA_f8a422238209b6e753116431b69b09178f14e9d7.p12",
]


def _cert_for_key(name: str) -> str:
    if name.startswith("prod2018_GOSTKNCA"):
        return "certs/prod2018_gostknca.cer"
    return "certs/" + name.removesuffix(".p12") + ".cer"


@pytest.mark.parametrize("name", GOST_KEYS)
def test_load_kz_pkcs12_returns_key_and_its_certificate(name: str) -> None:
    d, curve_oid, cert_der = gost.load_kz_pkcs12((DATA / "keys" / name).read_bytes(), PASSWORD)
    # MANIFEST.md: the certs/ files were extracted from these very .p12 files.
    assert cert_der == (DATA / _cert_for_key(name)).read_bytes()
    expected_curve = "1.2.398.3.10.1.1.1.1.1" if "GOSTKNCA" in name else "1.2.398.3.10.1.1.2.2.1"
    assert curve_oid == expected_curve
    assert gost.public_key_spki(d, curve_oid) == _spki(x509.Certificate.load(cert_der))


@pytest.mark.parametrize(
    ("name", "algorithm"),
    [
        ("ncanodego_individual_valid_individual_valid.p12", gost.SIG_GOST2015_512),
        ("ncanodego_legal_valid_head.p12", gost.SIG_GOST2015_512),
        ("prod2018_GOSTKNCA_f8a422238209b6e753116431b69b09178f14e9d7.p12", gost.SIG_GOST2004),
    ],
)
def test_sign_verify_round_trip_with_real_keys(name: str, algorithm: str) -> None:
    d, curve_oid, cert_der = gost.load_kz_pkcs12((DATA / "keys" / name).read_bytes(), PASSWORD)
    spki = _spki(x509.Certificate.load(cert_der))
    data = b"intake test document \xd0\xb4\xd0\xbe\xd0\xba"
    signature = gost.sign(algorithm, d, curve_oid, data)
    assert gost.sign(algorithm, d, curve_oid, data) == signature  # deterministic nonce
    assert gost.verify(algorithm, spki, signature, data)
    assert not gost.verify(algorithm, spki, signature, data + b"!")
    assert not gost.verify(algorithm, spki, _flip_bit(signature, 5), data)
    # Another key of the same kind must not verify it.
    other = gost.public_key_spki(d + 1, curve_oid)
    assert not gost.verify(algorithm, other, signature, data)


def _gostcrypto_verifies(curve_name: str, spki: bytes, digest: bytes, signature: bytes) -> bool:
    """Independent check with gostcrypto (kz-pki README 2.2 explains the byte swaps)."""
    key = gost.parse_spki(spki)
    n = len(signature) // 2
    mode = gostcrypto_sig.MODE_512 if n == 64 else gostcrypto_sig.MODE_256
    verifier = gostcrypto_sig.new(mode, gostcrypto_sig.CURVES_R_1323565_1_024_2019[curve_name])
    public = key.x.to_bytes(n, "big") + key.y.to_bytes(n, "big")
    return bool(verifier.verify(public, digest[::-1], signature[:n][::-1] + signature[n:][::-1]))


@pytest.mark.parametrize(
    ("algorithm", "curve_oid", "curve_name"),
    [
        (gost.SIG_GOST2015_512, "1.2.398.3.10.1.1.2.2.1", "id-tc26-gost-3410-12-512-paramSetA"),
        (gost.SIG_GOST2015_256, "1.2.398.3.10.1.1.2.1.1", "id-tc26-gost-3410-2012-256-paramSetA"),
        (gost.SIG_GOST2004, "1.2.398.3.10.1.1.1.1.1", "id-tc26-gost-3410-2012-256-paramSetB"),
    ],
)
def test_signatures_agree_with_gostcrypto(algorithm: str, curve_oid: str, curve_name: str) -> None:
    # GOST-2015-256 has no NCA sample (README 2.1), so an independent implementation is
    # the check that the TC26-256-A curve (a != -3) is right.
    rng = random.Random(curve_oid)  # fixed inputs: a failure is reproducible
    d = rng.randrange(1, CURVES[curve_oid].q)
    spki = gost.public_key_spki(d, curve_oid)
    data = rng.randbytes(100)
    signature = gost.sign(algorithm, d, curve_oid, data)
    digest = gost.digest(algorithm, data)
    assert gost.verify(algorithm, spki, signature, data)
    assert _gostcrypto_verifies(curve_name, spki, digest, signature)
    assert not _gostcrypto_verifies(curve_name, spki, digest, _flip_bit(signature, 9))


@pytest.mark.parametrize("curve_oid", sorted(CURVES))
def test_fast_reduction_equals_python_modulo(curve_oid: str) -> None:
    curve = CURVES[curve_oid]
    p, n = curve.p, curve.p.bit_length()
    rng = random.Random(n)
    edges = [0, 1, -1, p - 1, p, p + 1, 2 * p, -p, (1 << n) - 1, 1 << n, (p - 1) ** 2, -((p - 1) ** 2)]
    edges += [(1 << (2 * n + 8)) - 1, -(1 << (2 * n + 8)) + 1]
    samples = edges + [rng.randrange(-(1 << (2 * n + 8)), 1 << (2 * n + 8)) for _ in range(2000)]
    for x in samples:
        assert curve.red(x) == x % p, x


def test_wrong_password_raises() -> None:
    data = (DATA / "keys" / GOST_KEYS[0]).read_bytes()
    with pytest.raises(gost.Pkcs12Error, match="password"):
        gost.load_kz_pkcs12(data, b"Qwerty13")


def test_rsa_pkcs12_is_not_a_gost_key() -> None:
    data = (DATA / "keys" / "prod2018_RSA256_8426360556902ce4ac33977836f873e1dc190976.p12").read_bytes()
    with pytest.raises(gost.UnsupportedGostAlgorithm):
        gost.load_kz_pkcs12(data, PASSWORD)


def test_sign_rejects_a_curve_that_does_not_fit_the_algorithm() -> None:
    with pytest.raises(gost.UnsupportedGostAlgorithm):
        gost.sign(gost.SIG_GOST2004, 12345, "1.2.398.3.10.1.1.2.2.1", b"x")
    with pytest.raises(gost.InvalidGostKey):
        gost.sign(gost.SIG_GOST2004, 0, "1.2.398.3.10.1.1.1.1.1", b"x")


# --------------------------------------------------------------------------------------
# Arbitrary input: only GostError (a ValueError) ever escapes.
# --------------------------------------------------------------------------------------

REAL_SPKI = _spki(_cert(TEST_ROOT))
REAL_P12 = (DATA / "keys" / "ncanodego_legal_valid_head.p12").read_bytes()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.integers(min_value=0, max_value=len(REAL_SPKI)))
def test_parse_spki_on_arbitrary_bytes_raises_only_gost_errors(noise: bytes, cut: int) -> None:
    for candidate in (noise, REAL_SPKI[:cut] + noise, REAL_SPKI[:cut]):
        with contextlib.suppress(gost.GostError):  # anything else fails the test
            gost.parse_spki(candidate)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(REAL_P12) - 1), st.integers(min_value=0, max_value=255))
def test_damaged_pkcs12_raises_pkcs12_error(position: int, value: int) -> None:
    damaged = bytearray(REAL_P12)
    if damaged[position] == value:
        value ^= 0xFF
    damaged[position] = value
    # Any change is caught: by the DER parser, by the MAC, or by the decryption padding.
    with pytest.raises(gost.Pkcs12Error):
        gost.load_kz_pkcs12(bytes(damaged), PASSWORD)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_verify_on_arbitrary_signature_is_false_not_an_exception(signature: bytes) -> None:
    assert gost.verify(gost.SIG_GOST2015_512, REAL_SPKI, signature, b"data") is False
