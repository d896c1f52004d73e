"""A form with every answerable Nettskjema element type, in the shapes the service writes (API v3;
tests/fixtures/survey/nettskjema_api, SYNTHETIC form 246810, docs/data/survey.md): the wide CSV,
the XLSX report and the long answers with codebook and submissions give the same tables through
config alone; each element type, the groups and value maps, ignored questions, old exports and
damaged records give the expected tables or a clear message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from impleval.config import load_yaml
from impleval.errors import InputError
from impleval.survey.io.prepare import prepare, read_export
from impleval.survey.settings import load_instrument

REPO = Path(__file__).resolve().parents[2]
API = REPO / "tests/fixtures/survey/nettskjema_api"
SCHEMA = REPO / "config/schema/survey.schema.yaml"
CSV = API / "data-246810-2025-04-05-1012.txt"
XLSX = API / "data-246810-2025-04-05-1012.xlsx"
CODEBOOK = API / "elements-246810.json"
ANSWERS = API / "answers-246810.ndjson"
TABLES = ("respondents", "responses", "comments", "submissions", "flow")


def study(**changes) -> dict:
    cfg = load_yaml(API / "survey.yaml")
    cfg.update(changes)
    return cfg


def instrument_of(cfg: dict | None = None):
    return load_instrument(
        cfg or study(), load_yaml(API / "organisation.yaml"), schema_path=SCHEMA, file="survey.yaml"
    )


@pytest.fixture(scope="module")
def instrument():
    return instrument_of()


def wide(instrument, report=CSV, codebook=CODEBOOK):
    export = read_export(
        {"format": "nettskjema_wide", "report": report, "codebook": codebook}, instrument
    )
    return prepare(export, instrument)


def long(instrument, answers=ANSWERS, codebook=CODEBOOK, submissions=API / "submissions"):
    inputs = {"format": "nettskjema_long", "answers": answers, "codebook": codebook}
    if submissions is not None:
        inputs["submissions"] = submissions
    return prepare(read_export(inputs, instrument), instrument)


@pytest.fixture(scope="module")
def from_csv(instrument):
    return wide(instrument)


def assert_same(a, b):
    for key in TABLES:
        pd.testing.assert_frame_equal(getattr(a, key), getattr(b, key), obj=key)
    assert a.values == b.values


def test_csv_xlsx_and_long_answers_give_the_same_tables(instrument, from_csv):
    assert_same(wide(instrument, XLSX), from_csv)
    assert_same(long(instrument), from_csv)


def test_every_element_type_lands_where_config_says(from_csv):
    r = from_csv.respondents
    assert list(r.columns) == [
        "respondent_id",
        "region",
        "trust",
        "role",
        "shifts",
        "start_date",
        "usual_start",
        "last_login",
        *[f"channels_{o}" for o in ("email", "intranet", "meeting", "colleague")],
        *[
            f"help_{row}_{o}"
            for row in ("received", "given")
            for o in ("it", "leader", "colleague")
        ],
        "answer_time_s",
    ]
    first = r.iloc[0]  # submission 40123401
    assert (first["trust"], first["region"], first["role"]) == ("emergency_dept", "north", "nurse")
    assert first["shifts"] == "14"  # NUMBER: wide '14.0', long '14'
    assert (first["start_date"], first["usual_start"], first["last_login"]) == (
        "2025-01-13",
        "07:00",
        "2025-03-26T21:40",
    )  # DATE / TIME / DATE_TIME: wide ISO, XLSX serials, long '13.01.2025', '26.03.2025 21:40'
    assert first[
        ["help_received_it", "help_received_leader", "help_received_colleague"]
    ].tolist() == [1, 0, 1]
    assert first["answer_time_s"] == pytest.approx(412.337)
    assert r.loc[2, "last_login"] == ""  # 40123460 skipped it
    items = from_csv.responses.set_index(["respondent_id", "item"])
    assert items.loc[("R00001", "hours_saved"), "score"] == 2.5  # wide '2.5', long '2,5'
    assert items.loc[("R00001", "recommend"), "score"] == 8
    assert items.loc[("R00002", "USE2"), "not_relevant"]
    assert pd.isna(items.loc[("R00003", "hours_saved"), "score"])
    assert from_csv.comments["comment"].iloc[0] == (
        "Raskere innlogging\nFungerer bra, men varslene kommer sent."
    )  # QUESTION and QUESTION_MULTILINE, both through the gate


def test_ignored_attachment_is_dropped_unread_and_listed(from_csv):
    assert from_csv.values["survey_flow"]["ignored_questions"] == ["screenshot"]
    for key in TABLES:
        text = [str(v) for v in getattr(from_csv, key).to_numpy().ravel()]
        assert not any(".png" in v or ".jpeg" in v or ".PNG" in v for v in text)


def test_submissions_table_counts_every_submission_without_identifiers(from_csv):
    s = from_csv.submissions
    assert list(s.columns) == ["trust", "region", "role", "excluded_at"]
    assert len(s) == 8 and (s["excluded_at"] == "").sum() == len(from_csv.respondents)
    assert s["excluded_at"].tolist() == [
        "",
        "",
        "out_of_scope_role",  # role -1 (prefer not to say)
        "",
        "out_of_scope_role",  # other
        "out_of_scope_role",  # no unit
        "",
        "too_few_items",
    ]
    assert s.loc[5, ["trust", "region", "role"]].tolist() == ["", "", "doctor"]
    assert not {"submission_id", "created", "$submission_id"} & set(s.columns)


def test_the_person_of_an_identified_form_is_never_read(tmp_path, instrument, caplog):
    """Submission 40123478's JSON names a (fake) person: nothing of it reaches any table."""
    result = long(instrument)
    for key in TABLES:
        text = " ".join(str(v) for v in getattr(result, key).to_numpy().ravel())
        assert "Nordmann" not in text and "example.no" not in text
    assert "Nordmann" not in caplog.text


