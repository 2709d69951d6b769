"""Read the NCA GOST PKCS#12 test keys (kz-pki/keys) in pure Python.

``cryptography`` rejects these files (unknown key OID, misreported as a wrong password),
so this module takes the PFX apart itself (RFC 7292):

* the MAC (HMAC-SHA-1 with a PKCS#12-KDF key) is checked first, so a wrong password is
  reported as such;
* the key bag is pbeWithSHA1And3-KeyTripleDES-CBC (decrypted with ``cryptography``'s
  TripleDES);
* the certificate bag is pbeWithSHA1And40BitRC2-CBC. ``cryptography`` offers RC2 only
  with 128-bit keys, so RC2 (RFC 2268) decryption is implemented below; it runs once
  per file on about a kilobyte.

The private key encodings differ by generation (kz-pki README section 2.2): GOST-2015
keys are OCTET STRING(OCTET STRING(d little-endian)), GOST-2004 keys OCTET STRING(INTEGER
d). The key is accepted only if d*P equals the public key of a certificate in the file.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

from asn1crypto import core, pkcs12
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

from ._asn1 import PrivateKeyInfo
from ._errors import Pkcs12Error

__all__ = ["decode_gost_private_key", "parse_private_key_info", "read_pkcs12"]


# --------------------------------------------------------------------------------------
# RFC 7292 appendix B.2: the PKCS#12 key derivation function.
# --------------------------------------------------------------------------------------
_ID_KEY: Final = 1
_ID_IV: Final = 2
_ID_MAC: Final = 3


def _kdf(password: bytes, salt: bytes, iterations: int, purpose: int, size: int, hash_name: str = "sha1") -> bytes:
    """RFC 7292 B.2 with ``password`` already BMPString-encoded (UTF-16BE + 2 zero bytes)."""
    v = hashlib.new(hash_name).block_size

    def stretch(data: bytes) -> bytes:
        if not data:
            return b""
        n = v * ((len(data) + v - 1) // v)
        return (data * (n // len(data) + 1))[:n]

    d = bytes([purpose]) * v
    i = bytearray(stretch(salt) + stretch(password))
    out = b""
    while len(out) < size:
        a = d + bytes(i)
        for _ in range(iterations):
            a = hashlib.new(hash_name, a).digest()
        out += a
        b = int.from_bytes(stretch(a)[:v], "big")
        for j in range(0, len(i), v):
            block = (int.from_bytes(i[j : j + v], "big") + b + 1) % (1 << (8 * v))
            i[j : j + v] = block.to_bytes(v, "big")
    return out[:size]


def _bmp_password(password: bytes) -> bytes:
    return password.decode("utf-8").encode("utf-16-be") + b"\x00\x00"


# --------------------------------------------------------------------------------------
# RC2 decryption (RFC 2268), needed only for the 40-bit RC2 certificate bags.
# --------------------------------------------------------------------------------------
# RFC 2268 section 2: PITABLE, a permutation of 0..255 derived from the digits of pi.
_PITABLE: Final = bytes.fromhex(
    "d978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2"
    "179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82"
    "54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626"
    "6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7"
    "08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ec"
    "c2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731"
    "2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a9"
    "0d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad"
)


def _rc2_key_schedule(key: bytes, effective_bits: int) -> list[int]:
    """RFC 2268 section 2: expand ``key`` to 64 16-bit round keys."""
    t = len(key)
    t8 = (effective_bits + 7) // 8
    tm = 0xFF >> (8 * t8 - effective_bits)
    buf = bytearray(key) + bytearray(128 - t)
    for i in range(t, 128):
        buf[i] = _PITABLE[(buf[i - 1] + buf[i - t]) & 0xFF]
    buf[128 - t8] = _PITABLE[buf[128 - t8] & tm]
    for i in range(127 - t8, -1, -1):
        buf[i] = _PITABLE[buf[i + 1] ^ buf[i + t8]]
    return [buf[2 * i] | (buf[2 * i + 1] << 8) for i in range(64)]


def _rc2_decrypt_block(block: bytes, k: list[int]) -> bytes:
    """RFC 2268 section 4: five r-mixing, r-mash, six r-mixing, r-mash, five r-mixing."""
    r = [block[2 * i] | (block[2 * i + 1] << 8) for i in range(4)]
    j = 63
    rotations = (1, 2, 3, 5)
    for rounds, mash in ((5, True), (6, True), (5, False)):
        for _ in range(rounds):
            for i in (3, 2, 1, 0):
                s = rotations[i]
                x = ((r[i] >> s) | (r[i] << (16 - s))) & 0xFFFF
                a, b, c = r[(i - 1) % 4], r[(i - 2) % 4], r[(i - 3) % 4]
                r[i] = (x - k[j] - (a & b) - ((~a) & c)) & 0xFFFF
                j -= 1
        if mash:
            for i in (3, 2, 1, 0):
                r[i] = (r[i] - k[r[(i - 1) % 4] & 63]) & 0xFFFF
    return b"".join(w.to_bytes(2, "little") for w in r)


def _rc2_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    k = _rc2_key_schedule(key, 8 * len(key))
    out = bytearray()
    prev = iv
    for off in range(0, len(data), 8):
        block = data[off : off + 8]
        out += bytes(x ^ y for x, y in zip(_rc2_decrypt_block(block, k), prev, strict=True))
        prev = block
    return bytes(out)


def _unpad(data: bytes) -> bytes:
    n = data[-1] if data else 0
    if not 1 <= n <= 8 or data[-n:] != bytes([n]) * n:
        raise Pkcs12Error("bad padding after decryption: wrong password or damaged file")
    return data[:-n]


def _pbe_decrypt(algorithm: core.Asn1Value, ciphertext: bytes, password: bytes) -> bytes:
    """Decrypt a PKCS#12 PBE blob (3DES or RC2-40 with SHA-1)."""
    name = algorithm["algorithm"].native
    params = algorithm["parameters"]
    salt, iterations = params["salt"].native, params["iterations"].native
    if len(ciphertext) % 8:
        raise Pkcs12Error("encrypted data is not a whole number of 8-byte blocks")
    if name == "pkcs12_sha1_tripledes_3key":
        key = _kdf(password, salt, iterations, _ID_KEY, 24)
        iv = _kdf(password, salt, iterations, _ID_IV, 8)
        dec = Cipher(TripleDES(key), modes.CBC(iv)).decryptor()
        return _unpad(dec.update(ciphertext) + dec.finalize())
    if name == "pkcs12_sha1_rc2_40":
        key = _kdf(password, salt, iterations, _ID_KEY, 5)
        iv = _kdf(password, salt, iterations, _ID_IV, 8)
        return _unpad(_rc2_cbc_decrypt(key, iv, ciphertext))
    raise Pkcs12Error(f"unsupported PKCS#12 encryption {name!r}")


