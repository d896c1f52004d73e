"""Numbers the survey chapter quotes, formatted for the report language (results/values/survey.yml).

Read in the chapters as {{< var survey.<key> >}}. Only formatting and selection here: every number
comes from the result tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval import fmt
from impleval.config import label


def _es(value, low, high, language, digits=2) -> str:
    return f"{fmt.number(value, digits, language)} {fmt.interval(low, high, digits, language)}"


def _join(names: list[str], language: str) -> str:
    none = {"nb": "ingen", "en": "none"}[language]
    if not names:
        return none
    if len(names) == 1:
        return names[0]
    conj = {"nb": " og ", "en": " and "}[language]
    return ", ".join(names[:-1]) + conj + names[-1]


def survey_values(
    res, settings: dict, *, region_labels: dict, language: str, min_cell: int
) -> dict:
    gv = settings["group_vars"][0]["name"]
    ref = settings["group_vars"][0]["reference"]
    alpha = settings["alpha"]
    scale_label = {
        s: label({s: d.get("label", s)}, s, language) for s, d in settings["scales"].items()
    }
    scores = res.scores
    region_n = _region_counts(scores, settings, gv, min_cell)
    values: dict = {
        "n_respondents": region_n.pop(ALL),
        "reference_region": label(region_labels, ref, language),
        "n_boot": fmt.integer(settings["bootstrap"]["n_boot"], language),
        "ci_level": fmt.percent(settings["ci_level"], 0, language),
        "min_cell": fmt.integer(min_cell, language),
        "n_region": {
            r: (fmt.suppressed(min_cell, language) if pd.isna(n) else fmt.integer(n, language))
            for r, n in region_n.items()
        },
    }
    if pd.isna(values["n_respondents"]):
        values["n_respondents"] = fmt.suppressed(min_cell, language)
    else:
        values["n_respondents"] = fmt.integer(values["n_respondents"], language)
    omni = res.omnibus[(res.omnibus["group_var"] == gv)]
    scales = {}
    for s in settings["scales"]:
        row = omni[(omni["outcome"] == s) & (omni["test"] == "welch_anova")]
        rel = res.reliability[res.reliability["scale"] == s]
        entry = {"label": scale_label[s]}
        if len(rel):
            r = rel.iloc[0]
            entry["alpha"] = _es(r["alpha"], r["alpha_ci_low"], r["alpha_ci_high"], language)
            entry["omega"] = _es(r["omega"], r["omega_ci_low"], r["omega_ci_high"], language)
        if len(row):
            r = row.iloc[0]
            entry.update(
                f=fmt.number(r["statistic"], 2, language),
                df1=fmt.number(r["df1"], 0, language),
                df2=fmt.number(r["df2"], 1, language),
                p=fmt.pvalue(r["p_value"], language),
                p_adjusted=fmt.pvalue(r["p_adjusted"], language),
                omega2=_es(r["effect_size"], r["es_ci_low"], r["es_ci_high"], language),
            )
        pairs = res.pairwise[
            (res.pairwise["outcome"] == s)
            & (res.pairwise["group_var"] == gv)
            & (res.pairwise["group_a"] == ref)
        ]
        # Region minus reference (positive: the region scores higher), as in the forest plot and
        # the odds ratios; the pairwise table holds group_a (the reference) minus group_b.
        entry["g_vs_reference"] = {
            p.group_b: _es(-p.effect_size, -p.es_ci_high, -p.es_ci_low, language)
            for p in pairs.itertuples()
        }
        # A region left out of the comparison (too few respondents, or hidden as a complement so
        # that a small one cannot be worked out) still has a value for the report: the mark.
        for region in values["n_region"]:
            if region != ref:
                entry["g_vs_reference"].setdefault(region, fmt.suppressed(min_cell, language))
        scales[s] = entry
    values["scales"] = scales
    differ = omni[(omni["outcome_type"] == "scale") & (omni["p_adjusted"] < alpha)]["outcome"]
    values["scales_differing"] = _join([scale_label[s] for s in differ], language)
    values["n_scales_differing"] = fmt.integer(len(differ), language)

    items = omni[(omni["outcome_type"] == "item") & (omni["test"] == "kruskal_wallis")]
    values["n_items_screened"] = fmt.integer(len(items), language)
    values["n_items_differing"] = fmt.integer(int((items["p_adjusted"] < alpha).sum()), language)
    nr = omni[(omni["outcome_type"] == "item") & (omni["family"] == "not_relevant")]
    values["n_items_nr_differing"] = fmt.integer(int((nr["p_adjusted"] < alpha).sum()), language)

    values.update(_adjusted_values(res.ordinal, settings, scale_label, language, alpha))
    return {"survey": values}


ALL = "all"


def _region_counts(scores: pd.DataFrame, settings: dict, gv: str, min_cell: int) -> dict:
    """Respondents per region and in total (`all`), NaN where hidden: the same suppressed group
    counts as the results tables (`descriptives.group_sizes`: every margin and the nesting of
    trusts in regions), so no hidden region is the total minus counts printed elsewhere."""
    from impleval.survey.settings import group_vars
    from impleval.survey.stats.descriptives import group_sizes

    gvs = [g for g in group_vars(settings) if g.name in scores.columns]
    frame = scores.rename(columns={g.name: g.column for g in gvs})
    sizes = group_sizes(frame, gvs, min_cell=min_cell)
    sizes = sizes[sizes["group_var"] == gv]
    return {
        str(g): (np.nan if pd.isna(n) else int(n))
        for g, n in zip(sizes["group"], sizes["n"], strict=True)
    }


def _adjusted_values(
    ordinal: pd.DataFrame, settings: dict, scale_label: dict, language: str, alpha: float
) -> dict:
    """Per construct: items whose region effect is significant before / after adjustment."""
    if ordinal.empty:
        return {"adjusted": {}}
    gv = settings["adjusted_model"]["group_var"]
    joint = ordinal[ordinal["variable"] == gv].drop_duplicates(["outcome", "model"])
    sig = joint.assign(sig=joint["joint_p_adjusted"] < alpha).pivot(
        index="outcome", columns="model", values="sig"
    )
    explained, explained_ids, remaining, per_scale = [], [], [], {}
    covariate = ordinal[(ordinal["model"] == "adjusted") & (ordinal["variable"] != gv)]
    covariate_p = covariate.drop_duplicates("outcome").set_index("outcome")["joint_p"]
    for s, d in settings["scales"].items():
        items = [i for i in d["items"] if i in sig.index]
        if not items:
            continue
        before = int(sig.loc[items, "unadjusted"].sum())
        after = int(sig.loc[items, "adjusted"].sum())
        per_scale[s] = {
            "n_items": fmt.integer(len(items), language),
            "n_unadjusted": fmt.integer(before, language),
            "n_adjusted": fmt.integer(after, language),
        }
        # Explained by the profession mix: a region difference before adjustment on some item,
        # none after, and profession itself related to the answers on those items.
        differing = [i for i in items if sig.loc[i, "unadjusted"]]
        if before and not after and (covariate_p.reindex(differing) < alpha).all():
            explained.append(scale_label[s])
            explained_ids.append(s)
        elif after:
            remaining.append(scale_label[s])
        rows = ordinal[(ordinal["outcome"].isin(items)) & (ordinal["variable"] == gv)]
        per_scale[s]["or_range_unadjusted"] = _range(rows[rows["model"] == "unadjusted"], language)
        per_scale[s]["or_range_adjusted"] = _range(rows[rows["model"] == "adjusted"], language)
    po = ordinal.drop_duplicates(["outcome", "model"])
    po_viol = int((po.loc[po["model"] == "adjusted", "po_test_all_p"] < alpha).sum())
    return {
        "adjusted": {
            "scales": per_scale,
            "explained_by_profession": _join(explained, language),
            "explained_sentence": _explained_sentence(
                explained, explained_ids, per_scale, language
            ),
            "differ_after_adjustment": _join(remaining, language),
            "n_po_violations": fmt.integer(po_viol, language),
            "n_models": fmt.integer(int((po["model"] == "adjusted").sum()), language),
        }
    }


EXPLAINED = {
    "nb": (
        "Det gjaldt {names}: for {first} skilte {before} av {items} spørsmål seg mellom regionene "
        "før justering og {after} etter justering.",
        "Det gjaldt ingen av konstruktene.",
    ),
    "en": (
        "This was the case for {names}: for {first}, {before} of {items} items differed between "
        "regions before adjustment and {after} after adjustment.",
        "This was the case for none of the constructs.",
    ),
}


def _explained_sentence(labels: list[str], ids: list[str], per_scale: dict, language: str) -> str:
    """The chapter's sentence on constructs explained by the profession mix, quoting the counts of
    the first such construct (whichever it is), or the variant for none."""
    with_counts, none = EXPLAINED[language]
    if not ids:
        return none
    first = per_scale[ids[0]]
    return with_counts.format(
        names=_join(labels, language),
        first=labels[0],
        before=first["n_unadjusted"],
        items=first["n_items"],
        after=first["n_adjusted"],
    )


def _range(rows: pd.DataFrame, language: str) -> str:
    if rows.empty:
        return fmt.MISSING[language]
    low, high = np.nanmin(rows["odds_ratio"]), np.nanmax(rows["odds_ratio"])
    dash = "–"
    return f"{fmt.number(low, 2, language)}{dash}{fmt.number(high, 2, language)}"
