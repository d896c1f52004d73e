"""analyse_survey: scale scores, reliability, group comparisons, adjusted models → tables + values."""

import pandas as pd
import yaml

from impleval.config import label, load_yaml
from impleval.outputs import atomic_path, write_csv, write_text
from impleval.runner import run
from impleval.survey.stats_analyse import analyse_survey
from impleval.survey.stats_settings import (add_outcome_labels, check_items_present,
                                            validate_settings)
from impleval.survey.stats_values import survey_values


def main(smk):
    settings = validate_settings(load_yaml(smk.input.analysis), file=smk.input.analysis,
                                 schema=smk.input.schema)
    respondents = pd.read_parquet(smk.input.respondents)
    responses = pd.read_parquet(smk.input.responses)
    check_items_present(settings, responses["item"].unique(), file=smk.input.responses)
    res = analyse_survey(respondents, responses, settings, min_cell=smk.params.min_cell,
                         seed=smk.params.seed)
    write_csv(res.group_summary, smk.output.group_summary)
    write_csv(res.reliability, smk.output.reliability)
    lang = smk.params.language
    organisation = load_yaml(smk.input.organisation)
    roles = next((q.get("options", []) for q in load_yaml(smk.input.survey)["questions"]
                  if q.get("id") == "role"), [])
    level_labels = {entry["id" if "id" in entry else "code"]: label({"x": entry["label"]}, "x", lang)
                    for entry in [*organisation["regions"], *roles]}
    write_csv(add_outcome_labels(res.omnibus, settings, lang), smk.output.omnibus)
    write_csv(add_outcome_labels(res.pairwise, settings, lang), smk.output.pairwise)
    ordinal = add_outcome_labels(res.ordinal, settings, lang)
    ordinal.insert(ordinal.columns.get_loc("level") + 1, "level_label",
                   [level_labels.get(v, v) for v in ordinal["level"]])
    write_csv(ordinal, smk.output.ordinal)
    with atomic_path(smk.output.scores) as tmp:  # respondent-level scores for the plot job
        res.scores.to_parquet(tmp, index=False)
    regions = {r["id"]: r["label"] for r in organisation["regions"]}
    values = survey_values(res, settings, region_labels=regions, language=smk.params.language,
                           min_cell=smk.params.min_cell)
    write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=True), smk.output.values)


run(snakemake, main)  # noqa: F821 (injected by Snakemake)
