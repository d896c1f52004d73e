"""The integration section (impleval.report.sections.integration): the joint display from the
study's mapping, its key numbers by the strands' own rules, absent strands and mappings, config
errors, and no raw id or NaN in either language."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from impleval.errors import InputError
from impleval.report.sections import integration as ig
from tests.unit.report_fixtures import assert_clean, make_context
from tests.unit.test_report_interviews import (
    GOOD_AGREEMENT,
    SHARES,
    TESTS,
    agreement_table,
    prevalence,
    stage_tests,
)
from tests.unit.test_report_interviews import analysis as interview_analysis
from tests.unit.test_report_interviews import study as interview_study

SURVEY_ANALYSIS = {
    "scales": {
        "sc_trust": {"items": ["T1", "T2"], "label": {"nb": "Tillit", "en": "Trust"}},
        "sc_mixed": {"items": ["T1", "G1"], "label": {"nb": "Blandet", "en": "Mixed"}},
    },
    "group_vars": [{"name": "region", "reference": "rg_north", "levels": ["rg_north", "rg_south"]}],
    "alpha": 0.05,
    "agreement": {
        "default": {"agree_min": 4, "disagree_max": 2, "min": 1, "max": 5},
        "overrides": [{"items": ["G1"], "agree_min": 7, "disagree_max": 3, "min": 0, "max": 10}],
    },
}
MONITORING = {
    "outcomes": {
        "oc_wait": {
            "model": "ols_hac",
            "label": {"nb": "Ventetid", "en": "Waiting time"},
            "unit": {"nb": "minutter", "en": "minutes"},
        },
        "oc_count": {
            "model": "quasi_poisson",
            "label": {"nb": "Antall", "en": "Count"},
            "unit": {"nb": "log rateratio", "en": "log rate ratio"},
        },
    }
}
MAPPING = [
    {"scale": "sc_trust", "themes": ["th_alpha", "th_beta"], "outcomes": ["oc_wait"]},
    {
        "label": {"nb": "Arbeidsmengde", "en": "Workload"},
        "themes": ["th_delta"],
        "outcomes": ["oc_count"],
    },
]
IDS = [
    "sc_trust",
    "sc_mixed",
    "oc_wait",
    "oc_count",
    "th_alpha",
    "th_beta",
    "th_delta",
    "rg_north",
    "rg_south",
    "si_one",
]


def summary(mean=3.456, p_adjusted=0.01) -> dict:
    groups = pd.DataFrame(
        [
            {
                "outcome": "sc_trust",
                "outcome_type": "scale",
                "group_var": "region",
                "group": "all",
                "n": 200,
                "mean": mean,
                "sd": 0.8123,
            },
            {
                "outcome": "sc_trust",
                "outcome_type": "scale",
                "group_var": "region",
                "group": "rg_north",
                "n": 100,
                "mean": 3.9,
                "sd": 0.7,
            },
            {
                "outcome": "sc_mixed",
                "outcome_type": "scale",
                "group_var": "region",
                "group": "all",
                "n": 190,
                "mean": 5.0,
                "sd": 1.0,
            },
        ]
    )
    omnibus = pd.DataFrame(
        [
            {
                "outcome": "sc_trust",
                "outcome_type": "scale",
                "group_var": "region",
                "p_adjusted": p_adjusted,
            },
            {
                "outcome": "sc_mixed",
                "outcome_type": "scale",
                "group_var": "region",
                "p_adjusted": 0.5,
            },
        ]
    )
    return {"survey_group_summary": groups, "survey_omnibus": omnibus}


def estimates(pooled: bool = True) -> pd.DataFrame:
    rows = [
        {
            "site": "si_one",
            "outcome": "oc_wait",
            "parameter": "level_change",
            "estimate": -5.26,
            "ci_low": -7.0,
            "ci_high": -3.5,
            "p_value": 0.0001,
            "scale": "difference",
        },
        {
            "site": "si_one",
            "outcome": "oc_wait",
            "parameter": "slope_change",
            "estimate": -0.1,
            "ci_low": -0.2,
            "ci_high": 0.0,
            "p_value": 0.04,
            "scale": "difference",
        },
        {
            "site": "si_one",
            "outcome": "oc_count",
            "parameter": "level_change",
            "estimate": -0.05,
            "ci_low": -0.1,
            "ci_high": 0.0,
            "p_value": 0.06,
            "scale": "log_rate_ratio",
        },
    ]
    if pooled:
        rows += [
            {
                "site": "pooled",
                "outcome": "oc_wait",
                "parameter": "level_change",
                "estimate": -6.44,
                "ci_low": -7.27,
                "ci_high": -5.56,
                "p_value": 1e-9,
                "scale": "difference",
            },
            {
                "site": "pooled",
                "outcome": "oc_count",
                "parameter": "level_change",
                "estimate": math.log(0.9),
                "ci_low": math.log(0.8),
                "ci_high": math.log(1.02),
                "p_value": 0.2,
                "scale": "log_rate_ratio",
            },
            {
                "site": "si_two",
                "outcome": "oc_wait",
                "parameter": "level_change",
                "estimate": -7.0,
                "ci_low": -8.0,
                "ci_high": -6.0,
                "p_value": 0.001,
                "scale": "difference",
            },
        ]
    return pd.DataFrame(rows)


def tables(**over) -> dict:
    out = {
        "code_prevalence": prevalence(SHARES),
        "theme_stage_tests": stage_tests(TESTS),
        "intercoder_agreement": agreement_table(GOOD_AGREEMENT),
        "its_estimates": estimates(),
        **summary(),
    }
    out.update(over)
    return out


def ctx_for(
    language="nb",
    *,
    mapping=MAPPING,
    survey=True,
    interviews=True,
    monitoring=True,
    prose=None,
    **table_over,
):
    return make_context(
        language=language,
        report={"integration": mapping} if mapping is not None else {},
        survey={} if survey else None,
        survey_analysis=SURVEY_ANALYSIS if survey else None,
        interviews=interview_study() if interviews else None,
        interviews_analysis=interview_analysis() if interviews else None,
        monitoring=MONITORING if monitoring else None,
        tables=tables(**table_over),
        prose=prose,
    )


def T(text: str) -> str:
    return text.replace("\u00a0", " ")


# --- the mapping --------------------------------------------------------------------------------
def test_mapping_is_read_and_single_values_become_lists():
    rows = ig.mapping(ctx_for(mapping=[{"scale": "sc_trust", "themes": "th_alpha"}]))
    assert rows == [{"scale": "sc_trust", "themes": ["th_alpha"], "outcomes": [], "label": None}]


@pytest.mark.parametrize(
    "mapping, where",
    [
        ([{"scale": "sc_trust", "themes": ["th_nope"]}], "integration[0].themes"),
        ([{"scale": "sc_nope", "themes": ["th_alpha"]}], "integration[0].scale"),
        ([{"scale": "sc_trust", "outcomes": ["oc_nope"]}], "integration[0].outcomes"),
        ([{"scale": "sc_trust", "themes": ["th_alpha"]}, {"scale": "sc_trust"}], "integration[1]"),
        ([{"themes": ["th_alpha"], "outcomes": ["oc_wait"]}], "integration[0].label"),
        (
            [{"scale": "sc_trust", "themes": ["th_alpha"], "outcomes": ["oc_wait"]}, "no survey"],
            "integration[0].label",
        ),
        ([{"scale": "sc_trust", "themes": ["th_alpha"], "colour": "red"}], "integration[0].colour"),
        ({"scale": "sc_trust"}, "integration"),
        (["sc_trust"], "integration[0]"),
    ],
)
def test_mapping_errors_name_the_entry(mapping, where):
    survey = True
    if isinstance(mapping, list) and mapping and mapping[-1] == "no survey":
        mapping, survey = mapping[:-1], False
    with pytest.raises(InputError) as err:
        ig.mapping(ctx_for(mapping=mapping, survey=survey))
    assert f"column '{where}'" in str(err.value)


def test_ids_of_a_strand_not_collected_are_not_checked_but_left_out_with_a_sentence():
    mapping = [{"scale": "sc_trust", "themes": ["th_alpha"], "outcomes": ["oc_not_collected"]}]
    ctx = ctx_for(mapping=mapping, monitoring=False)
    text = ig.build(ctx)
    assert "Koblingen nevner også overvåkingsutfall, men studien har ikke samlet inn" in text
    assert "Overvåkingen" not in text
    assert "| Tillit |" in text


def test_no_mapping_says_so_and_shows_the_prose():
    for mapping in (None, []):
        text = ig.build(ctx_for(mapping=mapping, prose={"meta_inferences": "Our synthesis."}))
        assert "Studien har ikke angitt hvilke intervjutemaer" in text
        assert "Our synthesis." in text and "tbl-joint-display" not in text
    box = ig.build(ctx_for(mapping=None))
    assert "to-be-written" in box and "meta_inferences.nb.md`" in box


def test_a_mapping_left_with_one_strand_is_no_display():
    mapping = [{"scale": "sc_trust", "outcomes": ["oc_wait"]}]
    text = ig.build(ctx_for(mapping=mapping, monitoring=False))
    assert "Studien har ikke angitt" in text and "tbl-joint-display" not in text


def test_single_strand_study_has_no_integration_section():
    assert ig.build(ctx_for(interviews=False, monitoring=False)) == ""


# --- key numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "p, words",
    [
        (0.049, "skiller seg mellom helseregionene (justert p = 0,049)"),
        (0.05, "ingen tydelig forskjell mellom helseregionene (justert p = 0,050)"),
    ],
)
def test_scale_differs_only_below_alpha(p, words):
    cell = ig.scale_cell(ctx_for(**summary(p_adjusted=p)), "sc_trust")
    assert cell == f"gjennomsnitt 3,46 på skalaen 1–5 (SD 0,81; n = 200); {words}"


def test_scale_range_only_when_the_items_share_one():
    ctx = ctx_for()
    assert ig.scale_range(ctx, "sc_trust") == (1, 5)
    assert ig.scale_range(ctx, "sc_mixed") is None
    assert ig.scale_cell(ctx, "sc_mixed").startswith("gjennomsnitt 5,00 (SD 1,00; n = 190)")


def test_scale_without_results():
    ctx = ctx_for(
        survey_group_summary=pd.DataFrame(
            columns=["outcome", "outcome_type", "group_var", "group", "n", "mean", "sd"]
        )
    )
    assert ig.scale_cell(ctx, "sc_trust") == "ikke i resultatene"


def test_theme_cell_uses_the_interview_rules_and_caveat():
    ctx = ctx_for()
    assert T(ig.theme_cell(ctx, "th_alpha")) == (
        "Alfatema (43 % av intervjuene; økende, r = 0,50, justert p = 0,001)"
    )
    assert T(ig.theme_cell(ctx, "th_beta")) == "Betatema (50 % av intervjuene; ikke testet)"
    codes = [("Cat > Alpha", "th_alpha", 0.4, 0.5, 0.6), *GOOD_AGREEMENT[1:]]
    ctx = ctx_for(intercoder_agreement=agreement_table(codes))
    assert T(ig.theme_cell(ctx, "th_alpha")).endswith("; κ = 0,50, under samsvarsmålet 0,80)")


def test_outcome_pooled_level_change_one_decimal_with_unit():
    cell = T(ig.outcome_cell(ctx_for(), "oc_wait"))
    assert cell == (
        "Ventetid: nivåendring ved oppstart −6,4 minutter [−7,3; −5,6] "
        "(samlet for alle steder, p < 0,001)"
    )


def test_count_outcome_as_rate_ratio():
    cell = T(ig.outcome_cell(ctx_for(), "oc_count"))
    assert cell == (
        "Antall: nivåendring ved oppstart som rateratio 0,90 [0,80; 1,02] "
        "(samlet for alle steder, p = 0,200)"
    )


def test_outcome_of_a_single_site_without_pooled_model_and_missing_outcome():
    ctx = ctx_for(its_estimates=estimates(pooled=False))
    assert "(Sted én, p < 0,001)" in T(ig.outcome_cell(ctx, "oc_wait"))
    est = estimates()
    est = est[est["outcome"] != "oc_count"]
    assert ig.outcome_cell(ctx_for(its_estimates=est), "oc_count") == "Antall: ikke i resultatene"
    several = estimates().query("site != 'pooled'")
    assert "ikke i resultatene" in ig.outcome_cell(ctx_for(its_estimates=several), "oc_wait")


# --- the display ----------------------------------------------------------------------------------
def test_joint_display_rows_columns_and_download():
    text = T(ig.build(ctx_for()))
    assert "| Konstrukt | Spørreundersøkelsen | Intervjuene | Overvåkingen |" in text
    trust = next(line for line in text.splitlines() if line.startswith("| Tillit |"))
    assert "Alfatema (43 % av intervjuene; økende" in trust
    assert "<br>Betatema (50 % av intervjuene; ikke testet)" in trust
    assert "Ventetid: nivåendring ved oppstart −6,4 minutter" in trust
    workload = next(line for line in text.splitlines() if line.startswith("| Arbeidsmengde |"))
    assert workload.startswith("| Arbeidsmengde | – | Deltatema")
    assert "[@guetterman2015]" in text and "@tbl-joint-display" in text
    assert 'download="joint_display.csv"' in text
    assert "{#sec-integration-meta}" in text


def test_display_csv_holds_the_numbers():
    ctx = ctx_for()
    raw = ig.raw_rows(ctx, ig.mapping(ctx), ig.shown_strands(ctx, ig.mapping(ctx)))
    assert list(raw["strand"]) == [
        "survey",
        "interviews",
        "interviews",
        "monitoring",
        "interviews",
        "monitoring",
    ]
    assert raw.loc[0, "value"] == pytest.approx(3.456)
    assert raw.loc[3, "value"] == pytest.approx(-6.44)


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("variant", ["all", "no_monitoring", "no_survey", "none"])
def test_section_renders_in_both_languages_without_raw_ids(language, variant):
    labelled = [dict(row, label={"nb": "Rad", "en": "Row"}) for row in MAPPING]
    kw = {
        "all": {},
        "no_monitoring": {"monitoring": False},
        "no_survey": {"survey": False, "mapping": labelled},
        "none": {"mapping": None},
    }[variant]
    text = ig.build(ctx_for(language, **kw))
    assert text.strip()
    assert_clean(text, ids=IDS)


@pytest.mark.parametrize("name", ["interviews", "integration"])
def test_phrase_files_have_both_languages_with_the_same_placeholders(name):
    import string
    from pathlib import Path

    import yaml

    book = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "report" / "phrases" / f"{name}.yml").read_text(
            encoding="utf-8"
        )
    )
    for key, entry in book.items():
        assert set(entry) == {"nb", "en"}, key
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f}
            for lang in ("nb", "en")
        ]
        assert fields[0] == fields[1], key


def test_free_text_in_labels_cannot_break_the_display():
    mapping = [
        {
            "label": {"nb": "A | B *C*", "en": "A | B"},
            "themes": ["th_alpha"],
            "outcomes": ["oc_wait"],
        }
    ]
    ctx = ctx_for(mapping=mapping)
    ctx.study.monitoring = {
        "outcomes": {
            "oc_wait": dict(
                MONITORING["outcomes"]["oc_wait"], label={"nb": "Vent | tid", "en": "W"}
            )
        }
    }
    line = next(x for x in ig.build(ctx).splitlines() if x.startswith("| A"))
    assert line.startswith("| A \\| B \\*C\\* | ")
    assert "Vent \\| tid" in line
    assert line.count(" | ") == 2  # three cells: construct, interviews, monitoring
