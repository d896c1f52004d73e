"""Survey results: respondents, reliability, comparisons across the primary group variable, the
item screen, the adjusted (scale-level) comparison and the secondary group variables.

Decision rules (each tested in tests/unit/test_report_survey.py; calibrated in validation/):
- a scale or item "differs" between groups when its adjusted p (within the family declared in
  survey-analysis.yaml) is below `alpha`;
- a pair is "higher"/"lower" only when its own (Games–Howell) p is below `alpha`; otherwise the
  estimate is reported without a direction word;
- "explained by <covariates>" only from the scale-level adjusted test: significant before
  adjustment, not after, the covariates themselves significant, and the region statistic at
  least halved; the sentence quotes both statistics (never a change of significance alone).
"""

from __future__ import annotations

import math

import pandas as pd

from impleval import fmt
from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext
from impleval.report.text import join

ATTENUATION = 0.5  # the adjusted Wald statistic per df must be at most half the unadjusted one


def settings(ctx: ReportContext) -> dict:
    return ctx.study.survey_analysis or {}


def primary(ctx: ReportContext) -> dict:
    return settings(ctx)["group_vars"][0]


def alpha(ctx: ReportContext) -> float:
    return float(settings(ctx).get("alpha", 0.05))


def _num(x, digits, ctx) -> str:
    return fmt.number(x, digits, ctx.language)


def _p(x, ctx) -> str:
    text = fmt.pvalue(x, ctx.language)
    return text if text.startswith("<") else f"= {text}"


def _ci(low, high, digits, ctx) -> str:
    return fmt.interval(low, high, digits, ctx.language)


# --- rules -------------------------------------------------------------------------------
def differing(frame: pd.DataFrame, alpha_level: float) -> pd.DataFrame:
    """Rows whose adjusted p is below alpha (NaN p never counts as a difference)."""
    return frame[frame["p_adjusted"].notna() & (frame["p_adjusted"] < alpha_level)]


def direction(estimate: float, p_value: float, alpha_level: float) -> str | None:
    """'higher' / 'lower' only for a pair that passes its own test; None otherwise."""
    if p_value is None or (isinstance(p_value, float) and math.isnan(p_value)):
        return None
    if p_value >= alpha_level or estimate == 0:
        return None
    return "higher" if estimate > 0 else "lower"


def explained_by_covariates(row: pd.Series, alpha_level: float) -> str:
    """Classify one scale's adjusted test: 'explained', 'persists', 'appears' or 'none'.

    `row` is one row of survey_adjusted_scales.csv: the unadjusted and adjusted scale-level Wald
    tests of the group variable (`unadj_*`, `adj_*`; p adjusted within the declared family) and
    the joint p of the covariates in the adjusted model (`cov_p`)."""
    before = row["unadj_p_adjusted"] < alpha_level
    after = row["adj_p_adjusted"] < alpha_level
    if before and after:
        return "persists"
    if not before and after:
        return "appears"
    if not before:
        return "none"
    shrunk = (row["adj_statistic"] / row["adj_df"]) <= ATTENUATION * (
        row["unadj_statistic"] / row["unadj_df"]
    )
    covariates_matter = row["cov_p"] < alpha_level
    return "explained" if (shrunk and covariates_matter) else "weakened"


# --- blocks ------------------------------------------------------------------------------
def respondents_paragraph(ctx: ReportContext) -> str:
    counts = _primary_counts(ctx)
    gv = primary(ctx)["name"]
    parts = [
        ctx.phrases("survey.n_analysed", n=fmt.integer(counts.pop("all", math.nan), ctx.language))
    ]
    if counts:
        listed = [
            ctx.phrases("survey.n_from", n=_count(n, ctx), group=ctx.labels.group_level(gv, level))
            for level, n in counts.items()
        ]
        parts.append(
            ctx.phrases(
                "survey.by_group",
                groups=ctx.labels.group_var(gv, plural=True),
                list=join(listed, ctx.language),
            )
        )
    parts.append(ctx.phrases("survey.not_relevant_rule"))
    return " ".join(parts)


def _count(n, ctx) -> str:
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return fmt.suppressed(ctx.min_cell, ctx.language)
    return fmt.integer(n, ctx.language)


def _primary_counts(ctx: ReportContext) -> dict:
    """Respondents per level of the primary group variable and in all (`all`), from the
    respondent characteristics table (already suppressed)."""
    gv = primary(ctx)["name"]
    table = ctx.results.table("survey_respondents")
    rows = table[(table["variable"] == gv) & (table["by"] == "all")]
    counts = {str(r.level): r.n for r in rows.itertuples()}
    ordered = {lvl: counts[lvl] for lvl in primary(ctx).get("levels", counts) if lvl in counts}
    ordered.update({k: v for k, v in counts.items() if k not in ordered})
    return ordered


