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


def simulate(rng: np.random.Generator, n: int, instrument: Instrument) -> pd.DataFrame:
    """n regular (analysable) respondents: wide text codes plus latent helper columns."""
    regions = list(PLANT["region_share"])
    region = np.array(regions)[_choice(rng, np.tile(list(PLANT["region_share"].values()), (n, 1)))]
    trust = np.empty(n, dtype=object)
    role = np.empty(n, dtype=object)
    for r in regions:
        m = region == r
        names, p = zip(*PLANT["trust_share"][r].items(), strict=True)
        trust[m] = np.array(names)[_choice(rng, np.tile(p, (m.sum(), 1)))]
        role[m] = np.array(ROLES)[_choice(rng, np.tile(PLANT["role_mix"][r], (m.sum(), 1)))]
    g = rng.standard_normal(n)
    rho, lam = PLANT["rho_general"], PLANT["loading"]
    shifts = item_shifts(instrument)
    cuts = np.array(PLANT["cuts_agree5"])
    out: dict[str, np.ndarray] = {
        "trust": trust.astype(str),
        "role": role.astype(str),
        "_region": region,
    }
    manager_it = np.isin(role, ["manager", "it"])
    nomad_latent = []
    for construct, cols in construct_items(instrument).items():
        eta = np.sqrt(rho) * g + np.sqrt(1 - rho) * rng.standard_normal(n)
        eta += _lookup(region, PLANT["region_effect"].get(construct, {}))
        eta += _lookup(role, PLANT["role_effect"].get(construct, {}))
        if construct in (
            "coherence",
            "cognitive_participation",
            "collective_action",
            "reflexive_monitoring",
        ):
            nomad_latent.append(eta)
        for c in cols:
            if c.kind == "linear":
                continue  # general items below
            lat = eta
            if c.item in PLANT["benefit_role_effect"]:
                lat = eta + _lookup(role, PLANT["benefit_role_effect"][c.item])
                lat = lat + PLANT["benefit_shift"][c.item]
            y = lam * lat + np.sqrt(1 - lam**2) * rng.standard_normal(n) - shifts[c.item]
            codes = AGREE_CODES[(y[:, None] > cuts[None, :]).sum(axis=1)]
            u = rng.random(n)
            if c.scale == "agree5":
                p_nr = np.where(
                    manager_it,
                    PLANT["p_not_relevant"]["manager_it_hands_on"]
                    if c.item in PLANT["hands_on_items"]
                    else PLANT["p_not_relevant"]["manager_it"],
                    PLANT["p_not_relevant"]["base"],
                )
                if c.question == "RM":
                    p_nr = p_nr + PLANT["p_not_relevant"]["stage_RM"]
                nr = u < p_nr
                kind = np.where(
                    c.question == "RM",
                    "nr_stage",
                    np.where(
                        manager_it,
                        "nr_role",
                        np.array(["nr_role", "nr_stage", "nr_org"])[
                            _choice(rng, np.tile([0.5, 0.3, 0.2], (n, 1)))
                        ],
                    ),
                )
                codes[nr] = kind[nr]
            else:  # benefit5: don't know
                p_dk = np.where(
                    manager_it, PLANT["p_dont_know"]["manager_it"], PLANT["p_dont_know"]["base"]
                )
                codes[u < p_dk] = "dk"
            codes[rng.random(n) < PLANT["p_skip_item"]] = ""
            out[c.name] = codes
    general = np.mean(nomad_latent, axis=0)
    for j, c in enumerate([c for c in instrument.item_columns if c.kind == "linear"]):
        lo, hi = c.linear
        centre = [6.0, 5.0, 7.0][j % 3]
        v = np.clip(
            np.round(centre + 2.2 * (0.6 * general + 0.8 * rng.standard_normal(n))), lo, hi
        ).astype(int)
        codes = np.array([str(k) for k in range(hi + 1)], dtype=object)[v]
        codes[rng.random(n) < PLANT["p_skip_item"]] = ""
        out[c.name] = codes
    # Keep regular respondents clear of the too-few-items rule: unmask when under 60 %.
    nomad_cols = [
        c
        for c in instrument.item_columns
        if c.question in instrument.cleaning["min_items_questions"]
    ]
    subst = np.column_stack(
        [pd.Series(out[c.name]).isin(AGREE_CODES).to_numpy() for c in nomad_cols]
    )
    low = subst.mean(axis=1) < 0.6
    if low.any():
        for j, c in enumerate(nomad_cols):
            codes = out[c.name]
            bad = low & ~subst[:, j]
            y = lam * np.sqrt(rho) * g[bad] + np.sqrt(1 - lam**2 * rho) * rng.standard_normal(
                bad.sum()
            )
            codes[bad] = AGREE_CODES[(y[:, None] > cuts[None, :]).sum(axis=1)]
    p_train = np.where((role == "radiographer")[:, None], [0.10, 0.40, 0.50], [0.30, 0.50, 0.20])
    training = np.array(["none", "short", "thorough"], dtype=object)[_choice(rng, p_train)]
    training[rng.random(n) < 0.02] = ""
    out["TRAINING"] = training
    src_cols = instrument.sources_columns()
    probs = {"colleagues": 0.6, "vendor": 0.3, "e_learning": 0.35, "project_group": 0.4}
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
    comment = np.full(n, "", dtype=object)
    has = rng.random(n) < PLANT["p_comment"]
    comment[has] = np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), has.sum())]
    out["COMMENT"] = comment
    t = PLANT["answer_time_s"]
    seconds = np.maximum(t["min"], t["median"] * np.exp(t["sigma"] * rng.standard_normal(n)))
    out["_ms"] = (seconds * 1000).round().astype(np.int64)
    return pd.DataFrame(out)
