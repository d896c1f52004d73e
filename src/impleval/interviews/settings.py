"""The interview study definitions: interviews.yaml (`load_study`), interviews-analysis.yaml
(`analysis_settings`), and what the statistics need from them in one small structure (`StudyDefs`).

`interviews.yaml` (stages, code system, stakeholder map; written by the data layer) and
`interviews-analysis.yaml` (settings of this analysis) are read here so that the statistics
functions work on plain lists and dicts and can be tested on simulated frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from impleval.config import label, load_validated, load_yaml
from impleval.errors import InputError, Problem

ALL = "all"  # margin value in every breakdown column
FIGURES = [
    "theme_stage_heatmap",
    "theme_trajectories",
    "theme_cooccurrence",
    "intercoder_agreement",
    "stakeholder_benefits",
]


def figure_names(interviews: dict) -> list[str]:
    """The interview figures of a study (its loaded interviews.yaml): every figure, but the
    stakeholder matrix only when the study defines a `stakeholders:` block. The workflow declares
    this list as the plot rule's outputs; the plot job draws the same."""
    return [f for f in FIGURES if f != "stakeholder_benefits" or interviews.get("stakeholders")]


@dataclass
class StudyDefs:
    stages: list[str]
    stage_labels: dict = field(default_factory=dict)  # id -> {nb, en}
    theme_labels: dict = field(default_factory=dict)  # theme id -> {nb, en}
    themes: list[str] = field(default_factory=list)  # theme ids in code-system order
    codes: dict = field(default_factory=dict)  # code path -> theme id, code-system order
    stakeholders: dict = field(default_factory=dict)  # code path -> {stakeholder, kind}
    stakeholder_labels: dict = field(default_factory=dict)
    role_labels: dict = field(default_factory=dict)
    region_labels: dict = field(default_factory=dict)

    @property
    def process_themes(self) -> list[str]:
        """Themes that are not stakeholder effects (the talk's process themes)."""
        effect = {self.codes.get(path) for path in self.stakeholders}
        return [t for t in self.themes if t not in effect]

    def lab(self, kind: str, key: str, language: str) -> str:
        table = getattr(self, f"{kind}_labels")
        return label(table, key, language)


def _labels_of(entries) -> dict:
    """{id: label} from either a list of {id, label} entries or a mapping id -> label/dict."""
    out = {}
    if isinstance(entries, dict):
        for key, value in entries.items():
            out[str(key)] = value.get("label", value) if isinstance(value, dict) else value
    elif isinstance(entries, list):
        for item in entries:
            if isinstance(item, dict) and "id" in item:
                out[str(item["id"])] = item.get("label", item["id"])
            else:
                out[str(item)] = str(item)
    return out


def study_defs(interviews: dict, organisation: dict | None = None) -> StudyDefs:
    """Read stages, themes and stakeholders from the loaded interviews.yaml (+ organisation)."""
    stage_labels = _labels_of(interviews.get("stages", []))
    stages = list(stage_labels)
    theme_labels = {}
    themes = []
    codes = {}
    # `themes:` maps code path -> theme id (str) or {theme/id, label}; a `theme_labels:` or a
    # list of theme entries may carry the labels.
    raw_themes = interviews.get("themes", {})
    if isinstance(raw_themes, dict):
        for path, value in raw_themes.items():
            if isinstance(value, dict):
                tid = str(value.get("theme") or value.get("id") or path)
                if "label" in value:
                    theme_labels.setdefault(tid, value["label"])
            else:
                tid = str(value)
            codes[str(path)] = tid
            if tid not in themes:
                themes.append(tid)
    elif isinstance(raw_themes, list):
        for item in raw_themes:
            tid = str(item.get("id"))
            themes.append(tid)
            if "label" in item:
                theme_labels[tid] = item["label"]
    for key in ("theme_labels", "theme_definitions"):
        for tid, lab in _labels_of(interviews.get(key, {})).items():
            theme_labels.setdefault(tid, lab)
            if tid not in themes:
                themes.append(tid)
    stakeholders = {}
    for path, value in (interviews.get("stakeholders") or {}).items():
        if isinstance(value, dict):
            stakeholders[str(path)] = {
                "stakeholder": str(value.get("stakeholder")),
                "kind": str(value.get("kind", "benefit")),
            }
    stakeholder_labels = _labels_of(
        interviews.get("stakeholder_groups", interviews.get("stakeholder_labels", {}))
    )
    role_labels = _labels_of(interviews.get("roles", {}))
    region_labels = _labels_of((organisation or {}).get("regions", []))
    return StudyDefs(
        stages,
        stage_labels,
        theme_labels,
        themes,
        codes,
        stakeholders,
        stakeholder_labels,
        role_labels,
        region_labels,
    )


def analysis_settings(path: str | Path, schema_path: str | Path) -> dict:
    """Load interviews-analysis.yaml, validate it and fill defaults; InputError lists every
    problem."""
    data = load_validated(path, schema_path)
    a = data["agreement"]
    if a["alpha_tentative"] > a["alpha_reliable"]:
        raise InputError(
            Problem(
                str(path),
                "agreement.alpha_tentative <= agreement.alpha_reliable",
                column="agreement/alpha_tentative",
                value=str(a["alpha_tentative"]),
            )
        )
    if data["quotes"]["min_chars"] > data["quotes"]["max_chars"]:
        raise InputError(
            Problem(
                str(path),
                "quotes.min_chars <= quotes.max_chars",
                column="quotes/min_chars",
                value=str(data["quotes"]["min_chars"]),
            )
        )
    return data


def load_study(interviews_path, schema_path, organisation_path) -> tuple[dict, dict]:
    """The interview study definition validated against its schema (defaults filled in), and the
    organisation file."""
    return load_validated(interviews_path, schema_path), load_yaml(organisation_path)


def text_label(settings: dict, key: str, language: str, **fmt) -> str:
    return label(settings.get("labels", {}), key, language).format(**fmt)


def code_label(defs: StudyDefs, code: str, language: str) -> str:
    """A code's label: its theme's label when the theme has this one code (the theme label is the
    code's label in the report language), else "Theme: last level of the code path"."""
    theme = defs.codes.get(code, "")
    name = defs.lab("theme", theme, language) if theme else ""
    if not theme or sum(t == theme for t in defs.codes.values()) > 1:
        leaf = str(code).split(" > ")[-1]
        return f"{name}: {leaf}" if name else leaf
    return name
