"""The report's prose holds no typed statistic: every number comes from a results file."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPO / "report").glob("index-*.qmd")) + sorted(
    (REPO / "report/chapters").rglob("*.qmd")
)

# Digits that are names, not results (method and checksum names).
ALLOWED = re.compile(r"AR\(1\)|SHA-256|fg[12]|df[12]|h[1-6]\b")


def prose_of(text: str) -> str:
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # YAML header
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code cells
    text = re.sub(r"\{\{<.*?>\}\}", "", text, flags=re.S)  # shortcodes (values, includes)
    text = re.sub(r"\{[#.][^}]*\}", "", text)  # attributes: ids, classes, fig-alt
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link and image targets
    return ALLOWED.sub("", text)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(REPO / "report")))
def test_prose_has_no_typed_numbers(source):
    prose = prose_of(source.read_text(encoding="utf-8"))
    numbers = [m.group(0) for m in re.finditer(r"[^\s]*\d[^\s]*", prose)]
    assert not numbers, (
        f"{source.name}: numbers typed into prose (read them from results): {numbers[:10]}"
    )


def test_the_check_catches_a_typed_number():
    assert re.search(r"\d", prose_of("Svarene var 42 % positive {{< var x.y >}}."))
    assert not re.search(r"\d", prose_of("Svarene var {{< var x.share >}} positive (AR(1))."))
