"""A ReportContext for section tests, built from dicts and frames (no result files needed).

    from tests.unit.report_fixtures import make_context, assert_clean

    ctx = make_context(language="en", interviews={...}, interviews_analysis={...},
                       tables={"theme_stage_tests": frame}, figures={"theme_trajectories"},
                       prose={"meta_inferences": "Text."})
    text = interviews.build(ctx)
    assert_clean(text, ids=["th_a", "st_one"])

The phrase book is the real one (report/phrases/), so a test also checks that every phrase a
section asks for exists in the test's language. Tables are held in memory: `has_table` is true
exactly for the frames given; figures are the names given (caption and alt made up).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from impleval.report.context import Prose, ReportContext, Results, Study
from impleval.report.text import load_phrases

REPO = Path(__file__).resolve().parents[2]
PHRASES = REPO / "report" / "phrases"
ORGANISATION = {
    "regions": [
        {"id": "rg_north", "label": {"nb": "Nordregionen", "en": "North region"}},
        {"id": "rg_south", "label": {"nb": "Sørregionen", "en": "South region"}},
    ],
    "trusts": [{"id": "tr_one", "label": {"nb": "Foretak én", "en": "Trust one"}}],
    "sites": [{"id": "si_one", "label": {"nb": "Sted én", "en": "Site one"}}],
}


class FrameResults(Results):
    """Results held in memory: tables as frames, figures as names, values as dicts."""

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame] | None = None,
        values: Mapping[str, dict] | None = None,
        figures: Iterable[str] | Mapping[str, dict] | None = None,
    ):
        super().__init__(
            tables=REPO / "no-such-tables",
            values=dict(values or {}),
            figures=REPO / "no-such-figures",
        )
        self._tables.update({k: v.copy() for k, v in (tables or {}).items()})
        if isinstance(figures, Mapping):
            self._figures = dict(figures)
        else:
            self._figures = {name: {} for name in (figures or ())}

    def has_table(self, name: str) -> bool:
        return name in self._tables

    def table(self, name: str) -> pd.DataFrame:
        return self._tables[name]

    def figure(self, name: str) -> dict | None:
        if name not in self._figures:
            return None
        meta = self._figures[name]
        return {
            "caption": meta.get("caption", f"Caption of {name}."),
            "alt": meta.get("alt", f"Alt text of {name}."),
            "path": f"{self.figure_prefix}/{name}.png",
        }


class DictProse(Prose):
    """The study team's prose as a dict topic → text (None: not written)."""

    def __init__(self, texts: Mapping[str, str] | None, language: str):
        super().__init__(None, language)
        self.texts = dict(texts or {})

    def path(self, topic: str) -> Path:
        return Path("prose") / f"{topic}.{self.language}.md"

    def get(self, topic: str) -> str | None:
        return self.texts.get(topic)


def make_context(
    *,
    language: str = "nb",
    organisation: dict | None = None,
    report: dict | None = None,
    survey: dict | None = None,
    survey_analysis: dict | None = None,
    interviews: dict | None = None,
    interviews_analysis: dict | None = None,
    monitoring: dict | None = None,
    settings: dict | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    values: Mapping[str, dict] | None = None,
    figures: Iterable[str] | Mapping[str, dict] | None = None,
    prose: Mapping[str, str] | None = None,
) -> ReportContext:
    """A context of one report language; strands are collected iff their dict is given."""
    study = Study(
        organisation=organisation if organisation is not None else ORGANISATION,
        report=report or {},
        survey=survey,
        survey_analysis=survey_analysis,
        interviews=interviews,
        interviews_analysis=interviews_analysis,
        monitoring=monitoring,
        settings={"min_cell": 5, **(settings or {})},
    )
    return ReportContext(
        language=language,
        phrases=load_phrases(PHRASES, language),
        study=study,
        results=FrameResults(tables, values, figures),
        prose=DictProse(prose, language),
    )


# Codes that must never reach the reader (ids of tests, flags, states) and pandas' missing values.
RAW_CODES = (
    "cochran_armitage",
    "fisher_freeman_halton",
    "meets_target",
    "below_target",
    "no_change",
    "untested",
    "level_change",
    "log_rate_ratio",
    "nan",
    "NaN",
    "None",
    "<NA>",
    "NaT",
)


# A CSV download (impleval.report.markdown.csv_link): a raw HTML block whose data: URI and
# download file name are machine-readable by design; the reader sees the label.
CSV_DOWNLOAD = re.compile(r'```\{=html\}\n<p><a href="data:[^"]*"[^>]*>(.*?)</a></p>\n```')


def _visible(markdown: str) -> str:
    """The text a reader sees: without embedded CSV downloads (data: URIs, machine-readable by
    design) and without cross-reference/citation keys."""
    text = CSV_DOWNLOAD.sub(r"\1", markdown)
    text = re.sub(r"@(tbl|fig|sec)-[\w-]+", "", text)
    text = re.sub(r"\[@[^\]]*\]", "", text)
    return re.sub(r"\{#[\w-]+[^}]*\}", "", text)


def assert_clean(markdown: str, ids: Iterable[str] = (), codes: Iterable[str] = RAW_CODES) -> None:
    """No raw id of the study, no raw code and no missing value in what the reader sees."""
    text = _visible(markdown)
    for token in [*ids, *codes]:
        assert not re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text), (
            f"{token!r} printed in the report text:\n"
            + "\n".join(line for line in text.splitlines() if token in line)[:2000]
        )
