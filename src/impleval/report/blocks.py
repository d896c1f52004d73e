"""Report blocks built from results: a results table (formatted, captioned, downloadable), a
figure from its caption file, and the study team's prose or a visible "to be written" box."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from impleval.report import markdown as md
from impleval.report.context import ReportContext
from impleval.report.tables import SUPPRESSED_MARK, Formatter, format_frame


def results_table(
    ctx: ReportContext,
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    caption: str,
    identifier: str,
    download: str,
    formats: Mapping[str, Formatter] | None = None,
    digits: int | Mapping[str, int] = 2,
    note: str = "",
    download_columns: Mapping[str, str] | None = None,
) -> str:
    """A formatted, captioned table with the shown rows downloadable as CSV.

    `columns` maps frame columns to headers (report language). The CSV holds the shown rows
    unformatted (machine-readable numbers, suppressed cells empty): the same columns, or
    `download_columns` where a shown column combines several (an estimate with its interval)."""
    if frame.empty:
        return ""
    shown, any_suppressed = format_frame(
        frame, columns, language=ctx.language, min_cell=ctx.min_cell, digits=digits, formats=formats
    )
    numeric = {
        header
        for column, header in columns.items()
        if pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
        and (formats or {}).get(column) not in ("text",)
    }
    notes = [note] if note else []
    if any_suppressed:
        notes.append(
            ctx.phrases("table.suppressed_note", mark=SUPPRESSED_MARK, min_cell=ctx.min_cell)
        )
    download_columns = download_columns or columns
    raw = frame[list(download_columns)].rename(columns=dict(download_columns))
    link = md.csv_link(raw, f"{download}.csv", ctx.phrases("table.download"))
    return md.table(
        md.pipe_table(shown, numeric), caption, identifier, note=" ".join(notes), download=link
    )


def estimate_ci(
    ctx: ReportContext, frame: pd.DataFrame, est: str, low: str, high: str, digits: int = 2
) -> list[str]:
    """'0,83 [0,81; 0,85]' per row (– where the estimate is missing or suppressed)."""
    from impleval import fmt

    out = []
    for e, lo, hi in zip(frame[est], frame[low], frame[high], strict=False):
        if pd.isna(e):
            out.append(fmt.MISSING[ctx.language])
        elif pd.isna(lo) or pd.isna(hi):
            out.append(fmt.number(e, digits, ctx.language))
        else:
            out.append(
                f"{fmt.number(e, digits, ctx.language)} "
                f"{fmt.interval(lo, hi, digits, ctx.language)}"
            )
    return out


def figure(ctx: ReportContext, name: str) -> str:
    """The figure with the caption and alt text its plot job wrote; '' when it was not drawn."""
    meta = ctx.results.figure(name)
    if meta is None:
        return ""
    return md.figure(meta["path"], meta["caption"], meta["alt"], fig_id(name))


def fig_id(name: str) -> str:
    return "fig-" + name.replace("_", "-")


def tbl_id(name: str) -> str:
    return "tbl-" + name.replace("_", "-")


def prose(ctx: ReportContext, topic: str, *, required: bool = True) -> str:
    """The study team's text for `topic`, or (when `required`) a visible box saying that the
    study team has not written it yet, naming the file to write."""
    text = ctx.prose.get(topic)
    if text is not None:
        return text
    if not required:
        return ""
    path = ctx.prose.path(topic)
    where = f"`{path.as_posix()}`" if path else ctx.phrases("prose.no_folder")
    return md.callout(
        "important",
        ctx.phrases("prose.missing_body", file=where),
        title=ctx.phrases("prose.missing_title"),
        classes="to-be-written",
    )
