"""Integration of the strands: the joint display [@guetterman2015] and the study team's
meta-inferences (GRAMMS 4 and 6).

The display sets each survey construct (scale) beside the interview themes and monitoring
outcomes the study maps to it, with the key number of each. The mapping is study config:
`integration:` in the study's report definition (documented there, in
config/demo-study/report.yaml). Entries:

    integration:
      - scale: <scale id from survey-analysis.yaml `scales:`>      # optional
        themes: [<theme ids from interviews.yaml>]                  # optional
        outcomes: [<outcome ids from monitoring.yaml `outcomes:`>]  # optional
        label: {nb: …, en: …}  # the row's name; required without a scale (or a survey)

A row names at least two strands. An id that the collected strand does not define stops the
report with the usual problem list (never a silently empty cell); a strand the study did not
collect is left out of the display, with a sentence.

Key numbers and their rules (the same rule functions as the strand's own section, so the
display cannot disagree with it):
- scale: mean score over all analysed respondents (SD, n; the response range when all its items
  share one) and whether it "differs" between the primary groups: `survey.differing` (the
  family-adjusted Welch p below the survey's alpha); otherwise "no clear difference";
- theme: share of interviews mentioning it, and its change across the stages classified by
  `interviews.theme_changes` (direction words only when the trend test passes), with the
  agreement caveat of `interviews.caveat` when a code of the theme is below the κ target;
- outcome: the pooled level change at go-live with its confidence interval and p (rate ratio
  for count outcomes modelled on the log scale); a single site's estimate when the study has
  one site and no pooled model.

Results read (all exist today): `survey_group_summary.csv` (scale rows, primary group variable,
group `all`: mean, sd, n), `survey_omnibus.csv` (scale rows: p_adjusted), `its_estimates.csv`
(parameter `level_change`: estimate, ci_low, ci_high, p_value, scale; site `pooled`), and the
interview tables through impleval.report.sections.interviews.

No convergence column: whether a survey mean, a share of interviews and a change in waiting
time "agree" depends on what the study expected of each, which the config does not (and could
not meaningfully) encode as a rule; the judgement is the study team's meta-inferences prose
(`blocks.prose(ctx, "meta_inferences")`), shown right below the display.
"""

from __future__ import annotations

import math

import pandas as pd

from impleval import fmt
from impleval.errors import InputError, Problem
from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext
from impleval.report.sections import interviews, survey
from impleval.report.text import join

STRAND_KEYS = {"survey": "scale", "interviews": "themes", "monitoring": "outcomes"}
POOLED = "pooled"  # site id of the pooled interrupted-time-series model
RATIO_SCALES = {"log_rate_ratio"}  # estimates on the log scale, shown as ratios
LINE = "<br>"  # line break between the entries of one cell (HTML output)


# --- the mapping -----------------------------------------------------------------------------
def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _defined(ctx: ReportContext, strand: str) -> set[str]:
    if strand == "survey":
        return set((ctx.study.survey_analysis or {}).get("scales", {}))
    if strand == "interviews":
        return set(interviews.themes_in_order(ctx))
    return set((ctx.study.monitoring or {}).get("outcomes", {}))


