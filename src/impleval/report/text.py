"""The report's phrase book: every generated sentence template, in each report language.

Templates live in `report/phrases/*.yml` (one file per section; each key holds both languages
side by side, so a translator sees both); the section modules decide *which* template a result
calls for and fill it.
Placeholders are `str.format` fields. A missing key or language is a programming error and
fails the render, never prints an empty sentence.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterable, Mapping
from pathlib import Path

from impleval.config import safe_load

LANGUAGES = ("nb", "en")
AND = {"nb": "og", "en": "and"}
NONE = {"nb": "ingen", "en": "none"}


class PhraseError(KeyError):
    """A phrase key or language the phrase book does not have, or a placeholder left unfilled."""

    def __str__(self) -> str:
        return self.args[0]


class Phrases:
    """Templates of one language: `phrases("survey.n_analysed", n=600)`."""

    def __init__(self, book: Mapping[str, Mapping[str, str]], language: str):
        if language not in LANGUAGES:
            raise PhraseError(f"report language must be one of {LANGUAGES}, not {language!r}")
        self.book = book
        self.language = language

    def template(self, key: str) -> str:
        entry = self.book.get(key)
        if entry is None:
            raise PhraseError(f"phrase {key!r} is not in report/phrases/")
        if self.language not in entry:
            raise PhraseError(f"phrase {key!r} has no {self.language!r} text")
        return entry[self.language]

    def __call__(self, key: str, /, **fields) -> str:
        template = self.template(key)
        wanted = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        missing = wanted - set(fields)
        if missing:
            raise PhraseError(f"phrase {key!r} needs {sorted(missing)}")
        return template.format(**fields)

    def has(self, key: str) -> bool:
        return self.language in self.book.get(key, {})


def load_phrases(folder: str | os.PathLike, language: str) -> Phrases:
    """Every `*.yml` in `folder`, merged; a key defined twice is an error."""
    book: dict = {}
    for path in sorted(Path(folder).glob("*.yml")):
        for key, entry in (safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if not isinstance(entry, Mapping) or set(entry) - set(LANGUAGES):
                raise PhraseError(f"{path}: phrase {key!r} must map {LANGUAGES} to text")
            if key in book:
                raise PhraseError(f"{path}: phrase {key!r} is defined twice")
            book[key] = entry
    return Phrases(book, language)


def join(items: Iterable[str], language: str, *, empty: str | None = None) -> str:
    """'a', 'a og b', 'a, b og c' (no Oxford comma in either language, as the report's style)."""
    items = [str(i) for i in items]
    if not items:
        return NONE[language] if empty is None else empty
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {AND[language]} {items[-1]}"


def pick(label, language: str, fallback: str = "") -> str:
    """A label given as text or as `{nb: …, en: …}`, in the report language (then bokmål)."""
    if isinstance(label, Mapping):
        return str(label.get(language) or label.get("nb") or label.get("en") or fallback)
    if label is None:
        return fallback
    return str(label)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
