"""Interview statistics on the canonical tables; `analyse.analyse` runs them all."""
