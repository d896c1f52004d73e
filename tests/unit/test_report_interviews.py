"""The interview results section (impleval.report.sections.interviews): every rule on both sides
of its threshold, absent blocks, and no raw id, code or NaN in the text, in both languages."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from impleval.report.sections import interviews as iv
from tests.unit.report_fixtures import assert_clean, make_context

STAGES = ["st_one", "st_two", "st_three"]
STAGE_LABELS = {
    "st_one": {"nb": "Fase én", "en": "Stage one"},
    "st_two": {"nb": "Fase to", "en": "Stage two"},
    "st_three": {"nb": "Fase tre", "en": "Stage three"},
}
THEMES = {
    "Cat > Alpha": "th_alpha",
    "Cat > Beta": "th_beta",
    "Cat > Gamma": "th_gamma",
    "Cat > Delta": "th_delta",
}
EFFECTS = {"Eff > Pat > Quick": "ef_quick", "Eff > Pat > Worse": "ef_worse"}
LABELS = {
    "th_alpha": {"nb": "Alfatema", "en": "Alpha theme"},
    "th_beta": {"nb": "Betatema", "en": "Beta theme"},
    "th_gamma": {"nb": "Gammatema", "en": "Gamma theme"},
    "th_delta": {"nb": "Deltatema", "en": "Delta theme"},
    "ef_quick": {"nb": "Raskere svar", "en": "Quicker answers"},
    "ef_worse": {"nb": "Mer arbeid", "en": "More work"},
}
IDS = [
    *STAGES,
    *THEMES.values(),
    *EFFECTS.values(),
    "grp_pat",
    "rl_doc",
    "rl_nurse",
    "rg_north",
    "rg_south",
    "Cat > Alpha",
    "Eff > Pat",
]


def study(stages=STAGES, stakeholders: bool = True) -> dict:
    themes = dict(THEMES)
    out = {
        "stages": [{"id": s, "label": STAGE_LABELS[s]} for s in stages],
        "roles": [
            {"id": "rl_doc", "label": {"nb": "Lege", "en": "Doctor"}},
            {"id": "rl_nurse", "label": {"nb": "Sykepleier", "en": "Nurse"}},
        ],
        "themes": themes,
        "theme_labels": dict(LABELS),
    }
    if stakeholders:
        themes.update(EFFECTS)
        out["stakeholders"] = {
            "Eff > Pat > Quick": {"stakeholder": "grp_pat", "kind": "benefit"},
            "Eff > Pat > Worse": {"stakeholder": "grp_pat", "kind": "challenge"},
        }
        out["stakeholder_labels"] = {"grp_pat": {"nb": "Pasienter", "en": "Patients"}}
    return out


def analysis(
    tests=("trend", "chi_square"), primary="trend", families="theme_group", agreement=True, **quotes
) -> dict:
    return {
        "stage_tests": {
            "tests": list(tests),
            "primary": primary,
            "adjust": "fdr_bh",
            "families": families,
            "alpha": 0.05,
        },
        "agreement": {
            "enabled": agreement,
            "kappa_target": 0.8,
            "alpha_reliable": 0.8,
            "alpha_tentative": 0.667,
            "ci_level": 0.95,
        },
        "quotes": {
            "min_chars": 40,
            "max_chars": 220,
            "report_per_theme": 1,
            "report_themes": [],
            **quotes,
        },
    }


def prevalence(
    shares: dict[str, list[float]],
    n_stage=(20, 20, 20),
    stages=STAGES,
    suppressed: dict | None = None,
) -> pd.DataFrame:
    """Theme rows (code all) overall and per stage, plus a code-level row that must be ignored."""
    rows = []
    total = sum(n_stage)
    for theme, per_stage in shares.items():
        n = sum(round(s * k) for s, k in zip(per_stage, n_stage, strict=False))
        rows.append(
            {
                "code": "all",
                "theme": theme,
                "stage": "all",
                "region": "all",
                "role": "all",
                "n_interviews": n,
                "n_interviews_total": total,
                "share": n / total,
                "suppressed": False,
            }
        )
        rows.append(
            {
                "code": "Cat > X",
                "theme": theme,
                "stage": "all",
                "region": "all",
                "role": "all",
                "n_interviews": 999,
                "n_interviews_total": 999,
                "share": 0.999,
                "suppressed": False,
            }
        )
        for stage, s, k in zip(stages, per_stage, n_stage, strict=False):
            hidden = bool((suppressed or {}).get((theme, stage)))
            rows.append(
                {
                    "code": "all",
                    "theme": theme,
                    "stage": stage,
                    "region": "all",
                    "role": "all",
                    "n_interviews": math.nan if hidden else round(s * k),
                    "n_interviews_total": math.nan if hidden else k,
                    "share": math.nan if hidden else s,
                    "suppressed": hidden,
                }
            )
    return pd.DataFrame(rows)


def stage_tests(rows) -> pd.DataFrame:
    """rows: (theme, test, effect_size, p_adjusted[, direction])."""
    out = []
    for row in rows:
        theme, test, es, p = row[:4]
        out.append(
            {
                "theme": theme,
                "test": test,
                "statistic": 4.0,
                "df": 1,
                "p_value": p,
                "p_adjusted": p,
                "effect_size": es,
                "effect_size_name": "r" if test == "cochran_armitage" else "v",
                "n_interviews": 60,
                "direction": row[4] if len(row) > 4 else "up",
                "significant": bool(p < 0.05) if not math.isnan(p) else False,
            }
        )
    return pd.DataFrame(out)


def agreement_table(codes, pooled=(0.85, 0.84)) -> pd.DataFrame:
    """codes: (code, theme, prevalence, kappa, pabak)."""
    rows = [
        {
            "code": c,
            "theme": t,
            "unit": "interview",
            "n_units": 12,
            "prevalence": prev,
            "pct_agreement": 0.9,
            "kappa": k,
            "kappa_ci_low": k - 0.2 if not math.isnan(k) else math.nan,
            "kappa_ci_high": 1.0 if not math.isnan(k) else math.nan,
            "pabak": pabak,
            "krippendorff_alpha": k,
            "alpha_ci_low": math.nan if math.isnan(k) else k - 0.3,
            "alpha_ci_high": math.nan if math.isnan(k) else 1.0,
            "kappa_flag": "meets_target",
            "alpha_flag": "reliable",
        }
        for c, t, prev, k, pabak in codes
    ]
    rows.append(
        {
            "code": "all",
            "theme": "all",
            "unit": "interview_x_code",
            "n_units": 48,
            "prevalence": 0.3,
            "pct_agreement": 0.9,
            "kappa": pooled[0],
            "kappa_ci_low": pooled[0] - 0.05,
            "kappa_ci_high": pooled[0] + 0.05,
            "pabak": 0.8,
            "krippendorff_alpha": pooled[1],
            "alpha_ci_low": pooled[1] - 0.05,
            "alpha_ci_high": pooled[1] + 0.05,
            "kappa_flag": "meets_target",
            "alpha_flag": "reliable",
        }
    )
    return pd.DataFrame(rows)


GOOD_AGREEMENT = [
    ("Cat > Alpha", "th_alpha", 0.4, 0.9, 0.9),
    ("Cat > Beta", "th_beta", 0.3, 0.85, 0.9),
    ("Cat > Gamma", "th_gamma", 0.5, 0.8, 0.8),
    ("Cat > Delta", "th_delta", 0.2, 0.95, 0.9),
]


def quotes_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "theme": "th_alpha",
                "quote": "Alpha said by a doctor in the north, long enough.",
                "role": "rl_doc",
                "region": "rg_north",
                "in_report": True,
                "attribution": "Lege, N",
            },
            {
                "theme": "th_alpha",
                "quote": "A second alpha quote that the report must not show.",
                "role": "rl_nurse",
                "region": "all",
                "in_report": False,
                "attribution": "x",
            },
            {
                "theme": "th_beta",
                "quote": "Beta quote from a nurse whose region is withheld.",
                "role": "rl_nurse",
                "region": "all",
                "in_report": True,
                "attribution": "x",
            },
            {
                "theme": "th_gamma",
                "quote": "Gamma quote with everything withheld | pipe.",
                "role": "all",
                "region": "all",
                "in_report": True,
                "attribution": "",
            },
        ]
    )


def cooccurrence(rows) -> pd.DataFrame:
    """rows: (a, b, n_both, n_either, jaccard, suppressed)."""
    return pd.DataFrame(
        [
            {
                "theme_a": a,
                "theme_b": b,
                "n_interviews": n,
                "n_either": e,
                "jaccard": j,
                "suppressed": s,
            }
            for a, b, n, e, j, s in rows
        ]
    )


def stakeholder_table() -> pd.DataFrame:
    rows = []
    for stage, n_total in [*zip(STAGES, (20, 20, 20), strict=False), ("all", 60)]:
        rows += [
            {
                "stakeholder": "grp_pat",
                "theme": "ef_quick",
                "kind": "benefit",
                "stage": stage,
                "n_interviews": 10,
                "n_interviews_total": n_total,
                "share": 10 / n_total,
                "suppressed": False,
            },
            {
                "stakeholder": "grp_pat",
                "theme": "ef_worse",
                "kind": "challenge",
                "stage": stage,
                "n_interviews": 6,
                "n_interviews_total": n_total,
                "share": 6 / n_total,
                "suppressed": False,
            },
            {
                "stakeholder": "grp_pat",
                "theme": "all",
                "kind": "all",
                "stage": stage,
                "n_interviews": 12,
                "n_interviews_total": n_total,
                "share": 12 / n_total,
                "suppressed": False,
            },
        ]
    return pd.DataFrame(rows)


SHARES = {
    "th_alpha": [0.1, 0.4, 0.8],
    "th_beta": [0.5, 0.5, 0.5],
    "th_gamma": [0.25, 0.875, 0.5],
    "th_delta": [0.9, 0.5, 0.2],
    "ef_quick": [0.1, 0.5, 0.9],
    "ef_worse": [0.3, 0.3, 0.3],
}
TESTS = [
    ("th_alpha", "cochran_armitage", 0.5, 0.001),
    ("th_alpha", "chi_square", 0.4, 0.002),
    ("th_beta", "cochran_armitage", math.nan, math.nan, "flat"),
    ("th_beta", "chi_square", math.nan, math.nan, "flat"),
    ("th_gamma", "cochran_armitage", 0.1, 0.4, "peak"),
    ("th_gamma", "fisher_freeman_halton", 0.5, 0.001, "peak"),
    ("th_delta", "cochran_armitage", -0.4, 0.01, "down"),
    ("th_delta", "chi_square", 0.3, 0.02, "down"),
    ("ef_quick", "cochran_armitage", 0.45, 0.001),
    ("ef_quick", "chi_square", 0.4, 0.001),
    ("ef_worse", "cochran_armitage", 0.0, 0.9, "flat"),
    ("ef_worse", "chi_square", 0.0, 0.9, "flat"),
]


def full_tables(**over) -> dict:
    tables = {
        "code_prevalence": prevalence(SHARES),
        "theme_stage_tests": stage_tests(TESTS),
        "intercoder_agreement": agreement_table(GOOD_AGREEMENT),
        "quotes": quotes_table(),
        "theme_cooccurrence": cooccurrence(
            [
                ("th_alpha", "th_beta", 10, 30, 0.33, False),
                ("th_alpha", "th_gamma", 12, 30, 0.40, False),
                ("th_beta", "th_gamma", 3, 4, 0.75, True),
            ]
        ),
        "stakeholder_benefits": stakeholder_table(),
    }
    tables.update(over)
    return {k: v for k, v in tables.items() if v is not None}


def ctx_for(
    language="nb",
    *,
    stakeholders=True,
    stages=STAGES,
    tables=None,
    prose=None,
    figures=(
        "theme_stage_heatmap",
        "theme_trajectories",
        "theme_cooccurrence",
        "intercoder_agreement",
        "stakeholder_benefits",
    ),
    values=None,
    **kw,
):
    return make_context(
        language=language,
        interviews=study(stages, stakeholders),
        interviews_analysis=analysis(**kw),
        tables=full_tables() if tables is None else tables,
        figures=figures,
        prose=prose,
        values=values,
    )


def T(text: str) -> str:
    """Text with non-breaking spaces (before %, after <) as plain spaces, for readable asserts."""
    return text.replace("\u00a0", " ")


def sentence(text: str, start: str) -> str:
    """The sentence of `text` that begins with `start` (numbers use commas or points inside)."""
    match = re.search(re.escape(start) + r".*?[.](?=\s|$)(?<!\d\.)", text, flags=re.S)
    assert match, f"no sentence starting {start!r} in:\n{text}"
    return match.group(0)


# --- rules ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "p, expected", [(0.049, True), (0.05, False), (0.051, False), (math.nan, False), (None, False)]
)
def test_passes_below_alpha_only(p, expected):
    assert iv.passes(p, 0.05) is expected


@pytest.mark.parametrize(
    "r, p, expected",
    [
        (0.3, 0.01, "up"),
        (-0.3, 0.01, "down"),
        (0.3, 0.05, None),
        (0.3, 0.2, None),
        (0.0, 0.01, None),
        (math.nan, 0.01, None),
        (0.3, math.nan, None),
    ],
)
def test_trend_direction_only_when_the_trend_test_passes(r, p, expected):
    assert iv.trend_direction(r, p, 0.05) == expected


@pytest.mark.parametrize(
    "shares, expected",
    [
        ([0.25, 0.875, 0.5], 1),  # 0.375 above the higher end > 0.25 between the ends
        ([0.25, 0.75, 0.5], None),  # 0.25 above = 0.25 between: not more, no peak
        ([0.1, 0.3, 0.5], None),  # monotone
        ([0.5, 0.25, 0.5], None),  # a trough is no peak
        ([0.2, 0.8], None),  # two stages have no interior stage
        ([0.25, math.nan, 0.5], None),  # a suppressed share cannot show a peak
        ([0.0, 0.5, 0.5, 0.0], 1),  # ties: the first interior maximum
    ],
)
def test_peak_index(shares, expected):
    assert iv.peak_index(shares) == expected


TREND_UP = {"effect_size": 0.4, "p_adjusted": 0.01}
TREND_NS = {"effect_size": 0.4, "p_adjusted": 0.30}
TREND_NA = {"effect_size": math.nan, "p_adjusted": math.nan}
CHI_SIG = {"effect_size": 0.4, "p_adjusted": 0.01}
CHI_NS = {"effect_size": 0.1, "p_adjusted": 0.30}


@pytest.mark.parametrize(
    "trend, chi, peak, expected",
    [
        (TREND_UP, CHI_SIG, True, "up"),  # a passing trend wins over a peak shape
        ({"effect_size": -0.4, "p_adjusted": 0.01}, CHI_NS, False, "down"),
        (TREND_NS, CHI_SIG, True, "peak"),
        (TREND_NS, CHI_SIG, False, "varies"),
        (TREND_NS, CHI_NS, True, "no_change"),
        (TREND_NA, {"effect_size": math.nan, "p_adjusted": math.nan}, False, "untested"),
        (None, CHI_SIG, True, "peak"),  # no trend test declared
        (None, CHI_NS, False, "no_change"),
        (TREND_UP, None, False, "up"),  # no chi-square declared
        (TREND_NS, None, True, "no_change"),  # no chi-square: no peak words
    ],
)
def test_classify(trend, chi, peak, expected):
    assert iv.classify(trend, chi, peak, 0.05) == expected


@pytest.mark.parametrize(
    "kappa, expected", [(0.8, True), (0.7999, False), (0.95, True), (math.nan, None)]
)
def test_meets_target_at_the_target(kappa, expected):
    assert iv.meets_target(kappa, 0.8) is expected


@pytest.mark.parametrize(
    "alpha, expected",
    [
        (0.8, "reliable"),
        (0.7999, "tentative"),
        (0.667, "tentative"),
        (0.6669, "unreliable"),
        (math.nan, None),
    ],
)
def test_alpha_verdict(alpha, expected):
    assert iv.alpha_verdict(alpha, 0.8, 0.667) == expected


# --- counts: one function, the same numbers in the results and the summary ---------------------
def test_k_of_n_counts_only_tested_themes_and_agrees_with_the_summary():
    ctx = ctx_for()
    counts = iv.change_counts(ctx)
    assert counts.tested == ["th_alpha", "th_gamma", "th_delta"]  # beta has no p: not tested
    assert counts.changed == ["th_alpha", "th_delta"]
    assert counts.by_kind["untested"] == ["th_beta"]
    text = iv.change_paragraph(ctx)
    assert "endret 2 av de 3 testede temaene" in text
    summary = " ".join(iv.key_findings(ctx))
    assert "2 av 3 testede temaer" in summary


def test_effects_are_counted_apart_from_themes():
    ctx = ctx_for()
    assert iv.change_counts(ctx, iv.EFFECTS).tested == ["ef_quick", "ef_worse"]
    assert "ef_quick" not in iv.change_counts(ctx).tested
    # Without a stakeholder block every theme is a theme.
    assert iv.process_themes(ctx_for(stakeholders=False)) == list(THEMES.values())


def test_chi_square_primary_counts_the_chi_square_but_direction_stays_with_the_trend():
    ctx = ctx_for(primary="chi_square")
    counts = iv.change_counts(ctx)
    assert counts.changed == ["th_alpha", "th_gamma", "th_delta"]
    text = iv.change_paragraph(ctx)
    assert "skilte 3 av de 3 testede temaene seg mellom fasene" in text
    assert "økte gjennom fasene for Alfatema" in text
    assert "Gammatema" not in sentence(text, "Andelen intervjuer som tok opp temaet, økte")


def test_no_direction_words_without_a_passing_trend_test():
    # Delta's trend p equals alpha: no "fell", although the descriptive shape says "down".
    tests = stage_tests(
        [
            ("th_delta", "cochran_armitage", -0.4, 0.05, "down"),
            ("th_delta", "chi_square", 0.1, 0.3, "down"),
        ]
    )
    ctx = ctx_for(tables=full_tables(theme_stage_tests=tests))
    text = iv.change_paragraph(ctx)
    assert "sank" not in text and "økte" not in text
    assert "Ingen tydelig endring gjennom fasene ble funnet for Deltatema" in text
    assert "ingen av de 1 testede" in text


def test_no_direction_words_when_no_trend_test_is_declared():
    rows = [r for r in TESTS if r[1] != "cochran_armitage"]
    ctx = ctx_for(
        tests=("chi_square",),
        primary="chi_square",
        tables=full_tables(theme_stage_tests=stage_tests(rows)),
    )
    text = iv.change_paragraph(ctx)
    assert "økte" not in text and "sank" not in text and "Størst" not in text
    assert "topp i én fase" in text
    table = iv.stage_tests_table(ctx)
    assert "Trend" not in table and "økende" not in table


def test_peak_names_the_highest_stage_and_uses_the_shares_when_the_shape_is_missing():
    text = iv.change_paragraph(ctx_for())
    assert "Gammatema (høyest i «Fase to»; V = 0,50, justert p = 0,001)" in text
    tests = stage_tests(TESTS).drop(columns=["direction"])
    text = iv.change_paragraph(ctx_for(tables=full_tables(theme_stage_tests=tests)))
    assert "Gammatema (høyest i «Fase to»" in text


def test_chi_square_difference_without_peak_is_not_called_a_peak():
    shares = dict(SHARES, th_gamma=[0.25, 0.75, 0.5])  # no peak by the shape rule
    tests = stage_tests(TESTS).drop(columns=["direction"])
    ctx = ctx_for(tables=full_tables(theme_stage_tests=tests, code_prevalence=prevalence(shares)))
    text = iv.change_paragraph(ctx)
    assert "For Gammatema (V = 0,50, justert p = 0,001) skilte andelen seg" in text
    assert "høyest i" not in text


def test_strongest_rise_with_shares_estimate_and_adjusted_p():
    tests = stage_tests(
        TESTS
        + [("th_beta", "cochran_armitage", 0.7, 0.0001), ("th_beta", "chi_square", 0.6, 0.0001)]
    )
    tests = tests[~((tests["theme"] == "th_beta") & tests["p_adjusted"].isna())]
    ctx = ctx_for(tables=full_tables(theme_stage_tests=tests))
    text = T(iv.change_paragraph(ctx))
    rise = sentence(text, "Størst økning")
    assert rise.startswith(
        "Størst økning hadde Betatema: fra 50 % av intervjuene i fasen "
        "«Fase én» til 50 % i fasen «Fase tre» (r = 0,70, justert p < 0,001)"
    )
    # A single falling theme is named with its numbers once, not again as "the largest fall".
    assert "Størst nedgang" not in text
    assert "sank gjennom fasene for Deltatema (r = −0,40, justert p = 0,010)" in text


def test_strongest_rise_without_shares_when_a_stage_is_suppressed():
    tests = stage_tests(TESTS + [("ef_x", "cochran_armitage", 0.1, 0.5)])
    tests = pd.concat([tests, stage_tests([("th_beta", "cochran_armitage", 0.2, 0.01)])])
    tests = tests[~tests["p_adjusted"].isna()]
    prev = prevalence(SHARES, suppressed={("th_alpha", "st_one"): True})
    ctx = ctx_for(tables=full_tables(theme_stage_tests=tests, code_prevalence=prev))
    rise = sentence(T(iv.change_paragraph(ctx)), "Størst økning")
    assert rise.startswith("Størst økning hadde Alfatema (r = 0,50, justert p = 0,001)")


@pytest.mark.parametrize("kappa, caveat", [(0.79, True), (0.8, False)])
def test_kappa_caveat_in_the_same_sentence_on_both_sides_of_the_target(kappa, caveat):
    codes = [("Cat > Alpha", "th_alpha", 0.4, kappa, 0.7), *GOOD_AGREEMENT[1:]]
    tests = stage_tests(TESTS + [("th_beta", "cochran_armitage", 0.2, 0.01)])
    tests = tests[~tests["p_adjusted"].isna()]
    ctx = ctx_for(
        tables=full_tables(intercoder_agreement=agreement_table(codes), theme_stage_tests=tests)
    )
    text = T(iv.change_paragraph(ctx))
    rise = sentence(text, "Størst økning")
    listed = sentence(text, "Andelen intervjuer som tok opp temaet, økte")
    summary = T(next(s for s in iv.key_findings(ctx) if s.startswith("Størst økning")))
    if caveat:
        assert (
            "samsvaret mellom koderne var under målet (κ = 0,79 for «Alfatema»; mål κ ≥ 0,80)"
        ) in rise
        assert (
            "Alfatema (r = 0,50, justert p = 0,001; κ = 0,79, under samsvarsmålet 0,80)"
        ) in listed
        assert "under målet" in summary
    else:
        assert "under" not in rise and "κ" not in listed and "κ" not in summary


def test_caveat_names_the_code_when_a_theme_has_several_codes():
    interviews = study()
    interviews["themes"]["Cat > Alpha two"] = "th_alpha"
    codes = [*GOOD_AGREEMENT, ("Cat > Alpha two", "th_alpha", 0.3, 0.5, 0.6)]
    ctx = make_context(
        interviews=interviews,
        interviews_analysis=analysis(),
        tables=full_tables(intercoder_agreement=agreement_table(codes)),
    )
    assert iv.theme_caveat(ctx, "th_alpha") == ("Alfatema: Alpha two", 0.5)
    assert "κ = 0,50 for «Alfatema: Alpha two»" in iv.theme_ref(ctx, "th_alpha")


def test_two_stages_only():
    stages = STAGES[:2]
    shares = {t: s[:2] for t, s in SHARES.items()}
    tests = stage_tests(
        [
            ("th_alpha", "cochran_armitage", 0.5, 0.001),
            ("th_alpha", "chi_square", 0.5, 0.001, "up"),
            ("th_gamma", "cochran_armitage", 0.1, 0.4, "peak"),
            ("th_gamma", "chi_square", 0.2, 0.01, "peak"),
        ]
    )
    ctx = ctx_for(
        stages=stages,
        tables=full_tables(
            code_prevalence=prevalence(shares, n_stage=(20, 20), stages=stages),
            theme_stage_tests=tests,
        ),
    )
    text = iv.change_paragraph(ctx)
    assert "1 av de 2 testede temaene" in text
    assert "høyest i" not in text and "fant en slik topp" not in text  # no interior stage
    assert "For Gammatema (V = 0,20, justert p = 0,010) skilte andelen seg" in text
    assert "Antall intervjuer per fase: Fase én (20) og Fase to (20)." in iv.counts_paragraph(ctx)


def test_one_stage_says_change_is_not_tested():
    ctx = ctx_for(
        stages=STAGES[:1],
        tables=full_tables(
            code_prevalence=prevalence(
                {t: s[:1] for t, s in SHARES.items()}, n_stage=(20,), stages=STAGES[:1]
            )
        ),
    )
    assert iv.change_paragraph(ctx) == (
        "Studien har bare én fase, så endring gjennom fasene er ikke testet."
    )
    assert iv.stage_tests_table(ctx) == ""
    assert not any("testede" in s for s in iv.key_findings(ctx))


def test_all_themes_family_is_named_with_its_size():
    text = iv.change_paragraph(ctx_for(families="all_themes"))
    assert "Benjamini–Hochberg-justert over alle 5 testede temaer og aktøreffekter" in text
    text = iv.change_paragraph(ctx_for(families="all_themes", stakeholders=False))
    assert "Benjamini–Hochberg-justert over temaene" in text


# --- interviews per stage and prevalence ---------------------------------------------------------
def test_stage_counts_from_informants_then_prevalence_then_a_sentence():
    informants = pd.DataFrame(
        [
            {
                "variable": "stage",
                "level": "all",
                "by": "all",
                "by_level": "all",
                "n": 61,
                "n_double_coded": 12,
                "share": 1.0,
                "suppressed": False,
            },
            {
                "variable": "stage",
                "level": "st_two",
                "by": "all",
                "by_level": "all",
                "n": 30,
                "n_double_coded": 6,
                "share": 0.5,
                "suppressed": False,
            },
            {
                "variable": "stage",
                "level": "st_one",
                "by": "all",
                "by_level": "all",
                "n": 27,
                "n_double_coded": 6,
                "share": 0.45,
                "suppressed": False,
            },
            {
                "variable": "stage",
                "level": "st_three",
                "by": "all",
                "by_level": "all",
                "n": math.nan,
                "n_double_coded": math.nan,
                "share": math.nan,
                "suppressed": True,
            },
        ]
    )
    ctx = ctx_for(tables=full_tables(interview_informants=informants))
    text = T(iv.counts_paragraph(ctx))
    assert "Fase én (27), Fase to (30) og Fase tre (< 5)" in text
    assert "@tbl-interview-informants" in text
    assert iv.total_interviews(ctx) == 61
    text = iv.counts_paragraph(ctx_for())
    assert "Fase én (20), Fase to (20) og Fase tre (20)" in text
    assert "@tbl-interview-informants" not in text
    tables = full_tables()
    del tables["code_prevalence"]
    assert "finnes ikke blant resultatene" in iv.counts_paragraph(ctx_for(tables=tables))


def test_prevalence_counts_interviews_not_segments_and_ignores_code_rows():
    prev = iv.theme_prevalence(ctx_for())
    assert prev.loc["th_alpha", "n"] == 26
    assert prev.loc["th_alpha", "share"] == pytest.approx(26 / 60)
    text = T(iv.prevalence_paragraph(ctx_for()))
    assert (
        "Av de 4 temaene ble Gammatema (55 %), Deltatema (53 %) og Betatema (50 %) nevnt i "
        "flest intervjuer" in text
    )
    assert "Færrest intervjuer nevnte Alfatema (43 %)." in text


def test_prevalence_table_marks_suppressed_stage_cells():
    prev = prevalence(SHARES, suppressed={("th_alpha", "st_one"): True})
    table = T(iv.prevalence_table(ctx_for(tables=full_tables(code_prevalence=prev))))
    assert "| Alfatema | 26 | 43 % | † | 40 % | 80 % |" in table
    assert "Skjult etter småcelleregelen" in table


# --- quotes ------------------------------------------------------------------------------------
def test_quotes_follow_report_themes_per_theme_and_attribution():
    ctx = ctx_for(report_themes=["th_beta", "th_alpha", "th_gamma"])
    block = iv.quotes_block(ctx)
    rows = [line for line in block.splitlines() if line.startswith("| ") and "«" in line]
    assert [r.split(" | ")[0] for r in rows] == ["| Betatema", "| Alfatema", "| Gammatema"]
    assert "Lege, Nordregionen" in rows[1]
    assert rows[0].endswith("| Sykepleier |")
    assert rows[2].endswith("| ikke oppgitt (små grupper) |")
    assert "\\| pipe" in rows[2]  # free text cannot break the table
    assert "second alpha quote" not in block
    assert "3 av de 4 sitatene" in block
    assert "de korteste segmentene på 40–220 tegn" in block


def test_quotes_default_to_every_theme_and_recorded_rule():
    ctx = ctx_for(values={"interviews": {"quote_rule": "typical"}})
    block = iv.quotes_block(ctx)
    assert "ligner mest på temaets øvrige segmenter" in block
    assert "korteste" not in block
    assert block.count("«") >= 3


def test_quotes_absent_or_empty():
    tables = full_tables()
    del tables["quotes"]
    assert "Sitatbanken finnes ikke" in iv.quotes_block(ctx_for(tables=tables))
    ctx = ctx_for(report_themes=["th_delta"])
    assert "ingen sitater for temaene" in iv.quotes_block(ctx)


@pytest.mark.parametrize(
    "role, region, expected",
    [
        ("rl_doc", "rg_south", "Doctor, South region"),
        ("rl_doc", "all", "Doctor"),
        ("all", "all", "withheld (small groups)"),
        (math.nan, math.nan, "withheld (small groups)"),
    ],
)
def test_attribution(role, region, expected):
    assert iv.attribution(ctx_for("en"), role, region) == expected


# --- co-occurrence -------------------------------------------------------------------------------
def test_top_pair_highest_jaccard_among_unsuppressed_pairs_ties_by_count():
    ctx = ctx_for()
    assert (iv.top_pair(ctx)["theme_a"], iv.top_pair(ctx)["theme_b"]) == ("th_alpha", "th_gamma")
    tied = cooccurrence(
        [("th_alpha", "th_beta", 10, 25, 0.4, False), ("th_alpha", "th_gamma", 12, 30, 0.4, False)]
    )
    pair = iv.top_pair(ctx_for(tables=full_tables(theme_cooccurrence=tied)))
    assert pair["theme_b"] == "th_gamma"
    text = iv.cooccurrence_paragraph(ctx)
    assert text.startswith(
        "Alfatema og Gammatema ble oftest tatt opp i samme intervju: begge i "
        "12 av de 30 intervjuene"
    )
    assert "(Jaccard-indeks 0,40; @fig-theme-cooccurrence)." in text


def test_no_cooccurrence_block_without_pairs():
    only_suppressed = cooccurrence([("th_alpha", "th_beta", math.nan, 3, math.nan, True)])
    ctx = ctx_for(tables=full_tables(theme_cooccurrence=only_suppressed))
    assert iv.top_pair(ctx) is None
    assert "sec-interviews-cooccurrence" not in iv.build(ctx)


# --- stakeholders --------------------------------------------------------------------------------
def test_stakeholder_block_only_with_a_stakeholder_block():
    with_block = T(iv.build(ctx_for()))
    assert "sec-interviews-stakeholders" in with_block
    assert "Pasienter 20 %" in with_block
    assert "Utfordringer som ble tatt opp: Mer arbeid (Pasienter: 10 %)." in with_block
    without = iv.build(ctx_for(stakeholders=False))
    assert "sec-interviews-stakeholders" not in without
    assert "aktør" not in without.lower()


def test_stakeholder_effects_have_their_own_count():
    block = iv.stakeholder_block(ctx_for())
    assert "1 av de 2 testede aktøreffektene" in block
    assert "@tbl-effect-stage-tests" in block


# --- agreement -----------------------------------------------------------------------------------
def test_agreement_counts_only_used_codes_with_a_defined_kappa():
    codes = [
        ("Cat > Alpha", "th_alpha", 0.4, 0.8, 0.8),  # exactly at the target: meets it
        ("Cat > Beta", "th_beta", 0.3, 0.79, 0.85),  # just below
        ("Cat > Gamma", "th_gamma", 0.0, math.nan, 1.0),  # never applied: not counted
        ("Cat > Delta", "th_delta", 1.0, math.nan, 1.0),
    ]  # always applied: κ undefined
    ctx = ctx_for(tables=full_tables(intercoder_agreement=agreement_table(codes)))
    agr = iv.agreement(ctx)
    assert (len(agr.meeting), len(agr.assessable), len(agr.used)) == (1, 2, 3)
    block = T(iv.agreement_block(ctx))
    assert (
        "1 av de 2 kodene som ble brukt i de dobbeltkodede intervjuene, nådde målet κ ≥ 0,80"
    ) in block
    assert "«Betatema» (κ = 0,79, PABAK 0,85, prevalens 30 %)" in block
    assert "ingen av koderne brukte" in block and "(1), er ikke regnet med" in block
    assert "κ ikke er definert" in block
    assert "| Gammatema | 12 | 0 % | 90 % | – | 1,00 | – | ikke brukt |" in block
    assert "1 av 2 brukte koder" in " ".join(iv.key_findings(ctx))
    assert any("for 1 av 2 brukte koder" in s for s in iv.limitations(ctx))


@pytest.mark.parametrize(
    "alpha, words",
    [
        (0.8, "på eller over grensen 0,80 for pålitelige"),
        (0.7, "mellom grensene for foreløpige (0,667) og pålitelige (0,80)"),
        (0.6, "under grensen 0,667 for foreløpige"),
    ],
)
def test_pooled_agreement_with_intervals_and_verdict(alpha, words):
    ctx = ctx_for(
        tables=full_tables(
            intercoder_agreement=agreement_table(GOOD_AGREEMENT, pooled=(0.85, alpha))
        )
    )
    text = T(iv.agreement_paragraph(ctx, iv.agreement(ctx)))
    assert "Cohens κ 0,85 (95 %-konfidensintervall [0,80; 0,90])" in text
    assert words in text
    assert "Alle kodene som kunne vurderes, nådde målet." in text


def test_agreement_disabled_says_so_with_the_study_prose():
    tables = full_tables(intercoder_agreement=None)
    tables.pop("intercoder_agreement", None)
    ctx = ctx_for(
        agreement=False,
        tables=tables,
        prose={"agreement_not_assessed": "We used reflexive thematic analysis."},
    )
    block = iv.agreement_block(ctx)
    assert "ble ikke vurdert i denne studien" in block
    assert "We used reflexive thematic analysis." in block
    assert "κ" not in block
    assert iv.limitations(ctx) == [
        "Samsvar mellom kodere ble ikke målt, så kodingen er ikke kontrollert med samsvarsmål."
    ]
    box = iv.agreement_block(ctx_for(agreement=False, tables=tables))
    assert "to-be-written" in box and "agreement_not_assessed.nb.md`" in box


def test_agreement_disabled_means_no_caveats_even_if_a_table_exists():
    codes = [("Cat > Alpha", "th_alpha", 0.4, 0.2, 0.3), *GOOD_AGREEMENT[1:]]
    ctx = ctx_for(agreement=False, tables=full_tables(intercoder_agreement=agreement_table(codes)))
    assert iv.theme_caveat(ctx, "th_alpha") is None
    assert "κ" not in iv.change_paragraph(ctx)


def test_agreement_enabled_but_missing():
    tables = full_tables()
    del tables["intercoder_agreement"]
    assert "resultattabellen mangler eller er tom" in iv.agreement_block(ctx_for(tables=tables))


# --- the whole section ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("variant", ["full", "minimal", "chi_only", "no_agreement", "two_stages"])
def test_section_renders_in_both_languages_without_raw_ids(language, variant):
    kw: dict = {}
    tables = full_tables()
    if variant == "minimal":
        kw = {"stakeholders": False}
        tables = {"code_prevalence": prevalence(SHARES)}
    elif variant == "chi_only":
        kw = {"tests": ("chi_square",), "primary": "chi_square"}
    elif variant == "no_agreement":
        kw = {"agreement": False}
        tables.pop("intercoder_agreement")
    elif variant == "two_stages":
        kw = {"stages": STAGES[:2]}
        tables["code_prevalence"] = prevalence(
            {t: s[:2] for t, s in SHARES.items()}, n_stage=(20, 20), stages=STAGES[:2]
        )
    ctx = ctx_for(language, tables=tables, **kw)
    text = iv.build(ctx)
    assert text.strip()
    assert_clean(text, ids=IDS)
    if language == "nb":
        assert not re.search(r"\b(up|down|peak|varies|flat)\b", text)
    for sentence_ in iv.key_findings(ctx) + iv.limitations(ctx):
        assert_clean(sentence_, ids=IDS)


def test_no_interviews_no_section():
    ctx = make_context()
    assert iv.build(ctx) == "" and iv.key_findings(ctx) == [] and iv.limitations(ctx) == []


def test_figures_only_when_drawn():
    text = iv.build(ctx_for(figures=()))
    assert "![" not in text and "@fig-" not in text
    text = iv.build(ctx_for())
    for name in (
        "theme-stage-heatmap",
        "theme-trajectories",
        "theme-cooccurrence",
        "intercoder-agreement",
        "stakeholder-benefits",
    ):
        assert f"{{#fig-{name} " in text


def test_unmapped_theme_has_a_label():
    ctx = ctx_for("en")
    assert iv.theme_label(ctx, "unmapped") == "Codes outside the code system"
