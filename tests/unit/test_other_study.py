"""A study shaped unlike the demo runs through prepare, analyse and plot of the interview and
monitoring branches with its own definitions only (issue 11; tests/studies/screening).

Other region, trust, site and role ids; three stages; labels (and one mapped spelling) in the
document variables; no stakeholder block; milestones `sted;region;milepael;dato` with labels and a
go-live called "Oppstart"; `;` with decimal comma; other outcome names; no comparison site."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pandas as pd
import pytest

from impleval.config import load_yaml
from impleval.interviews.settings import figure_names

REPO = Path(__file__).resolve().parents[2]
STUDY = REPO / "tests/studies/screening"
DATA = STUDY / "data"
SCHEMAS = REPO / "config/schema"
EXPORTS = {
    "maxqda": {
        "segments": DATA / "interviews/kodede-segmenter.xlsx",
        "document_variables": DATA / "interviews/dokumentvariabler.xlsx",
    },
    "qualcoder": {"qualcoder_project": DATA / "interviews/prosjekt.qda/data.qda"},
    "refi_qda": {"refi_project": DATA / "interviews/prosjekt.qdpx"},
}
# Ids, labels and names of the demo study that must not appear in another study's results.
DEMO_WORDS = [
    "hso",
    "vest",
    "baerum",
    "ahus",
    "vestre viken",
    "procurement",
    "post_implementation",
    "radiolog",
    "median_wait",
    "n_examinations",
    "go_live",
    "boneview",
    "sykehus",
]


class Names:
    """Snakemake's named lists: attribute and key access (also for a key named `values`)."""

    def __init__(self, items: dict):
        self._items = dict(items)
        self.__dict__.update(items)

    def __getitem__(self, key):
        return self._items[key]

    def get(self, key, default=None):
        return self._items.get(key, default)


class Smk:
    def __init__(self, input, output, params, log, wildcards=None):
        self.input, self.output, self.params = Names(input), Names(output), Names(params)
        self.log = [str(log)]
        # Plot jobs draw the report language of their `{lang}` wildcard.
        self.wildcards = Names(wildcards or {"lang": params.get("language", "en")})


def run(script: str, smk: Smk) -> None:
    path = REPO / "scripts" / f"{script}.py"
    runpy.run_path(str(path), init_globals={"snakemake": smk}, run_name="__main__")


def prepare_interviews(fmt: str, out: Path) -> Smk:
    out.mkdir(parents=True, exist_ok=True)
    exports = {k: str(v) for k, v in EXPORTS[fmt].items()}
    smk = Smk(
        {
            **exports,
            "interviews": str(STUDY / "interviews.yaml"),
            "organisation": str(STUDY / "organisation.yaml"),
            "schema": str(SCHEMAS / "interviews.schema.yaml"),
        },
        {
            "segments": str(out / "interview_segments.parquet"),
            "documents": str(out / "interview_documents.parquet"),
            "deid": str(out / "deid_interviews.csv"),
        },
        {"format": fmt, "export_keys": list(exports), "on_hit": "fail"},
        out / "prepare.log",
    )
    run("prepare_interviews", smk)
    return smk


TABLES = [
    "interview_informants",
    "code_prevalence",
    "theme_stage_tests",
    "theme_cooccurrence",
    "intercoder_agreement",
    "stakeholder_benefits",
    "quotes",
]


@pytest.fixture(scope="module")
def interviews(tmp_path_factory):
    out = tmp_path_factory.mktemp("other_interviews")
    prep = prepare_interviews("maxqda", out / "interim")
    tables = {n: str(out / "tables" / f"{n}.csv") for n in TABLES}
    analyse = Smk(
        {
            "segments": prep.output.segments,
            "documents": prep.output.documents,
            "interviews": str(STUDY / "interviews.yaml"),
            "analysis": str(STUDY / "interviews-analysis.yaml"),
            "organisation": str(STUDY / "organisation.yaml"),
            "schema": str(SCHEMAS / "interviews-analysis.schema.yaml"),
        },
        {
            **tables,
            "deid_quotes": str(out / "interim" / "deid_quotes.csv"),
            "values": str(out / "values" / "interviews.yml"),
        },
        {"min_cell": 3, "seed": 11, "on_hit": "fail"},
        out / "analyse.log",
    )
    run("analyse_interviews", analyse)
    return out, prep, analyse


