"""Reading exports (tabular.py): the bad-input classes of issue 16 become clear errors or are
handled, one test per class."""

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from impleval import tabular
from impleval.errors import InputError, ProblemCollector
from impleval.tabular import (
    parse_date,
    parse_decimal,
    parse_xml,
    read_delimited,
    read_table,
    read_xlsx,
    read_zip_member,
)

CSV = "site;week_start;n\nbaerum;2023-01-02;120\ndrammen;2023-01-09;118\n"


def write(tmp_path, name, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def message(err) -> str:
    return str(err.value)


# --- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, prefix",
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),  # no BOM: detected from the zero bytes
        ("utf-16-be", b""),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
    ],
)
def test_utf16_and_utf32_are_detected_and_read_with_a_warning(tmp_path, encoding, prefix):
    text = CSV.replace("baerum", "bærum")
    path = write(tmp_path, "a.csv", prefix + text.encode(encoding))
    table = read_delimited(path)
    expected = read_delimited(write(tmp_path, "b.csv", text.encode("utf-8")))
    pd.testing.assert_frame_equal(table.data, expected.data)
    assert table.encoding == encoding and "bærum" in table.data["site"].tolist()
    assert any("UTF-" in w for w in table.warnings)


def test_damaged_utf16_is_a_clear_error(tmp_path):
    path = write(tmp_path, "a.csv", b"\xff\xfe" + "a;b\n1;2\n".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(InputError) as err:
        read_delimited(path)
    assert "a.csv; expected valid UTF-16-LE text" in message(err)


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"PK\x03\x04" + b"\x00" * 40, "this is a zip archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
    ],
)
def test_binary_and_zip_files_saved_as_csv_are_refused(tmp_path, data, expected):
    with pytest.raises(InputError) as err:
        read_delimited(write(tmp_path, "export.csv", data))
    assert "export.csv" in message(err) and expected in message(err)


# --- rows as Excel shows them --------------------------------------------------------------------


def test_row_numbers_count_blank_lines(tmp_path):
    text = "\nsite;n\nbaerum;1\n\n\ndrammen;x\n;\nasker;inf\n"
    table = read_table(write(tmp_path, "a.csv", text.encode()), required=["site"])
    assert table.header_row == 2
    assert table.data["site"].tolist() == ["baerum", "drammen", "asker"]
    assert table.spreadsheet_rows().tolist() == [3, 6, 8]
    problems = ProblemCollector()
    parse_decimal(table.data["n"], table, "n", problems)
    assert [(p.row, p.value) for p in problems.problems] == [(6, "x"), (8, "inf")]


def test_quoted_line_breaks_stay_one_row(tmp_path):
    text = 'id;comment\n1;"first\nsecond"\n2;ok\n'
    table = read_delimited(write(tmp_path, "a.csv", text.encode()))
    assert table.data["comment"].tolist() == ["first\nsecond", "ok"]
    assert table.spreadsheet_rows().tolist() == [2, 3]


def test_rows_with_another_field_count_are_refused_with_their_rows(tmp_path):
    text = "a;b;c\n1;2;3\n\n4,5,6\n7;8\n"
    with pytest.raises(InputError) as err:
        read_delimited(write(tmp_path, "a.csv", text.encode()))
    text = message(err)
    assert "a.csv, row 4: got '1 field(s)'; expected 3 fields separated by ';'" in text
    assert "seems to use ','" in text and "row 5: got '2 field(s)'" in text


# --- XLSX ----------------------------------------------------------------------------------------


def xlsx(path, rows, merge=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref in merge:
        ws.merge_cells(ref)
    wb.save(path)
    return path


def test_xlsx_blank_rows_keep_excel_row_numbers(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["Title"], [], ["site", "n"], ["a", 1], [], ["b", 2]])
    table = read_xlsx(path, required=["site"])
    assert table.header_row == 3 and table.data["site"].tolist() == ["a", "b"]
    assert table.spreadsheet_rows().tolist() == [4, 6]


def test_merged_cells_in_the_data_are_refused_not_silently_emptied(tmp_path):
    rows = [["Survey export"], ["id", "trust", "role"]]
    rows += [[str(i), "vv" if i == 1 else None, "lege"] for i in range(1, 6)]
    path = xlsx(tmp_path / "a.xlsx", rows, merge=["A1:C1", "B3:B7"])
    with pytest.raises(InputError) as err:
        read_xlsx(path, required=["id"])
    text = message(err)
    assert "a.xlsx, row 3, column 'trust'" in text and "merged B3:B7 (rows 3-7" in text
    assert "unmerge" in text and "A1:C1" not in text  # the merged title is fine


