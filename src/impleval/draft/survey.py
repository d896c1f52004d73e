"""Draft the survey definitions (survey.yaml, survey-analysis.yaml) from a Nettskjema codebook
and the wide report: every question, matrix row and option code with its text, response scales
(option sets shared by questions), "not relevant" / "don't know" codes recognised from their
labels, the group questions guessed from their texts, and guesses for what only the researcher
decides (scales, reference groups, families, cleaning), each marked in a comment."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from impleval.draft.text import Doc, slug
from impleval.survey.io.nettskjema_wide import read_codebook
from impleval.tabular import read_table

ANSWERLESS = {"HEADING", "TEXT", "PAGE_BREAK", "IMAGE"}
# Element types the pipeline reads, and what a question of the type is used for by default.
CHOICE = ("RADIO", "SELECT", "MATRIX_RADIO")
NOT_RELEVANT = re.compile(r"ikke relevant|not relevant|not applicable|gjelder ikke|n/a", re.I)
DONT_KNOW = re.compile(
    r"vet ikke|don.?t know|do not know|usikker|unsure|ønsker ikke|prefer not|ingen formening",
    re.I,
)
TRUST_WORDS = re.compile(
    r"helseforetak|foretak|sykehus|arbeidssted|arbeider du|enhet|workplace|hospital|trust|"
    r"where do you work",
    re.I,
)
ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
ROLE_WORDS = re.compile(r"rolle|role|stilling|position|yrke|profesjon|profession", re.I)


@dataclass
class SurveyDraft:
    """What the survey exports say, as the draft reads it."""

    questions: list[dict]  # id, type, text, rows, options, use, scale, construct, notes
    scales: dict[str, dict]  # id → {options: [...]} or {linear: {...}}
    groups: dict[str, str | None]  # trust / role → question id (guessed)
    counts: dict[str, Counter] = field(default_factory=dict)  # question id → answers
    first_submission: str | None = None


def _missing(label: str) -> str | None:
    if NOT_RELEVANT.search(label):
        return "not_relevant"
    if DONT_KNOW.search(label):
        return "dont_know"
    return None


def _options(element: dict) -> list[dict]:
    out = []
    scored = [o for o in element.get("answerOptions") or [] if not _missing(str(o.get("text")))]
    numeric = all(re.fullmatch(r"-?\d+", str(o.get("externalAnswerOptionId"))) for o in scored)
    position = 0
    for o in element.get("answerOptions") or []:
        code, text = str(o.get("externalAnswerOptionId")), str(o.get("text") or "").strip()
        missing = _missing(text)
        entry = {"code": code, "label": text}
        if missing:
            entry["missing"] = missing
        else:
            position += 1
            entry["score"] = int(code) if numeric else position
        out.append(entry)
    return out


def _id(code: str, prefix: str) -> str:
    """An id the definitions accept (a letter first; letters, digits, _): the exported id itself
    where it is one, else `<prefix>_<code>` (the export's id then stays as `code`)."""
    return code if ID.fullmatch(code) else f"{prefix}_{slug(code)}"


def _scale_like(options: list[dict]) -> bool:
    """An option set that is a response scale: at least three scored options and either numeric
    codes or "not relevant" / "don't know" options beside them."""
    scored = [o for o in options if "score" in o]
    numeric = all(re.fullmatch(r"-?\d+", o["code"]) for o in scored)
    return len(scored) >= 3 and (numeric or len(scored) < len(options))


def read_survey(codebook: str, report: str | None) -> SurveyDraft:
    elements = [e for e in read_codebook(codebook) if e.get("elementType") not in ANSWERLESS]
    questions: list[dict] = []
    option_sets: dict[tuple, str] = {}
    scales: dict[str, dict] = {}
    for e in elements:
        code, qtype = str(e["externalElementId"]), e["elementType"]
        qid = _id(code, "q")
        q = {
            "id": qid,
            "code": code,
            "type": qtype,
            "text": str(e.get("text") or "").strip(),
            "rows": [
                {
                    "id": _id(str(s["externalElementId"]), qid),
                    "code": str(s["externalElementId"]),
                    "label": str(s.get("text") or "").strip(),
                }
                for s in e.get("subElements") or []
            ],
            "options": _options(e),
            "date_format": e.get("dateFormat"),
            "range": {
                k: e[v]
                for k, v in (("min", "minimumValue"), ("max", "maximumValue"))
                if e.get(v) is not None
            },
        }
        if qtype == "LINEAR_SCALE":
            lo, hi = int(e.get("minimumValue") or 0), int(e.get("maximumValue") or 10)
            sid = f"linear_{lo}_{hi}"
            scales.setdefault(
                sid,
                {
                    "linear": {"min": lo, "max": hi},
                    "labels": {
                        "min": {"nb": str(e.get("minimumValueText") or lo)},
                        "max": {"nb": str(e.get("maximumValueText") or hi)},
                    },
                },
            )
            q.update(scale=sid, use="item")
        elif qtype in CHOICE and _scale_like(q["options"]):
            key = tuple((o["code"], o["label"]) for o in q["options"])
            if key not in option_sets:
                n = len([o for o in q["options"] if "score" in o])
                option_sets[key] = f"scale{len(option_sets) + 1}_{n}"
                scales[option_sets[key]] = {"options": q["options"]}
            q.update(scale=option_sets[key], use="item")
        questions.append(q)
    # Options shared with a scale make a single RADIO an item too (the scale's codes).
    groups: dict[str, str | None] = {"trust": None, "role": None}
    choices = [q for q in questions if "use" not in q and q["type"] in ("RADIO", "SELECT")]
    for q in choices:
        text = f"{q['id']} {q['text']}"
        if groups["role"] is None and ROLE_WORDS.search(text):
            groups["role"], q["use"] = q["id"], "group"
        elif groups["trust"] is None and TRUST_WORDS.search(text):
            groups["trust"], q["use"] = q["id"], "group"
    uses = {
        "RADIO": "category",
        "SELECT": "category",
        "NUMBER": "category",
        "DATE": "category",
        "CHECKBOX": "sources",
        "MATRIX_CHECKBOX": "sources",
        "QUESTION": "comment",
        "QUESTION_MULTILINE": "comment",
    }
    for q in questions:
        if "use" not in q:
            q["use"] = uses.get(q["type"], "ignore")
            if q["type"] == "DATE" and q["date_format"] not in ("DATE", "TIME", "DATE_TIME"):
                q["use"] = "ignore"
    draft = SurveyDraft(questions, scales, groups)
    if report:
        _count_answers(draft, report)
    return draft


def _count_answers(draft: SurveyDraft, report: str) -> None:
    """Answers of the group and category questions in the wide report (the reference group
    guesses take the largest group), and the first submission time."""
    table = read_table(report)
    df = table.data
    for q in draft.questions:
        if q["use"] in ("group", "category") and q["id"] in df.columns:
            draft.counts[q["id"]] = Counter(v for v in df[q["id"]] if str(v).strip())
    if "$created" in df.columns and len(df):
        draft.first_submission = min(str(v) for v in df["$created"] if str(v).strip())[:10]


def _label(text: str) -> dict:
    return {"nb": text}


def write_survey(d: SurveyDraft, file: str = "survey.yaml") -> Doc:
    doc = Doc(file)
    doc.comment(
        "Survey instrument drafted by `impleval init` from the Nettskjema codebook.\n"
        "Texts are the codebook's (bokmål); add `en:` beside `nb:` for an English report.\n"
        "GUESS marks what the draft inferred; DECISION marks what only you can decide\n"
        "(DECISIONS.md lists them all)."
    )
    doc.key(
        "intervention",
        _label("tiltaket"),
        note=doc.decide(
            "intervention", "how item texts and the report name the intervention", "'tiltaket'"
        ),
    )
    doc.blank()
    doc.comment("Response scales: option sets shared by the questions, codes as exported.")
    doc.key("response_scales", block=True)
    for sid, scale in d.scales.items():
        doc.key(sid, block=True, indent=2)
        if "linear" in scale:
            doc.key("linear", scale["linear"], indent=4)
            doc.key("labels", scale["labels"], indent=4)
            continue
        doc.key("options", block=True, indent=4)
        for o in scale["options"]:
            entry = {"code": o["code"]}
            note = ""
            if "score" in o:
                entry["score"] = o["score"]
            else:
                entry["missing"] = o["missing"]
                note = doc.guess(f"'{o['label']}' read as {o['missing'].replace('_', ' ')}")
            entry["label"] = _label(o["label"])
            doc.item(entry, indent=6, note=note)
    doc.blank()
    trust, role = d.groups["trust"], d.groups["role"]
    doc.key(
        "groups",
        {"trust": trust or "DECIDE", "role": role or "DECIDE"},
        note=doc.decide(
            "groups",
            "which questions hold the workplace (trust) and the role",
            f"trust: {trust or 'none found'}, role: {role or 'none found'} (from their texts)",
        ),
    )
    doc.blank()
    doc.comment("Questions in form order; `use` says where each answer goes (docs/data/survey.md).")
    doc.key("questions", block=True)
    for q in d.questions:
        doc.key("id", q["id"], indent=2, dash=True)
        doc.key("type", q["type"], indent=4)
        notes = {
            "group": "guessed group question (its text)",
            "category": "kept as a category of the respondents table",
            "comment": "free text: through the de-identification gate",
            "ignore": "not read by the pipeline (an upload's file names are personal data)",
            "sources": "checkbox: one 0/1 column per option",
        }
        use_note = doc.guess(notes[q["use"]]) if q["use"] in notes else ""
        doc.key("use", q["use"], indent=4, note=use_note)
        if q["use"] == "item":
            doc.key("construct", slug(q["id"]), indent=4, note=doc.guess("one block per question"))
        if q.get("scale"):
            doc.key("scale", q["scale"], indent=4)
        if q["code"] != q["id"]:
            doc.key("code", q["code"], indent=4)
        doc.key("text", _label(q["text"] or q["id"]), indent=4)
        if q["type"] == "NUMBER" and q["range"]:
            doc.key("range", q["range"], indent=4)
        if q["type"] == "DATE" and q["use"] != "ignore":
            doc.key("date_format", q["date_format"], indent=4)
        if q["rows"]:
            doc.key("rows", block=True, indent=4)
            for r in q["rows"]:
                row = {"id": r["id"]} | ({"code": r["code"]} if r["code"] != r["id"] else {})
                doc.item({**row, "label": _label(r["label"] or r["id"])}, indent=6)
        if q["options"] and not q.get("scale"):
            doc.key("options", block=True, indent=4)
            for o in q["options"]:
                doc.item({"code": o["code"], "label": _label(o["label"] or o["code"])}, indent=6)
    doc.blank()
    roles = [o["code"] for o in _question(d, role)["options"]] if role else []
    start = d.first_submission or "2000-01-01"
    doc.key("cleaning", block=True)
    doc.key(
        "steps",
        ["test_submissions", "duplicates", "out_of_scope_role", "too_few_items", "too_fast"],
        indent=2,
    )
    doc.key(
        "fielding_start",
        start,
        indent=2,
        note=doc.decide(
            "cleaning.fielding_start",
            "the first day of fielding (earlier submissions are tests)",
            f"{start}, the first submission's day",
        ),
    )
    doc.key(
        "in_scope_roles",
        roles,
        indent=2,
        note=doc.decide(
            "cleaning.in_scope_roles", "which roles the survey is about", "every role option"
        ),
    )
    item_qs = [q["id"] for q in d.questions if q["use"] == "item" and q["rows"]]
    doc.key(
        "min_items_questions",
        item_qs,
        indent=2,
        note=doc.decide(
            "cleaning.min_items_questions",
            "which questions a respondent must mostly answer to be kept",
            "every matrix question",
        ),
    )
    doc.key(
        "min_items_share",
        0.5,
        indent=2,
        note=doc.decide(
            "cleaning.min_items_share",
            "the share of those questions' items a respondent must answer",
            "0.5, the schema's default",
        ),
    )
    doc.key(
        "min_answer_time_s",
        60,
        indent=2,
        note=doc.decide(
            "cleaning.min_answer_time_s",
            "the shortest credible answer time",
            "60 s, the schema's default",
        ),
    )
    doc.blank()
    doc.decide_later(
        "invited",
        "how many staff were invited, per trust",
        "left out: the report says the response rate is unknown",
        "Add `invited:` from the invitation log (docs/data/survey.md).",
    )
    return doc


def _question(d: SurveyDraft, qid: str) -> dict:
    return next(q for q in d.questions if q["id"] == qid)


def items(d: SurveyDraft) -> dict[str, list[str]]:
    """Item ids per item question (matrix rows, or the question itself)."""
    return {
        q["id"]: [r["id"] for r in q["rows"]] or [q["id"]]
        for q in d.questions
        if q["use"] == "item"
    }


def cut_points(scale: dict) -> dict:
    """Agree / disagree cut points of a response scale: above / below its midpoint (a 0–10 line:
    the top and bottom ~30 %)."""
    if "linear" in scale:
        lo, hi = scale["linear"]["min"], scale["linear"]["max"]
        return {
            "agree_min": lo + math.ceil(0.7 * (hi - lo)),
            "disagree_max": lo + math.floor(0.3 * (hi - lo)),
            "min": lo,
            "max": hi,
        }
    scores = [o["score"] for o in scale["options"] if "score" in o]
    lo, hi = min(scores), max(scores)
    mid = (lo + hi) / 2
    return {
        "agree_min": math.floor(mid) + 1,
        "disagree_max": math.ceil(mid) - 1,
        "min": lo,
        "max": hi,
    }


# Columns of the respondent-level scores beside the scales: a scale may not take their names.
RESERVED_SCALE_IDS = {"respondent_id", "region", "trust", "role"}


def scale_id(question_id: str) -> str:
    """The drafted scale id of a matrix question: its slug, suffixed where it would share a
    name with a group variable (a question `trust` about trust in the tool)."""
    sid = slug(question_id)
    return f"{sid}_scale" if sid in RESERVED_SCALE_IDS else sid


def write_analysis(d: SurveyDraft, organisation: dict, file: str = "survey-analysis.yaml") -> Doc:
    doc = Doc(file)
    doc.comment(
        "Survey analysis drafted by `impleval init`: which items form which scale, the group\n"
        "comparisons and the multiplicity families are the study's decisions, declared before\n"
        "the data are seen. The draft proposes one scale per matrix question."
    )
    by_question = items(d)
    matrices = {q: its for q, its in by_question.items() if len(its) > 1}
    scale_of = {q["id"]: q.get("scale") for q in d.questions}
    doc.key(
        "scales",
        block=True,
        note=doc.decide("scales", "which items form which scale", "one scale per matrix question"),
    )
    for qid, its in matrices.items():
        doc.key(scale_id(qid), block=True, indent=2)
        doc.key("items", its, indent=4)
        doc.key("label", _label(_question(d, qid)["text"] or qid), indent=4)
    doc.blank()
    doc.key(
        "item_groups",
        block=True,
        note=doc.decide(
            "item_groups",
            "which items the report shows together, in which order",
            "one block per question, in form order",
        ),
    )
    for qid, its in by_question.items():
        doc.key(slug(qid), its, indent=2)
    ordinal = [
        i for q, its in by_question.items() if "options" in d.scales[scale_of[q]] for i in its
    ]
    doc.key(
        "ordinal_items",
        ordinal,
        note=doc.decide(
            "ordinal_items",
            "which items get proportional-odds models",
            "every item on a response scale with options",
        ),
    )
    categorical = [q["id"] for q in d.questions if q["use"] == "category"]
    doc.key(
        "categorical_items",
        categorical,
        note=doc.decide(
            "categorical_items",
            "which category questions are compared across groups",
            "every category question",
        ),
    )
    doc.blank()
    used = Counter(scale_of[q] for q in by_question for _ in by_question[q])
    main = used.most_common(1)[0][0] if used else None
    doc.key(
        "agreement",
        block=True,
        note=doc.decide(
            "agreement",
            "what counts as agreeing and disagreeing on each scale",
            "above / below each scale's midpoint",
        ),
    )
    if main:
        doc.key("default", cut_points(d.scales[main]), indent=2)
        overrides = [
            {
                "items": [i for q, its in by_question.items() if scale_of[q] == s for i in its],
                **cut_points(d.scales[s]),
            }
            for s in d.scales
            if s != main and any(scale_of[q] == s for q in by_question)
        ]
        if overrides:
            doc.key("overrides", block=True, indent=2)
            for o in overrides:
                doc.item(o, indent=4)
    doc.blank()
    regions = [r["id"] for r in organisation.get("regions", [])]
    primary = "region" if len(regions) > 1 else "trust"
    group_vars = []
    for name in (primary, "trust", "role") if primary == "region" else ("trust", "role"):
        ref = _largest(d, name, organisation)
        group_vars.append({"name": name, "reference": ref})
    doc.key(
        "group_vars",
        block=True,
        note=doc.decide(
            "group_vars",
            "the primary comparison (first) and each variable's reference group",
            f"{primary} first; references: the largest groups",
        ),
    )
    for g in group_vars:
        doc.item(g, indent=2)
    doc.key(
        "adjusted_model",
        {"group_var": primary, "covariates": ["role"]},
        note=doc.guess("the primary comparison adjusted for role"),
    )
    doc.blank()
    doc.key(
        "multiplicity",
        block=True,
        note=doc.decide(
            "multiplicity", "the multiplicity families and their methods", "the schema's defaults"
        ),
    )
    for name, fam in {
        "item_screen": {"method": "fdr_bh", "within": ["group_var", "family"]},
        "scale_omnibus": {"method": "holm", "within": ["group_var"]},
        "pairwise_items": {"method": "holm", "within": ["outcome", "group_var"]},
        "ordinal_region": {"method": "fdr_bh", "within": ["model"]},
    }.items():
        doc.key(name, fam, indent=2)
    doc.blank()
    doc.comment("Figure captions and alt text (placeholders {ref}, {ci}, {min_cell}).")
    doc.key("figures", block=True, note=doc.guess("generic wording: adapt to the study"))
    for name, (nb, en) in FIGURES.items():
        doc.key(name, block=True, indent=2)
        doc.key("caption", {"nb": nb[0], "en": en[0]}, indent=4)
        doc.key("alt", {"nb": nb[1], "en": en[1]}, indent=4)
    return doc


def _largest(d: SurveyDraft, name: str, organisation: dict) -> str:
    """The group with the most respondents (trust, role; a region from its trusts)."""
    qid = d.groups.get("trust" if name == "region" else name)
    counts = d.counts.get(qid or "", Counter())
    if name == "region":
        region_of = {t["id"]: t["region"] for t in organisation.get("trusts", [])}
        counts = Counter(
            {
                r: sum(n for t, n in counts.items() if region_of.get(t) == r)
                for r in set(region_of.values())
            }
        )
    if counts:
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    if name == "role" and qid:
        return _question(d, qid)["options"][0]["code"]
    ids = [r["id"] for r in organisation.get("regions" if name == "region" else "trusts", [])]
    return ids[0] if ids else "DECIDE"


FIGURES = {
    "survey_likert_bars": (
        (
            "Svarfordeling per spørsmål og gruppe, sentrert på midtpunktet.",
            "Liggende stablede søyler per spørsmål og gruppe.",
        ),
        (
            "Answers per item and group, centred on the midpoint.",
            "Horizontal stacked bars per item and group.",
        ),
    ),
    "survey_forest": (
        (
            "Effektstørrelser med {ci}-konfidensintervall for hver gruppe mot {ref}.",
            "Punkter med intervallstreker per skala og spørsmål.",
        ),
        (
            "Effect sizes with {ci} confidence intervals for each group against {ref}.",
            "Points with interval lines per scale and item.",
        ),
    ),
    "survey_scale_distributions": (
        (
            "Skårer per skala og gruppe. Grupper med færre enn {min_cell} svar er ikke vist.",
            "Boksplott per skala og gruppe.",
        ),
        (
            "Scores per scale and group. Groups with fewer than {min_cell} answers are not shown.",
            "Box plots per scale and group.",
        ),
    ),
    "survey_odds_ratios": (
        (
            "Oddsratioer for høyere svar i hver gruppe mot {ref}, uten og med justering ({ci}).",
            "Punkter med intervallstreker på log-skala, ett panel per gruppe.",
        ),
        (
            "Odds ratios for higher answers in each group against {ref}, unadjusted and adjusted "
            "({ci}).",
            "Points with interval lines on a log scale, one panel per group.",
        ),
    ),
}