def test_codebook_wrapped_or_bare(instrument, from_csv, tmp_path):
    wrapped = tmp_path / "codebook.json"
    elements = json.loads(CODEBOOK.read_text(encoding="utf-8"))
    wrapped.write_text(json.dumps({"formId": 246810, "elements": elements}), encoding="utf-8")
    assert_same(wide(instrument, codebook=wrapped), from_csv)


def test_sub_item_of_a_scale_question(tmp_path):
    """A 0–10 question with one sub-item is exported as `<question>.<row>` (`recommend.colleague`)
    and answered in long records with a subElementId: the row's id is the item."""
    cfg = study()
    q = next(q for q in cfg["questions"] if q["id"] == "recommend")
    q["rows"] = [{"id": "recommend_colleague", "code": "colleague", "label": "En kollega"}]
    elements = json.loads(CODEBOOK.read_text(encoding="utf-8"))
    element = next(e for e in elements if e["externalElementId"] == "recommend")
    element["subElements"] = [
        {
            "subElementId": 8300901,
            "questionId": 8300901,
            "sequence": 1,
            "description": None,
            "text": "En kollega",
            "isMandatory": False,
            "externalElementId": "colleague",
            "sendAdditionalRecipientEmail": False,
        }
    ]
    codebook = tmp_path / "elements.json"
    codebook.write_text(json.dumps(elements), encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(
        CSV.read_text(encoding="utf-8").replace('"recommend"', '"recommend.colleague"'), "utf-8"
    )
    answers = tmp_path / "answers.ndjson"
    lines = []
    for line in ANSWERS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["externalElementId"] == "recommend":
            rec["subElementId"] = 8300901
        lines.append(json.dumps(rec))
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    instrument = instrument_of(cfg)
    from_csv = wide(instrument, report, codebook)
    assert_same(long(instrument, answers, codebook), from_csv)
    items = from_csv.responses.set_index(["respondent_id", "item"])
    assert items.loc[("R00001", "recommend_colleague"), "score"] == 8
    assert "recommend" not in set(from_csv.responses["item"])


def test_groups_come_from_config_with_any_question_ids(tmp_path):
    """The same export with the questions renamed `foretak` and `rolle` in the form: only
    survey.yaml (groups, question ids) changes."""
    cfg = study(groups={"trust": "foretak", "role": "rolle"})
    for q in cfg["questions"]:
        if q["id"] in ("unit", "role"):
            q["id"] = {"unit": "foretak", "role": "rolle"}[q["id"]]
    cfg["cleaning"]["in_scope_roles"] = ["nurse", "doctor"]
    text = (
        CSV.read_text(encoding="utf-8").replace('"unit"', '"foretak"').replace('"role"', '"rolle"')
    )
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    elements = json.loads(CODEBOOK.read_text(encoding="utf-8"))
    for e in elements:
        if e["externalElementId"] in ("unit", "role"):
            e["externalElementId"] = {"unit": "foretak", "role": "rolle"}[e["externalElementId"]]
    codebook = tmp_path / "elements.json"
    codebook.write_text(json.dumps(elements), encoding="utf-8")
    got = wide(instrument_of(cfg), report, codebook)
    want = wide(instrument_of())
    for key in TABLES:
        pd.testing.assert_frame_equal(getattr(got, key), getattr(want, key), obj=key)


def test_export_code_differs_from_the_id(tmp_path, from_csv):
    """`code` maps a form id that is not a valid canonical id (`unit` kept, role as `q-2`)."""
    cfg = study()
    next(q for q in cfg["questions"] if q["id"] == "role")["code"] = "q-2"
    report = tmp_path / "report.txt"
    report.write_text(CSV.read_text(encoding="utf-8").replace('"role"', '"q-2"'), "utf-8")
    elements = json.loads(CODEBOOK.read_text(encoding="utf-8"))
    next(e for e in elements if e["externalElementId"] == "role")["externalElementId"] = "q-2"
    codebook = tmp_path / "elements.json"
    codebook.write_text(json.dumps(elements), encoding="utf-8")
    got = wide(instrument_of(cfg), report, codebook)
    for key in TABLES:
        pd.testing.assert_frame_equal(getattr(got, key), getattr(from_csv, key), obj=key)


def test_group_and_category_misuse_is_refused_by_name():
    """use: group belongs to the questions named in groups:; a category column may not take a
    canonical column's name (every category question is kept under its id: see above)."""
    with pytest.raises(InputError, match=r"questions/role/use.*use: group only on the questions"):
        instrument_of(study(groups={"trust": "unit", "role": "unit"}))
    # a category whose id collides with a canonical column is refused by name
    cfg = study()
    shifts = next(q for q in cfg["questions"] if q["id"] == "shifts")
    shifts.update(id="region", code="shifts")
    with pytest.raises(InputError, match=r"column 'region'.*respondents-table columns"):
        instrument_of(cfg)


def test_config_errors_name_the_key():
    cfg = study(groups={"trust": "workplace", "role": "role"})
    with pytest.raises(InputError, match=r"column 'groups/trust': got 'workplace'"):
        instrument_of(cfg)
    cfg = study()
    cfg["questions"][0]["values"]["akutt"] = "emergency"
    with pytest.raises(InputError, match=r"questions/unit/values/akutt"):
        instrument_of(cfg)
    cfg = study()
    cfg["questions"][0].pop("values")
    cfg["questions"][0].pop("options_from")
    cfg["questions"][0]["options"] = [{"code": "akutt", "label": "Akutt"}]
    with pytest.raises(InputError, match=r"trust codes .* trust ids in organisation.yaml"):
        instrument_of(cfg)
    cfg = study()
    cfg["questions"][-1]["use"] = "comment"  # an attachment is never read
    with pytest.raises(InputError, match=r"questions/13/use"):
        instrument_of(cfg)
    cfg = study()
    cfg["invited"]["trusts"]["surgery"] = {"eligible": 10, "invited": 12}
    cfg["invited"]["trusts"]["nowhere"] = {"invited": 3}
    with pytest.raises(InputError) as err:
        instrument_of(cfg)
    assert "invited/trusts/surgery" in str(err.value) and "eligible ≥ invited" in str(err.value)
    assert "invited/trusts/nowhere" in str(err.value)


def test_question_missing_from_config_can_be_ignored(tmp_path):
    cfg = study()
    cfg["questions"] = [q for q in cfg["questions"] if q["id"] != "last_login"]
    with pytest.raises(InputError, match=r"column 'last_login'.*use: ignore drops it unread"):
        wide(instrument_of(cfg))
    cfg["questions"].append({"id": "last_login", "type": "DATE", "use": "ignore"})
    result = wide(instrument_of(cfg))
    assert "last_login" not in result.respondents.columns
    assert result.values["survey_flow"]["ignored_questions"] == ["screenshot", "last_login"]


def test_ignored_choice_question_needs_no_options(tmp_path):
    cfg = study()
    q = next(q for q in cfg["questions"] if q["id"] == "channels")
    cfg["questions"][cfg["questions"].index(q)] = {
        "id": "channels",
        "type": "CHECKBOX",
        "use": "ignore",
    }
    result = wide(instrument_of(cfg))
    assert not [c for c in result.respondents.columns if c.startswith("channels")]


def test_long_answers_need_the_codebook(instrument):
    with pytest.raises(InputError, match=r"codebook JSON as inputs.survey.codebook.*subElementId"):
        long(instrument, codebook=None)


def test_long_answers_need_answer_times_for_too_fast(instrument):
    with pytest.raises(InputError, match=r"inputs.survey.submissions.*or remove too_fast"):
        long(instrument, submissions=None)
    cfg = study()
    cfg["cleaning"]["steps"] = [s for s in cfg["cleaning"]["steps"] if s != "too_fast"]
    result = long(instrument_of(cfg), submissions=None)
    assert result.respondents["answer_time_s"].isna().all()
    assert result.values["survey_flow"]["has_answer_time"] is False


def test_submissions_as_one_array_file(instrument, from_csv, tmp_path):
    docs = [json.loads(p.read_text("utf-8")) for p in sorted((API / "submissions").iterdir())]
    path = tmp_path / "submissions.json"
    path.write_text(json.dumps(docs), encoding="utf-8")
    assert_same(long(instrument, submissions=path), from_csv)


def test_missing_submission_is_named(instrument, tmp_path):
    folder = tmp_path / "subs"
    shutil.copytree(API / "submissions", folder)
    (folder / "submission-40123415.json").unlink()
    with pytest.raises(InputError) as err:
        long(instrument, submissions=folder)
    first_line = next(
        i
        for i, line in enumerate(ANSWERS.read_text("utf-8").splitlines(), start=1)
        if '"submissionId":40123415' in line
    )
    assert f"subs, row {first_line}, column 'submissionId'" in str(err.value)
    assert "for every submission in the answers" in str(err.value)


def test_damaged_long_records_are_named_by_line(instrument, tmp_path):
    lines = ANSWERS.read_text(encoding="utf-8").splitlines()
    recs = [json.loads(line) for line in lines]
    matrix = next(i for i, r in enumerate(recs) if r["elementType"] == "MATRIX_CHECKBOX")
    recs[matrix]["subElementId"] = 8300999  # a row the codebook does not have
    radio = next(i for i, r in enumerate(recs) if r["externalElementId"] == "role")
    recs[radio]["externalAnswerOptionIds"] = ["nurse", "doctor"]
    path = tmp_path / "answers.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        long(instrument, answers=path)
    text = str(err.value)
    got = f"row {matrix + 1}, column 'subElementId': got '8300999'; expected a subElementId"
    assert got in text and "of the rows of 'help'" in text
    assert f"row {radio + 1}, column 'role': got 'nurse,doctor'; expected a single option" in text


def test_damaged_long_values_are_named_by_line(instrument, tmp_path):
    recs = [json.loads(line) for line in ANSWERS.read_text(encoding="utf-8").splitlines()]
    number = next(i for i, r in enumerate(recs) if r["externalElementId"] == "hours_saved")
    recs[number]["textAnswer"] = "inf"
    date = next(i for i, r in enumerate(recs) if r["externalElementId"] == "start_date")
    recs[date]["textAnswer"] = "31.02.2025"
    path = tmp_path / "answers.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        long(instrument, answers=path)
    text = str(err.value)
    assert "column 'hours_saved': got 'inf'; expected a number from 0 to 40" in text
    assert "column 'start_date': got '31.02.2025'; expected a date like 2025-03-14" in text


def test_codebook_question_without_external_id_is_refused(instrument, tmp_path):
    elements = json.loads(CODEBOOK.read_text(encoding="utf-8"))
    next(e for e in elements if e["elementType"] == "NUMBER")["externalElementId"] = None
    path = tmp_path / "elements.json"
    path.write_text(json.dumps(elements), encoding="utf-8")
    with pytest.raises(InputError, match=r"element 11 \(NUMBER\) with an externalElementId"):
        wide(instrument, codebook=path)


def test_codebook_date_format_and_number_range_are_checked(instrument, tmp_path):
    elements = json.loads(CODEBOOK.read_text(encoding="utf-8"))
    next(e for e in elements if e["externalElementId"] == "usual_start")["dateFormat"] = "DATE"
    next(e for e in elements if e["externalElementId"] == "shifts")["maximumValue"] = 60
    path = tmp_path / "elements.json"
    path.write_text(json.dumps(elements), encoding="utf-8")
    with pytest.raises(InputError) as err:
        wide(instrument, codebook=path)
    assert "column 'usual_start': got 'DATE'; expected dateFormat TIME" in str(err.value)
    assert "column 'shifts': got 'maximumValue 60'; expected the maximum 31" in str(err.value)


def test_legacy_exports_get_a_message_naming_what_is_needed(instrument, tmp_path):
    """Old (pre-API v3) web downloads: a tab-separated file with NR/Opprettet/Endret/Svartid and
    a text codebook (shapes of the 2018 download kept by nettskjemar; invented content)."""
    data = tmp_path / "data-82087-2018-09-03-1550-utf.txt"
    data.write_text(
        "NR\tE-post\tOpprettet\tEndret\tInklusjon_1\tSvartid\n"
        "1735123\t\t09.04.2017 08:50\t09.04.2017 08:51\tJa\t1 minutt\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        wide(instrument, report=data)
    text = str(err.value)
    assert "row 1" in text and "NR, Opprettet, Endret, Svartid" in text
    assert "download the report again" in text and "format: generic" in text
    book = tmp_path / "codebook-82087-2018-09-03.txt"
    book.write_text(
        "* Interesse for deltagelse (id 82087) - 03.09.2018 15:50\n* Variabel\tEtikett\n\n"
        "Inklusjon\tnull\nJa\tJeg har lest informasjonen\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"codebook as JSON.*text codebook of an old"):
        wide(instrument, codebook=book)


def test_empty_trust_without_the_role_step_is_a_clear_error(tmp_path):
    cfg = study()
    cfg["cleaning"]["steps"] = ["duplicates"]  # 40123502 is also too fast and answered no item
    cfg["cleaning"].pop("in_scope_roles")
    with pytest.raises(InputError) as err:
        wide(instrument_of(cfg))
    text = str(err.value)
    # 40123502 (row 7) skipped the unit question
    assert "row 7, column 'unit'; expected a trust for every analysed submission" in text
    assert "add out_of_scope_role to cleaning.steps" in text


def test_internal_schema_failure_becomes_an_input_error(instrument, monkeypatch):
    import impleval.survey.io.prepare as prep

    real = prep.canonical_schemas

    def strict(*args):
        schemas = list(real(*args))
        import pandera.pandas as pa

        schemas[0] = schemas[0].update_column("trust", checks=[pa.Check.isin(["nowhere"])])
        return tuple(schemas)

    monkeypatch.setattr(prep, "canonical_schemas", strict)
    with pytest.raises(InputError) as err:
        wide(instrument)
    text = str(err.value)
    assert "data-246810-2025-04-05-1012.txt, column 'trust'" in text
    assert "canonical table survey_respondents (step prepare_survey" in text
    assert "emergency_dept" not in text  # data are not printed


def test_prepare_script_reads_long_answers_through_config_alone(tmp_path):
    """The rule's script with the long format's three inputs (a folder of submissions): every
    output written, the submissions table among them, and the log names no file or person."""
    import runpy

    from tests.script_harness import Named, rule_outputs

    out = tmp_path / "results"
    smk = type("Smk", (), {})()
    smk.input = Named(
        answers=str(ANSWERS),
        codebook=str(CODEBOOK),
        submissions=str(API / "submissions"),
        survey=str(API / "survey.yaml"),
        organisation=str(API / "organisation.yaml"),
        schema=str(SCHEMA),
    )
    smk.output = rule_outputs("prepare_survey", out)
    smk.params = Named(
        format="nettskjema_long", export_keys=["answers", "codebook", "submissions"], on_hit="fail"
    )
    smk.log = [str(tmp_path / "prepare_survey.log")]
    runpy.run_path(
        str(REPO / "scripts/prepare_survey.py"),
        init_globals={"snakemake": smk},
        run_name="__main__",
    )
    assert all(Path(p).is_file() for p in smk.output.values())
    submissions = pd.read_parquet(smk.output.submissions)
    assert len(submissions) == 8 and (submissions["excluded_at"] == "").sum() == 4
    assert pd.read_csv(smk.output.flow)["step"].tolist()[-1] == "analysed"
    log = Path(smk.log[0]).read_text(encoding="utf-8")
    assert "8 received, 4 analysed" in log
    assert "Nordmann" not in log and "skjermbilde" not in log
