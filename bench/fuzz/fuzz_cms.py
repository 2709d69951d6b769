"""Mutation fuzzing of the CMS verifier and of dossier file-name identification (issue 12, point 6).

Not part of CI. A seed corpus of valid CMS (detached and enveloping, DER and BER, RSA, ECDSA, PSS,
Ed448/SHAKE256, SHA-3, a signature timestamp, CAdES revocation values, a GOST signature from the
NCA test PKI) is mutated (bit flips, byte and length-byte changes, inserted, deleted and duplicated
runs, splices of two seeds, truncation) and each mutant goes through `load_signed_data` and
`verify_signed_data` with a trust store and a CRL; every eighth execution a mutated file name goes
through `intake.files` identification instead. An execution fails when it raises anything (the
verifier must turn damage into a report) or spends more than one second of CPU (CPU time, not wall
time: under `nice -n 19` on a shared machine the wall clock measures the neighbours; a wall-clock
alarm of 30 s catches a real hang, counted only when the execution also spent more than one second
of CPU, otherwise it was starved and is counted apart); the input is saved under `--out` (`crash-*.bin` / `slow-*.bin`,
names as `name-*.txt`) and the run goes on.

    nice -n 19 .venv/bin/python bench/fuzz/fuzz_cms.py --runs 1000000 --out /tmp/fuzz-cms

Prints a progress line every 10,000 executions and a summary at the end (executions, crashes,
slow inputs, executions per second).
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import time
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from intake import files  # noqa: E402
from intake.signatures import VerificationContext  # noqa: E402
from intake.verifier.cms import BytesContent, FormatError, load_signed_data, verify_signed_data  # noqa: E402
from samplegen import builders as b  # noqa: E402

AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CONTENT = b"%PDF-1.7 fuzz\n" * 40
SLOW_S = 1.0
HANG_S = 30


class Hang(Exception):
    """The wall-clock alarm fired: an execution ran for HANG_S seconds."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang


NAMES = (
    "01_constituent-documents_12p.pdf",
    "Устав ТОО 12 стр.pdf",
    "Диплом (2 л.).pdf",
    "086у мед справка 1 бет.jpg",
    "lease contract - 4 pages.pdf",
    "application.json.cms",
    "state/tax-debt.json.cms",
    "02_material-resources_3p.pdf.p7m",
)


def seeds(tmp: Path) -> tuple[list[bytes], VerificationContext]:
    """Valid CMS of every kind the verifier reads, and a context that trusts their root."""
    t0, t1 = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    usage = ("key_cert_sign", "crl_sign")
    root = b.issue("CN=Fuzz Root,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=usage)
    ca = b.issue("CN=Fuzz CA,C=KZ", issuer=root, not_before=t0, not_after=t1, ca=True, key_usage=usage)
    leaf = b.issue("CN=Fuzz RSA,C=KZ", issuer=ca, not_before=t0, not_after=t1)
    eck = b.issue(
        "CN=Fuzz EC,C=KZ", issuer=ca, not_before=t0, not_after=t1, key=ec.generate_private_key(ec.SECP256R1())
    )
    edk = ed448.Ed448PrivateKey.generate()
    ed = b.issue("CN=Fuzz Ed448,C=KZ", issuer=ca, not_before=t0, not_after=t1, key=edk)
    crl = b.crl(ca, [(5, AT - timedelta(days=30))], AT - timedelta(days=1), AT + timedelta(days=30))
    ocsp = b.ocsp_response(ca, leaf, good=True, this_update=AT - timedelta(days=1), next_update=AT + timedelta(days=5))
    (tmp / "root.pem").write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "ca.crl").write_bytes(crl)
    sign, oid = b.sign_with(leaf)
    detached = b.cms_with(
        CONTENT, leaf.asn1, sign, digest_oid=b.SHA256, signature_oid=oid, certificates=[leaf.asn1, ca.asn1]
    )
    attached = b.cms_with(CONTENT, leaf.asn1, sign, digest_oid=b.SHA256, signature_oid=oid, detached=False)
    sha3 = "2.16.840.1.101.3.4.2.8"
    pss_sign, pss = b.rsa_pss_signer(leaf.key, b.SHA256, b.SHA256, 32)  # type: ignore[arg-type]
    out = [
        detached,
        attached,
        b.ber_enveloping(attached, chunk=100),
        b.cms_with(
            CONTENT, eck.asn1, b.ec_signer(eck.key, sha3), digest_oid=sha3, signature_oid=b.SHA3_SIGNATURES[sha3][1]
        ),  # type: ignore[arg-type]
        b.cms_with(CONTENT, leaf.asn1, pss_sign, digest_oid=b.SHA256, signature_oid=b.RSASSA_PSS, signature_params=pss),
        b.cms_with(CONTENT, ed.asn1, b.ed448_signer(edk), digest_oid=b.SHAKE256, signature_oid=b.ED448),
        b.with_unsigned_attrs(
            detached,
            [
                b.timestamp_attribute(detached, leaf, AT - timedelta(days=2), [ca.asn1]),
                b.revocation_values(crls=[crl], ocsps=[ocsp]),
                b.certificate_values([ca.asn1]),
                b.attribute("1.3.6.1.4.1.99999.1", b"\x05\x00"),
            ],
        ),
    ]
    kz = ROOT / "tests" / "data" / "kz-pki" / "keys" / "ncanodego_legal_valid_head.p12"
    if kz.is_file():
        from asn1crypto import x509

        from intake import gost

        d, curve, cert_der = gost.load_kz_pkcs12(kz.read_bytes(), b"Qwerty12")
        cert = x509.Certificate.load(cert_der)
        out.append(
            b.cms_with(
                CONTENT,
                cert,
                b.gost_signer(d, curve, gost.SIG_GOST2015_512),
                digest_oid=gost.DIGEST_STREEBOG512,
                signature_oid=gost.SIG_GOST2015_512,
            )
        )
    ctx = VerificationContext(at=AT, trust=(str(tmp / "root.pem"),), crls=(tmp / "ca.crl",))
    return out, ctx


