"""Trust anchors and offline revocation data, and certification-path validation at a moment.

Trust comes only from the user (``--trust FILE|DIR|PROFILE``), never from the dossier. Bundled
profiles live in ``intake/trust/<name>/`` (``kz-nca``: NCA RK production CAs; ``kz-test``: the
NCA TEST 2022 chain). Self-signed certificates are anchors; the others help build paths.
Path building and revocation are pyhanko-certvalidator's, with the GOST-aware signature
validator of :mod:`intake.verifier.algos`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import pem, x509
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    DisallowedAlgorithmError,
    ExpiredError,
    InsufficientRevinfoError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
    ValidationError,
)
from pyhanko_certvalidator.policy_decl import (
    AcceptAllAlgorithms,
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from intake.errors import ConfigurationError
from intake.models import Revocation
from intake.verifier.algos import VALIDATOR
from intake.verifier.memo import ByIdentity

TRUST_DIR: Final = Path(__file__).resolve().parent.parent / "trust"
PROFILES: Final = ("kz-nca", "kz-test")
CERT_SUFFIXES: Final = (".cer", ".crt", ".pem", ".der")
_PEM_BLOCK = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----")
# Size caps of the files named by --trust, --crl and --ocsp: the largest real ones (a full NCA RK CRL)
# are a few megabytes; a larger file, a device (/dev/zero) or a pipe is refused before it is read.
MAX_CERT_FILE: Final = 10_000_000
MAX_CRL_FILE: Final = 50_000_000
MAX_OCSP_FILE: Final = 10_000_000


def decode_blob(data: bytes) -> list[bytes]:
    """DER objects inside ``data``: DER as is, every PEM block, or base64 text (as NCALayer saves).

    Raises:
        ValueError: A PEM block is damaged (armour without an end, a body that is not base64).
    """
    stripped = data.strip()
    if stripped.startswith(b"0"):
        return [data]
    if _PEM_BLOCK.search(stripped):
        try:
            return [der for _, _, der in pem.unarmor(stripped, multiple=True)]
        except (binascii.Error, ValueError, TypeError) as exc:  # binascii.Error: the body is not base64
            raise ValueError(f"damaged PEM block: {exc}") from exc
    try:
        raw = base64.b64decode(re.sub(rb"\s+", b"", stripped), validate=True)
    except (binascii.Error, ValueError):
        return []
    return [raw] if raw.startswith(b"0") else []


class UnfitFile(OSError):
    """A file refused before it is read: not a regular file, or larger than the limit."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name} {reason}")
        self.reason = reason


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a file, read only if it is a regular file of at most `limit` bytes (a pipe would block).

    Raises:
        UnfitFile: Not a regular file (a device, a pipe, a folder), or larger than `limit`.
        OSError: Missing or unreadable.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise UnfitFile(path, "is not a regular file (a device, a pipe or a folder)")
    if info.st_size > limit:
        raise UnfitFile(path, f"is {info.st_size} bytes, more than the limit of {limit}")
    with path.open("rb") as fh:
        # read what stat() saw, plus one byte: read(limit + 1) allocates the whole limit first (0.1 ms a file)
        data = fh.read(info.st_size + 1)
        if len(data) > info.st_size:  # grew since stat(): the rest, up to the limit
            data += fh.read(limit + 1 - len(data))
    if len(data) > limit:
        raise UnfitFile(path, f"is more than the limit of {limit} bytes")
    return data


def read_option_file(path: Path, what: str, limit: int) -> bytes:
    """The bytes of a file named on the command line, read only if it is a regular file of at most `limit` bytes.

    Raises:
        ConfigurationError: Missing, unreadable, not a regular file (a device, a pipe, a folder) or too large;
            the message names the file and the reason.
    """
    try:
        return read_regular(path, limit)
    except UnfitFile as exc:
        raise ConfigurationError(f"{what} {path} {exc.reason}") from exc
    except OSError as exc:
        raise ConfigurationError(f"{what} {path} cannot be read: {exc.strerror or exc}") from exc


def load_certificates(path: Path, what: str = "trust certificate") -> list[x509.Certificate]:
    """Every certificate of a file (DER, PEM blocks or base64).

    Raises:
        ConfigurationError: The file cannot be read or holds no certificate.
    """
    data = read_option_file(path, what, MAX_CERT_FILE)
    try:
        blobs = decode_blob(data)
        certs = [x509.Certificate.load(b) for b in blobs]
        for c in certs:
            _ = c.subject, c.public_key  # force parsing
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ConfigurationError(f"{what} {path} cannot be read: {exc}") from exc
    if not certs:
        raise ConfigurationError(f"{what} {path} holds no certificate")
    return certs


