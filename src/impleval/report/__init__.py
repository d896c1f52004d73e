"""Report rendering: variables, build folder, renderers (Quarto or the labelled fallback),
provenance and checks of the rendered HTML. Only reads results; no analysis runs here."""
