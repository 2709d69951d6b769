"""The samples' test PKI, built in code and byte-for-byte the same on every run.

RSA key generation in `cryptography` draws from the OS random source, so the keys are derived
here from a seed: a `random.Random` seeded with the key's name picks odd candidates, a sieve of
small primes and Miller-Rabin (32 rounds, bases from the same stream) keep the primes, and
`rsa.RSAPrivateNumbers` with the CRT values builds the key. RSA PKCS#1 v1.5 signatures are
deterministic, so certificates and CRLs signed with these keys are too.

Certificates follow the Kazakh NCA profile (kz-pki README §1): CN, SURNAME, GIVENNAME
(patronymic), SERIALNUMBER=IIN..., O, OU=BIN..., C=KZ; the role in extended key usage
(1.2.398.3.3.4.1.1 individual; 1.2.398.3.3.4.1.2 with .2.1 head, .2.2 signing right, .2.6
information system); SIGN keys with digitalSignature+nonRepudiation and emailProtection,
AUTH keys with digitalSignature+keyEncipherment and clientAuth.

The identities are synthetic and pass the IIN/BIN check digit (`intake.ids.make_iin/make_bin`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from intake.ids import BinAttribute, EntityType, Sex
from samplegen.identities import make_bin, make_iin

ALMATY = ZoneInfo("Asia/Almaty")
UTC = ZoneInfo("UTC")

AT = datetime(2026, 11, 20, 12, 0, tzinfo=ALMATY)
"""The samples' fixed validation moment (`--at 2026-11-20T12:00:00+05:00`)."""

# --------------------------------------------------------------------------- identities

ORG_BIN = make_bin(2019, 3, EntityType.RESIDENT_LEGAL_ENTITY, BinAttribute.HEAD_UNIT, 4521)
STRANGER_BIN = make_bin(2017, 9, EntityType.RESIDENT_LEGAL_ENTITY, BinAttribute.HEAD_UNIT, 1187)
STATE_BIN = make_bin(2003, 2, EntityType.RESIDENT_LEGAL_ENTITY, BinAttribute.HEAD_UNIT, 305)
HEAD_IIN = make_iin(date(1978, 4, 12), Sex.MALE, 3127)
SPECIALIST_IIN = make_iin(date(1990, 7, 23), Sex.FEMALE, 4410)
STRANGER_IIN = make_iin(date(1983, 1, 30), Sex.MALE, 2281)
SPECIALIST_STRANGER_IIN = make_iin(date(1988, 11, 5), Sex.FEMALE, 1502)

ORG_NAME = 'ТОО "Центр социальной реабилитации "Мейірім-Тест"'
STRANGER_ORG = 'ТОО "Жарық Сервис Тест"'
STATE_SYSTEM = 'ИС "Госбаза данных" (TEST)'
STATE_ORG = 'РГП на ПХВ "Государственная база данных" (TEST)'

# --------------------------------------------------------------------------- OIDs (kz-pki README §1.2)

EKU_INDIVIDUAL = x509.ObjectIdentifier("1.2.398.3.3.4.1.1")
EKU_LEGAL = x509.ObjectIdentifier("1.2.398.3.3.4.1.2")
EKU_HEAD = x509.ObjectIdentifier("1.2.398.3.3.4.1.2.1")
EKU_SIGN_RIGHT = x509.ObjectIdentifier("1.2.398.3.3.4.1.2.2")
EKU_INFO_SYSTEM = x509.ObjectIdentifier("1.2.398.3.3.4.1.2.6")
POLICY_LEGAL_SIGN = "1.2.398.3.3.2.1"
POLICY_LEGAL_AUTH = "1.2.398.3.3.2.2"
POLICY_INDIVIDUAL_SIGN = "1.2.398.3.3.2.3"
POLICY_CA = "1.2.398.3.3.1.1"
POLICY_ROOT = "1.2.398.3.1.2"

# --------------------------------------------------------------------------- deterministic RSA

_SMALL_PRIMES = tuple(p for p in range(3, 10000) if all(p % q for q in range(2, int(p**0.5) + 1)))
_SMALL_PRODUCT = math.prod(_SMALL_PRIMES)


def _is_probable_prime(n: int, rng: random.Random, rounds: int = 32) -> bool:
    """Miller-Rabin with bases drawn from the seeded stream."""
    if n < 2:
        return False
    if n <= _SMALL_PRIMES[-1]:
        return n in _SMALL_PRIMES
    if math.gcd(n, _SMALL_PRODUCT) != 1:  # one big-number operation instead of 1200 divisions
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(rng: random.Random, bits: int, e: int) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (0b11 << (bits - 2)) | 1  # top two bits set: n has 2*bits bits
        if (candidate - 1) % e and _is_probable_prime(candidate, rng):
            return candidate


