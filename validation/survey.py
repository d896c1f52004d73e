"""Survey families: scale omnibus (Welch, Holm), item screen (Kruskal–Wallis, BH), the scale-level
adjusted region test with the report's explained/persists rule, ordinal odds ratios.

Three planted studies (`SCENARIOS`), each simulated `replicates` times with
`impleval.demo.simulate_survey` (n = 600, four regions, five professions, six scales sharing a
general factor). The statistics are the pipeline's own functions with the settings the demo uses.
The truth of every estimand is computed from the plant, not from the simulations: marginal and
adjusted region nulls by construction, population ω² by a large simulated population, population
ε² and the pseudo-true odds ratios (the proportional-odds fit to the population cell
probabilities) in closed form.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from impleval.demo import simulate_survey as sim
from impleval.report.sections.survey import explained_by_covariates  # the report's own rule
from impleval.survey.settings import group_vars, validate_settings
from impleval.survey.stats import compare as cmp
from impleval.survey.stats import ordinal as ordm
from impleval.survey.stats.adjusted import adjusted_scales, fit_stacked
from impleval.survey.stats.analyse import ordinal_models, respondent_frame, stream
from impleval.survey.stats.multiplicity import adjust
from validation.common import ALPHA, rate

ROOT = Path(__file__).resolve().parents[1]
N_RESPONDENTS = 600
MIN_CELL = 5
EQUAL_MIX = {r: [0.3, 0.3, 0.15, 0.15, 0.1] for r in sim.REGIONS}
ROLE_SPLIT = {"radiographer": 0.6, "radiologist": -0.6}  # professions disagree on the scale
GENERAL = 0.3

SCENARIOS = {
    # Global null: no region differences at all (professions matter for trust in the AI, but
    # every region has the same profession mix).
    "null": sim.Plant(
        role_mix=EQUAL_MIX,
        region_effect={},
        role_effect={"trust_in_ai": ROLE_SPLIT},
        general=GENERAL,
    ),
    # Confounding by profession mix (vest: radiographers, nord: radiologists): trust in the AI
    # differs by region only through professions (should be "explained", never "persists");
    # digital maturity differs by region and by profession (should "persist"); coherence differs
    # by region only; the other three scales are complete nulls.
    "confounded": sim.Plant(
        role_mix=dict(sim.ROLE_MIX),
        region_effect={"coherence": {"hso": 0.35}, "digital_maturity": {"hso": 0.4}},
        role_effect={"trust_in_ai": ROLE_SPLIT, "digital_maturity": ROLE_SPLIT},
        general=GENERAL,
    ),
    # No confounding (same profession mix everywhere) but professions matter on a scale that also
    # differs by region: adjusting must not "explain" it.
    "unconfounded": sim.Plant(
        role_mix=EQUAL_MIX,
        region_effect={"coherence": {"hso": 0.35}, "collective_action": {"hso": 0.3}},
        role_effect={"coherence": ROLE_SPLIT, "trust_in_ai": ROLE_SPLIT},
        general=GENERAL,
    ),
}


def analysis_settings() -> dict:
    """The simulated survey's analysis settings as the pipeline validates them; one ordinal item
    per scale (the odds-ratio family), no Brant test (not evaluated here)."""
    settings = validate_settings(sim.settings(), ROOT / "config/schema/survey-analysis.schema.yaml")
    settings["ordinal_items"] = [items[0] for items in sim.item_ids().values()]
    settings["adjusted_model"]["po_test"] = "none"
    settings["bootstrap"]["n_boot"] = 999
    return settings


def replicate(scenario: str, seed: int, settings: dict) -> pd.DataFrame:
    """One simulated survey through the pipeline's statistics: long rows of (family, outcome,
    term, quantity, value)."""
    respondents, responses = sim.simulate(N_RESPONDENTS, seed, plant=SCENARIOS[scenario])
    data, _, _ = respondent_frame(respondents, responses, settings)
    gvs = group_vars(settings)
    region = gvs[0]
    mult = settings["multiplicity"]
    ci = settings["ci_level"]
    omnibus = []
    for scale in settings["scales"]:
        omnibus.append(cmp.welch_scale(data, scale, region, min_cell=MIN_CELL, ci_level=ci))
    for items in settings["item_groups"].values():
        for item in items:
            omnibus.append(
                cmp.kruskal_item(
                    data,
                    item,
                    region,
                    min_cell=MIN_CELL,
                    n_boot=settings["bootstrap"]["n_boot"],
                    ci_level=ci,
                    rng=stream(seed, "kw", region.name, item),
                )
            )
    omni = pd.DataFrame([r for r in omnibus if r is not None])
    is_scale = omni["outcome_type"] == "scale"
    omni = pd.concat(
        [
            adjust(omni[~is_scale], mult["item_screen"]),
            adjust(omni[is_scale], mult["scale_omnibus"]),
        ]
    )
    rows = []
    for r in omni.itertuples():
        family = "scale_omnibus" if r.outcome_type == "scale" else "item_screen"
        for q in ("p_value", "p_adjusted", "effect_size", "es_ci_low", "es_ci_high"):
            rows.append((family, r.outcome, "", q, float(getattr(r, q))))
    adjusted = adjusted_scales(data, settings, gvs, min_cell=MIN_CELL)
    for r in adjusted.to_dict("records"):
        for q in ("unadj_statistic", "unadj_df", "unadj_p", "unadj_p_adjusted", "adj_statistic"):
            rows.append(("adjusted", r["scale"], "", q, float(r[q])))
        for q in ("adj_df", "adj_p", "adj_p_adjusted", "cov_p"):
            rows.append(("adjusted", r["scale"], "", q, float(r[q])))
        rows.append(("adjusted", r["scale"], explained_by_covariates(r, ALPHA), "rule", 1.0))
    ordinal = ordinal_models(data, settings, gvs, min_cell=MIN_CELL)
    for r in ordinal.itertuples():
        term = f"{r.model}|{r.term}"
        for q in ("odds_ratio", "ci_low", "ci_high", "joint_p"):
            rows.append(("ordinal", r.outcome, term, q, float(getattr(r, q))))
    return pd.DataFrame(rows, columns=["family", "outcome", "term", "quantity", "value"]).assign(
        scenario=scenario
    )


# --- truth --------------------------------------------------------------------------------
def scale_of_item() -> dict[str, str]:
    return {item: scale for scale, items in sim.item_ids().items() for item in items}


def region_distribution(plant: sim.Plant, scale: str) -> pd.DataFrame:
    """Population P(answer | region) of an item of `scale` (regions × answers) and the region
    shares."""
    cells = sim.cell_probabilities(plant, scale)
    table = cells.pivot_table(index="region", columns="answer", values="weight", aggfunc="sum")
    return table.reindex(sim.REGIONS)


def marginal_null(plant: sim.Plant, scale: str) -> bool:
    """No region difference in the answers' distribution (the unadjusted null)."""
    table = region_distribution(plant, scale)
    cond = table.div(table.sum(axis=1), axis=0).to_numpy()
    return bool(np.abs(cond - cond[0]).max() < 1e-12)