def mutate(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
        if not buf:
            buf = bytearray(rng.choice(corpus))
        op = rng.randrange(9)
        i = rng.randrange(len(buf))
        if op == 0:
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[i] = rng.choice((0x00, 0x80, 0x81, 0x82, 0x84, 0x89, 0xFF, 0x30, 0x31, 0x04, 0x24, 0xA0))
        elif op == 2:
            del buf[i : i + rng.randrange(1, 64)]
        elif op == 3:
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        elif op == 4:
            j = rng.randrange(len(buf))
            buf[i:i] = buf[j : j + rng.randrange(1, 256)]
        elif op == 5:
            del buf[i:]
        elif op == 6:
            other = rng.choice(corpus)
            j = rng.randrange(len(other))
            buf = buf[:i] + bytearray(other[j:])
        elif op == 7 and i + 1 < len(buf):  # a length byte off by a little
            buf[i + 1] = (buf[i + 1] + rng.choice((-2, -1, 1, 2))) % 256
        else:
            buf[i : i + 2] = b"\x80\x00"  # an indefinite length or an end-of-contents where none belongs
    return bytes(buf)


def mutate_name(rng: random.Random) -> str:
    name = list(rng.choice(NAMES))
    alphabet = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя0123456789 ._-()/\\\x00\u200b\u202e%~"
    for _ in range(rng.randrange(1, 6)):
        op = rng.randrange(4)
        i = rng.randrange(len(name) + 1)
        if op == 0:
            name.insert(i, rng.choice(alphabet))
        elif op == 1 and name:
            del name[min(i, len(name) - 1)]
        elif op == 2:
            name[i:i] = list(rng.choice(NAMES))
        else:
            name = name * rng.randrange(1, 40)
    return "".join(name)[:4096]


def identify(name: str) -> None:
    files.parse_name(name)
    files.role_of(name)
    files.display_name(name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--out", type=Path, default=Path("/tmp/fuzz-cms"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    corpus, ctx = seeds(args.out)
    crashes = slow = starved = 0
    signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    for n in range(1, args.runs + 1):
        if n % 8 == 0:
            name = mutate_name(rng)
            t = time.process_time()
            signal.alarm(HANG_S)
            try:
                identify(name)
            except Hang:
                if time.process_time() - t > SLOW_S:
                    slow += 1
                    (args.out / f"name-hang-{n}.txt").write_text(name, encoding="utf-8")
                else:
                    starved += 1
            except Exception:
                crashes += 1
                (args.out / f"name-crash-{n}.txt").write_text(name + "\n\n" + traceback.format_exc(), encoding="utf-8")
            signal.alarm(0)
            if time.process_time() - t > SLOW_S:
                slow += 1
                (args.out / f"name-slow-{n}.txt").write_text(name, encoding="utf-8")
        else:
            data = mutate(rng, rng.choice(corpus), corpus)
            t = time.process_time()
            signal.alarm(HANG_S)
            try:
                try:
                    signed = load_signed_data(data)
                except FormatError:
                    signed = None
                if signed is not None:
                    verify_signed_data(signed, BytesContent(CONTENT), ctx, fmt="cms", source="fuzz")
            except Hang:
                if time.process_time() - t > SLOW_S:
                    slow += 1
                    (args.out / f"hang-{n}.bin").write_bytes(data)
                else:
                    starved += 1
            except Exception:
                crashes += 1
                (args.out / f"crash-{n}.bin").write_bytes(data)
                (args.out / f"crash-{n}.txt").write_text(traceback.format_exc(), encoding="utf-8")
            signal.alarm(0)
            if time.process_time() - t > SLOW_S:
                slow += 1
                (args.out / f"slow-{n}.bin").write_bytes(data)
        if n % 10_000 == 0:
            rate = n / (time.perf_counter() - start)
            print(f"{n} executions, {crashes} crashes, {slow} slow, {starved} starved, {rate:.0f}/s", flush=True)
    rate = args.runs / (time.perf_counter() - start)
    print(
        f"done: {args.runs} executions, {crashes} crashes, {slow} slow (> {SLOW_S} s CPU), {starved} starved "
        f"(alarm without CPU use), {rate:.0f}/s",
        flush=True,
    )
    return 1 if crashes or slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
