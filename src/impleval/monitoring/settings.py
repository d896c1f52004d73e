"""The monitoring study definition (monitoring.yaml), checked as a whole, and lookups on it and on
the organisation's sites.

The schema checks each key; `load_definition` also checks what one key says about another (the
go-live kind is one of the kinds, the primary outcome and every small-cell count are outcomes,
every named column is allowed), so a study definition is complete or refused before any data is
read.
"""

from __future__ import annotations

import os

from impleval.config import load_validated
from impleval.errors import ProblemCollector


def load_definition(path: str | os.PathLike, schema: str | os.PathLike) -> dict:
    """The monitoring study definition, validated against its JSON schema (defaults filled in) and
    for consistency between its keys; InputError lists every problem, naming the file and key."""
    definition = load_validated(path, schema)
    problems = ProblemCollector()
    file = str(path)
    outcomes = definition["outcomes"]
    kinds = definition["milestones"]["kinds"]
    if definition["milestones"]["go_live"] not in kinds:
        problems.add(
            file,
            f"the go-live milestone as one of milestones.kinds ({', '.join(kinds)})",
            column="milestones/go_live",
            value=definition["milestones"]["go_live"],
        )
    primary = definition.get("primary_outcome")
    if primary is not None and primary not in outcomes:
        problems.add(
            file,
            f"one of the outcomes ({', '.join(outcomes)})",
            column="primary_outcome",
            value=primary,
        )
    allowed = set(definition["columns"]["allowed"])
    named = [("columns/site", definition["columns"]["site"])]
    named += [("columns/period", c) for c in definition["columns"]["period"]]
    for oid, spec in outcomes.items():
        count = spec.get("small_cell_count")
        if count is not None and count not in outcomes:
            problems.add(
                file,
                f"an outcome id holding the cases behind each value ({', '.join(outcomes)})",
                column=f"outcomes/{oid}/small_cell_count",
                value=count,
            )
        named.append((f"outcomes/{oid}/column", outcome_column(definition, oid)))
    for key, column in named:
        if column not in allowed:
            problems.add(
                file,
                f"a column listed in columns.allowed ({', '.join(sorted(allowed))})",
                column=key,
                value=column,
            )
    columns = [outcome_column(definition, o) for o in outcomes]
    for oid in outcomes:
        if columns.count(outcome_column(definition, oid)) > 1:
            problems.add(
                file,
                "one export column per outcome",
                column=f"outcomes/{oid}/column",
                value=outcome_column(definition, oid),
            )
    problems.raise_if_any()
    return definition


def outcome_column(definition: dict, outcome: str) -> str:
    """The aggregates column holding `outcome` (its `column:`, else the outcome id)."""
    return definition["outcomes"][outcome].get("column", outcome)


def go_live_kind(definition: dict) -> str:
    """The milestone kind that marks go-live (`milestones.go_live`)."""
    return definition["milestones"]["go_live"]


def primary_outcome(definition: dict, present=None) -> str | None:
    """The primary outcome, else the first configured outcome (among `present`, when given)."""
    outcomes = [o for o in definition["outcomes"] if present is None or o in present]
    primary = definition.get("primary_outcome")
    if primary is not None and primary in outcomes:
        return primary
    return outcomes[0] if outcomes else None


def site_labels(organisation: dict) -> dict[str, str]:
    """Site id → label from organisation.yaml."""
    return {s["id"]: s["label"] for s in organisation["sites"]}
