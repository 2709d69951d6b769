"""PRICE: external reference pricing of the RTDs sold (paragraphs 2.4, 4.10, 7.5; refusal ground 27.4).

The arithmetic is in `intake.pricing`; here the assessment of each RTD becomes findings. Exchange
rates are those of `--rates FILE` when given (the dossier's facts `Dossier.rates`, read by the
pipeline), otherwise the application's `exchange_rates`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from intake import pricing
from intake.judgements import Check
from intake.models import (
    ChangeApplication,
    Dossier,
    ExchangeRates,
    Finding,
    OrganizationApplication,
    Outcome,
    Say,
    say,
    say_n,
)
from intake.rules import finding


def _organization(dossier: Dossier) -> tuple[str, OrganizationApplication] | None:
    app = dossier.application
    if isinstance(app, ChangeApplication):
        return ("updated.", app.updated) if isinstance(app.updated, OrganizationApplication) else None
    return ("", app) if isinstance(app, OrganizationApplication) else None


def rates_of(dossier: Dossier, app: OrganizationApplication) -> tuple[ExchangeRates | None, str]:
    """The rates to convert with, and where they come from."""
    if dossier.rates is not None:
        return dossier.rates, dossier.rates_source or "--rates"
    return app.exchange_rates, "application `exchange_rates`"


def _f(
    code: str, outcome: Outcome, dossier: Dossier, message: Say, basis: str | None = None, **evidence: Any
) -> Finding:
    return finding(code, outcome, message, document=dossier.application_file, evidence=evidence, basis=basis)


def reference_pricing(dossier: Dossier) -> Iterator[Finding]:
    """PRICE001-PRICE006 for each RTD sold: sources, countries, conversion, count, and the 27.4 comparison."""
    found = _organization(dossier)
    if found is None:
        return
    prefix, app = found
    if not app.activity.sells_rtd:
        yield _f("PRICE001", Outcome.PASSED, dossier, say("the organization does not sell RTDs: 27.4 does not apply"))
        return
    if app.activity.domestic_producer:
        yield _f(
            "PRICE001",
            Outcome.PASSED,
            dossier,
            say("exempt: a domestic producer gives no external reference prices (paragraphs 4.10 and 7.5)"),
            exempt="domestic producer",
        )
        return
    rates, rates_from = rates_of(dossier, app)
    countries = pricing.reference_countries()
    for i, rtd in enumerate(app.rtds):
        a = pricing.assess(i, rtd, rates, countries)
        yield from _judge(dossier, prefix, a, rates, rates_from, countries)


def _judge(
    dossier: Dossier,
    prefix: str,
    a: pricing.Assessment,
    rates: ExchangeRates | None,
    rates_from: str,
    countries: pricing.ReferenceCountries,
) -> Iterator[Finding]:
    rtd = a.rtd
    name = say("RTD {number} «{name}»", number=a.index + 1, name=rtd.name)
    base = f"{prefix}rtds[{a.index}]"

    # PRICE006: the manufacturer's EXW price (4.10, 7.5).
    if a.exw is None:
        yield _f(
            "PRICE006",
            Outcome.FAILED,
            dossier,
            say("{rtd}: `{field}`: the manufacturer's EXW price is not given", rtd=name, field=f"{base}.exw_price"),
            field=f"{base}.exw_price",
        )
    else:
        yield _f(
            "PRICE006",
            Outcome.PASSED,
            dossier,
            say("{rtd}: manufacturer's EXW price {price}", rtd=name, price=a.exw.label()),
            field=f"{base}.exw_price",
            price=a.exw.shown(),
        )

    # PRICE003: every price names its source.
    for field in a.unsourced:
        yield _f(
            "PRICE003",
            Outcome.FAILED,
            dossier,
            say("{rtd}: `{field}`: the price names no source of information", rtd=name, field=f"{prefix}{field}"),
            field=f"{prefix}{field}",
        )
    if not a.unsourced:
        yield _f("PRICE003", Outcome.PASSED, dossier, say("{rtd}: every price names its source", rtd=name))

    # PRICE005: reference prices only from reference countries (2.4).
    for c in a.not_reference:
        yield _f(
            "PRICE005",
            Outcome.FAILED,
            dossier,
            say(
                "{rtd}: `{field}`: {country} is not a reference country (OECD or EAEU member, list as of {as_of}); "
                "the price is left out of the comparison",
                rtd=name,
                field=f"{prefix}{c.field}",
                country=c.price.country,
                as_of=str(countries.as_of),
            ),
            field=f"{prefix}{c.field}.country",
            value=c.price.country,
            list_as_of=countries.as_of,
        )
    if a.reference and not a.not_reference:
        yield _f(
            "PRICE005",
            Outcome.PASSED,
            dossier,
            say(
                "{rtd}: every reference price is from an OECD or EAEU member (list as of {as_of})",
                rtd=name,
                as_of=str(countries.as_of),
            ),
            list_as_of=countries.as_of,
        )

    # PRICE004: conversion of other currencies with declared rates.
    for c in a.no_rate:
        declared = (
            say(
                "the rates declared ({source}, dated {date}) have none for {currency}",
                source=rates_from,
                date=str(rates.date),
                currency=c.price.currency,
            )
            if rates is not None
            else say("no exchange rates are declared (application `exchange_rates` or --rates)")
        )
        yield _f(
            "PRICE004",
            Outcome.INDETERMINATE,
            dossier,
            say(
                "{rtd}: `{field}`: {amount} {currency} cannot be converted to KZT: {declared}. "
                "A blocking check left undecided sends the dossier to review",
                rtd=name,
                field=f"{prefix}{c.field}",
                amount=str(c.price.amount),
                currency=c.price.currency,
                declared=declared,
            ),
            field=f"{prefix}{c.field}.currency",
            value=c.price.currency,
        )
    if a.conversions and not a.no_rate and rates is not None:
        shown = "; ".join(c.label() for c in a.conversions)
        yield _f(
            "PRICE004",
            Outcome.PASSED,
            dossier,
            say(
                "{rtd}: converted with the rates of {date} ({source}, KZT per unit): {shown}",
                rtd=name,
                date=str(rates.date),
                source=rates_from,
                shown=shown,
            ),
            rates_date=rates.date.isoformat(),
            rates_from=rates_from,
            rates_source=rates.source,
            conversions=[c.shown() for c in a.conversions],
        )

    # PRICE002: five reference countries, or five countries with the alternative ones (4.10).
    ref_countries = sorted({c.price.country.upper() for c in a.reference})
    alt_countries = sorted({c.price.country.upper() for c in a.alternative})
    counts: dict[str, Any] = {"reference_countries": ref_countries, "alternative_countries": alt_countries}
    if not a.enough:
        if not a.alternative:
            why = say_n(
                "{n} reference country ({list}) and no alternative countries; expected five reference countries "
                "or, where there are no reference prices, at least five alternative countries",
                "{n} reference countries ({list}) and no alternative countries; expected five reference countries "
                "or, where there are no reference prices, at least five alternative countries",
                len(ref_countries),
                list=", ".join(ref_countries) or say("none"),
            )
        else:
            why = say(
                "{reference} ({reference_list}) and {alternative} ({alternative_list}): {all}, fewer than five",
                reference=say_n("{n} reference country", "{n} reference countries", len(ref_countries)),
                reference_list=", ".join(ref_countries) or say("none"),
                alternative=say_n("{n} alternative country", "{n} alternative countries", len(alt_countries)),
                alternative_list=", ".join(alt_countries),
                all=say_n("{n} country in all", "{n} countries in all", a.countries),
            )
        yield _f(
            "PRICE002",
            Outcome.FAILED,
            dossier,
            say("{rtd}: {why}", rtd=name, why=why),
            field=f"{base}.reference_prices",
            **counts,
        )
    else:
        what = (
            say("five reference countries")
            if a.pool == "reference"
            else say_n("{n} country with the alternative ones", "{n} countries with the alternative ones", a.countries)
        )
        yield _f(
            "PRICE002",
            Outcome.PASSED,
            dossier,
            say(
                "{rtd}: prices from {what} ({list})", rtd=name, what=what, list=", ".join(ref_countries + alt_countries)
            ),
            **counts,
        )

    # PRICE001: the declared cost against the average of the five minimum prices (27.4).
    used = [c.shown() for c in a.used]
    listed = "; ".join(c.label() for c in a.used)
    evidence: dict[str, Any] = dict(
        field=f"{base}.cost_kzt",
        cost_kzt=pricing.money(rtd.cost_kzt),
        prices=used,
        pool=a.pool,
        list_as_of=countries.as_of,
    )
    if a.average is None:
        why = (
            say("prices without an exchange rate could be among the five lowest (PRICE004)")
            if a.enough
            else say("fewer than five countries' prices (PRICE002)")
        )
        yield _f(
            "PRICE001",
            Outcome.INDETERMINATE,
            dossier,
            say(
                "{rtd}: the reference average cannot be computed: {why}. "
                "A blocking check left undecided sends the dossier to review",
                rtd=name,
                why=why,
            ),
            **evidence,
        )
        return
    evidence.update(average=str(a.average), average_kzt=pricing.money(a.average))
    note = say(" ({notes})", notes=a.notes) if a.notes else ""
    if a.excess is not None:
        pct = f" ({pricing.percent(a.excess_percent)}%)" if a.excess_percent is not None else ""
        evidence.update(
            excess_kzt=pricing.money(a.excess),
            excess_percent=pricing.percent(a.excess_percent) if a.excess_percent is not None else None,
        )
        yield _f(
            "PRICE001",
            Outcome.FAILED,
            dossier,
            say(
                "{rtd}: declared cost {cost} KZT exceeds the average {average} KZT of the five minimum EXW prices "
                "({listed}) by {excess} KZT{percent}{note}",
                rtd=name,
                cost=pricing.money(rtd.cost_kzt),
                average=pricing.money(a.average),
                listed=listed,
                excess=pricing.money(a.excess),
                percent=pct,
                note=note,
            ),
            **evidence,
        )
    else:
        yield _f(
            "PRICE001",
            Outcome.PASSED,
            dossier,
            say(
                "{rtd}: declared cost {cost} KZT does not exceed the average {average} KZT of the five minimum "
                "EXW prices ({listed}){note}",
                rtd=name,
                cost=pricing.money(rtd.cost_kzt),
                average=pricing.money(a.average),
                listed=listed,
                note=note,
            ),
            **evidence,
        )


CHECKS: tuple[Check, ...] = (
    Check("PRICE001", reference_pricing, also=["PRICE002", "PRICE003", "PRICE004", "PRICE005", "PRICE006"]),
)
"""Checks of this area; see `intake.rules` for their codes."""
