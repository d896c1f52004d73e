"""The test-only simulators: defaults unchanged, planted truth in closed form."""

import numpy as np
import pandas as pd
import pytest

from impleval.demo import simulate_interviews as si
from impleval.demo import simulate_survey as ss


def test_survey_plant_default_is_the_default_survey():
    a, b = ss.simulate(120, 4)
    c, d = ss.simulate(120, 4, plant=ss.Plant())
    pd.testing.assert_frame_equal(a, c)
    pd.testing.assert_frame_equal(b, d)


def test_survey_cell_probabilities_match_a_large_simulation():
    plant = ss.Plant(general=0.3)
    cells = ss.cell_probabilities(plant, "trust_in_ai")
    assert cells["weight"].sum() == pytest.approx(1.0)
    respondents, responses = ss.simulate(40_000, 9, plant=plant)
    answers = responses[(responses["item"] == "TRUST1") & responses["score"].notna()].merge(
        respondents[["respondent_id", "role"]], on="respondent_id"
    )
    observed = answers.groupby("role")["score"].mean()
    cells = cells.assign(x=cells["answer"] * cells["weight"])
    expected = cells.groupby("role")["x"].sum() / cells.groupby("role")["weight"].sum()
    np.testing.assert_allclose(observed[expected.index], expected, atol=0.07)  # ≈ 4 SE


def test_true_kappa_matches_a_large_sample():
    rng = np.random.default_rng(0)
    p, a, n = 0.3, 0.9, 400_000
    first = rng.random(n) < p
    second = np.where(rng.random(n) < a, first, ~first)
    po = np.mean(first == second)
    q1, q2 = first.mean(), second.mean()
    pe = q1 * q2 + (1 - q1) * (1 - q2)
    assert si.true_kappa(p, a) == pytest.approx((po - pe) / (1 - pe), abs=0.005)


def test_interview_codes_are_a_parameter():
    codes = {"Only": ("only", [0.5, 0.5, 0.5, 0.5])}
    segments, documents = si.simulate(5, codes=codes, seed=2)
    assert set(segments["theme"]) <= {"only"} and len(documents) == 20
    default = si.simulate(5, seed=2)
    again = si.simulate(5, seed=2, codes=si.CODES)
    pd.testing.assert_frame_equal(default[0], again[0])
