"""The interview analysis job: canonical tables in, the result tables (+ deid summary) out.

Every table holds ids and numbers only (no labels, no sentences): the report and the figures add
labels in their language from the study definitions."""

from __future__ import annotations

import logging

import pandas as pd

from impleval.interviews.settings import ALL, StudyDefs
from impleval.interviews.stats.agreement import (
    AGREEMENT_COLUMNS,
    double_coded_ids,
    double_coded_presence,
    intercoder_agreement,
)
from impleval.interviews.stats.cooccurrence import suppress_cooccurrence, theme_cooccurrence
from impleval.interviews.stats.informants import hidden_cells, interview_informants
from impleval.interviews.stats.prevalence import (
    code_prevalence,
    hidden_groups,
    presence,
    suppress_prevalence,
)
from impleval.interviews.stats.quotes import quote_bank
from impleval.interviews.stats.stage import theme_groups, theme_stage_tests
from impleval.interviews.stats.stakeholders import stakeholder_benefits, suppress_stakeholders

log = logging.getLogger(__name__)

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


def _check_columns(df: pd.DataFrame, required: list[str], name: str) -> None:
    from impleval.errors import InputError, Problem

    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            [Problem(name, "a column of the canonical interview table", column=c) for c in missing]
        )


def analyse(
    segments: pd.DataFrame,
    documents: pd.DataFrame,
    defs: StudyDefs,
    settings: dict,
    *,
    min_cell: int,
    seed: int,
    on_hit: str = "fail",
    names=(),
    quotes_file: str = "quotes.csv",
) -> dict[str, pd.DataFrame]:
    """All interview result tables, suppressed and gated, keyed by table name (ids and numbers
    only: labels are added by the report and the figures, in their language).

    Parameters
    ----------
    segments, documents : pandas.DataFrame
        The canonical interview tables (docs/data/interviews.md).
    defs : StudyDefs
        The study definitions (:func:`impleval.interviews.settings.study_defs`).
    settings : dict
        The validated interviews-analysis.yaml.
    min_cell : int
        Small-cell threshold.
    seed : int
        Seed of every resampling and of the quote tie-break.
    on_hit : str
        De-identification gate policy for the quotes ("fail" or "redact").
    names : iterable of str
        Listed names the gate looks for.
    quotes_file : str
        File name the gate's messages point at.

    Returns
    -------
    dict of pandas.DataFrame
        interview_informants, code_prevalence, theme_stage_tests, theme_cooccurrence,
        intercoder_agreement, stakeholder_benefits, quotes and deid_quotes (the gate's summary).
        A study without a `stakeholders:` block gets an empty stakeholder_benefits table (its
        columns only).
    """
    from impleval.privacy.deid import gate_frame

    _check_columns(segments, SEGMENT_COLUMNS, "interview_segments")
    _check_columns(documents, DOCUMENT_COLUMNS, "interview_documents")
    documents = documents.sort_values("interview_id", kind="stable").reset_index(drop=True)
    coder = settings["primary_coder"]
    primary = segments[segments["coder"] == coder]
    log.info("%d interviews, %d segments by %s", len(documents), len(primary), coder)

    prevalence = code_prevalence(
        segments, documents, defs, coder=coder, breakdowns=settings["prevalence"]["breakdowns"]
    )
    themes = list(dict.fromkeys([*defs.themes, *sorted(set(primary["theme"]) - set(defs.themes))]))
    present = presence(primary, documents, "theme")
    stage = documents.set_index("interview_id")["stage"]
    st = settings["stage_tests"]
    process = defs.process_themes or themes
    tests = theme_stage_tests(
        present,
        stage,
        defs.stages,
        themes,
        tests=st["tests"],
        adjust_method=st["adjust"],
        alpha=st["alpha"],
        resamples=st["fisher_resamples"],
        seed=seed,
        groups=theme_groups(themes, process, st["families"]),
    )
    cooc = theme_cooccurrence(present, process)

    a = settings["agreement"]
    if a["enabled"]:
        codes = list(
            dict.fromkeys([*defs.codes, *sorted(set(segments["code_path"]) - set(defs.codes))])
        )
        first, second = double_coded_presence(
            segments, documents, codes, (coder, a["second_coder"])
        )
        agreement = intercoder_agreement(
            first,
            second,
            defs.codes,
            unit=a["unit"],
            level=a["ci_level"],
            n_boot=a["n_boot"],
            seed=seed,
            kappa_target=a["kappa_target"],
            alpha_reliable=a["alpha_reliable"],
            alpha_tentative=a["alpha_tentative"],
        )
        log.info("agreement on %d double-coded interviews", len(first))
    else:  # the study does not compute agreement (e.g. reflexive thematic analysis)
        agreement = pd.DataFrame(columns=AGREEMENT_COLUMNS)

    stakeholders = stakeholder_benefits(segments, documents, defs, coder=coder)
    quotes = quote_bank(
        segments,
        documents,
        themes,
        coder=coder,
        settings=settings["quotes"],
        seed=seed,
        min_cell=min_cell,
    )
    # The segments passed the gate on import; quotes pass it again because they are shown verbatim.
    quotes, deid = gate_frame(
        quotes,
        text_columns=["quote"],
        source="interview_quotes",
        file=quotes_file,
        on_hit=on_hit,
        names=names,
    )
    # Which rows the report shows: process themes (not stakeholder effects) and the configured
    # quote themes; flagged here so that the chapter only filters, never decides.
    tests["theme_group"] = ["process" if t in process else "stakeholder" for t in tests["theme"]]
    q = settings["quotes"]
    rank = quotes.groupby("theme").cumcount()
    shown = quotes["theme"].isin(q["report_themes"]) if q["report_themes"] else True
    quotes["in_report"] = shown & (rank < q["report_per_theme"])
    # The informants and prevalence tables print the same interview counts (stage × region ×
    # role): one pattern for both, found by passing each one's hidden cells to the other until
    # neither hides more. The stakeholder table prints the stage counts: it hides those stages.
    double = set(double_coded_units(segments, documents, settings))
    hidden: set = set()
    for _ in range(5):
        informants = interview_informants(documents, defs, double, min_cell=min_cell, hidden=hidden)
        shown = suppress_prevalence(prevalence, min_cell, hidden | hidden_cells(informants))
        both = hidden_cells(informants) | hidden_groups(shown)
        if both == hidden:
            break
        hidden = both
    prevalence = shown
    hidden_stages = {s for s, r, o in both if r == ALL and o == ALL}
    return {
        "interview_informants": informants,
        "code_prevalence": prevalence,
        "theme_stage_tests": tests,
        "theme_cooccurrence": suppress_cooccurrence(cooc, min_cell),
        "intercoder_agreement": agreement,
        "stakeholder_benefits": suppress_stakeholders(stakeholders, min_cell, hidden_stages),
        "quotes": quotes,
        "deid_quotes": deid,
    }


def double_coded_units(
    segments: pd.DataFrame, documents: pd.DataFrame, settings: dict
) -> pd.Series:
    """The double-coded interviews every count uses: coded by both configured coders when
    agreement is computed (its units), else every interview the import marked double-coded."""
    a = settings["agreement"]
    if a["enabled"]:
        return double_coded_ids(segments, documents, (settings["primary_coder"], a["second_coder"]))
    return documents.loc[documents["double_coded"].astype(bool), "interview_id"]
