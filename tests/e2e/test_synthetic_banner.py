"""The synthetic-data banner (issue 11): shown whenever the exports are the pipeline's bundled
synthetic files, even when a copied config says `synthetic_demo: false`; absent, with no word
about synthetic data, when the same data come from a study's own files and the config says so."""

import re
import shutil

import pytest
import yaml

from tests.conftest import REPO, run_snakemake
from tests.e2e.studies import visible_text

pytestmark = pytest.mark.e2e

SYNTHETIC = re.compile(r"syntetisk|oppdikt|synthetic", re.I)
TITLE = yaml.safe_load((REPO / "report/phrases/core.yml").read_text(encoding="utf-8"))[
    "banner.synthetic_title"
]["nb"]


def _report(work):
    """The report's visible text (the stylesheet names the banner's class either way)."""
    html = (work / "results/report/impleval-report-nb.html").read_text(encoding="utf-8")
    return visible_text(html)


def _set_config(work, **changes):
    path = work / "config/config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.update(changes)
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return config


def test_bundled_synthetic_exports_always_carry_the_banner(demo_run, tmp_path):
    work = tmp_path / "repo"
    shutil.copytree(demo_run, work, symlinks=True)
    assert TITLE in _report(work)
    _set_config(work, synthetic_demo=False)
    run_snakemake(work)
    assert TITLE in _report(work)


def test_own_exports_with_synthetic_demo_false_say_nothing_synthetic(demo_run, tmp_path):
    work = tmp_path / "repo"
    shutil.copytree(demo_run, work, symlinks=True)
    config = yaml.safe_load((work / "config/config.yaml").read_text(encoding="utf-8"))
    own = work / "data/own"
    inputs = {}
    for strand, files in config["inputs"].items():
        inputs[strand] = {}
        for key, value in files.items():
            if key == "format" or not isinstance(value, str):
                inputs[strand][key] = value
                continue
            source = work / value
            target = own / strand / source.name.replace("synthetic_", "study_")
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
            inputs[strand][key] = str(target.relative_to(work))
    _set_config(work, synthetic_demo=False, inputs=inputs)
    # A study with its own data writes its own prose and metadata (the demo's say its data are
    # invented): without them, what remains is what the pipeline generates.
    report = work / config["study"]["report"]
    definition = yaml.safe_load(report.read_text(encoding="utf-8"))
    (report.parent / "no-prose").mkdir()
    definition["prose"] = "no-prose"
    definition["version"] = "1.0"  # the demo's says "(synthetic demo)"
    report.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    survey = work / config["study"]["survey"]
    instrument = yaml.safe_load(survey.read_text(encoding="utf-8"))
    instrument["invited"]["source"] = {"nb": "Kontaktpersonene", "en": "The contact persons"}
    survey.write_text(yaml.safe_dump(instrument, allow_unicode=True), encoding="utf-8")
    run_snakemake(work)
    text = _report(work)
    assert TITLE not in text
    found = [text[max(0, m.start() - 80) : m.end() + 40] for m in SYNTHETIC.finditer(text)]
    assert not found, found
