"""Cleaning steps from received submissions to analysed respondents, in the order and with the
thresholds of survey.yaml → cleaning. Each step returns a mask of submissions to remove; `clean`
applies them in order, records the counts for the participant-flow table and, per submission,
the step that removed it.

The trust and role are read from the questions that survey.yaml → groups names (`Instrument.
trust_column`, `role_column`), never from a fixed column name."""

from __future__ import annotations

import pandas as pd

from impleval.survey.settings import NOT_RELEVANT, Instrument


def _test_submissions(sub: pd.DataFrame, instrument: Instrument) -> pd.Series:
    cfg = instrument.cleaning
    if not cfg.get("fielding_start"):
        return pd.Series(False, index=sub.index)
    start = pd.Timestamp(cfg["fielding_start"]).tz_localize(cfg["timezone"])
    return sub["created"] < start


def _duplicates(sub: pd.DataFrame, instrument: Instrument) -> pd.Series:
    """Identical answers to every question: keep the earliest submission (ties: lowest id). An
    unticked checkbox option counts the same whether exported as '0' or ''."""
    answers = [c.name for c in instrument.columns]
    boxes = [c.name for c in instrument.columns if c.kind == "checkbox"]
    order = sub.assign(_sid=sub["submission_id"].str.zfill(20)).sort_values(
        ["created", "_sid"], kind="stable"
    )
    compared = order[answers].copy()
    compared[boxes] = compared[boxes].replace("", "0")
    dup = compared.duplicated(keep="first")
    return dup.reindex(sub.index)


def _out_of_scope_role(sub: pd.DataFrame, instrument: Instrument) -> pd.Series:
    """Roles outside the study (e.g. 'other'), no role given, or no trust given (no region)."""
    role = instrument.role_column
    roles = instrument.cleaning.get("in_scope_roles") or list(role.codes)
    return ~sub[role.name].isin(roles) | (sub[instrument.trust_column.name] == "")


def substantive_share(sub: pd.DataFrame, instrument: Instrument, questions: list[str]) -> pd.Series:
    """Share of the listed questions' items answered with a scored option (not skipped, not
    NR/dk)."""
    cols = [
        c for c in instrument.item_columns if c.question in questions
    ] or instrument.item_columns
    answered = pd.DataFrame(
        {
            c.name: (sub[c.name] != "")
            if c.kind == "linear"
            else sub[c.name].isin(
                [code for code, (score, _) in c.codes.items() if score is not None]
            )
            for c in cols
        }
    )
    return answered.mean(axis=1)


def _too_few_items(sub: pd.DataFrame, instrument: Instrument) -> pd.Series:
    cfg = instrument.cleaning
    return substantive_share(sub, instrument, cfg["min_items_questions"]) < cfg["min_items_share"]


def _too_fast(sub: pd.DataFrame, instrument: Instrument) -> pd.Series:
    return sub["answer_time_s"] < instrument.cleaning["min_answer_time_s"]  # NaN (no time) is kept


STEPS = {
    "test_submissions": _test_submissions,
    "duplicates": _duplicates,
    "out_of_scope_role": _out_of_scope_role,
    "too_few_items": _too_few_items,
    "too_fast": _too_fast,
}


def clean(
    submissions: pd.DataFrame, instrument: Instrument
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Apply the configured steps in order. Returns (kept submissions, counts per step, the step
    that removed each submission or '' when kept, aligned with `submissions`). The counts have
    columns step, n_removed, n_remaining; the first row is 'received'."""
    kept = submissions
    excluded_at = pd.Series("", index=submissions.index, dtype=object)
    counts = [{"step": "received", "n_removed": 0, "n_remaining": len(kept)}]
    for step in instrument.cleaning["steps"]:
        remove = STEPS[step](kept, instrument).fillna(False).astype(bool)
        excluded_at[remove[remove].index] = step
        kept = kept.loc[~remove]
        counts.append({"step": step, "n_removed": int(remove.sum()), "n_remaining": len(kept)})
    return kept.reset_index(drop=True), pd.DataFrame(counts), excluded_at


def not_relevant_codes(instrument: Instrument) -> set[str]:
    return {
        code
        for c in instrument.item_columns
        for code, (_, miss) in c.codes.items()
        if miss == NOT_RELEVANT
    }
