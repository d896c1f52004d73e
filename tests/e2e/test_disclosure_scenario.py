"""Issue 16's case end to end: one region reduced to 3 respondents. The whole pipeline runs and
the report renders; no hidden cell of the survey group summary can be pinned down from the
printed rows (regions, trusts nested in regions, roles, the totals), checked per outcome with an
LP over the true counts; the region counts the report quotes hide the same regions."""

import csv
import io

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import copy_repo, run_snakemake
from tests.unit.test_suppress_hierarchy import feasible_interval

SURVEY = "data/raw/survey/synthetic_nettskjema-data-report.csv"
MIN_CELL = 5


def reduce_region(work, region: str, keep: int) -> None:
    organisation = yaml.safe_load((work / "config/demo-study/organisation.yaml").read_text())
    trusts = {t["id"] for t in organisation["trusts"] if t["region"] == region}
    path = work / SURVEY
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=";"))
    header, data = rows[0], rows[1:]
    col = header.index("trust")
    kept, seen = [], 0
    for row in data:
        if row[col] in trusts:
            seen += 1
            if seen > keep:
                continue
        kept.append(row)
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [header, *kept]
    )
    path.write_text(out.getvalue(), encoding="utf-8")


def true_summary(work) -> pd.DataFrame:
    """The group summary without suppression, from the run's canonical tables."""
    from impleval.config import load_validated
    from impleval.survey.settings import group_vars
    from impleval.survey.stats.analyse import cut_points, respondent_frame, screen_items
    from impleval.survey.stats.descriptives import group_summary

    settings = load_validated(
        work / "config/demo-study/survey-analysis.yaml",
        work / "config/schema/survey-analysis.schema.yaml",
    )
    resp = pd.read_parquet(work / "results/interim/survey_respondents.parquet")
    answers = pd.read_parquet(work / "results/interim/survey_responses.parquet")
    data, flags, _ = respondent_frame(resp, answers, settings)
    items = [i for i in screen_items(settings) if i in answers["item"].unique()]
    outcomes = [(i, "item", cut_points(settings, i)) for i in items]
    outcomes += [(s, "scale", cut_points(settings, s)) for s in settings["scales"]]
    return group_summary(data, flags, outcomes, group_vars(settings), min_cell=1), data


@pytest.mark.e2e
def test_one_region_with_three_respondents(tmp_path):
    work = copy_repo(tmp_path / "repo")
    reduce_region(work, "vest", keep=3)
    run_snakemake(work)
    assert (work / "results/report/impleval-report.html").stat().st_size > 10_000

    printed = pd.read_csv(work / "results/tables/survey_group_summary.csv", keep_default_na=False)
    truth, _ = true_summary(work)
    assert len(truth) == len(printed)
    organisation = yaml.safe_load((work / "config/demo-study/organisation.yaml").read_text())
    region_of = {t["id"]: t["region"] for t in organisation["trusts"]}
    vest_rows = printed[(printed["group_var"] == "region") & (printed["group"] == "vest")]
    assert vest_rows["suppressed"].astype(str).eq("True").all()

    for outcome, part in truth.groupby("outcome", sort=False):
        hidden = printed.loc[part.index, "suppressed"].astype(str).eq("True").to_numpy()
        values = part["n"].to_numpy(float)
        pos = {
            (v, g): i for i, (v, g) in enumerate(zip(part["group_var"], part["group"], strict=True))
        }
        equations = []
        for var in part["group_var"].unique():
            levels = [i for (v, g), i in pos.items() if v == var and g != "all"]
            equations.append((pos[(var, "all")], tuple(levels)))
        for (v, g), i in pos.items():
            if v == "region" and g != "all":
                kids = [
                    pos[("trust", t)]
                    for t, r in region_of.items()
                    if r == g and ("trust", t) in pos
                ]
                equations.append((i, tuple(kids)))
        alls = [pos[(v, "all")] for v in part["group_var"].unique()]
        equations += [(alls[0], (a,)) for a in alls[1:]]
        # Only relations that hold exactly (a missing trust or role breaks one): the attacker's.
        equations = [(t, p) for t, p in equations if abs(values[t] - values[list(p)].sum()) < 1e-9]
        for cell in np.flatnonzero(hidden):
            lo, hi = feasible_interval(values, hidden, equations, cell)
            assert hi - lo >= MIN_CELL, (outcome, part.iloc[cell]["group"], lo, hi)

    values_yml = yaml.safe_load((work / "results/values/survey.yml").read_text(encoding="utf-8"))
    n_region = values_yml["survey"]["n_region"]
    assert not any(ch.isdigit() for ch in str(n_region["vest"]).replace(str(MIN_CELL), ""))
    hidden_regions = {r for r, v in n_region.items() if "<" in str(v)}
    assert "vest" in hidden_regions and len(hidden_regions) >= 2
