"""prepare_monitoring: both monitoring exports read and validated together."""

from __future__ import annotations

import pandas as pd

from impleval.errors import InputError, Problem
from impleval.monitoring.io.aggregates import read_aggregates
from impleval.monitoring.io.milestones import read_milestones


def prepare(
    aggregates_path, milestones_path, definition: dict, sites: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read both files; problems in both are reported together."""
    found: list[Problem] = []
    series = milestones = None
    try:
        series = read_aggregates(aggregates_path, definition, sites)
    except InputError as err:
        found += err.problems
    try:
        milestones = read_milestones(milestones_path, definition, sites)
    except InputError as err:
        found += err.problems
    if found:
        raise InputError(found)
    return series, milestones
