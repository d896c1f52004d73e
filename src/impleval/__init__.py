"""impleval: reproducible evaluation of how hospitals put commercial AI into clinical use.

The library holds pure functions on DataFrames; `scripts/` are thin Snakemake entry points.
"""

import sys

__version__ = "0.1.0"

# jsonschema imports its optional IRI format checker (rfc3987-syntax, which jupyter-events asks
# for through jsonschema[format-nongpl]) when it is itself imported, and that module compiles 38
# Lark grammars: `import jsonschema` took 1.43 s with it and 0.14 s without on our 2-core machine.
# requirements.lock leaves it out (scripts/dev/lock_dependencies.py), but an environment resolved
# by conda or pip may have it: no impleval schema is checked with a format checker, so the module
# is marked absent before jsonschema is imported, in every process that imports impleval first,
# and jsonschema skips the IRI checks it would have offered. A process that imported it keeps it.
sys.modules.setdefault("rfc3987_syntax", None)
