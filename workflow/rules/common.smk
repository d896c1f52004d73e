import glob
import os

# Helpers shared by every branch. Branch files declare their outputs as lists of names
# (SURVEY_TABLES, SURVEY_FIGURES, ...); the report rule collects them through report_inputs().

ENV = "../../environment.yml"

# Jobs import the library from src/ even where it is not pip-installed (a conda environment,
# `--sdm conda`, cluster nodes): every job inherits this from the Snakemake process.
# (Setting, not requiring, a variable: so no `envvars:` assertion.)
os.environ.update(
    PYTHONPATH=os.pathsep.join(
        filter(
            None, [os.path.join(workflow.basedir, "src"), os.environ.get("PYTHONPATH")]
        )
    )
)
LIBRARY = "src/impleval"


def study_file(name):
    """Path of one study-definition file (config → study → name); an input of the rules using it."""
    return config["study"][name]


def table_paths(names):
    return expand("results/tables/{name}.csv", name=names)


def figure_paths(names, category=None):
    """SVG, PNG and caption JSON per figure; with `category`, the SVGs are marked for
    Snakemake's own report (`snakemake --report`)."""
    paths = expand(
        "results/figures/{name}.{ext}", name=names, ext=["svg", "png", "json"]
    )
    if category is None:
        return paths
    return [report(p, category=category) if p.endswith(".svg") else p for p in paths]


def branch_outputs():
    """Every table and figure the branches produce: what the report reads."""
    tables = SURVEY_TABLES + INTERVIEW_TABLES + MONITORING_TABLES + PRIVACY_TABLES
    figures = SURVEY_FIGURES + INTERVIEW_FIGURES + MONITORING_FIGURES
    return table_paths(tables) + figure_paths(figures)


def final_targets():
    return [REPORT_HTML, "results/provenance.json"] + NOTEBOOK_TARGETS


INTERVIEW_FORMAT_INPUTS = {
    "maxqda": ["segments", "document_variables"],
    "qualcoder": ["qualcoder_project"],
    "qualcoder_xlsx": ["qualcoder_report"],
    "refi_qda": ["refi_project"],
}


def interview_inputs():
    """The export files that inputs.interviews.format reads (keys as in config.yaml)."""
    settings = config["inputs"]["interviews"]
    return {key: settings[key] for key in INTERVIEW_FORMAT_INPUTS[settings["format"]]}


def library_files(*packages):
    """Library modules a rule's script imports, as inputs: editing the statistics reruns the rule.

    Core modules (errors, tables, writers) are included for every rule."""
    core = [
        "errors.py",
        "tabular.py",
        "outputs.py",
        "runner.py",
        "config.py",
        "effect_sizes.py",
    ]
    files = [f"{LIBRARY}/{name}" for name in core]
    for package in packages:
        files += sorted(glob.glob(f"{LIBRARY}/{package}/*.py")) or [
            f"{LIBRARY}/{package}.py"
        ]
    return files


def config_input_files():
    """Every raw export named under config `inputs` (paths, not format names)."""
    files = list(interview_inputs().values())  # only the chosen format's files
    for name, branch in config["inputs"].items():
        if name != "interviews":
            files += [
                v for k, v in branch.items() if k != "format" and isinstance(v, str)
            ]
    return files


def code_files():
    """The pipeline's own code, hashed into the provenance record."""
    patterns = [
        "Snakefile",
        "workflow/rules/*.smk",
        "scripts/*.py",
        f"{LIBRARY}/**/*.py",
    ]
    return sorted(f for p in patterns for f in glob.glob(p, recursive=True))


def report_inputs(wildcards):
    """Everything the report reads: branch tables and figures, values, provenance, its sources."""
    sources = [
        f
        for f in glob.glob("report/**", recursive=True)
        if os.path.isfile(f)
        and not {"_build", "_output", ".jupyter_cache"} & set(f.split(os.sep))
    ]
    return {
        "results": branch_outputs(),
        "variables": "results/report/variables.yml",
        "provenance": "results/provenance.json",
        "sources": sorted(sources),
    }
