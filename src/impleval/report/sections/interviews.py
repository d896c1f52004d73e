"""Interview results: interviews per stage, themes with their prevalence, change across the
study's ordered stages, themes with supporting quotes, co-occurrence, stakeholder benefits and
challenges (only when the study defines a stakeholder block) and inter-coder agreement
(SRQR 16–17, COREQ 24 and 29–32).

Prevalence is always interviews mentioning a theme (one coder per interview), never segments.
"Themes" in the counts are the study's themes that are not stakeholder effects (all themes when
the study defines no `stakeholders:` block); stakeholder effects are counted apart.

Decision rules (each tested in tests/unit/test_report_interviews.py):
- a theme is *tested* when its row of the declared primary stage test has an adjusted p (a theme
  mentioned in all or none of the interviews, or a study with one stage, has none); "k of n
  themes" always counts n = tested themes and k = those whose primary test passes, from the one
  function `change_counts`, so the summary and the results cannot disagree;
- a test *passes* when its family-adjusted p (`p_adjusted`, family as declared in
  `stage_tests.families`) is below `stage_tests.alpha`; a missing p never passes;
- direction words ("rose", "fell") only for a theme whose trend test (Cochran–Armitage) passes;
  the direction is the sign of its r. Without a declared trend test no direction word is used;
- "peaks in one stage" only for a theme whose trend test does not pass, whose chi-square (or
  Fisher–Freeman–Halton) test passes, and whose stage profile is a peak: an interior stage lies
  above both end stages by more than the end stages differ (the analysis' `direction == "peak"`,
  or the same rule on the per-stage shares when that column is absent). A theme whose
  chi-square passes without a trend or a peak "differs between stages without a steady trend";
- the strongest rise/fall is the rising/falling theme with the largest |r| (ties: code-system
  order), quoted with r and the adjusted p;
- the co-occurring pair is the pair with the highest Jaccard index among unsuppressed pairs
  (ties: more interviews with both, then code-system order);
- agreement: a code is *used* when the double-coded interviews apply it at all (prevalence > 0);
  "k of n codes reached the target" counts only used codes whose κ is defined; a code whose κ is
  below `agreement.kappa_target` puts the caveat (κ and target) in the same sentence as every
  finding this section states about its theme; the pooled α is "reliable" at or above
  `alpha_reliable`, "tentative" at or above `alpha_tentative`, below that "unreliable";
- quotes shown: for each theme in `quotes.report_themes` (or every theme when that list is
  empty) the first `quotes.report_per_theme` quotes of the quote bank, in its order;
  attribution by role and region only, leaving out what the analysis withheld ("all").

Results this section reads (ids and numbers only; `*_label` columns and language-dependent
text columns such as `attribution`, `test_label`, `direction_label` are ignored). Each is read
when present; when absent the section says so in a sentence and carries on:
- `interview_informants.csv` (NOT YET WRITTEN by the analysis): `variable, level, by, by_level,
  n, n_double_coded, share, suppressed`; variables stage, region, role (`by` = all for one-way
  rows, and stage × region, stage × role, region × role crossings), `level`/`by_level` = all on
  the margins, linked small-cell suppression as in impleval.survey.characteristics. Interviews
  per stage come from its one-way `stage` rows; until it exists, from the per-stage
  denominators (`n_interviews_total`) of `code_prevalence.csv`.
- `code_prevalence.csv` (theme rows: `code == all`; columns theme, stage, region, role,
  n_interviews, n_interviews_total, share, suppressed), `theme_stage_tests.csv` (theme, test,
  statistic, df, p_value, p_adjusted, effect_size, direction), `theme_cooccurrence.csv`
  (theme_a, theme_b, n_interviews, n_either, jaccard, suppressed), `intercoder_agreement.csv`
  (code, theme, n_units, prevalence, pct_agreement, kappa, kappa_ci_low, kappa_ci_high, pabak,
  krippendorff_alpha, alpha_ci_low, alpha_ci_high; pooled row `code == all`),
  `stakeholder_benefits.csv` (stakeholder, theme, kind, stage, n_interviews,
  n_interviews_total, share, suppressed), `quotes.csv` (theme, quote, role, region, in the bank's
  rank order within each theme).
- `values/interviews.yml` (language-neutral facts, ints/ids only; NOT YET WRITTEN in this form):
  `n_interviews` (int), `n_double_coded` (int: interviews coded by both configured coders, the
  agreement units), `n_quotes` (int: rows of quotes.csv), `n_unmapped_codes` (int: code paths
  written with theme `unmapped` under `unmapped_codes: warn`), `quote_rule` (id of the rule that
  chose the quotes: `shortest` as the analysis does today, `typical` as proposed below). Only
  `quote_rule` is read here (as `shortest` while absent); the counts are read from the tables.

Quote rule proposed for the analysis (`quote_rule: typical`; issue 12 asks for a documented rule
that is not "shortest"): for each theme, the candidates are the primary coder's segments of the
theme, whitespace-normalised, with length in [min_chars, max_chars]. Each candidate is scored by
how typical it is of the theme: TF-IDF vectors over the theme's candidates (lower-cased word
tokens of two or more letters, no stop list, so no language is assumed; sublinear tf; l2 norm)
and the score is the mean cosine similarity to the theme's candidates from OTHER interviews (so
that one talkative interview cannot make its own segments typical). Candidates are ranked by
score (ties: SHA-256 of seed|interview|position, as today) and taken greedily, at most one per
interview and never the same words twice, `per_theme` per theme; the quotes then pass the
de-identification gate and the per-role attribution coarsening as today. quotes.csv gains
`rank` (1..per_theme) and `score` (3 decimals) and keeps ids only (no `attribution` text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from impleval import fmt
from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext, per_context
from impleval.report.text import join

ALL = "all"  # margin value in every breakdown column of the interview tables
UNMAPPED = "unmapped"  # theme of a code path the code system does not list (unmapped: warn)
TREND, CHI = "trend", "chi_square"
# Test names in `theme_stage_tests.test` → the declared test kind (`stage_tests.tests`).
TEST_KIND = {"cochran_armitage": TREND, "chi_square": CHI, "fisher_freeman_halton": CHI}
PROCESS, EFFECTS = "themes", "effects"
TOP_THEMES = 3  # most and least mentioned themes named in the prevalence sentence
QUOTE_RULES = ("shortest", "typical")  # selection rules the analysis may record
TARGET_STATUS = {True: "yes", False: "no", None: "undefined"}  # meets_target → phrase


# --- study definitions ---------------------------------------------------------------------
def _analysis(ctx: ReportContext) -> dict:
    return ctx.study.interviews_analysis or {}


def stages(ctx: ReportContext) -> list[str]:
    return [s["id"] for s in (ctx.study.interviews or {}).get("stages", [])]


def themes_in_order(ctx: ReportContext) -> list[str]:
    """Theme ids in code-system order (the order of `themes:`)."""
    out: list[str] = []
    for value in (ctx.study.interviews or {}).get("themes", {}).values():
        tid = str(value.get("theme") or value.get("id")) if isinstance(value, dict) else str(value)
        if tid not in out:
            out.append(tid)
    return out


def has_stakeholders(ctx: ReportContext) -> bool:
    return bool((ctx.study.interviews or {}).get("stakeholders"))


def effect_themes(ctx: ReportContext) -> list[str]:
    """Themes whose codes are stakeholder effects (`stakeholders:`), in code-system order."""
    study = ctx.study.interviews or {}
    paths = set(study.get("stakeholders") or {})
    codes = study.get("themes", {})
    effect = set()
    for path, value in codes.items():
        if path in paths:
            effect.add(
                str(value.get("theme") or value.get("id"))
                if isinstance(value, dict)
                else str(value)
            )
    return [t for t in themes_in_order(ctx) if t in effect]


def process_themes(ctx: ReportContext) -> list[str]:
    """The themes the counts are about: every theme that is not a stakeholder effect."""
    effects = set(effect_themes(ctx))
    return [t for t in themes_in_order(ctx) if t not in effects]


def group_of(ctx: ReportContext, group: str) -> list[str]:
    return effect_themes(ctx) if group == EFFECTS else process_themes(ctx)


def stage_settings(ctx: ReportContext) -> dict:
    st = dict(_analysis(ctx).get("stage_tests", {}))
    st.setdefault("tests", [TREND, CHI])
    st.setdefault("primary", st["tests"][0] if st["tests"] else TREND)
    st.setdefault("adjust", "none")
    st.setdefault("families", "theme_group")
    st.setdefault("alpha", 0.05)
    return st


def agreement_settings(ctx: ReportContext) -> dict:
    a = dict(_analysis(ctx).get("agreement", {}))
    a.setdefault("enabled", True)
    a.setdefault("kappa_target", 0.80)
    a.setdefault("alpha_reliable", 0.80)
    a.setdefault("alpha_tentative", 0.667)
    a.setdefault("ci_level", 0.95)
    return a


def theme_label(ctx: ReportContext, tid: str) -> str:
    if tid == UNMAPPED:
        return ctx.phrases("interviews.unmapped_theme")
    return ctx.labels.theme(tid)


def code_label(ctx: ReportContext, code: str, theme: str) -> str:
    """A code's label: its theme's label when the theme has this one code, else
    "Theme: last level of the code path" (the study's own code name)."""
    codes = (ctx.study.interviews or {}).get("themes", {})
    n_codes = sum(
        1
        for v in codes.values()
        if (str(v.get("theme") or v.get("id")) if isinstance(v, dict) else str(v)) == theme
    )
    name = theme_label(ctx, theme)
    if n_codes <= 1:
        return name
    return f"{name}: {str(code).split(' > ')[-1]}"


# --- small helpers -----------------------------------------------------------------------
def _missing(x) -> bool:
    try:
        return x is None or (isinstance(x, float) and math.isnan(x)) or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _num(x, digits: int, ctx: ReportContext) -> str:
    return fmt.number(x, digits, ctx.language)


def _int(x, ctx: ReportContext) -> str:
    return fmt.integer(x, ctx.language)


def _pct(x, ctx: ReportContext) -> str:
    return fmt.percent(x, 0, ctx.language)


def _p(x, ctx: ReportContext) -> str:
    text = fmt.pvalue(x, ctx.language)
    return text if text.startswith("<") else f"= {text}"


def _table(ctx: ReportContext, name: str) -> pd.DataFrame | None:
    return ctx.results.table(name) if ctx.results.has_table(name) else None


def _fact(ctx: ReportContext, key: str):
    return ctx.values("interviews").get(key)


# --- rules -------------------------------------------------------------------------------
def passes(p_adjusted, alpha: float) -> bool:
    """A test passes when its family-adjusted p is below alpha; a missing p never passes."""
    return not _missing(p_adjusted) and float(p_adjusted) < alpha


def trend_direction(r, p_adjusted, alpha: float) -> str | None:
    """'up' / 'down' only for a trend test that passes; the sign of r gives the direction."""
    if not passes(p_adjusted, alpha) or _missing(r) or float(r) == 0:
        return None
    return "up" if float(r) > 0 else "down"


def peak_index(shares: list[float]) -> int | None:
    """Index of the interior stage that peaks (the analysis' shape rule): it lies above both end
    stages by more than the end stages differ. None for no peak, fewer than three stages or a
    missing share."""
    if len(shares) < 3 or any(_missing(s) for s in shares):
        return None
    first, last = shares[0], shares[-1]
    top = max(range(len(shares)), key=lambda i: (shares[i], -i))
    if 0 < top < len(shares) - 1 and shares[top] - max(first, last) > abs(last - first):
        return top
    return None


def classify(trend: dict | None, chi: dict | None, is_peak: bool, alpha: float) -> str:
    """'up', 'down', 'peak', 'varies', 'no_change' or 'untested' for one theme.

    `trend` / `chi`: the theme's row of each declared test (dict with `effect_size`,
    `p_adjusted`) or None when the test was not run."""
    if trend is not None:
        word = trend_direction(trend.get("effect_size"), trend.get("p_adjusted"), alpha)
        if word:
            return word
    if chi is not None and passes(chi.get("p_adjusted"), alpha):
        return "peak" if is_peak else "varies"
    rows = [r for r in (trend, chi) if r is not None]
    if not rows or all(_missing(r.get("p_adjusted")) for r in rows):
        return "untested"
    return "no_change"


def meets_target(kappa, target: float) -> bool | None:
    """κ at or above the study's target; None when κ is not defined."""
    if _missing(kappa):
        return None
    return float(kappa) >= target


def alpha_verdict(alpha, reliable: float, tentative: float) -> str | None:
    """Krippendorff's convention: 'reliable' ≥ reliable, 'tentative' ≥ tentative, else
    'unreliable'; None when α is missing."""
    if _missing(alpha):
        return None
    if float(alpha) >= reliable:
        return "reliable"
    if float(alpha) >= tentative:
        return "tentative"
    return "unreliable"


# --- prevalence and stage counts -----------------------------------------------------------
def stage_counts(ctx: ReportContext) -> dict[str, float] | None:
    """Interviews per stage (NaN where suppressed), from `interview_informants` (one-way rows of
    `stage`), else from the per-stage denominators of `code_prevalence`; None when neither."""
    order = stages(ctx)
    informants = _table(ctx, "interview_informants")
    if informants is not None:
        rows = informants[
            (informants["variable"] == "stage")
            & (informants["by"] == ALL)
            & (informants["level"] != ALL)
        ]
        if len(rows):
            counts = {str(r.level): r.n for r in rows.itertuples()}
            return {s: counts.get(s, math.nan) for s in order if s in counts}
    prev = _table(ctx, "code_prevalence")
    if prev is not None and len(prev):
        rows = prev[
            (prev["code"] == ALL)
            & (prev["region"] == ALL)
            & (prev["role"] == ALL)
            & (prev["stage"] != ALL)
        ]
        counts = rows.groupby("stage")["n_interviews_total"].first().to_dict()
        if counts:
            return {s: counts.get(s, math.nan) for s in order if s in counts}
    return None


def total_interviews(ctx: ReportContext) -> float | None:
    informants = _table(ctx, "interview_informants")
    if informants is not None:
        rows = informants[
            (informants["variable"] == "stage")
            & (informants["by"] == ALL)
            & (informants["level"] == ALL)
        ]
        if len(rows):
            return rows["n"].iloc[0]
    prev = theme_prevalence(ctx)
    if prev is not None and len(prev):
        return prev["n_total"].max()
    return None


@per_context
def theme_prevalence(ctx: ReportContext) -> pd.DataFrame | None:
    """One row per theme (index): n, n_total, share over all interviews and `share:<stage>` per
    stage (NaN where suppressed), `suppressed` when any cell of the row is hidden."""
    prev = _table(ctx, "code_prevalence")
    if prev is None or prev.empty:
        return None
    rows = prev[(prev["code"] == ALL) & (prev["region"] == ALL) & (prev["role"] == ALL)]
    overall = rows[rows["stage"] == ALL].drop_duplicates("theme").set_index("theme")
    out = pd.DataFrame(
        {
            "n": overall["n_interviews"],
            "n_total": overall["n_interviews_total"],
            "share": overall["share"],
        }
    )
    suppressed = overall.get("suppressed", pd.Series(False, index=overall.index)).astype(bool)
    for stage in stages(ctx):
        at = rows[rows["stage"] == stage].drop_duplicates("theme").set_index("theme")
        out[f"share:{stage}"] = at["share"].reindex(out.index)
        hidden = at.get("suppressed", pd.Series(False, index=at.index)).astype(bool)
        suppressed = suppressed | hidden.reindex(out.index, fill_value=False)
    out["suppressed"] = suppressed.reindex(out.index, fill_value=False)
    order = [t for t in themes_in_order(ctx) if t in out.index]
    return out.loc[order + [t for t in out.index if t not in order]]


def stage_shares(prev: pd.DataFrame | None, theme: str, order: list[str]) -> list[float]:
    if prev is None or theme not in prev.index:
        return [math.nan] * len(order)
    return [prev.loc[theme].get(f"share:{s}", math.nan) for s in order]


# --- change across stages ----------------------------------------------------------------
@dataclass
class ThemeChange:
    theme: str
    kind: str  # up, down, peak, varies, no_change, untested
    trend: dict | None = None
    chi: dict | None = None
    peak_stage: str | None = None


@dataclass
class ChangeCounts:
    """The one count of change across stages, for one group of themes."""

    primary: str
    tested: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # passes the primary test
    by_kind: dict[str, list[str]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.tested)

    @property
    def k(self) -> int:
        return len(self.changed)


@per_context
def _test_rows(ctx: ReportContext) -> pd.DataFrame | None:
    tests = _table(ctx, "theme_stage_tests")
    if tests is None or tests.empty:
        return None
    tests = tests.copy()
    tests["kind"] = tests["test"].map(TEST_KIND)
    return tests[tests["kind"].notna()]


@per_context
def theme_changes(ctx: ReportContext) -> dict[str, ThemeChange]:
    """Classification of every theme in the stage-test table (see `classify`)."""
    tests = _test_rows(ctx)
    if tests is None or len(stages(ctx)) < 2:
        return {}
    st = stage_settings(ctx)
    declared = set(st["tests"])
    prev = theme_prevalence(ctx)
    order = stages(ctx)
    out = {}
    for theme, rows in tests.groupby("theme", sort=False):
        by_kind = {k: r.iloc[0].to_dict() for k, r in rows.groupby("kind")}
        trend = by_kind.get(TREND) if TREND in declared else None
        chi = by_kind.get(CHI) if CHI in declared else None
        shares = stage_shares(prev, theme, order)
        if len(order) < 3:
            is_peak = False  # no interior stage to peak in
        elif chi is not None and "direction" in chi and not _missing(chi.get("direction")):
            is_peak = chi["direction"] == "peak"
        else:
            is_peak = peak_index(shares) is not None
        kind = classify(trend, chi, is_peak, float(st["alpha"]))
        peak_stage = None
        if kind == "peak" and not all(_missing(s) for s in shares):
            top = max(
                (i for i, s in enumerate(shares) if not _missing(s)), key=lambda i: (shares[i], -i)
            )
            peak_stage = order[top]
        out[str(theme)] = ThemeChange(str(theme), kind, trend, chi, peak_stage)
    return out


def change_counts(ctx: ReportContext, group: str = PROCESS) -> ChangeCounts:
    """k of n for one group of themes: n = themes whose primary test has an adjusted p, k =
    those whose primary test passes. The only place these counts are made."""
    st = stage_settings(ctx)
    primary = st["primary"]
    changes = theme_changes(ctx)
    alpha = float(st["alpha"])
    counts = ChangeCounts(
        primary=primary,
        by_kind={k: [] for k in ("up", "down", "peak", "varies", "no_change", "untested")},
    )
    for theme in group_of(ctx, group):
        change = changes.get(theme)
        if change is None:
            continue
        row = change.trend if primary == TREND else change.chi
        if row is not None and not _missing(row.get("p_adjusted")):
            counts.tested.append(theme)
            if passes(row.get("p_adjusted"), alpha):
                counts.changed.append(theme)
        counts.by_kind[change.kind].append(theme)
    return counts


def strongest(ctx: ReportContext, counts: ChangeCounts, direction: str) -> ThemeChange | None:
    """The rising ('up') or falling ('down') theme with the largest |r|."""
    changes = theme_changes(ctx)
    cands = [changes[t] for t in counts.by_kind.get(direction, [])]
    if not cands:
        return None
    return max(cands, key=lambda c: abs(float(c.trend["effect_size"])))


# --- agreement -----------------------------------------------------------------------------
@dataclass
class Agreement:
    pooled: dict | None
    codes: pd.DataFrame  # per-code rows
    used: pd.DataFrame  # prevalence > 0
    assessable: pd.DataFrame  # used, κ defined
    meeting: pd.DataFrame
    below: pd.DataFrame
    n_units: float


@per_context
def agreement(ctx: ReportContext) -> Agreement | None:
    """Agreement results when the study computes them and the table has rows; else None."""
    a = agreement_settings(ctx)
    table = _table(ctx, "intercoder_agreement")
    if not a["enabled"] or table is None or table.empty:
        return None
    codes = table[table["code"] != ALL].copy()
    pooled_rows = table[table["code"] == ALL]
    pooled = pooled_rows.iloc[0].to_dict() if len(pooled_rows) else None
    used = codes[codes["prevalence"].fillna(0) > 0]
    assessable = used[used["kappa"].notna()]
    target = float(a["kappa_target"])
    meeting = assessable[assessable["kappa"] >= target]
    below = assessable[assessable["kappa"] < target].sort_values("kappa", kind="stable")
    n_units = codes["n_units"].max() if len(codes) else math.nan
    return Agreement(pooled, codes, used, assessable, meeting, below, n_units)


def theme_caveat(ctx: ReportContext, theme: str) -> tuple[str, float] | None:
    """(code label, κ) of the theme's lowest-κ code below the study's target; None when every
    assessed code of the theme meets it, or agreement was not computed."""
    agr = agreement(ctx)
    if agr is None or agr.below.empty:
        return None
    rows = agr.below[agr.below["theme"] == theme]
    if rows.empty:
        return None
    low = rows.iloc[0]
    return code_label(ctx, low["code"], theme), float(low["kappa"])


def caveat(ctx: ReportContext, themes: list[str], *, short: bool = False) -> str:
    """The agreement caveat to append inside the sentence about `themes` ('' when none): the
    κ of each code below the study's target and the target itself."""
    found = [(t, c) for t in themes if (c := theme_caveat(ctx, t)) is not None]
    if not found:
        return ""
    target = _num(agreement_settings(ctx)["kappa_target"], 2, ctx)
    entries = []
    for theme, (label, kappa) in found:
        if short and label == theme_label(ctx, theme):  # the code is the theme just named
            entries.append(ctx.phrases("interviews.caveat_kappa", kappa=_num(kappa, 2, ctx)))
        else:
            entries.append(
                ctx.phrases(
                    "interviews.caveat_code", code=md.escape(label), kappa=_num(kappa, 2, ctx)
                )
            )
    key = "interviews.caveat_short" if short else "interviews.caveat"
    return ctx.phrases(key, codes=join(entries, ctx.language), target=target)


def theme_ref(ctx: ReportContext, theme: str, detail: str = "") -> str:
    """'Label (detail; κ caveat)': a theme named in a finding, with its caveat when due."""
    label = md.escape(theme_label(ctx, theme))
    extra = caveat(ctx, [theme], short=True)
    inside = "; ".join(p for p in (detail, extra) if p)
    return f"{label} ({inside})" if inside else label


# --- blocks: counts and prevalence ----------------------------------------------------------
def counts_paragraph(ctx: ReportContext) -> str:
    counts = stage_counts(ctx)
    if counts is None:
        return ctx.phrases("interviews.counts_missing")
    entries = [
        ctx.phrases(
            "interviews.stage_count",
            stage=md.escape(ctx.labels.stage(s)),
            n=fmt.suppressed(ctx.min_cell, ctx.language) if _missing(n) else _int(n, ctx),
        )
        for s, n in counts.items()
    ]
    text = ctx.phrases("interviews.counts", list=join(entries, ctx.language))
    if ctx.results.has_table("interview_informants"):
        text += " " + ctx.phrases(
            "interviews.counts_see", table=f"@{blocks.tbl_id('interview_informants')}"
        )
    return text + " " + ctx.phrases("interviews.prevalence_rule")


def prevalence_paragraph(ctx: ReportContext) -> str:
    prev = theme_prevalence(ctx)
    if prev is None:
        return ctx.phrases("interviews.prevalence_missing")
    themes = [t for t in process_themes(ctx) if t in prev.index]
    shown = prev.loc[themes].dropna(subset=["share"])
    if shown.empty:
        return ""
    order = sorted(shown.index, key=lambda t: (-shown.loc[t, "share"], themes.index(t)))
    top = order[:TOP_THEMES]
    rest = [t for t in order[TOP_THEMES:]][-1:] if len(order) > TOP_THEMES else []
    text = ctx.phrases(
        "interviews.prevalence_top",
        n=_int(len(themes), ctx),
        list=join([theme_ref(ctx, t, _pct(shown.loc[t, "share"], ctx)) for t in top], ctx.language),
        table=f"@{blocks.tbl_id('theme_prevalence')}",
    )
    if rest:
        text += " " + ctx.phrases(
            "interviews.prevalence_least",
            theme=theme_ref(ctx, rest[0], _pct(shown.loc[rest[0], "share"], ctx)),
        )
    return text


def prevalence_table(ctx: ReportContext, group: str = PROCESS) -> str:
    prev = theme_prevalence(ctx)
    if prev is None:
        return ""
    themes = [t for t in group_of(ctx, group) if t in prev.index]
    if not themes:
        return ""
    frame = prev.loc[themes].reset_index().rename(columns={"index": "theme"})
    frame["theme_label"] = [theme_label(ctx, t) for t in frame["theme"]]
    h = ctx.phrases
    columns = {
        "theme_label": h("interviews.col.theme"),
        "n": h("interviews.col.n_mentioning"),
        "share": h("interviews.col.share_all"),
    }
    formats = {"theme_label": "text", "n": "integer", "share": "percent"}
    download = {
        "theme": "theme",
        "n": "n_interviews",
        "n_total": "n_interviews_total",
        "share": "share",
    }
    for stage in stages(ctx):
        column = f"share:{stage}"
        if column in frame:
            columns[column] = ctx.labels.stage(stage)
            formats[column] = "percent"
            download[column] = f"share_{stage}"
    name = "theme_prevalence" if group == PROCESS else "effect_prevalence"
    return blocks.results_table(
        ctx,
        frame,
        columns,
        caption=h(f"interviews.prevalence_caption.{group}"),
        identifier=blocks.tbl_id(name),
        download=name,
        formats=formats,
        download_columns=download,
    )


# --- blocks: change across stages -------------------------------------------------------------
def _adjusted(ctx: ReportContext, counts: ChangeCounts, group: str) -> str:
    """'Benjamini–Hochberg-adjusted over the themes' (the family as declared), or 'without
    adjustment'."""
    st = stage_settings(ctx)
    if st["adjust"] == "none":
        return ctx.phrases("interviews.adjusted_none")
    if st["families"] == "all_themes" and has_stakeholders(ctx):
        total = len(change_counts(ctx, PROCESS).tested) + len(change_counts(ctx, EFFECTS).tested)
        family = ctx.phrases("interviews.family.all", n=_int(total, ctx))
    else:
        family = ctx.phrases(f"interviews.family.{group}")
    return ctx.phrases(
        "interviews.adjusted", adjust=ctx.phrases(f"adjust.{st['adjust']}"), family=family
    )


def _pname(ctx: ReportContext) -> str:
    none = stage_settings(ctx)["adjust"] == "none"
    return ctx.phrases("interviews.p_plain" if none else "interviews.p_adjusted")


def _trend_detail(ctx: ReportContext, change: ThemeChange) -> str:
    return ctx.phrases(
        "interviews.trend_detail",
        r=_num(change.trend["effect_size"], 2, ctx),
        pname=_pname(ctx),
        p=_p(change.trend["p_adjusted"], ctx),
    )


def _chi_detail(ctx: ReportContext, change: ThemeChange) -> str:
    return ctx.phrases(
        "interviews.chi_detail",
        v=_num(change.chi["effect_size"], 2, ctx),
        pname=_pname(ctx),
        p=_p(change.chi["p_adjusted"], ctx),
    )


def change_phrase(ctx: ReportContext, change: ThemeChange) -> str:
    """A theme's change word with the numbers behind it ('rising, r = …, adjusted p …'); the
    word alone where no test passed."""
    word = ctx.phrases(f"interviews.kind.{change.kind}")
    if change.kind in ("up", "down"):
        detail = _trend_detail(ctx, change)
    elif change.kind == "peak":
        detail = ctx.phrases(
            "interviews.peak_detail",
            stage=md.escape(ctx.labels.stage(change.peak_stage)),
            detail=_chi_detail(ctx, change),
        )
    elif change.kind == "varies":
        detail = _chi_detail(ctx, change)
    else:
        return word
    return ctx.phrases("interviews.kind_with_detail", kind=word, detail=detail)


def _fig_ref(ctx: ReportContext, name: str) -> str:
    """'; @fig-name' to close a parenthesis of references, '' when the figure was not drawn."""
    return f"; @{blocks.fig_id(name)}" if ctx.results.figure(name) else ""


def change_paragraph(ctx: ReportContext, group: str = PROCESS) -> str:
    """k of n (primary test), which rose and fell (trend passes), the strongest rise and fall,
    peaks and other differences (chi-square), no clear change, not testable."""
    if len(stages(ctx)) < 2:
        return ctx.phrases("interviews.one_stage")
    if _test_rows(ctx) is None:
        return ctx.phrases("interviews.tests_missing")
    counts = change_counts(ctx, group)
    if not counts.n and not counts.by_kind["untested"]:
        return ""
    changes = theme_changes(ctx)
    primary = counts.primary
    fields = dict(
        k=_int(counts.k, ctx),
        n=_int(counts.n, ctx),
        test=ctx.phrases(f"interviews.test.{primary}"),
        adjusted=_adjusted(ctx, counts, group),
        table=f"@{blocks.tbl_id(_tests_name(group))}",
    )
    suffix = "" if counts.k else "_none"
    parts = [ctx.phrases(f"interviews.change.{group}.{primary}{suffix}", **fields)]
    by_kind = counts.by_kind
    for kind in ("up", "down"):
        # Stakeholder effects: the table carries each effect's change; the text names the count,
        # the strongest rise and fall and what did not change.
        if by_kind[kind] and group == PROCESS:
            parts.append(
                ctx.phrases(
                    f"interviews.change_{kind}",
                    list=join(
                        [theme_ref(ctx, t, _trend_detail(ctx, changes[t])) for t in by_kind[kind]],
                        ctx.language,
                    ),
                )
            )
    order = stages(ctx)
    for kind in ("up", "down"):
        best = strongest(ctx, counts, kind)
        if best is None or (len(by_kind[kind]) < 2 and group == PROCESS):
            continue  # a single rising theme was just named with its numbers
        shares = stage_shares(theme_prevalence(ctx), best.theme, order)
        common = dict(
            theme=md.escape(theme_label(ctx, best.theme)),
            r=_num(best.trend["effect_size"], 2, ctx),
            pname=_pname(ctx),
            p=_p(best.trend["p_adjusted"], ctx),
            caveat=caveat(ctx, [best.theme]),
        )
        if _missing(shares[0]) or _missing(shares[-1]):
            parts.append(ctx.phrases(f"interviews.strongest_{kind}_short", **common))
        else:
            parts.append(
                ctx.phrases(
                    f"interviews.strongest_{kind}",
                    first=_pct(shares[0], ctx),
                    last=_pct(shares[-1], ctx),
                    first_stage=md.escape(ctx.labels.stage(order[0])),
                    last_stage=md.escape(ctx.labels.stage(order[-1])),
                    **common,
                )
            )
    if by_kind["peak"]:
        parts.append(
            ctx.phrases(
                "interviews.change_peak",
                list=join(
                    [
                        theme_ref(
                            ctx,
                            t,
                            ctx.phrases(
                                "interviews.peak_detail",
                                stage=md.escape(ctx.labels.stage(changes[t].peak_stage)),
                                detail=_chi_detail(ctx, changes[t]),
                            ),
                        )
                        for t in by_kind["peak"]
                    ],
                    ctx.language,
                ),
            )
        )
    if by_kind["varies"]:
        parts.append(
            ctx.phrases(
                "interviews.change_varies",
                list=join(
                    [theme_ref(ctx, t, _chi_detail(ctx, changes[t])) for t in by_kind["varies"]],
                    ctx.language,
                ),
            )
        )
    if by_kind["no_change"]:
        parts.append(
            ctx.phrases(
                "interviews.change_none",
                list=join([theme_ref(ctx, t) for t in by_kind["no_change"]], ctx.language),
            )
        )
    if by_kind["untested"]:
        parts.append(
            ctx.phrases(
                "interviews.change_untested",
                list=join(
                    [md.escape(theme_label(ctx, t)) for t in by_kind["untested"]], ctx.language
                ),
            )
        )
    return " ".join(parts)


def _tests_name(group: str) -> str:
    return "theme_stage_tests" if group == PROCESS else "effect_stage_tests"


def stage_tests_table(ctx: ReportContext, group: str = PROCESS) -> str:
    """One row per theme: each declared test (statistic as effect size, adjusted p) and the
    change word from `classify`."""
    tests = _test_rows(ctx)
    if tests is None or len(stages(ctx)) < 2:
        return ""
    changes = theme_changes(ctx)
    declared = stage_settings(ctx)["tests"]
    rows = []
    for theme in group_of(ctx, group):
        change = changes.get(theme)
        if change is None:
            continue
        row = {
            "theme": theme,
            "theme_label": theme_label(ctx, theme),
            "change": ctx.phrases(f"interviews.kind.{change.kind}"),
        }
        for kind, found in ((TREND, change.trend), (CHI, change.chi)):
            data = found or {}
            row[f"{kind}_test"] = (
                ctx.phrases(f"interviews.test_name.{data['test']}")
                if data.get("test") in TEST_KIND
                else ""
            )
            for key in ("statistic", "df", "p_value", "p_adjusted", "effect_size"):
                row[f"{kind}_{key}"] = data.get(key, math.nan)
        rows.append(row)
    if not rows:
        return ""
    frame = pd.DataFrame(rows)
    h = ctx.phrases
    columns = {"theme_label": h("interviews.col.theme")}
    formats: dict = {"theme_label": "text", "change": "text"}
    download = {"theme": "theme"}
    if TREND in declared:
        columns.update(
            {
                "trend_effect_size": h("interviews.col.trend_r"),
                "trend_p_adjusted": h("interviews.col.trend_p"),
            }
        )
        formats["trend_p_adjusted"] = "pvalue"
    if CHI in declared:
        columns.update(
            {
                "chi_square_test": h("interviews.col.chi_test"),
                "chi_square_effect_size": h("interviews.col.chi_v"),
                "chi_square_p_adjusted": h("interviews.col.chi_p"),
            }
        )
        formats.update({"chi_square_test": "text", "chi_square_p_adjusted": "pvalue"})
    columns["change"] = h("interviews.col.change")
    for kind in (TREND, CHI):
        if kind in declared:
            for key in ("statistic", "df", "p_value", "p_adjusted", "effect_size"):
                download[f"{kind}_{key}"] = f"{kind}_{key}"
    name = _tests_name(group)
    st = stage_settings(ctx)
    adjusted = (
        h("interviews.adjusted_ps_none")
        if st["adjust"] == "none"
        else h("interviews.adjusted_ps", adjust=h(f"adjust.{st['adjust']}"))
    )
    return blocks.results_table(
        ctx,
        frame,
        columns,
        caption=h(
            "interviews.tests_caption",
            adjusted=adjusted,
            what=h(f"interviews.tests_caption_what.{group}"),
        ),
        identifier=blocks.tbl_id(name),
        download=name,
        formats=formats,
        digits={"trend_effect_size": 2, "chi_square_effect_size": 2},
        note=" ".join(
            h(f"interviews.tests_note.{k}")
            for k in (TREND, CHI, "csv")
            if k in declared or k == "csv"
        ),
        download_columns=download,
    )


# --- blocks: quotes ---------------------------------------------------------------------
def quote_rule(ctx: ReportContext) -> str:
    """The selection rule the analysis recorded (`values/interviews.yml: quote_rule`); the rule
    of the current analysis (`shortest`) when the value is not there yet."""
    rule = _fact(ctx, "quote_rule")
    return rule if rule in QUOTE_RULES else "shortest"


def attribution(ctx: ReportContext, role, region) -> str:
    """'Role, region' with whatever the analysis withheld ('all') left out."""
    parts = []
    if not _missing(role) and str(role) != ALL:
        parts.append(ctx.labels.role(str(role)))
    if not _missing(region) and str(region) != ALL:
        parts.append(ctx.labels.region(str(region)))
    return ", ".join(parts) if parts else ctx.phrases("interviews.attribution_withheld")


def report_quotes(ctx: ReportContext) -> pd.DataFrame:
    """Quotes shown in the report (see the module rules); empty when there are none."""
    quotes = _table(ctx, "quotes")
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=["theme", "quote", "role", "region"])
    q = _analysis(ctx).get("quotes", {})
    wanted = list(q.get("report_themes") or process_themes(ctx))
    per_theme = int(q.get("report_per_theme", 1))
    quotes = quotes.dropna(subset=["quote"])
    picked = [quotes[quotes["theme"] == t].head(per_theme) for t in wanted]
    picked = [p for p in picked if len(p)]
    if not picked:
        return pd.DataFrame(columns=["theme", "quote", "role", "region"])
    return pd.concat(picked, ignore_index=True)


