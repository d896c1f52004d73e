"""Report: values (`values`, `variables`), the build folder (`build`), renderers (Quarto or the
labelled fallback), provenance, checks of the rendered HTML, the table formatter the chapters call
(`tables`) and the report rules' steps (`steps`). Only reads results; no analysis runs here."""
