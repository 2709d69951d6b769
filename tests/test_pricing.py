"""PRICE001-PRICE006 on hand-computed cases: the boundary, too few prices, conversion."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from intake import pricing
from intake.judgements.on_prices import reference_pricing
from intake.models import ExchangeRates, Finding, Outcome
from tests.test_form import change, dossier, organization, price


def rtd(**kw: Any) -> dict[str, Any]:
    """The organization's RTD with some fields replaced."""
    base = dict(organization()["rtds"][0])
    base.update(kw)
    return base


def judge(*, rates: dict[str, Any] | None = None, facts: dict[str, Any] | None = None, **kw: Any) -> list[Finding]:
    """PRICE findings for an organization with one RTD."""
    raw = organization(rtds=[rtd(**kw)], exchange_rates=rates)
    return list(reference_pricing(dossier(raw, facts=facts)))


def one(findings: list[Finding], code: str) -> Finding:
    """The single finding of a code."""
    mine = [f for f in findings if f.code == code]
    assert len(mine) == 1, [(f.code, f.outcome, f.message) for f in findings]
    return mine[0]


# Five minimum: 90000 95000 100000 105000 110000 (JP 130000 is the sixth) -> average 100000.
def test_price_equal_to_average_passes() -> None:
    f = one(judge(cost_kzt="100000"), "PRICE001")
    assert f.outcome is Outcome.PASSED
    assert f.evidence["average_kzt"] == "100000.00"
    assert [p["country"] for p in f.evidence["prices"]] == ["DE", "PL", "RU", "TR", "US"]
    assert all(p["source"] == "catalogue 2026" for p in f.evidence["prices"])


def test_price_one_tiyn_above_average_fails() -> None:
    f = one(judge(cost_kzt="100000.01"), "PRICE001")
    assert f.outcome is Outcome.FAILED
    assert f.evidence["excess_kzt"] == "0.01"
    assert f.evidence["excess_percent"] == "0.00"


def test_price_above_average_shows_prices_average_and_excess() -> None:
    f = one(judge(cost_kzt="101000"), "PRICE001")
    assert f.outcome is Outcome.FAILED
    assert f.evidence["excess_kzt"] == "1000.00" and f.evidence["excess_percent"] == "1.00"
    assert "exceeds the average 100000.00 KZT" in f.message and "by 1000.00 KZT (1.00%)" in f.message
    assert "DE 90000.00 KZT (catalogue 2026)" in f.message and "JP" not in f.message


def test_average_is_exact_and_rounded_only_for_display() -> None:
    refs = [price(c, "100000") for c in ("DE", "PL", "RU", "TR")] + [price("US", "100001")]
    f = one(judge(cost_kzt="100000.2", reference_prices=refs), "PRICE001")
    assert f.outcome is Outcome.PASSED and f.evidence["average"] == "100000.2"
    g = one(judge(cost_kzt="100000.21", reference_prices=refs), "PRICE001")
    assert g.outcome is Outcome.FAILED and g.evidence["excess_kzt"] == "0.01"


def test_one_price_per_country_the_minimum() -> None:
    refs = [price("DE", "80000"), price("DE", "10000")] + [price(c, "100000") for c in ("PL", "RU", "TR")]
    findings = judge(cost_kzt="50000", reference_prices=refs)
    assert one(findings, "PRICE002").outcome is Outcome.FAILED  # 4 countries, not 5 prices
    refs.append(price("US", "90000"))
    f = one(judge(cost_kzt="80000", reference_prices=refs), "PRICE001")
    # 10000 + 90000 + 3 x 100000 = 400000 / 5 = 80000
    assert f.outcome is Outcome.PASSED and f.evidence["average_kzt"] == "80000.00"


def test_fewer_than_five_reference_prices_and_no_alternatives() -> None:
    refs = [price(c, "100000") for c in ("DE", "PL", "RU", "TR")]
    findings = judge(reference_prices=refs)
    f = one(findings, "PRICE002")
    assert f.outcome is Outcome.FAILED and "4 reference countries" in f.message and "no alternative" in f.message
    assert one(findings, "PRICE001").outcome is Outcome.INDETERMINATE