def quotes_block(ctx: ReportContext) -> str:
    quotes = _table(ctx, "quotes")
    if quotes is None:
        return ctx.phrases("interviews.quotes_missing")
    q = _analysis(ctx).get("quotes", {})
    shown = report_quotes(ctx)
    intro = [
        ctx.phrases(
            f"interviews.quote_rule.{quote_rule(ctx)}",
            low=_int(q.get("min_chars", 40), ctx),
            high=_int(q.get("max_chars", 220), ctx),
        ),
        ctx.phrases("interviews.quote_attribution", min_cell=_int(ctx.min_cell, ctx)),
    ]
    if shown.empty:
        intro.append(ctx.phrases("interviews.quotes_none"))
        return " ".join(intro)
    intro.append(
        ctx.phrases(
            "interviews.quotes_shown",
            n=_int(len(shown), ctx),
            total=_int(len(quotes.dropna(subset=["quote"])), ctx),
            table=f"@{blocks.tbl_id('interview_quotes')}",
        )
    )
    prev = theme_prevalence(ctx)
    frame = shown.copy()
    frame["theme_label"] = [theme_label(ctx, t) for t in frame["theme"]]
    frame["share"] = [
        prev.loc[t, "share"] if prev is not None and t in prev.index else math.nan
        for t in frame["theme"]
    ]
    frame["quote_text"] = [
        ctx.phrases("interviews.quote_marks", quote=str(t).strip()) for t in frame["quote"]
    ]
    frame["who"] = [
        attribution(ctx, r, g) for r, g in zip(frame["role"], frame["region"], strict=False)
    ]
    h = ctx.phrases
    table = blocks.results_table(
        ctx,
        frame,
        {
            "theme_label": h("interviews.col.theme"),
            "share": h("interviews.col.share_all"),
            "quote_text": h("interviews.col.quote"),
            "who": h("interviews.col.attribution"),
        },
        caption=h("interviews.quotes_caption"),
        identifier=blocks.tbl_id("interview_quotes"),
        download="interview_quotes",
        formats={"theme_label": "text", "share": "percent", "quote_text": "text", "who": "text"},
        download_columns={"theme": "theme", "quote": "quote", "role": "role", "region": "region"},
    )
    return md.blocks(" ".join(intro), table)


