"""Calibration study of the pipeline's own decision rules (`make validate`, issue 15).

Planted nulls and planted effects are simulated with the demo generator's machinery
(`impleval.demo.simulate_*`), the pipeline's statistics are run on each simulated study exactly as
the analysis jobs run them, and the rates at which the report's statements would be made are
compared with what was planted: type-I error at α, coverage of each 95 % interval, power at the
planted effect. `python -m validation` writes validation/RESULTS.md; `tests/unit/test_validation.py`
runs a reduced version.
"""
