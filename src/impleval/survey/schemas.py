"""The survey instrument (from the study's survey.yaml) and the canonical table schemas.

`Instrument` turns the config into what importers and validators need: the columns of a
Nettskjema wide report (`<question>.<row>` for matrix rows, `<question>.<option>` for checkbox
options), every allowed response code with its score, and the column allow-list.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from impleval.errors import InputError, Problem

SCHEMA_PATH = Path("config/schema/survey.schema.yaml")
SYSTEM_COLUMNS = ["$submission_id", "$created", "$answer_time_ms"]
NOT_RELEVANT, DONT_KNOW = "not_relevant", "dont_know"


@dataclass(frozen=True)
class Column:
    """One column of the wide report and what it holds."""

    name: str  # as in the export: "CO.CO1", "trust", "SOURCES.vendor", "G1"
    question: str  # the question's external id
    kind: str  # choice | checkbox | linear | text
    use: str  # group | category | sources | item | comment
    item: str | None = None  # item id for scored items (matrix row id or question id)
    option: str | None = None  # checkbox option code
    scale: str | None = None  # response scale id for items
    codes: dict = field(default_factory=dict)  # code → (score or None, missing kind or None)
    linear: tuple[int, int] | None = None


@dataclass
class Instrument:
    config: dict
    columns: list[Column]
    trust_region: dict[str, str]

    @property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @property
    def item_columns(self) -> list[Column]:
        return [c for c in self.columns if c.use == "item"]

    @property
    def items(self) -> list[str]:
        return [c.item for c in self.item_columns]

    def columns_of(self, question: str) -> list[Column]:
        return [c for c in self.columns if c.question == question]

    def question(self, qid: str) -> dict:
        return next(q for q in self.config["questions"] if q["id"] == qid)

    @property
    def questions(self) -> list[dict]:
        return self.config["questions"]

    @property
    def cleaning(self) -> dict:
        return self.config["cleaning"]

    def wide_columns(self) -> list[str]:
        """Column order of a Nettskjema wide report for this form."""
        return [SYSTEM_COLUMNS[0], SYSTEM_COLUMNS[1], *[c.name for c in self.columns], SYSTEM_COLUMNS[2]]

    def allowed_columns(self) -> list[str]:
        allowed = self.config["allowed_columns"]
        questions = allowed["questions"]
        names = [c.name for c in self.columns] if questions == "all" else list(questions)
        return list(allowed["system"]) + names

    def sources_columns(self) -> list[Column]:
        return [c for c in self.columns if c.use == "sources"]

    def labels(self, language: str = "nb") -> dict[str, str]:
        """Label of every question, item, option and role in `language` (ids as keys)."""
        out: dict[str, str] = {}
        inter = _pick(self.config.get("intervention", ""), language)
        for q in self.questions:
            out[q["id"]] = _pick(q["text"], language).replace("{intervention}", inter)
            for row in q.get("rows", []):
                out[row["id"]] = _pick(row["label"], language).replace("{intervention}", inter)
            for opt in q.get("options", []):
                out[f"{q['id']}.{opt['code']}"] = _pick(opt["label"], language)
        return out


def _pick(label, language: str) -> str:
    if isinstance(label, dict):
        return label.get(language) or label.get("nb") or ""
    return str(label)


def _fill_defaults_validator():
    """jsonschema validator that also fills `default`s (the jsonschema docs' recipe; Snakemake's
    `validate` does the same but importing Snakemake into the library would be heavy)."""
    from jsonschema import Draft202012Validator, validators

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = _copy(sub["default"])
        yield from Draft202012Validator.VALIDATORS["properties"](validator, properties, instance, schema)

    return validators.extend(Draft202012Validator, {"properties": set_defaults})


def _copy(value):
    return copy.deepcopy(value)


def validate_config(cfg: dict, schema_path: str | os.PathLike | None = None, *, file: str = "survey.yaml") -> dict:
    """Validate the survey definition against its schema and fill defaults (returns a copy)."""
    import yaml

    cfg = _copy(cfg)
    path = Path(schema_path) if schema_path else SCHEMA_PATH
    if not path.exists():  # e.g. run outside the repository: keep the explicit config as is
        path = Path(__file__).resolve().parents[3] / SCHEMA_PATH
    schema = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(_fill_defaults_validator()(schema).iter_errors(cfg), key=lambda e: list(e.path))
    if errors:
        raise InputError([
            Problem(file, f"a survey definition matching {path.name} ({e.message})",
                    column="/".join(map(str, e.path)) or None)
            for e in errors
        ])
    return cfg


def load_instrument(survey_cfg: dict, organisation: dict, *, schema_path=None,
                    file: str = "survey.yaml") -> Instrument:
    cfg = validate_config(survey_cfg, schema_path, file=file)
    scales = cfg["response_scales"]
    trust_region = {t["id"]: t["region"] for t in organisation["trusts"]}
    problems: list[Problem] = []
    columns: list[Column] = []
    for q in cfg["questions"]:
        qid, qtype, use = q["id"], q["type"], q["use"]
        if q.get("options_from") == "organisation.trusts":
            options = [{"code": t, "label": t} for t in trust_region]
        else:
            options = q.get("options", [])
        scale = q.get("scale")
        if scale is not None and scale not in scales:
            problems.append(Problem(file, f"a response scale defined in response_scales ({', '.join(scales)})",
                                    column=f"questions/{qid}/scale", value=scale))
            continue
        codes = _codes(scales[scale]) if scale else {str(o["code"]): (o.get("score"), o.get("missing")) for o in options}
        linear = None
        if scale and "linear" in scales[scale]:
            linear = (scales[scale]["linear"]["min"], scales[scale]["linear"]["max"])
        if qtype == "MATRIX_RADIO":
            for row in q.get("rows", []):
                columns.append(Column(f"{qid}.{row['id']}", qid, "choice", use, item=row["id"], scale=scale, codes=codes))
        elif qtype == "CHECKBOX":
            for opt in options:
                columns.append(Column(f"{qid}.{opt['code']}", qid, "checkbox", use, option=str(opt["code"])))
        elif qtype == "LINEAR_SCALE":
            if linear is None:
                problems.append(Problem(file, "a LINEAR_SCALE question with a `linear` response scale",
                                        column=f"questions/{qid}"))
                continue
            columns.append(Column(qid, qid, "linear", use, item=qid if use == "item" else None, scale=scale,
                                  linear=linear))
        elif qtype == "QUESTION":
            columns.append(Column(qid, qid, "text", use))
        else:  # RADIO, SELECT
            columns.append(Column(qid, qid, "choice", use, item=qid if use == "item" else None, scale=scale,
                                  codes=codes))
    names = [c.name for c in columns]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(file, "unique question, row and option ids", column=dup))
    for qid in ("trust", "role"):  # the canonical tables need both group variables
        if not any(c.question == qid and c.use == "group" for c in columns):
            problems.append(Problem(file, f"a `{qid}` question with use: group", column="questions"))
    if problems:
        raise InputError(problems)
    return Instrument(cfg, columns, trust_region)


def _codes(scale: dict) -> dict:
    if "options" not in scale:
        return {}
    return {str(o["code"]): (o.get("score"), o.get("missing")) for o in scale["options"]}


# Canonical outputs, checked before writing (a programming error, not an input problem, if they fail).
def canonical_schemas(sources: list[str]):
    import pandera.pandas as pa

    respondents = pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(str, pa.Check.str_matches(r"^R\d{5,}$"), unique=True),
            "region": pa.Column(str),
            "trust": pa.Column(str),
            "role": pa.Column(str),
            "TRAINING": pa.Column(str),
            **{s: pa.Column("int64", pa.Check.isin([0, 1])) for s in sources},
            "answer_time_s": pa.Column(float, pa.Check.ge(0), nullable=True),
        },
        strict=True,
        ordered=True,
    )
    responses = pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(str),
            "item": pa.Column(str),
            "code": pa.Column(str),
            "score": pa.Column(float, nullable=True),
            "not_relevant": pa.Column(bool),
            "dont_know": pa.Column(bool),
        },
        strict=True,
        ordered=True,
        unique=["respondent_id", "item"],
    )
    comments = pa.DataFrameSchema(
        {"respondent_id": pa.Column(str), "region": pa.Column(str), "role": pa.Column(str),
         "comment": pa.Column(str)},
        strict=True,
        ordered=True,
    )
    return respondents, responses, comments


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