def reliability_paragraph(ctx: ReportContext) -> str:
    rel = ctx.results.table("scale_reliability").dropna(subset=["alpha"])
    if rel.empty:
        return ""
    low = rel.loc[rel["alpha"].idxmin()]
    high = rel.loc[rel["alpha"].idxmax()]
    return ctx.phrases(
        "survey.reliability",
        n_scales=fmt.integer(len(rel), ctx.language),
        low=_num(low["alpha"], 2, ctx),
        low_scale=ctx.labels.scale(low["scale"]),
        high=_num(high["alpha"], 2, ctx),
        high_scale=ctx.labels.scale(high["scale"]),
        table=f"@{blocks.tbl_id('scale_reliability')}",
    )


def reliability_table(ctx: ReportContext) -> str:
    rel = ctx.results.table("scale_reliability").copy()
    rel["scale_label"] = [ctx.labels.scale(s) for s in rel["scale"]]
    rel["alpha_ci"] = blocks.estimate_ci(ctx, rel, "alpha", "alpha_ci_low", "alpha_ci_high")
    rel["omega_ci"] = blocks.estimate_ci(ctx, rel, "omega", "omega_ci_low", "omega_ci_high")
    h = ctx.phrases
    ci = fmt.percent(settings(ctx).get("ci_level", 0.95), 0, ctx.language)
    return blocks.results_table(
        ctx,
        rel,
        {
            "scale_label": h("col.scale"),
            "n_items": h("col.n_items"),
            "n": "n",
            "alpha_ci": h("col.alpha_ci", ci=ci),
            "omega_ci": h("col.omega_ci", ci=ci),
        },
        caption=h("survey.reliability_caption", ci=ci),
        identifier=blocks.tbl_id("scale_reliability"),
        download="scale_reliability",
        formats={"n_items": "integer", "n": "integer", "alpha_ci": "text", "omega_ci": "text"},
        download_columns={
            "scale": "scale",
            "n_items": "n_items",
            "n": "n",
            "alpha": "alpha",
            "alpha_ci_low": "alpha_ci_low",
            "alpha_ci_high": "alpha_ci_high",
            "omega": "omega",
            "omega_ci_low": "omega_ci_low",
            "omega_ci_high": "omega_ci_high",
        },
    )


def scales_paragraph(ctx: ReportContext) -> str:
    """How many scales differ across the primary group variable, and which, with Welch's F,
    the family-adjusted p and ω² with its interval."""
    gv = primary(ctx)["name"]
    omni = ctx.results.table("survey_omnibus")
    scales = omni[(omni["group_var"] == gv) & (omni["outcome_type"] == "scale")]
    if scales.empty:
        return ""
    diff = differing(scales, alpha(ctx))
    fields = dict(
        k=fmt.integer(len(diff), ctx.language),
        n=fmt.integer(len(scales), ctx.language),
        groups=ctx.labels.group_var(gv, plural=True),
        adjust=ctx.phrases(f"adjust.{scales['adjust_method'].iloc[0]}"),
        table=f"@{blocks.tbl_id('survey_omnibus')}",
    )
    if diff.empty:
        return ctx.phrases("survey.scales_none", **fields)
    detail = [
        ctx.phrases(
            "survey.scale_result",
            scale=ctx.labels.scale(r.outcome),
            f=_num(r.statistic, 2, ctx),
            df1=fmt.integer(r.df1, ctx.language),
            df2=_num(r.df2, 1, ctx),
            p=_p(r.p_adjusted, ctx),
            es=_num(r.effect_size, 2, ctx),
            ci=_ci(r.es_ci_low, r.es_ci_high, 2, ctx),
        )
        for r in diff.itertuples()
    ]
    return ctx.phrases("survey.scales_some", list=join(detail, ctx.language), **fields)