# --- blocks: co-occurrence --------------------------------------------------------------------
def top_pair(ctx: ReportContext) -> dict | None:
    cooc = _table(ctx, "theme_cooccurrence")
    if cooc is None or cooc.empty:
        return None
    rows = cooc.dropna(subset=["jaccard", "n_interviews"])
    if "suppressed" in rows:
        rows = rows[~rows["suppressed"].fillna(False).astype(bool)]
    rows = rows[rows["n_interviews"] > 0]
    if rows.empty:
        return None
    order = {t: i for i, t in enumerate(themes_in_order(ctx))}
    rows = rows.assign(
        _a=rows["theme_a"].map(order).fillna(len(order)),
        _b=rows["theme_b"].map(order).fillna(len(order)),
    )
    best = rows.sort_values(
        ["jaccard", "n_interviews", "_a", "_b"], ascending=[False, False, True, True], kind="stable"
    ).iloc[0]
    return best.to_dict()


def cooccurrence_paragraph(ctx: ReportContext) -> str:
    pair = top_pair(ctx)
    if pair is None:
        return ""
    return ctx.phrases(
        "interviews.cooccurrence",
        a=md.escape(theme_label(ctx, pair["theme_a"])),
        b=md.escape(theme_label(ctx, pair["theme_b"])),
        n=_int(pair["n_interviews"], ctx),
        either=_int(pair["n_either"], ctx),
        jaccard=_num(pair["jaccard"], 2, ctx),
        caveat=caveat(ctx, [pair["theme_a"], pair["theme_b"]]),
        figure=_fig_ref(ctx, "theme_cooccurrence"),
    )


