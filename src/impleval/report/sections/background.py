"""Background: the study team's own text (background, the intervention, the setting, aims)."""

from __future__ import annotations

from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext

TOPICS = ("background", "intervention", "setting", "aims")


def build(ctx: ReportContext) -> str:
    parts = [blocks.prose(ctx, "background")]  # the chapter's own heading introduces it
    for topic in TOPICS[1:]:
        parts.append(md.heading(ctx.phrases(f"heading.{topic}"), 3, f"sec-{topic}"))
        parts.append(blocks.prose(ctx, topic))
    return md.blocks(*parts)
