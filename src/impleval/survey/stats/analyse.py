"""The survey analysis as one function: canonical interim tables in, result tables out.

Order of work: wide scores → scale scores → descriptives → reliability → omnibus tests →
pairwise follow-ups → proportional-odds models → scale-level adjusted tests → multiplicity within
the declared families. With ``parallel=True`` the proportional-odds models run in a forked child
from the start, beside the rest.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from impleval.background import Background
from impleval.survey.settings import GroupVar, cut_points, group_vars, screen_items
from impleval.survey.stats import compare as cmp
from impleval.survey.stats import ordinal as ordm
from impleval.survey.stats.adjusted import adjusted_scales
from impleval.survey.stats.descriptives import group_summary
from impleval.survey.stats.multiplicity import adjust
from impleval.survey.stats.reliability import scale_reliability
from impleval.survey.stats.scores import scale_scores, wide_tables

log = logging.getLogger(__name__)

OMNIBUS_COLS = [
    "outcome",
    "outcome_type",
    "group_var",
    "test",
    "statistic",
    "df1",
    "df2",
    "p_value",
    "p_adjusted",
    "adjust_method",
    "effect_size",
    "effect_size_name",
    "es_ci_low",
    "es_ci_high",
    "n",
    "n_groups",
    "family",
]
PAIRWISE_COLS = [
    "outcome",
    "outcome_type",
    "group_var",
    "group_a",
    "group_b",
    "test",
    "statistic",
    "p_value",
    "p_adjusted",
    "adjust_method",
    "effect_size",
    "effect_size_name",
    "es_ci_low",
    "es_ci_high",
    "n_a",
    "n_b",
    "mean_diff",
    "df",
]
ORDINAL_COLS = [
    "outcome",
    "model",
    "term",
    "variable",
    "level",
    "reference",
    "odds_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "po_test_p",
    "po_test_all_p",
    "po_test_note",
    "joint_p",
    "joint_p_adjusted",
    "adjust_method",
    "n",
]


@dataclass
class SurveyResults:
    group_summary: pd.DataFrame
    reliability: pd.DataFrame
    omnibus: pd.DataFrame
    pairwise: pd.DataFrame
    ordinal: pd.DataFrame
    adjusted_scales: pd.DataFrame  # scale-level adjusted tests (survey_adjusted_scales.csv)
    # Respondent-level group variables (columns `group__<name>`, GroupVar.column) and scale
    # scores, for the figures (results/interim/survey_scale_scores.parquet), not for results.
    scores: pd.DataFrame


def stream(seed: int, *keys: str) -> np.random.Generator:
    """An independent, reproducible random stream per test, so that adding one test leaves the
    others' streams unchanged.

    Parameters
    ----------
    seed : int
        The run's seed (config → seed).
    *keys : str
        What the stream is for (test kind, group variable, outcome).

    Returns
    -------
    numpy.random.Generator
        Seeded with ``[seed, crc32("|".join(keys))]``.
    """
    return np.random.default_rng([seed, zlib.crc32("|".join(keys).encode())])


def respondent_frame(respondents: pd.DataFrame, responses: pd.DataFrame, settings: dict):
    """Respondent-level frame of group variables, categorical items, item and scale scores.

    Parameters
    ----------
    respondents, responses : pandas.DataFrame
        The canonical survey tables (docs/data/survey.md).
    settings : dict
        The validated analysis settings.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, pandas.DataFrame)
        The frame, the item non-substantive flags and the item scores, all on the same index.
    """
    wide, flags = wide_tables(responses)
    scales = scale_scores(wide, settings["scales"], settings["min_answered_share"])
    people = respondents.set_index("respondent_id")
    gvs = group_vars(settings)
    people = people.rename(columns={g.name: g.column for g in gvs})
    # Group columns as categoricals: every test reads their codes instead of comparing text.
    people = people.astype({g.column: "category" for g in gvs})
    data = people.join(wide, how="left").join(scales, how="left")
    flags = flags.reindex(data.index, fill_value=False)
    return data, flags, wide.reindex(data.index)


def analyse_survey(
    respondents: pd.DataFrame,
    responses: pd.DataFrame,
    settings: dict,
    *,
    min_cell: int,
    seed: int,
    hidden_groups: set[tuple[str, str]] | None = None,
    parallel: bool = False,
) -> SurveyResults:
    """The whole survey analysis: descriptives, reliability, omnibus and pairwise tests, ordinal
    models, multiplicity within the declared families.

    Parameters
    ----------
    respondents, responses : pandas.DataFrame
        The canonical survey tables.
    settings : dict
        The validated analysis settings (survey-analysis.yaml).
    min_cell : int
        Small-cell threshold (tables suppressed, small groups left out of tests).
    seed : int
        Seed of every bootstrap and permutation (one stream per test, :func:`stream`).
    hidden_groups : set of (str, str), optional
        (group variable, group) whose respondent count another printed table hides (the
        respondent characteristics): hidden in every outcome's rows of the group summary too.
    parallel : bool
        Fit the ordinal models in a forked child process beside the other statistics
        (:class:`impleval.background.Background`; in line where the platform does not fork).
        The same tables either way: the model fits draw no random numbers.

    Returns
    -------
    SurveyResults
        group_summary, reliability, omnibus, pairwise, ordinal, adjusted_scales (the result
        tables) and the respondent-level scores for the figures.
    """
    gvs = group_vars(settings)
    data, flags, wide = respondent_frame(respondents, responses, settings)
    # The wide table's columns are the items in the responses (looked up once: a membership test
    # on the arrow-backed `unique()` scans it element by element, 0.7 s at 100× the demo).
    present = set(wide.columns)
    items = [i for i in screen_items(settings) if i in present]
    scales = list(settings["scales"])
    ci = settings["ci_level"]
    boot = settings["bootstrap"]
    mult = settings["multiplicity"]
    log.info("%d respondents, %d items, %d scales", len(data), len(items), len(scales))
    # The model fits cost about as much as all the other statistics together: beside them.
    models = Background(ordinal_models, data, settings, gvs, min_cell=min_cell, parallel=parallel)

    outcomes = [(i, "item", cut_points(settings, i)) for i in items]
    outcomes += [(s, "scale", cut_points(settings, s)) for s in scales]
    summary = group_summary(data, flags, outcomes, gvs, min_cell=min_cell, hidden=hidden_groups)

    reliability = scale_reliability(
        wide, settings["scales"], n_boot=boot["n_boot_omega"], ci_level=ci, seed=seed
    )

    omnibus, pairwise = [], []
    for gv in gvs:
        for item in items:
            # One split of the answers for the omnibus test and its pairwise follow-up.
            part = cmp.split(data, item, gv, min_cell)
            omnibus.append(
                cmp.kruskal_item(
                    data,
                    item,
                    gv,
                    min_cell=min_cell,
                    n_boot=boot["n_boot"],
                    ci_level=ci,
                    rng=stream(seed, "kw", gv.name, item),
                    part=part,
                )
            )
            omnibus.append(
                cmp.not_relevant_item(
                    data,
                    flags,
                    item,
                    gv,
                    min_cell=min_cell,
                    n_resamples=boot["n_boot"],
                    rng=stream(seed, "nr", gv.name, item),
                )
            )
            if gv.pairwise:
                pairwise += cmp.dunn_item(data, item, gv, min_cell=min_cell, ci_level=ci, part=part)
        for item in settings.get("categorical_items", []):
            if item in data:
                omnibus.append(
                    cmp.categorical_item(
                        data,
                        item,
                        gv,
                        min_cell=min_cell,
                        n_resamples=boot["n_boot"],
                        rng=stream(seed, "cat", gv.name, item),
                    )
                )
        for scale in scales:
            part = cmp.split(data, scale, gv, min_cell)
            omnibus.append(
                cmp.welch_scale(data, scale, gv, min_cell=min_cell, ci_level=ci, part=part)
            )
            if gv.pairwise:
                pairwise += cmp.games_howell_scale(
                    data, scale, gv, min_cell=min_cell, ci_level=ci, part=part
                )

    omnibus = pd.DataFrame([r for r in omnibus if r is not None])
    is_scale = omnibus["outcome_type"] == "scale"
    omnibus = pd.concat(
        [
            adjust(omnibus[~is_scale], mult["item_screen"]),
            adjust(omnibus[is_scale], mult["scale_omnibus"]),
        ]
    ).sort_index()
    pairwise = pd.DataFrame(pairwise)
    if not pairwise.empty:
        dunn = pairwise["test"] == "dunn"
        # Games–Howell p-values already hold the family-wise rate over an outcome's pairs
        # (studentised range), so they are reported as their own adjusted value.
        gh = pairwise[~dunn].assign(p_adjusted=lambda d: d["p_value"], adjust_method="games_howell")
        pairwise = pd.concat([adjust(pairwise[dunn], mult["pairwise_items"]), gh]).sort_index()

    adjusted = adjusted_scales(data, settings, gvs, min_cell=min_cell)
    ordinal = models.result()
    return SurveyResults(
        group_summary=summary,
        reliability=reliability,
        omnibus=omnibus.reindex(columns=OMNIBUS_COLS),
        pairwise=pairwise.reindex(columns=PAIRWISE_COLS),
        ordinal=ordinal.reindex(columns=ORDINAL_COLS),
        adjusted_scales=adjusted,
        # Group columns keep their `group__` prefix (GroupVar.column): a scale may carry a group
        # variable's name (the scale `trust` beside the health trust `trust`).
        scores=data[[g.column for g in gvs] + scales]
        .astype({g.column: respondents[g.name].dtype for g in gvs})
        .reset_index(),
    )


def text_levels(df: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """`df` with the levels of `variables` as text (the references are text).

    A categorical whose categories are all text (the respondent frame's group columns) already
    is, and stays categorical: converting every respondent's value to a string column cost more
    than the model fits at 100× the demo. Any other column becomes ``str``.
    """
    convert = {
        v: str
        for v in variables
        if not (
            isinstance(df[v].dtype, pd.CategoricalDtype)
            and all(isinstance(c, str) for c in df[v].cat.categories)
        )
    }
    return df.astype(convert) if convert else df


def ordinal_models(data: pd.DataFrame, settings: dict, gvs, *, min_cell: int) -> pd.DataFrame:
    """Proportional-odds models of the configured items; small groups left out, joint p adjusted.

    Parameters
    ----------
    data : pandas.DataFrame
        Respondent-level frame.
    settings : dict
        The validated analysis settings (``ordinal_items``, ``adjusted_model``, ``multiplicity``).
    gvs : list of GroupVar
        The group variables.
    min_cell : int
        Levels below it are left out (with a complement, ``compare.kept_groups``), repeated until
        stable.

    Returns
    -------
    pandas.DataFrame
        The survey_ordinal rows (``ordinal.ordinal_item``) with ``joint_p_adjusted``.
    """
    model = settings["adjusted_model"]
    group_var, covariates = model["group_var"], list(model.get("covariates", []))
    references = {g.name: g.reference for g in gvs}
    rows = []
    for item in settings.get("ordinal_items", []):
        if item not in data:
            continue
        columns = {f"group__{v}": v for v in [group_var, *covariates]}
        sub = data[[*columns, item]].rename(columns=columns).dropna()
        # Levels below min_cell would give unstable odds ratios about a handful of people; a
        # single left-out level is complemented (cmp.kept_groups) so `n` does not reveal its size.
        # Dropping a level of one variable can push a level of another below min_cell: repeat.
        gv_of = {g.name: g for g in gvs}
        left_out = {v: (0, 0.0) for v in [group_var, *covariates]}
        changed = True
        while changed:
            changed = False
            for var in left_out:
                counts = sub[var].value_counts()
                counts = counts[counts > 0]  # a categorical also counts its absent levels
                counts.index = counts.index.astype(str)
                keep = cmp.kept_groups(
                    counts,
                    gv_of.get(var, GroupVar(var, references[var])),
                    min_cell,
                    prior=left_out[var],
                )
                if len(keep) < len(counts):
                    out = counts.drop(keep)
                    left_out[var] = (
                        left_out[var][0] + len(out),
                        left_out[var][1] + float(out.sum()),
                    )
                    sub = sub[sub[var].astype(str).isin(keep)]
                    changed = True
        if any(references[v] not in {str(x) for x in sub[v].unique()} for v in left_out):
            log.warning("ordinal model for %s skipped: a reference group is below min_cell", item)
            continue
        rows += ordm.ordinal_item(
            text_levels(sub, list(left_out)),
            item,
            group_var,
            covariates,
            references,
            ci_level=settings["ci_level"],
            po_test=model.get("po_test", "brant"),
        )
    ordinal = pd.DataFrame(rows)
    if ordinal.empty:
        return ordinal
    # One joint test per item and model forms the family: adjust those, then attach them to the
    # item's group-variable rows (covariate rows carry no joint test).
    key = ["outcome", "model"]
    firsts = ordinal[ordinal["variable"] == group_var].drop_duplicates(key)
    firsts = adjust(
        firsts,
        settings["multiplicity"]["ordinal_region"],
        p_col="joint_p",
        out_col="joint_p_adjusted",
    )
    ordinal = ordinal.merge(firsts[key + ["joint_p_adjusted", "adjust_method"]], on=key, how="left")
    ordinal.loc[ordinal["variable"] != group_var, ["joint_p_adjusted", "adjust_method"]] = np.nan
    return ordinal
