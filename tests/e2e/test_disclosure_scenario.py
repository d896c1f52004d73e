"""Issue 16's case end to end: one region reduced to 3 respondents. The whole pipeline runs and
the report renders; no hidden cell of the survey group summary or of the respondent table can be
pinned down from the printed rows (regions, trusts nested in regions, roles, the crossing, the
totals), checked with an LP over the true counts; tables that print the same counts hide the
same cells (respondent table and group summary; interview informants and prevalence)."""

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


def assert_protected(values, hidden, equations, label):
    # Only relations that hold exactly (a missing trust or role breaks one): the attacker's.
    equations = [(t, p) for t, p in equations if abs(values[t] - values[list(p)].sum()) < 1e-9]
    for cell in np.flatnonzero(hidden):
        lo, hi = feasible_interval(values, hidden, equations, cell)
        assert hi - lo >= MIN_CELL, (label, cell, lo, hi)


@pytest.mark.e2e
def test_one_region_with_three_respondents(tmp_path):
    work = copy_repo(tmp_path / "repo")
    reduce_region(work, "vest", keep=3)
    run_snakemake(work)
    assert (work / "results/report/impleval-report-nb.html").stat().st_size > 10_000
    tables = work / "results/tables"
    organisation = yaml.safe_load((work / "config/demo-study/organisation.yaml").read_text())
    region_of = {t["id"]: t["region"] for t in organisation["trusts"]}

    # The group summary, per outcome.
    printed = pd.read_csv(tables / "survey_group_summary.csv", keep_default_na=False)
    truth, _ = true_summary(work)
    assert len(truth) == len(printed)
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
        assert_protected(values, hidden, equations, outcome)

    # The respondent table (one-way counts, role × region, trusts in regions): its true counts
    # are recomputed from the canonical respondents.
    table = pd.read_csv(tables / "survey_respondents.csv", keep_default_na=False, dtype=str)
    resp = pd.read_parquet(work / "results/interim/survey_respondents.parquet").astype(str)
    true_n = []
    for r in table.itertuples(index=False):
        mask = pd.Series(True, index=resp.index)
        if r.level != "all":
            mask &= resp[r.variable].replace("", "not_answered") == r.level
        if r.by != "all":
            mask &= resp[r.by] == r.by_level
        true_n.append(int(mask.sum()))
    values = np.array(true_n, dtype=float)
    hidden = table["suppressed"].eq("True").to_numpy()
    key = {
        (r.variable, r.level, r.by, r.by_level): i
        for i, r in enumerate(table.itertuples(index=False))
    }
    equations = []
    for (var, by, by_level), part in table.groupby(["variable", "by", "by_level"]):
        levels = tuple(key[(var, lv, by, by_level)] for lv in part["level"] if lv != "all")
        equations.append((key[(var, "all", by, by_level)], levels))
    for (var, lv, by, by_level), i in key.items():
        if by != "all" and lv != "all":  # a row of the crossing adds up to its one-way count
            row = tuple(j for (v2, l2, b2, _), j in key.items() if (v2, l2, b2) == (var, lv, by))
            equations.append((key[(var, lv, "all", "all")], row))
        if by != "all" and lv == "all":  # a column total is the one-way count of `by`
            equations.append((key[(by, by_level, "all", "all")], (i,)))
        if var == "region" and by == "all" and lv != "all":
            kids = tuple(
                key[("trust", t, "all", "all")]
                for t, reg in region_of.items()
                if reg == lv and ("trust", t, "all", "all") in key
            )
            equations.append((i, kids))
    assert_protected(values, hidden, equations, "survey_respondents")
    assert hidden[key[("region", "vest", "all", "all")]]

    # One pattern per set of counts.
    one_way = table[(table["by"] == "all") & table["suppressed"].eq("True")]
    for var, lv in one_way[["variable", "level"]].itertuples(index=False):
        rows = printed[(printed["group_var"] == var) & (printed["group"] == lv)]
        assert rows["suppressed"].astype(str).eq("True").all(), (var, lv)
    informants = pd.read_csv(tables / "interview_informants.csv", keep_default_na=False, dtype=str)
    prevalence = pd.read_csv(tables / "code_prevalence.csv", keep_default_na=False, dtype=str)

    def cube(r):
        cell = {"stage": "all", "region": "all", "role": "all"}
        for var, lv in ((r.variable, r.level), (r.by, r.by_level)):
            if var != "all" and lv != "all":
                cell[var] = lv
        return cell["stage"], cell["region"], cell["role"]

    inf_hidden = {cube(r): r.suppressed == "True" for r in informants.itertuples(index=False)}
    for r in prevalence.itertuples(index=False):
        cell = (r.stage, r.region, r.role)
        if cell in inf_hidden:
            assert (r.suppressed == "True") == inf_hidden[cell], cell
