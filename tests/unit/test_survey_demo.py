"""The synthetic demo survey: byte-identical regeneration, Nettskjema format, planted truth."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from impleval.config import load_yaml
from impleval.demo import survey, survey_truth

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data/raw/survey"
SCHEMA = REPO / "config/schema/survey.schema.yaml"


@pytest.fixture(scope="module")
def study():
    return {k: load_yaml(REPO / f"config/demo-study/{k}.yaml") for k in ("survey", "organisation")}


def test_regeneration_is_byte_identical(study, tmp_path, monkeypatch):
    monkeypatch.setattr(
        survey_truth, "N_POPULATION", 3000
    )  # the population size does not change the bytes' stability
    survey.generate(tmp_path / "a", study, schema=SCHEMA)
    survey.generate(tmp_path / "b", study, schema=SCHEMA)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == [
        "synthetic_nettskjema-codebook.json",
        "synthetic_nettskjema-data-report.csv",
        "synthetic_truth-survey.json",
    ]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    # The committed export is what the generator writes.
    for name in files[:2]:
        assert (tmp_path / "a" / name).read_bytes() == (RAW / name).read_bytes(), name


def test_fixtures_are_up_to_date(study, tmp_path):
    survey.write_fixtures(tmp_path, study, schema=SCHEMA)
    for path in sorted(tmp_path.iterdir()):
        assert path.read_bytes() == (REPO / "tests/fixtures/survey" / path.name).read_bytes(), (
            path.name
        )


def test_report_is_in_nettskjema_wide_format():
    text = (RAW / "synthetic_nettskjema-data-report.csv").read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    header, first = text.splitlines()[:2]
    assert header.startswith('"$submission_id";"$created";') and header.endswith(
        ';"$answer_time_ms"'
    )
    assert all(field.startswith('"') and field.endswith('"') for field in first.split(";"))
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert 620 <= len(rows) <= 660
    assert rows[0]["$created"][-6] in "+-" and rows[0]["$created"][10] == "T"
    assert {r["SOURCES.vendor"] for r in rows} == {"", "0", "1"}
    trusts = {r["trust"] for r in rows}
    regions = {
        t["id"]: t["region"]
        for t in load_yaml(REPO / "config/demo-study/organisation.yaml")["trusts"]
    }
    assert len(trusts) >= 10 and {regions[t] for t in trusts} == {"hso", "vest", "midt", "nord"}
    assert {r["role"] for r in rows} >= {
        "radiologist",
        "radiographer",
        "orthopaedist",
        "emergency",
        "manager",
        "it",
        "other",
    }


def test_codebook_shape():
    """The API v3 `elements` shape (docs/data/survey.md): a bare array, every element with the
    service's 37 keys in its order, no external id on HEADING/TEXT/PAGE_BREAK, numeric ids that
    link long answer records to elements and matrix rows."""
    book = json.loads((RAW / "synthetic_nettskjema-codebook.json").read_text(encoding="utf-8"))
    assert isinstance(book, list)
    assert all(list(e) == survey.ELEMENT_KEYS for e in book) and len(survey.ELEMENT_KEYS) == 37
    answerless = [e for e in book if e["elementType"] in ("HEADING", "TEXT", "PAGE_BREAK")]
    assert len(answerless) == 3 and all(e["externalElementId"] is None for e in answerless)
    els = {e["externalElementId"]: e for e in book if e["externalElementId"]}
    assert els["CO"]["elementType"] == "MATRIX_RADIO"
    assert [s["externalElementId"] for s in els["CO"]["subElements"]] == [
        "CO1",
        "CO2",
        "CO3",
        "CO4",
    ]
    assert {o["externalAnswerOptionId"] for o in els["CO"]["answerOptions"]} >= {
        "01",
        "05",
        "nr_role",
        "nr_stage",
        "nr_org",
    }
    assert els["G1"]["minimumValue"] == 0 and els["G1"]["maximumValue"] == 10
    assert els["SOURCES"]["elementType"] == "CHECKBOX"
    rows = [s["subElementId"] for e in book for s in e["subElements"]]
    assert len(rows) == len(set(rows)) and all(isinstance(r, int) for r in rows)
    assert (
        els["CO"]["questionId"] is None
        and els["CO"]["answerOptions"][0]["externalElementId"] is None
    )
    assert els["trust"]["answerOptions"][0]["externalElementId"] == "trust"


def test_long_fixture_has_the_service_record_shape():
    """tests/fixtures/survey/answers.ndjson: keys and order of the API v3 `/answers` records,
    `textAnswer` absent on choice records, matrix rows only as numeric subElementId."""
    lines = (REPO / "tests/fixtures/survey/answers.ndjson").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    base = ["formId", "submissionId", "answerId", "elementId", "externalElementId"]
    tail = ["answerOptionIds", "externalAnswerOptionIds", "elementType", "createdDate"]
    for r in records:
        keys = list(r)
        assert keys[:5] == base
        text = ["textAnswer"] if "textAnswer" in r else []
        sub = ["subElementId"] if "subElementId" in r else []
        assert keys == [*base, *text, *tail, "modifiedDate", *sub]
        assert ("textAnswer" in r) == (r["elementType"] in ("LINEAR_SCALE", "QUESTION"))
        assert ("subElementId" in r) == r["elementType"].startswith("MATRIX_")
        assert "externalSubElementId" not in r and "answerTimeSeconds" not in r
        assert len(r["createdDate"]) == 19 and r["createdDate"][10] == "T"
    submissions = json.loads((REPO / "tests/fixtures/survey/submissions.json").read_text())
    meta = submissions[0]["submissionMetadata"]
    assert isinstance(meta["answerTime"], int) and meta["person"] == {"name": None, "email": None}
    assert "formId" not in submissions[0]["answers"][0]


def test_truth_records_the_planted_structure():
    truth = json.loads((RAW / "synthetic_truth-survey.json").read_text(encoding="utf-8"))
    assert truth["synthetic"] is True
    assert (
        truth["expected_cleaning"]["n_analysed"] == 600
        and truth["expected_cleaning"]["n_received"] == 640
    )
    scales = truth["population"]["scales"]
    assert 0.35 < scales["coherence"]["pairs"]["hso-nord"]["hedges_g"] < 0.6
    for pair in ("hso-vest", "hso-midt", "hso-nord"):
        assert 0.25 < scales["collective_action"]["pairs"][pair]["hedges_g"] < 0.5
        assert 0.0 < scales["digital_maturity"]["pairs"][pair]["hedges_g"] < 0.2
    for name in truth["null_scales"]:
        assert all(abs(p["hedges_g"]) < 0.05 for p in scales[name]["pairs"].values())
    trust = scales["trust_in_ai"]
    assert trust["marginal_region_difference_population"]["vest-hso"] > 0.08  # role mix
    assert all(abs(v) < 0.03 for v in trust["adjusted_region_difference_population"].values())
    assert trust["mean_by_role"]["radiographer"] > trust["mean_by_role"]["radiologist"] + 0.5


@pytest.mark.e2e
def test_hundredfold_scale_is_fast(study):
    import time

    from impleval.survey.settings import load_instrument

    instrument = load_instrument(study["survey"], study["organisation"], schema_path=SCHEMA)
    start = time.perf_counter()
    df, counts = survey.build_submissions(instrument, scale=100)
    survey.wide_csv(df, instrument)
    assert counts["analysed"] == 60_000 and len(df) == 64_000
    assert time.perf_counter() - start < 60


def test_demo_sample_recovers_the_population_means(study):
    """The committed 600-respondent sample, through the real importer, is close to the truth."""
    from impleval.survey.io.prepare import prepare, read_export
    from impleval.survey.settings import load_instrument

    instrument = load_instrument(study["survey"], study["organisation"], schema_path=SCHEMA)
    result = prepare(
        read_export(
            {
                "format": "nettskjema_wide",
                "report": RAW / "synthetic_nettskjema-data-report.csv",
                "codebook": RAW / "synthetic_nettskjema-codebook.json",
            },
            instrument,
        ),
        instrument,
    )
    truth = json.loads((RAW / "synthetic_truth-survey.json").read_text(encoding="utf-8"))
    assert len(result.respondents) == truth["expected_cleaning"]["n_analysed"]
    wide = result.responses.pivot(index="respondent_id", columns="item", values="score")
    region = result.respondents.set_index("respondent_id")["region"]
    for name, scale in truth["population"]["scales"].items():
        items = wide[scale["items"]]
        score = items.mean(axis=1).where(items.notna().mean(axis=1) >= 2 / 3 - 1e-9)
        means = score.groupby(region).mean()
        for r, mu in scale["mean_by_region"].items():
            assert abs(means[r] - mu) < 0.2, (name, r)
    nr = result.responses.groupby(
        result.responses["respondent_id"].map(result.respondents.set_index("respondent_id")["role"])
    )["not_relevant"].mean()
    assert nr["manager"] > 3 * nr["radiographer"]
