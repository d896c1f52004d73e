"""The whole report as one plain Quarto document, generated from the study and its results.

`document(ctx)` returns the text of `index.qmd`: a YAML header (title, subtitle, authors, date,
version, language, numbering, contents, bibliography) and the sections in the order of
`OUTLINE`. A section whose strand the study did not collect returns '' and is left out; the
methods section says what was collected.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

from impleval.report import markdown as md
from impleval.report.context import ReportContext
from impleval.report.sections import (
    appendix,
    background,
    discussion,
    integration,
    interviews,
    methods,
    monitoring,
    participants,
    summary,
    survey,
)
from impleval.report.text import pick

Section = Callable[[ReportContext], str]

# (phrase key of the heading, section id, builder of the body); level-2 headings are chapters.
OUTLINE: list[tuple[str, str, Section]] = [
    ("heading.summary", "sec-summary", summary.build),
    ("heading.background", "sec-background", background.build),
    ("heading.methods", "sec-methods", methods.build),
    ("heading.results", "sec-results", lambda ctx: ""),
    ("heading.participants", "sec-participants", participants.build),
    ("heading.survey", "sec-survey", survey.build),
    ("heading.interviews", "sec-interviews", interviews.build),
    ("heading.monitoring", "sec-monitoring", monitoring.build),
    ("heading.integration", "sec-integration", integration.build),
    ("heading.discussion", "sec-discussion", discussion.build),
]
# Results subsections sit one level below the results chapter.
LEVEL = {
    "sec-participants": 3,
    "sec-survey": 3,
    "sec-interviews": 3,
    "sec-monitoring": 3,
    "sec-integration": 3,
}


def header(ctx: ReportContext, *, renderer: str) -> str:
    meta = ctx.study.report
    lang = ctx.language
    words = {"nb": ("Figur", "Tabell", "Innhold"), "en": ("Figure", "Table", "Contents")}[lang]
    head: dict = {
        "title": pick(meta.get("title"), lang, ctx.study.settings.get("study_name", "")),
        "lang": lang,
        "number-sections": True,
        "toc": True,
        "toc-depth": 2,
        "toc-title": words[2],
        "crossref": {
            "fig-title": words[0],
            "tbl-title": words[1],
            "fig-prefix": words[0],
            "tbl-prefix": words[1],
        },
        "bibliography": "references.bib",
        "csl": meta.get("csl", "vancouver.csl"),  # numbered references, as health journals use
        "link-citations": True,
    }
    subtitle = pick(meta.get("subtitle"), lang)
    if subtitle:
        head["subtitle"] = subtitle
    authors = [a["name"] for a in meta.get("authors", [])]
    if authors:
        head["author"] = authors
    if meta.get("date"):
        head["date"] = str(meta["date"])
    head["impleval-renderer"] = renderer
    return "---\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=False) + "---\n"


def front_matter(ctx: ReportContext, *, renderer: str) -> str:
    """Banner (synthetic data), the renderer line and the version/contact line."""
    parts = []
    if ctx.study.settings.get("synthetic"):
        parts.append(
            md.callout(
                "warning",
                ctx.phrases("banner.synthetic_body"),
                title=ctx.phrases("banner.synthetic_title"),
                classes="synthetic-banner",
            )
        )
    meta = ctx.study.report
    line = [ctx.phrases("front.renderer", renderer=md.escape(renderer))]
    if meta.get("version"):
        line.append(ctx.phrases("front.version", version=md.escape(meta["version"])))
    parts.append(f"[{' '.join(line)}]{{.renderer-line}}")
    return md.blocks(*parts)


def document(ctx: ReportContext, *, renderer: str) -> str:
    parts = [header(ctx, renderer=renderer), front_matter(ctx, renderer=renderer)]
    for key, identifier, build in OUTLINE:
        body = build(ctx)
        if not body.strip() and identifier != "sec-results":
            continue
        parts.append(md.heading(ctx.phrases(key), LEVEL.get(identifier, 2), identifier))
        parts.append(body)
    parts.append(md.heading(ctx.phrases("heading.references"), 2, "sec-references"))
    parts.append("::: {#refs}\n:::")
    parts.append(appendix.build(ctx))
    return md.blocks(*parts)
