"""Field validation helpers for the application (paragraphs 4, 10, 12, 18): e-mail, telephones, addresses.

Pure functions over values; the FORM checks in `intake.judgements.on_form` turn their answers into findings.
Regions come from `intake/data/regions.json` (the 17 regions of 2022 and the three cities of
republican significance); postal codes are the legacy 6-digit form or the 7-character Kazpost form
(`../shared/research/ecosystem.md` §1.4); telephones are Kazakh numbers read with `phonenumbers`
and kept in E.164 form (§1.5).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import phonenumbers

from intake.models import Address

__all__ = [
    "AddressProblem",
    "Phone",
    "Region",
    "address_problems",
    "email_problem",
    "find_region",
    "normalise_phone",
    "postal_code_problem",
    "regions",
]

# --------------------------------------------------------------------------- e-mail

# RFC 5321/5322 in the form people use: dot-atom local part, a domain of LDH labels with a
# top-level label of letters (or an IDN A-label). Quoted local parts and address literals are
# refused: no registry form produces them and no mail client of a clerk needs them.
_LOCAL: Final = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL: Final = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_TLD: Final = re.compile(r"^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$")


def email_problem(value: str) -> str | None:
    """What is wrong with an e-mail address, or None when it is usable.

    Args:
        value: The address as written in the application.

    Returns:
        A short reason, e.g. ``"no '@'"`` or ``"domain 'mail' has no top-level domain"``.
    """
    if value != value.strip():
        return "leading or trailing spaces"
    if not value:
        return "empty"
    if any(c.isspace() for c in value):
        return "contains a space"
    if value.count("@") != 1:
        return "no '@'" if "@" not in value else "more than one '@'"
    local, domain = value.split("@")
    if not local:
        return "nothing before '@'"
    if len(local) > 64:
        return "the part before '@' is longer than 64 characters"
    if not _LOCAL.match(local):
        return f"the part before '@' ({local!r}) has a character not allowed there or a misplaced dot"
    if len(value) > 254:
        return "longer than 254 characters"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return f"domain {domain!r} is not a valid domain name"
    labels = ascii_domain.split(".")
    if len(labels) < 2:
        return f"domain {domain!r} has no top-level domain"
    if not all(_LABEL.match(label) for label in labels):
        return f"domain {domain!r} has an empty or invalid label"
    if not _TLD.match(labels[-1]):
        return f"domain {domain!r} has an invalid top-level domain"
    return None


# --------------------------------------------------------------------------- telephones


@dataclass(frozen=True)
class Phone:
    """A telephone number read as a Kazakh number.

    Attributes:
        given: The text as written.
        e164: The number in E.164 form (``+77011234567``) when it is a valid Kazakh number.
        kind: ``"mobile"``, ``"fixed line"`` or another `phonenumbers` type name, when valid.
        problem: Why it is not a valid Kazakh number, when it is not.
    """

    given: str
    e164: str | None
    kind: str | None = None
    problem: str | None = None


_TYPES: Final = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed line",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed line or mobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll free",
    phonenumbers.PhoneNumberType.VOIP: "VoIP",
}


def normalise_phone(value: str) -> Phone:
    """Reads a telephone number as a Kazakh number (region KZ; ``8 7xx`` trunk form accepted).

    Args:
        value: The number as written, e.g. ``"+7 701 123 4567"`` or ``"87011234567"``.

    Returns:
        The number with its E.164 form, or with the reason it is not a valid Kazakh number.
    """
    try:
        number = phonenumbers.parse(value, "KZ")
    except phonenumbers.NumberParseException as exc:
        return Phone(value, None, problem=f"not a telephone number ({exc._msg})")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number_for_region(number, "KZ"):
        kind = _TYPES.get(phonenumbers.number_type(number), "other")
        return Phone(value, e164, kind=kind)
    region = phonenumbers.region_code_for_number(number)
    if region and region != "KZ":
        return Phone(value, None, problem=f"{e164} is a number of {region}, not of Kazakhstan")
    return Phone(value, None, problem=f"{e164} is not a valid Kazakh number (expected +7 7xx xxx xx xx)")


# --------------------------------------------------------------------------- regions


@dataclass(frozen=True)
class Region:
    """A current region of Kazakhstan or a city of republican significance.

    Attributes:
        id: Stable id, e.g. ``"ulytau"`` or ``"almaty"`` (the city) / ``"almaty-region"``.
        kind: ``"region"`` or ``"city"`` (city of republican significance).
        en: English name.
        ru: Russian name.
        kk: Kazakh name.
    """

    id: str
    kind: str
    en: str
    ru: str
    kk: str


@dataclass(frozen=True)
class _RegionTable:
    by_name: dict[str, Region]
    former: dict[str, tuple[Region, str]]
    as_of: str


def _key(text: str) -> str:
    """Case, 'ё', punctuation and spacing folded, so spellings compare equal."""
    text = text.casefold().replace("ё", "е")
    text = re.sub(r"[\s.,\-–—\"'«»()]+", " ", text)
    return text.strip()


@cache
def _table() -> _RegionTable:
    raw: dict[str, Any] = json.loads(resources.files("intake").joinpath("data/regions.json").read_text("utf-8"))
    region_words = [_key(w) for w in raw["region_words"]]
    city_words = [_key(w) for w in raw["city_words"]]
    by_name: dict[str, Region] = {}
    entries = sorted(raw["entries"], key=lambda e: e["kind"] == "city")  # a city's bare name wins
    all_regions: dict[str, Region] = {}
    for e in entries:
        region = Region(id=e["id"], kind=e["kind"], en=e["en"], ru=e["ru"], kk=e["kk"])
        all_regions[region.id] = region
        names = [e["en"], e["ru"], e["kk"], *e["spellings"]]
        words = region_words if region.kind == "region" else city_words
        for stem in e["stems"]:
            names.append(stem)
            for w in words:
                names += [f"{stem} {w}", f"{w} {stem}"]
        for name in names:
            by_name[_key(name)] = region
    former: dict[str, tuple[Region, str]] = {}
    for f in raw["former"]:
        for name in f["names"]:
            for w in ["", *region_words]:
                former[_key(f"{name} {w}")] = (all_regions[f["now"]], f["until"])
    return _RegionTable(by_name=by_name, former=former, as_of=raw["as_of"])


def regions() -> tuple[Region, ...]:
    """The current regions and cities of republican significance, each once."""
    seen: dict[str, Region] = {}
    for region in _table().by_name.values():
        seen.setdefault(region.id, region)
    return tuple(seen.values())


def find_region(name: str) -> Region | None:
    """The current region or city of republican significance a name denotes, in any of its spellings.

    Args:
        name: E.g. ``"Улытауская область"``, ``"Ulytau Region"``, ``"г. Астана"``, ``"Нур-Султан"``.

    Returns:
        The region, or None when the name is none of them.
    """
    return _table().by_name.get(_key(name))


def former_region(name: str) -> tuple[Region, str] | None:
    """For a region name no longer current: the region that replaced it and the last day of the old one."""
    return _table().former.get(_key(name))


# --------------------------------------------------------------------------- postal codes and addresses

_POSTAL_LEGACY: Final = re.compile(r"^\d{6}$")
_POSTAL_KAZPOST: Final = re.compile(r"^[A-Z]\d{2}\s?[A-Z0-9]{4}$")


def postal_code_problem(value: str) -> str | None:
    """Why a postal code is neither the 6-digit form (``010000``) nor the Kazpost form (``A01 P3K4``).

    Args:
        value: The postal code as written.

    Returns:
        The reason, or None when the code has one of the two forms.
    """
    if _POSTAL_LEGACY.match(value) or _POSTAL_KAZPOST.match(value):
        return None
    return f"{value!r} is neither 6 digits (e.g. 010000) nor the Kazpost form of 7 characters (e.g. A01 P3K4)"


@dataclass(frozen=True)
class AddressProblem:
    """One problem of an address: the sub-field (``region``, ``street``, ...) and the reason."""

    field: str
    message: str
    value: str | None = None


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def address_problems(address: Address) -> list[AddressProblem]:
    """Every problem of an address: region, locality (city, district or locality), street, house, postal code.

    A city of republican significance given as the region is its own locality.

    Args:
        address: The address of the application.

    Returns:
        The problems; empty when the address is complete.
    """
    problems: list[AddressProblem] = []
    region = find_region(address.region) if not _blank(address.region) else None
    if _blank(address.region):
        problems.append(AddressProblem("region", "is empty"))
    elif region is None:
        old = former_region(address.region)
        if old is not None:
            now, until = old
            problems.append(
                AddressProblem(
                    "region",
                    f"{address.region!r} is a former region (until {until}); today it is {now.en} ({now.ru})",
                    address.region,
                )
            )
        else:
            problems.append(
                AddressProblem(
                    "region",
                    f"{address.region!r} is not a current region of Kazakhstan or a city of republican "
                    "significance (Astana, Almaty, Shymkent)",
                    address.region,
                )
            )
    if (region is None or region.kind != "city") and all(
        _blank(v) for v in (address.city, address.district, address.locality)
    ):
        problems.append(AddressProblem("locality", "no city, district or locality given"))
    if _blank(address.street):
        problems.append(AddressProblem("street", "is empty"))
    if _blank(address.house):
        problems.append(AddressProblem("house", "is empty"))
    if address.postal_code is not None:
        why = postal_code_problem(address.postal_code.strip())
        if why is not None:
            problems.append(AddressProblem("postal_code", why, address.postal_code))
    return problems