def pairs_paragraph(ctx: ReportContext) -> str:
    """For each differing scale: which levels score higher or lower than the reference
    (Games–Howell p below alpha), with Hedges g as level minus reference."""
    gv, ref = primary(ctx)["name"], primary(ctx).get("reference")
    omni = ctx.results.table("survey_omnibus")
    diff = differing(
        omni[(omni["group_var"] == gv) & (omni["outcome_type"] == "scale")], alpha(ctx)
    )
    pairs = ctx.results.table("survey_pairwise")
    sentences = []
    for scale in diff["outcome"]:
        rows = pairs[
            (pairs["outcome"] == scale) & (pairs["group_var"] == gv) & (pairs["group_a"] == ref)
        ]
        higher, lower = [], []
        for r in rows.itertuples():
            # The table holds reference minus level; the report says level minus reference.
            g, low, high = -r.effect_size, -r.es_ci_high, -r.es_ci_low
            word = direction(g, r.p_adjusted, alpha(ctx))
            if word is None:
                continue
            entry = ctx.phrases(
                "survey.pair",
                group=ctx.labels.group_level(gv, r.group_b),
                g=_num(g, 2, ctx),
                ci=_ci(low, high, 2, ctx),
            )
            (higher if word == "higher" else lower).append(entry)
        fields = dict(scale=ctx.labels.scale(scale), ref=ctx.labels.group_level(gv, ref))
        if not higher and not lower:
            sentences.append(ctx.phrases("survey.pairs_none", **fields))
            continue
        if lower:
            sentences.append(
                ctx.phrases("survey.pairs_lower", list=join(lower, ctx.language), **fields)
            )
        if higher:
            sentences.append(
                ctx.phrases("survey.pairs_higher", list=join(higher, ctx.language), **fields)
            )
    if not sentences:
        return ""
    return " ".join(sentences) + " " + ctx.phrases("survey.pairs_note")


def items_paragraph(ctx: ReportContext) -> str:
    gv = primary(ctx)["name"]
    omni = ctx.results.table("survey_omnibus")
    rows = omni[(omni["group_var"] == gv) & (omni["outcome_type"] == "item")]
    kw = rows[rows["family"] == "kruskal"]
    nr = rows[rows["family"] == "not_relevant"]
    parts = []
    if not kw.empty:
        parts.append(
            ctx.phrases(
                "survey.items_screen",
                k=fmt.integer(len(differing(kw, alpha(ctx))), ctx.language),
                n=fmt.integer(len(kw), ctx.language),
                groups=ctx.labels.group_var(gv, plural=True),
                adjust=ctx.phrases(f"adjust.{kw['adjust_method'].iloc[0]}"),
            )
        )
    if not nr.empty:
        parts.append(
            ctx.phrases(
                "survey.not_relevant_screen",
                k=fmt.integer(len(differing(nr, alpha(ctx))), ctx.language),
                n=fmt.integer(len(nr), ctx.language),
                groups=ctx.labels.group_var(gv, plural=True),
            )
        )
    return " ".join(parts)


def omnibus_table(ctx: ReportContext) -> str:
    gv = primary(ctx)["name"]
    omni = ctx.results.table("survey_omnibus")
    rows = omni[(omni["group_var"] == gv) & (omni["outcome_type"] == "scale")].copy()
    if rows.empty:
        return ""
    h = ctx.phrases
    rows["scale_label"] = [ctx.labels.scale(s) for s in rows["outcome"]]
    return blocks.results_table(
        ctx,
        rows,
        {
            "scale_label": h("col.scale"),
            "n": "n",
            "statistic": "F",
            "df1": h("col.df1"),
            "df2": h("col.df2"),
            "p_value": "p",
            "p_adjusted": h("col.p_adjusted"),
            "effect_size": "ω²",
            "es_ci_low": h("col.ci_low"),
            "es_ci_high": h("col.ci_high"),
        },
        caption=h(
            "survey.omnibus_caption",
            groups=ctx.labels.group_var(gv, plural=True),
            adjust=h(f"adjust.{rows['adjust_method'].iloc[0]}"),
        ),
        identifier=blocks.tbl_id("survey_omnibus"),
        download="survey_omnibus",
        formats={"df1": "integer", "n": "integer", "p_value": "pvalue", "p_adjusted": "pvalue"},
        digits={"statistic": 2, "df2": 1, "effect_size": 3, "es_ci_low": 3, "es_ci_high": 3},
    )


