# impleval: from survey, interview and monitoring exports to the rendered report.
# Rules live in workflow/rules/, logic in src/impleval/, study definitions in config/.
import os
import sys

from snakemake.utils import min_version, validate

min_version("9.0")

# A YAML syntax error in the main config names the file, line and column (Snakemake's own
# message names neither; for a file given with --configfile: python -m impleval.config FILE).
sys.path.insert(0, os.path.join(workflow.basedir, "src"))
from impleval.config import load_yaml

load_yaml(os.path.join(workflow.basedir, "config/config.yaml"))


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
