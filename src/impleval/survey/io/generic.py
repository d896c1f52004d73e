"""Generic survey exports (Enalyzer, SurveyXact, Questback, SPSS `.sav`) through the study's
column map (survey.yaml → generic): source columns are renamed to Nettskjema wide names and source
values recoded to option codes, then validated like any Nettskjema export."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.errors import InputError, Problem
from impleval.survey.io.export import SurveyExport, _integer_text
from impleval.survey.io.guards import refuse_merged_cells, refuse_utf16
from impleval.survey.settings import Instrument
from impleval.tabular import read_delimited, read_xlsx


def _read_sav(path: str) -> pd.DataFrame:
    import pyreadstat

    try:
        df, _ = pyreadstat.read_sav(path)
    except Exception as err:  # pyreadstat raises its own ReadstatError/PyreadstatError types
        raise InputError(
            Problem(path, f"a readable SPSS .sav file ({type(err).__name__}: {err})")
        ) from None
    # Numbers → text the same way a CSV would show them ('3', not '3.0'); missing → ''.
    text = df.astype(object).where(df.notna(), "").astype(str)
    return text.apply(_integer_text)


def read_generic(path: str | os.PathLike, instrument: Instrument) -> SurveyExport:
    path = str(path)
    suffix = Path(path).suffix.lower()
    mapping = instrument.config["generic"]
    if suffix == ".sav":
        data, header_row, warnings = _read_sav(path), 1, []
        rows = np.arange(len(data)) + 2  # a .sav file has no blank rows: record n is row n + 1
    else:
        id_source = next(
            (s for s, t in mapping["columns"].items() if t == "$submission_id"), "$submission_id"
        )
        if suffix in {".xlsx", ".xlsm"}:
            refuse_merged_cells(path)
            table = read_xlsx(path, required=[id_source])
        else:
            refuse_utf16(path)
            table = read_delimited(path)
        data, header_row, warnings = table.data, table.header_row, table.warnings
        rows = table.spreadsheet_rows()  # as Excel shows them (blank lines skipped)
    if data.empty:
        raise InputError(
            Problem(path, "at least one data row below the header", row=header_row + 1)
        )
    data = data.rename(columns=mapping["columns"]).reset_index(drop=True)
    recode = mapping["values"]
    for col in instrument.columns:
        if col.name not in data.columns:
            continue
        table_map = recode.get(col.question) or recode.get(col.scale or "")
        if table_map:
            s = _integer_text(data[col.name].astype(str).str.strip())
            data[col.name] = s.map(lambda v, table_map=table_map: table_map.get(v, v))
    if "$created" in data.columns:
        data["$created"] = data["$created"].astype(str)
    return SurveyExport(data, path, rows, header_row, warnings)
