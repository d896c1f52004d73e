"""Survey figures on a small simulated survey: numbers in the report language, text ≥ 9 pt as the
report shows it, nothing cut by an axis, legends, groups of whichever variable is the primary
comparison, item wording, and the CONSORT-style participant flow."""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impleval import figures as F
from impleval.config import load_yaml
from impleval.errors import InputError
from impleval.survey.plots.figures import FIGURES, study_labels, survey_figures
from impleval.survey.settings import validate_settings

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "config/schema/survey-analysis.schema.yaml"
DEMO = REPO / "config/demo-study"
PHRASES = REPO / "report/phrases"


@pytest.fixture(autouse=True)
def close_new_figures():
    """Close the figures a test draws itself (the module's shared figures stay open)."""
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    yield
    for number in set(plt.get_fignums()) - before:
        plt.close(number)


@pytest.fixture(scope="module")
def defs():
    return {
        "organisation": load_yaml(DEMO / "organisation.yaml"),
        "survey": load_yaml(DEMO / "survey.yaml"),
        "report": load_yaml(DEMO / "report.yaml"),
        "figures": load_yaml(DEMO / "survey-analysis.yaml")["figures"],
    }


def _draw(respondents, responses, res, settings, defs, language):
    F.use_report_style()
    settings = {**settings, "figures": defs["figures"]}
    labels = study_labels(
        settings, defs["organisation"], defs["survey"], defs["report"], PHRASES, language
    )
    return {
        name: (fig, caption, alt)
        for name, fig, caption, alt in survey_figures(
            respondents,
            responses,
            res.scores,
            res.pairwise,
            res.ordinal,
            settings,
            labels,
            survey=defs["survey"],
            min_cell=5,
            language=language,
        )
    }


@pytest.fixture(scope="module", params=["nb", "en"])
def drawn(request, small, results, defs):
    respondents, responses, settings = small
    out = _draw(respondents, responses, results, settings, defs, request.param)
    yield request.param, out
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def by_role(small):
    """The same survey with role as the primary comparison (and the adjusted model's group)."""
    from impleval.survey.stats.analyse import analyse_survey

    respondents, responses, settings = small
    settings = copy.deepcopy(settings)
    gv = {g["name"]: g for g in settings["group_vars"]}
    settings["group_vars"] = [gv["role"], gv["region"], gv["trust"]]
    settings["adjusted_model"] = {"group_var": "role", "covariates": ["region"], "po_test": "none"}
    settings = validate_settings(settings, SCHEMA)
    res = analyse_survey(respondents, responses, settings, min_cell=5, seed=11)
    return respondents, responses, res, settings


def _numbers_in_language(ticks: list[str], language: str) -> list[str]:
    """Tick labels whose numbers are written in the other language's style."""
    bad = []
    for t in ticks:
        if "$" in t or "10^" in t or re.search(r"\de[+-]?\d", t):
            bad.append(t)
        elif language == "nb" and re.search(r"\d\.\d", t):
            bad.append(t)
        elif language == "en" and re.search(r"\d,\d(?!\d\d)", t):
            bad.append(t)
    return bad


def _outside_limits(fig) -> list:
    """Data points of lines and markers drawn outside their axes' limits."""
    from matplotlib.lines import Line2D

    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        lo, hi = sorted(ax.get_xlim())
        for line in ax.get_children():
            if not isinstance(line, Line2D) or line.get_transform() != ax.transData:
                continue
            x = np.asarray(line.get_xdata(), dtype=float)
            x = x[np.isfinite(x)]
            if len(x) and (x.min() < lo - 1e-9 * abs(lo) or x.max() > hi + 1e-9 * abs(hi)):
                out.append((ax.get_title(), x.min(), x.max(), lo, hi))
    return out