# --- blocks: stakeholders -------------------------------------------------------------------
def stakeholder_block(ctx: ReportContext) -> str:
    """Benefits and challenges by stakeholder group; '' unless the study defines the block."""
    if not has_stakeholders(ctx):
        return ""
    table = _table(ctx, "stakeholder_benefits")
    heading = md.heading(
        ctx.phrases("heading.interviews_stakeholders"), 4, "sec-interviews-stakeholders"
    )
    if table is None or table.empty:
        return md.blocks(heading, ctx.phrases("interviews.stakeholders_missing"))
    overall = table[table["stage"] == ALL]
    groups = overall[(overall["theme"] == ALL)].dropna(subset=["share"])
    parts = []
    if len(groups):
        ordered = groups.sort_values("share", ascending=False, kind="stable")
        parts.append(
            ctx.phrases(
                "interviews.stakeholders_groups",
                list=join(
                    [
                        ctx.phrases(
                            "interviews.group_share",
                            group=md.escape(ctx.labels.stakeholder(r.stakeholder)),
                            share=_pct(r.share, ctx),
                        )
                        for r in ordered.itertuples()
                    ],
                    ctx.language,
                ),
                figure=_fig_ref(ctx, "stakeholder_benefits"),
                table=f"@{blocks.tbl_id('stakeholder_benefits')}",
            )
        )
    effects = overall[overall["theme"] != ALL]
    challenges = effects[effects["kind"] == "challenge"]
    if len(challenges):
        parts.append(
            ctx.phrases(
                "interviews.stakeholders_challenges",
                list=join(
                    [
                        theme_ref(
                            ctx,
                            r.theme,
                            ctx.phrases(
                                "interviews.challenge_detail",
                                group=md.escape(ctx.labels.stakeholder(r.stakeholder)),
                                share=_pct(r.share, ctx)
                                if not _missing(r.share)
                                else fmt.suppressed(ctx.min_cell, ctx.language),
                            ),
                        )
                        for r in challenges.itertuples()
                    ],
                    ctx.language,
                ),
            )
        )
    elif not any(
        v.get("kind") == "challenge"
        for v in (ctx.study.interviews or {}).get("stakeholders", {}).values()
    ):
        parts.append(ctx.phrases("interviews.stakeholders_no_challenges"))
    counts = change_counts(ctx, EFFECTS)
    change = change_paragraph(ctx, EFFECTS) if counts.n else ""
    frame = effects.copy()
    frame["group_label"] = [ctx.labels.stakeholder(s) for s in frame["stakeholder"]]
    frame["effect_label"] = [theme_label(ctx, t) for t in frame["theme"]]
    frame["kind_label"] = [
        ctx.phrases(f"interviews.effect_kind.{k}")
        if ctx.phrases.has(f"interviews.effect_kind.{k}")
        else ""
        for k in frame["kind"]
    ]
    h = ctx.phrases
    tbl = blocks.results_table(
        ctx,
        frame,
        {
            "group_label": h("interviews.col.group"),
            "effect_label": h("interviews.col.effect"),
            "kind_label": h("interviews.col.kind"),
            "n_interviews": h("interviews.col.n_mentioning"),
            "share": h("interviews.col.share_all"),
        },
        caption=h("interviews.stakeholders_caption"),
        identifier=blocks.tbl_id("stakeholder_benefits"),
        download="stakeholder_benefits",
        formats={
            "group_label": "text",
            "effect_label": "text",
            "kind_label": "text",
            "n_interviews": "integer",
            "share": "percent",
        },
        download_columns={
            "stakeholder": "stakeholder",
            "theme": "theme",
            "kind": "kind",
            "n_interviews": "n_interviews",
            "n_interviews_total": "n_interviews_total",
            "share": "share",
        },
    )
    return md.blocks(
        heading,
        " ".join(parts),
        blocks.figure(ctx, "stakeholder_benefits"),
        tbl,
        change,
        stage_tests_table(ctx, EFFECTS) if change else "",
    )