def mapping(ctx: ReportContext) -> list[dict]:
    """The study's joint-display rows, checked: `[{scale, themes, outcomes, label}]`."""
    raw = ctx.study.report.get("integration") or []
    where = "report definition"
    if not isinstance(raw, list):
        raise InputError(
            Problem(where, "a list of rows (scale, themes, outcomes, label)", column="integration")
        )
    problems, rows = [], []
    for i, entry in enumerate(raw):
        column = f"integration[{i}]"
        if not isinstance(entry, dict):
            problems.append(
                Problem(where, "a mapping with scale, themes, outcomes, label", column=column)
            )
            continue
        unknown = set(entry) - {"scale", "themes", "outcomes", "label"}
        for key in sorted(unknown):
            problems.append(
                Problem(
                    where, "only the keys scale, themes, outcomes, label", column=f"{column}.{key}"
                )
            )
        row = {
            "scale": entry.get("scale"),
            "themes": _as_list(entry.get("themes")),
            "outcomes": _as_list(entry.get("outcomes")),
            "label": entry.get("label"),
        }
        named = [s for s, key in STRAND_KEYS.items() if row[key]]
        if len(named) < 2:
            problems.append(
                Problem(
                    where,
                    "a row naming at least two strands (a scale, themes, outcomes)",
                    column=column,
                )
            )
        if not row["label"] and not (row["scale"] and ctx.study.has("survey")):
            problems.append(
                Problem(
                    where,
                    "a label for a row without a scale of a collected survey",
                    column=f"{column}.label",
                )
            )
        for strand, key in STRAND_KEYS.items():
            if not ctx.study.has(strand):
                continue  # left out of the display, with a sentence
            defined = _defined(ctx, strand)
            for value in _as_list(row[key]):
                if value not in defined:
                    problems.append(
                        Problem(
                            where,
                            f"an id the study's {strand} definition "
                            f"declares ({', '.join(sorted(defined)) or 'none'})",
                            column=f"{column}.{key}",
                            value=value,
                        )
                    )
        rows.append(row)
    if problems:
        raise InputError(problems)
    return rows


def shown_strands(ctx: ReportContext, rows: list[dict]) -> list[str]:
    """Strands the study collected and at least one row names, in the report's order."""
    return [
        s
        for s, key in STRAND_KEYS.items()
        if ctx.study.has(s) and any(_as_list(r[key]) for r in rows)
    ]


def absent_strands(ctx: ReportContext, rows: list[dict]) -> list[str]:
    """Strands some row names but the study did not collect."""
    return [
        s
        for s, key in STRAND_KEYS.items()
        if not ctx.study.has(s) and any(_as_list(r[key]) for r in rows)
    ]


# --- key numbers -------------------------------------------------------------------------------
def _missing(x) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _p(x, ctx: ReportContext) -> str:
    text = fmt.pvalue(x, ctx.language)
    return text if text.startswith("<") else f"= {text}"


def scale_range(ctx: ReportContext, sid: str) -> tuple[float, float] | None:
    """The response range of a scale's items (survey-analysis `agreement:`), when they share
    one; None otherwise."""
    analysis = ctx.study.survey_analysis or {}
    items = analysis.get("scales", {}).get(sid, {}).get("items", [])
    agreement = analysis.get("agreement", {})
    default = agreement.get("default", {})
    ranges = set()
    for item in items:
        spec = next(
            (o for o in agreement.get("overrides", []) if item in o.get("items", [])), default
        )
        ranges.add((spec.get("min"), spec.get("max")))
    if len(ranges) != 1:
        return None
    low, high = ranges.pop()
    return None if low is None or high is None else (low, high)


def scale_result(ctx: ReportContext, sid: str) -> dict:
    """Mean, SD, n over all respondents and the primary-group test of one scale (NaN where the
    results do not hold it)."""
    out = {
        "scale": sid,
        "mean": math.nan,
        "sd": math.nan,
        "n": math.nan,
        "p_adjusted": math.nan,
        "differs": None,
    }
    gv = survey.primary(ctx)["name"]
    if ctx.results.has_table("survey_group_summary"):
        g = ctx.results.table("survey_group_summary")
        row = g[
            (g["outcome"] == sid)
            & (g["outcome_type"] == "scale")
            & (g["group_var"] == gv)
            & (g["group"] == "all")
        ]
        if len(row):
            out.update(mean=row["mean"].iloc[0], sd=row["sd"].iloc[0], n=row["n"].iloc[0])
    if ctx.results.has_table("survey_omnibus"):
        o = ctx.results.table("survey_omnibus")
        row = o[(o["outcome"] == sid) & (o["outcome_type"] == "scale") & (o["group_var"] == gv)]
        if len(row) and not _missing(row["p_adjusted"].iloc[0]):
            out["p_adjusted"] = row["p_adjusted"].iloc[0]
            out["differs"] = len(survey.differing(row, survey.alpha(ctx))) > 0
    return out


