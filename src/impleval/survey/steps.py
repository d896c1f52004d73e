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
        {
            "on_hit": smk.params.on_hit,
            "names_file": names if isinstance(names, str) else None,
            "language": smk.params.language,
        },
        dict(smk.output),
    )


def plot_participant_flow(smk) -> None:
    """participant_flow.csv → the participant-flow figure."""
    import pandas as pd

    from impleval.figures import save_named, use_report_style
    from impleval.survey.plots.flow import plot_flow

    use_report_style()
    flow = pd.read_csv(
        smk.input.flow, dtype={"step": str, "description": str}, keep_default_na=False
    )
    fig, caption, alt = plot_flow(flow, smk.params.language)
    save_named(fig, smk.output, "participant_flow", caption=caption, alt=alt)


def analyse_survey(smk) -> None:
    """Scale scores, reliability, group comparisons, adjusted models → tables + values."""
    import pandas as pd
    import yaml

    from impleval.config import label, load_yaml
    from impleval.outputs import atomic_path, write_csv, write_text
    from impleval.survey.settings import add_outcome_labels, check_items_present, load_settings
    from impleval.survey.stats.analyse import analyse_survey as analyse
    from impleval.survey.values import survey_values

    settings = load_settings(smk.input.analysis, smk.input.schema)
    respondents = pd.read_parquet(smk.input.respondents)
    responses = pd.read_parquet(smk.input.responses)
    check_items_present(settings, responses["item"].unique(), file=smk.input.responses)
    res = analyse(
        respondents,
        responses,
        settings,
        min_cell=smk.params.min_cell,
        seed=smk.params.seed,
        parallel=True,  # model fits in a forked child beside the tests (one import, two cores)
    )
    write_csv(res.group_summary, smk.output.group_summary)
    write_csv(res.reliability, smk.output.reliability)
    lang = smk.params.language
    organisation = load_yaml(smk.input.organisation)
    roles = next(
        (
            q.get("options", [])
            for q in load_yaml(smk.input.survey)["questions"]
            if q.get("id") == "role"
        ),
        [],
    )
    level_labels = {
        entry["id" if "id" in entry else "code"]: label({"x": entry["label"]}, "x", lang)
        for entry in [*organisation["regions"], *roles]
    }
    write_csv(add_outcome_labels(res.omnibus, settings, lang), smk.output.omnibus)
    write_csv(add_outcome_labels(res.pairwise, settings, lang), smk.output.pairwise)
    ordinal = add_outcome_labels(res.ordinal, settings, lang)
    ordinal.insert(
        ordinal.columns.get_loc("level") + 1,
        "level_label",
        [level_labels.get(v, v) for v in ordinal["level"]],
    )
    write_csv(ordinal, smk.output.ordinal)
    with atomic_path(smk.output.scores) as tmp:  # respondent-level scores for the plot job
        res.scores.to_parquet(tmp, index=False)
    regions = {r["id"]: r["label"] for r in organisation["regions"]}
    values = survey_values(
        res,
        settings,
        region_labels=regions,
        language=smk.params.language,
        min_cell=smk.params.min_cell,
    )
    write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=True), smk.output.values)


def plot_survey(smk) -> None:
    """The four survey comparison figures with captions and alt text (report language)."""
    import pandas as pd

    from impleval.config import load_yaml
    from impleval.figures import save_named
    from impleval.survey.plots.figures import survey_figures
    from impleval.survey.settings import load_settings

    inp = smk.input
    settings = load_settings(inp.analysis, inp.schema)
    regions = {r["id"]: r["label"] for r in load_yaml(inp.organisation)["regions"]}
    figures = survey_figures(
        pd.read_parquet(inp.respondents),
        pd.read_parquet(inp.responses),
        pd.read_parquet(inp.scores),
        pd.read_csv(inp.pairwise),
        pd.read_csv(inp.ordinal),
        settings,
        regions,
        min_cell=smk.params.min_cell,
        language=smk.params.language,
        file=inp.analysis,
    )
    for name, fig, caption, alt in figures:
        save_named(fig, smk.output, name, caption=caption, alt=alt)
