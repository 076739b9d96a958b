"""ISO 4217 currency codes a programme's cost may be given in.

The active codes, kept here rather than fetched so that checking one needs no network and no
extra package; amounts are shown as a localised number followed by the code (e.g. 1,800.00 GBP),
which reads correctly in every language without a table of symbols.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format

ISO_4217 = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG""".split()
)


def format_money(amount: Decimal | None, currency: str) -> str:
    """`1800` and "GBP" -> "1,800.00 GBP" (separators follow the active language)."""
    if amount is None:
        return ""
    number = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{number} {currency}"
