"""The survey results and participants sections on a small made-up study (other ids, the primary
comparison by trust, no adjusted model), in both languages."""

import pandas as pd
import pytest

from impleval.report.sections import participants, survey
from tests.unit.report_fixtures import assert_clean, make_context

SURVEY = {
    "intervention": {"nb": "Verktøyet", "en": "The tool"},
    "questions": [
        {
            "id": "rolle",
            "type": "RADIO",
            "use": "group",
            "text": {"nb": "Rolle", "en": "Role"},
            "options": [
                {"code": "lege", "label": {"nb": "Lege", "en": "Physician"}},
                {"code": "spl", "label": {"nb": "Sykepleier", "en": "Nurse"}},
            ],
        },
        {
            "id": "Q",
            "type": "MATRIX_RADIO",
            "use": "item",
            "text": {"nb": "Blokk", "en": "Block"},
            "rows": [
                {"id": "Q1", "label": {"nb": "Spørsmål én", "en": "Item one"}},
                {"id": "Q2", "label": {"nb": "Spørsmål to", "en": "Item two"}},
            ],
        },
    ],
    "groups": {"role": "rolle"},
    "cleaning": {"steps": ["duplicates"], "min_items_share": 0.5, "min_answer_time_s": 60},
}
ANALYSIS = {
    "scales": {
        "sc_a": {"items": ["Q1", "Q2"], "label": {"nb": "Skala A", "en": "Scale A"}},
        "sc_b": {"items": ["Q1"], "label": {"nb": "Skala B", "en": "Scale B"}},
    },
    "item_groups": {"sc_a": ["Q1", "Q2"]},
    "group_vars": [
        {"name": "trust", "reference": "tr_one", "pairwise": True},
        {"name": "role", "reference": "lege", "pairwise": True},
    ],
    "alpha": 0.05,
    "ci_level": 0.95,
    "multiplicity": {"scale_omnibus": {"method": "holm", "within": ["group_var"]}},
}
ORG = {
    "regions": [{"id": "rg_n", "label": {"nb": "Nord", "en": "North"}}],
    "trusts": [
        {"id": "tr_one", "region": "rg_n", "label": "Foretak én"},
        {"id": "tr_two", "region": "rg_n", "label": "Foretak to"},
    ],
    "sites": [],
}
IDS = ["sc_a", "sc_b", "tr_one", "tr_two", "rg_n", "lege", "spl", "Q1", "Q2"]


def omnibus(p_a=0.001, p_b=0.4):
    rows = []
    for scale, p in (("sc_a", p_a), ("sc_b", p_b)):
        rows.append(
            {
                "outcome": scale,
                "outcome_type": "scale",
                "group_var": "trust",
                "test": "welch_anova",
                "statistic": 9.5,
                "df1": 1,
                "df2": 80.2,
                "p_value": p / 2,
                "p_adjusted": p,
                "adjust_method": "holm",
                "effect_size": 0.05,
                "es_ci_low": 0.01,
                "es_ci_high": 0.1,
                "n": 90,
                "family": "scale",
            }
        )
    rows.append(
        {
            "outcome": "Q1",
            "outcome_type": "item",
            "group_var": "trust",
            "test": "kruskal_wallis",
            "statistic": 3.0,
            "df1": 1,
            "df2": None,
            "p_value": 0.03,
            "p_adjusted": 0.06,
            "adjust_method": "fdr_bh",
            "effect_size": 0.02,
            "es_ci_low": 0.0,
            "es_ci_high": 0.05,
            "n": 90,
            "family": "kruskal",
        }
    )
    return pd.DataFrame(rows)


def pairwise(effect=-0.5, p=0.01):
    # group_a is the reference: the table holds reference minus level.
    return pd.DataFrame(
        [
            {
                "outcome": "sc_a",
                "outcome_type": "scale",
                "group_var": "trust",
                "group_a": "tr_one",
                "group_b": "tr_two",
                "test": "games_howell",
                "p_value": p,
                "p_adjusted": p,
                "effect_size": effect,
                "es_ci_low": effect - 0.2,
                "es_ci_high": effect + 0.2,
            }
        ]
    )


