"""Small simulated survey in the canonical interim shape, with known truth, for tests and timing.

Latent-normal model: each respondent has one latent value per scale = region effect + role effect
+ N(0, 1); each item = latent + item noise, cut into 1..5 at fixed thresholds. Independent of the
demo generator (impleval.demo.survey) on purpose: the statistics are tested on a model whose truth
is known in closed form here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def simulate(
    n: int = 600, seed: int = 1, nr_share: float = 0.05
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    region = rng.choice(REGIONS, n, p=[0.4, 0.25, 0.2, 0.15])
    role = np.empty(n, dtype=object)
    for r in REGIONS:
        idx = np.flatnonzero(region == r)
        role[idx] = rng.choice(ROLES, len(idx), p=ROLE_MIX[r])
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
    long = []
    for scale, items in item_ids().items():
        shift = np.vectorize(REGION_EFFECT.get(scale, {}).get)(region, 0.0)
        shift = shift + np.vectorize(ROLE_EFFECT.get(scale, {}).get)(role, 0.0)
        latent = shift + rng.normal(size=n)
        for item in items:
            score = np.digitize(latent + rng.normal(scale=ITEM_NOISE, size=n), THRESHOLDS) + 1.0
            nr = rng.random(n) < nr_share
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
        },
        "bootstrap": {"n_boot": 99, "n_boot_omega": 20, "method": "percentile"},
        "ci_level": 0.95,
        "alpha": 0.05,
    }
