"""prepare_interviews: read the configured export, build the canonical tables, pass the gate.

Returns the tables the rule writes: segments, documents and the de-identification summary.
"""

from __future__ import annotations

import logging

import pandas as pd

from impleval.errors import InputError, Problem
from impleval.interviews.io.canonical import Coding, build_canonical
from impleval.outputs import atomic_path, write_csv

log = logging.getLogger(__name__)

# Which `inputs.interviews` keys each format reads (config/config.yaml documents them).
FORMAT_INPUTS = {
    "maxqda": ("segments", "document_variables"),
    "qualcoder": ("qualcoder_project",),
    "qualcoder_xlsx": ("qualcoder_report",),
    "refi_qda": ("refi_project",),
}


def read_coding(fmt: str, paths: dict, interviews_cfg: dict) -> Coding:
    """Read one tool's export (`paths` holds the `inputs.interviews` keys of
    `FORMAT_INPUTS[fmt]`)."""
    variables = interviews_cfg.get("document_variables", {})
    extra = interviews_cfg.get("allowed_document_variables", [])
    if fmt == "maxqda":
        from impleval.interviews.io.maxqda import read_maxqda

        return read_maxqda(paths["segments"], paths["document_variables"], variables, extra)
    if fmt == "qualcoder":
        from impleval.interviews.io.qualcoder import read_qualcoder

        return read_qualcoder(paths["qualcoder_project"], variables, extra)
    if fmt == "qualcoder_xlsx":
        from impleval.interviews.io.qualcoder import read_qualcoder_report

        log.warning(
            "QualCoder's XLSX report has no positions and lists only coded files: position is NA, "
            "and an interview without any coding is missing from the denominators"
        )
        return read_qualcoder_report(paths["qualcoder_report"], variables, extra)
    if fmt == "refi_qda":
        from impleval.interviews.io.refi import read_refi

        return read_refi(paths["refi_project"], variables, extra)
    raise InputError(
        Problem(
            "config/config.yaml",
            f"inputs.interviews.format one of {', '.join(FORMAT_INPUTS)}",
            value=fmt,
        )
    )


def prepare_interviews(
    fmt: str,
    paths: dict,
    interviews_cfg: dict,
    organisation: dict,
    *,
    on_hit: str = "fail",
    names=(),
    config_file: str = "interviews.yaml",
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read the export, gate its text, map and validate it; (segments, documents, gate summary).

    `config_file` names the interview study definition in messages about its value maps."""
    from impleval.interviews.io.canonical import value_maps
    from impleval.privacy.deid import gate_frame

    # The study's own value maps are checked before any export is read.
    maps = value_maps(interviews_cfg, organisation, config_file)
    coding = read_coding(fmt, paths, interviews_cfg)
    # Gate the text before anything else, where each segment still has its place in the export:
    # spreadsheet rows for XLSX, the coding's ordinal for database and XML sources.
    raw = coding.segments
    known = raw["row"].notna().all() and len(raw) > 0
    rows = raw["row"].astype(int).tolist() if known else list(range(1, len(raw) + 1))
    source_file = str(raw["file"].iloc[0]) if len(raw) else str(paths[FORMAT_INPUTS[fmt][0]])
    label = source_file if known else f"{source_file} (coding no.)"
    coding.segments, summary = gate_frame(
        raw.reset_index(drop=True),
        text_columns=["text"],
        source="interviews",
        file=label,
        on_hit=on_hit,
        names=names,
        rows=rows,
    )
    segments, documents = build_canonical(coding, interviews_cfg, organisation, maps)
    log.info(
        "interviews: %d documents (%d double-coded), %d segments, %d codes, coders %s",
        len(documents),
        int(documents["double_coded"].sum()),
        len(segments),
        segments["code_path"].nunique(),
        ", ".join(sorted(segments["coder"].unique())),
    )
    return segments, documents, summary


def write_outputs(tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], output) -> None:
    """Write segments and documents (parquet) and the gate summary (CSV), each atomically."""
    segments, documents, summary = tables
    for frame, path in ((segments, output.segments), (documents, output.documents)):
        with atomic_path(path) as tmp:
            frame.to_parquet(tmp, index=False)
    write_csv(summary, output.deid)
