"""The survey's study definitions: the instrument (survey.yaml) and the analysis settings
(survey-analysis.yaml), validated with `impleval.config` and turned into plain structures.

`Instrument` turns the instrument config into what importers and validators need: the columns of
a Nettskjema wide report (`<question>.<row>` for matrix rows and sub-items, `<question>.<option>`
for checkbox options, `<question>.<row>.<option>` for matrix checkboxes), every accepted response
code with its score, which questions hold the group variables (`groups:`), the questions that are
dropped unread (`use: ignore`) and the column allow-list. The analysis settings (scales, item
blocks, group variables, cut points) are read with `load_settings` and looked up with the helpers
below it.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field

import pandas as pd

from impleval.config import load_validated, load_yaml, validate
from impleval.errors import InputError, Problem

SYSTEM_COLUMNS = ["$submission_id", "$created", "$answer_time_ms"]
NOT_RELEVANT, DONT_KNOW = "not_relevant", "dont_know"
# Columns of the canonical respondents table that no category or sources column may take.
RESERVED = ("respondent_id", "region", "trust", "role", "answer_time_s")
# Nettskjema elementType → the kind of cell its export columns hold.
KIND = {
    "RADIO": "choice",
    "SELECT": "choice",
    "MATRIX_RADIO": "choice",
    "CHECKBOX": "checkbox",
    "MATRIX_CHECKBOX": "checkbox",
    "LINEAR_SCALE": "linear",
    "NUMBER": "number",
    "DATE": "date",
    "QUESTION": "text",
    "QUESTION_MULTILINE": "text",
    "ATTACHMENT": "attachment",
}
MATRIX_TYPES = ("MATRIX_RADIO", "MATRIX_CHECKBOX")


@dataclass(frozen=True)
class Column:
    """One column of the wide report and what it holds."""

    name: str  # as in the export: "<q>", "<q>.<row>", "<q>.<option>", "<q>.<row>.<option>"
    question: str  # the question's id in survey.yaml
    kind: str  # choice | checkbox | linear | number | date | text
    use: str  # group | category | sources | item | comment
    item: str | None = None  # item id for scored items (row id or question id)
    option: str | None = None  # checkbox option code (as exported)
    row: str | None = None  # matrix row / sub-item id
    scale: str | None = None  # response scale id for items
    codes: dict = field(default_factory=dict)  # code → (score or None, missing kind or None)
    linear: tuple[int, int] | None = None
    values: dict = field(default_factory=dict)  # exported code → code (choice columns)
    number_range: tuple[float | None, float | None] | None = None
    date_format: str | None = None  # DATE | TIME | DATE_TIME
    target: str | None = None  # respondents column (category and sources columns)

    def accepted(self) -> list[str]:
        """Codes a choice cell may hold as exported (before `values` maps them)."""
        return [*self.codes, *(v for v in self.values if v not in self.codes)]


@dataclass
class Instrument:
    config: dict
    columns: list[Column]  # every column that is read (ignored questions excluded)
    trust_region: dict[str, str]
    ignored: list[dict] = field(default_factory=list)  # questions with use: ignore
    ignored_columns: list[Column] = field(default_factory=list)  # their columns, where known

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
    def read_questions(self) -> list[dict]:
        """The questions whose answers are read (all but `use: ignore`)."""
        return [q for q in self.questions if q["use"] != "ignore"]

    def by_code(self) -> dict[str, dict]:
        """Question by its id in the export (Nettskjema externalElementId)."""
        return {export_code(q): q for q in self.questions}

    @property
    def cleaning(self) -> dict:
        return self.config["cleaning"]

    @property
    def groups(self) -> dict:
        return self.config["groups"]

    @property
    def trust_column(self) -> Column:
        return self.columns_of(self.groups["trust"])[0]

    @property
    def role_column(self) -> Column:
        return self.columns_of(self.groups["role"])[0]

    def wide_columns(self) -> list[str]:
        """Column order of a Nettskjema wide report for this form (read and ignored questions
        in form order; an ignored question without options or rows as one column)."""
        names = {c.question: [] for c in [*self.columns, *self.ignored_columns]}
        for c in [*self.columns, *self.ignored_columns]:
            names[c.question].append(c.name)
        return [
            SYSTEM_COLUMNS[0],
            SYSTEM_COLUMNS[1],
            *[n for q in self.questions for n in names.get(q["id"], [])],
            SYSTEM_COLUMNS[2],
        ]

    def allowed_columns(self) -> list[str]:
        """Exact names, plus shell-style patterns `<code>` / `<code>.*` for ignored questions
        (their columns are dropped unread, whatever options or rows they have)."""
        allowed = self.config["allowed_columns"]
        questions = allowed["questions"]
        names = [c.name for c in self.columns] if questions == "all" else list(questions)
        ignored = [_glob_escape(export_code(q)) for q in self.ignored]
        return [
            *allowed["system"],
            *names,
            *ignored,
            *(f"{code}.*" for code in ignored),
        ]

    def is_ignored_column(self, name: str) -> bool:
        """Whether an export column belongs to a question with use: ignore."""
        return any(
            fnmatch.fnmatchcase(name, p)
            for code in (_glob_escape(export_code(q)) for q in self.ignored)
            for p in (code, f"{code}.*")
        )

    def sources_columns(self) -> list[Column]:
        return [c for c in self.columns if c.use == "sources"]

    def category_columns(self) -> list[Column]:
        return [c for c in self.columns if c.use == "category"]

    def comment_columns(self) -> list[Column]:
        return [c for c in self.columns if c.use == "comment"]

    def labels(self, language: str = "nb") -> dict[str, str]:
        """Label of every question, item, option and role in `language` (ids as keys)."""
        out: dict[str, str] = {}
        inter = _pick(self.config.get("intervention", ""), language)
        for q in self.questions:
            if "text" in q:
                out[q["id"]] = _pick(q["text"], language).replace("{intervention}", inter)
            for row in q.get("rows", []):
                out[row["id"]] = _pick(row["label"], language).replace("{intervention}", inter)
            for opt in q.get("options", []):
                out[f"{q['id']}.{opt['code']}"] = _pick(opt["label"], language)
        return out


def export_code(question: dict) -> str:
    """The question's id in the export (`code`, or its `id`)."""
    return str(question.get("code") or question["id"])


