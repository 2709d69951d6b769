"""External reference pricing of RTDs (paragraphs 2.4, 2.5, 4.10, 7.5; refusal ground 27.4).

Pure arithmetic over the application's declared prices; `intake.judgements.on_prices` turns the
assessment into findings. All money is `Decimal`; rounding (ROUND_HALF_UP to the tiyn) is for
display only: the comparison uses the exact average.

The computation, per RTD the supplier sells:

1. every declared price is converted to KZT with the declared rates (KZT per unit);
2. reference prices from countries that are not OECD or EAEU members are set aside (PRICE005);
3. one price per country, its minimum ("five minimum EXW prices in reference countries": five
   countries, not five offers of one country);
4. with at least five reference countries, the five lowest are averaged; with fewer, the
   alternative countries of paragraph 4.10 (2.5: "in countries purchasing RTDs") join the pool,
   which must then reach five countries;
5. the declared cost must not exceed the average (equal passes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from intake.errors import ConfigurationError
from intake.models import ExchangeRates, Price, Rtd, Say, say

__all__ = [
    "REQUIRED",
    "Assessment",
    "Converted",
    "RatesFileError",
    "ReferenceCountries",
    "assess",
    "load_rates",
    "money",
    "reference_countries",
]

REQUIRED: Final = 5
"""Five minimum EXW prices (27.4); five alternative countries (4.10)."""

_TIYN: Final = Decimal("0.01")


def money(value: Decimal) -> str:
    """A KZT amount for display: rounded half up to the tiyn, e.g. ``"101000.00"``."""
    return str(value.quantize(_TIYN, rounding=ROUND_HALF_UP))


def percent(value: Decimal) -> str:
    """A percentage for display, rounded half up to two places."""
    return str(value.quantize(_TIYN, rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- reference countries


@dataclass(frozen=True)
class ReferenceCountries:
    """The dated list of reference countries (2.4): OECD and EAEU members."""

    as_of: str
    checked_on: str
    names: dict[str, str]
    groups: dict[str, str]

    def __contains__(self, code: object) -> bool:
        """Whether an ISO 3166-1 alpha-2 code is a reference country."""
        return isinstance(code, str) and code.strip().upper() in self.names


@cache
def reference_countries() -> ReferenceCountries:
    """The catalog's list (`intake/data/reference_countries.json`)."""
    raw: dict[str, Any] = json.loads(
        resources.files("intake").joinpath("data/reference_countries.json").read_text("utf-8")
    )
    names: dict[str, str] = {}
    groups: dict[str, str] = {}
    for group in ("OECD", "EAEU"):
        for code, name in raw[group].items():
            names[code] = name
            groups[code] = group
    return ReferenceCountries(as_of=raw["as_of"], checked_on=raw["checked_on"], names=names, groups=groups)


# --------------------------------------------------------------------------- exchange rates


class RatesFileError(ConfigurationError):
    """The `--rates` file is missing or not of the shape of the application's `exchange_rates`."""


def load_rates(path: Path) -> ExchangeRates:
    """Read a `--rates` file: ``{"date": "2026-11-01", "rates": {"USD": "470.50"}, "source": "..."}``.

    Raises:
        RatesFileError: The file cannot be read or is not of that shape (exit code 2).
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise RatesFileError(f"cannot read the rates file {path}: {exc.strerror}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RatesFileError(f"the rates file {path} is not JSON: {exc}") from exc
    if isinstance(raw, dict) and "source" not in raw:
        raw = {**raw, "source": str(path)}
    try:
        rates = ExchangeRates.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(root)"
        raise RatesFileError(
            f'the rates file {path}: `{where}`: {first["msg"]}; expected {{"date": "YYYY-MM-DD", '
            '"rates": {"USD": "470.50", ...}} with KZT per unit'
        ) from exc
    bad = [c for c, r in rates.rates.items() if r <= 0]
    if bad:
        raise RatesFileError(f"the rates file {path}: the rate of {', '.join(bad)} is not above 0")
    return rates


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True)
class Converted:
    """One declared price with its KZT value (None when its currency has no rate)."""

    field: str
    price: Price
    kzt: Decimal | None
    rate: Decimal | None = None
    rate_date: date | None = None

    def shown(self) -> dict[str, Any]:
        """For a finding's evidence."""
        out: dict[str, Any] = {
            "field": self.field,
            "country": self.price.country,
            "amount": str(self.price.amount),
            "currency": self.price.currency,
            "source": self.price.source,
        }
        if self.kzt is not None:
            out["kzt"] = money(self.kzt)
        if self.rate is not None:
            out["rate"] = str(self.rate)
            out["rate_date"] = self.rate_date.isoformat() if self.rate_date else None
        return out

    def label(self) -> str:
        """``DE 90000.00 KZT (catalogue 2026)`` or ``US 200 USD × 470.5 = 94100.00 KZT (...)``."""
        src = f" ({self.price.source})" if self.price.source else " (no source)"
        if self.price.currency.upper() == "KZT":
            return f"{self.price.country} {money(self.price.amount)} KZT{src}"
        if self.kzt is None:
            return f"{self.price.country} {self.price.amount} {self.price.currency} (no rate){src}"
        return (
            f"{self.price.country} {self.price.amount} {self.price.currency} × {self.rate} = {money(self.kzt)} KZT{src}"
        )


