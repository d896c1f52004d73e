"""From one tool's coding export to the canonical interview tables (docs/data/interviews.md).

Each importer (io_maxqda, io_qualcoder, io_refi) returns a `Coding`: raw segments and document
variables, still with the tool's document and user names and a locator for error messages. Here
they are validated against the study definition and turned into pseudonymous tables:

- document variables (stage, region, trust, role) become ids through the value maps
  (`impleval.valuemap`): the study's `value_maps:`, the ids themselves and, unless
  `match_labels: false`, the labels in interviews.yaml and organisation.yaml, compared ignoring
  case, spacing and Unicode form. An unknown or ambiguous value stops the import (file, row,
  column, value, what was expected);

- `interview_id` "I001"…: documents sorted by stage (config order), then NFC document name,
  then document group. Document names never leave this module.
- `coder` "coder_1"…: coders sorted by the number of documents they coded (most first), then name.
- `position` / `position_end`: paragraph numbers (1-based) of the segment's start and end in the
  interview text, as MAXQDA's Beginning/End; character-offset formats are converted through the
  source text. The QualCoder XLSX report holds no positions: NA there.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from impleval.errors import InputError, ProblemCollector
from impleval.valuemap import ValueMap, label_texts

log = logging.getLogger(__name__)

ATTRIBUTES = ("stage", "region", "trust", "role")
SEGMENT_COLUMNS = [
    "interview_id",
    "stage",
    "region",
    "trust",
    "role",
    "code_path",
    "theme",
    "coder",
    "position",
    "position_end",
    "text",
]
DOCUMENT_COLUMNS = ["interview_id", "stage", "region", "trust", "role", "double_coded"]
UNMAPPED = "unmapped"


@dataclass
class Coding:
    """One tool's export, read but not yet validated.

    segments: document, group, code_path, coder, position, position_end, text, file, row, where
    documents: document, group, stage, region, trust, role, file, row, where
    `row` is the spreadsheet row (header = 1) or NA for database/XML sources; `where` names the
    column or record for error messages. `group` is "" where the tool has no document groups."""

    segments: pd.DataFrame
    documents: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def nfc(value) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def normalise_code_path(path: str) -> str:
    """NFC, and ' > ' between levels whatever spacing the tool used."""
    return " > ".join(part.strip() for part in nfc(path).split(">"))


def paragraph_of(text: str, offset: int) -> int:
    """1-based paragraph (newline-separated) holding character `offset`."""
    return text.count("\n", 0, max(int(offset), 0)) + 1


def paragraph_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Paragraphs of a character selection [start, end) (end exclusive, as QualCoder and REFI-
    QDA)."""
    return paragraph_of(text, start), paragraph_of(text, max(int(end) - 1, int(start)))


def _row(value):
    return None if pd.isna(value) else int(value)


