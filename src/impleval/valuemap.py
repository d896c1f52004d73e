"""Exported values → study ids: the value maps of the importers (interview document variables,
monitoring sites and milestone kinds).

An export holds what the researcher typed: an id (`r1`), a label (`Første region`) or a variant of
one (`første  region`, a decomposed ø). A `ValueMap` resolves one attribute's values, in order:

1. the study's explicit map (`value_maps.<attribute>` in the study definition: exported value → id);
2. the id itself;
3. with `match_labels` (the default), any label of the id in the study definitions, in every
   language.

Values are compared in a normal form: NFC, case-folded, runs of whitespace as one space, ends
stripped. A normal form that names two different ids (the id of one and a label of another, or two
equal labels) is ambiguous: it resolves to nothing unless the explicit map settles it, and the
importer stops naming the value and both ids. Nothing is guessed beyond that (no fuzzy matching).

Written by hand: the matching is a dictionary lookup on a normal form; no library adds anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from impleval.errors import ProblemCollector

_SPACE = re.compile(r"\s+")
MAX_LISTED = 12  # ids listed in a message; longer lists end with "…"


def normal_form(value) -> str:
    """NFC, case-folded, inner whitespace collapsed (NBSP and line breaks included), stripped."""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACE.sub(" ", text).strip().casefold()


def label_texts(label) -> list[str]:
    """Every text of a label entry: a string, or a mapping language → string (bokmål first: the
    text messages show)."""
    if label is None:
        return []
    if isinstance(label, Mapping):
        ordered = [label["nb"]] if "nb" in label else []
        ordered += [v for k, v in label.items() if k != "nb"]
        return [str(v) for v in ordered if v is not None and str(v).strip()]
    return [str(label)] if str(label).strip() else []


@dataclass
class ValueMap:
    """One attribute's exported value → id lookup (see the module docstring)."""

    attribute: str
    ids: list[str]
    names: dict[str, str] = field(default_factory=dict)  # id → a label shown in messages
    table: dict[str, str] = field(default_factory=dict)  # normal form → id
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # normal form → ids
    where: str = ""  # where the explicit map lives, e.g. "`value_maps.region` in interviews.yaml"

    @classmethod
    def build(
        cls,
        attribute: str,
        entries: Mapping[str, Iterable[str]],
        explicit: Mapping | None = None,
        *,
        match_labels: bool = True,
        config_file: str = "",
        config_key: str = "",
    ) -> ValueMap:
        """A map for `attribute` with `entries` id → its labels (every language).

        `explicit` is the study's map (exported value → id). An explicit target that is not one of
        the ids, or two explicit keys with the same normal form and different ids, is a problem in
        the study definition (`config_file`, key `config_key`): InputError."""
        ids = [str(i) for i in entries]
        labels = {str(i): list(texts) for i, texts in entries.items()}
        candidates: dict[str, set[str]] = {}
        for id_ in ids:
            candidates.setdefault(normal_form(id_), set()).add(id_)
            if match_labels:
                for text in labels[id_]:
                    candidates.setdefault(normal_form(text), set()).add(id_)
        table = {key: next(iter(v)) for key, v in candidates.items() if len(v) == 1}
        ambiguous = {key: sorted(v) for key, v in candidates.items() if len(v) > 1}
        problems = ProblemCollector()
        chosen: dict[str, str] = {}
        for raw, value in (explicit or {}).items():
            key, target = normal_form(raw), str(value)
            column = f"{config_key}/{raw}" if config_key else str(raw)
            if target not in ids:
                problems.add(
                    config_file,
                    f"a {attribute} id as the target of the value map ({_listing(ids, {})})",
                    column=column,
                    value=target,
                )
            elif key in chosen and chosen[key] != target:
                problems.add(
                    config_file,
                    f"one id per exported value (the map already sends {raw!r} to "
                    f"'{chosen[key]}'; values are compared ignoring case and spacing)",
                    column=column,
                    value=target,
                )
            else:
                chosen[key] = target
        problems.raise_if_any()
        for key, target in chosen.items():
            table[key] = target
            ambiguous.pop(key, None)
        names = {i: (labels[i][0] if labels[i] else i) for i in ids}
        where = f"`{config_key}` in {_name(config_file)}" if config_key else _name(config_file)
        return cls(attribute, ids, names, table, ambiguous, where)

    def resolve(self, value) -> str | None:
        """The id `value` names, or None (unknown or ambiguous)."""
        return self.table.get(normal_form(value))

    def expected(self, value) -> str:
        """What a value of this attribute must be, for the message about `value`."""
        key = normal_form(value)
        fix = f"; or map the exported value to an id under {self.where}" if self.where else ""
        if key in self.ambiguous:
            both = " and ".join(f"'{i}'" for i in self.ambiguous[key])
            return f"a {self.attribute} that names one id (this value matches {both}){fix}"
        return f"a {self.attribute} id or label, one of: {_listing(self.ids, self.names)}{fix}"

    def check(self, value, problems: ProblemCollector, file, row=None, column=None) -> str | None:
        """`resolve(value)`, adding a problem (file, row, column, value, expected) when it fails."""
        found = self.resolve(value)
        if found is None:
            problems.add(file, self.expected(value), row, column, str(value))
        return found


def _listing(ids: list[str], names: Mapping[str, str]) -> str:
    shown = [f"{i} ({names[i]})" if names.get(i, i) != i else i for i in ids[:MAX_LISTED]]
    return ", ".join(shown) + (", …" if len(ids) > MAX_LISTED else "")


def _name(path: str) -> str:
    return Path(path).name if path else ""
