"""Elliptic-curve arithmetic and GOST R 34.10 signatures (GOST 34.310-2004 / 34.10-2015).

Written for speed in pure Python: Jacobian coordinates (no inversion per step), mixed
Jacobian + affine additions, width-w NAF recoding, and Straus/Shamir interleaving of the
two scalar multiplications a verification needs, with a cached table of odd multiples of
the base point, and a division-free reduction modulo the pseudo-Mersenne primes of the
NCA curves. One 512-bit verification costs about 5 ms of CPU (gostcrypto: ~300 ms;
bench/bench_gost.py).

The signature algebra is GOST R 34.10-2012 section 6 (identical in GOST 34.310-2004 and
34.10-2015): with ``e = H mod q`` (``e = 1`` if zero),

* sign: ``C = kP``, ``r = x_C mod q``, ``s = (r d + k e) mod q``;
* verify: ``v = e^-1``, ``z1 = s v``, ``z2 = -r v``, ``C = z1 P + z2 Q``, accept iff
  ``x_C mod q == r``.

Byte order is not this module's business: it works on integers (see ``__init__``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

__all__ = ["CURVES", "Curve", "public_key", "sign_digest", "verify_digest"]

# Jacobian point (X, Y, Z) <-> affine (X/Z^2, Y/Z^3); Z == 0 is the point at infinity.
Jacobian = tuple[int, int, int]
Affine = tuple[int, int]
_INFINITY: Final[Jacobian] = (1, 1, 0)

_G_WINDOW: Final = 7  # 32 cached affine odd multiples of the base point per curve
_Q_WINDOW: Final = 5  # 8 odd multiples of the public key, built per verification


def _reducer(p: int) -> Callable[[int], int]:
    """``x mod p`` for a pseudo-Mersenne prime p = 2^n - c, without a division.

    All three NCA curves have such a p (2^256 - 617, 2^512 - 569). Two folds of the high
    half (2^n = c mod p) and one correction are about twice as fast as ``%`` on these
    sizes. The result is the canonical residue, exactly as ``x % p``, for any
    ``|x| < 2^(2n + 8)``: every caller reduces after at most one product of two residues
    (times a small constant), never a product of three.
    """
    n = p.bit_length()
    c = (1 << n) - p
    mask = (1 << n) - 1
    if not 0 < c < 1 << 16:
        raise ValueError("p is not of the form 2^n - c with a small c")

    def red(x: int) -> int:
        # |x| < 2^(2n+8)  ->  |x| < 2^(n+25)  ->  -2^41 < x < 2^n + 2^41: one correction.
        x = (x & mask) + (x >> n) * c
        x = (x & mask) + (x >> n) * c
        if x >= p:
            return x - p
        if x < 0:
            return x + p
        return x

    return red


@dataclass(frozen=True)
class Curve:
    """Short Weierstrass curve y^2 = x^3 + a x + b over GF(p) with a base point of order q.

    Attributes:
        name: The standard name of the parameter set.
        p: Field prime.
        a: Curve coefficient a.
        b: Curve coefficient b.
        q: Order of the base point (the signature modulus).
        x: Base point x.
        y: Base point y.
    """

    name: str
    p: int
    a: int
    b: int
    q: int
    x: int
    y: int
    size: int = field(init=False)
    a_is_minus_3: bool = field(init=False, repr=False)
    red: Callable[[int], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Coordinates and signature halves are this many bytes (32 or 64).
        object.__setattr__(self, "size", (self.q.bit_length() + 7) // 8)
        object.__setattr__(self, "a_is_minus_3", self.a == self.p - 3)
        object.__setattr__(self, "red", _reducer(self.p))

    def contains(self, x: int, y: int) -> bool:
        """Whether the affine point (x, y) lies on the curve."""
        p = self.p
        return 0 <= x < p and 0 <= y < p and (y * y - x * x * x - self.a * x - self.b) % p == 0


# Parameter sets. Values from RFC 4357 section 11.4 (CryptoPro-A) and RFC 7836 /
# R 1323565.1.024-2019 (TC26 sets); cross-checked against gostcrypto 1.2.5 CURVES.
CRYPTOPRO_A: Final = Curve(
    # = id-tc26-gost-3410-2012-256-paramSetB; NCA GOST-2004 curve 1.2.398.3.10.1.1.1.1.1
    name="id-GostR3410-2001-CryptoPro-A-ParamSet",
    p=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97,
    a=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94,
    b=0xA6,
    q=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893,
    x=0x1,
    y=0x8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14,
)
TC26_256_A: Final = Curve(
    # NCA GOST-2015-256 curve 1.2.398.3.10.1.1.2.1.1 (a twisted Edwards curve in
    # Weierstrass form: a != -3, cofactor 4).
    name="id-tc26-gost-3410-2012-256-paramSetA",
    p=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97,
    a=0xC2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335,
    b=0x295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513,
    q=0x400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67,
    x=0x91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28,
    y=0x32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C,
)
TC26_512_A: Final = Curve(
    # NCA GOST-2015-512 curve 1.2.398.3.10.1.1.2.2.1.
    name="id-tc26-gost-3410-12-512-paramSetA",
    p=(1 << 512) - 569,
    a=(1 << 512) - 572,
    b=0xE8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760,
    q=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275,
    x=0x3,
    y=0x7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4,
)

#: Curves by NCA parameter-set OID (kz-pki README section 2.1).
CURVES: Final[dict[str, Curve]] = {
    "1.2.398.3.10.1.1.1.1.1": CRYPTOPRO_A,
    "1.2.398.3.10.1.1.2.1.1": TC26_256_A,
    "1.2.398.3.10.1.1.2.2.1": TC26_512_A,
}


def _double(c: Curve, pt: Jacobian) -> Jacobian:
    x1, y1, z1 = pt
    if not z1 or not y1:
        return _INFINITY
    red = c.red
    yy = red(y1 * y1)
    s = red(4 * x1 * yy)
    zz = red(z1 * z1)
    # M = 3X^2 + aZ^4; when a = -3 it is 3(X - Z^2)(X + Z^2) (dbl-2001-b), one
    # multiplication cheaper.
    m = red(3 * (x1 - zz) * (x1 + zz)) if c.a_is_minus_3 else red(3 * x1 * x1 + c.a * red(zz * zz))
    x3 = red(m * m - 2 * s)
    y3 = red(m * (s - x3) - 8 * red(yy * yy))
    z3 = red(2 * y1 * z1)
    return x3, y3, z3


def _add_affine(c: Curve, pt: Jacobian, x2: int, y2: int) -> Jacobian:
    """Jacobian + affine (madd): 8M + 3S, no inversion."""
    x1, y1, z1 = pt
    if not z1:
        return x2, y2, 1
    red = c.red
    zz = red(z1 * z1)
    h = red(x2 * zz - x1)
    r = red(y2 * red(zz * z1) - y1)
    if not h:  # canonical residues: exact test for P == +-Q
        return _double(c, pt) if not r else _INFINITY
    hh = red(h * h)
    hhh = red(h * hh)
    v = red(x1 * hh)
    x3 = red(r * r - hhh - 2 * v)
    y3 = red(r * (v - x3) - y1 * hhh)
    return x3, y3, red(z1 * h)


def _affine_of(c: Curve, pt: Jacobian) -> Affine:
    x, y, z = pt
    zi = pow(z, -1, c.p)
    zi2 = zi * zi % c.p
    return x * zi2 % c.p, y * zi2 * zi % c.p


def _to_affine_jac(c: Curve, pt: Jacobian) -> Jacobian:
    x, y = _affine_of(c, pt)
    return x, y, 1


def _batch_affine(c: Curve, pts: list[Jacobian]) -> list[Affine]:
    """Convert many Jacobian points (none at infinity) with one inversion (Montgomery)."""
    p = c.p
    prefix = [1]
    for _, _, z in pts:
        prefix.append(prefix[-1] * z % p)
    inv = pow(prefix[-1], -1, p)
    out: list[Affine] = [(0, 0)] * len(pts)
    for i in range(len(pts) - 1, -1, -1):
        x, y, z = pts[i]
        zi = inv * prefix[i] % p
        inv = inv * z % p
        zi2 = zi * zi % p
        out[i] = (x * zi2 % p, y * zi2 * zi % p)
    return out


def _odd_multiples(c: Curve, x: int, y: int, window: int) -> list[Affine]:
    """Affine P, 3P, 5P, ..., (2^(window-1) - 1)P."""
    base: Jacobian = (x, y, 1)
    two_p = _to_affine_jac(c, _double(c, base))
    pts = [base]
    for _ in range(2 ** (window - 2) - 1):
        pts.append(_add_affine(c, pts[-1], two_p[0], two_p[1]))
    if any(not z for _, _, z in pts):  # only for points of tiny order: not a valid key
        raise ValueError("point of small order")
    return _batch_affine(c, pts)


_G_TABLES: dict[str, list[Affine]] = {}


def _g_table(c: Curve) -> list[Affine]:
    table = _G_TABLES.get(c.name)
    if table is None:
        table = _G_TABLES[c.name] = _odd_multiples(c, c.x, c.y, _G_WINDOW)
    return table


def _wnaf(k: int, window: int) -> list[int]:
    """Width-w non-adjacent form, lowest digit first; digits odd, |d| < 2^(w-1)."""
    digits: list[int] = []
    full, half = 1 << window, 1 << (window - 1)
    while k:
        if k & 1:
            d = k & (full - 1)
            if d >= half:
                d -= full
            k -= d
        else:
            d = 0
        digits.append(d)
        k >>= 1
    return digits


def _multi_mul(c: Curve, terms: list[tuple[int, list[Affine], int]]) -> Jacobian:
    """Sum of k_i * P_i by Straus interleaving; ``terms`` = (k, odd multiples, window)."""
    nafs = [_wnaf(k, w) for k, _, w in terms]
    p = c.p
    acc = _INFINITY
    for i in range(max((len(n) for n in nafs), default=0) - 1, -1, -1):
        acc = _double(c, acc)
        for naf, (_, table, _) in zip(nafs, terms, strict=True):
            if i < len(naf) and naf[i]:
                d = naf[i]
                x, y = table[(abs(d) - 1) >> 1]
                acc = _add_affine(c, acc, x, y if d > 0 else p - y)
    return acc


def _scalar_base(c: Curve, k: int) -> Jacobian:
    return _multi_mul(c, [(k, _g_table(c), _G_WINDOW)])


def public_key(c: Curve, d: int) -> Affine:
    """Return the public key Q = dP for private key ``d`` (1 <= d < q).

    Raises:
        ValueError: If ``d`` is out of range.
    """
    if not 0 < d < c.q:
        raise ValueError("private key out of range")
    return _affine_of(c, _scalar_base(c, d))


def _e(c: Curve, digest: bytes) -> int:
    # kz-pki README 2.2: e is the digest read little-endian; GOST R 34.10 step 2: e = 1
    # when e mod q == 0.
    return int.from_bytes(digest, "little") % c.q or 1


def verify_digest(c: Curve, qx: int, qy: int, digest: bytes, r: int, s: int) -> bool:
    """GOST R 34.10 verification of (r, s) for ``digest`` under public key (qx, qy).

    The caller must have checked that (qx, qy) is on the curve (:meth:`Curve.contains`).
    """
    q = c.q
    if not (0 < r < q and 0 < s < q):
        return False
    v = pow(_e(c, digest), -1, q)
    z1 = s * v % q
    z2 = (q - r) * v % q
    try:
        q_table = _odd_multiples(c, qx, qy, _Q_WINDOW)
    except ValueError:
        return False
    x, _, z = _multi_mul(c, [(z1, _g_table(c), _G_WINDOW), (z2, q_table, _Q_WINDOW)])
    if not z:
        return False
    # x_C = X / Z^2; compare without a second coordinate.
    zi = pow(z, -1, c.p)
    return x * zi * zi % c.p % q == r


def _nonces(c: Curve, d: int, e: int) -> Iterator[int]:
    """Deterministic nonces in the manner of RFC 6979 section 3.2.

    HMAC-SHA-256 for 256-bit q, HMAC-SHA-512 for 512-bit q; the message input is
    int2octets(e), e being the GOST digest as an integer (the value the signature uses).
    """
    q = c.q
    qlen = q.bit_length()
    rlen = (qlen + 7) // 8
    algo = hashlib.sha512 if qlen > 256 else hashlib.sha256
    hlen = algo().digest_size
    x = d.to_bytes(rlen, "big")
    h1 = (e % q).to_bytes(rlen, "big")
    v = b"\x01" * hlen
    k = b"\x00" * hlen
    k = hmac.new(k, v + b"\x00" + x + h1, algo).digest()
    v = hmac.new(k, v, algo).digest()
    k = hmac.new(k, v + b"\x01" + x + h1, algo).digest()
    v = hmac.new(k, v, algo).digest()
    while True:
        t = b""
        while len(t) < rlen:
            v = hmac.new(k, v, algo).digest()
            t += v
        cand = int.from_bytes(t[:rlen], "big") >> (8 * rlen - qlen)
        if 0 < cand < q:
            yield cand
        k = hmac.new(k, v + b"\x00", algo).digest()
        v = hmac.new(k, v, algo).digest()


def sign_digest(c: Curve, d: int, digest: bytes) -> tuple[int, int]:
    """GOST R 34.10 signature (r, s) of ``digest`` with private key ``d``, deterministic.

    Not constant-time (Python integers leak timing): fit for test fixtures and public
    test keys, not for protecting a real private key.

    Raises:
        ValueError: If ``d`` is out of range.
    """
    q = c.q
    if not 0 < d < q:
        raise ValueError("private key out of range")
    e = _e(c, digest)
    for k in _nonces(c, d, e):
        x, _, z = _scalar_base(c, k)
        zi = pow(z, -1, c.p)
        r = x * zi * zi % c.p % q
        s = (r * d + k * e) % q
        if r and s:
            return r, s
    raise AssertionError("unreachable: the nonce generator is infinite")  # pragma: no cover
