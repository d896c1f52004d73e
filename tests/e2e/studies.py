"""What a report of another study must not say: every id, label, name and prose sentence of the
demo study (config/demo-study/), and the checks shared by the second test study's runs (issue 11).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import yaml

from tests.conftest import REPO

DEMO = REPO / "config/demo-study"
STUDIES = REPO / "tests/studies"
CHECKLISTS = REPO / "report/checklists.yaml"


def _strings(node) -> set[str]:
    """Every key and string value of a parsed YAML document."""
    out: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(str(key))
            out |= _strings(value)
    elif isinstance(node, list):
        for value in node:
            out |= _strings(value)
    elif isinstance(node, str):
        out.add(node)
    return out


def _yaml_strings(folder: Path) -> set[str]:
    return set().union(
        *(_strings(yaml.safe_load(p.read_text())) for p in sorted(folder.glob("*.y*ml")))
    )


def _words(texts) -> set[str]:
    return {w for t in texts for w in re.findall(r"\w+", t)}


def _labels(node) -> set[str]:
    """The texts of a label ({nb: …, en: …} or one string)."""
    if isinstance(node, dict):
        return {str(v) for v in node.values()}
    return {str(node)} if node is not None else set()


def _entries(entries, *keys) -> set[str]:
    """Ids and labels of a list of entries (keys: which fields hold an id or a label)."""
    out: set[str] = set()
    for entry in entries or []:
        for key in keys:
            out |= _labels(entry.get(key))
    return out


def _study_terms(folder: Path, files: dict[str, str]) -> set[str]:
    """What one study declares about itself: the ids and labels of its organisation, questions,
    rows, options, scales, item groups, stages, roles, themes, stakeholder groups, outcomes,
    monitoring columns and milestones, its report's title and intervention."""
    load = {
        k: yaml.safe_load((folder / v).read_text()) if (folder / v).exists() else {}
        for k, v in files.items()
    }
    org, survey, analysis = load["organisation"], load["survey"], load["survey_analysis"]
    interviews, monitoring, report = load["interviews"], load["monitoring"], load["report"]
    out: set[str] = set()
    for key in ("regions", "trusts", "sites"):
        out |= _entries(org.get(key), "id", "label")
    out |= _labels(survey.get("intervention"))
    for q in survey.get("questions", []):
        out |= {q["id"], *_labels(q.get("text"))}
        out |= _entries(q.get("rows"), "id", "code", "label")
        out |= _entries(q.get("options"), "code", "label")
    for scale_id, scale in (analysis.get("scales") or {}).items():
        out |= {scale_id, *_labels(scale.get("label"))}
    out |= set(analysis.get("item_groups") or {})
    for label in (analysis.get("item_group_labels") or {}).values():
        out |= _labels(label)
    for key in ("stages", "roles"):
        out |= _entries(interviews.get(key), "id", "label")
    for path, entry in (interviews.get("stakeholders") or {}).items():
        out |= {path, entry.get("stakeholder", "")}
    for stakeholder, label in (interviews.get("stakeholder_labels") or {}).items():
        out |= {stakeholder, *_labels(label)}
    out |= set((interviews.get("document_variables") or {}).values())
    for path, theme in (interviews.get("themes") or {}).items():
        out |= {path, theme}
    for label in (interviews.get("theme_labels") or {}).values():
        out |= _labels(label)
    for outcome_id, outcome in (monitoring.get("outcomes") or {}).items():
        out |= {outcome_id, *_labels(outcome.get("label")), *_labels(outcome.get("column"))}
    out |= _labels(monitoring.get("primary_outcome"))
    milestones = monitoring.get("milestones") or {}
    out |= set(milestones.get("kinds") or [])
    for label in (milestones.get("labels") or {}).values():
        out |= _labels(label)
    for key in ("title", "subtitle", "intervention"):
        out |= _labels(report.get(key))
    out |= {a["name"] for a in report.get("authors") or []}
    return {t.strip() for t in out if t and str(t).strip()}


DEMO_FILES = {
    "organisation": "organisation.yaml",
    "survey": "survey.yaml",
    "survey_analysis": "survey-analysis.yaml",
    "interviews": "interviews.yaml",
    "monitoring": "monitoring.yaml",
    "report": "report.yaml",
}


