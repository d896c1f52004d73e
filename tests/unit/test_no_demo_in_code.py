"""The demo is one study, not the product: nothing under src/ (but the demo generator),
scripts/, workflow/ or report/ names one of the demo's ids or labels (its organisation, scales,
interview stages, monitoring outcomes, report title and intervention). Terms the report's own
generic text uses as well ("Implementation", "Innføring") are not the demo's."""

import re

import yaml

from tests.conftest import REPO
from tests.e2e.studies import CHECKLISTS, DEMO, _entries, _labels, _strings, _yaml_strings

CODE_DIRS = ("src", "scripts", "workflow", "report")
GENERATOR = REPO / "src/impleval/demo"  # the demo's own synthetic-data machinery


def _demo_terms() -> set[str]:
    def load(name):
        return yaml.safe_load((DEMO / name).read_text(encoding="utf-8"))

    org, analysis = load("organisation.yaml"), load("survey-analysis.yaml")
    interviews, monitoring, report = (
        load("interviews.yaml"),
        load("monitoring.yaml"),
        load("report.yaml"),
    )
    terms: set[str] = set()
    for key in ("regions", "trusts", "sites"):
        terms |= _entries(org.get(key), "id", "label")
    for scale_id, scale in analysis["scales"].items():
        terms |= {scale_id, *_labels(scale.get("label"))}
    terms |= _entries(interviews.get("stages"), "id", "label")
    terms |= set(monitoring["outcomes"])
    for key in ("title", "intervention"):
        terms |= _labels(report.get(key))
    generic = " | ".join(
        _yaml_strings(REPO / "report/phrases") | _strings(yaml.safe_load(CHECKLISTS.read_text()))
    ).lower()
    return {t for t in terms if len(t) >= 3 and not _whole_word(t.lower(), generic)}


def _whole_word(term: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None


def test_code_names_none_of_the_demo_ids_or_labels():
    terms = _demo_terms()
    assert "hso" in {t.lower() for t in terms}  # the list is the demo's, not empty
    found = []
    for folder in CODE_DIRS:
        for path in sorted((REPO / folder).rglob("*")):
            if not path.is_file() or GENERATOR in path.parents or "egg-info" in str(path):
                continue
            if path.suffix not in {".py", ".smk", ".yml", ".yaml", ".qmd", ".md", ".css", ".lua"}:
                continue
            text = path.read_text(encoding="utf-8", errors="ignore").lower()
            found += [
                f"{path.relative_to(REPO)}: {t}" for t in terms if _whole_word(t.lower(), text)
            ]
    assert not found, found