def _check_mac(pfx: pkcs12.Pfx, content: bytes, password: bytes) -> None:
    mac_data = pfx["mac_data"]
    if not mac_data.native:
        # NCA key files always carry a MAC; without one a damaged file or a wrong
        # password could go unnoticed (the padding check catches only most cases).
        raise Pkcs12Error("PKCS#12 file has no MAC (or an unreadable one)")
    hash_name = mac_data["mac"]["digest_algorithm"]["algorithm"].native
    if hash_name not in ("sha1", "sha256", "sha512"):
        raise Pkcs12Error(f"unsupported PKCS#12 MAC digest {hash_name!r}")
    size = hashlib.new(hash_name).digest_size
    key = _kdf(password, mac_data["mac_salt"].native, mac_data["iterations"].native, _ID_MAC, size, hash_name)
    mac = hmac.new(key, content, hash_name).digest()
    if not hmac.compare_digest(mac, mac_data["mac"]["digest"].native):
        raise Pkcs12Error("PKCS#12 MAC mismatch: wrong password or damaged file")


def read_pkcs12(data: bytes, password: bytes) -> tuple[list[bytes], list[bytes]]:
    """Decrypt a PKCS#12 file into its raw bags.

    Args:
        data: The DER bytes of the PFX.
        password: The password as UTF-8 bytes.

    Returns:
        ``(private_key_infos, certificates)``: the DER of every decrypted PKCS#8
        PrivateKeyInfo and of every X.509 certificate in the file.

    Raises:
        Pkcs12Error: On a wrong password, a damaged file or an unsupported cipher.
    """
    try:
        pfx = pkcs12.Pfx.load(data, strict=True)
        # The MAC covers only authSafe's content: check the rest of the envelope here.
        if pfx["version"].native != "v3":
            raise Pkcs12Error(f"unsupported PKCS#12 version {pfx['version'].native}")
        if pfx["auth_safe"]["content_type"].native != "data":
            raise Pkcs12Error("only password-integrity PKCS#12 files are supported")
        content = pfx["auth_safe"]["content"].native
        bmp = _bmp_password(password)
        _check_mac(pfx, content, bmp)
        key_infos: list[bytes] = []
        certs: list[bytes] = []
        for info in pkcs12.AuthenticatedSafe.load(content):
            kind = info["content_type"].native
            if kind == "data":
                safe = info["content"].native
            elif kind == "encrypted_data":
                eci = info["content"]["encrypted_content_info"]
                safe = _pbe_decrypt(eci["content_encryption_algorithm"], eci["encrypted_content"].native, bmp)
            else:
                raise Pkcs12Error(f"unsupported PKCS#12 content {kind!r}")
            for bag in pkcs12.SafeContents.load(safe):
                bag_id = bag["bag_id"].native
                value = bag["bag_value"]
                if bag_id == "pkcs8_shrouded_key_bag":
                    key_infos.append(_pbe_decrypt(value["encryption_algorithm"], value["encrypted_data"].native, bmp))
                elif bag_id == "key_bag":
                    key_infos.append(value.dump())
                elif bag_id == "cert_bag" and value["cert_id"].native == "x509":
                    certs.append(value["cert_value"].parsed.dump())
    except Pkcs12Error:
        raise
    except (ValueError, TypeError, KeyError) as exc:  # what asn1crypto raises on bad input
        raise Pkcs12Error(f"cannot parse PKCS#12: {exc}") from exc
    return key_infos, certs


