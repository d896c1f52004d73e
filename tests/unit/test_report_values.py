"""Variables merge, methods values and provenance of the report."""

import json

import pytest

from impleval.errors import InputError
from impleval.report.provenance import build_provenance, markdown_environment, markdown_files
from impleval.report.values import report_values
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


def test_methods_values_are_formatted_for_the_language():
    v = report_values(
        study_name="S",
        synthetic=True,
        min_cell=5,
        seed=20230829,
        language="nb",
        survey_analysis={
            "multiplicity": {"item_screen": {"method": "fdr_bh"}},
            "bootstrap": {"n_boot": 1999},
        },
        interviews_analysis={},
        monitoring={"analysis": {"horizons_weeks": [26, 52]}},
    )
    assert v["report"]["adjust_item_screen"] == "Benjamini–Hochberg"
    assert v["report"]["n_boot"] == "1\u00a0999" and v["report"]["seed"] == "20230829"
    assert v["report"]["horizons_weeks"] == "26 og 52" and v["data"]["synthetic"] == "ja"


def test_provenance_hashes_files_and_renders_tables(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("x\n")
    prov = build_provenance({"input": [f]}, renderer="fallback: test", repo=tmp_path)
    assert len(prov["files"][0]["sha256"]) == 64
    assert prov["git"] == {"commit": "unknown", "dirty": None}  # tmp_path is no git work tree
    path = tmp_path / "provenance.json"
    path.write_text(json.dumps(prov))
    assert "fallback: test" in markdown_environment(path, "en")
    assert prov["files"][0]["sha256"] in markdown_files(path, "nb")
