"""De-identification gate: free text is scanned for direct identifiers before it leaves the
importers.

`gate_frame` scans the text columns of a table with `privacy.scan` and fails or redacts; the gate's
summaries (one row per source, column and kind) are combined into results/tables/deid_hits.csv;
`check_allowed_columns` refuses columns that are not on a study's allow-list. What the scanner
catches, and why it is written by hand: `impleval.privacy.scan`.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from impleval.errors import InputError, Problem, excel_row
from impleval.privacy.scan import (  # noqa: F401 (read_names: re-exported for the steps)
    KINDS,
    Hit,
    compile_names,
    read_names,
    redact_text,
    scan_text,
)

KIND_LABELS = {
    "fnr": "fødselsnummer (national identity number)",
    "dnr": "D-number",
    "hnr": "H-number",
    "phone": "phone number",
    "email": "e-mail address",
    "orgnr": "organisation number",
    "name": "listed name",
}
SUMMARY_COLUMNS = ["source", "column", "kind", "confidence", "n_hits", "action", "n_values_scanned"]


def _problem(file: str, row: int, column: str, hit: Hit) -> Problem:
    label = KIND_LABELS[hit.kind]
    if hit.confidence == "low":
        why = (
            f"no {label} in free text (low confidence: a number of that shape failing the "
            "checksum or date check; check for a mistyped identifier)"
        )
    else:
        why = f"no {label} in free text"
    # value=None: the identifier itself must never be printed or logged.
    return Problem(
        str(file), f"{why}; remove it from the export or set deid.on_hit: redact", row, column, None
    )


def gate_frame(
    df: pd.DataFrame,
    *,
    text_columns: Sequence[str],
    source: str,
    file,
    on_hit: str,
    names: Iterable[str] = (),
    header_rows: int = 1,
    rows: Sequence[int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scan `text_columns` of `df` for identifiers; fail or redact.

    `on_hit="fail"` raises InputError listing every hit (file, Excel row, column, kind; never the
    identifier), including low-confidence ones. `on_hit="redact"` replaces hits with typed
    placeholders. Rows are numbered by position (`excel_row(i, header_rows)`) unless `rows` gives
    the spreadsheet row of each df row (when upstream steps dropped or reordered rows).

    Returns (clean df, summary) where the summary has one row per column and kind/confidence
    found, or a `kind="none"` row with `n_hits=0` for a column without hits (proof the scan ran).
    """
    if on_hit not in ("fail", "redact"):
        raise ValueError(f"on_hit must be 'fail' or 'redact', not {on_hit!r}")
    missing = [c for c in text_columns if c not in df.columns]
    if missing:
        raise ValueError(f"text columns not in the table: {missing}")
    if rows is not None and len(rows) != len(df):
        raise ValueError("rows must give one spreadsheet row per df row")
    names_re = compile_names(names)
    clean = df.copy()
    problems: list[Problem] = []
    summary: list[dict] = []
    for column in text_columns:
        counts: Counter = Counter()
        values = df[column].tolist()
        new_values = list(values)
        n_scanned = 0
        for i, value in enumerate(values):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            n_scanned += 1
            hits = scan_text(str(value), _names_re=names_re)
            if not hits:
                continue
            row = int(rows[i]) if rows is not None else excel_row(i, header_rows)
            for hit in hits:
                counts[(hit.kind, hit.confidence)] += 1
                if on_hit == "fail":
                    problems.append(_problem(file, row, column, hit))
            if on_hit == "redact":
                new_values[i] = redact_text(str(value), hits)
        if on_hit == "redact" and counts:
            clean[column] = pd.Series(new_values, index=df.index, dtype=df[column].dtype)
        for (kind, confidence), n in sorted(
            counts.items(), key=lambda kv: (KINDS.index(kv[0][0]), kv[0][1])
        ):
            summary.append(
                dict(
                    source=source,
                    column=column,
                    kind=kind,
                    confidence=confidence,
                    n_hits=n,
                    action="redacted",
                    n_values_scanned=n_scanned,
                )
            )
        if not counts:
            summary.append(
                dict(
                    source=source,
                    column=column,
                    kind="none",
                    confidence="",
                    n_hits=0,
                    action="passed",
                    n_values_scanned=n_scanned,
                )
            )
    if problems:
        raise InputError(problems)
    return clean, pd.DataFrame(summary, columns=SUMMARY_COLUMNS)


def empty_summary() -> pd.DataFrame:
    """A summary frame with the gate's columns and no rows (for sources without free text)."""
    return pd.DataFrame(columns=SUMMARY_COLUMNS)


def check_allowed_columns(columns: Iterable[str], allowed: Iterable[str], *, file) -> None:
    """Refuse any column not on the study's allow-list (fail closed on personal data).

    Allow-list entries are exact column names, or shell-style patterns (`q12_*`, `item_?`) for
    families of generated columns. Raises InputError naming every refused column."""
    allowed = [str(a) for a in allowed]
    exact = set(allowed)
    patterns = [a for a in allowed if any(ch in a for ch in "*?[")]
    problems = [
        Problem(
            str(file),
            "only columns on the study's allow-list (they may hold personal data): remove the "
            "column from the export, or add it to the allow-list in the study config if it holds "
            "no personal data",
            None,
            str(col),
            None,
        )
        for col in columns
        if str(col) not in exact and not any(fnmatch.fnmatchcase(str(col), p) for p in patterns)
    ]
    if problems:
        raise InputError(problems)


def combine_summaries(
    summaries: Mapping[str, pd.DataFrame], *, files: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One hits table from the gate summaries of each source (in the given order).

    A source whose summary has no rows (no free-text columns) gets a `kind="none"` row with
    action "no free text", so the table still shows that the source went through the gate.
    Raises InputError when a summary lacks the gate's columns."""
    frames = []
    problems = []
    for source, summary in summaries.items():
        missing = [c for c in SUMMARY_COLUMNS if c not in summary.columns]
        if missing:
            problems.append(
                Problem(
                    str((files or {}).get(source, source)),
                    f"a de-identification summary with columns {SUMMARY_COLUMNS}",
                    None,
                    ", ".join(missing),
                    None,
                )
            )
            continue
        frame = summary
        if frame.empty:
            frame = pd.DataFrame(
                [
                    dict(
                        source=source,
                        column="",
                        kind="none",
                        confidence="",
                        n_hits=0,
                        action="no free text",
                        n_values_scanned=0,
                    )
                ]
            )
        frames.append(frame[SUMMARY_COLUMNS])
    if problems:
        raise InputError(problems)
    out = pd.concat(frames, ignore_index=True) if frames else empty_summary()
    for col in ("n_hits", "n_values_scanned"):
        out[col] = pd.to_numeric(out[col]).astype("int64")
    for col in ("source", "column", "kind", "confidence", "action"):
        out[col] = out[col].fillna("").astype(str)
    return out
