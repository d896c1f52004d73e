"""Axis labels and number formatting shared by the survey comparison figures."""

from __future__ import annotations

TEXT = {
    "nb": {
        "share": "Andel svar (%)",
        "nr": "Ikke relevant / vet ikke (%)",
        "g": "Hedges g (region − {ref}; > 0: regionen høyere)",
        "delta": "Cliffs δ (region − {ref}; > 0: regionen høyere)",
        "or": "Oddsratio (mot {ref}, log-skala)",
        "unadjusted": "Ujustert",
        "adjusted": "Justert for profesjon",
        "score": "Skåre (1–5)",
        "disagree": "Uenig",
        "neutral": "Nøytral",
        "agree": "Enig",
    },
    "en": {
        "share": "Share of answers (%)",
        "nr": "Not relevant / don't know (%)",
        "g": "Hedges g (region − {ref}; > 0: region higher)",
        "delta": "Cliff's δ (region − {ref}; > 0: region higher)",
        "or": "Odds ratio (vs {ref}, log scale)",
        "unadjusted": "Unadjusted",
        "adjusted": "Adjusted for profession",
        "score": "Score (1–5)",
        "disagree": "Disagree",
        "neutral": "Neutral",
        "agree": "Agree",
    },
}


def decimal_comma(axis, language: str) -> None:
    """Tick labels with the report language's decimal mark (bokmål: comma)."""
    if language == "nb":
        axis.set_major_formatter(lambda v, _: f"{v:g}".replace("-", "\u2212").replace(".", ","))
