"""Language-neutral facts of the interview analysis (results/values/interviews.yml).

Ints and ids only, no formatting and no sentences: the report words and formats them in its
language. Everything comes from the canonical tables and the result tables, so a fact quoted in
the text cannot disagree with a table:

- `n_interviews`: interviews in the documents table (coded or not);
- `n_double_coded`: the double-coded interviews every count uses (`double_coded_units`: the
  agreement units when agreement is computed);
- `n_quotes`: rows of quotes.csv;
- `n_unmapped_codes`: code paths kept with theme `unmapped` (`unmapped_codes: warn`);
- `quote_rule`: id of the rule that chose the quotes (`shortest`: impleval.interviews.stats.quotes);
- `interviews_per_stage`: stage id → interviews, in the study's stage order;
- `min_cell`: the small-cell threshold the tables were suppressed with.
"""

from __future__ import annotations

import pandas as pd

from impleval.interviews.io.canonical import UNMAPPED
from impleval.interviews.settings import StudyDefs

QUOTE_RULE = "shortest"  # the rule of impleval.interviews.stats.quotes.select_quotes


def interview_values(
    tables: dict[str, pd.DataFrame],
    segments: pd.DataFrame,
    documents: pd.DataFrame,
    defs: StudyDefs,
    double_coded: pd.Series,
    *,
    min_cell: int,
) -> dict:
    """The facts listed in the module docstring, as plain Python ints and strings."""
    unmapped = segments.loc[segments["theme"] == UNMAPPED, "code_path"].nunique()
    return {
        "n_interviews": len(documents),
        "n_double_coded": int(pd.Series(double_coded).nunique()),
        "n_quotes": len(tables["quotes"]),
        "n_unmapped_codes": int(unmapped),
        "quote_rule": QUOTE_RULE,
        "interviews_per_stage": {s: int((documents["stage"] == s).sum()) for s in defs.stages},
        "min_cell": int(min_cell),
    }
