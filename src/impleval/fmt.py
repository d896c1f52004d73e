"""Number formatting for the report's prose and tables, by report language.

Bokmål uses a decimal comma and a non-breaking space as thousands separator; English a point and
a comma. All numbers in the report pass through here so one rule governs them.
"""

from __future__ import annotations

import math

NBSP = "\u00a0"
MISSING = {"nb": "–", "en": "–"}
SUPPRESSED = {"nb": f"<{NBSP}{{min_cell}}", "en": f"<{NBSP}{{min_cell}}"}


def _is_missing(x) -> bool:
    try:
        return x is None or (isinstance(x, float) and math.isnan(x))
    except TypeError:
        return False


def number(x, digits: int = 2, language: str = "nb") -> str:
    if _is_missing(x):
        return MISSING[language]
    text = f"{float(x):,.{digits}f}"
    if language == "nb":
        text = text.replace(",", NBSP).replace(".", ",")
    return text.replace("-", "−")  # typographic minus


def integer(x, language: str = "nb") -> str:
    return number(x, 0, language)


def percent(share, digits: int = 0, language: str = "nb") -> str:
    """`share` in 0..1 → '42 %' (nb) or '42%' (en)."""
    if _is_missing(share):
        return MISSING[language]
    value = number(100 * float(share), digits, language)
    return f"{value}{NBSP}%" if language == "nb" else f"{value}%"


def pvalue(p, language: str = "nb") -> str:
    """APA-style: three decimals, '< 0.001' below that."""
    if _is_missing(p):
        return MISSING[language]
    if p < 0.001:
        return f"<{NBSP}{number(0.001, 3, language)}"
    return number(p, 3, language)


def interval(low, high, digits: int = 2, language: str = "nb") -> str:
    sep = "; " if language == "nb" else ", "  # a comma would be ambiguous with decimal commas
    return f"[{number(low, digits, language)}{sep}{number(high, digits, language)}]"


def date(value, language: str = "nb") -> str:
    """A calendar date: 03.03.2025 (nb) or 2025-03-03 (en)."""
    if _is_missing(value) or value == "":
        return MISSING[language]
    import pandas as pd

    return pd.Timestamp(value).strftime("%d.%m.%Y" if language == "nb" else "%Y-%m-%d")


def suppressed(min_cell: int, language: str = "nb") -> str:
    return SUPPRESSED[language].format(min_cell=min_cell)