def adjusted_section(ctx: ReportContext) -> str:
    """The scale-level adjusted comparison: one classified sentence per scale that differs
    before or after adjustment, quoting both Wald statistics."""
    model = settings(ctx).get("adjusted_model")
    if not model:
        return ""
    if not ctx.results.has_table("survey_adjusted_scales"):
        # Item-level models only (no scale-level test in the results): the figure and the
        # proportional-odds check, without any "explained by" claim.
        return md.blocks(_brant_sentence(ctx), blocks.figure(ctx, "survey_odds_ratios"))
    table = ctx.results.table("survey_adjusted_scales")
    gv = model["group_var"]
    covariates = join([ctx.labels.group_var(c) for c in model.get("covariates", [])], ctx.language)
    a = alpha(ctx)
    sentences = {"explained": [], "weakened": [], "persists": [], "appears": []}
    for row in table.itertuples():
        kind = explained_by_covariates(pd.Series(row._asdict()), a)
        if kind == "none":
            continue
        sentences[kind].append(
            ctx.phrases(
                "survey.adjusted_scale",
                scale=ctx.labels.scale(row.scale),
                x1=_num(row.unadj_statistic, 1, ctx),
                df1=fmt.integer(row.unadj_df, ctx.language),
                p1=_p(row.unadj_p_adjusted, ctx),
                x2=_num(row.adj_statistic, 1, ctx),
                df2=fmt.integer(row.adj_df, ctx.language),
                p2=_p(row.adj_p_adjusted, ctx),
            )
        )
    fields = dict(
        groups=ctx.labels.group_var(gv, plural=True),
        covariates=covariates,
        n=fmt.integer(len(table), ctx.language),
        adjust=ctx.phrases(f"adjust.{table['adjust_method'].iloc[0]}"),
    )
    parts = [ctx.phrases("survey.adjusted_intro", **fields)]
    if not any(sentences.values()):
        parts.append(ctx.phrases("survey.adjusted_none", **fields))
    for kind, entries in sentences.items():
        if entries:
            parts.append(
                ctx.phrases(f"survey.adjusted_{kind}", list=join(entries, ctx.language), **fields)
            )
    parts.append(_brant_sentence(ctx))
    h = ctx.phrases
    frame = table.copy()
    frame["scale_label"] = [ctx.labels.scale(s) for s in frame["scale"]]
    tbl = blocks.results_table(
        ctx,
        frame,
        {
            "scale_label": h("col.scale"),
            "n": "n",
            "unadj_statistic": h("col.wald_unadjusted"),
            "unadj_df": h("col.df_unadjusted"),
            "unadj_p_adjusted": h("col.p_adjusted_unadjusted"),
            "adj_statistic": h("col.wald_adjusted"),
            "adj_df": h("col.df_adjusted"),
            "adj_p_adjusted": h("col.p_adjusted_adjusted"),
            "cov_p": h("col.covariates_p"),
        },
        caption=h(
            "survey.adjusted_caption",
            covariates=covariates,
            **{k: v for k, v in fields.items() if k != "covariates"},
        ),
        identifier=blocks.tbl_id("survey_adjusted_scales"),
        download="survey_adjusted_scales",
        formats={
            "n": "integer",
            "unadj_df": "integer",
            "adj_df": "integer",
            "unadj_p_adjusted": "pvalue",
            "adj_p_adjusted": "pvalue",
            "cov_p": "pvalue",
        },
        digits={"unadj_statistic": 1, "adj_statistic": 1},
    )
    return md.blocks(" ".join(p for p in parts if p), tbl, blocks.figure(ctx, "survey_odds_ratios"))


def _brant_sentence(ctx: ReportContext) -> str:
    """How many item models rejected proportional odds, and how many could not be tested."""
    ordinal = ctx.results.table("survey_ordinal")
    if ordinal.empty or "po_test_all_p" not in ordinal:
        return ""
    models = ordinal[ordinal["model"] == "adjusted"].drop_duplicates("outcome")
    tested = models["po_test_all_p"].notna()
    rejected = (models["po_test_all_p"] < alpha(ctx)) & tested
    return ctx.phrases(
        "survey.brant",
        k=fmt.integer(int(rejected.sum()), ctx.language),
        n=fmt.integer(int(tested.sum()), ctx.language),
        untested=fmt.integer(int((~tested).sum()), ctx.language),
    )


def secondary_paragraph(ctx: ReportContext) -> str:
    """One sentence per further group variable (e.g. trust, role): scales and items that
    differ, within the same families."""
    omni = ctx.results.table("survey_omnibus")
    out = []
    for gv in settings(ctx)["group_vars"][1:]:
        rows = omni[omni["group_var"] == gv["name"]]
        scales = rows[rows["outcome_type"] == "scale"]
        items = rows[(rows["outcome_type"] == "item") & (rows["family"] == "kruskal")]
        if scales.empty and items.empty:
            continue
        diff_scales = differing(scales, alpha(ctx))
        out.append(
            ctx.phrases(
                "survey.secondary",
                groups=ctx.labels.group_var(gv["name"], plural=True),
                k_scales=fmt.integer(len(diff_scales), ctx.language),
                n_scales=fmt.integer(len(scales), ctx.language),
                k_items=fmt.integer(len(differing(items, alpha(ctx))), ctx.language),
                n_items=fmt.integer(len(items), ctx.language),
                which=join([ctx.labels.scale(s) for s in diff_scales["outcome"]], ctx.language),
            )
        )
    return " ".join(out)


