"""Shared machinery of the calibration study: seeds, parallel replicates, Monte Carlo intervals."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
ALPHA = 0.05
TYPE_I_TARGET = (0.03, 0.07)
COVERAGE_TARGET = 0.93


def replicate_seed(master: int, family: str, index: int) -> int:
    """Seed of one replicate: independent streams per family and replicate, reproducible from
    the master seed (numpy SeedSequence of [master, crc of the family name, index])."""
    import zlib

    state = np.random.SeedSequence([master, zlib.crc32(family.encode()), index]).generate_state(1)
    return int(state[0])


def run_replicates(
    func: Callable[[int, int], pd.DataFrame],
    indices: Iterable[int],
    *,
    master: int,
    family: str,
    n_jobs: int,
) -> pd.DataFrame:
    """`func(index, seed)` for every replicate, in parallel (joblib, one BLAS thread per worker),
    rows tagged with ``replicate``; the CPU seconds the replicates took are in
    ``.attrs["cpu_seconds"]``."""
    from joblib import Parallel, delayed

    indices = list(indices)
    seeds = [replicate_seed(master, family, i) for i in indices]

    def one(i: int, seed: int) -> tuple[pd.DataFrame, float]:
        import time

        from threadpoolctl import threadpool_limits

        start = time.process_time()
        with threadpool_limits(1):
            frame = func(i, seed).assign(replicate=i)
        return frame, time.process_time() - start

    if n_jobs == 1:
        parts = [one(i, s) for i, s in zip(indices, seeds, strict=True)]
    else:
        parts = Parallel(n_jobs=n_jobs, batch_size="auto")(
            delayed(one)(i, s) for i, s in zip(indices, seeds, strict=True)
        )
    out = pd.concat([frame for frame, _ in parts], ignore_index=True)
    out.attrs["cpu_seconds"] = float(sum(cpu for _, cpu in parts))
    return out


def rate(hits: pd.Series, replicate: pd.Series) -> dict:
    """A Monte Carlo rate with its 95 % interval.

    Several units of one replicate (e.g. the null items of one simulated survey) are not
    independent: the Wilson interval is taken on the effective number of units, the units
    divided by the design effect of the replicate clusters (cluster-robust variance of the
    ratio estimator over the binomial one).

    Returns
    -------
    dict
        estimate, low, high, n (units), replicates.
    """
    hits = hits.astype(float)
    ok = hits.notna()
    hits, replicate = hits[ok], replicate[ok]
    n = len(hits)
    if n == 0:
        return {"estimate": math.nan, "low": math.nan, "high": math.nan, "n": 0, "replicates": 0}
    k = hits.groupby(replicate).sum()
    m = hits.groupby(replicate).size()
    p = float(k.sum() / m.sum())
    # Wilson interval on the effective number of units: n divided by the design effect of the
    # replicate clusters (1 with one unit per replicate, or when every unit agrees).
    se_cluster = math.sqrt(float(((k - p * m) ** 2).sum())) / float(m.sum())
    se_binomial = math.sqrt(p * (1 - p) / n)
    deff = (se_cluster / se_binomial) ** 2 if se_binomial > 0 and (m > 1).any() else 1.0
    n_eff = n / max(deff, 1e-9)
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = Z95 * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff)) / (1 + z2 / n_eff)
    return {
        "estimate": p,
        "low": min(p, max(0.0, centre - half)),
        "high": max(p, min(1.0, centre + half)),
        "n": n,
        "replicates": int(len(m)),
    }


def jobs(default: int = 2) -> int:
    """Worker processes: VALIDATION_JOBS or the default (the machine has 2 cores)."""
    return int(os.environ.get("VALIDATION_JOBS", default))