def scale_cell(ctx: ReportContext, sid: str) -> str:
    res = scale_result(ctx, sid)
    if _missing(res["mean"]):
        return ctx.phrases("integration.no_result")
    lang = ctx.language
    rng = scale_range(ctx, sid)
    fields = dict(
        mean=fmt.number(res["mean"], 2, lang),
        sd=fmt.number(res["sd"], 2, lang),
        n=fmt.integer(res["n"], lang),
    )
    if rng:
        text = ctx.phrases(
            "integration.scale_mean_range",
            low=fmt.integer(rng[0], lang),
            high=fmt.integer(rng[1], lang),
            **fields,
        )
    else:
        text = ctx.phrases("integration.scale_mean", **fields)
    if res["differs"] is not None:
        groups = ctx.labels.group_var(survey.primary(ctx)["name"], plural=True)
        key = "integration.scale_differs" if res["differs"] else "integration.scale_same"
        text += "; " + ctx.phrases(key, groups=groups, p=_p(res["p_adjusted"], ctx))
    return text


def theme_cell(ctx: ReportContext, tid: str) -> str:
    prev = interviews.theme_prevalence(ctx)
    share = prev.loc[tid, "share"] if prev is not None and tid in prev.index else math.nan
    change = interviews.theme_changes(ctx).get(tid)
    parts = []
    if not _missing(share):
        parts.append(
            ctx.phrases("integration.theme_share", share=fmt.percent(share, 0, ctx.language))
        )
    if change is not None:
        parts.append(interviews.change_phrase(ctx, change))
    if not parts:
        parts.append(ctx.phrases("integration.no_result"))
    return interviews.theme_ref(ctx, tid, "; ".join(parts))


def outcome_result(ctx: ReportContext, oid: str) -> dict | None:
    """The pooled level change of one outcome (a single site's when there is no pooled model
    and one site): estimate, CI, p, scale, site; None when the results hold none."""
    if not ctx.results.has_table("its_estimates"):
        return None
    est = ctx.results.table("its_estimates")
    rows = est[(est["outcome"] == oid) & (est["parameter"] == "level_change")]
    pooled = rows[rows["site"] == POOLED]
    if len(pooled):
        row = pooled.iloc[0]
    elif rows["site"].nunique() == 1:
        row = rows.iloc[0]
    else:
        return None
    return {
        "outcome": oid,
        "site": row["site"],
        "estimate": row["estimate"],
        "ci_low": row["ci_low"],
        "ci_high": row["ci_high"],
        "p_value": row["p_value"],
        "scale": row.get("scale", "difference"),
    }


def outcome_cell(ctx: ReportContext, oid: str) -> str:
    res = outcome_result(ctx, oid)
    label = md.escape(ctx.labels.outcome(oid))
    if res is None or _missing(res["estimate"]):
        return ctx.phrases("integration.outcome_missing", outcome=label)
    lang = ctx.language
    where = (
        ctx.phrases("integration.pooled")
        if res["site"] == POOLED
        else md.escape(ctx.labels.site(str(res["site"])))
    )
    p = _p(res["p_value"], ctx)
    if res["scale"] in RATIO_SCALES:
        return ctx.phrases(
            "integration.outcome_ratio",
            outcome=label,
            estimate=fmt.number(math.exp(res["estimate"]), 2, lang),
            ci=fmt.interval(math.exp(res["ci_low"]), math.exp(res["ci_high"]), 2, lang),
            where=where,
            p=p,
        )
    unit = md.escape(ctx.labels.unit(oid))
    key = "integration.outcome_level" if unit else "integration.outcome_level_nounit"
    return ctx.phrases(
        key,
        outcome=label,
        estimate=fmt.number(res["estimate"], 1, lang),
        unit=unit,
        ci=fmt.interval(res["ci_low"], res["ci_high"], 1, lang),
        where=where,
        p=p,
    )


# --- the display ------------------------------------------------------------------------------
def row_label(ctx: ReportContext, row: dict) -> str:
    if row["label"]:
        return md.escape(ctx.labels.text(row["label"]))
    return md.escape(ctx.labels.scale(row["scale"]))


