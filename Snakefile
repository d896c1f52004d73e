# impleval: from survey, interview and monitoring exports to the rendered report.
# Rules live in workflow/rules/, logic in src/impleval/, study definitions in config/.
from snakemake.utils import min_version, validate

min_version("9.0")


# The demo study's config only when no --configfile is given: a study's own config is complete
# on its own, and no key is silently inherited from the demo.
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


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
# saved notebook re-executed by the next run (common.smk, notebooks.smk).
onstart:
    check_environment()
    save_executed_notebooks()


onerror:
    restore_executed_notebooks()


onsuccess:
    mark_edited_notebooks()
