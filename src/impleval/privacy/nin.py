"""Norwegian national identity numbers (fødselsnummer, D-number, H-number) and organisation numbers.

No maintained PyPI library covers the 2032 control-digit rule and the H-number variant together,
so the checksums are written here (short, and tested against the rules in methods.md).

Fødselsnummer: 11 digits `DDMMYY III K1 K2`.
- K1: weights 3,7,6,1,8,9,4,5,2 on d1..d9. Classic rule: (sum + K1) mod 11 == 0. From 2032 the
  Norwegian tax administration also issues numbers where that remainder is 0, 1, 2 or 3; both
  rules are accepted.
- K2: weights 5,4,3,2,7,6,5,4,3,2 on d1..d9,K1; K2 = 11 - (sum mod 11), 11 -> 0, 10 -> invalid.
- D-number: first digit + 4 (day 41-71). H-number: third digit + 4 (month 41-52).
- Synthetic test numbers (Skatteetaten/Tenor: month + 80) are treated as fødselsnummer: a real
  export should never contain them, and if it does they are indistinguishable in shape.
"""

from __future__ import annotations

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

# Kinds of 11-digit identity numbers.
FNR, DNR, HNR = "fnr", "dnr", "hnr"


def _digits(number: str) -> list[int] | None:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != len(number) - sum(1 for c in number if c in " -"):
        return None  # something other than digits and separators
    return digits


def _control(weights: tuple[int, ...], digits: list[int]) -> int | None:
    """Classic mod-11 control digit; None when the remainder makes it 10 (invalid)."""
    k = 11 - sum(w * d for w, d in zip(weights, digits, strict=False)) % 11
    if k == 11:
        return 0
    return None if k == 10 else k


def k1_valid(digits: list[int], *, rule_2032: bool = True) -> bool:
    """True when d10 is a valid first control digit (classic rule, or the 2032 rule)."""
    remainder = (sum(w * d for w, d in zip(K1_WEIGHTS, digits[:9], strict=False)) + digits[9]) % 11
    return remainder == 0 or (rule_2032 and remainder in (1, 2, 3))


def k2_valid(digits: list[int]) -> bool:
    return _control(K2_WEIGHTS, digits[:10]) == digits[10]


def checksum_valid(number: str, *, rule_2032: bool = True) -> bool:
    """Both control digits of an 11-digit number (separators ' ' and '-' allowed) are valid."""
    digits = _digits(number)
    if digits is None or len(digits) != 11:
        return False
    return k1_valid(digits, rule_2032=rule_2032) and k2_valid(digits)


def number_kind(number: str) -> tuple[str, bool]:
    """(kind, date_plausible) from the date part of an 11-digit number.

    Kind is `dnr` for day 41-71, `hnr` for month 41-52, otherwise `fnr`. The date is plausible
    when day and month (after removing the D/H/synthetic offsets) are a possible calendar day."""
    digits = _digits(number) or []
    if len(digits) != 11:
        return FNR, False
    day = digits[0] * 10 + digits[1]
    month = digits[2] * 10 + digits[3]
    kind = FNR
    if 41 <= day <= 71:
        kind, day = DNR, day - 40
    if 41 <= month <= 52:
        kind = HNR if kind == FNR else kind
        month -= 40
    elif 81 <= month <= 92:  # synthetic test numbers
        month -= 80
    plausible = 1 <= month <= 12 and 1 <= day <= (
        29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
    )
    return kind, plausible


def classify_11_digits(number: str) -> tuple[str, str]:
    """(kind, confidence) for an 11-digit run: `high` when the checksum and date are valid."""
    kind, plausible = number_kind(number)
    return kind, "high" if plausible and checksum_valid(number) else "low"


def make_fnr(
    date6: str, individual3: str, *, kind: str = FNR, rule_2032: bool = False
) -> str | None:
    """Build a checksum-valid number from `DDMMYY` and a 3-digit individual number (for tests
    and synthetic data). Returns None when no valid control digits exist for that combination."""
    digits = [int(c) for c in date6 + individual3]
    if kind == DNR:
        digits[0] += 4
    elif kind == HNR:
        digits[2] += 4
    s1 = sum(w * d for w, d in zip(K1_WEIGHTS, digits, strict=False))
    k1_options = [k for k in range(10) if (s1 + k) % 11 in ((0, 1, 2, 3) if rule_2032 else (0,))]
    if rule_2032:  # prefer a K1 that only the 2032 rule accepts, to exercise it
        k1_options = [k for k in k1_options if (s1 + k) % 11 != 0] or k1_options
    for k1 in k1_options:
        k2 = _control(K2_WEIGHTS, digits + [k1])
        if k2 is not None:
            return "".join(map(str, digits + [k1, k2]))
    return None


def orgnr_valid(number: str) -> bool:
    """9-digit organisation number with a valid mod-11 control digit (weights 3,2,7,6,5,4,3,2)."""
    digits = _digits(number)
    if digits is None or len(digits) != 9:
        return False
    return _control(ORGNR_WEIGHTS, digits[:8]) == digits[8]
