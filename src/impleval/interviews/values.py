"""Numbers the interview chapters quote in prose, formatted for the report language.

Read by the report as `{{< var interviews.<key> >}}`; everything here comes from the result
tables (no new statistics), so prose and tables cannot disagree.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from impleval import fmt
from impleval.interviews.settings import ALL, StudyDefs, code_label
from impleval.interviews.stats.stage import adjust

APPROACH = {
    True: {
        "nb": (
            "Kodingen ble kontrollert med dobbeltkoding: {n} intervjuer ble kodet av to kodere "
            "uavhengig av hverandre, og samsvaret er rapportert per kode."
        ),
        "en": (
            "Coding was checked by double coding: {n} interviews were coded independently by two "
            "coders, and agreement is reported per code."
        ),
    },
    False: {
        "nb": (
            "Studien følger en refleksiv tematisk analyse der samsvar mellom kodere ikke regnes "
            "ut; "
            "kodingen ble i stedet drøftet i forskergruppen."
        ),
        "en": (
            "The study follows reflexive thematic analysis, in which inter-coder agreement is not "
            "computed; coding was discussed within the research team instead."
        ),
    },
}
# Agreement results as a sentence: the chapter shows it only when agreement was computed.
SUMMARY = {
    "nb": (
        "Samlet over alle koder var Cohens κ {kappa_pooled} ({ci_level} KI {kappa_pooled_ci}) og "
        "Krippendorffs α {alpha_pooled} (bootstrap-KI {alpha_pooled_ci}). {n_meeting_target} av "
        "{n_codes} koder nådde målet κ ≥ {kappa_target}; lavest var «{kappa_lowest_code}» "
        "(κ = {kappa_lowest})."
    ),
    "en": (
        "Across all codes, Cohen's κ was {kappa_pooled} ({ci_level} CI {kappa_pooled_ci}) and "
        "Krippendorff's α {alpha_pooled} (bootstrap CI {alpha_pooled_ci}). {n_meeting_target} of "
        "{n_codes} codes reached the target κ ≥ {kappa_target}; the lowest was "
        "“{kappa_lowest_code}” (κ = {kappa_lowest})."
    ),
}
TEST_NAMES = {
    "cochran_armitage": {
        "nb": "Cochran–Armitages trendtest",
        "en": "the Cochran–Armitage trend test",
    },
    "chi_square": {"nb": "kjikvadrattest", "en": "the chi-square test"},
}
# Which themes the primary test's p values were adjusted over, read off the table itself.
ADJUSTED_OVER = {
    "process": {"nb": "prosesstemaene", "en": "the process themes"},
    "all": {"nb": "alle temaer og aktøreffekter", "en": "all themes and stakeholder effects"},
    "other": {"nb": "en annen familie av temaer", "en": "another family of themes"},
}
ADJUST_NAMES = {
    "fdr_bh": {"nb": "Benjamini–Hochberg", "en": "Benjamini–Hochberg"},
    "holm": {"nb": "Holm", "en": "Holm"},
    "bonferroni": {"nb": "Bonferroni", "en": "Bonferroni"},
    "fdr_by": {"nb": "Benjamini–Yekutieli", "en": "Benjamini–Yekutieli"},
    "hommel": {"nb": "Hommel", "en": "Hommel"},
    "none": {"nb": "ingen justering", "en": "no adjustment"},
}


def _adjusted_over(prim: pd.DataFrame, process: list[str], method: str) -> str:
    """ "process" if the process themes' adjusted p values are adjusted among themselves, "all" if
    over every theme of the test, else "other" (prose must say what the table did)."""

    def same(rows: pd.DataFrame) -> bool:
        redo = adjust(rows["p_value"], method).to_numpy(dtype=float)
        return np.allclose(redo, rows["p_adjusted"].to_numpy(dtype=float), equal_nan=True)

    proc = prim[prim["theme"].isin(process)]
    if len(proc) == len(prim):  # no stakeholder effects: the two families coincide
        return "process" if same(prim) else "other"
    if same(proc):
        return "process"
    return "all" if same(prim) else "other"


def _overall(prev: pd.DataFrame) -> pd.DataFrame:
    return prev[(prev["code"] == ALL) & (prev["region"] == ALL) & (prev["role"] == ALL)]


def interview_values(
    tables: dict[str, pd.DataFrame],
    documents: pd.DataFrame,
    defs: StudyDefs,
    settings: dict,
    *,
    language: str,
    min_cell: int,
) -> dict:
    L = language
    num, pct, pval, integer = fmt.number, fmt.percent, fmt.pvalue, fmt.integer
    a = settings["agreement"]
    agr = tables["intercoder_agreement"]
    # Double-coded = coded by both configured coders (the agreement units), not by any two coders.
    agr_codes = agr[agr["code"] != ALL] if not agr.empty else agr
    n_double = (
        int(agr_codes["n_units"].max())
        if a["enabled"] and len(agr_codes)
        else int(documents["double_coded"].astype(bool).sum())
    )
    v: dict = {
        "n_interviews": integer(len(documents), L),
        "n_double_coded": integer(n_double, L),
        "n_themes": integer(len(defs.process_themes), L),
        "n_stakeholder_effects": integer(len(defs.stakeholders), L),
        "min_cell": integer(min_cell, L),
        "stages": {s: integer(int((documents["stage"] == s).sum()), L) for s in defs.stages},
    }

    # Change across stages: the primary test's results.
    st = settings["stage_tests"]
    tests = tables["theme_stage_tests"]
    primary_name = "r" if st["primary"] == "trend" else "cramers_v_corrected"
    prim = tests[tests["effect_size_name"] == primary_name]
    proc = prim[prim["theme"].isin(defs.process_themes)]
    sig = proc[proc["significant"]].copy()
    # Rising or falling: for the trend test the sign of r (what the test tested); the chi-square
    # has no sign, so there the descriptive shape (last vs first stage) stands in.
    if st["primary"] == "trend":
        sig["sense"] = np.sign(sig["effect_size"]).map({1.0: "up", -1.0: "down"}).fillna("flat")
    else:
        sig["sense"] = sig["direction"]
    v["tests"] = {
        "primary": TEST_NAMES["cochran_armitage" if st["primary"] == "trend" else "chi_square"][L],
        "adjust": ADJUST_NAMES[st["adjust"]][L],
        "adjusted_over": ADJUSTED_OVER[_adjusted_over(prim, defs.process_themes, st["adjust"])][L],
        "alpha": num(st["alpha"], 2, L),
        "n_tested": integer(len(proc), L),
        "n_significant": integer(len(sig), L),
        "n_up": integer(int((sig["sense"] == "up").sum()), L),
        "n_down": integer(int((sig["sense"] == "down").sum()), L),
    }
    overall = _overall(tables["code_prevalence"])
    for key, direction in (("strongest_rise", "up"), ("strongest_fall", "down")):
        cand = sig[sig["sense"] == direction]
        if cand.empty:  # keys stay present: a missing report variable fails the render
            v["tests"][key] = {k: "–" for k in ("theme", "first", "last", "effect", "p")}
            continue
        row = cand.loc[cand["effect_size"].abs().idxmax()]
        share = overall[overall["theme"] == row["theme"]].set_index("stage")["share"]
        v["tests"][key] = {
            "theme": defs.lab("theme", row["theme"], L),
            "first": pct(share.get(defs.stages[0]), 0, L),
            "last": pct(share.get(defs.stages[-1]), 0, L),
            "effect": num(row["effect_size"], 2, L),
            "p": pval(row["p_adjusted"], L),
        }
    # Rise-and-fall profiles: a linear trend test misses them, the chi-square test does not.
    chi = tests[
        (tests["effect_size_name"] == "cramers_v_corrected")
        & tests["theme"].isin(defs.process_themes)
    ]
    peaks = chi[chi["significant"] & (chi["direction"] == "peak")]
    v["tests"]["n_peak"] = integer(len(peaks), L)
    v["tests"]["peak_themes"] = ", ".join(defs.lab("theme", t, L) for t in peaks["theme"]) or "–"
    flat = proc[~proc["significant"] & ~proc["theme"].isin(peaks["theme"])]
    v["tests"]["not_significant"] = ", ".join(defs.lab("theme", t, L) for t in flat["theme"]) or "–"

    # Co-occurrence: the most often paired themes.
    cooc = tables["theme_cooccurrence"].dropna(subset=["jaccard"])
    v["cooccurrence"] = {k: "–" for k in ("top_a", "top_b", "top_n", "top_jaccard")}
    if not cooc.empty:
        top = cooc.sort_values(
            ["jaccard", "theme_a", "theme_b"], ascending=[False, True, True]
        ).iloc[0]
        v["cooccurrence"] = {
            "top_a": defs.lab("theme", top["theme_a"], L),
            "top_b": defs.lab("theme", top["theme_b"], L),
            "top_n": integer(top["n_interviews"], L),
            "top_jaccard": num(top["jaccard"], 2, L),
        }

    # Agreement.
    v["agreement"] = {
        "enabled": "true" if a["enabled"] else "false",
        "approach": APPROACH[bool(a["enabled"])][L].format(n=integer(n_double, L)),
        "kappa_target": num(a["kappa_target"], 2, L),
        "ci_level": pct(a["ci_level"], 0, L),
        "alpha_reliable": num(a["alpha_reliable"], 2, L),
        "alpha_tentative": num(a["alpha_tentative"], 3, L),
    }
    keys = (
        "n_codes",
        "n_meeting_target",
        "n_alpha_reliable",
        "n_alpha_unreliable",
        "kappa_pooled",
        "kappa_pooled_ci",
        "alpha_pooled",
        "alpha_pooled_ci",
        "kappa_median",
        "kappa_lowest_code",
        "kappa_lowest",
        "n_boot",
    )
    v["agreement"].update({k: "–" for k in keys})
    v["agreement"]["summary"] = ""
    if a["enabled"] and not agr.empty:
        codes = agr[agr["code"] != ALL]
        pooled = agr[agr["code"] == ALL].iloc[0]
        low = codes.sort_values("kappa").dropna(subset=["kappa"])
        v["agreement"].update(
            {
                "n_codes": integer(len(codes), L),
                "n_meeting_target": integer(int((codes["kappa_flag"] == "meets_target").sum()), L),
                "n_alpha_reliable": integer(int((codes["alpha_flag"] == "reliable").sum()), L),
                "n_alpha_unreliable": integer(int((codes["alpha_flag"] == "unreliable").sum()), L),
                "kappa_pooled": num(pooled["kappa"], 2, L),
                "kappa_pooled_ci": fmt.interval(
                    pooled["kappa_ci_low"], pooled["kappa_ci_high"], 2, L
                ),
                "alpha_pooled": num(pooled["krippendorff_alpha"], 2, L),
                "alpha_pooled_ci": fmt.interval(
                    pooled["alpha_ci_low"], pooled["alpha_ci_high"], 2, L
                ),
                "kappa_median": num(codes["kappa"].median(), 2, L),
                "kappa_lowest_code": code_label(defs, low.iloc[0]["code"], L) if len(low) else "–",
                "kappa_lowest": num(low.iloc[0]["kappa"], 2, L) if len(low) else "–",
                "n_boot": integer(a["n_boot"], L),
            }
        )
        v["agreement"]["summary"] = SUMMARY[L].format(**v["agreement"])

    # Stakeholders: share of interviews raising any effect for each group.
    sh = tables["stakeholder_benefits"]
    any_row = sh[(sh["theme"] == ALL) & (sh["stage"] == ALL)]
    v["stakeholders"] = {
        g: pct(s, 0, L) for g, s in zip(any_row["stakeholder"], any_row["share"], strict=True)
    }
    if not any_row.dropna(subset=["share"]).empty:
        top = any_row.dropna(subset=["share"]).sort_values("share", ascending=False).iloc[0]
        v["stakeholders"]["top_group"] = defs.lab("stakeholder", top["stakeholder"], L)
        v["stakeholders"]["top_share"] = pct(top["share"], 0, L)
    v["n_quotes"] = integer(len(tables["quotes"]), L)
    return _no_nan(v)


def _no_nan(obj):
    if isinstance(obj, dict):
        return {k: _no_nan(x) for k, x in obj.items()}
    if isinstance(obj, float) and math.isnan(obj):
        return "–"
    return obj
