"""End to end: the second test study (tests/studies/screening/, issues 11 and 17), shaped unlike
the demo, through the whole pipeline to the rendered English report, in two ways:

- all three strands, as a study in a folder of its own that uses this checkout as a Snakemake
  module (a ten-line Snakefile; study paths relative to that folder);
- the survey-only variant, inside a temporary copy of this repository with `--configfile`.

Each report must talk only about that study: none of the demo's ids, labels, names or prose
(tests/e2e/studies.py collects them from config/demo-study/), every table with rows, every figure
drawn and embedded, the strands left out absent, and the methods naming what was collected.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib import image

from tests.conftest import REPO, copy_repo, run_snakemake
from tests.e2e.studies import (
    STUDIES,
    demo_sentences,
    demo_terms,
    figure_texts,
    found_terms,
    html_tables,
    tables_text,
    visible_text,
)

pytestmark = pytest.mark.e2e

STUDY = STUDIES / "screening"
PREFIX = "tests/studies/screening/"
STRANDS = ("survey", "interviews", "monitoring")
MODULE_SNAKEFILE = """\
# A study in its own folder: impleval as a Snakemake module at a pinned checkout.
configfile: "config.yaml"


module impleval:
    snakefile:
        "{pipeline}"
    config:
        config


use rule * from impleval
"""


def study_folder(dest: Path, config: str = "config.yaml") -> Path:
    """The study's own files in a folder of their own (no generator, no pipeline code), its config
    with paths relative to that folder, and the ten-line Snakefile that uses the pipeline."""
    shutil.copytree(STUDY, dest, ignore=shutil.ignore_patterns("build.py", "__pycache__"))
    text = (STUDY / config).read_text(encoding="utf-8").replace(PREFIX, "")
    (dest / "config.yaml").write_text(text, encoding="utf-8")
    snakefile = MODULE_SNAKEFILE.format(pipeline=REPO / "Snakefile")
    (dest / "Snakefile").write_text(snakefile, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def module_run(tmp_path_factory) -> Path:
    work = study_folder(tmp_path_factory.mktemp("screening_module") / "screening-study")
    run_snakemake(work)
    return work


@pytest.fixture(scope="module")
def survey_only_run(tmp_path_factory) -> Path:
    work = copy_repo(tmp_path_factory.mktemp("screening_survey_only"))
    run_snakemake(work, "--configfile", PREFIX + "config-survey-only.yaml")
    return work


RUNS = {
    "module": ("module_run", "config.yaml", STRANDS),
    "survey_only": ("survey_only_run", "config-survey-only.yaml", ("survey",)),
}


@pytest.fixture(params=list(RUNS))
def run(request):
    """(run folder, the study's config, the strands it collected, the report's HTML)."""
    fixture, config, strands = RUNS[request.param]
    work = request.getfixturevalue(fixture)
    cfg = yaml.safe_load((STUDY / config).read_text())
    html = (work / f"results/report/impleval-report-{cfg['report']['language']}.html").read_text(
        encoding="utf-8"
    )
    return work, cfg, strands, html


def phrase(key: str, language: str) -> str:
    """A phrase's text up to its first field (report/phrases/*.yml)."""
    for path in sorted((REPO / "report/phrases").glob("*.yml")):
        phrases = yaml.safe_load(path.read_text(encoding="utf-8"))
        if key in phrases:
            return phrases[key][language].split("{")[0].strip()
    raise KeyError(key)


def _sentence(text: str, start: str) -> str:
    """The sentence of `text` that begins with `start` ('' when there is none)."""
    at = text.find(start)
    return "" if at < 0 else text[at : text.find(".", at + len(start)) + 1]


def plain(text: str) -> str:
    return text.replace("’", "'")


def test_the_report_names_nothing_of_the_demo(run):
    work, cfg, _, html = run
    lang = cfg["report"]["language"]
    terms = demo_terms(STUDY)
    assert {"BoneView", "Helse Sør-Øst", "hso", "Kari Nordmann"} <= set(terms)  # not vacuous
    text = visible_text(html)
    assert not found_terms(text, terms), "the report names the demo"
    assert not found_terms(figure_texts(work / f"results/figures/{lang}"), terms)
    assert not found_terms(tables_text(work / "results/tables"), terms)
    sentences = demo_sentences()
    assert len(sentences) > 50
    assert not [s for s in sentences if s in text], "the report quotes the demo's prose"


def test_every_table_has_rows_and_every_figure_is_drawn(run):
    work, cfg, _, html = run
    lang = cfg["report"]["language"]
    tables = html_tables(html)
    assert len(tables) >= 5
    empty = [caption for caption, rows in tables if rows == 0]
    assert not empty, f"tables without rows: {empty}"
    figures = sorted((work / f"results/figures/{lang}").glob("*.png"))
    assert figures
    for png in figures:
        pixels = image.imread(png)
        assert pixels.size and float(np.std(pixels)) > 0.01, f"{png.name} is blank"
    embedded = re.findall(r"<img[^>]+src=\"data:image/", html)
    assert len(embedded) >= len(figures)


def test_left_out_strands_are_absent_and_the_methods_say_what_was_collected(run):
    work, cfg, strands, html = run
    lang = cfg["report"]["language"]
    text = plain(visible_text(html))
    headings = [
        plain(visible_text(h)) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)
    ]
    design = _sentence(text, phrase("methods.design", lang))
    missing = _sentence(text, phrase("methods.design_absent", lang))
    assert bool(missing) == (len(strands) < len(STRANDS))
    for strand in STRANDS:
        collected = strand in strands
        assert (phrase(f"strand.{strand}", lang) in design) == collected, strand
        assert (phrase(f"strand.{strand}", lang) in missing) != collected, strand
        heading = phrase(f"heading.{strand}", lang)
        assert any(h.endswith(heading) for h in headings) == collected, strand
        interim = list((work / "results/interim").glob(f"{strand.removesuffix('s')}_*.parquet"))
        assert bool(interim) == collected, strand
    if "interviews" not in strands:
        assert not list((work / "results/tables").glob("interview*"))
    if "monitoring" not in strands:
        assert not list((work / f"results/figures/{lang}").glob("its_*"))


def test_what_the_study_does_not_give_is_said(run):
    _, cfg, _, html = run
    lang = cfg["report"]["language"]
    text = plain(visible_text(html))
    # No invited counts: the denominator is unknown. Prose topics missing: "to be written" boxes.
    assert plain(phrase("response.unknown_denominator", lang)) in text
    assert plain(phrase("prose.missing_body", lang)) in text
    # The study's own prose is shown.
    assert "An AI reader that scores each examination" in " ".join(text.split())


def test_the_module_run_records_the_pipeline_it_used(module_run: Path):
    """The study folder holds no pipeline code; provenance names the checkout's commit and hashes
    the checkout's code files."""
    assert not (module_run / "src").exists() and not (module_run / "workflow").exists()
    prov = json.loads((module_run / "results/provenance.json").read_text())
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert prov["git"]["commit"] == head
    code = [Path(r["path"]) for r in prov["files"] if r["role"] == "code"]
    assert REPO / "src/impleval/runner.py" in code
    study = [r["path"] for r in prov["files"] if r["role"] == "study"]
    assert "survey.yaml" in study  # study paths stay relative to the study's folder
