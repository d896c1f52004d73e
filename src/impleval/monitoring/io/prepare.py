"""prepare_monitoring: both monitoring exports read and validated together."""

from __future__ import annotations

import pandas as pd

from impleval.errors import InputError, Problem
from impleval.monitoring.io.aggregates import read_aggregates
from impleval.monitoring.io.cells import value_maps
from impleval.monitoring.io.milestones import read_milestones


def prepare(
    aggregates_path,
    milestones_path,
    definition: dict,
    organisation: dict,
    *,
    config_file: str = "monitoring.yaml",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read both files; problems in both are reported together.

    The study's value maps are checked first (`config_file` names the definition in messages)."""
    maps = value_maps(definition, organisation, config_file)
    found: list[Problem] = []
    series = milestones = None
    try:
        series = read_aggregates(aggregates_path, definition, maps["site"])
    except InputError as err:
        found += err.problems
    try:
        milestones = read_milestones(milestones_path, definition, maps["site"], maps["milestone"])
    except InputError as err:
        found += err.problems
    if found:
        raise InputError(found)
    return series, milestones
