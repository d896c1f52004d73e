"""Synthetic interview coding for the demo study, exported as MAXQDA, QualCoder and REFI-QDA.

84 interviews over the four stages. Whether an interview mentions a theme follows planted stage
probabilities (`STAGE_PROBABILITIES`); about a fifth are double-coded by a second coder who
agrees with the first on a code's presence at a planted per-code rate (`AGREEMENT`). Every
interview is a list of paragraphs (interviewer questions, coded answers, uncoded talk); a coded
segment is one whole answer paragraph, so paragraph numbers (MAXQDA) and character offsets
(QualCoder, REFI-QDA) describe the same spans. The planted truth goes to
`synthetic_truth-interviews.json` (keys documented in docs/data/interviews.md).

Planted parameters live here, not in config: they describe the fake world, not the study.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.demo import interview_texts as texts
from impleval.demo.files import normalise_zip, write_json, write_xlsx

SEED = 20230829

# Interviews per stage and the (trust, count) / (role, count) mix at each stage.
STAGE_DESIGN = {
    "procurement": {
        "trusts": {"vv": 18},
        "roles": {
            "project_lead": 3,
            "radiologist": 4,
            "radiographer": 3,
            "manager": 3,
            "it": 2,
            "procurement_officer": 2,
            "vendor": 1,
        },
        "double_coded": 4,
    },
    "pre_implementation": {
        "trusts": {"vv": 16},
        "roles": {
            "project_lead": 2,
            "radiologist": 4,
            "radiographer": 4,
            "orthopaedist": 1,
            "emergency": 1,
            "manager": 2,
            "it": 2,
        },
        "double_coded": 3,
    },
    "implementation": {
        "trusts": {"vv": 18, "bergen": 4, "stolav": 4},
        "roles": {
            "project_lead": 3,
            "radiologist": 6,
            "radiographer": 7,
            "orthopaedist": 4,
            "emergency": 3,
            "manager": 2,
            "it": 1,
        },
        "double_coded": 5,
    },
    "post_implementation": {
        "trusts": {"vv": 12, "ahus": 3, "bergen": 3, "stolav": 3, "unn": 3},
        "roles": {
            "project_lead": 3,
            "radiologist": 6,
            "radiographer": 6,
            "orthopaedist": 3,
            "emergency": 3,
            "manager": 3,
        },
        "double_coded": 5,
    },
}

# P(interview mentions theme) at procurement, pre-implementation, implementation, post.
STAGE_PROBABILITIES = {
    "dialogue_procurement": (0.80, 0.35, 0.15, 0.10),
    "local_validation": (0.25, 0.75, 0.35, 0.15),
    "dpia_ros": (0.20, 0.70, 0.30, 0.10),
    "task_shifting": (0.10, 0.25, 0.60, 0.75),
    "organisational_change": (0.20, 0.35, 0.55, 0.50),
    "training": (0.05, 0.40, 0.55, 0.20),
    "digital_maturity": (0.35, 0.35, 0.40, 0.45),
    "waiting_time": (0.15, 0.30, 0.60, 0.75),
    "time_for_sickest": (0.05, 0.15, 0.35, 0.50),
    "benefits_realisation": (0.30, 0.30, 0.35, 0.60),
    "monitoring": (0.05, 0.10, 0.30, 0.70),
    "trust_in_ai": (0.45, 0.45, 0.45, 0.45),
    "false_positives": (0.05, 0.15, 0.50, 0.35),
    "scaling": (0.05, 0.05, 0.25, 0.60),
    "pat_faster_diagnosis": (0.10, 0.20, 0.50, 0.60),
    "pat_safety": (0.10, 0.20, 0.30, 0.35),
    "pat_fewer_misdiagnoses": (0.05, 0.15, 0.25, 0.30),
    "pat_experience": (0.00, 0.05, 0.25, 0.35),
    "ed_shorter_wait": (0.05, 0.15, 0.45, 0.55),
    "ed_decision_support": (0.05, 0.10, 0.30, 0.35),
    "ed_patient_flow": (0.05, 0.10, 0.35, 0.45),
    "ed_prioritisation": (0.00, 0.05, 0.25, 0.30),
    "rad_diagnostic_support": (0.15, 0.25, 0.40, 0.45),
    "rad_time_saved": (0.10, 0.20, 0.40, 0.50),
    "rad_complex_cases": (0.05, 0.10, 0.30, 0.40),
    "rad_fewer_errors": (0.05, 0.10, 0.20, 0.25),
    "rgr_ownership": (0.00, 0.05, 0.35, 0.45),
    "rgr_easy_to_use": (0.00, 0.10, 0.40, 0.30),
    "rgr_learning": (0.00, 0.05, 0.30, 0.35),
    "rgr_less_chasing": (0.00, 0.05, 0.30, 0.40),
    "rgr_image_quality": (0.00, 0.05, 0.20, 0.25),
    "ortho_junior_support": (0.00, 0.10, 0.30, 0.30),
    "ortho_false_positives": (0.00, 0.05, 0.35, 0.30),
}
DEFAULT_PROBABILITIES = (0.2, 0.2, 0.2, 0.2)  # a theme added to config without a planted profile

# The shape the analysis should find across the ordered stages (tests check these).
PLANTED_TRENDS = {
    "dialogue_procurement": "falling",
    "local_validation": "peak_pre_implementation",
    "dpia_ros": "peak_pre_implementation",
    "task_shifting": "rising",
    "waiting_time": "rising",
    "monitoring": "rising",
    "scaling": "rising",
    "false_positives": "peak_implementation",
    "trust_in_ai": "null",
}

# P(second coder's presence/absence of a code equals the first coder's), per theme.
DEFAULT_AGREEMENT = 0.95
AGREEMENT = {
    "organisational_change": 0.70,
    "digital_maturity": 0.72,
    "benefits_realisation": 0.75,
}
KAPPA_SIMULATIONS = 2000

CODERS = ("ingrid.l", "jonas.b")  # tool user names; the importers pseudonymise them
STAGE_ABBREVIATION = {
    "procurement": "ANS",
    "pre_implementation": "FOR",
    "implementation": "INN",
    "post_implementation": "ETT",
}
CATEGORY_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
GUID_NAMESPACE = uuid.UUID("6f1c1e0a-5b7e-4d7c-9a51-2f0b3c3d9e10")


@dataclass
class Interview:
    name: str
    stage: str
    region: str
    trust: str
    role: str
    double_coded: bool
    coded_date: str
    paragraphs: list[str] = field(default_factory=list)
    # (coder user, code path, paragraph number 1-based)
    segments: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def fulltext(self) -> str:
        return "\n".join(self.paragraphs)

    def span(self, paragraph: int) -> tuple[int, int]:
        """Character offsets [start, end) of a paragraph in `fulltext`."""
        start = sum(len(p) + 1 for p in self.paragraphs[: paragraph - 1])
        return start, start + len(self.paragraphs[paragraph - 1])


def guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}")).upper()


# --------------------------------------------------------------------------- simulation


def _sentence(rng, theme: str) -> str:
    pool = texts.SENTENCES.get(theme, texts.GENERIC)
    text = texts.OPENERS[rng.integers(len(texts.OPENERS))] + pool[rng.integers(len(pool))]
    return text[0].upper() + text[1:]


def simulate(
    study: dict,
    seed: int = SEED,
    *,
    design: dict | None = None,
    probabilities: dict | None = None,
) -> list[Interview]:
    """Draw the interviews, their paragraphs and both coders' segments.

    `design` (stage id → trusts, roles, double_coded, as `STAGE_DESIGN`) and `probabilities`
    (theme → one probability per stage, as `STAGE_PROBABILITIES`) default to the demo's; another
    study's test data pass their own (tests/studies/screening/build.py)."""
    rng = np.random.default_rng(seed)
    cfg = study["interviews"]
    stage_design = STAGE_DESIGN if design is None else design
    profiles = STAGE_PROBABILITIES if probabilities is None else probabilities
    stage_ids = [s["id"] for s in cfg["stages"]]
    regions = {t["id"]: t["region"] for t in study["organisation"]["trusts"]}
    code_by_theme = {theme: path for path, theme in cfg["themes"].items()}
    themes = list(code_by_theme)
    interviews: list[Interview] = []
    for k, stage in enumerate(stage_ids):
        design = stage_design[stage]
        trusts = [t for t, n in design["trusts"].items() for _ in range(n)]
        roles = [r for r, n in design["roles"].items() for _ in range(n)]
        rng.shuffle(roles)
        double = set(rng.choice(len(trusts), size=design["double_coded"], replace=False).tolist())
        period = cfg["stages"][k].get("period") or {}  # optional: stages ~half a year apart
        start = pd.Timestamp(
            period.get("start") or pd.Timestamp("2024-01-01") + pd.Timedelta(days=183 * k)
        )
        for i, (trust, role) in enumerate(zip(trusts, roles, strict=True)):
            # Names as researchers type them (with å: exercises NFC joins); they never leave the
            # importers.
            abbreviation = STAGE_ABBREVIATION.get(stage, stage[:3].upper())
            name = f"Intervju {trust.upper()}-{abbreviation}-{i + 1:02d} (råtekst)"
            date = start + pd.Timedelta(
                days=int(rng.integers(0, 150)), minutes=int(rng.integers(480, 960))
            )
            iv = Interview(
                name,
                stage,
                regions[trust],
                trust,
                role,
                i in double,
                date.strftime("%d.%m.%Y %H:%M"),
            )
            _draw_interview(rng, iv, k, themes, code_by_theme, profiles)
            interviews.append(iv)
    return interviews


