"""The synthetic interview study: reproducible bytes, a truth file, and the same canonical tables
from every export format."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from impleval.config import load_yaml
from impleval.demo import interviews as demo
from impleval.interviews.io.prepare import prepare_interviews
from impleval.interviews.settings import load_study

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data/raw/interviews"
FILES = [
    "synthetic_maxqda-coded-segments.xlsx",
    "synthetic_maxqda-document-variables.xlsx",
    "synthetic_qualcoder.qda/data.qda",
    "synthetic_qualcoder-coding-report.xlsx",
    "synthetic_refi.qdpx",
    "synthetic_truth-interviews.json",
]


@pytest.fixture(scope="module")
def study():
    return {
        "interviews": load_yaml(REPO / "config/demo-study/interviews.yaml"),
        "organisation": load_yaml(REPO / "config/demo-study/organisation.yaml"),
    }


@pytest.fixture(scope="module")
def generated(study, tmp_path_factory):
    out = tmp_path_factory.mktemp("interviews")
    demo.generate(out, study)
    return out


@pytest.fixture(scope="module")
def canonical(generated):
    interviews, organisation = load_study(
        REPO / "config/demo-study/interviews.yaml",
        REPO / "config/schema/interviews.schema.yaml",
        REPO / "config/demo-study/organisation.yaml",
    )
    paths = {
        "segments": generated / FILES[0],
        "document_variables": generated / FILES[1],
        "qualcoder_project": generated / FILES[2],
        "qualcoder_report": generated / FILES[3],
        "refi_project": generated / FILES[4],
    }
    return {
        fmt: prepare_interviews(fmt, paths, interviews, organisation)
        for fmt in ("maxqda", "qualcoder", "qualcoder_xlsx", "refi_qda")
    }


@pytest.mark.parametrize("name", FILES)
def test_regeneration_is_byte_identical_to_the_bundled_exports(generated, name):
    assert (generated / name).read_bytes() == (RAW / name).read_bytes(), (
        f"{name} differs from data/raw: run `python -m impleval.demo --only interviews`"
    )


def test_truth_file_documents_the_planted_effects(generated, study):
    truth = json.loads((generated / "synthetic_truth-interviews.json").read_text(encoding="utf-8"))
    themes = set(study["interviews"]["themes"].values())
    assert truth["n_interviews"] == 84 and truth["n_double_coded"] == 17
    assert set(truth["stage_probabilities"]) == themes
    assert truth["null_themes"] == ["trust_in_ai"]
    assert {"task_shifting", "waiting_time", "dialogue_procurement", "monitoring"} <= set(
        truth["trend_themes"]
    )
    assert set(truth["agreement"]) == themes and set(truth["agreement_by_code"]) == set(
        study["interviews"]["themes"]
    )
    low = truth["low_agreement_themes"]
    assert all(truth["agreement"][t]["expected_kappa_simulated_mean"] < 0.6 for t in low)
    assert truth["agreement"]["task_shifting"]["expected_kappa_simulated_mean"] > 0.8
    assert set(truth["stakeholder_benefits"]) == set(study["interviews"]["stakeholders"])


def test_demo_design(canonical):
    segments, documents, summary = canonical["maxqda"]
    assert len(documents) == 84 and int(documents["double_coded"].sum()) == 17
    assert documents["stage"].value_counts().to_dict() == {
        "implementation": 26,
        "post_implementation": 24,
        "procurement": 18,
        "pre_implementation": 16,
    }
    assert set(documents.loc[documents["stage"] == "procurement", "trust"]) == {"vv"}
    assert documents.loc[documents["stage"] == "post_implementation", "region"].nunique() == 4
    per_code = segments.groupby(["interview_id", "coder", "code_path"]).size()
    assert per_code[per_code.index.get_level_values("coder") == "coder_1"].between(1, 4).all()
    assert summary["n_hits"].sum() == 0  # the demo text is clean of identifiers


@pytest.mark.parametrize("fmt", ["qualcoder", "refi_qda"])
def test_every_export_gives_identical_canonical_tables(canonical, fmt):
    for k in (0, 1, 2):
        pd.testing.assert_frame_equal(canonical[fmt][k], canonical["maxqda"][k])


def test_qualcoder_report_matches_except_positions(canonical):
    keys = ["interview_id", "coder", "code_path", "text"]
    a, b = (
        canonical[f][0]
        .drop(columns=["position", "position_end"])
        .sort_values(keys)
        .reset_index(drop=True)
        for f in ("maxqda", "qualcoder_xlsx")
    )
    pd.testing.assert_frame_equal(a, b)


def _share(segments, documents, theme):
    first = segments[(segments["coder"] == "coder_1") & (segments["theme"] == theme)]
    mentioned = documents["interview_id"].isin(first["interview_id"])
    return mentioned.groupby(documents["stage"]).mean()


def test_planted_stage_patterns_are_visible(canonical):
    segments, documents, _ = canonical["maxqda"]
    rising = _share(segments, documents, "task_shifting")
    assert rising["post_implementation"] > rising["implementation"] > rising["procurement"]
    falling = _share(segments, documents, "dialogue_procurement")
    assert falling["procurement"] > 0.6 > falling["post_implementation"] + 0.3
    peak = _share(segments, documents, "local_validation")
    assert peak.idxmax() == "pre_implementation"


def test_low_agreement_codes_disagree_more(canonical):
    segments, documents, _ = canonical["maxqda"]
    double = documents.loc[documents["double_coded"], "interview_id"]
    present = (
        segments[segments["interview_id"].isin(double)]
        .groupby(["theme", "coder"])["interview_id"]
        .agg(set)
    )

    def agreement(theme):
        a, b = present.get((theme, "coder_1"), set()), present.get((theme, "coder_2"), set())
        return 1 - len(a ^ b) / len(double)

    low = [agreement(t) for t in demo.AGREEMENT]
    high = [
        agreement(t)
        for t in ("task_shifting", "waiting_time", "dialogue_procurement", "trust_in_ai")
    ]
    assert sum(low) / len(low) < sum(high) / len(high)
