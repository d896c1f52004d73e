"""Quote bank: a few short quotes per theme, chosen by a rule nobody can tweak after the fact.

Rule (settings in interviews-analysis.yaml → quotes): among the primary coder's segments of a
theme whose text length lies in [min_chars, max_chars], take the shortest; ties are broken by a
SHA-256 hash of (seed, interview, position), so the choice is reproducible and not anyone's pick;
with `one_per_interview` a theme never quotes the same interview twice, and never the same
words twice.

Attribution is by role and region only, never trust or stage. If fewer than `min_cell`
interviews share the quote's role and region, the attribution is coarsened (region dropped, then
role) so that a quote cannot single out a person.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from impleval.interviews.stats_study import ALL

QUOTE_COLUMNS = ["theme", "quote", "role", "region"]


def _tiebreak(seed: int, interview_id: str, position) -> str:
    return hashlib.sha256(f"{seed}|{interview_id}|{position}".encode()).hexdigest()


def select_quotes(segments: pd.DataFrame, themes: list[str], *, coder: str, per_theme: int,
                  min_chars: int, max_chars: int, one_per_interview: bool, seed: int) -> pd.DataFrame:
    s = segments[segments["coder"] == coder].copy()
    s["quote"] = s["text"].astype(str).str.strip().str.split().str.join(" ")
    s["length"] = s["quote"].str.len()
    s = s[(s["length"] >= min_chars) & (s["length"] <= max_chars)]
    s["tiebreak"] = [_tiebreak(seed, i, p) for i, p in zip(s["interview_id"], s["position"])]
    s = s.sort_values(["length", "tiebreak"], kind="stable")
    picked = []
    for theme in themes:
        cand = s[s["theme"] == theme]
        if one_per_interview:
            cand = cand.drop_duplicates("interview_id")
        cand = cand.drop_duplicates("quote")  # the same words twice add nothing to a quote bank
        picked.append(cand.head(per_theme))
    if not picked:
        return pd.DataFrame(columns=["interview_id", *QUOTE_COLUMNS])
    out = pd.concat(picked, ignore_index=True)
    return out[["interview_id", "theme", "quote", "role", "region"]]


def coarsen_attribution(quotes: pd.DataFrame, documents: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Replace role/region by "all" where the attributed group has fewer than `min_cell` interviews."""
    combo = documents.groupby(["role", "region"]).size().to_dict()
    by_role = documents["role"].value_counts().to_dict()
    by_region = documents["region"].value_counts().to_dict()
    roles, regions = [], []
    for role, region in zip(quotes["role"], quotes["region"]):
        if combo.get((role, region), 0) >= min_cell:
            roles.append(role), regions.append(region)
        elif by_role.get(role, 0) >= min_cell:
            roles.append(role), regions.append(ALL)
        elif by_region.get(region, 0) >= min_cell:
            roles.append(ALL), regions.append(region)
        else:
            roles.append(ALL), regions.append(ALL)
    return quotes.assign(role=roles, region=regions)


def quote_bank(segments: pd.DataFrame, documents: pd.DataFrame, themes: list[str], *, coder: str,
               settings: dict, seed: int, min_cell: int) -> pd.DataFrame:
    """Selected, attribution-coarsened quotes (not yet through the de-identification gate)."""
    q = select_quotes(segments, themes, coder=coder, per_theme=settings["per_theme"],
                      min_chars=settings["min_chars"], max_chars=settings["max_chars"],
                      one_per_interview=settings["one_per_interview"], seed=seed)
    q = coarsen_attribution(q, documents, min_cell)
    return q[QUOTE_COLUMNS].reset_index(drop=True)
