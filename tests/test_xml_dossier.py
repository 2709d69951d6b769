"""Signed XML in the dossier (issue 15, point 2): `application.xml` with its XMLDSig instead of
`application.json` + CMS, state attestations as signed XML; the XML twin of `samples/organization-complete`
passes like the JSON original, and the signer binding of paragraph 7 applies unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from intake import application, xmlforms
from intake.cli import main
from samplegen import xmlsign
from samplegen.pki import Party, build_pki

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "samples" / "organization-complete"
DOCS = ROOT / "docs"


def signer(party: Party) -> xmlsign.XmlSigner:
    from cryptography.hazmat.primitives import serialization

    chain = tuple(c.public_bytes(serialization.Encoding.DER) for c in party.chain[:-1])
    return xmlsign.XmlSigner(party.der, key=party.key, chain_der=chain)


def check(dossier: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    expected = json.loads((SAMPLE / "expected.json").read_text())
    args = [a if not a.startswith("samples/") else str(ROOT / a) for a in expected["args"]]
    code = main(["check", str(dossier), *args, "--format", "json", "--no-ocr"])
    return code, json.loads(capsys.readouterr().out)


def codes(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["code"], f["outcome"]) for f in report["findings"]}


def test_xml_form_round_trip_and_schema() -> None:
    raw = json.loads((SAMPLE / "application.json").read_text(encoding="utf-8"))
    xml = xmlforms.write(raw)
    assert application.parse(xmlforms.read(xml, application.schema())).problems == ()
    schema = etree.XMLSchema(etree.fromstring((DOCS / "application.xsd").read_bytes()))
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    # strict fields stay strict: a boolean written as "yes" is named
    bad = xml.replace(b"<state_owned>false</state_owned>", b"<state_owned>yes</state_owned>")
    problems = application.parse(xmlforms.read(bad, application.schema())).problems
    assert [p.field for p in problems] == ["state_owned"]


@pytest.mark.slow
def test_xml_twin_of_the_complete_dossier_passes_like_the_json_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pki = build_pki()
    twin = tmp_path / "xml-twin"
    xmlsign.xml_dossier(SAMPLE, twin, signer(pki.head), signer(pki.state))
    assert (twin / "application.xml").is_file() and not (twin / "application.json").exists()
    assert sorted(p.name for p in (twin / "state").iterdir()) == [
        "accessibility.xml",
        "bankruptcy.xml",
        "property-rights.xml",
        "tax-debt.xml",
        "unreliable-supplier.xml",
    ]
    json_code, json_report = check(SAMPLE, capsys)
    xml_code, xml_report = check(twin, capsys)
    assert (xml_code, xml_report["verdict"]) == (json_code, json_report["verdict"])
    assert codes(xml_report) == codes(json_report)
    app = next(d for d in xml_report["documents"] if d["file"] == "application.xml")
    assert [(s["format"], s["indication"]) for s in app["signatures"]] == [("xmldsig", "TOTAL_PASSED")]

    # the application altered after signing: the same refusal as the JSON twin's (SIG002 failed)
    path = twin / "application.xml"
    path.write_bytes(path.read_bytes().replace(b"<house>42</house>", b"<house>43</house>"))
    code, report = check(twin, capsys)
    assert code == 1 and ("SIG002", "failed") in codes(report)

    # signed by a stranger: the signer binding of paragraph 7 (SIG004) fails as for CMS
    raw = json.loads((SAMPLE / "application.json").read_text(encoding="utf-8"))
    path.write_bytes(xmlsign.sign_xml(xmlforms.write(raw), signer(pki.stranger)))
    code, report = check(twin, capsys)
    assert code == 1
    stranger = json.loads((ROOT / "samples" / "signature-stranger" / "expected.json").read_text())
    assert set(stranger["codes"]) <= {c for c, o in codes(report) if o == "failed"}


def test_a_signature_over_part_of_the_application_does_not_count(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from intake.files import gather_file
    from intake.signatures import VerificationContext, verify_file

    pki = build_pki()
    raw = json.loads((SAMPLE / "application.json").read_text(encoding="utf-8"))
    tree = etree.fromstring(xmlforms.write(raw)).getroottree()
    head = tree.getroot().find(f"{{{xmlforms.NAMESPACE}}}head")
    assert head is not None
    head.set("Id", "head")
    xmlsign.signature_element(tree, signer(pki.head), uri="#head", enveloped=False)
    (tmp_path / "application.xml").write_bytes(etree.tostring(tree))
    ctx = VerificationContext(
        at=datetime(2026, 11, 20, 7, tzinfo=UTC),
        trust=(str(ROOT / "samples" / "trust" / "intake-test-root.pem"),),
        crls=(ROOT / "samples/trust/intake-test-ca.crl", ROOT / "samples/trust/intake-test-root.crl"),
    )
    facts = gather_file(tmp_path, tmp_path / "application.xml")
    (r,) = verify_file(facts, tmp_path, ctx)
    assert (r.indication, r.subindication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert any("not the whole document" in m for m in r.messages)
