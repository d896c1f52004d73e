"""Quote bank: a few short quotes per theme, chosen by a rule nobody can tweak after the fact.

Rule (settings in interviews-analysis.yaml → quotes): among the primary coder's segments of a
theme whose text length lies in [min_chars, max_chars], take the shortest; ties are broken by a
SHA-256 hash of (seed, interview, position), so the choice is reproducible and not anyone's pick;
with `one_per_interview` a theme never quotes the same interview twice, and never the same
words twice.

Attribution is by role and region only, never trust or stage. Coarsening is decided per role
for the whole quote bank, not per quote: if any region cell of a role has fewer than `min_cell`
interviews, the region is dropped from every quote of that role (otherwise a lone "Role" quote
beside "Role, region" quotes would betray that it comes from a small region); if the role itself
has fewer than `min_cell` interviews, the role is dropped too.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from impleval.interviews.settings import ALL

QUOTE_COLUMNS = ["theme", "quote", "role", "region"]


def _tiebreak(seed: int, interview_id: str, position) -> str:
    return hashlib.sha256(f"{seed}|{interview_id}|{position}".encode()).hexdigest()


def select_quotes(
    segments: pd.DataFrame,
    themes: list[str],
    *,
    coder: str,
    per_theme: int,
    min_chars: int,
    max_chars: int,
    one_per_interview: bool,
    seed: int,
) -> pd.DataFrame:
    """A few short quotes per theme, chosen by a rule nobody can tweak after the fact.

    Among the coder's segments of a theme whose text length lies in [min_chars, max_chars], take
    the shortest; ties are broken by a SHA-256 hash of (seed, interview, position); with
    `one_per_interview` a theme never quotes the same interview twice, and never the same words
    twice.

    Parameters
    ----------
    segments : pandas.DataFrame
        Canonical segments.
    themes : list of str
        Themes to quote, in order.
    coder : str
        The primary coder.
    per_theme : int
        Quotes per theme.
    min_chars, max_chars : int
        Length bounds (whitespace collapsed).
    one_per_interview : bool
        At most one quote per interview and theme.
    seed : int
        Seed of the tie-break hash.

    Returns
    -------
    pandas.DataFrame
        interview_id, theme, quote, role, region.
    """
    s = segments[segments["coder"] == coder].copy()
    s["quote"] = s["text"].astype(str).str.strip().str.split().str.join(" ")
    s["length"] = s["quote"].str.len()
    s = s[(s["length"] >= min_chars) & (s["length"] <= max_chars)]
    s["tiebreak"] = [
        _tiebreak(seed, i, p) for i, p in zip(s["interview_id"], s["position"], strict=True)
    ]
    s = s.sort_values(["length", "tiebreak"], kind="stable").reset_index(drop=True)
    picked = []
    for theme in themes:
        # Shortest first, skipping a segment whose interview (one_per_interview) or words (the
        # same words twice add nothing) are already quoted. Greedy, so an interview whose shortest
        # segment repeats another's words still offers its next shortest.
        keep, seen_i, seen_q = [], set(), set()
        cand = s[s["theme"] == theme]
        for idx, iid, quote in zip(cand.index, cand["interview_id"], cand["quote"], strict=True):
            if len(keep) == per_theme:
                break
            if (one_per_interview and iid in seen_i) or quote in seen_q:
                continue
            keep.append(idx), seen_i.add(iid), seen_q.add(quote)
        picked.append(cand.loc[keep])
    if not picked:
        return pd.DataFrame(columns=["interview_id", *QUOTE_COLUMNS])
    out = pd.concat(picked, ignore_index=True)
    return out[["interview_id", "theme", "quote", "role", "region"]]


def coarsen_attribution(
    quotes: pd.DataFrame, documents: pd.DataFrame, min_cell: int
) -> pd.DataFrame:
    """Replace role/region by "all", decided per role across the whole quote bank.

    A role keeps its regions only when every region cell of that role (in the documents, not just
    among the quotes) has at least `min_cell` interviews; otherwise all its quotes lose the region.
    A role with fewer than `min_cell` interviews in total is shown as "all" as well. Never the
    region alone: a region without role would again mark the quote as coming from a small cell.

    Parameters
    ----------
    quotes : pandas.DataFrame
        Output of :func:`select_quotes`.
    documents : pandas.DataFrame
        Canonical documents (the cells are counted there).
    min_cell : int
        Smallest cell an attribution may point to.

    Returns
    -------
    pandas.DataFrame
        The quotes with coarsened role and region.
    """
    combo = documents.groupby(["role", "region"]).size()
    by_role = documents["role"].value_counts().to_dict()
    smallest = combo.groupby(level="role").min().to_dict()  # smallest region cell of each role
    roles, regions = [], []
    for role, region in zip(quotes["role"], quotes["region"], strict=True):
        if by_role.get(role, 0) < min_cell:
            roles.append(ALL), regions.append(ALL)
        elif smallest.get(role, 0) < min_cell:
            roles.append(role), regions.append(ALL)
        else:
            roles.append(role), regions.append(region)
    return quotes.assign(role=roles, region=regions)


def quote_bank(
    segments: pd.DataFrame,
    documents: pd.DataFrame,
    themes: list[str],
    *,
    coder: str,
    settings: dict,
    seed: int,
    min_cell: int,
) -> pd.DataFrame:
    """Selected, attribution-coarsened quotes (not yet through the de-identification gate).

    Parameters
    ----------
    segments, documents : pandas.DataFrame
        The canonical interview tables.
    themes : list of str
        Themes to quote.
    coder : str
        The primary coder.
    settings : dict
        interviews-analysis.yaml → quotes (per_theme, min_chars, max_chars, one_per_interview).
    seed : int
        Seed of the tie-break.
    min_cell : int
        Smallest cell an attribution may point to.

    Returns
    -------
    pandas.DataFrame
        theme, quote, role, region (``QUOTE_COLUMNS``).
    """
    q = select_quotes(
        segments,
        themes,
        coder=coder,
        per_theme=settings["per_theme"],
        min_chars=settings["min_chars"],
        max_chars=settings["max_chars"],
        one_per_interview=settings["one_per_interview"],
        seed=seed,
    )
    q = coarsen_attribution(q, documents, min_cell)
    return q[QUOTE_COLUMNS].reset_index(drop=True)
