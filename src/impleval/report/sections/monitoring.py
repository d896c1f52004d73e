"""Monitoring results: the roll-out at the sites, each outcome's definition, per-site and pooled
interrupted-time-series estimates, residual autocorrelation and what the standard errors do about
it, and how long each site should be followed.

Works for any study's sites and outcomes (any ids, any number, weekly or monthly series, with or
without comparison sites or a primary outcome). Reads `monitoring_sites`, `its_estimates`,
`its_diagnostics`, `monitoring_weeks_needed` and the study's monitoring definition; figures
`implementation_timeline`, `its_series`, `its_forest`, `monitoring_precision`.

Decision rules (each tested in tests/unit/test_report_monitoring.py):
- `direction`: "fell" / "rose" only when the confidence interval excludes zero (the upper bound
  below zero / the lower bound above it); otherwise the estimate is given with the remark that
  its interval includes zero. Never from the point estimate alone, never from p.
- `on_log_scale`: an outcome is on the log scale when its rows say `scale = log_rate_ratio` (or,
  without that column, its model is `quasi_poisson`); its changes are then shown as per cent
  change of the rate, exp(·) − 1, interval transformed the same way.
- `decimals`: one decimal for estimates in the outcome's unit (a waiting time to one decimal),
  more only when the narrowest interval of that column would otherwise show fewer than two
  significant digits of its width (slopes per week are small numbers); at most `MAX_DECIMALS`.
- `autocorrelated`: residual autocorrelation is "detected" in a site model when a Ljung–Box p at
  any of the reported lags is below the study's alpha. Durbin–Watson and the lag-1 correlation are
  reported as descriptions, without a threshold of their own.
- `short_side`: a site's baseline is short "before", "after" or "both" when fewer periods than the
  study's threshold lie on that side of go-live (the reason printed for a flagged site).
- `precision_groups`: per outcome, a site "already measures precisely enough" when the week at
  which its minimal detectable slope change reaches the study's target is known and no more weeks
  are needed; it "needs more" when more weeks are needed (how many is printed); "not within the
  horizon" when the target is not reached within the precision analysis' maximum follow-up.
- `timing`: the pooled model's go-live is "staggered" with two or more distinct go-live dates,
  "simultaneous" with one date shared by several sites, "single" with one site.
- `count_class`: zero / one / many, so that no sentence says "0 sites" or lists "none".

What the section reads from the analysis (src/impleval/monitoring/, docs/data/monitoring.md):
- its_estimates and its_diagnostics: `se_method` (`gls_arma11`, `gls_ar1`, `newey_west`,
  `newey_west_auto`, `andrews`; `hac_panel` for a pooled model under the Newey–West methods) and
  `hac_bandwidth` (periods; empty for GLS). Results written before these columns existed carry
  `hac_maxlags` instead: read as fixed-window Newey–West (`newey_west` / `hac_panel`) with that
  window, else with the configured one (monthly series: max(1, round(lags / 4))).
- its_estimates: `model` as an id (`ols_hac`, `quasi_poisson`), a boolean `pooled` and `scale`.
- its_diagnostics: `frequency` and `crosscheck_tolerance_se` per row.
- monitoring_sites: `n_pre`, `n_post`, `baseline`; the report words the reason with the
  configured thresholds.
- values/monitoring.yml: per outcome `pooled: {sites, n_intervention, n_comparison, se_method,
  hac_bandwidth}` and `crosscheck_tolerance_se`.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from impleval import fmt
from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext
from impleval.report.text import capitalise, join

POOLED = "pooled"
MIN_DECIMALS, MAX_DECIMALS = 1, 4
MAX_LISTED = 10  # longer lists of sites are given as a count with a pointer to the table
WEEKS_PER_MONTH = 365.25 / 12 / 7
SE_SITE_DEFAULT, SE_POOLED_DEFAULT = "newey_west", "hac_panel"
LJUNG_BOX = re.compile(r"^ljung_box_p_lag(\d+)$")
ROLE_ORDER = {"intervention": 0, "comparison": 1, "no_data": 2}


# --- rules -------------------------------------------------------------------------------
def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def complete(estimate, low, high) -> bool:
    """An estimate with both interval bounds: only these get a sentence (the table shows '–')."""
    return not any(_missing(v) for v in (estimate, low, high))


def direction(estimate, low, high) -> str | None:
    """'down' / 'up' only when the interval excludes zero; None otherwise (or when missing)."""
    if any(_missing(v) for v in (estimate, low, high)):
        return None
    if high < 0:
        return "down"
    if low > 0:
        return "up"
    return None


def on_log_scale(rows: pd.DataFrame, model: str | None) -> bool:
    """Log-rate-ratio estimates (counts): from the rows' `scale`, else from the config model."""
    if "scale" in rows and rows["scale"].notna().any():
        return bool((rows["scale"].dropna() == "log_rate_ratio").all())
    return model == "quasi_poisson"


def decimals(lows, highs) -> int:
    """Decimals for one column: enough for two significant digits of the narrowest interval's
    width, at least MIN_DECIMALS (so a waiting time to one decimal), at most MAX_DECIMALS."""
    widths = [
        h - lo
        for lo, h in zip(lows, highs, strict=True)
        if not _missing(lo) and not _missing(h) and h - lo > 0
    ]
    if not widths:
        return MIN_DECIMALS
    needed = math.ceil(-math.log10(min(widths))) + 1
    return int(min(MAX_DECIMALS, max(MIN_DECIMALS, needed)))


def autocorrelated(row, lb_columns: list[str], alpha: float) -> bool | None:
    """Ljung–Box p below alpha at any reported lag; None when no lag could be tested."""
    ps = [row[c] for c in lb_columns if c in row and not _missing(row[c])]
    if not ps:
        return None
    return any(p < alpha for p in ps)


def short_side(n_pre, n_post, threshold) -> str | None:
    """Which side of go-live has fewer than `threshold` periods: 'before', 'after', 'both'."""
    before = not _missing(n_pre) and n_pre < threshold
    after = not _missing(n_post) and n_post < threshold
    if before and after:
        return "both"
    return "before" if before else "after" if after else None


