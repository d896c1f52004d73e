"""Survey bad-input corpus (tests/bad_inputs/survey, built by its build.py; cases.yaml says what
each file must do). Every case runs the prepare script as Snakemake would: errors must name file,
row, column, value and expectation, exit 1, leave the input files untouched and write no output;
tolerated cases must give the same canonical tables as the clean fixture."""

from __future__ import annotations

import hashlib
import runpy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.script_harness import Named, rule_outputs

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests/fixtures/survey"
BAD = REPO / "tests/bad_inputs/survey"
SCRIPT = REPO / "scripts/prepare_survey.py"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))
OUTPUTS = ["respondents", "responses", "comments", "submissions", "flow", "deid", "values"]


def fake_snakemake(exports: dict, fmt: str, out: Path, logs: Path, on_hit: str = "fail"):
    logs.mkdir(parents=True, exist_ok=True)
    smk = type("Smk", (), {})()
    smk.input = Named(
        **{k: str(v) for k, v in exports.items()},
        survey=str(REPO / "config/demo-study/survey.yaml"),
        organisation=str(REPO / "config/demo-study/organisation.yaml"),
        schema=str(REPO / "config/schema/survey.schema.yaml"),
        names=str(REPO / "config/demo-study/names.txt"),
    )
    smk.output = rule_outputs("prepare_survey", out)
    smk.params = Named(format=fmt, export_keys=list(exports), on_hit=on_hit)
    smk.log = [str(logs / "prepare_survey.log")]
    return smk


def run_script(smk) -> None:
    runpy.run_path(str(SCRIPT), init_globals={"snakemake": smk}, run_name="__main__")


def case_exports(name: str, spec: dict) -> tuple[dict, str]:
    fmt = spec.get("format", "nettskjema_wide")
    if fmt == "nettskjema_long":
        exports = {"answers": BAD / name, "codebook": FIX / "codebook.json"}
        return {**exports, "submissions": FIX / "submissions.json"}, fmt
    if spec.get("codebook"):
        return {"report": FIX / "report.csv", "codebook": BAD / name}, fmt
    return {"report": BAD / name, "codebook": BAD / "codebook.json"}, fmt


