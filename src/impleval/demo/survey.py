"""SYNTHETIC demo survey: a Nettskjema wide report + codebook, and the planted truth.

Model (latent normal with item thresholds): each respondent has a general attitude g and, per
construct, a latent η = region effect + role effect + √ρ·g + √(1−ρ)·z (unit variance within a
region × role cell). Item responses are y* = λ·η + √(1−λ²)·ε cut at the scale's thresholds
(shifted per item). "Not relevant" / "don't know" and skipped answers then mask some items.
The planted effects are below (PLANT) and in `synthetic_truth-survey.json`, together with
population quantities (large-sample simulation from the same model, separate seed) that the
analysis is checked against. `python -m impleval.demo.survey --fixtures tests/fixtures/survey`
writes a small subset in every importer format (CSV, XLSX, NDJSON) for the unit tests.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.demo.files import write_json, write_xlsx
from impleval.demo.survey_model import (
    FIRST_SUBMISSION_ID,
    FORM_ID,
    PLANT,
    SEED,
    TZ,
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
    instrument: Instrument, scale: int = 1, seed: int = SEED, n_analysed: int | None = None
):
    """All raw submissions (regular + planted cleaning cases), sorted by submission time.

    Returns (wide text frame in export order, hidden truth columns frame, expected counts)."""
    rng = np.random.default_rng(seed)
    base = n_analysed if n_analysed is not None else PLANT["n_analysed"] * scale
    ratio = base / PLANT["n_analysed"]
    cases = {k: max(1, int(round(v * ratio))) for k, v in PLANT["cleaning_cases"].items()}
    n_special = (
        cases["test_submissions"]
        + cases["out_of_scope_role"]
        + cases["too_few_items"]
        + cases["too_fast"]
    )
    df = simulate(rng, base + n_special, instrument)
    df["_case"] = "analysed"
    df["_local"] = _created(rng, len(df), PLANT["fielding"]["start"], PLANT["fielding"]["days"])
    idx = rng.permutation(len(df))[:n_special]
    pos = 0
    for case in ("test_submissions", "out_of_scope_role", "too_few_items", "too_fast"):
        rows = idx[pos : pos + cases[case]]
        pos += cases[case]
        df.loc[rows, "_case"] = case
        if case == "test_submissions":
            df.loc[rows, "_local"] = (
                pd.Timestamp(PLANT["fielding"]["start"])
                - pd.Timedelta(days=4)
                + pd.to_timedelta(rng.integers(9 * 3600, 15 * 3600, len(rows)), unit="s")
            ).values
        elif case == "out_of_scope_role":
            df.loc[rows, "role"] = "other"
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
    df["_created_nb"] = local.dt.strftime("%d.%m.%Y %H:%M")
    counts = {"received": int(len(df)), **cases, "analysed": int(base)}
    return df, counts


def wide_csv(df: pd.DataFrame, instrument: Instrument) -> bytes:
    cols = instrument.wide_columns()
    text = df[cols].to_csv(sep=";", quoting=csv.QUOTE_ALL, index=False, lineterminator="\n")
    return text.encode("utf-8")


def codebook(instrument: Instrument) -> dict:
    """The form's codebook in the shape of Nettskjema's API `elements` (texts in bokmål)."""
    inter = instrument.config["intervention"]["nb"]
    elements = [
        {
            "elementType": "HEADING",
            "externalElementId": None,
            "sequence": 1,
            "text": f"Spørreundersøkelse om innføring av {inter}",
        }
    ]
    scales = instrument.config["response_scales"]
    for seq, q in enumerate(instrument.questions, start=2):
        el = {
            "elementType": q["type"],
            "externalElementId": q["id"],
            "sequence": seq,
            "isMandatory": q["use"] == "group",
            "text": q["text"]["nb"].replace("{intervention}", inter),
            "answerOptions": [],
            "subElements": [],
        }
        if q.get("options_from") == "organisation.trusts":
            options = [(t, t) for t in instrument.trust_region]
        elif q.get("scale") and "options" in scales[q["scale"]]:
            options = [(o["code"], o["label"]["nb"]) for o in scales[q["scale"]]["options"]]
        else:
            options = [(o["code"], o["label"]["nb"]) for o in q.get("options", [])]
        el["answerOptions"] = [
            {"externalAnswerOptionId": c, "text": t, "sequence": i}
            for i, (c, t) in enumerate(options, start=1)
        ]
        el["subElements"] = [
            {
                "externalElementId": r["id"],
                "text": r["label"]["nb"].replace("{intervention}", inter),
                "sequence": i,
            }
            for i, r in enumerate(q.get("rows", []), start=1)
        ]
        if q["type"] == "LINEAR_SCALE":
            lin = scales[q["scale"]]["linear"]
            el["minimumValue"], el["maximumValue"] = lin["min"], lin["max"]
        elements.append(el)
    return {"formId": FORM_ID, "elements": elements}


def long_ndjson(df: pd.DataFrame, instrument: Instrument) -> bytes:
    """The same submissions as Nettskjema long answers (Norwegian dates and decimal commas)."""
    lines = []
    for rec in df.to_dict("records"):
        seconds = f"{int(rec['$answer_time_ms']) / 1000:.3f}".replace(".", ",")
        base = {
            "submissionId": int(rec["$submission_id"]),
            "createdDate": rec["_created_nb"],
            "answerTimeSeconds": seconds,
        }
        for q in instrument.questions:
            cols = instrument.columns_of(q["id"])
            if q["type"] == "CHECKBOX":
                ticked = [c.option for c in cols if rec[c.name] == "1"]
                if ticked:
                    lines.append(
                        {
                            **base,
                            "externalElementId": q["id"],
                            "elementType": q["type"],
                            "externalAnswerOptionIds": ticked,
                            "textAnswer": None,
                        }
                    )
                continue
            for c in cols:
                value = rec[c.name]
                if value == "":
                    continue
                r = {**base, "externalElementId": q["id"], "elementType": q["type"]}
                if q["type"] == "MATRIX_RADIO":
                    r["externalSubElementId"] = c.item
                if c.kind == "choice":
                    r.update(externalAnswerOptionIds=[value], textAnswer=None)
                else:
                    r.update(externalAnswerOptionIds=[], textAnswer=value)
                lines.append(r)
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in lines).encode(
        "utf-8"
    )


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
