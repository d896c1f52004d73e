"""`python -m validation [--reduced] [--jobs N] [--out PATH]`: run the calibration study and write
validation/RESULTS.md (the reduced plan writes nothing unless --out is given)."""

from __future__ import annotations

import argparse
from pathlib import Path

from validation.study import FULL, REDUCED, SEED, markdown, run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m validation", description=__doc__)
    parser.add_argument("--reduced", action="store_true", help="few replicates (a smoke run)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    result = run(REDUCED if args.reduced else FULL, seed=args.seed, n_jobs=args.jobs)
    text = markdown(result)
    out = args.out or (None if args.reduced else Path(__file__).with_name("RESULTS.md"))
    if out:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    print(text)


if __name__ == "__main__":
    main()