def digest(paths) -> dict:
    return {
        str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths if Path(p).is_file()
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference")
    smk = fake_snakemake(
        {"report": FIX / "report.csv", "codebook": FIX / "codebook.json"},
        "nettskjema_wide",
        out / "results",
        out / "logs",
    )
    run_script(smk)
    return smk.output


def read_outputs(paths) -> dict:
    tables = {
        k: pd.read_parquet(paths[k])
        for k in ("respondents", "responses", "comments", "submissions")
    }
    tables["flow"] = pd.read_csv(paths["flow"])
    return tables


ERRORS = sorted(n for n, s in CASES.items() if s["outcome"] == "error")
TOLERATED = sorted(n for n, s in CASES.items() if s["outcome"] == "ok")


@pytest.mark.parametrize("name", ERRORS)
def test_bad_input_is_refused_cleanly(name, tmp_path):
    spec = CASES[name]
    exports, fmt = case_exports(name, spec)
    before = digest(exports.values())
    smk = fake_snakemake(exports, fmt, tmp_path / "results", tmp_path / "logs")
    with pytest.raises(SystemExit) as exc:
        run_script(smk)
    assert exc.value.code == 1
    message = Path(smk.log[0]).read_text(encoding="utf-8")
    for fragment in spec["expect"]:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    for secret in spec.get("never", []):
        assert secret not in message  # identifiers are never printed
    assert digest(exports.values()) == before  # raw inputs untouched
    left = [p for p in (tmp_path / "results").rglob("*") if p.is_file()]
    assert left == []  # no partial outputs (atomic writers, all-or-nothing)


@pytest.mark.parametrize("name", TOLERATED)
def test_tolerated_input_gives_the_same_tables(name, tmp_path, reference):
    exports, fmt = case_exports(name, CASES[name])
    before = digest(exports.values())
    smk = fake_snakemake(exports, fmt, tmp_path / "results", tmp_path / "logs")
    run_script(smk)
    got, want = read_outputs(smk.output), read_outputs(reference)
    for key in want:
        pd.testing.assert_frame_equal(got[key], want[key], obj=f"{name}: {key}")
    assert digest(exports.values()) == before


def test_corpus_covers_every_file():
    files = {
        p.name
        for p in BAD.iterdir()
        if p.suffix not in {".py", ".yaml"} and p.name != "codebook.json"
    }
    assert files == set(CASES)


def test_cp1252_is_read_with_a_warning(tmp_path):
    smk = fake_snakemake(
        {"report": BAD / "cp1252.csv", "codebook": BAD / "codebook.json"},
        "nettskjema_wide",
        tmp_path / "results",
        tmp_path / "logs",
    )
    run_script(smk)
    assert "Windows-1252" in Path(smk.log[0]).read_text(encoding="utf-8")


def test_redact_mode_lets_the_comment_through_without_the_number(tmp_path):
    smk = fake_snakemake(
        {"report": BAD / "identifier_in_comment.csv", "codebook": BAD / "codebook.json"},
        "nettskjema_wide",
        tmp_path / "results",
        tmp_path / "logs",
        on_hit="redact",
    )
    run_script(smk)
    comments = pd.read_parquet(smk.output.comments)
    assert not comments["comment"].str.contains("912 34 567").any()
    assert comments["comment"].str.contains(r"\[", regex=True).any()
    deid = pd.read_csv(smk.output.deid)
    assert deid["n_hits"].sum() == 1


def test_cli_entry_exits_non_zero(tmp_path):
    """`python -m impleval.survey.io.prepare` (main) on a bad export: exit 1, nothing written."""
    from impleval.survey.io.prepare import main

    cfg = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    cfg["inputs"]["survey"] = {
        "format": "nettskjema_wide",
        "report": str(BAD / "unknown_option_code.csv"),
        "codebook": str(BAD / "codebook.json"),
    }
    for key, value in cfg["study"].items():
        cfg["study"][key] = str(REPO / value)
    cfg["deid"]["names_file"] = str(REPO / cfg["deid"]["names_file"])
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    assert main(["--config", str(path), "--out", str(tmp_path / "results")]) == 1
    assert not (tmp_path / "results").exists() or not any(
        p.is_file() for p in (tmp_path / "results").rglob("*")
    )


@pytest.mark.e2e
def test_snakemake_run_on_bad_export_fails_cleanly(tmp_path):
    """Through Snakemake itself, in a copy of the repository: non-zero exit, message in the rule's
    log, raw files untouched, no survey outputs left."""
    import shutil

    from tests.conftest import copy_repo, run_snakemake

    work = copy_repo(tmp_path / "repo")
    raw = work / "data/raw/survey/synthetic_nettskjema-data-report.csv"
    shutil.copyfile(BAD / "unknown_option_code.csv", raw)
    shutil.copyfile(
        BAD / "codebook.json", work / "data/raw/survey/synthetic_nettskjema-codebook.json"
    )
    before = digest((work / "data/raw").rglob("*"))
    proc = run_snakemake(work, "results/figures/nb/participant_flow.png", check=False)
    assert proc.returncode != 0
    log = (work / "logs/survey/prepare_survey.log").read_text(encoding="utf-8")
    assert "row 5, column 'CO.CO1': got '06'" in log
    assert digest((work / "data/raw").rglob("*")) == before
    outputs = list((work / "results").rglob("survey_*")) + list(
        (work / "results").rglob("participant_flow*")
    )
    assert outputs == []


def test_duplicate_submission_id_is_readable_in_the_message(tmp_path):
    """The user needs the duplicated id itself: in the $submission_id column an 8-digit number is
    a Nettskjema submission id, not a phone number."""
    smk = fake_snakemake(
        {"report": BAD / "duplicate_submission_id.csv", "codebook": BAD / "codebook.json"},
        "nettskjema_wide",
        tmp_path / "results",
        tmp_path / "logs",
    )
    with pytest.raises(SystemExit):
        run_script(smk)
    message = Path(smk.log[0]).read_text(encoding="utf-8")
    sid = pd.read_csv(FIX / "report.csv", sep=";", dtype=str)["$submission_id"].iloc[2]
    assert len(sid) == 8 and f"got '{sid}'" in message
