"""Survey importers: every format gives the same canonical tables; codebook and config checks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from impleval.errors import InputError
from impleval.survey.io.export import parse_created
from impleval.survey.io.prepare import prepare, read_export

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "tests/fixtures/survey"


@pytest.fixture(scope="module")
def wide(instrument):
    return prepare(
        read_export(
            {
                "format": "nettskjema_wide",
                "report": FIX / "report.csv",
                "codebook": FIX / "codebook.json",
            },
            instrument,
        ),
        instrument,
    )


def assert_same(a, b):
    for key in ("respondents", "responses", "comments", "submissions", "flow"):
        pd.testing.assert_frame_equal(getattr(a, key), getattr(b, key), obj=key)


def test_wide_canonical_tables(wide):
    r, long = wide.respondents, wide.responses
    assert list(r.columns) == [
        "respondent_id",
        "region",
        "trust",
        "role",
        "TRAINING",
        "SOURCES_colleagues",
        "SOURCES_vendor",
        "SOURCES_e_learning",
        "SOURCES_project_group",
        "answer_time_s",
    ]
    assert r["respondent_id"].iloc[0] == "R00001" and r["respondent_id"].is_unique
    assert set(r["region"]) <= {"hso", "vest", "midt", "nord"}
    assert len(long) == len(r) * long["item"].nunique()
    nr = long[long["code"].str.startswith("nr_")]
    assert nr["not_relevant"].all() and nr["score"].isna().all()
    skipped = long[long["code"] == ""]
    assert skipped["score"].isna().all() and not skipped["not_relevant"].any()
    scored = long[long["code"].isin(["01", "05"])]
    assert set(scored["score"]) == {1.0, 5.0}
    assert long.loc[long["code"] == "dk", "dont_know"].all()


def test_xlsx_report_gives_identical_tables(instrument, wide):
    got = prepare(
        read_export(
            {
                "format": "nettskjema_wide",
                "report": FIX / "report.xlsx",
                "codebook": FIX / "codebook.json",
            },
            instrument,
        ),
        instrument,
    )
    assert_same(got, wide)


def test_long_ndjson_gives_identical_tables(instrument, wide):
    got = prepare(
        read_export(
            {
                "format": "nettskjema_long",
                "answers": FIX / "answers.ndjson",
                "codebook": FIX / "codebook.json",
                "submissions": FIX / "submissions.json",
            },
            instrument,
        ),
        instrument,
    )
    assert_same(got, wide)
    assert got.values == wide.values


def _generic_frame(instrument) -> pd.DataFrame:
    """The fixture as another tool would export it: own id/time columns, numeric Likert codes."""
    df = pd.read_csv(FIX / "report.csv", sep=";", dtype=str, keep_default_na=False)
    back = {
        "01": "1",
        "02": "2",
        "03": "3",
        "04": "4",
        "05": "5",
        "nr_role": "97",
        "nr_stage": "98",
        "nr_org": "99",
        "dk": "9",
    }
    for c in instrument.item_columns:
        if c.kind == "choice":
            df[c.name] = df[c.name].map(lambda v: back.get(v, v))
    return df.rename(
        columns={
            "$submission_id": "respondent",
            "$created": "submitted",
            "$answer_time_ms": "duration_ms",
        }
    )


def test_generic_csv_through_column_map(instrument, wide, tmp_path):
    path = tmp_path / "enalyzer.csv"
    _generic_frame(instrument).to_csv(path, sep=",", index=False)
    got = prepare(read_export({"format": "generic", "report": path}, instrument), instrument)
    assert_same(got, wide)


def test_generic_spss_sav(instrument, wide, tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = _generic_frame(instrument)
    numeric = [c.name for c in instrument.columns if c.kind in ("linear", "checkbox")] + [
        "respondent",
        "duration_ms",
    ]
    numeric += [c.name for c in instrument.item_columns if c.kind == "choice"]
    for col in numeric:
        df[col] = pd.to_numeric(df[col].replace("", None)).astype(float)
    # SPSS names: no '.', so the study's column map renames them back.
    renamed = {c: c.replace(".", "_") for c in df.columns if "." in c}
    instrument.config["generic"]["columns"].update({v: k for k, v in renamed.items()})
    try:
        path = tmp_path / "export.sav"
        pyreadstat.write_sav(df.rename(columns=renamed), str(path))
        got = prepare(read_export({"format": "generic", "report": path}, instrument), instrument)
    finally:
        for v in renamed.values():
            instrument.config["generic"]["columns"].pop(v)
    assert_same(got, wide)


def test_codebook_question_not_in_config_is_an_error(instrument, tmp_path):
    book = json.loads((FIX / "codebook.json").read_text(encoding="utf-8"))
    book.append(
        {
            "elementType": "RADIO",
            "externalElementId": "Q_NEW",
            "text": "Ny",
            "sequence": 99,
            "answerOptions": [{"externalAnswerOptionId": "1", "text": "Ja", "sequence": 1}],
        }
    )
    path = tmp_path / "codebook.json"
    path.write_text(json.dumps(book), encoding="utf-8")
    with pytest.raises(InputError, match=r"column 'Q_NEW'.*survey.yaml.*use: ignore"):
        read_export(
            {"format": "nettskjema_wide", "report": FIX / "report.csv", "codebook": path},
            instrument,
        )


def test_missing_codebook_is_refused(instrument, tmp_path):
    with pytest.raises(InputError, match="codebook JSON"):
        read_export(
            {
                "format": "nettskjema_wide",
                "report": FIX / "report.csv",
                "codebook": tmp_path / "none.json",
            },
            instrument,
        )


def test_created_formats_agree():
    s = pd.Series(
        [
            "2025-03-04T09:12:44+01:00",
            "04.03.2025 09:12:44",
            "2025-03-04 09:12:44",
            "45720.383842592593",
            "2025-04-01T10:00:00+02:00",
            "01.04.2025 10:00",
            "not a date",
        ]
    )
    got = parse_created(s, "Europe/Oslo")
    assert got[0] == got[1] == got[2] == got[3] == pd.Timestamp("2025-03-04T08:12:44Z")
    assert got[4] == got[5] == pd.Timestamp("2025-04-01T08:00:00Z")  # summer time
    assert pd.isna(got[6])


def test_created_in_the_repeated_autumn_hour():
    """Long answers give local time without offset: 02:30 on the night summer time ends is read
    as the first 02:30 (still summer time), not refused; the wide report's offset is exact."""
    s = pd.Series(["2025-10-26T02:30:00", "2025-10-26T02:30:00+01:00", "2025-03-30T02:30:00"])
    got = parse_created(s, "Europe/Oslo")
    assert got[0] == pd.Timestamp("2025-10-26T00:30:00Z")
    assert got[1] == pd.Timestamp("2025-10-26T01:30:00Z")
    assert pd.isna(got[2])  # the skipped spring hour: no such local time


def test_instrument_columns_and_labels(instrument):
    cols = instrument.wide_columns()
    assert cols[0] == "$submission_id" and cols[-1] == "$answer_time_ms"
    assert "CO.CO1" in cols and "SOURCES.e_learning" in cols and "G1" in cols
    assert instrument.items[:4] == ["CO1", "CO2", "CO3", "CO4"]
    nb, en = instrument.labels("nb"), instrument.labels("en")
    assert nb["role.radiographer"] == "Radiograf" and en["role.radiographer"] == "Radiographer"
    assert "BoneView" in en["CO1"] and "{intervention}" not in en["CO1"]


def test_survey_config_errors_name_the_key(tmp_path):
    from impleval.config import load_yaml
    from impleval.survey.settings import load_instrument

    cfg = load_yaml(REPO / "config/demo-study/survey.yaml")
    cfg["questions"][2]["scale"] = "agree7"
    cfg["cleaning"]["min_items_share"] = 2
    with pytest.raises(InputError) as err:
        load_instrument(
            cfg,
            load_yaml(REPO / "config/demo-study/organisation.yaml"),
            schema_path=REPO / "config/schema/survey.schema.yaml",
        )
    assert "cleaning/min_items_share" in str(err.value)
