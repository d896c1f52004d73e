# Privacy: the de-identification gate runs inside each branch's prepare rule (it writes
# results/interim/deid_<source>.csv, also when the source has no free text); this rule collects
# those summaries into one results table that shows, per source and column, what was scanned and
# what was found. Logic: src/impleval/privacy/ (docs/privacy.md).

OUTPUTS["privacy"] = {"tables": ["deid_hits"], "figures": [], "values": []}
# The gate summaries of the collected strands, in a fixed order (the table's row order).
DEID_SOURCES = {
    "survey": {"survey": "results/interim/deid_survey.csv"},
    "interviews": {
        "interviews": "results/interim/deid_interviews.csv",
        "interview_quotes": "results/interim/deid_interview_quotes.csv",
    },
    "monitoring": {"monitoring": "results/interim/deid_monitoring.csv"},
}


rule summarise_deid:
    input:
        **{name: path for s in STRANDS for name, path in DEID_SOURCES[s].items()},
        code=code_inputs("scripts/summarise_deid.py"),
    output:
        table="results/tables/deid_hits.csv",
    log:
        "logs/privacy/summarise_deid.log",
    conda:
        ENV
    script:
        "../../scripts/summarise_deid.py"
