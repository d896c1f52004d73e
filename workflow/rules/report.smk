# The report: record provenance, then generate and render one self-contained HTML file per
# report language from the study's definitions and prose and the language-neutral results
# (src/impleval/report/: sections, phrases in report/phrases/). The render rule lists every file
# the report reads as input (report_inputs() in common.smk), so a changed result, definition or
# prose file re-renders it; the analysis jobs never depend on the language.


rule write_provenance:
    input:
        raw=config_input_files(),
        config=workflow.configfiles,
        study=list(config["study"].values()),
        pipeline_code=pipeline_code_files(),
        code=code_inputs("scripts/write_provenance.py"),
        environment=[
            pipeline_path("environment.yml"),
            pipeline_path("requirements.lock"),
        ],
    output:
        "results/provenance.json",
    log:
        "logs/report/write_provenance.log",
    conda:
        ENV
    params:
        renderer=config["report"]["renderer"],
        # whose git commit the record names; relative, so that a moved copy is still up to date
        pipeline=os.path.relpath(PIPELINE_DIR),
    script:
        "../../scripts/write_provenance.py"


rule render_report:
    input:
        unpack(report_inputs),
        code=code_inputs("scripts/render_report.py"),
    output:
        html=report("results/report/impleval-report-{lang}.html", category="Report"),
    log:
        "logs/report/render_report_{lang}.log",
    conda:
        ENV
    params:
        source=pipeline_path("report"),
        # The build folder sits beside the HTML file; tables/ and figures/ beside provenance.json.
        build=lambda w, output: os.path.join(
            os.path.dirname(output.html), f"_build-{w.lang}"
        ),
        results=lambda w, input: os.path.dirname(input.provenance),
        settings={
            "study_name": config["study_name"],
            "synthetic": config["synthetic_demo"] or uses_bundled_synthetic_data(),
            "min_cell": config["min_cell"],
            "seed": config["seed"],
            "deid": config["deid"],
            "interview_format": config["inputs"]
            .get("interviews", {})
            .get("format", ""),
        },
        renderer=config["report"]["renderer"],
    script:
        "../../scripts/render_report.py"
