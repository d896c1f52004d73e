"""impleval: reproducible evaluation of how hospitals put commercial AI into clinical use.

The library holds pure functions on DataFrames; `scripts/` are thin Snakemake entry points.
"""

import sys

__version__ = "0.1.0"

# jsonschema imports its optional IRI format checker (rfc3987-syntax, installed here because
# jupyter-events asks for jsonschema[format-nongpl]) when it is itself imported, and that module
# compiles 38 Lark grammars: 1.3 s in every process that validates a config (Snakemake's start and
# nearly every job; `import jsonschema` took 1.43 s with it and 0.14 s without on our 2-core
# machine), half an import of the whole statistics stack. No
# impleval schema is checked with a format checker, so the optional module is marked absent before
# jsonschema is imported and jsonschema skips the IRI checks it would have offered. A process that
# imported it already keeps it.
sys.modules.setdefault("rfc3987_syntax", None)
