"""End to end: `impleval init` on the demo exports, plus the decisions the demo config makes
(applied to the draft by the keys its DECISIONS list names), reproduces the demo's result tables
when the drafted study folder runs the pipeline as a Snakemake module (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from impleval.draft.study import Exports, draft_study
from tests.conftest import REPO, run_snakemake

pytestmark = pytest.mark.e2e

RAW = REPO / "data/raw"
DEMO = REPO / "config/demo-study"
DEMO_EXPORTS = Exports(
    survey=str(RAW / "survey/synthetic_nettskjema-data-report.csv"),
    codebook=str(RAW / "survey/synthetic_nettskjema-codebook.json"),
    interviews=str(RAW / "interviews/synthetic_maxqda-coded-segments.xlsx"),
    document_variables=str(RAW / "interviews/synthetic_maxqda-document-variables.xlsx"),
    monitoring=str(RAW / "monitoring/synthetic_weekly-aggregates.csv"),
    milestones=str(RAW / "monitoring/synthetic_milestones.csv"),
)


def _entry(entries: list[dict], entry_id: str) -> dict:
    return next(e for e in entries if e["id"] == entry_id)


def _get(doc: dict, path: list[str]):
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


def _set(doc: dict, path: list[str], value) -> None:
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
            _set(docs[d.file], path, _get(decided[d.file], path))
            n += 1
    for name, doc in docs.items():
        (draft / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return n


def demo_decided() -> dict[str, dict]:
    """The demo's definitions under the drafted files' names; its paths made absolute."""
    config = yaml.safe_load((REPO / "config/config.yaml").read_text())
    config["deid"]["names_file"] = str(REPO / config["deid"]["names_file"])
    out = {"config.yaml": config}
    for name, path in config["study"].items():
        study = yaml.safe_load((REPO / path).read_text())
        if name == "report":
            study["prose"] = str(DEMO / study["prose"])
        out[Path(path).name] = study
    return out


@pytest.fixture(scope="module")
def drafted_demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("drafted_demo") / "demo-study"
    decisions = draft_study(DEMO_EXPORTS, out)
    assert apply_decisions(out, demo_decided(), decisions) >= len(decisions)
    run_snakemake(out)
    return out


def test_draft_plus_the_demo_decisions_reproduces_the_demo_tables(
    drafted_demo: Path, demo_run: Path
):
    expected = sorted(p.name for p in (demo_run / "results/tables").glob("*.csv"))
    got = sorted(p.name for p in (drafted_demo / "results/tables").glob("*.csv"))
    assert got == expected
    differing = []
    for name in expected:
        a = pd.read_csv(demo_run / "results/tables" / name, dtype=str, keep_default_na=False)
        b = pd.read_csv(drafted_demo / "results/tables" / name, dtype=str, keep_default_na=False)
        if not a.equals(b):
            differing.append(name)
    assert not differing, f"tables that differ from the demo's: {differing}"
    assert (drafted_demo / "results/report/impleval-report-nb.html").exists()