def test_every_survey_figure_reads_well(drawn):
    language, figs = drawn
    assert list(figs) == list(FIGURES)
    for name, (fig, caption, alt) in figs.items():
        report = F.font_report(fig)
        assert report["min_font_pt"] >= F.MIN_DISPLAY_PT, (name, report)
        assert not _numbers_in_language(report["ticks"], language), name
        assert not _outside_limits(fig), name
        assert caption and alt and "{" not in caption + alt
        assert not re.search(r"\bKI\b", caption + alt), "KI is not konfidensintervall"


def test_decimal_commas_in_bokmaal_ticks(drawn):
    language, figs = drawn
    ticks = F.font_report(figs["survey_forest"][0])["ticks"]
    decimals = [t for t in ticks if re.fullmatch(r"[−-]?\d+[.,]\d+", t)]
    assert decimals, ticks
    mark = "," if language == "nb" else "."
    assert all(mark in t for t in decimals)


def test_legends_where_colours_or_symbols_need_a_key(drawn):
    language, figs = drawn
    likert = figs["survey_likert_bars"][0]
    entries = [t.get_text() for legend in likert.legends for t in legend.get_texts()]
    assert len(entries) == 5 and entries[0].startswith("1 ")  # response categories by name
    assert ("Helt uenig" if language == "nb" else "Strongly disagree") in entries[0]
    odds = figs["survey_odds_ratios"][0]
    entries = [t.get_text() for legend in odds.legends for t in legend.get_texts()]
    assert len(entries) == 2 and ("rolle" in entries[1] or "role" in entries[1])


def test_items_are_shown_with_code_and_wording(drawn, defs):
    language, figs = drawn
    fig, caption, _ = figs["survey_forest"]
    ticks = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    co1 = [t for t in ticks if t.startswith("CO1 · ")]
    assert co1 and len(co1[0]) > len("CO1 · ") + 5
    assert "@tbl-item-key" in figs["survey_odds_ratios"][1]
    assert "@tbl-item-key" in caption


def test_groups_of_the_primary_comparison_are_labelled_from_its_definition(by_role, defs):
    respondents, responses, res, settings = by_role
    figs = _draw(respondents, responses, res, settings, defs, "nb")
    roles = {o["code"]: o["label"]["nb"] for o in defs["survey"]["questions"][1]["options"]}
    regions = {r["label"]["nb"] for r in defs["organisation"]["regions"]}
    fig, caption, alt = figs["survey_forest"]
    titles = {ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()}
    assert titles & set(roles.values()) and not titles & regions
    assert "hver rolle mot Radiograf" in caption and "rolle" in alt
    fig, caption, _ = figs["survey_odds_ratios"]
    titles = {ax.get_title(loc="left").rstrip("…") for ax in fig.axes if ax.get_visible()}
    assert all(any(r.startswith(t) for r in roles.values()) for t in titles)  # shortened
    assert "justering for helseregion" in caption
    likert = figs["survey_likert_bars"][0]
    ticks = {t.get_text() for t in likert.axes[0].get_yticklabels()}
    assert ticks & set(roles.values()) and not ticks & regions


def test_a_primary_comparison_without_pairwise_tests_still_gives_every_figure(small, defs):
    """17 trusts compared by omnibus tests only (pairwise: false): the forest says so."""
    from impleval.survey.stats.analyse import analyse_survey

    respondents, responses, settings = small
    settings = copy.deepcopy(settings)
    gv = {g["name"]: g for g in settings["group_vars"]}
    settings["group_vars"] = [gv["trust"], gv["region"], gv["role"]]
    settings["ordinal_items"] = ["CO1"]
    settings = validate_settings(settings, SCHEMA)
    res = analyse_survey(respondents, responses, settings, min_cell=5, seed=11)
    figs = _draw(respondents, responses, res, settings, defs, "nb")
    trusts = {t["label"] for t in defs["organisation"]["trusts"]}
    forest = figs["survey_forest"][0]
    assert "Ingen parvise sammenligninger for helseforetak" in forest.axes[0].texts[0].get_text()
    ticks = {t.get_text() for t in figs["survey_likert_bars"][0].axes[0].get_yticklabels()}
    assert ticks & trusts
    for name, (fig, caption, _) in figs.items():
        assert F.font_report(fig)["min_font_pt"] >= F.MIN_DISPLAY_PT, name
        assert "{" not in caption