def parse_private_key_info(info_der: bytes) -> tuple[str, core.Asn1Value | None, bytes]:
    """Split a PKCS#8 PrivateKeyInfo into (algorithm OID, parameters, privateKey octets).

    Raises:
        Pkcs12Error: If the structure cannot be read.
    """
    try:
        info = PrivateKeyInfo.load(info_der, strict=True)
        oid: str = info["algorithm"]["algorithm"].dotted
        params = info["algorithm"]["parameters"]
        octets: bytes = info["private_key"].native
    except ValueError as exc:
        raise Pkcs12Error(f"cannot parse the private key: {exc}") from exc
    return oid, params if params.contents else None, octets


def decode_gost_private_key(octets: bytes) -> int:
    """Decode the contents of a GOST PrivateKeyInfo ``privateKey`` OCTET STRING.

    Raises:
        Pkcs12Error: If the encoding is neither of the two the NCA uses.
    """
    try:
        inner = core.load(octets, strict=True)
    except ValueError as exc:
        raise Pkcs12Error(f"cannot parse the private key: {exc}") from exc
    if isinstance(inner, core.OctetString):
        # GOST-2015: OCTET STRING(d little-endian), kz-pki README 2.2.
        return int.from_bytes(inner.native, "little")
    if isinstance(inner, core.Integer):
        # GOST-2004: INTEGER d, ordinary big-endian DER.
        d: int = inner.native
        return d
    raise Pkcs12Error(f"unexpected GOST private key encoding {type(inner).__name__}")
