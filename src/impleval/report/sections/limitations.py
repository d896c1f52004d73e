"""Limitations the pipeline can state from the results themselves (the study team adds its own
in prose): unknown response rate, a cross-sectional survey, an interview sample dominated by
one region, codes below the agreement target, monitoring sites with short baselines or
remaining autocorrelation, synthetic data. Each is a rule on the results; none is generic
boilerplate that holds whatever the data say."""

from __future__ import annotations

from impleval import fmt
from impleval.report import markdown as md
from impleval.report.context import ReportContext


def survey_limitations(ctx: ReportContext) -> list[str]:
    if not ctx.study.has("survey"):
        return []
    out = [ctx.phrases("limitations.cross_sectional")]
    if not (ctx.study.survey or {}).get("invited"):
        out.append(ctx.phrases("limitations.no_denominator"))
    return out


def build(ctx: ReportContext) -> str:
    items = survey_limitations(ctx)
    for module_name in ("interviews", "monitoring"):
        from importlib import import_module

        module = import_module(f"impleval.report.sections.{module_name}")
        if ctx.study.has(module_name) and hasattr(module, "limitations"):
            items += module.limitations(ctx)
    if ctx.study.settings.get("synthetic"):
        items.append(ctx.phrases("limitations.synthetic"))
    if not items:
        return ""
    return md.blocks(
        ctx.phrases("limitations.intro", n=fmt.integer(len(items), ctx.language)), md.bullets(items)
    )
