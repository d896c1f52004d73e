"""Identifier scanner: where direct identifiers occur in a text, and the text with them replaced.

Pure functions on strings (no tables, no errors): the de-identification gate (`privacy.deid`),
the results audit (`privacy.audit`) and the masking of values in error messages
(`impleval.errors`) all use it. What is caught (see docs/privacy.md for the trade-offs):
- `fnr` / `dnr` / `hnr`: every 11-digit run, also written `DDMMYY NNNNN` or `DDMMYY-NNNNN`;
  `high` confidence when both control digits (either K1 rule) and the date are valid, otherwise
  `low` (reported for review: typos happen).
- `phone`: Norwegian 8-digit numbers starting 2-9, optional `+47`/`0047`, contiguous or grouped
  `12 34 56 78`, `123 45 678`, `1234 5678`. A bare 8-digit run that is also a calendar date
  (`YYYYMMDD`/`DDMMYYYY`) is a `low` hit rather than ignored; two years (`2023 2024`) are ignored.
- `email`: address-shaped text, also with `(at)`/`[at]` for `@`.
- `orgnr`: 9 digits (`123456789`, `123 456 789`, optional `NO` prefix / `MVA` suffix) with a valid
  mod-11 control digit; 9-digit runs failing it are not identifiers and are ignored.
- `name`: names from the study's list, case-insensitive, whole words, NFC-normalised, flexible
  whitespace between name parts, optional genitive `s`.

The scan is written by hand: Presidio/scrubadub-style libraries target English PII, lack the
Norwegian checksums and pull in large NLP models that this pipeline cannot ship.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from impleval.privacy.nin import classify_11_digits, orgnr_valid

KINDS = ("fnr", "dnr", "hnr", "phone", "email", "orgnr", "name")
PLACEHOLDERS = {kind: f"[{kind.upper()}]" for kind in KINDS}

# Priority when matches overlap: identity numbers first, names last.
_PRIORITY = {
    kind: i for i, kind in enumerate(("fnr", "dnr", "hnr", "email", "orgnr", "phone", "name"))
}

_NOT_AFTER_DIGIT = r"(?<!\d)(?<!\d[.,])"  # not inside a longer number or a decimal fraction
_NOT_BEFORE_DIGIT = r"(?!\d)"  # "31129956715.3" is still caught: no 11-digit decimals in text
_SEP = r"[ \u00a0-]"

_NIN_RE = re.compile(_NOT_AFTER_DIGIT + r"(\d{6}" + _SEP + r"?\d{5})" + _NOT_BEFORE_DIGIT)
_ORGNR_RE = re.compile(
    r"(?:\bNO[ \u00a0]?)?"
    + _NOT_AFTER_DIGIT
    + r"(\d{9}|\d{3}[ \u00a0]\d{3}[ \u00a0]\d{3})"
    + r"(?![.,]?\d|[ \u00a0]\d)(?:[ \u00a0]?MVA\b)?"
)
_PHONE_BODY = (
    r"[2-9]\d{7}"
    r"|[2-9]\d(?:[ \u00a0-]\d\d){3}"  # 12 34 56 78
    r"|[2-9]\d\d[ \u00a0-]\d\d[ \u00a0-]\d{3}"  # 123 45 678
    r"|[2-9]\d{3}[ \u00a0]\d{4}"  # 1234 5678 (not with a dash: year ranges like 2023-2024)
)
_PHONE_RE = re.compile(
    r"(?:(?<![\w+.,])(?:\+|00)47[ \u00a0-]?|" + _NOT_AFTER_DIGIT + r"(?<!\d[ \u00a0-]))"
    r"(" + _PHONE_BODY + r")"
    r"(?![.,]?\d|[ \u00a0-]\d)"
)
_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
_DATE8 = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_YEARS = re.compile(r"(?:19|20)\d\d[ \u00a0](?:19|20)\d\d")  # "2023 2024": two years, not a phone
_DATE8_DMY = re.compile(r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d")


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KINDS
    start: int  # offsets in the NFC-normalised text
    end: int
    confidence: str  # "high" or "low"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def compile_names(names: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive whole-word pattern for every listed name (longest first)."""
    cleaned = {" ".join(_nfc(str(n)).split()) for n in names}
    cleaned = sorted(
        (n for n in cleaned if n and not n.startswith("#")), key=lambda n: (-len(n), n)
    )
    if not cleaned:
        return None
    parts = [r"\s+".join(re.escape(word) for word in name.split(" ")) for name in cleaned]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:'?s)?(?!\w)", re.IGNORECASE)


def _raw_hits(text: str, names_re: re.Pattern | None) -> list[Hit]:
    hits: list[Hit] = []
    for m in _NIN_RE.finditer(text):
        kind, confidence = classify_11_digits(m.group(1))
        hits.append(Hit(kind, m.start(1), m.end(1), confidence))
    for m in _ORGNR_RE.finditer(text):
        if orgnr_valid(m.group(1)):
            hits.append(Hit("orgnr", m.start(), m.end(), "high"))
    for m in _PHONE_RE.finditer(text):
        body = m.group(1)
        if _YEARS.fullmatch(body):  # "2023 2024" in prose is two years far more often than a phone
            continue
        prefixed = m.start(1) > m.start()
        compact = re.sub(r"\D", "", body)
        looks_like_date = bool(_DATE8.fullmatch(compact) or _DATE8_DMY.fullmatch(compact))
        confidence = "low" if looks_like_date and not prefixed else "high"
        hits.append(Hit("phone", m.start(), m.end(), confidence))
    for m in _EMAIL_RE.finditer(text):
        hits.append(Hit("email", m.start(), m.end(), "high"))
    if names_re is not None:
        for m in names_re.finditer(text):
            hits.append(Hit("name", m.start(), m.end(), "high"))
    return hits


def _resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep non-overlapping hits: higher priority first, then the longer match."""
    ranked = sorted(
        hits, key=lambda h: (_PRIORITY[h.kind], h.confidence != "high", h.start - h.end)
    )
    kept: list[Hit] = []
    for hit in ranked:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def scan_text(
    text: str, names: Iterable[str] = (), *, _names_re: re.Pattern | None = None
) -> list[Hit]:
    """Identifiers in `text`, in order of position. Offsets refer to the NFC-normalised text
    (identical to `text` for ordinary input)."""
    if text is None:
        return []
    names_re = _names_re if _names_re is not None else compile_names(names)
    return _resolve_overlaps(_raw_hits(_nfc(str(text)), names_re))


def redact_text(text: str, hits: Sequence[Hit]) -> str:
    """`text` (NFC) with every hit replaced by its typed placeholder, e.g. `[FNR]`."""
    out = _nfc(str(text))
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        out = out[: hit.start] + PLACEHOLDERS[hit.kind] + out[hit.end :]
    return out
