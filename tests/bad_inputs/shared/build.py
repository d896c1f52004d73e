"""Build the shared bad-input corpus (issue 16): one file per class of hostile or damaged input
that the shared readers (impleval.tabular, the scanner) must turn into a clear error or handle.
cases.yaml says what each file must do; tests/unit/test_bad_inputs_shared.py runs them through
the real prepare scripts. Rebuild with `python tests/bad_inputs/shared/build.py`.

Everything is derived from the committed fixtures; no personal data (identifiers are synthetic
and checksum-valid only where the test needs the checksum).
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
SEP = ";"
REPO = HERE.parents[2]
MON = REPO / "data/raw/monitoring/synthetic_weekly-aggregates.csv"  # its first 12 weeks
SURVEY = REPO / "tests/fixtures/survey/report.csv"
INTERVIEWS = REPO / "tests/fixtures/interviews"


def monitoring_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(MON.read_text(encoding="utf-8-sig")), delimiter=SEP))[:13]


def write_csv(path: Path, rows, *, sep=SEP, encoding="utf-8", bom=b"") -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_bytes(bom + out.getvalue().encode(encoding))


def xlsx(path: Path, rows, merge=()) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref in merge:
        ws.merge_cells(ref)
    wb.save(path)


def replace_member(src: Path, dst: Path, member: str, data: bytes | None, extra=None) -> None:
    """Copy a zip, replacing `member` (or adding it), plus extra members (name → bytes)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        for info in zin.infolist():
            zout.writestr(
                info, data if info.filename == member and data is not None else zin.read(info)
            )
        if member not in names and data is not None:
            zout.writestr(member, data)
        for name, blob in (extra or {}).items():
            zout.writestr(name, blob)


def build_monitoring() -> None:
    rows = monitoring_rows()
    header, body = rows[0], rows[1:]
    utf8 = [header, *body]
    write_csv(HERE / "mon_utf16le_bom.csv", utf8, encoding="utf-16-le", bom=b"\xff\xfe")
    write_csv(HERE / "mon_utf16be_bom.csv", utf8, encoding="utf-16-be", bom=b"\xfe\xff")
    write_csv(HERE / "mon_utf16le_nobom.csv", utf8, encoding="utf-16-le")
    write_csv(HERE / "mon_utf16le_tab.txt", utf8, sep="\t", encoding="utf-16-le", bom=b"\xff\xfe")
    bad = [list(r) for r in utf8]
    bad[3][2] = "inf"
    bad[5][3] = "-inf"
    bad[6][3] = "NaN"
    bad[7][2] = "1e999"
    write_csv(HERE / "mon_inf_nan.csv", bad)
    week = [list(r) for r in utf8]
    week[4][1] = "9"
    write_csv(HERE / "mon_week_number.csv", week)
    # Blank lines: the bad value sits on row 7 as Excel shows it (two blank rows above it).
    text = (
        "\n".join(SEP.join(r) for r in utf8[:3])
        + "\n\n\n"
        + SEP.join([utf8[3][0], utf8[3][1], "x", utf8[3][3]])
        + "\n"
        + "\n".join(SEP.join(r) for r in utf8[4:])
        + "\n"
    )
    (HERE / "mon_blank_lines.csv").write_text(text, encoding="utf-8")
    xlsx(HERE / "mon_merged_cells.xlsx", utf8, merge=["A2:A6"])
    good = HERE / "_tmp.xlsx"
    numeric = [[c if i < 2 else float(c.replace(",", ".")) for i, c in enumerate(r)] for r in body]
    xlsx(good, [header, *numeric])
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    replace_member(
        good, HERE / "mon_damaged_sheet.xlsx", "xl/worksheets/sheet1.xml", sheet[: len(sheet) // 2]
    )
    replace_member(good, HERE / "mon_zip_bomb.xlsx", "xl/media/filler.bin", bytes(3 * 1024**2))
    good.unlink()
    shutil.copy(HERE / "mon_merged_cells.xlsx", HERE / "mon_zip_as_csv.csv")  # an xlsx named .csv
    (HERE / "mon_binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


def build_survey() -> None:
    rows = list(csv.reader(io.StringIO(SURVEY.read_text(encoding="utf-8")), delimiter=";"))
    header, body = rows[0], rows[1:]
    write_csv(HERE / "survey_utf16le_bom.csv", rows, sep=";", encoding="utf-16-le", bom=b"\xff\xfe")
    # A blank line after the 3rd submission; an unknown role on the 6th submission, which Excel
    # shows on row 8 (header + 5 submissions + the blank row above it).
    role = header.index("role")
    bad = [list(r) for r in body]
    bad[5][role] = "porter"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerows([header, *bad[:3]])
    out.write("\n")
    writer.writerows(bad[3:])
    (HERE / "survey_blank_line.csv").write_text(out.getvalue(), encoding="utf-8")
    merged = [header, *[list(r) for r in body]]
    xlsx(HERE / "survey_merged_cells.xlsx", merged, merge=[f"C3:C{len(merged)}"])
    dup = [list(r) for r in body]
    dup[4][0] = dup[1][0]
    write_csv(HERE / "survey_duplicate_id.csv", [header, *dup], sep=";")


BOMB = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE Project [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&d;"/>"""
EXTERNAL = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/hostname">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>"""


def build_interviews() -> None:
    refi = INTERVIEWS / "synthetic_refi.qdpx"
    replace_member(refi, HERE / "refi_entity_bomb.qdpx", "project.qde", BOMB)
    replace_member(refi, HERE / "refi_external_entity.qdpx", "project.qde", EXTERNAL)
    with zipfile.ZipFile(refi) as zf:  # a source text the importer reads, inflated 1000:1
        source = next(n for n in zf.namelist() if n.startswith("sources/"))
    replace_member(refi, HERE / "refi_zip_bomb.qdpx", source, b" " * (5 * 1024**2))
    # QualCoder: a coding whose end lies beyond its source text.
    target = HERE / "qualcoder_positions.qda"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(INTERVIEWS / "synthetic_qualcoder.qda", target)
    con = sqlite3.connect(target / "data.qda")
    con.execute(
        "UPDATE code_text SET pos1 = pos1 + 100000 WHERE ctid = (SELECT MIN(ctid) FROM code_text)"
    )
    con.commit()
    con.close()
    # MAXQDA segments with merged cells (a document name merged down the rows it codes).
    import pandas as pd

    seg = pd.read_excel(INTERVIEWS / "synthetic_maxqda-coded-segments.xlsx", dtype=str).fillna("")
    rows = [list(seg.columns), *seg.values.tolist()]
    xlsx(HERE / "maxqda_merged_cells.xlsx", rows, merge=["C2:C5"])


if __name__ == "__main__":
    build_monitoring()
    build_survey()
    build_interviews()
    print("built", len([p for p in HERE.iterdir() if p.name not in ("build.py", "cases.yaml")]))
