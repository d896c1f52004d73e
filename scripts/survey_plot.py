"""plot_survey: the four survey comparison figures with captions and alt text (report language)."""

import pandas as pd

from impleval import fmt
from impleval.config import label, load_yaml
from impleval.figures import save_figure
from impleval.privacy.suppress import visible_groups
from impleval.runner import run
from impleval.survey import plots_survey as plots
from impleval.survey.stats_settings import group_vars, validate_settings

CAPTIONS = {
    "nb": {
        "survey_likert_bars": ("Svarfordeling per konstrukt og helseregion (1 = helt uenig, 5 = helt enig), "
                               "sentrert på midtpunktet; «ikke relevant / vet ikke» vist for seg til høyre.",
                               "Liggende stablede søyler per konstrukt og region. Andel uenig til venstre og enig "
                               "til høyre for midtlinjen; et eget panel viser andelen som svarte ikke relevant."),
        "survey_forest": ("Effektstørrelser med {ci}-konfidensintervall for hver region mot {ref}: skalaer "
                          "(Hedges g) til venstre, enkeltspørsmål (Cliffs δ) til høyre.",
                          "Forest-diagram: punkter med horisontale intervallstreker per skala og spørsmål, "
                          "én farge per region; nullinjen markerer ingen forskjell."),
        "survey_scale_distributions": ("Fordeling av skåre per skala og helseregion (boksplott). "
                                       "Grupper med færre enn {min_cell} svar er ikke vist.",
                                       "Boksplott av skalaskårer for hver region, ett panel per skala."),
        "survey_odds_ratios": ("Oddsratioer for høyere svar i hver region mot {ref} per spørsmål, uten og med "
                               "justering for profesjon (proporsjonal-odds-modell, {ci}-intervall).",
                               "Punkter med intervallstreker på log-skala, ett panel per region; ujusterte og "
                               "justerte estimater side om side for hvert spørsmål."),
    },
    "en": {
        "survey_likert_bars": ("Answers per construct and health region (1 = strongly disagree, 5 = strongly "
                               "agree), centred on the midpoint; 'not relevant / don't know' shown apart on the right.",
                               "Horizontal stacked bars per construct and region. Disagreement left and agreement "
                               "right of the centre line; a separate panel shows the share answering not relevant."),
        "survey_forest": ("Effect sizes with {ci} confidence intervals for each region against {ref}: scales "
                          "(Hedges g) left, single items (Cliff's delta) right.",
                          "Forest plot: points with horizontal interval lines per scale and item, one colour "
                          "per region; the zero line marks no difference."),
        "survey_scale_distributions": ("Distribution of scale scores by health region (box plots). Groups with "
                                       "fewer than {min_cell} answers are not shown.",
                                       "Box plots of scale scores for each region, one panel per scale."),
        "survey_odds_ratios": ("Odds ratios for higher answers in each region against {ref} per item, without and "
                               "with adjustment for profession (proportional-odds model, {ci} intervals).",
                               "Points with interval lines on a log scale, one panel per region; unadjusted and "
                               "adjusted estimates side by side for each item."),
    },
}


def main(smk):
    lang, min_cell = smk.params.language, smk.params.min_cell
    settings = validate_settings(load_yaml(smk.input.analysis), file=smk.input.analysis,
                                 schema=smk.input.schema)
    regions = {r["id"]: r["label"] for r in load_yaml(smk.input.organisation)["regions"]}
    region_labels = {k: label(regions, k, lang) for k in regions}
    gv = group_vars(settings)[0]
    respondents = pd.read_parquet(smk.input.respondents)
    responses = pd.read_parquet(smk.input.responses)
    scores = pd.read_parquet(smk.input.scores)
    groups = gv.order(visible_groups(respondents[gv.name].value_counts().to_dict(), min_cell))
    scale_labels = {s: label({s: d.get("label", s)}, s, lang) for s, d in settings["scales"].items()}
    block_labels = {**scale_labels, **{b: label(settings.get("item_group_labels", {}), b, lang)
                                      for b in settings["item_groups"] if b not in scale_labels}}
    ref = region_labels.get(gv.reference, gv.reference)
    ci = fmt.percent(settings["ci_level"], 0, lang)

    def save(name, fig):
        caption, alt = CAPTIONS[lang][name]
        out = smk.output
        save_figure(fig, out[f"{name}_svg"], out[f"{name}_png"], out[f"{name}_json"],
                    caption=caption.format(ref=ref, ci=ci, min_cell=min_cell), alt=alt)

    blocks = list(settings["scales"])  # constructs with agreement items
    items = {b: settings["scales"][b]["items"] for b in blocks}
    shares = plots.likert_shares(responses, respondents, items, gv.name, min_cell)
    save("survey_likert_bars", plots.likert_bars(shares, blocks, block_labels, groups, region_labels, lang))
    pairwise = pd.read_csv(smk.input.pairwise)
    outcomes = list(settings["scales"]) + [i for b in settings["item_groups"].values() for i in b]
    save("survey_forest", plots.forest(pairwise, outcomes, scale_labels, gv.name, gv.reference,
                                       [g for g in groups if g != gv.reference], region_labels, lang))
    save("survey_scale_distributions", plots.scale_distributions(
        scores, list(settings["scales"]), scale_labels, gv.name, groups, region_labels, min_cell, lang))
    ordinal = pd.read_csv(smk.input.ordinal)
    save("survey_odds_ratios", plots.odds_ratios(ordinal, settings.get("ordinal_items", []), gv.name,
                                                 gv.reference, [g for g in groups if g != gv.reference],
                                                 region_labels, lang))


run(snakemake, main)  # noqa: F821 (injected by Snakemake)
