"""GOST 34.311-95: GOST R 34.11-94 with the test S-box, in pure Python.

Kazakhstan's GOST 34.311-95 is GOST R 34.11-94 used with the S-box
``id-GostR3411-94-TestParamSet`` and a zero initial hash value (kz-pki README section
2.3). OpenSSL's ``md_gost94`` uses the CryptoPro S-box instead and gives different
digests, and nothing on PyPI has the test S-box, so this module implements the
standard itself. It is written from GOST R 34.11-94 (and the GOST 28147-89 cipher it
calls), not from any existing implementation.

Conventions (those of the usual reference implementations, which the test vectors and
the NCA's GOST-2004 signatures fix): the message is split into 32-byte blocks from its
start, each read as a little-endian number; the digest is the 32 bytes of the final
state, lowest byte first.

Speed comes from precomputed tables, built on first use: the eight 4-bit S-boxes and the
11-bit rotation of GOST 28147-89 merge into four byte-indexed tables, and the linear
mixing map psi, applied 12, 1 and 61 times per block, becomes byte-indexed tables of
psi^n (psi is linear over GF(2), so psi^n of a value is the XOR of psi^n of its bytes).
"""

from __future__ import annotations

import functools
import struct
from typing import Final, NamedTuple

from ._blockhash import BlockHash

__all__ = ["Gost341194"]

# id-GostR3411-94-TestParamSet (RFC 4357 section 11.2; kz-pki README section 2.3):
# row i substitutes the i-th 4-bit nibble of the 32-bit word, lowest nibble first.
# fmt: off
_SBOX: Final = (
    (4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3),
    (14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9),
    (5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11),
    (7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3),
    (6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2),
    (4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14),
    (13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12),
    (1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12),
)
# fmt: on

_M32: Final = 0xFFFFFFFF
_M256: Final = (1 << 256) - 1
# GOST R 34.11-94 section 6.1: C_3 for the key generation (C_2 = C_4 = 0).
_C3: Final = 0xFF00FFFF000000FFFF0000FF00FFFF0000FF00FF00FF00FFFF00FF00FF00FF00
# 64-bit halves, little-endian order: block y1 is the lowest 8 bytes.
_M64: Final = (1 << 64) - 1


def _rotl11(x: int) -> int:
    return ((x << 11) | (x >> 21)) & _M32


def _round_tables() -> tuple[tuple[int, ...], ...]:
    """``T[j][b]`` = rotl11(S-boxes 2j and 2j+1 applied to byte b, placed at byte j).

    Each table merges two 4-bit S-boxes and the 11-bit left rotation of GOST 28147-89, so
    a round is four lookups. (Two 65536-entry tables halve the lookups but measured
    slower on real input: they do not stay in the CPU cache.)
    """
    return tuple(
        tuple(_rotl11(((_SBOX[2 * j + 1][b >> 4] << 4) | _SBOX[2 * j][b & 15]) << (8 * j)) for b in range(256))
        for j in range(4)
    )


def _psi(y: int) -> int:
    """The mixing map psi of GOST R 34.11-94 section 6.3 on 16 words of 16 bits.

    psi(y16 || ... || y1) = (y1 ^ y2 ^ y3 ^ y4 ^ y13 ^ y16) || y16 || ... || y2,
    y1 being the lowest word.
    """
    w = y ^ (y >> 16) ^ (y >> 32) ^ (y >> 48) ^ (y >> 192) ^ (y >> 240)
    return (y >> 16) | ((w & 0xFFFF) << 240)


def _psi_tables(n: int) -> tuple[tuple[int, ...], ...]:
    """Byte-indexed tables of psi^n: ``psi^n(y) = XOR_i table[i][byte i of y]``."""
    basis = []
    for bit in range(256):
        v = 1 << bit
        for _ in range(n):
            v = _psi(v)
        basis.append(v)
    tables = []
    for i in range(32):
        row = [0] * 256
        for b in range(1, 256):
            low = b & -b
            row[b] = row[b ^ low] ^ basis[8 * i + low.bit_length() - 1]
        tables.append(tuple(row))
    return tuple(tables)


def _apply(tables: tuple[tuple[int, ...], ...], y: int) -> int:
    out = 0
    for table, byte in zip(tables, y.to_bytes(32, "little"), strict=True):
        out ^= table[byte]
    return out