def raw_rows(ctx: ReportContext, rows: list[dict], strands: list[str]) -> pd.DataFrame:
    """The display's numbers, one line per element, for the CSV download."""
    out = []
    for i, row in enumerate(rows, start=1):
        if "survey" in strands and row["scale"]:
            res = scale_result(ctx, row["scale"])
            out.append(
                {
                    "row": i,
                    "strand": "survey",
                    "id": row["scale"],
                    "value": res["mean"],
                    "sd": res["sd"],
                    "n": res["n"],
                    "p_adjusted": res["p_adjusted"],
                }
            )
        if "interviews" in strands:
            prev = interviews.theme_prevalence(ctx)
            changes = interviews.theme_changes(ctx)
            for tid in row["themes"]:
                change = changes.get(tid)
                trend = (change.trend or {}) if change else {}
                out.append(
                    {
                        "row": i,
                        "strand": "interviews",
                        "id": tid,
                        "value": prev.loc[tid, "share"]
                        if prev is not None and tid in prev.index
                        else math.nan,
                        "change": change.kind if change else "",
                        "r": trend.get("effect_size", math.nan),
                        "p_adjusted": trend.get("p_adjusted", math.nan),
                    }
                )
        if "monitoring" in strands:
            for oid in row["outcomes"]:
                res = outcome_result(ctx, oid) or {}
                out.append(
                    {
                        "row": i,
                        "strand": "monitoring",
                        "id": oid,
                        "value": res.get("estimate", math.nan),
                        "ci_low": res.get("ci_low", math.nan),
                        "ci_high": res.get("ci_high", math.nan),
                        "p_value": res.get("p_value", math.nan),
                        "scale": res.get("scale", ""),
                    }
                )
    return pd.DataFrame(out)


def joint_display(ctx: ReportContext, rows: list[dict]) -> str:
    strands = shown_strands(ctx, rows)
    h = ctx.phrases
    lines = []
    for row in rows:
        line = {h("integration.col.construct"): row_label(ctx, row)}
        for strand in strands:
            if strand == "survey":
                cell = scale_cell(ctx, row["scale"]) if row["scale"] else "–"
            elif strand == "interviews":
                cell = LINE.join(theme_cell(ctx, t) for t in row["themes"]) or "–"
            else:
                cell = LINE.join(outcome_cell(ctx, o) for o in row["outcomes"]) or "–"
            line[h(f"integration.col.{strand}")] = cell  # labels escaped where they are set
        lines.append(line)
    shown = pd.DataFrame(lines)
    notes = [
        h(
            f"integration.note.{s}",
            groups=ctx.labels.group_var(survey.primary(ctx)["name"], plural=True)
            if s == "survey"
            else "",
            ci=fmt.percent(_ci_level(ctx), 0, ctx.language),
        )
        for s in strands
    ]
    notes.append(h("integration.note.judgement"))
    link = md.csv_link(raw_rows(ctx, rows, strands), "joint_display.csv", h("table.download"))
    return md.table(
        md.pipe_table(shown),
        h("integration.caption"),
        blocks.tbl_id("joint_display"),
        note=" ".join(notes),
        download=link,
    )


def _ci_level(ctx: ReportContext) -> float:
    return float((ctx.study.monitoring or {}).get("analysis", {}).get("ci_level", 0.95))


def build(ctx: ReportContext) -> str:
    """'' for a study with fewer than two strands (nothing to integrate)."""
    if len(ctx.study.strands) < 2:
        return ""
    h = ctx.phrases
    rows = mapping(ctx)
    meta = [
        md.heading(h("heading.integration_meta"), 4, "sec-integration-meta"),
        blocks.prose(ctx, "meta_inferences"),
    ]
    if not rows or len(shown_strands(ctx, rows)) < 2:
        return md.blocks(h("integration.none"), *meta)
    parts = [h("integration.intro", table=f"@{blocks.tbl_id('joint_display')}")]
    absent = absent_strands(ctx, rows)
    if absent:
        parts.append(
            h(
                "integration.absent",
                strands=join([h(f"integration.strand.{s}") for s in absent], ctx.language),
            )
        )
    return md.blocks(" ".join(parts), joint_display(ctx, rows), *meta)
