"""Bad-input corpus for the interview importers (tests/bad_inputs/interviews, built by
tests/fixtures/interviews/build.py): each case runs the prepare script as Snakemake would and
asserts the message, exit status 1, untouched inputs and no outputs left behind."""

from __future__ import annotations

import hashlib
import runpy
from pathlib import Path

import pytest

from tests.script_harness import Named, rule_outputs

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests/fixtures/interviews"
BAD = REPO / "tests/bad_inputs/interviews"
SCRIPT = REPO / "scripts/prepare_interviews.py"
GOOD = {
    "segments": FIX / "synthetic_maxqda-coded-segments.xlsx",
    "document_variables": FIX / "synthetic_maxqda-document-variables.xlsx",
    "qualcoder_project": FIX / "synthetic_qualcoder.qda/data.qda",
    "qualcoder_report": FIX / "synthetic_qualcoder-coding-report.xlsx",
    "refi_project": FIX / "synthetic_refi.qdpx",
}
KEYS = {
    "maxqda": ["segments", "document_variables"],
    "qualcoder": ["qualcoder_project"],
    "qualcoder_xlsx": ["qualcoder_report"],
    "refi_qda": ["refi_project"],
}


class FakeSnakemake:
    def __init__(self, fmt, paths, out: Path, on_hit="fail"):
        out.mkdir(parents=True, exist_ok=True)  # Snakemake creates the log folder
        exports = {k: str(paths[k]) for k in KEYS[fmt]}
        self.input = Named(
            **exports,
            interviews=str(REPO / "config/demo-study/interviews.yaml"),
            organisation=str(REPO / "config/demo-study/organisation.yaml"),
            schema=str(REPO / "config/schema/interviews.schema.yaml"),
            names=str(REPO / "config/demo-study/names.txt"),
        )
        self.output = rule_outputs("prepare_interviews", out)
        self.params = Named(format=fmt, export_keys=list(exports), on_hit=on_hit)
        self.log = [str(out / "prepare.log")]


def run_script(fmt, paths, out):
    smk = FakeSnakemake(fmt, paths, out)
    runpy.run_path(str(SCRIPT), init_globals={"snakemake": smk}, run_name="__main__")
    return smk


def _digest(paths) -> dict:
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