def _is_self_signed(cert: x509.Certificate) -> bool:
    return bool(cert.subject == cert.issuer)


@dataclass(frozen=True)
class TrustStore:
    """Anchors and path-building certificates."""

    anchors: tuple[x509.Certificate, ...] = ()
    intermediates: tuple[x509.Certificate, ...] = ()
    sources: tuple[str, ...] = ()


def load_trust(specs: Sequence[str]) -> TrustStore:
    """Read ``--trust`` values: profile names, certificate files, or folders of them.

    Raises:
        ConfigurationError: A value names nothing readable.
    """
    anchors: list[x509.Certificate] = []
    others: list[x509.Certificate] = []
    for spec in specs:
        path = TRUST_DIR / spec if spec in PROFILES else Path(spec)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES)
            if not files:
                raise ConfigurationError(f"trust folder {path} holds no .cer/.crt/.pem/.der file")
        elif path.is_file():
            files = [path]
        elif path.exists():
            raise ConfigurationError(f"--trust {spec}: not a regular file or folder (a device or a pipe)")
        else:
            known = ", ".join(PROFILES)
            raise ConfigurationError(f"--trust {spec}: no such file, folder or profile (profiles: {known})")
        certs = [c for f in files for c in load_certificates(f)]
        roots = [c for c in certs if _is_self_signed(c)]
        if not roots:  # a folder or file of CA certificates without their root: trust them directly
            anchors.extend(certs)
        else:
            anchors.extend(roots)
            others.extend(c for c in certs if not _is_self_signed(c))
    return TrustStore(tuple(anchors), tuple(others), tuple(specs))


_Loaded = TypeVar("_Loaded")


def load_crls(paths: Iterable[Path]) -> tuple[asn1_crl.CertificateList, ...]:
    """Read CRL files (DER, PEM or base64).

    Raises:
        ConfigurationError: A file is missing or not a CRL.
    """

    def load(blob: bytes) -> asn1_crl.CertificateList:
        c = asn1_crl.CertificateList.load(blob)
        _ = c.issuer, c["tbs_cert_list"]["this_update"].native
        return c

    return _load_each(paths, "CRL", MAX_CRL_FILE, load)


def load_ocsps(paths: Iterable[Path]) -> tuple[asn1_ocsp.OCSPResponse, ...]:
    """Read OCSP response files (DER or base64).

    Raises:
        ConfigurationError: A file is missing or not an OCSP response.
    """

    def load(blob: bytes) -> asn1_ocsp.OCSPResponse:
        r = asn1_ocsp.OCSPResponse.load(blob)
        _ = r["response_status"].native
        return r

    return _load_each(paths, "OCSP response", MAX_OCSP_FILE, load)


def _load_each(paths: Iterable[Path], what: str, limit: int, load: Callable[[bytes], _Loaded]) -> tuple[_Loaded, ...]:
    """Every object `load` reads from each blob of each file (touching what it needs, so a bad one fails here)."""
    out: list[_Loaded] = []
    for p in paths:
        data = read_option_file(p, what, limit)
        try:
            out.extend(load(blob) for blob in decode_blob(data) or [b""])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"{what} {p} cannot be read: {exc}") from exc
    return tuple(out)


class RevocationPolicy(StrEnum):
    """What a signature needs to know about its signer's revocation status (`--revocation`).

    ``require``: a CRL or OCSP response that covers the signing moment, else INDETERMINATE/TRY_LATER.
    ``soft-fail``: the same, except that a certificate for which no revocation data can be had (none
    given, none embedded, none fetched) passes on that point, reported `unknown`; data that says
    revoked, or data about the certificate that is there but cannot be used, still does not pass.
    ``off``: revocation is not checked (for tests; every report says so).
    """

    REQUIRE = "require"
    SOFT_FAIL = "soft-fail"
    OFF = "off"


