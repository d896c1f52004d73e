"""The rendered report in a real browser: headless Chromium driven by playwright-core (Node).

Skipped with a reason when Chromium or node_modules are missing (install with
scripts/ci/install_browser.sh). The report comes from results/ when it is up to date with the
workflow (`snakemake -n` has nothing to do for it), otherwise from one demo pipeline run in a
temporary copy (the session fixture shared with the e2e tests); IMPLEVAL_REPORT_HTML overrides."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, run_snakemake

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPORT = "results/report/impleval-report-nb.html"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if shutil.which("node") is None:
        return "node not installed"
    for package in ("playwright-core", "axe-core"):
        if not (REPO / "node_modules" / package).exists():
            return f"node_modules/{package} missing (npm ci)"
    return None


@pytest.fixture(scope="session")
def report_html(request) -> Path:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    if os.environ.get("IMPLEVAL_REPORT_HTML"):  # a report rendered elsewhere
        return Path(os.environ["IMPLEVAL_REPORT_HTML"])
    local = REPO / REPORT
    if local.exists():
        proc = run_snakemake(REPO, "-n", REPORT, check=False)
        if proc.returncode == 0 and "Nothing to be done" in proc.stdout + proc.stderr:
            return local
    return request.getfixturevalue("demo_run") / REPORT


@pytest.fixture(scope="session")
def browser(report_html, tmp_path_factory) -> dict:
    shot = tmp_path_factory.mktemp("browser") / "report.png"
    proc = subprocess.run(
        ["node", str(REPO / "tests/browser/check_report.js"), str(report_html), str(shot)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    facts["screenshot"] = shot
    return facts


def test_screenshot_taken(browser):
    assert browser["screenshot"].stat().st_size > 10_000


def test_no_request_leaves_the_file(browser):
    assert browser["external"] == []


def test_every_image_rendered_and_described(browser, report_html):
    figures = list((report_html.parents[1] / "figures" / "nb").glob("*.png"))
    assert len(browser["images"]) >= len(figures)
    for img in browser["images"]:
        assert img["naturalWidth"] > 0 and img["width"] > 0, img
        assert img["variance"] > 1.0, f"blank image: {img['alt'][:60]}"
        assert img["alt"].strip()


def test_no_wcag21_aa_violations(browser):
    """axe-core with the WCAG 2.0/2.1 A and AA rules: no violation at all."""
    assert browser["axe"] == [], json.dumps(browser["axe"], indent=1, ensure_ascii=False)


def test_phone_width_has_no_page_wide_horizontal_scroll(browser):
    phone = browser["phone"]
    assert phone["scrollWidth"] <= phone["clientWidth"] + 1, phone
    assert phone["tablesOutsideScrollBox"] == 0 or phone["overflowing"] == [], phone


def test_print_keeps_figures_and_tables_whole_on_a4(browser):
    print_ = browser["print"]
    assert print_["pdfBytes"] > 50_000
    assert print_["figuresSplittable"] == 0 and print_["tablesSplittable"] == 0, print_
    assert print_["captionsOutsideTables"] == 0 and print_["headingsBreakAfter"] == 0, print_


def test_figure_text_is_at_least_9_pt_as_displayed(browser, report_html):
    """Each figure's smallest text (recorded by the plot job as `min_font_pt` at `dpi`) scaled
    to the width the page shows the image at."""
    figures = report_html.parents[1] / "figures" / "nb"
    sizes = {}
    for meta_path in figures.glob("*.json"):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        shown = next((i for i in browser["images"] if i["alt"] == meta["alt"]), None)
        assert shown is not None, meta_path.name
        assert "min_font_pt" in meta and "dpi" in meta, f"{meta_path.name} lacks font facts"
        # natural px = inches × dpi; a CSS px is 1/96 in: displayed pt = pt × shown/natural × dpi/96
        scale = shown["width"] / shown["naturalWidth"] * meta["dpi"] / 96
        sizes[meta_path.stem] = round(meta["min_font_pt"] * scale, 1)
    assert sizes and min(sizes.values()) >= 9, sizes


def test_headings_in_order_tables_have_headers_and_lang(browser):
    levels = browser["headings"]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert all(n > 0 for n in browser["tables"]), browser["tables"]
    import yaml

    language = yaml.safe_load((REPO / "config/config.yaml").read_text())["report"]["language"]
    assert browser["lang"].split("-")[0] == language
    assert browser["renderer"]
