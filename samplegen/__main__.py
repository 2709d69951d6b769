"""`python -m samplegen [--out DIR] [NAME ...]`: write the sample dossiers and their trust material.

Collects `SAMPLES` from `samplegen.core` and every `samplegen/variants_*.py` module, then for each
sample wipes `<out>/<name>/` (only that folder) and rebuilds it, with `expected.json` beside the
dossier. The trust material goes to `<out>/trust/`. Output is byte-for-byte the same on every run.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import samplegen
from samplegen import core, pki
from samplegen.core import Sample, dumps

ROOT = Path(__file__).resolve().parent.parent


def discover() -> tuple[Sample, ...]:
    """Every sample: the core ones, then each `variants_*` module's, in module-name order.

    Raises:
        ValueError: Two samples share a name, or a name is not a plain folder name.
    """
    found: list[Sample] = list(core.SAMPLES)
    for info in sorted(pkgutil.iter_modules(samplegen.__path__), key=lambda m: m.name):
        if info.name.startswith("variants_"):
            module = importlib.import_module(f"samplegen.{info.name}")
            found.extend(getattr(module, "SAMPLES", ()))
    names: set[str] = set()
    for sample in found:
        if sample.name in names or sample.name == "trust" or "/" in sample.name or sample.name.startswith("."):
            raise ValueError(f"bad or duplicate sample name {sample.name!r}")
        names.add(sample.name)
    return tuple(found)


# The libraries whose output is in the bytes of the samples (PDF writer, rasteriser, JPEG/PNG and
# zlib encoders, noise): another version may write other bytes, so the versions are recorded.
RECORDED = ("reportlab", "pypdfium2", "pillow", "numpy", "pypdf", "cryptography", "asn1crypto")
VERSIONS_FILE = "GENERATOR.json"


def versions() -> dict[str, str]:
    """The installed versions of the libraries that shape the samples' bytes."""
    from importlib.metadata import version

    return {name: version(name) for name in RECORDED}


def write(out: Path, samples: tuple[Sample, ...]) -> Iterator[Path]:
    """Write the trust material and each sample; yields each folder written."""
    out.mkdir(parents=True, exist_ok=True)
    (out / VERSIONS_FILE).write_bytes(dumps({"generator": "python -m samplegen", "versions": versions()}))
    pki.write_trust(out / "trust")
    yield out / "trust"
    for sample in samples:
        folder = out / sample.name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        sample.build(folder)
        (folder / "expected.json").write_bytes(dumps(sample.expected()))
        yield folder


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m samplegen", description=__doc__)
    parser.add_argument("names", nargs="*", help="only these samples (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "samples", help="output folder (default: samples/)")
    args = parser.parse_args(argv)
    samples = discover()
    if args.names:
        unknown = set(args.names) - {s.name for s in samples}
        if unknown:
            parser.error(f"unknown samples: {', '.join(sorted(unknown))}")
        samples = tuple(s for s in samples if s.name in args.names)
    for folder in write(args.out, samples):
        print(folder, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