def test_interview_exports_map_labels_to_the_study_ids(interviews, tmp_path):
    _, prep, _ = interviews
    docs = pd.read_parquet(prep.output.documents)
    assert set(docs["stage"]) == {"planlegging", "utproving", "drift"}
    assert set(docs["region"]) == {"r_fjord", "r_vidde"}
    assert set(docs["trust"]) == {"hf_kyst", "hf_dal", "hf_fjell"}
    assert set(docs["role"]) == {"lege", "sykepleier", "leder", "ikt_radgiver"}  # "IKT" mapped
    # The other tools' exports (labels written by QualCoder and REFI-QDA) give the same tables.
    for fmt in ("qualcoder", "refi_qda"):
        other = prepare_interviews(fmt, tmp_path / fmt)
        pd.testing.assert_frame_equal(pd.read_parquet(other.output.documents), docs)


def test_interview_analysis_without_stakeholders_and_with_three_stages(interviews):
    out, _, analyse = interviews
    stakeholders = pd.read_csv(analyse.output.stakeholder_benefits)
    assert stakeholders.empty and "stakeholder" in stakeholders.columns
    tests = pd.read_csv(analyse.output.theme_stage_tests)
    assert set(tests["theme_group"]) == {"process"} and tests["p_value"].notna().all()
    informants = pd.read_csv(analyse.output.interview_informants)
    stage = informants[(informants["variable"] == "stage") & (informants["by"] == "all")]
    assert stage["level"].tolist() == ["planlegging", "utproving", "drift", "all"]
    assert stage["n"].tolist() == [11, 13, 15, 39]
    values = load_yaml(analyse.output.values)["interviews"]
    assert values["n_interviews"] == 39 and values["interviews_per_stage"]["drift"] == 15
    for name in TABLES:
        text = Path(analyse.output[name]).read_text(encoding="utf-8").lower()
        assert not [w for w in DEMO_WORDS if w in text], name


def test_interview_figures_skip_the_stakeholder_matrix(interviews):
    out, _, analyse = interviews
    names = figure_names(load_yaml(STUDY / "interviews.yaml"))
    assert "stakeholder_benefits" not in names and len(names) == 4
    outputs = {
        f"{n}_{ext}": str(out / "figures" / f"{n}.{ext}")
        for n in names
        for ext in ("svg", "png", "json")
    }
    smk = Smk(
        {
            "tables": [analyse.output[n] for n in TABLES],
            "interviews": str(STUDY / "interviews.yaml"),
            "analysis": str(STUDY / "interviews-analysis.yaml"),
            "organisation": str(STUDY / "organisation.yaml"),
            "schema": str(SCHEMAS / "interviews-analysis.schema.yaml"),
        },
        outputs,
        {"min_cell": 3, "language": "en"},
        out / "plot.log",
    )
    run("plot_interviews", smk)
    for name in names:
        meta = json.loads((out / "figures" / f"{name}.json").read_text(encoding="utf-8"))
        assert meta["alt"] and (out / "figures" / f"{name}.png").stat().st_size > 5_000


MONITORING_TABLES = [
    "its_estimates",
    "its_fitted",
    "its_diagnostics",
    "monitoring_precision",
    "monitoring_weeks_needed",
    "monitoring_sites",
]


@pytest.fixture(scope="module")
def monitoring(tmp_path_factory):
    out = tmp_path_factory.mktemp("other_monitoring")
    common = {
        "monitoring": str(STUDY / "monitoring.yaml"),
        "organisation": str(STUDY / "organisation.yaml"),
        "schema": str(SCHEMAS / "monitoring.schema.yaml"),
    }
    prep = Smk(
        {
            "aggregates": str(DATA / "monitoring/ukestall.csv"),
            "milestones": str(DATA / "monitoring/milepaeler.csv"),
            **common,
        },
        {
            "series": str(out / "series.parquet"),
            "milestones": str(out / "milestones.parquet"),
            "deid": str(out / "deid.csv"),
        },
        {},
        out / "prepare.log",
    )
    run("prepare_monitoring", prep)
    tables = {n: str(out / "tables" / f"{n}.csv") for n in MONITORING_TABLES}
    analyse = Smk(
        {"series": prep.output.series, "milestones": prep.output.milestones, **common},
        {**tables, "values": str(out / "values" / "monitoring.yml")},
        {"min_cell": 5},
        out / "analyse.log",
    )
    run("analyse_monitoring", analyse)
    return out, prep, analyse, common


