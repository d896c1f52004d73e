"""impleval: reproducible evaluation of how hospitals put commercial AI into clinical use.

The library holds pure functions on DataFrames; `scripts/` are thin Snakemake entry points.
"""

__version__ = "0.1.0"