def build_canonical(
    coding: Coding, interviews_cfg: dict, organisation: dict, maps: dict | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate a `Coding` against the study definition; return (segments, documents).

    Document variables are mapped to ids through `maps` (`value_maps`; built from the definitions
    when None). Every problem in the export is collected and raised together as an InputError."""
    problems = ProblemCollector()
    segments = coding.segments.copy()
    documents = coding.documents.copy()
    for frame in (segments, documents):
        for column in ("document", "group"):
            frame[column] = frame[column].map(nfc)
    segments["coder"] = segments["coder"].map(nfc)
    segments["code_path"] = segments["code_path"].map(normalise_code_path)

    documents = _validate_documents(documents, interviews_cfg, organisation, problems, maps)
    themes = {normalise_code_path(k): v for k, v in interviews_cfg["themes"].items()}
    segments["theme"] = segments["code_path"].map(themes)

    known = set(zip(documents["group"], documents["document"], strict=True))
    orphan = pd.Series(
        [k not in known for k in zip(segments["group"], segments["document"], strict=True)],
        index=segments.index,
    )
    for _, seg in segments[orphan].drop_duplicates(["group", "document"]).iterrows():
        n = int(
            ((segments["document"] == seg["document"]) & (segments["group"] == seg["group"])).sum()
        )
        problems.add(
            seg["file"],
            "document variables for every coded document (the document is missing from "
            f"the variables export, or its name differs there; {n} segment(s), first shown)",
            _row(seg["row"]),
            seg["where_document"],
            seg["document"],
        )
    for _, seg in segments[segments["text"].map(lambda t: not str(t).strip())].iterrows():
        problems.add(
            seg["file"], "the coded text of the segment", _row(seg["row"]), seg["where_text"], ""
        )
    unmapped = segments["theme"].isna()
    if unmapped.any():
        policy = interviews_cfg.get("unmapped_codes", "error")
        if policy == "warn":
            paths = sorted(segments.loc[unmapped, "code_path"].unique())
            msg = (
                "code paths not in the study's theme map (kept as theme 'unmapped'): "
                + "; ".join(paths)
            )
            log.warning(msg)
            coding.warnings.append(msg)
            segments.loc[unmapped, "theme"] = UNMAPPED
        else:
            first = segments[unmapped].drop_duplicates("code_path")
            for _, seg in first.iterrows():
                n = int((segments["code_path"] == seg["code_path"]).sum())
                problems.add(
                    seg["file"],
                    f"a code path listed under `themes:` in the study's interviews.yaml "
                    f"({n} segment(s) use it; first shown)",
                    _row(seg["row"]),
                    seg["where_code"],
                    seg["code_path"],
                )
    problems.raise_if_any()
    return _pseudonymise(segments, documents, interviews_cfg)


def value_maps(cfg: dict, organisation: dict, config_file: str = "interviews.yaml") -> dict:
    """Attribute → `ValueMap` (exported value → id) for the four document variables.

    Ids and labels come from interviews.yaml (stages, roles) and organisation.yaml (regions,
    trusts); `value_maps.<attribute>` adds the study's own spellings, `match_labels: false` turns
    label matching off. A map entry naming an unknown id is refused (InputError naming the key)."""
    entries = {
        "stage": {s["id"]: label_texts(s.get("label")) for s in cfg["stages"]},
        "region": {r["id"]: label_texts(r.get("label")) for r in organisation["regions"]},
        "trust": {t["id"]: label_texts(t.get("label")) for t in organisation["trusts"]},
        "role": {r["id"]: label_texts(r.get("label")) for r in cfg["roles"]},
    }
    explicit = cfg.get("value_maps") or {}
    problems: list = []
    maps = {}
    for attr in ATTRIBUTES:
        try:
            maps[attr] = ValueMap.build(
                attr,
                entries[attr],
                explicit.get(attr),
                match_labels=cfg.get("match_labels", True),
                config_file=config_file,
                config_key=f"value_maps/{attr}",
            )
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return maps


def _validate_documents(
    documents: pd.DataFrame,
    cfg: dict,
    organisation: dict,
    problems: ProblemCollector,
    maps: dict | None = None,
) -> pd.DataFrame:
    maps = maps or value_maps(cfg, organisation)
    region_of = {t["id"]: t["region"] for t in organisation["trusts"]}
    names = cfg.get("document_variables", {})
    for i in documents.index:
        doc = documents.loc[i]
        for attr in ATTRIBUTES:
            value = nfc(doc[attr]) if not pd.isna(doc[attr]) else ""
            column = f"{doc['where']}{names.get(attr, attr)}"
            found = maps[attr].check(value, problems, doc["file"], _row(doc["row"]), column)
            documents.loc[i, attr] = found if found is not None else value
        trust, region = documents.loc[i, "trust"], documents.loc[i, "region"]
        if trust in region_of and region in maps["region"].ids and region_of[trust] != region:
            problems.add(
                doc["file"],
                f"the region of trust '{trust}' ('{region_of[trust]}' in organisation.yaml)",
                _row(doc["row"]),
                f"{doc['where']}{names.get('region', 'region')}",
                nfc(doc["region"]),
            )
    duplicated = documents.duplicated(["group", "document"], keep="first")
    for i in documents.index[duplicated]:
        doc = documents.loc[i]
        problems.add(
            doc["file"],
            "each document listed once in the variables export",
            _row(doc["row"]),
            doc["where_document"] if "where_document" in doc else None,
            doc["document"],
        )
    return documents[~duplicated]


def _pseudonymise(
    segments: pd.DataFrame, documents: pd.DataFrame, cfg: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    stage_order = {s["id"]: k for k, s in enumerate(cfg["stages"])}
    documents = documents.assign(_stage=documents["stage"].map(stage_order))
    documents = documents.sort_values(["_stage", "document", "group"], kind="stable").reset_index(
        drop=True
    )
    documents["interview_id"] = [f"I{k:03d}" for k in range(1, len(documents) + 1)]

    docs_per_coder = segments.groupby("coder")[["group", "document"]].apply(
        lambda g: len(g.drop_duplicates())
    )
    coder_order = sorted(docs_per_coder.index, key=lambda c: (-int(docs_per_coder[c]), c))
    coder_id = {c: f"coder_{k}" for k, c in enumerate(coder_order, start=1)}

    key = documents.set_index(["group", "document"])["interview_id"]
    segments = segments.assign(
        interview_id=[
            key[(g, d)] for g, d in zip(segments["group"], segments["document"], strict=True)
        ]
    )
    segments["coder"] = segments["coder"].map(coder_id)
    n_coders = segments.groupby("interview_id")["coder"].nunique()
    documents["double_coded"] = documents["interview_id"].map(n_coders).fillna(0).astype(int) >= 2

    attrs = documents.set_index("interview_id")[list(ATTRIBUTES)]
    segments = segments.drop(columns=list(ATTRIBUTES), errors="ignore").join(
        attrs, on="interview_id"
    )
    for column in ("position", "position_end"):
        segments[column] = pd.array(segments[column], dtype="Int64")
    segments["text"] = segments["text"].map(lambda t: nfc(t).replace("\r\n", "\n"))
    segments = segments.sort_values(
        ["interview_id", "coder", "position", "position_end", "code_path", "text"],
        kind="stable",
        na_position="last",
    )
    segments = segments[SEGMENT_COLUMNS].reset_index(drop=True)
    documents = documents[DOCUMENT_COLUMNS].reset_index(drop=True)
    for frame in (segments, documents):
        for column in frame.columns:
            if column not in ("position", "position_end", "double_coded"):
                frame[column] = frame[column].astype(str)
    return segments, documents
