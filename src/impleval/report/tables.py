"""Results CSV → markdown table for the report's table cells.

Every chapter's table cell calls `markdown_table(...)` and displays the string with
`IPython.display.Markdown`. The function only *formats* (no analysis): it picks and renames
columns, formats numbers for the report language through `impleval.fmt`, shows cells suppressed
by the small-cell rule as "< min_cell" with a marker and a note, and never prints a raw NaN.

Written by hand: `DataFrame.to_markdown` (tabulate) cannot format per column with the report
language's decimal comma, nor mark suppressed cells.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

import pandas as pd

from impleval import fmt

SUPPRESSED_MARK = "\u2020"  # dagger: the note under the table explains it
NOTE = {
    "nb": (
        "{mark} Skjult etter småcelleregelen: gruppen har færre enn {min_cell} svar, eller "
        "cellen er skjult i tillegg slik at en skjult celle ikke kan regnes ut fra totalene."
    ),
    "en": (
        "{mark} Suppressed by the small-cell rule: the group has fewer than {min_cell} "
        "responses, or the cell is hidden as well so that a suppressed cell cannot be worked out "
        "from the totals."
    ),
}
BOOLEAN = {"nb": ("ja", "nei"), "en": ("yes", "no")}
# Column names that hold p-values: formatted APA-style ("< 0.001").
P_COLUMN = re.compile(r"^(p|pval|p_value|p_unc|p_adj|p_holm|p_bh|p_fdr|p_corr)(_.*)?$", re.I)
# Column names that hold counts: integers even when a suppressed NA made pandas read floats.
COUNT_COLUMN = re.compile(r"^(n|n_.*|.*_n|count|.*_count|k|df)$", re.I)

Formatter = str | Callable[[object], str]


def _formatter(
    column: str,
    series: pd.Series,
    spec: Formatter | None,
    digits: int,
    language: str,
    percent_digits: int = 0,
) -> Callable[[object], str]:
    if callable(spec):
        return spec
    kind = spec or _infer_kind(column, series)
    if kind == "integer":
        return lambda x: fmt.integer(x, language)
    if kind == "pvalue":
        return lambda x: fmt.pvalue(x, language)
    if kind == "percent":
        return lambda x: fmt.percent(x, digits=percent_digits, language=language)
    if kind == "number":
        return lambda x: fmt.number(x, digits, language)
    if kind == "bool":
        yes, no = BOOLEAN[language]
        return lambda x: fmt.MISSING[language] if pd.isna(x) else (yes if bool(x) else no)
    if kind == "text":
        return lambda x: fmt.MISSING[language] if pd.isna(x) else str(x)
    raise ValueError(f"unknown format {kind!r} for column {column!r}")


def _infer_kind(column: str, series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if not pd.api.types.is_numeric_dtype(series):
        return "text"
    if P_COLUMN.match(column):
        return "pvalue"
    values = series.dropna()
    whole = len(values) == 0 or bool((values == values.round()).all())
    if pd.api.types.is_integer_dtype(series) or (COUNT_COLUMN.match(column) and whole):
        return "integer"
    return "number"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>@#])")


def _escape(text: str, *, free_text: bool = False) -> str:
    # A pipe would end the cell; a newline would end the row. Markdown and HTML in free text
    # (quotes, labels) must show as text, not become emphasis, tags or cross-references.
    if free_text:
        text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def format_frame(
    df: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    language: str = "nb",
    min_cell: int = 5,
    digits: int | Mapping[str, int] = 2,
    formats: Mapping[str, Formatter] | None = None,
) -> tuple[pd.DataFrame, bool]:
    """Formatted text frame with the renamed columns, and whether any cell shows as suppressed."""
    if language not in fmt.MISSING:
        raise ValueError(f"unknown report language {language!r}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"columns {missing} not in the table (it has {list(df.columns)})")
    formats = formats or {}
    suppressed_rows = (
        df["suppressed"].fillna(False).astype(bool)
        if "suppressed" in df.columns
        else pd.Series(False, index=df.index)
    )
    # Just the mark: a secondary (complementary) suppression is not "< min_cell", and "< 5" in a
    # percentage column would read as "under 5 %".
    marker = SUPPRESSED_MARK
    out = {}
    any_suppressed = False
    for column, header in columns.items():
        per_column = isinstance(digits, Mapping)
        col_digits = digits.get(column, 2) if per_column else digits
        # Percentages read best whole unless a column asks for decimals explicitly.
        pct_digits = digits.get(column, 0) if per_column else 0
        formatter = _formatter(
            column, df[column], formats.get(column), col_digits, language, pct_digits
        )
        hidden = suppressed_rows & df[column].isna()
        any_suppressed |= bool(hidden.any())
        out[header] = [
            marker if hide else _escape(formatter(value), free_text=isinstance(value, str))
            for value, hide in zip(df[column], hidden, strict=True)
        ]
    return pd.DataFrame(out, columns=list(columns.values())), any_suppressed


def to_pipe_table(table: pd.DataFrame, right_align: set[str] = frozenset()) -> str:
    """Pandoc/Quarto pipe table; numeric columns right-aligned."""
    headers = [_escape(str(h)) for h in table.columns]
    align = ["---:" if h in right_align else ":---" for h in table.columns]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines)


def markdown_table(
    csv_path: str | os.PathLike,
    columns: Mapping[str, str],
    language: str = "nb",
    min_cell: int = 5,
    digits: int | Mapping[str, int] = 2,
    *,
    formats: Mapping[str, Formatter] | None = None,
    query: str | None = None,
    sort_by: str | list[str] | None = None,
) -> str:
    """Markdown pipe table of `columns` (CSV column → header label) from a results CSV.

    `digits`: decimals for non-integer numbers (one value or per column; percentages have 0
    unless given per column). `formats` overrides the
    inferred kind per column: "integer", "number", "percent" (shares 0..1), "pvalue", "bool",
    "text" or a callable. `query` (pandas `DataFrame.query`) selects rows; `sort_by` orders them.
    Cells that the small-cell rule suppressed (row `suppressed` true, value NA) show as
    "< min_cell" with a dagger, explained in a note below the table. Other missing values show "–".
    """
    df = pd.read_csv(csv_path, keep_default_na=True)
    if query:
        df = df.query(query)
    if sort_by:
        df = df.sort_values(sort_by, kind="stable")
    table, any_suppressed = format_frame(
        df, columns, language=language, min_cell=min_cell, digits=digits, formats=formats
    )
    numeric = {
        columns[c]
        for c in columns
        if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    }
    text = to_pipe_table(table, numeric)
    if any_suppressed:
        text += "\n\n" + NOTE[language].format(mark=SUPPRESSED_MARK, min_cell=min_cell)
    return text + "\n"
