"""impleval.background: a function run in a forked child gives the in-line result and failures."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from impleval.background import Background, can_fork
from impleval.errors import InputError, Problem

needs_fork = pytest.mark.skipif(not can_fork(), reason="the platform does not fork")


def _frame_sum(frame: pd.DataFrame, *, column: str) -> tuple[int, float]:
    return os.getpid(), float(frame[column].sum())


def _fail(kind: str):
    if kind == "value":
        raise ValueError("bad value 7")
    if kind == "input":
        raise InputError(Problem("a.csv", "a number", row=3, column="x", value="?"))
    os._exit(3)  # the child dies without a result


@needs_fork
def test_the_child_computes_on_the_inherited_data():
    frame = pd.DataFrame({"x": np.arange(1000.0)})
    job = Background(_frame_sum, frame, column="x")
    pid, total = job.result()
    assert total == frame["x"].sum()
    assert pid != os.getpid()  # it ran in another process


def test_in_line_when_not_parallel():
    frame = pd.DataFrame({"x": [1.0, 2.0]})
    pid, total = Background(_frame_sum, frame, column="x", parallel=False).result()
    assert (pid, total) == (os.getpid(), 3.0)


@needs_fork
def test_failures_reach_the_caller():
    with pytest.raises(ValueError, match="bad value 7"):
        Background(_fail, "value").result()
    # An exception that does not survive pickling intact arrives as its traceback text.
    with pytest.raises((InputError, RuntimeError), match="a.csv"):
        Background(_fail, "input").result()
    with pytest.raises(RuntimeError, match="exit code 3"):
        Background(_fail, "exit").result()


def test_survey_analysis_the_same_with_the_models_beside(small):
    from impleval.survey.stats.analyse import analyse_survey

    respondents, responses, settings = small
    line = analyse_survey(respondents, responses, settings, min_cell=5, seed=11)
    beside = analyse_survey(respondents, responses, settings, min_cell=5, seed=11, parallel=True)
    for name in ("group_summary", "reliability", "omnibus", "pairwise", "ordinal", "scores"):
        pd.testing.assert_frame_equal(getattr(beside, name), getattr(line, name))
