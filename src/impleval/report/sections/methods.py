"""Methods: design, each strand's data collection and analysis, integration, privacy and
disclosure control, ethics and software (GRAMMS 1–4, SRQR 6–14, COREQ 1–24, STROBE 4–12,
CHERRIES design to analysis).

What the pipeline does is generated from the study's settings (tests, thresholds, families,
seeds), so the methods text cannot drift from the analysis; what only the study team knows
(sampling, recruitment, interviewing, reflexivity, ethics) is their prose, with a visible box
when it has not been written.
"""

from __future__ import annotations

from impleval import fmt
from impleval.report import blocks
from impleval.report import markdown as md
from impleval.report.context import ReportContext
from impleval.report.sections.monitoring import site_se_method
from impleval.report.sections.participants import step_label
from impleval.report.text import join

# Prose topics of the study team, by methods subsection (file <topic>.<lang>.md).
SURVEY_PROSE = ("survey_recruitment", "survey_instrument")
INTERVIEW_PROSE = (
    "research_team",
    "qualitative_sampling",
    "qualitative_data_collection",
    "qualitative_coding",
    "reflexivity",
    "saturation",
)
EXPORTS = {
    "maxqda": "MAXQDA",
    "qualcoder": "QualCoder",
    "qualcoder_xlsx": "QualCoder",
    "refi_qda": "REFI-QDA",
}


def _h(ctx: ReportContext, key: str, ident: str, level: int = 3) -> str:
    return md.heading(ctx.phrases(key), level, ident)


def design(ctx: ReportContext) -> str:
    strands = [ctx.phrases(f"strand.{s}") for s in ctx.study.strands]
    missing = [
        ctx.phrases(f"strand.{s}")
        for s in ("survey", "interviews", "monitoring")
        if not ctx.study.has(s)
    ]
    org = ctx.study.organisation
    text = ctx.phrases(
        "methods.design",
        strands=join(strands, ctx.language),
        n=fmt.integer(len(strands), ctx.language),
    )
    if missing:
        text += " " + ctx.phrases("methods.design_absent", strands=join(missing, ctx.language))
    text += " " + ctx.phrases(
        "methods.organisation",
        regions=fmt.integer(len(org.get("regions", [])), ctx.language),
        trusts=fmt.integer(len(org.get("trusts", [])), ctx.language),
        sites=fmt.integer(len(org.get("sites", [])), ctx.language),
    )
    return md.blocks(text, blocks.prose(ctx, "design"))


# --- survey ------------------------------------------------------------------------------
def survey_instrument(ctx: ReportContext) -> str:
    analysis = ctx.study.survey_analysis or {}
    scales = [
        ctx.phrases(
            "methods.scale_items",
            scale=ctx.labels.scale(s),
            n=fmt.integer(len(d["items"]), ctx.language),
        )
        for s, d in analysis.get("scales", {}).items()
    ]
    items = [i for group in analysis.get("item_groups", {}).values() for i in group]
    missing_codes = []
    for scale in (ctx.study.survey or {}).get("response_scales", {}).values():
        for option in scale.get("options", []):
            if option.get("missing"):
                missing_codes.append(
                    f"«{md.escape(ctx.labels.text(option.get('label'), option['code']))}»"
                    if ctx.language == "nb"
                    else f"'{md.escape(ctx.labels.text(option.get('label'), option['code']))}'"
                )
    text = ctx.phrases(
        "methods.survey_instrument",
        n_items=fmt.integer(len(items), ctx.language),
        n_scales=fmt.integer(len(scales), ctx.language),
        scales=join(scales, ctx.language),
        key=f"@{blocks.tbl_id('item_key')}",
    )
    if missing_codes:
        text += " " + ctx.phrases(
            "methods.survey_missing_codes",
            codes=join(list(dict.fromkeys(missing_codes)), ctx.language),
        )
    return text


