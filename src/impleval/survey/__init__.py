"""Survey branch: importers and cleaning (io_*, schemas, cleaning, flow, prepare) and the
statistics and plots on the canonical tables (stats_*, plots_*)."""
