"""Participants: the survey's flow, response rates and respondent characteristics; the
interviews' informant characteristics (STROBE 13–14, CHERRIES response rates, COREQ 10–16).

Rules:
- a response rate is given only where the study declares how many were invited; otherwise
  the report says plainly that the denominator is unknown (never a rate over submissions);
- "one region dominates the interview sample" when a single region holds more than
  `DOMINANT_SHARE` of the interviews (the sentence names it and its share).
"""

from __future__ import annotations

import math

import pandas as pd

from impleval import fmt
from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext

DOMINANT_SHARE = 0.5
ALL = "all"


def step_label(ctx: ReportContext, step: str) -> str:
    """A cleaning step in words, with the study's own thresholds (the flow figure's wording)."""
    from impleval.survey.plots.flow import step_label as label

    return label(step, ctx.study.survey or {}, ctx.phrases)


def flow_paragraph(ctx: ReportContext) -> str:
    flow = ctx.results.table("participant_flow")
    received = int(flow["n_remaining"].iloc[0])
    analysed = int(flow["n_remaining"].iloc[-1])
    removed = [
        ctx.phrases(
            "flow.removed", n=fmt.integer(r.n_removed, ctx.language), reason=step_label(ctx, r.step)
        )
        for r in flow.iloc[1:-1].itertuples()
        if r.n_removed > 0
    ]
    text = ctx.phrases(
        "flow.summary",
        received=fmt.integer(received, ctx.language),
        analysed=fmt.integer(analysed, ctx.language),
        share=fmt.percent(analysed / received if received else math.nan, 0, ctx.language),
        figure=f"@{blocks.fig_id('participant_flow')}",
    )
    if removed:
        text += " " + ctx.phrases("flow.removed_list", list="; ".join(removed))
    return text


def response_rate_paragraph(ctx: ReportContext) -> str:
    """Response and completion rates where the study declares who was invited (CHERRIES)."""
    invited = (ctx.study.survey or {}).get("invited")
    if not invited or not ctx.results.has_table("survey_response_rates"):
        return ctx.phrases("response.unknown_denominator")
    rates = ctx.results.table("survey_response_rates")
    total = rates[rates["level"] == ALL].iloc[0]
    return ctx.phrases(
        "response.rates",
        invited=fmt.integer(total["n_invited"], ctx.language),
        received=fmt.integer(total["n_received"], ctx.language),
        response=fmt.percent(total["response_rate"], 0, ctx.language),
        completion=fmt.percent(total["completion_rate"], 0, ctx.language),
        table=f"@{blocks.tbl_id('survey_response_rates')}",
        source=ctx.labels.text(invited.get("source")),
    )


def response_rate_table(ctx: ReportContext) -> str:
    if not (ctx.study.survey or {}).get("invited") or not ctx.results.has_table(
        "survey_response_rates"
    ):
        return ""
    rates = ctx.results.table("survey_response_rates").copy()
    rates["group"] = [
        ctx.phrases("table.total") if lvl == ALL else ctx.labels.group_level(var, lvl)
        for var, lvl in zip(rates["variable"], rates["level"], strict=False)
    ]
    h = ctx.phrases
    return blocks.results_table(
        ctx,
        rates,
        {
            "group": h("col.group"),
            "n_invited": h("col.invited"),
            "n_received": h("col.received"),
            "n_analysed": h("col.analysed"),
            "response_rate": h("col.response_rate"),
            "completion_rate": h("col.completion_rate"),
        },
        caption=h("response.caption"),
        identifier=blocks.tbl_id("survey_response_rates"),
        download="survey_response_rates",
        formats={
            "n_invited": "integer",
            "n_received": "integer",
            "n_analysed": "integer",
            "response_rate": "percent",
            "completion_rate": "percent",
            "group": "text",
        },
    )


