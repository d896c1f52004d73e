"""Participant flow: the cleaning counts as a results table and report values (the figure:
survey.plots.flow).

Flow counts are exact (as in a CONSORT diagram) and not small-cell suppressed: they count
submissions removed by a rule over the whole sample, not people with an attribute in a group, so
a count below `min_cell` (e.g. 2 test submissions) discloses nothing about anyone.
"""

from __future__ import annotations

import pandas as pd

from impleval import fmt

# Step descriptions are method text, the same for every study; thresholds come from config.
DESCRIPTIONS = {
    "nb": {
        "received": "Innsendte svar",
        "test_submissions": "Testinnsendinger før feltstart {fielding_start}",
        "duplicates": "Duplikater (identiske svar på alle spørsmål)",
        "out_of_scope_role": "Rolle utenfor studien eller helseforetak mangler",
        "too_few_items": "For få NoMAD-spørsmål besvart (under {min_items_share})",
        "too_fast": "Urimelig rask besvarelse (under {min_answer_time_s} sekunder)",
        "analysed": "Analysert",
    },
    "en": {
        "received": "Submissions received",
        "test_submissions": "Test submissions before fielding started {fielding_start}",
        "duplicates": "Duplicates (identical answers to every question)",
        "out_of_scope_role": "Role outside the study or trust missing",
        "too_few_items": "Too few NoMAD items answered (below {min_items_share})",
        "too_fast": "Implausibly fast (under {min_answer_time_s} seconds)",
        "analysed": "Analysed",
    },
}


def _context(cleaning: dict, language: str) -> dict:
    start = cleaning.get("fielding_start") or ""
    if start:
        start = pd.Timestamp(start).strftime("%d.%m.%Y" if language == "nb" else "%Y-%m-%d")
    return {
        "fielding_start": start,
        "min_items_share": fmt.percent(cleaning["min_items_share"], 0, language),
        "min_answer_time_s": fmt.integer(cleaning["min_answer_time_s"], language),
    }


def flow_table(counts: pd.DataFrame, cleaning: dict, language: str = "nb") -> pd.DataFrame:
    """counts (step, n_removed, n_remaining) → the participant_flow table with descriptions."""
    ctx = _context(cleaning, language)
    text = DESCRIPTIONS[language]
    last = int(counts["n_remaining"].iloc[-1])
    out = pd.concat(
        [counts, pd.DataFrame([{"step": "analysed", "n_removed": 0, "n_remaining": last}])],
        ignore_index=True,
    )
    out.insert(1, "description", [text[s].format(**ctx) for s in out["step"]])
    return out[["step", "description", "n_removed", "n_remaining"]].astype(
        {"n_removed": "int64", "n_remaining": "int64"}
    )


def flow_values(flow: pd.DataFrame, extra: dict, language: str = "nb") -> dict:
    """Numbers the flow chapter quotes, formatted for the report language."""
    received = int(flow["n_remaining"].iloc[0])
    analysed = int(flow["n_remaining"].iloc[-1])
    steps = {
        row.step: {
            "n_removed": fmt.integer(row.n_removed, language),
            "n_remaining": fmt.integer(row.n_remaining, language),
        }
        for row in flow.itertuples()
        if row.step not in ("received", "analysed")
    }
    values = {
        "n_received": fmt.integer(received, language),
        "n_analysed": fmt.integer(analysed, language),
        "n_removed": fmt.integer(received - analysed, language),
        "share_analysed": fmt.percent(
            analysed / received if received else float("nan"), 0, language
        ),
        "steps": steps,
    }
    values.update(
        {
            k: (fmt.integer(v, language) if isinstance(v, (int, float)) else v)
            for k, v in extra.items()
        }
    )
    return {"survey_flow": values}