@dataclass(frozen=True)
class PathResult:
    """The outcome of validating a signer certificate's path at one moment."""

    subindication: str | None  # None: the path is valid, trusted and not revoked
    message: str | None = None
    trusted: bool | None = None
    chain: tuple[x509.Certificate, ...] = ()
    revocation: Revocation = field(default_factory=Revocation)
    certificate_valid: bool | None = None
    cause: Literal["no_trust_anchors", "no_revocation_data"] | None = None
    names: tuple[str, ...] = ()  # the subjects of `chain`, readable

    def __post_init__(self) -> None:
        if self.chain and not self.names:
            object.__setattr__(self, "names", tuple(c.subject.human_friendly for c in self.chain))


REVOCATION_POLICY: Final = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        # The signer's certificate needs a CRL or an OCSP response; an intermediate is checked when
        # its issuer's data is at hand (NCA root CRLs are rarely available offline: README 2.5).
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
    ),
    retroactive_revinfo=True,  # a CRL issued after the signing moment still tells about it
)
NO_REVOCATION_POLICY: Final = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.NO_CHECK,
        intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK,
    )
)


def _revocation_source(
    cert: x509.Certificate,
    crls: Sequence[asn1_crl.CertificateList],
    ocsps: Sequence[asn1_ocsp.OCSPResponse],
    origins: Mapping[int, str] | None = None,
) -> tuple[str | None, str | None]:
    """Which piece of revocation data speaks of ``cert``, and where it came from (`--crl`, the DSS, ...)."""
    serial = cert.serial_number
    for r in ocsps:
        try:
            for single in r.basic_ocsp_response["tbs_response_data"]["responses"]:
                if single["cert_id"]["serial_number"].native == serial:
                    return f"OCSP ({single['this_update'].native.isoformat()})", (origins or {}).get(id(r))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    issuer = cert.issuer.dump()
    for c in crls:
        # the encoded names first: asn1crypto's Name equality (string preparation) is slow
        if c.issuer.dump() == issuer or c.issuer == cert.issuer:
            what = f"CRL of {c.issuer.human_friendly} ({c['tbs_cert_list']['this_update'].native.isoformat()})"
            return what, (origins or {}).get(id(c))
    return None, None


def has_revocation_data(
    cert: x509.Certificate, crls: Sequence[asn1_crl.CertificateList], ocsps: Sequence[asn1_ocsp.OCSPResponse]
) -> bool:
    """Whether any CRL of the certificate's issuer or any OCSP answer about its serial is at hand."""
    return _revocation_source(cert, crls, ocsps)[0] is not None


_INDEX: dict[tuple[bytes, ...], dict[tuple[bytes, int], tuple[datetime, str | None]]] = {}


_CRL_DIGESTS: ByIdentity[bytes] = ByIdentity(limit=256)


def _crl_digest(crl: asn1_crl.CertificateList) -> bytes:
    """The SHA-1 of a CRL, once per CRL object (a full NCA CRL is megabytes; it is used for every signature)."""
    return _CRL_DIGESTS.get(crl, lambda: hashlib.sha1(crl.dump(), usedforsecurity=False).digest())


def _crl_key(crls: Sequence[asn1_crl.CertificateList]) -> tuple[bytes, ...]:
    return tuple(_crl_digest(c) for c in crls)


def _revocation_index(
    crls: Sequence[asn1_crl.CertificateList],
) -> dict[tuple[bytes, int], tuple[datetime, str | None]]:
    """(issuer DER, serial) -> (revocation date, reason) over the CRLs at hand, built once per set of CRLs."""
    key = _crl_key(crls)
    index = _INDEX.get(key)
    if index is None:
        index = {}
        for c in crls:
            issuer = c.issuer.dump()
            for entry in c["tbs_cert_list"]["revoked_certificates"]:
                reason = None
                try:
                    reason_value = entry.crl_reason_value
                    reason = reason_value.native if reason_value is not None else None
                except ValueError:
                    pass
                index.setdefault((issuer, entry["user_certificate"].native), (entry["revocation_date"].native, reason))
        if len(_INDEX) > 64:
            _INDEX.clear()
        _INDEX[key] = index
    return index


def revocation_date(
    cert: x509.Certificate, crls: Sequence[asn1_crl.CertificateList]
) -> tuple[datetime, str | None] | None:
    """When the CRLs at hand say ``cert`` was revoked (for the no-proof-of-existence check).

    Names are compared by their encoding: a CRL whose issuer name is encoded otherwise than the
    certificate's issuer is still applied by pyhanko-certvalidator; this lookup would only miss it.
    """
    return _revocation_index(crls).get(_cert_key(cert))


