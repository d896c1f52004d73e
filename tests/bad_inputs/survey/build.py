"""Build the survey bad-input corpus from the fixture export (tests/fixtures/survey/report.csv).

    .venv/bin/python tests/bad_inputs/survey/build.py

Each case is one file (or folder) below this one; `cases.yaml` says how the importer must react
(`error` with message fragments, or `ok`: tolerated and giving the same canonical tables as the
fixture). Regenerating gives identical bytes.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
FIX = HERE.parents[1] / "fixtures/survey"


def load() -> pd.DataFrame:
    return pd.read_csv(FIX / "report.csv", sep=";", dtype=str, keep_default_na=False)


def to_csv(df: pd.DataFrame, sep: str = ";", quote_all: bool = True) -> str:
    return df.to_csv(
        sep=sep,
        index=False,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
        lineterminator="\n",
    )


def write(name: str, data: str | bytes) -> None:
    path = HERE / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def xlsx(df: pd.DataFrame, name: str, title_rows: list[str] | None = None) -> None:
    from impleval.demo.files import write_xlsx

    write_xlsx({"Svar": df}, HERE / name, title_rows=title_rows)


def main() -> None:
    good = load()
    text = to_csv(good)
    # Separators
    write("pipe_separated.csv", to_csv(good.drop(columns="COMMENT"), sep="|"))
    write("comma_separated.csv", to_csv(good, sep=","))
    write("tab_separated.txt", to_csv(good, sep="\t"))
    lines = text.splitlines(keepends=True)
    mixed = lines[:5] + [ln.replace('";"', '","') for ln in lines[5:8]] + lines[8:]
    write("mixed_separator.csv", "".join(mixed))
    # Encodings
    write("cp1252.csv", text.encode("cp1252"))
    write("bom.csv", "\ufeff" + text)
    # Structure
    write("missing_required_column.csv", to_csv(good.drop(columns=["role", "CO.CO2"])))
    write("empty.csv", "")
    write("header_only.csv", lines[0])
    bad = good.copy()
    bad.loc[3, "CO.CO1"] = "06"  # Excel row 5
    bad.loc[7, "TRUST.TRUST1"] = "nr_x"  # Excel row 9
    bad.loc[10, "role"] = "porter"  # Excel row 12
    write("unknown_option_code.csv", to_csv(bad))
    bad = good.copy()
    bad.loc[4, "G1"] = "11"  # Excel row 6
    bad.loc[5, "G3"] = "-1"  # Excel row 7
    bad.loc[6, "SOURCES.vendor"] = "2"  # Excel row 8
    write("out_of_range.csv", to_csv(bad))
    bad = good.copy()
    bad.loc[9, "$submission_id"] = bad.loc[2, "$submission_id"]  # rows 4 and 11
    write("duplicate_submission_id.csv", to_csv(bad))
    # Question texts as headers (report downloaded without the codebook)
    codebook = json.loads((FIX / "codebook.json").read_text(encoding="utf-8"))
    texts = {}
    for e in codebook:
        if e.get("externalElementId") is None:
            continue
        for s in e.get("subElements") or []:
            texts[f"{e['externalElementId']}.{s['externalElementId']}"] = (
                f"{e['text']} - {s['text']}"
            )
        texts.setdefault(e["externalElementId"], e["text"])
    write("question_text_headers.csv", to_csv(good.rename(columns=texts)))
    # Dates and numbers re-saved by Excel / Norwegian locale (tolerated)
    created = (
        pd.to_datetime(good["$created"], utc=True).dt.tz_convert("Europe/Oslo").dt.tz_localize(None)
    )
    serial = (created - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    write(
        "excel_serial_dates.csv",
        to_csv(good.assign(**{"$created": serial.map(lambda v: f"{v:.8f}")})),
    )
    mixed_dates = good.copy()
    mixed_dates.loc[::2, "$created"] = created[::2].dt.strftime("%d.%m.%Y %H:%M:%S")
    write("mixed_date_formats.csv", to_csv(mixed_dates))
    commas = good.copy()
    commas["$answer_time_ms"] = commas["$answer_time_ms"] + ",0"
    commas["G1"] = commas["G1"].where(commas["G1"] == "", commas["G1"] + ",0")
    write("decimal_commas.csv", to_csv(commas))
    # Checkbox skipped as all-empty versus all-0 (both mean 'none ticked')
    src = [c for c in good.columns if c.startswith("SOURCES.")]
    blank = good.copy()
    none = (blank[src] == "0").all(axis=1)
    blank.loc[none, src] = ""
    write("checkbox_all_empty.csv", to_csv(blank))
    zeros = good.copy()
    empty = (zeros[src] == "").all(axis=1)
    zeros.loc[empty, src] = "0"
    write("checkbox_all_zero.csv", to_csv(zeros))
    # Personal data
    stray = good.copy()
    stray.insert(2, "fodselsnummer", ["31129956715"] * len(stray))
    stray.insert(3, "email", ["kari.nordmann@example.no"] * len(stray))
    write("personal_data_column.csv", to_csv(stray))
    ident = good.copy()
    ident.loc[12, "COMMENT"] = "Ring meg på 912 34 567 om dette."  # Excel row 14
    ident.loc[12, "$answer_time_ms"] = "400000"
    write("identifier_in_comment.csv", to_csv(ident))
    # XLSX: title rows above the header (tolerated), the same with a bad code, and truncated
    num = ["$submission_id", "$answer_time_ms"]
    as_xlsx = good.copy().astype(object)
    for col in num:
        as_xlsx[col] = as_xlsx[col].astype(int)
    xlsx(as_xlsx, "title_rows.xlsx", title_rows=["Nettskjema 345678", "Eksportert 2025-04-15"])
    bad = as_xlsx.copy()
    bad.loc[3, "CO.CO1"] = "6"  # Excel row 4 + 2 title rows + header = row 7
    xlsx(bad, "title_rows_bad_code.xlsx", title_rows=["Nettskjema 345678", "Eksportert 2025-04-15"])
    full = (HERE / "title_rows.xlsx").read_bytes()
    write("truncated.xlsx", full[: len(full) // 2])
    # Damaged files (issue 16): UTF-16 text with and without BOM, merged cells, inf/nan spelt out
    write("utf16_bom.csv", text.encode("utf-16"))
    write("utf16_no_bom.csv", text.encode("utf-16-le"))
    merged_xlsx(as_xlsx, "merged_cells.xlsx")
    bad = good.copy()
    bad.loc[2, "$answer_time_ms"] = "inf"  # Excel row 4
    bad.loc[5, "G2"] = "NaN"  # Excel row 7
    bad.loc[8, "G3"] = "-Infinity"  # Excel row 10
    write("inf_in_numbers.csv", to_csv(bad))
    # Codebook problems
    write(
        "codebook_missing_row.json", json.dumps(_drop_row(codebook), ensure_ascii=False, indent=2)
    )
    write("codebook_not_json.json", '{"elements": [')
    # Long NDJSON: a broken line and an unknown element
    answers = (FIX / "answers.ndjson").read_text(encoding="utf-8").splitlines(keepends=True)
    broken = answers[:3] + ['{"submissionId": 1, "externalElementId": \n'] + answers[3:]
    rec = json.loads(answers[5])
    rec.update(elementId=9_999_999, externalElementId="Q99")
    broken = broken[:10] + [json.dumps(rec, ensure_ascii=False) + "\n"] + broken[10:]
    write("answers_broken.ndjson", "".join(broken))
    shutil.copyfile(FIX / "codebook.json", HERE / "codebook.json")


def merged_xlsx(df: pd.DataFrame, name: str) -> None:
    """The report as XLSX with the trust cells of four rows merged (as after a manual edit in
    Excel): only the first cell of the range keeps its value."""
    import io

    from openpyxl import load_workbook

    from impleval.demo.files import normalise_zip

    buf = io.BytesIO()
    df.to_excel(buf, index=False, sheet_name="Svar")
    book = load_workbook(io.BytesIO(buf.getvalue()))
    sheet = book["Svar"]
    col = list(df.columns).index("trust") + 1
    sheet.merge_cells(start_row=5, end_row=8, start_column=col, end_column=col)
    out = io.BytesIO()
    book.save(out)
    write(name, normalise_zip(out.getvalue()))


def _drop_row(codebook: list) -> list:
    out = json.loads(json.dumps(codebook))
    for e in out:
        if e.get("externalElementId") == "CO":
            e["subElements"] = e["subElements"][:-1]
        if e.get("externalElementId") == "TRUST":
            extra = dict(e["answerOptions"][-1], answerOptionId=61_999_999, sequence=9)
            e["answerOptions"].append(dict(extra, externalAnswerOptionId="06", text="Ekstra"))
    return out


if __name__ == "__main__":
    main()