def test_no_reference_prices_five_alternative_countries_pass() -> None:
    alts = [
        price(c, a)
        for c, a in (
            ("CN", "70000"),
            ("IN", "80000"),
            ("BR", "90000"),
            ("AE", "100000"),
            ("EG", "110000"),
            ("VN", "200000"),
        )
    ]
    findings = judge(reference_prices=[], alternative_prices=alts, cost_kzt="90000")
    assert one(findings, "PRICE002").outcome is Outcome.PASSED
    f = one(findings, "PRICE001")  # (70+80+90+100+110)/5 = 90 thousand
    assert f.outcome is Outcome.PASSED and f.evidence["pool"] == "reference+alternative"


def test_too_few_alternative_countries_fail() -> None:
    alts = [price(c, "70000") for c in ("CN", "IN", "BR", "AE")]
    findings = judge(reference_prices=[], alternative_prices=alts)
    f = one(findings, "PRICE002")
    assert f.outcome is Outcome.FAILED and "4 alternative countries" in f.message


def test_alternative_price_without_source_fails_price003() -> None:
    alts = [price(c, "70000") for c in ("CN", "IN", "BR", "AE")] + [price("EG", "70000", source=None)]
    findings = judge(reference_prices=[], alternative_prices=alts, cost_kzt="70000")
    f = [x for x in findings if x.code == "PRICE003" and x.outcome is Outcome.FAILED]
    assert [x.evidence["field"] for x in f] == ["rtds[0].alternative_prices[4].source"]


def test_every_price_has_a_source() -> None:
    assert one(judge(), "PRICE003").outcome is Outcome.PASSED
    refs = [price("DE", "90000", source=" "), *organization()["rtds"][0]["reference_prices"][1:]]
    [f] = [x for x in judge(reference_prices=refs) if x.code == "PRICE003"]
    assert f.outcome is Outcome.FAILED and f.evidence["field"] == "rtds[0].reference_prices[0].source"


def test_conversion_with_declared_rates() -> None:
    # USD 500, EUR 550: US 180 USD = 90000, DE 172 EUR = 94600, TR 210 USD = 105000.
    refs = [
        price("US", "180", "USD"),
        price("DE", "172", "EUR"),
        price("PL", "95000"),
        price("RU", "100000"),
        price("TR", "210", "USD"),
        price("JP", "130000"),
    ]
    rates = {"date": "2026-11-01", "rates": {"USD": "500", "EUR": "550"}, "source": "National Bank"}
    findings = judge(rates=rates, reference_prices=refs, cost_kzt="97000")
    conv = one(findings, "PRICE004")
    assert conv.outcome is Outcome.PASSED and "2026-11-01" in conv.message
    assert "US 180 USD × 500 = 90000.00 KZT" in conv.message and "DE 172 EUR × 550 = 94600.00 KZT" in conv.message
    f = one(findings, "PRICE001")
    # (90000 + 94600 + 95000 + 100000 + 105000) / 5 = 96920; 80 / 96920 = 0.0825 %
    assert f.outcome is Outcome.FAILED
    assert (f.evidence["average_kzt"], f.evidence["excess_kzt"], f.evidence["excess_percent"]) == (
        "96920.00",
        "80.00",
        "0.08",
    )


def test_missing_rate_is_undecided_never_passed() -> None:
    refs = [price("US", "180", "USD")] + [price(c, "100000") for c in ("PL", "RU", "TR", "DE")]
    findings = judge(rates={"date": "2026-11-01", "rates": {"EUR": "550"}}, reference_prices=refs)
    f = one(findings, "PRICE004")
    assert f.outcome is Outcome.INDETERMINATE and "none for USD" in f.message and "review" in f.message
    assert f.evidence["field"] == "rtds[0].reference_prices[0].currency"
    assert one(findings, "PRICE001").outcome is Outcome.INDETERMINATE


