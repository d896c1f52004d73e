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
OUTPUTS["monitoring"] = {
    "tables": MONITORING_TABLES,
    "figures": MONITORING_FIGURES,
    "values": ["monitoring"],
}


rule prepare_monitoring:
    input:
        aggregates=config["inputs"]["monitoring"]["aggregates"],
        milestones=config["inputs"]["monitoring"]["milestones"],
        monitoring=study_file("monitoring"),
        organisation=study_file("organisation"),
        schema=schema_file("monitoring"),
        code=code_inputs("scripts/prepare_monitoring.py"),
    output:
        series="results/interim/monitoring_series.parquet",
        milestones="results/interim/monitoring_milestones.parquet",
        deid="results/interim/deid_monitoring.csv",
    log:
        "logs/monitoring/prepare_monitoring.log",
    priority: PRIORITY["prepare"]
    conda:
        ENV
    script:
        "../../scripts/prepare_monitoring.py"


rule analyse_monitoring:
    input:
        series="results/interim/monitoring_series.parquet",
        milestones="results/interim/monitoring_milestones.parquet",
        monitoring=study_file("monitoring"),
        organisation=study_file("organisation"),
        schema=schema_file("monitoring"),
        code=code_inputs("scripts/analyse_monitoring.py"),
    output:
        **{name: f"results/tables/{name}.csv" for name in MONITORING_TABLES},
        values="results/values/monitoring.yml",
    log:
        "logs/monitoring/analyse_monitoring.log",
    priority: PRIORITY["analyse"]
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
    script:
        "../../scripts/analyse_monitoring.py"


rule plot_monitoring:
    input:
        tables=table_paths(MONITORING_TABLES),
        milestones="results/interim/monitoring_milestones.parquet",
        monitoring=study_file("monitoring"),
        organisation=study_file("organisation"),
        schema=schema_file("monitoring"),
        code=code_inputs("scripts/plot_monitoring.py"),
    output:
        **figure_paths(MONITORING_FIGURES, category="Monitoring"),
    log:
        "logs/monitoring/plot_monitoring_{lang}.log",
    priority: PRIORITY["plot"]
    conda:
        ENV
    params:
        min_cell=config["min_cell"],
    script:
        "../../scripts/plot_monitoring.py"
