"""The participant-flow diagram (CONSORT style): submissions received, removed at each cleaning
step and analysed (from the language-neutral participant_flow table), with the steps named in
the report language by the report's phrase book (`flow.<step>` in
report/phrases/participants.yml): one wording for the figure and the report text."""

from __future__ import annotations

import os

import pandas as pd

from impleval import fmt
from impleval.figures import FONT, WIDTH_IN, chars_per_line, wrap
from impleval.report.text import Phrases, join, load_phrases, pick

EDGE = "#333333"
MAIN_FACE = "#D6E9F8"  # light tint of Okabe–Ito blue
SIDE_FACE = "#F2F2F2"

FIGURE_TEXT = {
    "nb": {
        "caption": "Deltakerflyt i spørreundersøkelsen (CONSORT-stil): innsendte svar øverst, svar "
        "fjernet i hvert rensetrinn i boksene til høyre (i den rekkefølgen trinnene ble brukt) og "
        "svar som ble analysert nederst.",
        "alt": (
            "Flytdiagram. {received} svar kom inn; {removed} ble fjernet i rensetrinnene "
            "({steps}); {analysed} ble analysert."
        ),
        "excluded": "Fjernet",
    },
    "en": {
        "caption": "Survey participant flow (CONSORT style): submissions received at the top, "
        "submissions removed at each cleaning step in the boxes on the right (in the order the "
        "steps were applied) and submissions analysed at the bottom.",
        "alt": (
            "Flow diagram. {received} submissions were received; {removed} were removed in the "
            "cleaning steps ({steps}); {analysed} were analysed."
        ),
        "excluded": "Removed",
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
    """A CONSORT-style flow diagram: the submissions received, one box per cleaning step on the
    right with the number removed there, and the submissions analysed; arrows between them.
    Returns (figure, caption, alt text).

    `phrases`: the report's phrase file or folder holding the `flow.<step>` labels. Drawn in
    inches (axes = figure) so that boxes fit their wrapped text at the report's font sizes."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    folder = phrases if os.path.isdir(phrases) else os.path.dirname(phrases)
    book = load_phrases(folder, language)
    text = FIGURE_TEXT[language]
    steps = flow[~flow["step"].isin(["received", "analysed"])]
    received = int(flow["n_remaining"].iloc[0])
    analysed = int(flow["n_remaining"].iloc[-1])

    def count(n) -> str:
        return f"n\u00a0=\u00a0{fmt.integer(n, language)}"

    # Geometry (inches): the trunk of main boxes on the left, the removals on the right.
    width = WIDTH_IN
    main_x, main_w = 0.1, 3.2
    side_x = main_x + main_w + 0.9
    side_w = width - side_x - 0.1
    line_h = 1.3 * FONT / 72
    pad, gap = 0.12, 0.22
    side_chars = chars_per_line(side_w - 2 * pad, FONT)
    main_chars = chars_per_line(main_w - 2 * pad, FONT)

    def box_height(lines: int) -> float:
        return lines * line_h + 2 * pad

    top = [wrap(step_label("received", survey, book), main_chars), count(received)]
    bottom = [wrap(step_label("analysed", survey, book), main_chars), count(analysed)]
    sides = [
        [
            wrap(f"{text['excluded']}: {step_label(row.step, survey, book)}", side_chars),
            count(row.n_removed),
        ]
        for row in steps.itertuples(index=False)
    ]

    def n_lines(parts) -> int:
        return sum(p.count("\n") + 1 for p in parts)

    heights = [box_height(n_lines(p)) for p in sides]
    top_h, bottom_h = box_height(n_lines(top)), box_height(n_lines(bottom))
    total = top_h + gap + sum(h + gap for h in heights) + gap + bottom_h
    fig = plt.figure(figsize=(width, total + 0.1))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, total + 0.1)
    ax.axis("off")

    def draw_box(x, y_top, w, h, parts, face):
        ax.add_patch(
            FancyBboxPatch(
                (x, y_top - h),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.06",
                linewidth=1.2,
                edgecolor=EDGE,
                facecolor=face,
            )
        )
        ax.text(
            x + pad,
            y_top - h / 2,
            "\n".join(parts),
            va="center",
            ha="left",
            fontsize=FONT,
            linespacing=1.3,
        )

    def arrow(start, end):
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={"arrowstyle": "-|>", "color": EDGE, "lw": 1.2, "shrinkA": 0, "shrinkB": 0},
        )

    y = total + 0.05
    draw_box(main_x, y, main_w, top_h, top, MAIN_FACE)
    trunk_x = main_x + main_w / 2
    trunk_top = y - top_h
    y = trunk_top - gap
    for parts, h in zip(sides, heights, strict=True):
        middle = y - h / 2
        draw_box(side_x, y, side_w, h, parts, SIDE_FACE)
        arrow((trunk_x, middle), (side_x, middle))
        y -= h + gap
    y -= gap
    ax.plot([trunk_x, trunk_x], [trunk_top, y + 0.02], color=EDGE, lw=1.2)
    arrow((trunk_x, y + 0.02), (trunk_x, y))
    draw_box(main_x, y, main_w, bottom_h, bottom, MAIN_FACE)
    removed = [
        book(
            "flow.removed",
            reason=step_label(r.step, survey, book),
            n=fmt.integer(r.n_removed, language),
        )
        for r in steps.itertuples(index=False)
    ]
    alt = text["alt"].format(
        received=fmt.integer(received, language),
        analysed=fmt.integer(analysed, language),
        removed=fmt.integer(received - analysed, language),
        steps="; ".join(removed),
    )
    return fig, text["caption"], alt
