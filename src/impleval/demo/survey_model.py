"""The model of the SYNTHETIC demo survey: planted parameters and the respondent simulator.

Used by the demo exports (`demo.survey`) and by the planted truth (`demo.survey_truth`), which
simulates a large population from the same model. Model: see `demo.survey`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.survey.settings import Instrument

SEED = 20230829
TRUTH_SEED = 777
FORM_ID = 345678
FIRST_SUBMISSION_ID = 31544012
TZ = "Europe/Oslo"
AGREE_CODES = np.array(["01", "02", "03", "04", "05"], dtype=object)
ROLES = ["radiologist", "radiographer", "orthopaedist", "emergency", "manager", "it"]

PLANT = {
    "n_analysed": 600,
    # Respondents per region (share) and trusts within regions (share); 13 trusts, 4 regions.
    "region_share": {"hso": 0.40, "vest": 0.22, "midt": 0.18, "nord": 0.20},
    "trust_share": {
        "hso": {"vv": 0.30, "ahus": 0.25, "ous": 0.20, "si": 0.15, "sos": 0.10},
        "vest": {"bergen": 0.45, "stavanger": 0.35, "fonna": 0.20},
        "midt": {"stolav": 0.55, "hmr": 0.45},
        "nord": {"unn": 0.50, "nlsh": 0.30, "helgeland": 0.20},
    },
    # Role mix differs by region (vest: many radiographers; nord: many radiologists): this is
    # what confounds the marginal regional difference in trust in the AI.
    "role_mix": {
        "hso": [0.22, 0.32, 0.16, 0.16, 0.08, 0.06],
        "vest": [0.12, 0.48, 0.14, 0.14, 0.07, 0.05],
        "midt": [0.22, 0.32, 0.16, 0.16, 0.08, 0.06],
        "nord": [0.38, 0.18, 0.16, 0.14, 0.08, 0.06],
    },
    # Latent effects in within-cell SD units.
    "region_effect": {
        "coherence": {"hso": 0.25, "vest": 0.0, "midt": 0.0, "nord": -0.25},
        "collective_action": {"hso": 0.30, "vest": -0.10, "midt": -0.10, "nord": -0.10},
        "digital_maturity": {"hso": 0.10, "vest": -0.05, "midt": -0.05, "nord": 0.0},
        "cognitive_participation": {},  # null: no regional difference
        "reflexive_monitoring": {},  # null: no regional difference
        "trust_in_ai": {},  # no regional effect given role (confounded by role mix)
    },
    "role_effect": {
        "trust_in_ai": {"radiographer": 0.60, "radiologist": -0.50},
        "false_positives": {"orthopaedist": 0.50, "emergency": 0.30, "radiographer": -0.20},
    },
    "benefit_role_effect": {
        "BEN_patients": {},
        "BEN_ed": {"emergency": 0.30},
        "BEN_radiologists": {"radiologist": 0.20},
        "BEN_radiographers": {"radiographer": 0.40},
        "BEN_orthopaedists": {"orthopaedist": -0.30},
    },
    "benefit_shift": {
        "BEN_patients": 0.4,
        "BEN_ed": 0.3,
        "BEN_radiologists": 0.2,
        "BEN_radiographers": 0.1,
        "BEN_orthopaedists": -0.2,
    },
    "rho_general": 0.3,
    "loading": 0.8,
    "cuts_agree5": [-2.0, -1.1, -0.35, 0.75],
    "item_shift_sd": 0.25,
    "p_skip_item": 0.015,
    "p_not_relevant": {
        "base": 0.02,
        "manager_it": 0.12,
        "manager_it_hands_on": 0.35,
        "stage_RM": 0.04,
    },
    "hands_on_items": ["CA1", "CA2", "CA3", "CA4", "CA5", "RM3", "RM5"],
    "p_dont_know": {"base": 0.06, "manager_it": 0.15},
    "p_comment": 0.08,
    "answer_time_s": {"median": 420, "sigma": 0.5, "min": 180},
    # Cleaning cases per 600 analysed (times `scale`).
    "cleaning_cases": {
        "test_submissions": 2,
        "duplicates": 6,
        "out_of_scope_role": 14,
        "too_few_items": 10,
        "too_fast": 8,
    },
    "fielding": {"start": "2025-03-03", "days": 40},
}

# The demo's shape beyond the planted effects (kept apart from PLANT, which the truth file
# records as it is): roles, which roles answer "not relevant" more often, the general items'
# constructs, category and checkbox answer probabilities. A differently shaped study passes its
# own `plant` (PLANT's keys plus these) to `simulate` and `build_submissions`
# (tests/studies/screening/build.py).
DEMO_SHAPE = {
    "roles": ROLES,
    "low_engagement_roles": ["manager", "it"],
    "out_of_scope_role": "other",
    "general_constructs": [
        "coherence",
        "cognitive_participation",
        "collective_action",
        "reflexive_monitoring",
    ],
    "linear_centres": [6.0, 5.0, 7.0],
    "stage_questions": ["RM"],
    "not_relevant_weights": [0.5, 0.3, 0.2],
    "categories": {
        "TRAINING": {"p": [0.30, 0.50, 0.20], "p_by_role": {"radiographer": [0.10, 0.40, 0.50]}}
    },
    "source_probs": {"colleagues": 0.6, "vendor": 0.3, "e_learning": 0.35, "project_group": 0.4},
}

COMMENTS = [
    "Radiografene har fått en mer selvstendig rolle etter innføringen.",
    "Svaret kommer raskt, men vi trenger mer opplæring i å tolke usikre funn.",
    "Flere falske positive på håndledd enn forventet.",
    "Pasientene i akuttmottaket venter kortere på svar.",
    "Det er uklart hvem som skal følge med på effektene over tid.",
    "God støtte fra prosjektgruppen i starten, mindre nå.",
    "Vi bruker verktøyet mest på kveld og natt.",
    "IT-integrasjonen med PACS tok lengre tid enn planlagt.",
    "LIS-leger har stor nytte av verktøyet som andre blikk.",
    "Vanskelig å vite om ventetiden faktisk er redusert uten gode data fra før.",
    "Fint at radiolog leser alle bilder dagen etter.",
    "Ledelsen burde vært tydeligere på hvorfor vi innfører dette.",
    "Det frigjør tid til de sykeste pasientene.",
    "Usikker på ansvarsfordelingen når KI og radiograf er uenige.",
    "Verktøyet er enkelt å bruke og krever lite opplæring.",
]


def construct_items(instrument: Instrument):
    """Item columns grouped by construct (from survey.yaml's `construct` keys)."""
    out: dict[str, list] = {}
    for q in instrument.questions:
        if q["use"] == "item":
            out.setdefault(q.get("construct", q["id"]), []).extend(instrument.columns_of(q["id"]))
    return out


def item_shifts(instrument: Instrument) -> dict[str, float]:
    rng = np.random.default_rng(SEED + 1)  # fixed per item, independent of sample size
    items = instrument.items
    return dict(
        zip(items, np.round(rng.normal(0, PLANT["item_shift_sd"], len(items)), 3), strict=True)
    )


def _choice(rng, probs: np.ndarray) -> np.ndarray:
    """Row-wise categorical draws from a (n, k) probability matrix."""
    cum = probs.cumsum(axis=1)
    return (rng.random(len(probs))[:, None] > cum).sum(axis=1)


def _lookup(labels: np.ndarray, effects: dict) -> np.ndarray:
    """Effect per respondent from a {label: effect} dict (0 for labels not listed)."""
    out = np.zeros(len(labels))
    for key, value in effects.items():
        out[labels == key] = value
    return out


def demo_plant() -> dict:
    """The demo study's planted parameters and shape (PLANT, DEMO_SHAPE, COMMENTS)."""
    return {**PLANT, **DEMO_SHAPE, "comments": COMMENTS}


def _scale_codes(instrument: Instrument, scale: str):
    """(substantive codes in score order, not-relevant codes, don't-know codes) of a scale."""
    options = instrument.config["response_scales"][scale].get("options", [])
    scored = sorted((o for o in options if o.get("score") is not None), key=lambda o: o["score"])
    substantive = np.array([str(o["code"]) for o in scored], dtype=object)
    not_relevant = [str(o["code"]) for o in options if o.get("missing") == "not_relevant"]
    dont_know = [str(o["code"]) for o in options if o.get("missing") == "dont_know"]
    return substantive, not_relevant, dont_know


def _cuts(plant: dict, scale: str, n_codes: int) -> np.ndarray:
    """Thresholds of a scale: the plant's `cuts[<scale>]`, else `cuts_agree5` (5 codes), else
    evenly spaced normal quantiles."""
    if scale in plant.get("cuts", {}):
        return np.array(plant["cuts"][scale])
    if n_codes == 5:
        return np.array(plant["cuts_agree5"])
    from scipy.stats import norm

    return norm.ppf(np.arange(1, n_codes) / n_codes)


def simulate(
    rng: np.random.Generator, n: int, instrument: Instrument, plant: dict | None = None
) -> pd.DataFrame:
    """n regular (analysable) respondents: wide text codes plus latent helper columns.

    `plant`: planted parameters and study shape (default: the demo's, `demo_plant()`)."""
    plant = plant or demo_plant()
    roles = plant["roles"]
    regions = list(plant["region_share"])
    region = np.array(regions)[_choice(rng, np.tile(list(plant["region_share"].values()), (n, 1)))]
    trust = np.empty(n, dtype=object)
    role = np.empty(n, dtype=object)
    for r in regions:
        m = region == r
        names, p = zip(*plant["trust_share"][r].items(), strict=True)
        trust[m] = np.array(names)[_choice(rng, np.tile(p, (m.sum(), 1)))]
        role[m] = np.array(roles)[_choice(rng, np.tile(plant["role_mix"][r], (m.sum(), 1)))]
    g = rng.standard_normal(n)
    rho, lam = plant["rho_general"], plant["loading"]
    shifts = item_shifts(instrument)
    out: dict[str, np.ndarray] = {
        instrument.trust_column.name: trust.astype(str),
        instrument.role_column.name: role.astype(str),
        "_region": region,
    }
    manager_it = np.isin(role, plant["low_engagement_roles"])
    nomad_latent = []
    p_nr_cfg, p_dk_cfg = plant["p_not_relevant"], plant["p_dont_know"]
    for construct, cols in construct_items(instrument).items():
        eta = np.sqrt(rho) * g + np.sqrt(1 - rho) * rng.standard_normal(n)
        eta += _lookup(region, plant["region_effect"].get(construct, {}))
        eta += _lookup(role, plant["role_effect"].get(construct, {}))
        if construct in plant["general_constructs"]:
            nomad_latent.append(eta)
        for c in cols:
            if c.kind == "linear":
                continue  # general items below
            lat = eta
            if c.item in plant["benefit_role_effect"]:
                lat = eta + _lookup(role, plant["benefit_role_effect"][c.item])
                lat = lat + plant["benefit_shift"][c.item]
            substantive, nr_codes, dk_codes = _scale_codes(instrument, c.scale)
            cuts = _cuts(plant, c.scale, len(substantive))
            y = lam * lat + np.sqrt(1 - lam**2) * rng.standard_normal(n) - shifts[c.item]
            codes = substantive[(y[:, None] > cuts[None, :]).sum(axis=1)]
            u = rng.random(n)
            if nr_codes:
                p_nr = np.where(
                    manager_it,
                    p_nr_cfg["manager_it_hands_on"]
                    if c.item in plant["hands_on_items"]
                    else p_nr_cfg["manager_it"],
                    p_nr_cfg["base"],
                )
                stage = c.question in plant["stage_questions"]
                if stage:
                    p_nr = p_nr + p_nr_cfg["stage_RM"]
                nr = u < p_nr
                # "not relevant" kinds: for my role (first code), not yet (second), other
                weights = np.array(plant["not_relevant_weights"][: len(nr_codes)], dtype=float)
                weights = weights / weights.sum() if len(nr_codes) < 3 else weights
                kinds = np.array(nr_codes, dtype=object)
                kind = np.where(
                    stage,
                    kinds[min(1, len(kinds) - 1)],
                    np.where(manager_it, kinds[0], kinds[_choice(rng, np.tile(weights, (n, 1)))]),
                )
                codes[nr] = kind[nr]
                if dk_codes:  # a scale with both kinds: don't know among the rest
                    p_dk = np.where(manager_it, p_dk_cfg["manager_it"], p_dk_cfg["base"])
                    dk = ~nr & (rng.random(n) < p_dk)
                    codes[dk] = dk_codes[0]
            else:  # don't know
                p_dk = np.where(manager_it, p_dk_cfg["manager_it"], p_dk_cfg["base"])
                codes[u < p_dk] = dk_codes[0] if dk_codes else ""
            codes[rng.random(n) < plant["p_skip_item"]] = ""
            out[c.name] = codes
    general = np.mean(nomad_latent, axis=0)
    centres = plant["linear_centres"]
    for j, c in enumerate([c for c in instrument.item_columns if c.kind == "linear"]):
        lo, hi = c.linear
        centre = centres[j % len(centres)]
        v = np.clip(
            np.round(centre + 2.2 * (0.6 * general + 0.8 * rng.standard_normal(n))), lo, hi
        ).astype(int)
        codes = np.array([str(k) for k in range(hi + 1)], dtype=object)[v]
        codes[rng.random(n) < plant["p_skip_item"]] = ""
        out[c.name] = codes
    # Keep regular respondents clear of the too-few-items rule: unmask when under 60 %.
    nomad_cols = [
        c
        for c in instrument.item_columns
        if c.question in instrument.cleaning["min_items_questions"]
    ]
    if nomad_cols:
        scored = {c.name: _scale_codes(instrument, c.scale)[0] for c in nomad_cols}
        subst = np.column_stack(
            [pd.Series(out[c.name]).isin(scored[c.name]).to_numpy() for c in nomad_cols]
        )
        low = subst.mean(axis=1) < 0.6
        if low.any():
            for j, c in enumerate(nomad_cols):
                codes = out[c.name]
                bad = low & ~subst[:, j]
                y = lam * np.sqrt(rho) * g[bad] + np.sqrt(1 - lam**2 * rho) * rng.standard_normal(
                    bad.sum()
                )
                cuts = _cuts(plant, c.scale, len(scored[c.name]))
                codes[bad] = scored[c.name][(y[:, None] > cuts[None, :]).sum(axis=1)]
    for c in instrument.category_columns():
        spec = plant["categories"][c.question]
        options = np.array(list(c.codes), dtype=object)
        p_cat = np.tile(spec["p"], (n, 1))
        for r, p_role in spec.get("p_by_role", {}).items():
            p_cat[role == r] = p_role
        answer = options[_choice(rng, p_cat)]
        answer[rng.random(n) < 0.02] = ""
        out[c.name] = answer
    src_cols = instrument.sources_columns()
    if src_cols:
        probs = plant["source_probs"]
        ticks = (
            np.column_stack([rng.random(n) < probs.get(c.option, 0.3) for c in src_cols])
            .astype(int)
            .astype(str)
        )
        mode = rng.random(n)
        ticks = ticks.astype(object)
        ticks[mode < 0.06, :] = ""  # skipped: all empty
        ticks[(mode >= 0.06) & (mode < 0.09), :] = "0"  # skipped: all 0
        for j, c in enumerate(src_cols):
            out[c.name] = ticks[:, j]
    for c in instrument.comment_columns():
        comment = np.full(n, "", dtype=object)
        has = rng.random(n) < plant["p_comment"]
        texts = np.array(plant["comments"], dtype=object)
        comment[has] = texts[rng.integers(0, len(texts), has.sum())]
        out[c.name] = comment
    t = plant["answer_time_s"]
    seconds = np.maximum(t["min"], t["median"] * np.exp(t["sigma"] * rng.standard_normal(n)))
    out["_ms"] = (seconds * 1000).round().astype(np.int64)
    return pd.DataFrame(out)
