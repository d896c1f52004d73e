"""Interview importers on small fixture files (tests/fixtures/interviews, built by build.py
there)."""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from impleval.config import load_yaml
from impleval.errors import InputError
from impleval.interviews.io.canonical import (
    DOCUMENT_COLUMNS,
    SEGMENT_COLUMNS,
    build_canonical,
    paragraph_span,
)
from impleval.interviews.io.prepare import prepare_interviews, read_coding
from impleval.interviews.settings import load_study

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests/fixtures/interviews"
PATHS = {
    "segments": FIX / "synthetic_maxqda-coded-segments.xlsx",
    "document_variables": FIX / "synthetic_maxqda-document-variables.xlsx",
    "qualcoder_project": FIX / "synthetic_qualcoder.qda/data.qda",
    "qualcoder_report": FIX / "synthetic_qualcoder-coding-report.xlsx",
    "refi_project": FIX / "synthetic_refi.qdpx",
}
FORMATS = ["maxqda", "qualcoder", "qualcoder_xlsx", "refi_qda"]


@pytest.fixture(scope="module")
def study():
    interviews, organisation = load_study(
        REPO / "config/demo-study/interviews.yaml",
        REPO / "config/schema/interviews.schema.yaml",
        REPO / "config/demo-study/organisation.yaml",
    )
    return interviews, organisation


@pytest.fixture(scope="module")
def tables(study):
    return {fmt: prepare_interviews(fmt, PATHS, *study) for fmt in FORMATS}


