"""Messages never print an identifier or a listed name (issue 16): every part of a Problem, every
log record, warnings and tracebacks; the names list reaches errors.py through the registry the
runner fills; an 8-digit submission id stays readable in its id column."""

import logging
import warnings
from types import SimpleNamespace

import pytest

from impleval.errors import InputError, Problem
from impleval.privacy.scan import set_names
from impleval.runner import NAMES_ENV, run

SECRETS = ("Kari", "Nordmann", "311299", "56715", "31129956715", "41234567", "kari.nordmann@")


@pytest.fixture
def names():
    set_names(["Kari Nordmann"])
    yield
    set_names([])


def assert_clean(text):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} printed"


def test_every_part_of_a_problem_is_masked(names):
    problem = Problem(
        "data/raw/Kari Nordmann 311299 56715.csv",
        "a column named 'role' (columns found: id, Kari Nordmann, tlf 41234567)",
        row=4,
        column="Kari Nordmann",
        value="kari.nordmann@helse-vest.no / 311299 56715",
    )
    text = str(InputError(problem))
    assert_clean(text)
    assert "[NAME][FNR].csv" in text.replace(" ", "") or "[NAME] [FNR].csv" in text
    assert "row 4, column '[NAME]'" in text and "[EMAIL]" in text and "[PHONE]" in text


def test_file_names_with_underscores_are_masked(names):
    text = str(Problem("raw/kari_nordmann_311299_56715.csv", "a number", 2))
    assert text == "[NAME]_[FNR].csv, row 2; expected a number"


def test_document_variable_value_with_a_listed_name_is_masked(names):
    text = str(Problem("vars.xlsx", "a role id", 7, "Rolle", "Kari Nordmann"))
    assert text == "vars.xlsx, row 7, column 'Rolle': got '[NAME]'; expected a role id"


def test_submission_id_readable_in_its_column_masked_elsewhere():
    assert "got '41234567'" in str(Problem("r.csv", "unique ids", 3, "$submission_id", "41234567"))
    assert "got '[PHONE]'" in str(Problem("r.csv", "a number", 3, "age", "41234567"))
    # A fødselsnummer is masked even in an id column.
    assert "[FNR]" in str(Problem("r.csv", "unique ids", 3, "$submission_id", "31129956715"))


def _smk(tmp_path, names_file=None):
    inputs = {"names": str(names_file)} if names_file else {}
    return SimpleNamespace(
        input=inputs, log=[str(tmp_path / "job.log")], rule="job", params=SimpleNamespace()
    )


def _names_file(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("# study names\nKari Nordmann\n", encoding="utf-8")
    return path


def test_runner_masks_input_errors_logs_warnings_and_tracebacks(tmp_path, capsys):
    def main(smk):
        logging.getLogger("impleval.x").info("read header 'Kari Nordmann' and %s", "311299 56715")
        warnings.warn("value 41234567 looks odd", UserWarning, stacklevel=1)
        raise InputError(Problem("Kari Nordmann.csv", "a number", 2, "$submission_id", "41234567"))

    with warnings.catch_warnings(), pytest.raises(SystemExit) as exit_info:
        warnings.simplefilter("always")  # shown even if pytest saw this warning before
        run(_smk(tmp_path, _names_file(tmp_path)), main)
    logging.captureWarnings(False)
    assert exit_info.value.code == 1
    log = (tmp_path / "job.log").read_text(encoding="utf-8")
    console = capsys.readouterr().err
    for text in (log, console):
        assert "read header '[NAME]' and [FNR]" in text
        assert "value [PHONE] looks odd" in text
        # The InputError keeps the submission id its column needs, and masks the file name.
        assert "[NAME].csv, row 2, column '$submission_id': got '41234567'" in text
        assert text.count("41234567") == 1
    set_names([])


def test_runner_masks_an_unexpected_exception_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(NAMES_ENV, str(_names_file(tmp_path)))

    def main(smk):
        {}["Kari Nordmann 31129956715"]

    with pytest.raises(SystemExit) as exit_info:
        run(_smk(tmp_path), main)
    assert exit_info.value.code == 1
    log = (tmp_path / "job.log").read_text(encoding="utf-8")
    assert "KeyError" in log and "unexpected error" in log and "[NAME] [FNR]" in log
    assert_clean(log)
    assert_clean(capsys.readouterr().err)
    set_names([])


def test_runner_reports_an_unreadable_names_file(tmp_path):
    with pytest.raises(SystemExit):
        run(_smk(tmp_path, tmp_path / "missing.txt"), lambda smk: None)
    assert "names file" in (tmp_path / "job.log").read_text(encoding="utf-8")
