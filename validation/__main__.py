"""`python -m validation [--reduced] [--jobs N] [--out PATH] [--from RESULT]`: run the calibration
study and write validation/RESULTS.md (the reduced plan writes nothing unless --out is given).
The full run also keeps its summary in validation/results.pkl, from which `--from` rewrites the
markdown without rerunning."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from validation.study import FULL, REDUCED, SEED, markdown, run

HERE = Path(__file__).parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m validation", description=__doc__)
    parser.add_argument("--reduced", action="store_true", help="few replicates (a smoke run)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--from", dest="source", type=Path, default=None, help="a saved summary")
    args = parser.parse_args(argv)
    if args.source:
        result = pd.read_pickle(args.source)
    else:
        result = run(REDUCED if args.reduced else FULL, seed=args.seed, n_jobs=args.jobs)
        if not args.reduced:
            pd.to_pickle(result, HERE / "results.pkl")
    text = markdown(result)
    out = args.out or (None if args.reduced else HERE / "RESULTS.md")
    if out:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    print(text)


if __name__ == "__main__":
    main()
