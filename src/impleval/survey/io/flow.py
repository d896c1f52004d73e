"""Participant flow: the cleaning counts as a results table and as language-neutral facts
(the figure: survey.plots.flow; the report words each step from its id).

Flow counts are exact (as in a CONSORT diagram) and not small-cell suppressed: they count
submissions removed by a rule over the whole sample, not people with an attribute in a group, so
a count below `min_cell` (e.g. 2 test submissions) discloses nothing about anyone.
"""

from __future__ import annotations

import pandas as pd

FLOW_COLUMNS = ["step", "n_removed", "n_remaining"]


def flow_table(counts: pd.DataFrame) -> pd.DataFrame:
    """counts (step, n_removed, n_remaining; first row 'received') → the participant_flow table:
    the same rows plus a last 'analysed' row. Step ids only: no text in any language."""
    last = int(counts["n_remaining"].iloc[-1])
    out = pd.concat(
        [counts, pd.DataFrame([{"step": "analysed", "n_removed": 0, "n_remaining": last}])],
        ignore_index=True,
    )
    return out[FLOW_COLUMNS].astype({"n_removed": "int64", "n_remaining": "int64"})


def flow_values(flow: pd.DataFrame, extra: dict) -> dict:
    """The facts the report quotes about the flow (results/values/survey_flow.yml): integers,
    shares as fractions, ids and lists; no formatting, no sentences."""
    received = int(flow["n_remaining"].iloc[0])
    analysed = int(flow["n_remaining"].iloc[-1])
    steps = {
        row.step: {"n_removed": int(row.n_removed), "n_remaining": int(row.n_remaining)}
        for row in flow.itertuples()
        if row.step not in ("received", "analysed")
    }
    values = {
        "n_received": received,
        "n_analysed": analysed,
        "n_removed": received - analysed,
        "share_analysed": analysed / received if received else None,
        "step_order": list(steps),
        "steps": steps,
    }
    values.update(extra)
    return {"survey_flow": values}
