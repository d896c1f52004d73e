"""Input problems reported the way a researcher can act on them.

Every importer and validator collects *all* problems in a file before failing, and each problem
names the file, the row as the user sees it in Excel (1-based, header counted), the column, the
offending value and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from impleval.privacy.scan import mask, mask_file_name


@dataclass(frozen=True)
class Problem:
    file: str
    expected: str
    row: int | None = None  # spreadsheet row: header is row 1, first data row is row 2
    column: str | None = None
    value: str | None = None  # None when the value must not be printed (identifiers)

    def __str__(self) -> str:
        """The problem as one line. Every part taken from the data (file name, column header,
        value, and the expectation, which may quote headers or values) is masked
        (`privacy.scan.mask`): identifiers and the study's listed names become placeholders.
        Validation runs before the de-identification gate, so a fødselsnummer typed into a number
        column or a name in a header must not reach a log. In an id column an 8-digit value stays
        readable (it is the submission id the user must find, not a phone number)."""
        where = [mask_file_name(Path(self.file).name) if self.file else "<input>"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{mask(self.column)}'")
        got = "" if self.value is None else f": got {mask(self.value, column=self.column)!r}"
        return f"{', '.join(where)}{got}; expected {mask(self.expected)}"


class InputError(Exception):
    """One or more problems in the study's input files. Raised after collecting them all."""

    def __init__(self, problems: list[Problem] | Problem, *, max_listed: int = 50):
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:max_listed]]
        extra = len(self.problems) - len(lines)
        if extra > 0:
            lines.append(f"... and {extra} more problem(s)")
        n = len(self.problems)
        header = f"{n} problem{'s' if n != 1 else ''} in the input:"
        super().__init__("\n".join([header, *("  - " + line for line in lines)]))


class ProblemCollector:
    """Accumulates problems so that a validator can report every one of them at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file, expected, row=None, column=None, value=None) -> None:
        self.problems.append(Problem(str(file), expected, row, column, value))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)


def excel_row(index: int, header_rows: int = 1) -> int:
    """Spreadsheet row number of the 0-based data row `index` below `header_rows` header lines."""
    return int(index) + header_rows + 1
