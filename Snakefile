# impleval: from survey, interview and monitoring exports to the rendered report.
# Rules live in workflow/rules/, logic in src/impleval/, study definitions in config/.
import os
import sys

from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

min_version("9.0")

# The pipeline's own folder, also when a study's Snakefile uses it as a module (whose
# workflow.basedir is the study's folder; common.smk checks that it is a checkout on disk).
_PIPELINE = str(workflow.current_basedir.get_path_or_uri(secret_free=False))
sys.path.insert(0, os.path.join(_PIPELINE, "src"))
from impleval.config import load_yaml

# The demo study's config only when no --configfile is given: a study's own config is complete
# on its own, and no key is silently inherited from the demo. A YAML syntax error in it names the
# file, line and column (Snakemake's own message names neither; for a file given with
# --configfile: python -m impleval.config FILE).
if not workflow.overwrite_configfiles:
    if os.path.isfile(os.path.join(_PIPELINE, "config/config.yaml")):
        load_yaml(os.path.join(_PIPELINE, "config/config.yaml"))

    configfile: "config/config.yaml"


# `--config report.language=en` makes a top-level key "report.language" (Snakemake does not
# nest --config keys): say what works instead of failing on the schema.
if any("." in key for key in config):
    raise WorkflowError(
        f"--config {', '.join(k for k in config if '.' in k)}: --config sets top-level keys "
        "only. The English report: snakemake --cores 4 "
        "results/report/impleval-report-en.html. A nested setting: --config "
        "'report={language: en}', or put it in your study's config file (--configfile=...)."
    )
validate(config, "config/schema/config.schema.yaml")


include: "workflow/rules/common.smk"


# A strand's rules exist only when the study collected it (config `inputs.<strand>`).
if "survey" in STRANDS:

    include: "workflow/rules/survey.smk"


if "interviews" in STRANDS:

    include: "workflow/rules/interviews.smk"


if "monitoring" in STRANDS:

    include: "workflow/rules/monitoring.smk"


include: "workflow/rules/privacy.smk"
include: "workflow/rules/notebooks.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        final_targets(),


# Before the first job: is this the project's environment? Keep the executed notebooks of the
# last run, and put them back if this run fails; after an --edit-notebook session, have the
# saved notebook re-executed by the next run (common.smk, notebooks.smk). At the end, exit
# without waiting out the scheduler's rate-limit timer (src/impleval/schedulerexit.py).
onstart:
    check_environment()
    save_executed_notebooks()


onerror:
    restore_executed_notebooks()
    release_scheduler_timers()


onsuccess:
    mark_edited_notebooks()
    release_scheduler_timers()
