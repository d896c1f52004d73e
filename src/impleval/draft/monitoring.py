"""Draft the monitoring definition (monitoring.yaml) and the organisation's sites from the
aggregates and milestones exports: delimiter, decimal mark and date format as found, the site
and period columns, one outcome per numeric column, the milestone kinds, and the go-live kind
when a label says so (otherwise the draft leaves it to the researcher: the pipeline stops there,
naming `milestones/go_live`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from impleval.draft.interviews import entry_id
from impleval.draft.text import Doc
from impleval.tabular import read_table

DATE_FORMATS = {
    r"\d{2}\.\d{2}\.\d{4}": "%d.%m.%Y",
    r"\d{4}-\d{2}-\d{2}": "%Y-%m-%d",
    r"\d{2}/\d{2}/\d{4}": "%d/%m/%Y",
}
NUMBER = re.compile(r"-?\d+([.,]\d+)?")
INTEGER = re.compile(r"-?\d+")
COUNT_WORDS = re.compile(r"^n_|^n$|antall|count|number|cases|visits", re.I)
GO_LIVE_WORDS = re.compile(r"go.?live|oppstart|i drift|idriftsett|launch|start of use", re.I)
SITE_WORDS = re.compile(r"site|sted|sykehus|hospital|enhet|unit|avdeling", re.I)
KIND_WORDS = re.compile(r"milestone|milep|kind|event|hendelse|type", re.I)


@dataclass
class Export:
    path: str
    columns: list[str]
    values: dict[str, list[str]]
    delimiter: str | None
    decimal: str
    date_format: str | None
    date_columns: list[str]
    numeric_columns: list[str]
    integer_columns: list[str]


def _date_format(values: list[str]) -> str | None:
    for pattern, fmt in DATE_FORMATS.items():
        if values and all(re.fullmatch(pattern, v) for v in values):
            return fmt
    return None


def read_export(path: str) -> Export:
    table = read_table(path)
    df = table.data
    values = {c: [str(v).strip() for v in df[c] if str(v).strip()] for c in df.columns}
    dates = [c for c in df.columns if _date_format(values[c])]
    numeric = [
        c
        for c in df.columns
        if c not in dates and values[c] and all(NUMBER.fullmatch(v) for v in values[c])
    ]
    integers = [c for c in numeric if all(INTEGER.fullmatch(v) for v in values[c])]
    comma = any("," in v for c in numeric for v in values[c])
    fmt = _date_format(values[dates[0]]) if dates else None
    return Export(
        str(path),
        list(df.columns),
        values,
        table.separator,
        "," if comma else ".",
        fmt,
        dates,
        numeric,
        integers,
    )


def _text_columns(e: Export) -> list[str]:
    return [c for c in e.columns if c not in e.date_columns and c not in e.numeric_columns]


@dataclass
class MonitoringDraft:
    aggregates: Export
    milestones: Export
    site: str
    milestone_site: str
    milestone_kind: str
    milestone_date: str
    kinds: list[str]  # exported values, in order of first appearance
    go_live: str | None

    @property
    def sites(self) -> list[str]:
        return list(dict.fromkeys(self.aggregates.values[self.site]))


def read_monitoring(aggregates: str, milestones: str) -> MonitoringDraft:
    agg, ms = read_export(aggregates), read_export(milestones)
    text = _text_columns(agg)
    site = next((c for c in text if SITE_WORDS.search(c)), text[0] if text else agg.columns[0])
    site_values = set(agg.values.get(site, []))
    ms_text = _text_columns(ms)
    ms_site = max(ms_text, key=lambda c: len(set(ms.values[c]) & site_values), default="site")
    rest = [c for c in ms_text if c != ms_site]
    kind = next((c for c in rest if KIND_WORDS.search(c)), rest[-1] if rest else "milestone")
    date = ms.date_columns[0] if ms.date_columns else "date"
    kinds = list(dict.fromkeys(ms.values.get(kind, [])))
    go_live = next((k for k in kinds if GO_LIVE_WORDS.search(k.replace("_", " "))), None)
    return MonitoringDraft(agg, ms, site, ms_site, kind, date, kinds, go_live)


def _formats(e: Export) -> dict:
    out = {"delimiter": e.delimiter or "auto", "decimal": e.decimal}
    out["date"] = e.date_format or "auto"
    return out


def write_monitoring(d: MonitoringDraft, file: str = "monitoring.yaml") -> Doc:
    doc = Doc(file)
    doc.comment(
        "Monitoring definition drafted by `impleval init` from the aggregates and milestones.\n"
        "GUESS marks what the draft inferred; DECISION what only you can decide (DECISIONS.md)."
    )
    agg = d.aggregates
    doc.key("columns", block=True)
    doc.key("site", d.site, indent=2, note=doc.guess("the column naming the sites"))
    doc.key("period", agg.date_columns, indent=2, note=doc.guess("the date columns"))
    doc.key("allowed", agg.columns, indent=2, note="every column of the export")
    doc.key("formats", block=True, note=doc.guess("as found in the exports"))
    doc.key("aggregates", _formats(agg), indent=2)
    doc.key("milestones", _formats(d.milestones), indent=2)
    doc.key("frequency", "auto")
    doc.blank()
    counts = [c for c in agg.integer_columns if COUNT_WORDS.search(c)] or agg.integer_columns
    count = counts[0] if counts else None
    doc.key(
        "outcomes",
        block=True,
        note=doc.decide(
            "outcomes",
            "the outcomes, their models and the slope change worth detecting (target_slope_change)",
            "one per numeric column; counts quasi-Poisson, others OLS",
        ),
    )
    for col in agg.numeric_columns:
        oid = entry_id(col)
        doc.key(oid, block=True, indent=2)
        if oid != col:
            doc.key("column", col, indent=4)
        is_count = col in agg.integer_columns and col == count
        doc.key("model", "quasi_poisson" if is_count else "ols_hac", indent=4)
        if count:
            doc.key("small_cell_count", count, indent=4)
        if is_count:
            target = 0.002
        else:
            numbers = sorted(float(v.replace(",", ".")) for v in agg.values[col])
            target = float(f"{0.002 * numbers[len(numbers) // 2]:.2g}") or 0.01
        doc.key("target_slope_change", target, indent=4, note="per week")
        doc.key("label", {"nb": col}, indent=4)
    doc.decide_later(
        "primary_outcome",
        "the outcome the report leads with",
        "none: the sites table uses the first outcome",
        "Add `primary_outcome: <an outcome id>`.",
    )
    doc.blank()
    doc.key(
        "analysis",
        block=True,
        note=doc.decide(
            "analysis",
            "the time-series model (seasonality, lags, horizons)",
            "common weekly settings",
        ),
    )
    for key, value in ANALYSIS.items():
        doc.key(key, value, indent=2)
    doc.blank()
    doc.key("milestones", block=True)
    kind_ids = [entry_id(k) for k in d.kinds]
    doc.key("kinds", kind_ids, indent=2)
    go_live = entry_id(d.go_live) if d.go_live else "DECIDE"
    doc.key(
        "go_live",
        go_live,
        indent=2,
        note=doc.decide(
            "milestones.go_live",
            "which milestone is go-live",
            f"{d.go_live} (its label)" if d.go_live else "none recognised",
        ),
    )
    labels = {entry_id(k): {"nb": k} for k in d.kinds if entry_id(k) != k}
    if labels:
        doc.key("labels", block=True, indent=2)
        for kid, label in labels.items():
            doc.key(kid, label, indent=4)
    others = [
        c
        for c in d.milestones.columns
        if c not in (d.milestone_site, d.milestone_kind, d.milestone_date)
    ]
    doc.key(
        "columns",
        {
            "site": d.milestone_site,
            "milestone": d.milestone_kind,
            "date": d.milestone_date,
            "allowed": others,
        },
        indent=2,
        note=doc.guess("by their names and values"),
    )
    return doc


ANALYSIS = {
    "seasonality": "fourier",
    "fourier_harmonics": 2,
    # GLS with ARMA(1,1) errors: the method that held its coverage in validation/RESULTS.md.
    "se_method": "gls_arma11",
    "hac_maxlags": 4,
    "horizons_weeks": [26, 52],
    "phase_in_weeks": 0,
    "alpha": 0.05,
    "baseline": {"warn_below": 12, "refuse_below": 3},
    "diagnostics_lags": [4, 8],
    "precision": {"max_post_weeks": 156, "power": 0.8},
}
