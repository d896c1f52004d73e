"""File names holding identifiers (issue 16): refused before any job, never printed, and kept out
of provenance.json."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from impleval.privacy.paths import (
    IdentifyingPathError,
    check_config_paths,
    path_hits,
    redact_path,
)
from impleval.privacy.scan import compile_names

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"
NAMES = ["Kari Nordmann"]


@pytest.mark.parametrize(
    "path, kinds",
    [
        ("data/raw/survey/report.csv", []),
        ("data/raw/survey/Kari Nordmann.csv", ["name"]),
        ("data/raw/survey/kari_nordmann-export.xlsx", ["name"]),
        ("data/raw/Kari Nordmann/report.csv", ["name"]),
        ("data/raw/survey/311299 56715.csv", ["fnr"]),
        ("data/raw/survey/export_31.12.99_56715.csv", ["fnr"]),
        ("data/raw/intervju 41 23 45 67.docx", ["phone"]),
        ("data/raw/kari.nordmann@helse-vest.no.csv", ["email"]),
        ("data/raw/synthetic_nettskjema-data-report.csv", []),
        ("data/raw/survey/2024-03-12 export.csv", []),
    ],
)
def test_path_hits(path, kinds):
    assert sorted(path_hits(path, compile_names(NAMES))) == kinds


def test_check_config_paths_names_the_key_and_kind_never_the_path(tmp_path):
    names_file = tmp_path / "names.txt"
    names_file.write_text("Kari Nordmann\n", encoding="utf-8")
    config = {
        "inputs": {
            "survey": {"format": "nettskjema_wide", "report": "raw/Kari Nordmann 311299 56715.csv"},
            "monitoring": {"aggregates": "raw/ok.csv", "milestones": "raw/ola 41234567.csv"},
        },
        "study": {"survey": "config/survey.yaml"},
        "deid": {"names_file": str(names_file), "on_hit": "redact"},
    }
    with pytest.raises(IdentifyingPathError) as err:
        check_config_paths(config, extra=[("--configfile", "cfg/Kari Nordmann.yaml")])
    message = str(err.value)
    assert "config inputs.survey.report" in message and "fødselsnummer" in message
    assert "listed name" in message and "config inputs.monitoring.milestones" in message
    assert "--configfile" in message and "aggregates" not in message
    for secret in ("Kari", "Nordmann", "311299", "56715", "41234567"):
        assert secret not in message


def test_redact_path_keeps_clean_components():
    names_re = compile_names(NAMES)
    assert redact_path("data/raw/Kari Nordmann 311299 56715.csv", names_re) == (
        "data/raw/[NAME][FNR].csv"
    )
    assert redact_path("data/raw/survey/report.csv", names_re) == "data/raw/survey/report.csv"


def test_provenance_never_records_an_identifying_path(tmp_path, monkeypatch):
    from impleval.privacy.scan import set_names
    from impleval.report.provenance import build_provenance

    monkeypatch.chdir(tmp_path)
    Path("raw").mkdir()
    Path("raw/Kari Nordmann 311299 56715.csv").write_text("a\n1\n", encoding="utf-8")
    Path("raw/ok.csv").write_text("a\n1\n", encoding="utf-8")
    set_names(NAMES)
    try:
        prov = build_provenance(
            {"input": ["raw/Kari Nordmann 311299 56715.csv", "raw/ok.csv"]},
            renderer="x",
            repo=tmp_path,
        )
    finally:
        set_names([])
    text = json.dumps(prov)
    assert "Kari" not in text and "311299" not in text
    assert [r["path"] for r in prov["files"]] == ["raw/[NAME][FNR].csv", "raw/ok.csv"]


@pytest.mark.skipif(not (BIN / "snakemake").exists(), reason="needs the venv's snakemake")
def test_workflow_refuses_an_identifying_export_name_before_any_job(tmp_path):
    """`snakemake -n` with an export named after a person: one clear error, path never printed,
    in both deid modes; data/raw/ untouched."""
    raw = tmp_path / "Kari Nordmann 311299 56715.csv"
    shutil.copy(REPO / "data/raw/survey/synthetic_nettskjema-data-report.csv", raw)
    for mode in ("fail", "redact"):
        text = (REPO / "config/config.yaml").read_text(encoding="utf-8")
        text = text.replace("data/raw/survey/synthetic_nettskjema-data-report.csv", str(raw))
        text = text.replace("on_hit: fail", f"on_hit: {mode}")
        cfg = tmp_path / f"cfg-{mode}.yaml"
        cfg.write_text(text, encoding="utf-8")
        out = subprocess.run(
            [str(BIN / "snakemake"), "-n", "--configfile", str(cfg)],
            cwd=REPO,
            check=False,
            capture_output=True,
            text=True,
        )
        assert out.returncode != 0
        console = out.stdout + out.stderr
        assert "config inputs.survey.report" in console and "fødselsnummer" in console
        for secret in ("Kari", "Nordmann", "311299", "56715"):
            assert secret not in console
