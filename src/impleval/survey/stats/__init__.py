"""Survey statistics on the canonical tables; `analyse.analyse_survey` runs them all."""
