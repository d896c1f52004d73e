"""Running a Snakemake `script:` file directly in tests, with a stand-in `snakemake` object."""

import re
from pathlib import Path


class Named(dict):
    """Enough of snakemake's Namedlist for a script: attribute and key access."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


RULES = Path(__file__).resolve().parents[1] / "workflow" / "rules"
_OUTPUT = re.compile(r'^\s+(\w+)="results/([^"]+)",?$')


def rule_outputs(rule: str, out: Path) -> Named:
    """The named outputs of `rule` as the workflow declares them, under `out` instead of
    results/ (so a test's stand-in job writes every file the real job writes: a new output of
    the rule needs no edit here)."""
    for path in sorted(RULES.glob("*.smk")):
        text = path.read_text(encoding="utf-8")
        match = re.search(rf"^rule {rule}:\n(.*?)(?=^\S)", text, re.M | re.S)
        if match:
            block = match.group(1).split("    output:\n", 1)[1]
            block = re.split(r"^    \w+:", block, maxsplit=1, flags=re.M)[0]
            found = [_OUTPUT.match(line) for line in block.splitlines()]
            return Named({m[1]: str(out / m[2]) for m in found if m})
    raise KeyError(f"no rule {rule} in {RULES}")
