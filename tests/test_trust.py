"""Issue 12, point 5: the bundled kz-nca profile (current and historical NCA RK CAs, its manifest) and
`intake trust list|add|check`."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.cli import main
from intake.signatures import (
    RevocationPolicy,
    VerificationContext,
    manifest_problems,
    trust_entries,
    verify_certificate,
)
from intake.verifier.trust import TRUST_DIR

PROD = Path(__file__).parent / "data" / "kz-pki" / "ca" / "prod"
NOW = datetime(2026, 12, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "moment", "anchor"),
    [
        ("nca_gost_2022.cer", NOW, "(GOST) 2022"),
        ("nca_rsa_2022.cer", NOW, "(RSA)"),
        ("pki_rsa.cer", datetime(2016, 1, 1, tzinfo=UTC), "(RSA)"),
        ("pki_gost.cer", datetime(2016, 1, 1, tzinfo=UTC), "(GOST)"),
        ("nca_gost_2018.crt", datetime(2019, 1, 1, tzinfo=UTC), "(GOST)"),
    ],
)
def test_kz_nca_chains_current_and_historical_cas(name: str, moment: datetime, anchor: str) -> None:
    ctx = VerificationContext(at=moment, trust=("kz-nca",), revocation=RevocationPolicy.OFF)
    r = verify_certificate((PROD / name).read_bytes(), ctx)
    assert r.indication == "TOTAL_PASSED" and r.trusted, r.messages
    assert len(r.chain) == 2 and anchor in r.chain[-1]


def test_without_kz_nca_the_current_cas_are_not_trusted() -> None:
    ctx = VerificationContext(at=NOW, trust=("kz-test",), revocation=RevocationPolicy.OFF)
    r = verify_certificate((PROD / "nca_gost_2022.cer").read_bytes(), ctx)
    assert r.indication == "INDETERMINATE" and r.trusted is False


def test_bundled_files_equal_the_manifest_and_the_test_copies() -> None:
    assert manifest_problems("kz-nca") == ()
    manifest = json.loads((TRUST_DIR / "kz-nca" / "MANIFEST.json").read_text(encoding="utf-8"))
    names = {c["file"] for c in manifest["certificates"]}
    assert {"root_rsa_2020.cer", "nca_rsa_2022.cer", "root_gost_2022.cer", "nca_gost_2022.cer"} <= names
    assert {"root_gost_2020.cer", "pki_rsa.cer", "pki_gost.cer", "root_rsa_2015.crt", "nca_gost_2018.crt"} <= names
    for c in manifest["certificates"]:
        assert c["source"] and c["chain_check"] and c["use"] in ("current", "historical")
        assert (PROD / c["file"]).read_bytes() == (TRUST_DIR / "kz-nca" / c["file"]).read_bytes()
    assert (TRUST_DIR / "kz-nca" / "README.md").is_file()


def test_manifest_problems_name_altered_missing_and_extra_files(tmp_path: Path) -> None:
    folder = tmp_path / "nca"
    shutil.copytree(TRUST_DIR / "kz-nca", folder)
    (folder / "pki_rsa.cer").write_bytes((folder / "pki_gost.cer").read_bytes())
    (folder / "root_rsa_2020.cer").unlink()
    shutil.copy(PROD.parent / "test" / "root_test_gost_2022.cer", folder / "stranger.cer")
    problems = "\n".join(manifest_problems(str(folder)))
    assert "pki_rsa.cer: SHA-256" in problems
    assert "root_rsa_2020.cer: in the manifest, not in the folder" in problems
    assert "stranger.cer: in the folder, not in the manifest" in problems


def test_trust_entries_say_until_when() -> None:
    entries = {e.file: e for e in trust_entries(["kz-nca"])}
    root = entries["root_gost_2022.cer"]
    assert root.role == "anchor" and root.use == "current" and root.not_after.year == 2045
    assert entries["nca_gost_2022.cer"].role == "intermediate"
    assert root.state(NOW, 180) == "valid" and root.state(datetime(2045, 6, 1, tzinfo=UTC), 180) == "expiring"
    assert entries["pki_rsa.cer"].state(NOW, 180) == "expired" and entries["pki_rsa.cer"].use == "historical"


def test_trust_list_and_check_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trust", "list", "--at", "2026-12-03", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {e["source"] for e in listed} == {"kz-nca", "kz-test"}
    assert any(e["file"] == "nca_rsa_2022.cer" and e["state"] == "valid" for e in listed)
    assert main(["trust", "check", "--at", "2026-12-03"]) == 0
    assert "all current anchors valid" in capsys.readouterr().out
    # half a year before the current hierarchy expires: a warning per current certificate, exit 3
    assert main(["trust", "check", "--at", "2045-06-01"]) == 3
    out = capsys.readouterr().out
    assert "root_gost_2022.cer: expires on 2045-09-08" in out and "pki_rsa" not in out
    assert main(["trust", "check", "--at", "2046-01-01"]) == 1
    assert "expired" in capsys.readouterr().out


def test_trust_add_builds_a_folder_of_ones_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    assert main(["trust", "add", str(PROD / "root_rsa_2020.cer"), "--to", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "9ba06354b626641715182e4d07c9dbaa1777720fa795d03174ffc68876535dcd" in out
    assert [p.name for p in folder.iterdir()] == ["9ba06354b6266417.cer"]
    assert main(["trust", "list", "--trust", str(folder), "--at", "2026-12-03", "--format", "json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["role"] == "anchor" and entry["not_after"].startswith("2045-09-08")
    # a certificate that is not a CA is refused (exit 2, the file named)
    leaf = Path(__file__).parent / "data" / "kz-pki" / "certs" / "ncanodego_legal_valid_head.cer"
    assert main(["trust", "add", str(leaf), "--to", str(folder)]) == 2
    assert "not a CA certificate" in capsys.readouterr().err


def test_verify_and_check_warn_when_a_bundled_anchor_is_about_to_expire(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "plain.txt"
    doc.write_bytes(b"no signature here")
    main(["verify", str(doc), "--trust", "kz-nca", "--at", "2045-06-01"])
    err = capsys.readouterr().err
    assert "kz-nca/root_gost_2022.cer expires on 2045-09-08" in err and "pki_rsa" not in err
    main(["verify", str(doc), "--trust", "kz-nca", "--at", "2026-12-03"])
    assert "expires" not in capsys.readouterr().err
