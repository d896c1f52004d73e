"""The survey's study definitions: the instrument (survey.yaml) and the analysis settings
(survey-analysis.yaml), validated with `impleval.config` and turned into plain structures.

`Instrument` turns the instrument config into what importers and validators need: the columns of
a Nettskjema wide report (`<question>.<row>` for matrix rows, `<question>.<option>` for checkbox
options), every allowed response code with its score, and the column allow-list. The analysis
settings (scales, item blocks, group variables, cut points) are read with `load_settings` and
looked up with the helpers below it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from impleval.config import load_validated, load_yaml, validate
from impleval.errors import InputError, Problem

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
        return [
            SYSTEM_COLUMNS[0],
            SYSTEM_COLUMNS[1],
            *[c.name for c in self.columns],
            SYSTEM_COLUMNS[2],
        ]

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


def load_instrument(
    survey_cfg: dict,
    organisation: dict,
    *,
    schema_path: str | os.PathLike,
    file: str | os.PathLike = "survey.yaml",
) -> Instrument:
    """The instrument of a survey definition (validated against `schema_path`, defaults filled)."""
    cfg = validate(survey_cfg, schema_path, file=file)
    file = str(file)
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
            problems.append(
                Problem(
                    file,
                    f"a response scale defined in response_scales ({', '.join(scales)})",
                    column=f"questions/{qid}/scale",
                    value=scale,
                )
            )
            continue
        codes = (
            _codes(scales[scale])
            if scale
            else {str(o["code"]): (o.get("score"), o.get("missing")) for o in options}
        )
        linear = None
        if scale and "linear" in scales[scale]:
            linear = (scales[scale]["linear"]["min"], scales[scale]["linear"]["max"])
        if qtype == "MATRIX_RADIO":
            for row in q.get("rows", []):
                columns.append(
                    Column(
                        f"{qid}.{row['id']}",
                        qid,
                        "choice",
                        use,
                        item=row["id"],
                        scale=scale,
                        codes=codes,
                    )
                )
        elif qtype == "CHECKBOX":
            for opt in options:
                columns.append(
                    Column(f"{qid}.{opt['code']}", qid, "checkbox", use, option=str(opt["code"]))
                )
        elif qtype == "LINEAR_SCALE":
            if linear is None:
                problems.append(
                    Problem(
                        file,
                        "a LINEAR_SCALE question with a `linear` response scale",
                        column=f"questions/{qid}",
                    )
                )
                continue
            columns.append(
                Column(
                    qid,
                    qid,
                    "linear",
                    use,
                    item=qid if use == "item" else None,
                    scale=scale,
                    linear=linear,
                )
            )
        elif qtype == "QUESTION":
            columns.append(Column(qid, qid, "text", use))
        else:  # RADIO, SELECT
            columns.append(
                Column(
                    qid,
                    qid,
                    "choice",
                    use,
                    item=qid if use == "item" else None,
                    scale=scale,
                    codes=codes,
                )
            )
    names = [c.name for c in columns]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(file, "unique question, row and option ids", column=dup))
    for qid in ("trust", "role"):  # the canonical tables need both group variables
        if not any(c.question == qid and c.use == "group" for c in columns):
            problems.append(
                Problem(file, f"a `{qid}` question with use: group", column="questions")
            )
    if problems:
        raise InputError(problems)
    return Instrument(cfg, columns, trust_region)


def load_study(survey_yaml, organisation_yaml, schema) -> Instrument:
    """The instrument from the study's survey.yaml and organisation.yaml (validated against
    `schema`, the survey definition's JSON schema)."""
    return load_instrument(
        load_yaml(survey_yaml),
        load_yaml(organisation_yaml),
        schema_path=schema,
        file=str(survey_yaml),
    )


def _codes(scale: dict) -> dict:
    if "options" not in scale:
        return {}
    return {str(o["code"]): (o.get("score"), o.get("missing")) for o in scale["options"]}


# --- Analysis settings (survey-analysis.yaml) ------------------------------------------------


def validate_settings(
    settings: dict,
    schema_path: str | os.PathLike,
    *,
    file: str | os.PathLike = "survey-analysis.yaml",
) -> dict:
    """An analysis definition (a copy) validated against its schema, defaults filled in."""
    return validate(settings, schema_path, file=file)


def load_settings(path: str | os.PathLike, schema_path: str | os.PathLike) -> dict:
    """Read survey-analysis.yaml, validate it and fill defaults."""
    return load_validated(path, schema_path)


@dataclass(frozen=True)
class GroupVar:
    name: str
    reference: str
    levels: tuple[str, ...] = ()
    pairwise: bool = True

    @property
    def column(self) -> str:
        """Column of the respondent frame holding this variable (an outcome may share its name:
        the health trust `trust` and the scale `trust`)."""
        return f"group__{self.name}"

    def order(self, present) -> list[str]:
        """Levels present in the data: reference first, then declared order, then alphabetical."""
        present = [str(x) for x in present]
        declared = [x for x in self.levels if x in present]
        rest = sorted(x for x in present if x not in declared)
        ordered = declared + rest
        if self.reference in ordered:
            ordered.remove(self.reference)
            ordered.insert(0, self.reference)
        return ordered


def group_vars(settings: dict) -> list[GroupVar]:
    return [
        GroupVar(
            g["name"],
            str(g["reference"]),
            tuple(map(str, g.get("levels", []))),
            bool(g.get("pairwise", True)),
        )
        for g in settings["group_vars"]
    ]


def screen_items(settings: dict) -> list[str]:
    """Every scored item in the screen, in report order (item blocks as declared)."""
    seen: list[str] = []
    for items in settings["item_groups"].values():
        seen += [i for i in items if i not in seen]
    return seen


def cut_points(settings: dict, item: str) -> dict:
    agreement = settings.get("agreement", {})
    cuts = dict(agreement.get("default", {"agree_min": 4, "disagree_max": 2, "min": 1, "max": 5}))
    for override in agreement.get("overrides", []):
        if item in override["items"]:
            cuts.update({k: v for k, v in override.items() if k != "items"})
    return cuts


def check_items_present(settings: dict, items_in_data, *, file: str) -> None:
    """Every item the analysis names must be in the data: a typo must not silently drop a test."""
    present = set(items_in_data)
    named = set(screen_items(settings)) | set(settings.get("ordinal_items", []))
    for scale in settings["scales"].values():
        named |= set(scale["items"])
    problems = [
        Problem(file, "an item that the survey data contain", column="item", value=item)
        for item in sorted(named - present)
    ]
    if problems:
        raise InputError(problems)


def add_constructs(df: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Add `construct` (the scale or item block an outcome belongs to; an id) after `outcome`,
    so tables can be grouped by construct without the study definitions."""
    block_of = {i: b for b, items in settings["item_groups"].items() for i in items}
    block_of.update({i: s for s, d in settings["scales"].items() for i in d["items"]})
    out = df.copy()
    construct = out["outcome"].map(lambda o: o if o in settings["scales"] else block_of.get(o, o))
    out.insert(1, "construct", construct)
    return out