def adjusted_null(plant: sim.Plant, scale: str) -> bool:
    """No region effect given profession (the adjusted null)."""
    return not any(plant.region_effect.get(scale, {}).values())


def population_epsilon2(plant: sim.Plant, scale: str) -> float:
    r"""Population rank ε² of an item: the limit of H/(n − 1),
    :math:`12\sum_g \pi_g (u_g - 1/2)^2 / (1 - \sum_k p_k^3)` with :math:`u_g` the mean
    mid-rank fraction in region g (ties corrected as in the test)."""
    table = region_distribution(plant, scale).to_numpy()
    share = table.sum(axis=1)
    cond = table / share[:, None]
    pooled = table.sum(axis=0)
    midrank = np.cumsum(pooled) - pooled / 2
    u = cond @ midrank
    return float(12 * np.sum(share * (u - 0.5) ** 2) / (1 - np.sum(pooled**3)))


def population_omega2(plant: sim.Plant, settings: dict, n: int = 50_000) -> dict[str, float]:
    r"""Population ω² of each scale score across regions, as Welch's F estimates it:
    :math:`f^2/(1+f^2)`, :math:`f^2 = \sum_g \pi_g(\mu_g - \tilde\mu)^2/\sigma_g^2` with
    :math:`\tilde\mu` weighted by :math:`\pi_g/\sigma_g^2`; moments of the scale scores (mean of
    the answered items, with the minimum share) from one large simulated population."""
    respondents, responses = sim.simulate(n, 987_654, plant=plant)
    data, _, _ = respondent_frame(respondents, responses, settings)
    out = {}
    for scale in settings["scales"]:
        g = data.groupby("group__region")[scale].agg(["mean", "var", "count"])
        g = g.reindex(sim.REGIONS)
        share = g["count"] / g["count"].sum()
        w = share / g["var"]
        mu = float((w * g["mean"]).sum() / w.sum())
        f2 = float((share * (g["mean"] - mu) ** 2 / g["var"]).sum())
        out[scale] = f2 / (1 + f2)
    return out