def characteristics_table(ctx: ReportContext) -> str:
    """Role by primary group (n and column %), with totals; suppressed cells marked."""
    table = ctx.results.table("survey_respondents")
    gv = ctx.study.survey_analysis["group_vars"][0]["name"]
    cross = table[(table["variable"] == "role") & (table["by"] == gv)]
    if cross.empty:
        return ""
    one_way = table[(table["variable"] == "role") & (table["by"] == ALL)]
    levels = _ordered(
        ctx.study.survey_analysis["group_vars"][0].get("levels", []), cross["by_level"]
    )
    roles = [lvl for lvl in dict.fromkeys(one_way["level"]) if lvl != ALL] + [ALL]
    rows, raw = [], []
    for role in roles:
        label = ctx.phrases("table.total") if role == ALL else ctx.labels.role(role)
        row, raw_row = {"role": md.escape(label)}, {"role": role}
        for level in [*levels, ALL]:
            cell = (
                one_way[one_way["level"] == role]
                if level == ALL
                else cross[(cross["level"] == role) & (cross["by_level"] == level)]
            )
            header = (
                ctx.phrases("table.total") if level == ALL else ctx.labels.group_level(gv, level)
            )
            n = cell["n"].iloc[0] if len(cell) else math.nan
            share = cell["share"].iloc[0] if len(cell) else math.nan
            row[header] = _n_share(
                ctx, n, share, bool(cell["suppressed"].iloc[0]) if len(cell) else False
            )
            raw_row[f"{level}_n"] = n
        rows.append(row)
        raw.append(raw_row)
    shown = pd.DataFrame(rows).rename(columns={"role": ctx.phrases("col.role")})
    numeric = set(shown.columns[1:])
    note = ctx.phrases("characteristics.note")
    if (table["suppressed"] & (table["variable"] == "role")).any():
        note += " " + ctx.phrases("table.suppressed_note", mark="†", min_cell=ctx.min_cell)
    link = md.csv_link(pd.DataFrame(raw), "survey_respondents.csv", ctx.phrases("table.download"))
    return md.table(
        md.pipe_table(shown, numeric),
        ctx.phrases("characteristics.caption", groups=ctx.labels.group_var(gv, plural=True)),
        blocks.tbl_id("survey_respondents"),
        note=note,
        download=link,
    )


def categories_table(ctx: ReportContext) -> str:
    """Every category question of the survey: answers n (%), one-way, suppressed cells marked."""
    table = ctx.results.table("survey_respondents")
    questions = [
        q["id"] for q in (ctx.study.survey or {}).get("questions", []) if q.get("use") == "category"
    ]
    rows = table[
        table["variable"].isin(questions) & (table["by"] == ALL) & (table["level"] != ALL)
    ].copy()
    if rows.empty:
        return ""
    order = {
        (q["id"], str(o["code"])): (qi, oi)
        for qi, q in enumerate((ctx.study.survey or {}).get("questions", []))
        for oi, o in enumerate(q.get("options", []))
    }
    rows["_order"] = [
        order.get((q, str(lvl)), (questions.index(q), 10**6))
        for q, lvl in zip(rows["variable"], rows["level"], strict=True)
    ]
    rows = rows.sort_values("_order", kind="stable")
    rows["question"] = [md.escape(ctx.labels.question(q)) for q in rows["variable"]]
    rows["answer"] = [
        ctx.phrases("characteristics.not_answered")
        if lvl == "not_answered"
        else md.escape(ctx.labels.option(q, lvl))
        for q, lvl in zip(rows["variable"], rows["level"], strict=True)
    ]
    rows["n_share"] = [
        _n_share(ctx, n, sh, bool(sup))
        for n, sh, sup in zip(rows["n"], rows["share"], rows["suppressed"], strict=True)
    ]
    h = ctx.phrases
    return blocks.results_table(
        ctx,
        rows,
        {"question": h("col.question"), "answer": h("col.answer"), "n_share": h("col.n_share")},
        caption=h("characteristics.categories_caption"),
        identifier=blocks.tbl_id("survey_categories"),
        download="survey_categories",
        formats={"question": "text", "answer": "text", "n_share": "text"},
        download_columns={"variable": "question", "level": "answer", "n": "n", "share": "share"},
    )


