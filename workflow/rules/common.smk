import glob
import os
import sys

from snakemake.exceptions import WorkflowError
from snakemake.sourcecache import LocalSourceFile

# Helpers shared by every branch. Branch files declare their outputs as lists of names
# (SURVEY_TABLES, SURVEY_FIGURES, ...); the report rule collects them through report_inputs().
# Every rule's `code` input is code_inputs(<its script or notebook>): the library files its job
# imports, read from the import graph (src/impleval/codeinputs.py, tests/unit/test_code_inputs.py).

ENV = "../../environment.yml"

# The pipeline's own folder: this repository, or the checkout that a study's Snakefile uses as a
# Snakemake module (`module impleval: snakefile: ...`; config/README.md). Every path the workflow
# owns (schemas, report/ sources, scripts, src/, environment files) resolves against it; study
# paths (config `study`, `inputs`, results/, logs/) against the working directory.
if not isinstance(workflow.current_basedir, LocalSourceFile):
    raise WorkflowError(
        "impleval runs as a module from a checkout on disk: clone the pipeline at the release "
        "you pin (git clone --branch <tag> ...) and give its Snakefile's path as the module's "
        "`snakefile:` (config/README.md, 'A study in its own folder')."
    )
PIPELINE_DIR = os.path.dirname(
    os.path.dirname(workflow.current_basedir.get_path_or_uri(secret_free=False))
)


# Which job starts first when more are ready than cores (Snakemake runs the highest `priority`
# first; ties go to the larger input). The report waits for its longest chain of jobs, so the
# jobs that open long chains go first: the survey's prepare → analyse → plot (the longest chain
# in every study so far), then each other branch's prepare, analyse and plot in that order, then
# the small report inputs (priority 0); the exploratory notebooks, which the report does not
# wait for, take the cores that are left. What it buys is robustness more than speed: replaying
# the demo's profiled job times on 2 cores, the build ended at 22.7–24.0 s with the survey chain
# alone preferred (depending on how ties fall) and at 22.4–22.6 s with this order.
PRIORITY = {"survey": 10, "prepare": 7, "analyse": 6, "plot": 5, "notebook": -1}


def pipeline_path(rel):
    """A path the workflow owns: as written when the pipeline is the working directory (the
    usual `snakemake --configfile ...` inside this repository), else under PIPELINE_DIR.
    """
    if os.path.samefile(PIPELINE_DIR, os.getcwd()):
        return rel
    return os.path.join(PIPELINE_DIR, rel)


def pipeline_glob(pattern):
    """glob() of a pattern relative to the pipeline's folder, as pipeline_path()s."""
    found = glob.glob(pattern, root_dir=PIPELINE_DIR, recursive=True)
    return [pipeline_path(f) for f in found]


# Jobs import the library from src/ even where it is not pip-installed (a conda environment,
# `--sdm conda`, cluster nodes, a study using the pipeline as a module): every job inherits this
# from the Snakemake process. (Setting, not requiring, a variable: so no `envvars:` assertion.)
os.environ.update(
    PYTHONPATH=os.pathsep.join(
        filter(None, [os.path.join(PIPELINE_DIR, "src"), os.environ.get("PYTHONPATH")])
    )
)
sys.path.insert(0, os.path.join(PIPELINE_DIR, "src"))
from impleval.codeinputs import code_inputs as _code_inputs
from impleval.privacy.paths import IdentifyingPathError, check_config_paths
from impleval.schedulerexit import release_scheduler_timers

# No path holding a name or an identifier may reach Snakemake's console, the logs or the
# provenance record: checked before any job is scheduled (docs/privacy.md, "File names").
try:
    check_config_paths(
        config, extra=[("--configfile", f) for f in workflow.configfiles]
    )
except IdentifyingPathError as err:
    raise WorkflowError(str(err)) from None
# Every job masks its messages with the study's names list (impleval.runner reads this).
# (Setting, not requiring, a variable: so no `envvars:` assertion.)
if config.get("deid", {}).get("names_file"):
    os.environ.update(IMPLEVAL_NAMES_FILE=os.path.abspath(config["deid"]["names_file"]))


