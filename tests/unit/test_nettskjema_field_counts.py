"""The wide report's field-count check reads every line ending the table reader accepts."""

import pytest

from impleval.errors import InputError
from impleval.survey.io.nettskjema_wide import check_field_counts


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_well_formed_table_passes_with_any_line_ending(tmp_path, newline):
    path = tmp_path / "report.csv"
    path.write_bytes(newline.join(["a;b;c", "1;2;3", "", "4;5;6", ""]).encode("utf-8"))
    check_field_counts(str(path), ";")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_row_with_another_separator_is_named_by_its_row(tmp_path, newline):
    path = tmp_path / "report.csv"
    path.write_bytes(newline.join(["a;b;c", "1;2;3", "4,5,6", ""]).encode("utf-8"))
    with pytest.raises(InputError) as err:
        check_field_counts(str(path), ";")
    message = str(err.value)
    assert "report.csv" in message and "3" in message and "','" in message
