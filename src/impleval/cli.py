"""The `impleval` command (installed by `make`; `python -m impleval.cli` works too).

    impleval init --survey REPORT --codebook CODEBOOK.json \\
        --interviews SEGMENTS.xlsx --document-variables VARIABLES.xlsx \\
        --monitoring AGGREGATES.csv --milestones MILESTONES.csv --out my-study/

drafts a study folder from the exports (impleval.draft): the definitions with every value the
exports give, the guesses marked, and DECISIONS.md listing what only the study team decides.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from impleval.errors import InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="impleval", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser(
        "init",
        help="draft a study's definitions from its exports",
        description="Draft a study folder from the exports: give the exports of each strand "
        "the study collected (a strand's two files together).",
    )
    init.add_argument("--survey", help="Nettskjema wide report (CSV)")
    init.add_argument("--codebook", help="Nettskjema codebook (JSON)")
    init.add_argument("--interviews", help="MAXQDA coded segments (XLSX)")
    init.add_argument("--document-variables", help="MAXQDA document variables (XLSX)")
    init.add_argument("--monitoring", help="weekly or monthly aggregates (CSV/XLSX)")
    init.add_argument("--milestones", help="milestones per site (CSV/XLSX)")
    init.add_argument("--out", required=True, help="the study folder to write")
    init.add_argument("--language", choices=["nb", "en"], default="nb", help="report language")
    init.add_argument("--force", action="store_true", help="write into a non-empty folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from impleval.draft.study import Exports, draft_study

    out = Path(args.out)
    if out.exists() and any(out.iterdir()) and not args.force:
        print(f"impleval init: {out} is not empty (use --force to write into it)", file=sys.stderr)
        return 1
    exports = Exports(
        survey=args.survey,
        codebook=args.codebook,
        interviews=args.interviews,
        document_variables=args.document_variables,
        monitoring=args.monitoring,
        milestones=args.milestones,
    )
    try:
        decisions = draft_study(exports, out, language=args.language)
    except InputError as err:
        print(f"impleval init: {err}", file=sys.stderr)
        return 1
    print(f"Drafted {out}/ with {len(decisions)} decisions for the study team (DECISIONS.md):")
    for d in decisions:
        print(f"  {d.file}: {d.key}: {d.what} (draft: {d.guess})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
