# The report: merge the values files, record provenance, render one self-contained HTML file.
# The render rule lists every file the report reads as input (report_inputs() in common.smk), so
# new results re-render it; the report itself only reads results.

REPORT_HTML = "results/report/impleval-report.html"
# Branches whose results/values/<branch>.yml the report prose quotes ({{< var <branch>.key >}}).
REPORT_VALUE_BRANCHES = ["survey", "survey_flow", "interviews", "monitoring"]


rule collect_report_values:
    input:
        values=expand("results/values/{branch}.yml", branch=REPORT_VALUE_BRANCHES),
        survey_analysis=study_file("survey_analysis"),
        interviews_analysis=study_file("interviews_analysis"),
        monitoring=study_file("monitoring"),
        code=code_inputs("scripts/collect_report_values.py"),
    output:
        "results/report/variables.yml",
    log:
        "logs/report/collect_report_values.log",
    conda:
        ENV
    params:
        study_name=config["study_name"],
        synthetic=config["synthetic_demo"],
        min_cell=config["min_cell"],
        seed=config["seed"],
        language=config["report"]["language"],
        interview_format=config["inputs"]["interviews"]["format"],
    script:
        "../../scripts/collect_report_values.py"


rule write_provenance:
    input:
        raw=config_input_files(),
        config=workflow.configfiles,
        study=list(config["study"].values()),
        pipeline_code=pipeline_code_files(),
        code=code_inputs("scripts/write_provenance.py"),
        environment=["environment.yml", "requirements.lock"],
    output:
        "results/provenance.json",
    log:
        "logs/report/write_provenance.log",
    conda:
        ENV
    params:
        renderer=config["report"]["renderer"],
    script:
        "../../scripts/write_provenance.py"


rule render_report:
    input:
        unpack(report_inputs),
        # The render job runs the script and the report's code cells (report/**/*.qmd).
        code=code_inputs(
            "scripts/render_report.py", *glob.glob("report/**/*.qmd", recursive=True)
        ),
    output:
        html=report(REPORT_HTML, category="Report"),
    log:
        "logs/report/render_report.log",
    conda:
        ENV
    params:
        source="report",
        # Derived from the outputs/inputs: the build folder sits beside the HTML file, and
        # tables/ and figures/ beside provenance.json.
        build=lambda w, output: os.path.join(os.path.dirname(output.html), "_build"),
        results=lambda w, input: os.path.dirname(input.provenance),
        language=config["report"]["language"],
        synthetic=config["synthetic_demo"],
        renderer=config["report"]["renderer"],
    script:
        "../../scripts/render_report.py"
