"""Discussion, strengths and limitations, conclusions and recommendations: the study team's
text, with the limitations the pipeline itself can state (from the results) appended."""

from __future__ import annotations

from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext
from impleval.report.sections import limitations

TOPICS = ("discussion", "conclusions", "recommendations")


def build(ctx: ReportContext) -> str:
    parts = [
        blocks.prose(ctx, "discussion"),
        md.heading(ctx.phrases("heading.limitations"), 3, "sec-limitations"),
        blocks.prose(ctx, "limitations"),
        limitations.build(ctx),
    ]
    for topic in TOPICS[1:]:
        parts.append(md.heading(ctx.phrases(f"heading.{topic}"), 3, f"sec-{topic}"))
        parts.append(blocks.prose(ctx, topic))
    return md.blocks(*parts)
