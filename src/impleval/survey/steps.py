"""The survey rules' steps: one function per rule, called by `scripts/<rule>.py` as
`run(snakemake, <rule>)`. Each reads `smk.input` / `smk.params`, calls the library and writes
`smk.output`. The impleval imports sit inside each step, so that one job imports (and declares as
its code inputs, workflow/rules/common.smk) only the modules of its own step.
"""

from __future__ import annotations


def prepare_survey(smk) -> None:
    """Survey export → canonical survey tables and participant flow (docs/data/survey.md)."""
    from impleval.survey.io.prepare import run_prepare

    names = smk.input.get("names", [])  # [] when config names no names file
    run_prepare(
        {"format": smk.params.format, **{key: smk.input[key] for key in smk.params.export_keys}},
        {
            "survey": smk.input.survey,
            "organisation": smk.input.organisation,
            "schema": smk.input.schema,
        },
        {"on_hit": smk.params.on_hit, "names_file": names if isinstance(names, str) else None},
        dict(smk.output),
    )


def plot_participant_flow(smk) -> None:
    """participant_flow.csv → the participant-flow figure in the report language (`{lang}`)."""
    import pandas as pd

    from impleval.figures import save_named, use_report_style
    from impleval.survey.plots.flow import plot_flow
    from impleval.survey.settings import load_study

    use_report_style()
    flow = pd.read_csv(smk.input.flow, dtype={"step": str}, keep_default_na=False)
    instrument = load_study(smk.input.survey, smk.input.organisation, smk.input.schema)
    fig, caption, alt = plot_flow(flow, instrument.config, smk.input.phrases, smk.wildcards.lang)
    save_named(fig, smk.output, "participant_flow", caption=caption, alt=alt)


def analyse_survey(smk) -> None:
    """Scale scores, reliability, group comparisons, adjusted models, respondent
    characteristics → language-neutral tables (ids and numbers) + facts."""
    import pandas as pd
    import yaml

    from impleval.config import load_yaml
    from impleval.outputs import atomic_path, write_csv, write_text
    from impleval.survey.settings import add_constructs, check_items_present, load_settings
    from impleval.survey.stats.analyse import analyse_survey as analyse
    from impleval.survey.stats.characteristics import (
        RESPONSE_RATE_COLUMNS,
        respondent_characteristics,
        response_rates,
    )
    from impleval.survey.values import survey_facts

    settings = load_settings(smk.input.analysis, smk.input.schema)
    respondents = pd.read_parquet(smk.input.respondents)
    responses = pd.read_parquet(smk.input.responses)
    check_items_present(settings, responses["item"].unique(), file=smk.input.responses)
    characteristics = respondent_characteristics(
        respondents,
        settings,
        load_yaml(smk.input.survey),
        load_yaml(smk.input.organisation),
        min_cell=smk.params.min_cell,
    )
    # The group summary hides every group whose respondent count this table hides: one pattern.
    one_way = characteristics[characteristics["by"] == "all"]
    hidden = {
        (str(v), str(g))
        for v, g, h in one_way[["variable", "level", "suppressed"]].itertuples(index=False)
        if h
    }
    res = analyse(
        respondents,
        responses,
        settings,
        min_cell=smk.params.min_cell,
        seed=smk.params.seed,
        hidden_groups=hidden,
        parallel=True,  # model fits in a forked child beside the tests (one import, two cores)
    )
    write_csv(res.group_summary, smk.output.group_summary)
    write_csv(res.reliability, smk.output.reliability)
    write_csv(add_constructs(res.omnibus, settings), smk.output.omnibus)
    write_csv(add_constructs(res.pairwise, settings), smk.output.pairwise)
    write_csv(add_constructs(res.ordinal, settings), smk.output.ordinal)
    write_csv(characteristics, smk.output.respondent_table)
    # Response rates where the study declares who was invited; otherwise an empty table (the
    # report then says that the denominator is unknown).
    invited = load_yaml(smk.input.survey).get("invited")
    rates = (
        response_rates(
            pd.read_parquet(smk.input.submissions),
            invited,
            load_yaml(smk.input.organisation),
            min_cell=smk.params.min_cell,
        )
        if invited
        else pd.DataFrame(columns=RESPONSE_RATE_COLUMNS)
    )
    write_csv(rates, smk.output.response_rates)
    write_csv(res.adjusted_scales, smk.output.adjusted_scales)
    with atomic_path(smk.output.scores) as tmp:  # respondent-level scores for the plot job
        res.scores.to_parquet(tmp, index=False)
    write_text(
        yaml.safe_dump(survey_facts(res, settings), allow_unicode=True, sort_keys=True),
        smk.output.values,
    )


def plot_survey(smk) -> None:
    """The four survey comparison figures with captions and alt text, in the report language
    of the job (`{lang}`), labelled with the report's own labels."""
    import pandas as pd

    from impleval.config import load_yaml
    from impleval.figures import save_named
    from impleval.survey.plots.figures import study_labels, survey_figures
    from impleval.survey.settings import load_settings

    inp = smk.input
    language = smk.wildcards.lang
    settings = load_settings(inp.analysis, inp.schema)
    survey = load_yaml(inp.survey)
    labels = study_labels(
        settings,
        load_yaml(inp.organisation),
        survey,
        load_yaml(inp.report),
        inp.phrases,
        language,
    )
    figures = survey_figures(
        pd.read_parquet(inp.respondents),
        pd.read_parquet(inp.responses),
        pd.read_parquet(inp.scores),
        pd.read_csv(inp.pairwise),
        pd.read_csv(inp.ordinal),
        settings,
        labels,
        survey=survey,
        min_cell=smk.params.min_cell,
        language=language,
        file=inp.analysis,
    )
    for name, fig, caption, alt in figures:
        save_named(fig, smk.output, name, caption=caption, alt=alt)
