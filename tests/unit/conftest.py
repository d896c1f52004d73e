"""Fixtures shared by the unit tests of one branch."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def instrument():
    """The demo survey instrument (survey.yaml + organisation.yaml, validated)."""
    from impleval.survey.settings import load_study

    return load_study(
        REPO / "config/demo-study/survey.yaml",
        REPO / "config/demo-study/organisation.yaml",
        REPO / "config/schema/survey.schema.yaml",
    )


@pytest.fixture(scope="module")
def small():
    """A small simulated survey with known structure, and settings with few resamples."""
    from impleval.demo.simulate_survey import settings as sim_settings
    from impleval.demo.simulate_survey import simulate
    from impleval.survey.settings import validate_settings

    respondents, responses = simulate(n=240, seed=3)
    settings = validate_settings(sim_settings(), REPO / "config/schema/survey-analysis.schema.yaml")
    settings["bootstrap"].update(n_boot=49, n_boot_omega=10)
    settings["ordinal_items"] = ["CO1", "TRUST1"]
    return respondents, responses, settings


@pytest.fixture(scope="module")
def results(small):
    """The survey analysis of `small` (min_cell 5)."""
    from impleval.survey.stats.analyse import analyse_survey

    respondents, responses, settings = small
    return analyse_survey(respondents, responses, settings, min_cell=5, seed=11)