# --- blocks: agreement ----------------------------------------------------------------------
def agreement_block(ctx: ReportContext) -> str:
    a = agreement_settings(ctx)
    heading = md.heading(ctx.phrases("heading.interviews_agreement"), 4, "sec-interviews-agreement")
    if not a["enabled"]:
        return md.blocks(
            heading,
            ctx.phrases("interviews.agreement_disabled"),
            blocks.prose(ctx, "agreement_not_assessed"),
        )
    agr = agreement(ctx)
    if agr is None:
        return md.blocks(heading, ctx.phrases("interviews.agreement_missing"))
    return md.blocks(
        heading,
        agreement_paragraph(ctx, agr),
        blocks.figure(ctx, "intercoder_agreement"),
        agreement_table(ctx, agr),
    )


def agreement_paragraph(ctx: ReportContext, agr: Agreement) -> str:
    a = agreement_settings(ctx)
    ci = _pct(a["ci_level"], ctx)
    target = _num(a["kappa_target"], 2, ctx)
    parts = [ctx.phrases("interviews.agreement_units", n=_int(agr.n_units, ctx))]
    p = agr.pooled
    if p is not None and not _missing(p.get("kappa")):
        verdict = alpha_verdict(
            p.get("krippendorff_alpha"), float(a["alpha_reliable"]), float(a["alpha_tentative"])
        )
        parts.append(
            ctx.phrases(
                "interviews.agreement_pooled",
                ci=ci,
                kappa=_num(p["kappa"], 2, ctx),
                kappa_ci=fmt.interval(p["kappa_ci_low"], p["kappa_ci_high"], 2, ctx.language),
                alpha=_num(p.get("krippendorff_alpha"), 2, ctx),
                alpha_ci=fmt.interval(
                    p.get("alpha_ci_low"), p.get("alpha_ci_high"), 2, ctx.language
                ),
                verdict=ctx.phrases(
                    f"interviews.alpha_verdict.{verdict}",
                    reliable=_num(a["alpha_reliable"], 2, ctx),
                    tentative=_num(a["alpha_tentative"], 3, ctx),
                )
                if verdict
                else "",
            )
        )
    n_unused = len(agr.codes) - len(agr.used)
    n_undefined = len(agr.used) - len(agr.assessable)
    parts.append(
        ctx.phrases(
            "interviews.agreement_target",
            k=_int(len(agr.meeting), ctx),
            n=_int(len(agr.assessable), ctx),
            target=target,
            table=f"@{blocks.tbl_id('intercoder_agreement')}",
        )
    )
    if n_unused:
        parts.append(ctx.phrases("interviews.agreement_unused", n=_int(n_unused, ctx)))
    if n_undefined:
        parts.append(ctx.phrases("interviews.agreement_undefined", n=_int(n_undefined, ctx)))
    if len(agr.below):
        parts.append(
            ctx.phrases(
                "interviews.agreement_below",
                target=target,
                list=join(
                    [
                        ctx.phrases(
                            "interviews.agreement_code",
                            code=md.escape(code_label(ctx, r.code, r.theme)),
                            kappa=_num(r.kappa, 2, ctx),
                            pabak=_num(r.pabak, 2, ctx),
                            prevalence=_pct(r.prevalence, ctx),
                        )
                        for r in agr.below.itertuples()
                    ],
                    ctx.language,
                ),
            )
        )
        parts.append(ctx.phrases("interviews.agreement_pabak_note"))
    elif len(agr.assessable):
        parts.append(ctx.phrases("interviews.agreement_all_meet"))
    return " ".join(parts)


