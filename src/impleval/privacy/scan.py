"""Identifier scanner: where direct identifiers occur in a text, and the text with them replaced.

Pure functions on strings (no tables, no errors): the de-identification gate (`privacy.deid`),
the quote gate, the results audit (`privacy.audit`), the path check (`privacy.paths`) and the
masking of error and log messages (`mask`, used by `impleval.errors` and `impleval.runner`) all
use it. See docs/privacy.md for what is caught and what is not.

How a text is scanned:
1. Separators are normalised first (`normalise`): every run of whitespace (line breaks, tabs,
   NBSP, thin and narrow spaces) becomes one space, dash and slash look-alikes become `-` and
   `/`, invisible characters (zero-width spaces and joiners, soft hyphens, BOM) are dropped and
   non-ASCII digits become ASCII digits. A map from each normalised character back to its span in
   the original (NFC) text is kept, so hits are reported and redacted on the ORIGINAL text: an
   identifier broken by a line break is replaced as a whole, line break included.
2. Numbers are read as runs of digit groups joined by a separator (a space, or one of `.` `-`
   `/` with optional spaces around it). Every window of consecutive groups with the right number
   of digits is a candidate:
   - `fnr` / `dnr` / `hnr` (11 digits): written as one run, `DDMMYY NNNNN`, `DDMMYY NNN NN`,
     `DD.MM.YY NNNNN`, `DD.MM.YY NNN NN` (any separator at those places): `high` confidence when
     both control digits (either K1 rule) and the date are valid, otherwise `low` (typos happen).
     In any other grouping (`3 1 1 2 9 9 …`, a break in the middle of a group) only a number with
     valid control digits and date counts.
   - `phone` (8 digits, optional `+47`/`0047`/`(+47)` before it): `41234567`, `41 23 45 67`,
     `412 34 567`, `4123 4567`. `high` when it starts with 2-9 and is a whole run; `low` when it
     starts with 0/1 (grouped forms only), is part of a longer run of groups, or (unprefixed) is
     also a calendar date (`YYYYMMDD`/`DDMMYYYY`). Two years (`2023 2024`) and clock-time ranges
     (`20.00-22.30`) are not hits.
   - `orgnr` (9 digits, `123456789` or `123 456 789`, optional `NO` prefix / `MVA` suffix) with a
     valid mod-11 control digit; 9-digit runs failing it are not identifiers and are ignored.
3. `email`: address-shaped text, also obfuscated: `(at)` `[at]` `{at}` `<at>` `(a)` `(snabel-a)`
   `krøllalfa` for `@`, `(dot)` `[dot]` `{dot}` `(punktum)` for `.`, spaces around them, and a
   spaced ` at ` / ` dot ` when the address part holds `.`, `_`, `-` or a digit.
4. `name`: names from the study's list, case-insensitive, whole words, any whitespace (a line
   break too) between name parts, optional genitive `s`.

The scan is written by hand: Presidio/scrubadub-style libraries target English PII, lack the
Norwegian checksums and pull in large NLP models that this pipeline cannot ship.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from impleval.privacy.nin import classify_11_digits, orgnr_valid

KINDS = ("fnr", "dnr", "hnr", "phone", "email", "orgnr", "name")
PLACEHOLDERS = {kind: f"[{kind.upper()}]" for kind in KINDS}

# Priority when matches overlap: identity numbers first, names last.
_PRIORITY = {
    kind: i for i, kind in enumerate(("fnr", "dnr", "hnr", "email", "orgnr", "phone", "name"))
}

# --- 1. separator normalisation ----------------------------------------------------------------

_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SLASHES = "\u2044\u2215\uff0f"
_DOTS = "\u2024\uff0e"
_TRANSLATE = {
    **{ord(c): "-" for c in _DASHES},
    **{ord(c): "/" for c in _SLASHES},
    **{ord(c): "." for c in _DOTS},
}
# Anything that makes the normalised text differ from the NFC text.
_SPECIAL = re.compile(
    r"\s+" + "|[" + re.escape(_INVISIBLE + _DASHES + _SLASHES + _DOTS) + "]+" + r"|(?![0-9])\d+"
)


@dataclass(frozen=True)
class Normalised:
    """Normalised text with, per character, its span [start, end) in the original text."""

    text: str
    starts: tuple[int, ...] | None  # None: identical to the original (nothing normalised)
    ends: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the normalised span [start, end)."""
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalise(text: str) -> Normalised:
    """`text` (already NFC) with separators normalised; see the module docstring."""
    if not _SPECIAL.search(text) or all(
        m.group() == " " for m in _SPECIAL.finditer(text)
    ):  # plain text with single spaces: nothing to map
        return Normalised(text, None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _SPECIAL.finditer(text):
        a, b = m.span()
        out.append(text[pos:a])
        starts.extend(range(pos, a))
        ends.extend(range(pos + 1, a + 1))
        piece = m.group()
        if piece[0].isspace():
            out.append(" ")
            starts.append(a)
            ends.append(b)
        elif piece[0] in _INVISIBLE or piece[0] in _DASHES + _SLASHES + _DOTS:
            for i, ch in enumerate(piece):
                if ch in _INVISIBLE:
                    continue
                out.append(ch.translate(_TRANSLATE))
                starts.append(a + i)
                ends.append(a + i + 1)
        else:  # non-ASCII digits
            out.append("".join(str(unicodedata.decimal(ch, 0)) for ch in piece))
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        pos = b
    out.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return Normalised("".join(out), tuple(starts), tuple(ends))


# --- 2. numbers --------------------------------------------------------------------------------

_SEP = r"(?: ?[./-] ?| )"
_RUN = re.compile(r"\d+(?:" + _SEP + r"\d+)*")
_GROUP = re.compile(r"\d+")

# Separator positions (digits before each separator) of the usual ways to write each number.
_NIN_SHAPES = {(), (6,), (6, 9), (2, 4, 6), (2, 4, 6, 9)}
_PHONE_SHAPES = {(), (2, 4, 6), (3, 5), (4,)}
_ORGNR_SHAPES = {(), (3, 6)}

_DATE8 = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_DATE8_DMY = re.compile(r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CLOCK = re.compile(r"(?:[01]\d|2[0-4])\.[0-5]\d")
_PHONE_PREFIX = re.compile(r"(?:\(\+47\)|\+47|\+ 47|\(0047\)|0047|00 47) ?$")


@dataclass(frozen=True)
class _Group:
    start: int  # offsets in the normalised text
    end: int
    digits: str


def _shape(groups: Sequence[_Group]) -> tuple[int, ...]:
    """Separator positions (number of digits before each separator) of consecutive groups."""
    out, n = [], 0
    for g in groups[:-1]:
        n += len(g.digits)
        out.append(n)
    return tuple(out)


def _number_hits(norm: str) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, confidence) of identity, phone and organisation numbers in `norm`."""
    hits = []
    for run in _RUN.finditer(norm):
        groups = [_Group(m.start(), m.end(), m.group()) for m in _GROUP.finditer(run.group())]
        groups = [_Group(run.start() + g.start, run.start() + g.end, g.digits) for g in groups]
        # A number glued to a decimal comma ("0,12345678") is a fraction, not an identifier.
        glued_before = (
            run.start() >= 2 and norm[run.start() - 1] == "," and norm[run.start() - 2].isdigit()
        )
        glued_after = (
            run.end() + 1 < len(norm) and norm[run.end()] == "," and norm[run.end() + 1].isdigit()
        )
        # "3.41234567", "41234567.5": a tight dot makes the digits after it a decimal fraction;
        # one followed by more than five digits ("0.3076923077") ends the number there.
        tight = [norm[a.end : b.start] == "." for a, b in zip(groups, groups[1:], strict=False)]
        for i in range(len(groups)):
            if (i == 0 and glued_before) or (i > 0 and tight[i - 1]):
                continue
            total = 0
            for j in range(i, len(groups)):
                if j > i and tight[j - 1] and len(groups[j].digits) > 5:
                    break
                total += len(groups[j].digits)
                if total > 11:
                    break
                window = groups[i : j + 1]
                if (j == len(groups) - 1 and glued_after) or (j < len(groups) - 1 and tight[j]):
                    # Digits before a decimal mark are an integer part, except an identity
                    # number whose date and control digits hold ("01010000110.3"): privacy first.
                    if total == 11:
                        hits += [h for h in _nin_hit(window, any(tight[i:j])) if h[3] == "high"]
                    continue
                # " / " and " - " set numbers apart ("41234567 / 22334455", a YAML list "- 41"):
                # an identity number is read across them (its control digits vouch for it), a
                # phone number only as a low-confidence hit, an organisation number not at all.
                apart = any(
                    _strong_gap(norm, a, b) for a, b in zip(window, window[1:], strict=False)
                )
                if total == 11:
                    hits += _nin_hit(window, any(tight[i:j]))
                elif total == 9 and not apart:
                    hits += _orgnr_hit(norm, window)
                elif total == 8:
                    found = _phone_hit(norm, groups, i, j)
                    hits += [(k, a, b, "low") for k, a, b, _ in found] if apart else found
        hits += _glued_prefix_phone(norm, groups)
    return hits


def _nin_hit(window: Sequence[_Group], has_tight_dot: bool) -> list[tuple[str, int, int, str]]:
    digits = "".join(g.digits for g in window)
    kind, confidence = classify_11_digits(digits)
    if _shape(window) not in _NIN_SHAPES and (confidence != "high" or has_tight_dot):
        # An unusual grouping counts only with valid control digits and date, and not across a
        # tight dot (decimals: "1.2345678901").
        return []
    return [(kind, window[0].start, window[-1].end, confidence)]


def _orgnr_hit(norm: str, window: Sequence[_Group]) -> list[tuple[str, int, int, str]]:
    digits = "".join(g.digits for g in window)
    if _shape(window) not in _ORGNR_SHAPES or not orgnr_valid(digits):
        return []
    start, end = window[0].start, window[-1].end
    prefix = re.search(r"\bNO ?$", norm[max(0, start - 3) : start])
    if prefix:
        start -= len(prefix.group())
    suffix = re.match(r" ?MVA\b", norm[end : end + 4])
    if suffix:
        end += len(suffix.group())
    return [("orgnr", start, end, "high")]


def _is_clock_range(norm: str, window: Sequence[_Group]) -> bool:
    """`20.00-22.30`: two clock times, not a phone number."""
    text = norm[window[0].start : window[-1].end]
    m = re.fullmatch(r"(\d\d\.\d\d) ?[-/] ?(\d\d\.\d\d)", text)
    return bool(m and _CLOCK.fullmatch(m.group(1)) and _CLOCK.fullmatch(m.group(2)))


def _strong_gap(norm: str, left: _Group, right: _Group) -> bool:
    """True when the separator between two groups sets them apart (`41234567 / 22334455`,
    `… - …`: spaced) rather than joining digit groups of one number (`41 23`, `41.23`,
    `41/23`)."""
    gap = norm[left.end : right.start]
    return gap in (" / ", " - ", "/ ", " /")


def _phone_hit(
    norm: str, groups: Sequence[_Group], i: int, j: int
) -> list[tuple[str, int, int, str]]:
    window = groups[i : j + 1]
    shape = _shape(window)
    if shape not in _PHONE_SHAPES:
        return []
    digits = "".join(g.digits for g in window)
    start, end = window[0].start, window[-1].end
    if shape == (4,) and _YEAR.fullmatch(window[0].digits) and _YEAR.fullmatch(window[1].digits):
        return []  # "2023 2024", "2023-2024": two years far more often than a phone
    if shape == (2, 4, 6) and _is_clock_range(norm, window):
        return []
    # The country code before it: "+47 412 34 567", "0047 41234567", "00 47 41234567".
    n_prefix = 0
    if i >= 1 and groups[i - 1].digits == "0047":
        n_prefix = 1
    elif i >= 1 and groups[i - 1].digits == "47":
        if i >= 2 and groups[i - 2].digits == "00":
            n_prefix = 2
        elif groups[i - 1].start > 0 and norm[groups[i - 1].start - 1] == "+":
            n_prefix = 1
    prefixed = n_prefix > 0
    if prefixed:
        start = groups[i - n_prefix].start
        if norm[max(0, start - 2) : start] == "(+":
            start -= 2
        elif norm[max(0, start - 1) : start] == "+":
            start -= 1
    # A whole number: nothing else in the run, or set apart from its neighbours.
    first = i - n_prefix
    isolated_left = first == 0 or _strong_gap(norm, groups[first - 1], groups[first])
    isolated_right = j == len(groups) - 1 or _strong_gap(norm, groups[j], groups[j + 1])
    whole = (isolated_left and isolated_right) or (len(window) == 1 and not prefixed)
    if digits[0] in "01":
        if not shape or prefixed:
            return []  # "12345678": an id or a count, not a Norwegian phone number
        confidence = "low"
    elif not whole:
        confidence = "low"  # part of a longer run of numbers
    elif not prefixed and (_DATE8.fullmatch(digits) or _DATE8_DMY.fullmatch(digits)):
        confidence = "low"
    else:
        confidence = "high"
    return [("phone", start, end, confidence)]


def _glued_prefix_phone(norm: str, groups: Sequence[_Group]) -> list[tuple[str, int, int, str]]:
    """`+4741234567` and `004741234567`: the country code glued to the number."""
    hits = []
    for g in groups:
        d = g.digits
        plus = g.start > 0 and norm[g.start - 1] == "+"
        if re.search(r"\d[.,]$", norm[max(0, g.start - 2) : g.start]):
            continue  # a decimal fraction ("0.004746756748")
        if (len(d) == 10 and d.startswith("47") and plus) or (
            len(d) == 12 and d.startswith("0047")
        ):
            if d[-8] in "23456789":
                hits.append(("phone", g.start - plus, g.end, "high"))
    return hits


# --- 3. e-mail ---------------------------------------------------------------------------------

_AT_MARK = (
    r"(?:\s?(?:@|\(at\)|\[at\]|\{at\}|<at>|\(a\)|\(snabel-a\)|\(krøllalfa\)|\(alfakrøll\))\s?"
    r"|\s(?:krøllalfa|alfakrøll)\s)"
)
_AT_WORD = r"\s(?:at|AT)\s"
_DOT_MARK = r"(?:\.|\s?(?:\(dot\)|\[dot\]|\{dot\}|\(punktum\)|\[punktum\])\s?)"
_DOT_WORD = r"(?:\s(?:dot|DOT|punktum)\s)"
_LOCAL = r"[\w%+-]+(?:(?:" + _DOT_MARK + "|" + _DOT_WORD + r")[\w%+-]+)*"
_DOMAIN = r"[\w-]+(?:(?:" + _DOT_MARK + "|" + _DOT_WORD + r")[\w-]+)*"
_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])(" + _LOCAL + r")(" + _AT_MARK + "|" + _AT_WORD + r")(" + _DOMAIN + r")",
    re.IGNORECASE,
)
_TLD = re.compile(r"(?:" + _DOT_MARK + "|" + _DOT_WORD + r")([A-Za-z]{2,})$", re.IGNORECASE)


def _email_hits(norm: str) -> list[tuple[str, int, int, str]]:
    hits = []
    for m in _EMAIL_RE.finditer(norm):
        local, at, domain = m.group(1), m.group(2), m.group(3)
        tld = _TLD.search(domain)
        if not tld:
            continue
        if re.fullmatch(_AT_WORD, at) or re.search(_DOT_WORD, local + domain, re.IGNORECASE):
            # Spelled out ("kari.nordmann at sykehuset dot no"): "at" is also a Norwegian word,
            # so the address part must look like one.
            if not re.search(r"[._\d-]|" + _DOT_WORD, local, re.IGNORECASE) and not re.search(
                _DOT_WORD, domain, re.IGNORECASE
            ):
                continue
        hits.append(("email", m.start(), m.start(3) + tld.end(), "high"))
    return hits


# --- 4. names ----------------------------------------------------------------------------------


def compile_names(names: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive whole-word pattern for every listed name (longest first)."""
    cleaned = {" ".join(normalise(_nfc(str(n))).text.split()) for n in names}
    cleaned = sorted(
        (n for n in cleaned if n and not n.startswith("#")), key=lambda n: (-len(n), n)
    )
    if not cleaned:
        return None
    parts = [r"\s+".join(re.escape(word) for word in name.split(" ")) for name in cleaned]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:'?s)?(?!\w)", re.IGNORECASE)


def read_names(path) -> list[str]:
    """Names file: one name per line, `#` comments and blank lines ignored (UTF-8, BOM allowed)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


# --- the scan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KINDS
    start: int  # offsets in the NFC-normalised text
    end: int
    confidence: str  # "high" or "low"


def _resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep non-overlapping hits: higher priority first, then high confidence, then longer."""
    ranked = sorted(
        hits, key=lambda h: (_PRIORITY[h.kind], h.confidence != "high", h.start - h.end, h.start)
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
    (identical to `text` for ordinary input); see the module docstring for what is caught."""
    if text is None:
        return []
    original = _nfc(str(text))
    norm = normalise(original)
    names_re = _names_re if _names_re is not None else compile_names(names)
    found = _number_hits(norm.text) + _email_hits(norm.text)
    if names_re is not None:
        found += [("name", m.start(), m.end(), "high") for m in names_re.finditer(norm.text)]
    hits = []
    for kind, start, end, confidence in found:
        a, b = norm.span(start, end)
        hits.append(Hit(kind, a, b, confidence))
    return _resolve_overlaps(hits)


def redact_text(text: str, hits: Sequence[Hit]) -> str:
    """`text` (NFC) with every hit replaced by its typed placeholder, e.g. `[FNR]`."""
    out = _nfc(str(text))
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        out = out[: hit.start] + PLACEHOLDERS[hit.kind] + out[hit.end :]
    return out


# --- message masking ---------------------------------------------------------------------------

_names_registry: dict[str, re.Pattern | None] = {"re": None}

# A column whose values are ids (submission id, respondent id): an 8-digit value there is the id
# the user must find in the export, not a phone number. A phone/e-mail word wins over "id".
_ID_COLUMN = re.compile(
    r"(?:^|[^a-zæøå])(?:id|ids|identifier|submission|respondent|response|svar)(?:[^a-zæøå]|$)",
    re.IGNORECASE,
)
_CONTACT_COLUMN = re.compile(r"tlf|telefon|phone|mobil|e-?post|e-?mail|fnr|fødsel|person", re.I)


def set_names(names: Iterable[str]) -> None:
    """Register the study's names list for `mask` (process-wide; the runner sets it from the
    rule's names file before a step reads any input)."""
    _names_registry["re"] = compile_names(names)


def registered_names() -> re.Pattern | None:
    return _names_registry["re"]


def is_id_column(column: str | None) -> bool:
    """True for a column that holds ids, e.g. `$submission_id`, `respondent_id`, `Svar-ID`."""
    if not column:
        return False
    column = str(column)
    return bool(_ID_COLUMN.search(column)) and not _CONTACT_COLUMN.search(column)


def mask(text, *, column: str | None = None) -> str:
    """`text` with every identifier (scanner and the registered names) replaced by its
    placeholder, for error and log messages. In an id column (`is_id_column`), a bare 8-digit
    value stays readable: it is the id the user must look up, not a phone number."""
    text = _nfc(str(text))
    hits = scan_text(text, _names_re=registered_names())
    if is_id_column(column):
        hits = [
            h
            for h in hits
            if not (h.kind == "phone" and re.fullmatch(r"\d{8}", text[h.start : h.end]))
        ]
    return redact_text(text, hits)


def mask_file_name(name) -> str:
    """A file name masked like `mask`, reading `_` and `+` as spaces (file names rarely hold
    spaces: `kari_nordmann_311299_56715.csv`). Same length, so offsets carry over."""
    name = _nfc(str(name))
    spaced = name.replace("_", " ").replace("+", " ")
    return redact_text(name, scan_text(spaced, _names_re=registered_names()))