def test_schema_fills_defaults(study):
    interviews, _ = study
    assert interviews["unmapped_codes"] == "error"
    assert interviews["allowed_document_variables"] == []
    assert set(interviews["stakeholders"]) <= set(interviews["themes"])
    assert set(interviews["themes"].values()) == set(interviews["theme_labels"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_canonical_columns_and_pseudonyms(tables, fmt):
    segments, documents, summary = tables[fmt]
    assert list(segments.columns) == SEGMENT_COLUMNS
    assert list(documents.columns) == DOCUMENT_COLUMNS
    assert documents["interview_id"].tolist() == ["I001", "I002", "I003"]
    assert documents["stage"].tolist() == ["procurement", "implementation", "post_implementation"]
    assert documents["double_coded"].tolist() == [False, True, False]
    assert set(segments["coder"]) == {"coder_1", "coder_2"}
    assert set(segments.loc[segments["coder"] == "coder_2", "interview_id"]) == {"I002"}
    # Document and user names never leave the importers.
    flat = " ".join(segments.map(str).agg(" ".join, axis=1)) + " ".join(
        documents.map(str).agg(" ".join, axis=1)
    )
    assert "VV-ANS" not in flat and "ingrid" not in flat and "jonas" not in flat
    assert summary["kind"].tolist() == ["none"] and summary["n_values_scanned"].iloc[0] == len(
        segments
    )
    assert segments["theme"].notna().all() and (segments["theme"] != "unmapped").all()


@pytest.mark.parametrize("fmt", ["qualcoder", "refi_qda"])
def test_all_formats_give_the_same_canonical_tables(tables, fmt):
    pd.testing.assert_frame_equal(tables[fmt][0], tables["maxqda"][0])
    pd.testing.assert_frame_equal(tables[fmt][1], tables["maxqda"][1])


def test_qualcoder_xlsx_report_equal_except_positions(tables):
    keys = ["interview_id", "coder", "code_path", "text"]
    a = (
        tables["maxqda"][0]
        .drop(columns=["position", "position_end"])
        .sort_values(keys)
        .reset_index(drop=True)
    )
    b = tables["qualcoder_xlsx"][0]
    assert b["position"].isna().all()
    b = b.drop(columns=["position", "position_end"]).sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(tables["qualcoder_xlsx"][1], tables["maxqda"][1])


def test_positions_are_paragraphs():
    text = "Intervjuer: spørsmål?\nFørste svar.\nAndre svar."
    start = text.index("Andre")
    assert paragraph_span(text, start, len(text)) == (3, 3)
    assert paragraph_span(text, 0, text.index("Første") + 3) == (1, 2)
    assert paragraph_span(text, 0, len("Intervjuer: spørsmål?")) == (1, 1)  # end is exclusive


def test_nfc_join_of_decomposed_names(study):
    # The fixture's variables export has NFD document names (as a Mac writes them); the segments
    # export has NFC: the join must still find every document.
    from openpyxl import load_workbook

    sheet = load_workbook(PATHS["document_variables"]).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(unicodedata.normalize("NFC", n) != n for n in names)
    coding = read_coding("maxqda", PATHS, study[0])
    assert all(unicodedata.normalize("NFC", n) == n for n in coding.documents["document"])
    segments, documents = build_canonical(coding, *study)
    assert len(documents) == 3 and segments["interview_id"].nunique() == 3


def test_unmapped_codes_warn_keeps_rows(study):
    interviews, organisation = study
    cfg = {
        **interviews,
        "unmapped_codes": "warn",
        "themes": {k: v for k, v in interviews["themes"].items() if not k.startswith("Tillit")},
    }
    segments, _ = build_canonical(read_coding("refi_qda", PATHS, cfg), cfg, organisation)
    unmapped = segments[segments["theme"] == "unmapped"]
    assert (
        len(unmapped) > 0 and unmapped["code_path"].str.startswith("Tillit og teknologi > ").all()
    )


def test_unmapped_codes_error_lists_each_path(study):
    interviews, organisation = study
    cfg = {
        **interviews,
        "themes": {k: v for k, v in interviews["themes"].items() if not k.startswith("Tillit")},
    }
    with pytest.raises(InputError) as err:
        build_canonical(read_coding("maxqda", PATHS, cfg), cfg, organisation)
    message = str(err.value)
    assert (
        "column 'Code'" in message
        and "Tillit og teknologi > " in message
        and "`themes:`" in message
    )


def test_code_path_spacing_is_normalised(study, tmp_path):
    interviews, organisation = study
    seg = pd.read_excel(PATHS["segments"], dtype=str).fillna("")
    seg["Code"] = seg["Code"].str.replace(" > ", ">", regex=False)
    from impleval.demo.files import write_xlsx

    write_xlsx(seg, tmp_path / "s.xlsx")
    paths = {**PATHS, "segments": tmp_path / "s.xlsx"}
    a = prepare_interviews("maxqda", paths, interviews, organisation)[0]
    b = prepare_interviews("maxqda", PATHS, interviews, organisation)[0]
    pd.testing.assert_frame_equal(a, b)


def test_qualcoder_missing_table_is_named(study, tmp_path):
    db = tmp_path / "data.qda"
    shutil.copy(PATHS["qualcoder_project"], db)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE code_cat")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="table 'code_cat'"):
        read_coding("qualcoder", {"qualcoder_project": db}, study[0])


def test_redact_replaces_identifiers(study, tmp_path):
    interviews, organisation = study
    bad = REPO / "tests/bad_inputs/interviews/identifier_in_text.xlsx"
    paths = {**PATHS, "segments": bad}
    segments, _, summary = prepare_interviews(
        "maxqda", paths, interviews, organisation, on_hit="redact"
    )
    text = " ".join(segments["text"])
    assert "31129956715" not in text and "[FNR]" in text and "[PHONE]" in text
    assert set(summary["kind"]) >= {"fnr", "phone"}


def test_listed_names_are_caught(study, tmp_path):
    interviews, organisation = study
    names = ["Vi merker"]  # any phrase in the fixture text stands in for a listed name
    segs = prepare_interviews("refi_qda", PATHS, interviews, organisation)[0]
    if not segs["text"].str.contains("Vi merker").any():
        pytest.skip("phrase not in fixture")
    with pytest.raises(InputError, match="listed name"):
        prepare_interviews("refi_qda", PATHS, interviews, organisation, names=names)


def test_study_schema_rejects_bad_definition(tmp_path):
    bad = load_yaml(REPO / "config/demo-study/interviews.yaml")
    bad["unmapped_codes"] = "ignore"
    import yaml

    (tmp_path / "i.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="unmapped_codes|ignore"):
        load_study(
            tmp_path / "i.yaml",
            REPO / "config/schema/interviews.schema.yaml",
            REPO / "config/demo-study/organisation.yaml",
        )


def test_ambiguous_label_stops_until_the_value_map_settles_it(study, tmp_path):
    """A role label shared by two roles names neither; `value_maps.role` decides."""
    import copy

    from impleval.demo.files import write_xlsx

    interviews, organisation = study
    cfg = copy.deepcopy(interviews)
    cfg["roles"].append({"id": "radiology_lead", "label": {"nb": "Radiolog", "en": "Lead"}})
    variables = pd.read_excel(PATHS["document_variables"], dtype=str).fillna("")
    variables["Rolle"] = "radiolog"
    path = tmp_path / "variables.xlsx"
    write_xlsx(variables, path)
    paths = {**PATHS, "document_variables": path}
    with pytest.raises(InputError) as err:
        prepare_interviews("maxqda", paths, cfg, organisation, config_file="interviews.yaml")
    text = str(err.value)
    assert "variables.xlsx, row 2, column 'Rolle': got 'radiolog'" in text
    assert "names one id (this value matches 'radiologist' and 'radiology_lead')" in text
    assert "`value_maps/role` in interviews.yaml" in text
    cfg["value_maps"] = {"role": {"Radiolog": "radiology_lead"}}
    _, documents, _ = prepare_interviews("maxqda", paths, cfg, organisation)
    assert set(documents["role"]) == {"radiology_lead"}


def test_value_map_errors_name_the_study_file_before_any_export_is_read(study):
    interviews, organisation = study
    cfg = {**interviews, "value_maps": {"region": {"Sør-Øst": "south_east"}}}
    missing = {k: REPO / "no_such_export.xlsx" for k in PATHS}
    with pytest.raises(InputError) as err:
        prepare_interviews("maxqda", missing, cfg, organisation, config_file="study/iv.yaml")
    (problem,) = err.value.problems
    assert (problem.file, problem.column, problem.value) == (
        "study/iv.yaml",
        "value_maps/region/Sør-Øst",
        "south_east",
    )
