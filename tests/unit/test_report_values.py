"""Variables merge, methods values and provenance of the report."""

import json

import pytest

from impleval.errors import InputError
from impleval.report.compose import variables
from impleval.report.provenance import build_provenance
from impleval.report.variables import MissingVariableError, lookup, merge_values, substitute


def test_merge_nests_by_file_name_and_rejects_clashes(tmp_path):
    (tmp_path / "survey_flow.yml").write_text("survey_flow: {n: '5'}\n")
    (tmp_path / "monitoring.yml").write_text("pooled: {level: '−1,2'}\n")
    merged = merge_values(sorted(tmp_path.glob("*.yml")), {"report": {"min_cell": "5"}})
    assert lookup(merged, "survey_flow.n") == "5"
    assert lookup(merged, "monitoring.pooled.level") == "−1,2"
    with pytest.raises(InputError):
        merge_values(sorted(tmp_path.glob("*.yml")), {"monitoring": {}})


def test_substitute_fails_loudly_listing_every_missing_key():
    text = "{{< var a.b >}} and {{< var a.c >}} and {{< var x >}}"
    with pytest.raises(MissingVariableError, match="a.c, x"):
        substitute(text, {"a": {"b": "1"}})
    assert substitute("n = {{< var a.b >}}", {"a": {"b": "1"}}) == "n = 1"
    with pytest.raises(MissingVariableError, match="single value"):
        lookup({"a": {"b": "1"}}, "a")


def test_provenance_hashes_files_and_renders_tables(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("x\n")
    prov = build_provenance({"input": [f]}, renderer="fallback: test", repo=tmp_path)
    assert len(prov["files"][0]["sha256"]) == 64
    assert prov["git"] == {"commit": "unknown", "dirty": None}  # tmp_path is no git work tree
    path = tmp_path / "provenance.json"
    path.write_text(json.dumps(prov))
    assert prov["renderer"] == "fallback: test"


def test_variables_format_the_language_neutral_facts_for_the_report_language():
    from types import SimpleNamespace

    facts = {
        "survey": {
            "n_respondents": 1200,
            "alpha": 0.05,
            "scales_differing": ["a", "b"],
            "nested": {"flag": True, "none": None},
        }
    }
    ctx = SimpleNamespace(language="nb", results=SimpleNamespace(values=facts))
    nb = variables(ctx)["survey"]
    assert nb == {
        "n_respondents": "1\u00a0200",
        "alpha": "0,05",
        "scales_differing": "a og b",
        "nested": {"flag": "true", "none": ""},
    }
    ctx.language = "en"
    assert variables(ctx)["survey"]["n_respondents"] == "1,200"
