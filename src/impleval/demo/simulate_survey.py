"""Simulated survey in the canonical interim shape, with known truth, for tests, timing and the
calibration study (validation/).

Latent-normal model: each respondent has one latent value per scale = region effect + role effect
+ N(0, 1) (optionally with a share `general` of it common to all scales); each item = latent +
item noise, cut into 1..5 at fixed thresholds; a share `nr_share` of answers is "not relevant"
at random. Independent of the demo generator (impleval.demo.survey) on purpose: the statistics
are tested on a model whose truth is known in closed form here (`cell_probabilities`: the
population distribution of an item's answers in each region × role cell).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

REGIONS = ["hso", "vest", "midt", "nord"]
ROLES = ["radiographer", "radiologist", "orthopaedist", "emergency", "manager"]
TRUSTS = {
    "hso": ["vv", "ahus"],
    "vest": ["bergen", "stavanger"],
    "midt": ["stolav"],
    "nord": ["unn", "nlsh"],
}
SCALES = {
    "coherence": 4,
    "cognitive_participation": 4,
    "collective_action": 7,
    "reflexive_monitoring": 5,
    "trust_in_ai": 3,
    "digital_maturity": 3,
}
PREFIX = {
    "coherence": "CO",
    "cognitive_participation": "CP",
    "collective_action": "CA",
    "reflexive_monitoring": "RM",
    "trust_in_ai": "TRUST",
    "digital_maturity": "DM",
}
# Planted latent region effects (SD units) and the confounded role effect on trust.
REGION_EFFECT = {
    "coherence": {"hso": 0.5},
    "collective_action": {"hso": 0.4},
    "digital_maturity": {"hso": 0.2},
}
ROLE_EFFECT = {"trust_in_ai": {"radiographer": 0.8, "radiologist": -0.8}}
# Role mix per region: vest many radiographers, nord many radiologists (confounding for trust).
ROLE_MIX = {
    "hso": [0.3, 0.3, 0.15, 0.15, 0.1],
    "vest": [0.6, 0.1, 0.1, 0.1, 0.1],
    "midt": [0.3, 0.3, 0.15, 0.15, 0.1],
    "nord": [0.1, 0.6, 0.1, 0.1, 0.1],
}
THRESHOLDS = [-1.5, -0.5, 0.5, 1.5]
ITEM_NOISE = 0.7


def item_ids() -> dict[str, list[str]]:
    return {s: [f"{PREFIX[s]}{i + 1}" for i in range(k)] for s, k in SCALES.items()}


@dataclass(frozen=True)
class Plant:
    """What a simulated study plants: group shares, role mix per region, latent effects."""

    region_share: tuple = (0.4, 0.25, 0.2, 0.15)
    role_mix: dict = field(default_factory=lambda: dict(ROLE_MIX))
    region_effect: dict = field(default_factory=lambda: dict(REGION_EFFECT))
    role_effect: dict = field(default_factory=lambda: dict(ROLE_EFFECT))
    general: float = 0.0  # share of each scale's latent variance common to all scales
    nr_share: float = 0.05

    def shift(self, scale: str, region, role) -> np.ndarray:
        """Latent shift of each respondent on `scale` (region effect + role effect)."""
        out = np.vectorize(self.region_effect.get(scale, {}).get)(region, 0.0)
        return out + np.vectorize(self.role_effect.get(scale, {}).get)(role, 0.0)


def simulate(
    n: int = 600, seed: int = 1, nr_share: float = 0.05, plant: Plant | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(respondents, responses) of one simulated survey (canonical interim tables).

    The default plant (and `nr_share`) gives the survey the unit tests were written on; a
    `plant` replaces both."""
    plant = plant or Plant(nr_share=nr_share)
    rng = np.random.default_rng(seed)
    region = rng.choice(REGIONS, n, p=list(plant.region_share))
    role = np.empty(n, dtype=object)
    for r in REGIONS:
        idx = np.flatnonzero(region == r)
        role[idx] = rng.choice(ROLES, len(idx), p=plant.role_mix[r])
    trust = np.array([rng.choice(TRUSTS[r]) for r in region])
    ids = [f"R{i + 1:05d}" for i in range(n)]
    respondents = pd.DataFrame(
        {
            "respondent_id": ids,
            "region": region,
            "trust": trust,
            "role": role.astype(str),
            "TRAINING": rng.choice(["none", "short", "thorough"], n),
            "answer_time_s": rng.uniform(120, 900, n).round(1),
        }
    )
    common = rng.normal(size=n) if plant.general > 0 else 0.0
    long = []
    for scale, items in item_ids().items():
        shift = plant.shift(scale, region, role)
        own = rng.normal(size=n)
        latent = shift + np.sqrt(plant.general) * common + np.sqrt(1 - plant.general) * own
        for item in items:
            score = np.digitize(latent + rng.normal(scale=ITEM_NOISE, size=n), THRESHOLDS) + 1.0
            nr = rng.random(n) < plant.nr_share
            code = np.where(nr, "nr_role", np.char.zfill(score.astype(int).astype(str), 2))
            long.append(
                pd.DataFrame(
                    {
                        "respondent_id": ids,
                        "item": item,
                        "code": code,
                        "score": np.where(nr, np.nan, score),
                        "not_relevant": nr,
                        "dont_know": False,
                    }
                )
            )
    return respondents, pd.concat(long, ignore_index=True)


