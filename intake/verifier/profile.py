"""The Kazakh NCA RK certificate profile: who signed (kz-pki README section 1).

Identity is in the subject DN (SERIALNUMBER = ``IIN`` + 12 digits, OU = ``BIN`` + 12 digits,
O = organisation); the holder's role is in the extended key usage; signing vs authentication key
is the ``nonRepudiation`` key-usage bit (README 1.3), with the old certificate policies as support.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Final, Literal

from asn1crypto import x509

from intake.models import Signer
from intake.verifier.memo import ByIdentity

# README 1.2: extended key usage OIDs naming who holds the certificate.
EKU_INDIVIDUAL: Final = "1.2.398.3.3.4.1.1"
EKU_INDIVIDUAL_SYSTEM: Final = "1.2.398.3.3.4.1.1.1"
EKU_LEGAL: Final = "1.2.398.3.3.4.1.2"
EKU_TREASURY: Final = "1.2.398.5.19.1.2.2.1"
EKU_CLIENT_AUTH: Final = "1.3.6.1.5.5.7.3.2"
ROLE_OF_EKU: Final = {
    "1.2.398.3.3.4.1.2.1": "head",
    "1.2.398.3.3.4.1.2.2": "signing_right",
    "1.2.398.3.3.4.1.2.3": "financial",
    "1.2.398.3.3.4.1.2.4": "hr",
    "1.2.398.3.3.4.1.2.5": "employee",
    "1.2.398.3.3.4.1.2.6": "information_system",
    EKU_TREASURY: "treasury_client",
    EKU_INDIVIDUAL_SYSTEM: "information_system",
}
# README 1.2: certificate policies of the RSA / GOST-2004 era.
SIGN_POLICIES: Final = frozenset({"1.2.398.3.3.2.1", "1.2.398.3.3.2.3"})
AUTH_POLICIES: Final = frozenset({"1.2.398.3.3.2.2", "1.2.398.3.3.2.4"})
# Most specific first: the role reported when a certificate names several.
_ROLE_ORDER: Final = (
    "information_system",
    "treasury_client",
    "head",
    "signing_right",
    "financial",
    "hr",
    "employee",
    "legal_entity",
    "individual",
)


def _subject_values(cert: x509.Certificate) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for rdn in cert.subject.chosen:
        for attr in rdn:
            try:
                value = attr["value"].native
            except ValueError:
                continue
            if isinstance(value, str):
                values.setdefault(attr["type"].dotted, []).append(value.strip())
    return values


def _prefixed(values: list[str], prefix: str) -> str | None:
    for v in values:
        if v.upper().startswith(prefix) and v[len(prefix) :].isdigit():
            return v[len(prefix) :]
    return None


def eku_oids(cert: x509.Certificate) -> tuple[str, ...]:
    """Extended key usage OIDs, dotted."""
    try:
        value = cert.extended_key_usage_value
    except ValueError:
        return ()
    return tuple(p.dotted for p in value) if value is not None else ()


def policy_oids(cert: x509.Certificate) -> tuple[str, ...]:
    """Certificate policy OIDs, dotted."""
    try:
        value = cert.certificate_policies_value
    except ValueError:
        return ()
    return tuple(p["policy_identifier"].dotted for p in value) if value is not None else ()


_MEMO: dict[str, ByIdentity[object]] = {}


def _memo(kind: str, cert: x509.Certificate, compute: Callable[[], object]) -> object:
    """A fact of a certificate computed once per certificate object (`intake.verifier.memo`), one table per kind."""
    return _MEMO.setdefault(kind, ByIdentity(limit=4096)).get(cert, compute)


def key_usage(cert: x509.Certificate) -> frozenset[str] | None:
    """The key-usage bits set, or None when the extension is absent."""
    value = _memo("ku", cert, lambda: _key_usage(cert))
    assert value is None or isinstance(value, frozenset)
    return value


def _key_usage(cert: x509.Certificate) -> frozenset[str] | None:
    try:
        value = cert.key_usage_value
    except ValueError:
        return frozenset()
    return frozenset(value.native) if value is not None else None


def key_purpose(cert: x509.Certificate) -> Literal["sign", "auth", "unknown"]:
    """Signing or authentication key (README 1.3: nonRepudiation = SIGN; digitalSignature alone = AUTH)."""
    ku = key_usage(cert)
    policies = set(policy_oids(cert))
    if ku is not None and "non_repudiation" in ku:
        return "sign"
    if policies & AUTH_POLICIES or EKU_CLIENT_AUTH in eku_oids(cert):
        return "auth"
    if ku is not None and "digital_signature" in ku:
        return "auth"
    if policies & SIGN_POLICIES:
        return "sign"
    return "unknown"


def roles(cert: x509.Certificate) -> tuple[str, ...]:
    """Every holder tag the EKU names (individual, legal_entity, head, signing_right, ...)."""
    found: set[str] = set()
    for oid in eku_oids(cert):
        if oid == EKU_INDIVIDUAL:
            found.add("individual")
        elif oid == EKU_LEGAL:
            found.add("legal_entity")
        elif oid in ROLE_OF_EKU:
            found.add(ROLE_OF_EKU[oid])
        elif oid.startswith("1.2.398.3.3.4.1.2.6."):
            found.add("information_system")
    return tuple(r for r in _ROLE_ORDER if r in found)


def signer_of(cert: x509.Certificate) -> Signer:
    """The signer's facts read from the certificate (computed once per certificate)."""
    value = _memo("signer", cert, lambda: _signer_of(cert))
    assert isinstance(value, Signer)
    return value


def _signer_of(cert: x509.Certificate) -> Signer:
    values = _subject_values(cert)
    serials = values.get("2.5.4.5", [])
    ous = values.get("2.5.4.11", [])
    tags = roles(cert)
    holder: Literal["individual", "legal_entity"] | None = None
    if "legal_entity" in tags or any(t in tags for t in ("head", "signing_right", "financial", "hr", "employee")):
        holder = "legal_entity"
    elif "individual" in tags:
        holder = "individual"
    bin_ = _prefixed(ous, "BIN") or _prefixed(serials, "BIN")
    if holder is None and bin_ is not None:
        holder = "legal_entity"
    tbs = cert["tbs_certificate"]
    cn = values.get("2.5.4.3")
    org = values.get("2.5.4.10")
    email = values.get("1.2.840.113549.1.9.1")
    return Signer(
        common_name=cn[0] if cn else None,
        iin=_prefixed(serials, "IIN"),
        bin=bin_,
        organization=org[0] if org else None,
        role=tags[0] if tags else None,
        key_purpose=key_purpose(cert),
        email=email[0] if email else None,
        certificate_serial=format(tbs["serial_number"].native, "x"),
        certificate_sha256=hashlib.sha256(cert.dump()).hexdigest(),
        issuer=cert.issuer.human_friendly,
        not_before=tbs["validity"]["not_before"].native,
        not_after=tbs["validity"]["not_after"].native,
        holder=holder,
        roles=tags,
        subject=cert.subject.human_friendly,
    )
