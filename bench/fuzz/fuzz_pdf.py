"""Fuzz target (not in CI): cross-reference sections, trailers and PDF signature dictionaries, mutated.

    PYTHONPATH=. nice -n 19 .venv/bin/python bench/fuzz/fuzz_pdf.py --crashes /tmp/fuzz_pdf \
        -atheris_runs=1000000 -timeout=60 -artifact_prefix=/tmp/fuzz_pdf/

Seeds are signed PDFs built here (classic xref table, xref streams written by pyHanko, a later revision,
a DSS, the attack files of `tests/test_pdf_attacks.py`). Each input picks a seed, a region (an xref
table, a trailer, an xref stream dictionary, the signature dictionary, `startxref`, the bytes after the
signed revision) and a mutation (bit flips, a number replaced, a span deleted, duplicated or moved, a
keyword inserted), then feeds the result to `intake.verifier.revisions.analyse` (every input) and to the
whole PDF verifier `intake.verifier.pdf.verify_pdf` (every `--verify-every`-th input: pyHanko is slow).

Neither may raise, and no input may take over one second: a raising input is written to
`--crashes` (the run goes on); a slow one, timed again to rule out a busy machine, is written there
too. libFuzzer's own -timeout stops a true hang (on a shared machine, set it well above one second:
a starved process is not a hang). Re-time what it keeps at normal priority before believing it.
The counts are printed every 2,000 inputs, and the last line goes to `--crashes/summary.txt`.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["intake.verifier.revisions"]):
    from intake.verifier import revisions

from intake.signatures import VerificationContext
from intake.verifier.pdf import verify_pdf
from samplegen import builders as b

AT = datetime(2026, 11, 24, tzinfo=UTC)
KEYWORDS = (
    b"xref",
    b"trailer",
    b"startxref",
    b"/Prev",
    b"/ByteRange",
    b"/Contents",
    b"/XRefStm",
    b" obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"/Type /XRef",
    b"/W [1 2 1]",
    b"/Index [0 999999999]",
    b"<<",
    b">>",
    b"[",
    b" R",
    b"%%EOF",
)
NUMBERS = (b"0", b"1", b"-1", b"4294967296", b"99999999999", b"65535", b"2147483647", b"00000000000000000000")


def seeds() -> list[tuple[bytes, int, list[tuple[int, int]]]]:
    """Signed files, where their signed bytes end, and the spans worth mutating."""
    t0, t1 = datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    root = b.issue("CN=Fuzz Root,C=KZ", not_before=t0, not_after=t1, ca=True, key_usage=("key_cert_sign", "crl_sign"))
    leaf = b.issue("CN=FUZZ,C=KZ", issuer=root, not_before=t0, not_after=t1, eku=("1.3.6.1.5.5.7.3.4",))
    signer, oid = b.sign_with(leaf)

    def make(covered: bytes) -> bytes:
        return b.signed_data(covered, [(leaf.asn1, signer, b.SHA256, oid)], signing_time=AT)

    one = b.sign_pdf(b.blank_pdf(), make, reserved=4096)
    files = [
        one,
        b.sign_pdf(one, make, field="Signature2", reserved=4096),
        b.append_content(one, b"1 1 1 rg 0 0 595 842 re f"),
        b.sign_pdf(b.blank_pdf(), make, reserved=4096, certify=1),
    ]
    try:
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from tests import test_pdf_attacks as attacks

        pki = attacks.Pki(leaf, VerificationContext(at=AT))
        plain = attacks.pdf_file(attacks.document(o3=attacks.page(b"5 0 R"), o5=attacks.stream(attacks.COVER)))
        signed = attacks.sign(pki, plain)
        files += [attacks.with_dss(signed, pki), attacks.update(signed, {5: attacks.stream(attacks.HIDDEN)})]
    except ImportError:  # run outside the source tree: the built-in seeds only
        pass
    out = []
    for data in files:
        m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data)
        assert m is not None
        out.append((data, int(m.group(3)) + int(m.group(4)), regions(data)))
    return out


def regions(data: bytes) -> list[tuple[int, int]]:
    """Spans worth mutating: xref tables, trailers, xref stream dictionaries, signature dictionaries."""
    spans = []
    for pattern in (
        rb"xref\s.*?trailer",
        rb"trailer\s*<<.*?>>\s*startxref\s*\d+",
        rb"\d+ 0 obj\s*<<[^>]{0,300}?/Type\s*/XRef[^>]{0,300}>>",
        rb"<<[^<>]*?/ByteRange.*?>>",
        rb"startxref\s*\d+\s*%%EOF",
        rb"\d+ \d+ obj",
    ):
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, data, re.S)]
    return spans or [(0, len(data))]


def mutate(fdp: atheris.FuzzedDataProvider, data: bytes, spans: list[tuple[int, int]]) -> bytes:
    start, end = spans[fdp.ConsumeIntInRange(0, len(spans) - 1)]
    buf = bytearray(data)
    for _ in range(fdp.ConsumeIntInRange(1, 4)):
        if end <= start:
            break
        at = fdp.ConsumeIntInRange(start, end - 1)
        kind = fdp.ConsumeIntInRange(0, 6)
        if kind == 0:
            buf[at] ^= 1 << fdp.ConsumeIntInRange(0, 7)
        elif kind == 1:
            m = re.compile(rb"\d+").search(buf, at, end)
            if m:
                buf[m.start() : m.end()] = NUMBERS[fdp.ConsumeIntInRange(0, len(NUMBERS) - 1)]
        elif kind == 2:
            del buf[at : at + fdp.ConsumeIntInRange(1, 64)]
        elif kind == 3:
            buf[at:at] = KEYWORDS[fdp.ConsumeIntInRange(0, len(KEYWORDS) - 1)]
        elif kind == 4:
            n = fdp.ConsumeIntInRange(1, 256)
            buf[at:at] = buf[at : at + n]
        elif kind == 5:
            buf[at:at] = fdp.ConsumeBytes(fdp.ConsumeIntInRange(1, 16))
        else:
            m = re.compile(rb"\d+").search(buf, at, end)
            if m:
                buf[m.start() : m.end()] = str(fdp.ConsumeIntInRange(0, len(buf) + 64)).encode()
        end = min(end, len(buf))
    return bytes(buf)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verify-every", type=int, default=50)
    ap.add_argument("--crashes", type=Path, default=Path("bench/fuzz/crashes"))
    args, rest = ap.parse_known_args()
    args.crashes.mkdir(parents=True, exist_ok=True)
    corpus = seeds()
    ctx = VerificationContext(at=AT)
    tmp = Path(tempfile.mkdtemp(prefix="fuzz_pdf_"))
    counts = {"inputs": 0, "parser": 0, "verifier": 0, "crashes": 0, "slow": 0, "undecided": 0, "flagged": 0}
    started = time.monotonic()

    def keep(kind: str, data: bytes, why: str) -> None:
        digest = hashlib.sha256(data).hexdigest()[:16]
        (args.crashes / f"{kind}-{digest}.pdf").write_bytes(data)
        (args.crashes / f"{kind}-{digest}.txt").write_text(why)

    def report() -> None:
        rate = counts["inputs"] / max(1e-9, time.monotonic() - started)
        line = " ".join(f"{k}={v}" for k, v in counts.items()) + f" rate={rate:.0f}/s"
        print(line, flush=True)
        (args.crashes / "summary.txt").write_text(line + "\n")

    def one(raw: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(raw)
        data, signed_end, spans = corpus[fdp.ConsumeIntInRange(0, len(corpus) - 1)]
        data = mutate(fdp, data, spans)
        signed_end = min(signed_end, len(data)) if fdp.ConsumeBool() else fdp.ConsumeIntInRange(0, len(data) + 8)
        counts["inputs"] += 1
        t = time.monotonic()
        try:
            found = revisions.analyse(data, signed_end, fdp.ConsumeIntInRange(0, 3) or None)
            revisions.signature_dict_issues(data, max(0, signed_end // 2), signed_end)
            counts["parser"] += 1
            counts["undecided"] += found.suspicious is None
            counts["flagged"] += found.suspicious is True
            if counts["inputs"] % args.verify_every == 0:
                path = tmp / "input.pdf"
                path.write_bytes(data)
                verify_pdf(path, "input.pdf", ctx)
                counts["verifier"] += 1
        except Exception as exc:
            counts["crashes"] += 1
            keep("crash", data, f"signed_end={signed_end}\n{type(exc).__name__}: {exc}\n")
        elapsed = time.monotonic() - t
        if elapsed > 1.0:  # the machine is shared: time it again before calling it slow
            t = time.monotonic()
            try:
                revisions.analyse(data, signed_end)
                path = tmp / "input.pdf"
                path.write_bytes(data)
                verify_pdf(path, "input.pdf", ctx)
            except Exception:  # counted above already
                pass
            again = time.monotonic() - t
            if again > 1.0:
                counts["slow"] += 1
                keep("slow", data, f"signed_end={signed_end}\n{elapsed:.2f} s, then {again:.2f} s\n")
        if counts["inputs"] % 2_000 == 0:
            report()

    atheris.Setup([sys.argv[0], *rest], one)
    try:
        atheris.Fuzz()
    finally:
        report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
