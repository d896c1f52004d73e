"""Seeded generator of the bundled SYNTHETIC demo study (`python -m impleval.demo`), and the
test-only simulators (`simulate_survey`, `simulate_interviews`). Nothing in the pipeline's rules
imports this package.

No real study data are public. Each branch module writes exports in the real tools' formats plus
a `synthetic_truth-<branch>.json` file recording the planted effects, which the tests check the
analysis recovers. Regenerating gives byte-identical files.
"""