def survey_cleaning(ctx: ReportContext) -> str:
    steps = (ctx.study.survey or {}).get("cleaning", {}).get("steps", [])
    if not steps:
        return ""
    labels = [step_label(ctx, s) for s in steps]
    return ctx.phrases("methods.survey_cleaning", steps="; ".join(labels))


def survey_analysis(ctx: ReportContext) -> str:
    a = ctx.study.survey_analysis or {}
    boot = a.get("bootstrap", {})
    lang = ctx.language
    gvs = a.get("group_vars", [])
    primary = gvs[0] if gvs else {"name": "region"}
    parts = [
        ctx.phrases(
            "methods.survey_scores", share=fmt.percent(a.get("min_answered_share", 2 / 3), 0, lang)
        ),
        ctx.phrases(
            "methods.survey_reliability", n_boot=fmt.integer(boot.get("n_boot_omega", 200), lang)
        ),
        ctx.phrases(
            "methods.survey_comparisons",
            groups=join([ctx.labels.group_var(g["name"], plural=True) for g in gvs], lang),
            reference=ctx.labels.group_level(primary["name"], primary.get("reference", "")),
            n_boot=fmt.integer(boot.get("n_boot", 999), lang),
        ),
    ]
    model = a.get("adjusted_model")
    if model:
        parts.append(
            ctx.phrases(
                "methods.survey_adjusted",
                group=ctx.labels.group_var(model["group_var"]),
                covariates=join(
                    [ctx.labels.group_var(c) for c in model.get("covariates", [])], lang
                ),
            )
        )
    if a.get("categorical_items"):
        parts.append(ctx.phrases("methods.survey_categorical"))
    families = [
        ctx.phrases(f"methods.family.{name}", method=ctx.phrases(f"adjust.{f['method']}"))
        for name, f in a.get("multiplicity", {}).items()
        if ctx.phrases.has(f"methods.family.{name}")
    ]
    if families:
        parts.append(ctx.phrases("methods.survey_families", list=join(families, lang)))
    parts.append(
        ctx.phrases(
            "methods.survey_levels",
            alpha=fmt.number(a.get("alpha", 0.05), 2, lang),
            ci=fmt.percent(a.get("ci_level", 0.95), 0, lang),
        )
    )
    return " ".join(parts)


def survey(ctx: ReportContext) -> str:
    if not ctx.study.has("survey"):
        return ""
    return md.blocks(
        _h(ctx, "heading.methods_survey", "sec-methods-survey"),
        survey_instrument(ctx),
        blocks.prose(ctx, "survey_instrument"),
        md.heading(ctx.phrases("heading.methods_recruitment"), 4, "sec-methods-survey-recruitment"),
        ctx.phrases("methods.survey_platform", start=_fielding(ctx)),
        blocks.prose(ctx, "survey_recruitment"),
        md.heading(ctx.phrases("heading.methods_cleaning"), 4, "sec-methods-survey-cleaning"),
        survey_cleaning(ctx),
        md.heading(ctx.phrases("heading.methods_analysis"), 4, "sec-methods-survey-analysis"),
        survey_analysis(ctx),
    )


def _fielding(ctx: ReportContext) -> str:
    start = (ctx.study.survey or {}).get("cleaning", {}).get("fielding_start")
    if not start:
        return ctx.phrases("methods.fielding_unknown")
    return fmt.date(start, ctx.language)