@cache
def rsa_key(seed: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """An RSA key derived from `seed`: the same seed gives the same key on every run and machine.

    Args:
        seed: Any text; the key's name in the sample PKI.
        bits: Modulus size.
    """
    e = 65537
    rng = random.Random(f"samplegen-rsa:{bits}:{seed}")  # str seeds hash with SHA-512: stable across runs
    while True:
        p = _prime(rng, bits // 2, e)
        q = _prime(rng, bits // 2, e)
        if p != q:
            break
    if p < q:
        p, q = q, p
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=d % (p - 1),
        dmq1=d % (q - 1),
        iqmp=pow(q, -1, p),
        public_numbers=rsa.RSAPublicNumbers(e, p * q),
    )
    return numbers.private_key()


# --------------------------------------------------------------------------- certificates


@dataclass(frozen=True)
class Party:
    """A key with its certificate and the chain above it (issuing CA first, root last)."""

    name: str
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def der(self) -> bytes:
        """The certificate, DER."""
        return self.certificate.public_bytes(serialization.Encoding.DER)


def _t(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ALMATY).astimezone(UTC)


def _name(attrs: list[tuple[x509.ObjectIdentifier, str]]) -> x509.Name:
    # cryptography limits CN to 64 UTF-8 bytes (Cyrillic letters take 2): keep CNs short.
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attrs])


def _ski(key: rsa.RSAPrivateKey) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key())


def _ca(
    name: str,
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    serial: int,
    not_before: datetime,
    not_after: datetime,
    issuer: Party | None,
    policy: str,
) -> Party:
    signer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(_ski(key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]),
            critical=False,
        )
    )
    cert = builder.sign(signer_key, hashes.SHA256())
    chain = (issuer.certificate, *issuer.chain) if issuer else ()
    return Party(name, key, cert, chain)


def _leaf(
    name: str,
    subject: x509.Name,
    serial: int,
    issuer: Party,
    not_before: datetime,
    not_after: datetime,
    roles: tuple[x509.ObjectIdentifier, ...],
    policy: str,
    auth: bool = False,
) -> Party:
    key = rsa_key(name)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=not auth,
        key_encipherment=auth,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    purpose = ExtendedKeyUsageOID.CLIENT_AUTH if auth else ExtendedKeyUsageOID.EMAIL_PROTECTION
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([purpose, *roles]), critical=False)
        .add_extension(_ski(key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
        .add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier("http://crl.intake.test/intake-test-ca.crl")],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .sign(issuer.key, hashes.SHA256())
    )
    return Party(name, key, cert, (issuer.certificate, *issuer.chain))


