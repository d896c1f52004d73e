"""The canonical survey tables (docs/data/survey.md) as pandera schemas, checked before writing
(a failure there is a programming error, not an input problem)."""

from __future__ import annotations

import pandas as pd


def canonical_schemas(sources: list[str]):
    import pandera.pandas as pa

    respondents = pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(str, pa.Check.str_matches(r"^R\d{5,}$"), unique=True),
            "region": pa.Column(str),
            "trust": pa.Column(str),
            "role": pa.Column(str),
            "TRAINING": pa.Column(str),
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
    return respondents, responses, comments


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