_CERT_KEYS: ByIdentity[tuple[bytes, int]] = ByIdentity()


def _cert_key(cert: x509.Certificate) -> tuple[bytes, int]:
    """(issuer DER, serial) of a certificate, once per certificate object (the verifier hands out one
    parsed object per certificate; `dump()` walks the name for changes on every call)."""
    return _CERT_KEYS.get(cert, lambda: (cert.issuer.dump(), cert.serial_number))


def validate_path(
    cert: x509.Certificate,
    other_certs: Sequence[x509.Certificate],
    moment: datetime,
    trust: TrustStore,
    crls: Sequence[asn1_crl.CertificateList],
    ocsps: Sequence[asn1_ocsp.OCSPResponse],
    online: bool = False,
    check_revocation: bool = True,
    cache: dict[Any, PathResult] | None = None,
    policy: RevocationPolicy = RevocationPolicy.REQUIRE,
    origins: Mapping[int, str] | None = None,
) -> PathResult:
    """Build and validate the path of ``cert`` at ``moment``, with revocation from the data at hand.

    ``check_revocation=False`` validates the path alone (used to show a certificate's chain).
    ``policy`` says what happens without revocation data (`RevocationPolicy`); ``origins`` names where
    each CRL and OCSP response came from (by ``id``), for the report. ``cache`` (one per trust store and
    revocation data, i.e. per `VerificationContext`) keeps valid paths: another moment reuses one when
    every certificate of the path is within its validity window at that moment and no CRL at hand lists
    any of them as revoked by then; otherwise (and with OCSP responses, whose answers are per moment)
    the path is validated again in full.
    """
    check = check_revocation and policy is not RevocationPolicy.OFF
    key = None
    if cache is not None and not online and not ocsps:
        where = tuple((_crl_digest(c), (origins or {}).get(id(c))) for c in crls)
        key = (cert.sha256, tuple(c.sha256 for c in other_certs), id(trust), where, check, policy)
        hit = cache.get(key)
        if hit is not None and _still_valid(hit, moment, crls):
            return hit
    query = _PathQuery(cert, tuple(other_certs), moment, trust, tuple(crls), tuple(ocsps), online)
    result = _validate_path(query, check)
    if (
        result.subindication == "TRY_LATER"
        and policy is RevocationPolicy.SOFT_FAIL
        and not online
        and not has_revocation_data(cert, crls, ocsps)
    ):
        # soft-fail: nothing about this certificate can be had; the path alone decides
        result = _validate_path(query, False)
        if result.subindication is None:
            result = replace(
                result,
                revocation=Revocation(
                    status="unknown",
                    policy=policy.value,
                    messages=("no revocation data could be had; accepted under --revocation soft-fail",),
                ),
            )
    result = replace(result, revocation=result.revocation.model_copy(update={"policy": policy.value}))
    result = _with_origin(result, cert, crls, ocsps, origins)
    if key is not None and cache is not None and result.subindication is None:
        cache[key] = result  # keyed by each CRL and where it came from: the origin holds for a hit
    return result


def _with_origin(
    result: PathResult,
    cert: x509.Certificate,
    crls: Sequence[asn1_crl.CertificateList],
    ocsps: Sequence[asn1_ocsp.OCSPResponse],
    origins: Mapping[int, str] | None,
) -> PathResult:
    if result.revocation.status not in ("good", "revoked") or not origins:
        return result
    _, origin = _revocation_source(cert, crls, ocsps, origins)
    return replace(result, revocation=result.revocation.model_copy(update={"origin": origin}))


_WINDOWS: ByIdentity[tuple[datetime, datetime, tuple[tuple[bytes, int], ...]]] = ByIdentity()


def _still_valid(hit: PathResult, moment: datetime, crls: Sequence[asn1_crl.CertificateList]) -> bool:
    """Whether a cached valid path holds at `moment`: every certificate within its validity window and
    none listed as revoked by then (the window and the lookup keys are read once per cached path)."""

    def window() -> tuple[datetime, datetime, tuple[tuple[bytes, int], ...]]:
        validity = [c["tbs_certificate"]["validity"] for c in hit.chain]
        lo = max((v["not_before"].native for v in validity), default=datetime.min.replace(tzinfo=UTC))
        hi = min((v["not_after"].native for v in validity), default=datetime.max.replace(tzinfo=UTC))
        return lo, hi, tuple(_cert_key(c) for c in hit.chain)

    lo, hi, keys = _WINDOWS.get(hit, window)
    if not lo <= moment <= hi:
        return False
    index = _revocation_index(crls)
    return not any((revoked := index.get(k)) is not None and revoked[0] <= moment for k in keys)