def _person(
    surname: str, first: str, patronymic: str, iin: str, org: str | None = None, bin_: str | None = None
) -> x509.Name:
    attrs: list[tuple[x509.ObjectIdentifier, str]] = [
        (NameOID.COMMON_NAME, f"{surname} {first}".upper()),
        (NameOID.SURNAME, surname.upper()),
        (NameOID.SERIAL_NUMBER, f"IIN{iin}"),
        (NameOID.COUNTRY_NAME, "KZ"),
    ]
    if org and bin_:
        attrs += [(NameOID.ORGANIZATION_NAME, org), (NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin_}")]
    attrs.append((NameOID.GIVEN_NAME, patronymic.upper()))
    return _name(attrs)


def _ca_name(cn: str) -> x509.Name:
    return _name(
        [(NameOID.COMMON_NAME, cn), (NameOID.ORGANIZATION_NAME, "INTAKE SAMPLES"), (NameOID.COUNTRY_NAME, "KZ")]
    )


@dataclass(frozen=True)
class SamplePki:
    """Every party of the sample PKI, the CRLs, and the revocation moment of the revoked signer."""

    root: Party
    ca: Party
    head: Party
    head_auth: Party
    signright: Party
    specialist: Party
    stranger: Party
    specialist_stranger: Party
    revoked: Party
    expired: Party
    untrusted_root: Party
    untrusted_ca: Party
    untrusted: Party
    state: Party
    ca_crl: x509.CertificateRevocationList
    root_crl: x509.CertificateRevocationList
    revoked_at: datetime

    def signer(self, name: str) -> Party:
        """A party by its field name (`head`, `stranger`, ...)."""
        party = getattr(self, name, None)
        if not isinstance(party, Party):
            raise KeyError(f"no signer {name!r} in the sample PKI")
        return party


HEAD_NAME = ("Ахметов", "Ерлан", "Серикович")
SIGNRIGHT_NAME = ("Жумабекова", "Айгерим", "Болатовна")
SPECIALIST_NAME = ("Сейткалиева", "Динара", "Маратовна")
STRANGER_NAME = ("Ким", "Виктор", "Александрович")
SPECIALIST_STRANGER_NAME = ("Омарова", "Салтанат", "Нурлановна")

LEAF_FROM = _t(2026, 1, 15, 10)
LEAF_TO = _t(2027, 1, 15, 10)


@cache
def build_pki() -> SamplePki:
    """The whole sample PKI (cached: building it takes a few seconds of prime search)."""
    root = _ca(
        "root",
        _ca_name("INTAKE TEST ROOT"),
        rsa_key("root"),
        0x1001,
        _t(2025, 1, 1),
        _t(2035, 1, 1),
        None,
        POLICY_ROOT,
    )
    ca = _ca("ca", _ca_name("INTAKE TEST CA"), rsa_key("ca"), 0x2001, _t(2025, 1, 2), _t(2033, 1, 2), root, POLICY_CA)
    legal_roles = (EKU_LEGAL, EKU_HEAD)
    head = _leaf(
        "head",
        _person(*HEAD_NAME, HEAD_IIN, ORG_NAME, ORG_BIN),
        0x3001,
        ca,
        LEAF_FROM,
        LEAF_TO,
        legal_roles,
        POLICY_LEGAL_SIGN,
    )
    head_auth = _leaf(
        "head_auth",
        _person(*HEAD_NAME, HEAD_IIN, ORG_NAME, ORG_BIN),
        0x3002,
        ca,
        LEAF_FROM,
        LEAF_TO,
        legal_roles,
        POLICY_LEGAL_AUTH,
        auth=True,
    )
    signright = _leaf(
        "signright",
        _person(*SIGNRIGHT_NAME, make_iin(date(1985, 2, 14), Sex.FEMALE, 3388), ORG_NAME, ORG_BIN),
        0x3003,
        ca,
        LEAF_FROM,
        LEAF_TO,
        (EKU_LEGAL, EKU_SIGN_RIGHT),
        POLICY_LEGAL_SIGN,
    )
    specialist = _leaf(
        "specialist",
        _person(*SPECIALIST_NAME, SPECIALIST_IIN),
        0x3004,
        ca,
        LEAF_FROM,
        LEAF_TO,
        (EKU_INDIVIDUAL,),
        POLICY_INDIVIDUAL_SIGN,
    )
    stranger = _leaf(
        "stranger",
        _person(*STRANGER_NAME, STRANGER_IIN, STRANGER_ORG, STRANGER_BIN),
        0x3005,
        ca,
        LEAF_FROM,
        LEAF_TO,
        legal_roles,
        POLICY_LEGAL_SIGN,
    )
    specialist_stranger = _leaf(
        "specialist_stranger",
        _person(*SPECIALIST_STRANGER_NAME, SPECIALIST_STRANGER_IIN),
        0x3006,
        ca,
        LEAF_FROM,
        LEAF_TO,
        (EKU_INDIVIDUAL,),
        POLICY_INDIVIDUAL_SIGN,
    )
    revoked = _leaf(
        "revoked",
        _person(*HEAD_NAME, HEAD_IIN, ORG_NAME, ORG_BIN),
        0x3007,
        ca,
        LEAF_FROM,
        LEAF_TO,
        legal_roles,
        POLICY_LEGAL_SIGN,
    )
    expired = _leaf(
        "expired",
        _person(*HEAD_NAME, HEAD_IIN, ORG_NAME, ORG_BIN),
        0x3008,
        ca,
        _t(2025, 6, 1, 10),
        _t(2026, 6, 1, 10),
        legal_roles,
        POLICY_LEGAL_SIGN,
    )
    untrusted_root = _ca(
        "untrusted_root",
        _ca_name("INTAKE UNTRUSTED ROOT"),
        rsa_key("untrusted_root"),
        0x1101,
        _t(2025, 1, 1),
        _t(2035, 1, 1),
        None,
        POLICY_ROOT,
    )
    untrusted_ca = _ca(
        "untrusted_ca",
        _ca_name("INTAKE UNTRUSTED CA"),
        rsa_key("untrusted_ca"),
        0x2101,
        _t(2025, 1, 2),
        _t(2033, 1, 2),
        untrusted_root,
        POLICY_CA,
    )
    untrusted = _leaf(
        "untrusted",
        _person(*HEAD_NAME, HEAD_IIN, ORG_NAME, ORG_BIN),
        0x3101,
        untrusted_ca,
        LEAF_FROM,
        LEAF_TO,
        legal_roles,
        POLICY_LEGAL_SIGN,
    )
    state = _leaf(
        "state",
        _name(
            [
                (NameOID.COMMON_NAME, STATE_SYSTEM),
                (NameOID.COUNTRY_NAME, "KZ"),
                (NameOID.ORGANIZATION_NAME, STATE_ORG),
                (NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{STATE_BIN}"),
                (NameOID.USER_ID, "1.2.398.6.10.1.1"),
            ]
        ),
        0x3201,
        ca,
        LEAF_FROM,
        LEAF_TO,
        (EKU_LEGAL, EKU_INFO_SYSTEM),
        POLICY_LEGAL_SIGN,
    )
    revoked_at = _t(2026, 10, 1, 9)
    ca_crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(_t(2026, 11, 17, 0))
        .next_update(_t(2026, 11, 24, 0))
        .add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(revoked.certificate.serial_number)
            .revocation_date(revoked_at)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
        .add_extension(x509.CRLNumber(42), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    root_crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root.certificate.subject)
        .last_update(_t(2026, 11, 1, 0))
        .next_update(_t(2027, 2, 1, 0))
        .add_extension(x509.CRLNumber(7), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()), critical=False)
        .sign(root.key, hashes.SHA256())
    )
    return SamplePki(
        root=root,
        ca=ca,
        head=head,
        head_auth=head_auth,
        signright=signright,
        specialist=specialist,
        stranger=stranger,
        specialist_stranger=specialist_stranger,
        revoked=revoked,
        expired=expired,
        untrusted_root=untrusted_root,
        untrusted_ca=untrusted_ca,
        untrusted=untrusted,
        state=state,
        ca_crl=ca_crl,
        root_crl=root_crl,
        revoked_at=revoked_at,
    )