def categorical_paragraph(ctx: ReportContext) -> str:
    gv = primary(ctx)["name"]
    omni = ctx.results.table("survey_omnibus")
    rows = omni[(omni["group_var"] == gv) & (omni["family"] == "categorical")]
    out = []
    for r in rows.itertuples():
        key = (
            "survey.categorical_differs" if r.p_adjusted < alpha(ctx) else "survey.categorical_same"
        )
        out.append(
            ctx.phrases(
                key,
                question=md.escape(ctx.labels.question(r.outcome)),
                groups=ctx.labels.group_var(gv, plural=True),
                test=ctx.phrases(f"test.{r.test}"),
                p=_p(r.p_adjusted, ctx),
                v=_num(r.effect_size, 2, ctx),
            )
        )
    return " ".join(out)


def build(ctx: ReportContext) -> str:
    if not ctx.study.has("survey"):
        return ""
    gv = primary(ctx)["name"]
    h = ctx.phrases
    return md.blocks(
        respondents_paragraph(ctx),
        md.heading(h("heading.survey_reliability"), 4, "sec-survey-reliability"),
        reliability_paragraph(ctx),
        reliability_table(ctx),
        md.heading(
            h("heading.survey_comparison", groups=ctx.labels.group_var(gv, plural=True)),
            4,
            "sec-survey-comparison",
        ),
        h(
            "survey.likert_intro",
            figure=f"@{blocks.fig_id('survey_likert_bars')}",
            key=f"@{blocks.tbl_id('item_key')}",
        ),
        blocks.figure(ctx, "survey_likert_bars"),
        scales_paragraph(ctx),
        omnibus_table(ctx),
        blocks.figure(ctx, "survey_scale_distributions"),
        pairs_paragraph(ctx),
        blocks.figure(ctx, "survey_forest"),
        items_paragraph(ctx),
        categorical_paragraph(ctx),
        md.heading(h("heading.survey_adjusted"), 4, "sec-survey-adjusted")
        if adjusted_section(ctx)
        else "",
        adjusted_section(ctx),
        md.heading(h("heading.survey_secondary"), 4, "sec-survey-secondary")
        if secondary_paragraph(ctx)
        else "",
        secondary_paragraph(ctx),
    )


def adjusted_classes(ctx: ReportContext) -> dict[str, list[str]]:
    """Scale labels per classification of the adjusted test (see `explained_by_covariates`)."""
    out: dict[str, list[str]] = {"explained": [], "weakened": [], "persists": [], "appears": []}
    if not settings(ctx).get("adjusted_model") or not ctx.results.has_table(
        "survey_adjusted_scales"
    ):
        return out
    for _, row in ctx.results.table("survey_adjusted_scales").iterrows():
        kind = explained_by_covariates(row, alpha(ctx))
        if kind in out:
            out[kind].append(ctx.labels.scale(row["scale"]))
    return out


def key_findings(ctx: ReportContext) -> list[str]:
    """The survey's headline sentences for the summary, from the same rules as the results."""
    flow = ctx.results.table("participant_flow")
    received, analysed = int(flow["n_remaining"].iloc[0]), int(flow["n_remaining"].iloc[-1])
    gv = primary(ctx)["name"]
    omni = ctx.results.table("survey_omnibus")
    scales = omni[(omni["group_var"] == gv) & (omni["outcome_type"] == "scale")]
    diff = differing(scales, alpha(ctx))
    out = [
        ctx.phrases(
            "summary.survey_n",
            analysed=fmt.integer(analysed, ctx.language),
            received=fmt.integer(received, ctx.language),
        ),
        ctx.phrases(
            "summary.survey_scales",
            k=fmt.integer(len(diff), ctx.language),
            n=fmt.integer(len(scales), ctx.language),
            groups=ctx.labels.group_var(gv, plural=True),
            which=join([ctx.labels.scale(s) for s in diff["outcome"]], ctx.language),
        ),
    ]
    model = settings(ctx).get("adjusted_model")
    classes = adjusted_classes(ctx)
    if model and any(classes.values()):
        covariates = join(
            [ctx.labels.group_var(c) for c in model.get("covariates", [])], ctx.language
        )
        for kind in ("persists", "explained", "appears"):
            if classes[kind]:
                out.append(
                    ctx.phrases(
                        f"summary.survey_adjusted_{kind}",
                        covariates=covariates,
                        which=join(classes[kind], ctx.language),
                    )
                )
    return out