def test_damaged_sheet_xml_is_a_clear_error(tmp_path):
    good = xlsx(tmp_path / "good.xlsx", [["a", "b"], [1, 2]])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<<<not xml"
            zout.writestr(info, data)
    with pytest.raises(InputError) as err:
        read_table(bad)
    assert "bad.xlsx; expected a readable .xlsx workbook; it is damaged" in message(err)


# --- zip archives and XML ------------------------------------------------------------------------


def zip_with(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_member_too_compressed_is_refused_before_reading(tmp_path):
    path = zip_with(
        tmp_path / "p.qdpx", {"project.qde": b"<Project/>", "sources/a.txt": b"0" * 3 * 1024**2}
    )
    with pytest.raises(InputError) as err:
        tabular.open_zip(path, what="REFI-QDA project")
    assert "column 'sources/a.txt'" in message(err) and "compressed at most 100:1" in message(err)


def test_zip_member_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_MEMBER_BYTES", 1000)
    path = zip_with(tmp_path / "p.qdpx", {"big.txt": bytes(range(256)) * 8})
    with pytest.raises(InputError) as err:
        tabular.open_zip(path)
    assert "at most 0 MB" in message(err) or "members of at most" in message(err)
    # Sizes in the directory can lie: the capped read stops at the limit either way.
    with zipfile.ZipFile(path) as zf, pytest.raises(InputError):
        read_zip_member(zf, "big.txt", str(path))


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Project>&lol2;</Project>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Project>&xxe;</Project>"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL])
def test_entity_bombs_and_external_entities_are_refused(data):
    with pytest.raises(InputError) as err:
        parse_xml(data, "p.qdpx", what="project.qde")
    text = message(err)
    assert "p.qdpx; expected a project.qde without a DTD" in text and "Forbidden" in text
    assert "passwd" not in text


def test_malformed_xml_is_a_clear_error():
    with pytest.raises(InputError) as err:
        parse_xml(b"<Project><a></Project>", "p.qdpx", what="project.qde")
    assert "expected a well-formed project.qde" in message(err)


# --- cell values ---------------------------------------------------------------------------------


def _table(values):
    return tabular.Table(pd.DataFrame({"x": values}), "a.csv")


@pytest.mark.parametrize("text", ["inf", "-inf", "Infinity", "nan", "NaN", "1e999", "-1e400"])
def test_non_finite_numbers_are_refused(text):
    problems = ProblemCollector()
    out = parse_decimal(pd.Series(["1", text, "4,5"]), _table(["1", text, "4,5"]), "x", problems)
    assert [(p.row, p.value) for p in problems.problems] == [(3, text)]
    assert "finite number" in problems.problems[0].expected
    assert out.iloc[2] == 4.5


@pytest.mark.parametrize(
    "text, ok",
    [
        ("9", False),
        ("53", False),
        ("1", False),
        ("25568", False),
        ("45809", True),
        ("45809.0", True),
        ("2023-01-02", True),
        ("02.01.2023", True),
        ("2023-01-02 00:00:00", True),
    ],
)
def test_small_integers_are_not_excel_serial_dates(text, ok):
    problems = ProblemCollector()
    out = parse_date(pd.Series([text]), _table([text]), "week", problems)
    assert (not problems) is ok
    if not ok:
        assert problems.problems[0].row == 2 and "Excel date number (25569–73415" in str(
            problems.problems[0]
        )
    if text in ("9", "53"):
        assert "week or month number" in str(problems.problems[0])
    if ok:
        assert out.iloc[0].year >= 2023


def test_table_row_number_falls_back_without_rows():
    assert tabular.Table(pd.DataFrame({"a": [1]}), "x", header_row=3).row_number(0) == 4


def test_read_text_decodes_like_tables(tmp_path):
    path = write(tmp_path, "a.ndjson", b"\xff\xfe" + '{"a": "æ"}\n'.encode("utf-16-le"))
    text, enc, warnings = tabular.read_text(path)
    assert text == '{"a": "æ"}\n' and enc == "utf-16-le" and warnings


def test_a_bom_saved_twice_and_a_long_free_text_field(tmp_path):
    long = "x" * 1_000_000  # over the csv module's default 128 KiB field limit
    data = b"\xef\xbb\xbf\xef\xbb\xbf" + f'id;comment\n1;"{long}"\n'.encode()
    table = read_delimited(write(tmp_path, "a.csv", data))
    assert table.data.columns.tolist() == ["id", "comment"]
    assert table.data["comment"].iloc[0] == long


# --- Unicode normalisation of cells ------------------------------------------------------------


def test_decomposed_cells_are_nfc_and_combining_marks_stay_in_their_cell(tmp_path):
    data = "navn;merknad\nRe\u0301ne;\u0301x\nRéne;a\u0301\u0316\n".encode()
    table = read_delimited(write(tmp_path, "a.csv", data))
    assert table.data["navn"].tolist() == ["Réne", "Réne"]  # e + U+0301 → U+00E9
    # A cell beginning with a combining mark keeps it (nothing before it in the cell to join),
    # and marks are put in canonical order.
    assert table.data["merknad"].tolist() == ["\u0301x", "á\u0316"]
    assert table.data.dtypes.tolist() == ["str", "str"]


def test_a_cell_joined_across_a_closing_quote_is_nfc(tmp_path):
    # The csv reader drops the closing quote of `"e"` + U+0301 and keeps the rest in the field:
    # the cell is e + U+0301 although the file's text is NFC.
    data = 'a;b\n"e"\u0301;x\n'.encode()
    table = read_delimited(write(tmp_path, "a.csv", data))
    assert table.data.loc[0, "a"] == "\u00e9"


@pytest.mark.parametrize("cell", ["Hvorfor\u037e", '"Hvorfor\u037e"', "\u037e"])
def test_a_greek_question_mark_stays_in_its_cell(tmp_path, cell):
    # NFC maps U+037E GREEK QUESTION MARK to ';', the separator: the file is parsed first, so
    # the mark ends up as ';' inside its cell instead of splitting the row into three fields.
    data = f"spm;svar\n{cell};ja\n".encode()
    table = read_delimited(write(tmp_path, "a.csv", data))
    assert table.data.loc[0].tolist() == [cell.strip('"').replace("\u037e", ";"), "ja"]


def test_header_only_file_gives_no_rows(tmp_path):
    table = read_delimited(write(tmp_path, "a.csv", b"a;b\n"))
    assert table.data.empty and table.data.columns.tolist() == ["a", "b"]


def test_cells_equal_normalising_every_cell(tmp_path):
    """The cells equal the NFC of every parsed cell (the per-cell code before), on random text
    with composed and decomposed letters, combining marks, Hangul jamo, quotes and separators."""
    import csv
    import io
    import unicodedata

    import numpy as np

    rng = np.random.default_rng(11)
    pieces = [
        *"abcø ",
        "æ",
        "e\u0301",
        "\u0301",
        "\u0316",
        "A\u030a",
        "Å",
        "\u1100",
        "\u1161",
        "\u11a8",
        '"',
        ";",
        "\n",
        "",
    ]
    cells = [
        ["".join(rng.choice(pieces, size=rng.integers(0, 6))) for _ in range(4)]
        for _ in range(3000)
    ]
    cells += [[f"{v}\u0301" for v in row] for row in cells[:200]]  # repeated texts, varied
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows([["a", "b", "c", "d"], *cells])
    path = write(tmp_path, "a.csv", buf.getvalue().encode())
    table = read_delimited(path)
    text = unicodedata.normalize("NFC", buf.getvalue())
    records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=";")][1:]
    records = [r for r in records if any(c.strip() for c in r)]
    want = pd.DataFrame(records, columns=["a", "b", "c", "d"], dtype=object).map(
        lambda v: unicodedata.normalize("NFC", v)
    )
    pd.testing.assert_frame_equal(table.data, want, check_exact=True)


def test_spreadsheet_rows_without_or_with_too_few_known_rows():
    frame = pd.DataFrame({"a": [1, 2, 3]})
    assert tabular.Table(frame, "x", header_row=2).spreadsheet_rows().tolist() == [3, 4, 5]
    short = tabular.Table(frame, "x", rows=[7, 9])  # the third row falls back to header + index
    assert short.spreadsheet_rows().tolist() == [7, 9, 4]
    assert tabular.Table(frame, "x", rows=[7, 9, 12]).spreadsheet_rows().dtype == int
