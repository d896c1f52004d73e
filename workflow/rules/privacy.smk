# Privacy: the de-identification gate runs inside each branch's prepare rule (it writes
# results/interim/deid_<source>.csv, also when the source has no free text); this rule collects
# those summaries into one results table that shows, per source and column, what was scanned and
# what was found. Logic: src/impleval/privacy/ (docs/privacy.md).

PRIVACY_TABLES = ["deid_hits"]


rule summarise_deid:
    input:
        survey="results/interim/deid_survey.csv",
        interviews="results/interim/deid_interviews.csv",
        monitoring="results/interim/deid_monitoring.csv",
        interview_quotes="results/interim/deid_interview_quotes.csv",
        code=code_inputs("scripts/summarise_deid.py"),
    output:
        table="results/tables/deid_hits.csv",
    log:
        "logs/privacy/summarise_deid.log",
    conda:
        ENV
    script:
        "../../scripts/summarise_deid.py"
