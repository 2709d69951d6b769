"""Russian, Kazakh and English texts from gettext catalogs.

The catalogs are `intake/locale/{ru,kk,en}/LC_MESSAGES/intake.po` (committed, edited by translators).
They are compiled in memory with Babel at first use, so an installed package needs no build step and
a stale `.mo` can never shadow the `.po`. The English texts of the catalog (`intake/rules.py`) are the
message ids: a rule whose English text changes loses its translation until the catalog follows, and
the catalog test says which.

Plurals follow each catalog's `Plural-Forms`: Russian has three forms («1 рабочий день», «2 рабочих
дня», «5 рабочих дней»); Kazakh has one, since a noun after a numeral stays singular («5 жұмыс күні»).
"""

from __future__ import annotations

import functools
import gettext
import io
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from intake.rules import GROUNDS_27, rule


class Lang(StrEnum):
    """The languages of the reports and the notice."""

    RU = "ru"
    KK = "kk"
    EN = "en"


DOMAIN = "intake"


@functools.cache
def translations(lang: Lang) -> gettext.GNUTranslations:
    """The compiled catalog of one language (read from the package's .po once per process)."""
    po = resources.files("intake").joinpath("locale", lang.value, "LC_MESSAGES", f"{DOMAIN}.po")
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang.value, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@dataclass(frozen=True)
class Texts:
    """The texts of one language: `t.gettext("...")`, `t.ngettext(...)`, and the catalog's texts per code."""

    lang: Lang

    def gettext(self, message: str) -> str:
        """The translation of `message` (itself when the catalog has none)."""
        return translations(self.lang).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, **fields: object) -> str:
        """The form for `n`, with `{n}` and the other fields filled in."""
        return translations(self.lang).ngettext(singular, plural, n).format(n=n, **fields)

    def title(self, code: str) -> str:
        """The title of a finding code."""
        return self.gettext(rule(code).title)

    def checks(self, code: str) -> str:
        """What a finding code checks."""
        return self.gettext(rule(code).checks)

    def fix(self, code: str) -> str:
        """How the applicant fixes what a finding code found."""
        return self.gettext(rule(code).fix)

    def ground(self, ground: str) -> str:
        """The words of a ground of paragraph 27."""
        return self.gettext(GROUNDS_27[ground])

    def working_days(self, n: int) -> str:
        """'1 working day', «2 рабочих дня», «5 жұмыс күні»."""
        return self.ngettext("{n} working day", "{n} working days", n)


def texts(lang: str | Lang) -> Texts:
    """The texts of a language given by its code (ru, kk, en)."""
    return Texts(Lang(lang))