def test_monitoring_reads_the_configured_columns_labels_and_formats(monitoring):
    _, prep, _, _ = monitoring
    series = pd.read_parquet(prep.output.series)
    assert list(series.columns) == [
        "site",
        "period_start",
        "frequency",
        "svartid_timer",
        "antall_henvisninger",
    ]
    assert set(series["site"]) == {"s_nordby", "s_sorvik", "s_dalen", "s_fjellby"}
    assert series["svartid_timer"].between(1, 100).all() and (series["frequency"] == "weekly").all()
    ms = pd.read_parquet(prep.output.milestones)
    assert set(ms["milestone"]) == {"anskaffelse", "oppstart"}
    first = ms[(ms["site"] == "s_nordby") & (ms["milestone"] == "oppstart")]["date"].iloc[0]
    assert first == pd.Timestamp("2023-09-05")


def test_monitoring_analysis_with_oppstart_and_no_comparison_site(monitoring):
    _, _, analyse, _ = monitoring
    sites = pd.read_csv(analyse.output.monitoring_sites).set_index("site")
    assert (sites["role"] == "intervention").all() and sites["go_live"].notna().all()
    est = pd.read_csv(analyse.output.its_estimates)
    assert set(est["outcome"]) == {"svartid_timer", "antall_henvisninger"}
    pooled = est[est["pooled"] & (est["parameter"] == "level_change")].set_index("outcome")
    assert pooled.loc["svartid_timer", "ci_high"] < 0  # the planted drop (−3 to −5 hours)
    values = load_yaml(analyse.output.values)["monitoring"]
    assert values["n_comparison"] == 0 and values["comparison_sites"] == []
    assert values["go_live_milestone"] == "oppstart"
    assert values["primary_outcome"] == "svartid_timer"  # none configured: the first outcome
    assert values["pooled"]["svartid_timer"]["n_comparison"] == 0
    for name in MONITORING_TABLES:
        text = Path(analyse.output[name]).read_text(encoding="utf-8").lower()
        assert not [w for w in DEMO_WORDS if w in text.replace("go_live,", "")], name


def test_monitoring_figures_use_the_schema_defaults(monitoring):
    out, prep, analyse, common = monitoring
    names = ["its_series", "its_forest", "implementation_timeline", "monitoring_precision"]
    outputs = {
        f"{n}_{ext}": str(out / "figures" / f"{n}.{ext}")
        for n in names
        for ext in ("svg", "png", "json")
    }
    smk = Smk(
        {
            "tables": [analyse.output[n] for n in MONITORING_TABLES],
            "milestones": prep.output.milestones,
            **common,
        },
        outputs,
        {"min_cell": 5, "language": "en"},
        out / "plot.log",
    )
    run("plot_monitoring", smk)
    timeline = json.loads((out / "figures" / "implementation_timeline.json").read_text())
    assert (
        "procurement and go-live" in timeline["alt"] and "4 sites have gone live" in timeline["alt"]
    )
    series = json.loads((out / "figures" / "its_series.json").read_text())
    assert "fewer than 5 cases" in series["caption"]


def test_the_committed_exports_are_what_the_generator_writes(tmp_path):
    """tests/studies/screening/data/ is build.py's output, byte for byte: the demo generator's
    machinery, parameterised by this study's definitions and plant, is deterministic."""
    build = runpy.run_path(str(STUDY / "build.py"))
    build["build"](tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DATA) for p in DATA.rglob("*") if p.is_file())
    assert written == committed
    differing = [p for p in written if (tmp_path / p).read_bytes() != (DATA / p).read_bytes()]
    assert not differing, f"regenerated exports differ: {differing}"


def test_the_study_in_its_own_folder_builds_its_dag(tmp_path):
    """A dry run of the second test study as a Snakemake module of its own Snakefile: every path
    the pipeline owns resolves in the pipeline's folder, every study path in the study's (the
    end-to-end run is tests/e2e/test_other_studies.py)."""
    from tests.conftest import run_snakemake
    from tests.e2e.test_other_studies import study_folder

    work = study_folder(tmp_path / "screening-study")
    proc = run_snakemake(work, "-n")
    out = proc.stdout + proc.stderr
    for rule in ["prepare_survey", "prepare_interviews", "prepare_monitoring", "render_report"]:
        assert rule in out, rule
    assert not (work / "results").exists()
