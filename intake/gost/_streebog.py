"""Streebog (GOST R 34.11-2012, in Kazakhstan GOST 34.11-2015): native and pure-Python.

Two backends compute the same function:

* ``native``: OpenSSL 3 with the GOST provider (Debian ``libengine-gost-openssl``,
  ``gostprov.so``), loaded into this process with ``OSSL_PROVIDER_load`` through
  ``ctypes``, after which :func:`hashlib.new` knows ``md_gost12_256`` / ``md_gost12_512``
  (kz-pki README section 6: about 130 MB/s).
* ``pure``: the table-driven implementation below, written from RFC 6986. It is used
  where the provider is missing (another OS, no Debian package) and is tested on its
  own even where the native backend exists.

Byte order: digests are the plain byte strings of RFC 6986 as ``hashlib`` gives them
(the NCA wire convention, kz-pki README section 2.2); the message is processed as a
little-endian number, first byte lowest.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import struct
from typing import Final, Literal, NamedTuple, Protocol

from ._blockhash import BlockHash

__all__ = [
    "NATIVE",
    "PURE",
    "HashObject",
    "PureStreebog",
    "StreebogUnavailable",
    "native_available",
    "native_error",
    "new_streebog",
    "streebog_backend",
]

NATIVE: Final = "openssl-gostprov"
PURE: Final = "pure-python"

Backend = Literal["auto", "native", "pure"]


class StreebogUnavailable(RuntimeError):
    """Raised when the requested Streebog backend cannot run."""


class HashObject(Protocol):
    """The part of the :mod:`hashlib` object interface this package relies on."""

    @property
    def name(self) -> str: ...

    @property
    def digest_size(self) -> int: ...

    @property
    def block_size(self) -> int: ...

    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...

    def hexdigest(self) -> str: ...

    def copy(self) -> HashObject: ...


# --------------------------------------------------------------------------------------
# Pure-Python backend.
#
# Constants of GOST R 34.11-2012 / RFC 6986 section 6: the S-box pi (the same table as
# Kuznyechik), the 64 rows of the linear map l, and the 12 iteration constants C_i
# (written as their 64 bytes in memory order, first byte lowest). The values were taken
# from gostcrypto 1.2.5 (MIT): pi and C_i as listed there, the rows of l recovered from
# its precomputed tables (the first row is RFC 6986's 8e20faa72ba0b470). The RFC 6986
# test vectors in tests/test_gost.py pin all of them.
# --------------------------------------------------------------------------------------

# fmt: off
_PI = bytes.fromhex(
    "fceedd11cf6e3116fbc4fada23c5044de977f0db932e99ba1736f1bb14cd5fc1"
    "f918655ae25cef21811c3c428b018e4f058402aee36a8fa0060bed987fd4d31f"
    "eb342c51eac848abf22a68a2fd3aceccb5700e56080c7612bf7213479cb75d87"
    "15a19629107b9ac7f391786f9d9eb2b13275193dff358a7e6d54c680c3bd0d57"
    "dff524a93ea843c9d779d6f67c22b903e00fecde7a94b0bcdce828504e330a4a"
    "a79760731e0062441ab83882649f2641ad454692275e552f8ca3a57d69d5953b"
    "0758b34086ac1df730376be488d9e789e11b83494c3ff8fe8d53aa90cad88561"
    "207167a42d2b095bcb9b25d0bee56c5259a674d2e6f4b4c0d166afc2394b63b6"
)
_A = (
    0x8e20faa72ba0b470, 0x47107ddd9b505a38, 0xad08b0e0c3282d1c, 0xd8045870ef14980e,
    0x6c022c38f90a4c07, 0x3601161cf205268d, 0x1b8e0b0e798c13c8, 0x83478b07b2468764,
    0xa011d380818e8f40, 0x5086e740ce47c920, 0x2843fd2067adea10, 0x14aff010bdd87508,
    0x0ad97808d06cb404, 0x05e23c0468365a02, 0x8c711e02341b2d01, 0x46b60f011a83988e,
    0x90dab52a387ae76f, 0x486dd4151c3dfdb9, 0x24b86a840e90f0d2, 0x125c354207487869,
    0x092e94218d243cba, 0x8a174a9ec8121e5d, 0x4585254f64090fa0, 0xaccc9ca9328a8950,
    0x9d4df05d5f661451, 0xc0a878a0a1330aa6, 0x60543c50de970553, 0x302a1e286fc58ca7,
    0x18150f14b9ec46dd, 0x0c84890ad27623e0, 0x0642ca05693b9f70, 0x0321658cba93c138,
    0x86275df09ce8aaa8, 0x439da0784e745554, 0xafc0503c273aa42a, 0xd960281e9d1d5215,
    0xe230140fc0802984, 0x71180a8960409a42, 0xb60c05ca30204d21, 0x5b068c651810a89e,
    0x456c34887a3805b9, 0xac361a443d1c8cd2, 0x561b0d22900e4669, 0x2b838811480723ba,
    0x9bcf4486248d9f5d, 0xc3e9224312c8c1a0, 0xeffa11af0964ee50, 0xf97d86d98a327728,
    0xe4fa2054a80b329c, 0x727d102a548b194e, 0x39b008152acb8227, 0x9258048415eb419d,
    0x492c024284fbaec0, 0xaa16012142f35760, 0x550b8e9e21f7a530, 0xa48b474f9ef5dc18,
    0x70a6a56e2440598e, 0x3853dc371220a247, 0x1ca76e95091051ad, 0x0edd37c48a08a6d8,
    0x07e095624504536c, 0x8d70c431ac02a736, 0xc83862965601dd1b, 0x641c314b2b8ee083,
)
_C_HEX = (
    "0745a6f2596580dd234d74cc3674760515d360a4082a42a20169679291e07c4b"
    "fcc485758db84e7116d0452e43766a2f1f7c65c0812fcbebe9daca1eda5b08b1",
    "b79bb121700479e656cdcbd71ba2dd55caa70adbc261b55c5899d6126b17b59a"
    "3101b5160f5ed561982b230a72eafef3d7b5700f469de34f1a2f9da98ab5a36f",
    "b20aba0af5961e9931db7a8643f4b6c209db6260373ac9c1b19e3590e40fe2d3"
    "7b7b29b11475eaf28b1f9c525f5ef10635843d6a28fc390ac72fce2bacdc74f5",
    "2ed1e384bcbe0c22f137e893a1ea5334be0352933313b7d875d603ed822cd7a9"
    "3f355e68ad1c729d7d3c5c337e858e48dde4715da0e148f9d26615e8b3df1fef",
    "57fe6c7cfd581760f563eaa97ea2567a161a2723b700ffdfa3f53a254717cdbf"
    "bdff0f80d7359e354a1086161f1c157f6323a96c0c413f9a994747adac6bea4b",
    "6e7d64467a4068fa354f903672c571bfb6c6bec2661ff20ab4b79a1cb7a6facf"
    "c68ef09ab49a7f186ca44251f9c4662dc039307a3bc3a46fd9d33a1daeae4fae",
    "93d4143a4d568688f34a3ca24c45173504054a2883694706372c822dc5ab9209"
    "c9937a19333e47d3c987bfe6c7c69e39540924bffe86ac51ecc5aaee160ec7f4",
    "1ee702bfd40d7fa4d9a8515935c2ac362fc4a5d12b8dd16990069b92cb2b89f4"
    "9ac4db4d3b44b4891ede369c71f8b74e41416e0c02aae703a7c9934d425b1f9b",
    "db5a238351446172602a1fcb92dc380e549c07a69a8a2b7bb1ceb2db0b440a80"
    "84090de0b755d93c244289251b3a7d3ade5f16ecd89a4c949b223116545a8f37",
    "ed9c4598fbc7b474c3b63b15d1fa9836f452763b306c1e7a4b3369af0267e79f"
    "0361331b8ae1ff1fdb788aff1ce74189f3f3e4b248e52a38526f0580a6debeab",
    "1b2df381cda4ca6b5dd86fc04a59a2de986e477d1dcdbaefcab948eaef711d8a"
    "79668414218001206107abebbb6bfad894fe5a63cdc60230fb89c8efd09ecd7b",
    "20d71bf14a92bc48991bb2d9d517f4fa5228e188aaa41de786cc91189def805d"
    "9b9f2130d41220f8771ddfbc323ca4cd7ab14904b08013d2ba3116f167e78e37",
)

# fmt: on
_MASK512: Final = (1 << 512) - 1
_C: Final = tuple(int.from_bytes(bytes.fromhex(c), "little") for c in _C_HEX)


def _l_row(word: int) -> int:
    """The linear map l of RFC 6986 on one 64-bit word (bit 63 selects ``_A[0]``)."""
    out = 0
    for i in range(64):
        if (word >> (63 - i)) & 1:
            out ^= _A[i]
    return out


def _build_tables() -> tuple[tuple[int, ...], ...]:
    """Fold S, P and L into eight 256-entry tables (the usual "LPS" tables).

    After the byte transposition P, output word ``i`` holds byte ``i`` of every input
    word ``k`` in its byte ``k``; so ``LPS`` word ``i`` is the XOR over ``k`` of
    ``l(pi[x] << 8k)`` for input byte ``x = state[8k + i]``.
    """
    return tuple(tuple(_l_row(_PI[b] << (8 * k)) for b in range(256)) for k in range(8))


_PACK8: Final = struct.Struct("<8Q").pack


@functools.cache
def _tables() -> tuple[tuple[int, ...], ...]:
    # Built on first use: about 10 ms that a process using only the native backend
    # should not pay at import.
    return _build_tables()


def _lps(x: int, t: tuple[tuple[int, ...], ...]) -> int:
    """Apply L(P(S(x))) to a 512-bit state held as a little-endian integer."""
    b = x.to_bytes(64, "little")
    t0, t1, t2, t3, t4, t5, t6, t7 = t
    # Unrolled on purpose: this line is the whole cost of the pure backend.
    return int.from_bytes(
        _PACK8(
            t0[b[0]] ^ t1[b[8]] ^ t2[b[16]] ^ t3[b[24]] ^ t4[b[32]] ^ t5[b[40]] ^ t6[b[48]] ^ t7[b[56]],
            t0[b[1]] ^ t1[b[9]] ^ t2[b[17]] ^ t3[b[25]] ^ t4[b[33]] ^ t5[b[41]] ^ t6[b[49]] ^ t7[b[57]],
            t0[b[2]] ^ t1[b[10]] ^ t2[b[18]] ^ t3[b[26]] ^ t4[b[34]] ^ t5[b[42]] ^ t6[b[50]] ^ t7[b[58]],
            t0[b[3]] ^ t1[b[11]] ^ t2[b[19]] ^ t3[b[27]] ^ t4[b[35]] ^ t5[b[43]] ^ t6[b[51]] ^ t7[b[59]],
            t0[b[4]] ^ t1[b[12]] ^ t2[b[20]] ^ t3[b[28]] ^ t4[b[36]] ^ t5[b[44]] ^ t6[b[52]] ^ t7[b[60]],
            t0[b[5]] ^ t1[b[13]] ^ t2[b[21]] ^ t3[b[29]] ^ t4[b[37]] ^ t5[b[45]] ^ t6[b[53]] ^ t7[b[61]],
            t0[b[6]] ^ t1[b[14]] ^ t2[b[22]] ^ t3[b[30]] ^ t4[b[38]] ^ t5[b[46]] ^ t6[b[54]] ^ t7[b[62]],
            t0[b[7]] ^ t1[b[15]] ^ t2[b[23]] ^ t3[b[31]] ^ t4[b[39]] ^ t5[b[47]] ^ t6[b[55]] ^ t7[b[63]],
        ),
        "little",
    )


def _g(n: int, h: int, m: int, t: tuple[tuple[int, ...], ...]) -> int:
    """The compression function g_N(h, m) of RFC 6986 section 7."""
    k = _lps(h ^ n, t)
    s = k ^ m
    for c in _C:
        s = _lps(s, t)
        k = _lps(k ^ c, t)
        s ^= k
    return s ^ h ^ m


class PureStreebog(BlockHash):
    """Streebog-256/512 in pure Python, with the :mod:`hashlib` object interface.

    Args:
        digest_size: 32 (Streebog-256) or 64 (Streebog-512).
        data: Optional first chunk of input.

    Raises:
        ValueError: If ``digest_size`` is not 32 or 64.
    """

    block_size = 64

    def __init__(self, digest_size: int, data: bytes = b"") -> None:
        if digest_size not in (32, 64):
            raise ValueError(f"Streebog digest size must be 32 or 64 bytes, not {digest_size}")
        super().__init__()
        self.digest_size = digest_size
        self.name = f"streebog{digest_size * 8}"
        # RFC 6986 section 5: IV is 0^512 for the 512-bit hash and (00000001)^64 for 256.
        self._h = 0 if digest_size == 64 else int.from_bytes(b"\x01" * 64, "little")
        self._n = 0
        self._sigma = 0
        if data:
            self.update(data)

    def _compress(self, buf: bytes, end: int) -> None:
        t = _tables()
        h, n, sigma = self._h, self._n, self._sigma
        for off in range(0, end, 64):
            m = int.from_bytes(buf[off : off + 64], "little")
            h = _g(n, h, m, t)
            n = (n + 512) & _MASK512
            sigma = (sigma + m) & _MASK512
        self._h, self._n, self._sigma = h, n, sigma

    def _finish(self, rest: bytes) -> bytes:
        t = _tables()
        # RFC 6986 section 8.3: pad with a single 1 bit then zeros, always.
        m = int.from_bytes(rest, "little") | (1 << (8 * len(rest)))
        h = _g(self._n, self._h, m, t)
        n = (self._n + 8 * len(rest)) & _MASK512
        sigma = (self._sigma + m) & _MASK512
        h = _g(0, h, n, t)
        h = _g(0, h, sigma, t)
        out = h.to_bytes(64, "little")
        return out if self.digest_size == 64 else out[32:]


# --------------------------------------------------------------------------------------
# Native backend: OpenSSL 3 + GOST provider.
# --------------------------------------------------------------------------------------

_NATIVE_NAMES: Final = {32: "md_gost12_256", 64: "md_gost12_512"}
# RFC 6986 / kz-pki README section 6: Streebog-512 of the empty string. A known-answer
# test guards against a provider that loads but computes something else.
_KAT_EMPTY_512: Final = bytes.fromhex(
    "8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7"
    "362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a"
)


class _Probe(NamedTuple):
    available: bool
    error: str


def _hashlib_libcrypto() -> str | None:
    """Path of the libcrypto that :mod:`hashlib` is linked against, if it can be told.

    The provider must be loaded into *that* library: another copy has its own provider
    registry. On Linux the mapped libraries are listed in /proc/self/maps; when several
    libcrypto copies are mapped, OpenSSL 3's (``.so.3``, the only one with providers)
    wins.
    """
    import _hashlib  # noqa: F401  # makes sure hashlib's libcrypto is mapped

    found: list[str] = []
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                path = line.rsplit(" ", 1)[-1].strip()
                if "/libcrypto.so" in path and path not in found:
                    found.append(path)
    except OSError:
        pass
    found.sort(key=lambda path: not path.endswith(".so.3"))
    return found[0] if found else ctypes.util.find_library("crypto")


@functools.cache
def _probe() -> _Probe:
    """Enable the GOST provider in this process (once) and check it with a known answer.

    Two threads racing here may both load the provider: harmless, OpenSSL counts loads.
    """
    try:
        hashlib.new(_NATIVE_NAMES[64])
    except ValueError:
        pass
    else:  # already usable: OPENSSL_CONF activated the provider before start-up
        return _check_kat()
    path = _hashlib_libcrypto()
    if path is None:
        return _Probe(False, "libcrypto not found")
    try:
        load = ctypes.CDLL(path).OSSL_PROVIDER_load
    except (OSError, AttributeError) as exc:  # not OpenSSL 3
        return _Probe(False, f"{path}: no OSSL_PROVIDER_load ({exc})")
    load.restype = ctypes.c_void_p
    load.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    # "default" first: once any provider is loaded explicitly OpenSSL no longer loads
    # the default one by itself, and sha256 & co. would disappear from hashlib.
    if not load(None, b"default"):
        return _Probe(False, "OSSL_PROVIDER_load(default) failed")
    if not load(None, b"gostprov"):
        return _Probe(False, "OSSL_PROVIDER_load(gostprov) failed: is libengine-gost-openssl installed?")
    return _check_kat()


def _check_kat() -> _Probe:
    try:
        ok = hashlib.new(_NATIVE_NAMES[64]).digest() == _KAT_EMPTY_512
    except ValueError as exc:
        return _Probe(False, f"provider loaded but {_NATIVE_NAMES[64]} unknown: {exc}")
    return _Probe(True, "") if ok else _Probe(False, "native Streebog-512 failed its known-answer test")


def native_available() -> bool:
    """Try (once per process) to enable the native backend; say whether it works."""
    return _probe().available


def native_error() -> str:
    """Why the native backend is unavailable ('' when it is available)."""
    return _probe().error


def streebog_backend() -> str:
    """Name of the backend that ``new_streebog(..., backend="auto")`` uses here.

    Returns:
        :data:`NATIVE` (``"openssl-gostprov"``) or :data:`PURE` (``"pure-python"``).
    """
    return NATIVE if native_available() else PURE


def new_streebog(digest_size: int, data: bytes = b"", *, backend: Backend = "auto") -> HashObject:
    """Return a Streebog hash object.

    Args:
        digest_size: 32 (Streebog-256) or 64 (Streebog-512).
        data: Optional first chunk of input.
        backend: ``"auto"`` (native if it works, else pure), ``"native"`` or ``"pure"``.

    Returns:
        An object with ``update`` / ``digest`` / ``hexdigest`` / ``copy``.

    Raises:
        ValueError: If ``digest_size`` is not 32 or 64.
        StreebogUnavailable: If ``backend="native"`` and the provider cannot be used, or
            if the pure backend is needed and fails its known-answer test.
    """
    if digest_size not in _NATIVE_NAMES:
        raise ValueError(f"Streebog digest size must be 32 or 64 bytes, not {digest_size}")
    if backend == "pure" or (backend == "auto" and not native_available()):
        if not _pure_passes_kat():
            reason = "" if backend == "pure" else f"; native backend unavailable: {native_error()}"
            raise StreebogUnavailable(f"pure-Python Streebog failed its known-answer test{reason}")
        return PureStreebog(digest_size, data)
    if backend == "native" and not native_available():
        raise StreebogUnavailable(f"native Streebog unavailable: {native_error()}")
    return hashlib.new(_NATIVE_NAMES[digest_size], data)


@functools.cache
def _pure_passes_kat() -> bool:
    # Same known answer as the native backend: neither backend is used unchecked, so a
    # broken build fails loudly instead of producing digests that never match.
    return PureStreebog(64).digest() == _KAT_EMPTY_512
