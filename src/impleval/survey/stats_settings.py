"""The survey analysis definition (survey-analysis.yaml): validation, defaults, lookups."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impleval.errors import InputError, Problem

SCHEMA = Path(__file__).resolve().parents[3] / "config" / "schema" / "survey-analysis.schema.yaml"


def validate_settings(settings: dict, *, file: str = "survey-analysis.yaml",
                      schema: str | Path = SCHEMA) -> dict:
    """Validate against the JSON schema and fill its defaults (snakemake's validator does both)."""
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    settings = dict(settings)
    try:
        validate(settings, str(schema), set_default=True)
    except WorkflowError as err:
        raise InputError(Problem(file, f"a valid survey analysis definition ({err})")) from None
    return settings


@dataclass(frozen=True)
class GroupVar:
    name: str
    reference: str
    levels: tuple[str, ...] = ()
    pairwise: bool = True

    @property
    def column(self) -> str:
        """Column of the respondent frame holding this variable (an outcome may share its name:
        the health trust `trust` and the scale `trust`)."""
        return f"group__{self.name}"

    def order(self, present) -> list[str]:
        """Levels present in the data: reference first, then declared order, then alphabetical."""
        present = [str(x) for x in present]
        declared = [x for x in self.levels if x in present]
        rest = sorted(x for x in present if x not in declared)
        ordered = declared + rest
        if self.reference in ordered:
            ordered.remove(self.reference)
            ordered.insert(0, self.reference)
        return ordered


def group_vars(settings: dict) -> list[GroupVar]:
    return [GroupVar(g["name"], str(g["reference"]), tuple(map(str, g.get("levels", []))),
                     bool(g.get("pairwise", True))) for g in settings["group_vars"]]


def screen_items(settings: dict) -> list[str]:
    """Every scored item in the screen, in report order (item blocks as declared)."""
    seen: list[str] = []
    for items in settings["item_groups"].values():
        seen += [i for i in items if i not in seen]
    return seen


def cut_points(settings: dict, item: str) -> dict:
    agreement = settings.get("agreement", {})
    cuts = dict(agreement.get("default", {"agree_min": 4, "disagree_max": 2, "min": 1, "max": 5}))
    for override in agreement.get("overrides", []):
        if item in override["items"]:
            cuts.update({k: v for k, v in override.items() if k != "items"})
    return cuts


def check_items_present(settings: dict, items_in_data, *, file: str) -> None:
    """Every item the analysis names must be in the data: a typo must not silently drop a test."""
    present = set(items_in_data)
    named = set(screen_items(settings)) | set(settings.get("ordinal_items", []))
    for scale in settings["scales"].values():
        named |= set(scale["items"])
    problems = [Problem(file, "an item that the survey data contain", column="item", value=item)
                for item in sorted(named - present)]
    if problems:
        raise InputError(problems)


def add_outcome_labels(df: pd.DataFrame, settings: dict, language: str) -> pd.DataFrame:
    """Add `construct` (scale or item block id) and `outcome_label` (report language) columns so
    that report tables can show readable names without analysis in the report."""
    from impleval.config import label

    block_of = {i: b for b, items in settings["item_groups"].items() for i in items}
    block_of.update({i: s for s, d in settings["scales"].items() for i in d["items"]})
    labels = {s: d.get("label", s) for s, d in settings["scales"].items()}
    labels.update(settings.get("item_group_labels", {}))
    out = df.copy()
    construct = out["outcome"].map(lambda o: o if o in settings["scales"] else block_of.get(o, o))
    out.insert(1, "construct", construct)
    out.insert(2, "outcome_label", [label(labels, o, language) if o in settings["scales"]
                                    else f"{o} ({label(labels, c, language)})"
                                    for o, c in zip(out["outcome"], construct)])
    return out
