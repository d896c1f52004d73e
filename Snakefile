# impleval: from survey, interview and monitoring exports to the rendered report.
# Rules live in workflow/rules/, logic in src/impleval/, study definitions in config/.
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "config/schema/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/survey.smk"
include: "workflow/rules/interviews.smk"
include: "workflow/rules/monitoring.smk"
include: "workflow/rules/privacy.smk"
include: "workflow/rules/notebooks.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        final_targets(),