@dataclass(frozen=True)
class Assessment:
    """What the declared prices of one RTD give under 27.4.

    Attributes:
        index: The RTD's position in `rtds`.
        rtd: The RTD.
        exw: The manufacturer's EXW price, converted; None when not given (PRICE006).
        reference: Reference prices from reference countries, converted.
        not_reference: Prices declared as reference prices from other countries (PRICE005).
        alternative: Alternative-country prices, converted.
        unsourced: Fields of prices without a source (PRICE003).
        no_rate: Fields of prices whose currency has no declared rate (PRICE004).
        conversions: Every converted foreign-currency price (PRICE004, shown).
        used: The (up to) five prices averaged, lowest first.
        pool: ``"reference"`` or ``"reference+alternative"``: where `used` comes from.
        countries: Number of distinct countries in the pool.
        average: Exact average of `used`, when there are five.
        excess: Declared cost minus the average, when positive.
        excess_percent: The excess as a percentage of the average.
    """

    index: int
    rtd: Rtd
    exw: Converted | None
    reference: tuple[Converted, ...]
    not_reference: tuple[Converted, ...]
    alternative: tuple[Converted, ...]
    unsourced: tuple[str, ...]
    no_rate: tuple[Converted, ...]
    conversions: tuple[Converted, ...]
    used: tuple[Converted, ...] = ()
    pool: str = "reference"
    countries: int = 0
    average: Decimal | None = None
    excess: Decimal | None = None
    excess_percent: Decimal | None = None
    notes: tuple[Say, ...] = field(default=())

    @property
    def enough(self) -> bool:
        """Five countries in the pool (PRICE002)."""
        return self.countries >= REQUIRED


def _convert(field_name: str, price: Price, rates: ExchangeRates | None) -> Converted:
    currency = price.currency.strip().upper()
    if currency == "KZT":
        return Converted(field_name, price, price.amount)
    if rates is None:
        return Converted(field_name, price, None)
    table = {k.strip().upper(): v for k, v in rates.rates.items()}
    rate = table.get(currency)
    if rate is None:
        return Converted(field_name, price, None)
    try:
        kzt = price.amount * rate
    except InvalidOperation:  # pragma: no cover - Decimal from pydantic is finite
        return Converted(field_name, price, None)
    return Converted(field_name, price, kzt, rate=rate, rate_date=rates.date)


def _per_country_minimum(prices: list[Converted]) -> list[Converted]:
    best: dict[str, Converted] = {}
    for p in prices:
        if p.kzt is None:
            continue
        key = p.price.country.strip().upper()
        if key not in best or p.kzt < best[key].kzt:  # type: ignore[operator]
            best[key] = p
    return sorted(best.values(), key=lambda c: (c.kzt, c.price.country))


def assess(
    index: int, rtd: Rtd, rates: ExchangeRates | None, countries: ReferenceCountries | None = None
) -> Assessment:
    """Assess one RTD's declared cost against its reference prices (27.4).

    Args:
        index: The RTD's position in `rtds` (for field paths).
        rtd: The RTD.
        rates: The exchange rates (the application's, or those of `--rates`).
        countries: The reference countries (default: the catalog's dated list).

    Returns:
        The assessment; `average` is None when it cannot be computed (too few prices, or a
        price without a rate that could change the five minimum ones).
    """
    countries = countries or reference_countries()
    base = f"rtds[{index}]"
    exw = _convert(f"{base}.exw_price", rtd.exw_price, rates) if rtd.exw_price is not None else None
    declared = [_convert(f"{base}.reference_prices[{i}]", p, rates) for i, p in enumerate(rtd.reference_prices)]
    alternative = [_convert(f"{base}.alternative_prices[{i}]", p, rates) for i, p in enumerate(rtd.alternative_prices)]
    reference = [c for c in declared if c.price.country in countries]
    not_reference = [c for c in declared if c.price.country not in countries]
    every = ([exw] if exw is not None else []) + declared + alternative
    unsourced = tuple(c.field + ".source" for c in every if not (c.price.source or "").strip())
    no_rate = tuple(c for c in every if c.kzt is None)
    conversions = tuple(c for c in every if c.rate is not None)

    ref_min = _per_country_minimum(reference)
    pool_name = "reference"
    pool = ref_min
    notes: list[Say] = []
    if len({c.price.country.strip().upper() for c in reference}) < REQUIRED and alternative:
        pool_name = "reference+alternative"
        pool = _per_country_minimum(reference + alternative)
        notes.append(
            say("fewer than five reference countries: the alternative countries of paragraph 4.10 join the comparison")
        )
    n_countries = len(
        {c.price.country.strip().upper() for c in (reference if pool_name == "reference" else reference + alternative)}
    )
    # Prices without a rate: their country still counts, but the average cannot be trusted when
    # an unconverted price could be among the five lowest.
    pooled_missing = [c for c in (reference if pool_name == "reference" else reference + alternative) if c.kzt is None]
    result = Assessment(
        index=index,
        rtd=rtd,
        exw=exw,
        reference=tuple(reference),
        not_reference=tuple(not_reference),
        alternative=tuple(alternative),
        unsourced=unsourced,
        no_rate=no_rate,
        conversions=conversions,
        pool=pool_name,
        countries=n_countries,
        notes=tuple(notes),
    )
    if len(pool) < REQUIRED or pooled_missing:
        return replace(result, used=tuple(pool[:REQUIRED]))
    used = tuple(pool[:REQUIRED])
    average = sum((c.kzt for c in used if c.kzt is not None), Decimal(0)) / Decimal(REQUIRED)
    excess = rtd.cost_kzt - average
    if excess > 0:
        pct = excess / average * 100 if average > 0 else None
        return replace(result, used=used, average=average, excess=excess, excess_percent=pct)
    return replace(result, used=used, average=average)