_LOOP: list[asyncio.AbstractEventLoop] = []


def _run(coro: Any) -> Any:
    """Run a coroutine on one event loop kept for the process (asyncio.run costs ~1 ms per call)."""
    if not _LOOP or _LOOP[0].is_closed():
        _LOOP[:] = [asyncio.new_event_loop()]
    return _LOOP[0].run_until_complete(coro)


@dataclass(frozen=True)
class _PathQuery:
    """What one path validation is asked: the certificate, the data at hand, the moment."""

    cert: x509.Certificate
    other_certs: tuple[x509.Certificate, ...]
    moment: datetime
    trust: TrustStore
    crls: tuple[asn1_crl.CertificateList, ...]
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...]
    online: bool


def _validate_path(query: _PathQuery, check_revocation: bool) -> PathResult:
    cert, trust, crls, ocsps, online = query.cert, query.trust, query.crls, query.ocsps, query.online
    if not trust.anchors:
        return PathResult(
            "NO_CERTIFICATE_CHAIN_FOUND",
            "no trust anchors given: pass --trust kz-nca (or kz-test, a file or a folder)",
            trusted=False,
            cause="no_trust_anchors",
        )
    vc = ValidationContext(
        trust_roots=list(trust.anchors),
        other_certs=[*trust.intermediates, *query.other_certs],
        moment=query.moment,
        allow_fetching=online,
        crls=list(crls),
        ocsps=list(ocsps),
        revinfo_policy=REVOCATION_POLICY if check_revocation else NO_REVOCATION_POLICY,
        signature_validator=VALIDATOR,
        algorithm_usage_policy=AcceptAllAlgorithms(),
    )
    validator = CertificateValidator(cert, validation_context=vc)
    try:
        path = _run(validator.async_validate_path())
    except RevokedError as exc:
        info = revocation_date(cert, crls)
        return PathResult(
            "REVOKED",
            str(exc),
            trusted=True,
            revocation=Revocation(
                status="revoked",
                source=_revocation_source(cert, crls, ocsps)[0],
                revoked_at=info[0] if info else None,
                reason=info[1] if info else None,
                messages=(str(exc),),
            ),
        )
    except InsufficientRevinfoError as exc:
        return PathResult(
            "TRY_LATER",
            f"no usable revocation data for the signer certificate ({exc}); pass --crl/--ocsp or --online",
            trusted=True,
            revocation=Revocation(status="unknown", messages=(str(exc),)),
            cause=None if has_revocation_data(cert, crls, ocsps) else "no_revocation_data",
        )
    except ExpiredError as exc:
        return PathResult("EXPIRED", str(exc), trusted=True, certificate_valid=False)
    except NotYetValidError as exc:
        return PathResult("NOT_YET_VALID", str(exc), trusted=True, certificate_valid=False)
    except DisallowedAlgorithmError as exc:
        return PathResult("CRYPTO_CONSTRAINTS_FAILURE", str(exc), trusted=None)
    except PathBuildingError as exc:
        return PathResult("NO_CERTIFICATE_CHAIN_FOUND", f"no path to a trust anchor: {exc}", trusted=False)
    except PathValidationError as exc:
        text = str(exc)
        sub = "SIG_CRYPTO_FAILURE" if "signature" in text.lower() and "verif" in text.lower() else None
        return PathResult(sub or "CHAIN_CONSTRAINTS_FAILURE", text, trusted=False)
    except ValidationError as exc:
        return PathResult("CHAIN_CONSTRAINTS_FAILURE", str(exc), trusted=False)
    chain = tuple(path.iter_certs(include_root=True))[::-1]
    return PathResult(
        None,
        trusted=True,
        chain=tuple(c for c in chain if isinstance(c, x509.Certificate)),
        certificate_valid=True,
        revocation=Revocation(
            status="good" if check_revocation else "not_checked",
            source=(_revocation_source(cert, crls, ocsps)[0] or ("online" if online else None))
            if check_revocation
            else None,
        ),
    )


# --------------------------------------------------------------------------- what is trusted (intake trust)