def row_code(row: dict) -> str:
    """A matrix row's id in the export (`code`, or its `id`)."""
    return str(row.get("code") or row["id"])


def _glob_escape(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)


def _pick(label, language: str) -> str:
    if isinstance(label, dict):
        return label.get(language) or label.get("nb") or ""
    return str(label)


def _question_columns(q: dict, scales: dict, trusts: list[str], file: str, problems: list):
    """The export columns of one question (empty list and a problem when it cannot be read)."""
    qid, qtype, use = q["id"], q["type"], q["use"]
    code = export_code(q)
    kind = KIND[qtype]
    if q.get("options_from") == "organisation.trusts":
        options = [{"code": t, "label": t} for t in trusts]
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
        return []
    codes = (
        _codes(scales[scale])
        if scale
        else {str(o["code"]): (o.get("score"), o.get("missing")) for o in options}
    )
    linear = None
    if scale and "linear" in scales[scale]:
        linear = (scales[scale]["linear"]["min"], scales[scale]["linear"]["max"])
    if kind == "linear" and linear is None and use != "ignore":
        problems.append(
            Problem(
                file,
                "a LINEAR_SCALE question with a `linear` response scale",
                column=f"questions/{qid}/scale",
                value=scale,
            )
        )
        return []
    if kind == "choice" and use != "ignore" and scale and linear is not None:
        problems.append(
            Problem(
                file,
                "a response scale with `options` for a single-choice or matrix question",
                column=f"questions/{qid}/scale",
                value=scale,
            )
        )
        return []
    values = {str(k): str(v) for k, v in (q.get("values") or {}).items()}
    for source, target in values.items():
        if kind == "choice" and target not in codes:
            problems.append(
                Problem(
                    file,
                    f"a `values` target that is one of the question's codes ({', '.join(codes)})",
                    column=f"questions/{qid}/values/{source}",
                    value=target,
                )
            )
    if values and kind != "choice":
        problems.append(
            Problem(
                file,
                "`values` only on single-choice and matrix questions",
                column=f"questions/{qid}/values",
            )
        )
    rng = q.get("range")
    number_range = (rng.get("min"), rng.get("max")) if rng else None
    common = {
        "scale": scale,
        "codes": codes,
        "linear": linear,
        "values": values,
        "number_range": number_range,
        "date_format": q.get("date_format"),
    }
    rows = q.get("rows") or []
    if rows and qtype not in (*MATRIX_TYPES, "LINEAR_SCALE"):
        problems.append(
            Problem(
                file,
                "`rows` only on MATRIX_RADIO, MATRIX_CHECKBOX and LINEAR_SCALE questions",
                column=f"questions/{qid}/rows",
            )
        )
    if kind == "checkbox":
        cells = [(f"{code}.{row_code(r)}", r["id"]) for r in rows] if rows else [(code, None)]
        return [
            Column(
                f"{name}.{o['code']}",
                qid,
                kind,
                use,
                option=str(o["code"]),
                row=row,
                target="_".join(x for x in (qid, row, str(o["code"])) if x),
                **common,
            )
            for name, row in cells
            for o in options
        ]
    if rows:
        return [
            Column(f"{code}.{row_code(r)}", qid, kind, use, item=r["id"], row=r["id"], **common)
            for r in rows
        ]
    return [
        Column(
            code,
            qid,
            kind,
            use,
            item=qid if use == "item" else None,
            target=qid if use == "category" else None,
            **common,
        )
    ]


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
    ignored_columns: list[Column] = []
    for q in cfg["questions"]:
        cols = _question_columns(q, scales, list(trust_region), file, problems)
        if q["use"] == "ignore":
            ignored_columns += cols
        else:
            columns += cols
    _check_ids(cfg, columns, ignored_columns, file, problems)
    _check_groups(cfg, columns, trust_region, file, problems)
    _check_cleaning(cfg, columns, file, problems)
    if problems:
        raise InputError(problems)
    ignored = [q for q in cfg["questions"] if q["use"] == "ignore"]
    instrument = Instrument(cfg, columns, trust_region, ignored, ignored_columns)
    _check_invited(cfg, instrument, file)
    return instrument


