"""Appendix: the item key, the reporting checklists (GRAMMS, SRQR, COREQ, STROBE, CHERRIES)
mapped to where this report answers each item, the de-identification summary and provenance.

Checklist rule: an item is "reported" when the section its topic maps to is in this report
(the strand was collected, or the study team wrote the prose topic); "to be written" when the
section exists but its prose is missing; "not applicable" when the strand is absent (e.g.
CHERRIES without a survey). The mapping is `TOPICS`; every topic of the checklist vocabulary
must be in it (tested), so no item is silently left out.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from impleval.config import safe_load
from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext

# topic → (section id, strand the section needs or None, prose topic it needs or None)
TOPICS: dict[str, tuple[str, str | None, str | None]] = {
    "title": ("sec-summary", None, None),
    "abstract": ("sec-summary", None, "summary_conclusions"),
    "background": ("sec-background", None, "background"),
    "aims": ("sec-aims", None, "aims"),
    "design": ("sec-design", None, "design"),
    "setting": ("sec-setting", None, "setting"),
    "participants": ("sec-participants", None, None),
    "sampling": ("sec-qualitative-sampling", "interviews", "qualitative_sampling"),
    "recruitment": ("sec-methods-survey-recruitment", "survey", "survey_recruitment"),
    "consent_ethics": ("sec-ethics", None, "ethics"),
    "data_collection": (
        "sec-qualitative-data-collection",
        "interviews",
        "qualitative_data_collection",
    ),
    "instrument": ("sec-methods-survey", "survey", "survey_instrument"),
    "variables": ("sec-methods-survey-analysis", "survey", None),
    "bias": ("sec-limitations", None, "limitations"),
    "sample_size": ("sec-participants", None, None),
    "data_processing": ("sec-methods-survey-cleaning", "survey", None),
    "deidentification": ("sec-methods-privacy", None, None),
    "analysis_quantitative": ("sec-methods-survey-analysis", "survey", None),
    "analysis_qualitative": ("sec-methods-interviews-analysis", "interviews", None),
    "coding": ("sec-qualitative-coding", "interviews", "qualitative_coding"),
    "agreement": ("sec-methods-interviews-analysis", "interviews", None),
    "saturation": ("sec-saturation", "interviews", "saturation"),
    "reflexivity": ("sec-reflexivity", "interviews", "reflexivity"),
    "researcher_characteristics": ("sec-research-team", "interviews", "research_team"),
    "relationship_with_participants": ("sec-research-team", "interviews", "research_team"),
    "integration": ("sec-integration", None, "meta_inferences"),
    "response_rate": ("sec-participants-survey", "survey", None),
    "participant_flow": ("sec-participants-survey", "survey", None),
    "descriptive_data": ("sec-participants", None, None),
    "outcome_data": ("sec-results", None, None),
    "main_results": ("sec-results", None, None),
    "other_analyses": ("sec-survey-secondary", "survey", None),
    "quotes": ("sec-interviews", "interviews", None),
    "themes": ("sec-interviews", "interviews", None),
    "key_results": ("sec-summary", None, None),
    "limitations": ("sec-limitations", None, "limitations"),
    "interpretation": ("sec-discussion", None, "discussion"),
    "generalisability": ("sec-discussion", None, "discussion"),
    "funding": ("sec-funding", None, "funding"),
    "conflicts": ("sec-funding", None, "conflicts"),
    "data_availability": ("sec-software", None, None),
    "software": ("sec-software", None, None),
    "monitoring_design": ("sec-methods-monitoring", "monitoring", None),
    "other": ("sec-discussion", None, "discussion"),
}
# Which strand a guideline as a whole needs (None: the whole report).
GUIDELINE_STRAND = {
    "SRQR": "interviews",
    "COREQ": "interviews",
    "STROBE-CS": "survey",
    "CHERRIES": "survey",
    "GRAMMS": None,
}


def status(ctx: ReportContext, topic: str, guideline: str) -> tuple[str, str | None]:
    """('reported' | 'to_be_written' | 'not_applicable', section id or None)."""
    needed = GUIDELINE_STRAND.get(guideline)
    if needed and not ctx.study.has(needed):
        return "not_applicable", None
    if guideline == "GRAMMS" and len(ctx.study.strands) < 2:
        return "not_applicable", None
    section, strand, prose_topic = TOPICS[topic]
    if strand and not ctx.study.has(strand):
        return "not_applicable", None
    if prose_topic and ctx.prose.get(prose_topic) is None:
        return "to_be_written", section
    return "reported", section


def checklists(ctx: ReportContext, path: str | Path) -> str:
    data = safe_load(Path(path).read_text(encoding="utf-8"))
    parts = [ctx.phrases("appendix.checklists_intro")]
    for guideline in data["guidelines"]:
        rows = []
        for item in guideline["items"]:
            state, section = status(ctx, item["topic"], guideline["id"])
            where = ctx.phrases(f"appendix.status.{state}")
            if section:
                where = f"@{section}" + ("" if state == "reported" else f" ({where})")
            rows.append(
                {"item": md.escape(item["id"]), "text": md.escape(item["text"]), "where": where}
            )
        frame = pd.DataFrame(rows).rename(
            columns={
                "item": ctx.phrases("col.checklist_item"),
                "text": ctx.phrases("col.checklist_text"),
                "where": ctx.phrases("col.checklist_where"),
            }
        )
        ident = blocks.tbl_id(f"checklist_{guideline['id'].lower()}")
        parts.append(
            md.table(
                md.pipe_table(frame),
                ctx.phrases(
                    "appendix.checklist_caption",
                    name=md.escape(guideline["full_name"]),
                    key=f"[@{guideline['citation_key']}]",
                ),
                ident,
            )
        )
    return md.blocks(*parts)


def item_key(ctx: ReportContext) -> str:
    """Every analysed survey item: code, block, full wording, response scale."""
    if not ctx.study.has("survey"):
        return ""
    analysis = ctx.study.survey_analysis or {}
    rows = []
    for group, items in analysis.get("item_groups", {}).items():
        for item in items:
            rows.append(
                {
                    "code": item,
                    "group": ctx.labels.item_group(group),
                    "wording": ctx.labels.item(item),
                }
            )
    for item in analysis.get("categorical_items", []):
        rows.append(
            {
                "code": item,
                "group": ctx.phrases("appendix.categorical"),
                "wording": ctx.labels.question(item),
            }
        )
    frame = pd.DataFrame(rows)
    return blocks.results_table(
        ctx,
        frame,
        {
            "code": ctx.phrases("col.code"),
            "group": ctx.phrases("col.block"),
            "wording": ctx.phrases("col.wording"),
        },
        caption=ctx.phrases("appendix.item_key_caption"),
        identifier=blocks.tbl_id("item_key"),
        download="item_key",
        formats={"code": "text", "group": "text", "wording": "text"},
    )


def deid_table(ctx: ReportContext) -> str:
    if not ctx.results.has_table("deid_hits"):
        return ""
    hits = ctx.results.table("deid_hits").copy()
    hits["source_label"] = [
        ctx.phrases(f"deid.source.{s}") if ctx.phrases.has(f"deid.source.{s}") else s
        for s in hits["source"]
    ]
    hits["kind_label"] = [
        ctx.phrases(f"deid.kind.{k}") if ctx.phrases.has(f"deid.kind.{k}") else k
        for k in hits["kind"]
    ]
    hits["action_label"] = [
        ctx.phrases(f"deid.action.{a}") if ctx.phrases.has(f"deid.action.{a}") else a
        for a in hits["action"]
    ]
    hits["column"] = hits["column"].fillna("–")
    return blocks.results_table(
        ctx,
        hits,
        {
            "source_label": ctx.phrases("col.source"),
            "column": ctx.phrases("col.column"),
            "kind_label": ctx.phrases("col.kind"),
            "n_hits": ctx.phrases("col.hits"),
            "action_label": ctx.phrases("col.action"),
            "n_values_scanned": ctx.phrases("col.scanned"),
        },
        caption=ctx.phrases("appendix.deid_caption"),
        identifier=blocks.tbl_id("deid_hits"),
        download="deid_hits",
        formats={"column": "text", "n_hits": "integer", "n_values_scanned": "integer"},
    )


def provenance(ctx: ReportContext) -> str:
    prov = ctx.results.provenance
    if not prov:
        return ""
    h = ctx.phrases
    git = prov.get("git", {})
    dirty = git.get("dirty")
    env = [
        (h("prov.commit"), f"`{git.get('commit', '–')}`"),
        (
            h("prov.dirty"),
            h("prov.unknown") if dirty is None else h("prov.yes" if dirty else "prov.no"),
        ),
        (h("prov.python"), md.escape(prov.get("python", "–"))),
        (h("prov.platform"), md.escape(prov.get("platform", "–"))),
        (
            h("prov.renderer"),
            md.escape(ctx.study.settings.get("renderer", prov.get("renderer", "–"))),
        ),
        *((f"`{k}`", md.escape(v)) for k, v in prov.get("packages", {}).items()),
    ]
    files = [
        (h(f"prov.role.{r['role']}"), f"`{r['path']}`", f"`{r['sha256']}`")
        for r in prov.get("files", [])
        if r["role"] != "code"
    ]
    env_table = md.table(
        md.pipe_table(pd.DataFrame(env, columns=[h("prov.what"), h("prov.value")])),
        h("appendix.prov_env_caption"),
        "tbl-provenance-env",
    )
    file_table = md.table(
        md.pipe_table(pd.DataFrame(files, columns=[h("prov.role"), h("prov.file"), "SHA-256"])),
        h("appendix.prov_files_caption"),
        "tbl-provenance-files",
    )
    return md.blocks(h("appendix.provenance_intro"), env_table, file_table)


def build(ctx: ReportContext) -> str:
    h = ctx.phrases
    checklist_path = ctx.resources.get("checklists")
    parts = [md.heading(h("heading.appendix"), 2, "sec-appendix")]
    key = item_key(ctx)
    if key:
        parts += [md.heading(h("heading.item_key"), 3, "sec-item-key"), key]
    if checklist_path:
        parts += [
            md.heading(h("heading.checklists"), 3, "sec-checklists"),
            checklists(ctx, checklist_path),
        ]
    parts += [
        md.heading(h("heading.funding"), 3, "sec-funding"),
        blocks.prose(ctx, "funding"),
        blocks.prose(ctx, "conflicts"),
        md.heading(h("heading.deid"), 3, "sec-deid"),
        deid_table(ctx),
        md.heading(h("heading.provenance"), 3, "sec-provenance"),
        provenance(ctx),
    ]
    return md.blocks(*parts)