def code_inputs(*entries):
    """Library files (src/impleval/**.py) that the job of these scripts, notebooks or .qmd files
    imports, transitively: editing one reruns the job, editing any other does not."""
    return sorted(
        {
            pipeline_path(f)
            for entry in entries
            for f in _code_inputs(entry, PIPELINE_DIR)
        }
    )


def schema_file(name):
    """JSON schema of one study-definition file (config → study → name); an input of the rules
    that validate that file, passed to the library as `input.schema`."""
    return pipeline_path(f"config/schema/{name.replace('_', '-')}.schema.yaml")


def study_file(name):
    """Path of one study-definition file (config → study → name); an input of the rules using it."""
    return config["study"][name]


# The strands this study collected: a strand runs iff config `inputs.<strand>` is given (the
# Snakefile includes its rule file only then). Branch files register their outputs in OUTPUTS.
STRANDS = [s for s in ("survey", "interviews", "monitoring") if s in config["inputs"]]
OUTPUTS = {}  # strand → {"tables": [...], "figures": [...]}
LANGUAGES = ["nb", "en"]


wildcard_constraints:
    lang="|".join(LANGUAGES),


def interview_figure_names():
    """The stakeholder matrix only for a study with a `stakeholders:` block
    (impleval.interviews.settings.figure_names decides; the plot job draws the same list).
    """
    from impleval.config import load_yaml
    from impleval.interviews.settings import figure_names

    path = config["study"].get("interviews")
    return figure_names(load_yaml(path)) if path else []


def table_paths(names):
    return expand("results/tables/{name}.csv", name=names)


def figure_paths(names, category=None):
    """Named outputs `<name>_svg`, `<name>_png`, `<name>_json` (SVG, PNG, caption and alt text)
    per figure, in the report language's folder `results/figures/{lang}/` (a wildcard: each
    language's figures are drawn by their own job, from the same language-neutral results).
    Rules use `**figure_paths(...)`, steps save with impleval.figures.save_named. With
    `category`, the SVGs are marked for Snakemake's own report (`snakemake --report`).
    """
    paths = {}
    for name in names:
        for ext in ["svg", "png", "json"]:
            path = f"results/figures/{{lang}}/{name}.{ext}"
            marked = category is not None and ext == "svg"
            paths[f"{name}_{ext}"] = report(path, category=category) if marked else path
    return paths


def branch_outputs(lang):
    """Every table and figure (of one report language) the collected strands produce."""
    tables = [t for out in OUTPUTS.values() for t in out["tables"]]
    figures = [f for out in OUTPUTS.values() for f in out["figures"]]
    return table_paths(tables) + [
        p.format(lang=lang) for p in figure_paths(figures).values()
    ]


def report_html(lang):
    return f"results/report/impleval-report-{lang}.html"


def final_targets():
    """The report in the configured language, provenance, and the collected strands' notebooks."""
    notebooks = [t for strand in STRANDS for t in NOTEBOOK_TARGETS.get(strand, [])]
    return [
        report_html(config["report"]["language"]),
        "results/provenance.json",
        *notebooks,
    ]


INTERVIEW_FORMAT_INPUTS = {
    "maxqda": ["segments", "document_variables"],
    "qualcoder": ["qualcoder_project"],
    "qualcoder_xlsx": ["qualcoder_report"],
    "refi_qda": ["refi_project"],
}


def interview_inputs():
    """The export files that inputs.interviews.format reads (keys as in config.yaml)."""
    settings = config["inputs"].get("interviews")
    if not settings:
        return {}
    return {key: settings[key] for key in INTERVIEW_FORMAT_INPUTS[settings["format"]]}


def config_input_files():
    """Every raw export named under config `inputs` (paths, not format names)."""
    files = list(interview_inputs().values())  # only the chosen format's files
    for name, branch in config["inputs"].items():
        if name != "interviews":
            files += [
                v for k, v in branch.items() if k != "format" and isinstance(v, str)
            ]
    return files