CASES = [
    # (id, format, {input key: bad file}, fragments expected in the message)
    ("corrupt_qdpx", "refi_qda", {"refi_project": "corrupt.qdpx"}, ["corrupt.qdpx", "not a zip"]),
    (
        "qdpx_without_project",
        "refi_qda",
        {"refi_project": "no_project.qdpx"},
        ["containing project.qde"],
    ),
    (
        "qdpx_broken_xml",
        "refi_qda",
        {"refi_project": "broken_xml.qdpx"},
        ["well-formed project.qde"],
    ),
    (
        "sqlite_not_qualcoder",
        "qualcoder",
        {"qualcoder_project": "not_qualcoder.qda"},
        ["table 'source'", "table 'code_text'", "QualCoder"],
    ),
    (
        "text_file_as_qda",
        "qualcoder",
        {"qualcoder_project": "text_file.qda"},
        ["not one", "SQLite"],
    ),
    (
        "truncated_xlsx",
        "maxqda",
        {"segments": "truncated.xlsx"},
        ["truncated.xlsx", "readable .xlsx"],
    ),
    (
        "missing_column",
        "maxqda",
        {"segments": "missing_column.xlsx"},
        ["column 'Code'", "a column named 'Code'"],
    ),
    ("header_only", "maxqda", {"segments": "header_only.xlsx"}, ["at least one data row"]),
    (
        "unmapped_code",
        "maxqda",
        {"segments": "unmapped_code.xlsx"},
        ["Organisasjon > Ukjent kode", "row 2", "column 'Code'", "`themes:`"],
    ),
    (
        "unknown_values",
        "maxqda",
        {"document_variables": "unknown_values.xlsx"},
        ["row 2, column 'Fase': got 'pilot'", "row 3, column 'Region': got 'sør'", "a stage id"],
    ),
    (
        "document_without_variables",
        "maxqda",
        {"document_variables": "missing_document.xlsx"},
        ["document variables for every coded document", "column 'Document name'"],
    ),
    (
        "personal_variable",
        "maxqda",
        {"document_variables": "personal_variable.xlsx"},
        ["column 'Navn'", "allow-list"],
    ),
    (
        "trust_region_mismatch",
        "maxqda",
        {"document_variables": "trust_region_mismatch.xlsx"},
        ["the region of trust 'vv'", "got 'nord'"],
    ),
    (
        "inf_paragraph_number",
        "maxqda",
        {"segments": "inf_paragraph.xlsx"},
        ["inf_paragraph.xlsx, row 3, column 'Beginning': got 'inf'", "a paragraph number"],
    ),
    (
        "qualcoder_position_beyond_text",
        "qualcoder",
        {"qualcoder_project": "position_beyond_text.qda"},
        ["column 'code_text (ctid 2)'", "a selection inside the source text", "0 <= pos0"],
    ),
    (
        "refi_entity_bomb",
        "refi_qda",
        {"refi_project": "entity_bomb.qdpx"},
        ["entity_bomb.qdpx, column 'project.qde'", "EntitiesForbidden"],
    ),
    (
        "refi_external_entity",
        "refi_qda",
        {"refi_project": "external_entity.qdpx"},
        ["external_entity.qdpx, column 'project.qde'", "without entity declarations"],
    ),
    (
        "refi_zip_bomb",
        "refi_qda",
        {"refi_project": "zip_bomb.qdpx"},
        ["zip_bomb.qdpx, column 'project.qde'", "expand at most 100 times"],
    ),
    (
        "identifier_in_text",
        "maxqda",
        {"segments": "identifier_in_text.xlsx"},
        [
            "identifier_in_text.xlsx, row 6, column 'text'",
            "fødselsnummer",
            "identifier_in_text.xlsx, row 4, column 'text'",
            "phone number",
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly(case, tmp_path):
    _, fmt, bad, fragments = case
    paths = {**GOOD, **{k: BAD / v for k, v in bad.items()}}
    inputs = [paths[k] for k in KEYS[fmt]]
    before = _digest(inputs)
    with pytest.raises(SystemExit) as exit_info:
        run_script(fmt, paths, tmp_path)
    assert exit_info.value.code == 1
    log = (tmp_path / "prepare.log").read_text(encoding="utf-8")
    for fragment in fragments:
        assert fragment in log, f"{fragment!r} not in:\n{log}"
    assert "Traceback" not in log
    assert "31129956715" not in log and "412 34 567" not in log  # identifiers are never printed
    assert _digest(inputs) == before
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "prepare.log")
    assert leftovers == [], leftovers


def test_every_problem_is_reported_together(tmp_path):
    paths = {**GOOD, "document_variables": BAD / "unknown_values.xlsx"}
    with pytest.raises(SystemExit):
        run_script("maxqda", paths, tmp_path)
    assert "2 problems in the input" in (tmp_path / "prepare.log").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("segments", "title_rows.xlsx"),
        ("segments", "segments_bom_semicolon.csv"),
        # Labels (any language, any case, extra spaces) instead of ids in the document variables.
        ("document_variables", "labels_variables.xlsx"),
    ],
)
def test_tolerated_variants_read_like_the_original(key, name, tmp_path):
    import pandas as pd

    run_script("maxqda", GOOD, tmp_path / "a")
    run_script("maxqda", {**GOOD, key: BAD / name}, tmp_path / "b")
    for table in ("interview_segments.parquet", "interview_documents.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "a/interim" / table),
            pd.read_parquet(tmp_path / "b/interim" / table),
        )


def test_member_size_cap_holds_whatever_the_header_says(tmp_path, monkeypatch):
    """A member above the size cap is refused while it is read (the cap is a module constant)."""
    from impleval.errors import InputError
    from impleval.interviews.io import refi

    monkeypatch.setattr(refi, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(InputError, match="archive members of at most 0 MB"):
        refi.read_refi(GOOD["refi_project"], {})


def test_entities_are_never_expanded(tmp_path):
    """The external entity names a file on this machine: its content must appear nowhere."""
    from impleval.errors import InputError
    from impleval.interviews.io.refi import read_refi

    with pytest.raises(InputError) as err:
        read_refi(BAD / "external_entity.qdpx", {})
    hostname = Path("/etc/hostname")
    if hostname.is_file() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in str(err.value)


def utf16_detected() -> bool:
    """Whether impleval.tabular recognises UTF-16 (it reads `a;b` back, not mojibake)."""
    from impleval.tabular import decode_bytes

    return decode_bytes("a;b\n".encode("utf-16"), "probe.csv")[0].strip() == "a;b"


@pytest.mark.skipif(
    not utf16_detected(),
    reason="needs the shared UTF-16 detection in impleval.tabular (branch privacy); the importer "
    "reads through tabular.read_table and gets it there without a change of its own",
)
def test_utf16_segments_csv_reads_like_the_original(tmp_path):
    import pandas as pd

    utf16 = tmp_path / "segments_utf16.csv"
    text = (BAD / "segments_bom_semicolon.csv").read_text(encoding="utf-8-sig")
    utf16.write_bytes(text.encode("utf-16"))
    run_script("maxqda", GOOD, tmp_path / "a")
    run_script("maxqda", {**GOOD, "segments": utf16}, tmp_path / "b")
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "a/interim/interview_segments.parquet"),
        pd.read_parquet(tmp_path / "b/interim/interview_segments.parquet"),
    )