def test_a_caption_placeholder_the_figures_do_not_fill_is_refused(small, results, defs):
    respondents, responses, settings = small
    bad = copy.deepcopy(defs)
    bad["figures"]["survey_forest"]["caption"]["nb"] += " {reference_region}"
    with pytest.raises(InputError, match=r"\{reference_region\}"):
        _draw(respondents, responses, results, settings, bad, "nb")


def test_an_interval_beyond_the_axis_gets_an_arrow_and_a_caption_sentence(small, results, defs):
    respondents, responses, settings = small
    res = copy.copy(results)
    ordinal = results.ordinal.copy()
    row = ordinal.index[(ordinal["variable"] == "region") & (ordinal["model"] == "adjusted")][0]
    ordinal.loc[row, "ci_high"] = math.inf  # a separated model: no finite upper bound
    res.ordinal = ordinal
    fig, caption, _ = _draw(respondents, responses, res, settings, defs, "nb")["survey_odds_ratios"]
    arrows = [
        line
        for ax in fig.axes
        for line in ax.get_lines()
        if line.get_marker() == ">" and not line.get_clip_on()
    ]
    assert len(arrows) == 1
    assert caption.endswith("Piler: intervallet går utenfor aksen.")
    plain = _draw(respondents, responses, results, settings, defs, "nb")["survey_odds_ratios"][1]
    assert "Piler" not in plain


def test_likert_bars_take_any_number_of_response_categories():
    from impleval.survey.plots.likert import diverging_colours, likert_bars

    F.use_report_style()
    row = {"block": "b", "group": "g", "n": 10, "nr_share": 0.1}
    shares = pd.DataFrame([{**row, **{f"s{k}": 1 / 7 for k in range(1, 8)}}])
    levels = {"b": list(range(1, 8))}
    fig = likert_bars(shares, ["b"], {"b": "Block"}, ["g"], {"g": "Group"}, "nb", levels)
    entries = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert entries == [str(k) for k in range(1, 8)]
    colours = diverging_colours(7)
    assert len(set(colours)) == 7 and colours[3] == F.DIVERGING_5[2]  # grey middle
    bars = [p for p in fig.axes[0].patches if p.get_width() > 0]
    lefts = sorted(p.get_x() for p in bars)
    assert lefts[0] == pytest.approx(-50.0)  # centred on the middle category


def test_participant_flow_is_a_consort_diagram(instrument):
    from impleval.report.text import load_phrases
    from impleval.survey.plots.flow import plot_flow, step_label

    F.use_report_style()
    flow = pd.DataFrame(
        {
            "step": ["received", "test_submissions", "duplicates", "too_fast", "analysed"],
            "n_removed": [0, 2, 1234, 0, 0],
            "n_remaining": [3000, 2998, 1764, 1764, 1764],
        }
    )
    fig, caption, alt = plot_flow(flow, instrument.config, PHRASES, "nb")
    ax = fig.axes[0]
    assert len(ax.patches) == 5  # received, three removal steps, analysed
    arrows = [c for c in ax.get_children() if c.__class__.__name__ == "Annotation"]
    assert len(arrows) == 4  # one to each removal box, one down to the analysed box
    text = " ".join(t.get_text() for t in ax.texts)
    book = load_phrases(PHRASES, "nb")
    for step in ("received", "duplicates", "too_fast", "analysed"):
        first_words = step_label(step, instrument.config, book).split()[:2]
        assert " ".join(first_words) in text.replace("\n", " ")
    assert "n\u00a0=\u00a01\u00a0234" in text and "n\u00a0=\u00a03\u00a0000" in text
    assert F.font_report(fig)["min_font_pt"] >= F.MIN_DISPLAY_PT
    assert "CONSORT" in caption
    assert "3\u00a0000 svar" in alt and "1\u00a0764 ble analysert" in alt
