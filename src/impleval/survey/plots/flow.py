"""The participant-flow figure: submissions remaining after each cleaning step (from the
participant_flow table that survey.io.flow writes: step ids and counts only; the steps are
worded here, in the figure's language, with the study's thresholds)."""

from __future__ import annotations

import pandas as pd

from impleval import fmt
from impleval.figures import OKABE_ITO

FIGURE_TEXT = {
    "nb": {
        "caption": "Deltakerflyt i spørreundersøkelsen: gjenværende svar etter hvert rensetrinn "
        "(tall i parentes: fjernet i trinnet).",
        "alt": (
            "Liggende stolper, én per rensetrinn. {received} svar kom inn; {analysed} gjensto til "
            "analyse etter at {removed} ble fjernet."
        ),
        "xlabel": "Gjenværende svar",
    },
    "en": {
        "caption": "Survey participant flow: submissions remaining after each cleaning step "
        "(in brackets: removed at that step).",
        "alt": (
            "Horizontal bars, one per cleaning step. {received} submissions were received; "
            "{analysed} remained for analysis after {removed} were removed."
        ),
        "xlabel": "Submissions remaining",
    },
}


# Step labels: method text, the same for every study; thresholds come from survey.yaml.
STEP_LABELS = {
    "nb": {
        "received": "Innsendte svar",
        "test_submissions": "Testinnsendinger før feltstart {fielding_start}",
        "duplicates": "Duplikater (identiske svar på alle spørsmål)",
        "out_of_scope_role": "Rolle utenfor studien eller arbeidssted mangler",
        "too_few_items": "For få spørsmål besvart (under {min_items_share})",
        "too_fast": "Urimelig rask besvarelse (under {min_answer_time_s} sekunder)",
        "analysed": "Analysert",
    },
    "en": {
        "received": "Submissions received",
        "test_submissions": "Test submissions before fielding started {fielding_start}",
        "duplicates": "Duplicates (identical answers to every question)",
        "out_of_scope_role": "Role outside the study or workplace missing",
        "too_few_items": "Too few items answered (below {min_items_share})",
        "too_fast": "Implausibly fast (under {min_answer_time_s} seconds)",
        "analysed": "Analysed",
    },
}


def step_labels(cleaning: dict, language: str = "nb") -> dict[str, str]:
    """Each flow step in words, with the study's thresholds (survey.yaml → cleaning)."""
    start = cleaning.get("fielding_start") or ""
    if start:
        start = pd.Timestamp(start).strftime("%d.%m.%Y" if language == "nb" else "%Y-%m-%d")
    context = {
        "fielding_start": start,
        "min_items_share": fmt.percent(cleaning["min_items_share"], 0, language),
        "min_answer_time_s": fmt.integer(cleaning["min_answer_time_s"], language),
    }
    return {step: text.format(**context) for step, text in STEP_LABELS[language].items()}


def plot_flow(flow: pd.DataFrame, language: str, labels: dict[str, str]):
    """Horizontal bars of submissions remaining per step (`labels`: step id → words). Returns
    (figure, caption, alt text)."""
    import matplotlib.pyplot as plt

    labels = [labels[s] for s in flow["step"]]
    remaining = flow["n_remaining"].to_numpy()
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(flow) + 1.0))
    y = range(len(flow))[::-1]
    colours = [OKABE_ITO[0]] + [OKABE_ITO[4]] * (len(flow) - 2) + [OKABE_ITO[2]]
    ax.barh(list(y), remaining, color=colours[: len(flow)], height=0.6)
    for yi, row in zip(y, flow.itertuples(), strict=True):
        note = fmt.integer(row.n_remaining, language)
        if row.step not in ("received", "analysed"):
            note += f" (−{fmt.integer(row.n_removed, language)})"
        ax.text(row.n_remaining, yi, "  " + note, va="center", fontsize=9)
    ax.set_yticks(list(y), labels)
    ax.set_xlim(0, max(remaining.max(), 1) * 1.25)
    text = FIGURE_TEXT[language]
    ax.set_xlabel(text["xlabel"])
    received, analysed = int(remaining[0]), int(remaining[-1])
    alt = text["alt"].format(
        received=fmt.integer(received, language),
        analysed=fmt.integer(analysed, language),
        removed=fmt.integer(received - analysed, language),
    )
    return fig, text["caption"], alt
