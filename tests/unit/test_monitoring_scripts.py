"""Monitoring scripts as Snakemake runs them: bad input → exit 1, message in the log, no partial
outputs, raw files untouched; figures written with caption and alt text."""

import hashlib
import json
import runpy
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from impleval.config import load_yaml
from impleval.demo import monitoring as demo

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "bad_inputs" / "monitoring"
STUDY = ROOT / "config" / "demo-study"


class Namespace(SimpleNamespace):
    """Snakemake's input/output objects: attributes, indexing and iteration."""

    def __init__(self, *positional, **named):
        super().__init__(**named)
        self._items = list(positional) + list(named.values())

    def __getitem__(self, key):
        return getattr(self, key) if isinstance(key, str) else self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)


def run_script(name, **smk):
    runpy.run_path(
        str(ROOT / "scripts" / name),
        init_globals={"snakemake": SimpleNamespace(**smk)},
        run_name="__main__",
    )


def prepare_smk(tmp_path, aggregates, milestones):
    return dict(
        input=Namespace(
            aggregates=str(aggregates),
            milestones=str(milestones),
            monitoring=str(STUDY / "monitoring.yaml"),
            organisation=str(STUDY / "organisation.yaml"),
            schema=str(ROOT / "config" / "schema" / "monitoring.schema.yaml"),
        ),
        output=Namespace(
            series=str(tmp_path / "out" / "series.parquet"),
            milestones=str(tmp_path / "out" / "milestones.parquet"),
            deid=str(tmp_path / "out" / "deid_monitoring.csv"),
        ),
        log=Namespace(str(tmp_path / "prepare.log")),
        params=Namespace(),
    )


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "bad",
    ["many_problems.csv", "personal_column.csv", "empty.csv", "inf_values.csv", "week_numbers.csv"],
)
def test_bad_input_exits_nonzero_without_outputs(tmp_path, bad):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(BAD / bad, raw / bad)
    shutil.copy(BAD / "milestones_bad.csv", raw / "milestones.csv")
    before = {p.name: sha(p) for p in raw.iterdir()}
    smk = prepare_smk(tmp_path, raw / bad, raw / "milestones.csv")
    with pytest.raises(SystemExit) as exit_info:
        run_script("prepare_monitoring.py", **smk)
    assert exit_info.value.code == 1
    log = (tmp_path / "prepare.log").read_text(encoding="utf-8")
    assert bad in log and "milestones.csv" in log and "Traceback" not in log
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert {p.name: sha(p) for p in raw.iterdir()} == before


def test_prepare_analyse_plot_on_a_small_demo(tmp_path):
    raw = tmp_path / "raw"
    demo.generate(raw, {"organisation": load_yaml(STUDY / "organisation.yaml")})
    # keep three sites so the test stays fast: an early, a short-post and the comparison series
    lines = (
        (raw / "synthetic_weekly-aggregates.csv")
        .read_text(encoding="utf-8")
        .splitlines(keepends=True)
    )
    keep = [lines[0]] + [
        ln for ln in lines[1:] if ln.split(";")[0] in {"baerum", "haukeland", "ahus_nordbyhagen"}
    ]
    (raw / "synthetic_weekly-aggregates.csv").write_text("".join(keep), encoding="utf-8")
    smk = prepare_smk(
        tmp_path, raw / "synthetic_weekly-aggregates.csv", raw / "synthetic_milestones.csv"
    )
    run_script("prepare_monitoring.py", **smk)

    names = [
        "its_estimates",
        "its_fitted",
        "its_diagnostics",
        "monitoring_precision",
        "monitoring_weeks_needed",
        "monitoring_sites",
    ]
    tables = {n: str(tmp_path / "tables" / f"{n}.csv") for n in names}
    analyse_smk = dict(
        input=Namespace(
            series=smk["output"].series,
            milestones=smk["output"].milestones,
            monitoring=smk["input"].monitoring,
            organisation=smk["input"].organisation,
            schema=smk["input"].schema,
        ),
        output=Namespace(**tables, values=str(tmp_path / "values" / "monitoring.yml")),
        log=Namespace(str(tmp_path / "analyse.log")),
        params=Namespace(min_cell=5),
    )
    run_script("analyse_monitoring.py", **analyse_smk)
    values = load_yaml(tmp_path / "values" / "monitoring.yml")
    assert values["monitoring"]["warn_sites"] == ["haukeland"]

    figures = ["its_series", "its_forest", "implementation_timeline", "monitoring_precision"]
    outputs = {
        f"{n}_{ext}": str(tmp_path / "figures" / f"{n}.{ext}")
        for n in figures
        for ext in ("svg", "png", "json")
    }
    run_script(
        "plot_monitoring.py",
        input=Namespace(
            tables=list(tables.values()),
            milestones=smk["output"].milestones,
            monitoring=smk["input"].monitoring,
            organisation=smk["input"].organisation,
            schema=smk["input"].schema,
        ),
        output=Namespace(**outputs),
        log=Namespace(str(tmp_path / "plot.log")),
        params=Namespace(min_cell=5),
        wildcards=Namespace(lang="en"),
    )
    for name in figures:
        meta = json.loads((tmp_path / "figures" / f"{name}.json").read_text(encoding="utf-8"))
        assert (
            meta["caption"]
            and meta["alt"]
            and (tmp_path / "figures" / f"{name}.png").stat().st_size > 10_000
        )
    assert (
        "fewer than 5 examinations"
        in json.loads((tmp_path / "figures" / "its_series.json").read_text())["caption"]
    )