def test_no_rates_at_all() -> None:
    refs = [price("US", "180", "USD")] + [price(c, "100000") for c in ("PL", "RU", "TR", "DE")]
    f = one(judge(reference_prices=refs), "PRICE004")
    assert f.outcome is Outcome.INDETERMINATE and "no exchange rates are declared" in f.message


def test_rates_file_overrides_the_application(tmp_path: Path) -> None:
    path = tmp_path / "rates.json"
    path.write_text(json.dumps({"date": "2026-11-02", "rates": {"USD": "400"}}), encoding="utf-8")
    rates = pricing.load_rates(path)
    assert rates.rates["USD"] == Decimal("400") and rates.source == str(path)
    refs = [price("US", "250", "USD")] + [price(c, "100000") for c in ("PL", "RU", "TR", "DE")]
    findings = judge(
        rates={"date": "2026-11-01", "rates": {"USD": "500"}},
        reference_prices=refs,
        cost_kzt="100000",
        facts={"rates": rates, "rates_source": f"--rates {path}"},
    )
    conv = one(findings, "PRICE004")
    assert "--rates" in conv.message and "US 250 USD × 400 = 100000.00 KZT" in conv.message
    assert one(findings, "PRICE001").outcome is Outcome.PASSED


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{", "not JSON"),
        ('{"rates": {"USD": "1"}}', "`date`"),
        ('{"date": "2026-01-01", "rates": {"USD": "0"}}', "not above 0"),
    ],
)
def test_bad_rates_file_is_a_configuration_error(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "rates.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(pricing.RatesFileError, match=words) as err:
        pricing.load_rates(path)
    assert err.value.exit_code == 2


def test_non_reference_country_fails_price005_and_is_left_out() -> None:
    refs = organization()["rtds"][0]["reference_prices"] + [price("CN", "1000")]
    findings = judge(reference_prices=refs)
    f = one(findings, "PRICE005")
    assert f.outcome is Outcome.FAILED and "CN is not a reference country" in f.message
    assert one(findings, "PRICE001").evidence["average_kzt"] == "100000.00"


def test_reference_countries_list_is_dated() -> None:
    rc = pricing.reference_countries()
    assert rc.as_of and rc.checked_on
    assert {"KZ", "RU", "BY", "AM", "KG", "US", "DE", "TR", "CR"} <= set(rc.names)
    assert len(rc.names) == 43 and "CN" not in rc


def test_manufacturer_exw_missing_fails_price006() -> None:
    f = one(judge(exw_price=None), "PRICE006")
    assert f.outcome is Outcome.FAILED and f.evidence["field"] == "rtds[0].exw_price"
    assert one(judge(), "PRICE006").outcome is Outcome.PASSED


def test_domestic_producer_is_exempt() -> None:
    raw = organization(
        activity={"provides_services": True, "sells_rtd": True, "domestic_producer": True},
        rtds=[rtd(exw_price=None, reference_prices=[])],
    )
    findings = list(reference_pricing(dossier(raw)))
    assert [(f.code, f.outcome) for f in findings] == [("PRICE001", Outcome.PASSED)]
    assert "exempt" in findings[0].message and findings[0].evidence["exempt"] == "domestic producer"


def test_change_request_checks_updated_rtds() -> None:
    upd = organization(registration_number="R-2024-0001", rtds=[rtd(cost_kzt="200000")])
    findings = list(reference_pricing(dossier(change(updated=upd))))
    assert one(findings, "PRICE001").outcome is Outcome.FAILED


def test_money_rounds_half_up() -> None:
    assert pricing.money(Decimal("0.005")) == "0.01" and pricing.money(Decimal("2.675")) == "2.68"


def test_assess_is_pure() -> None:
    raw = organization()
    from intake.models import Rtd

    a = pricing.assess(0, Rtd.model_validate(raw["rtds"][0]), ExchangeRates(date="2026-11-01", rates={}))
    assert a.average == Decimal("100000") and a.excess is None and a.enough