def demo_terms(study: Path, study_files: dict[str, str] = DEMO_FILES) -> list[str]:
    """The demo's ids, labels and names (config/demo-study/, its names list and study name), less
    what is not the demo's own: a term found (as whole words, ignoring case) in what the other
    study declares itself ("radiologist" in its "Breast radiologist") or in the report's own
    generic text (report/phrases/, report/checklists.yaml: "training", "none"), and a term
    without a letter (an option code such as "01")."""
    demo = _study_terms(DEMO, DEMO_FILES)
    demo.add(yaml.safe_load((REPO / "config/config.yaml").read_text())["study_name"])
    demo |= {
        line.strip()
        for line in (DEMO / "names.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    own = " | ".join(_study_terms(study, study_files))
    report_text = " | ".join(
        _yaml_strings(REPO / "report/phrases") | _strings(yaml.safe_load(CHECKLISTS.read_text()))
    )
    generic = f"{own} | {report_text}".lower()
    return sorted(
        t for t in demo if re.search(r"[^\W\d_]", t) and not _contains(generic, t.lower())
    )


def _contains(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None


def demo_sentences() -> list[str]:
    """Sentences of the demo's prose (config/demo-study/prose/*.md) of at least 30 characters,
    written without markdown markup."""
    out = []
    for path in sorted((DEMO / "prose").glob("*.md")):
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(path.read_text().split())):
            if len(sentence) >= 30 and not re.search(r"[*_`\[\]#<>|]", sentence):
                out.append(sentence)
    return out


def visible_text(html_text: str) -> str:
    """The report's text as a reader sees it: no scripts, styles, tags or embedded images."""
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html_text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def found_terms(text: str, terms: list[str]) -> list[str]:
    """Terms occurring in `text` as whole words (case-sensitive)."""
    return [t for t in terms if _contains(text, t)]


def figure_texts(folder: Path) -> str:
    """Captions and alt texts of the drawn figures."""
    metas = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    return " ".join(f"{m.get('caption', '')} {m.get('alt', '')}" for m in metas)


def tables_text(folder: Path) -> str:
    """The cells of the results tables (not their headers: a table's columns are the pipeline's
    own, whatever the study)."""
    return " ".join(
        " ".join(p.read_text(encoding="utf-8").splitlines()[1:])
        for p in sorted(folder.glob("*.csv"))
    )


def html_tables(html_text: str) -> list[tuple[str, int]]:
    """Each table of the report: (its caption, its number of body rows)."""
    out = []
    for table in re.findall(r"<table\b.*?</table>", html_text, flags=re.S):
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, flags=re.S)
        body = re.search(r"<tbody[^>]*>(.*?)</tbody>", table, flags=re.S)
        rows = len(re.findall(r"<tr\b", body.group(1))) if body else 0
        out.append((visible_text(caption.group(1)) if caption else "", rows))
    return out


# --- Decisions of `impleval init` (tests/e2e/test_draft_study.py, tests/unit/test_draft.py) ---


def _entry(entries: list[dict], entry_id: str) -> dict:
    return next(e for e in entries if e["id"] == entry_id)


def get_key(doc: dict, path: list[str]):
    """The value at a decision key (`a.b`; `trusts.<id>.region` looks a list entry up by id);
    None where the document has none."""
    node = doc
    for i, part in enumerate(path):
        if isinstance(node, list):
            node = _entry(node, part)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
        if i == len(path) - 1:
            return node
    return node


def set_key(doc: dict, path: list[str], value) -> None:
    node = doc
    for part in path[:-1]:
        node = _entry(node, part) if isinstance(node, list) else node.setdefault(part, {})
    if value is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def apply_decisions(draft: Path, decided: dict[str, dict], decisions) -> int:
    """Set every decision key of the draft to the decided study's value (`decided`: draft file
    name → that study's parsed file). Returns how many keys were set."""
    docs = {name: yaml.safe_load((draft / name).read_text()) for name in decided}
    n = 0
    for d in decisions:
        for key in (k.strip() for k in d.key.split(",")):
            path = key.split(".")
            set_key(docs[d.file], path, get_key(decided[d.file], path))
            n += 1
    for name, doc in docs.items():
        (draft / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return n


def _key_span(node, path: list[str]):
    """(first line, end line exclusive) of a key and its value in a composed YAML document."""
    key_node = None
    for part in path:
        if isinstance(node, yaml.SequenceNode):
            node = next(
                item
                for item in node.value
                if any(k.value == "id" and v.value == part for k, v in item.value)
            )
            key_node = node
            continue
        pair = next(((k, v) for k, v in node.value if k.value == part), None)
        if pair is None:
            return None
        key_node, node = pair
    end = node.end_mark.line + (1 if node.end_mark.column > 0 else 0)
    return key_node.start_mark.line, end


def decision_lines(decisions, study: Path) -> int:
    """Non-blank, non-comment lines the study's own definition files spend on the decision keys:
    what a user writes by hand after `impleval init` (the draft holds everything else)."""
    lines: set[tuple[str, int]] = set()
    for d in decisions:
        text = (study / d.file).read_text(encoding="utf-8")
        rows = text.splitlines()
        for key in (k.strip() for k in d.key.split(",")):
            span = _key_span(yaml.compose(text), key.split("."))
            if span is None:
                continue
            for n in range(*span):
                if rows[n].strip() and not rows[n].lstrip().startswith("#"):
                    lines.add((d.file, n))
    return len(lines)
