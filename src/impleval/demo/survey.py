"""SYNTHETIC demo survey: a Nettskjema wide report + codebook, and the planted truth.

Model (latent normal with item thresholds): each respondent has a general attitude g and, per
construct, a latent η = region effect + role effect + √ρ·g + √(1−ρ)·z (unit variance within a
region × role cell). Item responses are y* = λ·η + √(1−λ²)·ε cut at the scale's thresholds
(shifted per item). "Not relevant" / "don't know" and skipped answers then mask some items.
The planted effects are below (PLANT) and in `synthetic_truth-survey.json`, together with
population quantities (large-sample simulation from the same model, separate seed) that the
analysis is checked against. `python -m impleval.demo.survey --fixtures tests/fixtures/survey`
writes a small subset in every importer format (CSV, XLSX, API v3 answers NDJSON with the
submissions' JSON) for the unit tests. The exports have the shapes the service writes
(docs/data/survey.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.demo.files import write_json, write_xlsx
from impleval.demo.survey_model import (
    FIRST_SUBMISSION_ID,
    FORM_ID,
    SEED,
    TZ,
    demo_plant,
    simulate,
)
from impleval.demo.survey_truth import truth
from impleval.survey.settings import Instrument, load_instrument


def _created(rng, n: int, start: str, days: int) -> pd.Series:
    """Local submission times: more answers early in the fielding and after a reminder (day 14)."""
    w = np.exp(-np.arange(days) / 8.0)
    w[14:] += 0.5 * np.exp(-np.arange(days - 14) / 4.0)
    day = rng.choice(days, size=n, p=w / w.sum())
    secs = rng.integers(7 * 3600, 22 * 3600, size=n)
    local = pd.Timestamp(start) + pd.to_timedelta(day, unit="D") + pd.to_timedelta(secs, unit="s")
    return pd.Series(local)


def build_submissions(
    instrument: Instrument,
    scale: int = 1,
    seed: int = SEED,
    n_analysed: int | None = None,
    plant: dict | None = None,
):
    """All raw submissions (regular + planted cleaning cases), sorted by submission time.

    `plant`: planted parameters and study shape (default: the demo's, `demo_plant()`).
    Returns (wide text frame in export order, hidden truth columns frame, expected counts)."""
    plant = plant or demo_plant()
    rng = np.random.default_rng(seed)
    base = n_analysed if n_analysed is not None else plant["n_analysed"] * scale
    ratio = base / plant["n_analysed"]
    cases = {k: max(1, int(round(v * ratio))) for k, v in plant["cleaning_cases"].items()}
    n_special = (
        cases["test_submissions"]
        + cases["out_of_scope_role"]
        + cases["too_few_items"]
        + cases["too_fast"]
    )
    df = simulate(rng, base + n_special, instrument, plant)
    df["_case"] = "analysed"
    df["_local"] = _created(rng, len(df), plant["fielding"]["start"], plant["fielding"]["days"])
    idx = rng.permutation(len(df))[:n_special]
    pos = 0
    for case in ("test_submissions", "out_of_scope_role", "too_few_items", "too_fast"):
        rows = idx[pos : pos + cases[case]]
        pos += cases[case]
        df.loc[rows, "_case"] = case
        if case == "test_submissions":
            df.loc[rows, "_local"] = (
                pd.Timestamp(plant["fielding"]["start"])
                - pd.Timedelta(days=4)
                + pd.to_timedelta(rng.integers(9 * 3600, 15 * 3600, len(rows)), unit="s")
            ).values
        elif case == "out_of_scope_role":
            df.loc[rows, instrument.role_column.name] = plant["out_of_scope_role"]
        elif case == "too_few_items":
            nomad = [
                c.name
                for c in instrument.item_columns
                if c.question in instrument.cleaning["min_items_questions"]
            ]
            keep = max(1, int(len(nomad) * 0.2))
            # per row, blank all but `keep` randomly chosen NoMAD items
            ranks = rng.random((len(rows), len(nomad))).argsort(axis=1).argsort(axis=1)
            block = df.loc[rows, nomad].to_numpy()
            block[ranks >= keep] = ""
            df.loc[rows, nomad] = block
        elif case == "too_fast":
            df.loc[rows, "_ms"] = rng.integers(25_000, 85_000, len(rows))
    regular = np.flatnonzero(df["_case"].to_numpy() == "analysed")
    originals = rng.choice(regular, size=cases["duplicates"], replace=False)
    dups = df.iloc[originals].copy()
    dups["_case"] = "duplicates"
    dups["_local"] = dups["_local"] + pd.to_timedelta(
        rng.integers(120, 3 * 86400, len(dups)), unit="s"
    )
    dups["_ms"] = rng.integers(200_000, 600_000, len(dups))
    df = pd.concat([df, dups], ignore_index=True)
    df = df.sort_values("_local", kind="stable").reset_index(drop=True)
    df["$submission_id"] = (FIRST_SUBMISSION_ID + np.cumsum(rng.integers(1, 40, len(df)))).astype(
        str
    )
    # Large scales draw times inside the spring-forward gap or the repeated autumn hour: move those
    # to a valid time (data that never hit the gap are unchanged).
    local = df["_local"].dt.tz_localize(
        TZ, nonexistent="shift_forward", ambiguous=np.zeros(len(df), dtype=bool)
    )
    iso = local.dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    df["$created"] = iso.str[:-2] + ":" + iso.str[-2:]
    df["$answer_time_ms"] = df["_ms"].astype(str)
    df["_created_local"] = local.dt.strftime("%Y-%m-%dT%H:%M:%S")
    counts = {"received": int(len(df)), **cases, "analysed": int(base)}
    return df, counts


def wide_csv(df: pd.DataFrame, instrument: Instrument) -> bytes:
    cols = instrument.wide_columns()
    text = df[cols].to_csv(sep=";", quoting=csv.QUOTE_ALL, index=False, lineterminator="\n")
    return text.encode("utf-8")


# Keys of a codebook element, in the order the service writes them (API v3 `elements`;
# docs/data/survey.md). Every element carries all of them.
ELEMENT_KEYS = [
    "elementId", "questionId", "text", "description", "elementType", "dateFormat", "sequence",
    "maxSelectedAnswerOptions", "imageUrl", "altText", "linearScaleType",
    "nationalIdNumberType", "repeatedNationalIdRequired", "nationalIdNumberOfLetters",
    "nationalIdNumberOfDigits", "isAutofill", "image", "isMandatory", "isHorizontal",
    "isRangeMarksShown", "externalElementId", "minimumValue", "maximumValue",
    "sendAdditionalRecipientEmail", "useForRedirectToForm", "minimumValueText", "midValueText",
    "maximumValueText", "numberOfDecimals", "routingReferenceIds", "answerOptions",
    "answerOptionsVisibilityFilter", "subElements", "validationScripts", "isAnswerHashed",
    "maxNumberOfCharacters", "isRandomizedOrder",
]  # fmt: skip
FIRST_ELEMENT_ID, FIRST_OPTION_ID, FIRST_ROW_ID = 5_210_001, 61_000_001, 7_300_001


def _element(**values) -> dict:
    base = dict.fromkeys(ELEMENT_KEYS)
    base.update(
        isMandatory=False,
        isHorizontal=False,
        isRangeMarksShown=False,
        sendAdditionalRecipientEmail=False,
        useForRedirectToForm=False,
        routingReferenceIds=[],
        answerOptions=[],
        answerOptionsVisibilityFilter=[],
        subElements=[],
        validationScripts=[],
        isAnswerHashed=False,
        isRandomizedOrder=False,
    )
    base.update(values)
    return base


def _nb(label) -> str:
    """A label's bokmål text (a label is {nb: …, en: …} or one string for every language)."""
    return label["nb"] if isinstance(label, dict) else str(label)


def codebook(instrument: Instrument) -> list[dict]:
    """The form's codebook in the shape of Nettskjema's API v3 `elements` (a bare array, every
    element with all its keys, texts in bokmål): a heading, an introduction and a page break
    (no external ids; `sequence` restarts on the new page), then the questions."""
    inter = instrument.config["intervention"]["nb"]
    scales = instrument.config["response_scales"]
    element_id, option_id, row_id = FIRST_ELEMENT_ID, FIRST_OPTION_ID, FIRST_ROW_ID
    elements = [
        _element(
            elementId=element_id,
            text=f"Spørreundersøkelse om innføring av {inter}",
            elementType="HEADING",
            sequence=1,
        ),
        _element(
            elementId=element_id + 1,
            description="<p>Svarene brukes i evalueringen. Det tar om lag ti minutter.</p>\n",
            elementType="TEXT",
            sequence=2,
        ),
        _element(elementType="PAGE_BREAK"),
    ]
    element_id += 2
    for seq, q in enumerate(instrument.questions, start=1):
        element_id += 1
        matrix = q["type"].startswith("MATRIX_")
        if q.get("options_from") == "organisation.trusts":
            options = [(t, t) for t in instrument.trust_region]
        elif q.get("scale") and "options" in scales[q["scale"]]:
            options = [(o["code"], _nb(o["label"])) for o in scales[q["scale"]]["options"]]
        else:
            options = [(o["code"], _nb(o["label"])) for o in q.get("options", [])]
        answer_options = []
        for i, (code, text) in enumerate(options, start=1):
            answer_options.append(
                {
                    "answerOptionId": option_id,
                    "sequence": i,
                    "text": text,
                    "redirectToForm": None,
                    "isPreselected": False,
                    "isCorrect": False,
                    "additionalRecipientEmail": None,
                    "externalAnswerOptionId": code,
                    "image": None,
                    "imageUrl": None,
                    "altText": None,
                    "externalElementId": None if matrix else q["id"],
                    "textOrAltText": text,
                }
            )
            option_id += 1
        rows = []
        for i, r in enumerate(q.get("rows", []), start=1):
            rows.append(
                {
                    "subElementId": row_id,
                    "questionId": row_id,
                    "sequence": i,
                    "description": None,
                    "text": r["label"]["nb"].replace("{intervention}", inter),
                    "isMandatory": False,
                    "externalElementId": r.get("code") or r["id"],
                    "sendAdditionalRecipientEmail": False,
                }
            )
            row_id += 1
        extra = {}
        if q["type"] == "LINEAR_SCALE":
            lin = scales[q["scale"]]["linear"]
            extra = {
                "linearScaleType": "START_MID_END",
                "isHorizontal": True,
                "isRangeMarksShown": True,
                "minimumValue": lin["min"],
                "maximumValue": lin["max"],
                "minimumValueText": scales[q["scale"]]["labels"]["min"]["nb"],
                "maximumValueText": scales[q["scale"]]["labels"]["max"]["nb"],
            }
        if q["type"] in ("CHECKBOX", "MATRIX_CHECKBOX"):
            extra["maxSelectedAnswerOptions"] = 0
        elements.append(
            _element(
                elementId=element_id,
                questionId=None if matrix else element_id + 100_000,
                text=q["text"]["nb"].replace("{intervention}", inter),
                elementType=q["type"],
                sequence=seq,
                isMandatory=q["use"] == "group",
                externalElementId=q.get("code") or q["id"],
                answerOptions=answer_options,
                subElements=rows,
                **extra,
            )
        )
    return elements


def _answer_records(rec: dict, instrument: Instrument, elements: list[dict]) -> list[dict]:
    """One submission as API v3 answer records (`/answers` keys and order, without `formId`,
    `createdDate`, `modifiedDate`, which `long_ndjson` adds): one record per answered question,
    per answered matrix row; a checkbox's ticked options in one record; no record when
    unanswered."""
    by_code = {e["externalElementId"]: e for e in elements if e["externalElementId"]}
    out = []
    for q in instrument.questions:
        e = by_code[q.get("code") or q["id"]]
        option_ids = {o["externalAnswerOptionId"]: o["answerOptionId"] for o in e["answerOptions"]}
        row_ids = {s["externalElementId"]: s["subElementId"] for s in e["subElements"]}
        cols = instrument.columns_of(q["id"])
        answers = []  # (subElementId, textAnswer or None, [option codes])
        if q["type"] == "CHECKBOX":
            ticked = [c.option for c in cols if rec[c.name] == "1"]
            if ticked:
                answers.append((None, None, ticked))
        else:
            for c in cols:
                value = rec[c.name]
                if value == "":
                    continue
                sub = row_ids[c.name.split(".", 1)[1]] if c.row else None
                if c.kind == "choice":
                    answers.append((sub, None, [value]))
                else:
                    answers.append((sub, value, []))
        for sub, text, codes in answers:
            r = {
                "submissionId": int(rec["$submission_id"]),
                "answerId": 0,
                "elementId": e["elementId"],
                "externalElementId": e["externalElementId"],
            }
            if text is not None:
                r["textAnswer"] = text
            r["answerOptionIds"] = [option_ids[c] for c in codes]
            r["externalAnswerOptionIds"] = codes
            r["elementType"] = q["type"]
            if sub is not None:
                r["subElementId"] = sub
            out.append(r)
    # answerIds are unique but not in form order
    first = 400_000_000 + (int(rec["$submission_id"]) % 100_000) * 100
    ids = list(range(first, first + len(out)))
    random.Random(int(rec["$submission_id"])).shuffle(ids)
    for r, i in zip(out, ids, strict=True):
        r["answerId"] = i
    return out


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def long_ndjson(df: pd.DataFrame, instrument: Instrument) -> bytes:
    """The same submissions as the API v3 `/answers` NDJSON: compact records, `createdDate` in
    local time without offset. No answer time (it is in `submissions_json`)."""
    elements = codebook(instrument)
    lines = []
    for rec in df.to_dict("records"):
        for r in _answer_records(rec, instrument, elements):
            full = {"formId": FORM_ID, **r}
            tail = {k: full.pop(k) for k in ("subElementId",) if k in full}
            full.update(createdDate=rec["_created_local"], modifiedDate=rec["_created_local"])
            full.update(tail)
            lines.append(_dumps(full))
    return ("\n".join(lines) + "\n").encode("utf-8")


def submissions_json(df: pd.DataFrame, instrument: Instrument) -> bytes:
    """The submissions as `GET /api/v3/form/submission/<id>` gives each (collected in one JSON
    array): `submissionMetadata` with the answer time in milliseconds, and the answers."""
    elements = codebook(instrument)
    docs = [
        {
            "submissionMetadata": {
                "formId": FORM_ID,
                "submissionId": int(rec["$submission_id"]),
                "answerTime": int(rec["$answer_time_ms"]),
                "createdDate": rec["_created_local"],
                "modifiedDate": rec["_created_local"],
                "anonymous": False,
                "deliveryDestination": "DATABASE",
                "person": {"name": None, "email": None},
            },
            "answers": _answer_records(rec, instrument, elements),
        }
        for rec in df.to_dict("records")
    ]
    return ("[\n" + ",\n".join(_dumps(d) for d in docs) + "\n]\n").encode("utf-8")


def xlsx_frame(df: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """The wide table as Nettskjema's XLSX report: numbers stored as numbers, codes as text."""
    out = df[instrument.wide_columns()].copy().astype(object)
    numeric = ["$submission_id", "$answer_time_ms"] + [
        c.name for c in instrument.columns if c.kind in ("linear", "checkbox")
    ]
    for col in numeric:
        out[col] = [int(v) if v != "" else None for v in out[col]]
    return out


def generate(out_dir, study: dict, scale: int = 1, *, schema) -> dict:
    """Write the demo survey exports and the truth file into `out_dir`; returns the expected counts.

    `schema`: path of the survey definition's JSON schema (config/schema/survey.schema.yaml)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    instrument = load_instrument(study["survey"], study["organisation"], schema_path=schema)
    df, counts = build_submissions(instrument, scale)
    (out_dir / "synthetic_nettskjema-data-report.csv").write_bytes(wide_csv(df, instrument))
    write_json(codebook(instrument), out_dir / "synthetic_nettskjema-codebook.json")
    write_json(truth(instrument, counts, scale), out_dir / "synthetic_truth-survey.json")
    return counts


def write_fixtures(fixture_dir, study: dict, n_analysed: int = 40, *, schema) -> None:
    """A small demo subset in every importer format (identical submissions) for unit tests."""
    fixture_dir = Path(fixture_dir)
    fixture_dir.mkdir(parents=True, exist_ok=True)
    instrument = load_instrument(study["survey"], study["organisation"], schema_path=schema)
    df, counts = build_submissions(instrument, seed=SEED + 99, n_analysed=n_analysed)
    (fixture_dir / "report.csv").write_bytes(wide_csv(df, instrument))
    write_json(codebook(instrument), fixture_dir / "codebook.json")
    write_xlsx({"Svar": xlsx_frame(df, instrument)}, fixture_dir / "report.xlsx")
    (fixture_dir / "answers.ndjson").write_bytes(long_ndjson(df, instrument))
    (fixture_dir / "submissions.json").write_bytes(submissions_json(df, instrument))
    write_json(counts, fixture_dir / "expected_counts.json")


def main(argv=None) -> None:
    from impleval.config import load_yaml

    parser = argparse.ArgumentParser(
        description="Write the survey test fixtures from the demo model."
    )
    parser.add_argument("--config", default="config/config.yaml")
    parser.add_argument("--fixtures", default="tests/fixtures/survey")
    parser.add_argument("--schema", default="config/schema/survey.schema.yaml")
    args = parser.parse_args(argv)
    cfg = load_yaml(args.config)
    study = {k: load_yaml(cfg["study"][k]) for k in ("survey", "organisation")}
    write_fixtures(args.fixtures, study, schema=args.schema)


if __name__ == "__main__":
    main()