def _check_ids(cfg, columns, ignored_columns, file, problems) -> None:
    ids = [q["id"] for q in cfg["questions"]]
    codes = [export_code(q) for q in cfg["questions"]]
    for what, seen in (("question ids", ids), ("question export codes (`code` or `id`)", codes)):
        for dup in sorted({x for x in seen if seen.count(x) > 1}):
            problems.append(Problem(file, f"unique {what}", column="questions", value=dup))
    names = [c.name for c in [*columns, *ignored_columns]]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(file, "unique question, row and option ids", column=dup))
    items = [c.item for c in columns if c.use == "item"]
    for dup in sorted({i for i in items if items.count(i) > 1}):
        problems.append(Problem(file, "unique item ids (rows and questions)", column=dup))
    targets = [c.target for c in columns if c.target]
    for t in sorted({t for t in targets if targets.count(t) > 1 or t in RESERVED}):
        problems.append(
            Problem(
                file,
                "respondents-table columns (category questions, <question>_<option> sources) "
                f"that are unique and none of {', '.join(RESERVED)}",
                column=t,
            )
        )


def _check_groups(cfg, columns, trust_region, file, problems) -> None:
    """`groups.trust` and `groups.role` name single-choice questions with use: group, and the
    trust question's codes are trust ids of organisation.yaml."""
    groups = cfg["groups"]
    named = {}
    for var in ("trust", "role"):
        qid = groups[var]
        q = next((q for q in cfg["questions"] if q["id"] == qid), None)
        where = f"groups/{var}"
        if q is None:
            problems.append(
                Problem(
                    file,
                    f"the id of the question that holds the {var} (a question in questions:)",
                    column=where,
                    value=qid,
                )
            )
            continue
        if q["use"] != "group" or q["type"] not in ("RADIO", "SELECT"):
            problems.append(
                Problem(
                    file,
                    f"a RADIO or SELECT question with use: group for the {var}",
                    column=f"questions/{qid}",
                    value=f"{q['type']}, use: {q['use']}",
                )
            )
            continue
        named[var] = qid
    for q in cfg["questions"]:
        if q["use"] == "group" and q["id"] not in groups.values():
            problems.append(
                Problem(
                    file,
                    "use: group only on the questions named in groups: (trust, role); "
                    "use: category keeps any other question in the respondents table",
                    column=f"questions/{q['id']}/use",
                    value="group",
                )
            )
    if "trust" in named:
        col = next(c for c in columns if c.question == named["trust"])
        unknown = [c for c in col.codes if c not in trust_region]
        if unknown:
            problems.append(
                Problem(
                    file,
                    "trust codes (after `values`) that are trust ids in organisation.yaml "
                    f"({', '.join(trust_region)})",
                    column=f"questions/{named['trust']}",
                    value=", ".join(unknown),
                )
            )