def agreement_table(ctx: ReportContext, agr: Agreement) -> str:
    """Per code: prevalence, percent agreement, κ [CI], PABAK, α [CI], whether κ meets the
    target (unused codes shown as not used)."""
    a = agreement_settings(ctx)
    frame = agr.codes.copy()
    if frame.empty:
        return ""
    target = float(a["kappa_target"])
    frame["code_label"] = [
        code_label(ctx, c, t) for c, t in zip(frame["code"], frame["theme"], strict=False)
    ]
    frame["kappa_ci"] = blocks.estimate_ci(ctx, frame, "kappa", "kappa_ci_low", "kappa_ci_high")
    frame["alpha_ci"] = blocks.estimate_ci(
        ctx, frame, "krippendorff_alpha", "alpha_ci_low", "alpha_ci_high"
    )

    def status(prevalence, kappa) -> str:
        if _missing(prevalence) or float(prevalence) == 0:
            return ctx.phrases("interviews.target.unused")
        met = meets_target(kappa, target)
        return ctx.phrases("interviews.target." + TARGET_STATUS[met])

    frame["target_status"] = [
        status(p, k) for p, k in zip(frame["prevalence"], frame["kappa"], strict=False)
    ]
    ci = _pct(a["ci_level"], ctx)
    h = ctx.phrases
    return blocks.results_table(
        ctx,
        frame,
        {
            "code_label": h("interviews.col.code"),
            "n_units": h("interviews.col.units"),
            "prevalence": h("interviews.col.prevalence"),
            "pct_agreement": h("interviews.col.pct_agreement"),
            "kappa_ci": h("interviews.col.kappa_ci", ci=ci),
            "pabak": "PABAK",
            "alpha_ci": h("interviews.col.alpha_ci", ci=ci),
            "target_status": h("interviews.col.meets_target", target=_num(target, 2, ctx)),
        },
        caption=h("interviews.agreement_caption", ci=ci),
        identifier=blocks.tbl_id("intercoder_agreement"),
        download="intercoder_agreement",
        formats={
            "code_label": "text",
            "n_units": "integer",
            "prevalence": "percent",
            "pct_agreement": "percent",
            "kappa_ci": "text",
            "alpha_ci": "text",
            "target_status": "text",
        },
        digits={"pabak": 2},
        download_columns={
            c: c
            for c in (
                "code",
                "theme",
                "n_units",
                "prevalence",
                "pct_agreement",
                "kappa",
                "kappa_ci_low",
                "kappa_ci_high",
                "pabak",
                "krippendorff_alpha",
                "alpha_ci_low",
                "alpha_ci_high",
            )
            if c in frame
        },
    )


