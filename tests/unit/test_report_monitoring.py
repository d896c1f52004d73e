"""The monitoring results section: its decision rules on both sides of every threshold, and the
section built from small constructed studies (tests/unit/report_fixtures_monitoring.py) in
both languages: no raw id, code or `nan` printed, no missing phrase, no empty list."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml

from impleval.report.sections import monitoring as mon
from impleval.report.text import LANGUAGES, PhraseError
from tests.unit.report_fixtures_monitoring import (
    NAN,
    PHRASES,
    default_case,
    estimate_rows,
    needed_row,
    raw_leaks,
    site_row,
    visible,
)

LANGS = pytest.mark.parametrize("language", LANGUAGES)


def build(case, tmp_path, language="nb") -> str:
    return mon.build(case.context(tmp_path, language))


# --- rules -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "est, lo, hi, expected",
    [
        (-1.0, -2.0, -0.1, "down"),
        (1.0, 0.1, 2.0, "up"),
        (-1.0, -2.0, 0.5, None),  # interval crosses zero
        (0.4, -0.1, 0.9, None),
        (-1.0, -2.0, 0.0, None),  # touching zero does not exclude it
        (1.0, 0.0, 2.0, None),
        (NAN, -2.0, -1.0, None),
        (-1.0, NAN, -0.5, None),
    ],
)
def test_direction_only_when_the_interval_excludes_zero(est, lo, hi, expected):
    assert mon.direction(est, lo, hi) == expected


def test_direction_ignores_p_and_point_estimate():
    # A point estimate far from zero with a wide interval gets no direction word.
    assert mon.direction(-50.0, -120.0, 20.0) is None


@pytest.mark.parametrize(
    "lows, highs, expected",
    [
        ([-7.3], [-5.55], 1),  # minutes: one decimal
        ([-0.0763], [-0.0494], 3),  # slopes per week: two significant digits of the width
        ([-0.05], [0.05], 2),  # width 0.1
        ([-1.0, -0.0763], [1.0, -0.0494], 3),  # the narrowest interval of the column decides
        ([], [], 1),
        ([NAN], [NAN], 1),
        ([0.0], [1e-9], 4),  # capped
        ([-400.0], [400.0], 1),  # never fewer than one
    ],
)
def test_decimals(lows, highs, expected):
    assert mon.decimals(lows, highs) == expected


def test_on_log_scale_from_rows_then_config():
    assert mon.on_log_scale(pd.DataFrame({"scale": ["log_rate_ratio"]}), "ols_hac")
    assert not mon.on_log_scale(pd.DataFrame({"scale": ["difference"]}), "quasi_poisson")
    assert mon.on_log_scale(pd.DataFrame({"x": [1]}), "quasi_poisson")
    assert not mon.on_log_scale(pd.DataFrame({"x": [1]}), "ols_hac")
    assert mon.on_log_scale(pd.DataFrame({"scale": [NAN]}), "quasi_poisson")


@pytest.mark.parametrize(
    "ps, expected",
    [
        ((0.01, 0.2), True),
        ((0.2, 0.049), True),
        ((0.05, 0.3), False),  # p equal to alpha is not below it
        ((0.06, 0.5), False),
        ((NAN, 0.01), True),
        ((NAN, NAN), None),
    ],
)
def test_autocorrelated(ps, expected):
    row = pd.Series({"ljung_box_p_lag3": ps[0], "ljung_box_p_lag6": ps[1]})
    assert mon.autocorrelated(row, ["ljung_box_p_lag3", "ljung_box_p_lag6"], 0.05) == expected


@pytest.mark.parametrize(
    "n_pre, n_post, expected",
    [
        (11, 50, "before"),
        (50, 11, "after"),
        (5, 5, "both"),
        (12, 12, None),
        (50, 50, None),
        (NAN, NAN, None),
        (NAN, 3, "after"),
    ],
)
def test_short_side(n_pre, n_post, expected):
    assert mon.short_side(n_pre, n_post, 12) == expected


def test_precision_groups_on_both_sides_of_the_target():
    needed = pd.DataFrame(
        [
            needed_row("a", "o", to_target=50.0, extra=0.0),  # reached (target met now)
            needed_row("b", "o", to_target=61.0, extra=1.0),  # one week short
            needed_row("c", "o", to_target=NAN, extra=NAN),  # not within the maximum
        ]
    )
    groups = mon.precision_groups(needed)
    assert list(groups["reached"]["site"]) == ["a"]
    assert list(groups["more"]["site"]) == ["b"]
    assert list(groups["beyond"]["site"]) == ["c"]
    empty = mon.precision_groups(needed.iloc[0:0])
    assert all(g.empty for g in empty.values())


def test_timing():
    assert mon.timing(["2024-01-01"]) == "single"
    assert mon.timing(["2024-01-01", NAN]) == "single"
    assert mon.timing(["2024-01-01", "2024-01-01"]) == "simultaneous"
    assert mon.timing(["2024-01-01", "2024-03-01"]) == "staggered"


@pytest.mark.parametrize(
    "k, n, expected",
    [
        (0, 1, "single_no"),
        (1, 1, "single_yes"),
        (0, 3, "none"),
        (1, 3, "one"),
        (2, 3, "many"),
        (3, 3, "all"),
    ],
)
def test_of_n(k, n, expected):
    assert mon.of_n(k, n) == expected


def test_count_class():
    assert [mon.count_class(n) for n in (0, 1, 2, 7)] == ["none", "one", "many", "many"]


def test_periods_from_weeks():
    assert mon.periods_from_weeks(10.0, "weekly") == 10
    assert mon.periods_from_weeks(9.2, "weekly") == 10  # whole periods, rounded up
    assert mon.periods_from_weeks(13.0, "monthly") == 3
    assert mon.periods_from_weeks(4.348, "monthly") == 1
    assert math.isnan(mon.periods_from_weeks(NAN, "weekly"))


# --- phrase book ---------------------------------------------------------------------------
def test_every_phrase_has_both_languages():
    book = yaml.safe_load((PHRASES / "monitoring.yml").read_text(encoding="utf-8"))
    missing = [k for k, v in book.items() if set(v) != set(LANGUAGES) or not all(v.values())]
    assert not missing


def test_no_study_ids_or_labels_in_code_or_phrases():
    from pathlib import Path

    text = Path(mon.__file__).read_text(encoding="utf-8") + (PHRASES / "monitoring.yml").read_text(
        encoding="utf-8"
    )
    for demo in (
        "median_wait",
        "n_examinations",
        "baerum",
        "haukeland",
        "BoneView",
        "sykehus",
        "hospital",
        "minutter",
        "minutes",
        "Ahus",
    ):
        assert demo not in text, demo


# --- the section ---------------------------------------------------------------------------
def test_empty_without_monitoring(tmp_path):
    case = default_case()
    case.monitoring = False
    assert build(case, tmp_path) == ""


@LANGS
def test_default_study_renders_without_leaks(tmp_path, language):
    text = build(default_case(), tmp_path, language)
    assert raw_leaks(text) == []
    for label in (
        "Nordli klinikk",
        "Sørvik sjukehus",
        "Vestby behandlingssenter",
        "Østmo lokalsykehus",
    ):
        assert label in text
    assert ("Svartid for beskrivelse" if language == "nb" else "Report turnaround time") in text


def test_primary_outcome_first_and_marked(tmp_path):
    text = build(default_case(), tmp_path)
    assert text.index("Svartid for beskrivelse (primærutfall)") < text.index(
        "Henvisninger per periode {#sec"
    )
    assert "**Svartid for beskrivelse** (primærutfall):" in text


@LANGS
def test_no_primary_outcome_reports_all_alike(tmp_path, language):
    case = default_case()
    case.primary = None
    text = build(case, tmp_path, language)
    assert raw_leaks(text) == []
    assert "primærutfall)" not in text and "primary outcome)" not in text
    assert (
        "ikke utpekt noe primærutfall" if language == "nb" else "has not declared a primary outcome"
    ) in text
    # The study's order: referrals were declared first.
    assert text.index("sec-monitoring-outcome-1") < text.index("sec-monitoring-outcome-2")
    first = text[
        text.index("sec-monitoring-outcome-1") - 60 : text.index("sec-monitoring-outcome-1")
    ]
    assert "Henvisninger" in first or "Referrals" in first


def test_primary_declared_but_unknown_is_treated_as_none(tmp_path):
    case = default_case()
    case.primary = "no_such_outcome"
    text = build(case, tmp_path)
    assert "ikke utpekt noe primærutfall" in text
    assert "no_such_outcome" not in visible(text)


def test_outcome_definitions_with_units_and_target(tmp_path):
    text = build(default_case(), tmp_path)
    assert "målt i timer" in text
    assert "målt i henvisninger" in text
    assert "0,050 timer per uke" in text  # the continuous target in its unit
    assert "0,20\u00a0% per uke" in text  # the log-scale target as per cent per week


def test_outcome_without_unit(tmp_path):
    case = default_case()
    del case.outcomes["turnaround_h"]["unit"]
    text = build(case, tmp_path)
    assert "studien har ikke oppgitt noen enhet" in text
    assert "i utfallets enhet, med" in text  # the table caption
    assert raw_leaks(text) == []


# --- estimates and directions ----------------------------------------------------------------
def test_pooled_direction_words_follow_the_interval(tmp_path):
    case = default_case()
    text = build(case, tmp_path)
    assert "Samlet over stedene falt nivået ved oppstart (nivåendring −2,1 timer" in text
    case.set_estimate("pooled", "turnaround_h", "level_change", -2.1, -3.0, 0.4)
    text = build(case, tmp_path)
    assert "falt nivået ved oppstart (nivåendring" not in text
    assert (
        "Samlet over stedene var nivåendringen ved oppstart −2,1 timer [−3,0; 0,4]; "
        "intervallet omfatter null." in text
    )
    case.set_estimate("pooled", "turnaround_h", "level_change", 2.1, 0.2, 4.0)
    assert "Samlet over stedene steg nivået ved oppstart" in build(case, tmp_path)


@LANGS
def test_pooled_slope_and_horizons(tmp_path, language):
    case = default_case()
    case.set_estimate("pooled", "turnaround_h", "effect_at_horizon", -1.0, -2.0, 0.5, 39)
    text = build(case, tmp_path, language)
    if language == "nb":
        assert (
            "Stigningstallet falt etter oppstart (endring −0,030 timer per uke "
            "[−0,045; −0,015])." in text
        )
        assert (
            "Etter 13 uker lå utfallet under det forventede forløpet uten "
            "Beskrivelsesstøtte: forskjellen var" in text
        )
        assert (
            "Etter 39 uker var forskjellen fra det forventede forløpet uten "
            "Beskrivelsesstøtte −1,0 timer [−2,0; 0,5]; intervallet omfatter null." in text
        )
    else:
        assert (
            "The slope fell after go-live (change −0.030 hours per week [−0.045, −0.015])." in text
        )
        assert (
            "After 39 weeks the difference from the expected course without Reporting "
            "support was −1.0 hours [−2.0, 0.5]; the interval includes zero." in text
        )


def test_horizons_with_the_same_direction_share_a_sentence(tmp_path):
    text = build(default_case(), tmp_path)
    assert "Etter 13 og 39 uker lå utfallet under det forventede forløpet" in text
    assert "forskjellene var" in text


def test_site_directions_only_where_the_interval_excludes_zero(tmp_path):
    text = build(default_case(), tmp_path)
    assert (
        "Ved oppstart falt nivået ved ett sted (Nordli klinikk), steg nivået ved ett sted "
        "(Sørvik sjukehus) og omfattet intervallet null ved ett sted "
        "(Vestby behandlingssenter)." in text
    )
    case = default_case()
    case.set_estimate("st_sor", "turnaround_h", "level_change", 3.2, -0.1, 5.3)
    text = build(case, tmp_path)
    text = text[: text.index("sec-monitoring-outcome-2")]
    assert "steg nivået" not in text
    assert (
        "omfattet intervallet null ved 2 steder (Sørvik sjukehus og Vestby "
        "behandlingssenter)" in text
    )


def test_site_groups_without_members_are_left_out(tmp_path):
    case = default_case()
    for site in ("st_nord", "st_sor", "st_vest"):
        case.set_estimate(site, "turnaround_h", "slope_change", -0.05, -0.08, -0.02)
    text = build(case, tmp_path)
    assert (
        "Etter oppstart falt stigningstallet ved 3 steder (Nordli klinikk, Sørvik sjukehus "
        "og Vestby behandlingssenter)." in text
    )
    assert "ved 0" not in text and "ingen steder" not in text


def test_long_site_lists_become_counts(tmp_path):
    case = default_case()
    extra = [f"st_x{i}" for i in range(12)]
    for i, sid in enumerate(extra):
        case.organisation["sites"].append({"id": sid, "trust": "tx", "label": f"Ekstra {i}"})
        case.sites.append(site_row(sid, "intervention", "2024-01-09", 50, 50, "ok"))
        case.estimates += estimate_rows(
            sid,
            "turnaround_h",
            level=(-1.0, -2.0, -0.5),
            slope=(0.0, -0.1, 0.1),
            horizons={13: (-1, -2, -0.5), 39: (-1, -2, -0.5)},
            scale="difference",
        )
    text = build(case, tmp_path)
    assert "falt nivået ved 13 steder." in text or "falt nivået ved 13 steder," in text
    assert raw_leaks(text, tuple(extra)) == []


def test_continuous_to_one_decimal_and_slopes_readable(tmp_path):
    text = build(default_case(), tmp_path)
    # −6.41234 with an interval ~1.7 wide: one decimal; slope with three.
    assert "| Nordli klinikk | −6,4 \\[−7,3; −5,5\\] | −0,063 \\[−0,076; −0,049\\] |" in text


def test_log_scale_as_percentages(tmp_path):
    text = build(default_case(), tmp_path)
    # exp(0.1) − 1 = 10.5 %, interval exp(0.02) − 1 = 2.0 % to exp(0.18) − 1 = 19.7 %.
    assert "10,5\u00a0% \\[2,0\u00a0%; 19,7\u00a0%\\]" in text
    assert "Samlet over stedene steg nivået ved oppstart (nivåendring 10,5\u00a0%" in text
    assert "exp(anslag) − 1" in text


def test_pooled_row_last_and_short_sites_flagged_in_the_table(tmp_path):
    case = default_case()
    case.site("st_vest").update(n_post=8, baseline="warn")
    text = build(case, tmp_path)
    table = text[text.index("| Sted | Nivåendring") :]
    rows = table.split("\n\n")[0].splitlines()[2:]
    assert len(rows) == 4
    assert rows[-1].startswith("| Samlet (alle modellerte steder) |")
    assert "Vestby behandlingssenter (kort før- eller etterperiode)" in table


def test_estimates_without_interval_get_no_sentence(tmp_path):
    case = default_case()
    case.set_estimate("pooled", "turnaround_h", "level_change", -2.1, NAN, NAN)
    case.set_estimate("st_vest", "turnaround_h", "level_change", NAN, NAN, NAN)
    text = build(case, tmp_path)
    assert "nivåendring −2,1 timer" not in text and "nivåendringen ved oppstart −2,1" not in text
    assert "Samlet over stedene" not in text.split("sec-monitoring-outcome-2")[0]
    # Vestby is in no group of the level sentence, and its table cell shows a dash.
    assert (
        "Ved oppstart falt nivået ved ett sted (Nordli klinikk) og steg nivået ved ett "
        "sted (Sørvik sjukehus)." in text
    )
    assert "| Vestby behandlingssenter | – |" in text
    assert "| Samlet (alle modellerte steder) | −2,1 |" in text
    assert raw_leaks(text) == []


def test_no_pooled_estimates_no_pooled_model_paragraph(tmp_path):
    case = default_case()
    case.estimates = [r for r in case.estimates if r["site"] != "pooled"]
    text = build(case, tmp_path)
    assert "Det samlede anslaget" not in text and "Samlet over stedene" not in text
    assert "Samlet (alle modellerte steder)" not in text
    assert raw_leaks(text) == []


def test_outcome_without_estimates(tmp_path):
    case = default_case()
    case.estimates = [r for r in case.estimates if r["outcome"] != "referrals_n"]
    text = build(case, tmp_path)
    assert "Analysen har ingen anslag for dette utfallet." in text
    assert raw_leaks(text) == []


# --- roll-out, comparison and baseline ----------------------------------------------------------
def test_rollout_sentence_and_table(tmp_path):
    text = build(default_case(), tmp_path)
    assert (
        "3 av de 4 stedene med data tok i bruk Beskrivelsesstøtte i perioden, det første "
        "den 07.03.2023 og det siste den 06.02.2024" in text
    )
    assert "| Østmo lokalsykehus | – | – | – | sammenligningssted (ingen oppstart) |" in text


@LANGS
def test_comparison_site_role_stated(tmp_path, language):
    text = build(default_case(), tmp_path, language)
    if language == "nb":
        assert (
            "Østmo lokalsykehus tok ikke i bruk Beskrivelsesstøtte i perioden og er med som "
            "sammenligningssted." in text
        )
        assert "bidrar sammenligningsstedene bare til det felles sesongmønsteret" in text
        assert "(3 steder med oppstart og ett sammenligningssted)" in text
    else:
        assert "is included as a comparison site." in text
        assert "contribute only to the shared seasonal pattern" in text


@LANGS
def test_no_comparison_site_leaves_the_block_out(tmp_path, language):
    case = default_case()
    case.drop_site("st_ost")
    text = build(case, tmp_path, language)
    assert raw_leaks(text) == []
    assert "sammenligningssted" not in text and "comparison site" not in text
    assert "ingen har ingen" not in text and "ingen oppstart" not in text
    assert ("(3 steder med oppstart)" if language == "nb" else "(3 sites with a go-live)") in text


def test_several_comparison_sites(tmp_path):
    case = default_case()
    case.site("st_vest").update(
        role="comparison", go_live=NAN, n_pre=NAN, n_post=NAN, baseline="not_applicable"
    )
    case.estimates = [r for r in case.estimates if r["site"] != "st_vest"]
    text = build(case, tmp_path)
    assert (
        "Vestby behandlingssenter og Østmo lokalsykehus tok ikke i bruk "
        "Beskrivelsesstøtte i perioden og er med som sammenligningssteder." in text
    )
    assert "2 sammenligningssteder" in text


def test_site_without_data(tmp_path):
    case = default_case()
    case.sites.append(site_row("st_x", "no_data", NAN, NAN, NAN, "not_applicable"))
    case.sites[-1].update(first_period=NAN, last_period=NAN, frequency=NAN)
    case.organisation["sites"].append({"id": "st_x", "trust": "tx", "label": "Tomtjern"})
    text = build(case, tmp_path)
    assert "Tomtjern leverte ingen data og er ikke med i analysene." in text
    assert "| Tomtjern | – | – | – | ingen data |" in text
    assert "3 av de 4 stedene med data" in text  # the site without data is not counted
    assert raw_leaks(text, ("st_x",)) == []


def test_one_site_goes_live(tmp_path):
    case = default_case()
    for sid in ("st_sor", "st_vest"):
        case.site(sid).update(
            role="comparison", go_live=NAN, n_pre=NAN, n_post=NAN, baseline="not_applicable"
        )
    case.estimates = [r for r in case.estimates if r["site"] not in ("st_sor", "st_vest")]
    case.needed = [r for r in case.needed if r["site"] == "st_nord"]
    text = build(case, tmp_path)
    assert (
        "Bare ett sted, Nordli klinikk, tok i bruk Beskrivelsesstøtte i perioden, den "
        "07.03.2023" in text
    )
    assert "det samlede anslaget er i praksis stedets eget" in text
    assert "(ett sted med oppstart og 3 sammenligningssteder)" in text
    assert "Stedet, Nordli klinikk, har allerede data nok til det." in text
    assert raw_leaks(text) == []


@LANGS
def test_no_site_goes_live(tmp_path, language):
    case = default_case()
    for sid in ("st_nord", "st_sor", "st_vest"):
        case.site(sid).update(
            role="comparison", go_live=NAN, n_pre=NAN, n_post=NAN, baseline="not_applicable"
        )
    case.estimates, case.needed = [], []
    for r in case.diagnostics:
        r["crosscheck_agrees"] = NAN
    text = build(case, tmp_path, language)
    assert (
        "Ingen av stedene tok i bruk" if language == "nb" else "None of the sites started using"
    ) in text
    assert "Det samlede anslaget" not in text and "The pooled estimate" not in text
    assert "sec-monitoring-duration" not in text
    assert raw_leaks(text) == []


def test_simultaneous_go_live(tmp_path):
    case = default_case()
    for sid in ("st_nord", "st_sor", "st_vest"):
        case.site(sid)["go_live"] = "2023-09-12"
    text = build(case, tmp_path)
    assert "Alle stedene startet samme dag (12.09.2023)" in text
    assert "spredt i tid" not in text


def test_staggered_go_live(tmp_path):
    text = build(default_case(), tmp_path)
    assert "Oppstartene er spredt i tid (07.03.2023–06.02.2024)" in text
    assert "ingen felles ledd for kalendertid" in text


@LANGS
def test_short_baseline_flagged_with_reason(tmp_path, language):
    case = default_case()
    case.site("st_vest").update(n_post=8, baseline="warn")
    case.site("st_sor").update(n_pre=5, n_post=7, baseline="warn")
    text = build(case, tmp_path, language)
    if language == "nb":
        assert (
            "Disse stedene har kort før- eller etterperiode; de er modellert, men anslagene "
            "er usikre: Sørvik sjukehus (bare 5 uker før og 7 uker etter oppstart, under "
            "grensen på 12) og Vestby behandlingssenter (bare 8 uker etter oppstart, under "
            "grensen på 12)." in text
        )
        assert "usikre anslag: bare 8 uker etter oppstart, under grensen på 12" in text
        assert "Steder med kort før- eller etterperiode er med i den samlede modellen." in text
    else:
        assert (
            "Vestby behandlingssenter (only 8 weeks after go-live, below the limit of 12)" in text
        )
    assert raw_leaks(text) == []


def test_no_short_baseline_no_sentence(tmp_path):
    text = build(default_case(), tmp_path)
    assert "kort før- eller etterperiode" not in text


def test_refused_site(tmp_path):
    case = default_case()
    case.site("st_vest").update(n_pre=2, n_post=170, baseline="refused")
    case.estimates = [r for r in case.estimates if r["site"] != "st_vest"]
    case.needed = [r for r in case.needed if r["site"] != "st_vest"]
    text = build(case, tmp_path)
    assert (
        "Ett sted er ikke modellert fordi perioden før eller etter oppstart er for kort: "
        "Vestby behandlingssenter (bare 2 uker før oppstart, under grensen på 3)." in text
    )
    assert "ikke modellert: bare 2 uker før oppstart" in text
    assert "heller ikke med i den samlede modellen" in text
    assert "(2 steder med oppstart og ett sammenligningssted)" in text
    assert raw_leaks(text) == []


# --- monthly series ----------------------------------------------------------------------------
@LANGS
def test_monthly_series(tmp_path, language):
    case = default_case("monthly")
    case.site("st_vest").update(n_post=8, baseline="warn")
    for r in case.diagnostics:
        r.pop("hac_maxlags")  # the configured lag then applies, in months
    case.set_needed("st_sor", "turnaround_h", extra=13.0)
    text = build(case, tmp_path, language)
    assert raw_leaks(text) == []
    if language == "nb":
        assert "månedlige aggregater" in text
        assert "| Sted | Oppstart | Måneder før | Måneder etter | Merknad |" in text
        assert "bare 8 måneder etter oppstart" in text
        assert "Også for månedlige serier er tiden målt i uker" in text
        assert "raten per dag" in text
        assert "Sørvik sjukehus (3 måneder til)" in text  # 13 weeks → 3 months
        assert "med et fast vindu på 1 måned [@newey1987]" in text
        assert "| Måneder fulgt |" in text.replace("| Utfall | Sted ", "")
    else:
        assert "monthly aggregates" in text
        assert "Sørvik sjukehus (3 months more)" in text


def test_mixed_frequency(tmp_path):
    case = default_case()
    case.site("st_ost")["frequency"] = "monthly"
    text = build(case, tmp_path)
    assert "ukentlige og månedlige aggregater" in text
    assert "Perioder før" in text
    assert raw_leaks(text) == []


# --- diagnostics and standard errors ----------------------------------------------------------
@LANGS
def test_diagnostics_counts_and_readable_table(tmp_path, language):
    text = build(default_case(), tmp_path, language)
    if language == "nb":
        assert (
            "Svartid for beskrivelse: Ljung–Box-testene viste autokorrelasjon (p < 0,05 ved "
            "minst ett lag) i én av de 4 stedsmodellene." in text
        )
        assert "Henvisninger per periode: Ljung–Box-testene viste autokorrelasjon" in text
        assert "| Autokorrelasjon påvist | Samsvar med GLSAR |" in text
        assert "| ja | ja |" in text and "| nei | ja |" in text and "| nei | – |" in text
        assert "Ljung–Box p (lag 3)" in text and "Ljung–Box p (lag 6)" in text
    assert raw_leaks(text) == []


def test_diagnostics_none_and_all(tmp_path):
    case = default_case()
    for r in case.diagnostics:
        r["ljung_box_p_lag3"], r["ljung_box_p_lag6"] = (
            (0.5, 0.6) if r["outcome"] == "turnaround_h" else (0.001, 0.2)
        )
    text = build(case, tmp_path)
    assert (
        "Svartid for beskrivelse: Ljung–Box-testene viste ingen autokorrelasjon i noen av de "
        "4 stedsmodellene (p ≥ 0,05 ved alle lag)." in text
    )
    assert "i alle de 4 stedsmodellene" in text


def test_fixed_newey_west_from_the_hac_column(tmp_path):
    case = default_case()
    for r in case.diagnostics:
        r["hac_maxlags"] = 6
    text = build(case, tmp_path)
    assert "Newey–West-robuste med et fast vindu på 6 uker [@newey1987]" in text
    assert "kan intervallene likevel bli for smale" in text
    # The pooled model: from the configured lag (the pooled rows give none).
    assert "innen hvert sted med et vindu på 4 uker" in text


def test_se_method_and_bandwidth_columns_when_the_analysis_writes_them(tmp_path):
    case = default_case()
    for r in case.diagnostics:
        r.update(se_method="newey_west_auto", hac_bandwidth=7)
    for r in case.estimates:
        if r["site"] == "pooled":
            r.update(se_method="hac_panel", hac_bandwidth=5)
    text = build(case, tmp_path)
    assert "med et vindu valgt fra dataene (7 uker) [@newey1994]" in text
    assert "innen hvert sted med et vindu på 5 uker" in text
    assert "Standardfeil |" not in text  # one method for all: no column


def test_se_varying_between_models_goes_to_the_table(tmp_path):
    case = default_case()
    for i, r in enumerate(case.diagnostics):
        r.update(se_method="newey_west_auto", hac_bandwidth=3 + i % 3)
    text = build(case, tmp_path)
    assert "med et vindu valgt fra dataene for hver serie [@newey1994]" in text
    assert "| Standardfeil | Vindu |" in text
    assert "| Newey–West (vindu fra dataene) | 4 uker |" in text


def test_gls_standard_errors(tmp_path):
    case = default_case()
    for r in case.diagnostics:
        r.update(se_method="gls_ar1", hac_bandwidth=NAN)
    text = build(case, tmp_path, "en")
    assert (
        "The autocorrelation is estimated in the model itself (AR(1) errors for each site" in text
    )
    assert "| Standard errors |" not in text  # one method for all: no column
    assert raw_leaks(text) == []


def test_mixed_se_methods_name_each_and_show_them_per_model(tmp_path):
    case = default_case()
    for r in case.diagnostics:
        if r["outcome"] == "referrals_n":
            r.update(se_method="gls_ar1", hac_bandwidth=NAN)
    text = build(case, tmp_path)
    assert "med et fast vindu (lengden står i tabellen) [@newey1987]" in text
    assert "AR(1)-feil for hver stedsserie, generaliserte minste kvadrater" in text
    assert "| Newey–West (fast vindu) | 4 uker |" in text
    assert "| GLS med AR(1)-feil | – |" in text
    assert raw_leaks(text) == []


def test_unknown_se_method_fails_rather_than_printing_it(tmp_path):
    case = default_case()
    for r in case.diagnostics:
        r.update(se_method="bootstrap_blocks", hac_bandwidth=4)
    with pytest.raises(PhraseError):
        build(case, tmp_path)


def test_crosscheck_disagreement_named(tmp_path):
    case = default_case()
    case.diagnostics[1]["crosscheck_agrees"] = False
    text = build(case, tmp_path)
    assert "i samsvar med hovedanslagene i 5 av de 6 stedsmodellene med oppstart" in text
    assert "Avvik fant den ved Sørvik sjukehus (Svartid for beskrivelse)." in text


def test_diagnostics_without_crosscheck_columns(tmp_path):
    case = default_case()
    for r in case.diagnostics:
        for k in ("crosscheck_agrees", "crosscheck_method"):
            r.pop(k)
    text = build(case, tmp_path)
    assert "GLSAR" not in text
    assert raw_leaks(text) == []


# --- how long to keep monitoring ----------------------------------------------------------------
@LANGS
def test_precision_default(tmp_path, language):
    text = build(default_case(), tmp_path, language)
    if language == "nb":
        assert (
            "Svartid for beskrivelse: målet er å kunne påvise en endring i stigningstall på "
            "0,050 timer per uke. Ett av de 3 stedene, Nordli klinikk, har allerede data nok "
            "til det. Ett sted må følges lenger: Sørvik sjukehus (10 uker til). Vestby "
            "behandlingssenter når ikke målet innen 104 uker etter oppstart" in text
        )
        assert (
            "Henvisninger per periode: målet er å kunne påvise en endring i stigningstall "
            "på 0,20\u00a0% per uke. Alle de 3 stedene har allerede data nok til det." in text
        )
        assert "med 90 % styrke".replace(" %", "\u00a0%") in text
        assert "| over 104 | – |" in text
    else:
        assert "One site needs to be followed for longer: Sørvik sjukehus (10 weeks more)." in text


def test_precision_all_reached_says_nothing_about_more(tmp_path):
    case = default_case()
    case.set_needed("st_sor", "turnaround_h", extra=0.0)
    case.set_needed("st_vest", "turnaround_h", to_target=60.0, extra=0.0)
    text = build(case, tmp_path)
    assert (
        "Svartid for beskrivelse: målet er å kunne påvise en endring i stigningstall på "
        "0,050 timer per uke. Alle de 3 stedene har allerede data nok til det." in text
    )
    assert "må følges lenger" not in text
    assert "0 steder" not in text and "trenger" not in text


def test_precision_none_reached(tmp_path):
    case = default_case()
    case.set_needed("st_nord", "turnaround_h", extra=5.0)
    text = build(case, tmp_path)
    assert (
        "Ingen av de 3 stedene har ennå data nok til det. 2 steder må følges lenger: "
        "Nordli klinikk (5 uker til) og Sørvik sjukehus (10 uker til)." in text
    )


def test_precision_none_reached_none_more(tmp_path):
    case = default_case()
    for s in ("st_nord", "st_sor", "st_vest"):
        case.set_needed(s, "turnaround_h", to_target=NAN, extra=NAN)
    text = build(case, tmp_path)
    assert (
        "Ingen av de 3 stedene har ennå data nok til det. Nordli klinikk, Sørvik sjukehus "
        "og Vestby behandlingssenter når ikke målet innen 104 uker" in text
    )
    assert "må følges lenger" not in text


def test_precision_many_reached(tmp_path):
    case = default_case()
    case.set_needed("st_sor", "turnaround_h", extra=0.0)
    text = build(case, tmp_path)
    assert (
        "2 av de 3 stedene har allerede data nok til det: Nordli klinikk og Sørvik "
        "sjukehus." in text
    )


def test_precision_counts_come_from_one_function(tmp_path):
    ctx = default_case().context(tmp_path)
    summary = mon.precision_summary(ctx, "turnaround_h")
    assert summary == {"reached": ["st_nord"], "more": [("st_sor", 10.0)], "beyond": ["st_vest"]}


def test_precision_absent(tmp_path):
    case = default_case()
    case.needed = []
    text = build(case, tmp_path)
    assert "sec-monitoring-duration" not in text
    assert raw_leaks(text) == []


# --- figures ---------------------------------------------------------------------------------
def test_figures_present_and_referenced(tmp_path):
    text = build(default_case(), tmp_path)
    for name in ("implementation_timeline", "its_series", "its_forest", "monitoring_precision"):
        fig = "fig-" + name.replace("_", "-")
        assert f"{{#{fig} " in text  # the figure itself
        assert f"@{fig}" in text  # and a reference to it


def test_no_dangling_figure_references(tmp_path):
    case = default_case()
    case.figures = ()
    text = build(case, tmp_path)
    assert "@fig-" not in text and "![" not in text
    assert raw_leaks(text) == []


# --- whole document, escaping, robustness --------------------------------------------
def test_labels_are_escaped(tmp_path):
    case = default_case()
    case.organisation["sites"][0]["label"] = "Nord*li [A]"
    text = build(case, tmp_path)
    assert "Nord\\*li \\[A\\]" in text
    assert "Nord*li [A]" not in text


def test_in_the_whole_document(tmp_path):
    from impleval.report.document import document

    ctx = default_case().context(tmp_path, "en")
    text = document(ctx, renderer="test")
    assert "## Results {#sec-results}" in text
    assert "### Post-implementation monitoring {#sec-monitoring}" in text
    assert "#### Roll-out at the sites {#sec-monitoring-rollout}" in text


def test_empty_tables_do_not_break_the_section(tmp_path):
    case = default_case()
    case.estimates, case.diagnostics, case.needed = [], [], []
    ctx = case.context(tmp_path)
    for name in ("its_estimates", "its_diagnostics", "monitoring_weeks_needed"):
        (tmp_path / "tables" / f"{name}.csv").write_text("")
    text = mon.build(ctx)
    assert "Analysen har ingen anslag for dette utfallet." in text
    assert raw_leaks(text) == []


@LANGS
def test_no_results_tables_at_all(tmp_path, language):
    ctx = default_case().context(tmp_path, language)
    for path in (tmp_path / "tables").glob("*.csv"):
        path.unlink()
    text = mon.build(ctx)
    assert ("ingen steder med data" if language == "nb" else "no site with data") in text
    assert "**" in text  # the outcome definitions are still given
    assert raw_leaks(text) == []


@LANGS
@pytest.mark.parametrize(
    "variant",
    ["default", "monthly", "no_comparison", "no_primary", "all_reached", "no_figures", "short"],
)
def test_every_variant_renders_in_both_languages(tmp_path, language, variant):
    case = default_case("monthly" if variant == "monthly" else "weekly")
    if variant == "no_comparison":
        case.drop_site("st_ost")
    elif variant == "no_primary":
        case.primary = None
    elif variant == "all_reached":
        for s in ("st_sor", "st_vest"):
            case.set_needed(s, "turnaround_h", to_target=50.0, extra=0.0)
    elif variant == "no_figures":
        case.figures = ()
    elif variant == "short":
        case.site("st_nord").update(n_pre=4, baseline="warn")
    text = build(case, tmp_path, language)
    assert text.strip()
    assert raw_leaks(text) == []
    assert "  " not in visible(text).replace("|  |", "")  # no gap left by an empty field
    assert " ." not in visible(text) and " ," not in visible(text)
