"""Cleaning steps, participant flow table, report values and figure."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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
    kept, counts, excluded_at = clean(df, instrument)
    assert counts["n_removed"].tolist() == [0, 0, 0, 1, 0, 1]
    assert counts["n_remaining"].tolist() == [4, 4, 4, 3, 3, 2]
    assert len(kept) == 2
    assert excluded_at.tolist() == ["", "out_of_scope_role", "too_fast", ""]


def test_duplicates_treat_unticked_as_zero_or_empty_alike(instrument):
    df = submissions(instrument, 2)
    boxes = [c.name for c in instrument.sources_columns()]
    df.loc[0, boxes] = "0"
    df.loc[1, boxes] = ""
    assert STEPS["duplicates"](df, instrument).tolist() == [False, True]
    df.loc[1, boxes[0]] = "1"
    assert STEPS["duplicates"](df, instrument).tolist() == [False, False]


def test_flow_table_and_values_are_language_neutral():
    counts = pd.DataFrame(
        {
            "step": ["received", "test_submissions", "too_fast"],
            "n_removed": [0, 2, 1200],
            "n_remaining": [3000, 2998, 1798],
        }
    )
    flow = flow_table(counts)
    assert list(flow.columns) == ["step", "n_removed", "n_remaining"]
    assert flow["step"].tolist() == ["received", "test_submissions", "too_fast", "analysed"]
    assert flow["n_remaining"].iloc[-1] == 1798 and flow["n_removed"].dtype == "int64"
    v = flow_values(flow, {"n_trusts": 13})["survey_flow"]
    assert v["n_received"] == 3000 and v["n_analysed"] == 1798 and v["n_removed"] == 1202
    assert v["steps"]["too_fast"] == {"n_removed": 1200, "n_remaining": 1798}
    assert v["share_analysed"] == pytest.approx(1798 / 3000) and v["n_trusts"] == 13
    assert v["step_order"] == ["test_submissions", "too_fast"]
    nothing = pd.DataFrame({"step": ["received"], "n_removed": [0], "n_remaining": [0]})
    # nothing received: no share, not a division by zero
    assert flow_values(flow_table(nothing), {})["survey_flow"]["share_analysed"] is None


def test_flow_values_yaml_holds_no_text(instrument):
    """Every value written to survey_flow.yml is a number, a boolean, an id or a list of ids."""
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
    ids = {
        *instrument.cleaning["steps"],
        *(q["id"] for q in instrument.questions),
        *instrument.role_column.codes,
    }

    def walk(node):
        if isinstance(node, dict):
            keys = {"survey_flow", *result.values["survey_flow"], "n_removed", "n_remaining"}
            assert set(node) <= ids | keys
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                assert v in ids, v
        elif isinstance(node, str):
            assert node == instrument.cleaning["fielding_start"]  # an ISO date: a fact
        else:
            assert node is None or isinstance(node, bool | int | float), node

    walk(result.values)


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
    fig, caption, alt = plot_flow(
        flow_table(counts), instrument.config, REPO / "report" / "phrases", "en"
    )
    assert "participant flow" in caption and "100 submissions" in alt and "95 were analysed" in alt
    # The CONSORT diagram's boxes (test_survey_figures checks its layout): received, the one
    # step that removed submissions, analysed.
    texts = " | ".join(t.get_text() for t in fig.axes[0].texts)
    assert (
        "n\u00a0=\u00a0100" in texts and "n\u00a0=\u00a05" in texts and "n\u00a0=\u00a095" in texts
    )
