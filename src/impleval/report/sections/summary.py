"""Summary: one paragraph on what was collected and the key findings of each strand, built from
the same rule functions as the results sections (so the numbers cannot disagree), then the
study team's conclusions."""

from __future__ import annotations

from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext
from impleval.report.sections import interviews, monitoring, survey
from impleval.report.text import join

STRANDS = {"survey": survey, "interviews": interviews, "monitoring": monitoring}


def build(ctx: ReportContext) -> str:
    collected = [ctx.phrases(f"strand.{s}") for s in ctx.study.strands]
    findings = []
    for strand in ctx.study.strands:
        module = STRANDS[strand]
        sentences = module.key_findings(ctx) if hasattr(module, "key_findings") else []
        if sentences:
            findings.append(f"**{ctx.phrases(f'summary.strand.{strand}')}:** {' '.join(sentences)}")
    return md.blocks(
        ctx.phrases(
            "summary.intro",
            strands=join(collected, ctx.language),
            intervention=md.escape(ctx.labels.intervention) or ctx.phrases("summary.the_tool"),
        ),
        md.bullets(findings) if findings else "",
        blocks.prose(ctx, "summary_conclusions"),
    )
