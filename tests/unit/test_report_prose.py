"""The report's own sentences hold no typed statistic: every number comes from a results file
through a placeholder. (The study team's prose may state context such as a catchment population.)"""

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
PHRASE_FILES = sorted((REPO / "report" / "phrases").glob("*.yml"))

# Digits that are names or definitions, not results: method names, checksums, the lag-1
# correlation, Durbin–Watson's value without autocorrelation (about 2), exp(x) − 1, and
# Cochran's rule of thumb for the chi-square test (expected counts below 5), which is a fixed
# constant of the analysis code, not a setting.
ALLOWED = re.compile(
    r"AR\(1\)|ARMA\(1,1\)|SHA-256|fg[12]|df[12]|h[1-6]\b|[Ll]ag[- ]1|rundt 2|about 2|\) − 1|"
    r"under 5\.|below 5\."
)


def typed_numbers(template: str) -> list[str]:
    text = re.sub(r"\{[^{}]*\}", "", template)  # placeholders
    text = re.sub(r"\[@[^\]]*\]", "", text)  # citations
    text = ALLOWED.sub("", text)
    return [m.group(0) for m in re.finditer(r"\S*\d\S*", text)]


@pytest.mark.parametrize("path", PHRASE_FILES, ids=lambda p: p.name)
def test_phrases_have_no_typed_numbers(path):
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = {
        f"{key}.{lang}": typed_numbers(text)
        for key, entry in book.items()
        for lang, text in entry.items()
        if typed_numbers(text)
    }
    assert not found, f"numbers typed into phrases (use a placeholder): {found}"


def test_the_check_catches_a_typed_number():
    assert typed_numbers("Svarene var 42 % positive {n}.") == ["42"]
    assert typed_numbers("Svarene var {share} positive (AR(1)) [@welch1951].") == []