def respondents_table():
    rows = [
        ("trust", "tr_one", "all", "all", 50),
        ("trust", "tr_two", "all", "all", 40),
        ("trust", "all", "all", "all", 90),
        ("role", "lege", "all", "all", 30),
        ("role", "spl", "all", "all", 60),
        ("role", "all", "all", "all", 90),
        ("role", "lege", "trust", "tr_one", 20),
        ("role", "spl", "trust", "tr_one", 30),
        ("role", "lege", "trust", "tr_two", 10),
        ("role", "spl", "trust", "tr_two", 30),
        ("role", "all", "trust", "tr_one", 50),
        ("role", "all", "trust", "tr_two", 40),
    ]
    frame = pd.DataFrame(rows, columns=["variable", "level", "by", "by_level", "n"])
    frame["share"] = 0.5
    frame["suppressed"] = False
    return frame


def context(language="nb", **tables):
    base = {
        "survey_omnibus": omnibus(),
        "survey_pairwise": pairwise(),
        "scale_reliability": pd.DataFrame(
            [
                {
                    "scale": "sc_a",
                    "n_items": 2,
                    "n": 88,
                    "alpha": 0.8,
                    "alpha_ci_low": 0.7,
                    "alpha_ci_high": 0.85,
                    "omega": 0.81,
                    "omega_ci_low": 0.7,
                    "omega_ci_high": 0.86,
                }
            ]
        ),
        "survey_respondents": respondents_table(),
        "participant_flow": pd.DataFrame(
            {
                "step": ["received", "duplicates", "analysed"],
                "n_removed": [0, 2, 0],
                "n_remaining": [92, 90, 90],
            }
        ),
    }
    base.update(tables)
    return make_context(
        language=language, organisation=ORG, survey=SURVEY, survey_analysis=ANALYSIS, tables=base
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_survey_section_speaks_of_the_studys_own_groups_and_scales(language):
    text = survey.build(context(language))
    assert_clean(text, ids=IDS)
    assert "Foretak to" in text
    assert ("Skala A" if language == "nb" else "Scale A") in text
    assert ("helseforetakene" if language == "nb" else "the health trusts") in text


def test_a_scale_differs_only_below_alpha_after_the_family_adjustment():
    text = survey.scales_paragraph(context("en"))
    assert "1 differed between the health trusts" in text
    assert "Scale A" in text and "Scale B" not in text
    none = survey.scales_paragraph(context("en", survey_omnibus=omnibus(p_a=0.05)))
    assert none.startswith("None of the 2 scales differed")


def test_pairs_are_level_minus_reference_with_a_direction_only_when_significant():
    lower = survey.pairs_paragraph(context("en"))
    # reference minus level = −0.5 → level minus reference = +0.5: higher
    assert "Foretak to (g = 0.50" in lower and "scored higher than Foretak én" in lower
    flipped = survey.pairs_paragraph(context("en", survey_pairwise=pairwise(effect=0.5)))
    assert "scored lower" in flipped and "g = −0.50" in flipped
    unclear = survey.pairs_paragraph(context("en", survey_pairwise=pairwise(p=0.2)))
    assert "no single group differed" in unclear and "higher" not in unclear


def test_no_adjusted_model_means_no_adjusted_section():
    assert survey.adjusted_section(context("en")) == ""


def test_summary_sentences_use_the_same_counts_as_the_results():
    ctx = context("en")
    findings = " ".join(survey.key_findings(ctx))
    assert "90 of 92 submissions were analysed" in findings
    assert "1 of 2 scales differed between the health trusts (Scale A)" in findings


@pytest.mark.parametrize("language", ["nb", "en"])
def test_participants_without_invited_counts_say_the_denominator_is_unknown(language):
    text = participants.build(context(language))
    assert_clean(text, ids=IDS)
    assert ("ingen svarprosent" if language == "nb" else "no response rate") in text
    assert "Foretak én" in text
    assert ("Lege" if language == "nb" else "Physician") in text
