"""Cleaning steps, participant flow table, report values and figure."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.survey.io.clean import STEPS, clean
from impleval.survey.io.flow import flow_table, flow_values
from impleval.survey.io.prepare import prepare, read_export

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests/fixtures/survey"


def submissions(instrument, n=3, **overrides) -> pd.DataFrame:
    """n valid submissions answering every item with '04'."""
    base = {
        "submission_id": [str(100 + i) for i in range(n)],
        "created": pd.to_datetime(["2025-03-10T10:00:00Z"] * n, utc=True),
        "answer_time_s": [300.0] * n,
        "row": list(range(2, n + 2)),
    }
    for c in instrument.columns:
        base[c.name] = [
            "04" if c.kind == "choice" else "5" if c.kind == "linear" else "" for _ in range(n)
        ]
    df = pd.DataFrame(base)
    df["trust"], df["role"], df["TRAINING"] = "vv", "radiographer", "short"
    for key, values in overrides.items():
        df[key] = values
    return df


def test_fixture_flow_matches_planted_counts(instrument):
    planted = json.loads((FIX / "expected_counts.json").read_text())
    result = prepare(
        read_export(
            {
                "format": "nettskjema_wide",
                "report": FIX / "report.csv",
                "codebook": FIX / "codebook.json",
            },
            instrument,
        ),
        instrument,
    )
    flow = result.flow.set_index("step")
    assert flow.loc["received", "n_remaining"] == planted["received"]
    for step in instrument.cleaning["steps"]:
        assert flow.loc[step, "n_removed"] == planted[step], step
    assert flow.loc["analysed", "n_remaining"] == planted["analysed"] == len(result.respondents)


def test_test_submissions_use_local_fielding_start(instrument):
    # 23:30 UTC on 2 March is 00:30 on 3 March in Oslo: inside the fielding window.
    df = submissions(
        instrument,
        2,
        created=pd.to_datetime(["2025-03-02T22:30:00Z", "2025-03-02T23:30:00Z"], utc=True),
    )
    assert STEPS["test_submissions"](df, instrument).tolist() == [True, False]


def test_duplicates_keep_the_earliest(instrument):
    df = submissions(
        instrument,
        3,
        created=pd.to_datetime(
            ["2025-03-12T10:00:00Z", "2025-03-11T10:00:00Z", "2025-03-13T10:00:00Z"], utc=True
        ),
    )
    df.loc[2, "CO.CO1"] = "05"  # differs: not a duplicate
    assert STEPS["duplicates"](df, instrument).tolist() == [True, False, False]


def test_out_of_scope_role_and_missing_trust(instrument):
    df = submissions(
        instrument, 4, role=["other", "", "radiologist", "it"], trust=["vv", "vv", "", "unn"]
    )
    assert STEPS["out_of_scope_role"](df, instrument).tolist() == [True, True, True, False]


def test_too_few_items_counts_not_relevant_as_unanswered(instrument):
    df = submissions(instrument, 2)
    nomad = [c.name for c in instrument.item_columns if c.question in ("CO", "CP", "CA", "RM")]
    df.loc[0, nomad[:11]] = "nr_role"  # 9 of 20 substantive: below 50 %
    df.loc[1, nomad[:10]] = ""  # exactly 50 %: kept
    assert STEPS["too_few_items"](df, instrument).tolist() == [True, False]


def test_too_fast_keeps_missing_times(instrument):
    df = submissions(instrument, 3, answer_time_s=[45.0, np.nan, 90.0])
    assert STEPS["too_fast"](df, instrument).tolist() == [True, False, False]


def test_clean_counts_in_order(instrument):
    df = submissions(
        instrument,
        4,
        role=["radiologist", "other", "it", "manager"],
        answer_time_s=[300, 300, 10, 300],
    )
    df.loc[3, "CO.CO1"] = "02"
    kept, counts = clean(df, instrument)
    assert counts["n_removed"].tolist() == [0, 0, 0, 1, 0, 1]
    assert counts["n_remaining"].tolist() == [4, 4, 4, 3, 3, 2]
    assert len(kept) == 2


def test_flow_table_and_values_in_both_languages(instrument):
    counts = pd.DataFrame(
        {
            "step": ["received", "test_submissions", "too_fast"],
            "n_removed": [0, 2, 1200],
            "n_remaining": [3000, 2998, 1798],
        }
    )
    nb = flow_table(counts, instrument.cleaning, "nb")
    assert nb["step"].tolist()[-1] == "analysed" and nb["n_remaining"].iloc[-1] == 1798
    assert "03.03.2025" in nb["description"].iloc[1]
    en = flow_table(counts, instrument.cleaning, "en")
    assert "2025-03-03" in en["description"].iloc[1]
    v = flow_values(nb, {"n_trusts": 13}, "nb")["survey_flow"]
    assert v["n_received"] == "3\u00a0000" and v["steps"]["too_fast"]["n_removed"] == "1\u00a0200"
    assert v["share_analysed"] == "60\u00a0%" and v["n_trusts"] == "13"
    assert flow_values(en, {}, "en")["survey_flow"]["n_received"] == "3,000"


def test_no_submission_id_or_time_leaves_prepare(instrument):
    result = prepare(
        read_export(
            {
                "format": "nettskjema_wide",
                "report": FIX / "report.csv",
                "codebook": FIX / "codebook.json",
            },
            instrument,
        ),
        instrument,
    )
    ids = set(pd.read_csv(FIX / "report.csv", sep=";", dtype=str)["$submission_id"])
    for table in (result.respondents, result.responses, result.comments):
        assert not {"submission_id", "created", "$submission_id"} & set(table.columns)
        assert not ids & set(table.astype(str).to_numpy().ravel())
    sources = [c for c in result.respondents.columns if c.startswith("SOURCES_")]
    assert set(np.unique(result.respondents[sources].to_numpy())) <= {0, 1}


def test_flow_figure_has_caption_and_alt(instrument):
    from impleval.figures import use_report_style
    from impleval.survey.plots.flow import plot_flow

    use_report_style()
    counts = pd.DataFrame(
        {"step": ["received", "duplicates"], "n_removed": [0, 5], "n_remaining": [100, 95]}
    )
    flow = flow_table(counts, instrument.cleaning, "en")
    fig, caption, alt = plot_flow(flow, instrument.config, REPO / "report" / "phrases", "en")
    assert "participant flow" in caption and "100 submissions" in alt and "95 were analysed" in alt
    assert len(fig.axes[0].patches) == 3