def _draw_interview(
    rng,
    iv: Interview,
    stage_index: int,
    themes: list[str],
    code_by_theme: dict,
    profiles: dict = STAGE_PROBABILITIES,
) -> None:
    # Coder 1: which themes, and 1–4 answer paragraphs for each.
    answers: list[tuple[str | None, str]] = []  # (theme or None for filler, text)
    for theme in themes:
        p = profiles.get(theme, DEFAULT_PROBABILITIES)[stage_index]
        if rng.random() < p:
            for _ in range(int(rng.integers(1, 5))):
                answers.append((theme, _sentence(rng, theme)))
    for _ in range(int(rng.integers(2, 5))):
        answers.append((None, texts.FILLER[rng.integers(len(texts.FILLER))]))
    order = rng.permutation(len(answers))
    paragraphs: list[str] = []
    coded: dict[str, list[int]] = {}
    for j, idx in enumerate(order):
        if j % 3 == 0:  # an interviewer question before every third answer
            paragraphs.append(texts.QUESTIONS[(j // 3) % len(texts.QUESTIONS)])
        theme, text = answers[idx]
        paragraphs.append(text)
        if theme is not None:
            coded.setdefault(theme, []).append(len(paragraphs))
    iv.paragraphs = paragraphs
    answer_paragraphs = [
        n for n, p in enumerate(paragraphs, start=1) if not p.startswith("Intervjuer:")
    ]
    for theme in themes:  # config order: a stable row order in every export
        for n in sorted(coded.get(theme, [])):
            iv.segments.append((CODERS[0], code_by_theme[theme], n))
    if not iv.double_coded:
        return
    # Coder 2: keeps or flips each code's presence at the planted agreement rate.
    for theme in themes:
        first = sorted(coded.get(theme, []))
        agree = rng.random() < AGREEMENT.get(theme, DEFAULT_AGREEMENT)
        present = bool(first) if agree else not first
        if not present:
            continue
        if first:
            keep = first[: int(rng.integers(1, len(first) + 1))]
        else:
            keep = [int(answer_paragraphs[rng.integers(len(answer_paragraphs))])]
        for n in keep:
            iv.segments.append((CODERS[1], code_by_theme[theme], n))


# --------------------------------------------------------------------------- truth


def expected_kappa(
    study: dict, seed: int = SEED, *, design: dict | None = None, probabilities: dict | None = None
) -> dict:
    """Expected Cohen's κ per theme on the double-coded design, by simulation (interview unit).

    Replicates draw the first coder's presence for each double-coded interview from its stage's
    planted probability and flip it for the second coder at the planted disagreement rate."""
    rng = np.random.default_rng(seed + 1)
    stage_ids = [s["id"] for s in study["interviews"]["stages"]]
    stage_design = STAGE_DESIGN if design is None else design
    profiles = STAGE_PROBABILITIES if probabilities is None else probabilities
    n_by_stage = [stage_design[s]["double_coded"] for s in stage_ids]
    out = {}
    for theme in study["interviews"]["themes"].values():
        profile = profiles.get(theme, DEFAULT_PROBABILITIES)[: len(stage_ids)]
        probs = np.repeat(profile, n_by_stage)
        agree_rate = AGREEMENT.get(theme, DEFAULT_AGREEMENT)
        first = rng.random((KAPPA_SIMULATIONS, probs.size)) < probs
        flip = rng.random(first.shape) >= agree_rate
        second = first ^ flip
        po = (first == second).mean(axis=1)
        p1, p2 = first.mean(axis=1), second.mean(axis=1)
        pe = p1 * p2 + (1 - p1) * (1 - p2)
        with np.errstate(divide="ignore", invalid="ignore"):
            kappa = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)
        pbar = float(probs.mean())
        p2bar = pbar * agree_rate + (1 - pbar) * (1 - agree_rate)
        pe_inf = pbar * p2bar + (1 - pbar) * (1 - p2bar)
        out[theme] = {
            "planted_agreement": agree_rate,
            "expected_kappa_simulated_mean": round(float(np.nanmean(kappa)), 4),
            "expected_kappa_simulated_median": round(float(np.nanmedian(kappa)), 4),
            "kappa_undefined_share": round(float(np.isnan(kappa).mean()), 4),
            "expected_kappa_large_sample": round((agree_rate - pe_inf) / (1 - pe_inf), 4)
            if pe_inf < 1
            else None,
        }
    return out


def truth(
    study: dict,
    interviews: list[Interview],
    *,
    design: dict | None = None,
    probabilities: dict | None = None,
) -> dict:
    cfg = study["interviews"]
    stage_design = STAGE_DESIGN if design is None else design
    profiles = STAGE_PROBABILITIES if probabilities is None else probabilities
    stage_ids = [s["id"] for s in cfg["stages"]]
    themes = list(dict.fromkeys(cfg["themes"].values()))
    trends = {t: shape for t, shape in PLANTED_TRENDS.items() if t in themes}
    agreement = expected_kappa(study, design=design, probabilities=probabilities)
    return {
        "seed": SEED,
        "n_interviews": len(interviews),
        "n_double_coded": sum(iv.double_coded for iv in interviews),
        "interviews_per_stage": {s: sum(iv.stage == s for iv in interviews) for s in stage_ids},
        "double_coded_per_stage": {s: stage_design[s]["double_coded"] for s in stage_ids},
        "stages": stage_ids,
        "stage_probabilities": {
            t: dict(
                zip(
                    stage_ids, profiles.get(t, DEFAULT_PROBABILITIES)[: len(stage_ids)], strict=True
                )
            )
            for t in themes
        },
        "trend_themes": {t: shape for t, shape in trends.items() if shape != "null"},
        "null_themes": [t for t, shape in trends.items() if shape == "null"],
        "agreement_unit": "interview",
        "agreement": agreement,
        "agreement_by_code": {path: agreement[theme] for path, theme in cfg["themes"].items()},
        "low_agreement_themes": sorted(AGREEMENT),
        "stakeholder_benefits": {
            path: {"theme": cfg["themes"][path], **entry}
            for path, entry in cfg.get("stakeholders", {}).items()
        },
        "coders": {
            "coder_1": "first coder (all interviews)",
            "coder_2": "second coder (double-coded subset)",
        },
    }


# --------------------------------------------------------------------------- exports


ATTRIBUTE_KEYS = ("stage", "region", "trust", "role")


def exported(study: dict, iv: Interview, key: str, as_labels: bool = False) -> str:
    """The document variable `key` as the export holds it: the id, or (as_labels) its label as a
    researcher would type it (bokmål; trusts have one label)."""
    value = getattr(iv, key)
    if not as_labels:
        return value
    entries = {
        "stage": study["interviews"]["stages"],
        "role": study["interviews"]["roles"],
        "region": study["organisation"]["regions"],
        "trust": study["organisation"]["trusts"],
    }[key]
    label = next(e["label"] for e in entries if e["id"] == value)
    return label["nb"] if isinstance(label, dict) else str(label)


def _variables_frame(
    study: dict, interviews: list[Interview], as_labels: bool = False
) -> dict[str, list[str]]:
    names = study["interviews"].get("document_variables", {})
    return {
        names.get(k, k): [exported(study, iv, k, as_labels) for iv in interviews]
        for k in ATTRIBUTE_KEYS
    }


def _group(cfg: dict, stage: str) -> str:
    return next(s["label"]["nb"] for s in cfg["stages"] if s["id"] == stage)


def write_maxqda(
    out: Path, study: dict, interviews: list[Interview], *, as_labels: bool = False
) -> None:
    cfg = study["interviews"]
    top_colour = {}
    rows = []
    for iv in interviews:
        total = len(iv.fulltext)
        for coder, path, n in sorted(iv.segments, key=lambda s: (s[2], s[1], s[0])):
            top = path.split(" > ")[0]
            colour = top_colour.setdefault(
                top, CATEGORY_COLOURS[len(top_colour) % len(CATEGORY_COLOURS)]
            )
            text = iv.paragraphs[n - 1]
            rows.append(
                {
                    "Color": colour,
                    "Document group": _group(cfg, iv.stage),
                    "Document name": iv.name,
                    "Code": path,
                    "Beginning": n,
                    "End": n,
                    "Weight score": 0,
                    "Segment": text,
                    "Comment": "",
                    "Created by": coder,
                    "Created": iv.coded_date,
                    "Area": len(text),
                    "Coverage %": round(100 * len(text) / total, 2),
                }
            )
    columns = [
        "Color",
        "Document group",
        "Document name",
        "Code",
        "Beginning",
        "End",
        "Weight score",
        "Segment",
        "Comment",
        "Created by",
        "Created",
        "Area",
        "Coverage %",
    ]
    write_xlsx(pd.DataFrame(rows, columns=columns), out / "synthetic_maxqda-coded-segments.xlsx")
    # Document variables as a Mac would write the names (decomposed å): importers NFC-normalise.
    variables = {
        "Document group": [_group(cfg, iv.stage) for iv in interviews],
        "Document name": [unicodedata.normalize("NFD", iv.name) for iv in interviews],
        **_variables_frame(study, interviews, as_labels),
    }
    write_xlsx(pd.DataFrame(variables), out / "synthetic_maxqda-document-variables.xlsx")


def _code_tree(cfg: dict) -> tuple[list[str], list[str]]:
    """Category paths (parents) and code paths (leaves) in config order."""
    categories: list[str] = []
    for path in cfg["themes"]:
        parts = path.split(" > ")
        for k in range(1, len(parts)):
            parent = " > ".join(parts[:k])
            if parent not in categories:
                categories.append(parent)
    return categories, list(cfg["themes"])


QUALCODER_SCHEMA = [
    "CREATE TABLE project (databaseversion text, date text, memo text, about text, bookmarkfile "
    "integer, "
    "bookmarkpos integer, codername text, recently_used_codes text)",
    "CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo "
    "text, "
    "owner text, date text, av_text_id integer, risid integer, unique(name))",
    "CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo "
    "text, "
    "supercatid integer, unique(name))",
    "CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner "
    "text, "
    "date text, color text, unique(name))",
    "CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer, seltext text, "
    "pos0 integer, "
    "pos1 integer, owner text, date text, memo text, avid integer, important integer, "
    "unique(cid, fid, pos0, pos1, owner))",
    "CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, "
    "caseOrFile text, "
    "valuetype text)",
    "CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, "
    "id integer, "
    "date text, owner text, unique(name, attr_type, id))",
    "CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text, date text, "
    "unique(name))",
    "CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, "
    "pos1 integer, "
    "owner text, date text, memo text, unique(caseid, fid, pos0, pos1))",
]


def _iso(date: str) -> str:
    return pd.to_datetime(date, format="%d.%m.%Y %H:%M").strftime("%Y-%m-%d %H:%M:%S")


def qualcoder_rows(study: dict, interviews: list[Interview]):
    """The rows of a QualCoder project (shared by the database and its XLSX report)."""
    cfg = study["interviews"]
    categories, codes = _code_tree(cfg)
    catid = {path: i for i, path in enumerate(categories, start=1)}
    cid = {path: i for i, path in enumerate(codes, start=1)}
    code_text = []
    for fid, iv in enumerate(interviews, start=1):
        for coder, path, n in sorted(iv.segments, key=lambda s: (s[2], s[1], s[0])):
            pos0, pos1 = iv.span(n)
            code_text.append(
                (
                    len(code_text) + 1,
                    cid[path],
                    fid,
                    iv.paragraphs[n - 1],
                    pos0,
                    pos1,
                    coder,
                    _iso(iv.coded_date),
                )
            )
    return categories, catid, codes, cid, code_text


def write_qualcoder(
    out: Path, study: dict, interviews: list[Interview], *, as_labels: bool = False
) -> None:
    cfg = study["interviews"]
    categories, catid, codes, cid, code_text = qualcoder_rows(study, interviews)
    target = out / "synthetic_qualcoder.qda" / "data.qda"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".qda", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        con = sqlite3.connect(tmp)
        for statement in QUALCODER_SCHEMA:
            con.execute(statement)
        owner, date = CODERS[0], "2025-01-01 00:00:00"
        con.execute(
            "INSERT INTO project VALUES (?,?,?,?,?,?,?,?)",
            ("v8", date, "Synthetic demo project", "QualCoder 3.5", None, None, owner, ""),
        )
        for fid, iv in enumerate(interviews, start=1):
            con.execute(
                "INSERT INTO source VALUES (?,?,?,?,?,?,?,?,?)",
                (fid, iv.name, iv.fulltext, None, "", owner, date, None, None),
            )
        for path, i in catid.items():
            parts = path.split(" > ")
            parent = catid.get(" > ".join(parts[:-1])) if len(parts) > 1 else None
            con.execute(
                "INSERT INTO code_cat VALUES (?,?,?,?,?,?)", (i, parts[-1], owner, date, "", parent)
            )
        for path, i in cid.items():
            parts = path.split(" > ")
            con.execute(
                "INSERT INTO code_name VALUES (?,?,?,?,?,?,?)",
                (
                    i,
                    parts[-1],
                    "",
                    catid.get(" > ".join(parts[:-1])),
                    owner,
                    date,
                    CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)],
                ),
            )
        for row in code_text:
            con.execute(
                "INSERT INTO code_text VALUES (?,?,?,?,?,?,?,?,?,?,?)", (*row, "", None, None)
            )
        variables = cfg.get("document_variables", {})
        for key in ("stage", "region", "trust", "role"):
            con.execute(
                "INSERT INTO attribute_type VALUES (?,?,?,?,?,?)",
                (variables.get(key, key), date, owner, "", "file", "character"),
            )
        for fid, iv in enumerate(interviews, start=1):
            for key in ("stage", "region", "trust", "role"):
                con.execute(
                    "INSERT INTO attribute (name, attr_type, value, id, date, owner) VALUES "
                    "(?,?,?,?,?,?)",
                    (
                        variables.get(key, key),
                        "file",
                        exported(study, iv, key, as_labels),
                        fid,
                        date,
                        owner,
                    ),
                )
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_qualcoder_report(
    out: Path, study: dict, interviews: list[Interview], *, as_labels: bool = False
) -> None:
    """QualCoder's XLSX coding report: rows ordered by code name, categories immediate parent
    first."""
    cfg = study["interviews"]
    _, _, _, _, code_text = qualcoder_rows(study, interviews)
    variables = cfg.get("document_variables", {})
    by_fid = dict(enumerate(interviews, start=1))
    cid_path = {i: p for i, p in enumerate(cfg["themes"], start=1)}
    depth = max(len(p.split(" > ")) - 1 for p in cfg["themes"])
    rows = []
    for ctid, cid, fid, seltext, _pos0, _pos1, owner, _date in code_text:
        parts = cid_path[cid].split(" > ")
        cats = list(reversed(parts[:-1])) + [""] * (depth - len(parts) + 1)
        iv = by_fid[fid]
        rows.append(
            [
                iv.name,
                owner,
                seltext,
                f"ctid:{ctid}",
                parts[-1],
                "",
                *cats,
                *(exported(study, iv, k, as_labels) for k in ATTRIBUTE_KEYS),
            ]
        )
    header = [
        "File",
        "Coder",
        "Coded",
        "Id",
        "Codename",
        "Coded_Memo",
        *["Category"] * depth,
        *(f"FileVar_{variables.get(k, k)}" for k in ("stage", "region", "trust", "role")),
    ]
    rows.sort(key=lambda r: (r[4], r[0], int(r[3].split(":")[1])))
    write_xlsx(pd.DataFrame(rows, columns=header), out / "synthetic_qualcoder-coding-report.xlsx")


