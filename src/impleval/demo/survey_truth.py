"""Planted truth of the SYNTHETIC demo survey: parameters plus population quantities.

Population quantities come from a large simulation (N_POPULATION regular respondents, separate
seed) of the same model as the demo sample, scored the way the analysis scores scales (mean of the
answered items when at least SCALE_MIN_SHARE of them were answered). Keys: docs/data/survey.md.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from impleval.demo import survey_model as demo
from impleval.survey.settings import Instrument

N_POPULATION = 100_000
SCALE_MIN_SHARE = 2 / 3
SCALES = [
    "coherence",
    "cognitive_participation",
    "collective_action",
    "reflexive_monitoring",
    "trust_in_ai",
    "digital_maturity",
]
PLANTED_PAIRS = {
    "coherence": [("hso", "nord")],
    "collective_action": [("hso", "vest"), ("hso", "midt"), ("hso", "nord")],
    "digital_maturity": [("hso", "vest"), ("hso", "midt"), ("hso", "nord")],
}
NULL_SCALES = ["cognitive_participation", "reflexive_monitoring"]
CONFOUNDED = "trust_in_ai"


def _r(x, digits: int = 4):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else round(float(x), digits)


def scale_scores(pop: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    groups = demo.construct_items(instrument)
    out = {}
    for scale in SCALES:
        cols = [c.name for c in groups[scale]]
        score = {f"{k:02d}": float(k) for k in range(1, 6)}
        vals = pd.DataFrame({c: pop[c].map(score) for c in cols})  # NR/dk/'' → NaN
        enough = vals.notna().mean(axis=1) >= SCALE_MIN_SHARE - 1e-9
        out[scale] = vals.mean(axis=1).where(enough)
    return pd.DataFrame(out)


def _hedges(a: pd.Series, b: pd.Series) -> tuple[float, float]:
    a, b = a.dropna(), b.dropna()
    na, nb = len(a), len(b)
    sp = np.sqrt(((na - 1) * a.var() + (nb - 1) * b.var()) / (na + nb - 2))
    d = (a.mean() - b.mean()) / sp
    return a.mean() - b.mean(), d * (1 - 3 / (4 * (na + nb) - 9))


def population(instrument: Instrument) -> dict:
    rng = np.random.default_rng(demo.TRUTH_SEED)
    pop = demo.simulate(rng, N_POPULATION, instrument)
    scores = scale_scores(pop, instrument)
    region, role = pop["_region"], pop["role"]
    regions = list(demo.PLANT["region_share"])
    result: dict = {
        "n_simulated": N_POPULATION,
        "scale_min_share": round(SCALE_MIN_SHARE, 4),
        "scales": {},
    }
    role_weights = role.value_counts(normalize=True)
    for scale in SCALES:
        s = scores[scale]
        entry = {
            "items": [c.item for c in demo.construct_items(instrument)[scale]],
            "mean": _r(s.mean()),
            "sd": _r(s.std()),
            "mean_by_region": {r: _r(s[region == r].mean()) for r in regions},
            "sd_by_region": {r: _r(s[region == r].std()) for r in regions},
            "mean_by_region_role": {
                r: {ro: _r(s[(region == r) & (role == ro)].mean()) for ro in demo.ROLES}
                for r in regions
            },
            "mean_by_role": {ro: _r(s[role == ro].mean()) for ro in demo.ROLES},
            "pairs": {},
        }
        pairs = PLANTED_PAIRS.get(scale) or list(itertools.combinations(regions, 2))
        for a, b in pairs:
            diff, g = _hedges(s[region == a], s[region == b])
            entry["pairs"][f"{a}-{b}"] = {"mean_difference": _r(diff), "hedges_g": _r(g)}
        entry["planted"] = (
            "region_difference"
            if scale in PLANTED_PAIRS
            else "null"
            if scale in NULL_SCALES
            else "confounded_by_role"
        )
        if scale == CONFOUNDED:
            # Direct standardisation to the population role mix: the region effect given role.
            adjusted = {
                r: _r(
                    sum(
                        w * s[(region == r) & (role == ro)].mean() for ro, w in role_weights.items()
                    )
                )
                for r in regions
            }
            entry["role_standardised_mean_by_region"] = adjusted
            ref = demo.PLANT["region_share"] and "hso"
            entry["adjusted_region_effect"] = {f"{r}-{ref}": 0.0 for r in regions if r != ref}
            entry["adjusted_region_difference_population"] = {
                f"{r}-{ref}": _r(adjusted[r] - adjusted[ref]) for r in regions if r != ref
            }
            entry["marginal_region_difference_population"] = {
                f"{r}-{ref}": _r(entry["mean_by_region"][r] - entry["mean_by_region"][ref])
                for r in regions
                if r != ref
            }
        result["scales"][scale] = entry
    nomad = [c for c in instrument.item_columns if c.scale == "agree5"]
    nr = pd.DataFrame({c.name: pop[c.name].str.startswith("nr_") for c in nomad})
    result["not_relevant_share_by_role"] = {
        ro: _r(nr[role == ro].to_numpy().mean()) for ro in demo.ROLES
    }
    return result


def truth(instrument: Instrument, counts: dict, scale: int) -> dict:
    plant = {k: v for k, v in demo.PLANT.items()}
    return {
        "synthetic": True,
        "description": (
            "Planted parameters and population quantities of the synthetic demo survey; see "
            "docs/data/survey.md"
        ),
        "seed": demo.SEED,
        "truth_seed": demo.TRUTH_SEED,
        "scale": scale,
        "planted": plant,
        "item_shift": {k: float(v) for k, v in demo.item_shifts(instrument).items()},
        "expected_cleaning": {
            "step_order": instrument.cleaning["steps"],
            "n_removed": {k: counts[k] for k in instrument.cleaning["steps"]},
            "n_received": counts["received"],
            "n_analysed": counts["analysed"],
        },
        "planted_pairs": {k: [f"{a}-{b}" for a, b in v] for k, v in PLANTED_PAIRS.items()},
        "null_scales": NULL_SCALES,
        "confounded_scale": CONFOUNDED,
        "population": population(instrument),
    }
