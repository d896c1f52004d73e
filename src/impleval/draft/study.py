"""Assemble a drafted study folder: the branch drafts, the organisation they share, the main
config, report.yaml, the module Snakefile and DECISIONS.md; then validate every file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from impleval.config import load_validated, load_yaml
from impleval.draft import interviews as draft_interviews
from impleval.draft import monitoring as draft_monitoring
from impleval.draft import survey as draft_survey
from impleval.draft.interviews import entry_id
from impleval.draft.text import Decision, Doc, slug
from impleval.errors import InputError, Problem

PIPELINE = Path(__file__).resolve().parents[3]  # the checkout this package runs from


@dataclass
class Exports:
    survey: str | None = None
    codebook: str | None = None
    interviews: str | None = None
    document_variables: str | None = None
    monitoring: str | None = None
    milestones: str | None = None


def _norm(text: str) -> str:
    return " ".join(str(text).lower().split())


def organisation(survey, interviews, monitoring) -> tuple[dict, list[str]]:
    """Regions, trusts and sites from every export that names them, and which were guessed."""
    trusts: dict[str, dict] = {}
    if survey and survey.groups["trust"]:
        q = next(q for q in survey.questions if q["id"] == survey.groups["trust"])
        for o in q["options"]:
            trusts[o["code"]] = {"id": o["code"], "label": o["label"] or o["code"]}
    by_text = {_norm(k): k for k in trusts} | {_norm(t["label"]): k for k, t in trusts.items()}
    regions: dict[str, dict] = {}
    region_of: dict[str, str] = {}
    guessed = []
    if interviews:
        for value in interviews.values.get("region", []):
            rid = entry_id(value)
            regions.setdefault(rid, {"id": rid, "label": {"nb": value}})
        for value in interviews.values.get("trust", []):
            if _norm(value) not in by_text:
                tid = entry_id(value)
                trusts[tid] = {"id": tid, "label": value}
                by_text[_norm(value)] = tid
        for region, trust in interviews.pairs:
            region_of.setdefault(by_text[_norm(trust)], entry_id(region))
    if not regions:
        regions["region"] = {"id": "region", "label": {"nb": "Region"}}
    if not trusts:
        trusts["trust"] = {"id": "trust", "label": "Trust"}
    first_region = next(iter(regions))
    for tid, trust in trusts.items():
        trust["region"] = region_of.get(tid, first_region)
        if tid not in region_of:
            guessed.append(tid)
    sites = []
    if monitoring:
        for value in monitoring.sites:
            trust = _site_trust(value, trusts)
            sites.append(
                {
                    "id": entry_id(value),
                    "trust": trust or next(iter(trusts)),
                    "label": value,
                    "_guessed": trust is None,
                }
            )
    return {
        "regions": list(regions.values()),
        "trusts": list(trusts.values()),
        "sites": sites,
    }, guessed


def _site_trust(site: str, trusts: dict[str, dict]) -> str | None:
    """The trust whose label's first word begins the site's label ("Kystsykehuset Nordby" →
    "Kystsykehuset HF"), if exactly one does."""
    hits = [
        tid
        for tid, t in trusts.items()
        if str(t["label"]).split() and _norm(site).startswith(_norm(str(t["label"]).split()[0]))
    ]
    return hits[0] if len(hits) == 1 else None


def write_organisation(org: dict, guessed: list[str], file: str = "organisation.yaml") -> Doc:
    doc = Doc(file)
    doc.comment(
        "Regions, trusts and sites, drafted by `impleval init` from the exports that name them.\n"
        "Labels are the exported texts; add `en:` for an English report."
    )
    doc.key(
        "reference_region",
        org["regions"][0]["id"],
        note=doc.decide("reference_region", "the reference region", "the first one found"),
    )
    doc.key("regions", block=True)
    for r in org["regions"]:
        doc.item(r, indent=2)
    doc.key("trusts", block=True)
    for t in org["trusts"]:
        note = ""
        if t["id"] in guessed:
            note = doc.decide(
                f"trusts.{t['id']}.region", f"the region of trust {t['id']}", "the first region"
            )
        doc.item(t, indent=2, note=note)
    if org["sites"]:
        doc.key("sites", block=True)
        for s in org["sites"]:
            note = ""
            if s["_guessed"]:
                note = doc.decide(
                    f"sites.{s['id']}.trust", f"the trust of site {s['id']}", "the first trust"
                )
            else:
                note = doc.guess("the trust named like the site")
            doc.item({k: v for k, v in s.items() if not k.startswith("_")}, indent=2, note=note)
    else:
        doc.key("sites", [])
    return doc


def write_report(language: str, file: str = "report.yaml") -> Doc:
    doc = Doc(file)
    doc.comment("How the study presents itself in the report (drafted by `impleval init`).")
    doc.key(
        "title",
        {"nb": "Evaluering av tiltaket", "en": "Evaluation of the intervention"},
        note=doc.decide("title", "the report's title", "a generic one"),
    )
    doc.key(
        "authors",
        [{"name": "Study team", "affiliation": ""}],
        note=doc.decide("authors", "the authors", "a placeholder"),
    )
    doc.key("version", "0.1")
    doc.key(
        "intervention",
        {"nb": "tiltaket", "en": "the intervention"},
        note=doc.decide(
            "intervention", "how running text names the intervention", "a generic name"
        ),
    )
    doc.key(
        "prose",
        "prose",
        note=doc.decide(
            "prose",
            "the study team's own text (prose/<topic>.<lang>.md)",
            "none written: the report shows 'to be written' boxes",
        ),
    )
    doc.key(
        "integration",
        [],
        note=doc.decide(
            "integration",
            "the joint display: which scale, themes and outcomes bear on each other",
            "none",
        ),
    )
    return doc


def write_config(exports: Exports, out: Path, files: dict[str, str], language: str) -> Doc:
    doc = Doc("config.yaml")
    doc.comment(
        "The study's main config, drafted by `impleval init`. Paths are relative to this folder;\n"
        "run `snakemake --cores 4` here (the Snakefile uses the pipeline as a module)."
    )
    doc.key(
        "study_name",
        out.resolve().name,
        note=doc.decide("study_name", "the study's name", "the folder's name"),
    )
    doc.key("synthetic_demo", False)
    doc.key("study", {k: v for k, v in files.items()})

    def rel(path: str) -> str:
        return os.path.relpath(Path(path).resolve(), out.resolve())

    inputs = {}
    if exports.codebook:
        inputs["survey"] = {
            "format": "nettskjema_wide",
            "report": rel(exports.survey),
            "codebook": rel(exports.codebook),
        }
    if exports.interviews:
        inputs["interviews"] = {
            "format": "maxqda",
            "segments": rel(exports.interviews),
            "document_variables": rel(exports.document_variables),
        }
    if exports.monitoring:
        inputs["monitoring"] = {
            "aggregates": rel(exports.monitoring),
            "milestones": rel(exports.milestones),
        }
    doc.key("inputs", block=True)
    for name, value in inputs.items():
        doc.key(name, value, indent=2)
    doc.key("min_cell", 5, note=doc.decide("min_cell", "the smallest count shown", "5"))
    doc.key(
        "seed",
        20240101,
        note=doc.decide(
            "seed",
            "the seed of every resample (any number, fixed before the "
            "analysis: runs then repeat exactly)",
            "20240101",
        ),
    )
    doc.key(
        "deid",
        {"on_hit": "fail"},
        note=doc.decide(
            "deid.names_file",
            "a list of participants' and staff names for the de-identification gate",
            "none",
        ),
    )
    doc.key("report", {"language": language})
    return doc


SNAKEFILE = """\
# The study's workflow: impleval as a Snakemake module at a pinned version (config/README.md in
# the pipeline). For a release, point `snakefile:` at a checkout of its tag.
configfile: "config.yaml"