def precision_groups(needed: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rows of one outcome's weeks-needed table split into 'reached', 'more' and 'beyond'."""
    if needed.empty:
        empty = needed.iloc[0:0]
        return {"reached": empty, "more": empty, "beyond": empty}
    known = needed["weeks_to_target"].notna()
    extra = needed["extra_weeks_to_target"].fillna(0)
    return {
        "reached": needed[known & (extra <= 0)],
        "more": needed[known & (extra > 0)],
        "beyond": needed[~known],
    }


def timing(go_lives) -> str:
    """'single' (one site), 'simultaneous' (one shared date) or 'staggered'."""
    dates = [d for d in go_lives if not _missing(d)]
    if len(dates) <= 1:
        return "single"
    return "simultaneous" if len(set(dates)) == 1 else "staggered"


def count_class(n: int) -> str:
    return "none" if n == 0 else "one" if n == 1 else "many"


def of_n(k: int, n: int) -> str:
    """Wording class of 'k of n': 'single_yes' / 'single_no' (n = 1), 'none', 'one', 'all',
    'many' (never '0 of n' or 'all 1')."""
    if n == 1:
        return "single_yes" if k == 1 else "single_no"
    if k == 0:
        return "none"
    if k == n:
        return "all"
    return "one" if k == 1 else "many"


def periods_from_weeks(weeks, frequency: str) -> float:
    """Follow-up in the series' own periods: weeks, or whole months (rounded up)."""
    if _missing(weeks):
        return math.nan
    if frequency == "monthly":
        return float(math.ceil(round(weeks / WEEKS_PER_MONTH, 6)))
    return float(math.ceil(round(weeks, 6)))


# --- reading -----------------------------------------------------------------------------
def definition(ctx: ReportContext) -> dict:
    return ctx.study.monitoring or {}


def analysis(ctx: ReportContext) -> dict:
    return definition(ctx).get("analysis", {})


def alpha(ctx: ReportContext) -> float:
    return float(analysis(ctx).get("alpha", 0.05))


def table(ctx: ReportContext, name: str) -> pd.DataFrame:
    """A results table, or an empty frame when the analysis wrote none (or an empty file)."""
    if not ctx.results.has_table(name):
        return pd.DataFrame()
    try:
        frame = ctx.results.table(name)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    if "site" in frame:
        frame = frame.assign(site=frame["site"].astype(str))
    return frame


def primary_outcome(ctx: ReportContext) -> str | None:
    primary = definition(ctx).get("primary_outcome")
    return primary if primary in definition(ctx).get("outcomes", {}) else None


def outcomes(ctx: ReportContext) -> list[str]:
    """Outcomes in the study's order, the primary one (if declared) first."""
    declared = list(definition(ctx).get("outcomes", {}))
    primary = primary_outcome(ctx)
    return ([primary] if primary else []) + [o for o in declared if o != primary]


def _memo(ctx: ReportContext, key: str, make):
    """A value computed once per context (the site table is read by nearly every block)."""
    memo = ctx.__dict__.setdefault("_monitoring_memo", {})
    if key not in memo:
        memo[key] = make()
    return memo[key]


def sites(ctx: ReportContext) -> pd.DataFrame:
    """monitoring_sites in report order: intervention by go-live, then comparison, no data."""
    return _memo(ctx, "sites", lambda: _sites(ctx))


def _sites(ctx: ReportContext) -> pd.DataFrame:
    frame = table(ctx, "monitoring_sites")
    if frame.empty:
        return frame
    frame = frame.assign(
        _role=frame["role"].map(ROLE_ORDER).fillna(9),
        _label=[ctx.labels.site(s) for s in frame["site"]],
    )
    return frame.sort_values(
        ["_role", "go_live", "_label"], na_position="last", kind="stable"
    ).drop(columns=["_role", "_label"])


def site_roles(ctx: ReportContext) -> dict[str, list[str]]:
    """Site ids by role: 'live' (went live, modelled), 'short' (modelled, short baseline),
    'refused' (went live, not modelled), 'comparison', 'no_data'. One source for every count."""
    frame = sites(ctx)
    out = {k: [] for k in ("live", "short", "refused", "comparison", "no_data")}
    for row in frame.itertuples():
        if row.role == "intervention":
            out["refused" if row.baseline == "refused" else "live"].append(row.site)
            if row.baseline == "warn":
                out["short"].append(row.site)
        elif row.role in ("comparison", "no_data"):
            out[row.role].append(row.site)
    return out


def frequency(ctx: ReportContext) -> str:
    """'weekly', 'monthly' or 'mixed' over the sites with data."""
    frame = sites(ctx)
    found = set(frame["frequency"].dropna()) if "frequency" in frame else set()
    if len(found) == 1:
        return found.pop()
    return "mixed" if found else "weekly"


def site_frequency(ctx: ReportContext) -> dict[str, str]:
    frame = sites(ctx)
    if "frequency" not in frame:
        return {}
    return {s: f for s, f in zip(frame["site"], frame["frequency"], strict=True) if not _missing(f)}


# --- words -------------------------------------------------------------------------------
def _label(ctx: ReportContext, site: str) -> str:
    if site == POOLED:
        given = definition(ctx).get("labels", {}).get("pooled")
        return ctx.labels.text(given) if given else ctx.phrases("mon.pooled_label")
    return ctx.labels.site(site)


def _outcome(ctx: ReportContext, oid: str) -> str:
    return md.escape(ctx.labels.outcome(oid))


def _unit(ctx: ReportContext, oid: str) -> str:
    return md.escape(ctx.labels.unit(oid))


def _intervention(ctx: ReportContext) -> str:
    return md.escape(ctx.labels.intervention) or ctx.phrases("mon.the_intervention")


def _date(ctx: ReportContext, value) -> str:
    if _missing(value) or value == "":
        return fmt.MISSING[ctx.language]
    ts = pd.Timestamp(value)
    return ts.strftime("%d.%m.%Y") if ctx.language == "nb" else ts.strftime("%Y-%m-%d")


def _int(ctx: ReportContext, n) -> str:
    return fmt.integer(n, ctx.language)


def _period_noun(ctx: ReportContext, freq: str, n: float | None = None) -> str:
    """'uker' / 'måneder' / 'perioder' (singular when n == 1)."""
    kind = freq if freq in ("weekly", "monthly") else "mixed"
    number = "one" if n == 1 else "many"
    return ctx.phrases(f"mon.period.{kind}.{number}")


def _amount(ctx: ReportContext, n, freq: str) -> str:
    return f"{_int(ctx, n)} {_period_noun(ctx, freq, n)}"


def _site_count(ctx: ReportContext, n: int) -> str:
    return ctx.phrases(f"mon.count.site.{'one' if n == 1 else 'many'}", n=_int(ctx, n))


def _site_list(ctx: ReportContext, ids: list[str], entries: list[str] | None = None) -> str:
    """'3 steder (A, B og C)' (only the count beyond MAX_LISTED); 'ett sted (A)'."""
    entries = entries if entries is not None else [md.escape(_label(ctx, s)) for s in ids]
    count = _site_count(ctx, len(ids))
    if len(ids) > MAX_LISTED:
        return count
    return ctx.phrases("mon.count_list", count=count, list=join(entries, ctx.language))


def _names(ctx: ReportContext, ids: list[str]) -> str:
    return join([md.escape(_label(ctx, s)) for s in ids], ctx.language)


def _see(ctx: ReportContext, *names: str) -> str:
    """' (@fig-a; @tbl-b)' for the figures that were drawn and tables given; '' for none."""
    refs = [r for r in names if r]
    return ctx.phrases("mon.see", refs="; ".join(refs)) if refs else ""


def _fig_ref(ctx: ReportContext, name: str) -> str:
    return f"@{blocks.fig_id(name)}" if ctx.results.figure(name) else ""


# --- estimates ---------------------------------------------------------------------------
SEP = {"nb": "; ", "en": ", "}  # the interval separator of fmt.interval


def _pct(x: float) -> float:
    return math.expm1(x) if not _missing(x) else math.nan


class Scale:
    """How one outcome's estimates are printed: in its unit (difference) or as per cent change
    of the rate (log scale), with the decimals of each parameter's column."""

    def __init__(self, ctx: ReportContext, oid: str, rows: pd.DataFrame):
        self.ctx, self.oid = ctx, oid
        model = definition(ctx).get("outcomes", {}).get(oid, {}).get("model")
        self.log = on_log_scale(rows, model)
        self.digits: dict[str, int] = {}
        for key, sel in self._columns(rows).items():
            lows, highs = sel["ci_low"], sel["ci_high"]
            if self.log:
                lows, highs = [100 * _pct(v) for v in lows], [100 * _pct(v) for v in highs]
            self.digits[key] = decimals(list(lows), list(highs))

    @staticmethod
    def _columns(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
        out = {}
        for parameter in ("level_change", "slope_change", "effect_at_horizon"):
            out[parameter] = rows[rows["parameter"] == parameter]
        return out

    def number(self, x, parameter: str) -> str:
        digits = self.digits.get(parameter, MIN_DECIMALS)
        if self.log:
            return fmt.percent(_pct(x), digits, self.ctx.language)
        return fmt.number(x, digits, self.ctx.language)

    def interval(self, low, high, parameter: str) -> str:
        if _missing(low) or _missing(high):
            return ""
        lang = self.ctx.language
        return f"[{self.number(low, parameter)}{SEP[lang]}{self.number(high, parameter)}]"

    def cell(self, est, low, high, parameter: str) -> str:
        """'−6,4 [−7,3; −5,6]' for a table cell (– when missing)."""
        if _missing(est):
            return fmt.MISSING[self.ctx.language]
        interval = self.interval(low, high, parameter)
        return f"{self.number(est, parameter)} {interval}".strip()

    def value(self, est, parameter: str) -> str:
        """The estimate with its unit for prose: '−6,4 timer', '−2,5 %'; slopes per week."""
        text = self.number(est, parameter)
        unit = _unit(self.ctx, self.oid)
        if unit and not self.log:
            text = self.ctx.phrases("mon.value_unit", value=text, unit=unit)
        if parameter == "slope_change":
            text = self.ctx.phrases("mon.per_week", value=text)
        return text

    def unit_text(self) -> str:
        """What the numbers are in, for a caption."""
        if self.log:
            return self.ctx.phrases("mon.in_percent")
        unit = _unit(self.ctx, self.oid)
        return (
            self.ctx.phrases("mon.in_unit", unit=unit)
            if unit
            else self.ctx.phrases("mon.in_own_unit")
        )


def _estimates(ctx: ReportContext, oid: str) -> pd.DataFrame:
    est = table(ctx, "its_estimates")
    if est.empty:
        return est
    return est[est["outcome"] == oid]


def _row(rows: pd.DataFrame, site: str, parameter: str, horizon=None) -> pd.Series | None:
    """The first row of `site` and `parameter` (and `horizon`), None when there is none.

    Only the row found is taken out of the frame: filtering the whole frame first took a fifth
    of the report's generation time (80 look-ups in the estimates tables)."""
    mask = (rows["site"] == site) & (rows["parameter"] == parameter)
    if horizon is not None:
        mask &= rows["horizon_weeks"] == horizon
    found = mask.to_numpy(dtype=bool, na_value=False).nonzero()[0]
    return rows.iloc[found[0]] if len(found) else None


def horizons(rows: pd.DataFrame) -> list[int]:
    sel = rows[rows["parameter"] == "effect_at_horizon"]["horizon_weeks"].dropna()
    return sorted({int(h) for h in sel})


def _change_sentence(ctx: ReportContext, scale: Scale, row, key: str, **fields) -> str:
    """One sentence on a change: 'down' / 'up' wording only when the interval excludes 0."""
    parameter = row["parameter"]
    word = direction(row["estimate"], row["ci_low"], row["ci_high"]) or "unclear"
    return ctx.phrases(
        f"{key}.{word}",
        value=scale.value(row["estimate"], parameter),
        ci=scale.interval(row["ci_low"], row["ci_high"], parameter),
        **fields,
    )


def pooled_paragraph(ctx: ReportContext, oid: str, rows: pd.DataFrame, scale: Scale) -> str:
    parts = []
    for parameter, key in (
        ("level_change", "mon.pooled_level"),
        ("slope_change", "mon.pooled_slope"),
    ):
        row = _row(rows, POOLED, parameter)
        if row is not None and complete(row["estimate"], row["ci_low"], row["ci_high"]):
            parts.append(_change_sentence(ctx, scale, row, key))
    parts += horizon_sentences(ctx, rows, scale)
    return " ".join(parts)


def horizon_sentences(ctx: ReportContext, rows: pd.DataFrame, scale: Scale) -> list[str]:
    """The pooled effect at the horizons, one sentence per direction ('down', 'up', 'unclear'),
    in horizon order."""
    groups: dict[str, list[tuple[int, pd.Series]]] = {}
    for h in horizons(rows):
        row = _row(rows, POOLED, "effect_at_horizon", h)
        if row is not None and complete(row["estimate"], row["ci_low"], row["ci_high"]):
            word = direction(row["estimate"], row["ci_low"], row["ci_high"]) or "unclear"
            groups.setdefault(word, []).append((h, row))
    out = []
    for word, entries in groups.items():
        values = [
            ctx.phrases(
                "mon.value_ci",
                value=scale.value(r["estimate"], r["parameter"]),
                ci=scale.interval(r["ci_low"], r["ci_high"], r["parameter"]),
            )
            for _, r in entries
        ]
        number = "one" if len(entries) == 1 else "many"
        out.append(
            ctx.phrases(
                f"mon.pooled_horizon.{word}.{number}",
                horizons=join([_int(ctx, h) for h, _ in entries], ctx.language),
                list=join(values, ctx.language),
                intervention=_intervention(ctx),
            )
        )
    return out


def sites_paragraph(ctx: ReportContext, oid: str, rows: pd.DataFrame, identifier: str) -> str:
    """Per site: at how many sites the level / slope fell, rose or had an interval with 0."""
    site_rows = rows[rows["site"] != POOLED]
    sentences = []
    for parameter, key in (("level_change", "mon.site_level"), ("slope_change", "mon.site_slope")):
        sel = site_rows[site_rows["parameter"] == parameter]
        if sel.empty:
            continue
        groups: dict[str, list[str]] = {"down": [], "up": [], "unclear": []}
        order = {s: i for i, s in enumerate(sites(ctx)["site"])} if len(sites(ctx)) else {}
        sel = sel.assign(_s=sel["site"].map(order).fillna(999)).sort_values("_s", kind="stable")
        for r in sel.itertuples():
            if complete(r.estimate, r.ci_low, r.ci_high):
                groups[direction(r.estimate, r.ci_low, r.ci_high) or "unclear"].append(r.site)
        if not any(groups.values()):
            continue
        clauses = [
            ctx.phrases(f"{key}.{word}", sites=_site_list(ctx, ids))
            for word, ids in groups.items()
            if ids
        ]
        sentences.append(ctx.phrases(key, clauses=join(clauses, ctx.language)))
    if not sentences:
        return ""
    return " ".join(sentences) + " " + ctx.phrases("mon.see_table", table=f"@{identifier}")


def estimates_table(
    ctx: ReportContext, oid: str, rows: pd.DataFrame, scale: Scale, identifier: str, download: str
) -> str:
    order = [s for s in sites(ctx)["site"] if s in set(rows["site"])] if len(sites(ctx)) else []
    order += [s for s in dict.fromkeys(rows["site"]) if s not in order and s != POOLED]
    if POOLED in set(rows["site"]):
        order.append(POOLED)
    short = set(site_roles(ctx)["short"])
    hs = horizons(rows)
    h = ctx.phrases
    shown, raw = [], []
    for site in order:
        label = _label(ctx, site)
        if site in short:
            label = h("mon.flag_short", site=label)
        line, raw_line = {"site_label": label}, {"site": site}
        for key, parameter, horizon in [
            ("level", "level_change", None),
            ("slope", "slope_change", None),
        ] + [(f"h{x}", "effect_at_horizon", x) for x in hs]:
            r = _row(rows, site, parameter, horizon)
            est, lo, hi = (
                (r["estimate"], r["ci_low"], r["ci_high"])
                if r is not None
                else (math.nan, math.nan, math.nan)
            )
            line[f"text_{key}"] = scale.cell(est, lo, hi, parameter)
            if scale.log:
                est, lo, hi = _pct(est), _pct(lo), _pct(hi)
            raw_line.update({key: est, f"{key}_ci_low": lo, f"{key}_ci_high": hi})
        shown.append(line)
        raw.append(raw_line)
    if not shown:
        return ""
    frame = pd.DataFrame(shown).join(pd.DataFrame(raw))
    columns = {
        "site_label": h("mon.col.site"),
        "text_level": h("mon.col.level_change"),
        "text_slope": h("mon.col.slope_change"),
    }
    columns.update({f"text_h{x}": h("mon.col.effect_at", h=_int(ctx, x)) for x in hs})
    raw_columns = {"site": "site"}
    for key in ["level", "slope", *[f"h{x}" for x in hs]]:
        raw_columns.update(
            {key: key, f"{key}_ci_low": f"{key}_ci_low", f"{key}_ci_high": f"{key}_ci_high"}
        )
    return blocks.results_table(
        ctx,
        frame,
        columns,
        caption=h(
            "mon.estimates_caption" if hs else "mon.estimates_caption_no_horizon",
            outcome=_outcome(ctx, oid),
            unit=scale.unit_text(),
            horizons=join([_int(ctx, x) for x in hs], ctx.language),
            ci=_ci_level(ctx),
        ),
        identifier=identifier,
        download=download,
        formats=dict.fromkeys(columns, "text"),
        download_columns=raw_columns,
        note=h("mon.estimates_note_log") if scale.log else "",
    )


def _ci_level(ctx: ReportContext) -> str:
    return fmt.percent(1 - alpha(ctx), 0, ctx.language)


def outcome_section(ctx: ReportContext, oid: str, index: int) -> str:
    rows = _estimates(ctx, oid)
    primary = oid == primary_outcome(ctx)
    key = "heading.monitoring_outcome_primary" if primary else "heading.monitoring_outcome"
    heading = md.heading(
        ctx.phrases(key, outcome=_outcome(ctx, oid)), 4, f"sec-monitoring-outcome-{index}"
    )
    if rows.empty:
        return md.blocks(heading, ctx.phrases("mon.outcome_no_results"))
    scale = Scale(ctx, oid, rows)
    identifier = blocks.tbl_id(f"its_estimates_{index}")
    return md.blocks(
        heading,
        pooled_paragraph(ctx, oid, rows, scale),
        sites_paragraph(ctx, oid, rows, identifier),
        estimates_table(ctx, oid, rows, scale, identifier, f"its_estimates_{oid}"),
    )


# --- data, outcomes and model --------------------------------------------------------------
def data_paragraph(ctx: ReportContext) -> str:
    frame = sites(ctx)
    with_data = frame[frame["role"] != "no_data"] if len(frame) else frame
    if with_data.empty:
        return ctx.phrases("mon.no_data_at_all")
    text = ctx.phrases(
        "mon.data",
        frequency=ctx.phrases(f"mon.frequency.{frequency(ctx)}"),
        first=_date(ctx, with_data["first_period"].dropna().min()),
        last=_date(ctx, with_data["last_period"].dropna().max()),
        sites=_site_count(ctx, len(with_data)),
    )
    return text


def outcome_item(ctx: ReportContext, oid: str) -> str:
    spec = definition(ctx)["outcomes"][oid]
    h = ctx.phrases
    unit = _unit(ctx, oid)
    parts = [
        h("mon.outcome_unit", unit=unit) if unit else h("mon.outcome_no_unit"),
        h(f"mon.model.{spec['model']}"),
    ]
    if spec["model"] == "quasi_poisson" and frequency(ctx) in ("monthly", "mixed"):
        parts.append(h("mon.model.monthly_offset"))
    target = spec.get("target_slope_change")
    if target is not None:
        rows = _estimates(ctx, oid)
        scale = Scale(ctx, oid, rows) if len(rows) else None
        parts.append(h("mon.outcome_target", target=_target(ctx, oid, target, scale)))
    name = (
        h("mon.outcome_primary", outcome=_outcome(ctx, oid))
        if oid == primary_outcome(ctx)
        else h("mon.outcome_name", outcome=_outcome(ctx, oid))
    )
    return f"{name} {' '.join(parts)}"


def _target(
    ctx: ReportContext, oid: str, target: float, scale: Scale | None, *, escape: bool = True
) -> str:
    """A slope change with its unit, per week (per cent per week on the log scale): the target,
    or the minimal detectable change. `escape=False` for table cells (the table escapes)."""
    model = definition(ctx)["outcomes"][oid].get("model")
    log = scale.log if scale else model == "quasi_poisson"
    digits = max(scale.digits.get("slope_change", 2) if scale else 2, 2)
    if log:
        value = fmt.percent(_pct(target), _digits_for(100 * _pct(target), digits), ctx.language)
    else:
        value = fmt.number(target, _digits_for(target, digits), ctx.language)
        unit = _unit(ctx, oid) if escape else ctx.labels.unit(oid)
        if unit:
            value = ctx.phrases("mon.value_unit", value=value, unit=unit)
    return ctx.phrases("mon.per_week", value=value)


def _digits_for(x: float, at_least: int) -> int:
    """Enough decimals to show a configured value exactly up to two significant digits."""
    if _missing(x) or x == 0:
        return at_least
    return int(min(6, max(at_least, math.ceil(-math.log10(abs(x))) + 1)))


def outcomes_block(ctx: ReportContext) -> str:
    items = [outcome_item(ctx, o) for o in outcomes(ctx)]
    parts = [ctx.phrases("mon.outcomes_intro"), md.bullets(items)]
    if primary_outcome(ctx) is None:
        parts.append(ctx.phrases("mon.no_primary"))
    return md.blocks(*parts)


def season_text(ctx: ReportContext) -> str:
    a = analysis(ctx)
    parts = []
    if a.get("seasonality", "fourier") == "months":
        parts.append(ctx.phrases("mon.season.months"))
    else:
        parts.append(ctx.phrases("mon.season.fourier", k=_int(ctx, a.get("fourier_harmonics", 2))))
        if a.get("july_holiday", True):
            parts.append(ctx.phrases("mon.season.july"))
    if a.get("easter", True):
        parts.append(ctx.phrases("mon.season.easter"))
    return join(parts, ctx.language)


def model_paragraph(ctx: ReportContext) -> str:
    est = table(ctx, "its_estimates")
    hs = horizons(est) if len(est) else list(analysis(ctx).get("horizons_weeks", []))
    h = ctx.phrases
    parts = [h("mon.model_intro", season=season_text(ctx))]
    if hs:
        parts.append(
            h("mon.model_horizons", horizons=join([_int(ctx, x) for x in hs], ctx.language))
        )
    if frequency(ctx) in ("monthly", "mixed"):
        parts.append(h("mon.model_weeks_for_months"))
    phase_in = int(analysis(ctx).get("phase_in_weeks", 0) or 0)
    if phase_in > 0:
        parts.append(h("mon.phase_in", n=_amount(ctx, phase_in, "weekly")))
    parts.append(h("mon.ci_rule", ci=_ci_level(ctx)))
    return " ".join(parts)


def pooled_model_paragraph(ctx: ReportContext) -> str:
    """The pooled model, who is in it, what it assumes and its standard errors."""
    roles = site_roles(ctx)
    est = table(ctx, "its_estimates")
    if not roles["live"] or est.empty or not (est["site"] == POOLED).any():
        return ""
    h = ctx.phrases
    members = [
        h(
            f"mon.members.live.{'one' if len(roles['live']) == 1 else 'many'}",
            n=_int(ctx, len(roles["live"])),
        )
    ]
    if roles["comparison"]:
        members.append(
            h(
                f"mon.members.comparison.{count_class(len(roles['comparison']))}",
                n=_int(ctx, len(roles["comparison"])),
            )
        )
    frame = sites(ctx)
    dates = frame[frame["site"].isin(roles["live"])]["go_live"].tolist()
    kind = timing(dates)
    valid = [d for d in dates if not _missing(d)]
    parts = [
        h("mon.pooled_model", members=join(members, ctx.language)),
        h("mon.pooled_assumptions", intervention=_intervention(ctx)),
    ]
    parts.append(
        h(
            f"mon.timing.{kind}",
            intervention=_intervention(ctx),
            first=_date(ctx, min(valid)) if valid else "",
            last=_date(ctx, max(valid)) if valid else "",
        )
    )
    if roles["short"]:
        parts.append(h("mon.pooled_includes_short"))
    if roles["refused"]:
        parts.append(h("mon.pooled_excludes_refused"))
    method, bandwidth, freq = pooled_se(ctx)
    parts.append(se_sentence(ctx, method, bandwidth, freq))
    return " ".join(parts)


# --- standard errors -----------------------------------------------------------------------
def _config_lags(ctx: ReportContext, freq: str) -> int:
    """The configured HAC lag window in periods (monthly: max(1, round(lags / 4)), the rule the
    analysis applies today)."""
    lags = int(analysis(ctx).get("hac_maxlags", 4))
    return max(1, round(lags / 4)) if freq == "monthly" else lags


def se_of(ctx: ReportContext, row, freq: str, default: str) -> tuple[str, float]:
    """(method id, bandwidth in periods) of one results row: its `se_method`/`hac_bandwidth`
    columns when the analysis writes them; else Newey–West with the row's `hac_maxlags`, else
    the configured lag. Only the fixed-window methods fall back to a lag; a data-driven window
    or GLS without a bandwidth stays without one (NaN)."""

    def get(name):
        value = row.get(name) if hasattr(row, "get") else None
        return None if value is None or _missing(value) else value

    method = str(get("se_method") or default)
    bandwidth = get("hac_bandwidth")
    if bandwidth is None and method in (SE_SITE_DEFAULT, SE_POOLED_DEFAULT):
        bandwidth = get("hac_maxlags")
        if bandwidth is None:
            bandwidth = _config_lags(ctx, freq)
    return method, (math.nan if bandwidth is None else float(bandwidth))


def site_se_method(ctx: ReportContext) -> str:
    """The standard-error method of the per-site models: from the estimates table when it has
    site rows, else the configured `se_method`, else the fallback of older results."""
    est = table(ctx, "its_estimates")
    if len(est) and "se_method" in est:
        used = est.loc[est["site"] != POOLED, "se_method"].dropna()
        if len(used):
            return str(used.mode().iloc[0])
    return str(analysis(ctx).get("se_method", SE_SITE_DEFAULT))


def pooled_se(ctx: ReportContext) -> tuple[str, float, str]:
    est = table(ctx, "its_estimates")
    pooled = est[est["site"] == POOLED] if len(est) else est
    freq = frequency(ctx)
    freq = "weekly" if freq == "mixed" else freq
    row = pooled.iloc[0] if len(pooled) else pd.Series(dtype=object)
    method, bandwidth = se_of(ctx, row, freq, SE_POOLED_DEFAULT)
    return method, bandwidth, freq


def _bandwidth(ctx: ReportContext, bandwidth: float | None, freq: str) -> str:
    return "" if _missing(bandwidth) else _amount(ctx, bandwidth, freq)


def se_sentence(ctx: ReportContext, method: str, bandwidth: float | None, freq: str) -> str:
    """What the standard errors are and do about autocorrelation. Without one bandwidth (it
    varies between models, or the analysis did not give it) the `.varying` wording points to the
    table. An unknown method id fails the render through the phrase book, never prints the id."""
    if _missing(bandwidth):
        return ctx.phrases(f"mon.se.{method}.varying")
    return ctx.phrases(f"mon.se.{method}", bandwidth=_bandwidth(ctx, bandwidth, freq))


# --- diagnostics -------------------------------------------------------------------------------
def lb_columns(diag: pd.DataFrame) -> list[str]:
    cols = [c for c in diag.columns if LJUNG_BOX.match(c)]
    return sorted(cols, key=lambda c: int(LJUNG_BOX.match(c).group(1)))


def diagnostics_rows(ctx: ReportContext) -> pd.DataFrame:
    """Fitted site models (rows with residual diagnostics), in outcome then site order."""
    diag = table(ctx, "its_diagnostics")
    if diag.empty or "durbin_watson" not in diag:
        return diag.iloc[0:0] if len(diag.columns) else diag
    diag = diag[diag["durbin_watson"].notna()]
    order = {o: i for i, o in enumerate(outcomes(ctx))}
    site_order = {s: i for i, s in enumerate(sites(ctx)["site"])} if len(sites(ctx)) else {}
    return (
        diag.assign(
            _o=diag["outcome"].map(order).fillna(99), _s=diag["site"].map(site_order).fillna(999)
        )
        .sort_values(["_o", "_s"], kind="stable")
        .drop(columns=["_o", "_s"])
    )


def _se_labels(ctx: ReportContext, diag: pd.DataFrame) -> list[tuple[str, float, str]]:
    freqs = site_frequency(ctx)
    out = []
    for _, row in diag.iterrows():
        freq = row.get("frequency") if "frequency" in diag else None
        freq = freq if isinstance(freq, str) else freqs.get(row["site"], "weekly")
        method, bandwidth = se_of(ctx, row, freq, SE_SITE_DEFAULT)
        # None, not NaN, for a missing bandwidth: NaN != NaN would make equal rows distinct.
        out.append((method, None if _missing(bandwidth) else bandwidth, freq))
    return out


def diagnostics_paragraph(ctx: ReportContext, diag: pd.DataFrame, identifier: str) -> str:
    h = ctx.phrases
    lbs = lb_columns(diag)
    lags = [int(LJUNG_BOX.match(c).group(1)) for c in lbs]
    parts = [
        h(
            "mon.diag_intro",
            table=f"@{identifier}",
            lags=join([_int(ctx, x) for x in lags], ctx.language),
        )
    ]
    a = alpha(ctx)
    for oid in outcomes(ctx):
        rows = diag[diag["outcome"] == oid]
        flags = [autocorrelated(r, lbs, a) for _, r in rows.iterrows()]
        tested = [f for f in flags if f is not None]
        if not tested:
            continue
        k, n = sum(tested), len(tested)
        word = of_n(k, n)
        parts.append(
            h(
                f"mon.diag_count.{word}",
                outcome=_outcome(ctx, oid),
                k=_int(ctx, k),
                n=_int(ctx, n),
                alpha=fmt.number(a, 2, ctx.language),
            )
        )
    se = _se_labels(ctx, diag)
    distinct = list(dict.fromkeys(se))
    if len(distinct) == 1:
        parts.append(se_sentence(ctx, *distinct[0]))
    else:
        for method in dict.fromkeys(m for m, _, _ in se):
            parts.append(se_sentence(ctx, method, math.nan, "weekly"))
    parts.append(crosscheck_sentence(ctx, diag))
    return " ".join(p for p in parts if p)


def crosscheck_sentence(ctx: ReportContext, diag: pd.DataFrame) -> str:
    """How many models an independent AR(1) fit (GLSAR) agreed with, where it was run."""
    if "crosscheck_agrees" not in diag:
        return ""
    checked = diag[diag["crosscheck_agrees"].notna()]
    if checked.empty:
        return ""
    agrees = checked["crosscheck_agrees"].astype(str).str.lower().isin(["true", "1", "1.0"])
    k, n = int(agrees.sum()), len(checked)
    text = ctx.phrases(f"mon.crosscheck.{of_n(k, n)}", k=_int(ctx, k), n=_int(ctx, n))
    if k < n:
        entries = [
            ctx.phrases(
                "mon.site_outcome",
                site=md.escape(_label(ctx, r.site)),
                outcome=_outcome(ctx, r.outcome),
            )
            for r in checked[~agrees].itertuples()
        ]
        text += " " + ctx.phrases("mon.crosscheck_disagree", list=join(entries, ctx.language))
    return text


def diagnostics_table(ctx: ReportContext, diag: pd.DataFrame, identifier: str) -> str:
    h = ctx.phrases
    lbs = lb_columns(diag)
    a = alpha(ctx)
    frame = diag.copy()
    frame["site_label"] = [_label(ctx, s) for s in frame["site"]]
    frame["outcome_label"] = [ctx.labels.outcome(o) for o in frame["outcome"]]
    yes_no = {True: h("mon.yes"), False: h("mon.no"), None: fmt.MISSING[ctx.language]}
    frame["detected"] = [yes_no[autocorrelated(r, lbs, a)] for _, r in frame.iterrows()]
    columns = {
        "site_label": h("mon.col.site"),
        "outcome_label": h("mon.col.outcome"),
        "n": h("mon.col.n_periods"),
        "ar1_rho": h("mon.col.ar1"),
        "durbin_watson": h("mon.col.durbin_watson"),
    }
    columns.update(
        {c: h("mon.col.ljung_box", lag=_int(ctx, int(LJUNG_BOX.match(c).group(1)))) for c in lbs}
    )
    columns["detected"] = h("mon.col.autocorrelation_detected")
    se = _se_labels(ctx, diag)
    if len(set(se)) > 1:
        frame["se_label"] = [h(f"mon.se_short.{m}") for m, _, _ in se]
        frame["bandwidth_label"] = [
            _bandwidth(ctx, b, f) or fmt.MISSING[ctx.language] for _, b, f in se
        ]
        columns["se_label"] = h("mon.col.standard_errors")
        columns["bandwidth_label"] = h("mon.col.bandwidth")
    if "crosscheck_agrees" in frame:
        frame["crosscheck"] = [
            fmt.MISSING[ctx.language]
            if _missing(v)
            else yes_no[str(v).lower() in ("true", "1", "1.0")]
            for v in frame["crosscheck_agrees"]
        ]
        columns["crosscheck"] = h("mon.col.crosscheck")
    formats = {
        "site_label": "text",
        "outcome_label": "text",
        "n": "integer",
        "detected": "text",
        "se_label": "text",
        "bandwidth_label": "text",
        "crosscheck": "text",
        **dict.fromkeys(lbs, "pvalue"),
    }
    raw = {
        c: c
        for c in [
            "site",
            "outcome",
            "n",
            "ar1_rho",
            "durbin_watson",
            *lbs,
            "breusch_godfrey_p",
            "hac_maxlags",
            "se_method",
            "hac_bandwidth",
            "crosscheck_agrees",
        ]
        if c in frame
    }
    return blocks.results_table(
        ctx,
        frame,
        columns,
        caption=h(
            "mon.diag_caption",
            alpha=fmt.number(a, 2, ctx.language),
            lags=join([_int(ctx, int(LJUNG_BOX.match(c).group(1))) for c in lbs], ctx.language),
        ),
        identifier=identifier,
        download="its_diagnostics",
        formats={k: v for k, v in formats.items() if k in columns},
        digits={"ar1_rho": 2, "durbin_watson": 2},
        download_columns=raw,
    )


def diagnostics_section(ctx: ReportContext) -> str:
    diag = diagnostics_rows(ctx)
    if diag.empty:
        return ""
    identifier = blocks.tbl_id("its_diagnostics")
    return md.blocks(
        md.heading(ctx.phrases("heading.monitoring_diagnostics"), 4, "sec-monitoring-diagnostics"),
        diagnostics_paragraph(ctx, diag, identifier),
        diagnostics_table(ctx, diag, identifier),
    )


# --- roll-out ------------------------------------------------------------------------------
def rollout_paragraph(ctx: ReportContext) -> str:
    frame = sites(ctx)
    roles = site_roles(ctx)
    went_live = roles["live"] + roles["refused"]
    n_data = int((frame["role"] != "no_data").sum()) if len(frame) else 0
    h = ctx.phrases
    live = frame[frame["site"].isin(went_live)]
    fields = {
        "intervention": _intervention(ctx),
        "n": _int(ctx, len(went_live)),
        "total": _int(ctx, n_data),
        "sites": _site_count(ctx, n_data),
        "see": _see(
            ctx, _fig_ref(ctx, "implementation_timeline"), f"@{blocks.tbl_id('monitoring_sites')}"
        ),
    }
    if not went_live:
        return h("mon.golive.none", **fields)
    dates = live["go_live"].dropna()
    if len(went_live) == 1:
        return h(
            "mon.golive.one",
            site=_names(ctx, went_live),
            date=_date(ctx, dates.min() if len(dates) else None),
            **fields,
        )
    return h(
        "mon.golive.many", first=_date(ctx, dates.min()), last=_date(ctx, dates.max()), **fields
    )


def comparison_paragraph(ctx: ReportContext) -> str:
    """Which sites are comparison sites and what they do in the analysis ('' when none)."""
    ids = site_roles(ctx)["comparison"]
    if not ids:
        return ""
    h = ctx.phrases
    first = h(
        f"mon.comparison.{'one' if len(ids) == 1 else 'many'}",
        sites=_names(ctx, ids) if len(ids) <= MAX_LISTED else _site_count(ctx, len(ids)),
        intervention=_intervention(ctx),
    )
    return f"{first} {h('mon.comparison_role')}"


def baseline_paragraph(ctx: ReportContext) -> str:
    """Sites with a short baseline (modelled, flagged) and sites not modelled, with the reason;
    sites without data. '' when there are none."""
    roles = site_roles(ctx)
    frame = sites(ctx).set_index("site") if len(sites(ctx)) else pd.DataFrame()
    b = analysis(ctx).get("baseline", {})
    freqs = site_frequency(ctx)
    h = ctx.phrases
    parts = []
    for group, threshold, key in (
        ("short", b.get("warn_below"), "mon.short"),
        ("refused", b.get("refuse_below"), "mon.refused"),
    ):
        ids = roles[group]
        if not ids or threshold is None:
            continue
        entries = [
            h(
                "mon.short_entry",
                site=md.escape(_label(ctx, s)),
                reason=_short_reason(ctx, frame.loc[s], threshold, freqs.get(s, "weekly")),
            )
            for s in ids
        ]
        parts.append(
            h(f"{key}.{'one' if len(ids) == 1 else 'many'}", list=join(entries, ctx.language))
        )
    if roles["no_data"]:
        ids = roles["no_data"]
        parts.append(
            h(
                f"mon.no_data.{'one' if len(ids) == 1 else 'many'}",
                sites=_names(ctx, ids) if len(ids) <= MAX_LISTED else _site_count(ctx, len(ids)),
            )
        )
    return " ".join(parts)


def _short_reason(ctx: ReportContext, row, threshold, freq: str) -> str:
    side = short_side(row.get("n_pre"), row.get("n_post"), threshold)
    if side is None:  # flagged by the analysis on a rule the table does not show
        return ctx.phrases("mon.short_reason_unknown")
    return ctx.phrases(
        f"mon.short_reason.{side}",
        n_pre=_amount(ctx, row.get("n_pre"), freq),
        n_post=_amount(ctx, row.get("n_post"), freq),
        threshold=_int(ctx, threshold),
    )


def sites_table(ctx: ReportContext) -> str:
    frame = sites(ctx)
    if frame.empty:
        return ""
    h = ctx.phrases
    b = analysis(ctx).get("baseline", {})
    freqs = site_frequency(ctx)
    freq = frequency(ctx)
    frame = frame.copy()
    frame["site_label"] = [_label(ctx, s) for s in frame["site"]]
    frame["go_live_text"] = [_date(ctx, d) for d in frame["go_live"]]
    notes = []
    for _, row in frame.iterrows():
        site_freq = freqs.get(row["site"], "weekly")
        if row["role"] == "comparison":
            notes.append(h("mon.note.comparison"))
        elif row["role"] == "no_data":
            notes.append(h("mon.note.no_data"))
        elif row["baseline"] == "refused":
            notes.append(
                h(
                    "mon.note.refused",
                    reason=_short_reason(ctx, row, b.get("refuse_below", 0), site_freq),
                )
            )
        elif row["baseline"] == "warn":
            notes.append(
                h(
                    "mon.note.warn",
                    reason=_short_reason(ctx, row, b.get("warn_below", 0), site_freq),
                )
            )
        else:
            notes.append("")
    frame["note"] = notes
    noun = capitalise(_period_noun(ctx, freq))
    columns = {
        "site_label": h("mon.col.site"),
        "go_live_text": h("mon.col.go_live"),
        "n_pre": h("mon.col.periods_before", periods=noun),
        "n_post": h("mon.col.periods_after", periods=noun),
        "note": h("mon.col.note"),
    }
    return blocks.results_table(
        ctx,
        frame,
        columns,
        caption=h("mon.sites_caption", intervention=_intervention(ctx)),
        identifier=blocks.tbl_id("monitoring_sites"),
        download="monitoring_sites",
        formats={
            "site_label": "text",
            "go_live_text": "text",
            "n_pre": "integer",
            "n_post": "integer",
            "note": "text",
        },
        download_columns={
            c: c
            for c in [
                "site",
                "role",
                "go_live",
                "first_period",
                "last_period",
                "frequency",
                "n_pre",
                "n_post",
                "baseline",
            ]
            if c in frame
        },
    )


def rollout_section(ctx: ReportContext) -> str:
    return md.blocks(
        md.heading(ctx.phrases("heading.monitoring_rollout"), 4, "sec-monitoring-rollout"),
        rollout_paragraph(ctx),
        blocks.figure(ctx, "implementation_timeline"),
        comparison_paragraph(ctx),
        baseline_paragraph(ctx),
        sites_table(ctx),
    )


# --- how long to keep monitoring -------------------------------------------------------------
def needed_rows(ctx: ReportContext, oid: str) -> pd.DataFrame:
    needed = table(ctx, "monitoring_weeks_needed")
    if needed.empty:
        return needed
    rows = needed[needed["outcome"] == oid]
    order = {s: i for i, s in enumerate(sites(ctx)["site"])} if len(sites(ctx)) else {}
    return (
        rows.assign(_s=rows["site"].map(order).fillna(999))
        .sort_values("_s", kind="stable")
        .drop(columns="_s")
    )


def precision_summary(ctx: ReportContext, oid: str) -> dict[str, list]:
    """Site ids that already measure precisely enough, that need more (with the number of
    periods still needed) and that do not within the maximum follow-up. The one source of these
    counts for every section that quotes them."""
    groups = precision_groups(needed_rows(ctx, oid))
    freqs = site_frequency(ctx)
    return {
        "reached": list(groups["reached"]["site"]),
        "more": [
            (s, periods_from_weeks(w, freqs.get(s, "weekly")))
            for s, w in zip(
                groups["more"]["site"], groups["more"]["extra_weeks_to_target"], strict=True
            )
        ],
        "beyond": list(groups["beyond"]["site"]),
    }


def precision_paragraph(ctx: ReportContext, oid: str) -> str:
    rows = needed_rows(ctx, oid)
    if rows.empty:
        return ""
    summary = precision_summary(ctx, oid)
    freqs = site_frequency(ctx)
    spec = definition(ctx)["outcomes"][oid]
    est = _estimates(ctx, oid)
    scale = Scale(ctx, oid, est) if len(est) else None
    h = ctx.phrases
    n = len(rows)
    parts = [
        h(
            "mon.duration_target",
            outcome=_outcome(ctx, oid),
            target=_target(ctx, oid, spec["target_slope_change"], scale),
        )
    ]
    reached = summary["reached"]
    word = of_n(len(reached), n)
    if word == "many" and len(reached) > MAX_LISTED:
        word = "many_unlisted"
    parts.append(
        h(
            f"mon.reached.{word}",
            n=_int(ctx, n),
            k=_int(ctx, len(reached)),
            sites=_names(ctx, reached),
        )
    )
    more = summary["more"]
    if more:
        entries = [
            h(
                "mon.more_entry",
                site=md.escape(_label(ctx, s)),
                amount=_amount(ctx, p, freqs.get(s, "weekly")),
            )
            for s, p in more
        ]
        word = "one" if len(more) == 1 else "many" if len(more) <= MAX_LISTED else "many_unlisted"
        parts.append(
            h(f"mon.more.{word}", k=_int(ctx, len(more)), list=join(entries, ctx.language))
        )
    beyond = summary["beyond"]
    if beyond:
        freq = frequency(ctx)
        freq = "weekly" if freq == "mixed" else freq
        max_weeks = analysis(ctx).get("precision", {}).get("max_post_weeks")
        if "max_post_weeks" in rows and rows["max_post_weeks"].notna().any():
            max_weeks = rows["max_post_weeks"].max()
        parts.append(
            h(
                f"mon.beyond.{'one' if len(beyond) == 1 else 'many'}",
                sites=_names(ctx, beyond)
                if len(beyond) <= MAX_LISTED
                else _site_count(ctx, len(beyond)),
                max=_amount(ctx, periods_from_weeks(max_weeks, freq), freq),
            )
        )
    return " ".join(parts)


def precision_table(ctx: ReportContext, identifier: str) -> str:
    h = ctx.phrases
    freqs = site_frequency(ctx)
    freq = frequency(ctx)
    shown, raw = [], []
    for oid in outcomes(ctx):
        rows = needed_rows(ctx, oid)
        if rows.empty:
            continue
        est = _estimates(ctx, oid)
        scale = Scale(ctx, oid, est) if len(est) else None
        for r in rows.itertuples():
            f = freqs.get(r.site, "weekly")
            detectable = (
                fmt.MISSING[ctx.language]
                if _missing(r.min_detectable_slope_now)
                else _target(ctx, oid, r.min_detectable_slope_now, scale, escape=False)
            )
            if _missing(r.weeks_to_target):
                needed = h(
                    "mon.not_within",
                    max=_int(ctx, periods_from_weeks(getattr(r, "max_post_weeks", math.nan), f)),
                )
                extra = math.nan
            else:
                needed = _int(ctx, periods_from_weeks(r.weeks_to_target, f))
                extra = periods_from_weeks(r.extra_weeks_to_target, f)
            shown.append(
                {
                    "outcome": ctx.labels.outcome(oid),
                    "site": _label(ctx, r.site),
                    "now": periods_from_weeks(r.post_weeks_now, f),
                    "detectable": detectable,
                    "target": _target(ctx, oid, r.target_slope_change, scale, escape=False),
                    "needed": needed,
                    "extra": extra,
                }
            )
            raw.append(
                {
                    "outcome_id": oid,
                    "site_id": r.site,
                    "post_weeks_now": r.post_weeks_now,
                    "min_detectable_slope_now": r.min_detectable_slope_now,
                    "target_slope_change": r.target_slope_change,
                    "weeks_to_target": r.weeks_to_target,
                    "extra_weeks_to_target": r.extra_weeks_to_target,
                }
            )
    if not shown:
        return ""
    frame = pd.DataFrame(shown).join(pd.DataFrame(raw))
    noun = capitalise(_period_noun(ctx, freq))
    columns = {
        "outcome": h("mon.col.outcome"),
        "site": h("mon.col.site"),
        "now": h("mon.col.followed", periods=noun),
        "detectable": h("mon.col.detectable_now"),
        "target": h("mon.col.target"),
        "needed": h("mon.col.periods_to_target", periods=noun),
        "extra": h("mon.col.periods_still_needed", periods=noun),
    }
    return blocks.results_table(
        ctx,
        frame,
        columns,
        caption=h(
            "mon.duration_caption", power=_power(ctx), alpha=fmt.number(alpha(ctx), 2, ctx.language)
        ),
        identifier=identifier,
        download="monitoring_weeks_needed",
        formats={k: "integer" if k in ("now", "extra") else "text" for k in columns},
        download_columns={c: c for c in raw[0]},
        note=h("mon.duration_note"),
    )


def _power(ctx: ReportContext) -> str:
    return fmt.percent(analysis(ctx).get("precision", {}).get("power", 0.8), 0, ctx.language)


def duration_section(ctx: ReportContext) -> str:
    identifier = blocks.tbl_id("monitoring_weeks_needed")
    paragraphs = [precision_paragraph(ctx, o) for o in outcomes(ctx)]
    if not any(paragraphs):
        return ""
    freq = frequency(ctx)
    intro = ctx.phrases(
        "mon.duration_intro",
        power=_power(ctx),
        alpha=fmt.number(alpha(ctx), 2, ctx.language),
        periods=_period_noun(ctx, "weekly" if freq == "mixed" else freq),
        see=_see(ctx, _fig_ref(ctx, "monitoring_precision"), f"@{identifier}"),
    )
    return md.blocks(
        md.heading(ctx.phrases("heading.monitoring_duration"), 4, "sec-monitoring-duration"),
        intro,
        *paragraphs,
        blocks.figure(ctx, "monitoring_precision"),
        precision_table(ctx, identifier),
    )


# --- the section ---------------------------------------------------------------------------
def build(ctx: ReportContext) -> str:
    if not ctx.study.has("monitoring"):
        return ""
    h = ctx.phrases
    if sites(ctx).empty:  # the strand is declared but the analysis wrote no site table
        return md.blocks(h("mon.no_data_at_all"), outcomes_block(ctx))
    forest = _fig_ref(ctx, "its_forest")
    series = _fig_ref(ctx, "its_series")
    return md.blocks(
        data_paragraph(ctx),
        rollout_section(ctx),
        md.heading(h("heading.monitoring_model"), 4, "sec-monitoring-model"),
        outcomes_block(ctx),
        model_paragraph(ctx),
        pooled_model_paragraph(ctx),
        h("mon.figures", see=_see(ctx, series, forest)) if series or forest else "",
        blocks.figure(ctx, "its_series"),
        *[outcome_section(ctx, o, i) for i, o in enumerate(outcomes(ctx), start=1)],
        blocks.figure(ctx, "its_forest"),
        diagnostics_section(ctx),
        duration_section(ctx),
    )
