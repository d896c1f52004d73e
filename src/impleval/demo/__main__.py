"""Regenerate the synthetic demo exports: `python -m impleval.demo [--out data/raw] [--survey-scale
N]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from impleval.config import load_yaml


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--config", default="config/config.yaml", help="main config (study definition paths)"
    )
    parser.add_argument(
        "--out", default="data/raw", help="folder to write the synthetic exports into"
    )
    parser.add_argument(
        "--schema-dir", default="config/schema", help="the study definitions' JSON schemas"
    )
    parser.add_argument(
        "--survey-scale",
        type=int,
        default=1,
        help="multiply the number of survey respondents (benchmarks use 100)",
    )
    parser.add_argument(
        "--only",
        choices=["survey", "interviews", "monitoring"],
        action="append",
        help="generate only these branches (default: all)",
    )
    args = parser.parse_args(argv)

    config = load_yaml(args.config)
    study = {name: load_yaml(path) for name, path in config["study"].items()}
    out = Path(args.out)
    branches = args.only or ["survey", "interviews", "monitoring"]

    # Imported here so that a branch's generator is loaded only when asked for.
    if "survey" in branches:
        from impleval.demo import survey

        survey.generate(
            out / "survey",
            study,
            scale=args.survey_scale,
            schema=Path(args.schema_dir) / "survey.schema.yaml",
        )
    if "interviews" in branches:
        from impleval.demo import interviews

        interviews.generate(out / "interviews", study)
    if "monitoring" in branches:
        from impleval.demo import monitoring

        monitoring.generate(out / "monitoring", study)


if __name__ == "__main__":
    main()
