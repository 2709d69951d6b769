"""Benchmark of intake.gost against gostcrypto, side by side in one run.

Run: ``.venv/bin/python bench/bench_gost.py [--quick]``. Prints one table; it is not a
test. Targets (the task brief): Streebog >= 50 MB/s, one verification <= 20 ms.

Inputs are the real NCA certificates in tests/data/kz-pki, so every timed verification
is also checked to return True.

Times are CPU time of this process (``time.process_time``), not wall-clock time: on a
shared machine the wall clock mostly measures the other jobs. The header prints the load
average so that a reader can judge the run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import gostcrypto.gosthash as gostcrypto_hash
import gostcrypto.gostsignature as gostcrypto_sig
from asn1crypto import x509

from intake import gost

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "kz-pki"


def _best_rate(fn: Callable[[bytes], object], size: int, repeat: int) -> float:
    """MB/s of ``fn`` on ``size`` random bytes, best of ``repeat`` runs."""
    data = os.urandom(size)
    best = min(_timed(fn, data) for _ in range(repeat))
    return size / best / 1e6


_CLOCK = time.process_time


def _timed(fn: Callable[[bytes], object], data: bytes) -> float:
    start = _CLOCK()
    fn(data)
    return _CLOCK() - start


def _median_ms(fn: Callable[[], bool], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = _CLOCK()
        ok = fn()
        times.append(_CLOCK() - start)
        if not ok:
            raise SystemExit("benchmark verification returned False: the implementation is broken")
    return statistics.median(times) * 1000


def _pair(subject: str, issuer: str) -> tuple[str, bytes, bytes, bytes]:
    cert = x509.Certificate.load((DATA / subject).read_bytes())
    ca = x509.Certificate.load((DATA / issuer).read_bytes())
    return (
        cert["signature_algorithm"]["algorithm"].dotted,
        ca["tbs_certificate"]["subject_public_key_info"].dump(),
        cert["signature_value"].native,
        cert["tbs_certificate"].dump(),
    )


def _gostcrypto_verifier(curve: str, spki: bytes, digest: bytes, signature: bytes) -> Callable[[], bool]:
    """gostcrypto with the NCA byte swaps of kz-pki README 2.2; digest precomputed."""
    key = gost.parse_spki(spki)
    n = len(signature) // 2
    mode = gostcrypto_sig.MODE_512 if n == 64 else gostcrypto_sig.MODE_256
    params = gostcrypto_sig.CURVES_R_1323565_1_024_2019[curve]
    public = key.x.to_bytes(n, "big") + key.y.to_bytes(n, "big")
    sig = signature[:n][::-1] + signature[n:][::-1]

    def run() -> bool:
        return bool(gostcrypto_sig.new(mode, params).verify(public, digest[::-1], sig))

    return run


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer repeats")
    args = parser.parse_args(argv)
    scale = 4 if args.quick else 1
    rows: list[tuple[str, str, float, str]] = []

    # --- Streebog-512 throughput -------------------------------------------------------
    native = 0.0
    if gost.native_available():
        native = _best_rate(
            lambda d: gost.new(gost.DIGEST_STREEBOG512, d, backend="native").digest(), 64_000_000 // scale, 3
        )
        rows.append(("Streebog-512", "native (OpenSSL gostprov)", native, "MB/s"))
    else:
        rows.append(("Streebog-512", f"native: unavailable ({gost.native_error()})", float("nan"), "MB/s"))
    pure = _best_rate(lambda d: gost.PureStreebog(64, d).digest(), 1_000_000 // scale, 2)
    rows.append(("Streebog-512", "intake pure Python", pure, "MB/s"))
    ref = _best_rate(lambda d: gostcrypto_hash.new("streebog512", data=d).digest(), 100_000 // scale, 1)
    rows.append(("Streebog-512", "gostcrypto 1.2.5", ref, "MB/s"))

    # --- GOST 34.311-95 throughput -----------------------------------------------------
    gost94 = _best_rate(lambda d: gost.Gost341194(d).digest(), 1_000_000 // scale, 2)
    rows.append(("GOST 34.311-95", "intake pure Python", gost94, "MB/s"))

    # --- Verification of one real NCA signature -----------------------------------------
    alg, spki, sig, tbs = _pair("ca/test/nca_gost2022_test.cer", "ca/test/root_test_gost_2022.cer")
    digest512 = gost.digest(alg, tbs)
    gost.verify_digest(alg, spki, sig, digest512)  # build the cached base-point table
    ours512 = _median_ms(lambda: gost.verify_digest(alg, spki, sig, digest512), 50 // scale)
    rows.append(("verify GOST 34.10-2015-512", "intake", ours512, "ms"))
    ref512 = _median_ms(
        _gostcrypto_verifier("id-tc26-gost-3410-12-512-paramSetA", spki, digest512, sig), max(1, 5 // scale)
    )
    rows.append(("verify GOST 34.10-2015-512", "gostcrypto 1.2.5", ref512, "ms"))

    alg04, spki04, sig04, tbs04 = _pair("ca/prod/nca_gost_2018.crt", "ca/prod/root_gost_2015.crt")
    digest04 = gost.digest(alg04, tbs04)
    gost.verify_digest(alg04, spki04, sig04, digest04)
    ours04 = _median_ms(lambda: gost.verify_digest(alg04, spki04, sig04, digest04), 50 // scale)
    rows.append(("verify GOST 34.310-2004", "intake", ours04, "ms"))
    # CryptoPro-A is gostcrypto's id-tc26-gost-3410-2012-256-paramSetB (README 2.4).
    ref04 = _median_ms(
        _gostcrypto_verifier("id-tc26-gost-3410-2012-256-paramSetB", spki04, digest04, sig04), max(1, 5 // scale)
    )
    rows.append(("verify GOST 34.310-2004", "gostcrypto 1.2.5", ref04, "ms"))
    whole04 = _median_ms(lambda: gost.verify(alg04, spki04, sig04, tbs04), 20 // scale)
    rows.append(("verify GOST 34.310-2004", "intake, incl. hashing the TBS", whole04, "ms"))

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Python {sys.version.split()[0]}, Streebog backend: {gost.streebog_backend()}, CPU time, load average {load}"
    )
    print(f"{'operation':<28} {'implementation':<34} {'value':>10}")
    print("-" * 80)
    for op, impl, value, unit in rows:
        print(f"{op:<28} {impl:<34} {value:>10.2f} {unit}")
    print("-" * 80)
    print("ratios")
    if native:
        print(f"  Streebog-512 native / gostcrypto     {native / ref:>10.0f}x")
        print(f"  Streebog-512 native / intake pure    {native / pure:>10.0f}x")
    print(f"  Streebog-512 intake pure / gostcrypto {pure / ref:>9.1f}x")
    print(f"  verify 2015-512 gostcrypto / intake   {ref512 / ours512:>10.0f}x")
    print(f"  verify 2004 gostcrypto / intake       {ref04 / ours04:>10.0f}x")
    print("targets")
    best_streebog = max(native, pure)
    print(f"  Streebog >= 50 MB/s: {best_streebog:.1f} MB/s -> {'met' if best_streebog >= 50 else 'NOT met'}")
    worst_verify = max(ours512, ours04)
    print(f"  verify <= 20 ms: {worst_verify:.2f} ms -> {'met' if worst_verify <= 20 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