def pseudo_true_odds_ratios(plant: sim.Plant, scale: str, settings: dict) -> dict[str, float]:
    """The odds ratios the item models estimate: the proportional-odds MLE on the population (the
    cell probabilities as frequency weights, fitted by the stacked model's Fisher scoring with
    one item, which is the item model's MLE), unadjusted and adjusted ("model|term" → OR)."""
    cells = sim.cell_probabilities(plant, scale)
    references = {g.name: g.reference for g in group_vars(settings)}
    answers = pd.DataFrame(
        {"respondent": np.arange(len(cells)), "item": 0, "answer": cells["answer"] - 1}
    ).astype(int)
    out = {}
    for model, variables in (("unadjusted", ["region"]), ("adjusted", ["region", "role"])):
        exog = ordm.design(cells, variables, references)
        fit = fit_stacked(answers, exog, weights=cells["weight"].to_numpy() * 1e6)
        for term, beta in fit.beta.items():
            out[f"{model}|{term}"] = float(np.exp(beta))
    return out


def truths(settings: dict) -> dict:
    """Per scenario and scale: the nulls, population ω² and ε², pseudo-true odds ratios."""
    out = {}
    for name, plant in SCENARIOS.items():
        per = {}
        omega2 = population_omega2(plant, settings)
        for scale in sim.item_ids():
            null = marginal_null(plant, scale)
            per[scale] = {
                "marginal_null": null,
                "adjusted_null": adjusted_null(plant, scale),
                "omega2": 0.0 if null else omega2[scale],
                "epsilon2": population_epsilon2(plant, scale),
                "odds_ratios": pseudo_true_odds_ratios(plant, scale, settings),
            }
        out[name] = per
    return out


# --- summaries ----------------------------------------------------------------------------
def _wide(results: pd.DataFrame, family: str) -> pd.DataFrame:
    sub = results[results["family"] == family]
    return sub.pivot_table(
        index=["scenario", "replicate", "outcome", "term"],
        columns="quantity",
        values="value",
        aggfunc="first",
    ).reset_index()


