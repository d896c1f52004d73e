"""The participant-flow figure: submissions remaining after each cleaning step (from the
language-neutral participant_flow table), with the steps named in the report language by the
report's phrase book (`flow.<step>` in report/phrases/participants.yml): one wording for the
figure and the report text."""

from __future__ import annotations

import os

import pandas as pd

from impleval import fmt
from impleval.figures import OKABE_ITO
from impleval.report.text import Phrases, join, load_phrases, pick

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


def step_label(step: str, survey: dict, phrases: Phrases) -> str:
    """A cleaning step in words, with the study's own thresholds (survey definition `cleaning`)."""
    language = phrases.language
    cleaning = survey.get("cleaning", {})
    intervention = pick(survey.get("intervention"), language)
    texts = {q["id"]: pick(q.get("text"), language, q["id"]) for q in survey.get("questions", [])}
    questions = [
        texts.get(q, q).replace("{intervention}", intervention)
        for q in cleaning.get("min_items_questions", [])
    ]
    return phrases(
        f"flow.{step}",
        fielding_start=fmt.date(cleaning.get("fielding_start") or None, language),
        min_items_share=fmt.percent(cleaning.get("min_items_share", 0), 0, language),
        questions=join(questions, language),
        min_answer_time_s=fmt.integer(cleaning.get("min_answer_time_s", 0), language),
    )


def plot_flow(flow: pd.DataFrame, survey: dict, phrases: str | os.PathLike, language: str):
    """Horizontal bars of submissions remaining per step. Returns (figure, caption, alt text).

    `phrases`: the report's phrase file or folder holding the `flow.<step>` labels."""
    import matplotlib.pyplot as plt

    folder = phrases if os.path.isdir(phrases) else os.path.dirname(phrases)
    book = load_phrases(folder, language)
    labels = [step_label(s, survey, book) for s in flow["step"]]
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