def uses_bundled_synthetic_data():
    """True when any export the config names is one of the pipeline's own synthetic demo files
    (data/raw/**/synthetic_*): the report then carries the synthetic-data banner whatever
    `synthetic_demo` says, so a copied demo config cannot present invented data as real.
    """
    bundled = os.path.realpath(os.path.join(PIPELINE_DIR, "data", "raw"))
    for path in config_input_files():
        rel = os.path.relpath(os.path.realpath(path), bundled)
        parts = rel.split(os.sep)
        if parts[0] != os.pardir and any(p.startswith("synthetic_") for p in parts):
            return True
    return False


def prose_files():
    """The study team's prose (config study → report → `prose:` folder): report inputs."""
    report_file = config["study"].get("report")
    if not report_file:
        return []
    import yaml

    with open(report_file, encoding="utf-8") as fh:
        folder = (yaml.safe_load(fh) or {}).get("prose")
    if not folder:
        return []
    return sorted(glob.glob(os.path.join(os.path.dirname(report_file), folder, "*.md")))


def pipeline_code_files():
    """The pipeline's own code, hashed into the provenance record: the workflow, the scripts,
    notebooks and report sources, and every library file a job of theirs imports (not the demo
    generator or other code that no rule runs)."""
    workflow_files = [
        pipeline_path("Snakefile"),
        *sorted(pipeline_glob("workflow/rules/*.smk")),
    ]
    entries = [
        *sorted(glob.glob("scripts/*.py", root_dir=PIPELINE_DIR)),
        *sorted(glob.glob("notebooks/*.py.ipynb", root_dir=PIPELINE_DIR)),
        *sorted(glob.glob("report/**/*.qmd", root_dir=PIPELINE_DIR, recursive=True)),
    ]
    return workflow_files + [pipeline_path(e) for e in entries] + code_inputs(*entries)


def report_inputs(wildcards):
    """Everything the report of one language reads: the strands' tables and that language's
    figures, the values, provenance, the study definitions and prose, and report/ (phrases,
    checklists, bibliography, styles, filters)."""
    sources = [
        pipeline_path(f)
        for f in glob.glob("report/**", root_dir=PIPELINE_DIR, recursive=True)
        if os.path.isfile(os.path.join(PIPELINE_DIR, f))
        and not {"_build", "_output", ".jupyter_cache"} & set(f.split(os.sep))
    ]
    values = [
        f"results/values/{name}.yml"
        for out in OUTPUTS.values()
        for name in out["values"]
    ]
    return {
        "results": branch_outputs(wildcards.lang),
        "values": values,
        "provenance": "results/provenance.json",
        "sources": sorted(sources),
        "prose": prose_files(),
        **{f"study_{name}": path for name, path in config["study"].items()},
    }


# First-time mistakes, each stopped with one line that says what to do
# (tests/unit/test_first_mistakes.py). Run from a subdirectory, Snakemake itself says that it
# found no Snakefile (the README says to run from the repository root).


def stop(message):
    """End the run with one line on stderr and exit status 1 (no traceback)."""
    sys.exit(f"impleval: {message}")


def check_config_files():
    """Every file the config names exists, checked before the DAG is built: a missing export or
    study definition is named by its config key (paths are relative to the folder Snakemake runs
    in)."""
    named = {f"study.{key}": path for key, path in config.get("study", {}).items()}
    named["deid.names_file"] = config.get("deid", {}).get("names_file")
    for strand, settings in config.get("inputs", {}).items():
        if strand == "interviews":  # only the files of the chosen export format
            keys = INTERVIEW_FORMAT_INPUTS[settings["format"]]
        else:
            keys = [
                k for k, v in settings.items() if k != "format" and isinstance(v, str)
            ]
        named.update({f"inputs.{strand}.{key}": settings[key] for key in keys})
    missing = [
        (key, path) for key, path in named.items() if path and not os.path.exists(path)
    ]
    if missing:
        stop(
            "; ".join(
                f"config key {key} names {path}, which does not exist"
                for key, path in missing
            )
            + f" (paths are relative to {os.getcwd()})"
        )


check_config_files()

