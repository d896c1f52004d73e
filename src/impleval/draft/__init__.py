"""`impleval init`: draft a study's definitions from its exports (issue 17).

Reads the Nettskjema codebook and report, a MAXQDA export (coded segments and document
variables) and the monitoring aggregates and milestones, and writes a study folder: config.yaml,
organisation.yaml, survey.yaml, survey-analysis.yaml, interviews.yaml, interviews-analysis.yaml,
monitoring.yaml, report.yaml, an empty prose/ folder, a Snakefile that uses this pipeline as a
Snakemake module, and DECISIONS.md. Every value the exports give is filled in; every inference is
marked `# GUESS: …` and every choice only the researcher can make `# DECISION: …` (listed in
DECISIONS.md). Each drafted file is validated against its schema before the command returns.
"""
