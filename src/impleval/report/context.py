"""Everything a report section reads: the study's definitions, its prose, the results, the
phrase book and the labels of every id, for one report language.

Sections never open files themselves: they ask the context, so a section can be tested on a
context built from small frames (`ReportContext.for_tests`).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from impleval.report.text import Phrases, pick

STRANDS = ("survey", "interviews", "monitoring")


def per_context(fn: Callable) -> Callable:
    """Compute `fn(ctx, *args)` once per context (and arguments) and reuse the result.

    For the sections' derived results that several sections ask for (an interview theme's
    change across stages is read by the summary, the interview results, the integration's joint
    display and its CSV download: 24 calls of the same computation in one report). The context is
    read-only while a report is written, so the result cannot go stale; a caller must not modify
    what it gets back. The cache lives on the context object (`_per_context`), so a new context
    (another language, a test's own) starts empty."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        cache = vars(ctx).setdefault("_per_context", {})
        key = (fn.__module__, fn.__qualname__, args)
        if key not in cache:
            cache[key] = fn(ctx, *args)
        return cache[key]

    return wrapper


@dataclass
class Study:
    """The study's definition files (validated dicts) and run settings from the main config."""

    organisation: dict
    report: dict = field(default_factory=dict)
    survey: dict | None = None
    survey_analysis: dict | None = None
    interviews: dict | None = None
    interviews_analysis: dict | None = None
    monitoring: dict | None = None
    settings: dict = field(default_factory=dict)  # min_cell, seed, synthetic, formats, deid …

    def has(self, strand: str) -> bool:
        return getattr(self, strand) is not None

    @property
    def strands(self) -> list[str]:
        return [s for s in STRANDS if self.has(s)]


class Prose:
    """The study team's own text: `<folder>/<topic>.<lang>.md`, or None when not written."""

    def __init__(self, folder: str | os.PathLike | None, language: str):
        self.folder = Path(folder) if folder else None
        self.language = language

    def path(self, topic: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{topic}.{self.language}.md"

    def get(self, topic: str) -> str | None:
        path = self.path(topic)
        if path is None or not path.is_file():
            return None
        text = path.read_text(encoding="utf-8").strip()
        return text or None


class Results:
    """Result tables (CSV), language-neutral values (YAML) and the figures of one language."""

    def __init__(
        self,
        tables: str | os.PathLike,
        values: Mapping[str, dict],
        figures: str | os.PathLike,
        figure_prefix: str = "figures",
        provenance: Mapping | None = None,
    ):
        self.tables_dir = Path(tables)
        self.values = dict(values)
        self.provenance = dict(provenance or {})
        self.figures_dir = Path(figures)
        self.figure_prefix = figure_prefix  # path of the figures folder as the report sees it
        self._tables: dict[str, pd.DataFrame] = {}

    def has_table(self, name: str) -> bool:
        return name in self._tables or (self.tables_dir / f"{name}.csv").is_file()

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = pd.read_csv(self.tables_dir / f"{name}.csv", keep_default_na=True)
        return self._tables[name]

    def figure(self, name: str) -> dict | None:
        """Caption, alt text and the PNG path as the report sees it; None when not drawn."""
        meta = self.figures_dir / f"{name}.json"
        if not meta.is_file():
            return None
        data = json.loads(meta.read_text(encoding="utf-8"))
        return {
            "caption": data["caption"],
            "alt": data["alt"],
            "path": f"{self.figure_prefix}/{data.get('png', name + '.png')}",
        }


class Labels:
    """Label of every id the study defines, in the report language (the id itself as a last
    resort, so a label never goes missing silently: tests check that no raw id is printed)."""

    def __init__(self, study: Study, language: str, phrases: Phrases):
        self.study = study
        self.language = language
        self.phrases = phrases

    def _pick(self, label, fallback: str) -> str:
        return pick(label, self.language, fallback)

    def text(self, label, fallback: str = "") -> str:
        """A study-given text (`{nb: …, en: …}` or plain) in the report language."""
        return pick(label, self.language, fallback)

    @cached_property
    def _regions(self) -> dict:
        return {
            r["id"]: r.get("label", r["id"]) for r in self.study.organisation.get("regions", [])
        }

    @cached_property
    def _trusts(self) -> dict:
        return {t["id"]: t.get("label", t["id"]) for t in self.study.organisation.get("trusts", [])}

    @cached_property
    def _sites(self) -> dict:
        return {s["id"]: s.get("label", s["id"]) for s in self.study.organisation.get("sites", [])}

    def region(self, rid: str) -> str:
        return self._pick(self._regions.get(rid), rid)

    def trust(self, tid: str) -> str:
        return self._pick(self._trusts.get(tid), tid)

    def site(self, sid: str) -> str:
        return self._pick(self._sites.get(sid), sid)

    # --- survey -------------------------------------------------------------------------
    @cached_property
    def _survey_questions(self) -> dict:
        return {q["id"]: q for q in (self.study.survey or {}).get("questions", [])}

    @cached_property
    def intervention(self) -> str:
        report = self.study.report.get("intervention")
        survey = (self.study.survey or {}).get("intervention")
        return self._pick(report or survey, "")

    def _fill(self, text: str) -> str:
        return text.replace("{intervention}", self.intervention)

    def survey_group_question(self, group: str) -> dict | None:
        """The question that holds a group variable (`trust`, `role`) in the survey."""
        groups = (self.study.survey or {}).get("groups", {})
        qid = groups.get(group, group)
        return self._survey_questions.get(qid)

    def role(self, code: str) -> str:
        question = self.survey_group_question("role")
        for option in (question or {}).get("options", []):
            if str(option["code"]) == str(code):
                return self._pick(option.get("label"), code)
        for role in (self.study.interviews or {}).get("roles", []):
            if role["id"] == code:
                return self._pick(role.get("label"), code)
        return str(code)

    def option(self, question_id: str, code: str) -> str:
        question = self._survey_questions.get(question_id, {})
        for option in question.get("options", []):
            if str(option["code"]) == str(code):
                return self._pick(option.get("label"), code)
        return str(code)

    def question(self, qid: str) -> str:
        question = self._survey_questions.get(qid)
        return self._fill(self._pick(question.get("text"), qid)) if question else qid

    @cached_property
    def _items(self) -> dict:
        items = {}
        for q in self._survey_questions.values():
            rows = q.get("rows") or []
            for row in rows:
                items[row["id"]] = row.get("label", row["id"])
            if not rows:
                items[q["id"]] = q.get("text", q["id"])
        return items

    def item(self, iid: str) -> str:
        return self._fill(self._pick(self._items.get(iid), iid))

    def scale(self, sid: str) -> str:
        scales = (self.study.survey_analysis or {}).get("scales", {})
        return self._pick(scales.get(sid, {}).get("label"), sid)

    def item_group(self, gid: str) -> str:
        analysis = self.study.survey_analysis or {}
        if gid in analysis.get("scales", {}):
            return self.scale(gid)
        return self._pick(analysis.get("item_group_labels", {}).get(gid), gid)

    def group_var(self, name: str, *, plural: bool = False) -> str:
        """'helseregion' / 'health regions' for region, trust, role; a category question's text
        otherwise."""
        key = f"group.{name}{'.plural' if plural else ''}"
        if self.phrases.has(key):
            return self.phrases(key)
        return self.question(name)

    def group_level(self, name: str, level: str) -> str:
        if name == "region":
            return self.region(level)
        if name == "trust":
            return self.trust(level)
        if name == "role":
            return self.role(level)
        if name == "site":
            return self.site(level)
        return self.option(name, level)

    # --- interviews ---------------------------------------------------------------------
    def theme(self, tid: str) -> str:
        labels = (self.study.interviews or {}).get("theme_labels", {})
        return self._pick(labels.get(tid), tid)

    def stage(self, sid: str) -> str:
        for stage in (self.study.interviews or {}).get("stages", []):
            if stage["id"] == sid:
                return self._pick(stage.get("label"), sid)
        return sid

    def stakeholder(self, sid: str) -> str:
        labels = (self.study.interviews or {}).get("stakeholder_labels", {})
        return self._pick(labels.get(sid), sid)

    # --- monitoring ---------------------------------------------------------------------
    def outcome(self, oid: str) -> str:
        outcomes = (self.study.monitoring or {}).get("outcomes", {})
        return self._pick(outcomes.get(oid, {}).get("label"), oid)

    def unit(self, oid: str) -> str:
        outcomes = (self.study.monitoring or {}).get("outcomes", {})
        return self._pick(outcomes.get(oid, {}).get("unit"), "")


@dataclass
class ReportContext:
    language: str
    phrases: Phrases
    study: Study
    results: Results
    prose: Prose
    resources: dict = field(default_factory=dict)  # report/ files: checklists, bibliography

    @cached_property
    def labels(self) -> Labels:
        return Labels(self.study, self.language, self.phrases)

    @property
    def min_cell(self) -> int:
        return int(self.study.settings.get("min_cell", 5))

    def values(self, branch: str) -> dict:
        return self.results.values.get(branch, {})
