"""The canonical survey tables (docs/data/survey.md) as pandera schemas, checked before writing
(`prepare.checked` turns a failure into an input error naming the file and the step)."""

from __future__ import annotations

import pandas as pd


def canonical_schemas(categories: list[str], sources: list[str]):
    """Schemas of the respondents, responses, comments and submissions tables; `categories` and
    `sources` are the respondents table's category (text) and sources (0/1) columns."""
    import pandera.pandas as pa

    respondents = pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(str, pa.Check.str_matches(r"^R\d{5,}$"), unique=True),
            "region": pa.Column(str),
            "trust": pa.Column(str, pa.Check.str_length(min_value=1)),
            "role": pa.Column(str, pa.Check.str_length(min_value=1)),
            **{c: pa.Column(str) for c in categories},
            **{s: pa.Column("int64", pa.Check.isin([0, 1])) for s in sources},
            "answer_time_s": pa.Column(float, pa.Check.ge(0), nullable=True),
        },
        strict=True,
        ordered=True,
    )
    responses = pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(str),
            "item": pa.Column(str),
            "code": pa.Column(str),
            "score": pa.Column(float, nullable=True),
            "not_relevant": pa.Column(bool),
            "dont_know": pa.Column(bool),
        },
        strict=True,
        ordered=True,
        unique=["respondent_id", "item"],
    )
    comments = pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(str),
            "region": pa.Column(str),
            "role": pa.Column(str),
            "comment": pa.Column(str),
        },
        strict=True,
        ordered=True,
    )
    submissions = pa.DataFrameSchema(
        {
            "trust": pa.Column(str),
            "region": pa.Column(str),
            "role": pa.Column(str),
            "excluded_at": pa.Column(str),
        },
        strict=True,
        ordered=True,
    )
    return respondents, responses, comments, submissions


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
