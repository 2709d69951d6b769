"""Failing samples of the application area (issue 7): identifiers, reference pricing, state attestations.

Each sample changes one thing in a complete base dossier (`samplegen.core`); the codes listed are
those that must come out failed or indeterminate, and `passes` pins what must stay passed, so a
sample proves the check it is about and not an accident elsewhere.
"""

from __future__ import annotations

from typing import Any

from samplegen import pki
from samplegen.core import ADVERSE, Sample, organization, specialist


def _bad_bin(app: dict[str, Any]) -> None:
    # The organization's BIN with its check digit changed: 12 digits, right month and type, wrong check digit.
    good = app["bin"]
    app["bin"] = good[:11] + str((int(good[11]) + 1) % 10)


def _other_iin(app: dict[str, Any]) -> None:
    # A valid IIN, but another person's: the application is signed with Сейткалиева's own key.
    app["iin"] = pki.SPECIALIST_STRANGER_IIN


def _price_above_reference(app: dict[str, Any]) -> None:
    # RTD 1: the five reference prices average 198520 KZT (188900, 191500, 196700, 201200, 214300);
    # 210000 exceeds it by 11480 KZT (5.78%).
    app["rtds"][0]["cost_kzt"] = "210000"


_ALTERNATIVE = (
    ("CN", "142000", "Price list Jiangsu Rehab-Test Co., Ltd., EXW, 10.10.2026"),
    ("IN", "151500", "Price list Rehab-Test India Pvt. Ltd., EXW, 03.10.2026"),
    ("UZ", "176300", "Прайс-лист ООО «Медтехника-Тест», Ташкент, от 07.10.2026"),
    ("AE", "189900", "Price list Gulf Medical-Test FZE, EXW, 11.10.2026"),
)


def _four_alternative_countries(app: dict[str, Any]) -> None:
    # RTD 1: no reference-country prices at all, and only four alternative countries (4.10 asks for five).
    rtd = app["rtds"][0]
    rtd["reference_prices"] = []
    rtd["alternative_prices"] = [
        {"country": c, "amount": a, "currency": "KZT", "source": s} for c, a, s in _ALTERNATIVE
    ]


def _price_in_euro_without_rate(app: dict[str, Any]) -> None:
    # RTD 1: the German price given in euro, and no exchange rates declared: it cannot be converted.
    for p in app["rtds"][0]["reference_prices"]:
        if p["country"] == "DE":
            p["amount"], p["currency"] = "372.50", "EUR"
    app.pop("exchange_rates", None)


SAMPLES: tuple[Sample, ...] = (
    Sample(
        name="application-bad-bin",
        build=organization(application=_bad_bin),
        verdict="fail",
        codes=("FORM005", "ELIG001", "ELIG002", "ELIG003", "ELIG004", "ELIG005", "ELIG009", "SIG003"),
        passes=("FORM007", "FORM008", "FORM009", "PRICE001"),
        description=(
            "The organization's BIN in Appendix 1 has a wrong check digit (FORM005). The head's certificate and "
            "the state attestations carry the real BIN, so the signer and the attestations no longer match the "
            "application either."
        ),
    ),
    Sample(
        name="application-iin-not-signer",
        build=specialist(application=_other_iin),
        verdict="fail",
        codes=("SIG003", "ELIG009", "ELIG006", "ELIG007", "ELIG008"),
        passes=("FORM006",),
        description=(
            "Appendix 2 gives a valid IIN of another person, while it is signed with the specialist's own "
            "certificate: the signer is not the applicant (SIG003), and the state attestations are about "
            "another IIN than the application's (ELIG009)."
        ),
    ),
    Sample(
        name="application-rtd-price-above-reference",
        build=organization(application=_price_above_reference),
        verdict="fail",
        codes=("PRICE001",),
        passes=("PRICE002", "PRICE003", "PRICE005", "PRICE006"),
        description=(
            "RTD 1 (a wheelchair) is declared at 210000 KZT, above the 198520 KZT average of its five minimum "
            "EXW prices in reference countries: refusal ground 27.4 (PRICE001, excess 11480 KZT, 5.78%)."
        ),
    ),
    Sample(
        name="application-too-few-alternative-countries",
        build=organization(application=_four_alternative_countries),
        verdict="fail",
        codes=("PRICE002", "PRICE001"),
        passes=("PRICE003", "PRICE006"),
        description=(
            "RTD 1 has no reference-country prices and EXW prices from only four alternative countries, where "
            "paragraph 4.10 asks for at least five (PRICE002); the 27.4 average cannot be computed (PRICE001 "
            "undecided)."
        ),
    ),
    Sample(
        name="application-price-without-rate",
        build=organization(application=_price_in_euro_without_rate),
        verdict="review",
        codes=("PRICE004", "PRICE001"),
        passes=("PRICE002", "PRICE003"),
        description=(
            "RTD 1's German reference price is in euro and the application declares no exchange rates: the "
            "price cannot be converted (PRICE004 undecided) and the 27.4 comparison is left to a person "
            "(PRICE001 undecided): review. `intake check --rates FILE` would decide it."
        ),
    ),
    Sample(
        name="application-tax-debt",
        build=organization(attestations={"tax-debt": ADVERSE["tax-debt"]}),
        verdict="fail",
        codes=("ELIG001",),
        passes=("ELIG009", "ELIG002", "ELIG003"),
        description=(
            "The signed state-revenue attestation says the organization has a tax debt: paragraph 5.1, refusal "
            "ground 27.1 (ELIG001); the attestation itself is authentic and current (ELIG009 passes)."
        ),
    ),
    Sample(
        name="application-missing-attestation",
        build=specialist(attestations={"criminal-record": None}),
        verdict="review",
        codes=("ELIG007",),
        passes=("ELIG006", "ELIG008"),
        description=(
            "The criminal-record attestation is not in the dossier: it is to be received from the state system, "
            "so ELIG007 is undecided, never passed, and the dossier goes to review."
        ),
    ),
)