MANIFEST_NAME: Final = "MANIFEST.json"


@dataclass(frozen=True)
class TrustEntry:
    """One certificate of a trust source, as `intake trust list` shows it."""

    spec: str  # the --trust value (profile, file or folder) it came from
    file: str
    role: Literal["anchor", "intermediate"]
    subject: str
    not_before: datetime
    not_after: datetime
    sha256: str
    use: str | None = None  # from the profile's manifest: current or historical
    manifest_sha256: str | None = None  # the fingerprint the manifest states (None: not in a manifest)

    def state(self, at: datetime, warn_days: int) -> Literal["valid", "expiring", "expired", "not_yet_valid"]:
        """Whether the certificate is valid at `at`, expires within `warn_days` of it, or is out of its window."""
        if at < self.not_before:
            return "not_yet_valid"
        if at > self.not_after:
            return "expired"
        return "expiring" if (self.not_after - at).days < warn_days else "valid"


def _manifest(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        doc = json.loads(read_option_file(path, "trust manifest", MAX_CERT_FILE))
        return {str(c["file"]): c for c in doc["certificates"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"trust manifest {path} cannot be read: {exc}") from exc


def trust_entries(specs: Sequence[str]) -> tuple[TrustEntry, ...]:
    """Every certificate the ``--trust`` values name, with its validity and, for a profile, its manifest entry.

    Raises:
        ConfigurationError: A value names nothing readable.
    """
    out: list[TrustEntry] = []
    for spec in specs:
        path = TRUST_DIR / spec if spec in PROFILES else Path(spec)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES) if path.is_dir() else [path]
        manifest = _manifest(path) if path.is_dir() else {}
        store = load_trust([spec])
        anchors = {c.sha256 for c in store.anchors}
        for f in files:
            for cert in load_certificates(f):
                validity = cert["tbs_certificate"]["validity"]
                entry = manifest.get(f.name, {})
                out.append(
                    TrustEntry(
                        spec=spec,
                        file=f.name,
                        role="anchor" if cert.sha256 in anchors else "intermediate",
                        subject=cert.subject.human_friendly,
                        not_before=validity["not_before"].native,
                        not_after=validity["not_after"].native,
                        sha256=hashlib.sha256(cert.dump()).hexdigest(),
                        use=entry.get("use"),
                        manifest_sha256=entry.get("sha256"),
                    )
                )
    return tuple(out)


def manifest_problems(spec: str) -> tuple[str, ...]:
    """What differs between a profile's folder (a bundled name or a folder) and its manifest (files missing,
    extra or altered)."""
    folder = TRUST_DIR / spec if spec in PROFILES else Path(spec)
    manifest = _manifest(folder)
    if not manifest:
        return (f"profile {spec} has no {MANIFEST_NAME}",)
    present = {p.name: p for p in folder.iterdir() if p.suffix.lower() in CERT_SUFFIXES}
    problems = [f"{name}: in the manifest, not in the folder" for name in sorted(set(manifest) - set(present))]
    problems += [f"{name}: in the folder, not in the manifest" for name in sorted(set(present) - set(manifest))]
    for name in sorted(set(manifest) & set(present)):
        actual = hashlib.sha256(present[name].read_bytes()).hexdigest()
        if actual != manifest[name].get("sha256"):
            problems.append(f"{name}: SHA-256 {actual} is not the manifest's {manifest[name].get('sha256')}")
    return tuple(problems)


def add_certificate(source: Path, folder: Path) -> tuple[TrustEntry, ...]:
    """Copy the CA certificates of `source` into the trust folder `folder` (DER, named by fingerprint).

    Raises:
        ConfigurationError: `source` holds no certificate, one that is not a CA, or `folder` cannot be written.
    """
    certs = load_certificates(source, "certificate")
    for cert in certs:
        if not cert.ca:
            raise ConfigurationError(f"{source}: {cert.subject.human_friendly} is not a CA certificate")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for cert in certs:
            (folder / f"{hashlib.sha256(cert.dump()).hexdigest()[:16]}.cer").write_bytes(cert.dump())
    except OSError as exc:
        raise ConfigurationError(f"trust folder {folder} cannot be written: {exc.strerror or exc}") from exc
    added = {hashlib.sha256(c.dump()).hexdigest() for c in certs}
    return tuple(e for e in trust_entries([str(folder)]) if e.sha256 in added)