def _ordered(declared, present) -> list[str]:
    """Levels in the study's declared order, then any others in table order."""
    present = list(dict.fromkeys(str(p) for p in present))
    return [lvl for lvl in declared if lvl in present] + [p for p in present if p not in declared]


def _n_share(ctx: ReportContext, n, share, suppressed: bool) -> str:
    if suppressed or pd.isna(n):
        return "†"
    return f"{fmt.integer(n, ctx.language)} ({fmt.percent(share, 0, ctx.language)})"


def survey_part(ctx: ReportContext) -> str:
    if not ctx.study.has("survey"):
        return ""
    return md.blocks(
        md.heading(ctx.phrases("heading.participants_survey"), 4, "sec-participants-survey"),
        flow_paragraph(ctx),
        blocks.figure(ctx, "participant_flow"),
        response_rate_paragraph(ctx),
        response_rate_table(ctx),
        ctx.phrases("characteristics.intro", table=f"@{blocks.tbl_id('survey_respondents')}"),
        characteristics_table(ctx),
        categories_table(ctx),
    )


def interviews_part(ctx: ReportContext) -> str:
    """Informants by stage, region and role, and how many interviews were double coded."""
    if not ctx.study.has("interviews") or not ctx.results.has_table("interview_informants"):
        return ""
    table = ctx.results.table("interview_informants")
    one_way = table[table["by"] == ALL]
    total = int(one_way[(one_way["variable"] == "stage") & (one_way["level"] == ALL)]["n"].iloc[0])
    facts = ctx.values("interviews")
    parts = [
        ctx.phrases(
            "informants.summary",
            n=fmt.integer(total, ctx.language),
            double=fmt.integer(facts.get("n_double_coded", 0), ctx.language),
            table=f"@{blocks.tbl_id('interview_informants')}",
        )
    ]
    regions = one_way[(one_way["variable"] == "region") & (one_way["level"] != ALL)]
    top = regions.dropna(subset=["n"]).sort_values("n", ascending=False).head(1)
    if len(top) and total and top["n"].iloc[0] / total > DOMINANT_SHARE:
        parts.append(
            ctx.phrases(
                "informants.dominant",
                region=ctx.labels.region(top["level"].iloc[0]),
                share=fmt.percent(top["n"].iloc[0] / total, 0, ctx.language),
            )
        )
    return md.blocks(
        md.heading(
            ctx.phrases("heading.participants_interviews"), 4, "sec-participants-interviews"
        ),
        " ".join(parts),
        informants_table(ctx),
    )


def informants_table(ctx: ReportContext) -> str:
    table = ctx.results.table("interview_informants")
    one_way = table[(table["by"] == ALL) & (table["level"] != ALL)].copy()
    label = {
        "stage": ctx.labels.stage,
        "region": ctx.labels.region,
        "role": ctx.labels.role,
        "trust": ctx.labels.trust,
    }
    one_way["variable_label"] = [ctx.labels.group_var(v) for v in one_way["variable"]]
    one_way["level_label"] = [
        label.get(v, str)(lvl)
        for v, lvl in zip(one_way["variable"], one_way["level"], strict=False)
    ]
    h = ctx.phrases
    return blocks.results_table(
        ctx,
        one_way,
        {
            "variable_label": h("col.variable"),
            "level_label": h("col.level"),
            "n": h("col.n_interviews"),
            "n_double_coded": h("col.n_double_coded"),
        },
        caption=h("informants.caption"),
        identifier=blocks.tbl_id("interview_informants"),
        download="interview_informants",
        formats={
            "n": "integer",
            "n_double_coded": "integer",
            "variable_label": "text",
            "level_label": "text",
        },
    )


def build(ctx: ReportContext) -> str:
    return md.blocks(survey_part(ctx), interviews_part(ctx))