def cell_probabilities(plant: Plant, scale: str) -> pd.DataFrame:
    """Population distribution of an answer to any item of `scale` (they share one model).

    Returns
    -------
    pandas.DataFrame
        One row per region × role × answer (1..5): ``region``, ``role``, ``answer``,
        ``weight`` = P(region) P(role | region) P(answer | region, role). An item given the
        cell is the latent N(shift, 1) plus N(0, ITEM_NOISE²) noise, cut at THRESHOLDS.
    """
    sd = np.sqrt(1 + ITEM_NOISE**2)
    cuts = np.concatenate([[-np.inf], THRESHOLDS, [np.inf]])
    rows = []
    for r, p_region in zip(REGIONS, plant.region_share, strict=True):
        for ro, p_role in zip(ROLES, plant.role_mix[r], strict=True):
            mu = float(plant.shift(scale, np.array([r]), np.array([ro]))[0])
            probs = np.diff(stats.norm.cdf((cuts - mu) / sd))
            for k, pk in enumerate(probs, start=1):
                rows.append((r, ro, float(k), p_region * p_role * pk))
    return pd.DataFrame(rows, columns=["region", "role", "answer", "weight"])


def settings() -> dict:
    """An analysis definition for the simulated survey (same shape as survey-analysis.yaml)."""
    items = item_ids()
    return {
        "scales": {s: {"items": i} for s, i in items.items()},
        "min_answered_share": 0.6667,
        "item_groups": dict(items),
        "categorical_items": ["TRAINING"],
        "ordinal_items": [i for block in items.values() for i in block],
        "agreement": {
            "default": {"agree_min": 4, "disagree_max": 2, "min": 1, "max": 5},
            "overrides": [],
        },
        "group_vars": [
            {"name": "region", "reference": "hso", "levels": REGIONS, "pairwise": True},
            {"name": "trust", "reference": "vv", "pairwise": False},
            {"name": "role", "reference": "radiographer", "pairwise": True},
        ],
        "adjusted_model": {"group_var": "region", "covariates": ["role"], "po_test": "brant"},
        "multiplicity": {
            "item_screen": {"method": "fdr_bh", "within": ["group_var", "family"]},
            "scale_omnibus": {"method": "holm", "within": ["group_var"]},
            "pairwise_items": {"method": "holm", "within": ["outcome", "group_var"]},
            "ordinal_region": {"method": "fdr_bh", "within": ["model"]},
            "adjusted_scales": {"method": "holm", "within": ["group_var"]},
        },
        "bootstrap": {"n_boot": 99, "n_boot_omega": 20, "method": "percentile"},
        "ci_level": 0.95,
        "alpha": 0.05,
    }
