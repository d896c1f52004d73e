"""No direct identifier reaches results/.

`assert_no_identifiers(folder)` is meant to be called by other tests (e.g. the e2e test on its
output folder). Here it runs on a small synthetic folder, and on the repository's results/ when a
pipeline run has produced it.
"""

from pathlib import Path

import pandas as pd
import pytest

from impleval.privacy.audit import scan_folder
from impleval.privacy.deid import KINDS, SUMMARY_COLUMNS, read_names

REPO = Path(__file__).resolve().parents[2]
DEMO_NAMES = REPO / "config" / "demo-study" / "names.txt"


def assert_no_identifiers(folder, names=None) -> None:
    """Fail listing file, line and kind (never the identifier) of every finding under `folder`.

    `names` defaults to the demo study's names list."""
    if names is None:
        names = read_names(DEMO_NAMES) if DEMO_NAMES.exists() else []
    findings = scan_folder(folder, names)
    assert findings.empty, "identifiers found in results:\n" + findings.to_string(index=False)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def clean_results(tmp_path):
    root = tmp_path / "results"
    _write(
        root / "tables" / "scores.csv",
        "group,n,mean,p\nhso,40,3.25,0.000123456789\nall,63,3.1,0.04\n",
    )
    _write(root / "tables" / "weekly.csv", "week,date,count\n1,20230829,41\n2,2023-09-05,12\n")
    _write(root / "values" / "survey.yml", "survey:\n  n: '63'\n  period: 2023–2024\n")
    _write(root / "provenance.json", '{"commit": "3f41234567890e9a2b41234567890123456789ab"}\n')
    _write(
        root / "figures" / "x.svg",
        '<svg><defs><path id="g" d="M 41234567 98765432"/></defs>'
        "<text>Region Vest (n = 12)</text></svg>",
    )
    _write(
        root / "report" / "r.html",
        "<html><script>var big=412345678901;</script><img src='data:image/png;base64,AA41234567BB'>"
        "<p>Sitat: «vi ringte [PHONE]» (radiograf, Vest)</p></html>",
    )
    (root / "interim").mkdir()
    pd.DataFrame({"text": ["[FNR] sa hei", None], "n": [1, 2]}).to_parquet(
        root / "interim" / "seg.parquet"
    )
    return root


def test_clean_synthetic_folder_passes(clean_results):
    assert_no_identifiers(clean_results)


@pytest.mark.parametrize(
    "relpath, text, kind",
    [
        ("tables/quotes.csv", "id,quote\n1,mitt fnr er 311299 56715\n", "fnr"),
        ("values/interviews.yml", "quote: ring Kari Nordmann på 41234567\n", "name"),
        ("report/r.html", "<p>kontakt kari.nordmann@helse-vest.no</p>", "email"),
        ("figures/f.svg", "<svg><text>31129956715</text></svg>", "fnr"),
        ("tables/t.csv", "ref\n12345678901\n", "fnr"),
    ],
)
def test_leaks_are_found_without_printing_them(clean_results, relpath, text, kind):
    _write(clean_results / relpath, text)
    with pytest.raises(AssertionError) as err:
        assert_no_identifiers(clean_results, names=["Kari Nordmann"])
    message = str(err.value)
    assert kind in message and relpath.split("/")[-1] in message
    for secret in (
        "31129956715",
        "311299 56715",
        "41234567",
        "kari.nordmann@",
        "Kari Nordmann",
        "12345678901",
    ):
        assert secret not in message


def test_leak_in_parquet_is_found(clean_results):
    pd.DataFrame({"text": ["ring 41234567"]}).to_parquet(clean_results / "interim" / "leak.parquet")
    findings = scan_folder(clean_results)
    assert findings[["file", "line", "kind"]].values.tolist() == [
        ["interim/leak.parquet", 2, "phone"]
    ]


@pytest.mark.skipif(
    not (REPO / "results" / "tables").is_dir(), reason="no pipeline results in the repository yet"
)
def test_repository_results_have_no_identifiers():
    assert_no_identifiers(REPO / "results")


@pytest.mark.e2e
def test_demo_run_results_have_no_identifiers(demo_run):
    """The whole demo pipeline's results/ (tables, values, figures, report, interim) are clean."""
    assert_no_identifiers(demo_run / "results")
    table = pd.read_csv(demo_run / "results" / "tables" / "deid_hits.csv", keep_default_na=False)
    assert (
        table.columns.tolist() == SUMMARY_COLUMNS and len(table) >= 3
    )  # the gate ran on every source
    assert set(table["kind"]) <= {*KINDS, "none"}
    # Logs: the rule logs and Snakemake's own log of the run (messages are masked at the source).
    assert_no_identifiers(demo_run / "logs")
    assert_no_identifiers(demo_run / ".snakemake" / "log")


def test_identifier_glued_to_a_label_and_in_a_notebook_is_found(tmp_path):
    import json

    (tmp_path / "t.csv").write_text("id\nfnr-31129956715\n", encoding="utf-8")
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": ["x = 1"],
                "outputs": [{"output_type": "stream", "text": ["ring 41234567\n"]}],
            }
        ]
    }
    (tmp_path / "n.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    kinds = set(zip(*[scan_folder(tmp_path)[c] for c in ("file", "kind")], strict=True))
    assert ("t.csv", "fnr") in kinds and ("n.ipynb", "phone") in kinds
