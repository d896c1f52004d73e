"""The shared bad-input corpus (tests/bad_inputs/shared, cases.yaml): every class of issue 16 run
through the real prepare script. Errors: exit 1, every expected fragment in the log, no
traceback, no output left, inputs untouched. Tolerated files: the same canonical table as the
clean export. Cases whose importer still has to call the shared mechanism are strict xfails
naming the call site (cases.yaml `wiring`)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import runpy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.script_harness import Named, rule_outputs

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests/bad_inputs/shared"
STUDY = REPO / "config/demo-study"
SCHEMA = REPO / "config/schema"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))
MON_CLEAN = REPO / "data/raw/monitoring/synthetic_weekly-aggregates.csv"


def smk_for(importer: str, path: Path, out: Path):
    smk = type("Smk", (), {})()
    out.mkdir(parents=True, exist_ok=True)
    common = dict(organisation=str(STUDY / "organisation.yaml"), names=str(STUDY / "names.txt"))
    if importer == "monitoring":
        smk.input = Named(
            aggregates=str(path),
            milestones=str(REPO / "data/raw/monitoring/synthetic_milestones.csv"),
            monitoring=str(STUDY / "monitoring.yaml"),
            schema=str(SCHEMA / "monitoring.schema.yaml"),
            **common,
        )
        smk.output = rule_outputs("prepare_monitoring", out)
        smk.params = Named()
        script = "prepare_monitoring.py"
    elif importer == "survey":
        smk.input = Named(
            report=str(path),
            codebook=str(REPO / "tests/fixtures/survey/codebook.json"),
            survey=str(STUDY / "survey.yaml"),
            schema=str(SCHEMA / "survey.schema.yaml"),
            **common,
        )
        smk.output = rule_outputs("prepare_survey", out)
        smk.params = Named(
            format="nettskjema_wide",
            export_keys=["report", "codebook"],
            on_hit="fail",
            language="nb",
        )
        script = "prepare_survey.py"
    else:
        fix = REPO / "tests/fixtures/interviews"
        keys = {
            "maxqda": {
                "segments": path,
                "document_variables": fix / "synthetic_maxqda-document-variables.xlsx",
            },
            "refi_qda": {"refi_project": path},
            "qualcoder": {"qualcoder_project": path / "data.qda"},
        }[importer]
        smk.input = Named(
            **{k: str(v) for k, v in keys.items()},
            interviews=str(STUDY / "interviews.yaml"),
            schema=str(SCHEMA / "interviews.schema.yaml"),
            **common,
        )
        smk.output = rule_outputs("prepare_interviews", out)
        smk.params = Named(format=importer, export_keys=list(keys), on_hit="fail")
        script = "prepare_interviews.py"
    smk.log = [str(out / "prepare.log")]
    return script, smk


def run(importer: str, path: Path, out: Path):
    script, smk = smk_for(importer, path, out)
    err = io.StringIO()
    code = 0
    with contextlib.redirect_stderr(err):
        try:
            runpy.run_path(str(REPO / "scripts" / script), init_globals={"snakemake": smk})
        except SystemExit as exc:
            code = exc.code or 0
    return code, Path(smk.log[0]).read_text(encoding="utf-8"), smk


def digest(path: Path) -> str:
    files = sorted(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def _params():
    for name, spec in CASES.items():
        marks = []
        if spec.get("wiring"):
            marks.append(pytest.mark.xfail(strict=True, reason=f"needs {spec['wiring']}"))
        yield pytest.param(name, spec, id=name, marks=marks)


@pytest.mark.parametrize("name, spec", list(_params()))
def test_shared_bad_input(name, spec, tmp_path):
    src = BAD / name
    before = digest(src)
    code, log, smk = run(spec["importer"], src, tmp_path / "out")
    assert digest(src) == before  # inputs never written
    assert "Traceback" not in log and "unexpected error" not in log, log
    if spec["outcome"] == "error":
        assert code == 1, log
        for fragment in spec.get("expect", []):
            assert fragment in log, f"{fragment!r} not in:\n{log}"
        for fragment in spec.get("never", []):
            assert fragment not in log
        leftovers = [p for p in (tmp_path / "out").iterdir() if p.name != "prepare.log"]
        assert leftovers == []
    else:
        assert code == 0, log
        if spec["importer"] == "monitoring":
            got = pd.read_parquet(smk.output.series)
            clean_dir = tmp_path / "clean"
            clean = clean_dir / "aggregates.csv"
            clean_dir.mkdir()
            lines = MON_CLEAN.read_text(encoding="utf-8-sig").splitlines()[:13]
            clean.write_text("\n".join(lines) + "\n", encoding="utf-8")
            code2, log2, smk2 = run("monitoring", clean, tmp_path / "ref")
            assert code2 == 0, log2
            pd.testing.assert_frame_equal(got, pd.read_parquet(smk2.output.series))
            assert "UTF-16" in log or "UTF-32" in log  # read, with a warning


def test_corpus_is_built_from_build_py(tmp_path):
    """Every case has its file, and every file has a case."""
    files = {p.name for p in BAD.iterdir() if p.name not in ("build.py", "cases.yaml")}
    assert files == set(CASES)
