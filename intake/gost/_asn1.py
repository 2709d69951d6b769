"""ASN.1 shapes shared by the GOST key readers.

asn1crypto's own ``PublicKeyInfo`` / ``PrivateKeyInfo`` cannot interpret the Kazakh GOST
OIDs (kz-pki README 2.5), so these keep the key material raw. asn1crypto ships no type
information: its base classes are ``Any`` to mypy, hence the ``type: ignore[misc]``.
"""

from __future__ import annotations

from typing import ClassVar

from asn1crypto import core

__all__ = ["AlgorithmIdentifier", "GostKeyParams", "PrivateKeyInfo", "SubjectPublicKeyInfo"]


class AlgorithmIdentifier(core.Sequence):  # type: ignore[misc]
    """RFC 5280 AlgorithmIdentifier with the parameters left unparsed."""

    _fields: ClassVar[list[tuple[object, ...]]] = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class SubjectPublicKeyInfo(core.Sequence):  # type: ignore[misc]
    """RFC 5280 SubjectPublicKeyInfo; ``public_key`` is the raw BIT STRING content."""

    _fields: ClassVar[list[tuple[object, ...]]] = [
        ("algorithm", AlgorithmIdentifier),
        ("public_key", core.OctetBitString),
    ]


class GostKeyParams(core.Sequence):  # type: ignore[misc]
    """GOST key parameters SEQ{curve OID, digest OID} (kz-pki README 2.1)."""

    _fields: ClassVar[list[tuple[object, ...]]] = [
        ("curve", core.ObjectIdentifier),
        ("digest", core.ObjectIdentifier, {"optional": True}),
    ]


class PrivateKeyInfo(core.Sequence):  # type: ignore[misc]
    """PKCS#8 PrivateKeyInfo (RFC 5208); ``private_key`` is the raw OCTET STRING content."""

    _fields: ClassVar[list[tuple[object, ...]]] = [
        ("version", core.Integer),
        ("algorithm", AlgorithmIdentifier),
        ("private_key", core.OctetString),
        ("attributes", core.Any, {"implicit": 0, "optional": True}),
    ]
