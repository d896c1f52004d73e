"""Draft the interview definitions (interviews.yaml, interviews-analysis.yaml) from a MAXQDA
export: the code system (a theme per top-level code), the document variables mapped to stage,
region, trust and role by their names or values, the stages and roles their values name, and the
primary coder (the one with the most segments)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from impleval.draft.text import Doc, slug
from impleval.interviews.io.maxqda import read_segments
from impleval.tabular import read_table

KEYS = ("Document group", "Document name")
ATTRIBUTE_WORDS = {
    "stage": re.compile(r"fase|stage|phase|tidspunkt|runde|wave", re.I),
    "region": re.compile(r"region|rhf", re.I),
    "trust": re.compile(r"foretak|\bhf\b|trust|sykehus|hospital|arbeidssted", re.I),
    "role": re.compile(r"rolle|role|stilling|position|yrke|profesjon", re.I),
}
ID_LIKE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass
class InterviewDraft:
    code_paths: list[str]
    coders: Counter
    columns: dict[str, str | None]  # attribute → document variable
    values: dict[str, list[str]]  # attribute → values in order of first appearance
    pairs: list[tuple[str, str]]  # (region value, trust value) of each interview
    extra_columns: list[str]


def entry_id(value: str) -> str:
    """An exported value as an id: itself when it already is one, else a slug of it."""
    value = str(value).strip()
    return value if ID_LIKE.fullmatch(value) else slug(value)


def read_interviews(segments: str, variables: str) -> InterviewDraft:
    seg = read_segments(segments)
    paths = list(dict.fromkeys(str(p).strip() for p in seg["code_path"]))
    coders = Counter(str(c) for c in seg["coder"] if str(c).strip())
    table = read_table(variables).data
    candidates = [c for c in table.columns if c not in KEYS]
    columns: dict[str, str | None] = {}
    for attr, words in ATTRIBUTE_WORDS.items():
        hit = next((c for c in candidates if words.search(c) and c not in columns.values()), None)
        columns[attr] = hit
    values = {
        attr: list(dict.fromkeys(str(v).strip() for v in table[col] if str(v).strip()))
        for attr, col in columns.items()
        if col
    }
    pairs = []
    if columns["region"] and columns["trust"]:
        pairs = list(
            dict.fromkeys(
                (str(r).strip(), str(t).strip())
                for r, t in zip(table[columns["region"]], table[columns["trust"]], strict=True)
            )
        )
    extra = [c for c in candidates if c not in columns.values()]
    return InterviewDraft(paths, coders, columns, values, pairs, extra)


def write_interviews(d: InterviewDraft, file: str = "interviews.yaml") -> Doc:
    doc = Doc(file)
    doc.comment(
        "Interview definition drafted by `impleval init` from the QDA export.\n"
        "GUESS marks what the draft inferred; DECISION what only you can decide (DECISIONS.md)."
    )
    stages = d.values.get("stage") or ["stage_1"]
    doc.key(
        "stages",
        block=True,
        note=doc.decide(
            "stages",
            "the stages and their order",
            "the stage variable's values in order of first appearance",
        ),
    )
    for value in stages:
        doc.item({"id": entry_id(value), "label": {"nb": value}}, indent=2)
    doc.blank()
    doc.comment("Which document variable holds each interview attribute.")
    doc.key("document_variables", block=True)
    for attr, col in d.columns.items():
        doc.key(
            attr,
            col or attr,
            indent=2,
            note=doc.guess("by its name")
            if col
            else doc.decide(
                f"document_variables.{attr}",
                f"which document variable holds the {attr}",
                "none found",
            ),
        )
    doc.key("match_labels", True, note="an exported label matches its id")
    doc.key("value_maps", {})
    if d.extra_columns:
        doc.key(
            "allowed_document_variables",
            d.extra_columns,
            note=doc.decide(
                "allowed_document_variables",
                "whether these further variables are free of personal data",
                "allowed",
            ),
        )
    doc.blank()
    doc.key(
        "roles",
        block=True,
        note=doc.decide(
            "roles",
            "the roles and their order (tables list them, and suppress small cells, in it)",
            "the role variable's values in order of first appearance",
        ),
    )
    for value in d.values.get("role") or ["role"]:
        doc.item({"id": entry_id(value), "label": {"nb": value}}, indent=2)
    doc.blank()
    doc.key("unmapped_codes", "error")
    doc.key(
        "themes",
        block=True,
        note=doc.decide(
            "themes, theme_labels", "which codes form which theme", "one theme per top-level code"
        ),
    )
    tops: dict[str, str] = {}
    for path in d.code_paths:
        top = path.split(" > ")[0].strip()
        tops.setdefault(slug(top), top)
        doc.key(path, slug(top), indent=2)
    doc.key("theme_labels", block=True)
    for theme, label in tops.items():
        doc.key(theme, {"nb": label}, indent=2)
    doc.blank()
    doc.decide_later(
        "stakeholders, stakeholder_labels",
        "whether codes form a stakeholder block",
        "no block",
        "Add `stakeholders:` (code path → {stakeholder, kind: benefit | challenge}).",
    )
    return doc


def write_analysis(d: InterviewDraft, file: str = "interviews-analysis.yaml") -> Doc:
    doc = Doc(file)
    doc.comment(
        "Interview analysis drafted by `impleval init`: the schema's defaults (agreement targets,\n"
        "trend tests, quotes) apply to every key left out."
    )
    doc.comment(
        "Coders are numbered by how many interviews each coded (coder_1 coded the most); the\n"
        "export's user names never reach the results."
    )
    doc.key(
        "primary_coder",
        "coder_1",
        note=doc.decide(
            "primary_coder",
            "whose coding counts where two coded an interview",
            f"coder_1 (of {len(d.coders)} coders)",
        ),
    )
    doc.decide_later(
        "prevalence, stage_tests, cooccurrence, agreement, trajectories, quotes",
        "the interview analysis: breakdowns, tests, agreement targets, quote rules",
        "the schema's defaults",
        "Add the keys to change them (docs/data/interviews.md).",
    )
    return doc