module impleval:
    snakefile:
        "{snakefile}"
    config:
        config


use rule * from impleval
"""


def decisions_text(decisions: list[Decision]) -> str:
    lines = [
        "# Decisions only the study team can make",
        "",
        "`impleval init` drafted these definitions from the exports. Each line below is a choice",
        "the exports cannot settle; the draft holds a guess (or `DECIDE`, where the pipeline",
        "stops until it is set). Each is marked `# DECISION` in its file.",
        "",
        "| file | key | decide | draft |",
        "|---|---|---|---|",
    ]
    for d in decisions:
        lines.append(f"| {d.file} | `{d.key}` | {d.what} | {d.guess} |")
    return "\n".join(lines) + "\n"


def draft_study(
    exports: Exports,
    out: str | os.PathLike,
    *,
    language: str = "nb",
    schemas: str | os.PathLike | None = None,
) -> list[Decision]:
    """Write the drafted study folder `out`; returns the decisions."""
    out = Path(out)
    schemas = Path(schemas or PIPELINE / "config/schema")
    problems = []
    for flag, value, partner, pname in (
        ("--codebook", exports.codebook, exports.survey, "--survey"),
        ("--interviews", exports.interviews, exports.document_variables, "--document-variables"),
        ("--monitoring", exports.monitoring, exports.milestones, "--milestones"),
    ):
        if bool(value) != bool(partner):
            problems.append(Problem(flag if not value else pname, f"{flag} and {pname} together"))
    if not any((exports.codebook, exports.interviews, exports.monitoring)):
        problems.append(Problem("impleval init", "at least one strand's exports"))
    if problems:
        raise InputError(problems)
    survey = (
        draft_survey.read_survey(exports.codebook, exports.survey) if exports.codebook else None
    )
    interviews = (
        draft_interviews.read_interviews(exports.interviews, exports.document_variables)
        if exports.interviews
        else None
    )
    monitoring = (
        draft_monitoring.read_monitoring(exports.monitoring, exports.milestones)
        if exports.monitoring
        else None
    )
    org, guessed = organisation(survey, interviews, monitoring)
    docs = [write_organisation(org, guessed)]
    files = {"organisation": "organisation.yaml", "report": "report.yaml"}
    if survey:
        docs += [draft_survey.write_survey(survey), draft_survey.write_analysis(survey, org)]
        files.update(survey="survey.yaml", survey_analysis="survey-analysis.yaml")
    if interviews:
        docs += [
            draft_interviews.write_interviews(interviews),
            draft_interviews.write_analysis(interviews),
        ]
        files.update(interviews="interviews.yaml", interviews_analysis="interviews-analysis.yaml")
    if monitoring:
        docs.append(draft_monitoring.write_monitoring(monitoring))
        files.update(monitoring="monitoring.yaml")
    docs.append(write_report(language))
    docs.insert(0, write_config(exports, out, files, language))
    out.mkdir(parents=True, exist_ok=True)
    (out / "prose").mkdir(exist_ok=True)
    for doc in docs:
        (out / doc.name).write_text(doc.text(), encoding="utf-8")
    # This checkout's Snakefile; an installed (not editable) package has none beside it.
    found = PIPELINE / "Snakefile"
    snakefile = found.as_posix() if found.exists() else "/path/to/impleval/Snakefile"
    (out / "Snakefile").write_text(SNAKEFILE.format(snakefile=snakefile), encoding="utf-8")
    decisions = [d for doc in docs for d in doc.decisions]
    (out / "DECISIONS.md").write_text(decisions_text(decisions), encoding="utf-8")
    _validate(out, files, schemas)
    return decisions


def _validate(out: Path, files: dict[str, str], schemas: Path) -> None:
    """Every drafted file against its schema (the draft is complete or this is a bug)."""
    load_validated(out / "config.yaml", schemas / "config.schema.yaml")
    for name, file in files.items():
        schema = schemas / f"{name.replace('_', '-')}.schema.yaml"
        if schema.exists():
            load_validated(out / file, schema)
        else:
            load_yaml(out / file)
    if "survey" in files:
        from impleval.survey.settings import load_study

        load_study(
            out / files["survey"], out / files["organisation"], schemas / "survey.schema.yaml"
        )


__all__ = ["Exports", "draft_study", "slug"]
