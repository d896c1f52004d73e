"""Milestones arranged for the implementation-timeline figure (sites grouped by region)."""

from __future__ import annotations

import pandas as pd

from impleval.config import label


def timeline_frame(
    milestones: pd.DataFrame, organisation: dict, language: str, go_live: str
) -> pd.DataFrame:
    """One row per site and milestone with region and labels, ordered region → go-live → site.

    `go_live` is the study's go-live milestone kind. Sites without milestones are kept (no
    markers) so the figure lists every monitored site."""
    trusts = {t["id"]: t for t in organisation["trusts"]}
    regions = {
        r["id"]: (i, label({"r": r["label"]}, "r", language))
        for i, r in enumerate(organisation["regions"])
    }
    sites = pd.DataFrame(
        [
            {"site": s["id"], "site_label": s["label"], "region": trusts[s["trust"]]["region"]}
            for s in organisation["sites"]
        ]
    )
    sites["region_order"] = sites["region"].map(lambda r: regions[r][0])
    sites["region_label"] = sites["region"].map(lambda r: regions[r][1])
    go = milestones[milestones["milestone"] == go_live]
    go_live_of = dict(zip(go["site"], go["date"], strict=True))
    sites["go_live_date"] = pd.to_datetime(sites["site"].map(go_live_of))
    sites = sites.sort_values(
        ["region_order", "go_live_date", "site"], na_position="last"
    ).reset_index(drop=True)
    sites["y"] = range(len(sites))[::-1]
    return sites.merge(milestones, on="site", how="left")