REFI_NS = "urn:QDA-XML:project:1.0"


def write_refi(
    out: Path, study: dict, interviews: list[Interview], *, as_labels: bool = False
) -> None:
    import io
    import zipfile

    cfg = study["interviews"]
    ET.register_namespace("", REFI_NS)
    q = lambda tag: f"{{{REFI_NS}}}{tag}"  # noqa: E731
    date = "2025-01-01T00:00:00Z"
    project = ET.Element(
        q("Project"),
        {
            "name": "Synthetic demo interviews",
            "origin": "impleval demo generator",
            "creatingUserGUID": guid("user", CODERS[0]),
            "creationDateTime": date,
        },
    )
    users = ET.SubElement(project, q("Users"))
    for coder in CODERS:
        ET.SubElement(users, q("User"), {"guid": guid("user", coder), "name": coder})
    codebook = ET.SubElement(ET.SubElement(project, q("CodeBook")), q("Codes"))
    nodes: dict[str, ET.Element] = {}
    for path in cfg["themes"]:
        parts = path.split(" > ")
        parent = codebook
        for k in range(1, len(parts) + 1):
            sub = " > ".join(parts[:k])
            if sub not in nodes:
                leaf = k == len(parts)
                nodes[sub] = ET.SubElement(
                    parent,
                    q("Code"),
                    {
                        "guid": guid("code", sub),
                        "name": parts[k - 1],
                        "isCodable": "true" if leaf else "false",
                    },
                )
            parent = nodes[sub]
    names = cfg.get("document_variables", {})
    keys = ("stage", "region", "trust", "role")
    variables = ET.SubElement(project, q("Variables"))
    for key in keys:
        ET.SubElement(
            variables,
            q("Variable"),
            {"guid": guid("variable", key), "name": names.get(key, key), "typeOfVariable": "Text"},
        )
    cases = ET.SubElement(project, q("Cases"))
    sources = ET.SubElement(project, q("Sources"))
    files: dict[str, bytes] = {}
    for iv in interviews:
        case = ET.SubElement(cases, q("Case"), {"guid": guid("case", iv.name), "name": iv.name})
        for key in keys:
            value = ET.SubElement(case, q("VariableValue"))
            ET.SubElement(value, q("VariableRef"), {"targetGUID": guid("variable", key)})
            ET.SubElement(value, q("TextValue")).text = exported(study, iv, key, as_labels)
        ET.SubElement(case, q("SourceRef"), {"targetGUID": guid("source", iv.name)})
        source_guid = guid("source", iv.name)
        source = ET.SubElement(
            sources,
            q("TextSource"),
            {
                "guid": source_guid,
                "name": iv.name,
                "plainTextPath": f"internal://{source_guid}.txt",
                "creatingUser": guid("user", CODERS[0]),
                "creationDateTime": date,
            },
        )
        files[f"sources/{source_guid}.txt"] = iv.fulltext.encode("utf-8")
        for coder, path, n in sorted(iv.segments, key=lambda s: (s[2], s[1], s[0])):
            start, end = iv.span(n)
            key = f"{iv.name}|{coder}|{path}|{n}"
            selection = ET.SubElement(
                source,
                q("PlainTextSelection"),
                {
                    "guid": guid("selection", key),
                    "name": iv.paragraphs[n - 1][:40],
                    "startPosition": str(start),
                    "endPosition": str(end),
                    "creatingUser": guid("user", coder),
                    "creationDateTime": _iso(iv.coded_date).replace(" ", "T") + "Z",
                },
            )
            coding = ET.SubElement(
                selection,
                q("Coding"),
                {"guid": guid("coding", key), "creatingUser": guid("user", coder)},
            )
            ET.SubElement(coding, q("CodeRef"), {"targetGUID": guid("code", path)})
    ET.indent(project)
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("project.qde", xml)
        for name, payload in files.items():
            zf.writestr(name, payload)
    (out / "synthetic_refi.qdpx").write_bytes(normalise_zip(buf.getvalue()))


def generate(
    out_dir,
    study: dict,
    *,
    design: dict | None = None,
    probabilities: dict | None = None,
    as_labels: bool = False,
) -> list[Interview]:
    """Write the four exports and the truth file. The keywords are for other studies' test data
    (the demo uses none): their own stage design and theme profiles, labels in the variables."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    interviews = simulate(study, design=design, probabilities=probabilities)
    write_maxqda(out, study, interviews, as_labels=as_labels)
    write_qualcoder(out, study, interviews, as_labels=as_labels)
    write_qualcoder_report(out, study, interviews, as_labels=as_labels)
    write_refi(out, study, interviews, as_labels=as_labels)
    facts = truth(study, interviews, design=design, probabilities=probabilities)
    write_json(facts, out / "synthetic_truth-interviews.json")
    return interviews
