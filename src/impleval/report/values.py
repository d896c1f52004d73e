"""The `data` and `report` keys of the report variables: study facts and the methods paragraph's
settings, formatted for the report language from config and the study-definition files."""

from __future__ import annotations

from collections.abc import Mapping

from impleval import fmt

ADJUST = {  # statsmodels multipletests method names → names readers know
    "holm": "Holm",
    "fdr_bh": "Benjamini–Hochberg",
    "bonferroni": "Bonferroni",
    "fdr_by": "Benjamini–Yekutieli",
    "sidak": "Šidák",
    "hommel": "Hommel",
}
NONE = {"nb": "ingen justering", "en": "no adjustment"}
YES_NO = {"nb": ("ja", "nei"), "en": ("yes", "no")}
AND = {"nb": "og", "en": "and"}


def _adjust(method: str | None, language: str) -> str:
    if not method or method == "none":
        return NONE[language]
    return ADJUST.get(method, method)


def _list(items, language: str) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {AND[language]} {items[-1]}"


INTERVIEW_EXPORTS = {
    "maxqda": {
        "nb": "MAXQDA-eksport med dokumentvariabler",
        "en": "MAXQDA export with document variables",
    },
    "qualcoder": {"nb": "QualCoder-prosjekt", "en": "QualCoder project"},
    "qualcoder_xlsx": {"nb": "QualCoder-kodingsrapport", "en": "QualCoder coding report"},
    "refi_qda": {"nb": "REFI-QDA-prosjekt", "en": "REFI-QDA project"},
}


def report_values(
    *,
    study_name: str,
    synthetic: bool,
    min_cell: int,
    seed: int,
    language: str,
    survey_analysis: Mapping,
    interviews_analysis: Mapping,
    monitoring: Mapping,
    interview_format: str = "maxqda",
) -> dict:
    """`{"data": {...}, "report": {...}}`: every value a formatted string."""
    lang = language
    boot = survey_analysis.get("bootstrap", {})
    families = survey_analysis.get("multiplicity", {})
    agreement = interviews_analysis.get("agreement", {})
    stage = interviews_analysis.get("stage_tests", {})
    analysis = monitoring.get("analysis", {})
    baseline = analysis.get("baseline", {})
    return {
        "data": {
            "study_name": study_name,
            "synthetic": YES_NO[lang][0 if synthetic else 1],
            "interview_export": INTERVIEW_EXPORTS.get(interview_format, {}).get(
                lang, interview_format
            ),
        },
        "report": {
            "language": lang,
            "min_cell": fmt.integer(min_cell, lang),
            "seed": str(seed),  # an identifier, not a quantity: no thousands separator
            "ci_level": fmt.percent(survey_analysis.get("ci_level", 0.95), 0, lang),
            "alpha": fmt.number(survey_analysis.get("alpha", 0.05), 2, lang),
            "min_answered_share": fmt.percent(
                survey_analysis.get("min_answered_share", 2 / 3), 0, lang
            ),
            "n_boot": fmt.integer(boot.get("n_boot", 999), lang),
            "n_boot_omega": fmt.integer(boot.get("n_boot_omega", 200), lang),
            "adjust_item_screen": _adjust(families.get("item_screen", {}).get("method"), lang),
            "adjust_scales": _adjust(families.get("scale_omnibus", {}).get("method"), lang),
            "adjust_pairwise": _adjust(families.get("pairwise_items", {}).get("method"), lang),
            "adjust_stages": _adjust(stage.get("adjust"), lang),
            "agreement_n_boot": fmt.integer(agreement.get("n_boot", 1000), lang),
            "kappa_target": fmt.number(agreement.get("kappa_target", 0.8), 2, lang),
            "alpha_reliable": fmt.number(agreement.get("alpha_reliable", 0.8), 2, lang),
            "alpha_tentative": fmt.number(agreement.get("alpha_tentative", 0.667), 3, lang),
            "hac_maxlags": fmt.integer(analysis.get("hac_maxlags", 4), lang),
            "horizons_weeks": _list(analysis.get("horizons_weeks", [26, 52]), lang),
            "baseline_warn_below": fmt.integer(baseline.get("warn_below", 12), lang),
            "baseline_refuse_below": fmt.integer(baseline.get("refuse_below", 3), lang),
        },
    }