# --- summary and limitations (read by sections/summary.py and limitations.py) -------------------
def key_findings(ctx: ReportContext) -> list[str]:
    """Headline sentences for the summary, from the same rule functions as the results."""
    if not ctx.study.has("interviews"):
        return []
    out = []
    total = total_interviews(ctx)
    if total is not None and not _missing(total):
        out.append(
            ctx.phrases(
                "interviews.summary_n", n=_int(total, ctx), stages=_int(len(stages(ctx)), ctx)
            )
        )
    if len(stages(ctx)) >= 2 and _test_rows(ctx) is not None:
        counts = change_counts(ctx, PROCESS)
        if counts.n:
            out.append(
                ctx.phrases(
                    f"interviews.summary_change.{counts.primary}",
                    k=_int(counts.k, ctx),
                    n=_int(counts.n, ctx),
                )
            )
        for kind in ("up", "down"):
            best = strongest(ctx, counts, kind)
            if best is not None:
                out.append(
                    ctx.phrases(
                        f"interviews.summary_strongest_{kind}",
                        theme=md.escape(theme_label(ctx, best.theme)),
                        r=_num(best.trend["effect_size"], 2, ctx),
                        pname=_pname(ctx),
                        p=_p(best.trend["p_adjusted"], ctx),
                        caveat=caveat(ctx, [best.theme]),
                    )
                )
    agr = agreement(ctx)
    if agr is not None and len(agr.assessable):
        out.append(
            ctx.phrases(
                "interviews.summary_agreement",
                k=_int(len(agr.meeting), ctx),
                n=_int(len(agr.assessable), ctx),
                target=_num(agreement_settings(ctx)["kappa_target"], 2, ctx),
            )
        )
    return out