def _check_cleaning(cfg, columns, file, problems) -> None:
    cleaning = cfg["cleaning"]
    roles = next((c.codes for c in columns if c.question == cfg["groups"]["role"]), None)
    if roles is not None:
        unknown = [r for r in cleaning.get("in_scope_roles") or [] if r not in roles]
        if unknown:
            problems.append(
                Problem(
                    file,
                    f"role codes of the role question ({', '.join(roles)})",
                    column="cleaning/in_scope_roles",
                    value=", ".join(unknown),
                )
            )
    item_questions = {c.question for c in columns if c.use == "item"}
    for qid in cleaning["min_items_questions"]:
        if qid not in item_questions:
            problems.append(
                Problem(
                    file,
                    "questions with use: item",
                    column="cleaning/min_items_questions",
                    value=qid,
                )
            )


def _check_invited(cfg: dict, instrument: Instrument, file: str) -> None:
    invited = cfg.get("invited")
    if not invited:
        return
    problems: list[Problem] = []
    roles = instrument.role_column.codes
    for trust, entry in invited["trusts"].items():
        where = f"invited/trusts/{trust}"
        if trust not in instrument.trust_region:
            problems.append(
                Problem(file, "a trust id of organisation.yaml", column=where, value=trust)
            )
        for key, counts in [
            ("", entry),
            *((f"/roles/{r}", c) for r, c in entry.get("roles", {}).items()),
        ]:
            if counts.get("eligible") is not None and counts["eligible"] < counts["invited"]:
                problems.append(
                    Problem(
                        file,
                        "eligible ≥ invited",
                        column=where + key,
                        value=f"eligible {counts['eligible']}, invited {counts['invited']}",
                    )
                )
        for role in entry.get("roles", {}):
            if role not in roles:
                problems.append(
                    Problem(
                        file,
                        f"a role code of the role question ({', '.join(roles)})",
                        column=f"{where}/roles",
                        value=role,
                    )
                )
        by_role = sum(c["invited"] for c in entry.get("roles", {}).values())
        if by_role > entry["invited"]:
            problems.append(
                Problem(
                    file,
                    "the roles' invited counts adding up to at most the trust's",
                    column=f"{where}/roles",
                    value=f"{by_role} > {entry['invited']}",
                )
            )
    if problems:
        raise InputError(problems)


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


def group_column(name: str) -> str:
    """Column holding group variable `name` in the respondent frame and in the respondent-level
    scores file (results/interim/survey_scale_scores.parquet): `group__<name>`, never `<name>`,
    which a scale or item may carry too."""
    return f"group__{name}"


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
        return group_column(self.name)

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
