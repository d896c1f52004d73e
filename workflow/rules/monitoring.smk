# Monitoring (issues 3 and 6): weekly/monthly aggregates + milestones → interrupted time series
# per site (staggered go-live) → how long to keep monitoring → figures.

MONITORING_TABLES = [
    "its_estimates",
    "its_fitted",
    "its_diagnostics",
    "monitoring_precision",
    "monitoring_weeks_needed",
    "monitoring_sites",
]
MONITORING_FIGURES = [
    "its_series",
    "its_forest",
    "implementation_timeline",
    "monitoring_precision",
]


rule prepare_monitoring:
    input:
        aggregates=config["inputs"]["monitoring"]["aggregates"],
        milestones=config["inputs"]["monitoring"]["milestones"],
        monitoring=study_file("monitoring"),
        organisation=study_file("organisation"),
        schema="config/schema/monitoring.schema.yaml",
        library=library_files("monitoring", "privacy"),
    output:
        series="results/interim/monitoring_series.parquet",
        milestones="results/interim/monitoring_milestones.parquet",
        deid="results/interim/deid_monitoring.csv",
    log:
        "logs/monitoring/prepare_monitoring.log",
    conda:
        ENV
    script:
        "../../scripts/monitoring_prepare.py"


rule analyse_monitoring:
    input:
        series="results/interim/monitoring_series.parquet",
        milestones="results/interim/monitoring_milestones.parquet",
        monitoring=study_file("monitoring"),
        organisation=study_file("organisation"),
        schema="config/schema/monitoring.schema.yaml",
        library=library_files("monitoring", "privacy", "fmt"),
    output:
        **{name: f"results/tables/{name}.csv" for name in MONITORING_TABLES},
        values="results/values/monitoring.yml",
    log:
        "logs/monitoring/analyse_monitoring.log",
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
        language=config["report"]["language"],
    script:
        "../../scripts/monitoring_analyse.py"


rule plot_monitoring:
    input:
        tables=table_paths(MONITORING_TABLES),
        milestones="results/interim/monitoring_milestones.parquet",
        monitoring=study_file("monitoring"),
        organisation=study_file("organisation"),
        schema="config/schema/monitoring.schema.yaml",
        library=library_files("monitoring", "figures"),
    output:
        figure_paths(MONITORING_FIGURES, category="Monitoring"),
    log:
        "logs/monitoring/plot_monitoring.log",
    conda:
        ENV
    params:
        names=MONITORING_FIGURES,
        min_cell=config["min_cell"],
        language=config["report"]["language"],
    script:
        "../../scripts/monitoring_plot.py"