# --- interviews --------------------------------------------------------------------------
def interviews(ctx: ReportContext) -> str:
    if not ctx.study.has("interviews"):
        return ""
    study, a = ctx.study.interviews, ctx.study.interviews_analysis or {}
    lang = ctx.language
    stages = [
        ctx.phrases(
            "methods.stage_period",
            stage=ctx.labels.stage(s["id"]),
            start=fmt.date(s["period"]["start"], lang),
            end=fmt.date(s["period"]["end"], lang),
        )
        if s.get("period")
        else ctx.labels.stage(s["id"])
        for s in study.get("stages", [])
    ]
    tool = EXPORTS.get(ctx.study.settings.get("interview_format", ""), "")
    themes = set(study.get("themes", {}).values())
    coding = ctx.phrases(
        "methods.interview_coding",
        tool=tool or "–",
        n_codes=fmt.integer(len(study.get("themes", {})), lang),
        n_themes=fmt.integer(len(themes), lang),
        stages=join(stages, lang),
        n_stages=fmt.integer(len(stages), lang),
    )
    tests = a.get("stage_tests", {})
    analysis = [ctx.phrases("methods.interview_prevalence")]
    if tests.get("tests"):
        analysis.append(
            ctx.phrases(
                "methods.interview_tests",
                tests=join([ctx.phrases(f"methods.stage_test.{t}") for t in tests["tests"]], lang),
                primary=ctx.phrases(
                    f"methods.stage_test.{tests.get('primary', tests['tests'][0])}"
                ),
                adjust=ctx.phrases(f"adjust.{tests.get('adjust', 'none')}"),
                families=ctx.phrases(
                    f"methods.stage_families.{tests.get('families', 'all_themes')}"
                ),
            )
        )
    analysis.append(ctx.phrases("methods.interview_cooccurrence"))
    agreement = a.get("agreement", {})
    if agreement.get("enabled", True):
        analysis.append(
            ctx.phrases(
                "methods.interview_agreement",
                unit=ctx.phrases(f"methods.unit.{agreement.get('unit', 'interview')}"),
                kappa=fmt.number(agreement.get("kappa_target", 0.8), 2, lang),
                reliable=fmt.number(agreement.get("alpha_reliable", 0.8), 2, lang),
                tentative=fmt.number(agreement.get("alpha_tentative", 0.667), 3, lang),
                n_boot=fmt.integer(agreement.get("n_boot", 1000), lang),
            )
        )
    else:
        analysis.append(ctx.phrases("methods.interview_no_agreement"))
    quotes = a.get("quotes", {})
    if quotes:
        analysis.append(
            ctx.phrases(
                "methods.interview_quotes",
                low=fmt.integer(quotes.get("min_chars", 40), lang),
                high=fmt.integer(quotes.get("max_chars", 220), lang),
            )
        )
    parts = [_h(ctx, "heading.methods_interviews", "sec-methods-interviews")]
    for topic in INTERVIEW_PROSE:
        parts += [
            md.heading(ctx.phrases(f"heading.{topic}"), 4, f"sec-{topic.replace('_', '-')}"),
            blocks.prose(ctx, topic),
        ]
        if topic == "qualitative_coding":
            parts.append(coding)
    parts += [
        md.heading(ctx.phrases("heading.methods_analysis"), 4, "sec-methods-interviews-analysis"),
        " ".join(analysis),
    ]
    return md.blocks(*parts)


