"""The sample generator: deterministic output, a sound test PKI, and the variation API."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from intake.models import OrganizationApplication, SpecialistApplication
from samplegen import core, pki
from samplegen.__main__ import VERSIONS_FILE, discover, versions, write
from samplegen.cms import signed_data
from tests.conftest import ROOT

SAMPLES = ROOT / "samples"


def _digests(root: Path, names: list[str]) -> dict[str, str]:
    out = {}
    for name in names:
        for path in sorted((root / name).rglob("*")):
            if path.is_file():
                out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.mark.slow
def test_regenerating_gives_the_committed_bytes(tmp_path: Path) -> None:
    samples = discover()
    for _ in write(tmp_path, samples):
        pass
    names = ["trust", *(s.name for s in samples)]
    fresh = _digests(tmp_path, names)
    committed = _digests(SAMPLES, names)
    changed = sorted(k for k in fresh.keys() | committed.keys() if fresh.get(k) != committed.get(k))
    recorded = json.loads((SAMPLES / VERSIONS_FILE).read_text(encoding="utf-8"))["versions"]
    drift = {k: (recorded.get(k), v) for k, v in versions().items() if recorded.get(k) != v}
    hint = f" (libraries differ from those that wrote samples/, recorded vs here: {drift})" if drift else ""
    assert not changed, f"run `python -m samplegen` and commit samples/{hint}: these differ: {changed[:20]}"


def test_rsa_keys_are_derived_from_their_seed() -> None:
    a = pki.rsa_key("determinism-probe", 1024)
    b = pki.rsa_key.__wrapped__("determinism-probe", 1024)  # bypass the cache: derive again
    assert a.private_numbers() == b.private_numbers()
    assert a.key_size == 1024
    assert pki.rsa_key.__wrapped__("other-seed", 1024).private_numbers() != a.private_numbers()


def test_the_pki_chains_verify_with_cryptography() -> None:
    p = pki.build_pki()
    p.root.certificate.verify_directly_issued_by(p.root.certificate)
    p.ca.certificate.verify_directly_issued_by(p.root.certificate)
    for name in ("head", "head_auth", "signright", "specialist", "stranger", "revoked", "expired", "state"):
        p.signer(name).certificate.verify_directly_issued_by(p.ca.certificate)
    p.untrusted.certificate.verify_directly_issued_by(p.untrusted_ca.certificate)
    p.untrusted_ca.certificate.verify_directly_issued_by(p.untrusted_root.certificate)
    with pytest.raises(Exception):  # noqa: B017 - cryptography raises InvalidSignature or ValueError
        p.untrusted.certificate.verify_directly_issued_by(p.ca.certificate)
    assert p.ca_crl.is_signature_valid(p.ca.key.public_key())
    assert p.root_crl.is_signature_valid(p.root.key.public_key())
    revoked = p.ca_crl.get_revoked_certificate_by_serial_number(p.revoked.certificate.serial_number)
    assert revoked is not None and revoked.revocation_date_utc == p.revoked_at
    assert p.ca_crl.get_revoked_certificate_by_serial_number(p.head.certificate.serial_number) is None
    # the CRL covers both the signing moment and the validation moment of the samples
    assert p.ca_crl.last_update_utc <= core.SIGNING_TIME <= pki.AT <= (p.ca_crl.next_update_utc or pki.AT)
    assert p.expired.certificate.not_valid_after_utc < core.SIGNING_TIME
    assert p.head.certificate.not_valid_before_utc < core.SIGNING_TIME < p.head.certificate.not_valid_after_utc


def _eku(cert: x509.Certificate) -> set[str]:
    return {o.dotted_string for o in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value}


def test_certificates_follow_the_nca_profile() -> None:
    p = pki.build_pki()
    head = p.head.certificate.subject
    assert head.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)[0].value == f"IIN{pki.HEAD_IIN}"
    assert head.get_attributes_for_oid(x509.NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == f"BIN{pki.ORG_BIN}"
    assert head.get_attributes_for_oid(x509.NameOID.GIVEN_NAME)[0].value == "СЕРИКОВИЧ"  # patronymic
    assert {"1.2.398.3.3.4.1.2", "1.2.398.3.3.4.1.2.1", "1.3.6.1.5.5.7.3.4"} <= _eku(p.head.certificate)
    assert "1.2.398.3.3.4.1.1" in _eku(p.specialist.certificate)
    assert "1.2.398.3.3.4.1.2.6" in _eku(p.state.certificate)
    sign_ku = p.head.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    auth_ku = p.head_auth.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert sign_ku.content_commitment and not sign_ku.key_encipherment
    assert auth_ku.key_encipherment and not auth_ku.content_commitment
    assert "1.3.6.1.5.5.7.3.2" in _eku(p.head_auth.certificate)
    assert not p.state.certificate.subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)  # a system, no IIN


def test_cms_is_deterministic_and_verifies() -> None:
    p = pki.build_pki()
    moment = datetime(2026, 11, 18, 10, tzinfo=pki.ALMATY)
    der = signed_data(b"content", p.head, moment)
    assert der == signed_data(b"content", p.head, moment)
    info = asn1_cms.ContentInfo.load(der)["content"]
    signer = info["signer_infos"][0]
    attrs = {a["type"].native: a["values"][0].native for a in signer["signed_attrs"]}
    assert attrs["message_digest"] == hashlib.sha256(b"content").digest()
    assert attrs["signing_time"] == moment
    assert "signing_certificate_v2" in attrs
    assert info["encap_content_info"]["content"].native is None  # detached
    p.head.key.public_key().verify(
        signer["signature"].native, signer["signed_attrs"].untag().dump(), padding.PKCS1v15(), hashes.SHA256()
    )
    assert len(info["certificates"]) == 2  # signer + issuing CA
    attached = asn1_cms.ContentInfo.load(signed_data(b"content", p.head, moment, attached=True))
    assert attached["content"]["encap_content_info"]["content"].native == b"content"


def test_complete_applications_validate_against_the_models() -> None:
    OrganizationApplication.model_validate(core.organization_application())
    SpecialistApplication.model_validate(core.specialist_application())
    for rtd in core.organization_application()["rtds"]:
        refs = [float(r["amount"]) for r in rtd["reference_prices"]]
        assert len(refs) == 5
        assert float(rtd["cost_kzt"]) < sum(refs) / 5  # 27.4 holds in the complete dossier


def test_variations_change_only_what_they_name(tmp_path: Path) -> None:
    base = tmp_path / "base"
    core.build_specialist(base)
    varied = tmp_path / "varied"
    core.build_specialist(
        varied,
        drop=["position-document"],
        rename={"qualification": "диплом 1 стр.pdf"},
        scan={"medical-certificate": "none"},
        attached={"medical-certificate": "specialist"},
        attestations={"criminal-record": core.ADVERSE["criminal-record"], "identity": None},
        signer="specialist_stranger",
        application=lambda app: app.update(position="Психолог"),
        after=lambda d: core.tamper(d / "state" / "narcology-psychiatry.json"),
    )
    assert sorted(p.name for p in base.iterdir()) == [
        "01_qualification_1p.pdf",
        "02_position-document_1p.pdf",
        "03_medical-certificate_1p.jpg",
        "application.json",
        "application.json.cms",
        "state",
    ]
    assert sorted(p.name for p in varied.iterdir()) == [
        "03_medical-certificate_1p.pdf.p7m",
        "application.json",
        "application.json.cms",
        "state",
        "диплом 1 стр.pdf",
    ]
    p7m = asn1_cms.ContentInfo.load((varied / "03_medical-certificate_1p.pdf.p7m").read_bytes())
    assert p7m["content"]["encap_content_info"]["content"].native.startswith(b"%PDF-")
    assert json.loads((varied / "application.json").read_text(encoding="utf-8"))["position"] == "Психолог"
    record = json.loads((varied / "state" / "criminal-record.json").read_text(encoding="utf-8"))
    assert record["status"] == "adverse" and record["subject"] == {"iin": pki.SPECIALIST_IIN}
    assert not (varied / "state" / "identity.json").exists()
    assert (varied / "state" / "narcology-psychiatry.json").read_bytes() != (
        base / "state" / "narcology-psychiatry.json"
    ).read_bytes()
    with pytest.raises(TypeError, match="unknown variations"):
        core.build_specialist(tmp_path / "bad", drpo=["qualification"])


def test_sample_names_are_unique_and_expected_files_are_complete() -> None:
    samples = discover()
    assert len({s.name for s in samples}) == len(samples)
    for s in samples:
        exp = s.expected()
        assert exp["verdict"] in ("pass", "fail", "review")
        assert exp["verdict"] == "pass" or exp["codes"], f"{s.name}: a failing sample names its codes"
        assert s.description, s.name