def limitations(ctx: ReportContext) -> list[str]:
    """Limitations the interview results themselves show."""
    if not ctx.study.has("interviews"):
        return []
    out = []
    if not agreement_settings(ctx)["enabled"]:
        out.append(ctx.phrases("interviews.limitation_no_agreement"))
    agr = agreement(ctx)
    if agr is not None and len(agr.below):
        out.append(
            ctx.phrases(
                "interviews.limitation_below_target",
                k=_int(len(agr.below), ctx),
                n=_int(len(agr.assessable), ctx),
                target=_num(agreement_settings(ctx)["kappa_target"], 2, ctx),
            )
        )
    return out


# --- the section ------------------------------------------------------------------------------
def build(ctx: ReportContext) -> str:
    if not ctx.study.has("interviews"):
        return ""
    h = ctx.phrases
    link = f"[{h('heading.interviews_stakeholders')}](#sec-interviews-stakeholders)"
    return md.blocks(
        counts_paragraph(ctx),
        md.heading(h("heading.interviews_themes"), 4, "sec-interviews-themes"),
        h("interviews.themes_intro.themes_stakeholders", stakeholders=link)
        if has_stakeholders(ctx)
        else "",
        prevalence_paragraph(ctx),
        prevalence_table(ctx),
        blocks.figure(ctx, "theme_stage_heatmap"),
        change_paragraph(ctx),
        blocks.figure(ctx, "theme_trajectories"),
        stage_tests_table(ctx),
        md.heading(h("heading.interviews_quotes"), 4, "sec-interviews-quotes"),
        quotes_block(ctx),
        md.heading(h("heading.interviews_cooccurrence"), 4, "sec-interviews-cooccurrence")
        if top_pair(ctx)
        else "",
        cooccurrence_paragraph(ctx),
        blocks.figure(ctx, "theme_cooccurrence") if top_pair(ctx) else "",
        stakeholder_block(ctx),
        agreement_block(ctx),
    )
