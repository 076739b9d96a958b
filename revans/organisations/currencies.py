"""Currencies a programme's cost may be given in, and amounts written as readers expect.

Babel (the Unicode CLDR data) says which ISO 4217 codes some country uses today, so the list
stays current without being kept by hand (BGN went when Bulgaria took the euro; XCG came in
for ANG), and writes an amount in the active language with its currency's own symbol and
decimals: 1,800.00 in pounds is "£1,800.00" in UK English, in yen "JP¥1,800".
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from babel.core import get_global
from babel.numbers import format_currency, get_territory_currencies
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, to_locale


@functools.lru_cache(maxsize=2)
def _in_use_on(day: dt.date) -> frozenset[str]:
    return frozenset(
        code
        for territory in get_global("territory_currencies")
        for code in get_territory_currencies(territory, day)
    )


def is_in_use(code: str) -> bool:
    """True for a currency that is legal tender somewhere today."""
    return code in _in_use_on(timezone.localdate())


def format_money(amount: Decimal | None, currency: str) -> str:
    """`1800` and "GBP" -> "£1,800.00" (symbol, separators and decimals per the language).
    A stored code that has since gone out of use is still written, with its code."""
    if amount is None:
        return ""
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    return format_currency(amount, currency, locale=locale)
