"""markdown_table: formatting of results CSVs for the report's table cells."""

import pandas as pd
import pytest

from impleval.report.tables import markdown_table

NBSP = "\u00a0"


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame(
        {
            "region": ["hso", "vest", "nord|x"],
            "n": [120, 3, 40],
            "mean": [3.456, None, 1234.5],
            "p_holm": [0.0004, None, 0.2512],
            "suppressed": [False, True, False],
            "note": ["a", None, "c"],
        }
    ).to_csv(path, index=False)
    return path


def test_nb_formats_numbers_and_marks_suppressed(csv):
    text = markdown_table(
        csv,
        {"region": "Region", "n": "N", "mean": "Snitt", "p_holm": "p"},
        language="nb",
        min_cell=5,
    )
    lines = text.splitlines()
    assert lines[0] == "| Region | N | Snitt | p |"
    assert lines[1] == "|:---|---:|---:|---:|"
    assert f"| hso | 120 | 3,46 | <{NBSP}0,001 |" == lines[2]
    assert lines[3].endswith(
        "| \u2020 | \u2020 |"
    )  # suppressed cells: marked, not "< 5" (may be secondary)
    assert "nord\\|x" in lines[4]  # pipe escaped
    assert f"1{NBSP}234,50" in lines[4]
    assert "nan" not in text.lower()
    assert "færre enn 5" in text


def test_en_and_missing_without_suppression(csv):
    text = markdown_table(
        csv,
        {"region": "Region", "note": "Note", "mean": "Mean"},
        language="en",
        digits=1,
        query="region != 'vest'",
    )
    assert "| hso | a | 3.5 |" in text
    assert "1,234.5" in text
    assert "small-cell" not in text


def test_unsuppressed_missing_is_dash(tmp_path):
    path = tmp_path / "m.csv"
    pd.DataFrame({"x": [1.5, None]}).to_csv(path, index=False)
    text = markdown_table(path, {"x": "X"}, language="en")
    assert "| – |" in text and "nan" not in text.lower()


def test_unknown_column_fails_loudly(csv):
    with pytest.raises(KeyError, match="missing_col"):
        markdown_table(csv, {"missing_col": "M"})


def test_percent_format(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame({"share": [0.4251]}).to_csv(path, index=False)
    assert f"42,5{NBSP}%" in markdown_table(
        path, {"share": "Andel"}, digits={"share": 1}, formats={"share": "percent"}
    )
