"""`impleval init` (src/impleval/draft/): what it reads from the exports, how it marks guesses and
decisions, and that an untouched draft either runs or stops naming a decision (issue 17)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from impleval.cli import main
from impleval.config import load_validated
from impleval.draft.study import Exports, draft_study
from impleval.draft.text import flow, slug
from impleval.errors import InputError
from tests.e2e.studies import decision_lines

REPO = Path(__file__).resolve().parents[2]
STUDY = REPO / "tests/studies/screening"
DATA = STUDY / "data"
SCHEMAS = REPO / "config/schema"
EXPORTS = Exports(
    survey=str(DATA / "survey/skjema-918273-svar.csv"),
    codebook=str(DATA / "survey/skjema-918273-kodebok.json"),
    interviews=str(DATA / "interviews/kodede-segmenter.xlsx"),
    document_variables=str(DATA / "interviews/dokumentvariabler.xlsx"),
    monitoring=str(DATA / "monitoring/ukestall.csv"),
    milestones=str(DATA / "monitoring/milepaeler.csv"),
)
FILES = [
    "config.yaml", "organisation.yaml", "survey.yaml", "survey-analysis.yaml", "interviews.yaml",
    "interviews-analysis.yaml", "monitoring.yaml", "report.yaml",
]  # fmt: skip


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft") / "screening"
    decisions = draft_study(EXPORTS, out, language="en")
    return out, decisions


def load(out: Path, name: str) -> dict:
    return yaml.safe_load((out / name).read_text(encoding="utf-8"))


def yaml_lines(path: Path) -> int:
    """Lines a user writes: neither blank nor comment-only."""
    return sum(
        1 for line in path.read_text().splitlines() if line.strip() and not line.lstrip()[0] == "#"
    )


def test_the_draft_is_a_complete_study_folder(drafted):
    out, _ = drafted
    for name in FILES:
        assert (out / name).exists(), name
    assert (out / "Snakefile").read_text().count("use rule * from impleval") == 1
    assert (out / "prose").is_dir()
    load_validated(out / "config.yaml", SCHEMAS / "config.schema.yaml")
    load_validated(out / "monitoring.yaml", SCHEMAS / "monitoring.schema.yaml")
    config = load(out, "config.yaml")
    # Paths relative to the study folder reach the exports.
    for strand in config["inputs"].values():
        for key, path in strand.items():
            if key != "format":
                assert (out / path).resolve().exists(), path


def test_the_survey_draft_takes_questions_rows_codes_and_missing_codes(drafted):
    out, _ = drafted
    survey = load(out, "survey.yaml")
    assert survey["groups"] == {"trust": "foretak", "role": "rolle"}
    questions = {q["id"]: q for q in survey["questions"]}
    assert [r["id"] for r in questions["NY"]["rows"]] == ["NY1", "NY2", "NY3", "NY4"]
    assert questions["NY"]["use"] == "item" and questions["ERFARING"]["use"] == "category"
    assert questions["KOMMENTAR"]["use"] == "comment"
    options = survey["response_scales"][questions["NY"]["scale"]]["options"]
    missing = {o["code"]: o.get("missing") for o in options}
    assert missing == {
        **{str(k): None for k in range(1, 8)},
        "97": "not_relevant",
        "98": "not_relevant",
        "99": "dont_know",
    }
    assert [o["score"] for o in options if "score" in o] == list(range(1, 8))
    frequency = survey["response_scales"][questions["BR"]["scale"]]["options"]
    assert [o.get("score") for o in frequency] == [0, 1, 2, 3, None]
    linear = survey["response_scales"][questions["ANBEFALE"]["scale"]]
    assert linear["linear"] == {"min": 0, "max": 10}
    analysis = load(out, "survey-analysis.yaml")
    assert set(analysis["scales"]) == {"ny", "ti", "ab", "br"}
    assert analysis["agreement"]["default"] == {
        "agree_min": 5, "disagree_max": 3, "min": 1, "max": 7
    }  # fmt: skip
    override = {tuple(o["items"]): o for o in analysis["agreement"]["overrides"]}
    assert override[("BR1", "BR2", "BR3")]["agree_min"] == 2
    assert override[("ANBEFALE",)]["agree_min"] == 7


def test_organisation_interviews_and_monitoring_from_the_exports(drafted):
    out, _ = drafted
    org = load(out, "organisation.yaml")
    region_of = {t["id"]: t["region"] for t in org["trusts"]}
    # From the interviews' (region, trust) pairs, the trusts matched to the survey's by label.
    assert region_of == {
        "hf_kyst": "region_fjord", "hf_dal": "region_fjord", "hf_fjell": "region_vidde"
    }  # fmt: skip
    assert {s["label"]: s["trust"] for s in org["sites"]}["Dalsykehuset Dalen"] == "hf_dal"
    interviews = load(out, "interviews.yaml")
    assert interviews["document_variables"] == {
        "stage": "Fase", "region": "Helseregion", "trust": "Foretak", "role": "Stilling"
    }  # fmt: skip
    assert [s["label"]["nb"] for s in interviews["stages"]] == ["Planlegging", "Utprøving", "Drift"]
    assert set(interviews["themes"].values()) == {"organisering", "teknologi", "nytte"}
    assert load(out, "interviews-analysis.yaml")["primary_coder"] == "coder_1"
    monitoring = load(out, "monitoring.yaml")
    assert monitoring["formats"]["aggregates"] == {
        "delimiter": ";", "decimal": ",", "date": "%d.%m.%Y"
    }  # fmt: skip
    assert monitoring["columns"]["site"] == "sted"
    assert monitoring["outcomes"]["antall_henvisninger"]["model"] == "quasi_poisson"
    assert monitoring["outcomes"]["svartid_timer"]["column"] == "Svartid (timer)"
    assert monitoring["milestones"]["go_live"] == "oppstart"
    assert monitoring["milestones"]["columns"]["allowed"] == ["region"]


def test_every_decision_is_marked_in_its_file_and_listed(drafted):
    out, decisions = drafted
    listed = (out / "DECISIONS.md").read_text()
    for d in decisions:
        assert f"`{d.key}`" in listed
        assert f"# DECISION: {d.what}" in (out / d.file).read_text(), (d.file, d.key)
    keys = {(d.file, d.key) for d in decisions}
    for must in [
        ("survey-analysis.yaml", "scales"),
        ("survey-analysis.yaml", "group_vars"),
        ("survey-analysis.yaml", "multiplicity"),
        ("monitoring.yaml", "milestones.go_live"),
        ("report.yaml", "prose"),
    ]:
        assert must in keys
    texts = "".join((out / f).read_text() for f in FILES)
    assert texts.count("# GUESS:") >= 10
    # No user name of a coder, no raw export row reaches the definitions.
    assert "ingrid" not in texts.lower()


def test_after_the_draft_only_the_decisions_are_written_by_hand(drafted):
    """The measure in config/README.md: the second test study's definitions and config, written
    by hand (non-comment lines), against the lines its own definitions spend on the decisions
    the draft lists (everything else the draft fills in; the untouched draft runs)."""
    out, decisions = drafted
    before = sum(yaml_lines(STUDY / f) for f in FILES)
    after = decision_lines(decisions, STUDY)
    print(f"hand-written YAML lines: {before} before, {after} after ({len(decisions)} decisions)")
    assert 0 < after < 0.4 * before
    assert sum(yaml_lines(out / f) for f in FILES) > 0.6 * before


def test_an_unrecognised_go_live_stops_the_pipeline_naming_the_decision(tmp_path):
    milestones = tmp_path / "milestones.csv"
    text = (DATA / "monitoring/milepaeler.csv").read_text(encoding="utf-8")
    milestones.write_text(text.replace("Oppstart", "Fase 2"), encoding="utf-8")
    exports = Exports(monitoring=EXPORTS.monitoring, milestones=str(milestones))
    decisions = draft_study(exports, tmp_path / "study")
    assert load(tmp_path / "study", "monitoring.yaml")["milestones"]["go_live"] == "DECIDE"
    assert any(d.key == "milestones.go_live" for d in decisions)
    from impleval.monitoring.settings import load_definition

    with pytest.raises(InputError) as err:
        load_definition(tmp_path / "study/monitoring.yaml", SCHEMAS / "monitoring.schema.yaml")
    assert "milestones/go_live" in str(err.value) and "DECIDE" in str(err.value)


def test_the_command_line(tmp_path, capsys):
    out = tmp_path / "study"
    args = ["init", "--monitoring", EXPORTS.monitoring, "--milestones", EXPORTS.milestones]
    assert main([*args, "--out", str(out)]) == 0
    assert "decisions for the study team" in capsys.readouterr().out
    assert main([*args, "--out", str(out)]) == 1  # not empty
    assert "not empty" in capsys.readouterr().err
    assert main(["init", "--codebook", EXPORTS.codebook, "--out", str(tmp_path / "x")]) == 1
    assert "--codebook and --survey together" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code = main(["init", "--codebook", str(broken), "--survey", EXPORTS.survey,
                 "--out", str(tmp_path / "y")])  # fmt: skip
    assert code == 1 and "broken.json" in capsys.readouterr().err


def test_yaml_text_helpers():
    assert flow({"a": "x: y", "b": [1, "2"]}) == "{a: 'x: y', b: [1, '2']}"
    assert yaml.safe_load(flow("Helse Sør-Øst")) == "Helse Sør-Øst"
    assert slug("Region Fjord") == "region_fjord" and slug("Sørvik Ø") == "sorvik_o"
    assert re.fullmatch(r"[a-z0-9_]+", slug("Svartid (timer)"))


def test_the_demo_exports_give_the_demo_ids(tmp_path):
    raw = REPO / "data/raw"
    exports = Exports(
        survey=str(raw / "survey/synthetic_nettskjema-data-report.csv"),
        codebook=str(raw / "survey/synthetic_nettskjema-codebook.json"),
        interviews=str(raw / "interviews/synthetic_maxqda-coded-segments.xlsx"),
        document_variables=str(raw / "interviews/synthetic_maxqda-document-variables.xlsx"),
    )
    draft_study(exports, tmp_path / "demo")
    survey = load(tmp_path / "demo", "survey.yaml")
    demo = yaml.safe_load((REPO / "config/demo-study/survey.yaml").read_text())
    assert survey["groups"] == demo["groups"]
    assert [q["id"] for q in survey["questions"]] == [q["id"] for q in demo["questions"]]
    uses = {q["id"]: q["use"] for q in survey["questions"]}
    assert uses == {q["id"]: q["use"] for q in demo["questions"]}
    org = load(tmp_path / "demo", "organisation.yaml")
    assert {r["id"] for r in org["regions"]} == {"hso", "vest", "midt", "nord"}
    shutil.rmtree(tmp_path / "demo")


def test_every_element_type_of_the_service(tmp_path):
    """The real-shaped API fixture (tests/fixtures/survey/nettskjema_api/): numeric row ids get
    an id and keep the export's as `code`, numbers and dates are kept with their range and
    format, a matrix of checkboxes gives 0/1 columns, an upload is never read."""
    api = REPO / "tests/fixtures/survey/nettskjema_api"
    exports = Exports(
        survey=str(api / "data-246810-2025-04-05-1012.txt"),
        codebook=str(api / "elements-246810.json"),
    )
    draft_study(exports, tmp_path / "api")  # validated by load_study inside
    survey = load(tmp_path / "api", "survey.yaml")
    assert survey["groups"] == {"trust": "unit", "role": "role"}
    q = {q["id"]: q for q in survey["questions"]}
    assert q["help"]["use"] == "sources"
    assert [(r["id"], r["code"]) for r in q["help"]["rows"]] == [("help_1", "1"), ("help_2", "2")]
    assert q["hours_saved"]["range"] == {"min": 0, "max": 40}
    assert q["usual_start"] == q["usual_start"] | {"use": "category", "date_format": "TIME"}
    assert q["screenshot"]["use"] == "ignore"
    assert {"improve": "comment", "comment": "comment"} == {
        k: q[k]["use"] for k in ("improve", "comment")
    }


def test_a_drafted_scale_never_takes_a_group_variables_name():
    """The demo's form has a matrix question `trust` (trust in the tool): as a scale named `trust`
    it would collide with the health trust in the respondent-level scores (found by running the
    untouched draft of the demo exports, as the README says)."""
    from impleval.draft.survey import RESERVED_SCALE_IDS, scale_id

    assert scale_id("trust") == "trust_scale" and scale_id("role") == "role_scale"
    assert (
        scale_id("co") == "co"
        and not {scale_id(r) for r in RESERVED_SCALE_IDS} & RESERVED_SCALE_IDS
    )