class _Tables(NamedTuple):
    sbox: tuple[tuple[int, ...], ...]
    # Section 6.3: H_out = psi^61(H ^ psi(M ^ psi^12(S))) = psi^61(H) ^ psi^62(M) ^ psi^74(S).
    psi61: tuple[tuple[int, ...], ...]
    psi62: tuple[tuple[int, ...], ...]
    psi74: tuple[tuple[int, ...], ...]


@functools.cache
def _tables() -> _Tables:
    # Built on first use (~25 ms): most runs never meet a GOST-2004 signature.
    return _Tables(_round_tables(), _psi_tables(61), _psi_tables(62), _psi_tables(74))


_UNPACK8: Final = struct.Struct("<8I").unpack
_UNPACK2: Final = struct.Struct("<2I").unpack


def _encrypt(t: _Tables, key: tuple[int, ...], n1: int, n2: int) -> int:
    """GOST 28147-89 ECB encryption of one 64-bit block (n1 = low 32 bits)."""
    t0, t1, t2, t3 = t.sbox
    k0, k1, k2, k3, k4, k5, k6, k7 = key
    # 32 rounds: keys K1..K8 three times, then K8..K1 (GOST 28147-89 section 2).
    for k in (k0, k1, k2, k3, k4, k5, k6, k7) * 3 + (k7, k6, k5, k4, k3, k2, k1, k0):
        x = (n1 + k) & 0xFFFFFFFF
        n1, n2 = n2 ^ t0[x & 255] ^ t1[(x >> 8) & 255] ^ t2[(x >> 16) & 255] ^ t3[x >> 24], n1
    # The last round does not swap the halves: undo the swap of the loop.
    return n1 << 32 | n2


def _key(w: int) -> tuple[int, ...]:
    """The byte transposition P of section 6.1 (phi(i + 1 + 4(k - 1)) = 8i + k)."""
    wb = w.to_bytes(32, "little")
    return _UNPACK8(b"".join(wb[k::8] for k in range(8)))


def _a(y: int) -> int:
    """A(y4 || y3 || y2 || y1) = (y1 ^ y2) || y4 || y3 || y2 over 64-bit blocks."""
    return (y >> 64) | (((y ^ (y >> 64)) & _M64) << 192)


def _step(t: _Tables, h: int, m: int) -> int:
    """The step function chi(M, H) of GOST R 34.11-94 section 7."""
    # 6.1 key generation.
    u, v = h, m
    keys = [_key(u ^ v)]
    for c in (0, _C3, 0):
        u = _a(u) ^ c
        v = _a(_a(v))
        keys.append(_key(u ^ v))
    # 6.2 encryption of the four 64-bit blocks of H.
    s = 0
    hb = h.to_bytes(32, "little")
    for i, key in enumerate(keys):
        n1, n2 = _UNPACK2(hb[8 * i : 8 * i + 8])
        s |= _encrypt(t, key, n1, n2) << (64 * i)
    # 6.3 mixing.
    return _apply(t.psi61, h) ^ _apply(t.psi62, m) ^ _apply(t.psi74, s)


class Gost341194(BlockHash):
    """GOST 34.311-95 hash object (:mod:`hashlib` interface, 32-byte digest).

    Args:
        data: Optional first chunk of input.
    """

    name = "gost34311"
    digest_size = 32
    block_size = 32

    def __init__(self, data: bytes = b"") -> None:
        super().__init__()
        self._h = 0  # initial hash value: zero (kz-pki README section 2.3)
        self._sigma = 0
        self._length = 0
        if data:
            self.update(data)

    def _compress(self, buf: bytes, end: int) -> None:
        t = _tables()
        h, sigma = self._h, self._sigma
        for off in range(0, end, 32):
            m = int.from_bytes(buf[off : off + 32], "little")
            h = _step(t, h, m)
            sigma = (sigma + m) & _M256
        self._h, self._sigma = h, sigma
        self._length += end

    def _finish(self, rest: bytes) -> bytes:
        t = _tables()
        h, sigma = self._h, self._sigma
        if rest:
            # Section 7: the last partial block is padded with zeros to 256 bits.
            m = int.from_bytes(rest, "little")
            h = _step(t, h, m)
            sigma = (sigma + m) & _M256
        length_bits = (self._length + len(rest)) * 8
        h = _step(t, h, length_bits & _M256)
        h = _step(t, h, sigma)
        return h.to_bytes(32, "little")