# --- monitoring --------------------------------------------------------------------------
def monitoring(ctx: ReportContext) -> str:
    if not ctx.study.has("monitoring"):
        return ""
    m = ctx.study.monitoring
    lang = ctx.language
    an = m.get("analysis", {})
    outcomes = [
        ctx.phrases(
            "methods.outcome",
            outcome=ctx.labels.outcome(o),
            unit=ctx.labels.unit(o) or "–",
            model=ctx.phrases(f"methods.model.{d.get('model', 'ols_hac')}"),
        )
        for o, d in m.get("outcomes", {}).items()
    ]
    season = ctx.phrases(
        f"methods.season.{an.get('seasonality', 'fourier')}",
        k=fmt.integer(an.get("fourier_harmonics", 2), lang),
    )
    holidays = [
        ctx.phrases(f"methods.holiday.{h}") for h in ("july_holiday", "easter") if an.get(h)
    ]
    text = [
        ctx.phrases(
            "methods.monitoring_data",
            frequency=ctx.phrases(f"methods.frequency.{m.get('frequency', 'auto')}"),
            outcomes=join(outcomes, lang),
        ),
        ctx.phrases(
            "methods.monitoring_model",
            season=season,
            holidays=join(holidays, lang) if holidays else ctx.phrases("methods.no_holidays"),
            horizons=join([fmt.integer(h, lang) for h in an.get("horizons_weeks", [])], lang),
        ),
        ctx.phrases(
            "methods.monitoring_se",
            method=ctx.phrases(f"mon.se_short.{site_se_method(ctx)}"),
        ),
        ctx.phrases("methods.monitoring_pooled"),
        ctx.phrases(
            "methods.monitoring_baseline",
            warn=fmt.integer(an.get("baseline", {}).get("warn_below", 12), lang),
            refuse=fmt.integer(an.get("baseline", {}).get("refuse_below", 3), lang),
        ),
    ]
    if an.get("phase_in_weeks"):
        text.append(
            ctx.phrases(
                "methods.monitoring_phase_in", weeks=fmt.integer(an["phase_in_weeks"], lang)
            )
        )
    precision = an.get("precision")
    if precision:
        text.append(
            ctx.phrases(
                "methods.monitoring_precision",
                power=fmt.percent(precision.get("power", 0.8), 0, lang),
            )
        )
    return md.blocks(
        _h(ctx, "heading.methods_monitoring", "sec-methods-monitoring"),
        " ".join(text),
        blocks.prose(ctx, "monitoring_data"),
    )


# --- integration, privacy, ethics, software ----------------------------------------------
def integration(ctx: ReportContext) -> str:
    if len(ctx.study.strands) < 2:
        return ""
    return md.blocks(
        _h(ctx, "heading.methods_integration", "sec-methods-integration"),
        ctx.phrases("methods.integration"),
        blocks.prose(ctx, "integration_approach"),
    )


def privacy(ctx: ReportContext) -> str:
    deid = ctx.study.settings.get("deid", {})
    parts = [
        ctx.phrases(
            "methods.deid", action=ctx.phrases(f"methods.deid_{deid.get('on_hit', 'fail')}")
        ),
        ctx.phrases("methods.disclosure", min_cell=fmt.integer(ctx.min_cell, ctx.language)),
    ]
    if ctx.study.has("interviews"):
        parts.append(ctx.phrases("methods.quote_attribution"))
    return md.blocks(_h(ctx, "heading.methods_privacy", "sec-methods-privacy"), " ".join(parts))


def ethics(ctx: ReportContext) -> str:
    return md.blocks(_h(ctx, "heading.ethics", "sec-ethics"), blocks.prose(ctx, "ethics"))


def software(ctx: ReportContext) -> str:
    prov = ctx.results.provenance
    packages = prov.get("packages", {})
    listed = [
        f"{name} {version}" for name, version in sorted(packages.items()) if name in SOFTWARE_CITED
    ]
    cites = "; ".join(
        f"@{SOFTWARE_CITED[name]}" for name in sorted(packages) if name in SOFTWARE_CITED
    )
    return md.blocks(
        _h(ctx, "heading.software", "sec-software"),
        ctx.phrases(
            "methods.software",
            python=md.escape(prov.get("python", "–")),
            packages=md.escape(join(listed, ctx.language)),
            cites=f"[{cites}]" if cites else "",
            seed=str(ctx.study.settings.get("seed", "–")),
        ),
    )


SOFTWARE_CITED = {
    "pandas": "mckinney2010",
    "scipy": "virtanen2020",
    "statsmodels": "seabold2010",
    "pingouin": "vallat2018",
    "scikit-posthocs": "terpilowski2019",
    "snakemake": "molder2021",
}


def build(ctx: ReportContext) -> str:
    return md.blocks(
        _h(ctx, "heading.design", "sec-design"),
        design(ctx),
        survey(ctx),
        interviews(ctx),
        monitoring(ctx),
        integration(ctx),
        privacy(ctx),
        ethics(ctx),
        software(ctx),
    )
