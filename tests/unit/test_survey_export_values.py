"""validate_export's column checks look each distinct text up once (issue: 100× respondents):
the same canonical texts and the same problems, rows and values as the per-cell code before."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from impleval.errors import InputError
from impleval.survey.io import export
from impleval.survey.io.export import (
    DATE_FORMATS,
    SurveyExport,
    _check_column,
    date_text,
    number_text,
    validate_export,
)
from impleval.survey.settings import Column


def _per_cell_check_column(raw: pd.Series, col, report) -> pd.Series:
    """`_check_column` as it was: one Python call per cell (the reference)."""
    s = raw.fillna("").astype(str).str.strip()
    if col.kind == "choice":
        s = export._integer_text(s) if all(c.lstrip("-").isdigit() for c in col.accepted()) else s
        accepted = col.accepted()
        report(
            ~s.isin([*accepted, ""]),
            col.name,
            s,
            f"one of the option codes {', '.join(accepted)} or empty",
        )
        return s.map(lambda v: col.values.get(v, v))
    if col.kind == "linear":
        lo, hi = col.linear
        num = export._numbers(s)
        bad = (s != "") & (num.isna() | (num % 1 != 0) | (num < lo) | (num > hi))
        report(bad, col.name, s, f"a whole number from {lo} to {hi} or empty")
        return num.map(lambda v: "" if pd.isna(v) else str(int(v))).where(~bad, s)
    if col.kind == "number":
        lo, hi = col.number_range
        num = export._numbers(s)
        bad = (s != "") & (num.isna() | (num < lo) | (num > hi))
        report(bad, col.name, s, "a number")
        return num.map(lambda v: "" if pd.isna(v) else number_text(v)).where(~bad, s)
    if col.kind == "date":
        text = {v: date_text(v, col.date_format) for v in s.unique() if v != ""}
        bad = s.map(lambda v: v != "" and text[v] is None)
        report(bad, col.name, s, f"{DATE_FORMATS[col.date_format]} or empty")
        return s.map(lambda v: text.get(v) or v)
    raise AssertionError(col.kind)


CHOICE = Column(
    "Q", "Q", "choice", "item", codes={"01": (1, None), "02": (2, None), "nr": (None, "nr")}
)
COLUMNS = [
    CHOICE,
    replace(CHOICE, values={"1": "01", "2": "02", "9": "nr"}),  # exported codes mapped
    Column("L", "L", "linear", "item", linear=(1, 7)),
    Column("N", "N", "number", "category", number_range=(0.0, 100.0)),
    *(Column(f"D{f}", "D", "date", "category", date_format=f) for f in DATE_FORMATS),
]
CELLS = {  # good and bad texts per kind, with spaces, float-like integers and empty cells
    "choice": ["01", "02", " 02 ", "nr", "", "1", "2", "9", "1.0", "03", "x", None, np.nan],
    "linear": ["1", "7", " 4 ", "4.0", "4,0", "", "0", "8", "3.5", "x", None, "-0", "1e0"],
    "number": ["0", "12,5", "1 000", "99.99", "-0", "", "100.5", "-1", "inf", "nan", "x", None],
    "date": [
        "2025-03-14",
        "14.03.2025",
        "2025-03-26T21:40",
        "26.03.2025 21:40",
        "07:00",
        "7.00",
        "45730",
        "45730,5",
        "",
        "2025-02-30",
        "25:00",
        "x",
        None,
    ],
}


def _collect():
    problems = []

    def report(mask, column, values, expected):
        problems.extend((idx, column, values[idx], expected) for idx in mask[mask].index)

    return problems, report


@pytest.mark.parametrize("col", COLUMNS, ids=lambda c: f"{c.kind}-{c.name}-{bool(c.values)}")
def test_distinct_values_give_the_per_cell_result(col):
    rng = np.random.default_rng(7)
    cells = CELLS[col.kind]
    raw = pd.Series(rng.choice(np.array(cells, dtype=object), size=2000), dtype=object)
    raw.index = rng.permutation(np.arange(10, 2010))  # not a range index
    for dtype in (object, "str"):
        got_problems, got_report = _collect()
        want_problems, want_report = _collect()
        got = _check_column(raw.astype(dtype), col, got_report)
        want = _per_cell_check_column(raw.astype(dtype), col, want_report)
        pd.testing.assert_series_equal(got, want, check_exact=True)
        assert [p[:3] for p in got_problems] == [p[:3] for p in want_problems]
        assert got_problems  # the bad texts are reported


def test_one_bad_cell_among_ten_thousand_is_reported_at_its_row(instrument):
    n = 10_000
    rng = np.random.default_rng(3)
    data = {
        "$submission_id": [str(30_000_000 + i) for i in range(n)],
        "$created": ["2025-03-04T09:12:44+01:00"] * n,
        "$answer_time_ms": ["600000"] * n,
    }
    for col in instrument.columns:
        if col.kind == "choice":
            good = np.array([*col.codes, ""], dtype=object)
        elif col.kind == "linear":
            good = np.array([str(v) for v in range(col.linear[0], col.linear[1] + 1)], dtype=object)
        elif col.kind == "checkbox":
            good = np.array(["0", "1", ""], dtype=object)
        else:
            good = np.array(["", "fine"], dtype=object)
        data[col.name] = rng.choice(good, size=n)
    frame = pd.DataFrame(data, dtype="str")
    rows = np.arange(2, n + 2) + (np.arange(n) >= 5000)  # a blank line above row 5002
    linear = next(c for c in instrument.columns if c.kind == "linear")
    choice = next(c for c in instrument.columns if c.kind == "choice")
    frame.loc[7321, linear.name] = str(linear.linear[1] + 1)
    frame.loc[42, choice.name] = "77"
    submissions = validate_export(
        SurveyExport(frame.drop(index=[7321, 42]), "report.csv", np.delete(rows, [7321, 42])),
        instrument,
    )
    assert len(submissions) == n - 2
    with pytest.raises(InputError) as err:
        validate_export(SurveyExport(frame, "report.csv", rows), instrument)
    assert sorted((p.row, p.column, p.value) for p in err.value.problems) == [
        (44, choice.name, "77"),
        (7324, linear.name, str(linear.linear[1] + 1)),
    ]
