"""The privacy rule's step (`summarise_deid`), called by `scripts/summarise_deid.py`."""

from __future__ import annotations


def summarise_deid(smk) -> None:
    """The de-identification summaries (every named input except `code`, in rule order) →
    results/tables/deid_hits.csv (hits per source, column, kind and confidence)."""
    import pandas as pd

    from impleval.outputs import write_csv
    from impleval.privacy.deid import combine_summaries
    from impleval.runner import log

    sources = [name for name in smk.input.keys() if name != "code"]
    summaries = {s: pd.read_csv(smk.input[s], dtype=str, keep_default_na=False) for s in sources}
    table = combine_summaries(summaries, files={s: smk.input[s] for s in sources})
    log.info(
        "de-identification hits: %d in %d source/column rows", table["n_hits"].sum(), len(table)
    )
    write_csv(table, smk.output.table)