# Jobs run the programs of the environment Snakemake runs in: scripts with its Python, notebook
# jobs `papermill` and --edit-notebook `jupyter` as found on PATH (True: needed by every run).
JOB_MODULES = ["pandas", "scipy", "statsmodels", "matplotlib", "pyarrow", "papermill"]
JOB_COMMANDS = {"papermill": True, "jupyter": False}


def check_environment():
    """onstart: this is the project's environment (the activated .venv or conda env), so that no
    job fails on a missing module or command. Skipped where jobs bring their own (--sdm conda).
    """
    import importlib.util
    import shutil
    import sysconfig

    methods = {m.name for m in workflow.deployment_settings.deployment_method}
    if methods & {"CONDA", "APPTAINER"}:
        return
    hint = (
        "activate the project's environment first: `source .venv/bin/activate` "
        "(`make report` creates it) or `conda activate impleval`"
    )
    lacking = [m for m in JOB_MODULES if importlib.util.find_spec(m) is None]
    if lacking:
        stop(
            f"Snakemake's Python ({sys.executable}) lacks {', '.join(lacking)}: {hint}"
        )
    homes = {
        os.path.realpath(folder)
        for folder in [
            os.path.dirname(sys.executable),
            sysconfig.get_path("scripts"),
            sysconfig.get_path("scripts", f"{os.name}_user"),
        ]
    }
    editing = workflow.execution_settings.edit_notebook is not None
    for command in [c for c, always in JOB_COMMANDS.items() if always or editing]:
        found = shutil.which(command)
        if found is None:
            stop(f"`{command}` is not on PATH: {hint}")
        if os.path.realpath(os.path.dirname(found)) not in homes:
            stop(
                f"`{command}` on PATH is {found}, not the one beside {sys.executable}: {hint}"
            )


# Notebook jobs. Snakemake starts `jupyter notebook <copy>` for --edit-notebook, and the copy
# lies in .snakemake/scripts/, a hidden folder Jupyter refuses to serve: workflow/jupyter/ makes
# that folder the server's root. Papermill runs the notebook jobs; its progress bars would only
# interleave in the log.
os.environ.update(
    JUPYTER_CONFIG_PATH=os.pathsep.join(
        filter(
            None,
            [
                os.path.join(PIPELINE_DIR, "workflow", "jupyter"),
                os.environ.get("JUPYTER_CONFIG_PATH"),
            ],
        )
    ),
    TQDM_DISABLE=os.environ.get("TQDM_DISABLE", "1"),
)
# The notebook jobs' logs (their executed copies) are kept here; RUN notes when this run started.
EXECUTED_NOTEBOOKS = "results/notebooks"
RUN = {}


def saved_notebooks():
    return os.path.join(workflow.persistence.path, "impleval-executed-notebooks")


def save_executed_notebooks():
    """onstart: copy the executed notebooks of the last run aside."""
    import shutil
    import time

    RUN["start"] = time.time()
    os.makedirs(saved_notebooks(), exist_ok=True)
    for path in glob.glob(os.path.join(EXECUTED_NOTEBOOKS, "*.ipynb")):
        if os.path.getsize(path):
            shutil.copy2(path, saved_notebooks())


def restore_executed_notebooks():
    """onerror: put an executed notebook back where a failed job left none or an empty file, and
    after a failed or aborted --edit-notebook session (which leaves its unexecuted copy).
    """
    import shutil

    editing = workflow.execution_settings.edit_notebook is not None
    for saved in glob.glob(os.path.join(saved_notebooks(), "*.ipynb")):
        path = os.path.join(EXECUTED_NOTEBOOKS, os.path.basename(saved))
        if editing or not os.path.exists(path) or not os.path.getsize(path):
            shutil.copy2(saved, path)


def mark_edited_notebooks():
    """onsuccess: after an --edit-notebook session the notebook Snakemake saved is made newer than
    the job's outputs (Snakemake touched them after saving, yet the saved notebook never ran top to
    bottom), so the next run re-executes it."""
    if workflow.execution_settings.edit_notebook is None or "start" not in RUN:
        return
    for path in glob.glob(os.path.join(PIPELINE_DIR, "notebooks", "*.ipynb")):
        if os.path.getmtime(path) >= RUN["start"]:
            os.utime(path)