# --------------------------------------------------------------------------- trust material

TRUST_DIR = "samples/trust"
ROOT_PEM = "intake-test-root.pem"
CA_PEM = "intake-test-ca.pem"
CA_CRL = "intake-test-ca.crl"
ROOT_CRL = "intake-test-root.crl"


def trust_args() -> list[str]:
    """The `intake check` arguments that trust the sample PKI at the samples' fixed moment."""
    return [
        "--trust",
        f"{TRUST_DIR}/{ROOT_PEM}",
        "--crl",
        f"{TRUST_DIR}/{CA_CRL}",
        "--crl",
        f"{TRUST_DIR}/{ROOT_CRL}",
        "--at",
        AT.isoformat(),
    ]


def write_trust(dest: Path) -> None:
    """Write the trust anchors and CRLs (`samples/trust/`): root and intermediate PEM, CRLs DER.

    The intermediate is written for reference and for `--trust` users who pin it; the samples'
    CMS carry it, so the root alone is the anchor. Nothing of the untrusted root is written.
    """
    pki = build_pki()
    dest.mkdir(parents=True, exist_ok=True)
    (dest / ROOT_PEM).write_bytes(pki.root.certificate.public_bytes(serialization.Encoding.PEM))
    (dest / CA_PEM).write_bytes(pki.ca.certificate.public_bytes(serialization.Encoding.PEM))
    (dest / CA_CRL).write_bytes(pki.ca_crl.public_bytes(serialization.Encoding.DER))
    (dest / ROOT_CRL).write_bytes(pki.root_crl.public_bytes(serialization.Encoding.DER))
    (dest / "README.md").write_text(
        "# Trust material of the sample dossiers\n\n"
        "Generated by `python -m samplegen` (samplegen/pki.py); never edit by hand.\n\n"
        f"- `{ROOT_PEM}`: the anchor, INTAKE TEST ROOT (RSA-2048, 2025-01-01..2035-01-01).\n"
        f"- `{CA_PEM}`: the issuing CA, INTAKE TEST CA (RSA-2048), carried in every sample CMS too.\n"
        f"- `{CA_CRL}`: CRL of INTAKE TEST CA, thisUpdate 2026-11-17, nextUpdate 2026-11-24 "
        "(before the signing moment 2026-11-18,\n  after the validation moment 2026-11-20); lists serial "
        f"{pki.revoked.certificate.serial_number:#x} (keyCompromise, {pki.revoked_at.isoformat()}).\n"
        f"- `{ROOT_CRL}`: CRL of INTAKE TEST ROOT, thisUpdate 2026-11-01, nextUpdate 2027-02-01, empty.\n\n"
        "Samples are checked at `--at 2026-11-20T12:00:00+05:00`; the keys are derived from fixed seeds and are\n"
        "public: trust them only for the samples.\n",
        encoding="utf-8",
    )
