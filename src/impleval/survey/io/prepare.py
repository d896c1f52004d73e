"""From a survey export to the canonical, cleaned, de-identified survey tables.

    read (format from config) → validate → clean → canonical tables → de-identification gate

Also a command-line entry for running outside Snakemake (exit status 1 on input problems):
    python -m impleval.survey.io.prepare --config config/config.yaml --out results
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.errors import InputError, Problem, ProblemCollector
from impleval.survey.io.canonical import canonical_schemas
from impleval.survey.io.clean import clean
from impleval.survey.io.export import SurveyExport, validate_export
from impleval.survey.io.flow import flow_table, flow_values
from impleval.survey.settings import DONT_KNOW, NOT_RELEVANT, Instrument

log = logging.getLogger(__name__)
FORMATS = ("nettskjema_wide", "nettskjema_long", "generic")


@dataclass
class PreparedSurvey:
    respondents: pd.DataFrame
    responses: pd.DataFrame
    comments: pd.DataFrame
    submissions: pd.DataFrame
    flow: pd.DataFrame
    deid: pd.DataFrame
    values: dict


def read_export(inputs: dict, instrument: Instrument) -> SurveyExport:
    """`inputs` is config → inputs → survey: `format` plus the paths that format needs."""
    fmt = inputs.get("format")
    if fmt == "nettskjema_wide":
        from impleval.survey.io.nettskjema_wide import read_wide

        return read_wide(inputs["report"], inputs.get("codebook"), instrument)
    if fmt == "nettskjema_long":
        from impleval.survey.io.nettskjema_long import read_long

        return read_long(
            inputs["answers"], inputs.get("codebook"), instrument, inputs.get("submissions")
        )
    if fmt == "generic":
        from impleval.survey.io.generic import read_generic

        return read_generic(inputs["report"], instrument)
    raise InputError(
        Problem("config.yaml", f"inputs.survey.format one of {', '.join(FORMATS)}", value=str(fmt))
    )


def canonical_responses(kept: pd.DataFrame, ids: pd.Series, instrument: Instrument) -> pd.DataFrame:
    """Long table: one row per respondent × item, in respondent then instrument order.

    Scores are looked up per distinct code (factorize), not per cell, and the text columns are
    taken from their distinct texts (`_taken_text`): 60 000 respondents × 45 items stay fast."""
    cols = instrument.item_columns
    n, k = len(kept), len(cols)
    code_at = np.empty((n, k), dtype=np.intp)  # position of each cell's code in `code_texts`
    code_texts: list[np.ndarray] = []  # each column's distinct codes, one column after another
    scores = np.full((n, k), np.nan)
    nr = np.zeros((n, k), dtype=bool)
    dk = np.zeros((n, k), dtype=bool)
    for j, c in enumerate(cols):
        index, uniques = pd.factorize(kept[c.name].astype(str), use_na_sentinel=False)
        uniques = np.asarray(uniques, dtype=object)
        code_at[:, j] = index + sum(len(u) for u in code_texts)
        code_texts.append(uniques)
        if c.kind in ("linear", "number"):  # the answer is the score
            score_u = np.array([float(u) if u != "" else np.nan for u in uniques])
            scores[:, j] = score_u[index]
            continue
        info = [c.codes.get(u, (None, None)) for u in uniques]
        scores[:, j] = np.array([np.nan if score is None else float(score) for score, _ in info])[
            index
        ]
        nr[:, j] = np.array([miss == NOT_RELEVANT for _, miss in info])[index]
        dk[:, j] = np.array([miss == DONT_KNOW for _, miss in info])[index]
    items = np.array([c.item for c in cols], dtype=object)
    return pd.DataFrame(
        {
            "respondent_id": _taken_text(ids.to_numpy(dtype=object), np.repeat(np.arange(n), k)),
            "item": _taken_text(items, np.tile(np.arange(k), n)),
            "code": _taken_text(np.concatenate(code_texts), code_at.ravel()),
            "score": scores.ravel(),
            "not_relevant": nr.ravel(),
            "dont_know": dk.ravel(),
        }
    ).astype({"respondent_id": str, "item": str, "code": str})


def _taken_text(texts: np.ndarray, positions: np.ndarray):
    """`texts[positions]` as a pandas text (`str`) array: the few texts are converted once and
    then taken, instead of pandas converting one Python string per row (2 M rows per column at
    60 000 respondents)."""
    return pd.array(texts, dtype="str").take(positions)


def check_groups_present(kept: pd.DataFrame, instrument: Instrument, file: str) -> None:
    """Every analysed submission names a trust and a role: the canonical tables need both.
    Without the cleaning step out_of_scope_role, a blank one reaches this point."""
    problems = ProblemCollector()
    for var, col in (("trust", instrument.trust_column), ("role", instrument.role_column)):
        for row in kept.loc[kept[col.name] == "", "row"]:
            problems.add(
                file,
                f"a {var} for every analysed submission (this one has none; add "
                "out_of_scope_role to cleaning.steps in survey.yaml to remove such submissions)",
                row=int(row),
                column=col.name,
            )
    problems.raise_if_any()


def checked(schema, frame: pd.DataFrame, file: str, table: str) -> pd.DataFrame:
    """The frame validated against its canonical schema; a failure becomes an InputError naming
    the file, the step and the column (the data themselves are not printed: they may hold free
    text that has not passed the gate yet)."""
    import pandera.errors

    try:
        return schema.validate(frame)
    except (pandera.errors.SchemaError, pandera.errors.SchemaErrors) as err:
        column = getattr(err, "column_name", None)
        reason = getattr(err, "reason_code", None)
        raise InputError(
            Problem(
                file,
                f"data that fit the canonical table {table} (step prepare_survey, "
                f"check failed: {getattr(reason, 'name', reason) or type(err).__name__})",
                column=str(column) if column is not None else None,
            )
        ) from None


def joined_comments(text: pd.DataFrame) -> list[str]:
    """Each row's non-empty comment texts, joined by line breaks. A loop over plain tuples:
    DataFrame.agg(axis=1) built a Series per row (0.2 s for 5 000 comments)."""
    return ["\n".join(v for v in row if v) for row in text.itertuples(index=False, name=None)]


def submissions_table(
    submissions: pd.DataFrame, excluded_at: pd.Series, instrument
) -> pd.DataFrame:
    """One row per received submission, in submission order, without any identifier: its trust,
    region and role (as exported after `values`; '' when missing) and the cleaning step that
    removed it ('' when analysed). Response rates per trust are computed from it."""
    order = submissions["submission_id"].str.zfill(20).sort_values(kind="stable").index
    trust = submissions.loc[order, instrument.trust_column.name].astype(str)
    return pd.DataFrame(
        {
            "trust": trust.to_numpy(),
            "region": trust.map(instrument.trust_region).fillna("").to_numpy(),
            "role": submissions.loc[order, instrument.role_column.name].astype(str).to_numpy(),
            "excluded_at": excluded_at[order].astype(str).to_numpy(),
        }
    )


def prepare(
    export: SurveyExport,
    instrument: Instrument,
    *,
    on_hit: str = "fail",
    names=(),
) -> PreparedSurvey:
    from impleval.privacy.deid import gate_frame

    submissions = validate_export(export, instrument)
    kept, counts, excluded_at = clean(submissions, instrument)
    check_groups_present(kept, instrument, export.file)
    width = max(5, len(str(len(kept))))
    # Pseudonymous ids in submission order; the submission id never leaves this function.
    kept = kept.assign(_sid=kept["submission_id"].str.zfill(20)).sort_values("_sid", kind="stable")
    kept = kept.drop(columns="_sid").reset_index(drop=True)
    ids = pd.Series([f"R{i:0{width}d}" for i in range(1, len(kept) + 1)])
    trust = kept[instrument.trust_column.name].astype(str)
    role = kept[instrument.role_column.name].astype(str)
    region = trust.map(instrument.trust_region)
    sources = instrument.sources_columns()
    categories = instrument.category_columns()
    respondents = pd.DataFrame(
        {
            "respondent_id": ids,
            "region": region.astype(str),
            "trust": trust,
            "role": role,
            **{c.target: kept[c.name].astype(str) for c in categories},
            # all-empty (skipped) and all-0 both mean "none ticked"
            **{c.target: (kept[c.name] == "1").astype("int64") for c in sources},
            "answer_time_s": kept["answer_time_s"].astype(float),
        }
    )
    responses = canonical_responses(kept, ids, instrument)
    comment_cols = [c.name for c in instrument.comment_columns()]
    has = (
        kept[comment_cols].ne("").any(axis=1)
        if comment_cols
        else pd.Series(False, index=kept.index)
    )
    # The gate scans the export's own text columns so that a hit names the column the user sees.
    text = kept.loc[has, comment_cols].reset_index(drop=True)
    text, deid = gate_frame(
        text,
        text_columns=comment_cols,
        source="survey_comments",
        file=export.file,
        on_hit=on_hit,
        names=names,
        rows=kept.loc[has, "row"].to_list(),
    )
    comments = pd.DataFrame(
        {
            "respondent_id": ids[has].to_numpy(),
            "region": region[has].to_numpy(),
            "role": role[has].to_numpy(),
            "comment": joined_comments(text),
        }
    ).astype(str)
    flow = flow_table(counts)
    cleaning = instrument.cleaning
    extra = {
        "n_trusts": int(respondents["trust"].nunique()),
        "n_regions": int(respondents["region"].nunique()),
        "n_comments": int(len(comments)),
        "min_answer_time_s": cleaning["min_answer_time_s"],
        "min_items_share": cleaning["min_items_share"],
        "min_items_questions": list(cleaning["min_items_questions"]),
        "fielding_start": cleaning.get("fielding_start") or None,
        "in_scope_roles": list(cleaning.get("in_scope_roles") or instrument.role_column.codes),
        # Questions dropped unread (use: ignore): the flow's notes list them.
        "ignored_questions": [q["id"] for q in instrument.ignored],
        "has_answer_time": bool(submissions["answer_time_s"].notna().any()),
    }
    schema_r, schema_l, schema_c, schema_s = canonical_schemas(
        [c.target for c in categories], [c.target for c in sources]
    )
    file = export.file
    return PreparedSurvey(
        checked(schema_r, respondents, file, "survey_respondents"),
        checked(schema_l, responses, file, "survey_responses"),
        checked(schema_c, comments, file, "survey_comments"),
        checked(
            schema_s,
            submissions_table(submissions, excluded_at, instrument),
            file,
            "survey_submissions",
        ),
        flow,
        deid,
        flow_values(flow, extra),
    )


def write_parquet(df: pd.DataFrame, path) -> None:
    from impleval.outputs import atomic_path

    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False, engine="pyarrow")


def write_outputs(result: PreparedSurvey, out: dict) -> None:
    """`out` maps respondents/responses/comments/submissions/flow/deid/values to paths. Written
    only after everything succeeded, each atomically: a failed run leaves no partial output."""
    import yaml

    from impleval.outputs import write_csv, write_text

    write_parquet(result.respondents, out["respondents"])
    write_parquet(result.responses, out["responses"])
    write_parquet(result.comments, out["comments"])
    write_parquet(result.submissions, out["submissions"])
    write_csv(result.flow, out["flow"])
    write_csv(result.deid, out["deid"])
    write_text(yaml.safe_dump(result.values, allow_unicode=True, sort_keys=True), out["values"])


def run_prepare(inputs: dict, study: dict, params: dict, out: dict) -> PreparedSurvey:
    """Everything the rule does: `study` has survey/organisation/schema paths, `params` on_hit
    and the names file."""
    from impleval.privacy.deid import read_names
    from impleval.survey.settings import load_study

    instrument = load_study(study["survey"], study["organisation"], study["schema"])
    export = read_export(inputs, instrument)
    names = read_names(params["names_file"]) if params.get("names_file") else []
    result = prepare(
        export,
        instrument,
        on_hit=params.get("on_hit", "fail"),
        names=names,
    )
    write_outputs(result, out)
    flow = result.flow.set_index("step")["n_remaining"]
    log.info("survey: %d received, %d analysed", flow.iloc[0], flow.iloc[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Prepare the survey data (import, validate, clean, de-identify)."
    )
    parser.add_argument("--config", default="config/config.yaml")
    parser.add_argument(
        "--out", default="results", help="results folder (interim/, tables/, values/ below it)"
    )
    parser.add_argument(
        "--schema",
        default="config/schema/survey.schema.yaml",
        help="JSON schema of the survey definition",
    )
    args = parser.parse_args(argv)
    from impleval.config import load_yaml
    from impleval.runner import setup_logging

    setup_logging(None)
    try:
        cfg = load_yaml(args.config)
        out = Path(args.out)
        run_prepare(
            cfg["inputs"]["survey"],
            {
                "survey": cfg["study"]["survey"],
                "organisation": cfg["study"]["organisation"],
                "schema": args.schema,
            },
            {
                "on_hit": cfg.get("deid", {}).get("on_hit", "fail"),
                "names_file": cfg.get("deid", {}).get("names_file"),
            },
            output_paths(out),
        )
    except InputError as err:
        log.error("%s", err)
        return 1
    return 0


def output_paths(out: Path) -> dict:
    return {
        "respondents": out / "interim/survey_respondents.parquet",
        "responses": out / "interim/survey_responses.parquet",
        "comments": out / "interim/survey_comments.parquet",
        "submissions": out / "interim/survey_submissions.parquet",
        "flow": out / "tables/participant_flow.csv",
        "deid": out / "interim/deid_survey.csv",
        "values": out / "values/survey_flow.yml",
    }


if __name__ == "__main__":
    sys.exit(main())