def summarise(results: pd.DataFrame, truth: dict) -> list[dict]:
    """The survey rows of the results table (one dict per reported rate)."""
    rows = []
    item_scale = scale_of_item()

    def add(family, quantity, target, hits, replicate, note=""):
        rows.append(
            {"family": family, "quantity": quantity, "target": target, **rate(hits, replicate)}
            | {"note": note}
        )

    # Scale omnibus (Welch, Holm within the region family).
    w = _wide(results, "scale_omnibus")
    w["null"] = [
        truth[s][o]["marginal_null"] for s, o in zip(w["scenario"], w["outcome"], strict=True)
    ]
    w["omega2"] = [truth[s][o]["omega2"] for s, o in zip(w["scenario"], w["outcome"], strict=True)]
    nulls = w[w["null"]]
    add(
        "scale omnibus (Welch)",
        "type-I error, each null scale (p < α)",
        "type_i",
        nulls["p_value"] < ALPHA,
        nulls["scenario"] + nulls["replicate"].astype(str),
    )
    glob = w[w["scenario"] == "null"].groupby("replicate")["p_adjusted"].min() < ALPHA
    add(
        "scale omnibus (Welch)",
        "family-wise error under the global null (Holm)",
        "fwer",
        glob,
        glob.index.to_series(),
    )
    alt = w[~w["null"]]
    add(
        "scale omnibus (Welch)",
        "power at the planted differences (Holm p < α)",
        "power",
        alt["p_adjusted"] < ALPHA,
        alt["scenario"] + alt["replicate"].astype(str),
    )
    cover = (w["es_ci_low"] <= w["omega2"]) & (w["omega2"] <= w["es_ci_high"])
    add(
        "scale omnibus (Welch)",
        "coverage of the 95 % ω² interval",
        "coverage",
        cover,
        w["scenario"] + w["replicate"].astype(str),
    )

    # Item screen (Kruskal–Wallis, BH within the region family).
    w = _wide(results, "item_screen")
    scale = w["outcome"].map(item_scale)
    w["null"] = [truth[s][c]["marginal_null"] for s, c in zip(w["scenario"], scale, strict=True)]
    w["eps2"] = [truth[s][c]["epsilon2"] for s, c in zip(w["scenario"], scale, strict=True)]
    key = w["scenario"] + w["replicate"].astype(str)
    nulls = w["null"]
    add(
        "item screen (Kruskal–Wallis)",
        "type-I error, each null item (p < α)",
        "type_i",
        (w["p_value"] < ALPHA)[nulls],
        key[nulls],
    )
    glob = w[w["scenario"] == "null"].groupby("replicate")["p_adjusted"].min() < ALPHA
    add(
        "item screen (Kruskal–Wallis)",
        "family-wise error under the global null (BH)",
        "fwer",
        glob,
        glob.index.to_series(),
    )
    add(
        "item screen (Kruskal–Wallis)",
        "power at the planted differences (BH p < α)",
        "power",
        (w["p_adjusted"] < ALPHA)[~nulls],
        key[~nulls],
    )
    cover = (w["es_ci_low"] <= w["eps2"]) & (w["eps2"] <= w["es_ci_high"])
    add(
        "item screen (Kruskal–Wallis)",
        "coverage of the 95 % ε² interval, items with a difference",
        "coverage",
        cover[~nulls],
        key[~nulls],
    )
    add(
        "item screen (Kruskal–Wallis)",
        "coverage of the 95 % ε² interval, null items",
        "coverage",
        cover[nulls],
        key[nulls],
        note="ε² ≥ 0: a percentile interval cannot hold 0",
    )

    # Scale-level adjusted region test and the report's rule.
    w = _wide(results[results["quantity"] != "rule"], "adjusted")
    rule = results[(results["family"] == "adjusted") & (results["quantity"] == "rule")]
    w = w.merge(
        rule[["scenario", "replicate", "outcome", "term"]].rename(columns={"term": "rule"}),
        on=["scenario", "replicate", "outcome"],
    )
    w["marginal_null"] = [
        truth[s][o]["marginal_null"] for s, o in zip(w["scenario"], w["outcome"], strict=True)
    ]
    w["adjusted_null"] = [
        truth[s][o]["adjusted_null"] for s, o in zip(w["scenario"], w["outcome"], strict=True)
    ]
    key = w["scenario"] + w["replicate"].astype(str)
    m = w["marginal_null"]
    add(
        "adjusted region test (scale level)",
        "type-I error unadjusted, each null scale",
        "type_i",
        (w["unadj_p"] < ALPHA)[m],
        key[m],
    )
    a = w["adjusted_null"]
    add(
        "adjusted region test (scale level)",
        "type-I error adjusted, each scale without a region effect",
        "type_i",
        (w["adj_p"] < ALPHA)[a],
        key[a],
    )
    conf = a & ~m  # region differences produced by the profession mix alone
    add(
        "adjusted region test (scale level)",
        "type-I error adjusted, confounded scale (region null given profession)",
        "type_i",
        (w["adj_p"] < ALPHA)[conf],
        key[conf],
    )
    glob = w[w["scenario"] == "null"].groupby("replicate")["adj_p_adjusted"].min() < ALPHA
    add(
        "adjusted region test (scale level)",
        "family-wise error adjusted, global null (Holm)",
        "fwer",
        glob,
        glob.index.to_series(),
    )
    add(
        "adjusted region test (scale level)",
        "power adjusted, scales with a region effect",
        "power",
        (w["adj_p_adjusted"] < ALPHA)[~a],
        key[~a],
    )
    add(
        "rule: explained / persists",
        "'persists' for a confounded scale (region null given profession)",
        "type_i_max",
        (w["rule"] == "persists")[conf],
        key[conf],
    )
    add(
        "rule: explained / persists",
        "'explained' for a confounded scale (power)",
        "power",
        (w["rule"] == "explained")[conf],
        key[conf],
    )
    unconf = (~a) & (w["scenario"] == "unconfounded")
    add(
        "rule: explained / persists",
        "'explained' for a region difference without confounding",
        "type_i_max",
        (w["rule"] == "explained")[unconf],
        key[unconf],
    )
    real_conf = (~a) & (w["scenario"] == "confounded") & w["outcome"].eq("digital_maturity")
    add(
        "rule: explained / persists",
        "'explained' for a region difference plus confounding",
        "type_i_max",
        (w["rule"] == "explained")[real_conf],
        key[real_conf],
    )
    add(
        "rule: explained / persists",
        "'persists' for a region difference plus confounding",
        "power",
        (w["rule"] == "persists")[real_conf],
        key[real_conf],
    )
    add(
        "rule: explained / persists",
        "'explained' for a complete null scale",
        "type_i_max",
        (w["rule"] == "explained")[m & a],
        key[m & a],
    )

    # Ordinal odds ratios (proportional-odds models per item).
    w = _wide(results, "ordinal")
    w["model"] = w["term"].str.split("|").str[0]
    scale = w["outcome"].map(item_scale)
    w["true_or"] = [
        truth[s][c]["odds_ratios"].get(t, np.nan)
        for s, c, t in zip(w["scenario"], scale, w["term"], strict=True)
    ]
    key = w["scenario"] + w["replicate"].astype(str)
    region = w["term"].str.contains(r"\|region\[")
    cover = (w["ci_low"] <= w["true_or"]) & (w["true_or"] <= w["ci_high"])
    for model in ("unadjusted", "adjusted"):
        sel = region & (w["model"] == model)
        add(
            "ordinal odds ratios",
            f"coverage of the 95 % region OR interval, {model}",
            "coverage",
            cover[sel],
            key[sel],
        )
    sel = (~region) & (w["model"] == "adjusted")
    add(
        "ordinal odds ratios",
        "coverage of the 95 % profession OR interval (adjusted)",
        "coverage",
        cover[sel],
        key[sel],
    )
    first = w[region].drop_duplicates(["scenario", "replicate", "outcome", "model"])
    fscale = first["outcome"].map(item_scale)
    fkey = first["scenario"] + first["replicate"].astype(str)
    null_u = pd.Series(
        [truth[s][c]["marginal_null"] for s, c in zip(first["scenario"], fscale, strict=True)],
        first.index,
    )
    null_a = pd.Series(
        [truth[s][c]["adjusted_null"] for s, c in zip(first["scenario"], fscale, strict=True)],
        first.index,
    )
    u = (first["model"] == "unadjusted") & null_u
    add(
        "ordinal odds ratios",
        "type-I error of the joint region LR test, unadjusted",
        "type_i",
        (first["joint_p"] < ALPHA)[u],
        fkey[u],
    )
    a = (first["model"] == "adjusted") & null_a
    add(
        "ordinal odds ratios",
        "type-I error of the joint region LR test, adjusted",
        "type_i",
        (first["joint_p"] < ALPHA)[a],
        fkey[a],
    )
    return rows
