"""YAML text with comments, written line by line (PyYAML drops comments and ruamel is not a
dependency: the draft's guesses and decisions are marked by comments, so the text is made here).
Each value is dumped by PyYAML in flow style, so quoting and escaping stay PyYAML's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

GUESS = "GUESS"
DECISION = "DECISION"


def flow(value) -> str:
    """One value as a single line of YAML (flow style for lists and mappings)."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1_000_000
    )
    return text.removesuffix("\n").removesuffix("\n...").strip()


def slug(text: str) -> str:
    """An id from a label: lower case ASCII letters, digits and underscores."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ü": "u", "ö": "o", "ä": "a"})
    out = re.sub(r"[^a-z0-9]+", "_", str(text).lower().translate(table)).strip("_")
    return out or "x"


@dataclass
class Decision:
    """A choice only the researcher can make: which file and key, what to decide, the guess."""

    file: str
    key: str
    what: str
    guess: str


@dataclass
class Doc:
    """A YAML document built line by line; `decisions` collects the marked choices."""

    name: str
    lines: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def comment(self, text: str, indent: int = 0) -> None:
        for line in text.splitlines() or [""]:
            self.lines.append(" " * indent + ("# " + line).rstrip())

    def blank(self) -> None:
        self.lines.append("")

    def key(
        self,
        key,
        value=None,
        *,
        indent: int = 0,
        note: str = "",
        block: bool = False,
        dash: bool = False,
    ):
        """`key: value  # note`; `block=True` opens a block (`key:`) for nested lines;
        `dash=True` starts a list entry (`- key: value`, its further keys at indent + 2)."""
        head = " " * indent + ("- " if dash else "") + f"{flow(key)}:"
        if not block:
            head += f" {flow(value)}"
        self.lines.append(head + (f"  # {note}" if note else ""))

    def item(self, value, *, indent: int = 0, note: str = "") -> None:
        """`- value  # note` (a list entry in block style)."""
        self.lines.append(" " * indent + f"- {flow(value)}" + (f"  # {note}" if note else ""))

    def guess(self, why: str) -> str:
        return f"{GUESS}: {why}"

    def decide(self, key: str, what: str, guess: str) -> str:
        """Record a decision and return the comment that marks it in the file."""
        self.decisions.append(Decision(self.name, key, what, guess))
        return f"{DECISION}: {what} (draft: {guess})"

    def decide_later(self, key: str, what: str, guess: str, hint: str) -> None:
        """A decision about a key the draft leaves out: a comment line, and the record."""
        self.comment(f"{self.decide(key, what, guess)}. {hint}")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"
