"""The rendered report shows the numbers the pipeline wrote, read from the results files."""

from __future__ import annotations

import base64
import html as html_lib
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from impleval import fmt

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def page_text(demo_run: Path) -> str:
    raw = (demo_run / "results/report/impleval-report-nb.html").read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def _norm(value: str) -> str:
    return re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()


def downloads(demo_run: Path) -> dict[str, pd.DataFrame]:
    """The tables the report offers as CSV downloads (data: URIs), by file name."""
    raw = (demo_run / "results/report/impleval-report-nb.html").read_text(encoding="utf-8")
    out = {}
    for uri, name in re.findall(
        r'href="data:text/csv;charset=utf-8;base64,([^"]+)"[^>]*'
        r'download="([^"]+)"',
        raw,
    ):
        out[name] = pd.read_csv(io.BytesIO(base64.b64decode(uri)))
    return out


def test_downloadable_tables_hold_the_results_files_numbers(demo_run: Path):
    """A table's download holds exactly the numbers of its results file (same rows)."""
    tables = downloads(demo_run)
    assert {"scale_reliability.csv", "survey_omnibus.csv", "item_key.csv"} <= set(tables)
    reliability = pd.read_csv(demo_run / "results/tables/scale_reliability.csv")
    shown = tables["scale_reliability.csv"]
    pd.testing.assert_frame_equal(
        shown[list(reliability.columns)].reset_index(drop=True), reliability, check_dtype=False
    )
    omnibus = pd.read_csv(demo_run / "results/tables/survey_omnibus.csv")
    scales = omnibus[(omnibus["outcome_type"] == "scale") & (omnibus["group_var"] == "region")]
    assert sorted(tables["survey_omnibus.csv"].iloc[:, 2].round(9)) == sorted(
        scales["statistic"].round(9)
    )


def test_participant_flow_matches_its_table(demo_run: Path, page_text: str):
    flow = pd.read_csv(demo_run / "results/tables/participant_flow.csv")
    analysed = int(flow.loc[flow["step"] == "analysed", "n_remaining"].iloc[0])
    received = int(flow.loc[flow["step"] == "received", "n_remaining"].iloc[0])
    assert f"{fmt.integer(analysed)} av {fmt.integer(received)}" in page_text


def test_pooled_waiting_time_change_matches_its_estimates(demo_run: Path, page_text: str):
    est = pd.read_csv(demo_run / "results/tables/its_estimates.csv")
    row = est[
        (est["site"] == "pooled")
        & (est["outcome"] == "median_wait_minutes")
        & (est["parameter"] == "level_change")
    ].iloc[0]
    shown = _norm(fmt.number(row["estimate"], 1))
    assert shown in page_text and _norm(fmt.interval(row["ci_low"], row["ci_high"], 1)) in page_text


def test_scale_omnibus_table_matches_survey_omnibus(demo_run: Path, page_text: str):
    omnibus = pd.read_csv(demo_run / "results/tables/survey_omnibus.csv")
    scales = omnibus[(omnibus["outcome_type"] == "scale") & (omnibus["group_var"] == "region")]
    assert len(scales) >= 4
    for _, row in scales.iterrows():
        assert _norm(fmt.number(row["statistic"], 2)) in page_text, row["outcome"]
        assert _norm(fmt.number(row["effect_size"], 3)) in page_text, row["outcome"]
