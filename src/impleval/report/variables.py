"""Values quoted in the report's prose: merge `results/values/*.yml`, look keys up, substitute.

The study team's prose may write `{{< var survey.n_respondents >}}`; Quarto reads
`_variables.yml` natively and the fallback substitutes the shortcodes itself. Quarto prints
`?var:key` for a missing key and goes on, so both renderers check every key first: a missing value
fails the render, never prints empty.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from impleval.config import safe_load
from impleval.errors import InputError, Problem

VAR = re.compile(r"\{\{<\s*var\s+([^\s>]+)\s*>\}\}")


class MissingVariableError(KeyError):
    """A `{{< var >}}` key that the merged variables do not hold."""

    def __str__(self) -> str:
        return self.args[0]


def merge_values(files: Iterable[str | os.PathLike], extra: Mapping | None = None) -> dict:
    """Merge values files into one mapping keyed by branch.

    A file `survey.yml` may hold `{survey: {...}}` or the branch's keys directly; either way its
    values land under `survey`. Two files claiming the same top-level key is an error."""
    merged: dict = {}
    problems = []
    for file in sorted(map(Path, files)):
        data = safe_load(file.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            problems.append(Problem(str(file), "a YAML mapping of values"))
            continue
        if set(data) != {file.stem}:
            data = {file.stem: data}
        for key, value in data.items():
            if key in merged:
                problems.append(Problem(str(file), f"a top-level key not used elsewhere: {key}"))
            merged[key] = value
    for key, value in (extra or {}).items():
        if key in merged:
            problems.append(
                Problem("results/values", f"no branch named like the reserved key {key!r}")
            )
        merged[key] = value
    if problems:
        raise InputError(problems)
    return merged


def lookup(variables: Mapping, key: str) -> str:
    node = variables
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise MissingVariableError(f"report variable {key!r} is not in the merged values")
        node = node[part]
    if isinstance(node, (Mapping, list)) or node is None:
        raise MissingVariableError(f"report variable {key!r} is not a single value")
    return str(node)


def keys_used(text: str) -> list[str]:
    return VAR.findall(text)


def check_keys(text: str, variables: Mapping, source: str = "report") -> None:
    """Fail listing every `{{< var >}}` key in `text` that the variables lack."""
    missing = []
    for key in dict.fromkeys(keys_used(text)):
        try:
            lookup(variables, key)
        except MissingVariableError:
            missing.append(key)
    if missing:
        raise MissingVariableError(
            f"{source}: {len(missing)} report variable(s) missing from the merged values "
            f"(results/values/*.yml): {', '.join(missing)}"
        )


def substitute(text: str, variables: Mapping, source: str = "report") -> str:
    check_keys(text, variables, source)
    return VAR.sub(lambda m: lookup(variables, m.group(1)), text)


def dump(variables: Mapping) -> str:
    return yaml.safe_dump(dict(variables), allow_unicode=True, sort_keys=True, width=100)
